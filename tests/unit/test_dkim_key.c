/*
 * NAME
 *	test_dkim_key 1
 * SUMMARY
 *	unit tests for DKIM key records and private keys (lib/dkim)
 * DESCRIPTION
 *	Rows of key records (RFC 6376 section 3.6.1, RFC 8463 section 4)
 *	with the fields expected or the reason for refusing them, every one
 *	in a heap block of its exact length and every prefix parsed too.
 *	Then the private keys in tests/data/dkim: which load, their algorithm
 *	and size, the record they publish (which must parse back to a usable
 *	public key), PEM output and key generation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"
#include "tap.h"

#define ED	"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define RSA1024	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB"

struct key_case {
	const char *what;
	const char *in;
	const char *error;		/* NULL: parses */
	int	key_type, revoked, testing, strict, sha256, sha1, service;
	size_t	key_len;
};

static const struct key_case cases[] = {
	{"RFC 8463 A.2 ed25519 record", "v=DKIM1; k=ed25519; p=" ED, NULL,
	 1, 0, 0, 0, 1, 1, 1, 32},
	{"RFC 8463 A.2 rsa record", "v=DKIM1; k=rsa; p=" RSA1024, NULL,
	 0, 0, 0, 0, 1, 1, 1, 162},
	{"k= defaults to rsa, v= is optional", "p=" RSA1024, NULL,
	 0, 0, 0, 0, 1, 1, 1, 162},
	{"empty p= is a revoked key", "v=DKIM1; p=", NULL, 0, 1, 0, 0, 1, 1, 1, 0},
	{"p= of FWS only is revoked too", "v=DKIM1; p= \r\n ", NULL,
	 0, 1, 0, 0, 1, 1, 1, 0},
	{"t=y is testing", "v=DKIM1; t=y; p=" ED "; k=ed25519", NULL,
	 1, 0, 1, 0, 1, 1, 1, 32},
	{"t=s is strict, unknown flags ignored", "t=s:q:y; k=ed25519; p=" ED, NULL,
	 1, 0, 1, 1, 1, 1, 1, 32},
	{"h=sha256 only", "h=sha256; k=ed25519; p=" ED, NULL, 1, 0, 0, 0, 1, 0, 1, 32},
	{"h=sha1 only", "h=sha1; p=" RSA1024, NULL, 0, 0, 0, 0, 0, 1, 1, 162},
	{"h= list with unknown entries and FWS", "h= sha512 : sha256 ; p=" RSA1024,
	 NULL, 0, 0, 0, 0, 1, 0, 1, 162},
	{"s=email", "s=email; p=" RSA1024, NULL, 0, 0, 0, 0, 1, 1, 1, 162},
	{"s=*", "s=*; p=" RSA1024, NULL, 0, 0, 0, 0, 1, 1, 1, 162},
	{"s= of another service", "s=tlsrpt; p=" RSA1024, NULL, 0, 0, 0, 0, 1, 1, 0, 162},
	{"s= list containing email", "s=tlsrpt:email; p=" RSA1024, NULL,
	 0, 0, 0, 0, 1, 1, 1, 162},
	{"unknown tags and n= notes ignored", "v=DKIM1; n=hello world; foo=bar; p=" RSA1024,
	 NULL, 0, 0, 0, 0, 1, 1, 1, 162},
	{"p= folded with FWS", "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hc\r\n vPapiMlrwIaaPcHURo=",
	 NULL, 1, 0, 0, 0, 1, 1, 1, 32},
	{"trailing semicolon", "k=ed25519; p=" ED ";", NULL, 1, 0, 0, 0, 1, 1, 1, 32},
	{"v= not first", "k=rsa; v=DKIM1; p=" RSA1024, "v= not first", 0, 0, 0, 0, 0, 0, 0, 0},
	{"v=DKIM2", "v=DKIM2; p=" RSA1024, "bad v= tag", 0, 0, 0, 0, 0, 0, 0, 0},
	{"v= is case-sensitive", "v=dkim1; p=" RSA1024, "bad v= tag", 0, 0, 0, 0, 0, 0, 0, 0},
	{"unknown k=", "k=dsa; p=" RSA1024, "unknown k=", 0, 0, 0, 0, 0, 0, 0, 0},
	{"no p= tag", "v=DKIM1; k=rsa", "missing p= tag", 0, 0, 0, 0, 0, 0, 0, 0},
	{"p= not base64", "p=abc$", "bad p= tag", 0, 0, 0, 0, 0, 0, 0, 0},
	{"ed25519 p= of 31 octets", "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHUQ==",
	 "ed25519 key not 32 octets", 0, 0, 0, 0, 0, 0, 0, 0},
	{"duplicate p=", "p=" RSA1024 "; p=", "duplicate tag", 0, 0, 0, 0, 0, 0, 0, 0},
	{"broken tag list", "v=DKIM1;; p=" RSA1024, "bad tag list", 0, 0, 0, 0, 0, 0, 0, 0},
	{"an SPF record is not a key record", "v=spf1 -all", "bad v= tag",
	 0, 0, 0, 0, 0, 0, 0, 0},
};

