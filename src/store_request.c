/*
 * NAME
 *	store_request 3
 * SUMMARY
 *	mail commands: pending requests, the reply rate limit, member options
 * DESCRIPTION
 *	See store.h.  A request's state only moves forward, and every move
 *	names the state it expects (UPDATE ... WHERE state = ?), so two
 *	workers confirming the same token at once do it once: the second
 *	gets STORE_NOT_FOUND.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store.h"

/* Used and expired requests are kept this long after they expire, so a
   late or repeated confirmation is told what became of it. */
#define STORE_REQUEST_KEEP	(30LL * 86400)

/* Reply counts cover one hour. */
#define STORE_REQUEST_WINDOW	3600LL

/* The columns of SQL_REQUEST_SELECT, copied to outlive the statement. */
static int store_request_row(struct store *s, sqlite3_stmt *st, struct store_pending *out)
{
	const char *in[8], *kept[8];
	int	i, status;

	for (i = 0; i < 8; i++)
		in[i] = (const char *) sqlite3_column_text(st, i + 1);
	if ((status = store_keep_row(s, in, kept, 8)) != STORE_OK)
		return status;
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->list = kept[0];
	out->kind = kept[1];
	out->address = kept[2];
	out->name = kept[3];
	out->delivery = kept[4];
	out->token = kept[5];
	out->state = kept[6];
	out->requested_by = kept[7];
	out->created_at = sqlite3_column_int64(st, 9);
	out->expires_at = sqlite3_column_int64(st, 10);
	out->last_sent_at = sqlite3_column_int64(st, 11);
	out->needs_approval = sqlite3_column_int(st, 12);
	return STORE_OK;
}

/* Step a SELECT of one request: STORE_OK with *out, or STORE_NOT_FOUND. */
static int store_request_one(struct store *s, sqlite3_stmt *st, struct store_pending *out,
			     const char *what)
{
	int	rc = sqlite3_step(st), status;

	if (rc == SQLITE_ROW)
		status = store_request_row(s, st, out);
	else if (rc == SQLITE_DONE)
		status = store_fail(s, STORE_NOT_FOUND, "no such request: %s", what);
	else
		status = store_db_fail(s, "cannot read a request");
	sqlite3_reset(st);
	return status;
}

int store_request_find_live(struct store *s, const char *list, const char *kind,
			    const char *address, long long now, struct store_pending *out,
			    const char **error_r)
{
	sqlite3_stmt *st = NULL;
	char   *stored = NULL, *key = NULL;
	long long id;
	int	status;

	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_address(s, "address", address, &stored, &key)) == STORE_OK
	    && (st = store_stmt(s, SQL_REQUEST_LIVE)) == NULL)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now);
		status = store_request_one(s, st, out, stored);
	}
	free(stored);
	free(key);
	return store_result(s, status, error_r);
}

static int store_request_insert(struct store *s, long long list_id, const char *stored,
				const char *key, const struct store_pending_new *r,
				long long now)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_REQUEST_EXPIRE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (store_exec(s, st) != STORE_OK || (st = store_stmt(s, SQL_REQUEST_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stored, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->name != NULL ? r->name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->delivery != NULL ? r->delivery : "regular", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, r->expires_at);
	sqlite3_bind_int64(st, 10, 0);		/* store_request_sent once it went */
	sqlite3_bind_text(st, 11, r->state, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, r->needs_approval ? 1 : 0);
	sqlite3_bind_text(st, 13, r->requested_by != NULL ? r->requested_by : "", -1,
			  SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return store_fail(s, STORE_EXISTS, "%s already has a pending %s request", stored,
				  r->kind);
	if (rc != SQLITE_DONE)
		return store_db_fail(s, "cannot store a request");
	return STORE_OK;
}

int store_request_add(struct store *s, const char *list, const struct store_pending_new *r,
		      long long now, const char **error_r)
{
	char   *stored = NULL, *key = NULL;
	long long id;
	int	status;

	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_address(s, "address", r->address, &stored, &key)) == STORE_OK
	    && (status = store_begin(s)) == STORE_OK) {
		if ((status = store_request_insert(s, id, stored, key, r, now)) == STORE_OK)
			status = store_commit(s);
		if (status != STORE_OK)
			store_rollback(s);
	}
	free(stored);
	free(key);
	return store_result(s, status, error_r);
}

int store_request_get(struct store *s, const char *token, struct store_pending *out,
		      const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_REQUEST_GET);
	int	status = STORE_ERROR;

	if (st != NULL) {
		sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
		status = store_request_one(s, st, out, token);
	}
	return store_result(s, status, error_r);
}

