/*
 * test_dmarcbounce -- dmarcbounce_report_id (src/dmarcbounce.c): which
 * report a bounce names, from the returned message's Message-ID or its
 * Subject's Report-ID.  Table-driven: each row is a DSN and the report_id
 * expected ("" when none is found).  Then, on a real store in a temporary
 * directory, which report_ids are ours and when an address is stopped
 * (dmarcbounce_stopped: hard bounces in the last 30 days, at the edges).
 */
#include <string.h>

#include <sqlite3.h>

#include "msg/msg.h"
#include "dmarcbounce.h"
#include "migdb.h"
#include "tap.h"

#define HDR	"From: MAILER-DAEMON@mx.example\r\nTo: dmarc-reports@l.example\r\n" \
		"Subject: Undelivered\r\nMessage-ID: <dsn1@mx.example>\r\nMIME-Version: 1.0\r\n" \
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" \
		"--b\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n" \
		"--b\r\nContent-Type: message/delivery-status\r\n\r\n" \
		"Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; agg@a.example\r\n" \
		"Action: failed\r\nStatus: 5.1.1\r\n\r\n"
#define SUBJ	"Subject: Report Domain: a.example Submitter: l.example\r\n" \
		" Report-ID: <1.2.a.example@l.example>\r\n"

static const struct {
	const char *what, *message, *want;
} cases[] = {
	{ "text/rfc822-headers: the Message-ID",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: dmarc-reports@l.example\r\n"
	  "Message-ID: <1.2.a.example@l.example>\r\n" SUBJ "--b--\r\n",
	  "1.2.a.example@l.example" },
	{ "message/rfc822 without Message-ID: the folded Subject's Report-ID",
	  HDR "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: dmarc-reports@l.example\r\n"
	  SUBJ "\r\nThe body.\r\n--b--\r\n", "1.2.a.example@l.example" },
	{ "message/global-headers, base64-encoded",
	  HDR "--b\r\nContent-Type: message/global-headers\r\nContent-Transfer-Encoding: base64\r\n"
	  "\r\nTWVzc2FnZS1JRDogPHhAeT4NCg==\r\n--b--\r\n", "x@y" },
	{ "a Message-ID with a space: the Subject instead",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <a b@c>\r\n"
	  SUBJ "--b--\r\n", "1.2.a.example@l.example" },
	{ "a Message-ID with a space and no Subject: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <a b@c>\r\n--b--\r\n", "" },
	{ "a Subject without Report-ID: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\n--b--\r\n", "" },
	{ "Report-ID: at the end with nothing after it: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: x Report-ID:\r\n--b--\r\n", "" },
	{ "no returned part: the DSN's own Message-ID is not taken",
	  HDR "--b--\r\n", "" },
	{ "a field named Message-ID-X is not Message-ID",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID-X: <q@r>\r\n--b--\r\n", "" },
	{ "empty <>: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <>\r\n--b--\r\n", "" },
};

static void test_table(void)
{
	char	id[DMARCBOUNCE_ID_MAX + 1];
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct msg *m = NULL;
		const char *error;

		if (!tap_ok(msg_parse(&m, cases[i].message, strlen(cases[i].message), &error) == 0,
			    "%s: parses", cases[i].what))
			continue;
		if (dmarcbounce_report_id(m, id, sizeof(id)) == 0)
			id[0] = 0;
		tap_str(id, cases[i].want, cases[i].what);
		msg_free(m);
	}
}

/* An id that does not fit is refused, not cut: a cut one could name another report. */
static void test_too_long(void)
{
	static const char msg[] = HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
		"Message-ID: <0123456789@l.example>\r\n--b--\r\n";
	struct msg *m = NULL;
	const char *error;
	char	id[32];

	if (!tap_ok(msg_parse(&m, msg, sizeof(msg) - 1, &error) == 0, "too long: parses"))
		return;
	tap_int(dmarcbounce_report_id(m, id, 16), 0, "an id of 20 octets in 16: none");
	tap_int(dmarcbounce_report_id(m, id, 20), 0, "in 20 (no room for the NUL): none");
	tap_int(dmarcbounce_report_id(m, id, 21), 1, "in 21: found");
	tap_int(dmarcbounce_report_id(m, id, 22), 1, "in 22: found");
	tap_str(id, "0123456789@l.example", "  whole");
	msg_free(m);
}

