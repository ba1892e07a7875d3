/*
 * NAME
 *	fuzz_dmarc 1
 * SUMMARY
 *	libFuzzer target for the DMARC record parser (and ADSP's)
 * DESCRIPTION
 *	The input is parsed as one DMARC Policy Record and as one ADSP
 *	record, and checked: an accepted record has values in range (pct
 *	0..100, policies known, a counted rua= kept).  Then the input,
 *	split at newlines into TXT records, is served as the answer to
 *	every _dmarc name of a long author domain, and a message is
 *	evaluated in both modes, so discovery, the tree walk and the
 *	policy choice see hostile records too.  A violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	const uint8_t *data;
	size_t	size;
};

static enum dmarc_dns fuzz_txt(void *vctx, const char *name,
			       struct dmarc_txt **txt_r, size_t *count_r)
{
	struct fuzz_ctx *ctx = vctx;
	size_t	n = 1, i, start = 0, k = 0;

	(void) name;
	*txt_r = NULL;
	*count_r = 0;
	if (ctx->size > 0 && ctx->data[0] == '!')
		return DMARC_DNS_TEMP;
	for (i = 0; i < ctx->size; i++)
		if (ctx->data[i] == '\n')
			n++;
	if ((*txt_r = calloc(n, sizeof(**txt_r))) == NULL)
		abort();
	for (i = 0; i <= ctx->size; i++) {
		if (i < ctx->size && ctx->data[i] != '\n')
			continue;
		(*txt_r)[k].len = i - start;
		(*txt_r)[k].data = malloc(i - start + 1);
		if ((*txt_r)[k].data == NULL)
			abort();
		memcpy((*txt_r)[k].data, ctx->data + start, i - start);
		(*txt_r)[k].data[i - start] = 0;
		k++;
		start = i + 1;
	}
	*count_r = k;
	return DMARC_DNS_OK;
}

static enum dmarc_dns fuzz_exists(void *vctx, const char *name)
{
	struct fuzz_ctx *ctx = vctx;

	(void) name;
	return ctx->size > 1 && (ctx->data[1] & 1) ? DMARC_DNS_NXDOMAIN
		: DMARC_DNS_NODATA;
}

static unsigned fuzz_random(void *ctx)
{
	(void) ctx;
	return 50;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmarc_record rec;
	struct fuzz_ctx ctx = { data, size };
	struct dmarc_lookup lk = { fuzz_txt, fuzz_exists, &ctx };
	struct dmarc_dkim_result dkim[2] = {
		{ "mail.example.com", DMARC_AUTH_PASS },
		{ "other.example.net", DMARC_AUTH_PASS },
	};
	struct dmarc_input in;
	struct dmarc_verdict v;
	const char *err;
	int	rc, mode;

	rc = dmarc_record_parse(data, size, &rec, &err);
	if (rc == 1) {
		if (rec.pct > 100 || rec.p > DMARC_POLICY_INVALID ||
		    rec.sp > DMARC_POLICY_INVALID ||
		    rec.np > DMARC_POLICY_INVALID ||
		    (rec.rua_valid > 0 && rec.rua == NULL) ||
		    (rec.ruf_valid > 0 && rec.ruf == NULL))
			abort();
		(void) dmarc_record_usable(&rec);
	} else if (err == NULL) {
		abort();
	}
	dmarc_record_free(&rec);
	if (dmarc_adsp_parse(data, size) > DMARC_ADSP_PERMERROR)
		abort();
	if (size > LIMIT_DMARC_RECORD)
		return 0;

	for (mode = 0; mode < 2; mode++) {
		memset(&in, 0, sizeof(in));
		in.author_domain = "a.b.c.d.e.f.g.h.i.example.com";
		in.dkim = dkim;
		in.dkim_count = 2;
		in.spf = DMARC_AUTH_PASS;
		in.spf_domain = "bounce.example.com";
		in.mode = mode ? DMARC_PSL : DMARC_TREEWALK;
		in.random100 = fuzz_random;
		if (dmarc_evaluate(&lk, &in, &v) < 0)
			abort();
		if (v.result == DMARC_RESULT_PASS &&
		    v.disposition != DMARC_POLICY_NONE)
			abort();
		if (v.info.queries > 3 * LIMIT_DMARC_TREEWALK + 1)
			abort();
		dmarc_verdict_free(&v);
	}
	(void) dmarc_adsp(&lk, "example.com", NULL);
	return 0;
}