int store_request_sent(struct store *s, long long id, long long now, const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_REQUEST_SENT);
	int	status = STORE_ERROR;

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
		status = store_exec(s, st);
	}
	return store_result(s, status, error_r);
}

/* The move itself, inside or outside a transaction. */
static int store_request_move_one(struct store *s, long long id, const char *from,
				  const char *to, long long now)
{
	sqlite3_stmt *st = store_stmt(s, SQL_REQUEST_MOVE);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(s->db) == 0)
		return store_fail(s, STORE_NOT_FOUND, "the request is no longer %s", from);
	return STORE_OK;
}

int store_request_move(struct store *s, long long id, const char *from, const char *to,
		       long long now, const char **error_r)
{
	return store_result(s, store_request_move_one(s, id, from, to, now), error_r);
}

/* Add or remove the request's member, inside the transaction. */
static int store_request_member(struct store *s, const struct store_pending *p, int moderated,
				long long now, int *changed_r)
{
	sqlite3_stmt *st;
	char   *stored = NULL, *key = NULL;
	long long list_id;
	int	status, subscribe = strcmp(p->kind, "subscribe") == 0;

	if ((status = store_list_find(s, p->list, &list_id)) != STORE_OK
	    || (status = store_address(s, "address", p->address, &stored, &key)) != STORE_OK)
		goto out;
	if ((st = store_stmt(s, subscribe ? SQL_REQUEST_MEMBER_INSERT
			     : SQL_REQUEST_MEMBER_DELETE)) == NULL) {
		status = STORE_ERROR;
		goto out;
	}
	sqlite3_bind_int64(st, 1, list_id);
	if (subscribe) {
		sqlite3_bind_text(st, 2, stored, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, p->delivery, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, moderated ? 1 : 0);
		sqlite3_bind_int64(st, 7, now);
	} else
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if ((status = store_exec(s, st)) == STORE_OK)
		*changed_r = sqlite3_changes(s->db) > 0;
out:
	free(stored);
	free(key);
	return status;
}

int store_request_complete(struct store *s, long long id, const char *from, int moderated,
			   long long now, int *changed_r, const char **error_r)
{
	struct store_pending p;
	sqlite3_stmt *st;
	int	status;

	*changed_r = 0;
	/* the row by id: the token is the only key SQL_REQUEST_GET has */
	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	status = store_request_move_one(s, id, from, "done", now);
	if (status == STORE_OK && (st = store_stmt(s, SQL_REQUEST_BY_ID)) == NULL)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		sqlite3_bind_int64(st, 1, id);
		status = store_request_one(s, st, &p, "id");
	}
	if (status == STORE_OK)
		status = store_request_member(s, &p, moderated, now, changed_r);
	if (status == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return store_result(s, status, error_r);
}