#define DAY	86400LL
#define T0	1780000000LL		/* a fixed clock */

static int stopped_at(struct store *s, const char *address, long long now)
{
	const char *error;
	int	stopped = -1;

	if (dmarcbounce_stopped(s, address, now, &stopped, &error) != STORE_OK)
		tap_diag("dmarcbounce_stopped: %s", error);
	return stopped;
}

static int add(struct store *s, long long inbox, const char *cls, long long when)
{
	struct store_dmarcbounce b = { "r1@l.example", "agg@a.example", "5.1.1", cls, inbox, when };
	const char *error;

	return store_dmarcbounce_add(s, &b, &error);
}

static void test_known(struct store *s)
{
	sqlite3 *db;
	const char *error;
	int	known = -1;

	tap_int(store_dmarcbounce_known(s, "r1@l.example", &known, &error), STORE_OK, "known: runs");
	tap_int(known, 0, "a report_id not sent is not ours");
	db = migdb_open();
	tap_int(migdb_exec(db, "INSERT INTO dmarc_sent_reports (list_domain, policy_domain,"
			   " date_begin, date_end, report_id, records, messages, sent_at)"
			   " VALUES ('l.example', 'a.example', 0, 86400, 'r1@l.example', 1, 1,"
			   " 86400)"), SQLITE_OK, "a report sent (raw SQL)");
	sqlite3_close(db);
	(void) store_dmarcbounce_known(s, "r1@l.example", &known, &error);
	tap_int(known, 1, "a report_id sent is ours");
	(void) store_dmarcbounce_known(s, "R1@l.example", &known, &error);
	tap_int(known, 0, "  exactly: R1@ is not r1@");
}

static void test_stop(struct store *s)
{
	tap_int(add(s, 1, "hard", T0 - 29 * DAY), STORE_OK, "a hard bounce 29 days ago");
	tap_int(add(s, 1, "hard", T0 - 29 * DAY), STORE_EXISTS, "  the same inbox message again: exists");
	tap_int(add(s, 2, "soft", T0), STORE_OK, "a soft one now");
	tap_int(add(s, 3, "soft", T0), STORE_OK, "another soft one now");
	tap_int(stopped_at(s, "agg@a.example", T0), 0, "1 hard + 2 soft: not stopped");
	tap_int(add(s, 4, "hard", T0), STORE_OK, "a second hard one now");
	tap_int(stopped_at(s, "agg@a.example", T0), 0, "2 hard: not stopped");
	tap_int(add(s, 5, "hard", T0), STORE_OK, "a third hard one now");
	tap_int(stopped_at(s, "agg@a.example", T0), 1, "3 hard in 30 days: stopped");
	tap_int(stopped_at(s, "other@a.example", T0), 0, "  another address is not");
	tap_int(stopped_at(s, "AGG@a.example", T0), 0, "  the address is compared exactly");
	tap_int(stopped_at(s, "agg@a.example", T0 + DAY), 1, "the oldest exactly 30 days old: still");
	tap_int(stopped_at(s, "agg@a.example", T0 + DAY + 1), 0, "a second later: sent again");
}

int main(void)
{
	const char *error = NULL;
	struct store *s;

	test_table();
	test_too_long();
	if (migdb_init("test_dmarcbounce") < 0)
		return 99;
	s = store_open(migdb_path, &error);
	if (tap_ok(s != NULL, "open a database")) {
		test_known(s);
		test_stop(s);
		store_close(s);
	} else {
		tap_diag("%s", error ? error : "(null)");
	}
	migdb_cleanup();
	return tap_done();
}
