/*
 * NAME
 *	test_pyconf 1
 * SUMMARY
 *	unit tests for lib/pyconf
 * DESCRIPTION
 *	Rows of {what, input, expected}: valid literal forms with the value
 *	they give; hostile and malformed files with the line of the error
 *	and a word its message must contain; the caps (a 100 MB string, 1000
 *	nested brackets, an error on line 500); a config_list -o excerpt;
 *	writer round trips over awkward strings, lists and a few thousand
 *	random byte strings; every valid row again fed with CRLF line ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf/buf.h"
#include "pyconf/pyconf.h"
#include "tap.h"

/* ---- helpers ---------------------------------------------------------- */

static const struct pyconf_value *only_value(const struct pyconf_file *f)
{
	return f != NULL && f->n == 1 ? &f->items[0].value : NULL;
}

/* ---- valid literals --------------------------------------------------- */

/* How a single value is shown for comparison: type:text or type:i. */
struct valid_row {
	const char *what, *input;
	enum pyconf_type type;
	const char *text;	/* STR: the bytes (len from want_len); INT/FLOAT: as written */
	size_t	want_len;
	long long i;		/* INT, BOOL, or n for containers */
	int	is_unicode;
};

#define S(what, in, bytes, uni) { what, in, PYCONF_STR, bytes, sizeof(bytes) - 1, 0, uni }
#define I(what, in, text, v) { what, in, PYCONF_INT, text, 0, v, 0 }
#define C(what, in, type, n) { what, in, type, NULL, 0, n, 0 }

