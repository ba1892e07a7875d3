/*
 * NAME
 *	test_dkim_sign_verify 1
 * SUMMARY
 *	sign and verify, end to end in one process (lib/dkim)
 * DESCRIPTION
 *	Keys come from tests/data/dkim; key records are answered from an
 *	in-process TXT table (zone_lookup), so every DNS outcome can be
 *	asked for; time is injected.  Covered: the RFC 8463 Appendix A
 *	example (both signatures verify; re-signing the unsigned message
 *	reproduces bh= and both b= exactly), every canonicalization pair with
 *	both algorithms, dual signing from one body hash, the default header
 *	list and over-signing, a one-byte change at every position of a
 *	signed message, key record outcomes, DNS outcomes, policy (rsa-sha1,
 *	short keys), times, l=, and several signatures with their own
 *	results.
 *
 *	Signatures the library refuses to make (rsa-sha1, 512-bit RSA, l=,
 *	h= without From) are made by manual_sign(), which hashes with the
 *	canonicalization primitives and signs with OpenSSL directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "dkim/dkim_int.h"
#include "msg/msg.h"
#include "tap.h"

#define NOW	1700000000LL

/* ---- the TXT table ------------------------------------------------------ */

struct zent {
	char   *name;
	enum dns_status status;
	char   *rec[4];
	size_t	nrec;
};

static struct zone {
	struct zent e[64];
	size_t	n;
	size_t	lookups;
} zone;

static void zone_clear(void)
{
	size_t	i, j;

	for (i = 0; i < zone.n; i++) {
		free(zone.e[i].name);
		for (j = 0; j < zone.e[i].nrec; j++)
			free(zone.e[i].rec[j]);
	}
	memset(&zone, 0, sizeof(zone));
}

static void zone_add(const char *name, enum dns_status st, const char *rec)
{
	struct zent *e = NULL;
	size_t	i;

	for (i = 0; i < zone.n; i++)
		if (strcasecmp(zone.e[i].name, name) == 0)
			e = &zone.e[i];
	if (e == NULL) {
		if (zone.n == sizeof(zone.e) / sizeof(zone.e[0]))
			abort();
		e = &zone.e[zone.n++];
		e->name = strdup(name);
	}
	e->status = st;
	if (rec != NULL && e->nrec < 4)
		e->rec[e->nrec++] = strdup(rec);
}

static enum dns_status zone_lookup(void *ctx, const char *name,
				   struct dns_txt_answer *out, const char **error_r)
{
	size_t	i, j;

	(void) ctx;
	zone.lookups++;
	out->txt = NULL;
	out->count = 0;
	for (i = 0; i < zone.n; i++) {
		const struct zent *e = &zone.e[i];

		if (strcasecmp(e->name, name) != 0)
			continue;
		if (e->status != DNS_OK) {
			*error_r = dns_status_str(e->status);
			return e->status;
		}
		if (e->nrec == 0)
			return DNS_NODATA;
		out->txt = calloc(e->nrec, sizeof(*out->txt));
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

/* Load a zone file of the oracle format: NAME TXT "s1" "s2" ... */
static int zone_load(const char *rel)
{
	size_t	len;
	unsigned char *data = tap_read_file(tap_srcpath(rel), &len);
	char   *line, *save = NULL, *text;
	int	n = 0;

	if (data == NULL)
		return -1;
	text = (char *) data;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char	name[256], rec[2048];
		size_t	nl = 0, rl = 0;
		char   *p = line, *q;

		while (*p == ' ')
			p++;
		if (*p == '#' || *p == 0)
			continue;
		while (*p != 0 && *p != ' ' && nl + 1 < sizeof(name))
			name[nl++] = *p++;
		name[nl] = 0;
		while ((q = strchr(p, '"')) != NULL) {
			char   *end = strchr(q + 1, '"');

			if (end == NULL)
				break;
			if (rl + (size_t) (end - q - 1) + 1 > sizeof(rec))
				break;
			memcpy(rec + rl, q + 1, (size_t) (end - q - 1));
			rl += (size_t) (end - q - 1);
			p = end + 1;
		}
		rec[rl] = 0;
		zone_add(name, DNS_OK, rec);
		n++;
	}
	free(data);
	return n;
}

/* ---- keys ------------------------------------------------------------------ */

static struct dkim_privkey *load_key(const char *name)
{
	char	rel[256];
	const char *error = NULL;
	struct dkim_privkey *k;

	snprintf(rel, sizeof(rel), "tests/data/dkim/%s", name);
	k = dkim_privkey_load_file(tap_srcpath(rel), &error);
	if (k == NULL)
		tap_diag("cannot load %s: %s", rel, error);
	return k;
}

static EVP_PKEY *load_pkey(const char *name)
{
	char	rel[256];
	size_t	len;
	unsigned char *pem;
	BIO    *bio;
	EVP_PKEY *pk;

	snprintf(rel, sizeof(rel), "tests/data/dkim/%s", name);
	if ((pem = tap_read_file(tap_srcpath(rel), &len)) == NULL)
		return NULL;
	bio = BIO_new_mem_buf(pem, (int) len);
	pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *) "");
	BIO_free(bio);
	free(pem);
	return pk;
}

/* Publish key's record at SEL._domainkey.DOMAIN, with extra tags in front. */
static void publish(const struct dkim_privkey *k, const char *sel,
		    const char *domain, const char *extra)
{
	struct buf rec, name;

	buf_init(&rec, 8192);
	buf_init(&name, 1024);
	dkim_privkey_record(k, &rec);
	if (extra != NULL) {
		/* "v=DKIM1; " stays first */
		buf_splice(&rec, 9, 0, extra, strlen(extra));
	}
	buf_printf(&name, "%s._domainkey.%s", sel, domain);
	zone_add(buf_str(&name), DNS_OK, buf_str(&rec));
	buf_free(&rec);
	buf_free(&name);
}

/* ---- messages ------------------------------------------------------------ */

static const char base_msg[] =
	"Received: from relay.example.net by mx.example.org;\r\n"
	"\tFri, 11 Jul 2003 21:00:40 -0700\r\n"
	"From: Joe SixPack <joe@example.org>\r\n"
	"To: Suzie Q <suzie@shopping.example.net>\r\n"
	"Subject: Is dinner ready?\r\n"
	"Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
	"Message-ID: <20030712040037.46341.5F8J@example.org>\r\n"
	"X-Mailer: test 1.0\r\n"
	"\r\n"
	"Hi.\r\n"
	"\r\n"
	"We lost the game.  Are you hungry yet?\t\r\n"
	"\r\n"
	"Joe.\r\n"
	"\r\n";

/* text with CRLF replaced by LF (malloc'd). */
static char *to_lf(const char *text, size_t *len_r)
{
	size_t	n = strlen(text), i, o = 0;
	char   *s = malloc(n + 1);

	for (i = 0; i < n; i++)
		if (!(text[i] == '\r' && text[i + 1] == '\n'))
			s[o++] = text[i];
	s[o] = 0;
	*len_r = o;
	return s;
}

