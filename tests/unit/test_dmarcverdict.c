/*
 * NAME
 *	test_dmarcverdict 1
 * SUMMARY
 *	outbound_ips into address blocks, and the DMARC report verdict in
 *	words for the patterns it tells apart
 * DESCRIPTION
 *	Table-driven: each case is a set of (org, source IP) rows as
 *	store_dmarcweb_sources gives them, outbound_ips, and the phrases the
 *	verdict must contain and must not contain, with the headline (the
 *	first paragraph) checked on its own where it matters; some cases
 *	also give the days of the failures, which the verdict then names.
 */
#include <stdio.h>
#include <string.h>

#include "dmarcverdict_gather.h"
#include "tap.h"

#define ROW(org, ip, n, dmarc, dkim, spf) \
	{"lists.example.org", org, ip, 1, n, dkim, spf, dmarc, n, 0, 0, 0, 0, 0}
#define OURS	"192.0.2.25 2001:db8:25::25"

static const struct store_dmarcrep_row all_pass[] = {
	ROW("google.com", "192.0.2.25", 100, 100, 100, 100),
	ROW("Enterprise Outlook", "192.0.2.25", 50, 50, 50, 50),
	ROW("Yahoo", "2001:db8:25::25", 20, 20, 20, 20),
};
/* one receiver sees DKIM fail with SPF pass; the others DKIM pass */
static const struct store_dmarcrep_row one_receiver[] = {
	ROW("Enterprise Outlook", "192.0.2.25", 80, 80, 68, 80),
	ROW("google.com", "192.0.2.25", 100, 100, 100, 100),
	ROW("Yahoo", "192.0.2.25", 40, 40, 40, 40),
	ROW("google.com", "203.0.113.66", 9, 0, 0, 0),
	ROW("Yahoo", "203.0.113.66", 4, 0, 0, 0),
	ROW("google.com", "198.51.100.40", 3, 3, 3, 0),
};
/* DKIM fails everywhere, SPF passes: the key */
static const struct store_dmarcrep_row dkim_everywhere[] = {
	ROW("google.com", "192.0.2.25", 100, 100, 0, 100),
	ROW("Yahoo", "192.0.2.25", 40, 40, 0, 40),
};
/* both fail: no key, not in SPF */
static const struct store_dmarcrep_row both_fail[] = {
	ROW("google.com", "192.0.2.25", 30, 0, 0, 0),
};
/* only strangers fail */
static const struct store_dmarcrep_row spoofed[] = {
	ROW("google.com", "192.0.2.25", 10, 10, 10, 10),
	ROW("google.com", "203.0.113.66", 7, 0, 0, 0),
	ROW("Yahoo", "203.0.113.67", 2, 0, 0, 0),
};
/* a forwarder passes on DKIM: nothing to say against it */
static const struct store_dmarcrep_row forwarded[] = {
	ROW("google.com", "192.0.2.25", 10, 10, 10, 10),
	ROW("google.com", "198.51.100.40", 3, 3, 3, 0),
	ROW("Yahoo", "198.51.100.40", 2, 2, 2, 0),
};
/* ten receivers: the names are cut */
static const struct store_dmarcrep_row many[] = {
	ROW("r01", "192.0.2.25", 1, 1, 1, 1), ROW("r02", "192.0.2.25", 1, 1, 1, 1),
	ROW("r03", "192.0.2.25", 1, 1, 1, 1), ROW("r04", "192.0.2.25", 1, 1, 1, 1),
	ROW("r05", "192.0.2.25", 1, 1, 1, 1), ROW("r06", "192.0.2.25", 1, 1, 1, 1),
	ROW("r07", "192.0.2.25", 1, 1, 1, 1), ROW("r08", "192.0.2.25", 1, 1, 1, 1),
	ROW("r09", "192.0.2.25", 1, 1, 1, 1), ROW("r10", "192.0.2.25", 1, 1, 1, 1),
};
/* reports, but none of our mail in them */
static const struct store_dmarcrep_row strangers_only[] = {
	ROW("google.com", "203.0.113.66", 7, 0, 0, 0),
};

/* day 20761 is 2026-11-04 */
static const struct store_dmarcweb_failday one_day[] = {
	{"google.com", "203.0.113.66", 20761, 9, 0, 0},
	{"Enterprise Outlook", "192.0.2.25", 20761, 20, 20, 8},
};
static const struct store_dmarcweb_failday three_days[] = {
	{"google.com", "192.0.2.25", 20760, 10, 0, 0},
	{"google.com", "192.0.2.25", 20762, 5, 0, 0},
	{"google.com", "192.0.2.25", 20761, 10, 0, 0},
	{"Yahoo", "192.0.2.25", 20761, 50, 0, 0},
};

