/*
 * NAME
 *	store_dmarcout 3
 * SUMMARY
 *	the store's part of the DMARC aggregate reports sealist sends: the
 *	feedback rows, their grouping into reports, the reports sent
 * DESCRIPTION
 *	See store.h (the H4 block) and db/013_dmarc_feedback.sql.  A
 *	report's interval is min(max(ri, 3600), 86400) seconds aligned to
 *	multiples of it since the epoch (dmarcout_interval and
 *	dmarcout_begin in src/dmarcout.c compute the same in C); the SQL
 *	below groups and aggregates by it, so identical rows become one
 *	record with a count without the rows ever being read one by one.
 *	Sending a report, recording it and deleting its rows are one
 *	transaction (store_dmarcout_record_sent): a crash neither loses nor
 *	doubles a report.
 *
 *	The statements' texts live here (store_stmt_sql), like store_c2.c.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store.h"

#define SQL_DMARCOUT_FIRST	SQL_DMARCOUT_FEEDBACK

/* The interval of a row, and the rows of one group (?1..?5). */
#define STORE_DMARCOUT_IV	"min(max(ri, 3600), 86400)"
#define STORE_DMARCOUT_GROUP_ROWS \
	" FROM dmarc_feedback WHERE list_domain = ?1 AND policy_domain = ?2" \
	" AND received_at >= ?3 AND received_at < ?3 + ?4 AND " STORE_DMARCOUT_IV " = ?4" \
	" AND id <= ?5"

/* Records per report, at most: a report must stay a mail. */
#define STORE_DMARCOUT_RECORDS_MAX	"5000"

static const char *const store_dmarcout_sql[] = {
	[SQL_DMARCOUT_FEEDBACK - SQL_DMARCOUT_FIRST] =
	"INSERT INTO dmarc_feedback (inbox_id, list_id, list_domain, received_at, source_ip,"
	" header_from, policy_domain, envelope_from, envelope_to, p, sp, np, adkim, aspf, fo,"
	" testing, discovery, rua, ri, dkim_aligned, spf_aligned, dkim_results, spf_domain,"
	" spf_scope, spf_result, disposition, reason_type, reason_comment)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	" ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)"
	" ON CONFLICT (inbox_id, list_id) DO NOTHING",
	[SQL_DMARCOUT_GROUPS - SQL_DMARCOUT_FIRST] =
	"SELECT list_domain, policy_domain, iv, (received_at / iv) * iv AS b, min(list_id),"
	" count(*), max(id) FROM (SELECT *, " STORE_DMARCOUT_IV " AS iv FROM dmarc_feedback)"
	" GROUP BY 1, 2, 3, 4 HAVING b + iv <= ?1 ORDER BY 4, 1, 2 LIMIT ?2",
	[SQL_DMARCOUT_RECORDS - SQL_DMARCOUT_FIRST] =
	"SELECT source_ip, disposition, dkim_aligned, spf_aligned, reason_type, reason_comment,"
	" header_from, envelope_from, envelope_to, dkim_results, spf_domain, spf_scope,"
	" spf_result, count(*)" STORE_DMARCOUT_GROUP_ROWS
	" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 ORDER BY 14 DESC, 1, 2"
	" LIMIT " STORE_DMARCOUT_RECORDS_MAX,
	[SQL_DMARCOUT_POLICY - SQL_DMARCOUT_FIRST] =
	"SELECT p, sp, np, adkim, aspf, fo, testing, discovery, rua, ri"
	STORE_DMARCOUT_GROUP_ROWS " ORDER BY received_at DESC, id DESC LIMIT 1",
	[SQL_DMARCOUT_SENT - SQL_DMARCOUT_FIRST] =
	"INSERT INTO dmarc_sent_reports (list_domain, policy_domain, date_begin, date_end,"
	" report_id, records, messages, destinations, sent_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	" ON CONFLICT (list_domain, policy_domain, date_begin, date_end) DO NOTHING",
	[SQL_DMARCOUT_DELETE - SQL_DMARCOUT_FIRST] =
	"DELETE" STORE_DMARCOUT_GROUP_ROWS,
	[SQL_DMARCOUT_PURGE - SQL_DMARCOUT_FIRST] =
	"DELETE FROM dmarc_feedback WHERE received_at < ?1",
};

static sqlite3_stmt *store_dmarcout_stmt(struct store *s, enum store_sql which)
{
	return store_stmt_sql(s, which, store_dmarcout_sql[which - SQL_DMARCOUT_FIRST]);
}

/* NULL binds as "": every text column is NOT NULL. */
static void store_dmarcout_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v != NULL ? v : "", -1, SQLITE_STATIC);
}