static struct msg *parse(const void *text, size_t len)
{
	struct msg *m = NULL;
	const char *error;

	if (msg_parse(&m, text, len, &error) < 0) {
		tap_diag("msg_parse: %s", error);
		return NULL;
	}
	return m;
}

static char *serialize(const struct msg *m, size_t *len_r)
{
	struct buf b;

	buf_init(&b, 1 << 24);
	msg_serialize(m, &b);
	return buf_detach(&b, len_r);
}

static struct dkim_bodyhash *body_hash(const struct msg *m, enum dkim_canon c)
{
	struct dkim_bodyhash *bh = dkim_bodyhash_new(c, DKIM_ALGO_RSA_SHA256, -1);
	const unsigned char *body;
	size_t	len;

	body = msg_body(m, &len);
	dkim_bodyhash_update(bh, body, len);
	dkim_bodyhash_final(bh);
	return bh;
}

/* Sign text with key (options from o, key/body canon filled in here);
   returns the signed message (malloc'd) or NULL. */
static char *sign_text(const char *text, size_t len, struct dkim_privkey *key,
		       struct dkim_sign_opts *o, size_t *len_r)
{
	struct msg *m = parse(text, len);
	struct dkim_bodyhash *bh;
	char   *field = NULL, *out = NULL;
	const char *error = NULL;

	if (m == NULL)
		return NULL;
	o->key = key;
	bh = body_hash(m, o->body_canon);
	if (dkim_sign(m, o, bh, &field, &error) < 0)
		tap_diag("dkim_sign: %s", error);
	else if (msg_insert_top(m, field, strlen(field), &error) < 0)
		tap_diag("msg_insert_top: %s", error);
	else
		out = serialize(m, len_r);
	free(field);
	dkim_bodyhash_free(bh);
	msg_free(m);
	return out;
}

static void verify_opts(struct dkim_verify_opts *o)
{
	dkim_verify_opts_init(o, zone_lookup, NULL);
	o->now = (time_t) NOW;
}

static int verify_text(const void *text, size_t len,
		       const struct dkim_verify_opts *o,
		       struct dkim_verify_result *res)
{
	struct msg *m = parse(text, len);
	int	rc;

	res->sigs = NULL;
	res->count = 0;
	if (m == NULL)
		return -1;
	rc = dkim_verify(m, o, res);
	msg_free(m);
	return rc;
}

/* One signature expected: its result and reason ("" for NULL). */
static void expect_one(const char *text, size_t len,
		       const struct dkim_verify_opts *o, enum dkim_result want,
		       const char *reason, const char *what)
{
	struct dkim_verify_result res;

	if (verify_text(text, len, o, &res) < 0 || res.count != 1) {
		tap_ok(0, "%s (no single result: count %zu)", what, res.count);
		dkim_verify_result_free(&res);
		return;
	}
	tap_ok(res.sigs[0].result == want
	       && strcmp(res.sigs[0].reason != NULL ? res.sigs[0].reason : "", reason) == 0,
	       "%s: %s%s%s", what, dkim_result_str(want), *reason ? " " : "", reason);
	if (res.sigs[0].result != want
	    || strcmp(res.sigs[0].reason != NULL ? res.sigs[0].reason : "", reason) != 0)
		tap_diag("got %s (%s)", dkim_result_str(res.sigs[0].result),
			 res.sigs[0].reason != NULL ? res.sigs[0].reason : "");
	dkim_verify_result_free(&res);
}

/*
 * A signature made without dkim_sign: tags (all but bh= and b=, ending
 * "; "), relaxed/relaxed assumed by the caller's c=, the h= names given
 * separately, body hashed under limit, signed with pkey and md.
 */
static char *manual_sign(const char *text, size_t len, EVP_PKEY *pkey,
			 const EVP_MD *md, enum dkim_canon hc, enum dkim_canon bc,
			 const char *tags, const char *const *names,
			 long long limit, size_t *len_r)
{
	struct msg *m = parse(text, len);
	struct buf field, c, b64;
	const unsigned char *body;
	unsigned char digest[EVP_MAX_MD_SIZE], *sig = NULL;
	unsigned int dlen;
	size_t	blen, i, slen = 0, nn = 0;
	long   *idx;
	const char *error;
	EVP_PKEY_CTX *ctx;
	char   *out = NULL;

	if (m == NULL)
		return NULL;
	while (names[nn] != NULL)
		nn++;
	buf_init(&field, 1 << 16);
	buf_init(&c, 1 << 20);
	buf_init(&b64, 1 << 16);
	body = msg_body(m, &blen);
	dkim_canon_body(bc, body, blen, limit, &c);
	EVP_Digest(c.data != NULL ? c.data : (unsigned char *) "", c.len, digest,
		   &dlen, md, NULL);
	dkim_b64_encode(digest, dlen, &b64);
	buf_printf(&field, "DKIM-Signature: %sh=", tags);
	for (i = 0; i < nn; i++)
		buf_printf(&field, "%s%s", i > 0 ? ":" : "", names[i]);
	buf_printf(&field, "; bh=%s; b=", buf_str(&b64));
	if (msg_insert_top(m, (const char *) field.data, field.len, &error) < 0)
		goto out;
	/* The header hash: selected fields, then this field (b= empty). */
	idx = calloc(nn + 1, sizeof(*idx));
	dkim_select_headers(m, names, nn, idx);
	buf_reset(&c);
	for (i = 0; i < nn; i++)
		if (idx[i] >= 0)
			dkim_canon_header(hc, msg_field(m, (size_t) idx[i]), 1, &c);
	free(idx);
	dkim_canon_header(hc, msg_field(m, 0), 0, &c);
	EVP_Digest(c.data, c.len, digest, &dlen, md, NULL);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (EVP_PKEY_sign_init(ctx) == 1
	    && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1
	    && EVP_PKEY_CTX_set_signature_md(ctx, md) == 1
	    && EVP_PKEY_sign(ctx, NULL, &slen, digest, dlen) == 1
	    && (sig = malloc(slen)) != NULL
	    && EVP_PKEY_sign(ctx, sig, &slen, digest, dlen) == 1) {
		buf_reset(&b64);
		dkim_b64_encode(sig, slen, &b64);
		buf_append(&field, b64.data, b64.len);
		if (msg_replace(m, 0, (const char *) field.data, field.len, &error) == 0)
			out = serialize(m, len_r);
	}
	free(sig);
	EVP_PKEY_CTX_free(ctx);
out:
	buf_free(&field);
	buf_free(&c);
	buf_free(&b64);
	msg_free(m);
	return out;
}

/* ---- RFC 8463 Appendix A ------------------------------------------------- */

