/*
 * NAME
 *	dkim_verify 3
 * SUMMARY
 *	DKIM verification (RFC 6376 section 6, RFC 8301, RFC 8463)
 * DESCRIPTION
 *	Every DKIM-Signature field gets its own result, in header order.
 *	The steps follow section 6.1: parse and check the signature (no DNS
 *	for a bad one), local policy that needs no key (rsa-sha1), times,
 *	key lookup, key record checks, body hash, header hash, signature.
 *	Body hashes are shared between signatures with the same body
 *	canonicalization, hash and l=, so a message signed twice (RSA and
 *	Ed25519, as lists do) hashes its body once.  Decoded keys (and an
 *	RSA key's verification context) may come from the caller's
 *	dkim_key_cache, across messages; the key record is looked up and
 *	checked every time all the same.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"

const char *dkim_result_str(enum dkim_result r)
{
	switch (r) {
	case DKIM_NONE:
		return "none";
	case DKIM_PASS:
		return "pass";
	case DKIM_FAIL:
		return "fail";
	case DKIM_NEUTRAL:
		return "neutral";
	case DKIM_TEMPERROR:
		return "temperror";
	case DKIM_PERMERROR:
		return "permerror";
	case DKIM_POLICY:
		return "policy";
	}
	return "permerror";
}

const char *dkim_algo_str(enum dkim_algo a)
{
	switch (a) {
	case DKIM_ALGO_RSA_SHA256:
		return "rsa-sha256";
	case DKIM_ALGO_ED25519_SHA256:
		return "ed25519-sha256";
	case DKIM_ALGO_RSA_SHA1:
		return "rsa-sha1";
	}
	return "unknown";
}

enum dns_status dkim_txt_dns(void *ctx, const char *name,
			     struct dns_txt_answer *out, const char **error_r)
{
	return dns_txt(ctx, name, out, error_r);
}

void dkim_verify_opts_init(struct dkim_verify_opts *o, dkim_txt_fn lookup,
			   void *ctx)
{
	memset(o, 0, sizeof(*o));
	o->lookup = lookup;
	o->lookup_ctx = ctx;
	o->now = time(NULL);
	o->min_rsa_bits = 1024;
	o->allow_sha1 = 0;
	o->max_future_skew = 300;
	o->max_signatures = LIMIT_DKIM_SIGNATURES;
	o->key_cache = NULL;
}

/* Key record parse errors as Authentication-Results reasons. */
static const char *const keyrec_reasons[] = {
	"bad key record: record too long",
	"bad key record: v= not first",
	"bad key record: duplicate tag",
	"bad key record: bad tag list",
	"bad key record: bad v= tag",
	"bad key record: unknown k=",
	"bad key record: missing p= tag",
	"bad key record: bad p= tag",
	"bad key record: ed25519 key not 32 octets",
	"bad key record: bad RSA key",
	"bad key record: bad ed25519 key",
};

static const char *keyrec_reason(const char *err)
{
	size_t	i;

	for (i = 0; i < sizeof(keyrec_reasons) / sizeof(keyrec_reasons[0]); i++)
		if (strcmp(keyrec_reasons[i] + sizeof("bad key record: ") - 1, err) == 0)
			return keyrec_reasons[i];
	return "bad key record";
}

/* Body hashes shared by the signatures of one message. */
struct bh_cache {
	struct dkim_bodyhash *bh[LIMIT_DKIM_SIGNATURES];
	size_t	count;
};

