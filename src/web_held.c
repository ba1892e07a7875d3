/*
 * NAME
 *	web_held 3
 * SUMMARY
 *	the moderation pages: held posts, one held post, the decisions
 * DESCRIPTION
 *	GET /admin/lists/{list}/held lists the list's held posts (oldest
 *	first) with a checkbox each; GET .../held/{id} shows one as text:
 *	its headers and body in <pre>, never decoded into markup, cut at
 *	WEB_HELD_SHOW octets.  POST .../held carries out approve, reject or
 *	discard for every ticked id through post_decide_held_why, the path
 *	of `sealist held` (cli_held.c) and of a moderator's reply by mail,
 *	so an approval here is rewritten and enqueued exactly as those are.
 *
 *	The router checked the role on {list}; a held id is only a number,
 *	so every id is checked to belong to {list} before anything is done:
 *	a moderator of one list cannot decide another list's posts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dns/dns.h"
#include "html.h"
#include "log.h"
#include "post.h"
#include "verdict.h"
#include "web_int.h"

/* The most of a message's headers, and of its body, a page shows. */
#define WEB_HELD_SHOW		(64 * 1024)
/* Rows on the list page; more wait for these to be decided. */
#define WEB_HELD_ROWS		500
/* Posts decided by one POST. */
#define WEB_HELD_IDS		WEB_HELD_ROWS
/* The reason told to the poster. */
#define WEB_HELD_REASON		300
#define WEB_HELD_HTML_MAX	(4u * 1024 * 1024)
/* DNS for the signature check of an approval: as the pipeline's workers. */
#define WEB_HELD_DNS_TIMEOUT_MS	5000

/* "/admin/lists/L/held" and rest, into out. */
static void web_held_path(const struct web_req *r, const char *rest, char *out, size_t size)
{
	(void) snprintf(out, size, "/admin/lists/%s/held%s", r->list, rest);
}

static void web_held_date(long long t, char *out, size_t size)
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		(void) snprintf(out, size, "%lld", t);
}

/* The verdict in a few words: "DMARC pass (example.net, p=reject); SPF pass; ARC none". */
static void web_held_verdict(const char *text, char *out, size_t size)
{
	struct verdict_summary v;

	memset(&v, 0, sizeof(v));
	if (text == NULL || verdict_parse(text, &v) < 0) {
		(void) snprintf(out, size, "not checked");
		return;
	}
	(void) snprintf(out, size, "DMARC %s%s%s%s%s%s; SPF %s; ARC %s", v.dmarc,
			*v.author ? " (" : "", v.author, *v.policy ? ", p=" : "", v.policy,
			*v.author ? ")" : "", *v.spf ? v.spf : "none", *v.arc ? v.arc : "none");
}

/* A held id from text: digits only; 0 when it is not one. */
static long long web_held_id(const char *s)
{
	long long id = 0;
	size_t	n;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		if (n >= 18)
			return 0;
		else
			id = id * 10 + (s[n] - '0');
	return s[n] == 0 ? id : 0;
}

/*
 * The decisions, for one post or the ticked ones.  Enter in the reason
 * field must not approve: the first submit button is the default one,
 * and a disabled default button submits nothing.
 */
static void web_held_actions(struct buf *b)
{
	html_fmt(b, "<div class=\"held-actions\">\n"
		 "<button type=\"submit\" name=\"action\" value=\"none\" disabled hidden></button>\n"
		 "<label for=\"reason\">Reason, told to the poster on Reject</label>\n"
		 "<input type=\"text\" id=\"reason\" name=\"reason\" maxlength=\"%d\">\n"
		 "<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\n"
		 "<button type=\"submit\" name=\"action\" value=\"reject\">Reject</button>\n"
		 "<button type=\"submit\" name=\"action\" value=\"discard\">Discard</button>\n"
		 "</div>\n", WEB_HELD_REASON);
}

/* ---- the list of held posts ----------------------------------------------------- */

struct web_held_table {
	struct buf *b;
	const struct web_req *r;
	size_t	rows;
};