struct vcase {
	const char *what;
	const char *outbound;
	const struct store_dmarcrep_row *rows;
	size_t	nrows;
	const struct store_dmarcweb_failday *faildays;
	size_t	nfaildays;
	const char *headline;		/* the first paragraph contains this */
	const char *has[4];		/* the text contains each */
	const char *not[3];		/* and none of these */
};

#define ROWS(a) a, sizeof(a) / sizeof(a[0])

static const struct vcase cases[] = {
	{"all our mail passed", OURS, ROWS(all_pass), NULL, 0,
	 "All mail from your list server (170 messages) passed DMARC at Enterprise Outlook, "
	 "google.com and Yahoo in the last 7 days.",
	 {NULL}, {"failed", "key check", NULL}},
	{"DKIM fails at one receiver only", OURS, ROWS(one_receiver), NULL, 0,
	 "All mail from your list server (220 messages) passed DMARC at Enterprise Outlook, "
	 "google.com and Yahoo in the last 7 days, but not all of it passed DKIM",
	 {"At Enterprise Outlook, DKIM failed for 12 of 80 messages from 192.0.2.25 (DMARC "
	  "passed on SPF).",
	  "DKIM passed at google.com and Yahoo, so the key is published and matches",
	  "sealist key check lists.example.org",
	  "Of the 16 messages from other sources, 13 failed DMARC, from 1 address; the most "
	  "from 203.0.113.66 at google.com (9). Not your list server"},
	 {"Both DKIM and SPF failed", NULL}},
	{"DKIM fails everywhere, SPF passes", OURS, ROWS(dkim_everywhere), NULL, 0,
	 "All mail from your list server (140 messages) passed DMARC",
	 {"At google.com, DKIM failed for 100 of 100 messages",
	  "SPF passed, DKIM did not: the signature was broken in transit, or the DKIM key is not "
	  "published or does not match", "run sealist key check lists.example.org", NULL},
	 {"so the key is published", NULL}},
	{"DKIM and SPF both fail", OURS, ROWS(both_fail), NULL, 0,
	 "Not all mail from your list server passed DMARC in the last 7 days: 30 of 30 messages "
	 "failed.",
	 {"At google.com, 30 of 30 messages from 192.0.2.25 failed DMARC.",
	  "the DKIM record of lists.example.org is missing or does not match",
	  "SPF does not list this server", "add 192.0.2.25 to the SPF record"},
	 {NULL}},
	{"strangers fail, we pass", OURS, ROWS(spoofed), NULL, 0,
	 "All mail from your list server (10 messages) passed DMARC at google.com in the last 7 "
	 "days.",
	 {"Of the 9 messages from other sources, 9 failed DMARC, from 2 addresses; the most "
	  "from 203.0.113.66 at google.com (7).",
	  "someone else sends with your domain in From (the policy protects you)",
	  "add it to SPF or have it sign", NULL},
	 {"At google.com", NULL}},
	{"outbound_ips empty", "", ROWS(spoofed), NULL, 0,
	 "sealist cannot tell its own mail from others' here: outbound_ips in sealist.conf is "
	 "empty.",
	 {"Of the 19 messages from all sources, 9 failed DMARC, from 2 addresses", NULL},
	 {"list server (", "Not your list server", NULL}},
	{"none of our mail", OURS, ROWS(strangers_only), NULL, 0,
	 "The reports show no mail from your list server (outbound_ips) in the last 7 days",
	 {"Of the 7 messages from other sources, 7 failed DMARC, from 1 address;", NULL},
	 {NULL}},
	{"a forwarder passes on DKIM", OURS, ROWS(forwarded), NULL, 0,
	 "All mail from your list server (10 messages) passed DMARC at google.com in the last 7 "
	 "days.",
	 {"The 5 messages from 1 other address passed DMARC at google.com and Yahoo.", NULL},
	 {"failed", NULL}},
	{"ten receivers", OURS, ROWS(many), NULL, 0,
	 "All mail from your list server (10 messages) passed DMARC at r01, r02, r03, r04, r05, "
	 "r06, r07, r08 and 2 more in the last 7 days.", {NULL}, {NULL}},
	{"a list server on IPv6 only, in a /48", "2001:db8:25::/48", ROWS(all_pass), NULL, 0,
	 "All mail from your list server (20 messages) passed DMARC at Yahoo",
	 {"The 150 messages from 1 other address passed DMARC at Enterprise Outlook and "
	  "google.com", NULL}, {NULL}},
	{"the day of a DKIM failure", OURS, ROWS(one_receiver), ROWS(one_day),
	 "All mail from your list server (220 messages) passed DMARC",
	 {"(DMARC passed on SPF). It happened on 2026-11-04. DKIM passed at google.com and "
	  "Yahoo", NULL}, {"days, the most", NULL}},
	{"the days of a DMARC failure", OURS, ROWS(both_fail), ROWS(three_days),
	 "Not all mail from your list server passed DMARC",
	 {"failed DMARC. It happened on 3 days, the most on 2026-11-03 (10). Both DKIM and SPF",
	  NULL}, {"Yahoo", NULL}},
	{"no reports", OURS, NULL, 0, NULL, 0,
	 "No DMARC aggregate reports about lists.example.org arrived in the last 7 days.",
	 {"_dmarc.lists.example.org", "mailto:dmarc-reports@lists.example.org", NULL},
	 {NULL}},
};

