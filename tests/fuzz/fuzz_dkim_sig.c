/*
 * NAME
 *	fuzz_dkim_sig 1
 * SUMMARY
 *	libFuzzer target for DKIM-Signature values, canonicalization and
 *	verification of whole messages
 * DESCRIPTION
 *	The input is used three ways.  (1) As a DKIM-Signature value: one
 *	that parses must have what section 6.1.1 requires (d=, s=, a From
 *	in h=, b= and bh= decoded, i= within d=, x= not before t=); one that
 *	does not comes with a reason the verifier can report.  (2) As a
 *	body: the body hash fed in two pieces split at an input-chosen point
 *	must equal the hash of dkim_canon_body's output, under both
 *	canonicalizations.  (3) As a message: dkim_verify() against the RFC
 *	8463 Appendix A keys must give one result per DKIM-Signature field,
 *	each with a reason unless it passed.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dkim/dkim_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_sig(const uint8_t *data, size_t size)
{
	struct dkim_sig sig;
	const char *error = NULL;
	size_t	i, off, end;
	int	from = 0;

	if (dkim_sig_parse(data, size, &sig, &error) < 0) {
		if (error == NULL || dkim_sig_reason(error) == NULL
		    || sig.domain != NULL || sig.headers != NULL)
			abort();
		return;
	}
	if (sig.domain == NULL || sig.selector == NULL || sig.header_count == 0
	    || sig.b == NULL || sig.b_len == 0 || sig.bh == NULL
	    || sig.b_text == NULL || sig.b_text[0] == 0
	    || (sig.expire >= 0 && sig.timestamp >= 0 && sig.expire < sig.timestamp))
		abort();
	for (i = 0; sig.domain[i] != 0; i++)
		if (sig.domain[i] >= 'A' && sig.domain[i] <= 'Z')
			abort();
	for (i = 0; i < sig.header_count; i++)
		if (dkim_name_eq(sig.headers[i], strlen(sig.headers[i]), "from"))
			from = 1;
	if (!from)
		abort();
	if (dkim_sig_find_b(data, size, &off, &end) < 0 || off > end || end > size)
		abort();
	dkim_sig_free(&sig);
}

static void check_body(const uint8_t *data, size_t size)
{
	enum dkim_canon c;
	size_t	split = size > 0 ? data[0] % (size + 1) : 0;

	for (c = DKIM_CANON_SIMPLE; c <= DKIM_CANON_RELAXED; c++) {
		struct dkim_bodyhash *bh = dkim_bodyhash_new(c, DKIM_ALGO_RSA_SHA256, -1);
		struct buf canon;
		unsigned char want[32];
		unsigned int wl;
		const unsigned char *got;
		size_t	gl;

		if (bh == NULL)
			abort();
		buf_init(&canon, 4 * size + 16);
		if (dkim_canon_body(c, data, size, -1, &canon) < 0)
			abort();
		EVP_Digest(canon.data != NULL ? canon.data : (unsigned char *) "",
			   canon.len, want, &wl, EVP_sha256(), NULL);
		if (dkim_bodyhash_update(bh, data, split) < 0
		    || dkim_bodyhash_update(bh, data + split, size - split) < 0
		    || dkim_bodyhash_final(bh) < 0
		    || (got = dkim_bodyhash_digest(bh, &gl)) == NULL || gl != 32
		    || memcmp(got, want, 32) != 0
		    || dkim_bodyhash_length(bh) != (long long) canon.len)
			abort();
		buf_free(&canon);
		dkim_bodyhash_free(bh);
	}
}

/* RFC 8463 Appendix A.2 at its names; everything else does not exist. */
static enum dns_status lookup(void *ctx, const char *name,
			      struct dns_txt_answer *out, const char **error_r)
{
	static const struct {
		const char *name, *rec;
	} zone[] = {
		{"brisbane._domainkey.football.example.com",
		 "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="},
		{"test._domainkey.football.example.com",
		 "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB"},
	};
	size_t	i;

	(void) ctx;
	out->txt = NULL;
	out->count = 0;
	for (i = 0; i < sizeof(zone) / sizeof(zone[0]); i++)
		if (strcmp(name, zone[i].name) == 0) {
			if ((out->txt = calloc(1, sizeof(*out->txt))) == NULL
			    || (out->txt[0].data = (unsigned char *) strdup(zone[i].rec)) == NULL)
				abort();
			out->txt[0].len = strlen(zone[i].rec);
			out->count = 1;
			return DNS_OK;
		}
	*error_r = "nxdomain";
	return DNS_NXDOMAIN;
}

static void check_verify(const uint8_t *data, size_t size)
{
	struct msg *m;
	struct dkim_verify_opts o;
	struct dkim_verify_result res;
	const char *error;
	size_t	i, n = 0;

	if (msg_parse(&m, data, size, &error) < 0)
		return;
	for (i = 0; i < msg_field_count(m); i++) {
		const struct msg_field *f = msg_field(m, i);

		if (f->name != NULL && dkim_name_eq(f->name, f->name_len, "dkim-signature"))
			n++;
	}
	dkim_verify_opts_init(&o, lookup, NULL);
	o.now = 1528637909 + 60;
	if (dkim_verify(m, &o, &res) < 0)
		abort();
	if (res.count != n)
		abort();
	for (i = 0; i < res.count; i++)
		if ((res.sigs[i].result != DKIM_PASS && res.sigs[i].reason == NULL)
		    || (res.sigs[i].result == DKIM_PASS && res.sigs[i].reason != NULL))
			abort();
	dkim_verify_result_free(&res);
	msg_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_sig(data, size);
	check_body(data, size);
	check_verify(data, size);
	return 0;
}
