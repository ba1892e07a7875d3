/*
 * NAME
 *	store_account 3
 * SUMMARY
 *	the web interface's accounts, roles, sessions and login throttle
 * DESCRIPTION
 *	See store.h (the block "A2: web accounts") and
 *	db/010_web_accounts.sql.  This file holds the SQL of these tables.
 *	Nothing here knows how a password is hashed or a session id made:
 *	account.c and web_auth.c do that; the store keeps what they give it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store.h"

/* Throttle rows are kept a day after their last lock ended, so that a
   lock right after the previous one doubles. */
#define STORE_WEB_LOCK_MEMORY	86400LL

#define SQL_WEB_ROLE_ROWS \
	"SELECT u.name, u.site_admin, l.local_part || '@' || d.name, r.role" \
	" FROM web_users u LEFT JOIN web_roles r ON r.user = u.name" \
	" LEFT JOIN lists l ON l.id = r.list_id LEFT JOIN domains d ON d.id = l.domain_id"

static const char *const store_account_sql[] = {
	[SQL_WEB_USER_GET - SQL_WEB_USER_GET] =
	"SELECT name, password_hash, site_admin, created_at, updated_at"
	" FROM web_users WHERE name = ?1",
	[SQL_WEB_USER_INSERT - SQL_WEB_USER_GET] =
	"INSERT INTO web_users (name, password_hash, site_admin, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?4)",
	[SQL_WEB_USER_ADMIN - SQL_WEB_USER_GET] =
	"UPDATE web_users SET site_admin = ?2, updated_at = ?3 WHERE name = ?1",
	[SQL_WEB_USER_PASSWD - SQL_WEB_USER_GET] =
	"UPDATE web_users SET password_hash = ?2, updated_at = ?3 WHERE name = ?1",
	[SQL_WEB_USER_DELETE - SQL_WEB_USER_GET] = "DELETE FROM web_users WHERE name = ?1",
	[SQL_WEB_USER_EACH - SQL_WEB_USER_GET] =
	SQL_WEB_ROLE_ROWS " ORDER BY u.name, d.name, l.local_part",
	[SQL_WEB_ROLE_SET - SQL_WEB_USER_GET] =
	"INSERT INTO web_roles (user, list_id, role)"
	" SELECT name, ?2, ?3 FROM web_users WHERE name = ?1"
	" ON CONFLICT (user, list_id) DO UPDATE SET role = excluded.role"
	" WHERE role <> excluded.role",
	[SQL_WEB_ROLE_GET - SQL_WEB_USER_GET] =
	"SELECT role FROM web_roles WHERE user = ?1 AND list_id = ?2",
	[SQL_WEB_ROLE_DELETE - SQL_WEB_USER_GET] =
	"DELETE FROM web_roles WHERE user = ?1 AND list_id = ?2",
	[SQL_WEB_SESSION_INSERT - SQL_WEB_USER_GET] =
	"INSERT INTO web_sessions (id_hash, user, csrf, created_at, last_seen, expires_at)"
	" VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
	[SQL_WEB_SESSION_GET - SQL_WEB_USER_GET] =
	"SELECT u.name, u.site_admin, s.csrf, s.created_at, s.last_seen, s.expires_at"
	" FROM web_sessions s JOIN web_users u ON u.name = s.user WHERE s.id_hash = ?1",
	[SQL_WEB_SESSION_TOUCH - SQL_WEB_USER_GET] =
	"UPDATE web_sessions SET last_seen = ?2 WHERE id_hash = ?1 AND last_seen < ?2",
	[SQL_WEB_SESSION_DELETE - SQL_WEB_USER_GET] = "DELETE FROM web_sessions WHERE id_hash = ?1",
	[SQL_WEB_SESSION_END_USER - SQL_WEB_USER_GET] = "DELETE FROM web_sessions WHERE user = ?1",
	[SQL_WEB_SESSION_PURGE - SQL_WEB_USER_GET] =
	"DELETE FROM web_sessions WHERE expires_at <= ?1 OR last_seen <= ?1 - ?2",
	[SQL_WEB_LOGIN_GET - SQL_WEB_USER_GET] =
	"SELECT failures, window_start, locked_until, lockouts FROM web_login_failures"
	" WHERE key = ?1",
	[SQL_WEB_LOGIN_SET - SQL_WEB_USER_GET] =
	"INSERT INTO web_login_failures (key, failures, window_start, locked_until, lockouts)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key) DO UPDATE SET"
	" failures = excluded.failures, window_start = excluded.window_start,"
	" locked_until = excluded.locked_until, lockouts = excluded.lockouts",
	[SQL_WEB_LOGIN_CLEAR - SQL_WEB_USER_GET] = "DELETE FROM web_login_failures WHERE key = ?1",
	[SQL_WEB_LOGIN_PURGE - SQL_WEB_USER_GET] =
	"DELETE FROM web_login_failures WHERE locked_until < ?1 AND window_start < ?1",
};

