/*
 * NAME
 *	authres_lex 3h
 * SUMMARY
 *	the lexer shared by the authres parser and the forged-field check
 * DESCRIPTION
 *	Private to lib/authres.  A cursor over a byte range (no NUL needed).
 *	Whitespace is SP, HTAB, CR and LF, so folded lines unfold for free and
 *	bare line ends in sloppy mail do no harm.  Comments nest, and a
 *	backslash quotes the next byte inside them, as RFC 5322 section 3.2.2
 *	says.  Every function stops at the end of the range.
 */
#ifndef SEALIST_AUTHRES_LEX_H
#define SEALIST_AUTHRES_LEX_H

#include <stddef.h>

#include "buf/buf.h"

struct authres_lex {
	const unsigned char *p;
	size_t	len;
	size_t	pos;
};

/* Skip whitespace and comments; 0, or -1 on an unterminated comment. */
extern int authres_lex_cfws(struct authres_lex *);

/* 1 if the byte may be in an RFC 2045 token (8-bit bytes allowed). */
extern int authres_lex_is_token(unsigned char);

/*
 * Read an RFC 2045 value (token or quoted-string) into out (reset
 * first), unquoted.  1: read; 0: no value here (cursor unchanged);
 * -1: unterminated quoted-string or out refused.
 */
extern int authres_lex_value(struct authres_lex *, struct buf *out);

/* 1 if at the end, else 0. */
#define authres_lex_end(l)	((l)->pos >= (l)->len)

/* The byte at the cursor, or -1 at the end. */
#define authres_lex_peek(l) \
	(authres_lex_end(l) ? -1 : (int) (l)->p[(l)->pos])

#endif
