/*
 * migdb -- the migration tests' scratch database; see migdb.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migdb.h"
#include "store.h"
#include "tap.h"

char	migdb_path[300];
static char migdb_dir[256];

int migdb_init(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	(void) snprintf(migdb_dir, sizeof(migdb_dir), "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp",
			name);
	if (mkdtemp(migdb_dir) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	(void) snprintf(migdb_path, sizeof(migdb_path), "%s/sealist.db", migdb_dir);
	return 0;
}

void migdb_cleanup(void)
{
	char	path[400];

	(void) snprintf(path, sizeof(path), "%s-wal", migdb_path);
	unlink(path);
	(void) snprintf(path, sizeof(path), "%s-shm", migdb_path);
	unlink(path);
	unlink(migdb_path);
	rmdir(migdb_dir);
}

sqlite3 *migdb_open(void)
{
	sqlite3 *db = NULL;

	if (sqlite3_open(migdb_path, &db) != SQLITE_OK
	    || sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot open %s\n", migdb_path);
		exit(99);
	}
	return db;
}

int migdb_exec(sqlite3 *db, const char *sql)
{
	int	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		tap_diag("%s: %s", sql, sqlite3_errmsg(db));
	return rc;
}

char *migdb_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char   *v = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		tap_diag("%s: %s", sql, sqlite3_errmsg(db));
		return NULL;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = strdup(sqlite3_column_text(st, 0) ? (const char *) sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return v;
}

void migdb_check(sqlite3 *db, const char *sql, const char *want, const char *what)
{
	char   *got = migdb_text(db, sql);

	tap_str(got != NULL ? got : "(error)", want, what);
	free(got);
}

void migdb_make(sqlite3 *db, long long version)
{
	char	sql[256];
	size_t	i;
	int	ok = 1;

	ok &= migdb_exec(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
			 " name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT") == SQLITE_OK;
	for (i = 0; i < store_migration_count && store_migrations[i].version <= version; i++) {
		ok &= migdb_exec(db, "BEGIN") == SQLITE_OK;
		ok &= migdb_exec(db, store_migrations[i].sql) == SQLITE_OK;
		(void) snprintf(sql, sizeof(sql), "INSERT INTO schema_migrations VALUES (%lld, '%s', 1)",
				store_migrations[i].version, store_migrations[i].name);
		ok &= migdb_exec(db, sql) == SQLITE_OK;
		ok &= migdb_exec(db, "COMMIT") == SQLITE_OK;
	}
	tap_ok(ok && (long long) i == version, "a database at version %lld, made by migrations"
	       " 001-%03lld", version, version);
}
