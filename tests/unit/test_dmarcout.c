/*
 * NAME
 *	test_dmarcout 1
 * SUMMARY
 *	unit tests for src/dmarcout (the DMARC aggregate reports sealist
 *	sends): interval arithmetic, dispositions, the verdict's report
 *	facts round trip, and the store's grouping into due reports
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "dmarcout.h"
#include "store.h"
#include "store_int.h"
#include "tap.h"
#include "verdict.h"

/* 2025-11-27 00:00:00 UTC, a UTC day boundary (1764201600 = 20419 * 86400). */
#define DAY0	1764201600LL

static void test_intervals(void)
{
	tap_int(dmarcout_interval(86400), 86400, "ri default: a day");
	tap_int(dmarcout_interval(0), 3600, "ri 0 clamps to an hour");
	tap_int(dmarcout_interval(60), 3600, "ri 60 clamps to an hour");
	tap_int(dmarcout_interval(7200), 7200, "ri 7200 is kept");
	tap_int(dmarcout_interval(604800), 86400, "ri a week clamps to a day");
	tap_int(DAY0 % 86400, 0, "DAY0 is a UTC midnight");
	tap_int(dmarcout_begin(DAY0 + 12345, 86400), DAY0, "daily: the UTC day's start");
	tap_int(dmarcout_begin(DAY0, 86400), DAY0, "a time on the boundary starts its interval");
	tap_int(dmarcout_begin(DAY0 - 1, 86400), DAY0 - 86400, "one second before: the day before");
	tap_int(dmarcout_begin(DAY0 + 3 * 3600 + 59, 3600), DAY0 + 3 * 3600, "hourly: the hour's start");
	tap_int(dmarcout_begin(DAY0 + 7199, 7200), DAY0, "two-hourly aligned to the epoch");
	tap_int(dmarcout_begin(-1, 3600), -3600, "before the epoch rounds down, not toward 0");
	tap_ok(!dmarcout_due(DAY0, 86400, DAY0 + 86399), "not due one second before its end");
	tap_ok(dmarcout_due(DAY0, 86400, DAY0 + 86400), "due at its end");
	tap_ok(dmarcout_due(DAY0, 3600, DAY0 + 90000), "due long after");
}

static void summary(struct verdict_summary *v, const char *dmarc, const char *policy)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->dmarc, sizeof(v->dmarc), "%s", dmarc);
	snprintf(v->policy, sizeof(v->policy), "%s", policy);
	snprintf(v->author, sizeof(v->author), "a.example");
}

struct disposition_case {
	const char *what, *dmarc, *policy, *state;
	int	by_dmarc, rewritten, wrapped;
	const char *want_disposition, *want_reason, *want_comment;	/* substring */
};

static const struct disposition_case disposition_cases[] = {
	{"delivered, DMARC pass under p=reject, From munged", "pass", "reject", "done", 0, 1, 0,
	 "pass", "mailing_list", "rewrote From and re-signed as lists.example.org"},
	{"delivered, DMARC pass under p=none", "pass", "none", "done", 0, 1, 0,
	 "none", "mailing_list", "rewrote From"},
	{"delivered wrapped", "pass", "quarantine", "done", 0, 0, 1,
	 "pass", "mailing_list", "wrapped"},
	{"delivered unchanged, DMARC pass", "pass", "reject", "done", 0, 0, 0, "pass", "", ""},
	{"delivered unchanged though DMARC failed under p=reject", "fail", "reject", "done",
	 0, 0, 0, "none", "local_policy", "delivered it unchanged"},
	{"held because DMARC failed", "fail", "reject", "held", 1, 0, 0, "quarantine", "", ""},
	{"rejected because DMARC failed", "fail", "reject", "rejected", 1, 0, 0, "reject", "", ""},
	{"discarded because DMARC failed", "fail", "quarantine", "discarded", 1, 0, 0,
	 "reject", "", ""},
	{"held, not a member", "pass", "reject", "held", 0, 0, 0, "none", "local_policy",
	 "held it: post from a non-member"},
	{"rejected by dmarc_moderation_action though DMARC passed", "pass", "reject", "rejected",
	 0, 0, 0, "none", "local_policy", "rejected it"},
};