static int web_held_row(const struct store_c1_held *ch, void *ctx)
{
	struct web_held_table *t = ctx;
	const struct store_held *h = &ch->held;
	char	date[64], verdict[1024], rest[64], path[600], link[1024];

	web_held_date(h->held_at, date, sizeof(date));
	web_held_verdict(ch->verdict, verdict, sizeof(verdict));
	(void) snprintf(rest, sizeof(rest), "/%lld", h->id);
	web_held_path(t->r, rest, path, sizeof(path));
	web_url(t->r, path, link, sizeof(link));
	html_fmt(t->b, "<tr>\n<td><input type=\"checkbox\" name=\"id\" value=\"%lld\""
		 " id=\"held-%lld\"> <label for=\"held-%lld\">#%lld</label></td>\n"
		 "<td>%s</td>\n<td class=\"sender\">%s</td>\n"
		 "<td class=\"subject\"><a href=\"%s\">%s</a></td>\n<td>%s</td>\n<td>%s</td>\n</tr>\n",
		 h->id, h->id, h->id, h->id, date, h->sender, link,
		 *h->subject ? h->subject : "(no subject)", h->reason, verdict);
	t->rows++;
	return 0;
}

/* "Approved 2 posts." and the like, from the query of the redirect. */
static void web_held_result(struct web_req *r, struct buf *b)
{
	static const char *const done_words[][2] = {
		{"approve", "Approved"}, {"reject", "Rejected"}, {"discard", "Discarded"},
	};
	const char *action = web_query(r, "action"), *done = web_query(r, "done");
	const char *gone = web_query(r, "gone"), *failed = web_query(r, "failed");
	size_t	i;

	if (web_query(r, "none") != NULL)
		html_fmt(b, "<p class=\"notice\" role=\"status\">No post was selected.</p>\n");
	for (i = 0; action != NULL && done != NULL && i < 3; i++)
		if (strcmp(action, done_words[i][0]) == 0)
			html_fmt(b, "<p class=\"notice\" role=\"status\">%s %lld post%s.</p>\n",
				 done_words[i][1], web_held_id(done),
				 web_held_id(done) == 1 ? "" : "s");
	if (gone != NULL && web_held_id(gone) > 0)
		html_fmt(b, "<p class=\"notice\" role=\"status\">%lld post%s had been decided"
			 " already.</p>\n", web_held_id(gone), web_held_id(gone) == 1 ? "" : "s");
	if (failed != NULL && web_held_id(failed) > 0)
		html_fmt(b, "<p class=\"error\" role=\"alert\">%lld post%s could not be decided;"
			 " the log says why. Try again later.</p>\n", web_held_id(failed),
			 web_held_id(failed) == 1 ? "" : "s");
}

static enum MHD_Result web_held_list(struct web_req *r)
{
	struct buf table, notice, actions;
	struct web_held_table t = { &table, r, 0 };
	const char *error;
	char	path[600], action[1024], title[600];
	enum MHD_Result ret;

	(void) snprintf(title, sizeof(title), "Held posts of %s", r->list);
	buf_init(&table, WEB_HELD_HTML_MAX);
	buf_init(&notice, 64 * 1024);
	buf_init(&actions, 4096);
	web_held_result(r, &notice);
	web_held_actions(&actions);
	html_fmt(&table, "<div class=\"table-wrap\">\n<table class=\"held\">\n<thead><tr>"
		 "<th scope=\"col\">Post</th><th scope=\"col\">Held since</th>"
		 "<th scope=\"col\">Sender</th><th scope=\"col\">Subject</th>"
		 "<th scope=\"col\">Why held</th><th scope=\"col\">Authentication</th>"
		 "</tr></thead>\n<tbody>\n");
	if (store_c1_held_each(r->store, r->list, WEB_HELD_ROWS, web_held_row, &t, &error)
	    != STORE_OK) {
		ret = web_failed(r, "cannot read the held posts", error);
		goto out;
	}
	html_fmt(&table, "</tbody>\n</table>\n</div>\n");
	if (t.rows == 0) {
		buf_reset(&table);
		html_fmt(&table, "<p class=\"empty\">No posts are waiting.</p>\n");
	} else if (t.rows == WEB_HELD_ROWS)
		html_fmt(&table, "<p>The oldest %d are shown; decide these to see the rest.</p>\n",
			 WEB_HELD_ROWS);
	web_held_path(r, "", path, sizeof(path));
	web_url(r, path, action, sizeof(action));
	if (buf_failed(&table) || buf_failed(&notice) || buf_failed(&actions))
		ret = web_failed(r, "the held posts page", "too large");
	else {
		const char *vars[] = { "list", r->list, "action", action,
			"notice_html", buf_str(&notice), "table_html", buf_str(&table),
			"actions_html", buf_str(&actions), NULL };

		ret = web_admin_page(r, 200, title, "web-admin-held", vars);
	}
out:
	buf_free(&table);
	buf_free(&notice);
	buf_free(&actions);
	return ret;
}

/* ---- one held post ---------------------------------------------------------------- */