static struct dkim_bodyhash *cached_bodyhash(struct bh_cache *c,
					     const struct msg *m,
					     const struct dkim_sig *sig)
{
	enum dkim_algo hash = sig->algo == DKIM_ALGO_RSA_SHA1
		? DKIM_ALGO_RSA_SHA1 : DKIM_ALGO_RSA_SHA256;
	struct dkim_bodyhash *bh;
	const unsigned char *body;
	size_t	i, len;

	for (i = 0; i < c->count; i++)
		if (dkim_bodyhash_canon(c->bh[i]) == sig->body_canon
		    && dkim_bodyhash_algo(c->bh[i]) == hash
		    && dkim_bodyhash_limit(c->bh[i]) == sig->body_length)
			return c->bh[i];
	if ((bh = dkim_bodyhash_new(sig->body_canon, hash, sig->body_length)) == NULL)
		return NULL;
	body = msg_body(m, &len);
	if (dkim_bodyhash_update(bh, body, len) < 0 || dkim_bodyhash_final(bh) < 0) {
		dkim_bodyhash_free(bh);
		return NULL;
	}
	/* Full (max_signatures above the limit): forget the oldest; every
	   caller uses the hash at once and asks again next time. */
	if (c->count == LIMIT_DKIM_SIGNATURES) {
		dkim_bodyhash_free(c->bh[0]);
		memmove(c->bh, c->bh + 1, (c->count - 1) * sizeof(c->bh[0]));
		c->count--;
	}
	c->bh[c->count++] = bh;
	return bh;
}

/* A context for rsa-sha256 or rsa-sha1 verification with pkey, or NULL. */
static EVP_PKEY_CTX *rsa_verify_ctx(EVP_PKEY *pkey, enum dkim_algo algo)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);

	if (ctx != NULL
	    && (EVP_PKEY_verify_init(ctx) != 1
		|| EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1
		|| EVP_PKEY_CTX_set_signature_md(ctx, dkim_md(algo)) != 1)) {
		EVP_PKEY_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

/*
 * 1 when sig verifies.  An rsa-sha256 context kept with a cached key is
 * made once and reused (as openssl speed does: EVP_PKEY_verify leaves
 * it ready for the next one); it is dropped after a failure all the
 * same, so that a context in an unexpected state cannot linger.
 */
static int crypto_verify(const struct dkim_pubkey *pk, enum dkim_algo algo,
			 const unsigned char *hash, size_t hlen,
			 const unsigned char *sig, size_t slen)
{
	int	ok;

	if (algo == DKIM_ALGO_ED25519_SHA256) {
		EVP_MD_CTX *mctx = EVP_MD_CTX_new();

		ok = mctx != NULL
			&& EVP_DigestVerifyInit_ex(mctx, NULL, NULL, NULL, NULL,
						   pk->pkey, NULL) == 1
			&& EVP_DigestVerify(mctx, sig, slen, hash, hlen) == 1;
		EVP_MD_CTX_free(mctx);
	} else if (algo == DKIM_ALGO_RSA_SHA256 && pk->rsa_ctx != NULL) {
		if (*pk->rsa_ctx == NULL)
			*pk->rsa_ctx = rsa_verify_ctx(pk->pkey, algo);
		ok = *pk->rsa_ctx != NULL
			&& EVP_PKEY_verify(*pk->rsa_ctx, sig, slen, hash, hlen) == 1;
		if (!ok) {
			EVP_PKEY_CTX_free(*pk->rsa_ctx);
			*pk->rsa_ctx = NULL;
		}
	} else {
		EVP_PKEY_CTX *ctx = rsa_verify_ctx(pk->pkey, algo);

		ok = ctx != NULL && EVP_PKEY_verify(ctx, sig, slen, hash, hlen) == 1;
		EVP_PKEY_CTX_free(ctx);
	}
	ERR_clear_error();	/* a bad signature is not an error of ours */
	return ok;
}

/* What verifying with one key record gave. */
struct outcome {
	enum dkim_result result;
	const char *reason;
	int	bits;
	int	testing;
};

struct sig_state {
	const struct msg *m;
	const struct dkim_verify_opts *o;
	const struct dkim_sig *sig;
	size_t	field_index;
	struct bh_cache *cache;
	struct dkim_sig_result *r;
	int	have_hash;
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned int hlen;
};

static int identity_is_d(const struct dkim_sig *sig)
{
	const char *at;
	size_t	i, n = strlen(sig->domain);

	if (sig->identity == NULL)
		return 1;
	at = strrchr(sig->identity, '@');
	if (at == NULL || strlen(at + 1) != n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char) at[1 + i];

		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char) sig->domain[i])
			return 0;
	}
	return 1;
}

