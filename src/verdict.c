/*
 * NAME
 *	verdict 3
 * SUMMARY
 *	auth verdict <-> the key=value lines kept in inbox.verdict
 * DESCRIPTION
 *	See verdict.h.  The text is ours (written by verdict_format), but it
 *	is read with the same care as anything else: lines and values are
 *	bounded by the fields they go into, and a line that does not fit is
 *	an error rather than a truncation.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "verdict.h"

static void verdict_copy(char *dst, size_t size, const char *src)
{
	size_t	n = src != NULL ? strlen(src) : 0;

	if (n >= size)
		n = 0;		/* cannot be one of ours: leave it unknown */
	memcpy(dst, src != NULL ? src : "", n);
	dst[n] = 0;
}

static const char *verdict_policy_text(enum dmarc_policy p)
{
	return p == DMARC_POLICY_NONE || p == DMARC_POLICY_QUARANTINE
	    || p == DMARC_POLICY_REJECT ? dmarc_policy_str(p) : "";
}

void verdict_summarize(const struct auth_verdict *v, const char *author_address,
		       struct verdict_summary *s)
{
	const struct auth_dmarc *d = auth_dmarc_decisive(v);

	memset(s, 0, sizeof(*s));
	verdict_copy(s->from_status, sizeof(s->from_status), dmarc_from_str(v->from_status));
	verdict_copy(s->spf, sizeof(s->spf), spf_result_str(v->spf.result));
	verdict_copy(s->arc, sizeof(s->arc), arc_cv_str(v->arc.cv));
	verdict_copy(s->author_address, sizeof(s->author_address), author_address);
	if (d == NULL) {
		verdict_copy(s->dmarc, sizeof(s->dmarc),
			     v->from_status == DMARC_FROM_NONE ? "none" : "permerror");
		return;
	}
	verdict_copy(s->dmarc, sizeof(s->dmarc), dmarc_result_str(d->v.result));
	verdict_copy(s->author, sizeof(s->author), d->domain);
	verdict_copy(s->org, sizeof(s->org), d->v.info.org_domain);
	verdict_copy(s->policy, sizeof(s->policy), verdict_policy_text(d->v.policy));
	s->adkim_strict = d->v.info.rec.adkim_strict;
	s->dns_error = d->v.result == DMARC_RESULT_TEMPERROR
	    || d->v.info.found == DMARC_FOUND_TEMPERROR;
}

/* src into dst unless it has a control character or does not fit ("" then). */
static void verdict_copy_text(char *dst, size_t size, const char *src)
{
	const char *c;

	for (c = src != NULL ? src : ""; *c; c++)
		if ((unsigned char) *c < 0x20 || *c == 0x7f) {
			*dst = 0;
			return;
		}
	verdict_copy(dst, size, src);
}

/* A DKIM d= or s= a report can carry: letters, digits, '.', '-', '_'. */
static int verdict_dns_word(const char *w)
{
	if (w == NULL || *w == 0)
		return 0;
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z')
		      || (*w >= '0' && *w <= '9') || *w == '.' || *w == '-' || *w == '_'))
			return 0;
	return 1;
}

/* "d:s:result,..." of the first VERDICT_DKIM_RESULTS usable signatures. */
static void verdict_dkim_results(const struct dkim_verify_result *dk, char *out, size_t size)
{
	size_t	i, used = 0, kept = 0;
	int	n;

	*out = 0;
	for (i = 0; i < dk->count && kept < VERDICT_DKIM_RESULTS; i++) {
		const struct dkim_sig_result *r = &dk->sigs[i];

		if (!verdict_dns_word(r->domain) || !verdict_dns_word(r->selector))
			continue;
		n = snprintf(out + used, size - used, "%s%s:%s:%s", kept ? "," : "", r->domain,
			     r->selector, dkim_result_str(r->result));
		if (n < 0 || (size_t) n >= size - used) {
			out[used] = 0;	/* cannot happen with the size; keep what fits */
			return;
		}
		used += (size_t) n;
		kept++;
	}
}

static void verdict_fo(unsigned fo, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s", fo & DMARC_FO_0 ? "0:" : "", fo & DMARC_FO_1 ? "1:" : "",
		 fo & DMARC_FO_D ? "d:" : "", fo & DMARC_FO_S ? "s:" : "");
	if (*out)
		out[strlen(out) - 1] = 0;
	else
		snprintf(out, size, "0");
}

/* The record as evaluated; only when one was found. */
static void verdict_record_facts(const struct dmarc_policy_info *info, struct verdict_summary *s)
{
	const struct dmarc_record *rec = &info->rec;

	if (info->found != DMARC_FOUND_AUTHOR && info->found != DMARC_FOUND_ORG
	    && info->found != DMARC_FOUND_PSD)
		return;
	verdict_copy(s->rec_domain, sizeof(s->rec_domain), info->record_domain);
	verdict_copy(s->p, sizeof(s->p), verdict_policy_text(rec->p));
	verdict_copy(s->sp, sizeof(s->sp), verdict_policy_text(rec->sp));
	verdict_copy(s->np, sizeof(s->np), verdict_policy_text(rec->np));
	verdict_copy(s->aspf, sizeof(s->aspf), rec->aspf_strict ? "s" : "r");
	verdict_fo(rec->fo, s->fo, sizeof(s->fo));
	verdict_copy(s->testing, sizeof(s->testing), rec->t ? "y" : "n");
	verdict_copy_text(s->rua, sizeof(s->rua), rec->rua);
	snprintf(s->ri, sizeof(s->ri), "%lu", rec->ri > 99999999ul ? 99999999ul : rec->ri);
}

