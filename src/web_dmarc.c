/*
 * NAME
 *	web_dmarc 3
 * SUMMARY
 *	the DMARC report pages: GET /admin/dmarc (the domains) and
 *	GET /admin/dmarc?domain=D[&days=N][&end=YYYY-MM-DD] (one domain)
 * DESCRIPTION
 *	What receivers' aggregate reports (stored by `sealist dmarc-report
 *	import` and the report mailbox) say about a policy domain over N
 *	days (1-90, default 7) ending with the UTC day end (default today):
 *	the verdict in words (dmarcverdict.c), a chart of the DMARC pass
 *	rate per day (inline SVG, no script: role="img" with a <title>, one
 *	bar per day with data-day, data-messages and data-pass, the failing
 *	share stacked on it, and the same numbers in a table), the sources
 *	with the most failing messages first, the list server's own
 *	(outbound_ips) marked, and each receiver's totals.  The window and
 *	the day of a report are store_dmarcweb's: the report's date_end.
 *
 *	Who sees a domain: a site admin every domain (those reported on and
 *	those of the lists); any other account the domains of the lists it
 *	owns.  That is about a domain, not a {list}, so the route table can
 *	only say "logged in" and the handler checks the domain itself; a
 *	domain the account may not see is answered as one that does not
 *	exist (404), so the page does not tell which domains are reported on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarcverdict_gather.h"
#include "dmarcwin.h"
#include "html.h"
#include "web_b.h"
#include "web_int.h"

#define DW_DAY		86400LL
#define DW_DAYS_DEFAULT	7
/* At most: a quarter; longer windows are a question for the CLI summary. */
#define DW_DAYS_MAX	90
/* The domains the index shows at most. */
#define DW_DOMAINS_MAX	1000
/* A page at most (as web.c's WEB_PAGE_MAX). */
#define DW_PAGE_MAX	(4 * 1024 * 1024)
#define DW_DOMAIN_MAX	DMARCWIN_DOMAIN_MAX

/* The chart's geometry, in SVG user units. */
#define DW_LEFT		40
#define DW_TOP		10
#define DW_PLOT_H	120
#define DW_SLOT_WIDE	44	/* per day, up to two weeks */
#define DW_SLOT_NARROW	10	/* per day, longer windows */

/* ---- the domains an account may see ------------------------------------------------- */

struct dw_domains {
	char   *name[DW_DOMAINS_MAX];
	size_t	n;
	int	full;
};

static void dw_domains_add(struct dw_domains *ds, const char *d)
{
	size_t	i;

	for (i = 0; i < ds->n; i++)
		if (strcmp(ds->name[i], d) == 0)
			return;
	if (ds->n == DW_DOMAINS_MAX || (ds->name[ds->n] = strdup(d)) == NULL) {
		ds->full = 1;
		return;
	}
	ds->n++;
}

static int dw_domains_cb(const char *d, void *ctx)
{
	dw_domains_add(ctx, d);
	return 0;
}

static void dw_domains_free(struct dw_domains *ds)
{
	size_t	i;

	for (i = 0; i < ds->n; i++)
		free(ds->name[i]);
	ds->n = 0;
}

static int dw_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The lists' addresses, of only one domain if only is set (the roles
   cannot be asked from inside store_list_each). */
struct dw_lists {
	struct dw_domains a;
	const char *only;
};

static int dw_list_cb(const struct store_list *l, void *ctx)
{
	struct dw_lists *ls = ctx;

	if (ls->only == NULL || strcmp(l->domain, ls->only) == 0)
		dw_domains_add(&ls->a, l->address);
	return 0;
}

/*
 * The domains the session may see (of one domain if only is set), sorted:
 * a site admin those reported on and those of all lists; others those of
 * the lists they own.  0 or -1.
 */