static const struct valid_row valid[] = {
	I("decimal int", "x = 5\n", "5", 5),
	I("negative int", "x = -5\n", "-5", -5),
	I("Python 2 long suffix", "x = 10L\n", "10L", 10),
	I("hex int", "x = 0x1F\n", "0x1F", 31),
	I("Python 2 octal", "x = 017\n", "017", 15),
	I("0o octal", "x = 0o17\n", "0o17", 15),
	I("binary", "x = 0b101\n", "0b101", 5),
	I("zero", "x = 0\n", "0", 0),
	I("largest int", "x = 9223372036854775807\n", "9223372036854775807",
	  9223372036854775807LL),
	I("smallest int", "x = -9223372036854775808\n", "-9223372036854775808",
	  (-9223372036854775807LL - 1)),
	I("comment at end of line", "x = 7 # seven\n", "7", 7),
	I("no final newline", "x = 3", "3", 3),
	I("parenthesised int is not a tuple", "x = (4)\n", "4", 4),
	I("continuation line", "x = \\\n 8\n", "8", 8),
	{ "float 1e3", "x = 1e3\n", PYCONF_FLOAT, "1e3", 0, 1000, 0 },
	{ "float 5.0", "x = 5.0\n", PYCONF_FLOAT, "5.0", 0, 5, 0 },
	{ "float .5", "x = .5\n", PYCONF_FLOAT, ".5", 0, 0, 0 },
	{ "negative float", "x = -2.5\n", PYCONF_FLOAT, "-2.5", 0, -2, 0 },
	{ "True", "x = True\n", PYCONF_BOOL, NULL, 0, 1, 0 },
	{ "False", "x = False\n", PYCONF_BOOL, NULL, 0, 0, 0 },
	{ "None", "x = None\n", PYCONF_NONE, NULL, 0, 0, 0 },
	S("single quotes", "x = 'Mylist'\n", "Mylist", 0),
	S("double quotes", "x = \"it's\"\n", "it's", 0),
	S("empty string", "x = ''\n", "", 0),
	S("escaped quotes", "x = 'a\\'b\\\"c'\n", "a'b\"c", 0),
	S("named escapes", "x = '\\a\\b\\f\\n\\r\\t\\v\\\\'\n", "\a\b\f\n\r\t\v\\", 0),
	S("hex escape", "x = '\\x41\\x7e'\n", "A~", 0),
	S("octal escape", "x = '\\101\\0101\\7'\n", "A\b1\a", 0),
	S("unknown escape kept", "x = '\\d+'\n", "\\d+", 0),
	S("bytes as written", "x = 'caf\\xc3\\xa9'\n", "caf\xc3\xa9", 0),
	S("raw bytes >= 0x80 copied", "x = 'caf\xc3\xa9'\n", "caf\xc3\xa9", 0),
	S("unicode \\x gives UTF-8", "x = u'caf\\xe9'\n", "caf\xc3\xa9", 1),
	S("unicode \\u", "x = u'\\u20ac'\n", "\xe2\x82\xac", 1),
	S("unicode \\U", "x = U'\\U0001F600'\n", "\xf0\x9f\x98\x80", 1),
	S("surrogate pair", "x = u'\\ud83d\\ude00'\n", "\xf0\x9f\x98\x80", 1),
	S("unicode octal above 0377", "x = u'\\777'\n", "\xc7\xbf", 1),
	S("raw string keeps backslash", "x = r'\\d+'\n", "\\d+", 0),
	S("raw string escaped quote", "x = r'a\\'b'\n", "a\\'b", 0),
	S("ur string decodes \\u only", "x = ur'\\d\\u00e9'\n", "\\d\xc3\xa9", 1),
	S("bytes literal", "x = b'\\xff'\n", "\xff", 0),
	S("adjacent strings concatenated", "x = 'a' \"b\" u'c'\n", "abc", 1),
	S("adjacent strings across lines in brackets", "x = ('a'\n 'b')\n", "ab", 0),
	S("triple single quotes", "x = '''a\n'b'\n'''\n", "a\n'b'\n", 0),
	S("triple double quotes", "x = \"\"\"a\"b\"\"c\"\"\"\n", "a\"b\"\"c", 0),
	S("triple with escaped quotes", "x = \"\"\"a \\\"\\\"\\\" b\\\"\"\"\"\n",
	  "a \"\"\" b\"", 0),
	S("triple with CRLF gives LF", "x = \"\"\"a\r\nb\"\"\"\r\n", "a\nb", 0),
	S("backslash-newline inside a string", "x = 'a\\\nb'\n", "ab", 0),
	S("mailman footer", "msg_footer = \"\"\"_______________________________________________\n"
	  "%(real_name)s mailing list\n%(real_name)s@%(host_name)s\"\"\"\n",
	  "_______________________________________________\n"
	  "%(real_name)s mailing list\n%(real_name)s@%(host_name)s", 0),
	I("UTF-8 byte order mark", "\xef\xbb\xbfx = 1\n", "1", 1),
	I("spaces around minus", "x = - 5\n", "-5", -5),
	C("empty list", "x = []\n", PYCONF_LIST, 0),
	C("list", "x = ['^.*@example\\\\.org', 'bob@example.com']\n", PYCONF_LIST, 2),
	C("list trailing comma", "x = [1, 2,]\n", PYCONF_LIST, 2),
	C("list over lines with comments", "x = [1, # one\n  2,\n\n  3]\n", PYCONF_LIST, 3),
	C("empty tuple", "x = ()\n", PYCONF_TUPLE, 0),
	C("one-tuple", "x = (1,)\n", PYCONF_TUPLE, 1),
	C("topics", "topics = [('Topic', 'regex', 'desc', False)]\n", PYCONF_LIST, 1),
	C("dict", "x = {'a': 1, 2: [3], (4,): None}\n", PYCONF_DICT, 3),
	C("empty dict", "x = {}\n", PYCONF_DICT, 0),
	C("nesting 16 deep", "x = [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]\n", PYCONF_LIST, 1),
};

static void check_valid(const struct valid_row *r, const char *in, size_t len,
			const char *how)
{
	struct pyconf_file *f = NULL;
	struct pyconf_error err;
	const struct pyconf_value *v = NULL;
	char	what[200];

	snprintf(what, sizeof(what), "%s%s", r->what, how);
	if (!tap_ok(pyconf_parse(in, len, &f, &err) == 0, "%s: parses", what)) {
		tap_diag("line %d col %d: %s", err.line, err.column, err.message);
		return;
	}
	v = only_value(f);
	if (!tap_ok(v != NULL, "%s: one assignment", what) ||
	    !tap_str(pyconf_type_name(v->type), pyconf_type_name(r->type), what)) {
		pyconf_free(f);
		return;
	}
	switch (r->type) {
	case PYCONF_STR:
		tap_mem(v->text, v->len, r->text, r->want_len, what);
		tap_ok(v->text[v->len] == 0 && strlen(v->text) == v->len,
		       "%s: NUL-terminated, no NUL inside", what);
		tap_int(v->is_unicode, r->is_unicode, what);
		break;
	case PYCONF_INT:
		tap_str(v->text, r->text, what);
		tap_int(v->i, r->i, what);
		break;
	case PYCONF_FLOAT:
		tap_str(v->text, r->text, what);
		tap_int((long long) v->f, r->i, what);
		break;
	case PYCONF_BOOL:
		tap_int(v->i, r->i, what);
		break;
	case PYCONF_LIST: case PYCONF_TUPLE: case PYCONF_DICT:
		tap_int((long long) v->n, r->i, what);
		break;
	case PYCONF_NONE:
		break;
	}
	pyconf_free(f);
}