void verdict_report_facts(const struct auth_verdict *v, enum dmarc_mode mode,
			  struct verdict_summary *s)
{
	const struct auth_dmarc *d = auth_dmarc_decisive(v);

	verdict_copy(s->discovery, sizeof(s->discovery), mode == DMARC_PSL ? "psl" : "treewalk");
	verdict_dkim_results(&v->dkim, s->dkim_results, sizeof(s->dkim_results));
	if (v->spf.domain != NULL && verdict_dns_word(v->spf.domain)) {
		verdict_copy(s->spf_domain, sizeof(s->spf_domain), v->spf.domain);
		/* RFC 9990 knows only the MAIL FROM scope */
		verdict_copy(s->spf_scope, sizeof(s->spf_scope),
			     v->spf.mailfrom != NULL && *v->spf.mailfrom ? "mfrom" : "");
	}
	if (d == NULL)
		return;
	verdict_copy(s->dkim_aligned, sizeof(s->dkim_aligned),
		     d->v.aligned & DMARC_ALIGNED_DKIM ? "pass" : "fail");
	verdict_copy(s->spf_aligned, sizeof(s->spf_aligned),
		     d->v.aligned & DMARC_ALIGNED_SPF ? "pass" : "fail");
	verdict_record_facts(&d->v.info, s);
}

int verdict_format(const struct verdict_summary *s, struct buf *out)
{
	buf_printf(out, "dmarc=%s\nauthor=%s\norg=%s\npolicy=%s\nadkim=%c\ndns_error=%d\n"
		   "from=%s\nspf=%s\narc=%s\nauthor_address=%s\n",
		   s->dmarc, s->author, s->org, s->policy, s->adkim_strict ? 's' : 'r',
		   s->dns_error, s->from_status, s->spf, s->arc, s->author_address);
	if (*s->discovery)
		buf_printf(out, "rec_domain=%s\np=%s\nsp=%s\nnp=%s\naspf=%s\nfo=%s\ntesting=%s\n"
			   "rua=%s\nri=%s\ndiscovery=%s\ndkim_aligned=%s\nspf_aligned=%s\n"
			   "dkim_results=%s\nspf_domain=%s\nspf_scope=%s\n",
			   s->rec_domain, s->p, s->sp, s->np, s->aspf, s->fo, s->testing, s->rua,
			   s->ri, s->discovery, s->dkim_aligned, s->spf_aligned, s->dkim_results,
			   s->spf_domain, s->spf_scope);
	return buf_failed(out) ? -1 : 0;
}

/* One "key=value" line of len bytes into s. */
static int verdict_line(const char *line, size_t len, struct verdict_summary *s)
{
	static const struct {
		const char *key;
		size_t	offset, size;
	} fields[] = {
#define F(k, m) {k, offsetof(struct verdict_summary, m), sizeof(((struct verdict_summary *) 0)->m)}
		F("dmarc", dmarc), F("author", author), F("org", org), F("policy", policy),
		F("from", from_status), F("spf", spf), F("arc", arc),
		F("author_address", author_address),
		F("rec_domain", rec_domain), F("p", p), F("sp", sp), F("np", np),
		F("aspf", aspf), F("fo", fo), F("testing", testing), F("rua", rua), F("ri", ri),
		F("discovery", discovery), F("dkim_aligned", dkim_aligned),
		F("spf_aligned", spf_aligned), F("dkim_results", dkim_results),
		F("spf_domain", spf_domain), F("spf_scope", spf_scope),
#undef F
	};
	const char *eq = memchr(line, '=', len);
	size_t	klen, vlen, i;

	if (eq == NULL)
		return -1;
	klen = (size_t) (eq - line);
	vlen = len - klen - 1;
	if (klen == 5 && memcmp(line, "adkim", 5) == 0)
		s->adkim_strict = vlen == 1 && eq[1] == 's';
	else if (klen == 9 && memcmp(line, "dns_error", 9) == 0)
		s->dns_error = vlen == 1 && eq[1] == '1';
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strlen(fields[i].key) != klen || memcmp(fields[i].key, line, klen) != 0)
			continue;
		if (vlen >= fields[i].size)
			return -1;
		memcpy((char *) s + fields[i].offset, eq + 1, vlen);
		((char *) s + fields[i].offset)[vlen] = 0;
	}
	return 0;
}

int verdict_parse(const char *text, struct verdict_summary *s)
{
	const char *line, *end;

	memset(s, 0, sizeof(*s));
	for (line = text; *line; line = *end ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (end > line && verdict_line(line, (size_t) (end - line), s) < 0)
			return -1;
	}
	return 0;
}
