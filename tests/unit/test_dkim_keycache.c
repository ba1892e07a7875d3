/*
 * NAME
 *	test_dkim_keycache 1
 * SUMMARY
 *	the decoded-public-key cache of verification (lib/dkim)
 * DESCRIPTION
 *	Messages are signed with the keys in tests/data/dkim and verified
 *	with key records from an in-process TXT table that the tests change
 *	between verifications, as DNS would.  Covered: results with the cache
 *	equal results without it, good and bad signatures interleaved (a
 *	failed RSA verification drops the kept context); the counters (one
 *	miss, then hits); a new key under the same selector and a revoked
 *	record count at once though the old key is cached; eviction of the
 *	least recently used key; RSA and Ed25519 keys under one selector,
 *	and an rsa record holding a cached Ed25519 key's octets (the cache is
 *	keyed by type too); keys that fail to decode, and RSA keys too long
 *	to be used, are not kept;
 *	dkim_verify_data (ARC's path) with a cache; bad arguments.  Last, the
 *	RSA key decoder's fast path for the common SubjectPublicKeyInfo form
 *	is checked against d2i_PUBKEY() on variants and every prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "dkim/dkim_int.h"
#include "msg/msg.h"
#include "sealist_limits.h"
#include "tap.h"

#define NOW	1700000000LL

/* ---- the TXT table: names and their records, changed between checks ---- */

struct zent {
	char	name[128];
	char   *rec[2];
	size_t	nrec;
};

static struct zone {
	struct zent e[16];
	size_t	n;
} zone;

static struct zent *zone_entry(const char *sel)
{
	char	name[128];
	size_t	i;

	snprintf(name, sizeof(name), "%s._domainkey.example.org", sel);
	for (i = 0; i < zone.n; i++)
		if (strcasecmp(zone.e[i].name, name) == 0)
			return &zone.e[i];
	if (zone.n == sizeof(zone.e) / sizeof(zone.e[0]))
		abort();
	memcpy(zone.e[zone.n].name, name, sizeof(name));
	return &zone.e[zone.n++];
}

/* Replace the records at sel with rec (NULL: none), or add one. */
static void zone_set(const char *sel, const char *rec, int add)
{
	struct zent *e = zone_entry(sel);
	size_t	i;

	if (!add) {
		for (i = 0; i < e->nrec; i++)
			free(e->rec[i]);
		e->nrec = 0;
	}
	if (rec != NULL && e->nrec < 2)
		e->rec[e->nrec++] = strdup(rec);
}

static void zone_clear(void)
{
	size_t	i, j;

	for (i = 0; i < zone.n; i++)
		for (j = 0; j < zone.e[i].nrec; j++)
			free(zone.e[i].rec[j]);
	memset(&zone, 0, sizeof(zone));
}

static enum dns_status zone_lookup(void *ctx, const char *name,
				   struct dns_txt_answer *out, const char **error_r)
{
	size_t	i, j;

	(void) ctx;
	out->txt = NULL;
	out->count = 0;
	for (i = 0; i < zone.n; i++) {
		const struct zent *e = &zone.e[i];

		if (strcasecmp(e->name, name) != 0)
			continue;
		if (e->nrec == 0)
			return DNS_NODATA;
		if ((out->txt = calloc(e->nrec, sizeof(*out->txt))) == NULL) {
			*error_r = "out of memory";
			return DNS_ERROR;
		}
		for (j = 0; j < e->nrec; j++) {
			out->txt[j].len = strlen(e->rec[j]);
			out->txt[j].data = (unsigned char *) strdup(e->rec[j]);
		}
		out->count = e->nrec;
		return DNS_OK;
	}
	*error_r = "nxdomain";
	return DNS_NXDOMAIN;
}

/* ---- keys and messages ----------------------------------------------------- */

enum { RSA2048, RSA1024, ED25519, NKEYS };
static const char *const key_file[NKEYS] = {"rsa2048.pem", "rsa1024.pem", "ed25519.pem"};
static struct dkim_privkey *keys[NKEYS];

