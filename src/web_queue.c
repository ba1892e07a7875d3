/*
 * NAME
 *	web_queue 3
 * SUMMARY
 *	the delivery queue page (GET /admin/queue) and "Retry now"
 *	(POST /admin/queue/retry)
 * DESCRIPTION
 *	Deliveries waiting (queued: before the first attempt; deferred:
 *	after a failed one), delivered and bounced of the mail queued in the
 *	last 24 hours (a delivery row keeps no time of its end), the oldest
 *	waiting mail and the last 10 errors.  Retry does what `sealist queue
 *	retry` does (store_queue_retry: every waiting delivery is due now),
 *	then wakes the delivery workers.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "web_b.h"
#include "web_int.h"

#define QU_ERRORS	10
#define QU_DAY		86400LL

struct qu_ctx {
	struct buf *out;
	size_t	n;
};

static int qu_error_row(const struct store_admin_delivery *d, void *ctx)
{
	struct qu_ctx *c = ctx;
	char	next[32];

	web_b_datetime(d->when, next, sizeof(next));
	html_fmt(c->out, "<tr><td>%lld</td><td>%s</td><td class=\"address\">%s</td>"
		 "<td class=\"state\">%s</td><td>%lld</td><td>%s</td><td class=\"error\">%s</td>"
		 "</tr>\n", d->outbound_id, d->list, d->recipient, d->state, d->attempts,
		 strcmp(d->state, "queued") == 0 ? next : "-", d->error);
	c->n++;
	return 0;
}

static int qu_errors(struct web_req *r, struct buf *out, const char **error_r)
{
	struct qu_ctx c = { out, 0 };

	html_fmt(out, "<div class=\"table-scroll\"><table id=\"queue-errors\">\n<caption>The "
		 "last %d errors, newest first</caption>\n<thead><tr><th scope=\"col\">Mail</th>"
		 "<th scope=\"col\">List</th><th scope=\"col\">Recipient</th>"
		 "<th scope=\"col\">State</th><th scope=\"col\">Attempts</th>"
		 "<th scope=\"col\">Next attempt (UTC)</th><th scope=\"col\">Error</th></tr>"
		 "</thead>\n<tbody>\n", QU_ERRORS);
	if (store_admin_queue_errors(r->store, QU_ERRORS, qu_error_row, &c, error_r) != STORE_OK)
		return -1;
	if (c.n == 0)
		html_fmt(out, "<tr><td colspan=\"7\">No errors.</td></tr>\n");
	html_fmt(out, "</tbody></table></div>\n");
	return 0;
}

static void qu_oldest(const struct store_admin_queue *q, struct buf *out)
{
	char	when[32];

	if (q->oldest_id == 0) {
		html_fmt(out, "<p id=\"oldest\">Nothing is waiting.</p>\n");
		return;
	}
	web_b_datetime(q->oldest_created, when, sizeof(when));
	html_fmt(out, "<p id=\"oldest\">Oldest waiting: mail %lld, a %s of %s queued %s UTC, "
		 "<span class=\"count\">%lld</span> deliveries waiting.</p>\n", q->oldest_id,
		 q->oldest_kind, q->oldest_list, when, q->oldest_waiting);
}

static enum MHD_Result qu_page(struct web_req *r)
{
	struct store_admin_queue q;
	struct buf oldest, errors, note;
	const char *error = NULL, *retried = web_query(r, "retried");
	char	v[4][32];
	enum MHD_Result ret;

	if (store_admin_queue_numbers(r->store, r->now - QU_DAY, &q, &error) != STORE_OK)
		return web_failed(r, "queue page", error);
	buf_init(&oldest, 8192);
	buf_init(&errors, 256 * 1024);
	buf_init(&note, 4096);
	qu_oldest(&q, &oldest);
	if (retried != NULL)
		html_fmt(&note, "<p class=\"result\" role=\"status\">%s waiting deliveries are due "
			 "now.</p>\n", retried);
	if (qu_errors(r, &errors, &error) < 0) {
		ret = web_failed(r, "queue page", error);
	} else {
		(void) snprintf(v[0], sizeof(v[0]), "%lld", q.queued);
		(void) snprintf(v[1], sizeof(v[1]), "%lld", q.deferred);
		(void) snprintf(v[2], sizeof(v[2]), "%lld", q.delivered);
		(void) snprintf(v[3], sizeof(v[3]), "%lld", q.bounced);
		const char *vars[] = {
			"queued", v[0], "deferred", v[1], "delivered", v[2], "bounced", v[3],
			"note_html", buf_str(&note), "oldest_html", buf_str(&oldest),
			"errors_html", buf_str(&errors), NULL
		};

		ret = web_admin_page(r, 200, "Delivery queue", "web-admin-queue", vars);
	}
	buf_free(&oldest);
	buf_free(&errors);
	buf_free(&note);
	return ret;
}

static enum MHD_Result qu_retry(struct web_req *r)
{
	const char *error = NULL;
	long long count = 0;
	char	path[128];

	if (store_queue_retry(r->store, 0, r->now, &count, &error) != STORE_OK)
		return web_failed(r, "queue retry", error);
	if (count > 0)
		web_queued(r, (size_t) count);
	(void) snprintf(path, sizeof(path), "/admin/queue?retried=%lld", count);
	return web_redirect(r, path);
}

const struct web_route web_queue_routes[] = {
	{"GET", "/admin/queue", WEB_SITE_ADMIN, 0, qu_page},
	{"POST", "/admin/queue/retry", WEB_SITE_ADMIN, 0, qu_retry},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
