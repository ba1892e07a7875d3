/*
 * NAME
 *	test_msg 1
 * SUMMARY
 *	unit tests for lib/msg
 * DESCRIPTION
 *	Table rows of {what, input, expected}: field iteration, find, the
 *	edits with their exact output bytes, insert validation, body append,
 *	every limit (inputs generated here, never stored), every prefix of a
 *	message, and the round-trip corpus in tests/data/msg.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf/buf.h"
#include "sealist_limits.h"
#include "msg/msg.h"
#include "tap.h"

#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_FIELDS	6

/* Serialize m into b (reset first); returns what msg_serialize did. */
static int serialize(const struct msg *m, struct buf *b)
{
	buf_reset(b);
	return msg_serialize(m, b);
}

/* Parse, check that serialize gives the input back; returns the msg. */
static struct msg *parse_identity(const void *data, size_t len,
				  const char *what)
{
	struct msg *m;
	const char *error = NULL;
	struct buf out;

	if (!tap_ok(msg_parse(&m, data, len, &error) == 0, "%s: parses (%s)",
		    what, error ? error : "ok"))
		return NULL;
	buf_init(&out, LIMIT_MESSAGE_SIZE);
	tap_int(serialize(m, &out), 0, what);
	tap_mem(out.data, out.len, data, len, what);
	tap_int((long long) msg_size(m), (long long) len, what);
	buf_free(&out);
	return m;
}

/* Field iteration. */

struct field_case {
	const char *what;
	const char *input;
	size_t	count;
	const char *names[MAX_FIELDS];	/* NULL: malformed entry */
	const char *values[MAX_FIELDS];
	unsigned int flags[MAX_FIELDS];
};

static const struct field_case field_cases[] = {
	{"names and raw values, leading WSP kept", "From: a\r\nSubject:  hi \r\n\r\nb",
	 2, {"From", "Subject"}, {" a", "  hi "}, {0, 0}},
	{"folded value keeps its folding, LF", "Subject: a\n b\n\tc\nTo: x\n\n",
	 2, {"Subject", "To"}, {" a\n b\n\tc", " x"}, {0, 0}},
	{"folded value keeps its folding, CRLF", "Subject: a\r\n\tb\r\n\r\nbody",
	 1, {"Subject"}, {" a\r\n\tb"}, {0}},
	{"empty value", "X:\n\n", 1, {"X"}, {""}, {0}},
	{"colon inside the value", "A: b:c\n\n", 1, {"A"}, {" b:c"}, {0}},
	{"WSP before the colon is obs-syntax, name without it",
	 "Subject \t: x\nTo: y\n\n", 2, {"Subject", "To"}, {" x", " y"},
	 {MSG_FIELD_OBS_WSP, 0}},
	{"line without colon is a malformed entry", "A: 1\nno colon\n\n",
	 2, {"A", NULL}, {" 1", "no colon"}, {0, MSG_FIELD_MALFORMED}},
	{"name with a space is malformed", "Bad Name: x\n\n",
	 1, {NULL}, {"Bad Name: x"}, {MSG_FIELD_MALFORMED}},
	{"empty name is malformed", ": x\n\n", 1, {NULL}, {": x"}, {MSG_FIELD_MALFORMED}},
	{"8-bit byte in the name is malformed", "N\xc3\xa4me: x\n\n",
	 1, {NULL}, {"N\xc3\xa4me: x"}, {MSG_FIELD_MALFORMED}},
	{"8-bit bytes in the value are fine", "Subject: caf\xc3\xa9\n\n",
	 1, {"Subject"}, {" caf\xc3\xa9"}, {0}},
	{"leading mbox From line", "From a@b Sat Jan  1 00:00:00 2000\nFrom: a\n\n",
	 2, {NULL, "From"}, {"From a@b Sat Jan  1 00:00:00 2000", " a"},
	 {MSG_FIELD_MALFORMED | MSG_FIELD_MBOX_FROM, 0}},
	{"From with WSP before colon is a field, not mbox", "From : a\n\n",
	 1, {"From"}, {" a"}, {MSG_FIELD_OBS_WSP}},
	{"mbox From line only counts at the top", "A: 1\nFrom a@b\n\n",
	 2, {"A", NULL}, {" 1", "From a@b"}, {0, MSG_FIELD_MALFORMED}},
	{"continuation at the top is malformed and takes its continuations",
	 " x\n y\nA: 1\n\n", 2, {NULL, "A"}, {" x\n y", " 1"},
	 {MSG_FIELD_MALFORMED, 0}},
	{"malformed line takes continuation lines", "junk\n more\nA: 1\n\n",
	 2, {NULL, "A"}, {"junk\n more", " 1"}, {MSG_FIELD_MALFORMED, 0}},
	{"whitespace-only line continues the field", "A: 1\n \t\nB: 2\n\n",
	 2, {"A", "B"}, {" 1\n \t", " 2"}, {0, 0}},
	{"last line without line end", "A: 1\nB: 2",
	 2, {"A", "B"}, {" 1", " 2"}, {0, MSG_FIELD_NO_EOL}},
	{"CR alone does not end a line", "A: 1\rB: 2\r\rbody",
	 1, {"A"}, {" 1\rB: 2\r\rbody"}, {MSG_FIELD_NO_EOL}},
	{"CR CR LF: the first CR is in the value", "A: 1\r\r\n\r\n",
	 1, {"A"}, {" 1\r"}, {0}},
	{"separator only: no fields", "\n", 0, {NULL}, {NULL}, {0}},
	{"empty input: no fields", "", 0, {NULL}, {NULL}, {0}},
	{"text without header: every line malformed", "hello\nworld\n",
	 2, {NULL, NULL}, {"hello", "world"}, {MSG_FIELD_MALFORMED, MSG_FIELD_MALFORMED}},
};

