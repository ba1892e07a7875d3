/*
 * NAME
 *	test_dkim_tag 1
 * SUMMARY
 *	unit tests for DKIM tag lists and base64 (lib/dkim)
 * DESCRIPTION
 *	Rows of tag-lists (RFC 6376 section 3.2) with the tags expected as
 *	"name=value|..." or the error, and rows of base64 values as b=, bh=
 *	and p= carry them.  Every input sits in a heap block of exactly its
 *	length, so a read past the end shows under ASan and valgrind, and
 *	every prefix of every row is iterated too (no fault, whatever the
 *	result).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"
#include "tap.h"

struct tag_case {
	const char *what;
	const char *in;
	size_t	len;			/* 0: strlen(in) */
	const char *want;		/* "a=1|b=2", or NULL for an error */
	const char *error;
};

static const struct tag_case tag_cases[] = {
	{"two tags", "a=1; b=2", 0, "a=1|b=2", NULL},
	{"one trailing semicolon is allowed", "a=1;", 0, "a=1", NULL},
	{"FWS after the trailing semicolon", "a=1; \r\n ", 0, "a=1", NULL},
	{"FWS around name, equals sign and value",
	 " \t a \r\n\t= \r\n 1 ;b=2", 0, "a=1|b=2", NULL},
	{"value keeps its inner FWS", "h=from : to\r\n :subject; x=1", 0,
	 "h=from : to\r\n :subject|x=1", NULL},
	{"bare LF folding as the message model keeps it", "a=1;\n\tb=2", 0,
	 "a=1|b=2", NULL},
	{"empty value (revoked key p=)", "v=DKIM1; p=", 0, "v=DKIM1|p=", NULL},
	{"empty value before a semicolon", "p=; k=rsa", 0, "p=|k=rsa", NULL},
	{"empty list", "", 0, "", NULL},
	{"list of FWS only", "  \r\n\t", 0, "", NULL},
	{"name with digits and underscore", "a_1b=x", 0, "a_1b=x", NULL},
	{"equals sign inside a value is a VALCHAR", "b=ab==; c=d", 0,
	 "b=ab==|c=d", NULL},
	{"duplicate names are the caller's to refuse", "a=1;a=2", 0,
	 "a=1|a=2", NULL},
	{"tag names are case-sensitive and kept as written", "V=1", 0, "V=1", NULL},
	{"name starting with a digit", "1a=x", 0, NULL, "bad tag name"},
	{"name with a dash", "a-b=x", 0, NULL, "missing = after tag name"},
	{"two semicolons in a row", "a=1;;b=2", 0, NULL, "empty tag"},
	{"leading semicolon", ";a=1", 0, NULL, "empty tag"},
	{"a semicolon alone", ";", 0, NULL, "empty tag"},
	{"name without equals sign", "a", 0, NULL, "missing = after tag name"},
	{"name and FWS without equals sign", "a \r\n ; b=1", 0, NULL,
	 "missing = after tag name"},
	{"8-bit byte in a value", "a=caf\xc3\xa9", 0, NULL,
	 "bad character in tag value"},
	{"NUL in a value", "a=b\0c", 5, NULL, "bad character in tag value"},
	{"control character in a value", "a=b\x01", 0, NULL,
	 "bad character in tag value"},
	{"DEL in a value", "a=b\x7f", 0, NULL, "bad character in tag value"},
	{"NUL in a name", "a\0=b", 4, NULL, "missing = after tag name"},
};

static void run_tags(const unsigned char *in, size_t len, struct buf *out,
		     const char **error)
{
	struct dkim_tag_iter it;
	struct dkim_tag t;
	int	rc, first = 1;

	*error = NULL;
	buf_reset(out);
	dkim_tag_init(&it, in, len);
	while ((rc = dkim_tag_next(&it, &t, error)) > 0) {
		if (!first)
			buf_append_byte(out, '|');
		first = 0;
		buf_append(out, t.name, t.name_len);
		buf_append_byte(out, '=');
		buf_append(out, t.value, t.value_len);
	}
	if (rc == 0)
		*error = NULL;
}

static void test_tag_rows(void)
{
	struct buf out;
	size_t	i, cut;

	buf_init(&out, 1 << 20);
	for (i = 0; i < sizeof(tag_cases) / sizeof(tag_cases[0]); i++) {
		const struct tag_case *c = &tag_cases[i];
		size_t	len = c->len != 0 ? c->len : strlen(c->in);
		unsigned char *in = malloc(len + 1);
		const char *error;

		memcpy(in, c->in, len);
		run_tags(in, len, &out, &error);
		if (c->want != NULL) {
			if (tap_ok(error == NULL, "%s: parses", c->what))
				tap_str(buf_str(&out), c->want, c->what);
			else
				tap_diag("error: %s", error);
		} else {
			tap_str(error, c->error, c->what);
		}
		for (cut = 0; cut < len; cut++)	/* every prefix, exact size */
			run_tags(in, cut, &out, &error);
		free(in);
	}
	buf_free(&out);
}

