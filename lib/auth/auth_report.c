/*
 * NAME
 *	auth_report 3
 * SUMMARY
 *	a verdict as Authentication-Results and as lines for people
 * DESCRIPTION
 *	auth_verdict_authres() is the only place that decides what our
 *	Authentication-Results field says, so the field added on delivery,
 *	the ARC-Authentication-Results of the seal and "sealist auth check"
 *	cannot drift apart.  Text from the message (domains, selectors,
 *	reasons) goes through lib/authres, which quotes it; the lines of
 *	auth_verdict_describe() print it with control bytes replaced.
 */
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"

/* ---- Authentication-Results ---------------------------------------- */

static int auth_ar_dkim(struct authres *ar, const struct auth_verdict *v,
			const char **error_r)
{
	size_t	i;

	if (v->dkim.count == 0)
		return authres_add(ar, "dkim", "none", NULL, error_r);
	for (i = 0; i < v->dkim.count; i++) {
		const struct dkim_sig_result *r = &v->dkim.sigs[i];
		struct authres_dkim d;

		memset(&d, 0, sizeof(d));
		d.result = dkim_result_str(r->result);
		d.reason = r->reason;
		d.d = r->domain;
		d.i = r->identity;
		d.s = r->selector;
		d.a = r->domain != NULL ? dkim_algo_str(r->algo) : NULL;
		d.b = r->b_text;
		if (authres_add_dkim(ar, &d, error_r) < 0)
			return -1;
	}
	return 0;
}

static int auth_ar_spf(struct authres *ar, const struct auth_spf *s,
		       const char **error_r)
{
	if (s->source == AUTH_SPF_NOT_CHECKED)
		return 0;	/* nothing was checked: say nothing */
	if (authres_add_spf(ar, spf_result_str(s->result), NULL, s->mailfrom,
			    s->helo, error_r) < 0)
		return -1;
	if (s->source == AUTH_SPF_TRUSTED && s->upstream != NULL) {
		char	comment[300];

		snprintf(comment, sizeof(comment), "from %s", s->upstream);
		return authres_set_comment(ar, comment, error_r);
	}
	return 0;
}

/* The policy tag that applied (p, sp or np), or NULL when none did. */
static const char *auth_policy_text(enum dmarc_policy p)
{
	return p == DMARC_POLICY_NONE || p == DMARC_POLICY_QUARANTINE
	    || p == DMARC_POLICY_REJECT ? dmarc_policy_str(p) : NULL;
}

static int auth_ar_dmarc(struct authres *ar, const struct auth_verdict *v,
			 const char **error_r)
{
	size_t	i;

	if (v->ndmarc == 0) {
		/* RFC 9989 5.3.1: no single author domain, no evaluation */
		const char *r = v->from_status == DMARC_FROM_UNPARSABLE
		    || v->from_status == DMARC_FROM_MULTIPLE_DOMAINS
		    ? "permerror" : "none";

		return authres_add(ar, "dmarc", r, v->from_reason, error_r);
	}
	for (i = 0; i < v->ndmarc; i++) {
		const struct dmarc_verdict *d = &v->dmarc[i].v;
		const char *p = auth_policy_text(d->policy);

		if (authres_add_dmarc(ar, dmarc_result_str(d->result),
				      d->result == DMARC_RESULT_PASS ? NULL : d->reason,
				      v->dmarc[i].domain,
				      p != NULL ? dmarc_policy_str(d->disposition) : NULL,
				      p, p != NULL ? dmarc_policy_str(d->disposition) : NULL,
				      error_r) < 0)
			return -1;
	}
	return 0;
}

static int auth_ar_adsp(struct authres *ar, const struct auth_verdict *v,
			const char **error_r)
{
	if (v->adsp == AUTH_ADSP_NOT_CHECKED)
		return 0;
	return authres_add_adsp(ar, auth_adsp_str(v->adsp), NULL,
				v->dmarc[0].domain, error_r);
}

static int auth_ar_arc(struct authres *ar, const struct auth_verdict *v,
		       const char **error_r)
{
	const struct arc_result *a = &v->arc;

	return authres_add_arc(ar, arc_cv_str(a->cv),
			       a->cv == ARC_CV_FAIL ? a->reason : NULL,
			       v->client_ip,
			       a->cv == ARC_CV_PASS ? a->oldest_pass : -1,
			       error_r);
}