static void test_fields(void)
{
	size_t	i;
	size_t	j;

	for (i = 0; i < COUNT(field_cases); i++) {
		const struct field_case *c = &field_cases[i];
		struct msg *m;

		if ((m = parse_identity(c->input, strlen(c->input), c->what)) == NULL)
			continue;
		tap_int((long long) msg_field_count(m), (long long) c->count, c->what);
		for (j = 0; j < c->count && j < msg_field_count(m); j++) {
			const struct msg_field *f = msg_field(m, j);

			if (c->names[j] == NULL)
				tap_ok(f->name == NULL && f->name_len == 0,
				       "%s: entry %zu has no name", c->what, j);
			else
				tap_mem(f->name, f->name_len, c->names[j],
					strlen(c->names[j]), c->what);
			tap_mem(f->value, f->value_len, c->values[j],
				strlen(c->values[j]), c->what);
			tap_int(f->flags, c->flags[j], c->what);
			if (j > 0) {
				const struct msg_field *p = msg_field(m, j - 1);

				tap_ok(p->raw + p->raw_len == f->raw,
				       "%s: entries %zu and %zu are adjacent",
				       c->what, j - 1, j);
			}
		}
		tap_ok(msg_field(m, msg_field_count(m)) == NULL,
		       "%s: no entry past the end", c->what);
		msg_free(m);
	}
}

/* Find, exact and case-insensitive. */

static const char find_input[] =
	"DKIM-Signature: a\n"
	"DKIM-Signature-X: b\n"
	"dkim-signature: c\n"
	"From: d\n"
	"bad line\n"
	"Subject : e\n"
	"\n";

struct find_case {
	const char *what;
	int	reverse;		/* msg_rfind with `before` = from */
	const char *name;
	size_t	from;
	long	want;
};

static const struct find_case find_cases[] = {
	{"first match", 0, "DKIM-Signature", 0, 0},
	{"case-insensitive, skips the longer name", 0, "DKIM-Signature", 1, 2},
	{"the longer name by itself", 0, "dkim-signature-x", 0, 1},
	{"never a prefix match", 0, "DKIM", 0, -1},
	{"never a longer name", 0, "DKIM-Signature-XY", 0, -1},
	{"upper-case query", 0, "FROM", 0, 3},
	{"name with WSP before its colon", 0, "subject", 0, 5},
	{"query with that WSP does not match", 0, "subject ", 0, -1},
	{"malformed lines are never found", 0, "bad line", 0, -1},
	{"malformed line start is not a name", 0, "bad", 0, -1},
	{"empty name matches nothing", 0, "", 0, -1},
	{"from past the end", 0, "From", 100, -1},
	{"from after the last match", 0, "From", 4, -1},
	{"reverse: last before the end", 1, "dkim-signature", 100, 2},
	{"reverse: last before index 2", 1, "dkim-signature", 2, 0},
	{"reverse: nothing before 0", 1, "dkim-signature", 0, -1},
	{"reverse: not a prefix", 1, "dkim", 100, -1},
};

static void test_find(void)
{
	struct msg *m;
	size_t	i;

	if ((m = parse_identity(find_input, strlen(find_input), "find input")) == NULL)
		return;
	for (i = 0; i < COUNT(find_cases); i++) {
		const struct find_case *c = &find_cases[i];
		long	got = c->reverse ? msg_rfind(m, c->name, c->from)
		    : msg_find(m, c->name, c->from);

		tap_int(got, c->want, c->what);
	}
	msg_free(m);
}

/* Edits, checked by their exact output bytes. */

enum op { OP_REMOVE, OP_INSERT, OP_INSERT_TOP, OP_REPLACE, OP_APPEND };

struct edit_case {
	const char *what;
	const char *input;
	enum op	op;
	size_t	index;
	const char *arg;
	size_t	arg_len;		/* 0: strlen(arg) */
	const char *want;		/* output; NULL: same as input */
	const char *want_error;		/* NULL: the edit succeeds */
};

