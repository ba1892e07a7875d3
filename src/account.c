/*
 * NAME
 *	account 3
 * SUMMARY
 *	web account names and passwords (see account.h)
 * DESCRIPTION
 *	scrypt is OpenSSL's EVP_PBE_scrypt.  Parameters read from a stored
 *	hash are bounded (ACCOUNT_LN_MAX and friends): a value written into
 *	the database by hand must not make a login use gigabytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "account.h"

#define ACCOUNT_SALT_LEN	16
#define ACCOUNT_KEY_LEN		32
#define ACCOUNT_LN_MAX		20
#define ACCOUNT_R_MAX		32
#define ACCOUNT_P_MAX		16
/* scrypt needs 128 * r * N octets (and some more for p); the cap lets
   the largest accepted N and r through (ln 20, r 32 would be 4 GiB: no). */
#define ACCOUNT_MAXMEM		(1024ULL * 1024 * 1024)
#define ACCOUNT_PREFIX		"$scrypt$"

int account_name_ok(const char *name)
{
	size_t	n;

	for (n = 0; name[n] != '\0'; n++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-",
			   name[n]) == NULL)
			return 0;
	return n >= 1 && n <= ACCOUNT_NAME_MAX;
}

const char *account_password_problem(const char *password, size_t len)
{
	(void) password;
	if (len < ACCOUNT_PASSWORD_MIN)
		return "a password has at least 8 characters";
	if (len > ACCOUNT_PASSWORD_MAX)
		return "a password has at most 1024 octets";
	return NULL;
}

static int account_scrypt(const char *password, size_t len, const unsigned char *salt,
			  size_t salt_len, int ln, int r, int p, unsigned char *key)
{
	return EVP_PBE_scrypt(password, len, salt, salt_len, (uint64_t) 1 << ln, (uint64_t) r,
			      (uint64_t) p, ACCOUNT_MAXMEM, key, ACCOUNT_KEY_LEN) == 1 ? 0 : -1;
}

int account_hash_params(const char *password, size_t len, int ln, int r, int p,
			char out[ACCOUNT_HASH_SIZE])
{
	unsigned char salt[ACCOUNT_SALT_LEN], key[ACCOUNT_KEY_LEN];
	/* base64 of 16 and 32 octets: 24 and 44 characters, plus a NUL */
	char	salt64[25], key64[45];
	int	n;

	if (ln < 1 || ln > ACCOUNT_LN_MAX || r < 1 || r > ACCOUNT_R_MAX || p < 1
	    || p > ACCOUNT_P_MAX || RAND_bytes(salt, sizeof(salt)) != 1
	    || account_scrypt(password, len, salt, sizeof(salt), ln, r, p, key) < 0)
		return -1;
	EVP_EncodeBlock((unsigned char *) salt64, salt, sizeof(salt));
	EVP_EncodeBlock((unsigned char *) key64, key, sizeof(key));
	OPENSSL_cleanse(key, sizeof(key));
	n = snprintf(out, ACCOUNT_HASH_SIZE, ACCOUNT_PREFIX "ln=%d,r=%d,p=%d$%s$%s", ln, r, p,
		     salt64, key64);
	return n > 0 && n < ACCOUNT_HASH_SIZE ? 0 : -1;
}

int account_hash(const char *password, size_t len, char out[ACCOUNT_HASH_SIZE])
{
	return account_hash_params(password, len, ACCOUNT_SCRYPT_LN, ACCOUNT_SCRYPT_R,
				   ACCOUNT_SCRYPT_P, out);
}

/* Decode base64 text of len characters into out (room for max); the
   length, or -1 if it is not base64 or does not fit. */
static int account_b64(const char *text, size_t len, unsigned char *out, size_t max)
{
	unsigned char tmp[96];
	int	n, pad = 0;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(tmp))
		return -1;
	if (text[len - 1] == '=')
		pad = text[len - 2] == '=' ? 2 : 1;
	if ((n = EVP_DecodeBlock(tmp, (const unsigned char *) text, (int) len)) < 0)
		return -1;
	n -= pad;
	if (n <= 0 || (size_t) n > max)
		return -1;
	memcpy(out, tmp, (size_t) n);
	return n;
}

struct account_parsed {
	int	ln, r, p;
	unsigned char salt[64], key[ACCOUNT_KEY_LEN];
	int	salt_len;
};

/* Split a stored hash; 0, or -1 if it is not one this program reads. */
static int account_parse(const char *stored, struct account_parsed *a)
{
	const char *salt, *key;
	int	used = 0;

	if (strncmp(stored, ACCOUNT_PREFIX, strlen(ACCOUNT_PREFIX)) != 0)
		return -1;
	stored += strlen(ACCOUNT_PREFIX);
	if (sscanf(stored, "ln=%2d,r=%2d,p=%2d$%n", &a->ln, &a->r, &a->p, &used) != 3
	    || used == 0 || a->ln < 1 || a->ln > ACCOUNT_LN_MAX || a->r < 1
	    || a->r > ACCOUNT_R_MAX || a->p < 1 || a->p > ACCOUNT_P_MAX)
		return -1;
	salt = stored + used;
	if ((key = strchr(salt, '$')) == NULL)
		return -1;
	a->salt_len = account_b64(salt, (size_t) (key - salt), a->salt, sizeof(a->salt));
	key++;
	if (a->salt_len < 8
	    || account_b64(key, strlen(key), a->key, sizeof(a->key)) != ACCOUNT_KEY_LEN)
		return -1;
	return 0;
}

int account_verify(const char *password, size_t len, const char *stored)
{
	struct account_parsed a;
	unsigned char key[ACCOUNT_KEY_LEN];
	int	same;

	if (account_parse(stored, &a) < 0
	    || account_scrypt(password, len, a.salt, (size_t) a.salt_len, a.ln, a.r, a.p,
			      key) < 0)
		return 0;
	same = CRYPTO_memcmp(key, a.key, sizeof(key)) == 0;
	OPENSSL_cleanse(key, sizeof(key));
	return same;
}

void account_verify_dummy(const char *password, size_t len)
{
	static const unsigned char salt[ACCOUNT_SALT_LEN] = "sealist-no-user";
	unsigned char key[ACCOUNT_KEY_LEN];

	(void) account_scrypt(password, len, salt, sizeof(salt), ACCOUNT_SCRYPT_LN,
			      ACCOUNT_SCRYPT_R, ACCOUNT_SCRYPT_P, key);
	OPENSSL_cleanse(key, sizeof(key));
}

void account_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}
