/*
 * NAME
 *	dkim 3h
 * SUMMARY
 *	DKIM signing and verification (RFC 6376, RFC 8301, RFC 8463)
 * SYNOPSIS
 *	#include <dkim/dkim.h>
 * DESCRIPTION
 *	Works on the raw message model (lib/msg): header fields are hashed
 *	from their raw bytes, never from a re-generated form.
 *
 *	The body hash is an object of its own (dkim_bodyhash_*): computed
 *	once per body and canonicalization, then handed to any number of
 *	dkim_sign() calls, because list fan-out signs one body for thousands
 *	of recipients whose headers differ.
 *
 *	Key records are fetched through a caller-supplied TXT lookup
 *	(dkim_txt_fn) so that tests can answer from a table and the daemon
 *	from lib/dns; dkim_txt_dns() adapts a struct dns_resolver.  Time is
 *	passed in (now) so that t= and x= are testable.
 *
 *	Nothing here logs or exits; results carry a short reason suitable
 *	for Authentication-Results ("body hash mismatch", "key not found").
 *	Parsers of untrusted text (tag lists, DKIM-Signature values, key
 *	records) take a length and are fuzzed.
 */
#ifndef SEALIST_DKIM_H
#define SEALIST_DKIM_H

#include <stddef.h>
#include <time.h>

#include "buf/buf.h"
#include "dns/dns.h"
#include "msg/msg.h"

/* ---- results ------------------------------------------------------- */

/* RFC 8601 section 2.7.1 names; NONE = no signature at all. */
enum dkim_result {
	DKIM_NONE,
	DKIM_PASS,
	DKIM_FAIL,		/* signature did not verify (incl. body hash) */
	DKIM_NEUTRAL,		/* syntactically valid but unverifiable by policy */
	DKIM_TEMPERROR,		/* DNS timeout / SERVFAIL */
	DKIM_PERMERROR,		/* bad tags, key not found, revoked key, ... */
	DKIM_POLICY,		/* verified, but refused by local policy (e.g. rsa-sha1, short key) */
};
extern const char *dkim_result_str(enum dkim_result);	/* "pass", "fail", ... */

enum dkim_algo {
	DKIM_ALGO_RSA_SHA256,
	DKIM_ALGO_ED25519_SHA256,
	DKIM_ALGO_RSA_SHA1,	/* verified only to report "policy" (RFC 8301) */
};
extern const char *dkim_algo_str(enum dkim_algo);	/* "rsa-sha256", ... */

enum dkim_canon { DKIM_CANON_SIMPLE, DKIM_CANON_RELAXED };
extern const char *dkim_canon_str(enum dkim_canon);	/* "simple", "relaxed" */

/* ---- tag=value lists (RFC 6376 section 3.2) ----------------------- */

/*
 * Iterate a tag-list over [p, p+len): init, then next() until it returns
 * 0 (end) or -1 (syntax error, *error_r set).  Tag names and values are
 * returned as ranges into the input with surrounding FWS removed; the
 * value keeps inner FWS (callers strip it where the RFC says to).
 *
 * Grammar (section 3.2): tag-name = ALPHA *(ALPHA / DIGIT / "_"); values
 * are VALCHARs (%x21-3A / %x3C-7E) and FWS; folding may use CRLF or a
 * bare LF (the message model keeps bare LF).  One trailing ";" (and FWS
 * after it) is allowed; an empty tag-spec (";;") or any other byte is a
 * syntax error.  Duplicate names are not detected here (the iterator
 * keeps no state); dkim_sig_parse and dkim_keyrec_parse refuse them.
 * Input longer than LIMIT_DKIM_TAG_LIST is refused by next().
 */
struct dkim_tag_iter {
	const unsigned char *p, *end;
	int	too_long;		/* len > LIMIT_DKIM_TAG_LIST */
};
struct dkim_tag {
	const unsigned char *name;
	size_t	name_len;
	const unsigned char *value;
	size_t	value_len;
};
extern void dkim_tag_init(struct dkim_tag_iter *, const void *p, size_t len);
extern int dkim_tag_next(struct dkim_tag_iter *, struct dkim_tag *,
			 const char **error_r);

/* ---- DKIM-Signature field values ----------------------------------- */

