/*
 * NAME
 *	store_dmarcrep 3
 * SUMMARY
 *	the store's part of DMARC aggregate reports received: add, refuse,
 *	summarise
 * DESCRIPTION
 *	See store.h (the R2 block) and db/011_dmarc_reports.sql.  A report
 *	and its records are one transaction: INSERT ... ON CONFLICT DO
 *	NOTHING on UNIQUE (org_name, report_id) tells a duplicate by the
 *	number of rows it changed, so two imports of the same report at
 *	once cannot both add it.  The summary sums the records'
 *	policy_evaluated verdicts and dispositions per domain, org and IP in
 *	SQL; the statement with a domain uses the (policy_domain, date_end)
 *	index, the one without it the date_end index (kept apart rather than
 *	"?1 IS NULL OR", which would keep SQLite from using either).
 *
 *	The statements' texts live here (store_stmt_sql), like store_c2.c.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dmarcrep/dmarcrep.h"
#include "store_int.h"
#include "store.h"

#define SQL_DMARCREP_FIRST	SQL_DMARCREP_INSERT

/* (H5) Per (policy domain, org), its reports in the window that came in
   mail that did not pass DMARC, counted once per org: a subquery per
   summary row instead made the summary four times slower. */
#define STORE_DMARCREP_ORG_UNAUTH \
	" LEFT JOIN (SELECT o.policy_domain AS d, o.org_name AS g, count(*) AS n" \
	"  FROM dmarc_reports o WHERE o.date_end >= ?2 AND o.date_end <= ?3 AND " STORE_DMARCREP_UNAUTH("o") \
	"  AND EXISTS (SELECT 1 FROM dmarc_report_records x WHERE x.report_id = o.id)" \
	"  GROUP BY 1, 2) u ON u.d = r.policy_domain AND u.g = r.org_name"
/* The summary's columns; ?2 is since, ?3 until (both inclusive). */
#define STORE_DMARCREP_SUM \
	"SELECT r.policy_domain, r.org_name, c.source_ip, count(DISTINCT r.id), sum(c.count)," \
	" sum(CASE WHEN lower(c.dkim) = 'pass' THEN c.count ELSE 0 END)," \
	" sum(CASE WHEN lower(c.spf) = 'pass' THEN c.count ELSE 0 END)," \
	" sum(CASE WHEN lower(c.dkim) = 'pass' OR lower(c.spf) = 'pass' THEN c.count ELSE 0 END)," \
	" sum(CASE WHEN lower(c.disposition) = 'none' THEN c.count ELSE 0 END)," \
	" sum(CASE WHEN lower(c.disposition) = 'pass' THEN c.count ELSE 0 END)," \
	" sum(CASE WHEN lower(c.disposition) = 'quarantine' THEN c.count ELSE 0 END)," \
	" sum(CASE WHEN lower(c.disposition) = 'reject' THEN c.count ELSE 0 END)," \
	" " STORE_DMARCREP_UNAUTH_COUNT ", coalesce(max(u.n), 0)" \
	" FROM dmarc_reports r JOIN dmarc_report_records c ON c.report_id = r.id" \
	STORE_DMARCREP_ORG_UNAUTH \
	" WHERE r.date_end >= ?2 AND r.date_end <= ?3"
/* Organisations by name (case ignored), the biggest sources first. */
#define STORE_DMARCREP_GROUP \
	" GROUP BY 1, 2, 3 ORDER BY 1, 2 COLLATE NOCASE, 2, 5 DESC, 3"

static const char *const store_dmarcrep_sql[] = {
	[SQL_DMARCREP_INSERT - SQL_DMARCREP_FIRST] =
	"INSERT INTO dmarc_reports (org_name, email, report_id, date_begin, date_end,"
	" policy_domain, adkim, aspf, p, sp, np, pct, fo, schema, errors, received_at, source,"
	" mail_dmarc, mail_from_domain)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	" ?18, ?19)"
	" ON CONFLICT (org_name, report_id) DO NOTHING",
	[SQL_DMARCREP_RECORD - SQL_DMARCREP_FIRST] =
	"INSERT INTO dmarc_report_records (report_id, source_ip, count, disposition, dkim, spf,"
	" reason_type, reason_comment, header_from, envelope_from, envelope_to,"
	" dkim_domain, dkim_selector, dkim_result, dkim_count, spf_domain, spf_result, spf_count)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	[SQL_DMARCREP_REJECT - SQL_DMARCREP_FIRST] =
	"INSERT INTO dmarc_report_rejects (received_at, source, reason, size, sha256)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[SQL_DMARCREP_SUMMARY - SQL_DMARCREP_FIRST] = STORE_DMARCREP_SUM STORE_DMARCREP_GROUP,
	[SQL_DMARCREP_SUMMARY_D - SQL_DMARCREP_FIRST] =
	STORE_DMARCREP_SUM " AND r.policy_domain = ?1" STORE_DMARCREP_GROUP,
};