/* 0 done (outcome set), -1 out of memory. */
static int try_key(struct sig_state *st, const struct dkim_keyrec *k,
		   struct outcome *out)
{
	const struct dkim_sig *sig = st->sig;
	int	ed = sig->algo == DKIM_ALGO_ED25519_SHA256;
	struct dkim_bodyhash *bh;
	const unsigned char *digest;
	size_t	dlen;
	struct dkim_pubkey pk;
	const char *err;

#define OUT(res, why)	do { out->result = (res); out->reason = (why); return 0; } while (0)
#define PUT_OUT(res, why) do { dkim_key_cache_put(&pk); OUT(res, why); } while (0)
	out->bits = 0;
	out->testing = k->testing;
	if (k->revoked)
		OUT(DKIM_PERMERROR, "revoked key");
	if (k->key_type != (ed ? 1 : 0))
		OUT(DKIM_PERMERROR, "key/algorithm mismatch");
	if (sig->algo == DKIM_ALGO_RSA_SHA1 ? !k->allows_sha1 : !k->allows_sha256)
		OUT(DKIM_PERMERROR, "inappropriate hash algorithm");
	if (!k->service_ok)
		OUT(DKIM_PERMERROR, "inappropriate key service");
	if (k->strict && !identity_is_d(sig))
		OUT(DKIM_PERMERROR, "i= domain differs from d= (t=s)");
	if (dkim_key_cache_get(st->o->key_cache, k, &pk, &err) < 0) {
		ERR_clear_error();
		OUT(DKIM_PERMERROR, keyrec_reason(err));
	}
	out->bits = pk.bits;
	if (!ed && out->bits > LIMIT_DKIM_RSA_BITS)
		PUT_OUT(DKIM_POLICY, "key too long");

	if ((bh = cached_bodyhash(st->cache, st->m, sig)) == NULL) {
		dkim_key_cache_put(&pk);
		return -1;
	}
	st->r->body_total = dkim_bodyhash_length(bh);
	digest = dkim_bodyhash_digest(bh, &dlen);
	if (sig->body_length > dkim_bodyhash_length(bh))
		PUT_OUT(DKIM_FAIL, "l= larger than body");
	if (dlen != sig->bh_len || memcmp(digest, sig->bh, dlen) != 0)
		PUT_OUT(DKIM_FAIL, "body hash mismatch");
	if (!st->have_hash) {
		struct buf c;
		int	ok;

		buf_init(&c, 4 * (size_t) LIMIT_HEADER_BLOCK);
		ok = dkim_canon_signed(st->m, sig, st->field_index, &c, NULL) == 0
			&& EVP_Digest(c.data != NULL ? c.data : (unsigned char *) "",
				      c.len, st->hash, &st->hlen, dkim_md(sig->algo),
				      NULL) == 1;
		buf_free(&c);
		if (!ok) {
			dkim_key_cache_put(&pk);
			return -1;
		}
		st->have_hash = 1;
	}
	if (!crypto_verify(&pk, sig->algo, st->hash, st->hlen, sig->b, sig->b_len))
		PUT_OUT(DKIM_FAIL, "signature did not verify");
	dkim_key_cache_put(&pk);
	if (!ed && out->bits < st->o->min_rsa_bits)
		OUT(DKIM_POLICY, "key too short");
	OUT(DKIM_PASS, NULL);
#undef PUT_OUT
#undef OUT
}

