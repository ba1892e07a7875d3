/*
 * NAME
 *	web_bounces 3
 * SUMMARY
 *	a list's bounces page (GET /admin/lists/{list}/bounces) and
 *	re-enabling a member (POST .../bounces/reenable)
 * DESCRIPTION
 *	The members with a bounce score, DMARC-caused rejections or a
 *	disabling, as `sealist bounces ls` shows them (store_bounce_each),
 *	each with a Re-enable button; below, the list's deliveries that
 *	bounced (the relay's answer), newest first: the store keeps no
 *	other bounce history (db/006_bounces.sql keeps a score and a date).
 *	Re-enabling is what the member's "set delivery on" does
 *	(store_request_member_set): enabled again, score and warnings
 *	reset; a member an admin disabled stays disabled.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "web_b.h"
#include "web_int.h"

/* How many bounced deliveries the history shows. */
#define BN_HISTORY	50

struct bn_ctx {
	struct web_req *r;
	struct buf *out;
	char	action[2048];
	size_t	n;
};

/* "enabled", "disabled by admin", "disabled by bounce since DAY": a member
   disabled by bounces gets no mail, so the bounce that disabled it is the last */
static void bn_state(const struct store_bounce_row *b, char *out, size_t size)
{
	char	since[16];

	web_b_date(b->last, since, sizeof(since));
	(void) snprintf(out, size, "%s%s%s%s%s", b->status, *b->disabled_by ? " by " : "",
			b->disabled_by, strcmp(b->disabled_by, "bounce") == 0 ? " since " : "",
			strcmp(b->disabled_by, "bounce") == 0 ? since : "");
}

static int bn_row(const struct store_bounce_row *b, void *ctx)
{
	struct bn_ctx *c = ctx;
	char	last[16], state[64], score[32];

	web_b_date(b->last, last, sizeof(last));
	bn_state(b, state, sizeof(state));
	/* html_fmt has no %f; one decimal as `sealist bounces ls` prints it */
	(void) snprintf(score, sizeof(score), "%.1f", b->score);
	html_fmt(c->out, "<tr><td class=\"address\">%s</td><td class=\"score\">%s</td>"
		 "<td class=\"last\">%s</td><td class=\"state\">%s</td>"
		 "<td class=\"warnings\">%d</td><td class=\"dmarc\">%lld</td>",
		 b->address, score, last, state, b->notices_left, b->dmarc);
	html_fmt(c->out, "<td><form method=\"post\" action=\"%s\"><input type=\"hidden\" "
		 "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"address\" value=\"%s\">"
		 "<button type=\"submit\" aria-label=\"Re-enable %s\">Re-enable</button></form>"
		 "</td></tr>\n", c->action, c->r->session->csrf, b->address, b->address);
	c->n++;
	return 0;
}

static int bn_history_row(const struct store_admin_delivery *d, void *ctx)
{
	struct bn_ctx *c = ctx;
	char	when[32];

	web_b_datetime(d->when, when, sizeof(when));
	html_fmt(c->out, "<tr><td class=\"address\">%s</td><td>%s</td><td>%lld</td>"
		 "<td class=\"error\">%s</td></tr>\n", d->recipient, when, d->attempts, d->error);
	c->n++;
	return 0;
}

static int bn_members(struct bn_ctx *c, const char **error_r)
{
	html_fmt(c->out, "<div class=\"table-scroll\"><table id=\"bounces\">\n<caption>Members "
		 "whose mail bounces</caption>\n<thead><tr><th scope=\"col\">Address</th>"
		 "<th scope=\"col\">Score</th><th scope=\"col\">Last bounce</th>"
		 "<th scope=\"col\">State</th><th scope=\"col\">Warnings left</th>"
		 "<th scope=\"col\">DMARC rejections (not scored)</th>"
		 "<th scope=\"col\">Action</th></tr></thead>\n<tbody>\n");
	if (store_bounce_each(c->r->store, c->r->list, bn_row, c, error_r) != STORE_OK)
		return -1;
	if (c->n == 0)
		html_fmt(c->out, "<tr><td colspan=\"7\">No member has a bounce.</td></tr>\n");
	html_fmt(c->out, "</tbody></table></div>\n");
	return 0;
}

