/*
 * NAME
 *	test_request 1
 * SUMMARY
 *	mail commands on a real store: double opt-in, policies, set, who,
 *	the reply rate limit and the RFC 3834 rules
 * DESCRIPTION
 *	A fresh database file with two lists, an injected clock, and
 *	request_process() given commands built here (so the test does not
 *	depend on the parser).  What each request would send is read from
 *	the result's rows; what it changed, from the database.
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "msg/msg.h"
#include "post.h"
#include "request.h"
#include "store.h"
#include "tap.h"

#define T0	1798761600LL		/* 2027-01-01 00:00 UTC */
#define LIST	"dev@example.org"
#define OTHER	"other@example.org"
#define OWNER	"owner@example.org"

static char test_dir[256], test_db[300];
static struct store *st;
static struct post_ctx ctx;

static void fail_setup(const char *what, const char *error)
{
	fprintf(stderr, "setup: %s: %s\n", what, error != NULL ? error : "?");
	exit(99);
}

static long long raw_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
	    && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	} else
		tap_diag("raw_int: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	return v;
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR"), *error = NULL;

	snprintf(test_dir, sizeof(test_dir), "%s/test_request.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(test_dir) == NULL)
		fail_setup("mkdtemp", test_dir);
	snprintf(test_db, sizeof(test_db), "%s/sealist.db", test_dir);
	if ((st = store_open(test_db, &error)) == NULL)
		fail_setup("store_open", error);
	if (store_list_create(st, LIST, OWNER, &error) != STORE_OK
	    || store_list_create(st, OTHER, OWNER, &error) != STORE_OK)
		fail_setup("store_list_create", error);
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = st;
	ctx.templates_dir = tap_srcpath("templates");
	ctx.web_base_url = "";
	ctx.delimiter = '+';
	ctx.now = (time_t) T0;
	ctx.pending_request_life = 3 * 86400;
	ctx.request_replies_per_hour = 10;
	ctx.request_max_commands = 25;
}

static void teardown(void)
{
	char	path[400];

	store_close(st);
	snprintf(path, sizeof(path), "%s-wal", test_db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", test_db);
	unlink(path);
	unlink(test_db);
	rmdir(test_dir);
}

/* ---- one request --------------------------------------------------------------- */

/* A command as reqparse would give it: words split at blanks. */
struct cmdbuf {
	struct reqparse_cmd cmd[8];
	char	text[8][256];
	size_t	n;
};

static enum reqparse_verb verb_of(const char *w)
{
	static const struct { const char *w; enum reqparse_verb v; } t[] = {
		{"help", REQ_HELP}, {"info", REQ_INFO}, {"lists", REQ_LISTS}, {"who", REQ_WHO},
		{"subscribe", REQ_SUBSCRIBE}, {"join", REQ_SUBSCRIBE},
		{"unsubscribe", REQ_UNSUBSCRIBE}, {"leave", REQ_UNSUBSCRIBE},
		{"confirm", REQ_CONFIRM}, {"set", REQ_SET}, {"echo", REQ_ECHO}, {"end", REQ_END},
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].w, w) == 0)
			return t[i].v;
	return REQ_END;
}

static void add_cmd(struct cmdbuf *b, const char *line)
{
	struct reqparse_cmd *c = &b->cmd[b->n];
	char   *p = b->text[b->n];
	int	first = 1;

	memset(c, 0, sizeof(*c));
	snprintf(b->text[b->n], sizeof(b->text[b->n]), "%s", line);
	c->line = line;
	while (*p) {
		char   *w = p;

		p += strcspn(p, " ");
		if (*p)
			*p++ = 0;
		if (first) {
			c->word = w;
			c->verb = verb_of(w);
			first = 0;
		} else if (c->nargs < REQPARSE_MAX_ARGS)
			c->args[c->nargs++] = w;
	}
	c->line_no = (int) b->n + 1;
	b->n++;
}

struct req {
	const char *list, *role, *tag;
	const char *envelope, *from;	/* from NULL: the envelope */
	const char *dmarc;		/* NULL: pass */
	const char *headers;		/* extra header lines, CRLF-ended */
	const char *cmds[8];		/* for role request */
};

struct got {
	int	ret;
	char	state[32];
	char	reason[512];
	size_t	n;
	char	rcpt[8][200];
	char   *msg[8];
};

