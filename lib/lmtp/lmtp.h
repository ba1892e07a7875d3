/*
 * NAME
 *	lmtp 3h
 * SUMMARY
 *	LMTP protocol parsing: command lines and the DATA stream
 * SYNOPSIS
 *	#include <lmtp/lmtp.h>
 * DESCRIPTION
 *	This module owns the syntax of LMTP (RFC 2033, which defers to RFC
 *	5321): what a command line says (lmtp_cmd.c) and which octets a DATA
 *	section carries (lmtp_data.c).  It knows nothing of sockets, sessions
 *	or lists; src/lmtp.c does the talking.  It never logs: errors come
 *	back as complete LMTP reply lines (static strings, no CRLF), so the
 *	server can send them as they are.
 *
 *	Lines.  A command line ends with CRLF.  lmtp_line_find() also ends a
 *	line at a bare LF, so that a broken client gets an answer instead of
 *	a hang, but lmtp_cmd_parse() refuses such a line (500 5.5.2): RFC
 *	5321 section 4.1.1.4 forbids taking LF alone as a line end.  Inside
 *	DATA, lines end with CRLF only: a bare LF or CR is an octet of the
 *	message, kept as received (counted in bare_lf), and "<LF>.<LF>" does
 *	not end the data (section 4.1.1.4 again; treating it as the end is
 *	how SMTP smuggling injects a second message).
 *
 *	Parsers take (pointer, length) and never look for a NUL; a NUL octet
 *	is refused in commands and kept in message data.
 */
#ifndef SEALIST_LMTP_PROTO_H
#define SEALIST_LMTP_PROTO_H

#include <stddef.h>

#include "buf/buf.h"

/*
 * Find the end of the line at the start of p/len.  Returns 1 with
 * *line_len (octets before the CRLF or bare LF) and *used_r (with the
 * terminator), *bare_lf_r 1 when the line ended in LF alone; 0 when
 * there is no LF yet.
 */
extern int lmtp_line_find(const char *p, size_t len, size_t *line_len,
			  size_t *used_r, int *bare_lf_r);

enum lmtp_verb {
	LMTP_V_UNKNOWN,
	LMTP_V_LHLO,
	LMTP_V_HELO,		/* SMTP only: refused */
	LMTP_V_EHLO,		/* SMTP only: refused */
	LMTP_V_MAIL,
	LMTP_V_RCPT,
	LMTP_V_DATA,
	LMTP_V_RSET,
	LMTP_V_NOOP,
	LMTP_V_QUIT,
	LMTP_V_VRFY,
	LMTP_V_XFORWARD,
};

enum lmtp_body {
	LMTP_BODY_NONE,		/* no BODY= parameter */
	LMTP_BODY_7BIT,
	LMTP_BODY_8BITMIME,
};

/*
 * A parsed command.  Pointers go into the line given to lmtp_cmd_parse
 * and are not NUL-terminated.
 *
 * arg/arg_len: the text after the verb and its blanks (LHLO's domain,
 *	VRFY's string, XFORWARD's attributes, NOOP's ignored text).
 * path/path_len: MAIL and RCPT, the address without angle brackets and
 *	without a source route; length 0 for MAIL's null path <>.  A valid
 *	path contains no NUL or control octet, and a space only inside a
 *	quoted local part.
 * have_size/size, body, smtputf8: MAIL's parameters.
 */
struct lmtp_cmd {
	enum lmtp_verb verb;
	const char *arg;
	size_t	arg_len;
	const char *path;
	size_t	path_len;
	int	have_size;
	unsigned long long size;
	enum lmtp_body body;
	int	smtputf8;
};

