/*
 * NAME
 *	notice 3h
 * SUMMARY
 *	the mails sealist writes itself: held and rejected notices
 * DESCRIPTION
 *	notice_build() fills a template (template.h) and wraps it in a
 *	complete RFC 5322 message: From the list's -owner address, To the
 *	recipient, a UTF-8 Subject (RFC 2047 encoded words when it is not
 *	ASCII), Date, a fresh Message-ID, In-Reply-To/References when the
 *	notice answers a message, and Auto-Submitted (RFC 3834: auto-replied
 *	for an answer to a poster, auto-generated otherwise) so that
 *	vacation programs and other lists never answer it.  The body is
 *	text/plain; charset=utf-8 with CRLF line ends: 7bit when it is plain
 *	ASCII in short lines, else quoted-printable (RFC 2045 section 6.7),
 *	so that no relay has to convert it and break the DKIM signature.
 */
#ifndef SEALIST_NOTICE_H
#define SEALIST_NOTICE_H

#include <time.h>

#include "buf/buf.h"

struct notice {
	const char *templates_dir;
	const char *template;		/* "held-moderator" */
	const char *list;		/* "dev@example.org": its own copy of the
					   template wins (template_render_for);
					   NULL: the shipped one */
	const char *const *vars;	/* name, value, ..., NULL */
	const char *from;		/* "dev-owner@example.org" */
	const char *from_name;		/* "dev" (UTF-8), or NULL */
	const char *to;			/* one address */
	const char *reply_to;		/* or NULL */
	const char *in_reply_to;	/* a Message-ID "<...>", or NULL */
	int	auto_replied;		/* 1: RFC 3834 auto-replied, 0: auto-generated */
	time_t	now;
};

/* Append the message to out; 0, or -1 with *error_r. */
extern int notice_build(const struct notice *, struct buf *out, const char **error_r);

/*
 * Append text as an unstructured header value: as is when it is printable
 * ASCII, else RFC 2047 "=?utf-8?b?...?=" words of at most 75 octets,
 * folded with CRLF SP.  Control characters become spaces first.
 */
extern void notice_encode_header(const char *text, struct buf *out);

/* A fresh Message-ID "<hex@domain>" into out; 0 or -1 (no randomness). */
extern int notice_message_id(const char *domain, struct buf *out);

/* "Date: ..." of now (UTC) with its CRLF, appended to out. */
extern void notice_date(time_t now, struct buf *out);

#endif
