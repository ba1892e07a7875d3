/*
 * NAME
 *	web_overview 3
 * SUMMARY
 *	the admin overview (GET /admin/) and a list's page
 *	(GET /admin/lists/{list}/)
 * DESCRIPTION
 *	The overview shows the lists the account may see (a site admin:
 *	all; others: those it moderates or owns) with their numbers, and a
 *	chart of the inbound mail's authentication over the last 14 days:
 *	per UTC day, DKIM pass/fail and DMARC pass/fail, counted by the store
 *	from what the pipeline recorded (store_admin_auth_days).  The chart is
 *	an inline SVG drawn here (no script): role="img" with a <title>, each
 *	bar with its own <title> and data-day/data-series/data-count, and the
 *	same numbers in a table for screen readers and text browsers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html.h"
#include "web_b.h"
#include "web_int.h"

#define OV_DAYS		14
#define OV_DAY		86400LL
#define OV_BOUNCE_DAYS	7
/* The lists one overview shows at most (more: the first ones, and a note). */
#define OV_LISTS_MAX	1000

/* The chart's geometry, in SVG user units. */
#define OV_BAR_W	8
#define OV_GROUP_W	40
#define OV_LEFT		36
#define OV_TOP		10
#define OV_PLOT_H	120
#define OV_WIDTH	(OV_LEFT + OV_DAYS * OV_GROUP_W + 8)
#define OV_HEIGHT	(OV_TOP + OV_PLOT_H + 52)

void web_b_date(long long t, char *out, size_t size)
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%d", &tm) == 0)
		(void) snprintf(out, size, "-");
}

void web_b_datetime(long long t, char *out, size_t size)
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL
	    || strftime(out, size, "%Y-%m-%d %H:%M", &tm) == 0)
		(void) snprintf(out, size, "-");
}

/* ---- the lists ------------------------------------------------------------ */

struct ov_lists {
	char   *address[OV_LISTS_MAX];
	size_t	n;
	int	more, no_memory;
};

static int ov_collect(const struct store_list *l, void *ctx)
{
	struct ov_lists *ls = ctx;

	if (ls->n == OV_LISTS_MAX) {
		ls->more = 1;
		return 1;
	}
	if ((ls->address[ls->n] = strdup(l->address)) == NULL) {
		ls->no_memory = 1;
		return 1;
	}
	ls->n++;
	return 0;
}

static void ov_lists_free(struct ov_lists *ls)
{
	size_t	i;

	for (i = 0; i < ls->n; i++)
		free(ls->address[i]);
	ls->n = 0;
}

/* Every list, then (not a site admin) only those the session moderates; 0 or -1. */
static int ov_visible(struct web_req *r, struct ov_lists *ls, const char **error_r)
{
	size_t	i, kept = 0;
	int	ok;

	if (store_list_each(r->store, ov_collect, ls, error_r) != STORE_OK)
		return -1;
	if (ls->no_memory) {
		*error_r = "out of memory";
		return -1;
	}
	for (i = 0; i < ls->n; i++) {
		ok = r->session->site_admin ? 1
		    : web_auth_allowed(r, WEB_LIST_MODERATOR, ls->address[i]);
		if (ok < 0) {
			*error_r = "cannot read the account's roles";
			return -1;
		}
		if (ok)
			ls->address[kept++] = ls->address[i];
		else
			free(ls->address[i]);
	}
	ls->n = kept;
	return 0;
}

/* One list's numbers: members by kind, held, requests, queue, bounces. */
struct ov_numbers {
	struct store_list list;
	struct store_admin_list admin;
};

static int ov_numbers(struct web_req *r, const char *address, struct ov_numbers *n,
		      const char **error_r)
{
	if (store_list_get(r->store, address, &n->list, error_r) != STORE_OK
	    || store_admin_list_numbers(r->store, address, r->now,
					r->now - OV_BOUNCE_DAYS * OV_DAY, &n->admin,
					error_r) != STORE_OK)
		return -1;
	return 0;
}

static void ov_list_row(struct web_req *r, const char *address, const struct ov_numbers *n,
			struct buf *out)
{
	char	path[1024], url[2048];