static void test_dispositions(void)
{
	size_t	i;

	for (i = 0; i < sizeof(disposition_cases) / sizeof(disposition_cases[0]); i++) {
		const struct disposition_case *c = &disposition_cases[i];
		struct verdict_summary v;
		struct dmarcout_decision d = {
			.state = c->state, .by_dmarc = c->by_dmarc, .from_rewritten = c->rewritten,
			.wrapped = c->wrapped, .why = "post from a non-member",
			.list_address = "dev@lists.example.org", .list_domain = "lists.example.org",
		};
		const char *disp, *reason;
		char	comment[400];

		summary(&v, c->dmarc, c->policy);
		dmarcout_disposition(&v, &d, &disp, &reason, comment, sizeof(comment));
		tap_str(disp, c->want_disposition, c->what);
		tap_str(reason, c->want_reason, c->what);
		tap_ok(strstr(comment, c->want_comment) != NULL, "%s: comment \"%s\"", c->what, comment);
	}
}

static void test_feedback(void)
{
	struct verdict_summary v, back;
	struct store_inbox_msg in = { .id = 7, .received_at = DAY0 + 5, .client_ip = "2001:db8::25",
		.envelope_from = "bounce@mail.a.example" };
	struct dmarcout_decision d = { .state = "done", .from_rewritten = 1,
		.list_address = "dev@lists.example.org", .list_domain = "lists.example.org" };
	struct dmarcout_feedback f;
	struct buf b;

	summary(&v, "pass", "reject");
	snprintf(v.rec_domain, sizeof(v.rec_domain), "a.example");
	snprintf(v.p, sizeof(v.p), "reject");
	snprintf(v.discovery, sizeof(v.discovery), "treewalk");
	snprintf(v.ri, sizeof(v.ri), "86400");
	snprintf(v.dkim_results, sizeof(v.dkim_results), "a.example:s1:pass,x.example:k:fail");
	snprintf(v.dkim_aligned, sizeof(v.dkim_aligned), "pass");
	tap_ok(dmarcout_feedback(&in, &v, &d, &f) < 0, "no rua: not reported");
	snprintf(v.rua, sizeof(v.rua), "https://a.example/r");
	tap_ok(dmarcout_feedback(&in, &v, &d, &f) < 0, "no mailto: rua: not reported");
	snprintf(v.rua, sizeof(v.rua), "mailto:agg@a.example");
	tap_ok(dmarcout_feedback(&in, &v, &d, &f) == 0, "mailto: rua: reported");
	tap_str(f.row.envelope_from, "mail.a.example", "envelope_from is MAIL FROM's domain");
	tap_str(f.row.envelope_to, "lists.example.org", "envelope_to is the list domain");
	tap_str(f.row.source_ip, "2001:db8::25", "source IP");
	tap_int(f.row.ri, 86400, "ri");
	tap_str(f.row.spf_aligned, "fail", "no aligned SPF: fail");
	in.client_ip = "";
	tap_ok(dmarcout_feedback(&in, &v, &d, &f) < 0, "no source IP: not reported");

	buf_init(&b, 65536);
	tap_ok(verdict_format(&v, &b) == 0 && verdict_parse(buf_str(&b), &back) == 0,
	       "the report facts survive format and parse");
	tap_str(back.dkim_results, v.dkim_results, "dkim_results round trip");
	tap_str(back.rua, v.rua, "rua round trip");
	tap_str(back.rec_domain, "a.example", "rec_domain round trip");
	buf_free(&b);
}

/* A feedback row for the store tests: the row is the outcome's. */
static int add_row(struct store *s, long long inbox, long long list_id, long long at,
		   const char *ip, const char *ri_domain, long long ri)
{
	struct store_dmarc_feedback f = {
		.list_domain = "lists.example.org", .source_ip = ip, .header_from = ri_domain,
		.policy_domain = ri_domain, .p = "reject", .rua = "mailto:r@a.example", .ri = ri,
		.received_at = at, .dkim_aligned = "pass", .spf_aligned = "fail",
		.disposition = "none",
	};
	struct store_rcpt_outcome o = { .state = "done", .feedback = &f };

	return store_dmarcout_feedback_insert(s, inbox, list_id, &o);
}

