/*
 * NAME
 *	test_mime 1
 * SUMMARY
 *	unit tests for lib/mime
 * DESCRIPTION
 *	Table-driven: Content-Type values (good, lenient, malformed) with
 *	the type and parameters expected; Content-Transfer-Encoding names;
 *	multipart bodies with the parts, preamble, close delimiter and
 *	epilogue expected (CRLF and LF, delimiter look-alikes, a missing
 *	close delimiter); the tree walk with its depth and part caps; the
 *	quoted-printable and RFC 2047 encoders against hand-checked output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "sealist_limits.h"
#include "tap.h"

/* ---- Content-Type ---------------------------------------------------- */

static const struct {
	const char *what, *in;
	const char *type, *subtype;	/* NULL type: refused */
	const char *params;		/* "name=value|..." in order */
	const char *error;
} ctypes[] = {
	{ "plain text", "text/plain", "text", "plain", "", NULL },
	{ "case is folded", " Text/PLAIN; Charset=UTF-8", "text", "plain", "charset=UTF-8", NULL },
	{ "quoted boundary", " multipart/mixed; boundary=\"==abc def==\"",
	  "multipart", "mixed", "boundary===abc def==", NULL },
	{ "folded parameters", " multipart/alternative;\r\n\tboundary=\"b1\";\r\n charset=us-ascii",
	  "multipart", "alternative", "boundary=b1|charset=us-ascii", NULL },
	{ "comments everywhere", "(c) text (x) / (y) plain (z); (a) charset (b) = (c) \"x\" (d)",
	  "text", "plain", "charset=x", NULL },
	{ "nested comment with quoted-pair", "text/plain (a (b \\) c) d); format=flowed",
	  "text", "plain", "format=flowed", NULL },
	{ "quoted-pair in a value", "text/plain; name=\"a\\\"b\\\\c\"", "text", "plain",
	  "name=a\"b\\c", NULL },
	{ "trailing semicolon", "text/plain; charset=utf-8;", "text", "plain", "charset=utf-8", NULL },
	{ "unquoted value with tspecials (lenient)", "multipart/mixed; boundary=----=_Part_1_2.3",
	  "multipart", "mixed", "boundary=----=_Part_1_2.3", NULL },
	{ "folding inside a quoted value is dropped", "text/plain; name=\"a\r\n b\"", "text", "plain",
	  "name=a b", NULL },
	{ "empty", "", NULL, NULL, NULL, "missing type" },
	{ "no slash", "text", NULL, NULL, NULL, "missing '/'" },
	{ "no subtype", "text/", NULL, NULL, NULL, "missing subtype" },
	{ "unterminated quote", "multipart/mixed; boundary=\"abc", NULL, NULL, NULL,
	  "unterminated quoted string" },
	{ "unterminated comment", "text/plain (abc", NULL, NULL, NULL, "unterminated comment" },
	{ "duplicate boundary", "multipart/mixed; boundary=a; BOUNDARY=b", NULL, NULL, NULL,
	  "duplicate parameter" },
	{ "parameter without value", "text/plain; charset", NULL, NULL, NULL, "bad parameter" },
	{ "junk after the type", "text/plain junk", NULL, NULL, NULL, "bad parameter" },
	{ "empty value", "text/plain; charset=", NULL, NULL, NULL, "bad parameter" },
};

static void params_str(const struct mime_ctype *ct, char *out, size_t size)
{
	size_t	i, used = 0;

	out[0] = 0;
	for (i = 0; i < ct->count && used < size; i++)
		used += (size_t) snprintf(out + used, size - used, "%s%s=%s", i ? "|" : "",
					  ct->params[i].name, ct->params[i].value);
}

static void test_ctypes(void)
{
	size_t	i;

	for (i = 0; i < sizeof(ctypes) / sizeof(ctypes[0]); i++) {
		struct mime_ctype ct;
		const char *err = NULL;
		char	ps[512];
		int	r = mime_ctype_parse(ctypes[i].in, strlen(ctypes[i].in), &ct, &err);

		if (ctypes[i].type == NULL) {
			tap_ok(r == -1 && ct.type == NULL, "ctype: %s: refused", ctypes[i].what);
			tap_str(err, ctypes[i].error, ctypes[i].what);
			continue;
		}
		if (!tap_ok(r == 0, "ctype: %s: parses (%s)", ctypes[i].what, r ? err : "ok"))
			continue;
		tap_str(ct.type, ctypes[i].type, ctypes[i].what);
		tap_str(ct.subtype, ctypes[i].subtype, ctypes[i].what);
		params_str(&ct, ps, sizeof(ps));
		tap_str(ps, ctypes[i].params, ctypes[i].what);
		mime_ctype_free(&ct);
	}
}