static sqlite3_stmt *store_dmarcrep_stmt(struct store *s, enum store_sql which)
{
	return store_stmt_sql(s, which, store_dmarcrep_sql[which - SQL_DMARCREP_FIRST]);
}

/* Bind a parser string (NULL: ""), copied since it is freed after us. */
static void store_dmarcrep_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v != NULL ? v : "", -1, SQLITE_TRANSIENT);
}

static int store_dmarcrep_empty(const char *v)
{
	return v == NULL || *v == 0;
}

/* "mail" or "file:NAME" with a NAME. */
static int store_dmarcrep_source_ok(const char *source)
{
	return source != NULL && (strcmp(source, "mail") == 0
				  || (strncmp(source, "file:", 5) == 0 && source[5] != 0));
}

/* A refused report's origin: a source, or "mail " and where the mail came from. */
static int store_dmarcrep_origin_ok(const char *origin)
{
	return store_dmarcrep_source_ok(origin)
	    || (origin != NULL && strncmp(origin, "mail ", 5) == 0 && origin[5] != 0);
}

/* What store_dmarcrep_add refuses before touching the database. */
static int store_dmarcrep_check(struct store *s, const struct dmarcrep_report *r,
				const char *source)
{
	size_t	i;

	if (!store_dmarcrep_source_ok(source))
		return store_fail(s, STORE_INVALID, "a report's source is \"mail\" or \"file:NAME\"");
	if (store_dmarcrep_empty(r->org_name) || store_dmarcrep_empty(r->report_id))
		return store_fail(s, STORE_INVALID, "the report has no org_name or report_id");
	if (store_dmarcrep_empty(r->domain))
		return store_fail(s, STORE_INVALID, "the report names no policy domain");
	if (r->schema != 7489 && r->schema != 9990)
		return store_fail(s, STORE_INVALID, "unknown report schema %d", r->schema);
	for (i = 0; i < r->nrecords; i++) {
		if (r->records[i].count < 0 || r->records[i].count > STORE_DMARCREP_COUNT_MAX)
			return store_fail(s, STORE_INVALID, "record %zu: count %lld out of range",
					  i + 1, r->records[i].count);
		if (store_dmarcrep_empty(r->records[i].source_ip))
			return store_fail(s, STORE_INVALID, "record %zu: no source_ip", i + 1);
	}
	return STORE_OK;
}

/* How the mail carrying a report authenticated; NULL: not known (a file). */
struct store_dmarcrep_auth {
	const char *dmarc, *from_domain;
};

/* The report row; *id_r 0 when it was there already. */
static int store_dmarcrep_insert(struct store *s, const struct dmarcrep_report *r,
				 const char *domain, const char *source,
				 const struct store_dmarcrep_auth *auth, long long now,
				 long long *id_r)
{
	sqlite3_stmt *st;

	*id_r = 0;
	if ((st = store_dmarcrep_stmt(s, SQL_DMARCREP_INSERT)) == NULL)
		return STORE_ERROR;
	store_dmarcrep_text(st, 1, r->org_name);
	store_dmarcrep_text(st, 2, r->email);
	store_dmarcrep_text(st, 3, r->report_id);
	sqlite3_bind_int64(st, 4, r->date_begin);
	sqlite3_bind_int64(st, 5, r->date_end);
	store_dmarcrep_text(st, 6, domain);
	store_dmarcrep_text(st, 7, r->adkim);
	store_dmarcrep_text(st, 8, r->aspf);
	store_dmarcrep_text(st, 9, r->p);
	store_dmarcrep_text(st, 10, r->sp);
	store_dmarcrep_text(st, 11, r->np);
	if (r->pct >= 0)
		sqlite3_bind_int(st, 12, r->pct);
	else
		sqlite3_bind_null(st, 12);
	store_dmarcrep_text(st, 13, r->fo);
	sqlite3_bind_int(st, 14, r->schema);
	store_dmarcrep_text(st, 15, r->errors);
	sqlite3_bind_int64(st, 16, now);
	store_dmarcrep_text(st, 17, source);
	if (auth != NULL) {
		store_dmarcrep_text(st, 18, auth->dmarc);
		store_dmarcrep_text(st, 19, auth->from_domain);
	} else {
		sqlite3_bind_null(st, 18);
		sqlite3_bind_null(st, 19);
	}
	if (store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(s->db) > 0)
		*id_r = sqlite3_last_insert_rowid(s->db);
	return STORE_OK;
}

