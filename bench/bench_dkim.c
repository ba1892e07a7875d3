/*
 * NAME
 *	bench_dkim 1
 * SUMMARY
 *	DKIM signing and verification rates against the machine's raw
 *	signing rate (openssl speed), in the same run
 * SYNOPSIS
 *	bench_dkim [-t SECONDS] [--no-openssl-speed]
 * DESCRIPTION
 *	A list post fans out to every member, each copy with its own headers
 *	(To, List-Unsubscribe) and its own signature over the same body.
 *	sealist computes the body hash once per post and only the header
 *	hash and the signature per recipient.  This measures, on one core,
 *	for RSA-2048 and Ed25519 and a 5 KB post:
 *
 *	(a) per-recipient signing with the body hash computed once: change
 *	    To and List-Unsubscribe, then dkim_sign();
 *	(b) the same with the body hash recomputed for every recipient;
 *	(c) dkim_verify() of a signed copy, keys from an in-process table,
 *	    every key record decoded afresh;
 *	(d) the same with a warm dkim_key_cache (the record is still looked
 *	    up and parsed each time; only the decoded key is reused);
 *
 *	and, for the same key types, the raw signing rate: in-process with
 *	the very same keys (SHA-256 + EVP_PKEY_sign for RSA, EVP_DigestSign
 *	for Ed25519), once with an OpenSSL context reused as openssl speed
 *	does and once with a context set up per signature, and "openssl
 *	speed -seconds 3 rsa2048 ed25519" run through popen().  The ratios are
 *	the result: RSA signing is so expensive that (a) should stay within
 *	10 % of the raw rate (the target is (a) RSA-2048 >= 0.9 of openssl
 *	speed's sign/s); for Ed25519 the hashing is a visible part of the
 *	cost, which is what (a)/(b) shows.
 *
 *	Nothing here passes or fails: the figures are printed, the exit
 *	status is 0 unless something does not work at all.  bench/README
 *	explains the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "buf/buf.h"
#include "dkim/dkim.h"
#include "msg/msg.h"
#include "sealist_limits.h"

#define BODY_BYTES	(5 * 1024)

enum { K_RSA, K_ED, K_COUNT };

static const char *const key_label[K_COUNT] = {"RSA-2048", "Ed25519"};
static const char *const key_selector[K_COUNT] = {"bench-rsa", "bench-ed"};

struct bench_key {
	EVP_PKEY *pkey;
	struct dkim_privkey *key;
	struct buf record;		/* "v=DKIM1; k=...; p=..." */
};

/* One column of the table. */
struct figures {
	double	openssl_sign, openssl_verify;	/* 0: not measured */
	double	raw_reuse, raw_setup;	/* context reused / set up per signature */
	double	per_rcpt, rehash, verify, verify_cached;
};

static double seconds_per_figure = 3.0;

/*
 * CPU seconds of this process, not wall time: openssl speed divides by
 * the user CPU time too (unless given -elapsed), so both sides of a
 * ratio are measured alike, and other processes on a busy machine skew
 * the figures less.
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_dkim: %s: %s\n", what, why ? why : "failed");
	exit(1);
}

static void make_key(struct bench_key *k, int which)
{
	BIO    *bio = BIO_new(BIO_s_mem());
	char   *pem;
	long	len;
	const char *error;

	k->pkey = which == K_RSA ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048)
	    : EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (k->pkey == NULL || bio == NULL
	    || !PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL))
		die("key generation", NULL);
	len = BIO_get_mem_data(bio, &pem);
	if ((k->key = dkim_privkey_load(pem, (size_t) len, &error)) == NULL)
		die("dkim_privkey_load", error);
	BIO_free(bio);
	buf_init(&k->record, 16 * 1024);
	if (dkim_privkey_record(k->key, &k->record) < 0)
		die("dkim_privkey_record", NULL);
}

/* A typical list post: 22 header fields, BODY_BYTES of text. */
static void make_message(struct buf *m)
{
	size_t	header_len;
	int	i;

	buf_append_str(m, "Return-Path: <alice@example.net>\r\n");
	for (i = 0; i < 6; i++)
		buf_printf(m, "Received: from host%d.example.net (host%d.example.net [192.0.2.%d])\r\n"
			   "\tby mx.example.org with ESMTPS id %08x; Fri, 27 Nov 2026 04:00:%02d +0000\r\n",
			   i, i, i + 1, (unsigned) i * 2654435761u, i);
	buf_append_str(m, "From: Alice Example <alice@example.net>\r\n"
		       "To: dev@example.org\r\n"
		       "Subject: [dev] Re: the plan for the next release, with a subject long enough\r\n"
		       " to be folded once\r\n"
		       "Date: Fri, 27 Nov 2026 04:00:00 +0000\r\n"
		       "Message-ID: <20261127040000.12345@example.net>\r\n"
		       "In-Reply-To: <20261126230000.999@example.org>\r\n"
		       "MIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=utf-8\r\n"
		       "Content-Transfer-Encoding: 8bit\r\n"
		       "List-Id: Developers <dev.example.org>\r\n"
		       "List-Post: <mailto:dev@example.org>\r\n"
		       "List-Help: <mailto:dev-request@example.org?subject=help>\r\n"
		       "List-Unsubscribe: <mailto:dev-leave@example.org>\r\n"
		       "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n");
	header_len = m->len;
	while (m->len - header_len < BODY_BYTES)
		buf_append_str(m, "The quick brown fox jumps over the lazy dog,  again and again\t \r\n");
}

