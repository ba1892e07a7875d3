/*
 * NAME
 *	auth_check 3
 * SUMMARY
 *	authenticate one message: the order of the checks and how each
 *	result feeds the next
 * DESCRIPTION
 *	DKIM and SPF come first because DMARC is made of them; ADSP only
 *	matters where DMARC does not apply; ARC is independent and last.
 *	Every question goes through one struct auth_budget (auth_dns.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr/addr.h"
#include "auth/auth_int.h"
#include "sealist_limits.h"

void auth_opts_init(struct auth_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->dmarc_mode = DMARC_TREEWALK;
	o->now = time(NULL);
}

static char *auth_strdup_lower(const char *s)
{
	char   *d;
	size_t	i;

	if (s == NULL || (d = strdup(s)) == NULL)
		return NULL;
	for (i = 0; d[i]; i++)
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char) (d[i] + 32);
	return d;
}

/* The domain of an address (after the last '@'), or the text itself. */
static const char *auth_domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? at + 1 : addr;
}

/* ---- DKIM ------------------------------------------------------------ */

/* DKIM and ARC verify alike: keys through the budget, our clock. */
static void auth_verify_opts(const struct auth_opts *o, struct auth_budget *b,
			     struct dkim_verify_opts *vo)
{
	dkim_verify_opts_init(vo, auth_budget_txt, b);
	vo->now = o->now;
	vo->key_cache = o->key_cache;
	if (o->min_rsa_bits > 0)
		vo->min_rsa_bits = o->min_rsa_bits;
}

static int auth_dkim(const struct msg *m, const struct auth_opts *o,
		     struct auth_budget *b, struct auth_verdict *v)
{
	struct dkim_verify_opts vo;

	auth_verify_opts(o, b, &vo);
	return dkim_verify(m, &vo, &v->dkim);
}

/* ---- SPF ------------------------------------------------------------- */

static enum spf_result auth_spf_result(const char *text)
{
	enum spf_result r;

	for (r = SPF_NONE; r <= SPF_PERMERROR; r++)
		if (strcasecmp(text, spf_result_str(r)) == 0)
			return r;
	/* "policy" and unknown words: nothing DMARC may count as a pass */
	return SPF_NEUTRAL;
}

/*
 * DMARC's SPF identifier: the MAIL FROM domain, or the HELO name when
 * the reverse-path is null (RFC 7208 section 2.4, RFC 9989 4.4.2).
 */
static int auth_spf_domain(struct auth_spf *s)
{
	const char *from = s->mailfrom != NULL && *s->mailfrom ? s->mailfrom : NULL;

	if (from == NULL && s->helo == NULL)
		return 0;
	s->domain = auth_strdup_lower(from != NULL ? auth_domain_of(from) : s->helo);
	return s->domain != NULL ? 0 : -1;
}

static int auth_spf_evaluate(const struct auth_envelope *env,
			     const struct auth_opts *o, struct auth_budget *b,
			     struct auth_spf *s)
{
	struct spf_lookups table = auth_budget_spf(b);
	struct spf_query q;
	struct spf_verdict sv;

	memset(&q, 0, sizeof(q));
	if (spf_query_set_ip(&q, env->client_ip) < 0) {
		s->source = AUTH_SPF_NOT_CHECKED;
		s->reason = strdup("client address is not an IP address");
		return s->reason != NULL ? 0 : -1;
	}
	q.sender = env->mail_from;
	q.helo = env->helo;
	q.receiver = env->receiver;
	q.dns = &table;
	q.now = o->now;
	if (spf_check_host(&q, &sv) < 0) {
		spf_verdict_free(&sv);
		return -1;
	}
	s->source = AUTH_SPF_EVALUATED;
	s->result = sv.result;
	s->reason = sv.reason;
	sv.reason = NULL;
	spf_verdict_free(&sv);
	if (env->mail_from != NULL && *env->mail_from
	    && (s->mailfrom = strdup(env->mail_from)) == NULL)
		return -1;
	if (env->helo != NULL && (s->helo = strdup(env->helo)) == NULL)
		return -1;
	return auth_spf_domain(s);
}

