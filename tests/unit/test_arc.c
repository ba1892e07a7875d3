/*
 * NAME
 *	test_arc 1
 * SUMMARY
 *	unit tests of lib/arc: chain structure, field syntax, sealing
 * DESCRIPTION
 *	A two-set chain is made here with fresh keys (Ed25519 for a.example,
 *	RSA for b.example) and an in-memory key table; each table row edits
 *	it (replace text, remove or duplicate a field, add fields on top)
 *	and says what arc_validate() must answer: cv, reason and detail.
 *	Sealing rows check instance numbering, cv=none at i=1, the refusal
 *	after a cv=fail seal (RFC 8617 section 5.1 step 2) and the scope of
 *	a cv=fail seal (section 5.1.2: only its own set).
 */
#include <stdlib.h>
#include <string.h>

#include "arc/arc.h"
#include "sealist_limits.h"
#include "tap.h"

static struct {
	const char *name;
	struct buf rec;
} keys[2];

static enum dns_status table_txt(void *ctx, const char *name,
				 struct dns_txt_answer *out, const char **error_r)
{
	size_t	i;

	(void) ctx;
	(void) error_r;
	out->txt = NULL;
	out->count = 0;
	for (i = 0; i < 2; i++)
		if (keys[i].name != NULL && strcmp(keys[i].name, name) == 0) {
			out->txt = calloc(1, sizeof(*out->txt));
			out->txt[0].len = keys[i].rec.len;
			out->txt[0].data = malloc(keys[i].rec.len);
			memcpy(out->txt[0].data, keys[i].rec.data, keys[i].rec.len);
			out->count = 1;
			return DNS_OK;
		}
	return DNS_NXDOMAIN;
}

static const char base_msg[] =
	"From: Alice <alice@origin.example>\r\n"
	"To: list@a.example\r\n"
	"Subject: test\r\n"
	"Date: Thu, 14 Jan 2015 15:00:01 -0800\r\n"
	"Message-ID: <t@origin.example>\r\n"
	"\r\n"
	"Hello.\r\n";

static struct dkim_privkey *ka, *kb;
static struct dkim_verify_opts vo;

static struct msg *parse(const char *text, size_t len)
{
	struct msg *m = NULL;
	const char *err;

	if (msg_parse(&m, text, len, &err) < 0)
		tap_diag("msg_parse: %s", err);
	return m;
}

static char *serialize(const struct msg *m, size_t *len_r)
{
	struct buf b;

	buf_init(&b, LIMIT_MESSAGE_SIZE);
	msg_serialize(m, &b);
	return buf_detach(&b, len_r);
}

static int seal(struct msg *m, struct dkim_privkey *k, const char *d,
		const char *s, enum arc_cv cv, const char **err)
{
	struct arc_seal_opts o;

	arc_seal_opts_init(&o);
	o.domain = d;
	o.selector = s;
	o.key = k;
	o.authres = "lists.example; arc=none";
	o.timestamp = 1700000000;
	o.cv = cv;
	return arc_seal(m, &o, err);
}

enum op { NONE, REPLACE, REMOVE, DUP, TOP };

struct row {
	const char *what;
	enum op op;
	const char *a, *b;		/* REPLACE: a -> b (every occurrence);
					   REMOVE/DUP: field a, the b-th from
					   the top ("1"); TOP: field a, b times */
	enum arc_cv cv;
	const char *reason, *detail;	/* NULL: not checked */
};