/* The per-recipient header edits: To and List-Unsubscribe. */
static void personalize(struct msg *m, long to_i, long unsub_i, unsigned n)
{
	char	field[256];
	const char *error;
	int	len;

	len = snprintf(field, sizeof(field), "To: member%u@example.net", n);
	if (msg_replace(m, (size_t) to_i, field, (size_t) len, &error) < 0)
		die("msg_replace", error);
	len = snprintf(field, sizeof(field), "List-Unsubscribe: <https://lists.example.org/u/"
		       "%08x%08x>, <mailto:dev-leave+%u@example.org>", n * 2654435761u, n, n);
	if (msg_replace(m, (size_t) unsub_i, field, (size_t) len, &error) < 0)
		die("msg_replace", error);
}

static struct dkim_bodyhash *body_hash(const struct msg *m, enum dkim_algo algo)
{
	struct dkim_bodyhash *bh = dkim_bodyhash_new(DKIM_CANON_RELAXED, algo, -1);
	const unsigned char *body;
	size_t	len;

	body = msg_body(m, &len);
	if (bh == NULL || dkim_bodyhash_update(bh, body, len) < 0 || dkim_bodyhash_final(bh) < 0)
		die("body hash", NULL);
	return bh;
}

static void sign_opts(struct dkim_sign_opts *o, const struct bench_key *k, int which)
{
	dkim_sign_opts_init(o);
	o->domain = "example.org";
	o->selector = key_selector[which];
	o->key = k->key;
	o->timestamp = 1795752000;
}

/* (a) when rehash is 0, (b) when 1: signatures per second. */
static double bench_sign(const struct buf *input, const struct bench_key *k, int which,
			 int rehash)
{
	struct dkim_sign_opts o;
	struct dkim_bodyhash *bh = NULL;
	struct msg *m;
	const char *error;
	char   *field;
	long	to_i, unsub_i;
	unsigned n = 0;
	double	t0, t = 0;

	if (msg_parse(&m, input->data, input->len, &error) < 0)
		die("msg_parse", error);
	to_i = msg_find(m, "To", 0);
	unsub_i = msg_find(m, "List-Unsubscribe", 0);
	sign_opts(&o, k, which);
	if (!rehash)
		bh = body_hash(m, dkim_privkey_algo(k->key));
	t0 = now();
	do {
		struct dkim_bodyhash *b = rehash ? body_hash(m, dkim_privkey_algo(k->key)) : bh;

		personalize(m, to_i, unsub_i, n);
		if (dkim_sign(m, &o, b, &field, &error) < 0)
			die("dkim_sign", error);
		free(field);
		if (rehash)
			dkim_bodyhash_free(b);
		n++;
	} while ((n & 15) != 0 || (t = now() - t0) < seconds_per_figure);
	dkim_bodyhash_free(bh);
	msg_free(m);
	return n / t;
}

