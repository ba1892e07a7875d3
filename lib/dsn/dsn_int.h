/*
 * NAME
 *	dsn_int 3h
 * SUMMARY
 *	lib/dsn internals shared by its files
 * DESCRIPTION
 *	Bounded text helpers over (pointer, length): lines, case-insensitive
 *	search, code scanning, address extraction, and the bounded copy that
 *	fills the fixed-size strings of struct dsn_recipient.  Not part of
 *	the module's interface.
 */
#ifndef SEALIST_DSN_INT_H
#define SEALIST_DSN_INT_H

#include <stddef.h>

#include "dsn/dsn.h"

/* Next line of d[0..len) from *pos (line end excluded); 0 at the end. */
extern int dsn_line(const unsigned char *d, size_t len, size_t *pos,
		    const unsigned char **line_r, size_t *llen_r);

/* First case-insensitive occurrence of the C string needle, or NULL. */
extern const unsigned char *dsn_ci_find(const unsigned char *hay, size_t len,
					const char *needle);

/* 1 if the line, after leading white space, starts with prefix (ci). */
extern int dsn_ci_starts(const unsigned char *line, size_t len,
			 const char *prefix);

/*
 * Copy src into dst[size]: folding and control bytes become single
 * spaces, white space trimmed at both ends, cut at a UTF-8 character
 * boundary when too long.  dst is always NUL-terminated.
 */
extern void dsn_copy(char *dst, size_t size, const void *src, size_t len);

/* The first enhanced status code x.y.z (x 2, 4 or 5) in text, copied to
 * out[16]; 1 found, 0 not. */
extern int dsn_find_status(const unsigned char *text, size_t len, char *out);

/* The first SMTP reply code (2xx, 4xx, 5xx as a whole token), or 0. */
extern int dsn_find_reply(const unsigned char *text, size_t len);

/*
 * The first thing that looks like an address (local@domain, the domain
 * with a dot) in line, without <>, "mailto:" or quotes around it, into
 * out[size].  1 found, 0 not.
 */
extern int dsn_find_addr(const unsigned char *line, size_t len, char *out,
			 size_t size);

/*
 * A new zeroed recipient at the end of report->r.  1 with *r, 0 when
 * LIMIT_DSN_RECIPIENTS is reached (report->truncated set), -1 when memory
 * runs out.
 */
extern int dsn_add(struct dsn_report *, struct dsn_recipient **r);

/* Recognise the plain-text formats in text; recipients added to report.
 * Returns the number added, or -1 when memory runs out. */
extern int dsn_text_parse(const unsigned char *text, size_t len,
			  struct dsn_report *report);

#endif