static int verify_one(struct sig_state *st)
{
	const struct dkim_sig *sig = st->sig;
	const struct dkim_verify_opts *o = st->o;
	struct dkim_sig_result *r = st->r;
	struct dns_txt_answer ans = {NULL, 0};
	struct outcome first, cur;
	const char *err = NULL, *first_bad = NULL;
	enum dns_status ds;
	struct buf name;
	size_t	i, tried = 0;
	int	have_first = 0;

#define RESULT(res, why) do { r->result = (res); r->reason = (why); return 0; } while (0)
	if (sig->algo == DKIM_ALGO_RSA_SHA1 && !o->allow_sha1)
		RESULT(DKIM_POLICY, "rsa-sha1 not accepted");
	if (sig->expire >= 0 && (long long) o->now > sig->expire)
		RESULT(DKIM_PERMERROR, "signature expired");
	if (o->max_future_skew >= 0 && sig->timestamp >= 0
	    && sig->timestamp - o->max_future_skew > (long long) o->now)
		RESULT(DKIM_PERMERROR, "timestamp in the future");

	buf_init(&name, 1024);
	buf_printf(&name, "%s._domainkey.%s", sig->selector, sig->domain);
	if (buf_failed(&name) || !dns_name_valid(buf_str(&name))) {
		buf_free(&name);
		RESULT(DKIM_PERMERROR, "signature syntax: key name too long");
	}
	if (o->lookup == NULL)
		ds = DNS_ERROR;
	else
		ds = o->lookup(o->lookup_ctx, buf_str(&name), &ans, &err);
	buf_free(&name);
	switch (ds) {
	case DNS_OK:
		break;
	case DNS_NXDOMAIN:
	case DNS_NODATA:
		dns_txt_answer_free(&ans);
		RESULT(DKIM_PERMERROR, "key not found");
	case DNS_TIMEOUT:
		dns_txt_answer_free(&ans);
		RESULT(DKIM_TEMPERROR, "key lookup: timeout");
	case DNS_SERVFAIL:
		dns_txt_answer_free(&ans);
		RESULT(DKIM_TEMPERROR, "key lookup: servfail");
	case DNS_BADRESPONSE:
		dns_txt_answer_free(&ans);
		RESULT(DKIM_TEMPERROR, "key lookup: bad response");
	default:
		dns_txt_answer_free(&ans);
		RESULT(DKIM_TEMPERROR, "key lookup: error");
	}

	/*
	 * RFC 6376 section 6.1.2 step 4: with several records we cycle
	 * through the valid ones (at most LIMIT_DKIM_KEY_RECORDS); the
	 * first pass wins, else the first valid record's result stands.
	 */
	for (i = 0; i < ans.count && tried < LIMIT_DKIM_KEY_RECORDS; i++) {
		struct dkim_keyrec k;

		if (dkim_keyrec_parse(ans.txt[i].data, ans.txt[i].len, &k, &err) < 0) {
			if (strcmp(err, "out of memory") == 0) {
				dns_txt_answer_free(&ans);
				return -1;
			}
			if (first_bad == NULL)
				first_bad = keyrec_reason(err);
			continue;
		}
		tried++;
		if (try_key(st, &k, &cur) < 0) {
			dkim_keyrec_free(&k);
			dns_txt_answer_free(&ans);
			return -1;
		}
		dkim_keyrec_free(&k);
		if (!have_first) {
			first = cur;
			have_first = 1;
		}
		if (cur.result == DKIM_PASS) {
			first = cur;
			break;
		}
	}
	dns_txt_answer_free(&ans);
	if (!have_first)
		RESULT(DKIM_PERMERROR, first_bad != NULL ? first_bad : "key not found");
	r->key_bits = first.bits;
	r->testing = first.testing;
	RESULT(first.result, first.reason);
#undef RESULT
}

/* d=, s= and a= of a signature that did not parse, for the report only. */
static void best_effort_names(const struct msg_field *f,
			      struct dkim_sig_result *r)
{
	struct dkim_tag_iter it;
	struct dkim_tag t;
	const char *err;

	dkim_tag_init(&it, f->value, f->value_len);
	while (dkim_tag_next(&it, &t, &err) > 0) {
		if (dkim_tag_is(&t, "d") && r->domain == NULL)
			r->domain = dkim_strip_fws(t.value, t.value_len);
		else if (dkim_tag_is(&t, "s") && r->selector == NULL)
			r->selector = dkim_strip_fws(t.value, t.value_len);
		else if (dkim_tag_is(&t, "a")) {
			if (dkim_name_eq(t.value, t.value_len, "ed25519-sha256"))
				r->algo = DKIM_ALGO_ED25519_SHA256;
			else if (dkim_name_eq(t.value, t.value_len, "rsa-sha1"))
				r->algo = DKIM_ALGO_RSA_SHA1;
		}
	}
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

int dkim_verify(const struct msg *m, const struct dkim_verify_opts *o,
		struct dkim_verify_result *res)
{
	struct bh_cache cache;
	size_t	n = 0, i, k = 0;
	int	rc = 0;