/* The in-process key table: ctx is the keys[K_COUNT] array. */
static enum dns_status table_lookup(void *ctx, const char *name,
				    struct dns_txt_answer *out, const char **error_r)
{
	const struct bench_key *keys = ctx;
	int	i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < K_COUNT; i++) {
		size_t	sl = strlen(key_selector[i]);

		if (strncmp(name, key_selector[i], sl) != 0
		    || strcmp(name + sl, "._domainkey.example.org") != 0)
			continue;
		if ((out->txt = calloc(1, sizeof(*out->txt))) == NULL
		    || (out->txt[0].data = malloc(keys[i].record.len + 1)) == NULL) {
			free(out->txt);
			out->txt = NULL;
			*error_r = "out of memory";
			return DNS_ERROR;
		}
		memcpy(out->txt[0].data, keys[i].record.data, keys[i].record.len + 1);
		out->txt[0].len = keys[i].record.len;
		out->count = 1;
		return DNS_OK;
	}
	return DNS_NXDOMAIN;
}

/* A signed copy of the post, parsed. */
static struct msg *signed_copy(const struct buf *input, const struct bench_key *k, int which)
{
	struct dkim_sign_opts o;
	struct dkim_bodyhash *bh;
	struct msg *m;
	const char *error;
	char   *field;

	if (msg_parse(&m, input->data, input->len, &error) < 0)
		die("msg_parse", error);
	sign_opts(&o, k, which);
	bh = body_hash(m, dkim_privkey_algo(k->key));
	if (dkim_sign(m, &o, bh, &field, &error) < 0
	    || msg_insert_top(m, field, strlen(field), &error) < 0)
		die("sign for verify", error);
	free(field);
	dkim_bodyhash_free(bh);
	return m;
}

static void verify_once(const struct msg *m, const struct dkim_verify_opts *o)
{
	struct dkim_verify_result r;

	if (dkim_verify(m, o, &r) < 0 || r.count != 1 || r.sigs[0].result != DKIM_PASS)
		die("dkim_verify", r.count == 1 && r.sigs[0].reason ? r.sigs[0].reason
		    : "the signature does not pass");
	dkim_verify_result_free(&r);
}

/*
 * (c) verifications per second without a key cache, (d) with one made
 * warm by a verification before the clock starts; every one must pass,
 * and in (d) none may miss the cache.
 */
static double bench_verify(const struct buf *input, const struct bench_key *keys, int which,
			   int cached)
{
	struct dkim_verify_opts o;
	struct dkim_key_cache_stats st;
	struct msg *m = signed_copy(input, &keys[which], which);
	unsigned n = 0;
	double	t0, t = 0;

	dkim_verify_opts_init(&o, table_lookup, (void *) keys);
	o.now = 1795752100;
	if (cached) {
		if ((o.key_cache = dkim_key_cache_new(16)) == NULL)
			die("dkim_key_cache_new", NULL);
		verify_once(m, &o);
	}
	t0 = now();
	do {
		verify_once(m, &o);
		n++;
	} while ((n & 15) != 0 || (t = now() - t0) < seconds_per_figure);
	if (cached) {
		dkim_key_cache_stats(o.key_cache, &st);
		if (st.misses != 1 || st.hits != n)
			die("dkim_key_cache", "the key was not reused");
		dkim_key_cache_free(o.key_cache);
	}
	msg_free(m);
	return n / t;
}

/*
 * The raw operation, as a DKIM signer needs it: SHA-256 of header-sized
 * data, then the RSA signature of the digest (EVP_PKEY_sign, PKCS#1
 * v1.5 with the digest's DigestInfo), or Ed25519 of the data
 * (EVP_DigestSign, which is how Ed25519 is called).
 */
struct raw_signer {
	EVP_PKEY_CTX *pctx;	/* RSA */
	EVP_MD_CTX *mctx;	/* Ed25519 */
};

static void raw_init(struct raw_signer *r, const struct bench_key *k, int which)
{
	memset(r, 0, sizeof(*r));
	if (which == K_RSA) {
		if ((r->pctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL)) == NULL
		    || EVP_PKEY_sign_init(r->pctx) != 1
		    || EVP_PKEY_CTX_set_rsa_padding(r->pctx, RSA_PKCS1_PADDING) != 1
		    || EVP_PKEY_CTX_set_signature_md(r->pctx, EVP_sha256()) != 1)
			die("EVP_PKEY_sign_init", NULL);
	} else if ((r->mctx = EVP_MD_CTX_new()) == NULL
		   || EVP_DigestSignInit(r->mctx, NULL, NULL, NULL, k->pkey) != 1) {
		die("EVP_DigestSignInit", NULL);
	}
}