static void test_tag_limit(void)
{
	size_t	len = LIMIT_DKIM_TAG_LIST + 1;
	unsigned char *in = malloc(len);
	struct dkim_tag_iter it;
	struct dkim_tag t;
	const char *error = NULL;

	memset(in, 'a', len);
	in[0] = 'x';
	in[1] = '=';
	dkim_tag_init(&it, in, len);
	tap_int(dkim_tag_next(&it, &t, &error), -1,
		"tag list one octet over LIMIT_DKIM_TAG_LIST is refused");
	tap_str(error, "tag list too long", "  with its reason");
	dkim_tag_init(&it, in, len - 1);
	tap_int(dkim_tag_next(&it, &t, &error), 1,
		"tag list of exactly LIMIT_DKIM_TAG_LIST parses");
	free(in);
}

struct b64_case {
	const char *what;
	const char *in;
	const char *want;		/* decoded, or NULL for an error */
	size_t	want_len;
};

static const struct b64_case b64_cases[] = {
	{"RFC 4648 vector: empty", "", "", 0},
	{"RFC 4648 vector: f", "Zg==", "f", 1},
	{"RFC 4648 vector: fo", "Zm8=", "fo", 2},
	{"RFC 4648 vector: foo", "Zm9v", "foo", 3},
	{"RFC 4648 vector: foob", "Zm9vYg==", "foob", 4},
	{"RFC 4648 vector: fooba", "Zm9vYmE=", "fooba", 5},
	{"RFC 4648 vector: foobar", "Zm9vYmFy", "foobar", 6},
	{"FWS anywhere is skipped", " Zm 9v\r\n\tYm\nFy ", "foobar", 6},
	{"FWS between the padding octets", "Zg=\r\n =", "f", 1},
	{"missing padding is accepted (some key records)", "Zm9vYg", "foob", 4},
	{"all 64 symbols", "+/+/", "\xfb\xff\xbf", 3},
	{"padding in the middle", "Zg==Zg==", NULL, 0},
	{"a character outside the alphabet", "Zm9v!", NULL, 0},
	{"URL-safe alphabet is not base64", "-_8=", NULL, 0},
	{"lone final sextet", "Zm9vY", NULL, 0},
	{"non-zero unused bits (one octet)", "Zh==", NULL, 0},
	{"non-zero unused bits (two octets)", "Zm9=", NULL, 0},
	{"three padding octets", "Zg===", NULL, 0},
	{"one padding octet where two belong", "Zg=", NULL, 0},
	{"padding on a full group", "Zm9v=", NULL, 0},
	{"semicolon is junk", "Zm9v;", NULL, 0},
	{"8-bit byte is junk", "Zm9v\xc3", NULL, 0},
};

static void test_b64(void)
{
	size_t	i;

	for (i = 0; i < sizeof(b64_cases) / sizeof(b64_cases[0]); i++) {
		const struct b64_case *c = &b64_cases[i];
		size_t	len = strlen(c->in), out_len = 0;
		unsigned char *in = malloc(len + 1);
		unsigned char *out;
		const char *error = NULL;

		memcpy(in, c->in, len);
		out = dkim_b64_decode(in, len, &out_len, &error);
		if (c->want != NULL) {
			if (tap_ok(out != NULL, "base64 %s: decodes", c->what))
				tap_mem(out, out_len, c->want, c->want_len, c->what);
		} else {
			tap_ok(out == NULL && error != NULL
			       && strcmp(error, "bad base64") == 0,
			       "base64 %s: refused", c->what);
		}
		free(out);
		free(in);
	}
}

static void test_b64_roundtrip(void)
{
	unsigned char data[300];
	struct buf enc;
	size_t	n, i, ok = 0;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char) (i * 7 + 3);
	buf_init(&enc, 4096);
	for (n = 0; n <= sizeof(data); n++) {
		unsigned char *dec;
		size_t	dlen;
		const char *error;

		buf_reset(&enc);
		dkim_b64_encode(data, n, &enc);
		dec = dkim_b64_decode(enc.data, enc.len, &dlen, &error);
		if (dec != NULL && dlen == n && memcmp(dec, data, n) == 0
		    && enc.len == (n + 2) / 3 * 4)
			ok++;
		free(dec);
	}
	tap_int((long long) ok, (long long) sizeof(data) + 1,
		"base64 encode then decode gives the input back, lengths 0..300");
	buf_free(&enc);
}

int main(void)
{
	test_tag_rows();
	test_tag_limit();
	test_b64();
	test_b64_roundtrip();
	return tap_done();
}