static void got_free(struct got *g)
{
	size_t	i;

	for (i = 0; i < g->n; i++)
		free(g->msg[i]);
	memset(g, 0, sizeof(*g));
}

/* The message with a quoted-printable body decoded (notices are QP when a
   line is long or not ASCII), so that tests can look for text. */
static char *unqp(const char *p, size_t n)
{
	char   *out = malloc(n + 1);
	const char *body = memmem(p, n, "\r\n\r\n", 4);
	int	qp = memmem(p, body ? (size_t) (body - p) : n,
			    "Content-Transfer-Encoding: quoted-printable", 43) != NULL;
	size_t	i, k = 0;

	if (out == NULL)
		fail_setup("malloc", "no memory");
	for (i = 0; i < n; i++) {
		if (qp && p + i > body && p[i] == '=' && i + 2 < n && p[i + 1] == '\r'
		    && p[i + 2] == '\n') {
			i += 2;
			continue;
		}
		if (qp && p + i > body && p[i] == '=' && i + 2 < n) {
			char	hex[3] = { p[i + 1], p[i + 2], 0 };

			out[k++] = (char) strtol(hex, NULL, 16);
			i += 2;
			continue;
		}
		out[k++] = p[i];
	}
	out[k] = 0;
	return out;
}

static void run(const struct req *q, struct got *g)
{
	struct store_inbox_msg in;
	struct store_rcpt rc;
	struct post_result r;
	struct reqparse_result pr;
	struct cmdbuf cb;
	struct msg *m = NULL;
	char	text[2048], rcpt[300];
	const char *error = NULL, *from = q->from ? q->from : q->envelope;
	long long list_id = 0;
	size_t	i;

	memset(g, 0, sizeof(*g));
	snprintf(text, sizeof(text), "From: <%s>\r\nTo: <x@example.org>\r\nSubject: req\r\n"
		 "Message-ID: <req@test>\r\n%s\r\nbody\r\n", from, q->headers ? q->headers : "");
	if (msg_parse(&m, text, strlen(text), &error) < 0)
		fail_setup("msg_parse", error);
	memset(&in, 0, sizeof(in));
	in.envelope_from = (char *) q->envelope;
	in.message = (unsigned char *) text;
	in.size = strlen(text);
	store_list_id(st, q->list ? q->list : LIST, &list_id, &error);
	memset(&rc, 0, sizeof(rc));
	snprintf(rcpt, sizeof(rcpt), "%s", q->list ? q->list : LIST);
	rc.address = rcpt;
	rc.list = q->list ? q->list : LIST;
	rc.list_id = list_id;
	rc.role = q->role ? q->role : "request";
	rc.tag = q->tag ? q->tag : "";
	rc.state = "pending";
	memset(&cb, 0, sizeof(cb));
	for (i = 0; i < 8 && q->cmds[i] != NULL; i++)
		add_cmd(&cb, q->cmds[i]);
	memset(&pr, 0, sizeof(pr));
	pr.cmds = cb.cmd;
	pr.n = cb.n;
	post_result_init(&r);
	snprintf(r.verdict.dmarc, sizeof(r.verdict.dmarc), "%s", q->dmarc ? q->dmarc : "pass");
	snprintf(r.verdict.author_address, sizeof(r.verdict.author_address), "%s", from);
	g->ret = request_process(&ctx, &in, &rc, m,
				 strcmp(rc.role, "request") == 0 ? &pr : NULL, &r, &error);
	if (g->ret < 0)
		tap_diag("request_process: %s", error ? error : "?");
	snprintf(g->state, sizeof(g->state), "%s", r.outcome.state ? r.outcome.state : "");
	snprintf(g->reason, sizeof(g->reason), "%s", r.outcome.reason ? r.outcome.reason : "");
	for (i = 0; i < r.outcome.noutbound && i < 8; i++) {
		snprintf(g->rcpt[i], sizeof(g->rcpt[i]), "%s", r.rows[i].recipients);
		g->msg[i] = unqp(r.rows[i].message, r.rows[i].size);
	}
	g->n = i;
	post_result_free(&r);
	msg_free(m);
}

