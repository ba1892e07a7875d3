/*
 * NAME
 *	test_store_dmarcrep 1
 * SUMMARY
 *	unit tests for src/store_dmarcrep.c against a real database file
 * DESCRIPTION
 *	Reports are filled in by hand (struct dmarcrep_report as lib/dmarcrep
 *	hands them over), stored, and the rows read back with SQLite
 *	directly: a report and its records, a duplicate that adds nothing,
 *	refusals that add nothing, a failure in the middle of the records
 *	that leaves no half report (a trigger makes the third insert fail),
 *	a refused report kept aside by hash, and the summary's sums per
 *	domain, org and IP against figures worked out by hand.
 */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dmarcrep/dmarcrep.h"
#include "store.h"
#include "tap.h"

#define DAY	86400LL
#define T0	1780000000LL		/* a fixed clock */

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

static int scalar_cb(void *ctx, int n, char **v, char **names)
{
	(void) names;
	if (n > 0 && v[0] != NULL)
		(void) snprintf(ctx, 256, "%s", v[0]);
	return 0;
}

/* The first column of the first row of sql as text ("" none); static buffer. */
static const char *scalar(const char *sql)
{
	static char out[256];
	sqlite3 *db;

	out[0] = 0;
	if (sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
	    || sqlite3_exec(db, sql, scalar_cb, out, NULL) != SQLITE_OK)
		tap_diag("scalar: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	return out;
}

static long long count_rows(const char *table)
{
	char	sql[128];

	(void) snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return strtoll(scalar(sql), NULL, 10);
}

/* A record as a receiver reports it: one DKIM and one SPF result. */
struct rec {
	const char *ip;
	long long count;
	const char *disposition, *dkim, *spf;
};

static struct dmarcrep_auth dkim_auth = {"example.org", "s1", "pass", ""};
static struct dmarcrep_auth spf_auth = {"bounce.example.org", "", "fail", "mfrom"};

/* r with org, id, domain, period [end - DAY, end] and the n records. */
static void report(struct dmarcrep_report *r, struct dmarcrep_record *c, const char *org,
		   const char *id, const char *domain, long long end, const struct rec *recs,
		   size_t n)
{
	size_t	i;

	memset(r, 0, sizeof(*r));
	r->schema = 9990;
	r->org_name = (char *) org;
	r->email = (char *) "noreply-dmarc@example.net";
	r->extra_contact = (char *) "";
	r->report_id = (char *) id;
	r->date_begin = end - DAY;
	r->date_end = end;
	r->errors = (char *) "";
	r->domain = (char *) domain;
	r->adkim = (char *) "r";
	r->aspf = (char *) "r";
	r->p = (char *) "reject";
	r->sp = (char *) "";
	r->np = (char *) "";
	r->fo = (char *) "";
	r->testing = (char *) "n";
	r->discovery = (char *) "";
	r->pct = -1;
	for (i = 0; i < n; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].source_ip = (char *) recs[i].ip;
		c[i].count = recs[i].count;
		c[i].disposition = (char *) recs[i].disposition;
		c[i].dkim = (char *) recs[i].dkim;
		c[i].spf = (char *) recs[i].spf;
		c[i].reason_type = (char *) (i == 0 ? "mailing_list" : "");
		c[i].reason_comment = (char *) "";
		c[i].header_from = (char *) domain;
		c[i].envelope_from = (char *) "";
		c[i].envelope_to = (char *) "";
		c[i].dkim_results = &dkim_auth;
		c[i].ndkim = 1;
		c[i].spf_results = &spf_auth;
		c[i].nspf = i == 0 ? 1 : 0;
	}
	r->records = c;
	r->nrecords = n;
}

