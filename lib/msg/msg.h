/*
 * NAME
 *	msg 3h
 * SUMMARY
 *	raw RFC 5322 message: header field list over raw bytes, plus body
 * SYNOPSIS
 *	#include <msg/msg.h>
 * DESCRIPTION
 *	A msg is the exact bytes of one message.  msg_parse() copies them and
 *	indexes the header as a list of fields, each a raw byte range with its
 *	folding and line end.  Edits remove, insert or replace whole fields
 *	and append to the body; every byte not edited is emitted unchanged by
 *	msg_serialize().  Nothing is ever parsed and regenerated: parse, then
 *	serialize with no edits, gives back the input byte for byte, for
 *	every input that msg_parse() accepts, well-formed or not.
 *
 *	Lines.  A line ends at LF; a CR directly before it belongs to the
 *	line end (CRLF), any other CR is an ordinary byte.  NUL and 8-bit
 *	bytes are ordinary bytes.  The header ends at the first empty line
 *	("\r\n" or "\n"), the separator; the body is everything after it.
 *	Without an empty line the whole input is header and the body is
 *	empty.  A line longer than LIMIT_LINE_LEN (line end not counted) is
 *	refused.
 *
 *	Fields.  A header line starting with SP or HTAB continues the field
 *	before it.  Other lines start a field entry.  An entry whose first
 *	line is "name:" where name is one or more RFC 5322 ftext bytes
 *	(printable ASCII 33..126 except ':'), optionally followed by SP/HTAB
 *	before the colon (obs-syntax, "Subject : x"; flagged MSG_FIELD_OBS_WSP,
 *	the name excludes that whitespace), is a field.  Every other entry --
 *	a line without a colon, a name with spaces, 8-bit or control bytes,
 *	an empty name, a continuation line at the very top -- is kept as an
 *	entry flagged MSG_FIELD_MALFORMED, with no name, so that it re-emits
 *	identically and DKIM/policy code can see it.  A malformed first entry
 *	that begins with "From " (an mbox envelope line) also has
 *	MSG_FIELD_MBOX_FROM.  Malformed entries take continuation lines too.
 *
 *	Line-end convention.  msg_eol() is the line end that is more common
 *	in the header (separator line included); on a tie the first one seen;
 *	CRLF when the header has no line end at all.  Fields msg inserts use
 *	it.  Mixed input still round-trips exactly.
 *
 *	Pointers returned by msg_field() and msg_body() point into the msg
 *	and stay valid until the next edit or msg_free().
 *
 *	Limits (lib/sealist_limits.h): the input may not exceed LIMIT_MESSAGE_SIZE,
 *	the header (fields with their line ends, separator excluded) may not
 *	exceed LIMIT_HEADER_BLOCK nor have more than LIMIT_HEADER_COUNT
 *	entries, and no line may exceed LIMIT_LINE_LEN.  Edits keep all four
 *	true, so a serialized msg always parses again.
 */
#ifndef SEALIST_MSG_H
#define SEALIST_MSG_H

#include <stddef.h>

#include "buf/buf.h"

struct msg;

enum msg_eol {
	MSG_EOL_CRLF,
	MSG_EOL_LF,
};

/* Bits of msg_field.flags. */
#define MSG_FIELD_MALFORMED	(1u << 0)	/* not "name:"; name is NULL */
#define MSG_FIELD_MBOX_FROM	(1u << 1)	/* leading mbox "From " line */
#define MSG_FIELD_OBS_WSP	(1u << 2)	/* WSP between name and colon */
#define MSG_FIELD_NO_EOL	(1u << 3)	/* last line of an input without
						 * a final line end */

struct msg_field {
	const char *name;		/* not NUL-terminated; NULL if malformed */
	size_t	name_len;		/* 0 if malformed */
	const unsigned char *value;	/* after the colon (whole entry when
					 * malformed): leading WSP and folding
					 * included, final line end excluded */
	size_t	value_len;
	const unsigned char *raw;	/* the whole entry as it is emitted */
	size_t	raw_len;		/* final line end included (absent
					 * only with MSG_FIELD_NO_EOL) */
	unsigned int flags;
};