/* The row to rcpt (first), or -1. */
static int row_to(const struct got *g, const char *rcpt)
{
	size_t	i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->rcpt[i], rcpt) == 0)
			return (int) i;
	return -1;
}

static int has(const struct got *g, int i, const char *needle)
{
	return i >= 0 && (size_t) i < g->n && strstr(g->msg[i], needle) != NULL;
}

/* The token of a confirmation ("Subject: confirm TOKEN"), into out. */
static void token_of(const struct got *g, int i, char *out, size_t size)
{
	const char *p = i >= 0 && (size_t) i < g->n ? strstr(g->msg[i], "Subject: confirm ") : NULL;

	out[0] = 0;
	if (p != NULL)
		snprintf(out, size, "%.*s", (int) strcspn(p + 17, "\r\n"), p + 17);
}

static long long count(const char *sql)
{
	return raw_int(sql);
}

/* ---- the cases ------------------------------------------------------------------ */

static void test_subscribe_confirm(void)
{
	struct req q = { .envelope = "a@example.net", .cmds = { "subscribe" } };
	struct got g;
	char	token[80], want[200];
	int	i;

	run(&q, &g);
	tap_int(g.ret, 0, "subscribe: processed");
	tap_int((long long) g.n, 1, "subscribe alone: the confirmation is the one answer");
	i = row_to(&g, "a@example.net");
	token_of(&g, i, token, sizeof(token));
	tap_int((long long) strlen(token), 32, "the token is 128 bits in hex");
	snprintf(want, sizeof(want), "Reply-To: <dev-confirm+%s@example.org>", token);
	tap_ok(has(&g, i, want), "the confirmation's Reply-To is LIST-confirm+TOKEN@");
	tap_ok(has(&g, i, "Auto-Submitted: auto-replied"), "the confirmation is auto-replied");
	tap_ok(has(&g, i, "In-Reply-To: <req@test>"), "the confirmation answers the request");
	got_free(&g);
	/* with another command: the results too */
	q.cmds[1] = "set show";
	q.envelope = "a2@example.net";
	run(&q, &g);
	tap_ok(g.n == 2 && has(&g, 1, ">>> subscribe\r\n    processed: a confirmation was sent "
			       "to a2@example.net"), "subscribe and set: the results say what was done");
	q.cmds[1] = NULL;
	q.envelope = "a@example.net";
	tap_int(count("SELECT count(*) FROM pending_requests WHERE state = 'awaiting_confirmation'"
		      " AND address = 'a@example.net'"), 1, "a pending row");
	tap_int(count("SELECT count(*) FROM members WHERE address = 'a@example.net'"), 0,
		"not a member yet");
	got_free(&g);

	/* a reply to the confirmation: LIST-confirm+TOKEN@ */
	ctx.now += 60;
	q = (struct req) { .envelope = "a@example.net", .role = "confirm", .tag = token };
	run(&q, &g);
	tap_int(count("SELECT count(*) FROM members WHERE address = 'a@example.net'"), 1,
		"confirm: a member now");
	tap_int((long long) g.n, 1, "confirm: only the welcome (it answers)");
	tap_ok(has(&g, 0, "Subject: Welcome to dev@example.org"), "the welcome mail");
	tap_str(g.state, "done", "confirm: done");
	got_free(&g);

	/* the same token again, as a command */
	snprintf(want, sizeof(want), "confirm %s", token);
	q = (struct req) { .envelope = "a@example.net", .cmds = { want } };
	run(&q, &g);
	tap_ok(has(&g, 0, "failed: this token was used already"), "a re-used token is refused");
	got_free(&g);

	/* subscribe again: already a member */
	q = (struct req) { .envelope = "a@example.net", .cmds = { "subscribe" } };
	run(&q, &g);
	tap_ok(g.n == 1 && has(&g, 0, "ignored: a@example.net is already a member"),
	       "subscribing a member: ignored");
	got_free(&g);
}