static const char *store_dmarcout_col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *) sqlite3_column_text(st, i);

	return v != NULL ? v : "";
}

int store_dmarcout_feedback_insert(struct store *s, long long inbox_id, long long list_id,
				   const struct store_rcpt_outcome *o)
{
	const struct store_dmarc_feedback *f = o->feedback;
	const char *texts[] = {
		f->list_domain, NULL, f->source_ip, f->header_from, f->policy_domain,
		f->envelope_from, f->envelope_to, f->p, f->sp, f->np, f->adkim, f->aspf, f->fo,
		f->testing, f->discovery, f->rua, NULL, f->dkim_aligned, f->spf_aligned,
		f->dkim_results, f->spf_domain, f->spf_scope, f->spf_result, f->disposition,
		f->reason_type, f->reason_comment,
	};
	sqlite3_stmt *st = store_dmarcout_stmt(s, SQL_DMARCOUT_FEEDBACK);
	size_t	i;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, inbox_id);
	sqlite3_bind_int64(st, 2, list_id);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		store_dmarcout_text(st, (int) i + 3, texts[i]);
	sqlite3_bind_int64(st, 4, f->received_at);
	sqlite3_bind_int64(st, 19, f->ri);
	return store_exec(s, st);
}

void store_dmarcout_groups_free(struct store_dmarcout_group *g, size_t n)
{
	size_t	i;

	for (i = 0; g != NULL && i < n; i++) {
		free(g[i].list_domain);
		free(g[i].policy_domain);
	}
	free(g);
}

/* The current row of SQL_DMARCOUT_GROUPS into g; -1 out of memory. */
static int store_dmarcout_group_row(sqlite3_stmt *st, struct store_dmarcout_group *g)
{
	g->list_domain = strdup(store_dmarcout_col(st, 0));
	g->policy_domain = strdup(store_dmarcout_col(st, 1));
	g->interval = sqlite3_column_int64(st, 2);
	g->begin = sqlite3_column_int64(st, 3);
	g->list_id = sqlite3_column_int64(st, 4);
	g->rows = sqlite3_column_int64(st, 5);
	g->max_id = sqlite3_column_int64(st, 6);
	return g->list_domain != NULL && g->policy_domain != NULL ? 0 : -1;
}

int store_dmarcout_groups(struct store *s, long long now, size_t max,
			  struct store_dmarcout_group **out, size_t *n_r, const char **error_r)
{
	sqlite3_stmt *st = store_dmarcout_stmt(s, SQL_DMARCOUT_GROUPS);
	int	rc = SQLITE_DONE, status = STORE_OK;