/* Publish key k's record at sel (replacing what is there, or added). */
static void publish(int k, const char *sel, int add)
{
	struct buf rec;

	buf_init(&rec, 8192);
	dkim_privkey_record(keys[k], &rec);
	zone_set(sel, buf_str(&rec), add);
	buf_free(&rec);
}

static const char base_msg[] =
	"From: Joe SixPack <joe@example.org>\r\n"
	"To: Suzie Q <suzie@shopping.example.net>\r\n"
	"Subject: Is dinner ready?\r\n"
	"Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
	"Message-ID: <20030712040037.46341.5F8J@example.org>\r\n"
	"\r\n"
	"Hi.\r\n"
	"\r\n"
	"We lost the game.  Are you hungry yet?\r\n";

/* Add a signature by key k under sel to m; 0 or -1. */
static int sign_into(struct msg *m, int k, const char *sel)
{
	struct dkim_sign_opts o;
	struct dkim_bodyhash *bh;
	const unsigned char *body;
	const char *error = NULL;
	char   *field = NULL;
	size_t	len;
	int	rc = -1;

	dkim_sign_opts_init(&o);
	o.domain = "example.org";
	o.selector = sel;
	o.key = keys[k];
	bh = dkim_bodyhash_new(o.body_canon, dkim_privkey_algo(keys[k]), -1);
	body = msg_body(m, &len);
	if (bh != NULL && dkim_bodyhash_update(bh, body, len) == 0
	    && dkim_bodyhash_final(bh) == 0 && dkim_sign(m, &o, bh, &field, &error) == 0
	    && msg_insert_top(m, field, strlen(field), &error) == 0)
		rc = 0;
	else
		tap_diag("signing with %s: %s", key_file[k], error ? error : "failed");
	free(field);
	dkim_bodyhash_free(bh);
	return rc;
}

/*
 * The base message signed by k1 under s1 (and k2 under s2 unless k2 is
 * -1); with tamper, the Subject is changed afterwards, so that the body
 * hash matches and the signature does not verify.
 */
static struct msg *signed_msg(int k1, const char *s1, int k2, const char *s2,
			      int tamper)
{
	struct msg *m = NULL;
	const char *error;
	long	subj;

	if (msg_parse(&m, base_msg, sizeof(base_msg) - 1, &error) < 0) {
		tap_diag("msg_parse: %s", error);
		return NULL;
	}
	if (sign_into(m, k1, s1) < 0 || (k2 >= 0 && sign_into(m, k2, s2) < 0))
		goto fail;
	if (tamper) {
		static const char subject[] = "Subject: Is dinner ready now?";

		if ((subj = msg_find(m, "Subject", 0)) < 0
		    || msg_replace(m, (size_t) subj, subject, sizeof(subject) - 1,
				   &error) < 0)
			goto fail;
	}
	return m;
fail:
	msg_free(m);
	return NULL;
}

/* What one dkim_verify() gave, signature by signature. */
struct got {
	size_t	count;
	enum dkim_result result[2];
	const char *reason[2];
	int	bits[2];
};

static int verify(const struct msg *m, struct dkim_key_cache *cache, struct got *g)
{
	struct dkim_verify_opts o;
	struct dkim_verify_result res;
	size_t	i;

	memset(g, 0, sizeof(*g));
	dkim_verify_opts_init(&o, zone_lookup, NULL);
	o.now = (time_t) NOW;
	o.key_cache = cache;
	if (m == NULL || dkim_verify(m, &o, &res) < 0 || res.count > 2)
		return -1;
	g->count = res.count;
	for (i = 0; i < res.count; i++) {
		g->result[i] = res.sigs[i].result;
		g->reason[i] = res.sigs[i].reason != NULL ? res.sigs[i].reason : "";
		g->bits[i] = res.sigs[i].key_bits;
	}
	dkim_verify_result_free(&res);
	return 0;
}

static int got_eq(const struct got *a, const struct got *b)
{
	size_t	i;

	if (a->count != b->count)
		return 0;
	for (i = 0; i < a->count; i++)
		if (a->result[i] != b->result[i] || strcmp(a->reason[i], b->reason[i]) != 0
		    || a->bits[i] != b->bits[i])
			return 0;
	return 1;
}