static const struct row rows[] = {
	{"untouched two-set chain passes", NONE, NULL, NULL, ARC_CV_PASS, NULL, NULL},
	{"instance gap (set 2 renumbered 3)", REPLACE, "i=2;", "i=3;",
	 ARC_CV_FAIL, "missing AAR", NULL},
	{"duplicate AMS", DUP, "ARC-Message-Signature", "2", ARC_CV_FAIL,
	 "duplicate AMS", NULL},
	{"duplicate AAR", DUP, "ARC-Authentication-Results", "1", ARC_CV_FAIL,
	 "duplicate AAR", NULL},
	{"missing AS of the newest set", REMOVE, "ARC-Seal", "1", ARC_CV_FAIL,
	 "missing AS", NULL},
	{"missing AMS of set 1", REMOVE, "ARC-Message-Signature", "2", ARC_CV_FAIL,
	 "missing AMS", NULL},
	{"instance 51", REPLACE, "ARC-Authentication-Results: i=2;",
	 "ARC-Authentication-Results: i=51;", ARC_CV_FAIL, "malformed AAR",
	 "AAR instance not in 1..50"},
	{"more than 150 ARC fields", TOP, "ARC-Authentication-Results: i=1; x", "151",
	 ARC_CV_FAIL, "more than 50 ARC sets", NULL},
	{"cv=none at i=2", REPLACE, "cv=pass", "cv=none", ARC_CV_FAIL,
	 "AS i>1 has cv other than pass", NULL},
	{"cv=pass at i=1", REPLACE, "cv=none", "cv=pass", ARC_CV_FAIL,
	 "AS i=1 has cv other than none", NULL},
	{"cv=fail on the newest seal", REPLACE, "cv=pass", "cv=fail", ARC_CV_FAIL,
	 "newest AS has cv=fail", NULL},
	{"cv=bogus", REPLACE, "cv=pass", "cv=bogus", ARC_CV_FAIL, "malformed AS",
	 "bad cv= tag"},
	{"h= in an AS", REPLACE, "cv=pass;", "cv=pass; h=from;", ARC_CV_FAIL,
	 "malformed AS", "h= tag in ARC-Seal"},
	{"AS without i=", REPLACE, "ARC-Seal: i=2;", "ARC-Seal:", ARC_CV_FAIL,
	 "malformed AS", "missing i= tag"},
	{"AMS a=rsa-sha1", REPLACE, "i=2; a=rsa-sha256; c=", "i=2; a=rsa-sha1; c=",
	 ARC_CV_FAIL, "malformed AMS", "unsupported algorithm"},
	{"AMS c= unknown", REPLACE, "c=relaxed/relaxed", "c=relaxed/bogus",
	 ARC_CV_FAIL, "malformed AMS", "bad c= tag"},
	{"AMS duplicate tag", REPLACE, "c=relaxed/relaxed", "c=relaxed; c=simple",
	 ARC_CV_FAIL, "malformed AMS", "duplicate tag"},
	{"AMS t= with FWS inside", REPLACE, "t=1700000000; h=", "t=1700 000000; h=",
	 ARC_CV_FAIL, "malformed AMS", "bad t= tag"},
	{"AMS signing ARC-Seal", REPLACE, "h=From", "h=ARC-Seal:From",
	 ARC_CV_FAIL, "malformed AMS", "h= names ARC-Seal"},
	{"AMS bad tag list", REPLACE, "c=relaxed/relaxed;", "c=relaxed/relaxed;;",
	 ARC_CV_FAIL, "malformed AMS", "bad tag list"},
	{"AAR without i=", REPLACE, "ARC-Authentication-Results: i=1;",
	 "ARC-Authentication-Results: lists.example; i=1;", ARC_CV_FAIL,
	 "malformed AAR", NULL},
	{"body changed", REPLACE, "Hello.", "Hullo.", ARC_CV_FAIL,
	 "newest AMS did not validate", "body hash mismatch"},
	{"AAR of set 1 changed", REPLACE, "arc=none", "arc=pass", ARC_CV_FAIL,
	 "AS did not validate", "signature did not verify"},
	{"signed header changed", REPLACE, "Subject: test", "Subject: Test",
	 ARC_CV_FAIL,
	 "newest AMS did not validate", "signature did not verify"},
};

static int atoi_safe(const char *s)
{
	return (int) strtol(s, NULL, 10);
}

static struct msg *apply(const char *text, size_t len, const struct row *r)
{
	struct msg *m;
	struct buf b;
	const char *err;
	long	at = -1;
	int	k;

