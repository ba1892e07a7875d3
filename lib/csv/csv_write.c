/*
 * NAME
 *	csv_write 3
 * SUMMARY
 *	the CSV writer: fields quoted only where they must be
 * DESCRIPTION
 *	See csv.h.  Spaces at either end are quoted because many readers
 *	(spreadsheets among them) trim unquoted fields; a leading byte
 *	order mark is quoted because csv_read skips one at the start.
 */
#include <string.h>

#include "csv/csv.h"

int csv_needs_quotes(const char *f, size_t len)
{
	const unsigned char *u = (const unsigned char *) f;
	size_t	i;

	if (len == 0)
		return 0;
	if (u[0] == ' ' || u[0] == '\t' || u[len - 1] == ' ' || u[len - 1] == '\t')
		return 1;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 1;
	for (i = 0; i < len; i++)
		if (u[i] == ',' || u[i] == '"' || u[i] == '\r' || u[i] == '\n')
			return 1;
	return 0;
}

static void csv_write_field(struct buf *out, const char *f, size_t len)
{
	const char *q;
	size_t	n;

	if (!csv_needs_quotes(f, len)) {
		buf_append(out, f, len);
		return;
	}
	buf_append_byte(out, '"');
	/* Each quote is written twice: copy up to and including it, then one more. */
	while (len > 0 && (q = memchr(f, '"', len)) != NULL) {
		n = (size_t) (q - f) + 1;
		buf_append(out, f, n);
		buf_append_byte(out, '"');
		f += n;
		len -= n;
	}
	buf_append(out, f, len);
	buf_append_byte(out, '"');
}

int csv_write_row(struct buf *out, const char *const *f, const size_t *len, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_append_byte(out, ',');
		csv_write_field(out, f[i], len ? len[i] : strlen(f[i]));
	}
	/* A row of one empty field is an empty line, which reads back the same. */
	buf_append(out, "\r\n", 2);
	return buf_failed(out) ? -1 : 0;
}
