/*
 * NAME
 *	store_c1 3
 * SUMMARY
 *	the queries of the web moderation page (web_held.c)
 * DESCRIPTION
 *	See store.h (the C1 block).  The moderation page shows each held
 *	post with its authentication verdict and size; reading those with
 *	store_inbox_get would load every held message whole, so one query
 *	joins the held rows with the inbox columns the page needs.
 */
#include <stddef.h>

#include "store_int.h"
#include "store.h"

/* The columns of SQL_HELD_ALL, then the inbox's verdict and size. */
static const char store_c1_held_sql[] =
	"SELECT h.id, h.inbox_id, l.local_part || '@' || d.name, h.rcpt_address, h.reason,"
	" h.token, h.sender, h.subject, h.notify_poster, h.held_at, i.verdict, i.size"
	" FROM held h JOIN lists l ON l.id = h.list_id JOIN domains d ON d.id = l.domain_id"
	" JOIN inbox i ON i.id = h.inbox_id WHERE h.list_id = ?1 ORDER BY h.id LIMIT ?2";

int store_c1_held_each(struct store *s, const char *list, size_t max,
		       int (*fn)(const struct store_c1_held *, void *), void *ctx,
		       const char **error_r)
{
	struct store_c1_held h;
	sqlite3_stmt *st;
	long long id;
	int	status, rc;

	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt_sql(s, SQL_C1_HELD_LIST, store_c1_held_sql)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64) max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_held_row(st, &h.held);
		h.verdict = (const char *) sqlite3_column_text(st, 10);
		h.size = sqlite3_column_int64(st, 11);
		if (fn(&h, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the held posts"), error_r);
	return store_result(s, STORE_OK, error_r);
}
