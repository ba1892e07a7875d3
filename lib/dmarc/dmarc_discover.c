/*
 * NAME
 *	dmarc_discover 3
 * SUMMARY
 *	DMARC policy discovery and organizational domains: the RFC 9989
 *	DNS tree walk and the RFC 7489 public suffix list
 * DESCRIPTION
 *	Tree walk (RFC 9989 section 4.10): the names asked are the domain
 *	itself, then -- if it has eight labels or more -- its last seven
 *	labels, then one label fewer each time down to the top-level
 *	domain: at most LIMIT_DMARC_TREEWALK queries.  At each name the TXT
 *	records not starting with v=DMARC1 are dropped; more than one DMARC
 *	record there counts as none (step 2); the walk stops at a single
 *	record with psd=y or psd=n.  The organizational domain is chosen
 *	from the records found as section 4.10.2 says (psd=n: that name;
 *	psd=y above the start: one label below it; else the record with the
 *	fewest labels; no record: the domain itself).
 *
 *	Policy record (section 4.10.1): the author domain's own; else the
 *	organizational domain's; else the PSD's.  Discovery walks the whole
 *	tree once, since the organizational domain is needed for relaxed
 *	alignment anyway; a temporary DNS failure after the policy record
 *	was found leaves org_domain NULL instead of failing discovery, so
 *	a message whose alignment does not need it (strict, or identical
 *	domains) still gets a verdict.
 *
 *	RFC 7489 mode: the organizational domain is libpsl's registrable
 *	domain (the domain itself when it is a public suffix); the author
 *	domain is asked first, then the organizational domain (section
 *	6.6.3).  libpsl's list comes from the system (psl_latest) or, when
 *	that cannot be read, the one built into the library.
 */
#include <libpsl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc.h"
#include "dmarc/dmarc_int.h"
#include "sealist_limits.h"

/* ---- names ---- */

/*
 * Copy name into out (LIMIT_DOMAIN + 1 octets), lowercased, one trailing
 * dot removed; 0 if it is not a host name we can ask: empty labels,
 * labels over 63, more than 253 octets, octets other than letters,
 * digits, '-' and '_' (U-labels must be A-labels by now, RFC 9989
 * section 5.3.1).
 */
int dmarc_name_norm(const char *name, char *out)
{
	size_t	len, i, label = 0;

	if (name == NULL)
		return 0;
	len = strnlen(name, LIMIT_DOMAIN + 1);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		char	c = name[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   c == '-' || c == '_') {
			label++;
		} else if (c >= 'A' && c <= 'Z') {
			c = (char) (c - 'A' + 'a');
			label++;
		} else {
			return 0;
		}
		if (label > 63)
			return 0;
		out[i] = c;
	}
	if (label == 0)
		return 0;
	out[len] = '\0';
	return 1;
}

/* Offsets of the label starts of d, left to right; returns the count. */
static size_t label_starts(const char *d, size_t *starts, size_t max)
{
	size_t	n = 0, i;

	for (i = 0; d[i] != '\0'; i++)
		if ((i == 0 || d[i - 1] == '.') && n < max)
			starts[n++] = i;
	return n;
}

/* a is b or a subdomain of b */
int dmarc_name_within(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b);

	if (la == lb)
		return strcmp(a, b) == 0;
	return la > lb && a[la - lb - 1] == '.' && strcmp(a + la - lb, b) == 0;
}

/* ---- one DMARC query ---- */

/*
 * Ask _dmarc.<domain>.  Returns Q_FOUND with *rec filled, Q_NONE (no
 * record, or several: *several set), Q_TEMP, or Q_NOMEM.
 */
int dmarc_query(const struct dmarc_lookup *lk, const char *domain,
		struct dmarc_record *rec, int *several, unsigned *queries)
{
	char	qname[LIMIT_DOMAIN + 16];
	struct dmarc_txt *txt = NULL;
	size_t	count = 0, i, found = 0;
	enum dmarc_dns st;
	size_t	dlen = strlen(domain);