static const struct edit_case edit_cases[] = {
	/* remove */
	{"remove the first field, CRLF", "A: 1\r\nB: 2\r\n\r\nbody\r\n",
	 OP_REMOVE, 0, NULL, 0, "B: 2\r\n\r\nbody\r\n", NULL},
	{"remove a folded field, LF", "A: 1\nB: 2\n x\nC: 3\n\nb\n",
	 OP_REMOVE, 1, NULL, 0, "A: 1\nC: 3\n\nb\n", NULL},
	{"remove a malformed line", "A: 1\nbad line\n\nb",
	 OP_REMOVE, 1, NULL, 0, "A: 1\n\nb", NULL},
	{"remove the unterminated last field", "A: 1\nB: 2",
	 OP_REMOVE, 1, NULL, 0, "A: 1\n", NULL},
	{"remove the only field keeps the separator", "A: 1\r\n\r\nb",
	 OP_REMOVE, 0, NULL, 0, "\r\nb", NULL},
	{"remove leaves other bytes alone, mixed ends", "A: 1\r\nB: 2\nC: 3\r\n\nb",
	 OP_REMOVE, 1, NULL, 0, "A: 1\r\nC: 3\r\n\nb", NULL},
	{"remove past the end is refused", "A: 1\n\n",
	 OP_REMOVE, 1, NULL, 0, NULL, "-"},
	/* insert */
	{"insert at the top, CRLF", "A: 1\r\n\r\nb\r\n",
	 OP_INSERT_TOP, 0, "X-List: test", 0, "X-List: test\r\nA: 1\r\n\r\nb\r\n", NULL},
	{"insert at the top, LF, CRLF folding converted", "A: 1\n\nb\n",
	 OP_INSERT_TOP, 0, "X: a\r\n b", 0, "X: a\n b\nA: 1\n\nb\n", NULL},
	{"insert into CRLF, LF folding converted", "A: 1\r\n\r\n",
	 OP_INSERT, 0, "X: a\n\tb", 0, "X: a\r\n\tb\r\nA: 1\r\n\r\n", NULL},
	{"insert at the end of the header", "A: 1\n\nb\n",
	 OP_INSERT, 1, "X: y", 0, "A: 1\nX: y\n\nb\n", NULL},
	{"insert in the middle", "A: 1\nB: 2\n\nb\n",
	 OP_INSERT, 1, "X: y", 0, "A: 1\nX: y\nB: 2\n\nb\n", NULL},
	{"one final line end in the field is ignored", "A: 1\n\n",
	 OP_INSERT, 0, "X: y\r\n", 0, "X: y\nA: 1\n\n", NULL},
	{"8-bit value accepted", "A: 1\n\n",
	 OP_INSERT, 0, "Subject: caf\xc3\xa9", 0, "Subject: caf\xc3\xa9\nA: 1\n\n", NULL},
	{"empty value accepted", "A: 1\n\n",
	 OP_INSERT, 1, "X:", 0, "A: 1\nX:\n\n", NULL},
	{"insert after an unterminated last line adds its line end", "Z: 0\nA: 1",
	 OP_INSERT, 2, "B: 2", 0, "Z: 0\nA: 1\nB: 2\n", NULL},
	{"insert before an unterminated last line", "Z: 0\nA: 1",
	 OP_INSERT, 1, "B: 2", 0, "Z: 0\nB: 2\nA: 1", NULL},
	{"top insert goes below a leading mbox From line", "From a@b Mon\nA: 1\n\nb\n",
	 OP_INSERT_TOP, 0, "X: y", 0, "From a@b Mon\nX: y\nA: 1\n\nb\n", NULL},
	{"top insert goes below a leading continuation line", " junk\nA: 1\n\n",
	 OP_INSERT_TOP, 0, "X: y", 0, " junk\nX: y\nA: 1\n\n", NULL},
	{"insert into empty input uses CRLF", "",
	 OP_INSERT_TOP, 0, "X: y", 0, "X: y\r\n", NULL},
	{"insert into a lone separator", "\n",
	 OP_INSERT_TOP, 0, "X: y", 0, "X: y\n\n", NULL},
	{"insert into a header without separator adds none", "A: 1\n",
	 OP_INSERT_TOP, 0, "X: y", 0, "X: y\nA: 1\n", NULL},
	{"insert follows the dominant line end", "A: 1\r\nB: 2\nC: 3\n\n",
	 OP_INSERT_TOP, 0, "X: y", 0, "X: y\nA: 1\r\nB: 2\nC: 3\n\n", NULL},
	{"insert position past the end", "A: 1\n\n",
	 OP_INSERT, 2, "X: y", 0, NULL, "no such field position"},
	/* insert validation */
	{"empty field refused", "A: 1\n\n", OP_INSERT, 0, "", 0, NULL,
	 "field has no colon after its name"},
	{"field without colon refused", "A: 1\n\n", OP_INSERT, 0, "X-Name", 0, NULL,
	 "field has no colon after its name"},
	{"empty name refused", "A: 1\n\n", OP_INSERT, 0, ": x", 0, NULL,
	 "field name is empty"},
	{"name with a space refused", "A: 1\n\n", OP_INSERT, 0, "Bad Name: x", 0, NULL,
	 "field name has a byte that is not printable ASCII"},
	{"WSP before the colon refused", "A: 1\n\n", OP_INSERT, 0, "X : x", 0, NULL,
	 "field name has a byte that is not printable ASCII"},
	{"8-bit name refused", "A: 1\n\n", OP_INSERT, 0, "N\xc3\xa4me: x", 0, NULL,
	 "field name has a byte that is not printable ASCII"},
	{"colon only on the second line refused", "A: 1\n\n", OP_INSERT, 0, "X\n: y", 0,
	 NULL, "field has no colon on its first line"},
	{"continuation without WSP refused", "A: 1\n\n", OP_INSERT, 0, "X: a\nb", 0, NULL,
	 "continuation line does not start with a space or tab"},
	{"empty line inside refused", "A: 1\n\n", OP_INSERT, 0, "X: a\n\n b", 0, NULL,
	 "field contains an empty line"},
	{"whitespace-only line refused", "A: 1\n\n", OP_INSERT, 0, "X: a\n  \n b", 0, NULL,
	 "field contains an empty line"},
	{"two final line ends refused", "A: 1\n\n", OP_INSERT, 0, "X: a\n\n", 0, NULL,
	 "field contains an empty line"},
	{"bare CR refused", "A: 1\n\n", OP_INSERT, 0, "X: a\rb", 0, NULL,
	 "field contains a CR that is not before LF"},
	{"final bare CR refused", "A: 1\n\n", OP_INSERT, 0, "X: a\r", 0, NULL,
	 "field contains a CR that is not before LF"},
	{"NUL refused", "A: 1\n\n", OP_INSERT, 0, "X: a\0b", 6, NULL,
	 "field contains a NUL byte"},
	/* replace */
	{"replace a folded field, CRLF", "A: 1\r\nB: 2\r\n\tfolded\r\nC: 3\r\n\r\nb",
	 OP_REPLACE, 1, "B: new", 0, "A: 1\r\nB: new\r\nC: 3\r\n\r\nb", NULL},
	{"replace with a folded field, LF", "A: 1\nB: 2\n\nb",
	 OP_REPLACE, 0, "A: x\r\n y", 0, "A: x\n y\nB: 2\n\nb", NULL},
	{"replace a malformed line with a field", "A: 1\nno colon\n\n",
	 OP_REPLACE, 1, "B: 2", 0, "A: 1\nB: 2\n\n", NULL},
	{"replace the unterminated last field gives it a line end", "A: 1\nB: 2",
	 OP_REPLACE, 1, "B: 3", 0, "A: 1\nB: 3\n", NULL},
	{"replace past the end refused", "A: 1\n\n",
	 OP_REPLACE, 1, "B: 3", 0, NULL, "no such field"},
	{"replace with a bad field leaves the old one", "A: 1\n\n",
	 OP_REPLACE, 0, "bad", 0, NULL, "field has no colon after its name"},
	/* body append */
	{"append after a separator", "A: 1\n\nbody\n",
	 OP_APPEND, 0, "-- \nfooter\n", 0, "A: 1\n\nbody\n-- \nfooter\n", NULL},
	{"append without separator adds one, LF", "A: 1\n",
	 OP_APPEND, 0, "footer\n", 0, "A: 1\n\nfooter\n", NULL},
	{"append without separator adds one, CRLF", "A: 1\r\n",
	 OP_APPEND, 0, "footer\r\n", 0, "A: 1\r\n\r\nfooter\r\n", NULL},
	{"append to an unterminated header ends it first", "Z: 0\nA: 1",
	 OP_APPEND, 0, "f", 0, "Z: 0\nA: 1\n\nf", NULL},
	{"append joins an unterminated body line as given", "A: 1\n\nbody",
	 OP_APPEND, 0, "tail\n", 0, "A: 1\n\nbodytail\n", NULL},
	{"append to empty input", "",
	 OP_APPEND, 0, "x", 0, "\r\nx", NULL},
	{"append nothing adds no separator", "A: 1\n",
	 OP_APPEND, 0, "", 0, "A: 1\n", NULL},
	{"append keeps NUL bytes", "A: 1\n\n",
	 OP_APPEND, 0, "a\0b", 3, NULL, NULL},
};