struct dkim_sig {
	enum dkim_algo algo;
	enum dkim_canon header_canon, body_canon;
	char   *domain;			/* d=, lowercased */
	char   *selector;		/* s= */
	char   *identity;		/* i=, or NULL (then "@" d=) */
	char  **headers;		/* h=, names as given */
	size_t	header_count;
	unsigned char *bh;		/* bh= decoded */
	size_t	bh_len;
	unsigned char *b;		/* b= decoded */
	size_t	b_len;
	char   *b_text;			/* b= as written, FWS removed (A-R header.b) */
	long long body_length;		/* l=, or -1 */
	long long timestamp;		/* t=, or -1 */
	long long expire;		/* x=, or -1 */
};

/*
 * Parse a DKIM-Signature field's raw value (after the colon, folding
 * included).  Returns 0, or -1 with *error_r a short reason ("missing
 * d= tag", "unsupported version", "i= not within d=", "x= before t=",
 * "h= lacks From").  Unknown tags are ignored (section 3.2); duplicate
 * tags are an error.  Checked here: v=1; a= one of the three algorithms;
 * b=, bh= valid base64 (FWS allowed inside); c= (default simple/simple;
 * "relaxed" alone is relaxed/simple); d= and s= domain-name syntax;
 * h= names are field names, at most LIMIT_DKIM_H_NAMES, one is From;
 * i= within d= (same domain or a subdomain); l=, t=, x= decimal (at most
 * 18 digits); x= not before t= (x= equal to t= is accepted); q= lists
 * dns/txt if present.  On -1 the struct is empty (nothing to free).
 */
extern int dkim_sig_parse(const void *value, size_t len, struct dkim_sig *,
			  const char **error_r);
extern void dkim_sig_free(struct dkim_sig *);

/* ---- key records (RFC 6376 section 3.6.1) ------------------------- */

struct dkim_keyrec {
	int	key_type;		/* k=: 0 rsa, 1 ed25519 */
	unsigned char *key;		/* p= decoded; NULL when p= is empty (revoked) */
	size_t	key_len;
	int	revoked;		/* p= empty */
	int	testing;		/* t=y */
	int	strict;			/* t=s: i= domain must equal d= */
	int	allows_sha256;		/* h= absent or lists sha256 */
	int	allows_sha1;		/* h= absent or lists sha1 */
	int	service_ok;		/* s= absent, "*" or lists "email" */
};

/*
 * Parse one TXT record.  0, or -1 with a reason ("bad v= tag", "unknown
 * k=").  v= must be first if present and be DKIM1; k= rsa (default) or
 * ed25519; p= required (empty = revoked), base64 with FWS allowed; an
 * ed25519 p= must decode to 32 octets.  h=, s=, t= are colon lists whose
 * unknown entries are ignored; unknown tags are ignored; duplicate tags
 * and records over LIMIT_DKIM_KEY_RECORD are refused.  The RSA key itself
 * is decoded when used (SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey as
 * some signers publish).  On -1 the struct is empty.
 */
extern int dkim_keyrec_parse(const void *txt, size_t len, struct dkim_keyrec *,
			     const char **error_r);
extern void dkim_keyrec_free(struct dkim_keyrec *);

/* ---- body hash ------------------------------------------------------ */

struct dkim_bodyhash;

/*
 * A body hash for one canonicalization and hash (sha256, or sha1 for
 * verifying old signatures), limited to the first limit canonical
 * octets (l=) or unlimited (-1).  Feed the body in any chunks.
 */
extern struct dkim_bodyhash *dkim_bodyhash_new(enum dkim_canon, enum dkim_algo,
					       long long limit);
extern int dkim_bodyhash_update(struct dkim_bodyhash *, const void *, size_t);
/* Finish; the digest is then available and stays until free. */
extern int dkim_bodyhash_final(struct dkim_bodyhash *);
extern const unsigned char *dkim_bodyhash_digest(const struct dkim_bodyhash *,
						 size_t *len_r);
/* Canonical body length (all of it, not only the part under l=). */
extern long long dkim_bodyhash_length(const struct dkim_bodyhash *);
extern void dkim_bodyhash_free(struct dkim_bodyhash *);

/* ---- canonical forms (section 3.4), for tests and diagnostics --------- */