	(void) snprintf(path, sizeof(path), "/admin/lists/%s/", address);
	web_url(r, path, url, sizeof(url));
	html_fmt(out, "<tr><th scope=\"row\"><a href=\"%s\">%s</a></th>", url, address);
	html_fmt(out, "<td class=\"members\">%lld</td><td class=\"regular\">%lld</td>"
		 "<td class=\"digest\">%lld</td><td class=\"disabled\">%lld</td>",
		 n->list.counts.members, n->list.counts.regular, n->list.counts.digest,
		 n->list.counts.disabled);
	html_fmt(out, "<td class=\"held\">%lld</td><td class=\"requests\">%lld</td>"
		 "<td class=\"queued\">%lld</td><td class=\"deferred\">%lld</td>"
		 "<td class=\"bounces\">%lld</td></tr>\n", n->admin.held, n->admin.requests,
		 n->admin.queued, n->admin.deferred, n->admin.bounced_members);
}

/* The table id="lists"; 0 or -1. */
static int ov_lists_table(struct web_req *r, const struct ov_lists *ls, struct buf *out,
			  const char **error_r)
{
	struct ov_numbers n;
	size_t	i;

	if (ls->n == 0) {
		html_fmt(out, "<p id=\"no-lists\">There are no lists you can administer.</p>\n");
		return 0;
	}
	html_fmt(out, "<div class=\"table-scroll\"><table id=\"lists\">\n<caption>Your lists"
		 "</caption>\n<thead><tr><th scope=\"col\">List</th><th scope=\"col\">Members"
		 "</th><th scope=\"col\">Regular</th><th scope=\"col\">Digest</th>"
		 "<th scope=\"col\">Disabled</th><th scope=\"col\">Held</th>"
		 "<th scope=\"col\">Pending requests</th><th scope=\"col\">Queued</th>"
		 "<th scope=\"col\">Deferred</th><th scope=\"col\">Bounces (%d days)</th>"
		 "</tr></thead>\n<tbody>\n", OV_BOUNCE_DAYS);
	for (i = 0; i < ls->n; i++) {
		if (ov_numbers(r, ls->address[i], &n, error_r) < 0)
			return -1;
		ov_list_row(r, ls->address[i], &n, out);
	}
	html_fmt(out, "</tbody></table></div>\n");
	if (ls->more)
		html_fmt(out, "<p>Only the first %d lists are shown.</p>\n", OV_LISTS_MAX);
	return 0;
}

/* ---- the chart ------------------------------------------------------------ */

enum { OV_DKIM_PASS, OV_DKIM_FAIL, OV_DMARC_PASS, OV_DMARC_FAIL, OV_SERIES };

static const struct {
	const char *id, *name, *color;
} ov_series[OV_SERIES] = {
	{"dkim-pass", "DKIM pass", "#2e7d32"},
	{"dkim-fail", "DKIM fail", "#b71c1c"},
	{"dmarc-pass", "DMARC pass", "#1565c0"},
	{"dmarc-fail", "DMARC fail", "#e65100"},
};

struct ov_chart {
	long long first;			/* day number of the first slot */
	long long count[OV_DAYS][OV_SERIES];
};

static int ov_chart_day(const struct store_admin_auth_day *d, void *ctx)
{
	struct ov_chart *c = ctx;
	long long i = d->day - c->first;

	if (i >= 0 && i < OV_DAYS) {
		c->count[i][OV_DKIM_PASS] = d->dkim_pass;
		c->count[i][OV_DKIM_FAIL] = d->dkim_fail;
		c->count[i][OV_DMARC_PASS] = d->dmarc_pass;
		c->count[i][OV_DMARC_FAIL] = d->dmarc_fail;
	}
	return 0;
}

static long long ov_chart_max(const struct ov_chart *c)
{
	long long max = 0;
	int	i, k;

	for (i = 0; i < OV_DAYS; i++)
		for (k = 0; k < OV_SERIES; k++)
			if (c->count[i][k] > max)
				max = c->count[i][k];
	return max;
}

static void ov_chart_bars(const struct ov_chart *c, long long max, struct buf *out)
{
	char	day[16];
	long long h;
	int	i, k, x;

	for (i = 0; i < OV_DAYS; i++) {
		web_b_date((c->first + i) * OV_DAY, day, sizeof(day));
		x = OV_LEFT + i * OV_GROUP_W + 4;
		for (k = 0; k < OV_SERIES; k++) {
			h = max > 0 ? c->count[i][k] * OV_PLOT_H / max : 0;
			html_fmt(out, "<rect class=\"bar %s\" x=\"%d\" y=\"%lld\" width=\"%d\" "
				 "height=\"%lld\" fill=\"%s\" data-day=\"%s\" data-series=\"%s\" "
				 "data-count=\"%lld\"><title>%s: %s %lld</title></rect>\n",
				 ov_series[k].id, x + k * OV_BAR_W, OV_TOP + OV_PLOT_H - h,
				 OV_BAR_W - 1, h, ov_series[k].color, day, ov_series[k].id,
				 c->count[i][k], day, ov_series[k].name, c->count[i][k]);
		}
		html_fmt(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
			 "%s</text>\n", x + 2 * OV_BAR_W, OV_TOP + OV_PLOT_H + 14, day + 5);
	}
}

