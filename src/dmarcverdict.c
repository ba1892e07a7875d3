/*
 * NAME
 *	dmarcverdict 3
 * SUMMARY
 *	outbound_ips into address blocks; the DMARC report verdict in words
 * DESCRIPTION
 *	See dmarcverdict.h.  The verdict judges the list server's own
 *	sources (those in outbound_ips) apart from the rest, because they
 *	mean different things: a failure of ours is ours to fix, one of a
 *	stranger is mostly the policy doing its job.  For our sources a DKIM
 *	failure counts even where DMARC passed on SPF: a list server's mail
 *	is forwarded by its readers, SPF does not survive that, and only an
 *	intact aligned signature does.  The likely cause is read from the
 *	pattern of the verdicts (RFC 7489 section 7.2 / RFC 9990: the
 *	receiver's policy_evaluated dkim and spf are aligned results):
 *	  - DKIM fails at one receiver and passes at the others: the key is
 *	    published and right, the message changed on the way there;
 *	  - DKIM fails, SPF passes: the signature broke in transit, or the
 *	    key is not published or does not match: `sealist key check`;
 *	  - both fail: no matching DKIM record, and SPF does not list us.
 *	Where the days of the failures are given, each of our problem rows
 *	says on which day (or how many days, and the worst).  Org names are
 *	the reports' own; the page escapes them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dmarcverdict.h"

/* The org names one sentence joins at most ("and N more" after them). */
#define DV_ORGS_MAX	8
/* The list server's problem rows told one by one at most. */
#define DV_PROBLEMS_MAX	6

size_t dmarcverdict_nets(const char *v, struct web_net *nets, size_t max, size_t *n_r)
{
	size_t	len, n = 0, over = 0;

	while (v != NULL && *v) {
		v += strspn(v, " \t,");
		if ((len = strcspn(v, " \t,")) == 0)
			break;
		if (n == max)
			over++;
		else if (web_net_parse(v, len, &nets[n]) == 0)
			n++;
		v += len;
	}
	*n_r = n;
	return over;
}

static int dv_ours(const struct dmarcverdict_in *in, const struct store_dmarcrep_row *w)
{
	return web_net_match(in->nets, in->nnets, w->source_ip);
}

static long long dv_fail(long long messages, long long pass)
{
	return messages > pass ? messages - pass : 0;
}

/* Does row w say something is wrong with our mail (DKIM or DMARC failed)? */
static int dv_problem(const struct store_dmarcrep_row *w)
{
	return dv_fail(w->messages, w->dkim_pass) > 0 || dv_fail(w->messages, w->dmarc_pass) > 0;
}

static int dv_org_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *) a, *y = *(const char *const *) b;
	int	c = strcasecmp(x, y);

	return c != 0 ? c : strcmp(x, y);
}

/*
 * The orgs of the rows that pick(in, row, arg) keeps, by name, joined
 * readably: "A", "A and B", "A, B and C", "A, B, ... and 3 more".
 */
static void dv_orgs(const struct dmarcverdict_in *in,
		    int (*pick)(const struct dmarcverdict_in *, const struct store_dmarcrep_row *,
				const void *), const void *arg, struct buf *out)
{
	const char *org[DV_ORGS_MAX];
	size_t	i, j, n = 0, more = 0;

	for (i = 0; i < in->nrows; i++) {
		if (!pick(in, &in->rows[i], arg))
			continue;
		for (j = 0; j < n && strcmp(org[j], in->rows[i].org) != 0; j++)
			;
		if (j < n)
			continue;
		if (n < DV_ORGS_MAX)
			org[n++] = in->rows[i].org;
		else
			more++;	/* may count a name twice: only said as "more" */
	}
	qsort(org, n, sizeof(org[0]), dv_org_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_append_str(out, i + 1 == n && more == 0 ? " and " : ", ");
		buf_append_str(out, org[i]);
	}
	if (more > 0)
		buf_printf(out, " and %zu more", more);
}

static int dv_pick_ours(const struct dmarcverdict_in *in, const struct store_dmarcrep_row *w,
			const void *arg)
{
	(void) arg;
	return w->messages > 0 && dv_ours(in, w);
}

