/*
 * NAME
 *	dkim_key 3
 * SUMMARY
 *	key records (RFC 6376 section 3.6.1, RFC 8463) and private keys
 * DESCRIPTION
 *	Key records come from DNS, that is from strangers: the parser is
 *	bounded and fuzzed.  Private keys come from the list admin's key
 *	store; one dkim_privkey is loaded once and used for any number of
 *	signatures (and threads: OpenSSL 3 allows concurrent operations on
 *	one EVP_PKEY, each with its own context), with SHA-256 fetched once
 *	beside it so that signing does no provider look-ups.  Public keys
 *	in the common RSA form are decoded without OpenSSL's decoder
 *	framework, which is slow (see rsa_spki_common).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"

/* ---- key records ---------------------------------------------------- */

static const char *const key_tags[] = { "v", "g", "h", "k", "n", "p", "s", "t" };
enum { K_V, K_G, K_H, K_K, K_N, K_P, K_S, K_T, K_COUNT };

/* Call fn on each entry of a colon list (FWS around entries allowed). */
static void each_colon(const unsigned char *p, size_t len,
		       void (*fn)(struct dkim_keyrec *, const unsigned char *,
				  size_t), struct dkim_keyrec *k)
{
	size_t	i = 0;

	while (i <= len) {
		size_t	start, end;

		while (i < len && DKIM_IS_FWS(p[i]))
			i++;
		start = i;
		while (i < len && p[i] != ':')
			i++;
		end = i;
		while (end > start && DKIM_IS_FWS(p[end - 1]))
			end--;
		fn(k, p + start, end - start);
		i++;
	}
}

static void h_entry(struct dkim_keyrec *k, const unsigned char *p, size_t n)
{
	if (dkim_name_eq(p, n, "sha256"))
		k->allows_sha256 = 1;
	else if (dkim_name_eq(p, n, "sha1"))
		k->allows_sha1 = 1;
}

static void s_entry(struct dkim_keyrec *k, const unsigned char *p, size_t n)
{
	if ((n == 1 && p[0] == '*') || dkim_name_eq(p, n, "email"))
		k->service_ok = 1;
}

static void t_entry(struct dkim_keyrec *k, const unsigned char *p, size_t n)
{
	if (n == 1 && (p[0] == 'y' || p[0] == 'Y'))
		k->testing = 1;
	else if (n == 1 && (p[0] == 's' || p[0] == 'S'))
		k->strict = 1;
}

static const char *keyrec_parse(const unsigned char *txt, size_t len,
				struct dkim_keyrec *k)
{
	struct dkim_tag_iter it;
	struct dkim_tag tag, seen[K_COUNT];
	unsigned int have = 0;
	const char *err;
	int	rc, first = 1;

	if (len > LIMIT_DKIM_KEY_RECORD)
		return "record too long";
	dkim_tag_init(&it, txt, len);
	while ((rc = dkim_tag_next(&it, &tag, &err)) > 0) {
		size_t	i;

		for (i = 0; i < K_COUNT; i++)
			if (dkim_tag_is(&tag, key_tags[i]))
				break;
		if (i == K_V && !first)
			return "v= not first";
		first = 0;
		if (i == K_COUNT)
			continue;
		if (have & (1u << i))
			return "duplicate tag";
		have |= 1u << i;
		seen[i] = tag;
	}
	if (rc < 0)
		return "bad tag list";
	if ((have & (1u << K_V))
	    && !(seen[K_V].value_len == 5 && memcmp(seen[K_V].value, "DKIM1", 5) == 0))
		return "bad v= tag";
	k->key_type = 0;
	if (have & (1u << K_K)) {
		if (dkim_name_eq(seen[K_K].value, seen[K_K].value_len, "rsa"))
			k->key_type = 0;
		else if (dkim_name_eq(seen[K_K].value, seen[K_K].value_len, "ed25519"))
			k->key_type = 1;
		else
			return "unknown k=";
	}
	if (have & (1u << K_H))
		each_colon(seen[K_H].value, seen[K_H].value_len, h_entry, k);
	else
		k->allows_sha256 = k->allows_sha1 = 1;
	if (have & (1u << K_S))
		each_colon(seen[K_S].value, seen[K_S].value_len, s_entry, k);
	else
		k->service_ok = 1;
	if (have & (1u << K_T))
		each_colon(seen[K_T].value, seen[K_T].value_len, t_entry, k);
	if (!(have & (1u << K_P)))
		return "missing p= tag";
	if (seen[K_P].value_len == 0) {
		k->revoked = 1;
		return NULL;
	}
	if ((k->key = dkim_b64_decode(seen[K_P].value, seen[K_P].value_len,
				      &k->key_len, &err)) == NULL)
		return strcmp(err, "bad base64") == 0 ? "bad p= tag" : err;
	if (k->key_len == 0) {
		/* p= of FWS only: as empty */
		free(k->key);
		k->key = NULL;
		k->revoked = 1;
	} else if (k->key_type == 1 && k->key_len != 32) {
		return "ed25519 key not 32 octets";
	}
	return NULL;
}