static void ov_chart_frame(long long max, struct buf *out)
{
	int	k;

	html_fmt(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n",
		 OV_LEFT, OV_TOP + OV_PLOT_H, OV_WIDTH - 4, OV_TOP + OV_PLOT_H);
	html_fmt(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%lld</text>\n"
		 "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">0</text>\n",
		 OV_LEFT - 4, OV_TOP + 8, max, OV_LEFT - 4, OV_TOP + OV_PLOT_H);
	for (k = 0; k < OV_SERIES; k++)
		html_fmt(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			 "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
			 OV_LEFT + k * 120, OV_HEIGHT - 16, ov_series[k].color,
			 OV_LEFT + k * 120 + 14, OV_HEIGHT - 7, ov_series[k].name);
}

/* The same numbers as a table (the chart's text alternative). */
static void ov_chart_table(const struct ov_chart *c, struct buf *out)
{
	char	day[16];
	int	i;

	html_fmt(out, "<div class=\"table-scroll\"><table id=\"auth-days\">\n<caption>Inbound "
		 "authentication per day (UTC), last %d days</caption>\n<thead><tr>"
		 "<th scope=\"col\">Day</th><th scope=\"col\">DKIM pass</th>"
		 "<th scope=\"col\">DKIM fail</th><th scope=\"col\">DMARC pass</th>"
		 "<th scope=\"col\">DMARC fail</th></tr></thead>\n<tbody>\n", OV_DAYS);
	for (i = 0; i < OV_DAYS; i++) {
		web_b_date((c->first + i) * OV_DAY, day, sizeof(day));
		html_fmt(out, "<tr><th scope=\"row\">%s</th><td>%lld</td><td>%lld</td>"
			 "<td>%lld</td><td>%lld</td></tr>\n", day, c->count[i][OV_DKIM_PASS],
			 c->count[i][OV_DKIM_FAIL], c->count[i][OV_DMARC_PASS],
			 c->count[i][OV_DMARC_FAIL]);
	}
	html_fmt(out, "</tbody></table></div>\n");
}

/* The chart of the visible lists' inbound mail; 0 or -1. */
static int ov_chart(struct web_req *r, const struct ov_lists *ls, struct buf *out,
		    const char **error_r)
{
	struct ov_chart c;
	long long max;

	memset(&c, 0, sizeof(c));
	c.first = r->now / OV_DAY - (OV_DAYS - 1);
	if (store_admin_auth_days(r->store, r->session->site_admin ? NULL
				  : (const char *const *) ls->address, ls->n, c.first * OV_DAY,
				  ov_chart_day, &c, error_r) != STORE_OK)
		return -1;
	max = ov_chart_max(&c);
	html_fmt(out, "<figure id=\"auth-chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		 "role=\"img\" aria-labelledby=\"auth-chart-title\" viewBox=\"0 0 %d %d\" "
		 "width=\"100%%\" data-days=\"%d\" data-max=\"%lld\">\n<title id=\"auth-chart-"
		 "title\">Inbound mail per day, last %d days: DKIM and DMARC pass and fail "
		 "(the table below has the numbers)</title>\n", OV_WIDTH, OV_HEIGHT, OV_DAYS, max,
		 OV_DAYS);
	ov_chart_frame(max, out);
	ov_chart_bars(&c, max, out);
	html_fmt(out, "</svg>\n<figcaption>Authentication of the mail your lists received, per "
		 "day (UTC).</figcaption>\n</figure>\n");
	ov_chart_table(&c, out);
	return 0;
}

/* ---- pages ---------------------------------------------------------------- */