static int count_rows(const struct store_dmarcout_row *r, void *ctx)
{
	long long *n = ctx;

	n[0]++;
	n[1] += r->count;
	return 0;
}

static void test_store(void)
{
	char	path[] = "/tmp/test_dmarcout.XXXXXX";
	int	fd = mkstemp(path);
	struct store *s;
	struct store_dmarcout_group *g = NULL;
	struct store_dmarcout_sent sent = { .report_id = "r1", .destinations = "" };
	const char *error = NULL;
	long long list_id = 0, counts[2] = { 0, 0 }, purged = 0;
	size_t	n = 0;

	close(fd);
	unlink(path);
	if ((s = store_open(path, &error)) == NULL) {
		tap_ok(0, "store_open: %s", error);
		return;
	}
	store_list_create(s, "dev@lists.example.org", "owner@example.org", &error);
	store_list_id(s, "dev@lists.example.org", &list_id, &error);
	tap_int(add_row(s, 1, list_id, DAY0 + 10, "192.0.2.1", "a.example", 86400), STORE_OK,
		"row 1");
	tap_int(add_row(s, 1, list_id, DAY0 + 11, "192.0.2.1", "a.example", 86400), STORE_OK,
		"the same (message, list) again is accepted ...");
	add_row(s, 2, list_id, DAY0 + 20, "192.0.2.1", "a.example", 86400);
	add_row(s, 3, list_id, DAY0 + 30, "192.0.2.2", "a.example", 86400);
	add_row(s, 4, list_id, DAY0 + 86400 + 1, "192.0.2.1", "a.example", 86400);
	add_row(s, 5, list_id, DAY0 + 3600 + 5, "192.0.2.1", "h.example", 60);
	tap_int(store_dmarcout_groups(s, DAY0 + 86399, 10, &g, &n, &error), STORE_OK, "groups");
	tap_int((long long) n, 1, "before the day ends only the hourly group is due");
	if (n == 1)
		tap_int(g[0].begin, DAY0 + 3600, "the hourly group starts on its hour");
	store_dmarcout_groups_free(g, n);
	store_dmarcout_groups(s, DAY0 + 86400, 10, &g, &n, &error);
	tap_int((long long) n, 2, "at the day's end the day's group is due too");
	if (n == 2) {
		tap_str(g[0].policy_domain, "a.example", "the day's group, the oldest, comes first");
		tap_int(g[0].rows, 3, "... holds 3 rows: the repeated (message, list) counted once");
		store_dmarcout_records_each(s, &g[0], count_rows, counts, &error);
		tap_int(counts[0], 2, "identical rows make one record: 2 records");
		tap_int(counts[1], 3, "... of 3 messages");
		tap_int(store_dmarcout_record_sent(s, &g[0], &sent, &error), STORE_OK,
			"recorded as sent");
		/* a post of that day decided after its report went */
		add_row(s, 9, list_id, DAY0 + 40, "192.0.2.9", "a.example", 86400);
		tap_int(store_dmarcout_record_sent(s, &g[0], &sent, &error),
			STORE_EXISTS, "a second time: already sent");
	}
	store_dmarcout_groups_free(g, n);
	store_dmarcout_groups(s, DAY0 + 86400, 10, &g, &n, &error);
	tap_int((long long) n, 2, "a row newer than the group read is kept: its group is back");
	if (n == 2) {
		tap_int(g[0].rows, 1, "... with the late row only");
		tap_int(store_dmarcout_record_sent(s, &g[0], &sent, &error), STORE_EXISTS,
			"the late row's interval was reported already");
	}
	store_dmarcout_groups_free(g, n);
	store_dmarcout_groups(s, DAY0 + 86400, 10, &g, &n, &error);
	tap_int((long long) n, 1, "the sent group's rows are gone, the late one too");
	store_dmarcout_groups_free(g, n);
	tap_int(store_dmarcout_purge(s, DAY0 + 86400 + 2, &purged, &error), STORE_OK, "purge");
	tap_int(purged, 2, "rows older than the cut-off deleted");
	store_close(s);
	unlink(path);
}

int main(void)
{
	test_intervals();
	test_dispositions();
	test_feedback();
	test_store();
	return tap_done();
}