static void test_rfc8463(void)
{
	static const char *const files[] = {
		"tests/data/dkim/rfc8463/signed.eml",
		"tests/data/dkim/rfc8463/signed.crlf.eml",
	};
	static const char *const h[] = {
		"from", "to", "subject", "date", "message-id", "from", "subject",
		"date", NULL,
	};
	static const char *const unsigned_files[] = {
		"tests/data/dkim/rfc8463/unsigned.eml",
		"tests/data/dkim/rfc8463/unsigned.crlf.eml",
	};
	struct dkim_verify_opts o;
	char   *b_rfc[2] = {NULL, NULL};
	size_t	f, i;

	zone_clear();
	tap_int(zone_load("tests/data/dkim/rfc8463/records.txt"), 2,
		"RFC 8463 A.2 records load");
	verify_opts(&o);
	o.now = (time_t) 1528637909 + 3600;
	for (f = 0; f < 2; f++) {
		struct dkim_verify_result res;
		size_t	len;
		unsigned char *text = tap_read_file(tap_srcpath(files[f]), &len);

		if (!tap_ok(text != NULL && verify_text(text, len, &o, &res) == 0
			    && res.count == 2, "%s: two signatures", files[f])) {
			free(text);
			continue;
		}
		tap_ok(res.sigs[0].result == DKIM_PASS
		       && res.sigs[0].algo == DKIM_ALGO_ED25519_SHA256
		       && res.sigs[0].key_bits == 256
		       && strcmp(res.sigs[0].selector, "brisbane") == 0,
		       "%s: ed25519-sha256 signature passes", files[f]);
		tap_ok(res.sigs[1].result == DKIM_PASS
		       && res.sigs[1].algo == DKIM_ALGO_RSA_SHA256
		       && res.sigs[1].key_bits == 1024
		       && strcmp(res.sigs[1].domain, "football.example.com") == 0,
		       "%s: rsa-sha256 signature passes", files[f]);
		if (f == 0)
			for (i = 0; i < 2; i++)
				b_rfc[i] = strdup(res.sigs[i].b_text);
		dkim_verify_result_free(&res);

		o.now = (time_t) 1528637909 - 301;
		if (verify_text(text, len, &o, &res) == 0 && res.count == 2)
			tap_ok(res.sigs[0].result == DKIM_PERMERROR
			       && strcmp(res.sigs[0].reason, "timestamp in the future") == 0
			       && res.sigs[1].result == DKIM_PERMERROR,
			       "%s: verified 301 s before t=: timestamp in the future",
			       files[f]);
		dkim_verify_result_free(&res);
		o.now = (time_t) 1528637909 + 3600;
		free(text);
	}

	/* Re-sign the unsigned message: the same bh= and b= byte for byte. */
	for (f = 0; f < 2; f++) {
		static const char *const keys[] = {"rfc8463/ed25519.pem", "rfc8463/rsa.pem"};
		static const char *const sels[] = {"brisbane", "test"};
		size_t	len;
		unsigned char *text = tap_read_file(tap_srcpath(unsigned_files[f]), &len);
		struct msg *m = text != NULL ? parse(text, len) : NULL;
		struct dkim_bodyhash *bh;
		struct buf b;
		size_t	dlen;
		const unsigned char *d;

		if (!tap_ok(m != NULL, "%s parses", unsigned_files[f])) {
			free(text);
			continue;
		}
		bh = body_hash(m, DKIM_CANON_RELAXED);
		d = dkim_bodyhash_digest(bh, &dlen);
		buf_init(&b, 1024);
		dkim_b64_encode(d, dlen, &b);
		tap_str(buf_str(&b), "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=",
			"RFC 8463: our relaxed body hash equals the published bh=");
		buf_free(&b);
		for (i = 0; i < 2; i++) {
			struct dkim_privkey *key = load_key(keys[i]);
			struct dkim_sign_opts so;
			struct dkim_sig sig;
			char   *field = NULL, *colon;
			const char *error = NULL;

			if (key == NULL)
				continue;
			dkim_sign_opts_init(&so);
			so.key = key;
			so.domain = "football.example.com";
			so.selector = sels[i];
			so.identity = "@football.example.com";
			so.timestamp = 1528637909;
			so.headers = h;
			so.h_separator = " : ";
			so.query_tag = 1;
			if (tap_int(dkim_sign(m, &so, bh, &field, &error), 0,
				    "RFC 8463: sign the unsigned message")
			    && (colon = strchr(field, ':')) != NULL
			    && dkim_sig_parse(colon + 1, strlen(colon + 1), &sig, &error) == 0) {
				tap_str(sig.b_text, b_rfc[i],
					i == 0 ? "RFC 8463: our ed25519 b= is the published b= exactly"
					: "RFC 8463: our rsa-sha256 b= is the published b= exactly");
				dkim_sig_free(&sig);
			}
			free(field);
			dkim_privkey_free(key);
		}
		dkim_bodyhash_free(bh);
		msg_free(m);
		free(text);
	}
	free(b_rfc[0]);
	free(b_rfc[1]);
	zone_clear();
}

/* ---- keys used by the rest --------------------------------------------------- */

static struct dkim_privkey *rsa, *ed;

static void setup_zone(void)
{
	zone_clear();
	publish(rsa, "rsa", "example.org", NULL);
	publish(ed, "ed", "example.org", NULL);
}

static char *sign_base(const char *text, size_t len, struct dkim_privkey *key,
		       const char *sel, enum dkim_canon hc, enum dkim_canon bc,
		       size_t *len_r)
{
	struct dkim_sign_opts o;

	dkim_sign_opts_init(&o);
	o.domain = "example.org";
	o.selector = sel;
	o.header_canon = hc;
	o.body_canon = bc;
	o.timestamp = NOW - 60;
	return sign_text(text, len, key, &o, len_r);
}

/* ---- every canonicalization pair, both algorithms, LF and CRLF ------------ */

static void test_modes(void)
{
	static const char *const bodies[] = {
		"Hi.\r\n\r\nWe lost.  \t Hungry?\r\n\r\n\r\n",
		"",
		"\r\n\r\n\r\n",
		"no final line end",
	};
	struct dkim_verify_opts o;
	int	hc, bc, alg, lf;
	size_t	bi;

	setup_zone();
	verify_opts(&o);
	for (bi = 0; bi < sizeof(bodies) / sizeof(bodies[0]); bi++)
		for (alg = 0; alg < 2; alg++)
			for (hc = 0; hc < 2; hc++)
				for (bc = 0; bc < 2; bc++)
					for (lf = 0; lf < 2; lf++) {
						struct buf t;
						char   *text, *signed_text;
						size_t	len, slen;

						buf_init(&t, 1 << 16);
						buf_append(&t, base_msg, strstr(base_msg, "\r\n\r\n") + 4 - base_msg);
						buf_append_str(&t, bodies[bi]);
						if (lf)
							text = to_lf(buf_str(&t), &len);
						else
							text = buf_detach(&t, &len);
						buf_free(&t);
						signed_text = sign_base(text, len, alg ? ed : rsa,
									alg ? "ed" : "rsa",
									(enum dkim_canon) hc,
									(enum dkim_canon) bc, &slen);
						if (signed_text == NULL)
							tap_ok(0, "sign");
						else {
							char	what[200];

							snprintf(what, sizeof(what),
								 "%s c=%s/%s %s, body %zu",
								 alg ? "ed25519" : "rsa",
								 dkim_canon_str((enum dkim_canon) hc),
								 dkim_canon_str((enum dkim_canon) bc),
								 lf ? "LF" : "CRLF", bi);
							expect_one(signed_text, slen, &o, DKIM_PASS, "", what);
						}
						free(signed_text);
						free(text);
					}
}