static void test_third_party(void)
{
	struct req q = { .envelope = "b@example.net",
		.cmds = { "subscribe address=victim@example.com" } };
	struct got g;
	char	token[80], token2[80];

	ctx.now += 3600;
	run(&q, &g);
	tap_int((long long) g.n, 1, "third party: one mail");
	tap_str(g.rcpt[0], "victim@example.com", "third party: to the address itself");
	tap_ok(has(&g, 0, "Auto-Submitted: auto-generated"), "third party: auto-generated");
	tap_ok(has(&g, 0, "came from b@example.net"), "third party: says who asked");
	tap_int(row_to(&g, "b@example.net"), -1, "third party: nothing to the requester");
	token_of(&g, 0, token, sizeof(token));
	got_free(&g);

	/* again within the hour: the same row, nothing sent */
	ctx.now += 600;
	run(&q, &g);
	tap_int((long long) g.n, 0, "re-request within the hour: nothing sent");
	tap_int(count("SELECT count(*) FROM pending_requests WHERE address = 'victim@example.com'"),
		1, "re-request: the pending row re-used");
	got_free(&g);

	/* two hours later: the confirmation again, same token */
	ctx.now += 7200;
	run(&q, &g);
	token_of(&g, 0, token2, sizeof(token2));
	tap_ok(g.n == 1 && strcmp(token, token2) == 0, "re-request later: re-sent, same token");
	got_free(&g);

	/* the token on another list */
	q = (struct req) { .list = OTHER, .envelope = "victim@example.com", .role = "confirm",
		.tag = token };
	run(&q, &g);
	tap_ok(has(&g, 0, "failed: this token belongs to another list"),
	       "a token of another list is refused");
	got_free(&g);

	/* expired */
	ctx.now += 4 * 86400;
	q = (struct req) { .envelope = "victim@example.com", .role = "confirm", .tag = token };
	run(&q, &g);
	tap_ok(has(&g, 0, "failed: this token expired on"), "an expired token is refused");
	tap_int(count("SELECT count(*) FROM members WHERE address = 'victim@example.com'"), 0,
		"expired: not subscribed");
	got_free(&g);

	q = (struct req) { .envelope = "victim@example.com", .role = "confirm",
		.tag = "00112233445566778899aabbccddeeff" };
	run(&q, &g);
	tap_ok(has(&g, 0, "failed: no such confirmation token"), "an unknown token is refused");
	got_free(&g);
}

static void test_policies(void)
{
	struct req q = { .list = OTHER, .envelope = "d@example.net", .cmds = { "subscribe" } };
	struct got g;
	const char *error;
	char	token[80];
	int	i;

	/* 2: approve */
	store_setting_set(st, OTHER, "subscribe_policy", "2", &error);
	run(&q, &g);
	i = row_to(&g, OWNER);
	tap_ok(has(&g, i, "Subject: other@example.org: a subscribe request needs your approval"),
	       "policy 2: the owners are asked");
	tap_ok(has(&g, row_to(&g, "d@example.net"), "waits for the owners' approval"),
	       "policy 2: the reply says so");
	got_free(&g);
	{
		sqlite3 *db;
		sqlite3_stmt *s;

		token[0] = 0;
		if (sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
		    && sqlite3_prepare_v2(db, "SELECT token FROM pending_requests WHERE address ="
					  " 'd@example.net'", -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW)
				snprintf(token, sizeof(token), "%s", sqlite3_column_text(s, 0));
			sqlite3_finalize(s);
		}
		sqlite3_close(db);
	}
	tap_int(request_decide(&ctx, token, "approve", &error), STORE_OK, "approve");
	tap_int(count("SELECT count(*) FROM members m JOIN lists l ON l.id = m.list_id"
		      " WHERE l.local_part = 'other' AND address = 'd@example.net'"), 1,
		"policy 2: a member after approval");
	tap_int(count("SELECT count(*) FROM outbound WHERE recipients = 'd@example.net'"), 1,
		"policy 2: the welcome is queued");
	tap_ok(request_decide(&ctx, token, "approve", &error) == STORE_NOT_FOUND,
	       "approving twice: not found");

	/* 3: confirm, then approve */
	store_setting_set(st, OTHER, "subscribe_policy", "3", &error);
	q.envelope = "e@example.net";
	run(&q, &g);
	i = row_to(&g, "e@example.net");
	token_of(&g, i, token, sizeof(token));
	tap_ok(*token != 0 && row_to(&g, OWNER) < 0, "policy 3: a confirmation first");
	got_free(&g);
	q = (struct req) { .list = OTHER, .envelope = "e@example.net", .role = "confirm",
		.tag = token };
	run(&q, &g);
	tap_ok(row_to(&g, OWNER) >= 0, "policy 3: confirmed, the owners are asked");
	tap_ok(has(&g, row_to(&g, "e@example.net"), "now waits for the owners' approval"),
	       "policy 3: the reply says so");
	tap_int(count("SELECT count(*) FROM pending_requests WHERE address = 'e@example.net'"
		      " AND state = 'awaiting_approval'"), 1, "policy 3: awaiting approval");
	got_free(&g);
	tap_int(request_decide(&ctx, token, "reject", &error), STORE_OK, "reject");
	tap_int(count("SELECT count(*) FROM members WHERE address = 'e@example.net'"), 0,
		"rejected: not a member");

	/* 0: open only where the site allows it */
	store_setting_set(st, OTHER, "subscribe_policy", "0", &error);
	q = (struct req) { .list = OTHER, .envelope = "f@example.net", .cmds = { "subscribe" } };
	run(&q, &g);
	tap_ok(has(&g, row_to(&g, "f@example.net"), "Subject: confirm "),
	       "policy 0 without allow_open_subscribe: a confirmation");
	got_free(&g);
	ctx.allow_open_subscribe = 1;
	q.envelope = "g@example.net";
	run(&q, &g);
	tap_int(count("SELECT count(*) FROM members WHERE address = 'g@example.net'"), 1,
		"policy 0 with allow_open_subscribe: a member at once");
	tap_ok(has(&g, 0, "Subject: Welcome to other@example.org"), "policy 0: welcome");
	got_free(&g);
	/* but never for someone else */
	q.cmds[0] = "subscribe address=h@example.net";
	run(&q, &g);
	tap_ok(g.n == 1 && has(&g, 0, "Subject: confirm "), "policy 0, third party: a confirmation");
	tap_int(count("SELECT count(*) FROM members WHERE address = 'h@example.net'"), 0,
		"policy 0, third party: not a member");
	got_free(&g);
	ctx.allow_open_subscribe = 0;
}

