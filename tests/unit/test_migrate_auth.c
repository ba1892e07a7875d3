/*
 * test_migrate_auth -- migration 014_dmarc_report_auth (db/), which adds
 * mail_dmarc and mail_from_domain to dmarc_reports, and what the store
 * does with them: a database at version 13 with reports (from a file and
 * by mail) and their records is opened with store_open, which migrates
 * it; every row must be intact, the new columns NULL, the records still
 * going with their report.  Then store_dmarcrep_add_mail: a report in
 * mail that failed DMARC is stored and marked, the same report in mail
 * that passed displaces it (records and all), a later copy that fails
 * does not; and the summary counts the unauthenticated reports per row
 * and per org (a file's report is trusted, a pre-014 mail's is not).
 */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "dmarcrep/dmarcrep.h"
#include "migdb.h"
#include "store.h"
#include "tap.h"

/* The rows of dmarc_reports (the 011 columns) and their records, as text. */
static const char rows_sql[] =
	"SELECT group_concat(x, ';') FROM (SELECT r.id || '|' || org_name || '|' || email || '|'"
	" || r.report_id || '|' || date_begin || '|' || date_end || '|' || policy_domain || '|'"
	" || adkim || aspf || p || sp || np || '|' || coalesce(pct, 'NULL') || '|' || fo || '|'"
	" || schema || '|' || errors || '|' || received_at || '|' || source || '|'"
	" || (SELECT group_concat(c.source_ip || '=' || c.count || c.dkim || c.spf, ',')"
	"     FROM dmarc_report_records c WHERE c.report_id = r.id) AS x"
	" FROM dmarc_reports r ORDER BY r.id)";

/* migdb_text and migdb_check on a connection of their own. */
static char *raw_text(const char *sql)
{
	sqlite3 *db = migdb_open();
	char   *v = migdb_text(db, sql);

	sqlite3_close(db);
	return v;
}

static void check_text(const char *sql, const char *want, const char *what)
{
	sqlite3 *db = migdb_open();

	migdb_check(db, sql, want, what);
	sqlite3_close(db);
}

/* A database at schema version 13, by the migrations themselves. */
static void make_v13(void)
{
	sqlite3 *db = migdb_open();

	migdb_make(db, 13);
	tap_int(migdb_exec(db,
		"INSERT INTO dmarc_reports (id, org_name, email, report_id, date_begin, date_end,"
		" policy_domain, adkim, aspf, p, sp, np, pct, fo, schema, errors, received_at, source)"
		" VALUES (1, 'google.com', 'n@google.com', 'g1', 100, 86499, 'example.org', 'r', 'r',"
		" 'none', '', '', 100, '0', 7489, '', 5, 'file:g1.zip'),"
		" (2, 'Yahoo', '', 'y1', 100, 86499, 'example.org', '', '', 'reject', 'none', 'none',"
		" NULL, '', 9990, 'one error', 6, 'mail');"
		"INSERT INTO dmarc_report_records (report_id, source_ip, count, dkim, spf) VALUES"
		" (1, '192.0.2.1', 10, 'pass', 'fail'), (1, '192.0.2.2', 3, 'fail', 'fail'),"
		" (2, '192.0.2.1', 7, 'pass', 'pass')"), SQLITE_OK,
		"two reports (one from a file, one by mail) with three records");
	sqlite3_close(db);
}

/* A report of org about example.org ending at 86499 with one record. */
static int parse(const char *org, const char *id, long long count, struct dmarcrep_report *r)
{
	char	xml[1024], why[256];

	(void) snprintf(xml, sizeof(xml),
			"<feedback><report_metadata><org_name>%s</org_name><report_id>%s"
			"</report_id><date_range><begin>100</begin><end>86499</end></date_range>"
			"</report_metadata><policy_published><domain>example.org</domain><p>none</p>"
			"</policy_published><record><row><source_ip>192.0.2.9</source_ip><count>%lld"
			"</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim>"
			"<spf>pass</spf></policy_evaluated></row><identifiers><header_from>example.org"
			"</header_from></identifiers><auth_results><spf><domain>example.org</domain>"
			"<result>pass</result></spf></auth_results></record></feedback>", org, id, count);
	memset(r, 0, sizeof(*r));
	if (dmarcrep_parse(xml, strlen(xml), r, why, sizeof(why)) != 0) {
		tap_diag("parse: %s", why);
		return -1;
	}
	return 0;
}

/* store_dmarcrep_add_mail of (org, id, count); returns dup, or -1 on failure. */
static int add_mail(struct store *s, const char *org, const char *id, long long count,
		    const char *dmarc, const char *from)
{
	struct dmarcrep_report r;
	const char *error = NULL;
	int	dup = -1;

	if (parse(org, id, count, &r) == 0) {
		if (store_dmarcrep_add_mail(s, &r, dmarc, from, 7, &dup, &error) != STORE_OK) {
			tap_diag("store_dmarcrep_add_mail: %s", error);
			dup = -1;
		}
		dmarcrep_free(&r);
	}
	return dup;
}

