/*
 * NAME
 *	test_bounce_month 1
 * SUMMARY
 *	the bounce lifecycle over a scripted month, on a real store
 * DESCRIPTION
 *	Three lists in a fresh database file, an injected clock at noon
 *	UTC of days 0 to 31, bounce_event() for the day's bounces and then
 *	bounce_tick() (twice on even days: a second run must do nothing).
 *	With the defaults (threshold 5.0, 3 warnings, 7 days apart) a member
 *	hard-bouncing daily from day 0 is disabled and first warned on day 4,
 *	warned again on days 11 and 18 and removed on day 25.  What was
 *	queued is read back from the outbound and deliveries tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bounce.h"
#include "store.h"
#include "tap.h"
#include "template.h"

#define DAY		86400LL
#define T0		(1798761600LL + 12 * 3600)	/* 2027-01-01 12:00 UTC */
#define MONTH		32

#define LIST		"dev@example.org"
#define QUIET		"quiet@example.org"	/* bounce_processing 0 */
#define NOREMOVAL	"norem@example.org"	/* bounce_notify_owner_on_removal 0 */
#define OWNER		"owner@example.org"

#define A	"a@hard.example"	/* hard bounce every day */
#define B	"b@dmarc.example"	/* DMARC-caused rejections */
#define C	"c@soft.example"	/* soft bounce every day */
#define D	"d@stale.example"	/* bounces, a long gap, bounces */
#define E	"e@admin.example"	/* disabled by an admin */
#define Q	"q@quiet.example"	/* on the list without bounce processing */
#define R	"r@norem.example"	/* hard bounce every day, no removal notice */

static char test_dir[256], test_db[300];
static struct store *st;

static void fail_setup(const char *what, const char *error)
{
	fprintf(stderr, "setup: %s: %s\n", what, error != NULL ? error : "?");
	exit(99);
}

/* One integer from SQL on a separate connection; -1 on any error. */
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