/* ---- dual signing from one body hash -------------------------------------- */

static void test_dual(void)
{
	struct msg *m = parse(base_msg, sizeof(base_msg) - 1);
	struct dkim_bodyhash *bh = body_hash(m, DKIM_CANON_RELAXED);
	struct dkim_sign_opts o;
	struct dkim_verify_opts vo;
	struct dkim_verify_result res;
	char   *f1 = NULL, *f2 = NULL, *text;
	const char *error = NULL;
	size_t	len;

	setup_zone();
	dkim_sign_opts_init(&o);
	o.domain = "example.org";
	o.timestamp = NOW;
	o.key = rsa;
	o.selector = "rsa";
	tap_int(dkim_sign(m, &o, bh, &f1, &error), 0, "dual: RSA signature");
	o.key = ed;
	o.selector = "ed";
	tap_int(dkim_sign(m, &o, bh, &f2, &error), 0,
		"dual: Ed25519 signature from the same body hash");
	msg_insert_top(m, f1, strlen(f1), &error);
	msg_insert_top(m, f2, strlen(f2), &error);
	text = serialize(m, &len);
	verify_opts(&vo);
	if (tap_ok(verify_text(text, len, &vo, &res) == 0 && res.count == 2,
		   "dual: two signatures")) {
		tap_ok(res.sigs[0].result == DKIM_PASS
		       && res.sigs[0].algo == DKIM_ALGO_ED25519_SHA256,
		       "dual: the Ed25519 one (on top) passes");
		tap_ok(res.sigs[1].result == DKIM_PASS
		       && res.sigs[1].algo == DKIM_ALGO_RSA_SHA256
		       && res.sigs[1].key_bits == 2048,
		       "dual: the RSA 2048 one passes");
	}
	dkim_verify_result_free(&res);
	free(text);
	free(f1);
	free(f2);
	dkim_bodyhash_free(bh);
	msg_free(m);
}

/* ---- the default header list and over-signing ------------------------------- */

static void test_default_headers(void)
{
	static const char text[] =
		"Received: x\r\nFrom: a@example.org\r\nTo: b@example.net\r\n"
		"To: c@example.net\r\nSubject: s\r\nReferences: <r@x>\r\n"
		"List-Id: <l.example.org>\r\nX-Mailer: m\r\n\r\nbody\r\n";
	struct msg *m = parse(text, sizeof(text) - 1);
	struct dkim_bodyhash *bh = body_hash(m, DKIM_CANON_RELAXED);
	struct dkim_sign_opts o;
	struct dkim_sig sig;
	char   *field = NULL;
	const char *error = NULL;

	dkim_sign_opts_init(&o);
	o.domain = "example.org";
	o.selector = "ed";
	o.key = ed;
	if (tap_int(dkim_sign(m, &o, bh, &field, &error), 0, "sign with default headers")
	    && dkim_sig_parse(field + 15, strlen(field + 15), &sig, &error) == 0) {
		struct buf h;
		size_t	i;

		buf_init(&h, 4096);
		for (i = 0; i < sig.header_count; i++)
			buf_printf(&h, "%s%s", i ? ":" : "", sig.headers[i]);
		tap_str(buf_str(&h),
			"From:From:Reply-To:Subject:Subject:Date:To:To:To:Cc:Message-ID:"
			"References:MIME-Version:Content-Type:Content-Transfer-Encoding:"
			"List-Id:List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:"
			"List-Subscribe:List-Post:List-Owner:List-Archive",
			"default h=: present ones once each, over-signed ones once more, "
			"absent plain ones skipped");
		tap_ok(sig.timestamp == -1 && sig.expire == -1 && sig.body_length == -1
		       && sig.identity == NULL,
		       "no t=, x=, l= or i= unless asked");
		{
			struct buf u;
			const char *p;

			buf_init(&u, 1 << 16);
			for (p = field; *p; p++)
				if (p[0] == '\r' && p[1] == '\n' && p[2] == '\t') {
					buf_append_byte(&u, ' ');
					p += 2;
				} else {
					buf_append_byte(&u, (unsigned char) *p);
				}
			tap_ok(strncmp(buf_str(&u), "DKIM-Signature: v=1; a=ed25519-sha256; "
				       "c=relaxed/relaxed; d=example.org; s=ed; h=From:", 86) == 0,
			       "tags in the order v a c d s h (folds only where a space was)");
			buf_free(&u);
		}
		{
			const char *p;
			size_t	col = 0, maxcol = 0;

			for (p = field; *p; p++) {
				if (*p == '\r')
					continue;
				if (*p == '\n') {
					col = 0;
					tap_ok(p[1] == '\t' && p > field && p[-1] == '\r',
					       "folded with CRLF TAB");
				} else if (++col > maxcol)
					maxcol = col;
			}
			tap_ok(maxcol <= 78, "no line longer than 78 (%zu)", maxcol);
		}
		buf_free(&h);
		dkim_sig_free(&sig);
	}
	free(field);
	dkim_bodyhash_free(bh);
	msg_free(m);
}

static void test_oversign(void)
{
	static const struct {
		const char *what;
		const char *field;
		int	top;		/* insert at the top, else at the end */
		int	oversigned;	/* signer used the default list */
		enum dkim_result want;
	} rows[] = {
		{"an added From at the top breaks it", "From: evil@example.com", 1, 1, DKIM_FAIL},
		{"an added From at the end breaks it", "From: evil@example.com", 0, 1, DKIM_FAIL},
		{"an added Subject at the top breaks it", "Subject: pay now", 1, 1, DKIM_FAIL},
		{"an added Cc (absent when signed) breaks it", "Cc: x@example.com", 1, 1, DKIM_FAIL},
		{"an added Reply-To breaks it", "Reply-To: evil@example.com", 1, 1, DKIM_FAIL},
		{"an added List-Unsubscribe breaks it", "List-Unsubscribe: <http://evil>", 1, 1, DKIM_FAIL},
		{"an added Received still passes", "Received: from somewhere", 1, 1, DKIM_PASS},
		{"an added X-Spam-Status still passes", "X-Spam-Status: No", 0, 1, DKIM_PASS},
		{"without over-signing an added Subject at the top passes "
		 "(why over-signing exists)", "Subject: pay now", 1, 0, DKIM_PASS},
		{"without over-signing an added Subject at the end breaks it",
		 "Subject: pay now", 0, 0, DKIM_FAIL},
	};
	static const char *const plain[] = {"From", "To", "Subject", "Date", NULL};
	struct dkim_verify_opts vo;
	size_t	i;

	setup_zone();
	verify_opts(&vo);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dkim_sign_opts o;
		char   *signed_text, *out;
		size_t	slen, olen;
		struct msg *m;
		const char *error;

		dkim_sign_opts_init(&o);
		o.domain = "example.org";
		o.selector = "ed";
		if (!rows[i].oversigned)
			o.headers = plain;
		signed_text = sign_text(base_msg, sizeof(base_msg) - 1, ed, &o, &slen);
		m = signed_text != NULL ? parse(signed_text, slen) : NULL;
		if (m == NULL) {
			tap_ok(0, "%s: sign", rows[i].what);
			free(signed_text);
			continue;
		}
		if (rows[i].top)
			msg_insert_top(m, rows[i].field, strlen(rows[i].field), &error);
		else
			msg_insert(m, msg_field_count(m), rows[i].field,
				   strlen(rows[i].field), &error);
		out = serialize(m, &olen);
		expect_one(out, olen, &vo, rows[i].want,
			   rows[i].want == DKIM_FAIL ? "signature did not verify" : "",
			   rows[i].what);
		free(out);
		msg_free(m);
		free(signed_text);
	}
}