static void check_case(const struct vcase *c)
{
	struct web_net nets[DMARCVERDICT_NETS_MAX];
	struct dmarcverdict_in in;
	struct buf out;
	const char *text;
	size_t	i, first;

	memset(&in, 0, sizeof(in));
	in.domain = "lists.example.org";
	in.period = "in the last 7 days";
	in.report_address = "dmarc-reports";
	(void) dmarcverdict_nets(c->outbound, nets, DMARCVERDICT_NETS_MAX, &in.nnets);
	in.nets = nets;
	in.rows = c->rows;
	in.nrows = c->nrows;
	in.faildays = c->faildays;
	in.nfaildays = c->nfaildays;
	buf_init(&out, 1 << 20);
	tap_int(dmarcverdict_write(&in, &out), 0, c->what);
	text = buf_str(&out);
	first = strcspn(text, "\n");
	tap_ok(strstr(text, c->headline) != NULL && (size_t) (strstr(text, c->headline) - text)
	       < first, "%s: the headline says \"%s\"", c->what, c->headline);
	for (i = 0; i < 4 && c->has[i] != NULL; i++)
		tap_ok(strstr(text, c->has[i]) != NULL, "%s: says \"%s\"", c->what, c->has[i]);
	for (i = 0; i < 3 && c->not[i] != NULL; i++)
		tap_ok(strstr(text, c->not[i]) == NULL, "%s: does not say \"%s\"", c->what,
		       c->not[i]);
	tap_ok(text[out.len - 1] == '\n', "%s: ends with a paragraph end", c->what);
	for (i = 0; text[i]; i += first + (text[i + first] != 0)) {	/* a TAP comment per line */
		first = strcspn(text + i, "\n");
		tap_diag("%.*s", (int) first, text + i);
	}
	buf_free(&out);
}

static void check_nets(void)
{
	struct web_net nets[2];
	size_t	n = 99;

	tap_int((long long) dmarcverdict_nets("192.0.2.25, 2001:db8::/32", nets, 2, &n), 0,
		"two entries fit in two");
	tap_int((long long) n, 2, "  both parsed");
	tap_ok(web_net_match(nets, n, "2001:db8:25::25"), "  the /32 holds 2001:db8:25::25");
	tap_ok(!web_net_match(nets, n, "192.0.2.26"), "  192.0.2.26 is not ours");
	tap_int((long long) dmarcverdict_nets("192.0.2.1 192.0.2.2 192.0.2.3", nets, 2, &n), 1,
		"three entries in two: one over");
	tap_int((long long) n, 2, "  two kept");
	tap_int((long long) dmarcverdict_nets("  ,, ", nets, 2, &n), 0, "only separators");
	tap_int((long long) n, 0, "  nothing");
	tap_int((long long) dmarcverdict_nets(NULL, nets, 2, &n), 0, "NULL");
	tap_int((long long) n, 0, "  nothing");
	tap_int((long long) dmarcverdict_nets("junk 192.0.2.9", nets, 2, &n), 0, "junk skipped");
	tap_int((long long) n, 1, "  the good one kept");
}