/* The row with every \n made \r\n (a \r\n already there stays). */
static char *to_crlf(const char *s, size_t *len_r)
{
	size_t	n = strlen(s), i, o = 0;
	char   *out = malloc(2 * n + 1);

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			out[o++] = '\r';
		out[o++] = s[i];
	}
	out[o] = 0;
	*len_r = o;
	return out;
}

static void test_valid(void)
{
	size_t	i, len;
	char   *crlf;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		check_valid(&valid[i], valid[i].input, strlen(valid[i].input), "");
		if ((crlf = to_crlf(valid[i].input, &len)) != NULL) {
			check_valid(&valid[i], crlf, len, " (CRLF)");
			free(crlf);
		}
	}
}

/* ---- errors ----------------------------------------------------------- */

struct error_row {
	const char *what, *input;
	size_t	len;		/* 0: strlen(input) */
	int	line;
	const char *words;	/* the message contains this */
};

static const struct error_row errors[] = {
	{ "__import__ call", "x = __import__('os').system('rm -rf /')\n", 0, 1,
	  "names other than True, False and None are not allowed (__import__)" },
	{ "unbalanced quote", "a = 1\nx = 'abc\n", 0, 2, "unterminated string starting on line 2" },
	{ "unbalanced quote at EOF", "x = 'abc", 0, 1, "unterminated string" },
	{ "unterminated triple", "a = 1\n\nx = \"\"\"abc\n\ndef\n", 0, 3,
	  "unterminated triple-quoted string starting on line 3" },
	{ "operator", "x = 1 + 2\n", 0, 1, "operators are not allowed ('+')" },
	{ "a bare name", "x = foo\n", 0, 1, "not allowed (foo)" },
	{ "attribute target", "x.y = 1\n", 0, 1, "only plain names" },
	{ "unclosed list", "x = [1, 2\n", 0, 1, "unclosed '[' opened on line 1" },
	{ "unclosed list, later lines", "x = [1,\n 2\n\n", 0, 1, "unclosed '['" },
	{ "import", "import os\n", 0, 1, "Python statements are not allowed (import)" },
	{ "def", "def f(): pass\n", 0, 1, "Python statements are not allowed (def)" },
	{ "lambda", "x = lambda: 0\n", 0, 1, "(lambda)" },
	{ "call in a dict", "x = {'a': open('f')}\n", 0, 1, "(open)" },
	{ "\\N escape", "x = 'a\\N{DASH}'\n", 0, 1, "\\N{...}" },
	{ "NUL byte in a string", "x = 'a\0b'\n", 10, 1, "NUL byte" },
	{ "NUL byte in a comment", "x = 1\n# a\0b\n", 12, 2, "NUL byte" },
	{ "NUL byte between tokens", "x =\0 1\n", 7, 1, "NUL byte" },
	{ "NUL byte by escape", "x = '\\x00'\n", 0, 1, "NUL byte" },
	{ "NUL byte by \\0", "x = 'a\\0'\n", 0, 1, "NUL byte" },
	{ "NUL byte by \\u", "x = u'\\u0000'\n", 0, 1, "NUL byte" },
	{ "subtraction", "x = 3 - 2\n", 0, 1, "operators" },
	{ "unary plus", "x = +2\n", 0, 1, "operators" },
	{ "call after a string", "x = 'a'.join([])\n", 0, 1, "attributes" },
	{ "format operator", "x = 'a%s' % 1\n", 0, 1, "operators" },
	{ "subscript", "x = [1][0]\n", 0, 1, "subscripts" },
	{ "chained assignment", "x = y = 1\n", 0, 1, "not allowed (y)" },
	{ "two statements on a line", "x = 1; y = 2\n", 0, 1, "one assignment per line" },
	{ "bare tuple", "x = 1, 2\n", 0, 1, "parentheses" },
	{ "indented statement", "x = 1\n  y = 2\n", 0, 2, "unexpected indent" },
	{ "no value", "x =\n", 0, 1, "expected a value" },
	{ "no value at EOF", "x = ", 0, 1, "expected a value; found end of file" },
	{ "no equals", "x 1\n", 0, 1, "expected '='" },
	{ "assign to True", "True = 1\n", 0, 1, "cannot assign" },
	{ "missing comma", "x = [1 2]\n", 0, 1, "expected ',' or ']'" },
	{ "dict missing colon", "x = {'a' 1}\n", 0, 1, "':'" },
	{ "list as dict key", "x = {[1]: 2}\n", 0, 1, "cannot be a dict key" },
	{ "mismatched close", "x = [1)\n", 0, 1, "expected ',' or ']'" },
	{ "stray close", "x = 1)\n", 0, 1, "found ')'" },
	{ "bad \\x escape", "x = '\\x4'\n", 0, 1, "\\x escape" },
	{ "bad \\u escape", "x = u'\\u12'\n", 0, 1, "\\u escape" },
	{ "lone surrogate", "x = u'\\ud800'\n", 0, 1, "surrogate" },
	{ "\\U beyond Unicode", "x = u'\\U00110000'\n", 0, 1, "U+10FFFF" },
	{ "octal above 0377 in bytes", "x = '\\777'\n", 0, 1, "octal" },
	{ "complex number", "x = 1j\n", 0, 1, "complex" },
	{ "invalid decimal with leading zero", "x = 08\n", 0, 1, "invalid number" },
	{ "number then letters", "x = 12abc\n", 0, 1, "invalid number" },
	{ "integer overflow", "x = 9223372036854775808\n", 0, 1, "out of range" },
	{ "bad prefix", "x = f'a'\n", 0, 1, "(f)" },
	{ "backslash not at end of line", "x = \\ 1\n", 0, 1, "backslash" },
	{ "newline in one-line string", "x = 'a\nb'\n", 0, 1, "unterminated string" },
	{ "nesting 17 deep", "x = [[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]\n", 0, 1, "nesting deeper than 16" },
	{ "non-ASCII name", "x\xc3\xa9 = 1\n", 0, 1, "byte 0xC3" },
	{ "error after a multi-line string", "x = \"\"\"a\nb\nc\"\"\"\ny = foo\n", 0, 4, "(foo)" },
	{ "error after continuation", "x = \\\n\\\n foo\n", 0, 3, "(foo)" },
	{ "error after CRLF lines", "a = 1\r\nb = 2\r\nc = bar\r\n", 0, 3, "(bar)" },
	{ "error after lone CR lines", "a = 1\rb = 2\rc = bar\r", 0, 3, "(bar)" },
	{ "byte order mark not at the start", "x = 1\n\xef\xbb\xbfy = 2\n", 0, 2, "byte 0xEF" },
	{ "minus before a name", "x = -True\n", 0, 1, "operators are not allowed ('-')" },
	{ "error in a list over lines", "x = [\n 1,\n 2,\n nope,\n]\n", 0, 4, "(nope)" },
};

