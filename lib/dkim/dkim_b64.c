/*
 * NAME
 *	dkim_b64 3
 * SUMMARY
 *	base64 for b=, bh= and p= values
 * DESCRIPTION
 *	DKIM values carry base64 folded with FWS (RFC 6376 section 2.4), so
 *	the decoder skips SP, HTAB, CR and LF wherever they are and refuses
 *	every other byte that is not in the alphabet.  It is strict about
 *	the rest so that one base64 text has one meaning: "=" only at the
 *	end, at most two of them, no lone final sextet, and the bits a
 *	short final group leaves unused must be zero (RFC 4648 section 3.5);
 *	otherwise two different b= texts could carry the same signature.
 *	Missing padding is accepted: some key records are published so.
 */
#include <stdlib.h>

#include "dkim/dkim_int.h"

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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

unsigned char *dkim_b64_decode(const void *p, size_t len, size_t *len_r,
			       const char **error_r)
{
	const unsigned char *s = p;
	unsigned char *out;
	size_t	n = 0;
	size_t	sextets = 0;
	size_t	pad = 0;
	unsigned long acc = 0;
	size_t	i;

	/* At most 3 output octets per 4 input bytes, +1 for empty input. */
	if ((out = malloc(len / 4 * 3 + 3 + 1)) == NULL) {
		*error_r = "out of memory";
		return NULL;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];
		int	v;

		if (DKIM_IS_FWS(c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value(c)) < 0)
			goto bad;
		acc = (acc << 6) | (unsigned long) v;
		if (++sextets % 4 == 0) {
			out[n++] = (unsigned char) (acc >> 16);
			out[n++] = (unsigned char) (acc >> 8);
			out[n++] = (unsigned char) acc;
			acc = 0;
		}
	}
	switch (sextets % 4) {
	case 0:
		if (pad != 0)
			goto bad;
		break;
	case 1:
		goto bad;
	case 2:		/* one octet; 4 unused bits */
		if (pad > 2 || (pad != 0 && pad != 2) || (acc & 0xf) != 0)
			goto bad;
		out[n++] = (unsigned char) (acc >> 4);
		break;
	case 3:		/* two octets; 2 unused bits */
		if (pad > 1 || (acc & 0x3) != 0)
			goto bad;
		out[n++] = (unsigned char) (acc >> 10);
		out[n++] = (unsigned char) (acc >> 2);
		break;
	}
	*len_r = n;
	return out;
bad:
	free(out);
	*error_r = "bad base64";
	return NULL;
}

int dkim_b64_encode(const void *p, size_t len, struct buf *out)
{
	const unsigned char *s = p;
	char	q[4];
	size_t	i;

	if (buf_reserve(out, (len + 2) / 3 * 4) < 0)
		return -1;
	for (i = 0; i + 3 <= len; i += 3) {
		unsigned long v = (unsigned long) s[i] << 16
			| (unsigned long) s[i + 1] << 8 | s[i + 2];

		q[0] = b64_alphabet[v >> 18];
		q[1] = b64_alphabet[(v >> 12) & 63];
		q[2] = b64_alphabet[(v >> 6) & 63];
		q[3] = b64_alphabet[v & 63];
		buf_append(out, q, 4);
	}
	if (len - i == 1) {
		unsigned long v = (unsigned long) s[i] << 16;

		q[0] = b64_alphabet[v >> 18];
		q[1] = b64_alphabet[(v >> 12) & 63];
		q[2] = q[3] = '=';
		buf_append(out, q, 4);
	} else if (len - i == 2) {
		unsigned long v = (unsigned long) s[i] << 16
			| (unsigned long) s[i + 1] << 8;

		q[0] = b64_alphabet[v >> 18];
		q[1] = b64_alphabet[(v >> 12) & 63];
		q[2] = b64_alphabet[(v >> 6) & 63];
		q[3] = '=';
		buf_append(out, q, 4);
	}
	return buf_failed(out) ? -1 : 0;
}

unsigned char *dkim_base64_decode(const void *p, size_t len, size_t *len_r,
				  const char **error_r)
{
	return dkim_b64_decode(p, len, len_r, error_r);
}

int dkim_base64_encode(const void *p, size_t len, struct buf *out)
{
	return dkim_b64_encode(p, len, out);
}
