/*
 * NAME
 *	store_dmarcbounce 3
 * SUMMARY
 *	the store's part of the bounces of the DMARC reports sealist sent
 * DESCRIPTION
 *	See store.h (the H7 block) and db/016_dmarc_report_bounces.sql.
 *	The statements' texts live here (store_stmt_sql), like
 *	store_dmarcout.c.
 */
#include "store_int.h"
#include "store.h"

#define SQL_DMARCBOUNCE_FIRST	SQL_DMARCBOUNCE_KNOWN

static const char *const store_dmarcbounce_sql[] = {
	[SQL_DMARCBOUNCE_KNOWN - SQL_DMARCBOUNCE_FIRST] =
	"SELECT 1 FROM dmarc_sent_reports WHERE report_id = ?1 LIMIT 1",
	[SQL_DMARCBOUNCE_ADD - SQL_DMARCBOUNCE_FIRST] =
	"INSERT INTO dmarc_report_bounces (report_id, recipient, status, class, inbox_id,"
	" bounced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT (inbox_id, recipient) DO NOTHING",
	[SQL_DMARCBOUNCE_HARD - SQL_DMARCBOUNCE_FIRST] =
	("SELECT count(*) FROM dmarc_report_bounces WHERE recipient = ?1 AND bounced_at >= ?2"
	 " AND class = 'hard'"),	/* parenthesized: clang's -Wstring-concatenation */
};

static sqlite3_stmt *store_dmarcbounce_stmt(struct store *s, enum store_sql which)
{
	return store_stmt_sql(s, which, store_dmarcbounce_sql[which - SQL_DMARCBOUNCE_FIRST]);
}

int store_dmarcbounce_known(struct store *s, const char *report_id, int *known_r,
			    const char **error_r)
{
	sqlite3_stmt *st = store_dmarcbounce_stmt(s, SQL_DMARCBOUNCE_KNOWN);
	int	rc;

	*known_r = 0;
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_text(st, 1, report_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read"), error_r);
	*known_r = rc == SQLITE_ROW;
	return STORE_OK;
}

int store_dmarcbounce_add(struct store *s, const struct store_dmarcbounce *b,
			  const char **error_r)
{
	sqlite3_stmt *st = store_dmarcbounce_stmt(s, SQL_DMARCBOUNCE_ADD);
	int	status;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_text(st, 1, b->report_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b->recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b->cls, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, b->inbox_id);
	sqlite3_bind_int64(st, 6, b->when);
	if ((status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
		status = STORE_EXISTS;
	return store_result(s, status, error_r);
}

int store_dmarcbounce_hard(struct store *s, const char *recipient, long long since,
			   long long *n_r, const char **error_r)
{
	sqlite3_stmt *st = store_dmarcbounce_stmt(s, SQL_DMARCBOUNCE_HARD);
	int	rc;

	*n_r = 0;
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_text(st, 1, recipient, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_result(s, store_db_fail(s, "cannot read"), error_r);
	return STORE_OK;
}