/* Our rows of IP arg other than the org of the problem row, where DKIM passed. */
static int dv_pick_clean(const struct dmarcverdict_in *in, const struct store_dmarcrep_row *w,
			 const void *arg)
{
	const struct store_dmarcrep_row *p = arg;

	(void) in;
	return w->messages > 0 && strcmp(w->source_ip, p->source_ip) == 0
	    && strcmp(w->org, p->org) != 0 && w->dkim_pass == w->messages;
}

/* Rows not of the list server (all of them without outbound_ips). */
static int dv_pick_others(const struct dmarcverdict_in *in, const struct store_dmarcrep_row *w,
			  const void *arg)
{
	(void) arg;
	return w->messages > 0 && (in->nnets == 0 || !dv_ours(in, w));
}

/* Totals over the rows that are (ours 1) or are not (ours 0) the list server's. */
struct dv_sum {
	long long messages, dmarc_fail, dkim_fail;
	size_t	sources, failing;
	const struct store_dmarcrep_row *worst;	/* the most DMARC failures */
};

/* Is row i in the group (ours or not; everything without outbound_ips)? */
static int dv_in_group(const struct dmarcverdict_in *in, size_t i, int ours)
{
	return in->nnets == 0 || dv_ours(in, &in->rows[i]) == ours;
}

/* Does an earlier row of the group with DMARC failures (failing 1) or any
   (failing 0) have the IP of row i?  Sources are counted by address. */
static int dv_seen(const struct dmarcverdict_in *in, size_t i, int ours, int failing)
{
	size_t	j;

	for (j = 0; j < i; j++)
		if (dv_in_group(in, j, ours) && strcmp(in->rows[j].source_ip, in->rows[i].source_ip)
		    == 0 && (!failing || in->rows[j].dmarc_pass < in->rows[j].messages))
			return 1;
	return 0;
}

static void dv_sum(const struct dmarcverdict_in *in, int ours, struct dv_sum *s)
{
	const struct store_dmarcrep_row *w;
	long long f;
	size_t	i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < in->nrows; i++) {
		w = &in->rows[i];
		if (!dv_in_group(in, i, ours))
			continue;
		s->messages += w->messages;
		s->dkim_fail += dv_fail(w->messages, w->dkim_pass);
		f = dv_fail(w->messages, w->dmarc_pass);
		s->dmarc_fail += f;
		s->sources += !dv_seen(in, i, ours, 0);
		if (f > 0) {
			s->failing += !dv_seen(in, i, ours, 1);
			if (s->worst == NULL || f > dv_fail(s->worst->messages, s->worst->dmarc_pass))
				s->worst = w;
		}
	}
}

static const char *dv_s(long long n)
{
	return n == 1 ? "" : "s";
}

static void dv_no_reports(const struct dmarcverdict_in *in, struct buf *out)
{
	buf_printf(out, "No DMARC aggregate reports about %s arrived %s.\n", in->domain,
		   in->period);
	buf_printf(out, "Receivers send them to the addresses in the rua= tag of the DMARC "
		   "record at _dmarc.%s; for sealist to receive them, add "
		   "mailto:%s@%s to it (dmarc_report_address in sealist.conf).\n", in->domain,
		   in->report_address, in->domain);
}

/* The failing messages of a row or a day: DMARC's, or DKIM's if DMARC passed. */
static long long dv_failed(long long messages, long long dmarc_pass, long long dkim_pass,
			   int dmarc)
{
	return dmarc ? dv_fail(messages, dmarc_pass) : dv_fail(messages, dkim_pass);
}

/* "It happened on 2026-11-04." or "... on 3 days, the most on DATE (12)." */
static void dv_days(const struct dmarcverdict_in *in, const struct store_dmarcrep_row *p,
		    struct buf *out)
{
	const struct store_dmarcweb_failday *f, *worst = NULL;
	int	dmarc = dv_fail(p->messages, p->dmarc_pass) > 0;
	long long n, most = 0;
	size_t	i, days = 0;
	char	date[16];
	time_t	t;
	struct tm tm;

