/*
 * NAME
 *	store_dmarcweb 3
 * SUMMARY
 *	the store's part of the DMARC report page: per day, per source,
 *	per org, and the domains reported on
 * DESCRIPTION
 *	See store.h (the H2 block) and db/011_dmarc_reports.sql.  Every
 *	query is about one policy domain and a window of date_end, so it
 *	uses the (policy_domain, date_end) index; the sums are done in SQL
 *	with the same CASE expressions for all three views, so that the
 *	day, source and org totals of one window add up to the same
 *	numbers.  The statements' texts live here (store_stmt_sql).
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store.h"

#define SQL_DMARCWEB_FIRST	SQL_DMARCWEB_DAYS

/* The verdict sums, columns 0-3 after whatever comes before them. */
#define DW_PASS(col)	"sum(CASE WHEN lower(c." col ") = 'pass' THEN c.count ELSE 0 END)"
#define DW_DMARC	"sum(CASE WHEN lower(c.dkim) = 'pass' OR lower(c.spf) = 'pass'" \
			" THEN c.count ELSE 0 END)"
#define DW_DISP(v)	"sum(CASE WHEN lower(c.disposition) = '" v "' THEN c.count ELSE 0 END)"
#define DW_FROM \
	" FROM dmarc_reports r JOIN dmarc_report_records c ON c.report_id = r.id" \
	" WHERE r.policy_domain = ?1 AND r.date_end >= ?2 AND r.date_end < ?3"
/* The columns of a store_dmarcrep_row after domain, org and IP, in the
   order of store_dmarcrep_row_read (store_dmarcrep.c's summary). */
#define DW_ROW \
	" count(DISTINCT r.id), sum(c.count) AS msgs, " DW_PASS("dkim") ", " DW_PASS("spf") \
	", " DW_DMARC " AS dpass, " DW_DISP("none") ", " DW_DISP("pass") ", " DW_DISP("quarantine") ", " \
	DW_DISP("reject") ", " STORE_DMARCREP_UNAUTH_COUNT DW_FROM

static const char *const store_dmarcweb_sql[] = {
	[SQL_DMARCWEB_DAYS - SQL_DMARCWEB_FIRST] =
	"SELECT r.date_end / 86400, sum(c.count), " DW_DMARC ", " DW_PASS("dkim") ", "
	DW_PASS("spf") DW_FROM " GROUP BY 1 ORDER BY 1",
	/* failing messages first (a bare "5 - 8" would be a constant) */
	[SQL_DMARCWEB_SOURCES - SQL_DMARCWEB_FIRST] =
	"SELECT r.policy_domain, r.org_name, c.source_ip," DW_ROW
	" GROUP BY 2, 3 ORDER BY msgs - dpass DESC, msgs DESC, 2 COLLATE NOCASE, 2, 3",
	[SQL_DMARCWEB_ORGS - SQL_DMARCWEB_FIRST] =
	"SELECT r.policy_domain, r.org_name, ''," DW_ROW " GROUP BY 2 ORDER BY 2 COLLATE NOCASE, 2",
	[SQL_DMARCWEB_DOMAINS - SQL_DMARCWEB_FIRST] =
	"SELECT DISTINCT policy_domain FROM dmarc_reports ORDER BY 1",
	[SQL_DMARCWEB_FAILDAYS - SQL_DMARCWEB_FIRST] =
	"SELECT r.org_name, c.source_ip, r.date_end / 86400, sum(c.count) AS msgs, " DW_DMARC
	" AS dpass, " DW_PASS("dkim") " AS kpass" DW_FROM " GROUP BY 1, 2, 3"
	" HAVING msgs > dpass OR msgs > kpass ORDER BY 1, 2, 3",
};

static sqlite3_stmt *store_dmarcweb_stmt(struct store *s, enum store_sql which)
{
	return store_stmt_sql(s, which, store_dmarcweb_sql[which - SQL_DMARCWEB_FIRST]);
}