/* One signature expected: result and reason ("" for none). */
static void expect(const struct msg *m, struct dkim_key_cache *cache,
		   enum dkim_result want, const char *reason, const char *what)
{
	struct got g;

	if (verify(m, cache, &g) < 0 || g.count != 1) {
		tap_ok(0, "%s (no single result)", what);
		return;
	}
	if (!tap_ok(g.result[0] == want && strcmp(g.reason[0], reason) == 0,
		    "%s: %s%s%s", what, dkim_result_str(want), *reason ? " " : "", reason))
		tap_diag("got %s (%s)", dkim_result_str(g.result[0]), g.reason[0]);
}

static void expect_stats(const struct dkim_key_cache *cache, unsigned long hits,
			 unsigned long misses, size_t entries, const char *what)
{
	struct dkim_key_cache_stats s;

	dkim_key_cache_stats(cache, &s);
	if (!tap_ok(s.hits == hits && s.misses == misses && s.entries == entries,
		    "%s: %lu hits, %lu misses, %zu entries", what, hits, misses, entries))
		tap_diag("got %lu hits, %lu misses, %zu entries", s.hits, s.misses,
			 s.entries);
}

/* ---- the tests --------------------------------------------------------------- */

static void test_arguments(void)
{
	struct dkim_key_cache *c;
	struct dkim_key_cache_stats s;

	tap_ok(dkim_key_cache_new(0) == NULL, "new(0) is refused");
	tap_ok(dkim_key_cache_new((size_t) LIMIT_DKIM_KEY_CACHE + 1) == NULL,
	       "new(LIMIT_DKIM_KEY_CACHE + 1) is refused");
	c = dkim_key_cache_new(LIMIT_DKIM_KEY_CACHE);
	tap_ok(c != NULL, "new(LIMIT_DKIM_KEY_CACHE) works");
	memset(&s, 0xff, sizeof(s));
	dkim_key_cache_stats(c, &s);
	tap_ok(s.hits == 0 && s.misses == 0 && s.entries == 0, "a new cache is empty");
	dkim_key_cache_free(c);
	dkim_key_cache_free(NULL);
	tap_ok(1, "free(NULL) does nothing");
}

static void test_same_results(void)
{
	struct msg *m[5];
	struct got want[5], g;
	struct dkim_key_cache *c = dkim_key_cache_new(16);
	static const char *const what[5] = {
		"rsa good", "rsa, Subject changed", "ed25519 good",
		"ed25519, Subject changed", "rsa + ed25519",
	};
	size_t	i, round;
	int	same = 1;

	zone_clear();
	publish(RSA2048, "rsa", 0);
	publish(ED25519, "ed", 0);
	m[0] = signed_msg(RSA2048, "rsa", -1, NULL, 0);
	m[1] = signed_msg(RSA2048, "rsa", -1, NULL, 1);
	m[2] = signed_msg(ED25519, "ed", -1, NULL, 0);
	m[3] = signed_msg(ED25519, "ed", -1, NULL, 1);
	m[4] = signed_msg(RSA2048, "rsa", ED25519, "ed", 0);
	for (i = 0; i < 5; i++)
		if (verify(m[i], NULL, &want[i]) < 0)
			want[i].count = 99;
	tap_ok(want[0].count == 1 && want[0].result[0] == DKIM_PASS
	       && want[1].count == 1 && want[1].result[0] == DKIM_FAIL
	       && want[2].count == 1 && want[2].result[0] == DKIM_PASS
	       && want[3].count == 1 && want[3].result[0] == DKIM_FAIL
	       && want[4].count == 2 && want[4].result[0] == DKIM_PASS
	       && want[4].result[1] == DKIM_PASS,
	       "without a cache: good signatures pass, changed ones fail");
	/* Good and bad interleaved: a failure must not spoil the next pass. */
	for (round = 0; round < 4; round++)
		for (i = 0; i < 5; i++)
			if (verify(m[i], c, &g) < 0 || !got_eq(&g, &want[i])) {
				tap_diag("round %zu, %s: differs", round, what[i]);
				same = 0;
			}
	tap_ok(same, "with a cache: the same results, 4 rounds of 5 messages");
	/* 6 key decodings a round (the dual message has 2), 2 keys. */
	expect_stats(c, 4 * 6 - 2, 2, 2, "two keys decoded once, then reused");
	for (i = 0; i < 5; i++)
		msg_free(m[i]);
	dkim_key_cache_free(c);
}

