/*
 * NAME
 *	spf_dns 3
 * SUMMARY
 *	the lib/dns table for spf_check_host()
 * DESCRIPTION
 *	spf_dns_lookups() wraps a resolver in a struct spf_lookups; the
 *	error strings lib/dns gives are dropped (the status says enough for
 *	SPF).
 */
#include "spf/spf.h"

static enum dns_status txt(void *ctx, const char *name,
			   struct dns_txt_answer *out)
{
	return dns_txt(ctx, name, out, NULL);
}

static enum dns_status a(void *ctx, const char *name,
			 struct dns_a_answer *out)
{
	return dns_a(ctx, name, out, NULL);
}

static enum dns_status aaaa(void *ctx, const char *name,
			    struct dns_aaaa_answer *out)
{
	return dns_aaaa(ctx, name, out, NULL);
}

static enum dns_status mx(void *ctx, const char *name,
			  struct dns_mx_answer *out)
{
	return dns_mx(ctx, name, out, NULL);
}

static enum dns_status ptr(void *ctx, const char *name,
			   struct dns_ptr_answer *out)
{
	return dns_ptr(ctx, name, out, NULL);
}

struct spf_lookups spf_dns_lookups(struct dns_resolver *r)
{
	struct spf_lookups l = { r, txt, a, aaaa, mx, ptr };

	return l;
}