static void check_error(const char *what, const void *in, size_t len, int line,
			const char *words)
{
	struct pyconf_file *f = NULL;
	struct pyconf_error err;

	if (!tap_ok(pyconf_parse(in, len, &f, &err) == -1 && f == NULL, "%s: refused", what)) {
		pyconf_free(f);
		return;
	}
	tap_int(err.line, line, what);
	if (!tap_ok(strstr(err.message, words) != NULL && err.column >= 1,
		    "%s: message says \"%s\"", what, words))
		tap_diag("got line %d col %d: %s", err.line, err.column, err.message);
}

static void test_errors(void)
{
	size_t	i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		check_error(errors[i].what, errors[i].input,
			    errors[i].len ? errors[i].len : strlen(errors[i].input),
			    errors[i].line, errors[i].words);
}

static void test_error_column(void)
{
	struct pyconf_file *f;
	struct pyconf_error err;

	tap_int(pyconf_parse("x = [1,  foo]\n", 14, &f, &err), -1, "column: refused");
	tap_int(err.column, 10, "column of the bad name");
	tap_int(pyconf_parse("x = 'abc", 8, &f, &err), -1, "column: unterminated");
	tap_int(err.column, 5, "column of the opening quote");
}

/* ---- caps ------------------------------------------------------------- */

