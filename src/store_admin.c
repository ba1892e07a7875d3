/*
 * NAME
 *	store_admin 3
 * SUMMARY
 *	the numbers of the web admin pages: list overview, inbound
 *	authentication per day, the outbound queue, bounced deliveries
 * DESCRIPTION
 *	Read-only queries for src/web_overview.c, web_queue.c and
 *	web_bounces.c (see store.h, block "B").  The SQL texts are in the
 *	store.c table, block "B".  The authentication counts come from what
 *	the pipeline stored with each message: our Authentication-Results
 *	field (inbox.authres) for DKIM and the verdict lines (inbox.verdict)
 *	for DMARC, counted by SQL per UTC day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* The longest list-id set: ",id,id,...,"; ids are at most 19 digits. */
#define STORE_ADMIN_ID_TEXT	21

int store_admin_list_numbers(struct store *s, const char *list, long long now,
			     long long bounce_since, struct store_admin_list *out,
			     const char **error_r)
{
	sqlite3_stmt *st;
	long long id;
	int	status;

	memset(out, 0, sizeof(*out));
	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_ADMIN_LIST_NUMBERS)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, bounce_since);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_result(s, store_db_fail(s, "cannot count the list's mail"), error_r);
	}
	out->held = sqlite3_column_int64(st, 0);
	out->requests = sqlite3_column_int64(st, 1);
	out->queued = sqlite3_column_int64(st, 2);
	out->deferred = sqlite3_column_int64(st, 3);
	out->bounced_members = sqlite3_column_int64(st, 4);
	sqlite3_reset(st);
	return store_result(s, STORE_OK, error_r);
}

/* ",id1,id2,...," of the lists that exist, into ids; STORE_OK or STORE_ERROR. */
static int store_admin_list_ids(struct store *s, const char *const *lists, size_t n,
				struct buf *ids)
{
	long long id;
	size_t	i;
	int	status;

	buf_append_str(ids, ",");
	for (i = 0; i < n; i++) {
		status = store_list_find(s, lists[i], &id);
		if (status == STORE_OK)
			(void) buf_printf(ids, "%lld,", id);
		else if (status == STORE_ERROR)
			return status;
	}
	if (buf_failed(ids))
		return store_fail(s, STORE_ERROR, "out of memory");
	return STORE_OK;
}

static int store_admin_days_run(struct store *s, sqlite3_stmt *st,
				int (*fn)(const struct store_admin_auth_day *, void *),
				void *ctx)
{
	struct store_admin_auth_day d;
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d.day = sqlite3_column_int64(st, 0);
		d.dkim_pass = sqlite3_column_int64(st, 1);
		d.dkim_fail = sqlite3_column_int64(st, 2);
		d.dmarc_pass = sqlite3_column_int64(st, 3);
		d.dmarc_fail = sqlite3_column_int64(st, 4);
		if (fn(&d, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot count the inbound mail");
}

int store_admin_auth_days(struct store *s, const char *const *lists, size_t nlists,
			  long long since,
			  int (*fn)(const struct store_admin_auth_day *, void *), void *ctx,
			  const char **error_r)
{
	sqlite3_stmt *st;
	struct buf ids;
	int	status = STORE_OK;

	buf_init(&ids, (nlists + 1) * STORE_ADMIN_ID_TEXT + 2);
	if (lists != NULL)
		status = store_admin_list_ids(s, lists, nlists, &ids);
	if (status == STORE_OK && (st = store_stmt(s, SQL_ADMIN_AUTH_DAYS)) == NULL)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		sqlite3_bind_int64(st, 1, since);
		if (lists != NULL)
			sqlite3_bind_text(st, 2, buf_str(&ids), -1, SQLITE_TRANSIENT);
		status = store_admin_days_run(s, st, fn, ctx);
	}
	buf_free(&ids);
	return store_result(s, status, error_r);
}

/* The oldest outbound row with waiting deliveries into out. */
static int store_admin_oldest(struct store *s, struct store_admin_queue *out)
{
	const char *text[2], *copy[2];
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_ADMIN_QUEUE_OLDEST)) == NULL)
		return STORE_ERROR;
	out->oldest_list = out->oldest_kind = "";
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->oldest_id = sqlite3_column_int64(st, 0);
		text[0] = (const char *) sqlite3_column_text(st, 1);
		text[1] = (const char *) sqlite3_column_text(st, 2);
		out->oldest_created = sqlite3_column_int64(st, 3);
		out->oldest_waiting = sqlite3_column_int64(st, 4);
		if (store_keep_row(s, text, copy, 2) != STORE_OK) {
			sqlite3_reset(st);
			return STORE_ERROR;
		}
		out->oldest_list = copy[0];
		out->oldest_kind = copy[1];
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot read the queue");
}

int store_admin_queue_numbers(struct store *s, long long since, struct store_admin_queue *out,
			      const char **error_r)
{
	sqlite3_stmt *st;
	int	status;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, SQL_ADMIN_QUEUE_NUMBERS)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, since);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_result(s, store_db_fail(s, "cannot count the queue"), error_r);
	}
	out->queued = sqlite3_column_int64(st, 0);
	out->deferred = sqlite3_column_int64(st, 1);
	out->delivered = sqlite3_column_int64(st, 2);
	out->bounced = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	status = store_admin_oldest(s, out);
	return store_result(s, status, error_r);
}

static int store_admin_deliveries(struct store *s, sqlite3_stmt *st,
				  int (*fn)(const struct store_admin_delivery *, void *),
				  void *ctx)
{
	struct store_admin_delivery d;
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d.id = sqlite3_column_int64(st, 0);
		d.outbound_id = sqlite3_column_int64(st, 1);
		d.list = (const char *) sqlite3_column_text(st, 2);
		d.recipient = (const char *) sqlite3_column_text(st, 3);
		d.state = (const char *) sqlite3_column_text(st, 4);
		d.attempts = sqlite3_column_int64(st, 5);
		d.when = sqlite3_column_int64(st, 6);
		d.error = (const char *) sqlite3_column_text(st, 7);
		if (fn(&d, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot read the deliveries");
}

int store_admin_queue_errors(struct store *s, size_t max,
			     int (*fn)(const struct store_admin_delivery *, void *), void *ctx,
			     const char **error_r)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, SQL_ADMIN_QUEUE_ERRORS)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, (long long) max);
	return store_result(s, store_admin_deliveries(s, st, fn, ctx), error_r);
}

int store_admin_bounced(struct store *s, const char *list, size_t max,
			int (*fn)(const struct store_admin_delivery *, void *), void *ctx,
			const char **error_r)
{
	sqlite3_stmt *st;
	long long id;
	int	status;

	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_ADMIN_BOUNCED)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (long long) max);
	return store_result(s, store_admin_deliveries(s, st, fn, ctx), error_r);
}