static int bn_history(struct bn_ctx *c, const char **error_r)
{
	c->n = 0;
	html_fmt(c->out, "<div class=\"table-scroll\"><table id=\"bounce-history\">\n<caption>"
		 "Deliveries that bounced, newest first (at most %d)</caption>\n<thead><tr>"
		 "<th scope=\"col\">Recipient</th><th scope=\"col\">Mail queued (UTC)</th>"
		 "<th scope=\"col\">Attempts</th><th scope=\"col\">Answer</th></tr></thead>\n"
		 "<tbody>\n", BN_HISTORY);
	if (store_admin_bounced(c->r->store, c->r->list, BN_HISTORY, bn_history_row, c,
				error_r) != STORE_OK)
		return -1;
	if (c->n == 0)
		html_fmt(c->out, "<tr><td colspan=\"4\">No delivery has bounced.</td></tr>\n");
	html_fmt(c->out, "</tbody></table></div>\n");
	return 0;
}

static enum MHD_Result bn_page(struct web_req *r)
{
	struct buf members, history, note;
	struct bn_ctx c;
	const char *error = NULL, *done = web_query(r, "reenabled");
	char	path[1024];
	enum MHD_Result ret;
	int	rc;

	memset(&c, 0, sizeof(c));
	c.r = r;
	(void) snprintf(path, sizeof(path), "/admin/lists/%s/bounces/reenable", r->list);
	web_url(r, path, c.action, sizeof(c.action));
	buf_init(&members, 8 * 1024 * 1024);
	buf_init(&history, 1024 * 1024);
	buf_init(&note, 4096);
	if (done != NULL)
		html_fmt(&note, "<p class=\"result\" role=\"status\">Re-enabled %s: delivery is on "
			 "and the bounce score is 0.</p>\n", done);
	c.out = &members;
	rc = bn_members(&c, &error);
	c.out = &history;
	if (rc == 0)
		rc = bn_history(&c, &error);
	if (rc == 0) {
		const char *vars[] = {
			"list", r->list, "note_html", buf_str(&note), "bounces_html",
			buf_str(&members), "history_html", buf_str(&history), NULL
		};

		char	title[600];

		(void) snprintf(title, sizeof(title), "Bounces of %s", r->list);
		ret = web_admin_page(r, 200, title, "web-admin-bounces", vars);
	} else
		ret = web_failed(r, "bounces page", error);
	buf_free(&members);
	buf_free(&history);
	buf_free(&note);
	return ret;
}

static enum MHD_Result bn_reenable(struct web_req *r)
{
	const char *address = web_arg(r, "address"), *error = NULL;
	struct store_member_options o;
	char	path[2048], pct[1024];
	int	rc;

	if (address == NULL || *address == 0)
		return web_message(r, 400, "Re-enable", "Which member? The form had no address.");
	/* a member who turned delivery off chose it: not the owner's to undo here */
	rc = store_request_member_options(r->store, r->list, address, &o, &error);
	if (rc == STORE_OK && strcmp(o.disabled_by, "member") == 0)
		return web_message(r, 409, "Cannot re-enable", "The member turned delivery "
				   "off themselves; only they can turn it on again.");
	if (rc == STORE_OK)
		rc = store_request_member_set(r->store, r->list, address, STORE_OPTION_DELIVERY,
					      1, &error);
	if (rc == STORE_NOT_FOUND || rc == STORE_INVALID)
		return web_message(r, rc == STORE_NOT_FOUND ? 404 : 409, "Cannot re-enable",
				   rc == STORE_INVALID ? "An admin disabled this member; that "
				   "is not a bounce to clear here." : error);
	if (rc != STORE_OK)
		return web_failed(r, "re-enable", error);
	web_pct(address, pct, sizeof(pct));
	(void) snprintf(path, sizeof(path), "/admin/lists/%s/bounces?reenabled=%s", r->list, pct);
	return web_redirect(r, path);
}

const struct web_route web_bounces_routes[] = {
	{"GET", "/admin/lists/{list}/bounces", WEB_LIST_OWNER, 0, bn_page},
	{"POST", "/admin/lists/{list}/bounces/reenable", WEB_LIST_OWNER, 0, bn_reenable},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