int dkim_keyrec_parse(const void *txt, size_t len, struct dkim_keyrec *k,
		      const char **error_r)
{
	const char *err;

	memset(k, 0, sizeof(*k));
	if ((err = keyrec_parse(txt, len, k)) != NULL) {
		dkim_keyrec_free(k);
		*error_r = err;
		return -1;
	}
	return 0;
}

void dkim_keyrec_free(struct dkim_keyrec *k)
{
	free(k->key);
	memset(k, 0, sizeof(*k));
}

/*
 * The SubjectPublicKeyInfo of an RSA key as virtually every signer
 * publishes it: SEQUENCE { AlgorithmIdentifier { rsaEncryption, NULL },
 * BIT STRING { RSAPublicKey } }.  d2i_PUBKEY() goes through OpenSSL 3's
 * decoder framework, which tries every decoder it has and costs about
 * 120 us for RSA-2048 (six times the verification); the RSAPublicKey
 * inside decodes with d2i_PublicKey() in under 1 us.  So take that form
 * apart here (definite lengths, exact ends) and leave anything else,
 * however unusual, to d2i_PUBKEY(), which decides as before.  NULL when
 * the octets are not exactly this form.
 */
static EVP_PKEY *rsa_spki_common(const unsigned char *der, size_t len)
{
	static const unsigned char rsa_alg[] = {
		0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x01, 0x01, 0x05, 0x00
	};
	const unsigned char *p = der, *end = der + len, *q;
	EVP_PKEY *pkey;
	long	l;
	int	tag, cls;

	if (ASN1_get_object(&p, &l, &tag, &cls, (long) len) != V_ASN1_CONSTRUCTED
	    || tag != V_ASN1_SEQUENCE || cls != V_ASN1_UNIVERSAL
	    || l != end - p || (size_t) (end - p) < sizeof(rsa_alg)
	    || memcmp(p, rsa_alg, sizeof(rsa_alg)) != 0)
		return NULL;
	p += sizeof(rsa_alg);
	if (ASN1_get_object(&p, &l, &tag, &cls, (long) (end - p)) != 0
	    || tag != V_ASN1_BIT_STRING || cls != V_ASN1_UNIVERSAL
	    || l < 2 || l != end - p || p[0] != 0)	/* no unused bits */
		return NULL;
	q = p + 1;
	pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, l - 1);
	if (pkey != NULL && q != end) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

EVP_PKEY *dkim_keyrec_pkey(const struct dkim_keyrec *k, const char **error_r)
{
	const unsigned char *p = k->key;
	EVP_PKEY *pkey;

	if (k->key == NULL) {
		*error_r = "revoked key";
		return NULL;
	}
	if (k->key_type == 1) {
		pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, k->key,
						   k->key_len);
		if (pkey == NULL)
			*error_r = "bad ed25519 key";
		return pkey;
	}
	if (k->key_len > (size_t) LIMIT_DKIM_KEY_RECORD) {
		*error_r = "bad RSA key";
		return NULL;
	}
	/* SubjectPublicKeyInfo, as RFC 6376 section 3.6.1 says ... */
	if ((pkey = rsa_spki_common(k->key, k->key_len)) != NULL)
		return pkey;
	ERR_clear_error();
	pkey = d2i_PUBKEY(NULL, &p, (long) k->key_len);
	if (pkey == NULL || p != k->key + k->key_len) {
		EVP_PKEY_free(pkey);
		/* ... or the bare PKCS#1 RSAPublicKey some signers publish. */
		p = k->key;
		pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long) k->key_len);
		if (pkey != NULL && p != k->key + k->key_len) {
			EVP_PKEY_free(pkey);
			pkey = NULL;
		}
	}
	if (pkey != NULL && EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	if (pkey == NULL)
		*error_r = "bad RSA key";
	return pkey;
}

/* ---- private keys ------------------------------------------------------ */

struct dkim_privkey {
	EVP_PKEY *pkey;
	EVP_MD *md;		/* SHA-256, fetched once */
	enum dkim_algo algo;
	int	bits;
};

static struct dkim_privkey *privkey_wrap(EVP_PKEY *pkey, const char **error_r)
{
	struct dkim_privkey *k;
	int	id = EVP_PKEY_get_base_id(pkey);

	if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pkey);
		*error_r = "unsupported key type (not RSA or Ed25519)";
		return NULL;
	}
	if (id == EVP_PKEY_RSA && EVP_PKEY_get_bits(pkey) < 1024) {
		EVP_PKEY_free(pkey);
		*error_r = "key too short (RSA below 1024 bits, RFC 8301)";
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL
	    || (k->md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL) {
		free(k);
		EVP_PKEY_free(pkey);
		*error_r = "out of memory";
		return NULL;
	}
	k->pkey = pkey;
	k->algo = id == EVP_PKEY_RSA ? DKIM_ALGO_RSA_SHA256 : DKIM_ALGO_ED25519_SHA256;
	k->bits = EVP_PKEY_get_bits(pkey);
	return k;
}