/* ---- one changed byte anywhere -------------------------------------------- */

/*
 * Are the octets a verifier hashes for the original signature the same
 * in the changed message (and its b= the same signature)?  If so the
 * change was canonicalized away and the signature must still pass;
 * otherwise it must not pass.
 */
static int signed_data_same(const struct msg *orig, const struct dkim_sig *sig,
			    const struct buf *orig_h, const struct buf *orig_b,
			    const char *text, size_t len)
{
	struct msg *m = NULL;
	struct buf h, b;
	struct dkim_sig msig;
	const char *error;
	long	at;
	int	same = 0;

	(void) orig;
	if (msg_parse(&m, text, len, &error) < 0)
		return 0;
	if ((at = msg_find(m, "DKIM-Signature", 0)) < 0) {
		msg_free(m);
		return 0;
	}
	if (dkim_sig_parse(msg_field(m, (size_t) at)->value,
			   msg_field(m, (size_t) at)->value_len, &msig, &error) < 0) {
		msg_free(m);
		return 0;
	}
	buf_init(&h, 1 << 20);
	buf_init(&b, 1 << 20);
	if (dkim_canon_signed(m, sig, (size_t) at, &h, &b) == 0
	    && h.len == orig_h->len && memcmp(h.data, orig_h->data, h.len) == 0
	    && b.len == orig_b->len && memcmp(b.data, orig_b->data, b.len) == 0
	    && msig.b_len == sig->b_len && memcmp(msig.b, sig->b, sig->b_len) == 0)
		same = 1;
	buf_free(&h);
	buf_free(&b);
	dkim_sig_free(&msig);
	msg_free(m);
	return same;
}

static void flip_all(const char *what, struct dkim_privkey *key, const char *sel,
		     enum dkim_canon hc, enum dkim_canon bc, const unsigned char *flips,
		     size_t nflips)
{
	struct dkim_verify_opts vo;
	char   *text;
	size_t	len, pos, f, checked = 0, skipped = 0, bad = 0;
	struct msg *orig;
	struct dkim_sig sig;
	struct buf oh, ob;
	const char *error;
	long	at;
	char   *copy;

	verify_opts(&vo);
	text = sign_base(base_msg, sizeof(base_msg) - 1, key, sel, hc, bc, &len);
	if (text == NULL || (orig = parse(text, len)) == NULL) {
		tap_ok(0, "%s: sign", what);
		free(text);
		return;
	}
	at = msg_find(orig, "DKIM-Signature", 0);
	dkim_sig_parse(msg_field(orig, (size_t) at)->value,
		       msg_field(orig, (size_t) at)->value_len, &sig, &error);
	buf_init(&oh, 1 << 20);
	buf_init(&ob, 1 << 20);
	dkim_canon_signed(orig, &sig, (size_t) at, &oh, &ob);
	copy = malloc(len);
	for (pos = 0; pos < len; pos++)
		for (f = 0; f < nflips; f++) {
			struct dkim_verify_result res;
			unsigned char nb = flips[f] & 0x80 ? (unsigned char) (flips[f] & 0x7f)
				: (unsigned char) (text[pos] ^ flips[f]);
			int	same, passed;
			size_t	i;

			if (nb == (unsigned char) text[pos])
				continue;
			memcpy(copy, text, len);
			copy[pos] = (char) nb;
			same = signed_data_same(orig, &sig, &oh, &ob, copy, len);
			passed = 0;
			if (verify_text(copy, len, &vo, &res) == 0)
				for (i = 0; i < res.count; i++)
					if (res.sigs[i].result == DKIM_PASS)
						passed = 1;
			dkim_verify_result_free(&res);
			if (same)
				skipped++;
			else
				checked++;
			if (passed != same) {
				if (bad++ < 5)
					tap_diag("%s: byte %zu 0x%02x -> 0x%02x: %s", what, pos,
						 (unsigned char) text[pos], nb,
						 passed ? "still passes" : "fails though "
						 "the signed data is the same");
			}
		}
	tap_int((long long) bad, 0, what);
	tap_diag("%s: %zu changes must fail, %zu canonicalized away and pass",
		 what, checked, skipped);
	tap_ok(checked > len / 2, "%s: most changes reach the signed data", what);
	free(copy);
	buf_free(&oh);
	buf_free(&ob);
	dkim_sig_free(&sig);
	msg_free(orig);
	free(text);
}

static void test_flips(void)
{
	/* XOR 0x01, XOR 0x20 (case), or set to SP / HTAB (0x80 | byte). */
	static const unsigned char all[] = {0x01, 0x20, 0x80 | ' ', 0x80 | '\t'};
	static const unsigned char one[] = {0x01};

	setup_zone();
	flip_all("every one-byte change, ed25519 relaxed/relaxed", ed, "ed",
		 DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, all, 4);
	flip_all("every one-byte change, ed25519 simple/simple", ed, "ed",
		 DKIM_CANON_SIMPLE, DKIM_CANON_SIMPLE, all, 4);
	flip_all("every one-byte change, ed25519 relaxed/simple", ed, "ed",
		 DKIM_CANON_RELAXED, DKIM_CANON_SIMPLE, one, 1);
	flip_all("every one-byte change, ed25519 simple/relaxed", ed, "ed",
		 DKIM_CANON_SIMPLE, DKIM_CANON_RELAXED, one, 1);
	flip_all("every one-byte change, rsa relaxed/relaxed", rsa, "rsa",
		 DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, one, 1);
}

/* ---- key records and DNS outcomes -------------------------------------------- */

