/*
 * NAME
 *	auth_dns 3
 * SUMMARY
 *	one DNS allowance for a whole authentication
 * DESCRIPTION
 *	Each library bounds its own questions (LIMIT_SPF_DNS_TERMS,
 *	LIMIT_DKIM_SIGNATURES, LIMIT_ARC_INSTANCES, the DMARC tree walk), but
 *	their sum, times the resolver's timeout, is minutes for a message
 *	built to waste our time.  So every question goes through here first:
 *	past LIMIT_AUTH_DNS_QUERIES questions or the time allowance the
 *	answer is DNS_TIMEOUT without asking, which every library already
 *	turns into a temperror.  The lookups themselves are the libraries'
 *	own lib/dns adapters; nothing here touches a packet.
 */
#include <time.h>

#include "auth/auth_int.h"
#include "sealist_limits.h"

static long long auth_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void auth_budget_init(struct auth_budget *b, struct dns_resolver *r,
		      unsigned budget_ms)
{
	b->resolver = r;
	b->spf_inner = spf_dns_lookups(r);
	b->dmarc_inner = dmarc_lookup_dns(r);
	b->queries = 0;
	b->deadline_ms = auth_now_ms()
	    + (budget_ms != 0 ? budget_ms : LIMIT_AUTH_DNS_MS);
	b->spent = 0;
}

/* May one more question be asked?  Counts it if so. */
static int auth_budget_take(struct auth_budget *b)
{
	if (b->queries >= LIMIT_AUTH_DNS_QUERIES
	    || auth_now_ms() >= b->deadline_ms) {
		b->spent = 1;
		return 0;
	}
	b->queries++;
	return 1;
}

enum dns_status auth_budget_txt(void *ctx, const char *name,
				struct dns_txt_answer *out,
				const char **error_r)
{
	struct auth_budget *b = ctx;

	if (!auth_budget_take(b)) {
		out->txt = NULL;
		out->count = 0;
		if (error_r != NULL)
			*error_r = "DNS allowance for this message spent";
		return DNS_TIMEOUT;
	}
	return dns_txt(b->resolver, name, out, error_r);
}

/* The SPF table: the same five questions, each through the budget. */

static enum dns_status spf_txt(void *ctx, const char *name,
			       struct dns_txt_answer *out)
{
	struct auth_budget *b = ctx;

	out->txt = NULL;
	out->count = 0;
	if (!auth_budget_take(b))
		return DNS_TIMEOUT;
	return b->spf_inner.txt(b->spf_inner.ctx, name, out);
}

static enum dns_status spf_a(void *ctx, const char *name,
			     struct dns_a_answer *out)
{
	struct auth_budget *b = ctx;

	out->addr = NULL;
	out->count = 0;
	if (!auth_budget_take(b))
		return DNS_TIMEOUT;
	return b->spf_inner.a(b->spf_inner.ctx, name, out);
}

static enum dns_status spf_aaaa(void *ctx, const char *name,
				struct dns_aaaa_answer *out)
{
	struct auth_budget *b = ctx;

	out->addr = NULL;
	out->count = 0;
	if (!auth_budget_take(b))
		return DNS_TIMEOUT;
	return b->spf_inner.aaaa(b->spf_inner.ctx, name, out);
}

static enum dns_status spf_mx(void *ctx, const char *name,
			      struct dns_mx_answer *out)
{
	struct auth_budget *b = ctx;

	out->mx = NULL;
	out->count = 0;
	if (!auth_budget_take(b))
		return DNS_TIMEOUT;
	return b->spf_inner.mx(b->spf_inner.ctx, name, out);
}

static enum dns_status spf_ptr(void *ctx, const char *name,
			       struct dns_ptr_answer *out)
{
	struct auth_budget *b = ctx;

	out->name = NULL;
	out->count = 0;
	if (!auth_budget_take(b))
		return DNS_TIMEOUT;
	return b->spf_inner.ptr(b->spf_inner.ctx, name, out);
}

struct spf_lookups auth_budget_spf(struct auth_budget *b)
{
	struct spf_lookups t = {
		.ctx = b, .txt = spf_txt, .a = spf_a, .aaaa = spf_aaaa,
		.mx = spf_mx, .ptr = spf_ptr,
	};

	return t;
}

/* The DMARC table. */

static enum dmarc_dns dmarc_txt(void *ctx, const char *name,
				struct dmarc_txt **txt_r, size_t *count_r)
{
	struct auth_budget *b = ctx;

	*txt_r = NULL;
	*count_r = 0;
	if (!auth_budget_take(b))
		return DMARC_DNS_TEMP;
	return b->dmarc_inner.txt(b->dmarc_inner.ctx, name, txt_r, count_r);
}

static enum dmarc_dns dmarc_exists(void *ctx, const char *name)
{
	struct auth_budget *b = ctx;

	if (!auth_budget_take(b))
		return DMARC_DNS_TEMP;
	return b->dmarc_inner.exists(b->dmarc_inner.ctx, name);
}

struct dmarc_lookup auth_budget_dmarc(struct auth_budget *b)
{
	struct dmarc_lookup t = { .txt = dmarc_txt, .exists = dmarc_exists,
				  .ctx = b };

	return t;
}
