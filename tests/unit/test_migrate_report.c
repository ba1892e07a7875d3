/*
 * test_migrate_report -- migration 012_report_address (db/), which rebuilds
 * inbox_rcpt so that its role CHECK allows 'dmarc-report': a database at
 * version 11 with rows in inbox_rcpt (every role, several states, tags,
 * reasons) is opened with store_open, which migrates it; the rows must be
 * intact, the indexes back, the foreign keys still enforced and
 * cascading, the CHECKs and defaults as before plus the new role, and
 * nothing left of the rebuild.  The old schema is made by running the
 * compiled-in migrations 001-011 themselves on a raw connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf/buf.h"
#include "migdb.h"
#include "store.h"
#include "tap.h"

/* The rows of inbox_rcpt and the rest, as text: compared before and after. */
static const char rows_sql[] =
	"SELECT group_concat(inbox_id || '|' || address || '|' || list_id || '|' || role || '|'"
	" || state || '|' || coalesce(reason, 'NULL') || '|' || tag, ';') FROM"
	" (SELECT * FROM inbox_rcpt ORDER BY inbox_id, address)";

/* pass iff sql is refused by a constraint */
static void check_refused(sqlite3 *db, const char *sql, const char *what)
{
	tap_int(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_CONSTRAINT, what);
}

static const char fill_sql[] =
	"INSERT INTO domains (id, name, created_at) VALUES (1, 'example.org', 1), (2, 'example.net', 1);"
	"INSERT INTO lists (id, domain_id, local_part, created_at) VALUES"
	" (1, 1, 'dev', 1), (2, 1, 'ops', 1), (3, 2, 'news', 1);"
	"INSERT INTO inbox (id, received_at, envelope_from, message, size, updated_at, state) VALUES"
	" (1, 10, 'a@example.com', X'46726f6d3a20610d0a0d0a6869', 13, 10, 'done'),"
	" (2, 11, '', X'00ff', 2, 11, 'authenticated'),"
	" (3, 12, 'b@example.com', X'41', 1, 12, 'new');"
	"INSERT INTO inbox_rcpt (inbox_id, address, list_id, role, state, reason, tag) VALUES"
	" (1, 'dev@example.org', 1, 'post', 'held', 'post from a non-member', ''),"
	" (1, 'ops@example.org', 2, 'post', 'done', NULL, ''),"
	" (1, 'dev-request@example.org', 1, 'request', 'done', 'commands: 1', ''),"
	" (2, 'dev-owner@example.org', 1, 'owner', 'pending', NULL, ''),"
	" (2, 'dev-bounces+alice=example.net@example.org', 1, 'bounces', 'rejected', 'x', 'alice=example.net'),"
	" (2, 'dev-confirm+TOKEN@example.org', 1, 'confirm', 'deferred', 'later', 'TOKEN'),"
	" (2, 'news-join@example.net', 3, 'join', 'failed', 'gave up', ''),"
	" (3, 'news-leave@example.net', 3, 'leave', 'discarded', '', '');"
	"INSERT INTO inbox_rcpt (inbox_id, address, list_id, role) VALUES (3, 'news@example.net', 3, 'post');";

static void test_migration(void)
{
	sqlite3 *db = migdb_open();
	struct store *s;
	const char *error = NULL;
	char   *before, *after;

	migdb_make(db, 11);
	tap_int(migdb_exec(db, fill_sql), SQLITE_OK, "nine recipients of three messages, every role");
	check_refused(db, "INSERT INTO inbox_rcpt (inbox_id, address, list_id, role)"
		      " VALUES (3, 'dmarc-reports@example.org', 1, 'dmarc-report')",
		      "before 012 the role dmarc-report is refused");
	before = migdb_text(db, rows_sql);
	sqlite3_close(db);

	s = store_open(migdb_path, &error);
	tap_ok(s != NULL, "store_open migrates it (%s)", s != NULL ? "ok" : error);
	if (s != NULL)
		store_close(s);

	db = migdb_open();
	migdb_check(db, "SELECT count(*) FROM schema_migrations WHERE version = 12"
		   " AND name = 'report_address'", "1", "012_report_address is recorded");
	after = migdb_text(db, rows_sql);
	tap_str(after ? after : "(error)", before ? before : "(none)",
		"every recipient row is intact, column by column");
	migdb_check(db, "SELECT count(*) FROM inbox_rcpt", "9", "nine rows");
	migdb_check(db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema"
		   " WHERE type = 'index' AND tbl_name = 'inbox_rcpt' AND sql IS NOT NULL ORDER BY name)",
		   "inbox_rcpt_list inbox_rcpt_state", "both indexes are back");
	migdb_check(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'inbox_rcpt_0%'", "0",
		   "nothing is left of the rebuild");
	migdb_check(db, "SELECT (sql LIKE '%STRICT%') || (sql LIKE '%WITHOUT ROWID%')"
		   " FROM sqlite_schema WHERE name = 'inbox_rcpt'", "11", "still STRICT, WITHOUT ROWID");
	migdb_check(db, "PRAGMA integrity_check", "ok", "integrity_check is ok");
	migdb_check(db, "SELECT count(*) FROM pragma_foreign_key_check", "0",
		   "foreign_key_check finds nothing");
	migdb_check(db, "SELECT count(*) FROM pragma_foreign_key_list('inbox_rcpt')", "2",
		   "both foreign keys are declared");

	tap_int(migdb_exec(db, "INSERT INTO inbox_rcpt (inbox_id, address, list_id, role)"
			 " VALUES (3, 'dmarc-reports@example.org', 1, 'dmarc-report')"), SQLITE_OK,
		"the role dmarc-report is allowed now");
	migdb_check(db, "SELECT state || '|' || tag || '|' || coalesce(reason, 'NULL') FROM inbox_rcpt"
		   " WHERE address = 'dmarc-reports@example.org'", "pending||NULL",
		   "  with the defaults state pending, tag '', reason NULL");
	check_refused(db, "INSERT INTO inbox_rcpt (inbox_id, address, list_id, role)"
		      " VALUES (3, 'x@example.org', 1, 'other')", "another role is still refused");
	check_refused(db, "INSERT INTO inbox_rcpt (inbox_id, address, list_id, role, state)"
		      " VALUES (3, 'y@example.org', 1, 'post', 'odd')", "a bad state is still refused");
	check_refused(db, "INSERT INTO inbox_rcpt (inbox_id, address, list_id, role)"
		      " VALUES (3, 'z@example.org', 99, 'post')",
		      "a recipient of a list that does not exist is refused");
	check_refused(db, "INSERT INTO inbox_rcpt (inbox_id, address, list_id, role)"
		      " VALUES (3, 'news@example.net', 3, 'post')",
		      "the primary key (inbox_id, address) holds");
	tap_int(migdb_exec(db, "DELETE FROM lists WHERE id = 3"), SQLITE_OK, "delete the list news");
	migdb_check(db, "SELECT count(*) FROM inbox_rcpt WHERE list_id = 3", "0",
		   "  its recipients went with it (ON DELETE CASCADE)");
	tap_int(migdb_exec(db, "DELETE FROM inbox WHERE id = 1"), SQLITE_OK, "delete message 1");
	migdb_check(db, "SELECT count(*) FROM inbox_rcpt WHERE inbox_id = 1", "0",
		   "  its recipients went with it");
	migdb_check(db, "SELECT count(*) FROM inbox_rcpt", "4", "four rows are left");
	sqlite3_close(db);
	free(before);
	free(after);
}

int main(void)
{
	if (migdb_init("test_migrate_report") < 0)
		return 99;
	test_migration();
	migdb_cleanup();
	return tap_done();
}
