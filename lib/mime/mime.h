/*
 * NAME
 *	mime 3h
 * SUMMARY
 *	bounded MIME reader over raw bytes, and the two encoders lists need
 * SYNOPSIS
 *	#include <mime/mime.h>
 * DESCRIPTION
 *	This module reads the MIME structure of a message without ever
 *	re-generating it: it says what a Content-Type or
 *	Content-Transfer-Encoding value means (RFC 2045 sections 5 and 6)
 *	and where the parts of a multipart body are (RFC 2046 section
 *	5.1.1), as byte ranges into the caller's bytes, so that an editor
 *	(the list's footer code, a digester, a DSN reader) can insert or
 *	wrap around parts and leave every other byte as it was.
 *
 *	It knows nothing of lists.  All inputs are (pointer, length) and
 *	never need a NUL terminator; work is capped by LIMIT_MIME_* in
 *	lib/sealist_limits.h.  Nothing keeps state between calls outside
 *	the caller's structs: all functions are thread-safe.
 *
 *	The encoders (quoted-printable, RFC 2047 encoded words) produce the
 *	bytes of text the caller adds: a footer in a quoted-printable part,
 *	a display name with non-ASCII characters.
 */
#ifndef SEALIST_MIME_H
#define SEALIST_MIME_H

#include <stddef.h>

#include "buf/buf.h"
#include "msg/msg.h"

/* ---- Content-Type (RFC 2045 section 5) ------------------------------ */

struct mime_param {
	char   *name;			/* lowercased */
	char   *value;			/* quotes removed, quoted-pairs undone,
					   folding (CR, LF) dropped; may hold
					   8-bit bytes, never NUL */
};

struct mime_ctype {
	char   *type, *subtype;		/* lowercased, never NULL once parsed */
	struct mime_param *params;
	size_t	count;
};

/*
 * Parse a Content-Type field value (the bytes after the colon, folding
 * included).  Grammar: type "/" subtype *(";" attribute "=" value) with
 * CFWS (comments nest, quoted-pairs allowed) around every token; one
 * ";" may end the list.  type, subtype and attribute are RFC 2045
 * tokens; a value is a quoted-string or, leniently, any run of bytes
 * other than controls, white space, ';', '"' and '(' (real mail writes
 * "boundary=----=_Part_1" unquoted).  Refused with -1 and a static
 * *error_r: "missing type", "missing '/'", "missing subtype", "bad
 * parameter", "unterminated quoted string", "unterminated comment",
 * "duplicate parameter" (a second boundary= would make the structure
 * ambiguous), "too many parameters" (LIMIT_MIME_PARAMS), "field too long"
 * (LIMIT_MIME_FIELD), "NUL byte", "out of memory".  On -1 *out is empty.
 */
extern int mime_ctype_parse(const void *value, size_t len,
			    struct mime_ctype *out, const char **error_r);

/*
 * The Content-Type of a message's top level: the first Content-Type
 * field parsed, or RFC 2045 section 5.2's default text/plain;
 * charset=us-ascii when the field is absent or invalid.  Returns 1
 * (from the field), 0 (the default), or -1 when memory runs out.
 */
extern int mime_ctype_of_msg(const struct msg *, struct mime_ctype *out);

/* The default above, for a part without Content-Type ("text", "plain",
 * charset=us-ascii), or message/rfc822 when digest is nonzero (RFC 2046
 * section 5.1.5).  0, or -1 when memory runs out. */
extern int mime_ctype_default(struct mime_ctype *out, int digest);

/* A parameter's value, or NULL; name compared case-insensitively. */
extern const char *mime_ctype_param(const struct mime_ctype *, const char *name);

/* 1 if type/subtype equal these (case-insensitively), else 0. */
extern int mime_ctype_is(const struct mime_ctype *, const char *type,
			 const char *subtype);

extern void mime_ctype_free(struct mime_ctype *);

/* ---- Content-Transfer-Encoding (RFC 2045 section 6) --------------- */

enum mime_cte {
	MIME_CTE_7BIT = 0,		/* also: field absent */
	MIME_CTE_8BIT,
	MIME_CTE_BINARY,
	MIME_CTE_QP,
	MIME_CTE_BASE64,
	MIME_CTE_OTHER,			/* x-token or junk: do not touch */
};

/* The mechanism named by a field value (CFWS around the token allowed,
 * case-insensitive); anything else is MIME_CTE_OTHER. */
extern enum mime_cte mime_cte_parse(const void *value, size_t len);
/* Of a message's first Content-Transfer-Encoding field; 7BIT if none. */
extern enum mime_cte mime_cte_of_msg(const struct msg *);

/* ---- multipart bodies (RFC 2046 section 5.1.1) -------------------- */

/*
 * A delimiter line is "--" boundary, then optional SP/HTAB, then a line
 * end (or the end of the data); a close-delimiter line is "--" boundary
 * "--" followed by anything up to the line end (generators add junk
 * there and readers ignore it).  The line end before a delimiter line
 * belongs to the delimiter, so a part never includes it; a delimiter at
 * the very start of the body has none.  Line ends are LF or CRLF.
 *
 * Layout of a body with n parts:
 *	[preamble][delim][part 1][delim][part 2]...[part n][close][epilogue]
 * Offsets below are into the body given to mime_parts_init().
 */