static int dw_visible(struct web_req *r, const char *only, struct dw_domains *ds,
		      const char **error_r)
{
	struct dw_lists *ls;
	const char *at;
	size_t	i;
	int	ok = 0, rc = 0;

	if (r->session->site_admin
	    && store_dmarcweb_domains(r->store, dw_domains_cb, ds, error_r) != STORE_OK)
		return -1;
	if ((ls = calloc(1, sizeof(*ls))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	ls->only = only;
	if (store_list_each(r->store, dw_list_cb, ls, error_r) != STORE_OK)
		rc = -1;
	for (i = 0; i < ls->a.n && rc == 0; i++) {
		if (!r->session->site_admin
		    && (ok = web_auth_allowed(r, WEB_LIST_OWNER, ls->a.name[i])) < 0) {
			*error_r = "cannot read the account's roles";
			rc = -1;
		} else if ((r->session->site_admin || ok) && (at = strrchr(ls->a.name[i], '@')))
			dw_domains_add(ds, at + 1);
	}
	ds->full |= ls->a.full;
	dw_domains_free(&ls->a);
	free(ls);
	qsort(ds->name, ds->n, sizeof(ds->name[0]), dw_name_cmp);
	return rc;
}

/* ---- the request's arguments -------------------------------------------------------- */

/* May the session see domain?  1 yes, 0 no, -1 the store failed. */
static int dw_allowed(struct web_req *r, const char *domain, const char **error_r)
{
	struct dw_domains ds;
	size_t	i;
	int	found = 0;

	if (r->session->site_admin)
		return 1;
	memset(&ds, 0, sizeof(ds));
	if (dw_visible(r, domain, &ds, error_r) < 0) {
		dw_domains_free(&ds);
		return -1;
	}
	for (i = 0; i < ds.n && !found; i++)
		found = strcmp(ds.name[i], domain) == 0;
	dw_domains_free(&ds);
	return found;
}

/* ---- the pieces of the page ----------------------------------------------------------- */

/* "97.5%" as Python's "%.1f%%" (the tests compare), or "-" when all is 0. */
static void dw_pct(long long part, long long all, char *out, size_t size)
{
	if (all <= 0)
		(void) snprintf(out, size, "-");
	else
		(void) snprintf(out, size, "%.1f%%", 100.0 * (double) part / (double) all);
}

/* The verdict: one <p> per paragraph; first_only: the headline alone. */
static int dw_verdict(const struct dmarcverdict_in *in, int first_only, struct buf *out)
{
	struct buf text, para;
	const char *p, *nl;
	int	rc;

	buf_init(&text, 256 * 1024);
	buf_init(&para, 256 * 1024);
	rc = dmarcverdict_write(in, &text);
	for (p = buf_str(&text); rc == 0 && *p; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		buf_reset(&para);
		buf_append(&para, p, (size_t) (nl - p));
		html_fmt(out, "<p>%s</p>\n", buf_str(&para));
		if (first_only)
			break;
	}
	buf_free(&para);
	buf_free(&text);
	return rc;
}

struct dw_window {
	char	domain[DW_DOMAIN_MAX + 1];
	long long days, last;		/* the window: days days up to day number last */
	long long begin, end;		/* in Unix seconds, [begin, end) */
	int	ended;			/* the end was given (not today) */
	char	period[DMARCVERDICT_PERIOD_MAX];	/* "in the last 7 days" */
	struct store_dmarcweb_day day[DW_DAYS_MAX];
};

static void dw_window_set(struct dw_window *wd, long long days, long long last, int ended)
{
	wd->days = days;
	wd->last = last;
	wd->ended = ended;
	wd->begin = (last + 1 - days) * DW_DAY;
	wd->end = (last + 1) * DW_DAY;
	dmarcverdict_period(days, last, ended, wd->period, sizeof(wd->period));
}

static int dw_day_cb(const struct store_dmarcweb_day *d, void *ctx)
{
	struct dw_window *wd = ctx;
	long long i = d->day - (wd->last + 1 - wd->days);

	if (i >= 0 && i < wd->days)
		wd->day[i] = *d;
	return 0;
}

static void dw_chart_bar(const struct dw_window *wd, long long i, int x, int w, struct buf *out)
{
	const struct store_dmarcweb_day *d = &wd->day[i];
	char	day[16], pct[16];
	long long hp;

	web_b_date((wd->last + 1 - wd->days + i) * DW_DAY, day, sizeof(day));
	dw_pct(d->dmarc_pass, d->messages, pct, sizeof(pct));
	hp = d->messages > 0 ? d->dmarc_pass * DW_PLOT_H / d->messages : 0;
	if (d->messages > d->dmarc_pass)
		html_fmt(out, "<rect class=\"bar-fail\" x=\"%d\" y=\"%d\" width=\"%d\" "
			 "height=\"%lld\" fill=\"#c62828\" data-day=\"%s\"><title>%s: %lld of %lld "
			 "failed DMARC</title></rect>\n", x, DW_TOP, w, DW_PLOT_H - hp, day, day,
			 d->messages - d->dmarc_pass, d->messages);
	html_fmt(out, "<rect class=\"bar\" x=\"%d\" y=\"%lld\" width=\"%d\" height=\"%lld\" "
		 "fill=\"#2e7d32\" data-day=\"%s\" data-messages=\"%lld\" data-pass=\"%lld\">"
		 "<title>%s: %lld of %lld passed DMARC (%s)</title></rect>\n", x,
		 DW_TOP + DW_PLOT_H - hp, w, hp, day, d->messages, d->dmarc_pass, day,
		 d->dmarc_pass, d->messages, pct);
	if (d->messages == 0)
		html_fmt(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
			 "-</text>\n", x + w / 2, DW_TOP + DW_PLOT_H - 4);
}

/* The chart: one bar per day, height the DMARC pass rate, the rest in red. */
static void dw_chart(const struct dw_window *wd, struct buf *out)
{
	int	slot = wd->days <= 14 ? DW_SLOT_WIDE : DW_SLOT_NARROW;
	int	width = DW_LEFT + (int) wd->days * slot + 8, height = DW_TOP + DW_PLOT_H + 44;
	char	day[16];
	long long i;
	int	x;

	html_fmt(out, "<figure id=\"dmarc-chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		 "role=\"img\" aria-labelledby=\"dmarc-chart-title\" viewBox=\"0 0 %d %d\" "
		 "width=\"100%%\" data-days=\"%lld\">\n<title id=\"dmarc-chart-title\">Share of "
		 "the messages that passed DMARC per day, %s (the table below has the numbers)"
		 "</title>\n", width, height, wd->days, wd->period);
	html_fmt(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n"
		 "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">100%%</text>\n"
		 "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">0%%</text>\n",
		 DW_LEFT, DW_TOP + DW_PLOT_H, width - 4, DW_TOP + DW_PLOT_H, DW_LEFT - 4,
		 DW_TOP + 8, DW_LEFT - 4, DW_TOP + DW_PLOT_H);
	for (i = 0; i < wd->days; i++) {
		x = DW_LEFT + (int) i * slot + 2;
		dw_chart_bar(wd, i, x, slot - 6, out);
		if (slot == DW_SLOT_WIDE || i % 7 == wd->days % 7) {
			web_b_date((wd->last + 1 - wd->days + i) * DW_DAY, day, sizeof(day));
			html_fmt(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
				 "%s</text>\n", x + (slot - 6) / 2, DW_TOP + DW_PLOT_H + 14, day + 5);
		}
	}
	html_fmt(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#2e7d32\"/>"
		 "<text x=\"%d\" y=\"%d\" font-size=\"11\">DMARC pass</text>\n<rect x=\"%d\" "
		 "y=\"%d\" width=\"10\" height=\"10\" fill=\"#c62828\"/><text x=\"%d\" y=\"%d\" "
		 "font-size=\"11\">DMARC fail</text>\n", DW_LEFT, height - 16, DW_LEFT + 14,
		 height - 7, DW_LEFT + 110, height - 16, DW_LEFT + 124, height - 7);
	html_fmt(out, "</svg>\n<figcaption>DMARC pass rate per day (UTC, by the end of each "
		 "report's period).</figcaption>\n</figure>\n");
}

/* The chart's numbers as a table. */
static void dw_days_table(const struct dw_window *wd, struct buf *out)
{
	const struct store_dmarcweb_day *d;
	char	day[16], pct[16];
	long long i;

	html_fmt(out, "<div class=\"table-scroll\"><table id=\"dmarc-days\">\n<caption>Messages "
		 "per day (UTC)</caption>\n<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">"
		 "Messages</th><th scope=\"col\">DMARC pass</th><th scope=\"col\">Pass rate</th>"
		 "<th scope=\"col\">DKIM pass (aligned)</th><th scope=\"col\">SPF pass (aligned)"
		 "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < wd->days; i++) {
		d = &wd->day[i];
		web_b_date((wd->last + 1 - wd->days + i) * DW_DAY, day, sizeof(day));
		dw_pct(d->dmarc_pass, d->messages, pct, sizeof(pct));
		html_fmt(out, "<tr data-day=\"%s\"><th scope=\"row\">%s</th><td class=\"messages\">"
			 "%lld</td><td class=\"pass\">%lld</td><td class=\"rate\">%s</td>"
			 "<td class=\"dkim\">%lld</td><td class=\"spf\">%lld</td></tr>\n", day, day,
			 d->messages, d->dmarc_pass, pct, d->dkim_pass, d->spf_pass);
	}
	html_fmt(out, "</tbody></table></div>\n");
}

/* One source's or org's numbers: messages, pass counts with rates, dispositions. */
static void dw_row_cells(const struct store_dmarcrep_row *w, struct buf *out)
{
	char	dmarc[16], dkim[16], spf[16];

	dw_pct(w->dmarc_pass, w->messages, dmarc, sizeof(dmarc));
	dw_pct(w->dkim_pass, w->messages, dkim, sizeof(dkim));
	dw_pct(w->spf_pass, w->messages, spf, sizeof(spf));
	html_fmt(out, "<td class=\"messages\">%lld</td><td class=\"failed\">%lld</td>"
		 "<td class=\"dmarc\">%s</td><td class=\"dkim\">%s</td><td class=\"spf\">%s</td>"
		 "<td class=\"none\">%lld</td><td class=\"disp-pass\">%lld</td>"
		 "<td class=\"quarantine\">%lld</td><td class=\"reject\">%lld</td></tr>\n",
		 w->messages, w->messages - w->dmarc_pass, dmarc, dkim, spf, w->none, w->pass,
		 w->quarantine, w->reject);
}

static void dw_table_head(struct buf *out, const char *id, const char *caption,
			  int sources)
{
	html_fmt(out, "<div class=\"table-scroll\"><table id=\"%s\">\n<caption>%s</caption>\n"
		 "<thead><tr><th scope=\"col\">Receiver</th>", id, caption);
	if (sources)
		html_fmt(out, "<th scope=\"col\">Source IP</th>");
	html_fmt(out, "<th scope=\"col\">Messages</th><th scope=\"col\">Failed DMARC</th>"
		 "<th scope=\"col\">DMARC pass</th><th scope=\"col\">DKIM pass</th>"
		 "<th scope=\"col\">SPF pass</th><th scope=\"col\">None</th>"
		 "<th scope=\"col\">Pass</th><th scope=\"col\">Quarantine</th><th scope=\"col\">Reject</th></tr></thead>\n"
		 "<tbody>\n");
}

static void dw_sources_table(const struct dmarcverdict_in *in, const struct dmarcverdict_rows *rs,
			     struct buf *out)
{
	const struct store_dmarcrep_row *w;
	size_t	i;
	int	ours;

	dw_table_head(out, "dmarc-sources", "Sources, the most failing messages first (None, "
		      "Pass, Quarantine, Reject: what the receivers did with the messages)", 1);
	for (i = 0; i < rs->n; i++) {
		w = &rs->row[i];
		ours = in->nnets > 0 && web_net_match(in->nets, in->nnets, w->source_ip);
		html_fmt(out, "<tr class=\"%s%s\" data-org=\"%s\" data-ip=\"%s\"><td>%s</td>"
			 "<th scope=\"row\">%s", ours ? "ours" : "other",
			 w->messages > w->dmarc_pass ? " failing" : "", w->org, w->source_ip, w->org,
			 w->source_ip);
		if (ours)
			html_fmt(out, " <span class=\"badge\">list server</span>");
		html_fmt(out, "</th>");
		dw_row_cells(w, out);
	}
	html_fmt(out, "</tbody></table></div>\n");
	if (rs->more)
		html_fmt(out, "<p>Only the first %d sources are shown.</p>\n", DMARCVERDICT_ROWS_MAX);
}

static void dw_orgs_table(const struct dmarcverdict_rows *os, struct buf *out)
{
	size_t	i;

	dw_table_head(out, "dmarc-orgs", "Totals per receiver", 0);
	for (i = 0; i < os->n; i++) {
		html_fmt(out, "<tr data-org=\"%s\"><th scope=\"row\">%s</th>", os->row[i].org,
			 os->row[i].org);
		dw_row_cells(&os->row[i], out);
	}
	html_fmt(out, "</tbody></table></div>\n");
}

/* Per receiver, how many of its reports came authenticated (H5). */
static void dw_auth_table(const struct dmarcverdict_rows *os, struct buf *out)
{
	const struct store_dmarcrep_row *w;
	size_t	i;

	html_fmt(out, "<div class=\"table-scroll\"><table id=\"dmarc-auth\">\n<caption>Report "
		 "mail per receiver: authenticated reports came in mail that passed DMARC or were "
		 "imported by an admin; the others may be forged</caption>\n<thead><tr>"
		 "<th scope=\"col\">Receiver</th><th scope=\"col\">Reports</th>"
		 "<th scope=\"col\">Authenticated</th><th scope=\"col\">Not authenticated</th>"
		 "</tr></thead>\n<tbody>\n");
	for (i = 0; i < os->n; i++) {
		w = &os->row[i];
		html_fmt(out, "<tr class=\"%s\" data-org=\"%s\"><th scope=\"row\">%s</th>"
			 "<td class=\"reports\">%lld</td><td class=\"auth\">%lld</td>"
			 "<td class=\"unauth\">%lld</td></tr>\n", w->unauth > 0 ? "unauth" : "auth",
			 w->org, w->org, w->reports, w->reports - w->unauth, w->unauth);
	}
	html_fmt(out, "</tbody></table></div>\n");
}

/* The form that picks another window (GET: works without script). */
static void dw_form(struct web_req *r, const struct dw_window *wd, struct buf *out)
{
	char	action[WEB_URL_MAX], date[16];

	web_url(r, "/admin/dmarc", action, sizeof(action));
	web_b_date(wd->last * DW_DAY, date, sizeof(date));
	html_fmt(out, "<form id=\"dmarc-window\" method=\"get\" action=\"%s\">\n"
		 "<input type=\"hidden\" name=\"domain\" value=\"%s\">\n"
		 "<label for=\"dmarc-days\">Days</label> <input id=\"dmarc-days\" name=\"days\" "
		 "type=\"number\" min=\"1\" max=\"%d\" value=\"%lld\">\n"
		 "<label for=\"dmarc-end\">Last day (UTC)</label> <input id=\"dmarc-end\" "
		 "name=\"end\" type=\"date\" value=\"%s\">\n<button type=\"submit\">Show</button>\n"
		 "</form>\n", action, wd->domain, DW_DAYS_MAX, wd->days, date);
}

/* ---- pages ---------------------------------------------------------------------- */

/* The verdict's inputs of the window (full 0: the headline's only) into d; 0 or -1. */
static int dw_gather(struct web_req *r, const struct dw_window *wd, int full,
		     struct dmarcverdict_data *d, const char **error_r)
{
	const struct web_config *cfg = web_cfg(r);

	return dmarcverdict_gather(r->store, wd->domain, wd->begin, wd->end, full, wd->period,
				   cfg->dmarc_report_address, cfg->outbound_ips, d, error_r);
}

/* The page of one domain into out; 0 or -1. */
static int dw_domain_page(struct web_req *r, struct dw_window *wd, struct buf *out,
			  const char **error_r)
{
	struct dmarcverdict_data *d;
	int	rc = -1;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	if (dw_gather(r, wd, 1, d, error_r) < 0
	    || store_dmarcweb_days(r->store, wd->domain, wd->begin, wd->end, dw_day_cb, wd,
				   error_r) != STORE_OK)
		goto out;
	html_fmt(out, "<section id=\"dmarc-verdict\" aria-labelledby=\"verdict-heading\">\n"
		 "<h2 id=\"verdict-heading\">Verdict</h2>\n");
	if (dw_verdict(&d->in, 0, out) < 0) {
		*error_r = "the verdict is too long";
		goto out;
	}
	html_fmt(out, "</section>\n");
	dw_form(r, wd, out);
	if (d->sources.n > 0) {
		html_fmt(out, "<section aria-labelledby=\"days-heading\">\n<h2 id=\"days-heading\">"
			 "Per day</h2>\n");
		dw_chart(wd, out);
		dw_days_table(wd, out);
		html_fmt(out, "</section>\n<section aria-labelledby=\"sources-heading\">\n<h2 "
			 "id=\"sources-heading\">Sources</h2>\n");
		dw_sources_table(&d->in, &d->sources, out);
		html_fmt(out, "</section>\n<section aria-labelledby=\"orgs-heading\">\n<h2 "
			 "id=\"orgs-heading\">Receivers</h2>\n");
		dw_orgs_table(&d->orgs, out);
		dw_auth_table(&d->orgs, out);
		html_fmt(out, "</section>\n");
	}
	rc = 0;
out:
	dmarcverdict_gather_free(d);
	free(d);
	return rc;
}

/* One domain's row of the index: the last 7 days' numbers and headline. */
static int dw_index_row(struct web_req *r, const char *domain, struct buf *out,
			const char **error_r)
{
	struct dmarcverdict_data *d;
	struct dw_window *wd;
	char	path[WEB_URL_MAX], url[WEB_URL_MAX], enc[3 * DW_DOMAIN_MAX + 1], pct[16];
	long long messages = 0, pass = 0;
	size_t	i;
	int	rc = -1;

	wd = calloc(1, sizeof(*wd));
	d = calloc(1, sizeof(*d));
	if (wd == NULL || d == NULL) {
		free(wd);
		free(d);
		*error_r = "out of memory";
		return -1;
	}
	(void) snprintf(wd->domain, sizeof(wd->domain), "%s", domain);
	dw_window_set(wd, DW_DAYS_DEFAULT, r->now / DW_DAY, 0);
	if (dw_gather(r, wd, 0, d, error_r) == 0) {
		for (i = 0; i < d->sources.n; i++)
			messages += d->sources.row[i].messages, pass += d->sources.row[i].dmarc_pass;
		dw_pct(pass, messages, pct, sizeof(pct));
		web_pct(domain, enc, sizeof(enc));
		(void) snprintf(path, sizeof(path), "/admin/dmarc?domain=%s", enc);
		web_url(r, path, url, sizeof(url));
		html_fmt(out, "<tr data-domain=\"%s\"><th scope=\"row\"><a href=\"%s\">%s</a></th>"
			 "<td class=\"messages\">%lld</td><td class=\"rate\">%s</td><td>", domain,
			 url, domain, messages, pct);
		rc = dw_verdict(&d->in, 1, out);
		html_fmt(out, "</td></tr>\n");
	}
	dmarcverdict_gather_free(d);
	free(d);
	free(wd);
	return rc;
}

static enum MHD_Result dw_index(struct web_req *r)
{
	struct dw_domains *ds;
	struct buf out;
	const char *error = NULL;
	enum MHD_Result ret;
	size_t	i;
	int	rc;

	if ((ds = calloc(1, sizeof(*ds))) == NULL)
		return web_failed(r, "DMARC reports", "out of memory");
	buf_init(&out, DW_PAGE_MAX);
	rc = dw_visible(r, NULL, ds, &error);
	if (rc == 0 && ds->n == 0)
		html_fmt(&out, "<p id=\"no-domains\">There are no domains you can see reports "
			 "about: none of your lists' domains, and no reports.</p>\n");
	else if (rc == 0) {
		html_fmt(&out, "<div class=\"table-scroll\"><table id=\"dmarc-domains\">\n"
			 "<caption>DMARC aggregate reports of the last %d days</caption>\n<thead>"
			 "<tr><th scope=\"col\">Domain</th><th scope=\"col\">Messages</th>"
			 "<th scope=\"col\">DMARC pass</th><th scope=\"col\">In short</th></tr>"
			 "</thead>\n<tbody>\n", DW_DAYS_DEFAULT);
		for (i = 0; i < ds->n && rc == 0; i++)
			rc = dw_index_row(r, ds->name[i], &out, &error);
		html_fmt(&out, "</tbody></table></div>\n");
	}
	if (rc == 0 && ds->full)
		html_fmt(&out, "<p>Only the first %d domains (or lists) are taken.</p>\n",
			 DW_DOMAINS_MAX);
	if (rc == 0 && buf_failed(&out))
		rc = -1, error = "the page is too large";
	if (rc == 0) {
		const char *vars[] = { "content_html", buf_str(&out), NULL };

		ret = web_admin_page(r, 200, "DMARC reports", "web-admin-dmarc", vars);
	} else
		ret = web_failed(r, "DMARC reports", error != NULL ? error : "out of memory");
	buf_free(&out);
	dw_domains_free(ds);
	free(ds);
	return ret;
}

/* The window from days= and end=; 0, or -1 when one is not valid. */
static int dw_window_args(struct web_req *r, struct dw_window *wd)
{
	const char *days = web_query(r, "days"), *end = web_query(r, "end");
	long long n = DW_DAYS_DEFAULT, last = r->now / DW_DAY;

	if (days != NULL && *days && (n = dmarcwin_number(days, strlen(days), 1, DW_DAYS_MAX)) < 0)
		return -1;
	if (end != NULL && *end && (last = dmarcwin_date(end, strlen(end))) < 0)
		return -1;
	dw_window_set(wd, n, last, end != NULL && *end);
	return 0;
}

static enum MHD_Result dw_page(struct web_req *r)
{
	const char *domain = web_query(r, "domain"), *error = NULL;
	struct dw_window *wd;
	struct buf out;
	char	title[DW_DOMAIN_MAX + 32];
	enum MHD_Result ret;
	int	ok;

	if (domain == NULL || *domain == 0)
		return dw_index(r);
	if ((wd = calloc(1, sizeof(*wd))) == NULL)
		return web_failed(r, "DMARC reports", "out of memory");
	if (dmarcwin_domain(domain, strlen(domain), wd->domain, sizeof(wd->domain)) < 0
	    || (ok = dw_allowed(r, wd->domain, &error)) == 0) {
		free(wd);
		return web_not_found(r);
	}
	if (ok < 0) {
		free(wd);
		return web_failed(r, "DMARC reports", error);
	}
	if (dw_window_args(r, wd) < 0) {
		free(wd);
		return web_message(r, 400, "Bad request", "days is a number from 1 to 90 and end "
				   "a date as YYYY-MM-DD.");
	}
	buf_init(&out, DW_PAGE_MAX);
	if (dw_domain_page(r, wd, &out, &error) == 0 && !buf_failed(&out)) {
		const char *vars[] = { "content_html", buf_str(&out), NULL };

		(void) snprintf(title, sizeof(title), "DMARC reports: %s", wd->domain);
		ret = web_admin_page(r, 200, title, "web-admin-dmarc", vars);
	} else
		ret = web_failed(r, "DMARC reports", error != NULL ? error : "the page is too large");
	buf_free(&out);
	free(wd);
	return ret;
}

const struct web_route web_dmarc_routes[] = {
	{"GET", "/admin/dmarc", WEB_LOGGED_IN, 0, dw_page},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