static void test_one_miss_then_hits(void)
{
	struct dkim_key_cache *c = dkim_key_cache_new(4);
	struct msg *m;
	char	what[64];
	unsigned long n;

	zone_clear();
	publish(RSA2048, "rsa", 0);
	m = signed_msg(RSA2048, "rsa", -1, NULL, 0);
	for (n = 0; n < 5; n++) {
		snprintf(what, sizeof(what), "verification %lu", n + 1);
		expect(m, c, DKIM_PASS, "", what);
		expect_stats(c, n, 1, 1, what);
	}
	msg_free(m);
	dkim_key_cache_free(c);
}

static void test_key_change_and_revocation(void)
{
	struct dkim_key_cache *c = dkim_key_cache_new(4);
	struct msg *old_m, *new_m;

	zone_clear();
	publish(RSA2048, "rot", 0);
	old_m = signed_msg(RSA2048, "rot", -1, NULL, 0);
	new_m = signed_msg(RSA1024, "rot", -1, NULL, 0);
	expect(old_m, c, DKIM_PASS, "", "old key published: old signature");
	expect(old_m, c, DKIM_PASS, "", "old key published, cached: old signature");
	publish(RSA1024, "rot", 0);
	expect(old_m, c, DKIM_FAIL, "signature did not verify",
	       "new key under the same selector: old signature, at once");
	expect(new_m, c, DKIM_PASS, "", "new key under the same selector: new signature");
	expect_stats(c, 2, 2, 2, "the new key was decoded once, the old one stays cached");
	zone_set("rot", "v=DKIM1; k=rsa; p=", 0);
	expect(old_m, c, DKIM_PERMERROR, "revoked key", "p= empty: old key, though cached");
	expect(new_m, c, DKIM_PERMERROR, "revoked key", "p= empty: new key, though cached");
	expect_stats(c, 2, 2, 2, "a revoked record asks nothing of the cache");
	publish(RSA2048, "rot", 0);
	expect(old_m, c, DKIM_PASS, "", "old key published again: from the cache");
	expect_stats(c, 3, 2, 2, "old key back: a hit");
	zone_set("rot", NULL, 0);
	expect(old_m, c, DKIM_PERMERROR, "key not found", "record removed: key not found");
	msg_free(old_m);
	msg_free(new_m);
	dkim_key_cache_free(c);
}

/* With room for two keys: which verification hits, which evicts. */
static const struct {
	int	key;
	unsigned long hits, misses;
	size_t	entries;
	const char *what;
} evict_rows[] = {
	{RSA2048, 0, 1, 1, "A: miss"},
	{RSA1024, 0, 2, 2, "B: miss, cache full"},
	{RSA2048, 1, 2, 2, "A: hit, now most recent"},
	{ED25519, 1, 3, 2, "C: miss, evicts B (least recent)"},
	{RSA2048, 2, 3, 2, "A: still cached"},
	{RSA1024, 2, 4, 2, "B: evicted, miss again; evicts C"},
	{ED25519, 2, 5, 2, "C: evicted (A was older but used), miss again"},
	{RSA1024, 3, 5, 2, "B: hit"},
};

static void test_eviction(void)
{
	static const char *const sel[NKEYS] = {"a", "b", "c"};
	struct dkim_key_cache *c = dkim_key_cache_new(2);
	struct msg *m[NKEYS];
	size_t	i;

	zone_clear();
	for (i = 0; i < NKEYS; i++) {
		publish((int) i, sel[i], 0);
		m[i] = signed_msg((int) i, sel[i], -1, NULL, 0);
	}
	for (i = 0; i < sizeof(evict_rows) / sizeof(evict_rows[0]); i++) {
		expect(m[evict_rows[i].key], c, DKIM_PASS, "", evict_rows[i].what);
		expect_stats(c, evict_rows[i].hits, evict_rows[i].misses,
			     evict_rows[i].entries, evict_rows[i].what);
	}
	for (i = 0; i < NKEYS; i++)
		msg_free(m[i]);
	dkim_key_cache_free(c);
}

