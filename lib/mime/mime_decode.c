/*
 * NAME
 *	mime_decode 3
 * SUMMARY
 *	undo a Content-Transfer-Encoding
 * DESCRIPTION
 *	Readers of report parts and text need the decoded octets; they do
 *	not need strictness.  Base64 skips characters outside its alphabet
 *	and stops at padding (RFC 2045 section 6.8 asks decoders to ignore
 *	them); quoted-printable decodes "=XX", drops soft line breaks and
 *	keeps any other '=' as it is (section 6.7's advice for robust
 *	decoders).  Output stops quietly at out's maximum: a reader of a
 *	capped text wants the first part, not an error.
 */
#include "buf/buf.h"
#include "mime/mime.h"

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

/* Room left in out: past its maximum the text is cut, not failed. */
static int room(const struct buf *out)
{
	return out->len < out->max && !buf_failed(out);
}

static void mime_b64_decode(const unsigned char *s, size_t n, struct buf *out)
{
	unsigned acc = 0;
	int	bits = 0, v;
	size_t	i;

	for (i = 0; i < n && room(out); i++) {
		if (s[i] == '=')
			break;
		if ((v = b64_value(s[i])) < 0)
			continue;
		acc = (acc << 6) | (unsigned) v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_append_byte(out, (unsigned char) (acc >> bits));
			acc &= (1u << bits) - 1;
		}
	}
}


static void mime_qp_decode(const unsigned char *s, size_t n, struct buf *out)
{
	size_t	i = 0;

	while (i < n && room(out)) {
		if (s[i] != '=') {
			buf_append_byte(out, s[i++]);
		} else if (i + 2 < n && buf_hex_value(s[i + 1]) >= 0 &&
			   buf_hex_value(s[i + 2]) >= 0) {
			buf_append_byte(out, (unsigned char)
					(buf_hex_value(s[i + 1]) * 16 + buf_hex_value(s[i + 2])));
			i += 3;
		} else if (i + 1 < n && s[i + 1] == '\n') {
			i += 2;		/* soft line break */
		} else if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 3;
		} else {
			buf_append_byte(out, s[i++]);
		}
	}
}

void mime_decode(enum mime_cte cte, const void *data, size_t len, struct buf *out)
{
	const unsigned char *s = data;
	size_t	left;

	if (cte == MIME_CTE_BASE64)
		mime_b64_decode(s, len, out);
	else if (cte == MIME_CTE_QP)
		mime_qp_decode(s, len, out);
	else if (room(out)) {
		left = out->max - out->len;
		buf_append(out, s, len < left ? len : left);
	}
}