struct authres *auth_verdict_authres(const struct auth_verdict *v,
				     const char *authserv_id,
				     const char **error_r)
{
	struct authres *ar;

	if ((ar = authres_new(authserv_id, error_r)) == NULL)
		return NULL;
	if (auth_ar_dkim(ar, v, error_r) < 0 || auth_ar_spf(ar, &v->spf, error_r) < 0
	    || auth_ar_dmarc(ar, v, error_r) < 0 || auth_ar_adsp(ar, v, error_r) < 0
	    || auth_ar_arc(ar, v, error_r) < 0) {
		authres_free(ar);
		return NULL;
	}
	return ar;
}

/* ---- lines for people ------------------------------------------------- */

/* Message text made printable and free of spaces. */
static void put_word(struct buf *out, const char *value)
{
	const unsigned char *p;

	for (p = (const unsigned char *) value; *p; p++)
		buf_append_byte(out, *p < 0x20 || *p == 0x7f || *p == ' ' ? '_' : (char) *p);
}

/* " key=value", nothing for NULL. */
static void put(struct buf *out, const char *key, const char *value)
{
	if (value == NULL)
		return;
	buf_printf(out, " %s=", key);
	put_word(out, value);
}

/* " reason=\"...\"": a reason is prose, so spaces stay. */
static void put_reason(struct buf *out, const char *reason)
{
	const unsigned char *p;

	if (reason == NULL)
		return;
	buf_append_str(out, " reason=\"");
	for (p = (const unsigned char *) reason; *p; p++)
		buf_append_byte(out, *p < 0x20 || *p == 0x7f || *p == '"' ? '\'' : (char) *p);
	buf_append_byte(out, '"');
}

static void describe_dkim(const struct auth_verdict *v, struct buf *out)
{
	size_t	i;

	if (v->dkim.count == 0)
		buf_append_str(out, "dkim: none reason=\"no DKIM-Signature\"\n");
	for (i = 0; i < v->dkim.count; i++) {
		const struct dkim_sig_result *r = &v->dkim.sigs[i];

		buf_printf(out, "dkim: %s", dkim_result_str(r->result));
		put(out, "d", r->domain);
		put(out, "s", r->selector);
		put(out, "i", r->identity);
		buf_printf(out, " a=%s", dkim_algo_str(r->algo));
		if (r->key_bits > 0)
			buf_printf(out, " bits=%d", r->key_bits);
		if (r->testing)
			buf_append_str(out, " testing=y");
		if (r->body_length >= 0)
			buf_printf(out, " l=%lld of %lld", r->body_length, r->body_total);
		put_reason(out, r->reason);
		buf_append_byte(out, '\n');
	}
}

static void describe_spf(const struct auth_spf *s, struct buf *out)
{
	static const char *const sources[] = { "not-checked", "evaluated", "trusted" };

	buf_printf(out, "spf: %s", spf_result_str(s->result));
	put(out, "smtp.mailfrom", s->mailfrom);
	put(out, "smtp.helo", s->helo);
	put(out, "domain", s->domain);
	buf_printf(out, " source=%s", sources[s->source]);
	put(out, "upstream", s->upstream);
	put_reason(out, s->reason);
	buf_append_byte(out, '\n');
}

static const char *aligned_text(unsigned a)
{
	static const char *const names[] = { "none", "dkim", "spf", "dkim+spf" };

	return names[a & 3];
}