static void raw_exec(const char *sql)
{
	sqlite3 *db;

	if (sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK
	    || sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_setup(sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR"), *error = NULL;
	struct store_new_member m[5];
	const char *lists[] = { LIST, QUIET, NOREMOVAL };
	const char *addrs[] = { A, B, C, D, E };
	size_t	i;

	snprintf(test_dir, sizeof(test_dir), "%s/test_bounce_month.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(test_dir) == NULL)
		fail_setup("mkdtemp", test_dir);
	snprintf(test_db, sizeof(test_db), "%s/sealist.db", test_dir);
	if ((st = store_open(test_db, &error)) == NULL)
		fail_setup("store_open", error);
	for (i = 0; i < 3; i++)
		if (store_list_create(st, lists[i], OWNER, &error) != STORE_OK)
			fail_setup("store_list_create", error);
	memset(m, 0, sizeof(m));
	for (i = 0; i < 5; i++)
		m[i].address = addrs[i];
	if (store_member_add(st, LIST, m, 5, &error) != STORE_OK)
		fail_setup("store_member_add", error);
	m[0].address = Q;
	if (store_member_add(st, QUIET, m, 1, &error) != STORE_OK)
		fail_setup("store_member_add", error);
	m[0].address = R;
	if (store_member_add(st, NOREMOVAL, m, 1, &error) != STORE_OK)
		fail_setup("store_member_add", error);
	if (store_setting_set(st, QUIET, "bounce_processing", "0", &error) != STORE_OK
	    || store_setting_set(st, NOREMOVAL, "bounce_notify_owner_on_removal", "0",
				 &error) != STORE_OK)
		fail_setup("store_setting_set", error);
	/* E: disabled by an admin, as the admin commands leave it */
	raw_exec("UPDATE members SET status = 'disabled', disabled_by = 'admin'"
		 " WHERE address = '" E "'");
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

/* ---- reading back ------------------------------------------------------------------ */

struct notice_count {
	const char *list, *rcpt, *needle;
	long long n;
	int	bad_row;		/* a notice row without its envelope or kind */
};

/* Whether needle (NUL-terminated, "" matches) is in the len bytes at p. */
static int holds(const void *p, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp((const char *) p + i, needle, n) == 0)
			return 1;
	return 0;
}

static int count_row(const struct store_outbound *o, void *ctx)
{
	struct notice_count *c = ctx;
	if (strcmp(o->list, c->list) != 0 || strcmp(o->recipients, c->rcpt) != 0)
		return 0;
	if (strcmp(o->kind, "notice") != 0)
		c->bad_row = 1;
	if (holds(o->message, o->size, c->needle))
		c->n++;
	return 0;
}

/* Notice rows of list queued for rcpt whose message holds needle. */
static long long notices(const char *list, const char *rcpt, const char *needle)
{
	struct notice_count c = { list, rcpt, needle, 0, 0 };
	const char *error;

	if (store_outbound_each(st, count_row, &c, &error) != STORE_OK) {
		tap_diag("store_outbound_each: %s", error);
		return -1;
	}
	return c.bad_row ? -2 : c.n;
}

/* "enabled", "disabled" or "gone". */
static const char *state(const char *list, const char *address)
{
	static char out[32];
	struct store_member m;
	const char *error;
	int	rc = store_member_get(st, list, address, &m, &error);

	snprintf(out, sizeof(out), "%s", rc == STORE_OK ? m.status
		 : rc == STORE_NOT_FOUND ? "gone" : "error");
	return out;
}

/* One member's bounce row; the strings are only valid in the callback. */
struct bounce_find {
	const char *address;
	struct store_bounce_row row;	/* its numbers */
	char	status[16];
	int	found;
};

static int find_row(const struct store_bounce_row *b, void *ctx)
{
	struct bounce_find *f = ctx;

	if (strcmp(b->address, f->address) != 0)
		return 0;
	f->row = *b;
	f->row.address = f->row.status = f->row.disabled_by = NULL;
	snprintf(f->status, sizeof(f->status), "%s", b->status);
	f->found = 1;
	return 1;
}

static struct bounce_find bounce_row(const char *list, const char *address)
{
	struct bounce_find f;
	const char *error;

	memset(&f, 0, sizeof(f));
	f.address = address;
	if (store_bounce_each(st, list, find_row, &f, &error) != STORE_OK)
		tap_diag("store_bounce_each: %s", error);
	return f;
}

/* ---- the month --------------------------------------------------------------------- */

/* Days on which something first happened (-1: never), per member. */
struct seen {
	int	disabled;
	int	warned[8];		/* days a new warning was queued */
	int	nwarned;
	int	removed;
	long long warnings;		/* count so far */
};

static void watch(struct seen *w, const char *list, const char *address, int day)
{
	long long n = notices(list, address, "Subject: Your delivery from");

	if (w->disabled < 0 && strcmp(state(list, address), "disabled") == 0)
		w->disabled = day;
	if (w->removed < 0 && strcmp(state(list, address), "gone") == 0)
		w->removed = day;
	for (; w->warnings < n; w->warnings++)
		if (w->nwarned < 8)
			w->warned[w->nwarned++] = day;
}

static int bounce(const struct bounce_ctx *c, const char *list, const char *address,
		  enum dsn_class cls)
{
	const char *error;
	int	rc = bounce_event(c, list, address, cls, "550 5.1.1 user unknown", NULL, &error);

	if (rc != STORE_OK)
		tap_diag("bounce_event %s: %s", address, error);
	return rc;
}

static void test_month(void)
{
	struct bounce_ctx c;
	struct seen a, cc, r, e, d;
	const char *error;
	size_t	warned, removed, twice_warned = 0, twice_removed = 0;
	int	day, errors = 0, d_fresh_score = 0;
	long long q_notices;

	memset(&c, 0, sizeof(c));
	c.store = st;
	c.templates_dir = tap_srcpath("templates");
	c.web_base_url = "";
	memset(&a, 0, sizeof(a));
	a.disabled = a.removed = -1;
	cc = r = e = d = a;
	tap_ok(template_check_all(c.templates_dir, &error) == 0,
	       "every template, the bounce ones too, has its variable set");
	for (day = 0; day < MONTH; day++) {
		c.now = T0 + day * DAY;
		errors += bounce(&c, LIST, A, DSN_HARD) != STORE_OK;
		errors += bounce(&c, NOREMOVAL, R, DSN_HARD) != STORE_OK;
		errors += bounce(&c, QUIET, Q, DSN_HARD) != STORE_OK;
		errors += bounce(&c, LIST, C, DSN_SOFT) != STORE_OK;
		errors += bounce(&c, LIST, E, DSN_HARD) != STORE_OK;
		if (day < 20) {
			errors += bounce(&c, LIST, B, DSN_DMARC) != STORE_OK;
		}
		/* D: days 0-2, then nothing until day 11 (9 days > stale 7), then daily */
		if (day <= 2 || day >= 11)
			errors += bounce(&c, LIST, D, DSN_HARD) != STORE_OK;
		if (day == 11) {
			struct bounce_find f = bounce_row(LIST, D);

			d_fresh_score = f.found && f.row.score == 1.0;
		}
		if (bounce_tick(&c, &warned, &removed, &error) != STORE_OK) {
			tap_diag("bounce_tick day %d: %s", day, error);
			errors++;
		}
		if (day % 2 == 0) {
			c.now += 3600;	/* an hour later, the same day */
			if (bounce_tick(&c, &warned, &removed, &error) != STORE_OK)
				errors++;
			twice_warned += warned;
			twice_removed += removed;
		}
		watch(&a, LIST, A, day);
		watch(&cc, LIST, C, day);
		watch(&r, NOREMOVAL, R, day);
		watch(&e, LIST, E, day);
		watch(&d, LIST, D, day);
	}
	tap_int(errors, 0, "no call failed during the month");

	tap_int(a.disabled, 4, "A (hard daily) is disabled on day 4");
	tap_int(a.nwarned, 3, "A gets 3 warnings");
	tap_int(a.warned[0], 4, "the first at once, on day 4");
	tap_int(a.warned[1], 11, "the second on day 11");
	tap_int(a.warned[2], 18, "the third on day 18");
	tap_int(a.removed, 25, "A is removed on day 25");
	tap_int(twice_warned + twice_removed, 0, "a second tick the same day does nothing");
	tap_int(notices(LIST, OWNER, "Subject: " A " disabled on " LIST), 1,
		"the owners are told once that A is disabled");
	tap_int(notices(LIST, OWNER, "550 5.1.1 user unknown"), 3,
		"with the bounce's words (A's, C's and D's notices)");
	tap_int(notices(LIST, OWNER, "Subject: " A " removed from " LIST), 1,
		"and once that A is removed");
	tap_int(notices(LIST, A, "You will get 2 more"), 1, "the first warning says 2 more follow");
	tap_int(notices(LIST, A, "You will get 0 more"), 1, "the last says none follows");
	tap_int(notices(LIST, A, "<dev-owner@example.org>\r\nTo: <" A ">"), 3,
		"the warnings come from the list's owner address");
	tap_int(notices(LIST, A, "Auto-Submitted: auto-generated"), 3, "auto-generated");
	tap_int(raw_int("SELECT count(*) FROM deliveries q JOIN outbound o ON o.id = q.outbound_id"
			" WHERE o.kind = 'notice' AND q.recipient = '" A "' AND q.state = 'queued'"),
		3, "each warning has its queued delivery row to A");
	tap_int(raw_int("SELECT count(*) FROM outbound WHERE kind = 'notice'"
			" AND envelope_from <> 'dev-bounces@example.org'"
			" AND list_id = (SELECT id FROM lists WHERE local_part = 'dev')"), 0,
		"notices go out from dev-bounces@");
	tap_int(raw_int("SELECT count(*) FROM deliveries q JOIN outbound o ON o.id = q.outbound_id"
			" WHERE o.kind = 'notice' AND q.recipient = '" OWNER "'"
			" AND instr(CAST(o.message AS TEXT), '" A "') > 0"), 2,
		"the owner notices about A have their delivery rows");

	tap_int(cc.disabled, 9, "C (soft daily, 0.5) is disabled after 10 days of bounces");
	tap_int(cc.nwarned, 3, "C is warned 3 times");
	tap_int(cc.warned[0] * 10000 + cc.warned[1] * 100 + cc.warned[2], 91623,
		"on days 9, 16 and 23");
	tap_int(cc.removed, 30, "C is removed on day 30");

	{
		struct bounce_find f = bounce_row(LIST, B);

		tap_ok(f.found && f.row.dmarc == 20 && f.row.score == 0.0
		       && strcmp(f.status, "enabled") == 0,
		       "B: 20 DMARC-caused rejections counted, never scored nor disabled");
		tap_str(state(LIST, B), "enabled", "B is still a member");
		tap_int(notices(LIST, B, ""), 0, "B got no notice");
	}
	tap_ok(d_fresh_score, "D: after a 9-day gap (stale after 7) the score starts again at 1.0");
	tap_int(d.disabled, 15, "so D is disabled on day 15, not day 12");
	tap_int(d.warned[0], 15, "and first warned then");
	tap_int(e.warnings, 0, "E, disabled by an admin, is never warned");
	tap_int(e.removed, -1, "nor removed");

	q_notices = raw_int("SELECT count(*) FROM outbound o JOIN lists l ON l.id = o.list_id"
			    " WHERE l.local_part = 'quiet'");
	tap_int(raw_int("SELECT bounce_score * 10 + bounce_last + bounce_dmarc FROM members"
			" WHERE address = '" Q "'"), 0, "bounce_processing 0: nothing recorded");
	tap_str(state(QUIET, Q), "enabled", "and Q stays an enabled member");
	tap_int(q_notices, 0, "and no notice is queued");

	tap_int(r.disabled, 4, "R is disabled on day 4");
	tap_int(r.removed, 25, "R is removed on day 25");
	tap_int(notices(NOREMOVAL, OWNER, "Subject: " R " disabled on"), 1,
		"the owners are told R is disabled");
	tap_int(notices(NOREMOVAL, OWNER, "Subject: " R " removed from"), 0,
		"bounce_notify_owner_on_removal 0: no removal notice");
}

/* No warnings configured: Mailman removes at the disabling. */
static void test_no_warnings(void)
{
	struct bounce_ctx c;
	struct store_new_member m;
	enum store_bounce_outcome outcome;
	const char *error;
	int	day, rc = STORE_OK;

	memset(&c, 0, sizeof(c));
	c.store = st;
	c.templates_dir = tap_srcpath("templates");
	c.web_base_url = "";
	memset(&m, 0, sizeof(m));
	m.address = "z@zero.example";
	if (store_member_add(st, NOREMOVAL, &m, 1, &error) != STORE_OK
	    || store_setting_set(st, NOREMOVAL, "bounce_you_are_disabled_warnings", "0",
				 &error) != STORE_OK
	    || store_setting_set(st, NOREMOVAL, "bounce_notify_owner_on_removal", "1",
				 &error) != STORE_OK)
		fail_setup("no warnings", error);
	for (day = 40; day < 45 && rc == STORE_OK; day++) {
		c.now = T0 + day * DAY;
		rc = bounce_event(&c, NOREMOVAL, m.address, DSN_HARD, "550 gone", &outcome, &error);
	}
	tap_int(rc, STORE_OK, "five hard bounces");
	tap_int(outcome, STORE_BOUNCE_DISABLED, "the fifth disables");
	tap_str(state(NOREMOVAL, m.address), "gone", "and with 0 warnings removes at once");
	tap_int(notices(NOREMOVAL, m.address, ""), 0, "no warning to the member");
	tap_int(notices(NOREMOVAL, OWNER, "Subject: z@zero.example removed from"), 1,
		"the owners hear of the removal");
}

/* bounce_notify_owner_on_disable 0: the member is warned, the owners are not told. */
static void test_no_owner_notice(void)
{
	struct bounce_ctx c;
	struct store_new_member m;
	const char *error;
	int	day, rc = STORE_OK;

	memset(&c, 0, sizeof(c));
	c.store = st;
	c.templates_dir = tap_srcpath("templates");
	c.web_base_url = "";
	memset(&m, 0, sizeof(m));
	m.address = "y@quiet-owners.example";
	if (store_list_create(st, "nodis@example.org", OWNER, &error) != STORE_OK
	    || store_member_add(st, "nodis@example.org", &m, 1, &error) != STORE_OK
	    || store_setting_set(st, "nodis@example.org", "bounce_notify_owner_on_disable", "0",
				 &error) != STORE_OK)
		fail_setup("no owner notice", error);
	for (day = 40; day < 45 && rc == STORE_OK; day++) {
		c.now = T0 + day * DAY;
		rc = bounce_event(&c, "nodis@example.org", m.address, DSN_HARD, "550 gone", NULL,
				  &error);
	}
	tap_str(state("nodis@example.org", m.address), "disabled",
		"bounce_notify_owner_on_disable 0: the member is disabled");
	tap_int(notices("nodis@example.org", m.address, "You will get 2 more"), 1,
		"and warned");
	tap_int(notices("nodis@example.org", OWNER, ""), 0, "but the owners are not told");
}

int main(void)
{
	setup();
	test_month();
	test_no_warnings();
	test_no_owner_notice();
	teardown();
	return tap_done();
}
