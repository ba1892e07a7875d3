/*
 * NAME
 *	html 3h
 * SUMMARY
 *	markup built in C, with every value escaped
 * DESCRIPTION
 *	Tables and lists that a template cannot express (it has no loops)
 *	are built here and handed to a template as a variable whose name
 *	ends in "_html": template_render_html inserts those as they are and
 *	escapes every other value.  A "_html" value must come from these
 *	functions, so that markup is only ever the format string (a literal
 *	in our code) and every %s is escaped.
 */
#ifndef SEALIST_HTML_H
#define SEALIST_HTML_H

#include "buf/buf.h"

/*
 * Append fmt to b.  Conversions: %s (HTML-escaped: & < > " ' become
 * entities, control characters but \n spaces), %d %u %ld %lu %lld %llu
 * %zu %x, %.Ns (escaped, at most N octets) and %%.  fmt must be a
 * literal.  Anything else aborts (a programming error).
 */
extern void html_fmt(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Escaped text. */
extern void html_text(struct buf *b, const char *s);

#endif
