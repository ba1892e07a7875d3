/*
 * NAME
 *	token 3
 * SUMMARY
 *	stateless one-click unsubscribe tokens (see token.h)
 * DESCRIPTION
 *	HMAC-SHA256 over a canonical string, truncated to 128 bits and
 *	written base64url without padding behind a version prefix.  The
 *	canonical string is built on the stack from two addresses whose
 *	length is capped (TOKEN_ADDR_MAX): addresses are at most 254
 *	octets (RFC 5321 section 4.5.3.1.3 path limit), so anything longer
 *	is not an address and gets no token.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "token.h"

#define TOKEN_MAC_LEN	16	/* octets of HMAC-SHA256 kept: 128 bits */
#define TOKEN_ADDR_MAX	320	/* longer than any valid path, with slack
				   for RFC 6531 addresses; beyond: refused */
#define TOKEN_PREFIX	"1."
#define TOKEN_PREFIX_LEN 2

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int token_key_generate(unsigned char *out, size_t len)
{
	if (len > (size_t) 0x7fffffff)
		return -1;
	return RAND_bytes(out, (int) len) == 1 ? 0 : -1;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char) (c + 32) : c;
}

/*
 * Append addr to c at *n: all of it lowercased (whole = 1, the list) or
 * only after the last '@' (the member; the local part keeps its case).
 * -1 when it does not fit.
 */
static int put_addr(unsigned char *c, size_t *n, size_t cap, const char *addr,
		    int whole)
{
	size_t	len = strlen(addr);
	const char *at = strrchr(addr, '@');
	size_t	dom = at != NULL ? (size_t) (at - addr) : len;
	size_t	i;

	if (len > TOKEN_ADDR_MAX || *n + len > cap)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char) addr[i];

		c[(*n)++] = whole || i > dom ? lower(ch) : ch;
	}
	return 0;
}

/* The first TOKEN_MAC_LEN octets of the MAC of (list, member). */
static int token_mac(const unsigned char *key, size_t keylen, const char *list,
		     const char *member, unsigned char mac[TOKEN_MAC_LEN])
{
	unsigned char canon[4 + 2 * TOKEN_ADDR_MAX];
	unsigned char full[EVP_MAX_MD_SIZE];
	unsigned int full_len = 0;
	size_t	n = 0;

	if (keylen < TOKEN_KEY_MIN || keylen > (size_t) 0x7fffffff)
		return -1;
	memcpy(canon, "v1", 3);		/* with its NUL separator */
	n = 3;
	if (put_addr(canon, &n, sizeof(canon), list, 1) < 0)
		return -1;
	canon[n++] = 0;
	if (put_addr(canon, &n, sizeof(canon), member, 0) < 0)
		return -1;
	if (HMAC(EVP_sha256(), key, (int) keylen, canon, n, full, &full_len) == NULL
	    || full_len < TOKEN_MAC_LEN)
		return -1;
	memcpy(mac, full, TOKEN_MAC_LEN);
	OPENSSL_cleanse(full, sizeof(full));
	return 0;
}

/* base64url of 16 octets without padding: 22 characters and a NUL. */
static void encode(const unsigned char *in, char *out)
{
	size_t	i, o = 0;

	for (i = 0; i + 3 <= TOKEN_MAC_LEN; i += 3) {
		unsigned long v = (unsigned long) in[i] << 16
		    | (unsigned long) in[i + 1] << 8 | in[i + 2];

		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	/* 16 = 5 * 3 + 1: one octet left, two characters. */
	out[o++] = b64url[in[i] >> 2];
	out[o++] = b64url[(in[i] & 3) << 4];
	out[o] = 0;
}

int token_make(const unsigned char *key, size_t keylen, const char *list,
	       const char *member, char *out)
{
	unsigned char mac[TOKEN_MAC_LEN];

	if (token_mac(key, keylen, list, member, mac) < 0)
		return -1;
	memcpy(out, TOKEN_PREFIX, TOKEN_PREFIX_LEN);
	encode(mac, out + TOKEN_PREFIX_LEN);
	return 0;
}

int token_check(const unsigned char *key, size_t keylen, const char *list,
		const char *member, const char *token, size_t len)
{
	char	want[TOKEN_SIZE];

	/* The length and version are public; only the MAC is secret. */
	if (len != TOKEN_LEN || memcmp(token, TOKEN_PREFIX, TOKEN_PREFIX_LEN) != 0)
		return 0;
	if (token_make(key, keylen, list, member, want) < 0)
		return 0;
	return CRYPTO_memcmp(want, token, TOKEN_LEN) == 0;
}