static int do_edit(struct msg *m, const struct edit_case *c, const char **error)
{
	size_t	len = c->arg_len ? c->arg_len : c->arg ? strlen(c->arg) : 0;

	switch (c->op) {
	case OP_REMOVE:
		return msg_remove(m, c->index);
	case OP_INSERT:
		return msg_insert(m, c->index, c->arg, len, error);
	case OP_INSERT_TOP:
		return msg_insert_top(m, c->arg, len, error);
	case OP_REPLACE:
		return msg_replace(m, c->index, c->arg, len, error);
	case OP_APPEND:
		return msg_body_append(m, c->arg, len, error);
	}
	return -1;
}

static void test_edits(void)
{
	struct buf out;
	size_t	i;

	buf_init(&out, LIMIT_MESSAGE_SIZE);
	for (i = 0; i < COUNT(edit_cases); i++) {
		const struct edit_case *c = &edit_cases[i];
		const char *want = c->want ? c->want : c->input;
		size_t	want_len = strlen(want);
		const char *error = NULL;
		struct msg *m;
		struct msg *again;
		int	ret;

		if (c->op == OP_APPEND && c->want == NULL && c->want_error == NULL) {
			/* Binary append: input then the bytes. */
			static char bin[64];

			memcpy(bin, c->input, strlen(c->input));
			memcpy(bin + strlen(c->input), c->arg, c->arg_len);
			want = bin;
			want_len = strlen(c->input) + c->arg_len;
		}
		if (msg_parse(&m, c->input, strlen(c->input), &error) < 0) {
			tap_ok(0, "%s: parse", c->what);
			continue;
		}
		ret = do_edit(m, c, &error);
		if (c->want_error != NULL) {
			tap_int(ret, -1, c->what);
			if (c->op != OP_REMOVE)
				tap_str(error, c->want_error, c->what);
		} else {
			tap_ok(ret == 0, "%s: succeeds (%s)", c->what,
			       ret == 0 ? "ok" : error);
		}
		tap_int(serialize(m, &out), 0, c->what);
		tap_mem(out.data, out.len, want, want_len, c->what);
		tap_int((long long) msg_size(m), (long long) want_len, c->what);
		/* The result parses again to the same bytes. */
		if (msg_parse(&again, out.data, out.len, &error) == 0) {
			struct buf out2;

			buf_init(&out2, LIMIT_MESSAGE_SIZE);
			msg_serialize(again, &out2);
			tap_mem(out2.data, out2.len, out.data, out.len, c->what);
			buf_free(&out2);
			msg_free(again);
		} else {
			tap_ok(0, "%s: result parses again", c->what);
		}
		msg_free(m);
	}
	buf_free(&out);
}