/* (H5) Org totals with reports in mail that did not pass DMARC: one
   paragraph per such org, in the org's words, none for the others. */
#define ORG(org, reports, unauth) \
	{"lists.example.org", org, "", reports, 10, 10, 10, 10, 10, 0, 0, 0, unauth, 0}
static const struct store_dmarcrep_row unauth_orgs[] = {
	ORG("google.com", 3, 0), ORG("Yahoo", 3, 2), ORG("Forger", 1, 1), ORG("Many", 4, 4),
};

static void check_unauth(void)
{
	static const struct {
		const char *what, *want;
	} lines[] = {
		{"2 of 3: counted, \"their numbers\"",
		 "2 of Yahoo's 3 reports came in mail that did not pass DMARC: treat their numbers"
		 " with care, anyone can mail a report.\n"},
		{"its only report: \"its numbers\"",
		 "Forger's report came in mail that did not pass DMARC: treat its numbers with care,"
		 " anyone can mail a report.\n"},
		{"all of them: \"All 4\"", "All 4 of Many's reports came in mail that did not"
		 " pass DMARC: treat their numbers with care, anyone can mail a report.\n"},
	};
	struct dmarcverdict_in in;
	struct buf out;
	size_t	i;

	memset(&in, 0, sizeof(in));
	in.domain = "lists.example.org";
	in.period = "in the last 7 days";
	in.report_address = "dmarc-reports";
	in.rows = all_pass;
	in.nrows = sizeof(all_pass) / sizeof(all_pass[0]);
	in.orgs = unauth_orgs;
	in.norgs = sizeof(unauth_orgs) / sizeof(unauth_orgs[0]);
	buf_init(&out, 65536);
	tap_int(dmarcverdict_write(&in, &out), 0, "unauthenticated reports: the verdict is written");
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		tap_ok(strstr(buf_str(&out), lines[i].want) != NULL, "unauthenticated reports, %s",
		       lines[i].what);
	tap_ok(strstr(buf_str(&out), "google.com's") == NULL,
	       "  nothing about google.com, whose reports all passed");
	in.orgs = NULL;
	in.norgs = 0;
	buf_reset(&out);
	tap_int(dmarcverdict_write(&in, &out), 0, "without org totals");
	tap_ok(strstr(buf_str(&out), "did not pass DMARC: treat") == NULL,
	       "  the verdict says nothing about report mail");
	buf_free(&out);
}

/* (H8) --check's question: did our mail fail somewhere?  And the window's words. */
static void check_ours_failed(void)
{
	static const struct {
		const char *what, *outbound;
		const struct store_dmarcrep_row *rows;
		size_t	nrows;
		int	want;
	} fc[] = {
		{"all ours passed: no", OURS, ROWS(all_pass), 0},
		{"DKIM failed at one receiver, DMARC passed: yes", OURS, ROWS(one_receiver), 1},
		{"DMARC failed: yes", OURS, ROWS(both_fail), 1},
		{"only strangers failed: no", OURS, ROWS(spoofed), 0},
		{"none of ours reported: no", OURS, ROWS(strangers_only), 0},
		{"without outbound_ips nothing is ours: no", "", ROWS(both_fail), 0},
	};
	struct web_net nets[DMARCVERDICT_NETS_MAX];
	struct dmarcverdict_in in;
	char	period[DMARCVERDICT_PERIOD_MAX];
	size_t	i;

	for (i = 0; i < sizeof(fc) / sizeof(fc[0]); i++) {
		memset(&in, 0, sizeof(in));
		(void) dmarcverdict_nets(fc[i].outbound, nets, DMARCVERDICT_NETS_MAX, &in.nnets);
		in.nets = nets;
		in.rows = fc[i].rows;
		in.nrows = fc[i].nrows;
		tap_ok(dmarcverdict_ours_failed(&in) == fc[i].want, "ours failed? %s", fc[i].what);
	}
	dmarcverdict_period(7, 20764, 0, period, sizeof(period));
	tap_str(period, "in the last 7 days", "period: up to now");
	dmarcverdict_period(7, 20764, 1, period, sizeof(period));
	tap_str(period, "in the 7 days to 2026-11-07", "period: to a given day");
	dmarcverdict_period(1, 20761, 1, period, sizeof(period));
	tap_str(period, "on 2026-11-04", "period: one given day");
}

int main(void)
{
	size_t	i;

	check_nets();
	check_unauth();
	check_ours_failed();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	return tap_done();
}
