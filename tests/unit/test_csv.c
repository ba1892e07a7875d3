/*
 * NAME
 *	test_csv 1
 * SUMMARY
 *	unit tests for lib/csv: the reader, its caps, the writer, round trips
 * DESCRIPTION
 *	Each input is copied into a buffer of exactly its length, so a read
 *	past the end shows under valgrind or ASan.  Rows are compared as one
 *	string: "LINE:field|field;" per row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "csv/csv.h"
#include "tap.h"

struct read_case {
	const char *what;
	const char *in;
	size_t	len;			/* 0: strlen(in) */
	struct csv_limits lim;		/* all 0: the defaults */
	const char *want_rows;		/* the rows read before the end or the error */
	const char *want_error;		/* NULL: the input ends cleanly */
};

#define NOLIM	{0, 0, 0, 0}

static const struct read_case read_cases[] = {
	{"two rows with LF", "a,b\nc,d\n", 0, NOLIM, "1:a|b;2:c|d;", NULL},
	{"two rows with CRLF", "a,b\r\nc,d\r\n", 0, NOLIM, "1:a|b;2:c|d;", NULL},
	{"mixed line ends", "a\r\nb\nc\r\n", 0, NOLIM, "1:a;2:b;3:c;", NULL},
	{"last line without a line end", "a,b\nc", 0, NOLIM, "1:a|b;2:c;", NULL},
	{"empty input has no rows", "", 0, NOLIM, "", NULL},
	{"a lone line end is one empty row", "\n", 0, NOLIM, "1:;", NULL},
	{"an empty line in the middle is an empty row", "a\n\nb\n", 0, NOLIM,
	 "1:a;2:;3:b;", NULL},
	{"trailing comma gives an empty last field", "a,\n", 0, NOLIM, "1:a|;", NULL},
	{"comma at the end of the input", "a,", 0, NOLIM, "1:a|;", NULL},
	{"quoted field with a comma", "\"x,y\",z\n", 0, NOLIM, "1:x,y|z;", NULL},
	{"doubled quotes are one quote", "\"say \"\"hi\"\"\",b\n", 0, NOLIM,
	 "1:say \"hi\"|b;", NULL},
	{"empty quoted field", "\"\",x\n", 0, NOLIM, "1:|x;", NULL},
	{"quoted field spanning lines keeps the row's first line",
	 "a,\"l1\nl2\nl3\"\nb\n", 0, NOLIM, "1:a|l1\nl2\nl3;4:b;", NULL},
	{"quoted CRLF is kept", "\"x\r\ny\"\r\nz\r\n", 0, NOLIM, "1:x\r\ny;3:z;", NULL},
	{"byte order mark at the start is skipped", "\xEF\xBB\xBF" "address,name\n", 0, NOLIM,
	 "1:address|name;", NULL},
	{"byte order mark elsewhere is data", "a\n\xEF\xBB\xBF" "b\n", 0, NOLIM,
	 "1:a;2:\xEF\xBB\xBF" "b;", NULL},
	{"only a byte order mark", "\xEF\xBB\xBF", 0, NOLIM, "", NULL},
	{"spaces are kept", " a , b \n", 0, NOLIM, "1: a | b ;", NULL},
	{"UTF-8 is kept", "Zo\xC3\xAB,\xE6\x97\xA5\n", 0, NOLIM, "1:Zo\xC3\xAB|\xE6\x97\xA5;", NULL},
	/* errors, with the rows before them */
	{"unclosed quote at the end", "a\n\"bc", 0, NOLIM, "1:a;",
	 "line 2: quoted field not closed"},
	{"unclosed quote names the line it opened on", "\"a\nb\nc", 0, NOLIM, "",
	 "line 3: quoted field opened on line 1 not closed"},
	{"quote inside an unquoted field", "ok\na\"b\n", 0, NOLIM, "1:ok;",
	 "line 2: quote inside an unquoted field"},
	{"text after a closing quote", "\"a\"b\n", 0, NOLIM, "", "line 1: text after the closing quote"},
	{"bare CR", "a\rb\n", 0, NOLIM, "", "line 1: CR not followed by LF"},
	{"CR at the very end", "a\r", 0, NOLIM, "", "line 1: CR not followed by LF"},
	{"NUL in an unquoted field", "a\nb\0c\n", 6, NOLIM, "1:a;", "line 2: NUL byte"},
	{"NUL in a quoted field", "\"b\0c\"\n", 6, NOLIM, "", "line 1: NUL byte"},
	{"field at the cap", "abc\n", 0, {3, 8, 100, 100}, "1:abc;", NULL},
	{"field over the cap", "x\nabcd\n", 0, {3, 8, 100, 100}, "1:x;",
	 "line 2: field longer than 3 bytes"},
	{"quoted field over the cap", "\"ab\"\"c\"\n", 0, {3, 8, 100, 100}, "",
	 "line 1: field longer than 3 bytes"},
	{"fields at the cap", "a,b\n", 0, {10, 2, 100, 100}, "1:a|b;", NULL},
	{"fields over the cap", "a,b,c\n", 0, {10, 2, 100, 100}, "",
	 "line 1: more than 2 fields in a row"},
	{"line at the cap", "abcde\n", 0, {100, 8, 5, 100}, "1:abcde;", NULL},
	{"line over the cap", "abcdef\n", 0, {100, 8, 5, 100}, "", "line 1: line longer than 5 bytes"},
	{"line over the cap with quotes", "\"abcd\",\n", 0, {100, 8, 5, 100}, "",
	 "line 1: line longer than 5 bytes"},
	{"each line of a multi-line field under the cap", "\"abcd\nabcd\"\n", 0, {100, 8, 5, 100},
	 "1:abcd\nabcd;", NULL},
	{"second line of a multi-line field over the cap", "\"ab\nabcdef\"\n", 0, {100, 8, 5, 100},
	 "", "line 2: line longer than 5 bytes"},
	{"rows at the cap", "a\nb\n", 0, {100, 8, 100, 2}, "1:a;2:b;", NULL},
	{"rows over the cap", "a\nb\nc\n", 0, {100, 8, 100, 2}, "1:a;2:b;", "line 3: more than 2 rows"},
};