/*
 * Parse one command line (without its CRLF), len octets.  bare_lf says
 * the line ended in LF alone (from lmtp_line_find), which is refused.
 * Returns 0, or -1 with *reply_r the reply to send:
 *	500 5.5.2  unknown verb, NUL or bare LF, a line that is not text
 *	501 5.5.4  bad arguments (missing FROM:/TO:, junk after a path,
 *		   a malformed parameter, arguments where none belong)
 *	501 5.1.7  bad MAIL FROM path;  501 5.1.3  bad RCPT TO path
 *	555 5.5.4  an unknown MAIL or RCPT parameter, or an unsupported
 *		   BODY= value (RFC 5321 section 4.1.1.11)
 * HELO and EHLO parse (verb set, 0 returned): refusing them is the
 * server's business, as is every check of order or of limits.
 *
 * Choices, each for a reason:
 *  - verbs are case-insensitive; arguments are separated by one or
 *    more blanks, trailing blanks are ignored, and blanks after "FROM:"
 *    or "TO:" are allowed (clients that write "MAIL FROM: <a@b>" are
 *    common and the meaning is clear);
 *  - a path must be in angle brackets (every MTA sends them);
 *  - a source route (<@a,@b:user@c>) is checked and dropped, RFC 5321
 *    section 4.1.1.3;
 *  - the local part is a dot-string (atext and dots, in any order: MTAs
 *    pass "a..b" through and refusing it would lose mail) or a quoted
 *    string (kept with its quotes and backslashes, as given); octets
 *    above 127 are accepted in both and in domains (RFC 6531 UTF-8: the
 *    MTA decided to relay it, SMTPUTF8 or not);
 *  - the domain is dot-separated labels of letters, digits, '-' and '_'
 *    (underscores occur in real host names) or an address literal in
 *    brackets;
 *  - a RCPT path with no '@' is refused (501 5.1.3) except "postmaster"
 *    in any case (RFC 5321 section 4.5.1), which is returned as given:
 *    the caller's rcpt hook decides where it goes or refuses it;
 *  - a MAIL path must have an '@' unless it is the null path;
 *  - paths are at most LIMIT_LMTP_PATH octets;
 *  - MAIL parameters: SIZE=digits (at most 20 digits; larger is 501),
 *    BODY=7BIT|8BITMIME, SMTPUTF8 (no value), keywords case-insensitive,
 *    each at most once; RCPT takes no parameters (we advertise no DSN).
 */
extern int lmtp_cmd_parse(const char *line, size_t len, int bare_lf,
			  struct lmtp_cmd *cmd, const char **reply_r);

/* "LHLO", "MAIL", ... for logs; "UNKNOWN" for LMTP_V_UNKNOWN. */
extern const char *lmtp_verb_name(enum lmtp_verb);

enum lmtp_data_error {
	LMTP_DATA_OK,
	LMTP_DATA_TOO_BIG,		/* more than max_size octets */
	LMTP_DATA_LINE_TOO_LONG,	/* a line of more than max_line octets
				   (TOO_BIG is reported when both) */
	LMTP_DATA_NO_MEMORY,		/* appending to the output failed */
};

/*
 * The DATA reader: a state machine fed arbitrary chunks.  It removes
 * the leading dot of a line that starts with one (RFC 5321 section
 * 4.5.2) and stops after "." CRLF at the start of a line; the CRLF
 * before that "." is the end of the message's last line and part of the
 * message.  After an error it empties the output and appends nothing
 * more, but keeps reading to the end marker, so that the client gets a
 * reply instead of a broken pipe; size keeps counting, for the logs.
 * The struct is public for its counters; change it only through these
 * functions.
 */
struct lmtp_data {
	size_t	max_size;	/* message octets, after unstuffing */
	size_t	max_line;	/* octets of one line, without CRLF and
				   without a stuffing dot (RFC 5321 4.5.3.1.6) */
	int	state;
	size_t	line_len;	/* octets of the current line so far */
	size_t	size;		/* message octets so far (appended while no error) */
	size_t	bare_lf;	/* LF octets not preceded by CR */
	size_t	lines;		/* lines completed */
	enum lmtp_data_error error;
};

extern void lmtp_data_init(struct lmtp_data *, size_t max_size,
			   size_t max_line);

/*
 * Read len octets of p.  Message octets are appended to out (which the
 * caller empties before the first call; its own maximum should be at
 * least max_size).  Returns 1 when the end marker was read, *used_r
 * being the octets of p consumed up to and including it (the rest is
 * the next command); 0 when all of p was consumed (*used_r = len) and
 * more is needed.  Errors do not change the return value: look at
 * ->error (or lmtp_data_reply()) once 1 was returned.
 */
extern int lmtp_data_feed(struct lmtp_data *, const unsigned char *p,
			  size_t len, struct buf *out, size_t *used_r);

/*
 * The reply for an error, for every recipient ("552 5.3.4 ..."), or
 * NULL when there was none.  A line too long is a permanent 552 5.3.4
 * like an oversized message: retrying cannot help, and 5.3.4 ("message
 * too big for system") is the closest RFC 3463 code; 500 5.5.2 would
 * wrongly blame the command syntax.
 */
extern const char *lmtp_data_reply(const struct lmtp_data *);

#endif