/*
 * At most max octets of s (len) as text: CR before LF dropped, cut at a
 * character boundary.  *cut_r set when something was left out.
 */
static char *web_held_text(const unsigned char *s, size_t len, size_t max, int *cut_r)
{
	size_t	i, j, n = len < max ? len : max;
	char   *out;

	if (n < len) {
		*cut_r = 1;
		while (n > 0 && (s[n] & 0xc0) == 0x80)
			n--;
	}
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (i = j = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
			out[j++] = s[i] ? (char) s[i] : ' ';
	out[j] = 0;
	return out;
}

/* Where the body starts: after the first empty line (len: none). */
static size_t web_held_body_at(const unsigned char *m, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i++)
		if (m[i] == '\n' && (m[i + 1] == '\n'
				     || (m[i + 1] == '\r' && i + 2 < len && m[i + 2] == '\n')))
			return i + 1 + (m[i + 1] == '\r' ? 2 : 1);
	return len;
}

static enum MHD_Result web_held_show(struct web_req *r, const struct store_held *h,
				     const struct store_inbox_msg *in)
{
	size_t	at = web_held_body_at(in->message, in->size), hlen = at;
	char   *headers, *body;
	char	date[64], verdict[1024], size[32], id[32], path[600], back[1024], title[600];
	struct buf actions;
	int	cut = 0;
	enum MHD_Result ret;

	buf_init(&actions, 4096);
	web_held_actions(&actions);
	/* the empty line ending the header is not shown */
	while (hlen > 0 && (in->message[hlen - 1] == '\n' || in->message[hlen - 1] == '\r'))
		hlen--;
	headers = web_held_text(in->message, hlen, WEB_HELD_SHOW, &cut);
	body = web_held_text(in->message + at, in->size - at, WEB_HELD_SHOW, &cut);
	web_held_date(h->held_at, date, sizeof(date));
	web_held_verdict(in->verdict, verdict, sizeof(verdict));
	(void) snprintf(size, sizeof(size), "%zu octets", in->size);
	(void) snprintf(id, sizeof(id), "%lld", h->id);
	(void) snprintf(title, sizeof(title), "Held post #%lld of %s", h->id, r->list);
	web_held_path(r, "", path, sizeof(path));
	web_url(r, path, back, sizeof(back));
	if (headers == NULL || body == NULL || buf_failed(&actions))
		ret = web_failed(r, "cannot show a held post", "out of memory");
	else {
		const char *vars[] = { "list", r->list, "id", id, "date", date,
			"sender", h->sender, "subject", h->subject, "reason", h->reason,
			"verdict", verdict, "authres", in->authres ? in->authres : "(none)",
			"size", size, "back", back, "action", back,
			"cut", cut ? "Only the first 64 KB of the headers and of the body are"
			" shown." : "", "headers", headers, "body", body, "actions_html", buf_str(&actions), NULL };

		ret = web_admin_page(r, 200, title, "web-admin-held-one", vars);
	}
	free(headers);
	free(body);
	buf_free(&actions);
	return ret;
}

/* The held post {id} of {list}: 1, 0 not this list's (or none), -1 failed. */
static int web_held_find(struct web_req *r, long long id, struct store_held *h,
			 const char **error_r)
{
	int	status;

	if (id <= 0)
		return 0;
	if ((status = store_held_get(r->store, id, NULL, h, error_r)) == STORE_NOT_FOUND)
		return 0;
	if (status != STORE_OK)
		return -1;
	return strcasecmp(h->list, r->list) == 0;
}

static enum MHD_Result web_held_one(struct web_req *r)
{
	struct store_held h;
	struct store_inbox_msg in;
	const char *error;
	enum MHD_Result ret;
	int	found = web_held_find(r, web_held_id(r->id), &h, &error);

	if (found < 0)
		return web_failed(r, "cannot read a held post", error);
	if (found == 0)
		return web_not_found(r);
	if (store_inbox_get(r->store, h.inbox_id, &in, &error) != STORE_OK)
		return web_failed(r, "cannot read a held message", error);
	ret = web_held_show(r, &h, &in);
	store_inbox_msg_free(&in);
	return ret;
}

/* ---- the decisions ---------------------------------------------------------------- */

