/*
 * NAME
 *	test_store_admin 1
 * SUMMARY
 *	unit tests for src/store_admin.c against a real database file
 * DESCRIPTION
 *	Rows are written with SQLite directly (inbox messages with our
 *	Authentication-Results and verdict text as the pipeline stores them,
 *	outbound rows with deliveries in every state), then the admin
 *	numbers are read through the store and compared with counts worked
 *	out by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "tap.h"

#define DAY	86400LL

static char test_dir[256];
static char test_db[300];

static void cleanup(void)
{
	char	path[400];

	(void) snprintf(path, sizeof(path), "%s-wal", test_db);
	unlink(path);
	(void) snprintf(path, sizeof(path), "%s-shm", test_db);
	unlink(path);
	unlink(test_db);
	rmdir(test_dir);
}

/* Run SQL on a separate connection; 0 or the SQLite code (shown). */
static int raw(const char *sql)
{
	sqlite3 *db;
	int	rc;

	if ((rc = sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READWRITE, NULL)) == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		tap_diag("raw: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc;
}

/* An inbox message received at t to list_id with these DKIM/DMARC results. */
static void inbox(long long id, long long t, int list_id, const char *authres,
		  const char *dmarc)
{
	char	sql[1024];

	(void) snprintf(sql, sizeof(sql),
			"INSERT INTO inbox (id, received_at, envelope_from, message, size,"
			" updated_at, authres, verdict, state) VALUES (%lld, %lld, 'a@b.example',"
			" x'00', 1, %lld, 'Authentication-Results: test; %s',"
			" 'dmarc=%s' || char(10) || 'author=b.example' || char(10), 'done');"
			"INSERT INTO inbox_rcpt (inbox_id, address, list_id, role, state)"
			" VALUES (%lld, 'rcpt%d@example.org', %d, 'post', 'done')",
			id, t, t, authres, dmarc, id, list_id, list_id);
	raw(sql);
}

struct days {
	struct store_admin_auth_day d[20];
	size_t	n;
};

static int collect_day(const struct store_admin_auth_day *d, void *ctx)
{
	struct days *all = ctx;

	if (all->n < 20)
		all->d[all->n++] = *d;
	return 0;
}

static void test_auth_days(struct store *s, long long now)
{
	const char *dev[] = { "dev@example.org" };
	const char *both[] = { "dev@example.org", "ops@example.org", "gone@example.org" };
	long long today = now / DAY, t0 = today * DAY + 3600;
	struct days all = { .n = 0 };
	const char *error = NULL;

	inbox(1, t0, 1, "dkim=pass header.d=b.example; spf=pass", "pass");
	inbox(2, t0 + 60, 1, "dkim=fail header.d=b.example; dkim=pass header.d=c.example",
	      "pass");
	inbox(3, t0 + 120, 1, "dkim=fail header.d=b.example; spf=fail", "fail");
	inbox(4, t0 + 180, 1, "dkim=none; spf=none", "none");
	inbox(5, t0 - 2 * DAY, 2, "dkim=permerror header.d=x.example", "fail");
	inbox(6, t0 - 20 * DAY, 1, "dkim=pass header.d=b.example", "pass");
	/* a message to both lists counts once */
	raw("INSERT INTO inbox_rcpt (inbox_id, address, list_id, role) VALUES"
	    " (1, 'ops@example.org', 2, 'post')");
	/* not authenticated yet: no verdict */
	raw("INSERT INTO inbox (id, received_at, envelope_from, message, size, updated_at)"
	    " VALUES (7, strftime('%s', 'now'), '', x'00', 1, 0)");

	tap_int(store_admin_auth_days(s, NULL, 0, now - 14 * DAY, collect_day, &all, &error),
		STORE_OK, "auth days for every list");
	if (tap_int((long long) all.n, 2, "two days have mail in the last 14")) {
		tap_int(all.d[0].day, today - 2, "the older day first");
		tap_int(all.d[0].dkim_fail, 1, "permerror counts as a DKIM failure");
		tap_int(all.d[0].dmarc_fail, 1, "and its DMARC fail");
		tap_int(all.d[1].day, today, "then today");
		tap_int(all.d[1].dkim_pass, 2, "DKIM pass: a message with any passing signature");
		tap_int(all.d[1].dkim_fail, 1, "DKIM fail: signatures, none passed (dkim=none is not)");
		tap_int(all.d[1].dmarc_pass, 2, "DMARC pass from the verdict lines");
		tap_int(all.d[1].dmarc_fail, 1, "DMARC fail (none is neither)");
	}
	all.n = 0;
	tap_int(store_admin_auth_days(s, dev, 1, now - 14 * DAY, collect_day, &all, &error),
		STORE_OK, "auth days for one list");
	tap_int((long long) all.n, 1, "only dev's day");
	all.n = 0;
	store_admin_auth_days(s, both, 3, now - 30 * DAY, collect_day, &all, &error);
	tap_int((long long) all.n, 3, "two lists and one that does not exist, 30 days");
	if (all.n == 3)
		tap_int(all.d[2].dkim_pass + all.d[2].dkim_fail, 3,
			"the message to both lists is counted once");
	all.n = 0;
	store_admin_auth_days(s, both + 2, 1, now - 30 * DAY, collect_day, &all, &error);
	tap_int((long long) all.n, 0, "no list that exists: nothing (not everything)");
}

/* Outbound rows of dev (1) and ops (2) with deliveries in each state. */
static void queue_rows(long long now)
{
	char	sql[2048];

	(void) snprintf(sql, sizeof(sql),
		"INSERT INTO outbound (id, list_id, kind, envelope_from, message, created_at)"
		" VALUES (1, 1, 'post', 'dev-bounces@example.org', x'00', %lld),"
		" (2, 2, 'notice', 'ops-bounces@example.org', x'00', %lld),"
		" (3, 1, 'post', 'dev-bounces@example.org', x'00', %lld);"
		"INSERT INTO deliveries (outbound_id, recipient, state, attempts, next_attempt,"
		" last_error) VALUES"
		" (1, 'a@x.example', 'queued', 0, %lld, NULL),"
		" (1, 'b@x.example', 'queued', 2, %lld, '451 try later'),"
		" (1, 'c@x.example', 'delivered', 1, 0, NULL),"
		" (1, 'd@x.example', 'bounced', 1, 0, '550 no such user'),"
		" (2, 'e@x.example', 'queued', 1, %lld, '421 busy'),"
		" (3, 'f@x.example', 'delivered', 1, 0, NULL),"
		" (3, 'g@x.example', 'bounced', 3, 0, 'gave up: 451 try later')",
		now - 3600, now - 600, now - 3 * DAY, now, now + 900, now + 300);
	raw(sql);
}

struct rows {
	char	text[10][160];
	size_t	n;
};

static int collect_row(const struct store_admin_delivery *d, void *ctx)
{
	struct rows *r = ctx;

	if (r->n < 10)
		(void) snprintf(r->text[r->n++], sizeof(r->text[0]), "%s %s %s %lld %s",
				d->list, d->recipient, d->state, d->attempts, d->error);
	return 0;
}

static void test_queue(struct store *s, long long now)
{
	struct store_admin_queue q;
	struct rows r = { .n = 0 };
	const char *error = NULL;

	queue_rows(now);
	if (tap_int(store_admin_queue_numbers(s, now - DAY, &q, &error), STORE_OK,
		    "queue numbers")) {
		tap_int(q.queued, 1, "queued: waiting for a first attempt");
		tap_int(q.deferred, 2, "deferred: waiting after a failed attempt");
		tap_int(q.delivered, 1, "delivered, of the mail queued in the last day");
		tap_int(q.bounced, 1, "bounced, of the mail queued in the last day");
		tap_int(q.oldest_id, 1, "the oldest waiting outbound row");
		tap_str(q.oldest_list, "dev@example.org", "its list");
		tap_str(q.oldest_kind, "post", "its kind");
		tap_int(q.oldest_waiting, 2, "its waiting deliveries");
		tap_int(q.oldest_created, now - 3600, "when it was queued");
	}
	tap_int(store_admin_queue_errors(s, 3, collect_row, &r, &error), STORE_OK,
		"the last errors");
	if (tap_int((long long) r.n, 3, "at most max of them")) {
		tap_str(r.text[0], "dev@example.org g@x.example bounced 3 gave up: 451 try later",
			"newest first, with list, state, attempts and error");
		tap_str(r.text[1], "ops@example.org e@x.example queued 1 421 busy",
			"a deferred one");
	}
	r.n = 0;
	tap_int(store_admin_bounced(s, "Dev@Example.org", 10, collect_row, &r, &error),
		STORE_OK, "the bounced deliveries of a list");
	if (tap_int((long long) r.n, 2, "both of dev's"))
		tap_str(r.text[1], " d@x.example bounced 1 550 no such user",
			"with the relay's answer");
	tap_int(store_admin_bounced(s, "nope@example.org", 10, collect_row, &r, &error),
		STORE_NO_LIST, "no such list");
}

static void test_list_numbers(struct store *s, long long now)
{
	struct store_admin_list n;
	const char *error = NULL;
	char	sql[1024];

	(void) snprintf(sql, sizeof(sql),
		"INSERT INTO held (inbox_id, list_id, rcpt_address, reason, token, sender,"
		" subject, notify_poster, held_at) VALUES (3, 1, 'dev@example.org', 'r', 't1',"
		" 's', 'x', 1, 0), (4, 1, 'dev@example.org', 'r', 't2', 's', 'y', 1, 0);"
		"INSERT INTO pending_requests (list_id, kind, address, address_key, token,"
		" created_at, expires_at, state) VALUES"
		" (1, 'subscribe', 'p@x.example', 'p@x.example', 'k1', 0, %lld,"
		" 'awaiting_confirmation'),"
		" (1, 'subscribe', 'q@x.example', 'q@x.example', 'k2', 0, %lld,"
		" 'awaiting_approval'),"
		" (1, 'subscribe', 'r@x.example', 'r@x.example', 'k3', 0, %lld, 'done'),"
		" (1, 'unsubscribe', 's@x.example', 's@x.example', 'k4', 0, %lld,"
		" 'awaiting_confirmation');"
		"UPDATE members SET bounce_score = 1, bounce_last = %lld"
		" WHERE address = 'm1@x.example';"
		"UPDATE members SET bounce_score = 1, bounce_last = %lld"
		" WHERE address = 'm2@x.example'",
		now + DAY, now + DAY, now + DAY, now - 1, now - DAY, now - 8 * DAY);
	raw(sql);
	if (tap_int(store_admin_list_numbers(s, "dev@example.org", now, now - 7 * DAY, &n,
					     &error), STORE_OK, "list numbers")) {
		tap_int(n.held, 2, "held posts");
		tap_int(n.requests, 2, "live requests (not done, not expired)");
		tap_int(n.queued, 1, "the list's queued deliveries");
		tap_int(n.deferred, 1, "the list's deferred deliveries");
		tap_int(n.bounced_members, 1, "members with a bounce in the last 7 days");
	}
	tap_int(store_admin_list_numbers(s, "nope@example.org", now, 0, &n, &error),
		STORE_NO_LIST, "no such list");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	const char *error = NULL;
	struct store_new_member m[] = {
		{"m1@x.example", NULL, NULL, 0}, {"m2@x.example", NULL, NULL, 0}
	};
	long long now = (long long) time(NULL);
	struct store *s;

	(void) snprintf(test_dir, sizeof(test_dir), "%s/test_store_admin.XXXXXX",
			tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	(void) snprintf(test_db, sizeof(test_db), "%s/sealist.db", test_dir);
	s = store_open(test_db, &error);
	if (tap_ok(s != NULL, "open a database")
	    && tap_int(store_list_create(s, "dev@example.org", NULL, &error), STORE_OK, "dev")
	    && tap_int(store_list_create(s, "ops@example.org", NULL, &error), STORE_OK, "ops")
	    && tap_int(store_member_add(s, "dev@example.org", m, 2, &error), STORE_OK,
		       "members")) {
		test_auth_days(s, now);
		test_queue(s, now);
		test_list_numbers(s, now);
	}
	store_close(s);
	cleanup();
	return tap_done();
}