static void raw_free(struct raw_signer *r)
{
	EVP_PKEY_CTX_free(r->pctx);
	EVP_MD_CTX_free(r->mctx);
}

static void raw_sign(struct raw_signer *r, const unsigned char *data, size_t len)
{
	unsigned char md[32];
	unsigned char sig[1024];
	size_t	sig_len = sizeof(sig);

	if (r->pctx != NULL) {
		if (EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL) != 1
		    || EVP_PKEY_sign(r->pctx, sig, &sig_len, md, sizeof(md)) != 1)
			die("EVP_PKEY_sign", NULL);
	} else if (EVP_DigestSign(r->mctx, sig, &sig_len, data, len) != 1) {
		die("EVP_DigestSign", NULL);
	}
}

/*
 * Raw signatures per second: with one context set up before the loop
 * and reused (what openssl speed does), or with a context set up for
 * every signature (reuse 0), which shows what OpenSSL 3's per-operation
 * setup costs.
 */
static double bench_raw(const struct bench_key *k, int which, int reuse)
{
	struct raw_signer r;
	unsigned char data[600];
	unsigned n = 0;
	double	t0, t = 0;

	memset(data, 'h', sizeof(data));
	if (reuse)
		raw_init(&r, k, which);
	t0 = now();
	do {
		if (!reuse)
			raw_init(&r, k, which);
		raw_sign(&r, data, sizeof(data));
		if (!reuse)
			raw_free(&r);
		n++;
	} while ((n & 15) != 0 || (t = now() - t0) < seconds_per_figure);
	if (reuse)
		raw_free(&r);
	return n / t;
}

/* The number after skip fields of line; 0 if there is none. */
static double field_number(const char *line, int skip)
{
	const char *p = line;
	char   *end;
	double	v;

	while (skip-- > 0) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t\n");
	}
	v = strtod(p, &end);
	return end == p ? 0 : v;
}

/*
 * "rsa 2048 bits 0.000297s 0.000018s   3369.0  56196.0" and
 * " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  22288.0   9123.0":
 * sign/s and verify/s are the last two columns.
 */
static void openssl_speed(struct figures *f)
{
	FILE   *fp;
	char	line[512];

	fprintf(stderr, "bench_dkim: running openssl speed -seconds 3 rsa2048 ed25519 "
		"(about 12 s)...\n");
	if ((fp = popen("openssl speed -seconds 3 rsa2048 ed25519 2>/dev/null", "r")) == NULL) {
		fprintf(stderr, "bench_dkim: cannot run openssl speed\n");
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "rsa 2048 bits ", 14) == 0) {
			f[K_RSA].openssl_sign = field_number(line, 5);
			f[K_RSA].openssl_verify = field_number(line, 6);
		} else if (strstr(line, "EdDSA (Ed25519)") != NULL) {
			const char *p = strstr(line, ")") + 1;

			f[K_ED].openssl_sign = field_number(p, 2);
			f[K_ED].openssl_verify = field_number(p, 3);
		}
	}
	if (pclose(fp) != 0 || f[K_RSA].openssl_sign <= 0 || f[K_ED].openssl_sign <= 0)
		fprintf(stderr, "bench_dkim: could not read openssl speed's figures\n");
}

static void row(const char *label, double a, double b, const char *unit)
{
	printf("%-44s %12.1f %12.1f  %s\n", label, a, b, unit);
}

static void ratio_row(const char *label, double a_num, double a_den, double b_num,
		      double b_den)
{
	printf("%-44s", label);
	if (a_den > 0)
		printf(" %12.3f", a_num / a_den);
	else
		printf(" %12s", "-");
	if (b_den > 0)
		printf(" %12.3f\n", b_num / b_den);
	else
		printf(" %12s\n", "-");
}

