/*
 * NAME
 *	dmarc_eval 3
 * SUMMARY
 *	DMARC identifier alignment, result and disposition; the author
 *	domain of a message; the lib/dns adapter
 * DESCRIPTION
 *	An identifier aligns when it is the author domain, or -- in relaxed
 *	mode -- when both have the same organizational domain in the mode
 *	chosen (RFC 9989 section 4.4, 4.10.2; RFC 7489 section 3.1).  Only
 *	DKIM and SPF "pass" results can align (section 4.4.1, 4.4.2).  The
 *	organizational domain of an identifier is looked up only when it
 *	could match: it is a suffix of the identifier, so an identifier
 *	that is not within the author's organizational domain cannot align
 *	and costs no query.
 *
 *	Disposition for a "fail": the policy chosen at discovery, lowered
 *	one level (reject -> quarantine -> none) when the Domain Owner is
 *	testing: t=y in RFC 9989 mode (section 4.7), or -- in RFC 7489 mode
 *	-- when the message falls outside the pct= sample (RFC 7489 section
 *	6.3: "the next less-strict policy").  The sample draws a number in
 *	[0, 100) from the injected random source (getrandom(2) when none)
 *	and applies the policy when it is below pct, so pct=0 never and
 *	pct=100 always applies it, without drawing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "addr/addr.h"
#include "dns/dns.h"
#include "msg/msg.h"
#include "dmarc/dmarc.h"
#include "dmarc/dmarc_int.h"

const char *dmarc_result_str(enum dmarc_result r)
{
	switch (r) {
	case DMARC_RESULT_PASS:
		return "pass";
	case DMARC_RESULT_FAIL:
		return "fail";
	case DMARC_RESULT_TEMPERROR:
		return "temperror";
	case DMARC_RESULT_PERMERROR:
		return "permerror";
	case DMARC_RESULT_NONE:
		break;
	}
	return "none";
}

static unsigned system_random100(void)
{
	unsigned v = 0;

	/* Fine for sampling; if the kernel refuses, always apply. */
	if (getrandom(&v, sizeof(v), 0) != (ssize_t) sizeof(v))
		return 0;
	return v % 100;
}

static enum dmarc_policy lower_one(enum dmarc_policy p)
{
	if (p == DMARC_POLICY_REJECT)
		return DMARC_POLICY_QUARANTINE;
	return DMARC_POLICY_NONE;
}

/*
 * Does id align with the author?  1 yes, 0 no, -1 temporary DNS failure.
 * author is normalized; author_org may be NULL (not known: temp).
 */
static int aligned(const struct dmarc_lookup *lk, const char *author,
		   const char *author_org, const char *id, int strict,
		   enum dmarc_mode mode, unsigned *queries)
{
	char	d[LIMIT_DOMAIN + 1];
	char   *org = NULL;
	int	rc, same;

	if (id == NULL || !dmarc_name_norm(id, d))
		return 0;
	if (strcmp(d, author) == 0)
		return 1;
	if (strict)
		return 0;
	if (author_org == NULL)
		return -1;
	if (!dmarc_name_within(d, author_org))
		return 0;
	rc = dmarc_org_domain(lk, d, mode, &org, queries);
	if (rc == 1)
		return -1;
	if (rc < 0)
		return 0;
	same = strcmp(org, author_org) == 0;
	free(org);
	return same;
}

void dmarc_verdict_free(struct dmarc_verdict *v)
{
	if (v == NULL)
		return;
	free(v->aligned_dkim_domain);
	dmarc_policy_info_free(&v->info);
	memset(v, 0, sizeof(*v));
}

static const char *found_str(enum dmarc_found f)
{
	switch (f) {
	case DMARC_FOUND_AUTHOR:
		return "author";
	case DMARC_FOUND_ORG:
		return "org";
	case DMARC_FOUND_PSD:
		return "psd";
	default:
		return "none";
	}
}

int dmarc_evaluate(const struct dmarc_lookup *lk, const struct dmarc_input *in,
		   struct dmarc_verdict *out)
{
	char	author[LIMIT_DOMAIN + 1];
	struct dmarc_policy_info *info = &out->info;
	const struct dmarc_record *r;
	int	temp = 0, a;
	size_t	i;