static void test_caps(void)
{
	const size_t big = 100u * 1024 * 1024;
	struct buf b;
	char   *s;
	size_t	i;
	clock_t	t0;

	/* A 100 MB string on line 2: refused at the string cap, quickly. */
	if ((s = malloc(big + 16)) != NULL) {
		memcpy(s, "a = 1\nx = '", 11);
		memset(s + 11, 'a', big);
		memcpy(s + 11 + big, "'\n", 2);
		t0 = clock();
		check_error("100 MB string", s, big + 13, 2, "string longer than 1048576 bytes");
		tap_ok((double) (clock() - t0) / CLOCKS_PER_SEC < 2.0, "100 MB string: quick");
		/* The same bytes with escapes that decode to nothing: the file cap. */
		memcpy(s, "x = '", 5);
		for (i = 5; i + 2 < big; i += 2)
			memcpy(s + i, "\\\n", 2);
		check_error("file past the cap", s, big, 1 + (PYCONF_MAX_FILE - 5) / 2,
			    "file longer than 16777216 bytes");
		free(s);
	}

	/* 1000 nested [ */
	buf_init(&b, 1 << 20);
	buf_append_str(&b, "x = ");
	for (i = 0; i < 1000; i++)
		buf_append_byte(&b, '[');
	check_error("1000 nested [", b.data, b.len, 1, "nesting deeper than 16");
	buf_free(&b);

	/* An error on line 500 of a long valid file. */
	buf_init(&b, 1 << 20);
	for (i = 1; i < 500; i++)
		buf_printf(&b, i % 3 ? "v%zu = ['a', 'b', %zu]\n" : "# comment %zu %zu\n", i, i);
	buf_append_str(&b, "bad = os.system\nok = 1\n");
	check_error("error on line 500", b.data, b.len, 500, "(os)");
	buf_free(&b);

	/* More values than PYCONF_MAX_ITEMS. */
	buf_init(&b, 4 << 20);
	buf_append_str(&b, "x = [");
	for (i = 0; i <= PYCONF_MAX_ITEMS; i++)
		buf_append_str(&b, "0,");
	buf_append_str(&b, "]\n");
	check_error("too many values", b.data, b.len, 1, "more than 100000 values");
	buf_free(&b);
}

/* ---- a config_list -o excerpt ---------------------------------------- */

static const char mailman[] =
	"# -*- python -*-\n"
	"# -*- coding: us-ascii -*-\n"
	"## \"mylist\" mailing list configuration settings\n"
	"## captured on Fri Nov 27 10:00:00 2026\n"
	"\n"
	"## General options\n"
	"#\n"
	"# Fundamental list characteristics...\n"
	"\n"
	"# The public name of this list (make case-changes only).\n"
	"real_name = 'Mylist'\n"
	"\n"
	"# legal values are:\n"
	"#    0 = \"No\"\n"
	"#    1 = \"Yes\"\n"
	"send_reminders = 0\n"
	"\n"
	"msg_footer = \"\"\"_______________________________________________\n"
	"%(real_name)s mailing list\n"
	"%(real_name)s@%(host_name)s\"\"\"\n"
	"\n"
	"accept_these_nonmembers = ['^.*@example\\\\.org', 'bob@example.com']\n"
	"bounce_info_stale_after = 7\n"
	"bounce_score_threshold = 5.0\n"
	"topics = [('Topic', 'regex', 'desc', False)]\n"
	"owner = ['admin@example.com']\n"
	"description = ''\n"
	"info = \"\"\"Line one with \\\"quotes\\\"\n"
	"Line two\"\"\"\n"
	"new_member_options = 256\n"
	"available_languages = ['en', 'de']\n"
	"real_name = 'Again'\n";