static void test_add(struct store *s)
{
	static const struct rec recs[] = {
		{"192.0.2.1", 10, "none", "pass", "fail"},
		{"2001:db8::25", 3, "reject", "fail", "fail"},
	};
	struct dmarcrep_report r;
	struct dmarcrep_record c[2];
	const char *error = NULL;
	int	dup = -1;

	report(&r, c, "google.com", "g-1", "Example.ORG", T0, recs, 2);
	tap_int(store_dmarcrep_add(s, &r, "file:g-1.xml.gz", T0 + 5, &dup, &error), STORE_OK,
		"a report with two records is stored");
	tap_int(dup, 0, "it is not a duplicate");
	tap_int(count_rows("dmarc_reports"), 1, "one report row");
	tap_int(count_rows("dmarc_report_records"), 2, "two record rows");
	tap_str(scalar("SELECT policy_domain || '|' || schema || '|' || coalesce(pct, 'null')"
		       " || '|' || source || '|' || received_at FROM dmarc_reports"),
		"example.org|9990|null|file:g-1.xml.gz|1780000005",
		"domain lowercased, schema, pct NULL when absent, source, received_at");
	tap_str(scalar("SELECT source_ip || '|' || count || '|' || disposition || '|' || dkim"
		       " || '|' || spf || '|' || reason_type || '|' || dkim_domain || '|'"
		       " || dkim_selector || '|' || dkim_result || '|' || dkim_count || '|'"
		       " || spf_domain || '|' || spf_result || '|' || spf_count"
		       " FROM dmarc_report_records ORDER BY id LIMIT 1"),
		"192.0.2.1|10|none|pass|fail|mailing_list|example.org|s1|pass|1|"
		"bounce.example.org|fail|1", "the first record's columns");
	tap_str(scalar("SELECT spf_domain || '|' || spf_count FROM dmarc_report_records"
		       " ORDER BY id DESC LIMIT 1"), "|0", "a record without SPF results");

	dup = -1;
	tap_int(store_dmarcrep_add(s, &r, "mail", T0 + 9, &dup, &error), STORE_OK,
		"the same report again is not an error");
	tap_int(dup, 1, "it is a duplicate");
	tap_int(count_rows("dmarc_reports"), 1, "still one report row");
	tap_int(count_rows("dmarc_report_records"), 2, "still two record rows");
	tap_str(scalar("SELECT source FROM dmarc_reports"), "file:g-1.xml.gz",
		"the first copy stays as it was");

	report(&r, c, "Yahoo", "g-1", "example.org", T0, recs, 1);
	tap_int(store_dmarcrep_add(s, &r, "mail", T0, &dup, &error), STORE_OK,
		"the same report_id from another org is another report");
	tap_int(dup, 0, "not a duplicate");
	tap_int(count_rows("dmarc_reports"), 2, "two report rows");
}

static void test_refused(struct store *s)
{
	static const struct rec recs[] = {
		{"192.0.2.1", 10, "none", "pass", "fail"},
		{"192.0.2.2", -1, "none", "pass", "fail"},
	};
	static const struct rec big[] = {
		{"192.0.2.1", STORE_DMARCREP_COUNT_MAX + 1, "none", "pass", "fail"},
	};
	static const struct {
		const char *what, *org, *id, *domain, *source;
		int	schema;
		const struct rec *recs;
		size_t	n;
	} rows[] = {
		{"a source other than mail or file:NAME", "o", "x1", "example.org", "web", 9990, recs, 1},
		{"file: without a name", "o", "x2", "example.org", "file:", 9990, recs, 1},
		{"an empty report_id", "o", "", "example.org", "mail", 9990, recs, 1},
		{"an empty org_name", "", "x3", "example.org", "mail", 9990, recs, 1},
		{"no policy domain", "o", "x4", "", "mail", 9990, recs, 1},
		{"an unknown schema", "o", "x5", "example.org", "mail", 1, recs, 1},
		{"a negative count (second record)", "o", "x6", "example.org", "mail", 7489, recs, 2},
		{"a count over the maximum", "o", "x7", "example.org", "mail", 7489, big, 1},
	};
	struct dmarcrep_report r;
	struct dmarcrep_record c[2];
	const char *error;
	long long reports = count_rows("dmarc_reports");
	long long records = count_rows("dmarc_report_records");
	size_t	i;
	int	dup;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		report(&r, c, rows[i].org, rows[i].id, rows[i].domain, T0, rows[i].recs, rows[i].n);
		r.schema = rows[i].schema;
		error = NULL;
		tap_int(store_dmarcrep_add(s, &r, rows[i].source, T0, &dup, &error), STORE_INVALID,
			rows[i].what);
		tap_ok(error != NULL && *error != 0, "%s: says why (%s)", rows[i].what,
		       error ? error : "(null)");
	}
	tap_int(count_rows("dmarc_reports"), reports, "refused reports add no report row");
	tap_int(count_rows("dmarc_report_records"), records, "... and no record row");
}