	if (r->op == REPLACE) {
		size_t	al = strlen(r->a), i = 0;

		buf_init(&b, LIMIT_MESSAGE_SIZE);
		while (i < len) {
			if (i + al <= len && memcmp(text + i, r->a, al) == 0) {
				buf_append_str(&b, r->b);
				i += al;
			} else
				buf_append_byte(&b, (unsigned char) text[i++]);
		}
		m = parse((const char *) b.data, b.len);
		buf_free(&b);
		return m;
	}
	if ((m = parse(text, len)) == NULL || r->op == NONE)
		return m;
	if (r->op == TOP) {
		for (k = atoi_safe(r->b); k > 0; k--)
			msg_insert_top(m, r->a, strlen(r->a), &err);
		return m;
	}
	for (k = atoi_safe(r->b); k > 0; k--)
		at = msg_find(m, r->a, (size_t) (at + 1));
	if (at < 0)
		return m;
	if (r->op == REMOVE)
		msg_remove(m, (size_t) at);
	else {
		const struct msg_field *f = msg_field(m, (size_t) at);
		char   *copy = malloc(f->raw_len);

		memcpy(copy, f->raw, f->raw_len);
		if (msg_insert(m, (size_t) at, copy, f->raw_len, &err) < 0)
			tap_diag("msg_insert: %s", err);
		free(copy);
	}
	return m;
}

static void check_row(const char *chain, size_t len, const struct row *r)
{
	struct msg *m = apply(chain, len, r);
	struct arc_result res;

	if (m == NULL) {
		tap_ok(0, "%s: message parses", r->what);
		return;
	}
	if (arc_validate(m, &vo, &res) < 0) {
		tap_ok(0, "%s: arc_validate", r->what);
		msg_free(m);
		return;
	}
	tap_str(arc_cv_str(res.cv), arc_cv_str(r->cv), r->what);
	if (r->reason != NULL)
		tap_str(res.reason, r->reason, r->what);
	if (r->detail != NULL)
		tap_str(res.detail, r->detail, r->what);
	if (r->cv == ARC_CV_PASS) {
		tap_int((long long) res.count, 2, "pass: two sets reported");
		tap_int(res.oldest_pass, 0, "pass: oldest-pass 0");
		if (res.count == 2) {
			tap_str(res.sets[0].ams_domain, "a.example", "set 1 AMS d=");
			tap_str(res.sets[1].as_domain, "b.example", "set 2 AS d=");
			tap_str(res.sets[1].as_selector, "sb", "set 2 AS s=");
			tap_int(res.sets[0].as_result, DKIM_PASS, "set 1 AS pass");
		}
	}
	arc_result_free(&res);
	msg_free(m);
}

/* Section 5.1.2: a cv=fail seal signs only its own set.  Rebuild that
   input by hand and check the AS against it. */
static void check_fail_scope(const struct msg *m)
{
	struct buf in;
	struct arc_sig as;
	const char *err, *why;
	long	aar = msg_find(m, "ARC-Authentication-Results", 0);
	long	ams = msg_find(m, "ARC-Message-Signature", 0);
	long	seal = msg_find(m, "ARC-Seal", 0);
	const struct msg_field *f = msg_field(m, (size_t) seal);

	buf_init(&in, LIMIT_MESSAGE_SIZE);
	dkim_canon_header(DKIM_CANON_RELAXED, msg_field(m, (size_t) aar), 1, &in);
	dkim_canon_header(DKIM_CANON_RELAXED, msg_field(m, (size_t) ams), 1, &in);
	dkim_canon_header_nob(DKIM_CANON_RELAXED, f, &in);
	if (arc_sig_parse(ARC_AS, f->value, f->value_len, &as, &err) < 0) {
		tap_ok(0, "cv=fail seal parses: %s", err);
		buf_free(&in);
		return;
	}
	tap_int(as.instance, 3, "cv=fail seal is instance 3");
	tap_str(arc_cv_str(as.cv), "fail", "cv=fail seal says cv=fail");
	tap_int(dkim_verify_data(&vo, as.sig.algo, as.sig.domain, as.sig.selector,
				 in.data, in.len, as.sig.b, as.sig.b_len, &why),
		DKIM_PASS, "cv=fail seal covers only its own set (RFC 8617 5.1.2)");
	arc_sig_free(&as);
	buf_free(&in);
}

