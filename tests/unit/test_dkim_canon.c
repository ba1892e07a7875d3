/*
 * NAME
 *	test_dkim_canon 1
 * SUMMARY
 *	unit tests for DKIM canonicalization and the body hash (lib/dkim)
 * DESCRIPTION
 *	Header rows: one raw field (as lib/msg parses it) and its canonical
 *	form under simple or relaxed (RFC 6376 section 3.4).  Body rows: a
 *	raw body and its canonical form.  The section 3.4.5 example is
 *	checked exactly.  Each body row is then hashed by dkim_bodyhash fed
 *	in one piece, one byte at a time and in random chunks; all three
 *	must equal SHA-256 of the expected canonical form.  l= limits are
 *	checked against the hash of the first l octets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dkim/dkim_int.h"
#include "msg/msg.h"
#include "tap.h"

#define S	DKIM_CANON_SIMPLE
#define R	DKIM_CANON_RELAXED

struct header_case {
	const char *what;
	enum dkim_canon canon;
	const char *field;		/* raw, as the start of a message */
	int	crlf;			/* 0: the DKIM-Signature form */
	const char *want;
};

static const struct header_case header_cases[] = {
	{"relaxed lowercases the name", R, "SuBject: Hi\r\n", 1, "subject:Hi\r\n"},
	{"relaxed keeps the case of the value", R, "X: MiXeD\r\n", 1, "x:MiXeD\r\n"},
	{"relaxed unfolds CRLF followed by WSP", R, "Subject: a\r\n b\r\n", 1,
	 "subject:a b\r\n"},
	{"relaxed unfolds a TAB fold to one SP", R, "Subject: a\r\n\tb\r\n", 1,
	 "subject:a b\r\n"},
	{"relaxed collapses runs of SP and HTAB", R, "X: a \t  b\r\n", 1,
	 "x:a b\r\n"},
	{"relaxed deletes WSP at the end of the value", R, "X: a \t\r\n", 1,
	 "x:a\r\n"},
	{"relaxed deletes WSP around the colon", R, "X \t:\t a\r\n", 1, "x:a\r\n"},
	{"relaxed: WSP before a fold and the fold make one SP", R,
	 "X: a \r\n \tb\r\n", 1, "x:a b\r\n"},
	{"relaxed: a WSP-only continuation line vanishes into one SP", R,
	 "X: a\r\n \r\n b\r\n", 1, "x:a b\r\n"},
	{"relaxed: bare LF folding is unfolded like CRLF", R, "X: a\n\tb\n", 1,
	 "x:a b\r\n"},
	{"relaxed: empty value", R, "X:\r\n", 1, "x:\r\n"},
	{"relaxed: WSP-only value", R, "X:  \t \r\n", 1, "x:\r\n"},
	{"relaxed: fold right after the colon", R, "X:\r\n a\r\n", 1, "x:a\r\n"},
	{"relaxed: a CR that does not end a line is kept", R, "X: a\rb\r\n", 1,
	 "x:a\rb\r\n"},
	{"relaxed: 8-bit bytes are kept", R, "X: caf\xc3\xa9\r\n", 1,
	 "x:caf\xc3\xa9\r\n"},
	{"relaxed without the final CRLF (the signature field)", R,
	 "DKIM-Signature: v=1;\r\n b= \r\n", 0, "dkim-signature:v=1; b="},
	{"simple keeps every byte", S, "SuBject :  a \r\n\tb \r\n", 1,
	 "SuBject :  a \r\n\tb \r\n"},
	{"simple writes bare LF line ends as CRLF", S, "X: a\n b\n", 1,
	 "X: a\r\n b\r\n"},
	{"simple without the final CRLF", S, "X: a\r\n b\r\n", 0, "X: a\r\n b"},
	{"simple: field without a line end at the end of input", S, "X: a", 1,
	 "X: a\r\n"},
	{"relaxed: field without a line end at the end of input", R, "X: a ", 1,
	 "x:a\r\n"},
};