/* A failure after some records were written leaves no trace of the report. */
static void test_atomic(struct store *s)
{
	static const struct rec recs[] = {
		{"192.0.2.10", 1, "none", "pass", "pass"},
		{"192.0.2.11", 1, "none", "pass", "pass"},
		{"192.0.2.66", 1, "none", "pass", "pass"},
	};
	struct dmarcrep_report r;
	struct dmarcrep_record c[3];
	const char *error = NULL;
	long long reports = count_rows("dmarc_reports");
	long long records = count_rows("dmarc_report_records");
	int	dup;

	if (!tap_int(raw("CREATE TRIGGER fail66 BEFORE INSERT ON dmarc_report_records"
			 " WHEN NEW.source_ip = '192.0.2.66'"
			 " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"), 0,
		     "a trigger that fails the third record"))
		return;
	report(&r, c, "atomic.example", "a-1", "example.org", T0, recs, 3);
	tap_int(store_dmarcrep_add(s, &r, "mail", T0, &dup, &error), STORE_ERROR,
		"a failing record fails the whole report");
	tap_ok(error != NULL && strstr(error, "injected failure") != NULL,
	       "the database's reason is passed on (%s)", error ? error : "(null)");
	tap_int(count_rows("dmarc_reports"), reports, "no report row is left");
	tap_int(count_rows("dmarc_report_records"), records, "no record row is left");
	raw("DROP TRIGGER fail66");
	tap_int(store_dmarcrep_add(s, &r, "mail", T0, &dup, &error), STORE_OK,
		"the same report goes in once the failure is gone");
	tap_int(dup, 0, "as a new report");
	tap_int(count_rows("dmarc_report_records"), records + 3, "with its three records");
}

static void test_reject(struct store *s)
{
	const char *error = NULL;

	tap_int(store_dmarcrep_reject(s, "file:bomb.zip", "decompressed size over 64 MiB", "abc", 3,
				      T0 + 1, &error), STORE_OK, "a refused report is kept aside");
	tap_str(scalar("SELECT received_at || '|' || source || '|' || reason || '|' || size"
		       " || '|' || sha256 FROM dmarc_report_rejects"),
		"1780000001|file:bomb.zip|decompressed size over 64 MiB|3|"
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"with its reason, size and SHA-256, not its bytes");
	tap_int(store_dmarcrep_reject(s, "mail", "not a report: neither XML, gzip nor zip", NULL, 0,
				      T0 + 2, &error), STORE_OK, "an empty one too");
	tap_str(scalar("SELECT sha256 FROM dmarc_report_rejects WHERE size = 0"),
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"the SHA-256 of nothing");
	tap_int(store_dmarcrep_reject(s, "ftp", "x", "a", 1, T0, &error), STORE_INVALID,
		"a bad source is refused");
	tap_int(count_rows("dmarc_report_rejects"), 2, "two rows kept aside");
}

struct rows {
	char	text[16][160];
	size_t	n, stop_after;
};

static int collect(const struct store_dmarcrep_row *w, void *ctx)
{
	struct rows *all = ctx;

	if (all->n < 16)
		(void) snprintf(all->text[all->n++], sizeof(all->text[0]),
				"%s %s %s r%lld m%lld dkim%lld spf%lld dmarc%lld n%lld p%lld q%lld r%lld",
				w->domain, w->org, w->source_ip, w->reports, w->messages,
				w->dkim_pass, w->spf_pass, w->dmarc_pass, w->none,
				w->pass, w->quarantine, w->reject);
	return all->stop_after != 0 && all->n >= all->stop_after;
}