static void test_rows(void)
{
	size_t	i, cut;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct key_case *c = &cases[i];
		size_t	len = strlen(c->in);
		char   *in = malloc(len + 1);
		struct dkim_keyrec k;
		const char *error = NULL;
		int	rc;

		memcpy(in, c->in, len);
		rc = dkim_keyrec_parse(in, len, &k, &error);
		if (c->error != NULL) {
			if (tap_int(rc, -1, c->what))
				tap_str(error, c->error, "  reason");
			else
				dkim_keyrec_free(&k);
		} else if (tap_int(rc, 0, c->what)) {
			tap_ok(k.key_type == c->key_type && k.revoked == c->revoked
			       && k.testing == c->testing && k.strict == c->strict
			       && k.allows_sha256 == c->sha256 && k.allows_sha1 == c->sha1
			       && k.service_ok == c->service && k.key_len == c->key_len
			       && (k.key == NULL) == c->revoked,
			       "  fields: type %d revoked %d testing %d strict %d sha256 %d "
			       "sha1 %d service %d len %zu", k.key_type, k.revoked, k.testing,
			       k.strict, k.allows_sha256, k.allows_sha1, k.service_ok, k.key_len);
			if (!k.revoked) {
				EVP_PKEY *pk = dkim_keyrec_pkey(&k, &error);

				tap_ok(pk != NULL, "  the public key decodes");
				EVP_PKEY_free(pk);
			}
			dkim_keyrec_free(&k);
		} else {
			tap_diag("error: %s", error);
		}
		for (cut = 0; cut < len; cut++)
			if (dkim_keyrec_parse(in, cut, &k, &error) == 0)
				dkim_keyrec_free(&k);
		free(in);
	}
}

static void test_limits(void)
{
	size_t	len = LIMIT_DKIM_KEY_RECORD + 1;
	char   *in = malloc(len);
	struct dkim_keyrec k;
	const char *error = NULL;

	memset(in, 'A', len);
	memcpy(in, "p=", 2);
	tap_int(dkim_keyrec_parse(in, len, &k, &error), -1,
		"record over LIMIT_DKIM_KEY_RECORD is refused");
	tap_str(error, "record too long", "  reason");
	free(in);
}

/* p= that decodes but is no key of its type. */
static void test_bad_keys(void)
{
	static const struct {
		const char *what, *rec;
	} rows[] = {
		{"rsa p= that is not DER", "k=rsa; p=dGVzdA=="},
		{"rsa p= that is an Ed25519 SubjectPublicKeyInfo",
		 "k=rsa; p=MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="},
		{"rsa p= with a trailing octet after the DER", "k=rsa; p=" RSA1024 "AA=="},
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dkim_keyrec k;
		const char *error = NULL;
		EVP_PKEY *pk = NULL;

		if (dkim_keyrec_parse(rows[i].rec, strlen(rows[i].rec), &k, &error) == 0) {
			pk = dkim_keyrec_pkey(&k, &error);
			dkim_keyrec_free(&k);
		}
		tap_ok(pk == NULL && error != NULL && strcmp(error, "bad RSA key") == 0,
		       "%s: bad RSA key", rows[i].what);
		EVP_PKEY_free(pk);
	}
}

static struct dkim_privkey *load(const char *name, const char **error)
{
	char	rel[256];

	snprintf(rel, sizeof(rel), "tests/data/dkim/%s", name);
	return dkim_privkey_load_file(tap_srcpath(rel), error);
}