	*several = 0;
	memset(rec, 0, sizeof(*rec));
	if (dlen + 7 >= sizeof(qname) || dlen + 7 > 253)
		return Q_NONE;	/* cannot exist in the DNS */
	memcpy(qname, "_dmarc.", 7);
	memcpy(qname + 7, domain, dlen + 1);
	if (queries != NULL)
		(*queries)++;
	st = lk->txt(lk->ctx, qname, &txt, &count);
	if (st == DMARC_DNS_TEMP)
		return Q_TEMP;
	if (st != DMARC_DNS_OK) {
		dmarc_txt_free(txt, count);
		return Q_NONE;
	}
	for (i = 0; i < count && i < LIMIT_DMARC_TXT; i++) {
		struct dmarc_record r;
		int	rc = dmarc_record_parse(txt[i].data, txt[i].len, &r, NULL);

		if (rc < 0 && txt[i].len <= LIMIT_DMARC_RECORD) {
			dmarc_txt_free(txt, count);
			dmarc_record_free(rec);
			return Q_NOMEM;
		}
		if (rc != 1)
			continue;	/* not DMARC, or too long to be ours */
		if (++found == 1)
			*rec = r;
		else
			dmarc_record_free(&r);
	}
	dmarc_txt_free(txt, count);
	if (found == 1)
		return Q_FOUND;
	dmarc_record_free(rec);
	if (found > 1)
		*several = 1;
	return Q_NONE;
}

/* ---- tree walk ---- */

void dmarc_walk_free(struct dmarc_walk *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		dmarc_record_free(&w->hit[i].rec);
	w->n = 0;
}

/*
 * Walk from domain (normalized).  Fills w; returns 0, or -1 on no
 * memory.  w->temp is set when a query failed temporarily (the walk
 * stops there).
 */
int dmarc_walk(const struct dmarc_lookup *lk, const char *domain,
	       struct dmarc_walk *w)
{
	size_t	starts[128];
	size_t	x = label_starts(domain, starts, 128);
	size_t	labels = x;	/* labels in the current target */

	memset(w, 0, sizeof(*w));
	w->domain = domain;
	while (labels >= 1 && w->asked < LIMIT_DMARC_TREEWALK) {
		const char *target = domain + starts[x - labels];
		struct dmarc_walk_hit *h = &w->hit[w->n];
		int	several;
		int	rc = dmarc_query(lk, target, &h->rec, &several,
					 &w->queries);

		w->asked++;
		if (rc == Q_NOMEM)
			return -1;
		if (rc == Q_TEMP) {
			w->temp = 1;
			return 0;
		}
		if (several && labels == x)
			w->start_several = 1;
		if (rc == Q_FOUND) {
			h->name = target;
			h->labels = labels;
			w->n++;
			if (h->rec.psd != DMARC_PSD_U)
				return 0;	/* steps 2 and 6: stop */
		}
		/* step 4: a long name is cut to seven labels at once */
		if (labels == x && x >= 8)
			labels = 7;
		else
			labels--;
	}
	return 0;
}

/*
 * Section 4.10.2: the organizational domain from a walk's records, as a
 * pointer into w->domain.  *hit_r gets the record at that name or NULL.
 */
const char *dmarc_walk_org(const struct dmarc_walk *w,
			   const struct dmarc_walk_hit **hit_r)
{
	size_t	starts[128];
	size_t	x = label_starts(w->domain, starts, 128);
	size_t	i;

	*hit_r = NULL;
	for (i = 0; i < w->n; i++) {
		const struct dmarc_walk_hit *h = &w->hit[i];

		if (h->rec.psd == DMARC_PSD_N) {
			*hit_r = h;
			return h->name;
		}
		if (h->rec.psd == DMARC_PSD_Y && h->labels != x) {
			const char *org = w->domain + starts[x - h->labels - 1];
			size_t	j;

			for (j = 0; j < w->n; j++)
				if (w->hit[j].labels == h->labels + 1)
					*hit_r = &w->hit[j];
			return org;
		}
	}
	if (w->n > 0) {
		*hit_r = &w->hit[w->n - 1];
		return w->hit[w->n - 1].name;
	}
	return w->domain;
}

/* ---- public suffix list ---- */

static pthread_once_t psl_once = PTHREAD_ONCE_INIT;
static const psl_ctx_t *psl_ctx;