static void sealing(void)
{
	struct msg *m = parse(base_msg, sizeof(base_msg) - 1);
	struct arc_result res;
	struct arc_seal_opts o;
	const char *err = NULL;
	const char *bad_h[] = {"From", "Authentication-Results", NULL};
	const char *bad_h2[] = {"From", "arc-seal", NULL};
	size_t	before, i;
	char   *text;

	tap_int(seal(m, ka, "a.example", "sa", ARC_CV_PASS, &err), -1,
		"cv=pass for a message without a chain is refused");
	tap_int(seal(m, ka, "a.example", "sa", ARC_CV_NONE, &err), 0,
		"seal a message without a chain");
	text = serialize(m, &before);
	tap_ok(strstr(text, "ARC-Seal: i=1; a=ed25519-sha256; cv=none;") == text,
	       "the first field is ARC-Seal i=1 cv=none");
	tap_ok(strstr(text, "\r\nARC-Message-Signature: i=1; a=ed25519-sha256; "
		      "c=relaxed/relaxed; d=a.example;\r\n\ts=sa; t=1700000000; "
		      "h=From:Subject:Date:To:Message-ID;") != NULL,
	       "then the AMS");
	tap_ok(strstr(text, "\r\nARC-Authentication-Results: i=1; lists.example; "
		      "arc=none\r\n") != NULL, "then the AAR");
	free(text);
	tap_int(seal(m, kb, "b.example", "sb", ARC_CV_NONE, &err), -1,
		"cv=none for a message with a chain is refused");
	arc_seal_opts_init(&o);
	o.domain = "b.example";
	o.selector = "sb";
	o.key = kb;
	o.authres = "x; arc=pass";
	o.cv = ARC_CV_PASS;
	o.headers = bad_h;
	tap_int(arc_seal(m, &o, &err), -1, "h= with Authentication-Results refused");
	o.headers = bad_h2;
	tap_int(arc_seal(m, &o, &err), -1, "h= with ARC-Seal refused");
	tap_int(seal(m, kb, "b.example", "sb", ARC_CV_PASS, &err), 0,
		"second seal (RSA, b.example)");
	text = serialize(m, &before);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(text, before, &rows[i]);
	free(text);

	/* Break the chain, seal with cv=fail, then try once more. */
	msg_body_append(m, "more\r\n", 6, &err);
	if (arc_validate(m, &vo, &res) == 0) {
		tap_str(arc_cv_str(res.cv), "fail", "chain broken by the body");
		arc_result_free(&res);
	}
	tap_int(seal(m, kb, "b.example", "sb", ARC_CV_FAIL, &err), 0,
		"seal a failed chain with cv=fail");
	check_fail_scope(m);
	if (arc_validate(m, &vo, &res) == 0) {
		tap_str(res.reason, "newest AS has cv=fail", "validator: newest AS cv=fail");
		tap_int(res.top_cv_fail, 1, "validator: top_cv_fail");
		arc_result_free(&res);
	}
	before = msg_size(m);
	err = NULL;
	tap_int(seal(m, ka, "a.example", "sa", ARC_CV_FAIL, &err), 1,
		"no seal after a cv=fail seal (RFC 8617 5.1 step 2)");
	tap_ok(err != NULL && strstr(err, "5.1") != NULL, "with a reason: %s",
	       err != NULL ? err : "(none)");
	tap_int((long long) msg_size(m), (long long) before, "message unchanged");
	msg_free(m);
}

int main(void)
{
	const char *err;

	ka = dkim_privkey_generate(DKIM_ALGO_ED25519_SHA256, 0, &err);
	kb = dkim_privkey_generate(DKIM_ALGO_RSA_SHA256, 1024, &err);
	if (ka == NULL || kb == NULL) {
		tap_ok(0, "keys: %s", err);
		return tap_done();
	}
	keys[0].name = "sa._domainkey.a.example";
	keys[1].name = "sb._domainkey.b.example";
	buf_init(&keys[0].rec, 4096);
	buf_init(&keys[1].rec, 4096);
	dkim_privkey_record(ka, &keys[0].rec);
	dkim_privkey_record(kb, &keys[1].rec);
	dkim_verify_opts_init(&vo, table_txt, NULL);
	sealing();
	buf_free(&keys[0].rec);
	buf_free(&keys[1].rec);
	dkim_privkey_free(ka);
	dkim_privkey_free(kb);
	return tap_done();
}