	for (i = 0; i < in->nfaildays; i++) {
		f = &in->faildays[i];
		if (strcmp(f->org, p->org) != 0 || strcmp(f->source_ip, p->source_ip) != 0
		    || (n = dv_failed(f->messages, f->dmarc_pass, f->dkim_pass, dmarc)) == 0)
			continue;
		days++;
		if (n > most || (n == most && f->day < worst->day))
			most = n, worst = f;
	}
	t = worst != NULL ? (time_t) (worst->day * 86400) : 0;
	if (worst == NULL || gmtime_r(&t, &tm) == NULL
	    || strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
		return;
	if (days == 1)
		buf_printf(out, " It happened on %s.", date);
	else
		buf_printf(out, " It happened on %zu days, the most on %s (%lld).", days, date, most);
}

/* The likely cause of the problem row p of ours. */
static void dv_cause(const struct dmarcverdict_in *in, const struct store_dmarcrep_row *p,
		     struct buf *out)
{
	struct buf clean;
	long long dkim_fail = dv_fail(p->messages, p->dkim_pass);

	buf_init(&clean, 4096);
	dv_orgs(in, dv_pick_clean, p, &clean);
	if (dkim_fail > 0 && clean.len > 0 && !buf_failed(&clean))
		buf_printf(out, " DKIM passed at %s, so the key is published and matches: the "
			   "signature was probably broken on the way to %s (a forwarder or a "
			   "gateway that changes messages), or %s could not fetch the key at the "
			   "time; if it goes on, run sealist key check %s.", buf_str(&clean), p->org,
			   p->org, in->domain);
	else if (dkim_fail > 0 && p->spf_pass == p->messages)
		buf_printf(out, " SPF passed, DKIM did not: the signature was broken in transit, "
			   "or the DKIM key is not published or does not match the one sealist "
			   "signs with: run sealist key check %s.", in->domain);
	else if (dkim_fail > 0)
		buf_printf(out, " Both DKIM and SPF failed: the DKIM record of %s is missing or "
			   "does not match the key sealist signs with, and SPF does not list this "
			   "server: run sealist key check %s and add %s to the SPF record.",
			   in->domain, in->domain, p->source_ip);
	else
		buf_printf(out, " DKIM passed but was not aligned with %s, and SPF failed: "
			   "check that sealist signs with d=%s (sealist key check %s).", in->domain,
			   in->domain, in->domain);
	buf_free(&clean);
}

static void dv_problem_row(const struct dmarcverdict_in *in, const struct store_dmarcrep_row *p,
			   struct buf *out)
{
	long long dkim_fail = dv_fail(p->messages, p->dkim_pass);
	long long dmarc_fail = dv_fail(p->messages, p->dmarc_pass);