static void test_records(void)
{
	static const struct {
		const char *what;
		int	ed;		/* sign with ed (else rsa) */
		const char *identity;
		enum dns_status st;	/* DNS_OK: publish rec (NULL: the key's own) */
		const char *rec;
		const char *extra;	/* tags added to the key's own record */
		const char *rec2;	/* a second record (after rec) */
		enum dkim_result want;
		const char *reason;
		int	testing;
	} rows[] = {
		{"the key's own record", 0, NULL, DNS_OK, NULL, NULL, NULL, DKIM_PASS, "", 0},
		{"t=y testing is reported, result unchanged", 1, NULL, DNS_OK, NULL,
		 "t=y; ", NULL, DKIM_PASS, "", 1},
		{"revoked key (empty p=)", 0, NULL, DNS_OK, "v=DKIM1; k=rsa; p=", NULL, NULL,
		 DKIM_PERMERROR, "revoked key", 0},
		{"ed25519 signature, rsa key", 1, NULL, DNS_OK,
		 "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB",
		 NULL, NULL, DKIM_PERMERROR, "key/algorithm mismatch", 0},
		{"rsa signature, ed25519 key", 0, NULL, DNS_OK,
		 "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
		 NULL, NULL, DKIM_PERMERROR, "key/algorithm mismatch", 0},
		{"key record h=sha1 only", 0, NULL, DNS_OK, NULL, "h=sha1; ", NULL,
		 DKIM_PERMERROR, "inappropriate hash algorithm", 0},
		{"key record for another service", 1, NULL, DNS_OK, NULL, "s=tlsrpt; ", NULL,
		 DKIM_PERMERROR, "inappropriate key service", 0},
		{"t=s with i= in a subdomain", 1, "@mail.example.org", DNS_OK, NULL, "t=s; ",
		 NULL, DKIM_PERMERROR, "i= domain differs from d= (t=s)", 0},
		{"t=s with i= in d= itself", 1, "joe@example.org", DNS_OK, NULL, "t=s; ",
		 NULL, DKIM_PASS, "", 0},
		{"i= in a subdomain without t=s", 1, "@mail.example.org", DNS_OK, NULL, NULL,
		 NULL, DKIM_PASS, "", 0},
		{"p= that is not base64", 0, NULL, DNS_OK, "v=DKIM1; p=@@@", NULL, NULL,
		 DKIM_PERMERROR, "bad key record: bad p= tag", 0},
		{"p= that is not an RSA key", 0, NULL, DNS_OK, "v=DKIM1; p=dGVzdA==", NULL,
		 NULL, DKIM_PERMERROR, "bad key record: bad RSA key", 0},
		{"v=DKIM1 not first", 0, NULL, DNS_OK, "k=rsa; v=DKIM1; p=dGVzdA==", NULL,
		 NULL, DKIM_PERMERROR, "bad key record: v= not first", 0},
		{"a stale key first, the right key second", 1, NULL, DNS_OK,
		 "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
		 NULL, "own", DKIM_PASS, "", 0},
		{"an SPF record beside the key record is skipped", 1, NULL, DNS_OK,
		 "v=spf1 -all", NULL, "own", DKIM_PASS, "", 0},
		{"two records, neither valid", 1, NULL, DNS_OK, "v=spf1 -all", NULL,
		 "k=ed25519; p=AAAA", DKIM_PERMERROR, "bad key record: bad v= tag", 0},
		{"two wrong keys: the first one's result", 1, NULL, DNS_OK,
		 "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
		 NULL, "v=DKIM1; p=", DKIM_FAIL, "signature did not verify", 0},
		{"NXDOMAIN", 0, NULL, DNS_NXDOMAIN, NULL, NULL, NULL, DKIM_PERMERROR,
		 "key not found", 0},
		{"NODATA", 0, NULL, DNS_NODATA, NULL, NULL, NULL, DKIM_PERMERROR,
		 "key not found", 0},
		{"DNS timeout", 0, NULL, DNS_TIMEOUT, NULL, NULL, NULL, DKIM_TEMPERROR,
		 "key lookup: timeout", 0},
		{"DNS SERVFAIL", 1, NULL, DNS_SERVFAIL, NULL, NULL, NULL, DKIM_TEMPERROR,
		 "key lookup: servfail", 0},
		{"DNS bad response", 1, NULL, DNS_BADRESPONSE, NULL, NULL, NULL,
		 DKIM_TEMPERROR, "key lookup: bad response", 0},
	};
	struct dkim_verify_opts vo;
	size_t	i;

	verify_opts(&vo);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dkim_privkey *key = rows[i].ed ? ed : rsa;
		struct dkim_sign_opts o;
		struct dkim_verify_result res;
		const char *name = "sel._domainkey.example.org";
		char   *text;
		size_t	len;

		zone_clear();
		if (rows[i].st != DNS_OK)
			zone_add(name, rows[i].st, NULL);
		else if (rows[i].rec != NULL)
			zone_add(name, DNS_OK, rows[i].rec);
		else
			publish(key, "sel", "example.org", rows[i].extra);
		if (rows[i].rec2 != NULL && strcmp(rows[i].rec2, "own") == 0)
			publish(key, "sel", "example.org", NULL);
		else if (rows[i].rec2 != NULL)
			zone_add(name, DNS_OK, rows[i].rec2);
		dkim_sign_opts_init(&o);
		o.domain = "example.org";
		o.selector = "sel";
		o.identity = rows[i].identity;
		text = sign_text(base_msg, sizeof(base_msg) - 1, key, &o, &len);
		expect_one(text, len, &vo, rows[i].want, rows[i].reason, rows[i].what);
		if (verify_text(text, len, &vo, &res) == 0 && res.count == 1)
			tap_int(res.sigs[0].testing, rows[i].testing, "  testing flag");
		dkim_verify_result_free(&res);
		free(text);
	}

	/* p= as PKCS#1 RSAPublicKey instead of SubjectPublicKeyInfo. */
	{
		unsigned char *der = NULL;
		int	dl = i2d_PublicKey(dkim_privkey_pkey(rsa), &der);
		struct buf rec;
		struct dkim_sign_opts o;
		char   *text;
		size_t	len;

		buf_init(&rec, 8192);
		buf_append_str(&rec, "v=DKIM1; k=rsa; p=");
		dkim_b64_encode(der, (size_t) dl, &rec);
		OPENSSL_free(der);
		zone_clear();
		zone_add("sel._domainkey.example.org", DNS_OK, buf_str(&rec));
		dkim_sign_opts_init(&o);
		o.domain = "example.org";
		o.selector = "sel";
		text = sign_text(base_msg, sizeof(base_msg) - 1, rsa, &o, &len);
		expect_one(text, len, &vo, DKIM_PASS, "",
			   "key record with a PKCS#1 RSAPublicKey p=");
		free(text);
		buf_free(&rec);
	}
}

/* ---- policy, times, syntax, l= ------------------------------------------------- */

