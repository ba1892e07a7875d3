/*
 * migdb -- what the migration tests (test_migrate_*.c) share: a scratch
 * database in a temporary directory, a raw SQLite connection to it
 * (foreign keys on, as the store has them), and the schema at an older
 * version made by running the compiled-in migrations themselves, so a
 * test can fill it with rows and let store_open migrate it.
 */
#ifndef SEALIST_TEST_MIGDB_H
#define SEALIST_TEST_MIGDB_H

#include <sqlite3.h>

/* The scratch database's path, set by migdb_init. */
extern char migdb_path[300];

/* A temporary directory named after the test ("test_migrate_x"); 0 or -1. */
extern int migdb_init(const char *name);
/* Remove the database, its WAL files and the directory. */
extern void migdb_cleanup(void);

/* A raw connection (exits 99 if it cannot be opened). */
extern sqlite3 *migdb_open(void);
/* sqlite3_exec; a failure is shown as a TAP comment.  The SQLite code. */
extern int migdb_exec(sqlite3 *, const char *sql);
/* The first column of the first row (malloc'd, "" for NULL), or NULL on error. */
extern char *migdb_text(sqlite3 *, const char *sql);
/* tap_str on migdb_text. */
extern void migdb_check(sqlite3 *, const char *sql, const char *want, const char *what);
/* Migrations 001..version with their schema_migrations rows; a TAP line. */
extern void migdb_make(sqlite3 *, long long version);

#endif
