/*
 * NAME
 *	store_delivery 3
 * SUMMARY
 *	the delivery workers' side of the queue: due rows, results, token keys
 * DESCRIPTION
 *	See store.h.  The queue's rows are made with their outbound row
 *	(store_inbox.c); this file only reads them and moves them on.
 */
#include <string.h>

#include "store_int.h"

int store_delivery_due(struct store *s, long long now, unsigned modulo, unsigned residue,
		       size_t max, int (*fn)(const struct store_delivery *, void *),
		       void *ctx, const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_DELIVERY_DUE);
	struct store_delivery d;
	int	rc;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, modulo ? modulo : 1);
	sqlite3_bind_int64(st, 3, residue);
	sqlite3_bind_int64(st, 4, (sqlite3_int64) max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d.id = sqlite3_column_int64(st, 0);
		d.outbound_id = sqlite3_column_int64(st, 1);
		d.recipient = (const char *) sqlite3_column_text(st, 2);
		d.attempts = sqlite3_column_int64(st, 3);
		d.queued_at = sqlite3_column_int64(st, 4);
		if (d.recipient == NULL)
			continue;
		if (fn(&d, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the due deliveries"), error_r);
	return store_result(s, STORE_OK, error_r);
}

int store_outbound_get(struct store *s, long long id,
		       int (*fn)(const struct store_outbound *, void *), void *ctx,
		       const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_OUTBOUND_ONE);
	struct store_outbound o;
	int	rc, status = STORE_NOT_FOUND;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_outbound_row(st, &o);
		fn(&o, ctx);
		status = STORE_OK;
	} else if (rc != SQLITE_DONE)
		status = store_db_fail(s, "cannot read an outbound row");
	sqlite3_reset(st);
	if (status == STORE_NOT_FOUND)
		status = store_fail(s, STORE_NOT_FOUND, "no outbound row %lld", id);
	return store_result(s, status, error_r);
}

static int store_delivery_one(struct store *s, const struct store_delivery_result *r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_DELIVERY_SETTLE);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, r->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->next_attempt);
	if (r->error != NULL)
		sqlite3_bind_text(st, 4, r->error, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	return store_exec(s, st);
}

static int store_outbound_finished(struct store *s, long long outbound_id)
{
	sqlite3_stmt *st = store_stmt(s, SQL_OUTBOUND_FINISHED);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, outbound_id);
	return store_exec(s, st);
}

int store_delivery_settle(struct store *s, const struct store_delivery_result *r, size_t n,
			  const char **error_r)
{
	size_t	i;
	int	status;

	if (n == 0)
		return store_result(s, STORE_OK, error_r);
	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	for (i = 0; status == STORE_OK && i < n; i++)
		status = store_delivery_one(s, &r[i]);
	/* a batch holds one post's rows, or a few: ask once per post */
	for (i = 0; status == STORE_OK && i < n; i++)
		if (i + 1 == n || r[i + 1].outbound_id != r[i].outbound_id)
			status = store_outbound_finished(s, r[i].outbound_id);
	if (status == STORE_OK)
		status = store_commit(s);
	else
		store_rollback(s);
	return store_result(s, status, error_r);
}

static int store_token_key_read(struct store *s, long long list_id, unsigned char *key,
				size_t size, size_t *len_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_TOKEN_KEY_GET);
	int	rc, status = STORE_NOT_FOUND;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int	n = sqlite3_column_bytes(st, 0);

		if (sqlite3_column_type(st, 0) == SQLITE_BLOB && n > 0 && (size_t) n <= size) {
			memcpy(key, sqlite3_column_blob(st, 0), (size_t) n);
			*len_r = (size_t) n;
			status = STORE_OK;
		}
	} else if (rc != SQLITE_DONE)
		status = store_db_fail(s, "cannot read the list's token key");
	sqlite3_reset(st);
	return status;
}

int store_list_token_key(struct store *s, const char *list, const unsigned char *fresh,
			 size_t fresh_len, unsigned char *key, size_t size, size_t *len_r,
			 const char **error_r)
{
	sqlite3_stmt *st;
	long long id;
	int	status;

	*len_r = 0;
	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((status = store_token_key_read(s, id, key, size, len_r)) != STORE_NOT_FOUND)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_TOKEN_KEY_SET)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, fresh, (int) fresh_len, SQLITE_STATIC);
	if ((status = store_exec(s, st)) != STORE_OK)
		return store_result(s, status, error_r);
	status = store_token_key_read(s, id, key, size, len_r);
	if (status == STORE_NOT_FOUND)
		status = store_fail(s, STORE_ERROR, "the token key of %s is unusable", list);
	return store_result(s, status, error_r);
}