int store_request_each(struct store *s, const char *list, long long now,
		       int (*fn)(const struct store_pending *, void *ctx), void *ctx,
		       const char **error_r)
{
	struct store_pending p;
	sqlite3_stmt *st;
	long long id = 0;
	int	status = STORE_OK, rc;

	if (list != NULL && (status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_REQUEST_EACH)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	if (list != NULL)
		sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((status = store_request_row(s, st, &p)) != STORE_OK || fn(&p, ctx) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_db_fail(s, "cannot read the requests");
	sqlite3_reset(st);
	return store_result(s, status, error_r);
}

int store_request_reply_take(struct store *s, const char *address, long long now, long limit,
			     int *allowed_r, const char **error_r)
{
	sqlite3_stmt *st;
	char   *key;
	long long count = 0;
	int	status;

	*allowed_r = 0;
	if ((key = strdup(address)) == NULL)
		return store_result(s, store_fail(s, STORE_ERROR, "out of memory"), error_r);
	store_lowercase(key);
	if ((status = store_begin(s)) == STORE_OK) {
		if ((st = store_stmt(s, SQL_REQUEST_REPLY_COUNT)) == NULL)
			status = STORE_ERROR;
		else {
			sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, now - STORE_REQUEST_WINDOW);
			if (sqlite3_step(st) == SQLITE_ROW)
				count = sqlite3_column_int64(st, 0);
			else
				status = store_db_fail(s, "cannot count replies");
			sqlite3_reset(st);
		}
		if (status == STORE_OK && count < limit) {
			if ((st = store_stmt(s, SQL_REQUEST_REPLY_INSERT)) == NULL)
				status = STORE_ERROR;
			else {
				sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
				sqlite3_bind_int64(st, 2, now);
				status = store_exec(s, st);
			}
			*allowed_r = status == STORE_OK;
		}
		if (status == STORE_OK)
			status = store_commit(s);
		if (status != STORE_OK) {
			store_rollback(s);
			*allowed_r = 0;
		}
	}
	free(key);
	return store_result(s, status, error_r);
}

int store_request_prune(struct store *s, long long now, const char **error_r)
{
	sqlite3_stmt *st;
	int	status = STORE_ERROR;

	if ((st = store_stmt(s, SQL_REQUEST_REPLY_PRUNE)) != NULL) {
		sqlite3_bind_int64(st, 1, now - STORE_REQUEST_WINDOW);
		status = store_exec(s, st);
	}
	if (status == STORE_OK) {
		if ((st = store_stmt(s, SQL_REQUEST_PRUNE)) == NULL)
			status = STORE_ERROR;
		else {
			sqlite3_bind_int64(st, 1, now - STORE_REQUEST_KEEP);
			status = store_exec(s, st);
		}
	}
	return store_result(s, status, error_r);
}

/* The list's id and the member's key; STORE_NOT_FOUND if not a member. */
static int store_request_member_key(struct store *s, const char *list, const char *address,
				    long long *id_r, char **key_r)
{
	sqlite3_stmt *st;
	char   *stored = NULL;
	int	status, rc;

	*key_r = NULL;
	if ((status = store_list_find(s, list, id_r)) != STORE_OK
	    || (status = store_address(s, "address", address, &stored, key_r)) != STORE_OK)
		goto out;
	if ((st = store_stmt(s, SQL_MEMBER_FIND)) == NULL) {
		status = STORE_ERROR;
		goto out;
	}
	sqlite3_bind_int64(st, 1, *id_r);
	sqlite3_bind_text(st, 2, *key_r, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		status = store_fail(s, STORE_NOT_FOUND, "%s is not a member of %s", stored, list);
	else if (rc != SQLITE_ROW)
		status = store_db_fail(s, "cannot read the member");
out:
	free(stored);
	if (status != STORE_OK) {
		free(*key_r);
		*key_r = NULL;
	}
	return status;
}

int store_request_member_options(struct store *s, const char *list, const char *address,
				 struct store_member_options *out, const char **error_r)
{
	sqlite3_stmt *st;
	char   *key = NULL;
	long long id;
	int	status;

	memset(out, 0, sizeof(*out));
	if ((status = store_request_member_key(s, list, address, &id, &key)) == STORE_OK) {
		if ((st = store_stmt(s, SQL_REQUEST_MEMBER_OPTIONS)) == NULL)
			status = STORE_ERROR;
		else {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				snprintf(out->delivery, sizeof(out->delivery), "%s",
					 (const char *) sqlite3_column_text(st, 0));
				snprintf(out->status, sizeof(out->status), "%s",
					 (const char *) sqlite3_column_text(st, 1));
				snprintf(out->disabled_by, sizeof(out->disabled_by), "%s",
					 (const char *) sqlite3_column_text(st, 2));
				out->ack = sqlite3_column_int(st, 3);
				out->myposts = sqlite3_column_int(st, 4);
			} else
				status = store_db_fail(s, "cannot read the member");
			sqlite3_reset(st);
		}
	}
	free(key);
	return store_result(s, status, error_r);
}

int store_request_member_set(struct store *s, const char *list, const char *address,
			     enum store_member_option option, int value, const char **error_r)
{
	sqlite3_stmt *st = NULL;
	enum store_sql which;
	char   *key = NULL;
	long long id;
	int	status;

	switch (option) {
	case STORE_OPTION_DELIVERY:
		which = value ? SQL_REQUEST_MEMBER_ENABLE : SQL_REQUEST_MEMBER_DISABLE;
		break;
	case STORE_OPTION_DIGEST:
		which = SQL_REQUEST_MEMBER_MODE;
		break;
	case STORE_OPTION_ACK:
		which = SQL_REQUEST_MEMBER_ACK;
		break;
	default:
		which = SQL_REQUEST_MEMBER_MYPOSTS;
		break;
	}
	if ((status = store_request_member_key(s, list, address, &id, &key)) == STORE_OK
	    && (st = store_stmt(s, which)) == NULL)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		if (option == STORE_OPTION_DIGEST)
			sqlite3_bind_text(st, 3, value ? "digest" : "regular", -1, SQLITE_STATIC);
		else if (option != STORE_OPTION_DELIVERY)
			sqlite3_bind_int(st, 3, value ? 1 : 0);
		status = store_exec(s, st);
		if (status == STORE_OK && option == STORE_OPTION_DELIVERY && value
		    && sqlite3_changes(s->db) == 0)
			status = store_fail(s, STORE_INVALID,
					    "delivery was disabled by the list's owners: ask them");
	}
	free(key);
	return store_result(s, status, error_r);
}