static void report(const struct figures *f, size_t msg_len)
{
	const struct figures *r = &f[K_RSA], *e = &f[K_ED];

	printf("\nbench_dkim: %zu-byte post (%d-byte body), relaxed/relaxed, %.1f CPU s per"
	       " figure, one core; rates per CPU second\n\n", msg_len, BODY_BYTES,
	       seconds_per_figure);
	printf("%-44s %12s %12s\n", "", key_label[K_RSA], key_label[K_ED]);
	row("openssl speed: sign/s", r->openssl_sign, e->openssl_sign, "");
	row("openssl speed: verify/s", r->openssl_verify, e->openssl_verify, "");
	row("raw, same keys, context reused: sign/s", r->raw_reuse, e->raw_reuse, "");
	row("raw, same keys, context per sig: sign/s", r->raw_setup, e->raw_setup, "");
	row("(a) per recipient, body hash once: sig/s", r->per_rcpt, e->per_rcpt, "");
	ratio_row("    (a) / openssl speed sign/s", r->per_rcpt, r->openssl_sign, e->per_rcpt,
		  e->openssl_sign);
	ratio_row("    (a) / raw, context reused", r->per_rcpt, r->raw_reuse, e->per_rcpt,
		  e->raw_reuse);
	ratio_row("    (a) / raw, context per sig", r->per_rcpt, r->raw_setup, e->per_rcpt,
		  e->raw_setup);
	row("(b) per recipient, body hash each: sig/s", r->rehash, e->rehash, "");
	ratio_row("    (a) / (b)", r->per_rcpt, r->rehash, e->per_rcpt, e->rehash);
	row("(c) verify, key table, no key cache: /s", r->verify, e->verify, "");
	ratio_row("    (c) / openssl speed verify/s", r->verify, r->openssl_verify, e->verify,
		  e->openssl_verify);
	row("(d) verify, key table, key cache warm: /s", r->verify_cached, e->verify_cached, "");
	ratio_row("    (d) / openssl speed verify/s", r->verify_cached, r->openssl_verify,
		  e->verify_cached, e->openssl_verify);
	ratio_row("    (d) / (c)", r->verify_cached, r->verify, e->verify_cached, e->verify);
	if (r->openssl_sign > 0)
		printf("\ntarget (a) RSA-2048 >= 0.9 of openssl speed rsa2048 sign/s: %s (%.3f)\n",
		       r->per_rcpt / r->openssl_sign >= 0.9 ? "met" : "NOT met",
		       r->per_rcpt / r->openssl_sign);
}

static void options(int argc, char **argv, int *speed)
{
	int	i;
	char   *end;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-openssl-speed") == 0) {
			*speed = 0;
		} else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			seconds_per_figure = strtod(argv[++i], &end);
			if (*end != 0 || seconds_per_figure <= 0 || seconds_per_figure > 600)
				die("-t", "needs seconds, 0 < t <= 600");
		} else {
			die(argv[i], "usage: bench_dkim [-t SECONDS] [--no-openssl-speed]");
		}
	}
}

int main(int argc, char **argv)
{
	struct bench_key keys[K_COUNT];
	struct figures f[K_COUNT];
	struct buf input;
	int	speed = 1;
	int	i;

	options(argc, argv, &speed);
	memset(f, 0, sizeof(f));
	buf_init(&input, LIMIT_MESSAGE_SIZE);
	make_message(&input);
	for (i = 0; i < K_COUNT; i++)
		make_key(&keys[i], i);
	if (speed)
		openssl_speed(f);
	for (i = 0; i < K_COUNT; i++) {
		fprintf(stderr, "bench_dkim: measuring %s...\n", key_label[i]);
		f[i].raw_reuse = bench_raw(&keys[i], i, 1);
		f[i].raw_setup = bench_raw(&keys[i], i, 0);
		f[i].per_rcpt = bench_sign(&input, &keys[i], i, 0);
		f[i].rehash = bench_sign(&input, &keys[i], i, 1);
		f[i].verify = bench_verify(&input, keys, i, 0);
		f[i].verify_cached = bench_verify(&input, keys, i, 1);
	}
	report(f, input.len);
	for (i = 0; i < K_COUNT; i++) {
		dkim_privkey_free(keys[i].key);
		EVP_PKEY_free(keys[i].pkey);
		buf_free(&keys[i].record);
	}
	buf_free(&input);
	return 0;
}