/*
 * Append the canonical form of one header field (msg_field of a msg) to
 * out: simple = the raw bytes, relaxed = lowercased name ":" value
 * unfolded, WSP runs as one SP, WSP at the end and around the colon
 * removed.  Both write every line end (CRLF or a bare LF) as CRLF.  With
 * crlf 0 the final CRLF is left off (the DKIM-Signature field itself).
 * Returns 0, or -1 when out refuses.
 */
extern int dkim_canon_header(enum dkim_canon, const struct msg_field *,
			     int crlf, struct buf *out);
/* Append the canonical form of a whole body (first limit octets, or all
 * with -1) to out; 0 or -1. */
extern int dkim_canon_body(enum dkim_canon, const void *body, size_t len,
			   long long limit, struct buf *out);
/*
 * Append exactly the octets a verifier hashes for sig, the parsed value
 * of the DKIM-Signature field at msg index sig_index: the header fields
 * h= selects, the signature field with b= emptied and no final CRLF,
 * then (separately, for the body hash) the canonical body under l=.
 * Either out may be NULL.  0, or -1 when out refuses.
 */
extern int dkim_canon_signed(const struct msg *, const struct dkim_sig *,
			     size_t sig_index, struct buf *headers_out,
			     struct buf *body_out);

/* ---- private keys and signing --------------------------------------- */

struct dkim_privkey;

/* PEM (PKCS#8 or PKCS#1 RSA, PKCS#8 Ed25519). NULL + reason on error. */
extern struct dkim_privkey *dkim_privkey_load(const void *pem, size_t len,
					      const char **error_r);
extern struct dkim_privkey *dkim_privkey_load_file(const char *path,
						   const char **error_r);
extern enum dkim_algo dkim_privkey_algo(const struct dkim_privkey *);
extern int dkim_privkey_bits(const struct dkim_privkey *);
/* The key record to publish: "v=DKIM1; k=rsa; p=BASE64" (one string). */
extern int dkim_privkey_record(const struct dkim_privkey *, struct buf *out);
/*
 * A new key: algo DKIM_ALGO_RSA_SHA256 with bits (0 = 2048; 1024..8192)
 * or DKIM_ALGO_ED25519_SHA256 (bits ignored).  Randomness is OpenSSL's.
 */
extern struct dkim_privkey *dkim_privkey_generate(enum dkim_algo, int bits,
						  const char **error_r);
/* Append the private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). */
extern int dkim_privkey_pem(const struct dkim_privkey *, struct buf *out);
extern void dkim_privkey_free(struct dkim_privkey *);

/*
 * The header fields signed by default (RFC 6376 section 5.4), and those
 * over-signed (listed once more than present, so none can be added in
 * transit): From Subject Date To Cc Reply-To Message-ID MIME-Version
 * Content-Type Content-Transfer-Encoding and the List-* fields.
 */
extern const char *const dkim_default_headers[];	/* NULL-terminated */
extern const char *const dkim_oversign_headers[];	/* NULL-terminated */

struct dkim_sign_opts {
	const char *domain;		/* d= */
	const char *selector;		/* s= */
	const struct dkim_privkey *key;	/* decides a= */
	enum dkim_canon header_canon;	/* default relaxed */
	enum dkim_canon body_canon;	/* default relaxed; must match the bodyhash */
	const char *const *headers;	/* NULL: dkim_default_headers + over-signing */
	const char *identity;		/* i=, or NULL */
	long long timestamp;		/* t=, or -1 for none */
	long long expire;		/* x=, or -1 for none */
	/*
	 * Layout only (the signature is the same under relaxed header
	 * canonicalization either way): the separator between h= names,
	 * NULL for ":"; and query_tag 1 to write "q=dns/txt".  dkimpy
	 * writes " : " and q=dns/txt; RFC 8463 Appendix A was made so.
	 */
	const char *h_separator;
	int	query_tag;
};

/*
 * relaxed/relaxed, default headers, no i=, no t=, no x=, ":" and no q=.
 * Tags are written in the order v a c d i q s t x h bh b.
 */
extern void dkim_sign_opts_init(struct dkim_sign_opts *);

/*
 * Sign msg's header with a finished body hash of the same body
 * canonicalization.  On success *field_r is a malloc'd complete field
 * "DKIM-Signature: v=1; a=...; ...; b=..." folded at about 78 columns
 * with "\r\n\t" (msg_insert_top converts the line ends), without a final
 * line end.  Never adds l=.  Returns 0 or -1 with a reason.
 */