	res->sigs = NULL;
	res->count = 0;
	for (i = 0; i < msg_field_count(m); i++) {
		const struct msg_field *f = msg_field(m, i);

		if (f->name != NULL && dkim_name_eq(f->name, f->name_len, "DKIM-Signature"))
			n++;
	}
	if (n == 0)
		return 0;
	if ((res->sigs = calloc(n, sizeof(*res->sigs))) == NULL)
		return -1;
	res->count = n;
	cache.count = 0;
	for (i = 0; i < msg_field_count(m) && k < n; i++) {
		const struct msg_field *f = msg_field(m, i);
		struct dkim_sig_result *r;
		struct dkim_sig sig;
		struct sig_state st;
		const char *err;

		if (f->name == NULL || !dkim_name_eq(f->name, f->name_len, "DKIM-Signature"))
			continue;
		r = &res->sigs[k++];
		r->field_index = i;
		r->body_length = r->body_total = -1;
		r->algo = DKIM_ALGO_RSA_SHA256;
		if (k > o->max_signatures) {
			r->result = DKIM_POLICY;
			r->reason = "too many signatures";
			best_effort_names(f, r);
			continue;
		}
		if (dkim_sig_parse(f->value, f->value_len, &sig, &err) < 0) {
			if (strcmp(err, "out of memory") == 0) {
				rc = -1;
				break;
			}
			r->result = DKIM_PERMERROR;
			r->reason = dkim_sig_reason(err);
			best_effort_names(f, r);
			continue;
		}
		r->domain = dup_or_null(sig.domain);
		r->selector = dup_or_null(sig.selector);
		r->identity = dup_or_null(sig.identity);
		r->b_text = dup_or_null(sig.b_text);
		r->algo = sig.algo;
		r->body_length = sig.body_length;
		memset(&st, 0, sizeof(st));
		st.m = m;
		st.o = o;
		st.sig = &sig;
		st.field_index = i;
		st.cache = &cache;
		st.r = r;
		if ((r->domain == NULL || r->selector == NULL || r->b_text == NULL
		     || (sig.identity != NULL && r->identity == NULL))
		    || verify_one(&st) < 0) {
			dkim_sig_free(&sig);
			rc = -1;
			break;
		}
		dkim_sig_free(&sig);
	}
	for (i = 0; i < cache.count; i++)
		dkim_bodyhash_free(cache.bh[i]);
	if (rc < 0)
		dkim_verify_result_free(res);
	return rc;
}

void dkim_verify_result_free(struct dkim_verify_result *res)
{
	size_t	i;

	for (i = 0; i < res->count; i++) {
		free(res->sigs[i].domain);
		free(res->sigs[i].selector);
		free(res->sigs[i].identity);
		free(res->sigs[i].b_text);
	}
	free(res->sigs);
	res->sigs = NULL;
	res->count = 0;
}

/* ---- for ARC (RFC 8617) ------------------------------------------------ */

int dkim_verify_sig(const struct msg *m, const struct dkim_verify_opts *o,
		    const struct dkim_sig *sig, size_t field_index,
		    struct dkim_sig_result *r)
{
	struct bh_cache cache;
	struct sig_state st;
	size_t	i;
	int	rc;