static void test_ctype_limits(void)
{
	struct buf b;
	struct mime_ctype ct;
	const char *err = NULL;
	int	i;

	buf_init(&b, 1 << 20);
	(void) buf_append_str(&b, "text/plain");
	for (i = 0; i <= LIMIT_MIME_PARAMS; i++)
		(void) buf_printf(&b, "; p%d=v", i);
	tap_int(mime_ctype_parse(b.data, b.len, &ct, &err), -1, "ctype: too many parameters refused");
	tap_str(err, "too many parameters", "ctype: the reason says so");
	tap_int(mime_ctype_parse("text/pl\0ain", 11, &ct, &err), -1, "ctype: NUL refused");
	buf_free(&b);
}

static void test_msg_ctype(void)
{
	static const struct {
		const char *what, *msg, *type, *charset;
		int	ret;
	} rows[] = {
		{ "absent: RFC 2045 default", "Subject: x\n\nbody\n", "text/plain", "us-ascii", 0 },
		{ "invalid: RFC 2045 default", "Content-Type: text\n\nbody\n", "text/plain", "us-ascii", 0 },
		{ "present", "Content-Type: text/html; charset=utf-8\n\nx\n", "text/html", "utf-8", 1 },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct msg *m;
		struct mime_ctype ct;
		const char *err;
		char	t[64];

		if (!tap_ok(msg_parse(&m, rows[i].msg, strlen(rows[i].msg), &err) == 0, "parse"))
			continue;
		tap_int(mime_ctype_of_msg(m, &ct), rows[i].ret, rows[i].what);
		snprintf(t, sizeof(t), "%s/%s", ct.type, ct.subtype);
		tap_str(t, rows[i].type, rows[i].what);
		tap_str(mime_ctype_param(&ct, "CHARSET"), rows[i].charset, rows[i].what);
		mime_ctype_free(&ct);
		msg_free(m);
	}
}