/* The statement of one of this file's enum values. */
static sqlite3_stmt *store_account_stmt(struct store *s, enum store_sql which)
{
	return store_stmt_sql(s, which, store_account_sql[which - SQL_WEB_USER_GET]);
}

/* A statement with the account name as ?1, or NULL (error set). */
static sqlite3_stmt *store_account_named(struct store *s, enum store_sql which,
					 const char *name)
{
	sqlite3_stmt *st = store_account_stmt(s, which);

	if (st != NULL)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return st;
}

/* Run a write of one account's row: STORE_NOT_FOUND if it touched none. */
static int store_account_change(struct store *s, sqlite3_stmt *st, const char *name)
{
	if (st == NULL || store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(s->db) == 0)
		return store_fail(s, STORE_NOT_FOUND, "no such account: %s", name);
	return STORE_OK;
}

/* Run fn inside one transaction; its status. */
static int store_account_txn(struct store *s, int (*fn)(struct store *, void *), void *ctx)
{
	int	status;

	if ((status = store_begin(s)) != STORE_OK)
		return status;
	if ((status = fn(s, ctx)) == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return status;
}

int store_web_user_get(struct store *s, const char *name, struct store_web_user *out,
		       const char **error_r)
{
	sqlite3_stmt *st = store_account_named(s, SQL_WEB_USER_GET, name);
	const char *in[2], *kept[2];
	int	rc, status;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		in[0] = (const char *) sqlite3_column_text(st, 0);
		in[1] = (const char *) sqlite3_column_text(st, 1);
		if ((status = store_keep_row(s, in, kept, 2)) == STORE_OK) {
			out->name = kept[0];
			out->password_hash = kept[1];
			out->site_admin = sqlite3_column_int(st, 2);
			out->created_at = sqlite3_column_int64(st, 3);
			out->updated_at = sqlite3_column_int64(st, 4);
		}
	} else if (rc == SQLITE_DONE)
		status = store_fail(s, STORE_NOT_FOUND, "no such account: %s", name);
	else
		status = store_db_fail(s, "cannot read an account");
	sqlite3_reset(st);
	return store_result(s, status, error_r);
}