static void test_mailman(void)
{
	struct pyconf_file *f;
	struct pyconf_error err;
	const struct pyconf_value *v = NULL;

	if (!tap_ok(pyconf_parse(mailman, sizeof(mailman) - 1, &f, &err) == 0,
		    "config_list excerpt parses")) {
		tap_diag("line %d: %s", err.line, err.message);
		return;
	}
	tap_int((long long) f->n, 13, "config_list: 13 assignments (duplicates kept)");
	tap_str(f->items[0].name, "real_name", "config_list: first name");
	tap_int(f->items[0].line, 11, "config_list: line of real_name");
	tap_int(f->items[1].value.i, 0, "config_list: send_reminders");
	v = &f->items[2].value;
	tap_int(v->line, 18, "config_list: msg_footer starts on line 18");
	tap_int(f->items[3].line, 22, "config_list: line after the footer");
	v = &f->items[3].value;
	if (tap_int((long long) v->n, 2, "config_list: accept_these_nonmembers"))
		tap_str(v->items[0].text, "^.*@example\\.org", "config_list: regexp entry");
	tap_str(f->items[5].value.text, "5.0", "config_list: float text");
	v = &f->items[6].value;
	if (tap_int((long long) v->n, 1, "config_list: topics") &&
	    tap_int((long long) v->items[0].n, 4, "config_list: topic tuple"))
		tap_int(v->items[0].items[3].type, PYCONF_BOOL, "config_list: topic flag");
	tap_str(f->items[9].value.text, "Line one with \"quotes\"\nLine two",
		"config_list: info with escaped quotes");
	tap_str(f->items[12].name, "real_name", "config_list: duplicate kept");
	pyconf_free(f);

	tap_ok(pyconf_parse("", 0, &f, &err) == 0 && f->n == 0, "empty file: no items");
	pyconf_free(f);
	tap_ok(pyconf_parse(NULL, 0, &f, &err) == 0 && f->n == 0, "NULL, 0: no items");
	pyconf_free(f);
	tap_ok(pyconf_parse("# only\n\n   \n# comments", 22, &f, &err) == 0 && f->n == 0,
	       "comments only: no items");
	pyconf_free(f);
	pyconf_free(NULL);
}

/* ---- writers ---------------------------------------------------------- */

/* Write s, parse "x = <written>", compare.  Returns 1 when it came back. */
static int round_trip(const char *s, size_t len, int quiet, const char *what)
{
	struct buf b;
	struct pyconf_file *f = NULL;
	struct pyconf_error err;
	const struct pyconf_value *v = NULL;
	int	ok;

	buf_init(&b, 8 * len + 64);
	buf_append_str(&b, "x = ");
	ok = pyconf_write_str(s, len, &b) == 0 &&
		pyconf_parse(b.data, b.len, &f, &err) == 0 &&
		(v = only_value(f)) != NULL && v->type == PYCONF_STR &&
		v->len == len && memcmp(v->text, s, len) == 0;
	if (!quiet || !ok) {
		if (!tap_ok(ok, "round trip: %s", what))
			tap_diag("written: %s", buf_str(&b));
	}
	pyconf_free(f);
	buf_free(&b);
	return ok;
}

struct write_row {
	const char *what, *in, *want;
};

static const struct write_row writes[] = {
	{ "plain", "Mylist", "'Mylist'" },
	{ "empty", "", "''" },
	{ "single quote gives double quotes", "it's", "\"it's\"" },
	{ "both quotes", "it's \"x\"", "'it\\'s \"x\"'" },
	{ "double quote only", "say \"hi\"", "'say \"hi\"'" },
	{ "backslash", "^.*@example\\.org", "'^.*@example\\\\.org'" },
	{ "tab and CR", "a\tb\rc", "'a\\tb\\rc'" },
	{ "control bytes", "\x01\x1f\x7f", "'\\x01\\x1f\\x7f'" },
	{ "UTF-8 stays readable", "caf\xc3\xa9", "'caf\xc3\xa9'" },
	{ "multi-line as triple quotes", "a\nb", "\"\"\"a\nb\"\"\"" },
	{ "multi-line with quotes", "say \"x\"\n'y'", "\"\"\"say \\\"x\\\"\n'y'\"\"\"" },
	{ "multi-line with backslash and tab", "a\\n\tb\nc", "\"\"\"a\\\\n\tb\nc\"\"\"" },
};