	buf_printf(out, "At %s, ", p->org);
	if (dkim_fail > 0 && dmarc_fail == 0)
		buf_printf(out, "DKIM failed for %lld of %lld message%s from %s (DMARC passed on "
			   "SPF).", dkim_fail, p->messages, dv_s(p->messages), p->source_ip);
	else
		buf_printf(out, "%lld of %lld message%s from %s failed DMARC.", dmarc_fail,
			   p->messages, dv_s(p->messages), p->source_ip);
	dv_days(in, p, out);
	dv_cause(in, p, out);
	buf_append_str(out, "\n");
}

/* The list server's paragraph(s). */
static void dv_ours_text(const struct dmarcverdict_in *in, struct buf *out)
{
	struct dv_sum s;
	size_t	i, told = 0;

	dv_sum(in, 1, &s);
	if (s.messages == 0) {
		buf_printf(out, "The reports show no mail from your list server (outbound_ips) %s: "
			   "either it sent none to these receivers, or outbound_ips does not list "
			   "the addresses it sends from.\n", in->period);
		return;
	}
	if (s.dmarc_fail == 0) {
		buf_printf(out, "All mail from your list server (%lld message%s) passed DMARC at ",
			   s.messages, dv_s(s.messages));
		dv_orgs(in, dv_pick_ours, NULL, out);
		buf_printf(out, " %s%s\n", in->period, s.dkim_fail > 0 ? ", but not all of it "
			   "passed DKIM, which forwarded copies need:" : ".");
	} else {
		buf_printf(out, "Not all mail from your list server passed DMARC %s: %lld of %lld "
			   "message%s failed.\n", in->period, s.dmarc_fail, s.messages,
			   dv_s(s.messages));
	}
	for (i = 0; i < in->nrows; i++) {
		if (!dv_ours(in, &in->rows[i]) || !dv_problem(&in->rows[i]))
			continue;
		if (told++ == DV_PROBLEMS_MAX) {
			buf_printf(out, "More of its sources failed: see the table of sources.\n");
			break;
		}
		dv_problem_row(in, &in->rows[i], out);
	}
}

/* The other sources' paragraph, or the whole mail's without outbound_ips. */
static void dv_others_text(const struct dmarcverdict_in *in, struct buf *out)
{
	struct dv_sum s;

	dv_sum(in, 0, &s);
	if (s.messages == 0)
		return;
	if (s.dmarc_fail == 0) {
		buf_printf(out, "%s %lld message%s from %zu %saddress%s passed DMARC at ",
			   in->nnets > 0 ? "The" : "All", s.messages, dv_s(s.messages), s.sources,
			   in->nnets > 0 ? "other " : "", s.sources == 1 ? "" : "es");
		dv_orgs(in, dv_pick_others, NULL, out);
		buf_printf(out, "%s%s.\n", in->nnets > 0 ? "" : " ", in->nnets > 0 ? "" : in->period);
		return;
	}
	buf_printf(out, "Of the %lld message%s from %s, %lld failed DMARC, from %zu address%s; "
		   "the most from %s at %s (%lld).", s.messages, dv_s(s.messages),
		   in->nnets > 0 ? "other sources" : "all sources", s.dmarc_fail, s.failing,
		   s.failing == 1 ? "" : "es", s.worst->source_ip, s.worst->org,
		   dv_fail(s.worst->messages, s.worst->dmarc_pass));
	if (in->nnets > 0)
		buf_printf(out, " Not your list server: someone else sends with your domain in "
			   "From (the policy protects you), or a service you use is not set up: "
			   "add it to SPF or have it sign with d=%s.\n", in->domain);
	else
		buf_append_str(out, "\n");
}

/*
 * One paragraph per org some of whose reports came in mail that did not
 * pass DMARC: anyone can mail a report (RFC 9990 section 8.2), so the
 * numbers above may include forged ones.  Names are the sender's text:
 * the caller escapes the whole verdict.
 */
static void dv_unauth_text(const struct dmarcverdict_in *in, struct buf *out)
{
	const struct store_dmarcrep_row *o;
	size_t	i;

	for (i = 0; i < in->norgs; i++) {
		o = &in->orgs[i];
		if (o->unauth <= 0)
			continue;
		if (o->reports == 1)
			buf_printf(out, "%s's report", o->org);
		else if (o->unauth == o->reports)
			buf_printf(out, "All %lld of %s's reports", o->reports, o->org);
		else
			buf_printf(out, "%lld of %s's %lld reports", o->unauth, o->org, o->reports);
		buf_printf(out, " came in mail that did not pass DMARC: treat %s numbers with care,"
			   " anyone can mail a report.\n", o->reports == 1 ? "its" : "their");
	}
}

int dmarcverdict_ours_failed(const struct dmarcverdict_in *in)
{
	size_t	i;

	for (i = 0; i < in->nrows; i++)
		if (in->nnets > 0 && dv_ours(in, &in->rows[i]) && dv_problem(&in->rows[i]))
			return 1;
	return 0;
}

int dmarcverdict_write(const struct dmarcverdict_in *in, struct buf *out)
{
	long long total = 0;
	size_t	i;

	for (i = 0; i < in->nrows; i++)
		total += in->rows[i].messages;
	if (total == 0) {
		dv_no_reports(in, out);
		return buf_failed(out) ? -1 : 0;
	}
	if (in->nnets == 0)
		buf_printf(out, "sealist cannot tell its own mail from others' here: outbound_ips in "
			   "sealist.conf is empty. Set it to the addresses the list server sends "
			   "from (for example outbound_ips = 192.0.2.25 2001:db8::25) to have them "
			   "marked and judged apart.\n");
	else
		dv_ours_text(in, out);
	dv_others_text(in, out);
	dv_unauth_text(in, out);
	return buf_failed(out) ? -1 : 0;
}