/* The summary rows as "org ip reports unauth org_unauth;". */
static int collect(const struct store_dmarcrep_row *w, void *ctx)
{
	char	line[300];

	(void) snprintf(line, sizeof(line), "%s %s %lld %lld %lld;", w->org, w->source_ip,
			w->reports, w->unauth, w->org_unauth);
	buf_append_str(ctx, line);
	return 0;
}

static void test_store(struct store *s)
{
	struct buf out;
	const char *error = NULL;

	tap_int(add_mail(s, "Forged", "f1", 999, "fail", "forger.example"), 0,
		"a report in mail that failed DMARC is stored");
	check_text("SELECT mail_dmarc || '|' || mail_from_domain FROM dmarc_reports"
		   " WHERE report_id = 'f1'", "fail|forger.example", "  marked dmarc fail, its From domain");
	tap_int(add_mail(s, "Forged", "f1", 5, "pass", "forged.example"), 0,
		"the same report in mail that passed: not a duplicate");
	check_text("SELECT count(*) || '|' || group_concat(mail_dmarc || '|' || mail_from_domain)"
		   " FROM dmarc_reports WHERE report_id = 'f1'", "1|pass|forged.example",
		   "  it displaced the unauthenticated copy");
	check_text("SELECT group_concat(c.count) FROM dmarc_report_records c JOIN dmarc_reports r"
		   " ON r.id = c.report_id WHERE r.report_id = 'f1'", "5",
		   "  with its own records, the forged ones gone");
	check_text("SELECT count(*) FROM dmarc_report_records WHERE count = 999", "0",
		   "  no record of the forged copy is left");
	tap_int(add_mail(s, "Forged", "f1", 77, "fail", "forger.example"), 1,
		"a later copy in mail that failed: a duplicate");
	tap_int(add_mail(s, "Forged", "f1", 78, "pass", "forged.example"), 1,
		"a later copy in mail that passed too: a duplicate, nothing displaced");
	check_text("SELECT group_concat(c.count) FROM dmarc_report_records c JOIN dmarc_reports r"
		   " ON r.id = c.report_id WHERE r.report_id = 'f1'", "5", "  still the first numbers");
	tap_int(add_mail(s, "google.com", "g1", 1, "pass", "google.com"), 1,
		"a file's report is never displaced by mail");

	buf_init(&out, 4096);
	tap_int(store_dmarcrep_summary_each(s, "example.org", 0, LLONG_MAX, collect, &out, &error), STORE_OK,
		"the summary");
	tap_str(buf_str(&out), "Forged 192.0.2.9 1 0 0;google.com 192.0.2.1 1 0 0;"
		"google.com 192.0.2.2 1 0 0;Yahoo 192.0.2.1 1 1 1;",
		"  counts the pre-014 mail report as not authenticated, the file's and the"
		" passing mail's as authenticated");
	buf_free(&out);
}

static void test_migration(void)
{
	struct store *s;
	const char *error = NULL;
	char   *before, *after;

	make_v13();
	before = raw_text(rows_sql);
	s = store_open(migdb_path, &error);
	tap_ok(s != NULL, "store_open migrates it (%s)", s != NULL ? "ok" : error);
	check_text("SELECT count(*) FROM schema_migrations WHERE version = 14"
		   " AND name = 'dmarc_report_auth'", "1", "014_dmarc_report_auth is recorded");
	after = raw_text(rows_sql);
	tap_str(after ? after : "(error)", before ? before : "(none)",
		"every report and record is intact, column by column");
	check_text("SELECT count(*) FROM dmarc_reports WHERE mail_dmarc IS NULL"
		   " AND mail_from_domain IS NULL", "2", "the new columns are NULL (not known)");
	check_text("PRAGMA integrity_check", "ok", "integrity_check is ok");
	check_text("SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema"
		   " WHERE type = 'index' AND tbl_name = 'dmarc_reports' AND sql IS NOT NULL"
		   " ORDER BY name)", "dmarc_reports_domain dmarc_reports_end", "the indexes stay");
	if (s != NULL) {
		test_store(s);
		store_close(s);
	}
	{
		sqlite3 *db = migdb_open();

		tap_int(migdb_exec(db, "DELETE FROM dmarc_reports WHERE id = 1"), SQLITE_OK,
			"delete the file's report");
		sqlite3_close(db);
	}
	check_text("SELECT count(*) FROM dmarc_report_records WHERE report_id = 1", "0",
		   "  its records went with it (ON DELETE CASCADE)");
	free(before);
	free(after);
}

int main(void)
{
	if (migdb_init("test_migrate_auth") < 0)
		return 99;
	test_migration();
	migdb_cleanup();
	return tap_done();
}