/* The statement with domain (lowercased), begin and end bound; NULL: error set. */
static sqlite3_stmt *store_dmarcweb_window(struct store *s, enum store_sql which,
					   const char *domain, long long begin, long long end)
{
	sqlite3_stmt *st;
	char   *d;

	if ((d = strdup(domain != NULL ? domain : "")) == NULL) {
		(void) store_fail(s, STORE_ERROR, "out of memory");
		return NULL;
	}
	store_lowercase(d);
	if ((st = store_dmarcweb_stmt(s, which)) != NULL) {
		sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, begin);
		sqlite3_bind_int64(st, 3, end);
	}
	free(d);
	return st;
}

/* After the rows: reset, and the result (rc is the last sqlite3_step's). */
static int store_dmarcweb_done(struct store *s, sqlite3_stmt *st, int rc, const char **error_r)
{
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the DMARC reports"), error_r);
	return store_result(s, STORE_OK, error_r);
}

int store_dmarcweb_days(struct store *s, const char *domain, long long begin, long long end,
			int (*fn)(const struct store_dmarcweb_day *, void *), void *ctx,
			const char **error_r)
{
	struct store_dmarcweb_day d;
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_dmarcweb_window(s, SQL_DMARCWEB_DAYS, domain, begin, end)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d.day = sqlite3_column_int64(st, 0);
		d.messages = sqlite3_column_int64(st, 1);
		d.dmarc_pass = sqlite3_column_int64(st, 2);
		d.dkim_pass = sqlite3_column_int64(st, 3);
		d.spf_pass = sqlite3_column_int64(st, 4);
		if (fn(&d, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_dmarcweb_done(s, st, rc, error_r);
}

/* The rows of SQL_DMARCWEB_SOURCES or _ORGS. */
static int store_dmarcweb_rows(struct store *s, enum store_sql which, const char *domain,
			       long long begin, long long end,
			       int (*fn)(const struct store_dmarcrep_row *, void *), void *ctx,
			       const char **error_r)
{
	struct store_dmarcrep_row row;
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_dmarcweb_window(s, which, domain, begin, end)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dmarcrep_row_read(st, &row);
		if (fn(&row, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_dmarcweb_done(s, st, rc, error_r);
}

int store_dmarcweb_sources(struct store *s, const char *domain, long long begin, long long end,
			   int (*fn)(const struct store_dmarcrep_row *, void *), void *ctx,
			   const char **error_r)
{
	return store_dmarcweb_rows(s, SQL_DMARCWEB_SOURCES, domain, begin, end, fn, ctx, error_r);
}

int store_dmarcweb_orgs(struct store *s, const char *domain, long long begin, long long end,
			int (*fn)(const struct store_dmarcrep_row *, void *), void *ctx,
			const char **error_r)
{
	return store_dmarcweb_rows(s, SQL_DMARCWEB_ORGS, domain, begin, end, fn, ctx, error_r);
}

int store_dmarcweb_faildays(struct store *s, const char *domain, long long begin,
			    long long end, int (*fn)(const struct store_dmarcweb_failday *, void *),
			    void *ctx, const char **error_r)
{
	struct store_dmarcweb_failday f;
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_dmarcweb_window(s, SQL_DMARCWEB_FAILDAYS, domain, begin, end)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f.org = (const char *) sqlite3_column_text(st, 0);
		f.source_ip = (const char *) sqlite3_column_text(st, 1);
		f.day = sqlite3_column_int64(st, 2);
		f.messages = sqlite3_column_int64(st, 3);
		f.dmarc_pass = sqlite3_column_int64(st, 4);
		f.dkim_pass = sqlite3_column_int64(st, 5);
		if (fn(&f, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return store_dmarcweb_done(s, st, rc, error_r);
}

int store_dmarcweb_domains(struct store *s, int (*fn)(const char *, void *), void *ctx,
			   const char **error_r)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_dmarcweb_stmt(s, SQL_DMARCWEB_DOMAINS)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *) sqlite3_column_text(st, 0), ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	return store_dmarcweb_done(s, st, rc, error_r);
}