static void test_policy(void)
{
	static const char *const h[] = {"from", "subject", NULL};
	EVP_PKEY *p512 = load_pkey("rsa512.pem");
	EVP_PKEY *p2048 = load_pkey("rsa2048.pem");
	struct dkim_privkey *k1024 = load_key("rsa1024.pem");
	struct dkim_verify_opts vo;
	char   *text;
	size_t	len, before;
	struct buf rec;
	unsigned char *der = NULL;
	int	dl;

	setup_zone();
	/* The 512-bit key's record, by hand (dkim_privkey refuses the key). */
	dl = i2d_PUBKEY(p512, &der);
	buf_init(&rec, 8192);
	buf_append_str(&rec, "v=DKIM1; k=rsa; p=");
	dkim_b64_encode(der, (size_t) dl, &rec);
	OPENSSL_free(der);
	zone_add("short._domainkey.example.org", DNS_OK, buf_str(&rec));
	buf_free(&rec);
	publish(k1024, "k1024", "example.org", NULL);
	verify_opts(&vo);

	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha1(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha1; c=relaxed/relaxed; d=example.org; s=rsa; ",
			   h, -1, &len);
	before = zone.lookups;
	expect_one(text, len, &vo, DKIM_POLICY, "rsa-sha1 not accepted",
		   "rsa-sha1 (RFC 8301)");
	tap_int((long long) (zone.lookups - before), 0, "  and no key lookup is made");
	vo.allow_sha1 = 1;
	expect_one(text, len, &vo, DKIM_PASS, "", "rsa-sha1 when allowed locally");
	vo.allow_sha1 = 0;
	free(text);

	text = manual_sign(base_msg, sizeof(base_msg) - 1, p512, EVP_sha256(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=short; ",
			   h, -1, &len);
	expect_one(text, len, &vo, DKIM_POLICY, "key too short", "512-bit RSA key");
	vo.min_rsa_bits = 512;
	expect_one(text, len, &vo, DKIM_PASS, "", "512-bit RSA key when allowed locally");
	vo.min_rsa_bits = 1024;
	free(text);

	text = sign_base(base_msg, sizeof(base_msg) - 1, k1024, "k1024",
			 DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, &len);
	expect_one(text, len, &vo, DKIM_PASS, "", "1024-bit RSA key passes by default");
	vo.min_rsa_bits = 2048;
	expect_one(text, len, &vo, DKIM_POLICY, "key too short",
		   "1024-bit RSA key under min_rsa_bits 2048");
	vo.min_rsa_bits = 1024;
	free(text);

	/* The manual signer and the library agree (a check of the check). */
	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha256(),
			   DKIM_CANON_SIMPLE, DKIM_CANON_SIMPLE,
			   "v=1; a=rsa-sha256; c=simple/simple; d=example.org; s=rsa; ",
			   h, -1, &len);
	expect_one(text, len, &vo, DKIM_PASS, "", "hand-made rsa-sha256 signature");
	free(text);

	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha256(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa; ",
			   (const char *const[]) {"subject", "date", NULL}, -1, &len);
	expect_one(text, len, &vo, DKIM_PERMERROR, "h= lacks From", "h= without From");
	free(text);

	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha256(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa; "
			   "i=joe@example.com; ", h, -1, &len);
	expect_one(text, len, &vo, DKIM_PERMERROR, "i= not within d=", "i= outside d=");
	free(text);

	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha256(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa; "
			   "x=12; t=13; ", h, -1, &len);
	expect_one(text, len, &vo, DKIM_PERMERROR, "signature syntax: x= before t=",
		   "x= before t=");
	free(text);

	EVP_PKEY_free(p512);
	EVP_PKEY_free(p2048);
	dkim_privkey_free(k1024);
}

static void test_times(void)
{
	static const struct {
		const char *what;
		long long t, x, now, skew;
		enum dkim_result want;
		const char *reason;
	} rows[] = {
		{"before x=", NOW - 100, NOW + 100, NOW, 300, DKIM_PASS, ""},
		{"at x= exactly", NOW - 100, NOW, NOW, 300, DKIM_PASS, ""},
		{"one second after x=", NOW - 100, NOW, NOW + 1, 300, DKIM_PERMERROR,
		 "signature expired"},
		{"t= 300 s ahead, inside the skew", NOW + 300, -1, NOW, 300, DKIM_PASS, ""},
		{"t= 301 s ahead", NOW + 301, -1, NOW, 300, DKIM_PERMERROR,
		 "timestamp in the future"},
		{"t= a day ahead, skew check off", NOW + 86400, -1, NOW, -1, DKIM_PASS, ""},
		{"x= equal to t=", NOW - 10, NOW - 10, NOW - 10, 300, DKIM_PASS, ""},
	};
	struct dkim_verify_opts vo;
	size_t	i;

	setup_zone();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dkim_sign_opts o;
		char   *text;
		size_t	len;

		dkim_sign_opts_init(&o);
		o.domain = "example.org";
		o.selector = "ed";
		o.timestamp = rows[i].t;
		o.expire = rows[i].x;
		text = sign_text(base_msg, sizeof(base_msg) - 1, ed, &o, &len);
		verify_opts(&vo);
		vo.now = (time_t) rows[i].now;
		vo.max_future_skew = rows[i].skew;
		expect_one(text, len, &vo, rows[i].want, rows[i].reason, rows[i].what);
		free(text);
	}
}

static void test_length(void)
{
	static const char *const h[] = {"from", "subject", NULL};
	EVP_PKEY *p2048 = load_pkey("rsa2048.pem");
	struct dkim_verify_opts vo;
	struct dkim_verify_result res;
	char   *text, *more;
	size_t	len, mlen;
	struct msg *m;
	const char *error;

	setup_zone();
	verify_opts(&vo);
	/* The canonical relaxed body of base_msg is 54 octets; sign 20. */
	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha256(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa; l=20; ",
			   h, 20, &len);
	m = parse(text, len);
	msg_body_append(m, "Buy now!\r\n", 10, &error);
	more = serialize(m, &mlen);
	if (tap_ok(verify_text(more, mlen, &vo, &res) == 0 && res.count == 1,
		   "l=20 with text appended")) {
		tap_int(res.sigs[0].result, DKIM_PASS, "  passes: l= is honoured");
		tap_int(res.sigs[0].body_length, 20, "  body_length reports l=");
		tap_int(res.sigs[0].body_total, 66, "  body_total reports the whole body");
	}
	dkim_verify_result_free(&res);
	free(more);
	msg_free(m);
	free(text);

	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha256(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa; l=55; ",
			   h, 55, &len);
	expect_one(text, len, &vo, DKIM_FAIL, "l= larger than body", "l= past the body");
	free(text);

	text = manual_sign(base_msg, sizeof(base_msg) - 1, p2048, EVP_sha256(),
			   DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
			   "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa; l=54; ",
			   h, 54, &len);
	expect_one(text, len, &vo, DKIM_PASS, "", "l= equal to the body");
	free(text);
	EVP_PKEY_free(p2048);
}

/* ---- several signatures, each with its own result ------------------------------ */