static void test_types_not_confused(void)
{
	struct dkim_key_cache *c = dkim_key_cache_new(8);
	struct msg *dual, *rsa_m;
	struct buf rec;
	unsigned char raw[32];
	size_t	rl = sizeof(raw), i;
	struct got g;
	int	ok = 1;

	zone_clear();
	/* One selector, two records: k=rsa and k=ed25519. */
	publish(RSA2048, "both", 0);
	publish(ED25519, "both", 1);
	dual = signed_msg(RSA2048, "both", ED25519, "both", 0);
	/* The Ed25519 signature was added last, so it is on top. */
	for (i = 0; i < 3; i++)
		if (verify(dual, c, &g) < 0 || g.count != 2 || g.result[0] != DKIM_PASS
		    || g.result[1] != DKIM_PASS || g.bits[0] != 256 || g.bits[1] != 2048) {
			tap_diag("round %zu: %s %d, %s %d", i, dkim_result_str(g.result[0]),
				 g.bits[0], dkim_result_str(g.result[1]), g.bits[1]);
			ok = 0;
		}
	tap_ok(ok, "rsa and ed25519 records under one selector: both pass, 3 times");
	expect_stats(c, 4, 2, 2, "one entry per key type");

	/* The cached Ed25519 key's 32 octets, published as k=rsa. */
	EVP_PKEY_get_raw_public_key(dkim_privkey_pkey(keys[ED25519]), raw, &rl);
	buf_init(&rec, 1024);
	buf_append_str(&rec, "v=DKIM1; k=rsa; p=");
	dkim_b64_encode(raw, rl, &rec);
	zone_set("confuse", buf_str(&rec), 0);
	buf_free(&rec);
	rsa_m = signed_msg(RSA2048, "confuse", -1, NULL, 0);
	expect(rsa_m, NULL, DKIM_PERMERROR, "bad key record: bad RSA key",
	       "ed25519 octets as k=rsa, no cache");
	expect(rsa_m, c, DKIM_PERMERROR, "bad key record: bad RSA key",
	       "ed25519 octets as k=rsa, the ed25519 key cached: not used");
	expect(rsa_m, c, DKIM_PERMERROR, "bad key record: bad RSA key",
	       "the same again");
	expect_stats(c, 4, 4, 2, "a key that does not decode is not kept");
	zone_set("confuse", "v=DKIM1; k=rsa; p=AAAA", 0);
	expect(rsa_m, c, DKIM_PERMERROR, "bad key record: bad RSA key",
	       "three zero octets as an RSA key");
	expect_stats(c, 4, 5, 2, "not kept either");
	msg_free(dual);
	msg_free(rsa_m);
	dkim_key_cache_free(c);
}

/* An RSA key above LIMIT_DKIM_RSA_BITS (a random odd modulus will do:
   it is refused before use) is decoded, refused, and not kept. */
static void test_oversized_not_kept(void)
{
	struct dkim_key_cache *c = dkim_key_cache_new(4);
	EVP_PKEY_CTX *fc = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	BIGNUM *n = BN_new(), *e = BN_new();
	EVP_PKEY *big = NULL;
	unsigned char *der = NULL;
	struct msg *m;
	struct buf rec;
	int	len = 0;

	if (n != NULL && e != NULL && bld != NULL && fc != NULL
	    && BN_rand(n, LIMIT_DKIM_RSA_BITS + 64, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD) == 1
	    && BN_set_word(e, 65537) == 1
	    && OSSL_PARAM_BLD_push_BN(bld, "n", n) == 1
	    && OSSL_PARAM_BLD_push_BN(bld, "e", e) == 1
	    && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL
	    && EVP_PKEY_fromdata_init(fc) == 1
	    && EVP_PKEY_fromdata(fc, &big, EVP_PKEY_PUBLIC_KEY, params) == 1)
		len = i2d_PUBKEY(big, &der);
	if (tap_ok(len > 0, "an RSA key of LIMIT_DKIM_RSA_BITS + 64 bits")) {
		zone_clear();
		buf_init(&rec, LIMIT_DKIM_KEY_RECORD);
		buf_append_str(&rec, "v=DKIM1; k=rsa; p=");
		dkim_b64_encode(der, (size_t) len, &rec);
		zone_set("big", buf_str(&rec), 0);
		buf_free(&rec);
		m = signed_msg(RSA2048, "big", -1, NULL, 0);
		expect(m, c, DKIM_POLICY, "key too long", "oversized key, first time");
		expect(m, c, DKIM_POLICY, "key too long", "oversized key, again");
		expect_stats(c, 0, 2, 0, "an oversized key is not kept");
		msg_free(m);
	}
	OPENSSL_free(der);
	EVP_PKEY_free(big);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(fc);
	BN_free(n);
	BN_free(e);
	dkim_key_cache_free(c);
}