static void test_summary(struct store *s)
{
	/* Two days of Google and one of Microsoft about list.example, one about
	   other.example, and an old one that --days leaves out. */
	static const struct rec g1[] = {
		{"192.0.2.1", 100, "none", "pass", "pass"},
		{"192.0.2.1", 5, "none", "pass", "fail"},
		{"198.51.100.7", 20, "reject", "fail", "fail"},
		{"198.51.100.7", 4, "quarantine", "fail", "pass"},
	};
	static const struct rec g2[] = {
		{"192.0.2.1", 50, "none", "PASS", "fail"},
		{"198.51.100.7", 6, "Reject", "fail", "fail"},
	};
	static const struct rec m1[] = {
		{"2001:db8::1", 7, "pass", "fail", "pass"},
		{"192.0.2.1", 3, "none", "pass", "pass"},
	};
	static const struct rec o1[] = {
		{"192.0.2.1", 9, "none", "pass", "pass"},
	};
	static const struct rec old[] = {
		{"192.0.2.1", 1000, "reject", "fail", "fail"},
	};
	struct dmarcrep_report r;
	struct dmarcrep_record c[4];
	const char *error = NULL;
	struct rows all;
	long long now = T0 + 30 * DAY;
	int	dup;

	report(&r, c, "google.com", "s-g1", "list.example", now - DAY, g1, 4);
	tap_int(store_dmarcrep_add(s, &r, "mail", now, &dup, &error), STORE_OK, "google day 1");
	report(&r, c, "google.com", "s-g2", "LIST.example", now, g2, 2);
	tap_int(store_dmarcrep_add(s, &r, "mail", now, &dup, &error), STORE_OK, "google day 2");
	report(&r, c, "Microsoft", "s-m1", "list.example", now, m1, 2);
	tap_int(store_dmarcrep_add(s, &r, "mail", now, &dup, &error), STORE_OK, "microsoft");
	report(&r, c, "google.com", "s-o1", "other.example", now, o1, 1);
	tap_int(store_dmarcrep_add(s, &r, "mail", now, &dup, &error), STORE_OK, "other domain");
	report(&r, c, "google.com", "s-old", "list.example", now - 10 * DAY, old, 1);
	tap_int(store_dmarcrep_add(s, &r, "mail", now, &dup, &error), STORE_OK, "an old report");

	memset(&all, 0, sizeof(all));
	tap_int(store_dmarcrep_summary_each(s, "List.Example", now - 7 * DAY, now, collect, &all, &error),
		STORE_OK, "summary of list.example over 7 days");
	/* Orgs by name without case ('g' < 'M'), then the most messages first. */
	if (tap_int((long long) all.n, 4, "four (org, IP) rows")) {
		tap_str(all.text[0],
			"list.example google.com 192.0.2.1 r2 m155 dkim155 spf100 dmarc155 n155 p0 q0 r0",
			"google, 192.0.2.1 over two reports (PASS counts as pass)");
		tap_str(all.text[1],
			"list.example google.com 198.51.100.7 r2 m30 dkim0 spf4 dmarc4 n0 p0 q4 r26",
			"google, the failing source (Reject counts as reject)");
		tap_str(all.text[2],
			"list.example Microsoft 2001:db8::1 r1 m7 dkim0 spf7 dmarc7 n0 p7 q0 r0",
			"microsoft, the IPv6 source (disposition pass, RFC 9990)");
		tap_str(all.text[3], "list.example Microsoft 192.0.2.1 r1 m3 dkim3 spf3 dmarc3 n3 p0 q0 r0",
			"microsoft, 192.0.2.1");
	}
	memset(&all, 0, sizeof(all));
	tap_int(store_dmarcrep_summary_each(s, "list.example", 0, LLONG_MAX, collect, &all, &error), STORE_OK,
		"summary of list.example since ever");
	if (tap_int((long long) all.n, 4, "four rows with the old report"))
		tap_str(all.text[0],
			"list.example google.com 192.0.2.1 r3 m1155 dkim155 spf100 dmarc155 n155 p0 q0 r1000",
			"the old report counts in");
	memset(&all, 0, sizeof(all));
	tap_int(store_dmarcrep_summary_each(s, NULL, now - 7 * DAY, now, collect, &all, &error),
		STORE_OK, "summary of every domain");
	tap_int((long long) all.n, 5, "four rows of list.example and one of other.example");
	tap_str(all.text[4], "other.example google.com 192.0.2.1 r1 m9 dkim9 spf9 dmarc9 n9 p0 q0 r0",
		"other.example last");
	memset(&all, 0, sizeof(all));
	tap_int(store_dmarcrep_summary_each(s, "list.example", 0, now - DAY - 1, collect, &all,
					    &error), STORE_OK, "summary up to before day 1");
	if (tap_int((long long) all.n, 1, "only the old report: until bounds the window"))
		tap_str(all.text[0],
			"list.example google.com 192.0.2.1 r1 m1000 dkim0 spf0 dmarc0 n0 p0 q0 r1000",
			"the old report alone");
	memset(&all, 0, sizeof(all));
	all.stop_after = 2;
	tap_int(store_dmarcrep_summary_each(s, NULL, 0, LLONG_MAX, collect, &all, &error), STORE_OK,
		"fn may stop the walk");
	tap_int((long long) all.n, 2, "after two rows");
	memset(&all, 0, sizeof(all));
	tap_int(store_dmarcrep_summary_each(s, "nosuch.example", 0, LLONG_MAX, collect, &all, &error),
		STORE_OK, "a domain without reports");
	tap_int((long long) all.n, 0, "has no rows");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	const char *error = NULL;
	struct store *s;

	(void) snprintf(test_dir, sizeof(test_dir), "%s/test_store_dmarcrep.XXXXXX",
			tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	(void) snprintf(test_db, sizeof(test_db), "%s/sealist.db", test_dir);
	s = store_open(test_db, &error);
	if (tap_ok(s != NULL, "open a database")) {
		test_add(s);
		test_refused(s);
		test_atomic(s);
		test_reject(s);
		raw("PRAGMA foreign_keys = ON; DELETE FROM dmarc_reports");
		tap_int(count_rows("dmarc_report_records"), 0,
			"records go with their reports (ON DELETE CASCADE)");
		test_summary(s);
		store_close(s);
	} else {
		tap_diag("%s", error ? error : "(null)");
	}
	cleanup();
	return tap_done();
}
