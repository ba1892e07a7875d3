/*
 * NAME
 *	addr_rfc2047 3
 * SUMMARY
 *	decode RFC 2047 encoded words to UTF-8
 * DESCRIPTION
 *	An encoded word is "=?" charset ["*" language] "?" B|Q "?" text "?="
 *	(RFC 2047 section 2, RFC 2231 section 5 for the language).  The
 *	bytes it stands for are converted from charset to UTF-8 with iconv.
 *	Anything that is not exactly that form, or that does not decode or
 *	convert cleanly, is left as it was: showing the raw word loses less
 *	than guessing.  The 75-octet limit on a word is not enforced, since
 *	many mail programs write longer ones and the meaning is clear.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "addr/addr.h"
#include "addr/addr_rfc2047.h"

/* No registered charset name is near this long; longer is garbage. */
#define CHARSET_MAX	64

void addr_ew_init(struct addr_ew *ew)
{
	ew->cd = (iconv_t) -1;
	ew->charset = NULL;
}

void addr_ew_free(struct addr_ew *ew)
{
	if (ew->cd != (iconv_t) -1)
		iconv_close(ew->cd);
	free(ew->charset);
	addr_ew_init(ew);
}

/*
 * RFC 2047 section 2: charset is a token, any CHAR except SPACE, CTLs
 * and especials.  Refusing '/' and ',' also keeps glibc's "//TRANSLIT"
 * style suffixes out of iconv_open().
 */
static int charset_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\"/[]?.=", c) == NULL;
}


static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 (RFC 2045 6.8); missing padding is tolerated, junk is not. */
static int decode_b(const unsigned char *s, size_t len, struct buf *raw)
{
	unsigned int acc = 0;
	int	bits = 0;
	size_t	i;
	size_t	chars = 0;
	size_t	pad = 0;

	for (i = 0; i < len; i++) {
		int	v;

		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value(s[i])) < 0)
			return -1;
		acc = (acc << 6) | (unsigned int) v;
		bits += 6;
		chars++;
		if (bits >= 8) {
			bits -= 8;
			buf_append_byte(raw, (unsigned char) (acc >> bits));
		}
	}
	if (chars % 4 == 1 || pad > 2 || (pad > 0 && (chars + pad) % 4 != 0))
		return -1;
	return buf_failed(raw) ? -1 : 0;
}

/* Q (RFC 2047 4.2): "_" is a space, "=XX" a byte, other printables themselves. */
static int decode_q(const unsigned char *s, size_t len, struct buf *raw)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '_') {
			buf_append_byte(raw, ' ');
		} else if (c == '=') {
			int	hi, lo;

			if (len - i < 3 || (hi = buf_hex_value(s[i + 1])) < 0
			    || (lo = buf_hex_value(s[i + 2])) < 0)
				return -1;
			buf_append_byte(raw, (unsigned char) (hi << 4 | lo));
			i += 2;
		} else if (c > 0x20 && c < 0x7f && c != '?') {
			buf_append_byte(raw, c);
		} else {
			return -1;
		}
	}
	return buf_failed(raw) ? -1 : 0;
}

/* Open (or reuse) a converter from charset to UTF-8; 0 when unknown. */
static int open_charset(struct addr_ew *ew, const unsigned char *cs, size_t len)
{
	if (ew->charset != NULL && strlen(ew->charset) == len
	    && memcmp(ew->charset, cs, len) == 0)
		return ew->cd != (iconv_t) -1;
	addr_ew_free(ew);
	if ((ew->charset = malloc(len + 1)) == NULL)
		return 0;
	memcpy(ew->charset, cs, len);
	ew->charset[len] = 0;
	/* An unknown charset is remembered too, so it is refused cheaply. */
	ew->cd = iconv_open("UTF-8", ew->charset);
	return ew->cd != (iconv_t) -1;
}

/* Append UTF-8 bytes, turning control characters into spaces. */
static void append_clean(struct buf *out, char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((unsigned char) p[i] < 0x20 || (unsigned char) p[i] == 0x7f)
			p[i] = ' ';
	buf_append(out, p, len);
}