static void test_verify_data(void)
{
	static const char data[] = "arc-seal canonical octets";
	struct dkim_verify_opts o;
	struct dkim_key_cache *c = dkim_key_cache_new(4);
	struct buf b64;
	unsigned char *sig;
	size_t	slen, k;
	const char *error = NULL, *reason;
	enum dkim_result r;
	static const int which[2] = {RSA2048, ED25519};
	static const char *const sel[2] = {"arc-rsa", "arc-ed"};

	zone_clear();
	dkim_verify_opts_init(&o, zone_lookup, NULL);
	o.now = (time_t) NOW;
	o.key_cache = c;
	for (k = 0; k < 2; k++) {
		enum dkim_algo algo = dkim_privkey_algo(keys[which[k]]);
		int	i;

		publish(which[k], sel[k], 0);
		buf_init(&b64, 4096);
		if (dkim_sign_data(keys[which[k]], data, sizeof(data) - 1, &b64, &error) < 0
		    || (sig = dkim_base64_decode(b64.data, b64.len, &slen, &error)) == NULL) {
			tap_ok(0, "dkim_sign_data with %s: %s", key_file[which[k]], error);
			buf_free(&b64);
			continue;
		}
		buf_free(&b64);
		for (i = 0; i < 3; i++) {
			r = dkim_verify_data(&o, algo, "example.org", sel[k], data,
					     sizeof(data) - 1, sig, slen, &reason);
			tap_ok(r == DKIM_PASS, "dkim_verify_data %s, cached, %d: pass",
			       dkim_algo_str(algo), i + 1);
			r = dkim_verify_data(&o, algo, "example.org", sel[k], data,
					     sizeof(data) - 2, sig, slen, &reason);
			tap_ok(r == DKIM_FAIL && strcmp(reason, "signature did not verify") == 0,
			       "dkim_verify_data %s, cached, other data %d: fail",
			       dkim_algo_str(algo), i + 1);
		}
		free(sig);
	}
	expect_stats(c, 10, 2, 2, "dkim_verify_data: one miss per key");
	dkim_key_cache_free(c);
}

/* ---- the RSA decoder's fast path against d2i_PUBKEY ---------------------- */

/* What dkim_keyrec_pkey() did before the fast path (the reference). */
static EVP_PKEY *reference_decode(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long) len);

	if (pkey == NULL || p != der + len) {
		EVP_PKEY_free(pkey);
		p = der;
		pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long) len);
		if (pkey != NULL && p != der + len) {
			EVP_PKEY_free(pkey);
			pkey = NULL;
		}
	}
	if (pkey != NULL && EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	ERR_clear_error();
	return pkey;
}

/* 1 when dkim_keyrec_pkey() and the reference agree on der. */
static int decoders_agree(const unsigned char *der, size_t len, int *decoded_r)
{
	struct dkim_keyrec k;
	EVP_PKEY *a, *b;
	const char *error = NULL;
	int	agree;

	memset(&k, 0, sizeof(k));
	k.key_type = 0;
	k.key = malloc(len > 0 ? len : 1);
	memcpy(k.key, der, len);
	k.key_len = len;
	a = dkim_keyrec_pkey(&k, &error);
	ERR_clear_error();
	b = reference_decode(der, len);
	agree = (a == NULL && b == NULL && error != NULL)
		|| (a != NULL && b != NULL && EVP_PKEY_eq(a, b) == 1);
	if (decoded_r != NULL)
		*decoded_r = a != NULL;
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	free(k.key);
	return agree;
}