static void psl_load(void)
{
	psl_ctx_t *latest = psl_latest(NULL);

	psl_ctx = latest != NULL ? latest : psl_builtin();
}

/* Registrable domain of d (normalized), or d itself; points into d. */
const char *dmarc_psl_org(const char *d)
{
	const char *r;

	pthread_once(&psl_once, psl_load);
	if (psl_ctx == NULL)
		return d;
	r = psl_registrable_domain(psl_ctx, d);
	return r != NULL ? r : d;
}

/* ---- public functions ---- */

int dmarc_org_domain(const struct dmarc_lookup *lk, const char *domain,
		     enum dmarc_mode mode, char **org_r, unsigned *queries)
{
	char	d[LIMIT_DOMAIN + 1];
	struct dmarc_walk w;
	const struct dmarc_walk_hit *hit;

	*org_r = NULL;
	if (!dmarc_name_norm(domain, d))
		return -1;
	if (mode == DMARC_PSL) {
		*org_r = strdup(dmarc_psl_org(d));
		return *org_r != NULL ? 0 : -1;
	}
	if (dmarc_walk(lk, d, &w) < 0) {
		dmarc_walk_free(&w);
		return -1;
	}
	if (queries != NULL)
		*queries += w.queries;
	if (w.temp) {
		dmarc_walk_free(&w);
		return 1;
	}
	*org_r = strdup(dmarc_walk_org(&w, &hit));
	dmarc_walk_free(&w);
	return *org_r != NULL ? 0 : -1;
}

void dmarc_policy_info_free(struct dmarc_policy_info *info)
{
	if (info == NULL)
		return;
	dmarc_record_free(&info->rec);
	free(info->record_domain);
	free(info->org_domain);
	memset(info, 0, sizeof(*info));
	info->author_exists = -1;
}

/* Take rec (moved) as the policy record found at name. */
static int adopt(struct dmarc_policy_info *out, enum dmarc_found found,
		 struct dmarc_record *rec, const char *name)
{
	out->found = found;
	out->rec = *rec;
	memset(rec, 0, sizeof(*rec));
	out->record_domain = strdup(name);
	return out->record_domain != NULL ? 0 : -1;
}

/*
 * Section 4.10.1: which of p, sp, np applies, after the usability rule.
 * Returns 0, or 1 on a temporary failure of the existence check.
 */
static int choose_policy(const struct dmarc_lookup *lk, const char *author,
			 struct dmarc_policy_info *out)
{
	const struct dmarc_record *r = &out->rec;

	if (!dmarc_record_usable(r)) {
		out->found = DMARC_FOUND_NONE;
		out->reason = "record has no valid p= (or an invalid sp=/np=) "
			"and no valid rua=: DMARC does not apply";
		return 0;
	}
	if (r->invalid & (DMARC_BAD_P | DMARC_BAD_SP | DMARC_BAD_NP) ||
	    r->p == DMARC_POLICY_UNSET) {
		out->forced_none = 1;
		out->policy = DMARC_POLICY_NONE;
		return 0;
	}
	if (out->found == DMARC_FOUND_AUTHOR) {
		out->policy = r->p;
		return 0;
	}
	if (r->np != DMARC_POLICY_UNSET) {
		enum dmarc_dns st;

		out->queries++;
		st = lk->exists(lk->ctx, author);
		if (st == DMARC_DNS_TEMP)
			return 1;
		out->author_exists = st != DMARC_DNS_NXDOMAIN;
		if (!out->author_exists) {
			out->policy = r->np;
			return 0;
		}
	}
	out->policy = r->sp != DMARC_POLICY_UNSET ? r->sp : r->p;
	return 0;
}

static int discover_psl(const struct dmarc_lookup *lk, const char *author,
			struct dmarc_policy_info *out)
{
	struct dmarc_record rec;
	const char *org = dmarc_psl_org(author);
	int	several, rc;