static int auth_spf_trusted(const struct msg *m, const struct auth_opts *o,
			    struct auth_spf *s)
{
	struct authres_spf t;
	int	rc;

	memset(&t, 0, sizeof(t));
	rc = authres_trusted_spf(m, o->trusted_ids, o->ntrusted, &t);
	if (rc <= 0)
		return rc;
	s->source = AUTH_SPF_TRUSTED;
	s->result = auth_spf_result(t.result);
	s->upstream = t.authserv_id;
	s->mailfrom = t.mailfrom;
	s->helo = t.helo;
	t.authserv_id = t.mailfrom = t.helo = NULL;
	authres_spf_free(&t);
	return auth_spf_domain(s) < 0 ? -1 : 1;
}

static int auth_spf(const struct msg *m, const struct auth_envelope *env,
		    const struct auth_opts *o, struct auth_budget *b,
		    struct auth_spf *s)
{
	int	rc;

	if (env != NULL && env->client_ip != NULL && *env->client_ip)
		return auth_spf_evaluate(env, o, b, s);
	if (o->ntrusted > 0 && (rc = auth_spf_trusted(m, o, s)) != 0)
		return rc < 0 ? -1 : 0;
	s->source = AUTH_SPF_NOT_CHECKED;
	s->result = SPF_NONE;
	s->reason = strdup("no client address and no trusted Authentication-Results");
	return s->reason != NULL ? 0 : -1;
}

/* ---- author domains -------------------------------------------------- */