static void test_unsubscribe(void)
{
	struct req q = { .envelope = "a@example.net", .dmarc = "none", .cmds = { "unsubscribe" } };
	struct got g;
	char	token[80];

	/* not authenticated: a confirmation to the member */
	run(&q, &g);
	token_of(&g, row_to(&g, "a@example.net"), token, sizeof(token));
	tap_ok(*token != 0, "unsubscribe without DMARC pass: a confirmation");
	got_free(&g);
	q = (struct req) { .envelope = "a@example.net", .role = "confirm", .tag = token };
	run(&q, &g);
	tap_int(count("SELECT count(*) FROM members WHERE address = 'a@example.net'"), 0,
		"confirmed: removed");
	tap_ok(g.n == 1 && has(&g, 0, "Subject: You have left dev@example.org"), "goodbye");
	got_free(&g);

	/* LIST-leave@ from a member with DMARC pass: at once */
	store_member_add(st, LIST, &(struct store_new_member) { .address = "k@example.net" }, 1,
			 NULL);
	q = (struct req) { .envelope = "k@example.net", .role = "leave" };
	run(&q, &g);
	tap_int(count("SELECT count(*) FROM members WHERE address = 'k@example.net'"), 0,
		"leave: removed at once");
	tap_ok(g.n == 1 && has(&g, 0, "You have left"), "leave: the goodbye answers");
	got_free(&g);
	q = (struct req) { .envelope = "k@example.net", .cmds = { "unsubscribe" } };
	run(&q, &g);
	tap_ok(has(&g, 0, "failed: k@example.net is not a member"), "unsubscribe a non-member");
	got_free(&g);
}