static const char *const trips[] = {
	"", "'", "\"", "'\"", "\\", "\\\\", "a\\", "a\"", "a'", "\n", "\n\n", "a\n",
	"\na", "\"\"\"", "a\n\"\"\"\nb", "a\n\"", "a\n\\", "a\n'''", "x\r\ny", "\r",
	"\t\x01\x02\x1b\x7f", "caf\xc3\xa9\n\xe2\x82\xac", "\xff\xfe", "%(real_name)s",
	"\\x41", "\\u00e9", "\\N{DASH}", "a\\\nb", "\"a\nb\"", "''''", "\"\"\"\"\"\"",
};

static void test_writers(void)
{
	struct buf b;
	size_t	i, k, len, ok;
	char	s[64];
	unsigned int seed = 12345;
	struct pyconf_file *f = NULL;
	struct pyconf_error err;
	const struct pyconf_value *v = NULL;
	static const char *const items[] = { "^.*@example\\.org", "bob@example.com",
					     "it's", "two\nlines", "" };
	size_t	lens[5];

	buf_init(&b, 4096);
	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		buf_reset(&b);
		tap_int(pyconf_write_str(writes[i].in, strlen(writes[i].in), &b), 0, writes[i].what);
		tap_str(buf_str(&b), writes[i].want, writes[i].what);
		round_trip(writes[i].in, strlen(writes[i].in), 0, writes[i].what);
	}
	for (i = 0; i < sizeof(trips) / sizeof(trips[0]); i++) {
		snprintf(s, sizeof(s), "awkward string %zu", i);
		round_trip(trips[i], strlen(trips[i]), 0, s);
	}

	/* Random byte strings, no NUL. */
	ok = 0;
	for (i = 0; i < 5000; i++) {
		len = (size_t) (rand_r(&seed) % (sizeof(s) + 1));
		for (k = 0; k < len; k++) {
			/* Weight the awkward bytes. */
			static const char awk[] = "'\"\\\n\r\t #x";
			s[k] = rand_r(&seed) % 3 == 0 ? awk[rand_r(&seed) % (sizeof(awk) - 1)] :
				(char) (1 + rand_r(&seed) % 255);
		}
		ok += (size_t) round_trip(s, len, 1, "random");
	}
	tap_int((long long) ok, 5000, "5000 random strings round trip");

	/* Lists. */
	for (i = 0; i < 5; i++)
		lens[i] = strlen(items[i]);
	buf_reset(&b);
	buf_append_str(&b, "x = ");
	tap_int(pyconf_write_list(items, lens, 5, &b), 0, "write list");
	tap_str(buf_str(&b), "x = ['^.*@example\\\\.org', 'bob@example.com', \"it's\", "
		"'two\\nlines', '']", "list as config_list writes it");
	if (tap_ok(pyconf_parse(b.data, b.len, &f, &err) == 0 && (v = only_value(f)) != NULL &&
		   v->type == PYCONF_LIST && v->n == 5, "list parses back")) {
		for (i = 0; i < 5; i++)
			tap_mem(v->items[i].text, v->items[i].len, items[i], lens[i],
				"list item round trip");
	}
	pyconf_free(f);
	buf_reset(&b);
	tap_int(pyconf_write_list(items, NULL, 0, &b), 0, "empty list");
	tap_str(buf_str(&b), "[]", "empty list written");
	buf_reset(&b);
	pyconf_write_list(items, NULL, 2, &b);
	tap_str(buf_str(&b), "['^.*@example\\\\.org', 'bob@example.com']", "lens NULL: strlen");
	buf_free(&b);

	/* A full buffer: -1. */
	buf_init(&b, 4);
	tap_int(pyconf_write_str("abcdef", 6, &b), -1, "write into a small buf fails");
	buf_free(&b);
}

static void test_type_names(void)
{
	tap_str(pyconf_type_name(PYCONF_INT), "int", "type name int");
	tap_str(pyconf_type_name(PYCONF_NONE), "None", "type name None");
	tap_str(pyconf_type_name(PYCONF_STR), "string", "type name string");
	tap_str(pyconf_type_name(PYCONF_DICT), "dict", "type name dict");
}

int main(void)
{
	test_valid();
	test_errors();
	test_error_column();
	test_caps();
	test_mailman();
	test_writers();
	test_type_names();
	return tap_done();
}
