/*
 * NAME
 *	fuzz_mime 1
 * SUMMARY
 *	libFuzzer target for lib/mime
 * DESCRIPTION
 *	The input is used four ways: as a Content-Type value (the result
 *	must be lowercased tokens without NUL), as a multipart body with
 *	boundary "b" (parts must be in order, inside the body and tile it
 *	with the delimiters), as a whole message walked with mime_walk()
 *	(every node's body must lie inside the message body), and as text
 *	to quoted-printable encode (lines at most 76 characters, printable
 *	ASCII only, and decoding gives the input back with CRLF as LF) and
 *	to encode as RFC 2047 words (each at most 75 characters).  Any
 *	violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "mime/mime.h"
#include "msg/msg.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ctype(const uint8_t *data, size_t size)
{
	struct mime_ctype ct;
	const char *err;
	size_t	i;

	if (mime_ctype_parse(data, size, &ct, &err) < 0)
		return;
	if (ct.type[0] == 0 || ct.subtype[0] == 0)
		abort();
	for (i = 0; i < ct.count; i++) {
		const char *n = ct.params[i].name;

		for (; *n != 0; n++)
			if (*n >= 'A' && *n <= 'Z')
				abort();
		if (mime_ctype_param(&ct, ct.params[i].name) != ct.params[i].value)
			abort();	/* duplicates are refused */
	}
	mime_ctype_free(&ct);
	(void) mime_cte_parse(data, size);
}

static void check_parts(const uint8_t *data, size_t size)
{
	struct mime_parts it;
	struct mime_part p;
	const char *err;
	size_t	last = 0;
	int	r;

	mime_parts_init(&it, data, size, "b", 1);
	while ((r = mime_parts_next(&it, &p, &err)) > 0) {
		if (p.offset < last || p.offset + p.len > size || p.offset < it.preamble_len)
			abort();
		last = p.offset + p.len;
	}
	if (r < 0 && strcmp(err, "too many parts") != 0)
		abort();
	if (r == 0 && (it.end < last || it.end > size || it.epilogue > size
		       || (it.closed && it.epilogue < it.end)))
		abort();
}

struct span {
	const unsigned char *lo, *hi;
};

static int visit(void *ctx, const struct mime_node *n)
{
	const struct span *s = ctx;

	if (n->body < s->lo || n->body + n->body_len > s->hi || n->depth > LIMIT_MIME_DEPTH)
		abort();
	return 0;
}

static void check_walk(const uint8_t *data, size_t size)
{
	struct msg *m;
	struct span s;
	const char *err;
	size_t	blen;

	if (msg_parse(&m, data, size, &err) < 0)
		return;
	s.lo = msg_body(m, &blen);
	s.hi = s.lo + blen;
	(void) mime_walk(m, visit, &s, &err);
	msg_free(m);
}

static int unhex(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode what mime_qp_encode wrote (eol "\n") and compare. */
static void check_qp_decode(const struct buf *enc, const uint8_t *data, size_t size)
{
	struct buf dec, want;
	size_t	i;

	buf_init(&dec, 4 * size + 16);
	buf_init(&want, size + 1);
	for (i = 0; i < size; i++)
		if (!(data[i] == '\r' && i + 1 < size && data[i + 1] == '\n'))
			(void) buf_append_byte(&want, data[i]);
	for (i = 0; i < enc->len; i++) {
		unsigned char c = enc->data[i];

		if (c == '=' && i + 1 < enc->len && enc->data[i + 1] == '\n') {
			i++;
		} else if (c == '=') {
			if (i + 2 >= enc->len || unhex(enc->data[i + 1]) < 0 || unhex(enc->data[i + 2]) < 0)
				abort();
			(void) buf_append_byte(&dec, (unsigned char) (unhex(enc->data[i + 1]) * 16
								     + unhex(enc->data[i + 2])));
			i += 2;
		} else {
			(void) buf_append_byte(&dec, c);
		}
	}
	if (dec.len != want.len || (dec.len > 0 && memcmp(dec.data, want.data, dec.len) != 0))
		abort();
	buf_free(&dec);
	buf_free(&want);
}

static void check_qp(const uint8_t *data, size_t size)
{
	struct buf enc;
	size_t	i, col = 0;

	buf_init(&enc, 4 * size + 16);
	if (mime_qp_encode(data, size, "\n", &enc) < 0)
		abort();
	for (i = 0; i < enc.len; i++) {
		unsigned char c = enc.data[i];

		if (c == '\n') {
			if (i > 0 && (enc.data[i - 1] == ' ' || enc.data[i - 1] == '\t'))
				abort();	/* trailing white space is encoded */
			col = 0;
			continue;
		}
		if ((c < 32 && c != '\t') || c > 126 || ++col > 76)
			abort();
	}
	check_qp_decode(&enc, data, size);
	buf_free(&enc);
}

static void check_words(const uint8_t *data, size_t size)
{
	struct buf out;
	const unsigned char *p, *end;

	buf_init(&out, 2 * size + 80 * (size / 45 + 1));
	if (mime_encode_words(data, size, "\n ", &out) < 0)
		abort();
	/* an empty result may have no buffer at all: NULL + 0 is undefined */
	p = out.len > 0 ? out.data : NULL;
	for (end = p != NULL ? p + out.len : NULL; p != NULL && p < end;) {
		const unsigned char *nl = memchr(p, '\n', (size_t) (end - p));
		size_t	n = (size_t) ((nl != NULL ? nl : end) - p);

		if (n > 76)		/* " " + a word of at most 75 */
			abort();
		p = nl != NULL ? nl + 1 : NULL;
	}
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_ctype(data, size);
	check_parts(data, size);
	check_walk(data, size);
	check_qp(data, size);
	check_words(data, size);
	return 0;
}