static enum MHD_Result ov_overview(struct web_req *r)
{
	struct ov_lists *ls;
	struct buf lists, chart;
	const char *error = NULL;
	enum MHD_Result ret;
	int	rc;

	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return web_failed(r, "overview", "out of memory");
	buf_init(&lists, 4 * 1024 * 1024);
	buf_init(&chart, 256 * 1024);
	rc = ov_visible(r, ls, &error);
	if (rc == 0)
		rc = ov_lists_table(r, ls, &lists, &error);
	if (rc == 0)
		rc = ov_chart(r, ls, &chart, &error);
	if (rc == 0 && (buf_failed(&lists) || buf_failed(&chart)))
		rc = -1, error = "the page is too large";
	if (rc == 0) {
		const char *vars[] = {
			"lists_html", buf_str(&lists), "chart_html", buf_str(&chart), NULL
		};

		ret = web_admin_page(r, 200, "Overview", "web-admin-overview", vars);
	} else
		ret = web_failed(r, "overview", error);
	buf_free(&lists);
	buf_free(&chart);
	ov_lists_free(ls);
	free(ls);
	return ret;
}

/* The links of a list's page, each only for a role the session has. */
static void ov_list_links(struct web_req *r, struct buf *out)
{
	static const struct {
		const char *path, *name;
		enum web_role role;
	} links[] = {
		{"settings", "Settings", WEB_LIST_OWNER},
		{"members", "Members", WEB_LIST_OWNER},
		{"held", "Held posts", WEB_LIST_MODERATOR},
		{"bounces", "Bounces", WEB_LIST_OWNER},
	};
	char	path[1024], url[2048], enc[512];
	size_t	i;

	html_fmt(out, "<ul id=\"list-links\">\n");
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (web_auth_allowed(r, links[i].role, r->list) != 1)
			continue;
		(void) snprintf(path, sizeof(path), "/admin/lists/%s/%s", r->list, links[i].path);
		web_url(r, path, url, sizeof(url));
		html_fmt(out, "<li><a href=\"%s\">%s</a></li>\n", url, links[i].name);
	}
	/* H2: the DMARC reports of the list's domain, for its owners */
	if (web_auth_allowed(r, WEB_LIST_OWNER, r->list) == 1 && strchr(r->list, '@') != NULL) {
		web_pct(strrchr(r->list, '@') + 1, enc, sizeof(enc));
		(void) snprintf(path, sizeof(path), "/admin/dmarc?domain=%s", enc);
		web_url(r, path, url, sizeof(url));
		html_fmt(out, "<li><a id=\"dmarc-link\" href=\"%s\">DMARC reports of %s</a></li>\n",
			 url, strrchr(r->list, '@') + 1);
	}
	html_fmt(out, "</ul>\n");
}

static enum MHD_Result ov_list(struct web_req *r)
{
	struct ov_numbers n;
	struct buf links;
	const char *error = NULL;
	char	v[9][32];
	enum MHD_Result ret;

	if (ov_numbers(r, r->list, &n, &error) < 0)
		return web_failed(r, "list page", error);
	buf_init(&links, 64 * 1024);
	ov_list_links(r, &links);
	(void) snprintf(v[0], sizeof(v[0]), "%lld", n.list.counts.members);
	(void) snprintf(v[1], sizeof(v[1]), "%lld", n.list.counts.regular);
	(void) snprintf(v[2], sizeof(v[2]), "%lld", n.list.counts.digest);
	(void) snprintf(v[3], sizeof(v[3]), "%lld", n.list.counts.disabled);
	(void) snprintf(v[4], sizeof(v[4]), "%lld", n.admin.held);
	(void) snprintf(v[5], sizeof(v[5]), "%lld", n.admin.requests);
	(void) snprintf(v[6], sizeof(v[6]), "%lld", n.admin.queued);
	(void) snprintf(v[7], sizeof(v[7]), "%lld", n.admin.deferred);
	(void) snprintf(v[8], sizeof(v[8]), "%lld", n.admin.bounced_members);
	{
		const char *vars[] = {
			"list", r->list, "members", v[0], "regular", v[1], "digest", v[2],
			"disabled", v[3], "held", v[4], "requests", v[5], "queued", v[6],
			"deferred", v[7], "bounces", v[8], "links_html", buf_str(&links), NULL
		};

		ret = web_admin_page(r, 200, r->list, "web-admin-list", vars);
	}
	buf_free(&links);
	return ret;
}

const struct web_route web_overview_routes[] = {
	{"GET", "/admin/", WEB_LOGGED_IN, 0, ov_overview},
	{"GET", "/admin/lists/{list}/", WEB_LIST_MODERATOR, 0, ov_list},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
