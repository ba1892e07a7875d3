/*
 * NAME
 *	store_migrate 3
 * SUMMARY
 *	bring a database's schema up to date
 * DESCRIPTION
 *	The migrations are db/NNN_name.sql, compiled into the program as
 *	store_migrations[] (src/store.mk generates it), so a program never
 *	depends on where its data files were installed.  Each one that the
 *	database lacks is applied in version order inside its own
 *	transaction, together with its schema_migrations row: a crash or a
 *	failing statement leaves the database at the previous version, never
 *	half-way.
 *
 *	A database with a version higher than the newest one compiled in was
 *	written by a newer sealist; it is refused rather than used with a
 *	schema this program does not understand.
 *
 *	The daemon and the CLI may open the same file at the same moment;
 *	each migration re-checks inside its (IMMEDIATE) transaction whether
 *	the other process applied it meanwhile.
 */
#include <string.h>

#include "store_int.h"
#include "store.h"

/* 1 if the version is recorded, 0 if not, -1 on error. */
static int store_migration_applied(struct store *s, long long version)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_MIG_HAS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, version);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_db_fail(s, "cannot read schema_migrations");
	return -1;
}

/* Inside the transaction: the migration's SQL and its record. */
static int store_migration_run(struct store *s, const struct store_migration *m)
{
	sqlite3_stmt *st;
	char   *errmsg = NULL;
	int	status;

	if (sqlite3_exec(s->db, m->sql, NULL, NULL, &errmsg) != SQLITE_OK) {
		status = store_fail(s, STORE_ERROR, "%s: migration %03lld_%s failed: %s",
				    s->path, m->version, m->name,
				    errmsg ? errmsg : sqlite3_errmsg(s->db));
		sqlite3_free(errmsg);
		return status;
	}
	if ((st = store_stmt(s, SQL_MIG_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, m->version);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	return store_exec(s, st);
}

static int store_migration_apply(struct store *s, const struct store_migration *m)
{
	int	status;
	int	applied;

	if ((status = store_begin(s)) != STORE_OK)
		return status;
	if ((applied = store_migration_applied(s, m->version)) < 0)
		status = STORE_ERROR;
	else if (applied == 0 && (status = store_migration_run(s, m)) == STORE_OK)
		status = store_commit(s);
	else if (applied == 1)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return status;
}

static int store_schema_version(struct store *s, long long *version_r)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_MIG_MAX)) == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*version_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : store_db_fail(s, "cannot read schema_migrations");
}

int store_migrate(struct store *s)
{
	long long newest = store_migrations[store_migration_count - 1].version;
	long long version = 0;
	sqlite3_stmt *st;
	size_t	i;
	int	applied;

	/* The first statement on the file: fails here if it is not a database. */
	if ((st = store_stmt(s, SQL_MIG_CREATE)) == NULL || store_exec(s, st) != STORE_OK
	    || store_schema_version(s, &version) != STORE_OK)
		return STORE_ERROR;
	if (version > newest)
		return store_fail(s, STORE_ERROR,
				  "%s was written by a newer sealist (schema version %lld;"
				  " this sealist knows up to %lld): use that sealist or a newer one",
				  s->path, version, newest);
	for (i = 0; i < store_migration_count; i++) {
		/* Read outside a transaction first, so an up-to-date file takes no write lock. */
		if ((applied = store_migration_applied(s, store_migrations[i].version)) < 0)
			return STORE_ERROR;
		if (!applied && store_migration_apply(s, &store_migrations[i]) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}