struct mime_part {
	size_t	offset;			/* first byte of the part (its header) */
	size_t	len;			/* up to the line end before the next
					   delimiter */
};

struct mime_parts {
	const unsigned char *body;
	size_t	len;
	const unsigned char *boundary;
	size_t	blen;
	size_t	pos;			/* private: where scanning resumes */
	int	state;			/* private */
	/* Filled in as parsing goes; final once next() has returned 0. */
	size_t	count;			/* parts returned so far */
	size_t	preamble_len;		/* bytes before the first delimiter
					   (its line end excluded); len when
					   there is no delimiter at all */
	int	closed;			/* a close delimiter was found */
	size_t	end;			/* end of the last part: where a new
					   last part is inserted (the line end
					   before the close delimiter); len if
					   not closed */
	size_t	epilogue;		/* first byte after the close line and
					   its line end; len if not closed */
};

/*
 * Walk the parts of a multipart body with this boundary (the parameter's
 * value).  next() returns 1 with *part, 0 at the end (a body without any
 * delimiter has no parts), or -1 with *error_r: "bad boundary" (empty or
 * longer than LIMIT_MIME_BOUNDARY, or holding a line end), "too many
 * parts" (more than LIMIT_MIME_PARTS).  Text after the last part when no
 * close delimiter comes is that part's (closed stays 0).
 */
extern void mime_parts_init(struct mime_parts *, const void *body, size_t len,
			    const void *boundary, size_t blen);
extern int mime_parts_next(struct mime_parts *, struct mime_part *,
			   const char **error_r);

/*
 * The header of a part (an entity: header fields, an empty line, the
 * body).  mime_entity_body gives the offset of the body: after the first
 * empty line, or len when there is none (RFC 2046: a part may have no
 * header; then it starts with the empty line, body offset 1 or 2).
 * mime_entity_field finds the first field named name (exact name,
 * case-insensitive, never a prefix) in the header and gives its raw value
 * (after the colon, folding included, final line end excluded): 1 found,
 * 0 not.
 */
extern size_t mime_entity_body(const void *entity, size_t len);
extern int mime_entity_field(const void *entity, size_t len, const char *name,
			     const unsigned char **value_r, size_t *vlen_r);

/* ---- walking the whole tree ----------------------------------------- */

struct mime_node {
	unsigned depth;			/* 0: the message itself */
	const struct mime_ctype *ctype;	/* declared or defaulted */
	enum mime_cte cte;
	const unsigned char *body;	/* the entity's body */
	size_t	body_len;
	size_t	index;			/* position among its siblings */
	/* A part's header (its fields and the empty line, if any), for
	   mime_entity_field (Content-Disposition, ...); NULL, 0 at depth 0,
	   whose fields are the struct msg's. */
	const unsigned char *header;
	size_t	header_len;
};

/* Return 0 to go on, nonzero to stop the walk (mime_walk returns it). */
typedef int (*mime_visit_fn)(void *ctx, const struct mime_node *);

/*
 * Visit the message and, depth first, every part of every multipart in
 * it (message/rfc822 parts are visited but not entered).  Returns 0 when
 * all was visited, the visitor's nonzero value if it stopped, or -1 with
 * *error_r: "nesting too deep" (LIMIT_MIME_DEPTH), "too many parts"
 * (LIMIT_MIME_PARTS over the whole tree), "bad boundary", "out of
 * memory".  A part whose Content-Type is invalid is visited as
 * text/plain (RFC 2045 section 5.2) and a multipart without a boundary
 * is visited as a leaf.
 */
extern int mime_walk(const struct msg *, mime_visit_fn, void *ctx,
		     const char **error_r);

/* ---- decoding -------------------------------------------------------- */

/*
 * Append data decoded from cte to out: base64 and quoted-printable
 * leniently (mime_decode.c says how), anything else as it is.  Stops
 * quietly at out's maximum.
 */
extern void mime_decode(enum mime_cte cte, const void *data, size_t len, struct buf *out);

/* ---- encoders ------------------------------------------------------- */

/*
 * Append data as quoted-printable (RFC 2045 section 6.7) to out: line
 * ends in data (LF or CRLF) become eol (hard line breaks); '=', controls,
 * 8-bit bytes and white space before a line end are encoded; lines are
 * broken with soft line breaks to stay within 76 characters.  A final
 * partial line gets no line end.  0, or -1 when out refuses.
 */
extern int mime_qp_encode(const void *data, size_t len, const char *eol,
			  struct buf *out);

/*
 * Append text (UTF-8) as RFC 2047 "B" encoded words in charset utf-8,
 * each at most 75 characters and holding whole characters only, joined
 * by fold (e.g. "\r\n " -- folding white space between encoded words is
 * not displayed).  Meant for a phrase or unstructured text that is not
 * ASCII.  0, or -1 when out refuses.
 */
extern int mime_encode_words(const void *text, size_t len, const char *fold,
			     struct buf *out);

#endif