/* Values of inserted fields, separator state, several edits in a row. */
static void test_edit_details(void)
{
	struct msg *m;
	const struct msg_field *f;
	const char *error;
	struct buf out;
	size_t	len;
	const unsigned char *body;
	static const char in[] = "From: a\r\nDKIM-Signature: x\r\n y\r\nSubject: s\r\n";

	buf_init(&out, LIMIT_MESSAGE_SIZE);
	if (msg_parse(&m, in, strlen(in), &error) < 0) {
		tap_ok(0, "details: parse");
		return;
	}
	tap_int(msg_eol(m), MSG_EOL_CRLF, "CRLF message has CRLF convention");
	tap_str(msg_eol_str(m), "\r\n", "eol string");
	tap_int(msg_has_separator(m), 0, "no separator in input");
	tap_int(msg_insert_top(m, "X-A: one\n two", 13, &error), 0, "insert folded");
	f = msg_field(m, 0);
	tap_mem(f->name, f->name_len, "X-A", 3, "inserted name");
	tap_mem(f->value, f->value_len, " one\r\n two", 10, "inserted value, converted");
	tap_mem(f->raw, f->raw_len, "X-A: one\r\n two\r\n", 16, "inserted raw");
	tap_int(msg_remove(m, (size_t) msg_find(m, "dkim-signature", 0)), 0,
		"remove the signature by name");
	tap_int(msg_replace(m, (size_t) msg_find(m, "subject", 0), "Subject: [list] s",
			    17, &error), 0, "replace subject");
	tap_int(msg_body_append(m, "hi\r\n", 4, &error), 0, "append body");
	tap_int(msg_has_separator(m), 1, "separator once the body is non-empty");
	body = msg_body(m, &len);
	tap_mem(body, len, "hi\r\n", 4, "body after append");
	f = msg_field(m, 1);
	tap_mem(f->name, f->name_len, "From", 4, "input field still readable after append");
	tap_mem(f->value, f->value_len, " a", 2, "its value too");
	tap_int(msg_body_append(m, "more\r\n", 6, &error), 0, "append again");
	msg_serialize(m, &out);
	tap_mem(out.data, out.len,
		"X-A: one\r\n two\r\nFrom: a\r\nSubject: [list] s\r\n\r\nhi\r\nmore\r\n",
		56, "several edits, one output");
	/* serialize appends to what is in the buffer */
	buf_reset(&out);
	buf_append_str(&out, ">");
	msg_serialize(m, &out);
	tap_int(out.data[0] == '>' && out.len == 57, 1, "serialize appends");
	buf_free(&out);
	buf_init(&out, 10);
	tap_int(msg_serialize(m, &out), -1, "serialize into a small buf fails");
	tap_int(buf_failed(&out), 1, "and the buf error sticks");
	buf_free(&out);
	msg_free(m);
	msg_free(NULL);

	/* line-end convention */
	{
		static const struct {
			const char *what, *input;
			enum msg_eol want;
		} eols[] = {
			{"LF header", "A: 1\n\n", MSG_EOL_LF},
			{"CRLF header", "A: 1\r\n\r\n", MSG_EOL_CRLF},
			{"more LF than CRLF", "A: 1\r\nB: 2\nC: 3\n", MSG_EOL_LF},
			{"tie: the first one", "A: 1\nB: 2\r\n", MSG_EOL_LF},
			{"only the header votes", "A: 1\r\n\r\nx\ny\nz\n", MSG_EOL_CRLF},
			{"no line end at all: CRLF", "A: 1", MSG_EOL_CRLF},
			{"empty input: CRLF", "", MSG_EOL_CRLF},
		};
		size_t	i;

		for (i = 0; i < COUNT(eols); i++) {
			if (msg_parse(&m, eols[i].input, strlen(eols[i].input), &error) < 0)
				continue;
			tap_int(msg_eol(m), eols[i].want, eols[i].what);
			msg_free(m);
		}
	}
}

/* Limits: all inputs generated here. */

static void check_refused(const void *data, size_t len, const char *want,
			  const char *what)
{
	struct msg *m = NULL;
	const char *error = NULL;

	tap_int(msg_parse(&m, data, len, &error), -1, what);
	tap_str(error, want, what);
	tap_ok(m == NULL, "%s: no msg", what);
}