static void test_headers(void)
{
	struct buf out;
	size_t	i;

	buf_init(&out, 1 << 20);
	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
		const struct header_case *c = &header_cases[i];
		struct msg *m;
		const char *error;

		if (!tap_ok(msg_parse(&m, c->field, strlen(c->field), &error) == 0
			    && msg_field_count(m) >= 1, "%s: message parses", c->what))
			continue;
		buf_reset(&out);
		dkim_canon_header(c->canon, msg_field(m, 0), c->crlf, &out);
		tap_mem(out.data, out.len, c->want, strlen(c->want), c->what);
		msg_free(m);
	}
	buf_free(&out);
}

/* RFC 6376 section 3.4.5, character for character. */
static const char rfc_example[] =
	"A: X\r\n"
	"B : Y\t\r\n"
	"\tZ  \r\n"
	"\r\n"
	" C \r\n"
	"D \t E\r\n"
	"\r\n"
	"\r\n";

static void test_rfc_example(void)
{
	struct msg *m;
	struct buf out;
	const char *error;
	const unsigned char *body;
	size_t	len, i;

	if (!tap_ok(msg_parse(&m, rfc_example, sizeof(rfc_example) - 1, &error) == 0,
		    "RFC 6376 3.4.5 example parses"))
		return;
	buf_init(&out, 4096);
	for (i = 0; i < msg_field_count(m); i++)
		dkim_canon_header(R, msg_field(m, i), 1, &out);
	tap_str(buf_str(&out), "a:X\r\nb:Y Z\r\n",
		"RFC 6376 3.4.5: relaxed header canonicalization");
	buf_reset(&out);
	for (i = 0; i < msg_field_count(m); i++)
		dkim_canon_header(S, msg_field(m, i), 1, &out);
	tap_str(buf_str(&out), "A: X\r\nB : Y\t\r\n\tZ  \r\n",
		"RFC 6376 3.4.5: simple header canonicalization");
	body = msg_body(m, &len);
	buf_reset(&out);
	dkim_canon_body(R, body, len, -1, &out);
	tap_str(buf_str(&out), " C\r\nD E\r\n",
		"RFC 6376 3.4.5: relaxed body canonicalization");
	buf_reset(&out);
	dkim_canon_body(S, body, len, -1, &out);
	tap_str(buf_str(&out), " C \r\nD \t E\r\n",
		"RFC 6376 3.4.5: simple body canonicalization");
	buf_free(&out);
	msg_free(m);
}

struct body_case {
	const char *what;
	enum dkim_canon canon;
	const char *body;
	const char *want;
};

static const struct body_case body_cases[] = {
	{"simple: an empty body is one CRLF", S, "", "\r\n"},
	{"relaxed: an empty body stays empty", R, "", ""},
	{"simple: a body of empty lines is one CRLF", S, "\r\n\r\n\r\n", "\r\n"},
	{"relaxed: a body of empty lines is empty", R, "\r\n\r\n\r\n", ""},
	{"simple: empty lines at the end are removed", S, "a\r\n\r\n\r\n", "a\r\n"},
	{"relaxed: empty lines at the end are removed", R, "a\r\n\r\n", "a\r\n"},
	{"simple: empty lines inside are kept", S, "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n"},
	{"relaxed: empty lines inside are kept", R, "a\r\n\r\n\r\nb\r\n",
	 "a\r\n\r\n\r\nb\r\n"},
	{"simple: a missing final CRLF is added", S, "abc", "abc\r\n"},
	{"relaxed: a missing final CRLF is added", R, "abc", "abc\r\n"},
	{"simple: bare LF is CRLF", S, "a\nb\n\n", "a\r\nb\r\n"},
	{"relaxed: bare LF is CRLF", R, "a \nb\t\n\n", "a\r\nb\r\n"},
	{"simple: mixed CRLF and LF", S, "a\r\nb\nc", "a\r\nb\r\nc\r\n"},
	{"simple: trailing WSP is kept", S, "a \t\r\n", "a \t\r\n"},
	{"relaxed: WSP at line ends is ignored", R, "a \t\r\nb \r\n", "a\r\nb\r\n"},
	{"simple: a WSP-only last line is not empty", S, "a\r\n \t\r\n", "a\r\n \t\r\n"},
	{"relaxed: a WSP-only last line is an empty line", R, "a\r\n \t\r\n\r\n",
	 "a\r\n"},
	{"relaxed: a WSP-only line inside becomes empty", R, "a\r\n  \r\nb\r\n",
	 "a\r\n\r\nb\r\n"},
	{"relaxed: WSP runs inside a line become one SP", R, "a \t b\t\tc\r\n",
	 "a b c\r\n"},
	{"relaxed: leading WSP becomes one SP, not nothing", R, " \t a\r\n",
	 " a\r\n"},
	{"relaxed: WSP without a line end at the end", R, "a\r\n  ", "a\r\n"},
	{"relaxed: a body of WSP only is empty", R, " \t ", ""},
	{"simple: a body of WSP only is one line", S, " ", " \r\n"},
	{"a CR that does not end a line is content", S, "a\rb\r\n", "a\rb\r\n"},
	{"relaxed: CR CR LF is content CR, then a line end", R, "a\r\r\n",
	 "a\r\r\n"},
	{"a CR at the very end is content", S, "a\r", "a\r\r\n"},
	{"relaxed: CR is not whitespace", R, "a \r b\r\n", "a \r b\r\n"},
	{"8-bit bytes are content", R, "\xc3\xa9 x", "\xc3\xa9 x\r\n"},
};