	memset(out, 0, sizeof(*out));
	info->author_exists = -1;
	if (!dmarc_name_norm(in->author_domain, author)) {
		out->result = DMARC_RESULT_PERMERROR;
		snprintf(out->reason, sizeof(out->reason),
			 "permerror: author domain is not a valid host name");
		return 0;
	}
	if (dmarc_discover(lk, author, in->mode, info) < 0)
		return -1;
	if (info->found == DMARC_FOUND_TEMPERROR) {
		out->result = DMARC_RESULT_TEMPERROR;
		snprintf(out->reason, sizeof(out->reason), "temperror: %s",
			 info->reason);
		return 0;
	}
	if (info->found == DMARC_FOUND_NONE) {
		out->result = DMARC_RESULT_NONE;
		snprintf(out->reason, sizeof(out->reason), "none: %s",
			 info->reason);
		return 0;
	}
	r = &info->rec;
	out->policy = info->policy;

	for (i = 0; i < in->dkim_count && i < LIMIT_DMARC_DKIM; i++) {
		const struct dmarc_dkim_result *k = &in->dkim[i];

		if (k->result != DMARC_AUTH_PASS)
			continue;
		a = aligned(lk, author, info->org_domain, k->domain,
			    r->adkim_strict, in->mode, &info->queries);
		if (a < 0)
			temp = 1;
		if (a > 0) {
			out->aligned |= DMARC_ALIGNED_DKIM;
			if ((out->aligned_dkim_domain = strdup(k->domain)) == NULL)
				return -1;
			break;
		}
	}
	if (in->spf == DMARC_AUTH_PASS) {
		a = aligned(lk, author, info->org_domain, in->spf_domain,
			    r->aspf_strict, in->mode, &info->queries);
		if (a < 0)
			temp = 1;
		if (a > 0)
			out->aligned |= DMARC_ALIGNED_SPF;
	}

	if (out->aligned) {
		out->result = DMARC_RESULT_PASS;
		out->disposition = DMARC_POLICY_NONE;
		snprintf(out->reason, sizeof(out->reason),
			 "pass: aligned %s%s%s; %s record at %s",
			 out->aligned & DMARC_ALIGNED_DKIM ? "dkim d=" : "",
			 out->aligned & DMARC_ALIGNED_DKIM ?
			 out->aligned_dkim_domain : "",
			 out->aligned & DMARC_ALIGNED_SPF ? " spf" : "",
			 found_str(info->found), info->record_domain);
		return 0;
	}
	if (temp) {
		/* section 5.3.6: neither pass nor fail */
		out->result = DMARC_RESULT_TEMPERROR;
		out->disposition = DMARC_POLICY_NONE;
		snprintf(out->reason, sizeof(out->reason),
			 "temperror: DNS error finding an identifier's "
			 "organizational domain");
		return 0;
	}
	out->result = DMARC_RESULT_FAIL;
	out->disposition = out->policy;
	if (out->policy != DMARC_POLICY_NONE) {
		if (in->mode == DMARC_TREEWALK && r->t) {
			out->sampled_out = 1;
		} else if (in->mode == DMARC_PSL && r->pct < 100) {
			unsigned n = in->random100 != NULL ?
				in->random100(in->random_ctx) % 100 :
				system_random100();

			out->sampled_out = n >= r->pct;
		}
		if (out->sampled_out)
			out->disposition = lower_one(out->policy);
	}
	snprintf(out->reason, sizeof(out->reason),
		 "fail: no aligned identifier; %s=%s%s from %s record at %s",
		 info->found == DMARC_FOUND_AUTHOR ? "p" : "policy",
		 dmarc_policy_str(out->policy),
		 out->sampled_out ? (in->mode == DMARC_PSL ?
				     " (outside pct sample)" : " (t=y)") : "",
		 found_str(info->found), info->record_domain);
	return 0;
}

/* ---- RFC5322.From ---- */

const char *dmarc_from_str(enum dmarc_from f)
{
	switch (f) {
	case DMARC_FROM_OK:
		return "ok";
	case DMARC_FROM_NONE:
		return "none";
	case DMARC_FROM_MULTIPLE_FIELDS:
		return "multiple-from-fields";
	case DMARC_FROM_MULTIPLE_DOMAINS:
		return "multiple-author-domains";
	case DMARC_FROM_UNPARSABLE:
		return "unparsable";
	}
	return "unparsable";
}