static void check_accepted(const void *data, size_t len, size_t fields,
			   const char *what)
{
	struct msg *m = parse_identity(data, len, what);

	if (m != NULL) {
		tap_int((long long) msg_field_count(m), (long long) fields, what);
		msg_free(m);
	}
}

/* "X: vvv...v\n" fields of total size total (>= 4) into p. */
static size_t fill_header(unsigned char *p, size_t total, size_t fields)
{
	size_t	off = 0;
	size_t	i;

	for (i = 0; i < fields; i++) {
		size_t	each = (total - off) / (fields - i);

		memcpy(p + off, "X:", 2);
		memset(p + off + 2, 'v', each - 3);
		p[off + each - 1] = '\n';
		off += each;
	}
	return off;
}

static void test_limits(void)
{
	size_t	big = (size_t) LIMIT_MESSAGE_SIZE + 2;
	unsigned char *p = malloc(big);
	struct msg *m;
	const char *error;
	size_t	n;
	size_t	i;
	clock_t	t0;

	if (!tap_ok(p != NULL, "limits: memory"))
		return;

	/* whole message */
	memcpy(p, "A: 1\n\n", 6);
	for (i = 6; i < big; i += 80) {
		size_t	k = big - i < 80 ? big - i : 80;

		memset(p + i, 'b', k);
		p[i + k - 1] = '\n';
	}
	check_accepted(p, LIMIT_MESSAGE_SIZE, 1, "message of exactly the limit");
	check_refused(p, (size_t) LIMIT_MESSAGE_SIZE + 1,
		      "message larger than 67108864 bytes", "message over the limit");
	if (msg_parse(&m, p, LIMIT_MESSAGE_SIZE - 3, &error) == 0) {
		tap_int(msg_body_append(m, "ab\n", 3, &error), 0, "append up to the limit");
		tap_int(msg_body_append(m, "x", 1, &error), -1, "append past the limit");
		tap_str(error, "message larger than 67108864 bytes", "its error");
		tap_int((long long) msg_size(m), LIMIT_MESSAGE_SIZE, "size at the limit");
		tap_int(msg_insert_top(m, "X: y", 4, &error), -1,
			"insert past the message limit");
		tap_str(error, "message larger than 67108864 bytes", "its error");
		msg_free(m);
	}

	/* lines */
	memcpy(p, "A: 1\n\n", 6);
	memset(p + 6, 'x', (size_t) LIMIT_LINE_LEN + 2);
	check_accepted(p, 6 + 1024 * 1024, 1, "a 1 MB single line");
	check_accepted(p, 6 + (size_t) LIMIT_LINE_LEN, 1, "unterminated line of the limit");
	check_refused(p, 6 + (size_t) LIMIT_LINE_LEN + 1, "line longer than 16777216 bytes",
		      "unterminated line over the limit");
	p[6 + LIMIT_LINE_LEN] = '\r';
	p[6 + LIMIT_LINE_LEN + 1] = '\n';
	check_accepted(p, 6 + (size_t) LIMIT_LINE_LEN + 2, 1, "CRLF line of the limit");
	p[6 + LIMIT_LINE_LEN] = 'x';
	check_refused(p, 6 + (size_t) LIMIT_LINE_LEN + 2, "line longer than 16777216 bytes",
		      "LF line over the limit");
	if (msg_parse(&m, p, 6 + (size_t) LIMIT_LINE_LEN - 1, &error) == 0) {
		tap_int(msg_body_append(m, "y\r\n", 3, &error), 0,
			"append ending a line at the limit");
		tap_int(msg_body_append(m, "z", 1, &error), 0, "append starts a new line");
		msg_free(m);
	}
	if (msg_parse(&m, p, 6 + (size_t) LIMIT_LINE_LEN - 1, &error) == 0) {
		tap_int(msg_body_append(m, "yz\n", 3, &error), -1,
			"append making a line too long");
		tap_str(error, "line longer than 16777216 bytes", "its error");
		msg_free(m);
	}

	/* header block */
	n = fill_header(p, LIMIT_HEADER_BLOCK, 100);
	memcpy(p + n, "\nbody\n", 6);
	check_accepted(p, n + 6, 100, "header block of exactly the limit");
	if (msg_parse(&m, p, n + 6, &error) == 0) {
		tap_int(msg_insert_top(m, "X: y", 4, &error), -1,
			"insert past the header block limit");
		tap_str(error, "header block larger than 1048576 bytes", "its error");
		tap_int(msg_replace(m, 0, "X: y", 4, &error), 0, "a shorter replace fits");
		msg_free(m);
	}
	check_accepted(p, n, 100, "header block of the limit without separator");
	/* The same size with the last line unterminated: a body would end it. */
	n = fill_header(p, (size_t) LIMIT_HEADER_BLOCK + 1, 100) - 1;
	if (msg_parse(&m, p, n, &error) == 0) {
		tap_int(msg_body_append(m, "x", 1, &error), -1,
			"append that would end a full header's last line");
		tap_str(error, "header block larger than 1048576 bytes", "its error");
		tap_int(msg_body_append(m, "", 0, &error), 0, "appending nothing is fine");
		tap_int(msg_remove(m, 99), 0, "remove the unterminated field");
		tap_int(msg_body_append(m, "x", 1, &error), 0, "now the body fits");
		msg_free(m);
	} else {
		tap_ok(0, "full header with unterminated last line parses");
	}
	n = fill_header(p, (size_t) LIMIT_HEADER_BLOCK + 1, 100);
	memcpy(p + n, "\nbody\n", 6);
	check_refused(p, n + 6, "header block larger than 1048576 bytes",
		      "header block over the limit");
	check_refused(p, n, "header block larger than 1048576 bytes",
		      "header block over the limit without separator");
	memset(p, 'h', (size_t) LIMIT_HEADER_BLOCK + 1);
	check_refused(p, (size_t) LIMIT_HEADER_BLOCK + 1, "header block larger than 1048576 bytes",
		      "one unterminated line over the header limit");

	/* header count */
	for (i = 0; i < LIMIT_HEADER_COUNT + 1; i++)
		memcpy(p + i * 6, "X: yz\n", 6);
	n = (size_t) LIMIT_HEADER_COUNT * 6;
	memcpy(p + n, "\nbody\n", 6);
	t0 = clock();
	check_accepted(p, n + 6, LIMIT_HEADER_COUNT, "10000 header fields");
	tap_diag("parse+serialize of 10000 fields: %.3f s",
		 (double) (clock() - t0) / CLOCKS_PER_SEC);
	if (msg_parse(&m, p, n + 6, &error) == 0) {
		tap_int(msg_insert_top(m, "X: y", 4, &error), -1,
			"insert past the field count");
		tap_str(error, "more than 10000 header fields", "its error");
		t0 = clock();
		for (i = 0; i < 1000; i++) {
			msg_remove(m, 0);
			if (msg_insert_top(m, "X-Per-Recipient: token", 22, &error) < 0)
				break;
		}
		tap_int((long long) i, 1000, "1000 remove+insert at the top of 10000 fields");
		tap_diag("1000 remove+insert: %.3f s",
			 (double) (clock() - t0) / CLOCKS_PER_SEC);
		msg_free(m);
	}
	memcpy(p + n, "Xy: z\n\nbody\n", 12);
	check_refused(p, n + 12, "more than 10000 header fields", "10001 header fields");
	for (i = 0; i < LIMIT_HEADER_COUNT + 1; i++)
		memcpy(p + i * 2, "a\n", 2);
	check_refused(p, (size_t) (LIMIT_HEADER_COUNT + 1) * 2,
		      "more than 10000 header fields", "10001 malformed lines");
	free(p);
}