/* The reason as one line of at most WEB_HELD_REASON octets. */
static void web_held_reason(const char *in, char *out, size_t size)
{
	size_t	i, n = 0;

	for (i = 0; in != NULL && in[i] != 0 && n + 1 < size; i++)
		out[n++] = (unsigned char) in[i] < 0x20 ? ' ' : in[i];
	/* cut inside a character: drop its first bytes too */
	if (in != NULL && (in[i] & 0xc0) == 0x80) {
		while (n > 0 && (out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0)
			n--;
	}
	out[n] = 0;
}

struct web_held_counts {
	size_t	done, gone, failed;
};

static void web_held_decide(struct web_req *r, const long long *ids, size_t n,
			    const char *action, const char *reason, struct web_held_counts *k)
{
	struct post_ctx c;
	struct dns_resolver *own = NULL;
	const char *error;
	size_t	i;
	int	status;

	web_post_ctx(r, &c);
	/* approving checks the author's signature (dmarc_keep_unmodified), which
	   needs DNS; web_post_ctx has none (few requests need one, and a
	   resolver is one thread's), so the decisions make their own */
	if (c.resolver == NULL
	    && (own = c.resolver = dns_resolver_new(web_cfg(r)->dns_nameserver,
						    WEB_HELD_DNS_TIMEOUT_MS, &error)) == NULL) {
		log_error("event=web action=held list=%s error=%s", r->list, log_quote(error));
		k->failed += n;
		return;
	}
	for (i = 0; i < n; i++) {
		status = post_decide_held_why(&c, ids[i], NULL, action, reason, &error);
		if (status == STORE_OK)
			k->done++;
		else if (status == STORE_NOT_FOUND)
			k->gone++;
		else {
			k->failed++;
			log_error("event=web action=%s held=%lld list=%s user=%s error=%s", action,
				  ids[i], r->list, r->session->user, log_quote(error));
		}
	}
	dns_resolver_free(own);
	if (k->done > 0 && strcmp(action, "discard") != 0)
		web_queued(r, k->done);
	if (k->done > 0)
		log_info("event=web action=%s list=%s user=%s posts=%zu", action, r->list,
			 r->session->user, k->done);
}

/*
 * The ticked ids, each checked to be a held post of {list} first: 1 all
 * are (those decided meanwhile are counted as gone), 0 one is not, -1
 * the store failed.
 */
static int web_held_ids(struct web_req *r, long long *ids, size_t *n_r,
			struct web_held_counts *k, const char **error_r)
{
	const char *args[WEB_HELD_IDS];
	struct store_held h;
	size_t	i, n = web_args(r, "id", args, WEB_HELD_IDS);
	int	status;

	*n_r = 0;
	for (i = 0; i < n; i++) {
		long long id = web_held_id(args[i]);

		if (id <= 0)
			return 0;
		status = store_held_get(r->store, id, NULL, &h, error_r);
		if (status == STORE_NOT_FOUND) {
			k->gone++;
			continue;
		}
		if (status != STORE_OK)
			return -1;
		if (strcasecmp(h.list, r->list) != 0)
			return 0;
		ids[(*n_r)++] = id;
	}
	return 1;
}

static enum MHD_Result web_held_post(struct web_req *r)
{
	long long ids[WEB_HELD_IDS];
	struct web_held_counts k = { 0, 0, 0 };
	const char *action = web_arg(r, "action"), *error;
	char	reason[WEB_HELD_REASON + 1], rest[160], path[600];
	size_t	n;
	int	ok;

	if (action == NULL || (strcmp(action, "approve") != 0 && strcmp(action, "reject") != 0
			       && strcmp(action, "discard") != 0))
		return web_message(r, 400, "No decision",
				   "Choose Approve, Reject or Discard for the selected posts.");
	if ((ok = web_held_ids(r, ids, &n, &k, &error)) < 0)
		return web_failed(r, "cannot read a held post", error);
	if (ok == 0)
		return web_not_found(r);
	if (n == 0 && k.gone == 0) {
		web_held_path(r, "?none=1", path, sizeof(path));
		return web_redirect(r, path);
	}
	web_held_reason(web_arg(r, "reason"), reason, sizeof(reason));
	web_held_decide(r, ids, n, action, reason, &k);
	(void) snprintf(rest, sizeof(rest), "?action=%s&done=%zu&gone=%zu&failed=%zu", action,
			k.done, k.gone, k.failed);
	web_held_path(r, rest, path, sizeof(path));
	return web_redirect(r, path);
}

const struct web_route web_held_routes[] = {
	{"GET", "/admin/lists/{list}/held", WEB_LIST_MODERATOR, 0, web_held_list},
	{"GET", "/admin/lists/{list}/held/{id}", WEB_LIST_MODERATOR, 0, web_held_one},
	{"POST", "/admin/lists/{list}/held", WEB_LIST_MODERATOR, 0, web_held_post},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