static void test_multiple(void)
{
	struct msg *m = parse(base_msg, sizeof(base_msg) - 1);
	struct dkim_bodyhash *bh = body_hash(m, DKIM_CANON_RELAXED);
	struct dkim_sign_opts o;
	struct dkim_verify_opts vo;
	struct dkim_verify_result res;
	char   *f = NULL, *text;
	const char *error = NULL;
	size_t	len;
	static const char broken[] = "DKIM-Signature: v=1; a=rsa-sha256; d=broken.example; s=x; h=from";

	setup_zone();
	zone_add("gone._domainkey.example.org", DNS_OK, "v=DKIM1; p=");
	dkim_sign_opts_init(&o);
	o.domain = "example.org";
	o.key = rsa;
	o.selector = "rsa";
	dkim_sign(m, &o, bh, &f, &error);
	msg_insert_top(m, f, strlen(f), &error);
	free(f);
	msg_insert_top(m, broken, sizeof(broken) - 1, &error);
	o.selector = "gone";
	dkim_sign(m, &o, bh, &f, &error);
	msg_insert_top(m, f, strlen(f), &error);
	free(f);
	o.key = ed;
	o.selector = "ed";
	o.domain = "example.org";
	dkim_sign(m, &o, bh, &f, &error);
	msg_insert_top(m, f, strlen(f), &error);
	free(f);
	text = serialize(m, &len);
	verify_opts(&vo);
	if (tap_ok(verify_text(text, len, &vo, &res) == 0 && res.count == 4,
		   "four signatures, four results")) {
		tap_ok(res.sigs[0].result == DKIM_PASS && res.sigs[0].field_index == 0,
		       "  1st (ed25519): pass");
		tap_ok(res.sigs[1].result == DKIM_PERMERROR
		       && strcmp(res.sigs[1].reason, "revoked key") == 0
		       && strcmp(res.sigs[1].selector, "gone") == 0,
		       "  2nd: permerror revoked key");
		tap_ok(res.sigs[2].result == DKIM_PERMERROR
		       && strcmp(res.sigs[2].reason, "signature syntax: missing b= tag") == 0
		       && res.sigs[2].domain != NULL
		       && strcmp(res.sigs[2].domain, "broken.example") == 0,
		       "  3rd: permerror signature syntax, d= still reported");
		tap_ok(res.sigs[3].result == DKIM_PASS && res.sigs[3].field_index == 3,
		       "  4th (rsa, signed before the others were added): pass");
	}
	dkim_verify_result_free(&res);
	vo.max_signatures = 2;
	if (verify_text(text, len, &vo, &res) == 0 && res.count == 4)
		tap_ok(res.sigs[1].result == DKIM_PERMERROR
		       && res.sigs[2].result == DKIM_POLICY
		       && strcmp(res.sigs[2].reason, "too many signatures") == 0
		       && res.sigs[3].result == DKIM_POLICY,
		       "max_signatures 2: the rest are policy, too many signatures");
	dkim_verify_result_free(&res);
	free(text);

	verify_opts(&vo);
	tap_ok(verify_text(base_msg, sizeof(base_msg) - 1, &vo, &res) == 0
	       && res.count == 0 && res.sigs == NULL, "no signature: no results");
	dkim_verify_result_free(&res);
	dkim_bodyhash_free(bh);
	msg_free(m);
}

/* A message without a From field is not signed (RFC 6376 section 5.4). */
static void test_sign_no_from(void)
{
	static const char text[] = "To: b@example.org\r\nSubject: no author\r\n\r\nbody\r\n";
	struct msg *m = parse(text, sizeof(text) - 1);
	struct dkim_bodyhash *bh = body_hash(m, DKIM_CANON_RELAXED);
	struct dkim_sign_opts o;
	char   *field = NULL;
	const char *error = NULL;

	dkim_sign_opts_init(&o);
	o.key = rsa;
	o.domain = "example.org";
	o.selector = "s";
	int	rc = dkim_sign(m, &o, bh, &field, &error);

	tap_ok(rc == -1 && field == NULL && error != NULL
	       && strstr(error, "no From") != NULL,
	       "sign refuses a message without From (%s)", error ? error : "signed");
	dkim_bodyhash_free(bh);
	msg_free(m);
}

static void test_sign_errors(void)
{
	static const char *const bad_name[] = {"From", "X:Y", NULL};
	static const char *const no_from[] = {"Subject", NULL};
	struct msg *m = parse(base_msg, sizeof(base_msg) - 1);
	struct dkim_bodyhash *rel = body_hash(m, DKIM_CANON_RELAXED);
	struct dkim_bodyhash *lim = dkim_bodyhash_new(DKIM_CANON_RELAXED,
						      DKIM_ALGO_RSA_SHA256, 5);
	struct dkim_bodyhash *open = dkim_bodyhash_new(DKIM_CANON_RELAXED,
						       DKIM_ALGO_RSA_SHA256, -1);
	static const struct {
		const char *what;
		const char *domain, *selector, *identity;
		const char *const *headers;
		int	simple_body, limited, unfinished;
		long long t, x;
	} rows[] = {
		{"d= with a space", "exa mple.org", "s", NULL, NULL, 0, 0, 0, -1, -1},
		{"s= with CRLF", "example.org", "s\r\nX-Evil: 1", NULL, NULL, 0, 0, 0, -1, -1},
		{"i= outside d=", "example.org", "s", "@example.com", NULL, 0, 0, 0, -1, -1},
		{"h= name with a colon", "example.org", "s", NULL, bad_name, 0, 0, 0, -1, -1},
		{"h= without From", "example.org", "s", NULL, no_from, 0, 0, 0, -1, -1},
		{"body hash of the other canonicalization", "example.org", "s", NULL, NULL,
		 1, 0, 0, -1, -1},
		{"body hash with a limit (no l= ever)", "example.org", "s", NULL, NULL,
		 0, 1, 0, -1, -1},
		{"body hash not finished", "example.org", "s", NULL, NULL, 0, 0, 1, -1, -1},
		{"x= before t=", "example.org", "s", NULL, NULL, 0, 0, 0, 100, 99},
	};
	size_t	i;

	dkim_bodyhash_final(lim);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dkim_sign_opts o;
		char   *field = (char *) "x";
		const char *error = NULL;

		dkim_sign_opts_init(&o);
		o.key = ed;
		o.domain = rows[i].domain;
		o.selector = rows[i].selector;
		o.identity = rows[i].identity;
		o.headers = rows[i].headers;
		o.timestamp = rows[i].t;
		o.expire = rows[i].x;
		if (rows[i].simple_body)
			o.body_canon = DKIM_CANON_SIMPLE;
		int	rc = dkim_sign(m, &o, rows[i].limited ? lim
				   : rows[i].unfinished ? open : rel, &field, &error);

		tap_ok(rc == -1 && field == NULL && error != NULL,
		       "sign refuses %s (%s)", rows[i].what, error ? error : "no error");
	}
	dkim_bodyhash_free(rel);
	dkim_bodyhash_free(lim);
	dkim_bodyhash_free(open);
	msg_free(m);
	test_sign_no_from();
}

int main(void)
{
	test_rfc8463();
	rsa = load_key("rsa2048.pem");
	ed = load_key("ed25519.pem");
	if (!tap_ok(rsa != NULL && ed != NULL, "test keys load"))
		return tap_done();
	test_modes();
	test_dual();
	test_default_headers();
	test_oversign();
	test_records();
	test_policy();
	test_times();
	test_length();
	test_multiple();
	test_sign_errors();
	test_flips();
	dkim_privkey_free(rsa);
	dkim_privkey_free(ed);
	zone_clear();
	return tap_done();
}