/* Every prefix of a message parses and round-trips. */
static void test_prefixes(void)
{
	static const char in[] =
		"From a@b Mon Jan  1 00:00:00 2024\n"
		" odd\r\n"
		"From: a\r\n"
		"Subject : x\r\n\ty\n"
		"bad\rline\n"
		"X-Nul: \0\r\n"
		"\r\n"
		"body\r\nline\n\0\r";
	size_t	len = sizeof(in) - 1;
	size_t	i;
	int	bad = 0;
	struct buf out;

	buf_init(&out, LIMIT_MESSAGE_SIZE);
	for (i = 0; i <= len; i++) {
		struct msg *m;
		const char *error;
		unsigned char *copy = malloc(i + 1);

		/* An exact-size copy, so reading past i would be caught by ASan. */
		memcpy(copy, in, i);
		if (msg_parse(&m, copy, i, &error) < 0) {
			bad++;
		} else {
			if (serialize(m, &out) < 0 || out.len != i
			    || memcmp(out.data, in, i) != 0)
				bad++;
			msg_free(m);
		}
		free(copy);
	}
	tap_int(bad, 0, "every prefix parses and round-trips");
	buf_free(&out);
}

/* The stored corpus. */

struct corpus_case {
	const char *file;
	const char *want_error;		/* refuse-*.eml */
	size_t	fields;
	size_t	malformed;
	enum msg_eol eol;
	int	separator;
};