static void test_set_who(void)
{
	struct req q = { .envelope = "m@example.net",
		.cmds = { "set digest plain", "set delivery off", "set ack on", "set myposts off",
			  "set show", "set frob on" } };
	struct got g;
	const char *error;

	store_member_add(st, LIST, &(struct store_new_member) { .address = "m@example.net" }, 1,
			 NULL);
	run(&q, &g);
	tap_int(count("SELECT count(*) FROM members WHERE address = 'm@example.net' AND"
		      " delivery_mode = 'digest' AND status = 'disabled' AND disabled_by = 'member'"
		      " AND ack = 1 AND myposts = 0"), 1, "set: digest, delivery, ack, myposts");
	tap_ok(has(&g, 0, ">>> set show\r\n    processed: delivery off (disabled by member), "
		   "digest on, ack on, myposts off"), "set show");
	tap_ok(has(&g, 0, ">>> set frob on\r\n    failed: use set delivery"), "set frob: failed");
	got_free(&g);
	q = (struct req) { .envelope = "m@example.net", .cmds = { "set delivery on", "set digest off" } };
	run(&q, &g);
	tap_int(count("SELECT count(*) FROM members WHERE address = 'm@example.net' AND"
		      " delivery_mode = 'regular' AND status = 'enabled' AND disabled_by IS NULL"), 1,
		"set delivery on, digest off");
	got_free(&g);
	q = (struct req) { .envelope = "stranger@example.net", .cmds = { "set show" } };
	run(&q, &g);
	tap_ok(has(&g, 0, "failed: stranger@example.net is not a member"), "set: members only");
	got_free(&g);

	q = (struct req) { .envelope = "m@example.net", .cmds = { "who" } };
	run(&q, &g);
	tap_ok(has(&g, 0, "failed: the member list is private (private_roster 1"),
	       "who with private_roster 1: refused");
	got_free(&g);
	store_setting_set(st, LIST, "private_roster", "0", &error);
	run(&q, &g);
	tap_ok(has(&g, 0, "    m@example.net\r\n"), "who with private_roster 0: the members");
	got_free(&g);

	q = (struct req) { .envelope = "m@example.net",
		.cmds = { "help", "info", "lists", "echo hello there", "end", "who" } };
	run(&q, &g);
	tap_ok(has(&g, 0, "Commands for dev@example.org go to dev-request@example.org"), "help");
	if (getenv("TEST_REQUEST_SHOW") != NULL && g.n > 0)
		tap_diag("%s", g.msg[0]);
	tap_ok(has(&g, 0, "    other@example.org\r\n"), "lists");
	tap_ok(has(&g, 0, "    hello there\r\n"), "echo");
	tap_ok(!has(&g, 0, ">>> who"), "nothing after end");
	tap_ok(has(&g, 0, "Subject: The results of your mail commands to dev@example.org"),
	       "one results mail");
	tap_int((long long) g.n, 1, "one reply for many commands");
	got_free(&g);
}

/* Many commands in one mail: one reply; mails beyond the rows are not sent. */
static void test_many(void)
{
	struct req q = { .envelope = "many@example.net",
		.cmds = { "help", "info", "help", "info", "help", "info", "help", "info" } };
	struct req t = { .envelope = "many@example.net",
		.cmds = { "subscribe address=t1@example.com", "subscribe address=t2@example.com",
			  "subscribe address=t3@example.com", "subscribe address=t4@example.com",
			  "subscribe address=t5@example.com", "subscribe address=t6@example.com",
			  "subscribe address=t7@example.com", "subscribe address=t8@example.com" } };
	struct got g;
	int	i;

	for (i = 0; i < 4; i++) {
		run(&q, &g);
		tap_ok(g.ret == 0 && g.n == 1, "eight commands, round %d: one reply", i + 1);
		got_free(&g);
	}
	ctx.now += 7200;
	run(&t, &g);
	tap_ok(g.ret == 0 && g.n == POST_MAX_ROWS - 1 && row_to(&g, "many@example.net") < 0,
	       "eight third parties: %d confirmations, the rest not sent (%zu)",
	       POST_MAX_ROWS - 1, g.n);
	tap_ok(strstr(g.reason, "too many mails for one request") != NULL,
	       "the reason says why (%s)", g.reason);
	got_free(&g);
}

