/*
 * NAME
 *	keys 3h
 * SUMMARY
 *	DKIM key management: names, key files, DNS record text
 * DESCRIPTION
 *	This module owns the private key files of the list domains:
 *	keys_dir/DOMAIN/SELECTOR.pem, PEM PKCS#8, mode 0600, in directories
 *	of mode 0700, created with O_EXCL so that an existing key is never
 *	overwritten.  It checks domain and selector names (they become file
 *	names and DNS names), formats the TXT record for a zone file and
 *	reads published public keys (size, and whether one is ours).
 *
 *	Making, loading and using a key, and the record text itself, are
 *	lib/dkim's (dkim_privkey_generate, dkim_privkey_pem,
 *	dkim_privkey_load_file, dkim_privkey_record); nothing here repeats
 *	them.  The database rows (which keys exist) are the store's
 *	(store_key_*).
 *
 *	Errors are one line in a caller's struct buf, saying what to do
 *	next where there is something to do.  Nothing here exits or logs.
 */
#ifndef SEALIST_KEYS_H
#define SEALIST_KEYS_H

#include <stddef.h>
#include <time.h>

#include "buf/buf.h"

enum keys_type {
	KEYS_RSA,
	KEYS_ED25519,
};

/* RSA sizes: RFC 8301 section 3.2 -- verifiers must accept 1024..4096,
 * signers must use at least 1024 and should use at least 2048. */
#define KEYS_RSA_MIN_BITS	1024
#define KEYS_RSA_GOOD_BITS	2048
#define KEYS_RSA_MAX_BITS	4096
#define KEYS_RSA_DEFAULT_BITS	2048

/* "rsa" / "ed25519"; keys_type_parse: 0 or -1 for another name. */
extern const char *keys_type_str(enum keys_type);
extern int keys_type_parse(const char *name, enum keys_type *type_r);

/*
 * Check a domain ("example.org", a trailing dot allowed) or a selector
 * ("s202611-rsa"): dot-separated labels of letters, digits and hyphens,
 * 1-63 bytes each, not starting or ending with a hyphen; a domain has at
 * least two labels and at most 253 bytes.  *lower_r gets a malloc'd
 * lowercase copy without the trailing dot.  0, or -1 with *why_r (static).
 */
extern int keys_check_domain(const char *name, char **lower_r, const char **why_r);
extern int keys_check_selector(const char *name, char **lower_r, const char **why_r);

/* The default selector for a new key made at now: "sYYYYMM-rsa" or
 * "sYYYYMM-ed" (UTC); malloc'd, NULL when out of memory. */
extern char *keys_default_selector(enum keys_type, time_t now);

/* keys_dir/domain/selector.pem, malloc'd; NULL when out of memory. */
extern char *keys_path(const char *keys_dir, const char *domain, const char *selector);

/*
 * Generate a key and write it to path (from keys_path), creating
 * keys_dir and its domain directory (0700) if needed; bits is ignored
 * for Ed25519.  The file is created with O_EXCL: if it exists, nothing
 * is written.  0, or -1 with one line appended to error.
 */
extern int keys_generate(const char *keys_dir, const char *path, enum keys_type,
			 int bits, struct buf *error);

/*
 * The zone-file text for one TXT record:
 *	NAME. IN TXT ( "v=DKIM1; k=rsa; "
 *		"p=MIIBIjANBgkq..." )
 * with the record split into character-strings of at most 255 bytes
 * (RFC 1035 section 3.3), the tags before p= in the first one, and a
 * line end after the closing parenthesis.  Appended to out; 0 or -1.
 */
extern int keys_zone_record(const char *name, const char *record, size_t len,
			    struct buf *out);

/*
 * The size of a published public key (the p= of a key record, decoded):
 * RSA SubjectPublicKeyInfo DER (RFC 6376 section 3.6.1), or PKCS#1
 * RSAPublicKey as some publish it and verifiers accept, its modulus
 * bits; Ed25519 (RFC 8463) exactly 32 bytes, 256.  key_type as in struct
 * dkim_keyrec (0 rsa, 1 ed25519).  0, or -1 if the bytes are not such a
 * key.
 */
extern int keys_public_bits(int key_type, const unsigned char *key, size_t len,
			    int *bits_r);

/* 1 if two decoded p= values are the same public key (whatever the RSA
 * encoding), else 0. */
extern int keys_public_same(int key_type, const unsigned char *a, size_t a_len,
			    const unsigned char *b, size_t b_len);

#endif