#define C MSG_EOL_CRLF
#define L MSG_EOL_LF
static const struct corpus_case corpus_cases[] = {
	{"8bit-body.eml", NULL, 3, 0, L, 1},
	{"8bit-latin1-header.eml", NULL, 2, 0, L, 1},
	{"arc-set.eml", NULL, 7, 0, L, 1},
	{"bare-cr.eml", NULL, 3, 0, L, 1},
	{"bare-lf.eml", NULL, 3, 0, L, 1},
	{"base64-long-line.eml", NULL, 3, 0, L, 1},
	{"blank-line-with-spaces.eml", NULL, 3, 0, L, 1},
	{"body-only-text.eml", NULL, 2, 2, L, 0},
	{"body-starts-with-blank-lines.eml", NULL, 2, 0, C, 1},
	{"colon-only-line.eml", NULL, 4, 1, L, 1},
	{"colon-only-name.eml", NULL, 3, 1, L, 1},
	{"continuation-first-line.eml", NULL, 3, 1, L, 1},
	{"control-chars-in-header.eml", NULL, 3, 0, L, 1},
	{"cr-only-line-endings.eml", NULL, 1, 0, C, 0},
	{"crcrlf-line-ends.eml", NULL, 2, 0, C, 1},
	{"crlf-header-lf-body.eml", NULL, 2, 0, C, 1},
	{"dkim-signed.eml", NULL, 7, 0, L, 1},
	{"duplicate-from.eml", NULL, 4, 0, L, 1},
	{"empty-body.eml", NULL, 2, 0, C, 1},
	{"empty-header-value.eml", NULL, 4, 0, L, 1},
	{"empty.eml", NULL, 0, 0, C, 0},
	{"encoded-words.eml", NULL, 2, 0, L, 1},
	{"folded-crlf.eml", NULL, 3, 0, C, 1},
	{"folded-tabs-and-spaces.eml", NULL, 3, 0, L, 1},
	{"header-8bit-name.eml", NULL, 2, 1, L, 1},
	{"header-name-with-space.eml", NULL, 3, 1, L, 1},
	{"header-only-no-final-newline.eml", NULL, 2, 0, L, 0},
	{"lf-then-crlf-separator.eml", NULL, 2, 0, L, 1},
	{"line-without-colon.eml", NULL, 3, 1, L, 1},
	{"list-headers.eml", NULL, 6, 0, L, 1},
	{"long-folded-received-chain.eml", NULL, 10, 0, L, 1},
	{"mbox-from-escaped-body.eml", NULL, 3, 1, L, 1},
	{"mbox-from-line.eml", NULL, 3, 1, L, 1},
	{"mime-multipart-alternative.eml", NULL, 5, 0, L, 1},
	{"mime-multipart-crlf.eml", NULL, 5, 0, C, 1},
	{"mime-multipart-mixed-nested.eml", NULL, 5, 0, L, 1},
	{"mixed-crlf-lf.eml", NULL, 4, 0, C, 1},
	{"no-body-separator.eml", NULL, 3, 0, L, 0},
	{"no-final-newline.eml", NULL, 2, 0, L, 1},
	{"nul-bytes.eml", NULL, 3, 0, L, 1},
	{"obs-wsp-before-colon.eml", NULL, 3, 0, L, 1},
	{"odd-header-name.eml", NULL, 3, 0, L, 1},
	{"only-blank-line-crlf.eml", NULL, 0, 0, C, 1},
	{"only-blank-line.eml", NULL, 0, 0, L, 1},
	{"refuse-10001-header-lines.eml", "more than 10000 header fields", 0, 0, C, 0},
	{"simple-crlf.eml", NULL, 5, 0, C, 1},
	{"simple-lf.eml", NULL, 5, 0, L, 1},
	{"single-header-line-no-eol.eml", NULL, 1, 0, C, 0},
	{"trailing-whitespace.eml", NULL, 3, 0, L, 1},
	{"utf8-headers.eml", NULL, 3, 0, L, 1},
	{"very-long-header-line.eml", NULL, 3, 0, L, 1},
	{"whitespace-only-continuation.eml", NULL, 3, 0, L, 1},
};
#undef C
#undef L

static const struct corpus_case *corpus_row(const char *file)
{
	size_t	i;

	for (i = 0; i < COUNT(corpus_cases); i++)
		if (strcmp(corpus_cases[i].file, file) == 0)
			return &corpus_cases[i];
	return NULL;
}

static void test_corpus(void)
{
	const char *dir = tap_srcpath("tests/data/msg");
	char	path[4096];
	DIR    *dp;
	struct dirent *de;
	size_t	files = 0;
	size_t	i;

	/* Every file on disk has a row ... */
	if (!tap_ok((dp = opendir(dir)) != NULL, "open %s", dir))
		return;
	while ((de = readdir(dp)) != NULL) {
		size_t	n = strlen(de->d_name);

		if (n < 4 || strcmp(de->d_name + n - 4, ".eml") != 0)
			continue;
		files++;
		tap_ok(corpus_row(de->d_name) != NULL, "corpus file %s has a row",
		       de->d_name);
	}
	closedir(dp);
	tap_ok(files >= 40, "corpus has at least 40 files (%zu)", files);

	/* ... and every row a file that behaves as it says. */
	for (i = 0; i < COUNT(corpus_cases); i++) {
		const struct corpus_case *c = &corpus_cases[i];
		unsigned char *data;
		size_t	len;
		size_t	j;
		size_t	malformed = 0;
		struct msg *m;

		snprintf(path, sizeof(path), "%s/%s", dir, c->file);
		if (!tap_ok((data = tap_read_file(path, &len)) != NULL, "read %s", c->file))
			continue;
		if (c->want_error != NULL) {
			check_refused(data, len, c->want_error, c->file);
			free(data);
			continue;
		}
		if ((m = parse_identity(data, len, c->file)) != NULL) {
			for (j = 0; j < msg_field_count(m); j++)
				malformed += (msg_field(m, j)->flags & MSG_FIELD_MALFORMED) != 0;
			tap_int((long long) msg_field_count(m), (long long) c->fields,
				c->file);
			tap_int((long long) malformed, (long long) c->malformed, c->file);
			tap_int(msg_eol(m), c->eol, c->file);
			tap_int(msg_has_separator(m), c->separator, c->file);
			msg_free(m);
		}
		free(data);
	}
}

int main(void)
{
	test_fields();
	test_find();
	test_edits();
	test_edit_details();
	test_prefixes();
	test_corpus();
	test_limits();
	return tap_done();
}