	if ((out->org_domain = strdup(org)) == NULL)
		return -1;
	rc = dmarc_query(lk, author, &rec, &several, &out->queries);
	if (rc == Q_FOUND)
		return adopt(out, DMARC_FOUND_AUTHOR, &rec, author);
	if (rc == Q_TEMP || rc == Q_NOMEM) {
		out->found = DMARC_FOUND_TEMPERROR;
		out->reason = "DNS error looking up the author domain's record";
		return rc == Q_NOMEM ? -1 : 0;
	}
	if (several)
		out->reason = "several DMARC records at the author domain";
	if (strcmp(org, author) == 0)
		return 0;
	rc = dmarc_query(lk, org, &rec, &several, &out->queries);
	if (rc == Q_FOUND)
		return adopt(out, DMARC_FOUND_ORG, &rec, org);
	if (rc == Q_TEMP || rc == Q_NOMEM) {
		out->found = DMARC_FOUND_TEMPERROR;
		out->reason = "DNS error looking up the organizational record";
		return rc == Q_NOMEM ? -1 : 0;
	}
	if (several)
		out->reason = "several DMARC records at the organizational domain";
	return 0;
}

static int discover_walk(const struct dmarc_lookup *lk, const char *author,
			 struct dmarc_policy_info *out)
{
	struct dmarc_walk w;
	const struct dmarc_walk_hit *hit;
	const char *org;
	int	rc = 0;

	if (dmarc_walk(lk, author, &w) < 0) {
		dmarc_walk_free(&w);
		return -1;
	}
	out->queries += w.queries;
	if (w.n > 0 && w.hit[0].name == author) {
		/* the author domain's own record */
		if (!w.temp) {
			org = dmarc_walk_org(&w, &hit);
			if ((out->org_domain = strdup(org)) == NULL)
				rc = -1;
		}
		if (rc == 0)
			rc = adopt(out, DMARC_FOUND_AUTHOR, &w.hit[0].rec,
				   w.hit[0].name);
		dmarc_walk_free(&w);
		return rc;
	}
	if (w.temp) {
		out->found = DMARC_FOUND_TEMPERROR;
		out->reason = "DNS error during the tree walk";
		dmarc_walk_free(&w);
		return 0;
	}
	if (w.start_several)
		out->reason = "several DMARC records at the author domain";
	org = dmarc_walk_org(&w, &hit);
	if ((out->org_domain = strdup(org)) == NULL) {
		dmarc_walk_free(&w);
		return -1;
	}
	if (hit != NULL) {
		struct dmarc_walk_hit *h = &w.hit[hit - w.hit];

		rc = adopt(out, DMARC_FOUND_ORG, &h->rec, h->name);
	} else if (w.n > 0) {
		/* psd=y and no record at the organizational domain */
		struct dmarc_walk_hit *psd = &w.hit[w.n - 1];

		rc = adopt(out, DMARC_FOUND_PSD, &psd->rec, psd->name);
	}
	dmarc_walk_free(&w);
	return rc;
}

int dmarc_discover(const struct dmarc_lookup *lk, const char *author_domain,
		   enum dmarc_mode mode, struct dmarc_policy_info *out)
{
	char	author[LIMIT_DOMAIN + 1];
	int	rc;

	memset(out, 0, sizeof(*out));
	out->author_exists = -1;
	out->reason = "no DMARC record";
	if (!dmarc_name_norm(author_domain, author)) {
		out->reason = "author domain is not a valid host name";
		return -1;
	}
	rc = mode == DMARC_PSL ? discover_psl(lk, author, out)
		: discover_walk(lk, author, out);
	if (rc < 0) {
		dmarc_policy_info_free(out);
		out->reason = "out of memory";
		return -1;
	}
	if (out->found == DMARC_FOUND_AUTHOR || out->found == DMARC_FOUND_ORG ||
	    out->found == DMARC_FOUND_PSD) {
		out->reason = out->found == DMARC_FOUND_AUTHOR ?
			"record at the author domain" :
			out->found == DMARC_FOUND_ORG ?
			"record at the organizational domain" :
			"record at the public suffix domain";
		if (choose_policy(lk, author, out)) {
			out->found = DMARC_FOUND_TEMPERROR;
			out->reason = "DNS error checking whether the author "
				"domain exists (np=)";
		}
	}
	return 0;
}