	*n_r = 0;
	if ((*out = calloc(max ? max : 1, sizeof(**out))) == NULL || st == NULL) {
		free(*out);
		*out = NULL;
		return store_result(s, st == NULL ? STORE_ERROR
				    : store_fail(s, STORE_ERROR, "out of memory"), error_r);
	}
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64) max);
	while (*n_r < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (store_dmarcout_group_row(st, &(*out)[(*n_r)++]) < 0) {
			status = store_fail(s, STORE_ERROR, "out of memory");
			break;
		}
	if (status == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_db_fail(s, "cannot read the DMARC feedback");
	sqlite3_reset(st);
	if (status != STORE_OK) {
		store_dmarcout_groups_free(*out, *n_r);
		*out = NULL;
		*n_r = 0;
	}
	return store_result(s, status, error_r);
}

static void store_dmarcout_bind_group(sqlite3_stmt *st, const struct store_dmarcout_group *g)
{
	sqlite3_bind_text(st, 1, g->list_domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, g->policy_domain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, g->begin);
	sqlite3_bind_int64(st, 4, g->interval);
	sqlite3_bind_int64(st, 5, g->max_id);
}

static void store_dmarcout_record_row(sqlite3_stmt *st, struct store_dmarcout_row *r)
{
	r->source_ip = store_dmarcout_col(st, 0);
	r->disposition = store_dmarcout_col(st, 1);
	r->dkim_aligned = store_dmarcout_col(st, 2);
	r->spf_aligned = store_dmarcout_col(st, 3);
	r->reason_type = store_dmarcout_col(st, 4);
	r->reason_comment = store_dmarcout_col(st, 5);
	r->header_from = store_dmarcout_col(st, 6);
	r->envelope_from = store_dmarcout_col(st, 7);
	r->envelope_to = store_dmarcout_col(st, 8);
	r->dkim_results = store_dmarcout_col(st, 9);
	r->spf_domain = store_dmarcout_col(st, 10);
	r->spf_scope = store_dmarcout_col(st, 11);
	r->spf_result = store_dmarcout_col(st, 12);
	r->count = sqlite3_column_int64(st, 13);
}

int store_dmarcout_records_each(struct store *s, const struct store_dmarcout_group *g,
				int (*fn)(const struct store_dmarcout_row *, void *ctx),
				void *ctx, const char **error_r)
{
	sqlite3_stmt *st = store_dmarcout_stmt(s, SQL_DMARCOUT_RECORDS);
	struct store_dmarcout_row r;
	int	rc, status = STORE_OK;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	store_dmarcout_bind_group(st, g);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dmarcout_record_row(st, &r);
		if (fn(&r, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		status = store_db_fail(s, "cannot read the DMARC feedback");
	sqlite3_reset(st);
	return store_result(s, status, error_r);
}

int store_dmarcout_policy(struct store *s, const struct store_dmarcout_group *g,
			  struct store_dmarc_feedback *out, const char **error_r)
{
	sqlite3_stmt *st = store_dmarcout_stmt(s, SQL_DMARCOUT_POLICY);
	const char *texts[9];
	const char **fields[] = { &out->p, &out->sp, &out->np, &out->adkim, &out->aspf,
		&out->fo, &out->testing, &out->discovery, &out->rua };
	int	rc, status;
	size_t	i;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	store_dmarcout_bind_group(st, g);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < 9; i++)
			texts[i] = store_dmarcout_col(st, (int) i);
		out->ri = sqlite3_column_int64(st, 9);
		/* the row's strings outlive the statement in s->row_copy */
		if ((status = store_keep_row(s, texts, texts, 9)) == STORE_OK)
			for (i = 0; i < 9; i++)
				*fields[i] = texts[i];
	} else
		status = rc == SQLITE_DONE
		    ? store_fail(s, STORE_NOT_FOUND, "no DMARC feedback for %s", g->policy_domain)
		    : store_db_fail(s, "cannot read the DMARC feedback");
	sqlite3_reset(st);
	out->list_domain = g->list_domain;
	out->policy_domain = g->policy_domain;
	return store_result(s, status, error_r);
}

/* The dmarc_sent_reports row; STORE_EXISTS when it is there already. */
static int store_dmarcout_sent_row(struct store *s, const struct store_dmarcout_group *g,
				   const struct store_dmarcout_sent *r, long long now)
{
	sqlite3_stmt *st = store_dmarcout_stmt(s, SQL_DMARCOUT_SENT);
	int	status;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, g->list_domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, g->policy_domain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, g->begin);
	sqlite3_bind_int64(st, 4, r->date_end);
	store_dmarcout_text(st, 5, r->report_id);
	sqlite3_bind_int64(st, 6, r->records);
	sqlite3_bind_int64(st, 7, r->messages);
	store_dmarcout_text(st, 8, r->destinations);
	sqlite3_bind_int64(st, 9, now);
	if ((status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
		status = store_fail(s, STORE_EXISTS, "report %s was sent already", r->report_id);
	return status;
}

static int store_dmarcout_delete_rows(struct store *s, const struct store_dmarcout_group *g)
{
	sqlite3_stmt *st = store_dmarcout_stmt(s, SQL_DMARCOUT_DELETE);

	if (st == NULL)
		return STORE_ERROR;
	store_dmarcout_bind_group(st, g);
	return store_exec(s, st);
}

int store_dmarcout_record_sent(struct store *s, const struct store_dmarcout_group *g,
			       const struct store_dmarcout_sent *r, const char **error_r)
{
	long long now = store_now();
	size_t	i;
	int	status;

	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	status = store_dmarcout_sent_row(s, g, r, now);
	for (i = 0; status == STORE_OK && i < r->noutbound; i++)
		status = store_outbound_insert(s, 0, &r->outbound[i], now, NULL);
	/* reported already: these rows came late (a post decided after its
	   interval's report went) or another pass was quicker; either way
	   they cannot be reported any more */
	if ((status == STORE_OK || status == STORE_EXISTS)
	    && store_dmarcout_delete_rows(s, g) == STORE_OK && store_commit(s) == STORE_OK)
		return store_result(s, status, error_r);
	if (status == STORE_OK || status == STORE_EXISTS)
		status = STORE_ERROR;
	store_rollback(s);
	return store_result(s, status, error_r);
}

int store_dmarcout_purge(struct store *s, long long before, long long *n_r,
			 const char **error_r)
{
	sqlite3_stmt *st = store_dmarcout_stmt(s, SQL_DMARCOUT_PURGE);
	int	status;

	*n_r = 0;
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, before);
	if ((status = store_exec(s, st)) == STORE_OK)
		*n_r = sqlite3_changes64(s->db);
	return store_result(s, status, error_r);
}
