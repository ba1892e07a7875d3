/*
 * NAME
 *	auth_int 3h
 * SUMMARY
 *	lib/auth internals: the DNS budget shared by one check
 * DESCRIPTION
 *	auth_budget wraps the lookup tables of lib/dkim, lib/spf and
 *	lib/dmarc (their own lib/dns adapters) so that every question of one
 *	auth_check() is counted against one allowance of questions and time.
 */
#ifndef SEALIST_AUTH_INT_H
#define SEALIST_AUTH_INT_H

#include "auth/auth.h"

struct auth_budget {
	struct dns_resolver *resolver;
	struct spf_lookups spf_inner;	/* lib/spf's adapter of resolver */
	struct dmarc_lookup dmarc_inner;	/* lib/dmarc's adapter */
	unsigned queries;		/* questions asked so far */
	long long deadline_ms;		/* CLOCK_MONOTONIC */
	int	spent;			/* a question was refused */
};

extern void auth_budget_init(struct auth_budget *, struct dns_resolver *,
			     unsigned budget_ms);
/* Tables asking through the budget; b must outlive their use. */
extern struct spf_lookups auth_budget_spf(struct auth_budget *b);
extern struct dmarc_lookup auth_budget_dmarc(struct auth_budget *b);
/* A dkim_txt_fn; ctx is the struct auth_budget. */
extern enum dns_status auth_budget_txt(void *ctx, const char *name,
				       struct dns_txt_answer *out,
				       const char **error_r);

#endif