extern int dkim_sign(const struct msg *, const struct dkim_sign_opts *,
		     const struct dkim_bodyhash *, char **field_r,
		     const char **error_r);

/* ---- verification ---------------------------------------------------- */

/* TXT lookup for the key record; same contract as dns_txt(). */
typedef enum dns_status (*dkim_txt_fn)(void *ctx, const char *name,
				       struct dns_txt_answer *out,
				       const char **error_r);
/* Adapter: ctx is a struct dns_resolver *. */
extern enum dns_status dkim_txt_dns(void *ctx, const char *name,
				    struct dns_txt_answer *out,
				    const char **error_r);

/*
 * Decoded public keys kept between verifications (dkim_key_cache.c).
 * Decoding a key record into an OpenSSL key can cost more than the
 * verification itself, and a list server sees the same few keys all day.
 * At most max_entries keys (1..LIMIT_DKIM_KEY_CACHE), keyed by the exact
 * key octets (p= decoded) and key type, never by selector or domain: the
 * record is still looked up and parsed for every signature, so a new key
 * or a revocation counts at once; only the decoding of identical octets
 * is saved.  Full, the least recently used key is dropped.  Keys that
 * fail to decode, and RSA keys above LIMIT_DKIM_RSA_BITS, are not kept.
 * One thread at a time (like a resolver): give each thread its own.
 * new() returns NULL on a bad max_entries or no memory; free(NULL) does
 * nothing.  The stats count the keys asked of the cache: hits, misses
 * (then decoded, whether or not that worked), and the keys held now.
 */
struct dkim_key_cache;
struct dkim_key_cache_stats {
	unsigned long hits, misses;
	size_t	entries;
};
extern struct dkim_key_cache *dkim_key_cache_new(size_t max_entries);
extern void dkim_key_cache_free(struct dkim_key_cache *);
extern void dkim_key_cache_stats(const struct dkim_key_cache *,
				 struct dkim_key_cache_stats *);

struct dkim_verify_opts {
	dkim_txt_fn lookup;
	void   *lookup_ctx;
	time_t	now;			/* for x= and t= */
	int	min_rsa_bits;		/* 1024 (RFC 8301) */
	int	allow_sha1;		/* 0: rsa-sha1 gives DKIM_POLICY */
	long long max_future_skew;	/* t= more than this ahead of now: permerror
					   "timestamp in the future"; default 300
					   (OpenDKIM's ClockDrift); < 0: no check */
	size_t	max_signatures;		/* verify at most this many (rest: policy
					   "too many signatures"); default
					   LIMIT_DKIM_SIGNATURES */
	struct dkim_key_cache *key_cache; /* NULL: decode every time */
};
/* Defaults: now = time(NULL), min_rsa_bits 1024, allow_sha1 0, skew 300,
   no key cache. */
extern void dkim_verify_opts_init(struct dkim_verify_opts *, dkim_txt_fn, void *);

struct dkim_sig_result {
	enum dkim_result result;
	const char *reason;		/* static; NULL on plain pass */
	size_t	field_index;		/* which header field (msg index) */
	char   *domain, *selector, *identity;	/* NULL if unparsable; for a
					   signature that does not parse, d=
					   and s= as written if they were read */
	enum dkim_algo algo;		/* rsa-sha256 when a= is unknown */
	char   *b_text;			/* for header.b */
	int	key_bits;		/* RSA modulus bits, 256 for ed25519, 0 unknown */
	int	testing;		/* key has t=y */
	long long body_length;		/* l=, or -1 */
	long long body_total;		/* canonical body length, to show what l= left
					   out; -1 when the body was not hashed
					   (the result came before that step) */
};

struct dkim_verify_result {
	struct dkim_sig_result *sigs;	/* one per DKIM-Signature, in header order */
	size_t	count;			/* 0: no signature (result none) */
};

