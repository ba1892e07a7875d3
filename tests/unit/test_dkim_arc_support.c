/*
 * NAME
 *	test_dkim_arc_support 1
 * SUMMARY
 *	unit tests of the lib/dkim building blocks lib/arc uses
 * DESCRIPTION
 *	dkim_sign_data / dkim_verify_data round trips with RSA and Ed25519
 *	keys from an in-memory table, and what breaks them (changed data,
 *	no key, wrong key type); dkim_canon_header_nob leaving b= out;
 *	dkim_base64_* round trip; dkim_check_names.
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim.h"
#include "tap.h"

static struct buf rec;
static const char *rec_name;

static enum dns_status one_txt(void *ctx, const char *name,
			       struct dns_txt_answer *out, const char **error_r)
{
	(void) ctx;
	(void) error_r;
	out->txt = NULL;
	out->count = 0;
	if (strcmp(name, rec_name) != 0)
		return DNS_NXDOMAIN;
	out->txt = calloc(1, sizeof(*out->txt));
	out->txt[0].data = malloc(rec.len);
	memcpy(out->txt[0].data, rec.data, rec.len);
	out->txt[0].len = rec.len;
	out->count = 1;
	return DNS_OK;
}

struct row {
	const char *what;
	enum dkim_algo key_algo;	/* key made and published */
	enum dkim_algo sig_algo;	/* a= the verifier is told */
	const char *signed_data, *verified_data;
	const char *selector;		/* looked up */
	enum dkim_result want;
	const char *reason;
};

static const struct row rows[] = {
	{"rsa round trip", DKIM_ALGO_RSA_SHA256, DKIM_ALGO_RSA_SHA256,
	 "arc-seal:i=1; b=", "arc-seal:i=1; b=", "s", DKIM_PASS, NULL},
	{"ed25519 round trip", DKIM_ALGO_ED25519_SHA256, DKIM_ALGO_ED25519_SHA256,
	 "arc-seal:i=1; b=", "arc-seal:i=1; b=", "s", DKIM_PASS, NULL},
	{"rsa, data changed", DKIM_ALGO_RSA_SHA256, DKIM_ALGO_RSA_SHA256,
	 "arc-seal:i=1; b=", "arc-seal:i=2; b=", "s", DKIM_FAIL,
	 "signature did not verify"},
	{"ed25519, data changed", DKIM_ALGO_ED25519_SHA256, DKIM_ALGO_ED25519_SHA256,
	 "x", "y", "s", DKIM_FAIL, "signature did not verify"},
	{"no key at the name", DKIM_ALGO_RSA_SHA256, DKIM_ALGO_RSA_SHA256,
	 "x", "x", "other", DKIM_PERMERROR, "key not found"},
	{"ed25519 key, a=rsa-sha256", DKIM_ALGO_ED25519_SHA256, DKIM_ALGO_RSA_SHA256,
	 "x", "x", "s", DKIM_PERMERROR, "key/algorithm mismatch"},
	{"rsa-sha1 refused", DKIM_ALGO_RSA_SHA256, DKIM_ALGO_RSA_SHA1,
	 "x", "x", "s", DKIM_POLICY, "rsa-sha1 not accepted"},
};

static void run(const struct row *r)
{
	struct dkim_verify_opts o;
	struct dkim_privkey *k;
	struct buf b64;
	unsigned char *sig;
	size_t	slen;
	const char *err, *why = NULL;
	enum dkim_result got;

	k = dkim_privkey_generate(r->key_algo, 1024, &err);
	if (k == NULL) {
		tap_ok(0, "%s: key: %s", r->what, err);
		return;
	}
	buf_init(&rec, 4096);
	dkim_privkey_record(k, &rec);
	rec_name = "s._domainkey.example.org";
	buf_init(&b64, 4096);
	tap_int(dkim_sign_data(k, r->signed_data, strlen(r->signed_data), &b64, &err),
		0, r->what);
	sig = dkim_base64_decode(b64.data, b64.len, &slen, &err);
	dkim_verify_opts_init(&o, one_txt, NULL);
	got = dkim_verify_data(&o, r->sig_algo, "example.org",
			       strcmp(r->selector, "s") == 0 ? "s" : r->selector,
			       r->verified_data, strlen(r->verified_data),
			       sig, slen, &why);
	tap_str(dkim_result_str(got), dkim_result_str(r->want), r->what);
	tap_str(why, r->reason, r->what);
	free(sig);
	buf_free(&b64);
	buf_free(&rec);
	dkim_privkey_free(k);
}

static void canon_nob(void)
{
	static const char text[] =
		"ARC-Seal: i=1; a=rsa-sha256; b=AAAA\r\n\tBBBB; cv=none; d=x.example\r\n\r\n";
	struct msg *m;
	struct buf out;
	const char *err;

	if (msg_parse(&m, text, sizeof(text) - 1, &err) < 0) {
		tap_ok(0, "parse: %s", err);
		return;
	}
	buf_init(&out, 4096);
	tap_int(dkim_canon_header_nob(DKIM_CANON_RELAXED, msg_field(m, 0), &out), 0,
		"canon_header_nob");
	tap_str(buf_str(&out), "arc-seal:i=1; a=rsa-sha256; b=; cv=none; d=x.example",
		"relaxed, b= value left out, no CRLF");
	buf_free(&out);
	msg_free(m);
}

int main(void)
{
	struct buf b;
	unsigned char *dec;
	size_t	i, len;
	const char *err;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run(&rows[i]);
	canon_nob();
	buf_init(&b, 64);
	dkim_base64_encode("hello", 5, &b);
	tap_str(buf_str(&b), "aGVsbG8=", "base64 encode");
	dec = dkim_base64_decode("aGVs\r\n bG8=", 11, &len, &err);
	tap_mem(dec, len, "hello", 5, "base64 decode skips FWS");
	free(dec);
	buf_free(&b);
	tap_int(dkim_check_names("example.org", "sel", &err), 0, "good d= s=");
	tap_int(dkim_check_names("exa mple.org", "sel", &err), -1, "bad d=");
	return tap_done();
}