/* Read every row of in[0..len) into "LINE:f|f;" form; the error, if any, into err. */
static int read_all(const char *in, size_t len, const struct csv_limits *lim,
		    struct buf *rows, struct buf *err)
{
	struct csv_reader *r;
	const struct csv_row *row;
	const char *error;
	char   *copy;
	size_t	i;
	int	rc;

	/* Exactly len bytes: nothing to read past. */
	if ((copy = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(copy, in, len);
	if (csv_reader_init(&r, copy, len, lim, &error) < 0) {
		free(copy);
		return -1;
	}
	while ((rc = csv_reader_next(r, &row, &error)) == 1) {
		buf_printf(rows, "%zu:", row->line);
		for (i = 0; i < row->count; i++) {
			if (i > 0)
				buf_append_byte(rows, '|');
			buf_append(rows, row->fields[i], row->lens[i]);
		}
		buf_append_byte(rows, ';');
	}
	if (rc < 0) {
		buf_append_str(err, error);
		/* The error sticks. */
		if (csv_reader_next(r, &row, &error) != -1 || strcmp(error, buf_str(err)) != 0)
			buf_append_str(err, " (not sticky)");
	}
	csv_reader_deinit(&r);
	free(copy);
	return rc;
}

static void test_read(void)
{
	size_t	i;

	for (i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]); i++) {
		const struct read_case *c = &read_cases[i];
		const struct csv_limits *lim = c->lim.field_max ? &c->lim : NULL;
		struct buf rows, err;
		int	rc;

		buf_init(&rows, 1 << 20);
		buf_init(&err, 1024);
		rc = read_all(c->in, c->len ? c->len : strlen(c->in), lim, &rows, &err);
		tap_str(buf_str(&rows), c->want_rows, c->what);
		if (c->want_error == NULL) {
			tap_int(rc, 0, c->what);
		} else if (!tap_ok(rc == -1 && strncmp(buf_str(&err), c->want_error,
							strlen(c->want_error)) == 0,
				   "%s: error", c->what)) {
			tap_diag("want \"%s...\", got \"%s\"", c->want_error, buf_str(&err));
		}
		buf_free(&rows);
		buf_free(&err);
	}
}

