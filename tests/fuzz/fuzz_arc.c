/*
 * NAME
 *	fuzz_arc 1
 * SUMMARY
 *	libFuzzer target for ARC field values, chain validation and sealing
 * DESCRIPTION
 *	The input is used three ways.  (1) As an AMS, an AS and an AAR
 *	value: one that parses must have an instance in 1..50, d=, s= and a
 *	non-empty b= (and bh= for an AMS); one that does not must come with
 *	a reason and leave nothing allocated.  (2) As a message:
 *	arc_validate() against a fixed key table (one fixed Ed25519 key,
 *	so that stored seeds sealed with it validate) must give none, pass
 *	or fail, a reason exactly when it fails, and sets only on pass.
 *	(3) The same message sealed with that key (cv from (2)) must then
 *	validate as pass when the chain was none or pass: sealing what we
 *	validated must give a chain we validate.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arc/arc.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed key, so that stored seeds sealed with it validate (made with
   "openssl genpkey -algorithm ED25519"; a test key, nothing else). */
static const char key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIGhayW6z0tdiVfMMtnHwC+uKwM6c/LGxLm7wOT/EZEFC\n"
	"-----END PRIVATE KEY-----\n";

static struct dkim_privkey *key;
static struct buf rec;

static enum dns_status table_txt(void *ctx, const char *name,
				 struct dns_txt_answer *out, const char **error_r)
{
	(void) ctx;
	(void) error_r;
	out->txt = NULL;
	out->count = 0;
	if (strcmp(name, "fz._domainkey.fuzz.example") != 0)
		return DNS_NXDOMAIN;
	if ((out->txt = calloc(1, sizeof(*out->txt))) == NULL
	    || (out->txt[0].data = malloc(rec.len)) == NULL)
		abort();
	memcpy(out->txt[0].data, rec.data, rec.len);
	out->txt[0].len = rec.len;
	out->count = 1;
	return DNS_OK;
}

static void check_fields(const uint8_t *data, size_t size)
{
	static const enum arc_kind kinds[2] = {ARC_AMS, ARC_AS};
	struct arc_sig s;
	const char *err = NULL;
	int	k, i;

	for (k = 0; k < 2; k++) {
		err = NULL;
		if (arc_sig_parse(kinds[k], data, size, &s, &err) < 0) {
			if (err == NULL || s.sig.domain != NULL || s.sig.headers != NULL
			    || s.sig.b != NULL)
				abort();
			continue;
		}
		if (s.instance < 1 || s.instance > LIMIT_ARC_INSTANCES
		    || s.sig.domain == NULL || s.sig.selector == NULL
		    || s.sig.b == NULL || s.sig.b_len == 0
		    || (kinds[k] == ARC_AMS && (s.sig.bh == NULL || s.sig.bh_len == 0))
		    || (kinds[k] == ARC_AS && s.sig.header_count != 0)
		    || s.sig.header_count > LIMIT_DKIM_H_NAMES)
			abort();
		arc_sig_free(&s);
	}
	err = NULL;
	i = arc_aar_instance(data, size, &err);
	if (i < 0 ? err == NULL : i > LIMIT_ARC_INSTANCES || i < 1)
		abort();
}

static enum arc_cv validate(const struct msg *m,
			    const struct dkim_verify_opts *o)
{
	struct arc_result r;
	enum arc_cv cv;

	if (arc_validate(m, o, &r) < 0)
		abort();
	if ((r.cv == ARC_CV_FAIL) != (r.reason != NULL)
	    || (r.cv == ARC_CV_NONE && r.count != 0)
	    || (r.cv == ARC_CV_PASS && (r.count == 0 || r.oldest_pass < 0
					|| (size_t) r.max_instance != r.count))
	    || r.count > LIMIT_ARC_INSTANCES)
		abort();
	cv = r.cv;
	arc_result_free(&r);
	return cv;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkim_verify_opts o;
	struct arc_seal_opts so;
	struct msg *m;
	const char *err;
	enum arc_cv cv;
	int	rc;

	if (key == NULL) {
		if ((key = dkim_privkey_load(key_pem, sizeof(key_pem) - 1, &err)) == NULL)
			abort();
		buf_init(&rec, 4096);
		if (dkim_privkey_record(key, &rec) < 0)
			abort();
	}
	check_fields(data, size);
	if (msg_parse(&m, data, size, &err) < 0)
		return 0;
	dkim_verify_opts_init(&o, table_txt, NULL);
	o.now = 1700000000;
	cv = validate(m, &o);
	arc_seal_opts_init(&so);
	so.domain = "fuzz.example";
	so.selector = "fz";
	so.key = key;
	so.authres = "fuzz.example; arc=none";
	so.timestamp = 1700000000;
	so.cv = cv;
	rc = arc_seal(m, &so, &err);
	if (rc < 0 && err == NULL)
		abort();
	/* Sealed on top of none or pass: we must accept what we made. */
	if (rc == 0 && cv != ARC_CV_FAIL && validate(m, &o) != ARC_CV_PASS)
		abort();
	msg_free(m);
	return 0;
}
