/*
 * NAME
 *	csv 3h
 * SUMMARY
 *	RFC 4180 comma-separated values: a capped reader and a writer
 * SYNOPSIS
 *	#include <csv/csv.h>
 * DESCRIPTION
 *	This module owns the CSV syntax of member import and export.  The
 *	reader takes untrusted bytes with a length, never reads past it and
 *	never depends on a NUL terminator; it returns one row at a time as
 *	NUL-terminated copies of its fields, with the line number the row
 *	starts on (a quoted field may span lines).  The syntax is RFC 4180
 *	with the usual relaxations: a line ends in CRLF or LF, the last line
 *	may lack its line end, and a UTF-8 byte order mark at the very start
 *	is skipped.  It is strict where a reader could be misled: a quote
 *	inside an unquoted field, text after a closing quote, a quoted field
 *	still open at the end, a CR not followed by LF outside quotes and a
 *	NUL byte anywhere are errors.  An empty line is a row of one empty
 *	field; nothing after the last line end is not a row.
 *
 *	Every size is capped (struct csv_limits); passing a cap is an error
 *	that names the line.  Errors are one line, "line N: what", owned by
 *	the reader and valid until its next call.
 *
 *	The writer quotes a field only when it must: when it holds a comma,
 *	a quote, CR or LF, begins or ends with a space or a tab, or begins
 *	with a byte order mark (which a reader would skip).  Rows end in
 *	CRLF, as RFC 4180 says.  Reading what the writer wrote gives back
 *	the same fields.
 *
 *	No function keeps state outside its reader: all are thread-safe.
 */
#ifndef SEALIST_CSV_H
#define SEALIST_CSV_H

#include <stddef.h>

#include "buf/buf.h"
#include "sealist_limits.h"

/* The default caps; sealist_limits.h says why each is what it is. */
#define CSV_FIELD_MAX		LIMIT_CSV_FIELD
#define CSV_FIELDS_MAX		LIMIT_CSV_FIELDS
#define CSV_LINE_MAX		LIMIT_CSV_LINE
#define CSV_ROWS_MAX		LIMIT_CSV_ROWS

struct csv_limits {
	size_t	field_max;	/* bytes in one field, after unquoting */
	size_t	fields_max;	/* fields in one row */
	size_t	line_max;	/* bytes in one physical line, line end excluded */
	size_t	rows_max;	/* rows in the input, a header row included */
};

/* One row; valid until the next csv_reader_next or csv_reader_deinit. */
struct csv_row {
	size_t	line;		/* 1-based line the row starts on */
	size_t	count;		/* fields, at least 1 */
	char  **fields;		/* count NUL-terminated strings, no NUL inside */
	size_t *lens;		/* their lengths */
};

struct csv_reader;

/*
 * A reader over data[0..len), which must stay unchanged until deinit.
 * limits NULL means the CSV_* defaults.  Returns 0, or -1 when out of
 * memory (*error_r then says so; static text).
 */
extern int csv_reader_init(struct csv_reader **r_r, const void *data, size_t len,
			   const struct csv_limits *limits, const char **error_r);

/*
 * The next row into *row_r: 1.  0 at the end of the input.  -1 with
 * *error_r ("line 12: ...") on malformed input, a passed cap or no
 * memory; every later call returns -1 again with the same error.
 */
extern int csv_reader_next(struct csv_reader *, const struct csv_row **row_r,
			   const char **error_r);

/* Free the reader and set *r to NULL; NULL is fine. */
extern void csv_reader_deinit(struct csv_reader **r);

/*
 * Append one row of n fields (field i is f[i][0..len[i]); len NULL means
 * strlen) to out, ending in CRLF.  0, or -1 when out's maximum or memory
 * is reached (out's sticky error is then set).
 */
extern int csv_write_row(struct buf *out, const char *const *f, const size_t *len, size_t n);

/* Nonzero when the writer would quote the field. */
extern int csv_needs_quotes(const char *f, size_t len);

#endif