/* A role row for an existing account and list; *changed_r as store.h says. */
static int store_role_put(struct store *s, const char *name, long long list_id,
			  const char *role, int *changed_r)
{
	sqlite3_stmt *st;

	if (strcmp(role, "owner") != 0 && strcmp(role, "moderator") != 0)
		return store_fail(s, STORE_INVALID, "a role is owner or moderator, not \"%s\"",
				  role);
	if ((st = store_account_named(s, SQL_WEB_ROLE_SET, name)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 2, list_id);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	if (store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	*changed_r = sqlite3_changes(s->db) > 0;
	return STORE_OK;
}

struct store_user_new {
	const char *name, *hash, *list, *role;
	int	site_admin;
	long long now, list_id;
};

static int store_user_insert(struct store *s, void *ctx)
{
	const struct store_user_new *u = ctx;
	sqlite3_stmt *st = store_account_named(s, SQL_WEB_USER_INSERT, u->name);
	int	rc, changed;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 2, u->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, u->site_admin ? 1 : 0);
	sqlite3_bind_int64(st, 4, u->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return store_fail(s, STORE_EXISTS, "the account %s exists already", u->name);
	if (rc != SQLITE_DONE)
		return store_db_fail(s, "cannot add an account");
	return u->list == NULL ? STORE_OK : store_role_put(s, u->name, u->list_id, u->role,
							   &changed);
}

int store_web_user_add(struct store *s, const char *name, const char *password_hash,
		       int site_admin, const char *list, const char *role, long long now,
		       const char **error_r)
{
	struct store_user_new u = {name, password_hash, list, role, site_admin, now, 0};
	int	status = STORE_OK;

	if (list != NULL)
		status = store_list_find(s, list, &u.list_id);
	if (status == STORE_OK)
		status = store_account_txn(s, store_user_insert, &u);
	return store_result(s, status, error_r);
}

int store_web_user_set_admin(struct store *s, const char *name, int site_admin,
			     long long now, const char **error_r)
{
	sqlite3_stmt *st = store_account_named(s, SQL_WEB_USER_ADMIN, name);

	if (st != NULL) {
		sqlite3_bind_int(st, 2, site_admin ? 1 : 0);
		sqlite3_bind_int64(st, 3, now);
	}
	return store_result(s, store_account_change(s, st, name), error_r);
}

/* The account's rows change (by st) and its sessions end, in the caller's transaction. */
static int store_user_end_sessions(struct store *s, sqlite3_stmt *st, const char *name)
{
	int	status = store_account_change(s, st, name);

	if (status != STORE_OK)
		return status;
	return store_account_change(s, store_account_named(s, SQL_WEB_SESSION_END_USER, name),
				    name) == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

struct store_passwd {
	const char *name, *hash;
	long long now;
};

static int store_passwd_run(struct store *s, void *ctx)
{
	const struct store_passwd *p = ctx;
	sqlite3_stmt *st = store_account_named(s, SQL_WEB_USER_PASSWD, p->name);

	if (st != NULL) {
		sqlite3_bind_text(st, 2, p->hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, p->now);
	}
	return store_user_end_sessions(s, st, p->name);
}

int store_web_user_passwd(struct store *s, const char *name, const char *password_hash,
			  long long now, const char **error_r)
{
	struct store_passwd p = {name, password_hash, now};

	return store_result(s, store_account_txn(s, store_passwd_run, &p), error_r);
}

static int store_user_delete(struct store *s, void *ctx)
{
	const char *name = ctx;

	/* The foreign keys cascade too; deleting the sessions first says so. */
	return store_user_end_sessions(s, store_account_named(s, SQL_WEB_USER_DELETE, name),
				       name);
}

int store_web_user_remove(struct store *s, const char *name, const char **error_r)
{
	return store_result(s, store_account_txn(s, store_user_delete, (void *) name), error_r);
}

int store_web_role_set(struct store *s, const char *name, const char *list, const char *role,
		       int *changed_r, const char **error_r)
{
	struct store_web_user u;
	long long id;
	int	status;

	*changed_r = 0;
	/* name may be a string this store kept from an earlier get, which the
	   get below frees: from there on only u.name, its fresh copy, is used */
	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_web_user_get(s, name, &u, NULL)) == STORE_OK)
		status = store_role_put(s, u.name, id, role, changed_r);
	return store_result(s, status, error_r);
}

/* A statement with ?1 the account and ?2 the list's id, or NULL. */
static sqlite3_stmt *store_role_stmt(struct store *s, enum store_sql which, const char *name,
				     const char *list, int *status_r)
{
	sqlite3_stmt *st = NULL;
	long long id;

	if ((*status_r = store_list_find(s, list, &id)) != STORE_OK)
		return NULL;
	if ((st = store_account_named(s, which, name)) == NULL) {
		*status_r = STORE_ERROR;
		return NULL;
	}
	sqlite3_bind_int64(st, 2, id);
	return st;
}

int store_web_role_remove(struct store *s, const char *name, const char *list,
			  const char **error_r)
{
	int	status;
	sqlite3_stmt *st = store_role_stmt(s, SQL_WEB_ROLE_DELETE, name, list, &status);

	if (st != NULL && (status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
		status = store_fail(s, STORE_NOT_FOUND, "%s has no role on %s", name,
				    s->list_address);
	return store_result(s, status, error_r);
}

int store_web_role_get(struct store *s, const char *name, const char *list, char role[16],
		       const char **error_r)
{
	int	status, rc;
	sqlite3_stmt *st = store_role_stmt(s, SQL_WEB_ROLE_GET, name, list, &status);

	role[0] = '\0';
	if (st == NULL)
		return store_result(s, status, error_r);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(role, 16, "%s", (const char *) sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = store_db_fail(s, "cannot read a role");
	return store_result(s, status, error_r);
}

int store_web_user_each(struct store *s,
			int (*fn)(const struct store_web_role_row *, void *ctx),
			void *ctx, const char **error_r)
{
	sqlite3_stmt *st = store_account_stmt(s, SQL_WEB_USER_EACH);
	struct store_web_role_row row;
	int	rc;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.user = (const char *) sqlite3_column_text(st, 0);
		row.site_admin = sqlite3_column_int(st, 1);
		row.role = (const char *) sqlite3_column_text(st, 3);
		row.list = row.role != NULL ? (const char *) sqlite3_column_text(st, 2) : NULL;
		if (fn(&row, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the accounts"), error_r);
	return store_result(s, STORE_OK, error_r);
}

/* Sessions */

/* A statement with the session's id hash as ?1, or NULL. */
static sqlite3_stmt *store_session_stmt(struct store *s, enum store_sql which,
					const unsigned char id_hash[32])
{
	sqlite3_stmt *st = store_account_stmt(s, which);

	if (st != NULL)
		sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_STATIC);
	return st;
}

int store_web_session_add(struct store *s, const unsigned char id_hash[32], const char *user,
			  const char *csrf, long long now, long long expires_at,
			  const char **error_r)
{
	sqlite3_stmt *st = store_session_stmt(s, SQL_WEB_SESSION_INSERT, id_hash);

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, expires_at);
	return store_result(s, store_exec(s, st), error_r);
}

/* Copy the row of SQL_WEB_SESSION_GET into *out. */
static int store_session_row(struct store *s, sqlite3_stmt *st, struct store_web_session *out)
{
	const char *in[2], *kept[2];
	int	status;

	in[0] = (const char *) sqlite3_column_text(st, 0);
	in[1] = (const char *) sqlite3_column_text(st, 2);
	if ((status = store_keep_row(s, in, kept, 2)) != STORE_OK)
		return status;
	out->user = kept[0];
	out->site_admin = sqlite3_column_int(st, 1);
	out->csrf = kept[1];
	out->created_at = sqlite3_column_int64(st, 3);
	out->last_seen = sqlite3_column_int64(st, 4);
	out->expires_at = sqlite3_column_int64(st, 5);
	return STORE_OK;
}

int store_web_session_get(struct store *s, const unsigned char id_hash[32], long long now,
			  long long idle, struct store_web_session *out, const char **error_r)
{
	sqlite3_stmt *st = store_session_stmt(s, SQL_WEB_SESSION_GET, id_hash);
	int	rc, status = STORE_NOT_FOUND;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		status = store_session_row(s, st, out);
	else if (rc != SQLITE_DONE)
		status = store_db_fail(s, "cannot read a session");
	sqlite3_reset(st);
	if (status == STORE_OK && (out->expires_at <= now || out->last_seen + idle <= now)) {
		if (store_web_session_delete(s, id_hash, NULL) != STORE_OK)
			return store_result(s, STORE_ERROR, error_r);
		status = STORE_NOT_FOUND;
	}
	if (status == STORE_NOT_FOUND)
		return store_result(s, store_fail(s, status, "no such session"), error_r);
	if (status == STORE_OK && out->last_seen < now) {
		st = store_session_stmt(s, SQL_WEB_SESSION_TOUCH, id_hash);
		if (st == NULL)
			return store_result(s, STORE_ERROR, error_r);
		sqlite3_bind_int64(st, 2, now);
		status = store_exec(s, st);
	}
	return store_result(s, status, error_r);
}

int store_web_session_delete(struct store *s, const unsigned char id_hash[32],
			     const char **error_r)
{
	sqlite3_stmt *st = store_session_stmt(s, SQL_WEB_SESSION_DELETE, id_hash);

	return store_result(s, st == NULL ? STORE_ERROR : store_exec(s, st), error_r);
}

int store_web_purge(struct store *s, long long now, long long idle, const char **error_r)
{
	sqlite3_stmt *st = store_account_stmt(s, SQL_WEB_SESSION_PURGE);
	int	status = STORE_ERROR;

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, idle);
		status = store_exec(s, st);
	}
	if (status == STORE_OK && (st = store_account_stmt(s, SQL_WEB_LOGIN_PURGE)) == NULL)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		sqlite3_bind_int64(st, 1, now - STORE_WEB_LOCK_MEMORY);
		status = store_exec(s, st);
	}
	return store_result(s, status, error_r);
}

/* The login throttle */

struct store_login_row {
	long long failures, window_start, locked_until, lockouts;
};

/* The key's row, or zeros if it has none. */
static int store_login_get(struct store *s, const char *key, struct store_login_row *row)
{
	sqlite3_stmt *st = store_account_named(s, SQL_WEB_LOGIN_GET, key);
	int	rc;

	memset(row, 0, sizeof(*row));
	if (st == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row->failures = sqlite3_column_int64(st, 0);
		row->window_start = sqlite3_column_int64(st, 1);
		row->locked_until = sqlite3_column_int64(st, 2);
		row->lockouts = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
	    : store_db_fail(s, "cannot read the login throttle");
}

int store_web_login_locked(struct store *s, const char *key, long long now,
			   long long *until_r, const char **error_r)
{
	struct store_login_row row;
	int	status = store_login_get(s, key, &row);

	*until_r = status == STORE_OK && row.locked_until > now ? row.locked_until : 0;
	return store_result(s, status, error_r);
}

/* The next state of a key's row after one more failure at now. */
static void store_login_count(struct store_login_row *row, long long now,
			      const struct store_web_throttle *t)
{
	long long lock = t->lock;
	long long i;

	/* A lock long past is forgotten: the next one starts short again. */
	if (row->locked_until + STORE_WEB_LOCK_MEMORY < now)
		row->lockouts = 0;
	if (row->window_start + t->window <= now || row->locked_until > row->window_start) {
		row->failures = 0;
		row->window_start = now;
	}
	if (++row->failures < t->limit)
		return;
	for (i = 0; i < row->lockouts && lock < t->lock_max; i++)
		lock *= 2;
	row->locked_until = now + (lock < t->lock_max ? lock : t->lock_max);
	row->lockouts++;
	row->failures = 0;
	row->window_start = now;
}

struct store_login_fail {
	const char *key;
	long long now;
	const struct store_web_throttle *t;
	long long until;
};

static int store_login_fail_run(struct store *s, void *ctx)
{
	struct store_login_fail *f = ctx;
	struct store_login_row row;
	sqlite3_stmt *st;
	int	status;

	if ((status = store_login_get(s, f->key, &row)) != STORE_OK)
		return status;
	store_login_count(&row, f->now, f->t);
	if ((st = store_account_named(s, SQL_WEB_LOGIN_SET, f->key)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 2, row.failures);
	sqlite3_bind_int64(st, 3, row.window_start);
	sqlite3_bind_int64(st, 4, row.locked_until);
	sqlite3_bind_int64(st, 5, row.lockouts);
	f->until = row.locked_until > f->now ? row.locked_until : 0;
	return store_exec(s, st);
}

int store_web_login_failed(struct store *s, const char *key, long long now,
			   const struct store_web_throttle *t, long long *until_r,
			   const char **error_r)
{
	struct store_login_fail f = {key, now, t, 0};
	int	status = store_account_txn(s, store_login_fail_run, &f);

	*until_r = f.until;
	return store_result(s, status, error_r);
}

int store_web_login_clear(struct store *s, const char *key, const char **error_r)
{
	sqlite3_stmt *st = store_account_named(s, SQL_WEB_LOGIN_CLEAR, key);

	return store_result(s, st == NULL ? STORE_ERROR : store_exec(s, st), error_r);
}
