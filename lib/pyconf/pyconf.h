/*
 * NAME
 *	pyconf 3h
 * SUMMARY
 *	the safe subset of Python literal syntax that Mailman 2.1's
 *	config_list writes: parse it, never execute it; write it back
 * DESCRIPTION
 *	A file is a sequence of assignments NAME = LITERAL, with # comments,
 *	blank lines, backslash line continuations, and newlines allowed
 *	inside brackets and triple-quoted strings.  LITERAL is one of:
 *	  integers (decimal, 0x.., optional Python 2 'L' suffix, unary -),
 *	  floats, True / False / None,
 *	  strings: '...' "..." '''...''' """...""" with optional u/U, b/B
 *	  and r/R prefixes, adjacent strings concatenated ('a' 'b'), every
 *	  Python escape (\n \t \\ \' \" \xNN \ooo \uXXXX \UXXXXXXXX \N is
 *	  refused, newline after backslash = continuation),
 *	  lists [..], tuples (..), dicts {k: v} of literals, trailing commas.
 *	Anything else (a name other than True/False/None, a call, an
 *	operator, an attribute) is an error "line N, column C: ...": nothing
 *	is ever evaluated.  A later assignment to the same name is kept as
 *	another item (the caller decides; config import reports duplicates).
 *	Sizes are capped (PYCONF_MAX_*): a bigger file, string, nesting or
 *	item count is an error with the line, never a crash or a huge
 *	allocation.  A NUL byte anywhere is an error.
 *
 *	Strings are decoded to bytes: \xNN gives that byte, \u and \U give
 *	UTF-8, other bytes are copied as they are (the file is read as
 *	bytes).  is_unicode tells a u'' literal (its bytes are UTF-8) from a
 *	Python 2 byte string (its bytes are in the list's old charset; the
 *	caller may convert).
 *
 *	The writers produce what config_list -o writes: repr() of a string
 *	('...' unless it holds ' and no ", then "..."; \\ \n \t \r \' and
 *	non-printable ASCII escaped as Python does; bytes >= 0x80 written as
 *	they are, i.e. UTF-8 text stays readable), a string holding a newline
 *	as """...""" (as config_list does for multi-line text), lists as
 *	['a', 'b'].  Every value written parses back to the same bytes.
 */
#ifndef SEALIST_PYCONF_H
#define SEALIST_PYCONF_H

#include <stddef.h>

#include "buf/buf.h"
#include "sealist_limits.h"

/* The limits and their reasons are in sealist_limits.h. */
#define PYCONF_MAX_FILE		LIMIT_PYCONF_FILE
#define PYCONF_MAX_STRING	LIMIT_PYCONF_STRING	/* decoded bytes of one string */
#define PYCONF_MAX_DEPTH	LIMIT_PYCONF_DEPTH	/* nested brackets */
#define PYCONF_MAX_ITEMS	LIMIT_PYCONF_ITEMS	/* values in the whole file */

enum pyconf_type {
	PYCONF_INT, PYCONF_FLOAT, PYCONF_BOOL, PYCONF_NONE,
	PYCONF_STR, PYCONF_LIST, PYCONF_TUPLE, PYCONF_DICT,
};

struct pyconf_value {
	enum pyconf_type type;
	int	line;			/* where the value starts, from 1 */
	long long i;			/* INT; BOOL 0 or 1 */
	double	f;			/* FLOAT */
	const char *text;		/* INT, FLOAT: the literal as written ("5.0",
					   "-3", "10L"); STR: the decoded bytes,
					   NUL-terminated (no NUL inside) */
	size_t	len;			/* STR: bytes in text */
	int	is_unicode;		/* STR: a u'' literal */
	const struct pyconf_value *items;	/* LIST, TUPLE: n values; DICT:
						   2n, key then value */
	size_t	n;
};

struct pyconf_assign {
	const char *name;		/* the identifier */
	int	line;			/* of the name */
	struct pyconf_value value;
};

struct pyconf_file {
	const struct pyconf_assign *items;
	size_t	n;
};

struct pyconf_error {
	int	line, column;		/* from 1 */
	char	message[256];		/* "unbalanced quotes", "not a literal:
					   __import__ is a name", ... */
};

/*
 * Parse len bytes.  0 and *file_r (free with pyconf_free), or -1 with
 * *err filled (the first error; nothing is returned).
 */
extern int pyconf_parse(const void *data, size_t len, struct pyconf_file **file_r,
			struct pyconf_error *err);
extern void pyconf_free(struct pyconf_file *);	/* NULL is fine */

/* Append the literal for a string / a list of strings to out; 0 or -1 (out failed). */
extern int pyconf_write_str(const char *s, size_t len, struct buf *out);
extern int pyconf_write_list(const char *const *items, const size_t *lens, size_t n,
			     struct buf *out);

/* "int", "float", "bool", "None", "string", "list", "tuple", "dict" */
extern const char *pyconf_type_name(enum pyconf_type);

#endif