/* Every prefix of a busy input: no crash, no read past its end (valgrind). */
static void test_prefixes(void)
{
	static const char in[] = "\xEF\xBB\xBF" "a,\"b\"\"c\r\nd\",e\r\n\"\",f,\n\"x\"";
	struct buf rows, err;
	size_t	n;
	int	bad = 0;

	for (n = 0; n <= sizeof(in) - 1; n++) {
		buf_init(&rows, 1 << 16);
		buf_init(&err, 1024);
		if (read_all(in, n, NULL, &rows, &err) < 0 && err.len == 0)
			bad++;
		buf_free(&rows);
		buf_free(&err);
	}
	tap_int(bad, 0, "every prefix reads to a clean end or an error message");
}

struct write_case {
	const char *what;
	const char *f[4];		/* NULL ends */
	const char *want;
};

static const struct write_case write_cases[] = {
	{"plain fields are not quoted", {"a", "b", NULL}, "a,b\r\n"},
	{"a comma is quoted", {"x,y", "z", NULL}, "\"x,y\",z\r\n"},
	{"quotes are doubled", {"say \"hi\"", NULL}, "\"say \"\"hi\"\"\"\r\n"},
	{"a lone quote", {"\"", NULL}, "\"\"\"\"\r\n"},
	{"leading space is quoted", {" lead", NULL}, "\" lead\"\r\n"},
	{"trailing space is quoted", {"trail ", NULL}, "\"trail \"\r\n"},
	{"inner space is not quoted", {"mid dle", NULL}, "mid dle\r\n"},
	{"LF is quoted", {"l1\nl2", NULL}, "\"l1\nl2\"\r\n"},
	{"CR is quoted", {"cr\r", NULL}, "\"cr\r\"\r\n"},
	{"one empty field is an empty line", {"", NULL}, "\r\n"},
	{"two empty fields", {"", "", NULL}, ",\r\n"},
	{"UTF-8 is not quoted", {"Zo\xC3\xAB", NULL}, "Zo\xC3\xAB\r\n"},
	{"a leading byte order mark is quoted", {"\xEF\xBB\xBFx", NULL}, "\"\xEF\xBB\xBFx\"\r\n"},
};

static void test_write(void)
{
	size_t	i, n;

	for (i = 0; i < sizeof(write_cases) / sizeof(write_cases[0]); i++) {
		const struct write_case *c = &write_cases[i];
		struct buf out, rows, err, want;

		for (n = 0; c->f[n] != NULL; n++)
			;
		buf_init(&out, 1024);
		tap_int(csv_write_row(&out, c->f, NULL, n), 0, c->what);
		tap_str(buf_str(&out), c->want, c->what);
		/* Read back: the same fields. */
		buf_init(&rows, 1024);
		buf_init(&err, 1024);
		buf_init(&want, 1024);
		buf_append_str(&want, "1:");
		for (n = 0; c->f[n] != NULL; n++)
			buf_printf(&want, "%s%s", n ? "|" : "", c->f[n]);
		buf_append_byte(&want, ';');
		read_all((const char *) out.data, out.len, NULL, &rows, &err);
		tap_str(buf_str(&rows), buf_str(&want), "read back");
		buf_free(&out);
		buf_free(&rows);
		buf_free(&err);
		buf_free(&want);
	}
}

static void test_write_limit(void)
{
	struct buf out;
	const char *f[] = {"abcd"};

	buf_init(&out, 4);
	tap_int(csv_write_row(&out, f, NULL, 1), -1, "writing past the buffer's maximum fails");
	buf_free(&out);
}

int main(void)
{
	test_read();
	test_prefixes();
	test_write();
	test_write_limit();
	return tap_done();
}