static void test_cte(void)
{
	static const struct {
		const char *in;
		enum mime_cte want;
	} rows[] = {
		{ " 7bit", MIME_CTE_7BIT }, { "8BIT", MIME_CTE_8BIT },
		{ " Quoted-Printable (qp)", MIME_CTE_QP }, { "\tbase64\r\n ", MIME_CTE_BASE64 },
		{ "binary", MIME_CTE_BINARY }, { "x-uuencode", MIME_CTE_OTHER },
		{ "base64 junk", MIME_CTE_OTHER }, { "", MIME_CTE_OTHER }, { "base6", MIME_CTE_OTHER },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		tap_int(mime_cte_parse(rows[i].in, strlen(rows[i].in)), rows[i].want, rows[i].in);
}

/* ---- multipart -------------------------------------------------------- */

static const struct {
	const char *what, *body, *boundary;
	const char *parts;		/* the parts' bytes, "|"-joined */
	size_t	preamble;
	int	closed;
	const char *after_end;		/* body from it.end on */
	const char *epilogue;
} multis[] = {
	{ "two parts, CRLF, preamble and epilogue",
	  "pre\r\n--b\r\nA: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\nepi\r\n", "b",
	  "A: 1\r\n\r\none|\r\ntwo", 3, 1, "\r\n--b--\r\nepi\r\n", "epi\r\n" },
	{ "LF line ends, delimiter at the start",
	  "--xy\n\nfirst\n--xy\n\nsecond\n\n--xy--\n", "xy", "\nfirst|\nsecond\n", 0, 1,
	  "\n--xy--\n", "" },
	{ "transport padding after a delimiter", "--b \t\r\n\r\nP\r\n--b--  \r\n", "b",
	  "\r\nP", 0, 1, "\r\n--b--  \r\n", "" },
	{ "look-alike lines are content",
	  "--b\n\n--bx\n---b\n --b\n--b x\n--b--\n", "b", "\n--bx\n---b\n --b\n--b x", 0, 1,
	  "\n--b--\n", "" },
	{ "no close delimiter: the rest is the last part", "--b\n\nonly\n", "b",
	  "\nonly\n", 0, 0, "", "" },
	{ "no delimiter at all", "just text\n", "b", "", 10, 0, "", "" },
	{ "empty part", "--b\n--b\n\nx\n--b--", "b", "|\nx", 0, 1, "\n--b--", "" },
	{ "close delimiter directly", "pre\n--b--\n", "b", "", 3, 1, "\n--b--\n", "" },
	{ "close delimiter with junk", "--b\n\nx\n--b-- trailing\nepi", "b", "\nx", 0, 1,
	  "\n--b-- trailing\nepi", "epi" },
};

static void test_multipart(void)
{
	size_t	i;

	for (i = 0; i < sizeof(multis) / sizeof(multis[0]); i++) {
		const char *body = multis[i].body;
		size_t	len = strlen(body);
		struct mime_parts it;
		struct mime_part p;
		struct buf got;
		const char *err;
		int	r;

		buf_init(&got, 4096);
		mime_parts_init(&it, body, len, multis[i].boundary, strlen(multis[i].boundary));
		while ((r = mime_parts_next(&it, &p, &err)) > 0) {
			if (it.count > 1)
				(void) buf_append_byte(&got, '|');
			(void) buf_append(&got, body + p.offset, p.len);
		}
		tap_int(r, 0, multis[i].what);
		tap_str(buf_str(&got), multis[i].parts, multis[i].what);
		tap_int((long long) it.preamble_len, (long long) multis[i].preamble, "preamble length");
		tap_int(it.closed, multis[i].closed, "closed");
		tap_str(body + it.end, multis[i].after_end, "bytes from end");
		tap_str(body + it.epilogue, multis[i].epilogue, "epilogue");
		buf_free(&got);
	}
}

static void test_multipart_errors(void)
{
	struct mime_parts it;
	struct mime_part p;
	struct buf b;
	const char *err = NULL;
	int	i, r;

	mime_parts_init(&it, "--\n", 3, "", 0);
	tap_int(mime_parts_next(&it, &p, &err), -1, "empty boundary refused");
	tap_str(err, "bad boundary", "reason");
	buf_init(&b, 1 << 20);
	for (i = 0; i <= LIMIT_MIME_PARTS; i++)
		(void) buf_append_str(&b, "--b\n");
	mime_parts_init(&it, b.data, b.len, "b", 1);
	while ((r = mime_parts_next(&it, &p, &err)) > 0)
		;
	tap_int(r, -1, "more than LIMIT_MIME_PARTS parts refused");
	tap_str(err, "too many parts", "reason");
	buf_free(&b);
}

static void test_entity(void)
{
	static const char e[] = "Content-Type: text/plain;\r\n charset=utf-8\r\n"
		"X-Content-Type: no\r\nContent-Transfer-Encoding : base64\r\n\r\nQUJD\r\n";
	const unsigned char *v;
	size_t	vlen, len = sizeof(e) - 1;

	tap_int(mime_entity_field(e, len, "content-type", &v, &vlen), 1, "entity: Content-Type found");
	tap_mem(v, vlen, " text/plain;\r\n charset=utf-8", 28, "entity: folded value");
	tap_int(mime_entity_field(e, len, "content-transfer-encoding", &v, &vlen), 1,
		"entity: obs WSP before the colon");
	tap_mem(v, vlen, " base64", 7, "entity: its value");
	tap_int(mime_entity_field(e, len, "type", &v, &vlen), 0, "entity: never a suffix match");
	tap_str(e + mime_entity_body(e, len), "QUJD\r\n", "entity: body offset");
	tap_int((long long) mime_entity_body("\nbody", 5), 1, "entity: no header");
	tap_int(mime_entity_field("Subject: x\n\nContent-Type: a/b\n", 30, "content-type", &v, &vlen),
		0, "entity: fields in the body are not fields");
}

/* ---- walk ------------------------------------------------------------- */

struct seen {
	char	path[512];
	size_t	used;
	int	stop_at;
	int	n;
};

static int record(void *ctx, const struct mime_node *n)
{
	struct seen *s = ctx;

	if (s->used + 64 < sizeof(s->path))
			s->used += (size_t) snprintf(s->path + s->used, sizeof(s->path) - s->used,
					     "%s%u:%.20s/%.20s", s->used ? " " : "", n->depth,
					     n->ctype->type, n->ctype->subtype);
	return ++s->n == s->stop_at ? 7 : 0;
}

static void test_walk(void)
{
	static const char msg[] =
		"Content-Type: multipart/mixed; boundary=o\n\n"
		"--o\nContent-Type: multipart/alternative; boundary=i\n\n"
		"--i\n\nplain\n--i\nContent-Type: text/html\n\n<p>\n--i--\n"
		"--o\nContent-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: x\n\ny\n--d--\n"
		"--o\nContent-Type: bogus\n\nz\n--o--\n";
	struct msg *m;
	struct seen s;
	const char *err;

	memset(&s, 0, sizeof(s));
	if (!tap_ok(msg_parse(&m, msg, sizeof(msg) - 1, &err) == 0, "walk: parse"))
		return;
	tap_int(mime_walk(m, record, &s, &err), 0, "walk: whole tree");
	tap_str(s.path, "0:multipart/mixed 1:multipart/alternative 2:text/plain 2:text/html "
		"1:multipart/digest 2:message/rfc822 1:text/plain", "walk: order, depth and defaults");
	memset(&s, 0, sizeof(s));
	s.stop_at = 3;
	tap_int(mime_walk(m, record, &s, &err), 7, "walk: the visitor can stop it");
	msg_free(m);
}

static void test_walk_depth(void)
{
	struct buf b;
	struct msg *m;
	struct seen s;
	const char *err = NULL;
	int	i;

	buf_init(&b, 1 << 20);
	(void) buf_append_str(&b, "Content-Type: multipart/mixed; boundary=b0\n\n");
	for (i = 1; i <= LIMIT_MIME_DEPTH + 1; i++)
		(void) buf_printf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i - 1, i);
	memset(&s, 0, sizeof(s));
	if (tap_ok(msg_parse(&m, b.data, b.len, &err) == 0, "deep: parse")) {
		tap_int(mime_walk(m, record, &s, &err), -1, "deep: nesting beyond the cap refused");
		tap_str(err, "nesting too deep", "deep: reason");
		msg_free(m);
	}
	buf_free(&b);
}