/* Convert raw to UTF-8 onto out; 1 done, 0 conversion failed (out unchanged). */
static int convert(struct addr_ew *ew, struct buf *raw, struct buf *out)
{
	/*
	 * A window for iconv's output, emptied into out after each call;
	 * the data itself goes to the bounded buf.
	 */
	char	window[256];
	char   *in = (char *) raw->data;
	size_t	in_left = raw->len;
	size_t	mark = out->len;
	int	flushing = 0;

	(void) iconv(ew->cd, NULL, NULL, NULL, NULL);
	for (;;) {
		char   *op = window;
		size_t	out_left = sizeof(window);
		size_t	r;

		if (!flushing)
			r = iconv(ew->cd, &in, &in_left, &op, &out_left);
		else
			r = iconv(ew->cd, NULL, NULL, &op, &out_left);
		append_clean(out, window, (size_t) (op - window));
		if (buf_failed(out))
			return -1;
		if (r != (size_t) -1) {
			if (flushing)
				return 1;
			flushing = 1;
		} else if (errno != E2BIG) {
			buf_truncate(out, mark);
			return 0;
		}
	}
}

int addr_ew_word(struct addr_ew *ew, const unsigned char *w, size_t len,
		 struct buf *out)
{
	size_t	q1;
	size_t	cs_len;
	size_t	i;
	const unsigned char *text;
	size_t	text_len;
	struct buf raw;
	int	rc;

	if (len < 8 || w[0] != '=' || w[1] != '?' || w[len - 2] != '?'
	    || w[len - 1] != '=')
		return 0;
	for (q1 = 2; q1 < len - 2 && w[q1] != '?'; q1++)
		continue;
	/* "?" B|Q "?" must follow the charset and leave room for "?=". */
	if (q1 + 3 > len - 2 || w[q1 + 2] != '?')
		return 0;
	for (cs_len = 0; 2 + cs_len < q1 && w[2 + cs_len] != '*'; cs_len++)
		if (!charset_char(w[2 + cs_len]))
			return 0;
	if (cs_len == 0 || cs_len > CHARSET_MAX)
		return 0;
	text = w + q1 + 3;
	text_len = len - 2 - (q1 + 3);
	for (i = 0; i < text_len; i++)
		if (text[i] == '?')
			return 0;
	buf_init(&raw, len);
	switch (w[q1 + 1]) {
	case 'B':
	case 'b':
		rc = decode_b(text, text_len, &raw);
		break;
	case 'Q':
	case 'q':
		rc = decode_q(text, text_len, &raw);
		break;
	default:
		rc = -1;
		break;
	}
	if (rc == 0)
		rc = open_charset(ew, w + 2, cs_len) ? convert(ew, &raw, out) : 0;
	else
		rc = 0;
	buf_free(&raw);
	return rc;
}

static int is_lwsp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int addr_ew_text(struct addr_ew *ew, const unsigned char *in, size_t len,
		 struct buf *out)
{
	size_t	i = 0;
	size_t	ws_off = 0;
	size_t	ws_len = 0;
	int	prev_ew = 0;

	while (i < len) {
		size_t	j = i;
		size_t	mark = out->len;
		int	r;

		if (is_lwsp(in[i])) {
			while (j < len && is_lwsp(in[j]))
				j++;
			ws_off = i;
			ws_len = j - i;
			i = j;
			continue;
		}
		while (j < len && !is_lwsp(in[j]))
			j++;
		if ((r = addr_ew_word(ew, in + i, j - i, out)) < 0)
			return -1;
		if (r == 1) {
			/* RFC 2047 6.2: space between adjacent encoded words goes. */
			if (!prev_ew && ws_len > 0)
				buf_splice(out, mark, 0, in + ws_off, ws_len);
		} else {
			if (ws_len > 0)
				buf_append(out, in + ws_off, ws_len);
			buf_append(out, in + i, j - i);
		}
		prev_ew = r;
		ws_len = 0;
		i = j;
	}
	if (ws_len > 0)
		buf_append(out, in + ws_off, ws_len);
	return buf_failed(out) ? -1 : 0;
}

int addr_rfc2047_decode(const void *in, size_t len, struct buf *out)
{
	struct addr_ew ew;
	int	rc;

	addr_ew_init(&ew);
	rc = addr_ew_text(&ew, in, len, out);
	addr_ew_free(&ew);
	return rc;
}
