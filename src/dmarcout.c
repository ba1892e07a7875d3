/*
 * NAME
 *	dmarcout 3
 * SUMMARY
 *	DMARC aggregate reports sent: intervals, capture, the report pass
 * DESCRIPTION
 *	See dmarcout.h.  The XML, gzip and names are lib/dmarcrep's
 *	(dmarcrep_out.h); the SQL is store_dmarcout.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarcrep/dmarcrep_out.h"
#include "dmarcout.h"

/* ---- intervals ------------------------------------------------------------ */

long long dmarcout_interval(long long ri)
{
	return ri < DMARCOUT_IV_MIN ? DMARCOUT_IV_MIN : ri > DMARCOUT_IV_MAX ? DMARCOUT_IV_MAX : ri;
}

long long dmarcout_begin(long long t, long long iv)
{
	long long r;

	if (iv <= 0)
		return t;
	r = t % iv;
	return t - (r < 0 ? r + iv : r);
}

int dmarcout_due(long long begin, long long iv, long long now)
{
	return begin + iv <= now;
}

/* ---- capture -------------------------------------------------------------- */

static int dmarcout_enforcing(const char *policy)
{
	return strcmp(policy, "quarantine") == 0 || strcmp(policy, "reject") == 0;
}

/* A delivered post. */
static void dmarcout_delivered(const struct verdict_summary *v, const struct dmarcout_decision *d,
			       const char **disposition_r, const char **reason_r,
			       char *comment, size_t size)
{
	int	passed = strcmp(v->dmarc, "pass") == 0;

	*disposition_r = passed && dmarcout_enforcing(v->policy) ? "pass" : "none";
	if (d->from_rewritten || d->wrapped) {
		*reason_r = "mailing_list";
		snprintf(comment, size, "list %s %s and re-signed as %s", d->list_address,
			 d->wrapped ? "wrapped the message with its own From" : "rewrote From",
			 d->list_domain);
	} else if (!passed && dmarcout_enforcing(v->policy)) {
		*reason_r = "local_policy";
		snprintf(comment, size, "list %s delivered it unchanged", d->list_address);
	}
}

void dmarcout_disposition(const struct verdict_summary *v, const struct dmarcout_decision *d,
			  const char **disposition_r, const char **reason_r,
			  char *comment, size_t size)
{
	int	held = strcmp(d->state, "held") == 0;

	*disposition_r = "none";
	*reason_r = "";
	*comment = 0;
	if (strcmp(d->state, "done") == 0) {
		dmarcout_delivered(v, d, disposition_r, reason_r, comment, size);
		return;
	}
	if (d->by_dmarc) {
		*disposition_r = held ? "quarantine" : "reject";
		return;
	}
	*reason_r = "local_policy";
	snprintf(comment, size, "list %s %s it: %s", d->list_address,
		 held ? "held" : strcmp(d->state, "discarded") == 0 ? "discarded" : "rejected",
		 d->why != NULL ? d->why : "local policy");
}

int dmarcout_rua_usable(const char *rua)
{
	struct dmarcrep_rua r[DMARCREP_RUA_MAX];

	return rua != NULL && *rua && dmarcrep_rua_parse(rua, r, DMARCREP_RUA_MAX) > 0;
}

int dmarcout_feedback(const struct store_inbox_msg *in, const struct verdict_summary *v,
		      const struct dmarcout_decision *d, struct dmarcout_feedback *f)
{
	struct store_dmarc_feedback *r = &f->row;
	const char *at = in->envelope_from != NULL ? strrchr(in->envelope_from, '@') : NULL;

	memset(f, 0, sizeof(*f));
	if (*v->rec_domain == 0 || *v->author == 0 || !dmarcout_rua_usable(v->rua)
	    || in->client_ip == NULL || *in->client_ip == 0)
		return -1;
	snprintf(f->envelope_domain, sizeof(f->envelope_domain), "%s", at != NULL ? at + 1 : "");
	r->list_domain = d->list_domain;
	r->source_ip = in->client_ip;
	r->header_from = v->author;
	r->policy_domain = v->rec_domain;
	r->envelope_from = f->envelope_domain;
	r->envelope_to = d->list_domain;
	r->p = v->p;
	r->sp = v->sp;
	r->np = v->np;
	r->adkim = v->adkim_strict ? "s" : "r";
	r->aspf = v->aspf;
	r->fo = v->fo;
	r->testing = v->testing;
	r->discovery = v->discovery;
	r->rua = v->rua;
	r->ri = strtoll(v->ri, NULL, 10);
	r->received_at = in->received_at;
	r->dkim_aligned = *v->dkim_aligned ? v->dkim_aligned : "fail";
	r->spf_aligned = *v->spf_aligned ? v->spf_aligned : "fail";
	r->dkim_results = v->dkim_results;
	r->spf_domain = v->spf_domain;
	r->spf_scope = v->spf_scope;
	r->spf_result = v->spf;
	dmarcout_disposition(v, d, &r->disposition, &r->reason_type, f->comment,
			     sizeof(f->comment));
	r->reason_comment = f->comment;
	return 0;
}
