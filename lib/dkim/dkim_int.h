/*
 * NAME
 *	dkim_int 3h
 * SUMMARY
 *	internals shared by the files of lib/dkim (not installed, not API)
 * DESCRIPTION
 *	The module is split by job: tag lists (dkim_tag.c), base64
 *	(dkim_b64.c), canonicalization and hashing (dkim_canon.c), signature
 *	values (dkim_sig.c), key records and private keys (dkim_key.c),
 *	signing (dkim_sign.c), verification (dkim_verify.c), decoded
 *	public keys kept between verifications (dkim_key_cache.c).  What one file
 *	needs from another is declared here; it keeps the dkim_ prefix.
 */
#ifndef SEALIST_DKIM_INT_H
#define SEALIST_DKIM_INT_H

#include <openssl/evp.h>

#include "dkim/dkim.h"

/* ---- base64 (dkim_b64.c) ---- */

/*
 * Decode base64 in [p, p+len), skipping FWS (SP, HTAB, CR, LF) anywhere.
 * Padding may be present or absent, but only at the end; any other byte,
 * a lone sextet or non-zero unused bits is an error.  Returns a malloc'd
 * buffer (not NUL-terminated; a 1-byte buffer for empty input) and its
 * length, or NULL with *error_r ("bad base64" or "out of memory").
 */
extern unsigned char *dkim_b64_decode(const void *p, size_t len,
				      size_t *len_r, const char **error_r);
/* Append base64 of [p, p+len) with padding and no line breaks. */
extern int dkim_b64_encode(const void *p, size_t len, struct buf *out);

/* ---- small text helpers (dkim_tag.c) ---- */

/* 1 for SP, HTAB, CR, LF: what FWS is made of. */
#define DKIM_IS_FWS(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* Does tag t have name (exact, case-sensitive as section 3.2 says)? */
extern int dkim_tag_is(const struct dkim_tag *t, const char *name);
/* malloc'd NUL-terminated copy of [p, p+len) without FWS bytes. */
extern char *dkim_strip_fws(const unsigned char *p, size_t len);
/* ASCII case-insensitive comparison of [a, a+alen) and NUL-terminated b. */
extern int dkim_name_eq(const void *a, size_t alen, const char *b);

/* ---- hashing (dkim_canon.c) ---- */

/* The digest of an algorithm: SHA-256, or SHA-1 for rsa-sha1. */
extern const EVP_MD *dkim_md(enum dkim_algo);
/* Digest length of an algorithm (32 or 20). */
extern size_t dkim_md_len(enum dkim_algo);

/*
 * For each of names[0..count), the msg index of the field it selects
 * (section 5.4.2: bottom-up for repeated names), or -1 when there is no
 * such (further) field.  idx has count entries.
 */
extern void dkim_select_headers(const struct msg *, const char *const *names,
				size_t count, long *idx);

/*
 * Append the canonical DKIM-Signature field f with bytes [b_off, b_end)
 * of its value -- the b= value -- left out, and no final CRLF.
 */
extern int dkim_canon_sigfield(enum dkim_canon, const struct msg_field *f,
			       size_t b_off, size_t b_end, struct buf *out);

/* Body hash internals the signer checks. */
extern enum dkim_canon dkim_bodyhash_canon(const struct dkim_bodyhash *);
extern enum dkim_algo dkim_bodyhash_algo(const struct dkim_bodyhash *);
extern long long dkim_bodyhash_limit(const struct dkim_bodyhash *);
extern int dkim_bodyhash_done(const struct dkim_bodyhash *);

/* ---- key records and keys (dkim_key.c) ---- */

/*
 * The public key of a parsed record as an EVP_PKEY of the record's type
 * (RSA: SubjectPublicKeyInfo or PKCS#1 RSAPublicKey DER), or NULL with a
 * reason ("bad RSA key", "bad ed25519 key").
 */
extern EVP_PKEY *dkim_keyrec_pkey(const struct dkim_keyrec *,
				  const char **error_r);
/* ---- decoded public keys (dkim_key_cache.c) ---- */

/*
 * A decoded key in use by one verification.  pkey is a reference of its
 * own; bits is the RSA modulus size (256 for ed25519).  For a key held
 * by the cache, rsa_ctx points at the entry's slot for an EVP_PKEY_CTX
 * set up for rsa-sha256 verification (NULL in the slot until the first
 * one is made; whoever makes it leaves it there), and the entry is not
 * evicted until dkim_key_cache_put().  Otherwise rsa_ctx is NULL.
 */
struct dkim_pubkey {
	EVP_PKEY *pkey;
	int	bits;
	EVP_PKEY_CTX **rsa_ctx;
	struct dkim_key_cache_entry *entry;
};
/*
 * The key of a parsed record (k->key not NULL): from cache (may be NULL:
 * then decoded every time) when decoded before, else decoded with
 * dkim_keyrec_pkey() and, if that worked, kept.  0, or -1 with its reason.
 * Every 0 must be matched by a dkim_key_cache_put() before the cache is
 * used again or freed.
 */
extern int dkim_key_cache_get(struct dkim_key_cache *, const struct dkim_keyrec *,
			      struct dkim_pubkey *, const char **error_r);
extern void dkim_key_cache_put(struct dkim_pubkey *);

/* The private key's EVP_PKEY and a fetched SHA-256 (kept with the key). */
extern EVP_PKEY *dkim_privkey_pkey(const struct dkim_privkey *);
extern const EVP_MD *dkim_privkey_md(const struct dkim_privkey *);

/* ---- signature values (dkim_sig.c) ---- */

/*
 * Are d (domain), s (selector) and i (identity, may be NULL) fit to be
 * written into a signature (the syntax dkim_sig_parse accepts)?  0, or
 * -1 with a reason.
 */
extern int dkim_sig_check_names(const char *d, const char *s, const char *i,
				const char **error_r);

/* The Authentication-Results reason for a dkim_sig_parse() error. */
extern const char *dkim_sig_reason(const char *parse_error);

/*
 * Find the b= tag's value in a DKIM-Signature value: [*off, *end) is
 * what section 3.7 empties (from after "b=" to the ";" or the end).
 * 0, or -1 when the tag list is bad or has no b=.
 */
extern int dkim_sig_find_b(const unsigned char *value, size_t len,
			   size_t *off, size_t *end);

#endif
