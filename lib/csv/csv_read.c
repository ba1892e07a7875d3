/*
 * NAME
 *	csv_read 3
 * SUMMARY
 *	the CSV reader: rows of fields from untrusted bytes, capped
 * DESCRIPTION
 *	See csv.h.  The reader walks the input once; the fields of the
 *	current row are copied into one buf (each followed by a NUL), and
 *	the row's pointers are filled in only when the row is complete,
 *	because the buf may move while it grows.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv/csv.h"

struct csv_reader {
	const unsigned char *p;
	size_t	len;
	size_t	pos;
	size_t	line;		/* the line pos is on, 1-based */
	size_t	line_start;	/* where that line begins */
	size_t	rows;		/* rows returned so far */
	struct csv_limits lim;
	struct buf data;	/* the current row's fields, NUL after each */
	size_t *offs;		/* where each field starts in data */
	size_t *lens;
	char  **fields;
	size_t	cap;		/* entries allocated in offs, lens, fields */
	struct csv_row row;
	struct buf err;
	int	failed;
};

/* Sets the sticky error; returns -1. */
static int csv_fail(struct csv_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int csv_fail(struct csv_reader *r, const char *fmt, ...)
{
	va_list	ap;

	buf_reset(&r->err);
	buf_printf(&r->err, "line %zu: ", r->line);
	va_start(ap, fmt);
	buf_vprintf(&r->err, fmt, ap);
	va_end(ap);
	r->failed = 1;
	return -1;
}

int csv_reader_init(struct csv_reader **r_r, const void *data, size_t len,
		    const struct csv_limits *limits, const char **error_r)
{
	static const struct csv_limits defaults = {
		CSV_FIELD_MAX, CSV_FIELDS_MAX, CSV_LINE_MAX, CSV_ROWS_MAX
	};
	struct csv_reader *r;
	size_t	row_max;

	if ((*r_r = r = calloc(1, sizeof(*r))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	r->p = data;
	r->len = data == NULL ? 0 : len;
	r->lim = limits ? *limits : defaults;
	if (r->lim.fields_max == 0)
		r->lim.fields_max = 1;
	/* A row is at most fields_max fields, each with its NUL. */
	if (r->lim.field_max >= SIZE_MAX / 2 / r->lim.fields_max)
		row_max = SIZE_MAX / 2;
	else
		row_max = r->lim.fields_max * (r->lim.field_max + 1);
	buf_init(&r->data, row_max);
	buf_init(&r->err, 512);
	r->line = 1;
	/* A byte order mark says "UTF-8" and nothing else. */
	if (r->len >= 3 && r->p[0] == 0xEF && r->p[1] == 0xBB && r->p[2] == 0xBF)
		r->pos = 3;
	r->line_start = r->pos;
	return 0;
}

void csv_reader_deinit(struct csv_reader **rp)
{
	struct csv_reader *r = *rp;

	if (r == NULL)
		return;
	buf_free(&r->data);
	buf_free(&r->err);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	free(r);
	*rp = NULL;
}

/* Room for one more field in the row's arrays. */
static int csv_grow(struct csv_reader *r, size_t count)
{
	size_t	cap;
	void   *p;

	if (count < r->cap)
		return 0;
	cap = r->cap ? r->cap * 2 : 8;
	if (cap > r->lim.fields_max)
		cap = r->lim.fields_max;
	if ((p = realloc(r->offs, cap * sizeof(*r->offs))) == NULL)
		return -1;
	r->offs = p;
	if ((p = realloc(r->lens, cap * sizeof(*r->lens))) == NULL)
		return -1;
	r->lens = p;
	if ((p = realloc(r->fields, cap * sizeof(*r->fields))) == NULL)
		return -1;
	r->fields = p;
	r->cap = cap;
	return 0;
}

/* After a line feed at pos - 1. */
static void csv_newline(struct csv_reader *r)
{
	r->line++;
	r->line_start = r->pos;
}

/* The current line may not pass line_max once pos has moved past n bytes of it. */
static int csv_check_line(struct csv_reader *r)
{
	if (r->pos - r->line_start > r->lim.line_max)
		return csv_fail(r, "line longer than %zu bytes", r->lim.line_max);
	return 0;
}

static int csv_append(struct csv_reader *r, size_t off, const unsigned char *s, size_t n)
{
	if (r->data.len - off + n > r->lim.field_max)
		return csv_fail(r, "field longer than %zu bytes", r->lim.field_max);
	if (buf_append(&r->data, s, n) < 0)
		return csv_fail(r, "%s", buf_strerror(&r->data));
	return 0;
}

/* A quoted field, pos on its opening quote; leaves pos after the closing one. */
static int csv_quoted(struct csv_reader *r, size_t off)
{
	size_t	opened = r->line;
	unsigned char c;

	r->pos++;
	for (;;) {
		if (r->pos >= r->len) {
			if (opened == r->line)
				return csv_fail(r, "quoted field not closed");
			return csv_fail(r, "quoted field opened on line %zu not closed", opened);
		}
		c = r->p[r->pos++];
		if (c == '"') {
			if (r->pos < r->len && r->p[r->pos] == '"')
				r->pos++;
			else
				return csv_check_line(r);
		} else if (c == 0) {
			return csv_fail(r, "NUL byte");
		}
		if (csv_append(r, off, &c, 1) < 0)
			return -1;
		if (c == '\n')
			csv_newline(r);
		else if (c != '\r' && csv_check_line(r) < 0)
			return -1;
	}
}

/* An unquoted field: up to a comma, a line end or the end of the input. */
static int csv_unquoted(struct csv_reader *r, size_t off)
{
	size_t	start = r->pos;
	unsigned char c;

	while (r->pos < r->len) {
		c = r->p[r->pos];
		if (c == ',' || c == '\n' || c == '\r')
			break;
		if (c == '"')
			return csv_fail(r, "quote inside an unquoted field (quote the whole field)");
		if (c == 0)
			return csv_fail(r, "NUL byte");
		r->pos++;
	}
	if (csv_check_line(r) < 0)
		return -1;
	return csv_append(r, off, r->p + start, r->pos - start);
}

/*
 * After a field: 1 for a comma (another field follows), 0 at the end of
 * the row, -1 on error.
 */
static int csv_separator(struct csv_reader *r)
{
	unsigned char c;

	if (r->pos >= r->len)
		return 0;
	c = r->p[r->pos];
	if (c == ',') {
		r->pos++;
		return 1;
	}
	if (c == '\n') {
		r->pos++;
		csv_newline(r);
		return 0;
	}
	if (c == '\r' && r->pos + 1 < r->len && r->p[r->pos + 1] == '\n') {
		r->pos += 2;
		csv_newline(r);
		return 0;
	}
	if (c == '\r')
		return csv_fail(r, "CR not followed by LF");
	return csv_fail(r, "text after the closing quote of a field");
}

static int csv_row_fields(struct csv_reader *r)
{
	size_t	count = 0;
	size_t	off;
	size_t	i;
	int	more;

	buf_reset(&r->data);
	do {
		if (count >= r->lim.fields_max)
			return csv_fail(r, "more than %zu fields in a row", r->lim.fields_max);
		if (csv_grow(r, count) < 0)
			return csv_fail(r, "out of memory");
		off = r->data.len;
		if ((r->pos < r->len && r->p[r->pos] == '"' ? csv_quoted(r, off)
		     : csv_unquoted(r, off)) < 0)
			return -1;
		r->offs[count] = off;
		r->lens[count] = r->data.len - off;
		count++;
		if (buf_append_byte(&r->data, 0) < 0)
			return csv_fail(r, "%s", buf_strerror(&r->data));
	} while ((more = csv_separator(r)) == 1);
	if (more < 0)
		return -1;
	for (i = 0; i < count; i++)
		r->fields[i] = (char *) r->data.data + r->offs[i];
	r->row.count = count;
	r->row.fields = r->fields;
	r->row.lens = r->lens;
	return 0;
}

int csv_reader_next(struct csv_reader *r, const struct csv_row **row_r,
		    const char **error_r)
{
	*row_r = NULL;
	if (r->failed) {
		*error_r = buf_str(&r->err);
		return -1;
	}
	if (r->pos >= r->len)
		return 0;
	if (r->rows >= r->lim.rows_max) {
		csv_fail(r, "more than %zu rows", r->lim.rows_max);
		*error_r = buf_str(&r->err);
		return -1;
	}
	r->row.line = r->line;
	if (csv_row_fields(r) < 0) {
		*error_r = buf_str(&r->err);
		return -1;
	}
	r->rows++;
	*row_r = &r->row;
	return 1;
}