/*
 * Parse len bytes at data (not NUL-terminated, may contain NULs) into a
 * new msg that keeps its own copy.  Returns 0 and sets *msg_r, or -1 and
 * sets *error_r to a static string: "message larger than N bytes",
 * "header block larger than N bytes", "more than N header fields",
 * "line longer than N bytes" or "out of memory".
 */
extern int msg_parse(struct msg **msg_r, const void *data, size_t len,
		     const char **error_r);

/* Free the msg and everything it owns; NULL is fine. */
extern void msg_free(struct msg *);

/* The convention (see above) and its bytes, "\r\n" or "\n". */
extern enum msg_eol msg_eol(const struct msg *);
extern const char *msg_eol_str(const struct msg *);

/* Header entries, malformed ones included, in order; NULL if i too big. */
extern size_t msg_field_count(const struct msg *);
extern const struct msg_field *msg_field(const struct msg *, size_t i);

/*
 * Index of the first field at or after from (msg_find) or the last field
 * before `before` (msg_rfind, bottom-up as DKIM's h= wants) whose name is
 * exactly name, compared case-insensitively in ASCII; never a prefix, and
 * never a malformed entry.  -1 if there is none.
 */
extern long msg_find(const struct msg *, const char *name, size_t from);
extern long msg_rfind(const struct msg *, const char *name, size_t before);

/*
 * Edits.  A field given to msg_insert/msg_replace is "Name: value", with
 * folding written as "\n" or "\r\n" followed by SP or HTAB; one final
 * line end is allowed and ignored.  msg writes every line end in the
 * message's convention and adds the final one.  Refused with -1 and a
 * static *error_r: a name that is empty or not ftext, no colon, a
 * continuation line that does not start with SP/HTAB, an empty or
 * whitespace-only line, a bare CR or a NUL, or a result that would pass
 * a limit.  8-bit bytes in the value are allowed (RFC 6532).
 *
 * msg_insert puts the field before entry pos (pos == count: at the end
 * of the header).  msg_insert_top puts it above every field but below a
 * leading mbox "From " line or a leading continuation line, which must
 * stay first.  msg_remove and msg_replace return -1 when i is too big.
 * When the input had no final line end, a field that stops being the
 * last thing in the header gets a line end (msg_eol) on output.
 */
extern int msg_remove(struct msg *, size_t i);
extern int msg_insert(struct msg *, size_t pos, const char *field,
		      size_t len, const char **error_r);
extern int msg_insert_top(struct msg *, const char *field, size_t len,
			  const char **error_r);
extern int msg_replace(struct msg *, size_t i, const char *field,
		       size_t len, const char **error_r);

/*
 * Body: the raw bytes after the separator, appended bytes included.
 * msg_body_append adds bytes exactly as given (choose line ends with
 * msg_eol_str; if the body does not end with a line end, neither does the
 * join).  -1 with *error_r when the message or a line would pass its limit,
 * or memory runs out.  When the input had no separator and the body
 * becomes non-empty, msg_serialize writes a separator line (msg_eol)
 * between header and body.
 */
extern const unsigned char *msg_body(const struct msg *, size_t *len_r);
extern int msg_body_append(struct msg *, const void *data, size_t len,
			   const char **error_r);

/* 1 if msg_serialize will write a separator line (input had one, or the
 * body is non-empty), else 0. */
extern int msg_has_separator(const struct msg *);

/* Length of what msg_serialize would append. */
extern size_t msg_size(const struct msg *);

/*
 * Append the message to out (not reset first), in one pass.  Returns 0,
 * or -1 when out refuses (its maximum or memory; out's error sticks).
 */
extern int msg_serialize(const struct msg *, struct buf *out);

#endif
