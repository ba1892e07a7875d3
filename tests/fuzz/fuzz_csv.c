/*
 * NAME
 *	fuzz_csv 1
 * SUMMARY
 *	libFuzzer target for lib/csv
 * DESCRIPTION
 *	The input is read twice: with the default caps and with tiny ones
 *	(so that every cap is reached).  Checked for each row: line numbers
 *	never go down and stay within the input's line count, the field
 *	count is between 1 and the cap, every field is within its cap,
 *	NUL-terminated at its length with no NUL inside.  Then the rows read
 *	with the default caps are written with csv_write_row and read again:
 *	the fields must come back the same.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "csv/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_row(const struct csv_row *row, const struct csv_limits *lim,
		      size_t *last_line, size_t lines)
{
	size_t	i;

	if (row->line < *last_line || row->line > lines || row->count == 0
	    || row->count > lim->fields_max)
		abort();
	*last_line = row->line;
	for (i = 0; i < row->count; i++)
		if (row->lens[i] > lim->field_max || row->fields[i][row->lens[i]] != 0
		    || memchr(row->fields[i], 0, row->lens[i]) != NULL)
			abort();
}

/* Read all rows; with out, write them there too.  Returns the row count. */
static size_t read_rows(const uint8_t *data, size_t size, const struct csv_limits *lim,
			struct buf *out)
{
	struct csv_reader *r;
	const struct csv_row *row;
	const char *err;
	size_t	lines = 1, last = 1, rows = 0, i;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (csv_reader_init(&r, data, size, lim, &err) < 0)
		abort();
	while (csv_reader_next(r, &row, &err) == 1) {
		check_row(row, lim, &last, lines);
		rows++;
		if (out != NULL && csv_write_row(out, (const char *const *) row->fields,
						 row->lens, row->count) < 0)
			abort();
	}
	if (row != NULL)
		abort();
	csv_reader_deinit(&r);
	return rows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct csv_limits big = {CSV_FIELD_MAX, CSV_FIELDS_MAX, CSV_LINE_MAX, CSV_ROWS_MAX};
	const struct csv_limits tiny = {3, 3, 8, 4};
	/* Written rows may be longer than the input (quotes), never past the caps. */
	const struct csv_limits again = {CSV_FIELD_MAX, CSV_FIELDS_MAX, SIZE_MAX / 4, CSV_ROWS_MAX};
	struct buf w1, w2;
	size_t	n1, n2;

	(void) read_rows(data, size, &tiny, NULL);
	buf_init(&w1, 4 * size + 1024);
	buf_init(&w2, 4 * size + 1024);
	n1 = read_rows(data, size, &big, &w1);
	n2 = read_rows(w1.data, w1.len, &again, &w2);
	/* The rewritten text is canonical: writing it again changes nothing. */
	if (n1 != n2 || w1.len != w2.len || (w1.len > 0 && memcmp(w1.data, w2.data, w1.len) != 0))
		abort();
	buf_free(&w1);
	buf_free(&w2);
	return 0;
}