/*
 * Verify every DKIM-Signature of msg.  Returns 0 (results filled) or -1
 * (no memory).  Results and reasons:
 *   pass       reason NULL
 *   fail       "body hash mismatch", "signature did not verify",
 *              "l= larger than body"
 *   permerror  "signature syntax: ..." (or, as they are, "i= not within
 *              d=", "h= lacks From"), "key not found" (NXDOMAIN, NODATA),
 *              "revoked key", "bad key record: ..." (with several TXT
 *              records and none valid: the first one's reason),
 *              "key/algorithm mismatch", "inappropriate hash algorithm",
 *              "inappropriate key service", "i= domain differs from d=
 *              (t=s)", "signature syntax: key name too long",
 *              "signature expired" (RFC 6376 makes an expired signature a
 *              failed one; permerror because re-trying cannot change it),
 *              "timestamp in the future"
 *   temperror  "key lookup: timeout", "key lookup: servfail", "key lookup:
 *              bad response", "key lookup: error"
 *   policy     "rsa-sha1 not accepted" (no key lookup is made), "key too
 *              short" (RSA below min_rsa_bits; given only when the
 *              signature verified, else fail), "key too long" (above
 *              LIMIT_DKIM_RSA_BITS; not verified), "too many signatures"
 * l= is honoured: body_length says how much was signed, body_total how
 * much there is; a pass with body_length < body_total is still a pass
 * (callers decide what unsigned content means to them).
 * Several TXT records at the key name: each valid one is tried (at most
 * LIMIT_DKIM_KEY_RECORDS), the first pass wins, else the first valid
 * record's result (RFC 6376 section 6.1.2 step 4).
 */
extern int dkim_verify(const struct msg *, const struct dkim_verify_opts *,
		       struct dkim_verify_result *);
extern void dkim_verify_result_free(struct dkim_verify_result *);

/* ---- building blocks for ARC (RFC 8617), which signs like DKIM ------ */

/*
 * lib/arc parses its own fields (the AMS has no v= and its i= is an
 * instance number) and orders its own header hashes (section 5.1.1), but
 * the octets, hashes, keys and signatures are DKIM's; these expose them.
 *
 * dkim_base64_decode: base64 with FWS anywhere, as b= and bh= are
 * written; malloc'd result (not NUL-terminated) or NULL with a reason.
 * dkim_check_names: are d= and s= fit for a signature (the syntax
 * dkim_sig_parse accepts)?  0, or -1 with a reason.
 * dkim_canon_header_nob: append the canonical form of a signature field
 * with its b= value left out and no final CRLF (RFC 6376 section 3.7);
 * -1 when the value has no b= tag or out refuses.
 */
extern unsigned char *dkim_base64_decode(const void *p, size_t len,
					 size_t *len_r, const char **error_r);
extern int dkim_check_names(const char *d, const char *s, const char **error_r);
/* Append base64 of [p, p+len), padded, no line breaks; 0 or -1. */
extern int dkim_base64_encode(const void *p, size_t len, struct buf *out);
extern int dkim_canon_header_nob(enum dkim_canon, const struct msg_field *,
				 struct buf *out);
/*
 * Hash data (canonical octets) with the key's hash (SHA-256) and sign it
 * as dkim_sign() does; append the base64 signature to b64_out.  0, or -1
 * with a reason.
 */
extern int dkim_sign_data(const struct dkim_privkey *, const void *data,
			  size_t len, struct buf *b64_out, const char **error_r);
/*
 * Verify one already parsed signature (sig: algo, canonicalizations, d=,
 * s=, h=, bh=, b=, l=, t=, x=; identity ignored when NULL) of the field at
 * msg index field_index, with every step and reason of dkim_verify().
 * Fills r->result, reason, key_bits, testing, body_length, body_total
 * (names are left NULL).  0, or -1 when memory runs out.
 */
extern int dkim_verify_sig(const struct msg *, const struct dkim_verify_opts *,
			   const struct dkim_sig *, size_t field_index,
			   struct dkim_sig_result *r);
/*
 * Verify sig (slen octets) over SHA-256(data) with the key published at
 * selector._domainkey.domain, the key checks and reasons of dkim_verify()
 * included (no body, no times).  Returns the result, *reason_r as there
 * (NULL on pass).  rsa-sha1 gives policy.
 */
extern enum dkim_result dkim_verify_data(const struct dkim_verify_opts *,
					 enum dkim_algo, const char *domain,
					 const char *selector, const void *data,
					 size_t len, const unsigned char *sig,
					 size_t slen, const char **reason_r);

#endif