static int auth_add_domain(char ***list, size_t *n, const char *domain)
{
	size_t	i;
	char  **grown;

	for (i = 0; i < *n; i++)
		if (strcmp((*list)[i], domain) == 0)
			return 0;
	if ((grown = realloc(*list, (*n + 1) * sizeof(**list))) == NULL)
		return -1;
	*list = grown;
	if ((grown[*n] = auth_strdup_lower(domain)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

/*
 * Every distinct domain named in the From fields, in order, when there
 * is more than one (section 11.5).  Domain literals and U-labels cannot
 * be looked up and are skipped.
 */
static int auth_all_author_domains(const struct msg *m, char ***list,
				   size_t *n)
{
	long	i;
	size_t	k;

	for (i = msg_find(m, "From", 0); i >= 0; i = msg_find(m, "From", (size_t) i + 1)) {
		const struct msg_field *f = msg_field(m, (size_t) i);
		struct addr_list al;

		if (addr_parse_list(f->value, f->value_len, &al, NULL) < 0)
			continue;
		for (k = 0; k < al.count; k++) {
			const char *d = al.items[k].domain;

			if (d[0] == '[' || !dns_name_valid(d))
				continue;
			if (auth_add_domain(list, n, d) < 0) {
				addr_list_free(&al);
				return -1;
			}
		}
		addr_list_free(&al);
	}
	return 0;
}

/*
 * The author domains to evaluate: the one domain, or with several
 * domains every one of them; none when the From fields name no domain
 * we can look up.  v->from_status and from_reason say which case it was.
 */
static int auth_author_domains(const struct msg *m, struct auth_verdict *v,
			       char ***list, size_t *n)
{
	char   *one = NULL;
	int	st, rc = 0;

	*list = NULL;
	*n = 0;
	if ((st = dmarc_author_domain(m, &one, &v->from_reason)) < 0)
		return -1;
	v->from_status = (enum dmarc_from) st;
	if (one != NULL)
		rc = auth_add_domain(list, n, one);
	else if (st == DMARC_FROM_MULTIPLE_DOMAINS)
		rc = auth_all_author_domains(m, list, n);
	free(one);
	return rc;
}

/* ---- DMARC ----------------------------------------------------------- */

static int auth_dmarc_one(const struct dmarc_lookup *lk,
			  const struct auth_verdict *v, const char *domain,
			  const struct auth_opts *o, struct auth_dmarc *out)
{
	struct dmarc_dkim_result dk[LIMIT_DMARC_DKIM];
	struct dmarc_input in;
	size_t	i, n = 0;

	for (i = 0; i < v->dkim.count && n < LIMIT_DMARC_DKIM; i++) {
		const struct dkim_sig_result *r = &v->dkim.sigs[i];

		if (r->domain == NULL)
			continue;
		dk[n].domain = r->domain;
		dk[n].result = r->result == DKIM_PASS ? DMARC_AUTH_PASS
		    : DMARC_AUTH_FAIL;
		n++;
	}
	memset(&in, 0, sizeof(in));
	in.author_domain = domain;
	in.dkim = dk;
	in.dkim_count = n;
	in.spf = v->spf.source == AUTH_SPF_NOT_CHECKED ? DMARC_AUTH_NONE
	    : v->spf.result == SPF_PASS ? DMARC_AUTH_PASS : DMARC_AUTH_FAIL;
	in.spf_domain = v->spf.domain;
	in.mode = o->dmarc_mode;
	if ((out->domain = strdup(domain)) == NULL)
		return -1;
	return dmarc_evaluate(lk, &in, &out->v);
}

static int auth_strictness(const struct dmarc_verdict *d)
{
	switch (d->disposition) {
	case DMARC_POLICY_REJECT:
		return 3;
	case DMARC_POLICY_QUARANTINE:
		return 2;
	default:
		return 1;
	}
}

/*
 * Which result speaks for the message: the failing domain with the
 * strictest disposition; with no failure a temperror (the check is
 * incomplete); else the first.
 */
static size_t auth_decisive(const struct auth_verdict *v)
{
	size_t	i, best = 0;
	int	have_fail = 0, have_temp = 0;

	for (i = 0; i < v->ndmarc; i++) {
		const struct dmarc_verdict *d = &v->dmarc[i].v;

		if (d->result == DMARC_RESULT_FAIL) {
			if (!have_fail || auth_strictness(d) > auth_strictness(&v->dmarc[best].v))
				best = i;
			have_fail = 1;
		} else if (d->result == DMARC_RESULT_TEMPERROR && !have_fail && !have_temp) {
			best = i;
			have_temp = 1;
		}
	}
	return best;
}

static int auth_dmarc(const struct msg *m, const struct auth_opts *o,
		      const struct dmarc_lookup *lk, struct auth_verdict *v)
{
	char  **domains;
	size_t	n, i, use;
	int	rc;

	rc = auth_author_domains(m, v, &domains, &n);
	use = n;
	if (use > LIMIT_AUTH_AUTHOR_DOMAINS) {
		v->authors_truncated = 1;
		use = LIMIT_AUTH_AUTHOR_DOMAINS;
	}
	if (rc == 0 && use > 0 && (v->dmarc = calloc(use, sizeof(*v->dmarc))) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < use; i++) {
		v->ndmarc = i + 1;
		rc = auth_dmarc_one(lk, v, domains[i], o, &v->dmarc[i]);
	}
	if (rc == 0 && v->ndmarc > 0)
		v->decisive = auth_decisive(v);
	for (i = 0; i < n; i++)
		free(domains[i]);
	free(domains);
	return rc;
}

/* ---- ADSP (RFC 5617) -------------------------------------------------- */

/* A valid Author Domain Signature: a passing one with d= the author's. */
static int auth_has_ads(const struct auth_verdict *v, const char *author)
{
	size_t	i;

	for (i = 0; i < v->dkim.count; i++)
		if (v->dkim.sigs[i].result == DKIM_PASS && v->dkim.sigs[i].domain != NULL
		    && strcasecmp(v->dkim.sigs[i].domain, author) == 0)
			return 1;
	return 0;
}

/*
 * Only for a single author domain without a usable DMARC record: the
 * record is looked up first (section 4.3), then the practice is held
 * against the signatures (section 5.4's results).
 */
static void auth_adsp(const struct dmarc_lookup *lk, struct auth_verdict *v)
{
	const struct auth_dmarc *d;
	int	ads;

	if (v->ndmarc != 1)
		return;
	d = &v->dmarc[0];
	if (d->v.info.found != DMARC_FOUND_NONE)
		return;
	ads = auth_has_ads(v, d->domain);
	switch (dmarc_adsp(lk, d->domain, NULL)) {
	case DMARC_ADSP_NONE:
		v->adsp = AUTH_ADSP_NONE;
		break;
	case DMARC_ADSP_UNKNOWN:
		v->adsp = ads ? AUTH_ADSP_PASS : AUTH_ADSP_UNKNOWN;
		break;
	case DMARC_ADSP_ALL:
		v->adsp = ads ? AUTH_ADSP_PASS : AUTH_ADSP_FAIL;
		break;
	case DMARC_ADSP_DISCARDABLE:
		v->adsp = ads ? AUTH_ADSP_PASS : AUTH_ADSP_DISCARD;
		break;
	case DMARC_ADSP_NXDOMAIN:
		v->adsp = AUTH_ADSP_NXDOMAIN;
		break;
	case DMARC_ADSP_TEMPERROR:
		v->adsp = AUTH_ADSP_TEMPERROR;
		break;
	case DMARC_ADSP_PERMERROR:
		v->adsp = AUTH_ADSP_PERMERROR;
		break;
	}
}

const char *auth_adsp_str(enum auth_adsp_result r)
{
	static const char *const names[] = {
		"not checked", "none", "pass", "unknown", "fail", "discard",
		"nxdomain", "temperror", "permerror",
	};

	return (size_t) r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

/* ---- ARC -------------------------------------------------------------- */

static int auth_arc(const struct msg *m, const struct auth_opts *o,
		    struct auth_budget *b, struct auth_verdict *v)
{
	struct dkim_verify_opts vo;

	auth_verify_opts(o, b, &vo);
	return arc_validate(m, &vo, &v->arc);
}

/* ---- the whole check --------------------------------------------------- */

static void auth_verdict_init(struct auth_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->spf.result = SPF_NONE;
	v->from_status = DMARC_FROM_NONE;
	v->from_reason = "not checked";
	v->arc.cv = ARC_CV_NONE;
	v->arc.oldest_pass = -1;
}

int auth_check(const struct msg *m, const struct auth_envelope *env,
	       const struct auth_opts *o, struct auth_verdict *v,
	       const char **error_r)
{
	struct auth_budget b;
	struct dmarc_lookup lk;

	auth_verdict_init(v);
	if (o->resolver == NULL || o->authserv_id == NULL) {
		*error_r = "auth_check needs a resolver and an authserv-id";
		return -1;
	}
	if (env != NULL && env->client_ip != NULL
	    && (v->client_ip = strdup(env->client_ip)) == NULL)
		goto nomem;
	auth_budget_init(&b, o->resolver, o->dns_budget_ms);
	lk = auth_budget_dmarc(&b);
	v->forged_authres = authres_find_ours(m, o->authserv_id, NULL, 0);
	if (auth_dkim(m, o, &b, v) < 0
	    || auth_spf(m, env, o, &b, &v->spf) < 0
	    || auth_dmarc(m, o, &lk, v) < 0)
		goto nomem;
	auth_adsp(&lk, v);
	if (auth_arc(m, o, &b, v) < 0)
		goto nomem;
	v->dns_queries = b.queries;
	v->dns_budget_spent = b.spent;
	return 0;
nomem:
	*error_r = "out of memory";
	return -1;
}

const struct auth_dmarc *auth_dmarc_decisive(const struct auth_verdict *v)
{
	return v->ndmarc > 0 ? &v->dmarc[v->decisive] : NULL;
}

void auth_verdict_free(struct auth_verdict *v)
{
	size_t	i;

	dkim_verify_result_free(&v->dkim);
	free(v->spf.mailfrom);
	free(v->spf.helo);
	free(v->spf.domain);
	free(v->spf.reason);
	free(v->spf.upstream);
	for (i = 0; i < v->ndmarc; i++) {
		free(v->dmarc[i].domain);
		dmarc_verdict_free(&v->dmarc[i].v);
	}
	free(v->dmarc);
	arc_result_free(&v->arc);
	free(v->client_ip);
	auth_verdict_init(v);
}