	cache.count = 0;
	memset(&st, 0, sizeof(st));
	st.m = m;
	st.o = o;
	st.sig = sig;
	st.field_index = field_index;
	st.cache = &cache;
	st.r = r;
	r->field_index = field_index;
	r->algo = sig->algo;
	r->body_length = sig->body_length;
	r->body_total = -1;
	rc = verify_one(&st);
	for (i = 0; i < cache.count; i++)
		dkim_bodyhash_free(cache.bh[i]);
	return rc;
}

/* One key record against a hash; the checks of try_key() without a body. */
static enum dkim_result data_try_key(const struct dkim_verify_opts *o,
				     enum dkim_algo algo,
				     const struct dkim_keyrec *k,
				     const unsigned char *hash, size_t hlen,
				     const unsigned char *sig, size_t slen,
				     const char **reason_r)
{
	int	ed = algo == DKIM_ALGO_ED25519_SHA256;
	struct dkim_pubkey pk;
	const char *err;
	int	bits, ok;

#define OUT(res, why)	do { *reason_r = (why); return (res); } while (0)
	if (k->revoked)
		OUT(DKIM_PERMERROR, "revoked key");
	if (k->key_type != (ed ? 1 : 0))
		OUT(DKIM_PERMERROR, "key/algorithm mismatch");
	if (!k->allows_sha256)
		OUT(DKIM_PERMERROR, "inappropriate hash algorithm");
	if (!k->service_ok)
		OUT(DKIM_PERMERROR, "inappropriate key service");
	if (dkim_key_cache_get(o->key_cache, k, &pk, &err) < 0) {
		ERR_clear_error();
		OUT(DKIM_PERMERROR, keyrec_reason(err));
	}
	bits = pk.bits;
	ok = !ed && bits > LIMIT_DKIM_RSA_BITS ? -1
		: crypto_verify(&pk, algo, hash, hlen, sig, slen);
	dkim_key_cache_put(&pk);
	if (ok < 0)
		OUT(DKIM_POLICY, "key too long");
	if (!ok)
		OUT(DKIM_FAIL, "signature did not verify");
	if (!ed && bits < o->min_rsa_bits)
		OUT(DKIM_POLICY, "key too short");
	OUT(DKIM_PASS, NULL);
#undef OUT
}

enum dkim_result dkim_verify_data(const struct dkim_verify_opts *o,
				  enum dkim_algo algo, const char *domain,
				  const char *selector, const void *data,
				  size_t len, const unsigned char *sig,
				  size_t slen, const char **reason_r)
{
	struct dns_txt_answer ans = {NULL, 0};
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned int hlen;
	const char *err = NULL, *first_bad = NULL, *first_reason = NULL;
	enum dkim_result first = DKIM_NONE, cur;
	enum dns_status ds;
	struct buf name;
	size_t	i, tried = 0;

	*reason_r = NULL;
	if (algo == DKIM_ALGO_RSA_SHA1) {
		*reason_r = "rsa-sha1 not accepted";
		return DKIM_POLICY;
	}
	if (EVP_Digest(len > 0 ? data : "", len, hash, &hlen, dkim_md(algo),
		       NULL) != 1) {
		*reason_r = "out of memory";
		return DKIM_TEMPERROR;
	}
	buf_init(&name, 1024);
	buf_printf(&name, "%s._domainkey.%s", selector, domain);
	if (buf_failed(&name) || !dns_name_valid(buf_str(&name))) {
		buf_free(&name);
		*reason_r = "signature syntax: key name too long";
		return DKIM_PERMERROR;
	}
	ds = o->lookup == NULL ? DNS_ERROR
		: o->lookup(o->lookup_ctx, buf_str(&name), &ans, &err);
	buf_free(&name);
	if (ds != DNS_OK) {
		dns_txt_answer_free(&ans);
		switch (ds) {
		case DNS_NXDOMAIN:
		case DNS_NODATA:
			*reason_r = "key not found";
			return DKIM_PERMERROR;
		case DNS_TIMEOUT:
			*reason_r = "key lookup: timeout";
			break;
		case DNS_SERVFAIL:
			*reason_r = "key lookup: servfail";
			break;
		default:
			*reason_r = "key lookup: error";
			break;
		}
		return DKIM_TEMPERROR;
	}
	for (i = 0; i < ans.count && tried < LIMIT_DKIM_KEY_RECORDS; i++) {
		struct dkim_keyrec k;
		const char *why;

		if (dkim_keyrec_parse(ans.txt[i].data, ans.txt[i].len, &k, &err) < 0) {
			if (first_bad == NULL)
				first_bad = keyrec_reason(err);
			continue;
		}
		tried++;
		cur = data_try_key(o, algo, &k, hash, hlen, sig, slen, &why);
		dkim_keyrec_free(&k);
		if (first == DKIM_NONE || cur == DKIM_PASS) {
			first = cur;
			first_reason = why;
		}
		if (cur == DKIM_PASS)
			break;
	}
	dns_txt_answer_free(&ans);
	if (first == DKIM_NONE) {
		*reason_r = first_bad != NULL ? first_bad : "key not found";
		return DKIM_PERMERROR;
	}
	*reason_r = first_reason;
	return first;
}