int dmarc_author_domain(const struct msg *m, char **domain_r,
			const char **why_r)
{
	char	one[LIMIT_DOMAIN + 1] = "";
	size_t	fields = 0, mailboxes = 0;
	int	domains = 0, bad = 0;
	long	at;

	*domain_r = NULL;
	for (at = msg_find(m, "From", 0); at >= 0;
	     at = msg_find(m, "From", (size_t) at + 1)) {
		const struct msg_field *f = msg_field(m, (size_t) at);
		struct addr_list list;
		size_t	i;

		fields++;
		if (addr_parse_list(f->value, f->value_len, &list, NULL) < 0) {
			bad = 1;
			addr_list_free(&list);
			continue;
		}
		for (i = 0; i < list.count; i++) {
			char	d[LIMIT_DOMAIN + 1];

			mailboxes++;
			if (!dmarc_name_norm(list.items[i].domain, d)) {
				bad = 1;	/* literal, U-label, ... */
				continue;
			}
			if (domains == 0) {
				memcpy(one, d, strlen(d) + 1);
				domains = 1;
			} else if (strcmp(one, d) != 0) {
				domains = 2;
			}
		}
		addr_list_free(&list);
	}
	if (fields == 0) {
		*why_r = "no From field";
		return DMARC_FROM_NONE;
	}
	if (bad) {
		*why_r = "From field cannot be parsed, or names a domain "
			"literal or non-ASCII domain";
		return DMARC_FROM_UNPARSABLE;
	}
	if (domains == 2) {
		*why_r = "multiple author domains";
		return DMARC_FROM_MULTIPLE_DOMAINS;
	}
	if (domains == 0) {
		*why_r = "From field names no mailbox";
		return DMARC_FROM_NONE;
	}
	if ((*domain_r = strdup(one)) == NULL)
		return -1;
	if (fields > 1) {
		*why_r = "several From fields (RFC 5322 allows one)";
		return DMARC_FROM_MULTIPLE_FIELDS;
	}
	*why_r = mailboxes > 1 ? "several mailboxes, one author domain"
		: "one author domain";
	return DMARC_FROM_OK;
}

/* ---- lib/dns adapter ---- */

static enum dmarc_dns map_status(enum dns_status st)
{
	switch (st) {
	case DNS_OK:
		return DMARC_DNS_OK;
	case DNS_NXDOMAIN:
		return DMARC_DNS_NXDOMAIN;
	case DNS_NODATA:
		return DMARC_DNS_NODATA;
	default:
		return DMARC_DNS_TEMP;
	}
}

static enum dmarc_dns dns_txt_cb(void *ctx, const char *name,
				 struct dmarc_txt **txt_r, size_t *count_r)
{
	struct dns_txt_answer ans;
	enum dns_status st = dns_txt(ctx, name, &ans, NULL);
	size_t	i;

	*txt_r = NULL;
	*count_r = 0;
	if (st != DNS_OK) {
		dns_txt_answer_free(&ans);
		return map_status(st);
	}
	/* the same layout: take the records over */
	if ((*txt_r = calloc(ans.count, sizeof(**txt_r))) == NULL) {
		dns_txt_answer_free(&ans);
		return DMARC_DNS_TEMP;
	}
	for (i = 0; i < ans.count; i++) {
		(*txt_r)[i].data = ans.txt[i].data;
		(*txt_r)[i].len = ans.txt[i].len;
		ans.txt[i].data = NULL;
	}
	*count_r = ans.count;
	dns_txt_answer_free(&ans);
	return DMARC_DNS_OK;
}

static enum dmarc_dns dns_exists_cb(void *ctx, const char *name)
{
	struct dns_a_answer ans;
	enum dns_status st = dns_a(ctx, name, &ans, NULL);

	dns_a_answer_free(&ans);
	return map_status(st);
}

struct dmarc_lookup dmarc_lookup_dns(struct dns_resolver *r)
{
	struct dmarc_lookup lk;

	lk.txt = dns_txt_cb;
	lk.exists = dns_exists_cb;
	lk.ctx = r;
	return lk;
}