/* The record a key publishes parses back into the same public key. */
static void check_record(const struct dkim_privkey *key, const char *what)
{
	struct buf rec;
	struct dkim_keyrec k;
	const char *error = NULL;
	EVP_PKEY *pub = NULL;

	buf_init(&rec, 8192);
	if (!tap_ok(dkim_privkey_record(key, &rec) == 0, "%s: publishes a record", what)) {
		buf_free(&rec);
		return;
	}
	tap_ok(strncmp(buf_str(&rec), "v=DKIM1; k=", 11) == 0, "%s: record starts v=DKIM1; k=",
	       what);
	if (tap_int(dkim_keyrec_parse(rec.data, rec.len, &k, &error), 0,
		    "  which parses back")) {
		pub = dkim_keyrec_pkey(&k, &error);
		tap_ok(pub != NULL && EVP_PKEY_eq(pub, dkim_privkey_pkey(key)) == 1,
		       "  into the key's own public key");
		tap_int(k.key_type, dkim_privkey_algo(key) == DKIM_ALGO_ED25519_SHA256,
			"  with the right k=");
		EVP_PKEY_free(pub);
		dkim_keyrec_free(&k);
	}
	buf_free(&rec);
}

static void test_privkeys(void)
{
	static const struct {
		const char *file;
		const char *error;	/* NULL: loads */
		enum dkim_algo algo;
		int	bits;
	} rows[] = {
		{"rsa2048.pem", NULL, DKIM_ALGO_RSA_SHA256, 2048},
		{"rsa2048.pkcs1.pem", NULL, DKIM_ALGO_RSA_SHA256, 2048},
		{"rsa1024.pem", NULL, DKIM_ALGO_RSA_SHA256, 1024},
		{"ed25519.pem", NULL, DKIM_ALGO_ED25519_SHA256, 256},
		{"rfc8463/rsa.pem", NULL, DKIM_ALGO_RSA_SHA256, 1024},
		{"rfc8463/ed25519.pem", NULL, DKIM_ALGO_ED25519_SHA256, 256},
		{"rsa512.pem", "key too short (RSA below 1024 bits, RFC 8301)", 0, 0},
		{"ec256.pem", "unsupported key type (not RSA or Ed25519)", 0, 0},
		{"README", "not a PEM private key (PKCS#8, or PKCS#1 RSA)", 0, 0},
		{"no-such-file.pem", "cannot open key file", 0, 0},
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *error = NULL;
		struct dkim_privkey *k = load(rows[i].file, &error);

		if (rows[i].error != NULL) {
			tap_ok(k == NULL, "private key %s is refused", rows[i].file);
			tap_str(error, rows[i].error, "  reason");
			dkim_privkey_free(k);
			continue;
		}
		if (!tap_ok(k != NULL, "private key %s loads", rows[i].file)) {
			tap_diag("error: %s", error);
			continue;
		}
		tap_int(dkim_privkey_algo(k), rows[i].algo, "  algorithm");
		tap_int(dkim_privkey_bits(k), rows[i].bits, "  bits");
		check_record(k, rows[i].file);
		dkim_privkey_free(k);
	}
	{
		const char *error = NULL;

		tap_ok(dkim_privkey_load("", 0, &error) == NULL, "empty PEM is refused");
	}
}

static void test_generate(void)
{
	const char *error = NULL;
	struct dkim_privkey *k, *again;
	struct buf pem;

	k = dkim_privkey_generate(DKIM_ALGO_ED25519_SHA256, 0, &error);
	if (!tap_ok(k != NULL, "generate an Ed25519 key"))
		return;
	check_record(k, "generated ed25519");
	buf_init(&pem, 1 << 16);
	tap_int(dkim_privkey_pem(k, &pem), 0, "write it as PEM");
	tap_ok(strncmp(buf_str(&pem), "-----BEGIN PRIVATE KEY-----", 27) == 0,
	       "  PKCS#8");
	again = dkim_privkey_load(pem.data, pem.len, &error);
	tap_ok(again != NULL && EVP_PKEY_eq(dkim_privkey_pkey(again),
					    dkim_privkey_pkey(k)) == 1,
	       "  and it loads back as the same key");
	dkim_privkey_free(again);
	dkim_privkey_free(k);
	buf_free(&pem);

	k = dkim_privkey_generate(DKIM_ALGO_RSA_SHA256, 1024, &error);
	tap_ok(k != NULL && dkim_privkey_bits(k) == 1024, "generate an RSA 1024 key");
	dkim_privkey_free(k);
	tap_ok(dkim_privkey_generate(DKIM_ALGO_RSA_SHA256, 512, &error) == NULL,
	       "RSA 512 is refused");
	tap_ok(dkim_privkey_generate(DKIM_ALGO_RSA_SHA1, 0, &error) == NULL,
	       "rsa-sha1 keys are not generated");
	dkim_privkey_free(NULL);
}

int main(void)
{
	test_rows();
	test_limits();
	test_bad_keys();
	test_privkeys();
	test_generate();
	return tap_done();
}