static const char *found_text(enum dmarc_found f)
{
	static const char *const names[] = { "none", "author", "org", "psd", "temperror" };

	return (size_t) f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

static void describe_dmarc_one(const struct auth_dmarc *a, int decisive,
			       struct buf *out)
{
	const struct dmarc_verdict *d = &a->v;
	const struct dmarc_record *r = &d->info.rec;
	int	have = d->info.found == DMARC_FOUND_AUTHOR
	    || d->info.found == DMARC_FOUND_ORG || d->info.found == DMARC_FOUND_PSD;

	buf_printf(out, "dmarc: %s", dmarc_result_str(d->result));
	put(out, "header.from", a->domain);
	buf_printf(out, " record=%s", found_text(d->info.found));
	put(out, "record-domain", d->info.record_domain);
	put(out, "org-domain", d->info.org_domain);
	if (have) {
		buf_printf(out, " p=%s", dmarc_policy_str(r->p));
		if (r->sp != DMARC_POLICY_UNSET)
			buf_printf(out, " sp=%s", dmarc_policy_str(r->sp));
		if (r->np != DMARC_POLICY_UNSET)
			buf_printf(out, " np=%s", dmarc_policy_str(r->np));
		if (r->pct_set)
			buf_printf(out, " pct=%u", r->pct);
		buf_printf(out, " adkim=%c aspf=%c", r->adkim_strict ? 's' : 'r',
			   r->aspf_strict ? 's' : 'r');
		if (r->t)
			buf_append_str(out, " t=y");
	}
	if (d->policy != DMARC_POLICY_UNSET)
		buf_printf(out, " policy=%s", dmarc_policy_str(d->policy));
	buf_printf(out, " disposition=%s aligned=%s",
		   d->disposition == DMARC_POLICY_UNSET ? "none"
		   : dmarc_policy_str(d->disposition), aligned_text(d->aligned));
	put(out, "aligned-dkim", d->aligned_dkim_domain);
	if (d->sampled_out)
		buf_append_str(out, " sampled-out=y");
	if (decisive)
		buf_append_str(out, " decisive=y");
	put_reason(out, d->reason);
	buf_append_byte(out, '\n');
}

static void describe_dmarc(const struct auth_verdict *v, struct buf *out)
{
	size_t	i;

	if (v->ndmarc == 0) {
		buf_printf(out, "dmarc: %s from=%s", v->from_status == DMARC_FROM_UNPARSABLE
			   || v->from_status == DMARC_FROM_MULTIPLE_DOMAINS
			   ? "permerror" : "none", dmarc_from_str(v->from_status));
		put_reason(out, v->from_reason);
		buf_append_byte(out, '\n');
		return;
	}
	for (i = 0; i < v->ndmarc; i++)
		describe_dmarc_one(&v->dmarc[i], v->ndmarc > 1 && i == v->decisive, out);
	if (v->from_status != DMARC_FROM_OK) {
		buf_printf(out, "from: %s", dmarc_from_str(v->from_status));
		if (v->authors_truncated)
			buf_append_str(out, " truncated=y");
		put_reason(out, v->from_reason);
		buf_append_byte(out, '\n');
	}
}

static void describe_arc(const struct arc_result *a, struct buf *out)
{
	size_t	i;

	buf_printf(out, "arc: %s sets=%d", arc_cv_str(a->cv), a->max_instance);
	if (a->cv == ARC_CV_PASS)
		buf_printf(out, " oldest-pass=%d", a->oldest_pass);
	if (a->fail_instance > 0)
		buf_printf(out, " instance=%d", a->fail_instance);
	for (i = 0; i < a->count; i++) {
		buf_printf(out, " i%d=", a->sets[i].instance);
		put_word(out, a->sets[i].as_domain != NULL ? a->sets[i].as_domain : "?");
	}
	put_reason(out, a->reason);
	if (a->detail != NULL) {
		buf_append_str(out, " detail=\"");
		buf_append_str(out, a->detail);
		buf_append_byte(out, '"');
	}
	buf_append_byte(out, '\n');
}

int auth_verdict_describe(const struct auth_verdict *v, struct buf *out)
{
	describe_dkim(v, out);
	describe_spf(&v->spf, out);
	describe_dmarc(v, out);
	if (v->adsp != AUTH_ADSP_NOT_CHECKED)
		buf_printf(out, "dkim-adsp: %s\n", auth_adsp_str(v->adsp));
	describe_arc(&v->arc, out);
	if (v->forged_authres > 0)
		buf_printf(out, "authres: %zu field%s claiming our authserv-id"
			   " (forged: removed before ours is added)\n",
			   v->forged_authres, v->forged_authres == 1 ? "" : "s");
	buf_printf(out, "dns: %u question%s%s\n", v->dns_queries,
		   v->dns_queries == 1 ? "" : "s",
		   v->dns_budget_spent ? ", allowance spent: results are partial" : "");
	return buf_failed(out) ? -1 : 0;
}