static void sha256(const void *p, size_t n, unsigned char *out)
{
	unsigned int len;

	EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

/* Hash body with dkim_bodyhash in chunks: step 0 = one piece, 1 = bytes,
   -1 = random chunk sizes. */
static int bodyhash_chunks(enum dkim_canon canon, const unsigned char *body,
			   size_t len, long long limit, int step,
			   unsigned char *digest, long long *total)
{
	struct dkim_bodyhash *bh = dkim_bodyhash_new(canon, DKIM_ALGO_RSA_SHA256,
						     limit);
	const unsigned char *d;
	size_t	off = 0, dlen;

	if (bh == NULL)
		return -1;
	while (off < len) {
		size_t	n = step == 0 ? len - off : step > 0 ? (size_t) step
			: (size_t) (rand() % 17) + (rand() % 5 == 0 ? 200 : 0);

		if (n > len - off)
			n = len - off;
		if (dkim_bodyhash_update(bh, body + off, n) < 0)
			break;
		off += n;
	}
	if (off != len || dkim_bodyhash_final(bh) < 0
	    || (d = dkim_bodyhash_digest(bh, &dlen)) == NULL || dlen != 32) {
		dkim_bodyhash_free(bh);
		return -1;
	}
	memcpy(digest, d, 32);
	*total = dkim_bodyhash_length(bh);
	dkim_bodyhash_free(bh);
	return 0;
}

static void test_bodies(void)
{
	struct buf out;
	size_t	i;

	buf_init(&out, 1 << 20);
	for (i = 0; i < sizeof(body_cases) / sizeof(body_cases[0]); i++) {
		const struct body_case *c = &body_cases[i];
		size_t	len = strlen(c->body), wl = strlen(c->want);
		unsigned char *in = malloc(len + 1);
		unsigned char want[32], got[32];
		int	step, same = 1;
		long long total;

		memcpy(in, c->body, len);
		buf_reset(&out);
		dkim_canon_body(c->canon, in, len, -1, &out);
		tap_mem(out.data, out.len, c->want, wl, c->what);
		sha256(c->want, wl, want);
		for (step = -1; step <= 1; step++)
			if (bodyhash_chunks(c->canon, in, len, -1, step, got, &total) < 0
			    || memcmp(got, want, 32) != 0 || total != (long long) wl)
				same = 0;
		tap_ok(same, "%s: body hash in one piece, by bytes, in random chunks",
		       c->what);
		free(in);
	}
	buf_free(&out);
}

/* Known body hashes of the empty body (RFC 6376 section 3.4.3/3.4.4). */
static void test_empty_hashes(void)
{
	static const struct {
		const char *what;
		enum dkim_canon canon;
		const char *b64;
	} rows[] = {
		{"simple empty body hash is SHA-256(CRLF)", S,
		 "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY="},
		{"relaxed empty body hash is SHA-256 of nothing", R,
		 "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
	};
	struct buf b;
	size_t	i;

	buf_init(&b, 1024);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned char d[32];
		long long total;

		buf_reset(&b);
		if (bodyhash_chunks(rows[i].canon, (const unsigned char *) "", 0, -1, 0,
				    d, &total) == 0)
			dkim_b64_encode(d, 32, &b);
		tap_str(buf_str(&b), rows[i].b64, rows[i].what);
	}
	buf_free(&b);
}

/* A body with every tricky byte, hashed in many ways, must agree. */
static void test_random_bodies(void)
{
	static const char alphabet[] = "ab \t\r\n\r\n\n  \t\rx\0";
	struct buf canon;
	int	round, bad = 0;
	enum dkim_canon c;

	buf_init(&canon, 1 << 20);
	srand(4242);
	for (round = 0; round < 200; round++)
		for (c = S; c <= R; c++) {
			size_t	len = (size_t) (rand() % 300), i;
			unsigned char *body = malloc(len + 1);
			unsigned char want[32], got[32];
			long long total;
			int	step;

			for (i = 0; i < len; i++)
				body[i] = (unsigned char) alphabet[rand()
								   % (sizeof(alphabet) - 1)];
			buf_reset(&canon);
			dkim_canon_body(c, body, len, -1, &canon);
			sha256(canon.data != NULL ? canon.data : (unsigned char *) "",
			       canon.len, want);
			for (step = -1; step <= 1; step++)
				if (bodyhash_chunks(c, body, len, -1, step, got, &total) < 0
				    || memcmp(got, want, 32) != 0
				    || total != (long long) canon.len)
					bad++;
			free(body);
		}
	tap_int(bad, 0, "400 random bodies of WSP, CR, LF, NUL: whole, by bytes "
		"and in random chunks give the same hash");
	buf_free(&canon);
}

static void test_limits(void)
{
	static const struct {
		const char *what;
		enum dkim_canon canon;
		const char *body;
		long long limit;
		const char *hashed;	/* what the first l octets are */
		long long total;
	} rows[] = {
		{"l=5 hashes the first five canonical octets", R,
		 "hello  world\r\n", 5, "hello", 13},
		{"l=0 hashes nothing", S, "abc\r\n", 0, "", 5},
		{"l= counts canonical octets, not raw ones", R, "a  \t b\n\n", 4,
		 "a b\r", 5},
		{"l= equal to the body hashes all of it", S, "abc\n", 5, "abc\r\n", 5},
		{"l= past the body hashes all of it", S, "abc\n", 50, "abc\r\n", 5},
		{"simple empty body with l=2 is CRLF", S, "", 2, "\r\n", 2},
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned char want[32], got[32];
		long long total = -1;
		int	step, ok = 1;
		struct buf b;

		sha256(rows[i].hashed, strlen(rows[i].hashed), want);
		for (step = -1; step <= 1; step++)
			if (bodyhash_chunks(rows[i].canon,
					    (const unsigned char *) rows[i].body,
					    strlen(rows[i].body), rows[i].limit,
					    step, got, &total) < 0
			    || memcmp(got, want, 32) != 0)
				ok = 0;
		tap_ok(ok, "%s", rows[i].what);
		tap_int(total, rows[i].total, "  and the whole canonical length is kept");
		buf_init(&b, 1024);
		dkim_canon_body(rows[i].canon, rows[i].body, strlen(rows[i].body),
				rows[i].limit, &b);
		tap_str(buf_str(&b), rows[i].hashed, "  dkim_canon_body agrees");
		buf_free(&b);
	}
}

static void test_bodyhash_api(void)
{
	struct dkim_bodyhash *bh = dkim_bodyhash_new(R, DKIM_ALGO_RSA_SHA1, -1);
	size_t	len = 99;

	tap_ok(bh != NULL, "a SHA-1 body hash for old rsa-sha1 signatures");
	tap_ok(dkim_bodyhash_digest(bh, &len) == NULL && len == 0,
	       "no digest before final");
	dkim_bodyhash_update(bh, "x\r\n", 3);
	dkim_bodyhash_final(bh);
	tap_ok(dkim_bodyhash_digest(bh, &len) != NULL && len == 20,
	       "SHA-1 digest is 20 octets");
	tap_int(dkim_bodyhash_final(bh), 0, "final twice is harmless");
	tap_int(dkim_bodyhash_update(bh, "y", 1), -1, "update after final is refused");
	dkim_bodyhash_free(bh);
	dkim_bodyhash_free(NULL);
}

int main(void)
{
	test_headers();
	test_rfc_example();
	test_bodies();
	test_empty_hashes();
	test_random_bodies();
	test_limits();
	test_bodyhash_api();
	return tap_done();
}