static void test_rate_limit(void)
{
	struct req q = { .envelope = "flood@example.net", .cmds = { "help" } };
	struct req t = { .envelope = "x@example.net", .cmds = { "subscribe address=target@example.com" } };
	struct got g;
	int	i, sent = 0, to_target = 0;
	char	sender[64];

	ctx.now += 86400;
	for (i = 0; i < 100; i++) {
		run(&q, &g);
		sent += (int) g.n;
		got_free(&g);
	}
	tap_int(sent, 10, "100 requests in an hour: 10 replies (request_replies_per_hour)");
	run(&q, &g);
	tap_ok(strstr(g.reason, "request_replies_per_hour") != NULL, "the reason names the rule");
	got_free(&g);
	/* 100 senders subscribing one third party, each two hours apart:
	   re-sent at most once an hour, and at most 10 an hour */
	for (i = 0; i < 100; i++) {
		snprintf(sender, sizeof(sender), "s%d@example.net", i);
		t.envelope = sender;
		run(&t, &g);
		to_target += row_to(&g, "target@example.com") >= 0;
		got_free(&g);
	}
	tap_ok(to_target == 1, "100 third-party requests in an hour: one confirmation (%d)",
	       to_target);
	/* a confirmation counts against the third party: with a limit of 1,
	   the second list's confirmation to it within the hour is held back */
	ctx.request_replies_per_hour = 1;
	t = (struct req) { .envelope = "y@example.net",
		.cmds = { "subscribe address=third@example.com" } };
	run(&t, &g);
	tap_int(row_to(&g, "third@example.com"), 0, "limit 1: the first confirmation goes");
	got_free(&g);
	t.list = OTHER;
	t.envelope = "z@example.net";
	run(&t, &g);
	tap_ok(g.n == 0 && strstr(g.reason, "not sent to third@example.com: "
				  "request_replies_per_hour") != NULL,
	       "limit 1: the second is not sent, and the reason says why");
	got_free(&g);
	ctx.request_replies_per_hour = 10;
}

static void test_never_answered(void)
{
	static const struct {
		const char *what, *envelope, *from, *dmarc, *headers;
	} rows[] = {
		{"Auto-Submitted: auto-replied", "v@example.net", NULL, NULL,
		 "Auto-Submitted: auto-replied\r\n"},
		{"Auto-Submitted: Auto-Generated (case)", "v@example.net", NULL, NULL,
		 "Auto-Submitted: Auto-Generated; owner-email=x@y\r\n"},
		{"Precedence: bulk", "v@example.net", NULL, NULL, "Precedence: bulk\r\n"},
		{"Precedence: junk", "v@example.net", NULL, NULL, "Precedence: junk\r\n"},
		{"Precedence: list", "v@example.net", NULL, NULL, "Precedence: list\r\n"},
		{"List-Id (a list's mail)", "v@example.net", NULL, NULL,
		 "List-Id: Some list <some.lists.example>\r\n"},
		{"null envelope sender", "", "v@example.net", NULL, NULL},
		{"from our -bounces", "dev-bounces+v=example.net@example.org", NULL, NULL, NULL},
		{"From another list's -owner", "v@example.net", "other-owner@example.org", NULL, NULL},
		{"From a list itself", "v@example.net", "Other@Example.org", NULL, NULL},
		{"MAILER-DAEMON", "MAILER-DAEMON@mx.example.net", NULL, NULL, NULL},
		{"postmaster", "postmaster@example.net", NULL, NULL, NULL},
		{"DMARC fail", "v@example.net", NULL, "fail", NULL},
	};
	size_t	i;

	ctx.now += 86400;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct req q = { .envelope = rows[i].envelope, .from = rows[i].from,
			.dmarc = rows[i].dmarc, .headers = rows[i].headers,
			.cmds = { "subscribe" } };
		struct got g;

		run(&q, &g);
		tap_ok(g.ret == 0 && g.n == 0 && strcmp(g.state, "discarded") == 0
		       && strncmp(g.reason, "not answered: ", 14) == 0,
		       "%s: no reply, nothing done (%s)", rows[i].what, g.reason);
		got_free(&g);
	}
	tap_int(count("SELECT count(*) FROM pending_requests WHERE address = 'v@example.net'"), 0,
		"no request was stored for them");
	{
		struct req q = { .envelope = "v@example.net", .headers = "Auto-Submitted: no\r\n",
			.cmds = { "help" } };
		struct got g;

		run(&q, &g);
		tap_int((long long) g.n, 1, "Auto-Submitted: no is answered");
		got_free(&g);
	}
}

int main(void)
{
	setup();
	test_subscribe_confirm();
	test_third_party();
	test_policies();
	test_unsubscribe();
	test_set_who();
	test_many();
	test_rate_limit();
	test_never_answered();
	teardown();
	return tap_done();
}