static int store_dmarcrep_record(struct store *s, long long report,
				 const struct dmarcrep_record *c)
{
	static const struct dmarcrep_auth none = {NULL, NULL, NULL, NULL};
	const struct dmarcrep_auth *d = c->ndkim > 0 ? &c->dkim_results[0] : &none;
	const struct dmarcrep_auth *f = c->nspf > 0 ? &c->spf_results[0] : &none;
	sqlite3_stmt *st;

	if ((st = store_dmarcrep_stmt(s, SQL_DMARCREP_RECORD)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, report);
	store_dmarcrep_text(st, 2, c->source_ip);
	sqlite3_bind_int64(st, 3, c->count);
	store_dmarcrep_text(st, 4, c->disposition);
	store_dmarcrep_text(st, 5, c->dkim);
	store_dmarcrep_text(st, 6, c->spf);
	store_dmarcrep_text(st, 7, c->reason_type);
	store_dmarcrep_text(st, 8, c->reason_comment);
	store_dmarcrep_text(st, 9, c->header_from);
	store_dmarcrep_text(st, 10, c->envelope_from);
	store_dmarcrep_text(st, 11, c->envelope_to);
	store_dmarcrep_text(st, 12, d->domain);
	store_dmarcrep_text(st, 13, d->selector);
	store_dmarcrep_text(st, 14, d->result);
	sqlite3_bind_int64(st, 15, (sqlite3_int64) c->ndkim);
	store_dmarcrep_text(st, 16, f->domain);
	store_dmarcrep_text(st, 17, f->result);
	sqlite3_bind_int64(st, 18, (sqlite3_int64) c->nspf);
	return store_exec(s, st);
}

/*
 * A report already stored, which came in mail that did not pass DMARC,
 * gives way to the same report in mail that passed: otherwise whoever
 * guesses a receiver's org_name and report_id could pre-empt its real
 * report with forged numbers.  *gone_r 1 when it was deleted (its
 * records go with it: ON DELETE CASCADE).
 */
static int store_dmarcrep_displace(struct store *s, const struct dmarcrep_report *r,
				   int *gone_r)
{
	sqlite3_stmt *st;

	*gone_r = 0;
	st = store_stmt_sql(s, SQL_DMARCAUTH_DISPLACE,
			    "DELETE FROM dmarc_reports WHERE org_name = ?1 AND report_id = ?2"
			    " AND " STORE_DMARCREP_UNAUTH("dmarc_reports"));
	if (st == NULL)
		return STORE_ERROR;
	store_dmarcrep_text(st, 1, r->org_name);
	store_dmarcrep_text(st, 2, r->report_id);
	if (store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	*gone_r = sqlite3_changes(s->db) > 0;
	return STORE_OK;
}

/* The report row, displacing an unauthenticated copy when auth passed. */
static int store_dmarcrep_insert_auth(struct store *s, const struct dmarcrep_report *r,
				      const char *domain, const char *source,
				      const struct store_dmarcrep_auth *auth, long long now,
				      long long *id_r)
{
	int	status, gone;

	status = store_dmarcrep_insert(s, r, domain, source, auth, now, id_r);
	if (status != STORE_OK || *id_r != 0 || auth == NULL || auth->dmarc == NULL
	    || strcmp(auth->dmarc, "pass") != 0)
		return status;
	if ((status = store_dmarcrep_displace(s, r, &gone)) != STORE_OK || !gone)
		return status;
	return store_dmarcrep_insert(s, r, domain, source, auth, now, id_r);
}

static int store_dmarcrep_add_as(struct store *s, const struct dmarcrep_report *r,
				 const char *source, const struct store_dmarcrep_auth *auth,
				 long long now, int *dup_r, const char **error_r)
{
	long long id;
	char   *domain = NULL;
	size_t	i;
	int	status;

	*dup_r = 0;
	if ((status = store_dmarcrep_check(s, r, source)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((domain = strdup(r->domain)) == NULL)
		return store_result(s, store_fail(s, STORE_ERROR, "out of memory"), error_r);
	store_lowercase(domain);
	if ((status = store_begin(s)) != STORE_OK)
		goto out;
	status = store_dmarcrep_insert_auth(s, r, domain, source, auth, now, &id);
	if (status != STORE_OK)
		goto out;
	if (id == 0) {
		*dup_r = 1;		/* nothing was written: the COMMIT ends an empty transaction */
	} else {
		for (i = 0; i < r->nrecords; i++)
			if ((status = store_dmarcrep_record(s, id, &r->records[i])) != STORE_OK)
				goto out;
	}
	status = store_commit(s);
out:
	if (status != STORE_OK)
		store_rollback(s);
	free(domain);
	return store_result(s, status, error_r);
}

int store_dmarcrep_add(struct store *s, const struct dmarcrep_report *r, const char *source,
		       long long now, int *dup_r, const char **error_r)
{
	return store_dmarcrep_add_as(s, r, source, NULL, now, dup_r, error_r);
}

int store_dmarcrep_add_mail(struct store *s, const struct dmarcrep_report *r,
			    const char *dmarc, const char *from_domain, long long now, int *dup_r,
			    const char **error_r)
{
	struct store_dmarcrep_auth auth = { dmarc != NULL ? dmarc : "",
					    from_domain != NULL ? from_domain : "" };

	return store_dmarcrep_add_as(s, r, "mail", &auth, now, dup_r, error_r);
}

int store_dmarcrep_reject(struct store *s, const char *source, const char *reason,
			  const void *data, size_t len, long long now, const char **error_r)
{
	static const char hexdigits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char	hex[2 * EVP_MAX_MD_SIZE + 1];
	sqlite3_stmt *st;

	if (!store_dmarcrep_origin_ok(source))
		return store_result(s, store_fail(s, STORE_INVALID,
						  "a refused report's source is \"mail\","
						  " \"mail ORIGIN\" or \"file:NAME\""),
				    error_r);
	if (EVP_Digest(data != NULL ? data : "", len, md, &mdlen, EVP_sha256(), NULL) != 1)
		return store_result(s, store_fail(s, STORE_ERROR, "cannot compute SHA-256"),
				    error_r);
	for (i = 0; i < mdlen; i++) {
		hex[2 * i] = hexdigits[md[i] >> 4];
		hex[2 * i + 1] = hexdigits[md[i] & 15];
	}
	hex[2 * mdlen] = 0;
	if ((st = store_dmarcrep_stmt(s, SQL_DMARCREP_REJECT)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reason != NULL ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64) len);
	sqlite3_bind_text(st, 5, hex, -1, SQLITE_STATIC);
	return store_result(s, store_exec(s, st), error_r);
}

void store_dmarcrep_row_read(sqlite3_stmt *st, struct store_dmarcrep_row *row)
{
	row->domain = (const char *) sqlite3_column_text(st, 0);
	row->org = (const char *) sqlite3_column_text(st, 1);
	row->source_ip = (const char *) sqlite3_column_text(st, 2);
	row->reports = sqlite3_column_int64(st, 3);
	row->messages = sqlite3_column_int64(st, 4);
	row->dkim_pass = sqlite3_column_int64(st, 5);
	row->spf_pass = sqlite3_column_int64(st, 6);
	row->dmarc_pass = sqlite3_column_int64(st, 7);
	row->none = sqlite3_column_int64(st, 8);
	row->pass = sqlite3_column_int64(st, 9);
	row->quarantine = sqlite3_column_int64(st, 10);
	row->reject = sqlite3_column_int64(st, 11);
	row->unauth = sqlite3_column_int64(st, 12);
	row->org_unauth = 0;
}

int store_dmarcrep_summary_each(struct store *s, const char *domain, long long since,
				long long until, int (*fn)(const struct store_dmarcrep_row *, void *), void *ctx,
				const char **error_r)
{
	struct store_dmarcrep_row row;
	sqlite3_stmt *st;
	char   *d = NULL;
	int	rc;

	if (domain != NULL) {
		if ((d = strdup(domain)) == NULL)
			return store_result(s, store_fail(s, STORE_ERROR, "out of memory"), error_r);
		store_lowercase(d);
	}
	st = store_dmarcrep_stmt(s, d != NULL ? SQL_DMARCREP_SUMMARY_D : SQL_DMARCREP_SUMMARY);
	if (st == NULL) {
		free(d);
		return store_result(s, STORE_ERROR, error_r);
	}
	if (d != NULL)
		sqlite3_bind_text(st, 1, d, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, until);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dmarcrep_row_read(st, &row);
		row.org_unauth = sqlite3_column_int64(st, 13);
		if (fn(&row, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	free(d);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the DMARC reports"), error_r);
	return store_result(s, STORE_OK, error_r);
}