static void test_rsa_decoder(void)
{
	static const int rsa_keys[2] = {RSA2048, RSA1024};
	size_t	ki;

	for (ki = 0; ki < 2; ki++) {
		EVP_PKEY *pk = dkim_privkey_pkey(keys[rsa_keys[ki]]);
		unsigned char *spki = NULL, *pkcs1 = NULL, *v;
		int	sl = i2d_PUBKEY(pk, &spki), pl = i2d_PublicKey(pk, &pkcs1);
		int	decoded, all = 1;
		size_t	n, len = (size_t) sl;
		const char *name = key_file[rsa_keys[ki]];

		if (!tap_ok(sl > 20 && pl > 0, "%s: public key DER", name))
			continue;
		tap_ok(decoders_agree(spki, len, &decoded) && decoded,
		       "%s: SubjectPublicKeyInfo, the common form: same key", name);
		tap_ok(decoders_agree(pkcs1, (size_t) pl, &decoded) && decoded,
		       "%s: bare PKCS#1 RSAPublicKey: same key", name);
		v = malloc(len + 1);
		memcpy(v, spki, len);
		v[len] = 0;
		tap_ok(decoders_agree(v, len + 1, &decoded) && !decoded,
		       "%s: a trailing octet: refused by both", name);
		memcpy(v, spki, len);
		v[len - 1] ^= 0x01;
		tap_ok(decoders_agree(v, len, NULL), "%s: last octet changed: agree", name);
		memcpy(v, spki, len);
		/* rsaEncryption (1.2.840.113549.1.1.1) -> RSASSA-PSS (...1.10) */
		v[(spki[1] & 0x80 ? 2 + (size_t) (spki[1] & 0x7f) : 2) + 12] = 0x0a;
		tap_ok(decoders_agree(v, len, &decoded) && !decoded,
		       "%s: RSASSA-PSS algorithm: refused by both", name);
		memcpy(v, spki, len);
		/* The BIT STRING follows the 15-octet AlgorithmIdentifier; its
		   unused-bits octet comes right after its header. */
		n = (spki[1] & 0x80 ? 2 + (size_t) (spki[1] & 0x7f) : 2) + 15;
		v[n + (spki[n + 1] & 0x80 ? 2 + (size_t) (spki[n + 1] & 0x7f) : 2)] = 0x01;
		tap_ok(decoders_agree(v, len, NULL),
		       "%s: BIT STRING with unused bits: agree", name);
		free(v);
		for (n = 0; n < len; n++) {
			unsigned char *prefix = malloc(n > 0 ? n : 1);

			memcpy(prefix, spki, n);
			if (!decoders_agree(prefix, n, &decoded) || decoded) {
				tap_diag("prefix of %zu octets", n);
				all = 0;
			}
			free(prefix);
		}
		tap_ok(all, "%s: every proper prefix refused by both", name);
		OPENSSL_free(spki);
		OPENSSL_free(pkcs1);
	}
}

int main(void)
{
	char	rel[128];
	const char *error = NULL;
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		snprintf(rel, sizeof(rel), "tests/data/dkim/%s", key_file[i]);
		if ((keys[i] = dkim_privkey_load_file(tap_srcpath(rel), &error)) == NULL)
			tap_diag("%s: %s", rel, error);
	}
	if (!tap_ok(keys[RSA2048] != NULL && keys[RSA1024] != NULL && keys[ED25519] != NULL,
		    "test keys load"))
		return tap_done();
	test_arguments();
	test_same_results();
	test_one_miss_then_hits();
	test_key_change_and_revocation();
	test_eviction();
	test_types_not_confused();
	test_oversized_not_kept();
	test_verify_data();
	test_rsa_decoder();
	for (i = 0; i < NKEYS; i++)
		dkim_privkey_free(keys[i]);
	zone_clear();
	return tap_done();
}