struct dkim_privkey *dkim_privkey_load(const void *pem, size_t len,
				       const char **error_r)
{
	BIO    *bio;
	EVP_PKEY *pkey;

	if (len > 1024 * 1024) {
		*error_r = "key file too large";
		return NULL;
	}
	if ((bio = BIO_new_mem_buf(pem, (int) len)) == NULL) {
		*error_r = "out of memory";
		return NULL;
	}
	/* Never prompt for a pass phrase: an encrypted key is an error. */
	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *) "");
	BIO_free(bio);
	if (pkey == NULL) {
		*error_r = "not a PEM private key (PKCS#8, or PKCS#1 RSA)";
		return NULL;
	}
	return privkey_wrap(pkey, error_r);
}

struct dkim_privkey *dkim_privkey_load_file(const char *path,
					    const char **error_r)
{
	struct buf b;
	FILE   *fp;
	struct dkim_privkey *k = NULL;
	char	chunk[4096];
	size_t	n;

	if ((fp = fopen(path, "rb")) == NULL) {
		*error_r = "cannot open key file";
		return NULL;
	}
	buf_init(&b, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(&b, chunk, n) < 0)
			break;
	if (ferror(fp))
		*error_r = "cannot read key file";
	else if (buf_failed(&b))
		*error_r = "key file too large";
	else
		k = dkim_privkey_load(b.data != NULL ? (void *) b.data : (void *) "",
				      b.len, error_r);
	fclose(fp);
	/* The PEM text is secret: wipe it before it goes back to malloc. */
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.cap);
	OPENSSL_cleanse(chunk, sizeof(chunk));
	buf_free(&b);
	return k;
}

struct dkim_privkey *dkim_privkey_generate(enum dkim_algo algo, int bits,
					   const char **error_r)
{
	EVP_PKEY *pkey = NULL;

	if (algo == DKIM_ALGO_ED25519_SHA256) {
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	} else if (algo == DKIM_ALGO_RSA_SHA256) {
		if (bits == 0)
			bits = 2048;
		if (bits < 1024 || bits > LIMIT_DKIM_RSA_BITS) {
			*error_r = "RSA bits must be 1024..8192";
			return NULL;
		}
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) bits);
	} else {
		*error_r = "cannot generate rsa-sha1 keys";
		return NULL;
	}
	if (pkey == NULL) {
		*error_r = "key generation failed";
		return NULL;
	}
	return privkey_wrap(pkey, error_r);
}

enum dkim_algo dkim_privkey_algo(const struct dkim_privkey *k)
{
	return k->algo;
}

int dkim_privkey_bits(const struct dkim_privkey *k)
{
	return k->bits;
}

EVP_PKEY *dkim_privkey_pkey(const struct dkim_privkey *k)
{
	return k->pkey;
}

const EVP_MD *dkim_privkey_md(const struct dkim_privkey *k)
{
	return k->md;
}

int dkim_privkey_record(const struct dkim_privkey *k, struct buf *out)
{
	unsigned char raw[32];
	unsigned char *der = NULL;
	int	len;

	if (k->algo == DKIM_ALGO_ED25519_SHA256) {
		size_t	rl = sizeof(raw);

		/* RFC 8463 section 4: p= is the raw 32-octet public key. */
		if (EVP_PKEY_get_raw_public_key(k->pkey, raw, &rl) != 1 || rl != 32)
			return -1;
		buf_append_str(out, "v=DKIM1; k=ed25519; p=");
		return dkim_b64_encode(raw, rl, out);
	}
	if ((len = i2d_PUBKEY(k->pkey, &der)) <= 0)
		return -1;
	buf_append_str(out, "v=DKIM1; k=rsa; p=");
	dkim_b64_encode(der, (size_t) len, out);
	OPENSSL_free(der);
	return buf_failed(out) ? -1 : 0;
}

int dkim_privkey_pem(const struct dkim_privkey *k, struct buf *out)
{
	BIO    *bio;
	char   *data;
	long	len;
	int	rc = -1;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return -1;
	if (PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL) == 1
	    && (len = BIO_get_mem_data(bio, &data)) > 0)
		rc = buf_append(out, data, (size_t) len);
	/* BIO_free on a mem BIO does not wipe; the PEM is secret. */
	if ((len = BIO_get_mem_data(bio, &data)) > 0)
		OPENSSL_cleanse(data, (size_t) len);
	BIO_free(bio);
	return rc;
}

void dkim_privkey_free(struct dkim_privkey *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	EVP_MD_free(k->md);
	free(k);
}