/* ---- encoders --------------------------------------------------------- */

static void test_qp(void)
{
	static const struct {
		const char *what, *in, *want;
	} rows[] = {
		{ "plain ASCII unchanged", "Hello\n", "Hello\r\n" },
		{ "'=' and 8-bit encoded", "a=b \xc3\xa9\n", "a=3Db =C3=A9\r\n" },
		{ "white space before a line end", "x \r\ny\t\n", "x=20\r\ny=09\r\n" },
		{ "no final line end", "abc", "abc" },
		{ "long line softly broken",
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678\n",
		  "012345678901234567890123456789012345678901234567890123456789012345678901234=\r\n"
		  "5678\r\n" },
		{ "an escape is never split",
		  "01234567890123456789012345678901234567890123456789012345678901234567890123\xff\n",
		  "01234567890123456789012345678901234567890123456789012345678901234567890123=\r\n"
		  "=FF\r\n" },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct buf out;

		buf_init(&out, 4096);
		tap_int(mime_qp_encode(rows[i].in, strlen(rows[i].in), "\r\n", &out), 0, rows[i].what);
		tap_str(buf_str(&out), rows[i].want, rows[i].what);
		buf_free(&out);
	}
}

static void test_words(void)
{
	struct buf out;
	/* 30 x "é" = 60 octets needs two words; the first holds 44 octets,
	 * not 45, so that no character is split (22 + 8 characters). */
	char	in[64];
	int	i;

	buf_init(&out, 4096);
	(void) mime_encode_words("D\xc3\xa9v", 4, "\r\n ", &out);
	tap_str(buf_str(&out), "=?utf-8?B?RMOpdg==?=", "words: one short word");
	buf_reset(&out);
	for (i = 0; i < 30; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	(void) mime_encode_words(in, 60, "\r\n ", &out);
	tap_str(buf_str(&out),
		"=?utf-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=\r\n"
		" =?utf-8?B?w6nDqcOpw6nDqcOpw6nDqQ==?=", "words: split on a character boundary");
	buf_free(&out);
}

int main(void)
{
	test_ctypes();
	test_ctype_limits();
	test_msg_ctype();
	test_cte();
	test_multipart();
	test_multipart_errors();
	test_entity();
	test_walk();
	test_walk_depth();
	test_qp();
	test_words();
	return tap_done();
}
