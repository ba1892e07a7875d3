/*
 * test_member_count -- the member counts of db/015_member_count.sql and
 * the members page that reads them (store_c2.c).  Every step that writes
 * members (add, remove, a refused add or remove, CSV import: plain, with
 * a bad row, skipping bad rows, dry run; a member moved by hand to
 * another list; a list deleted) is followed by the check that each
 * list's count row equals count(*) over its members, read on a second,
 * raw connection, and that store_member_page's total and the list walk
 * (store_list_each: sealist list ls, the web overview) say the same.
 * The pages of a 237-member list, counted from the start or from the
 * end, must be the rows that a plain ORDER BY .. LIMIT .. OFFSET gives.
 * A store kept open (as the web keeps one per thread) sees another
 * connection's commit after store_idle.  Last, a database at schema
 * version 13 with members, made by running the compiled-in migrations
 * themselves, is opened with store_open: the migration must count the
 * members already there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf/buf.h"
#include "members_csv.h"
#include "store.h"
#include "tap.h"

static char test_dir[256];
static char test_db[300];

/* Lists whose count row (none: 0) differs from count(*) of their members. */
static const char drift_sql[] =
	"SELECT count(*) FROM lists l WHERE coalesce((SELECT members FROM list_member_counts c"
	" WHERE c.list_id = l.id), 0) != (SELECT count(*) FROM members m WHERE m.list_id = l.id)";

static sqlite3 *raw_open(void)
{
	sqlite3 *db = NULL;

	if (sqlite3_open(test_db, &db) != SQLITE_OK
	    || sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot open %s\n", test_db);
		exit(99);
	}
	return db;
}

static int raw_exec(sqlite3 *db, const char *sql)
{
	int	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		tap_diag("%s: %s", sql, sqlite3_errmsg(db));
	return rc;
}

/* One integer from sql, -1 on error. */
static long long raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		tap_diag("%s: %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* count(*) of list's members on the raw connection. */
static long long raw_members(sqlite3 *db, const char *list)
{
	char	sql[300];

	(void) snprintf(sql, sizeof(sql), "SELECT count(*) FROM members m JOIN lists l"
			" ON l.id = m.list_id JOIN domains d ON d.id = l.domain_id"
			" WHERE l.local_part || '@' || d.name = '%s'", list);
	return raw_int(db, sql);
}

static int no_row(const struct store_member_view *v, void *ctx)
{
	(void) v, (void) ctx;
	return 0;
}

/* store_list_each's count for the list named in ctx (a struct walk). */
struct walk {
	const char *list;
	long long members;
};

static int walk_list(const struct store_list *l, void *ctx)
{
	struct walk *w = ctx;

	if (strcmp(l->address, w->list) == 0)
		w->members = l->counts.members;
	return 0;
}

/* After step what: no list drifts, and the page's total for list is want,
   as is the count the list walk (sealist list ls, the overview) gives. */
static void check(struct store *s, sqlite3 *db, const char *list, long long want,
		  const char *what)
{
	struct walk w = {list, -1};
	long long total = -1;
	const char *error = NULL;

	tap_int(raw_int(db, drift_sql), 0, what);
	tap_int(store_member_page(s, list, NULL, 0, 1, &total, no_row, NULL, &error), STORE_OK,
		"  the page reads");
	tap_int(total, want, "  its total");
	tap_int(raw_members(db, list), want, "  = count(*)");
	tap_int(store_list_each(s, walk_list, &w, NULL), STORE_OK, "  the list walk reads");
	tap_int(w.members, want, "  and counts the same");
}

static void add(struct store *s, const char *list, const char *const *addr, size_t n,
		int want, const char *what)
{
	struct store_new_member m[8];
	size_t	i;

	for (i = 0; i < n && i < 8; i++)
		m[i] = (struct store_new_member) {
			.address = addr[i], .display_name = "", .delivery = NULL, .moderated = -1
		};
	tap_int(store_member_add(s, list, m, i, NULL), want, what);
}

static void drop_reason(void *ctx, size_t line, const char *why)
{
	(void) ctx, (void) line, (void) why;
}

static void import(struct store *s, const char *list, const char *csv, int dry, int skip,
		   size_t want_added, const char *what)
{
	struct members_csv_import imp;

	memset(&imp, 0, sizeof(imp));
	imp.dry_run = dry;
	imp.skip_invalid = skip;
	imp.invalid = drop_reason;
	tap_int(members_csv_import(s, list, csv, strlen(csv), &imp, NULL), STORE_OK, what);
	tap_int((long long) imp.added, (long long) want_added, "  added");
}

static void test_writes(struct store *s, sqlite3 *db)
{
	static const char *const abc[] = {"a@example.net", "b@example.net", "c@example.net"};
	static const char *const again[] = {"d@example.net", "A@example.net"};
	static const char *const gone[] = {"b@example.net"};
	static const char *const nobody[] = {"c@example.net", "zz@example.net"};

	tap_int(store_list_create(s, "one@example.org", NULL, NULL), STORE_OK, "list one");
	tap_int(store_list_create(s, "two@example.org", NULL, NULL), STORE_OK, "list two");
	check(s, db, "one@example.org", 0, "a new list counts 0");
	add(s, "one@example.org", abc, 3, STORE_OK, "add three");
	check(s, db, "one@example.org", 3, "three");
	add(s, "one@example.org", again, 2, STORE_EXISTS, "an add with a member again is refused");
	check(s, db, "one@example.org", 3, "  and counts nothing");
	tap_int(store_member_remove(s, "one@example.org", gone, 1, NULL), STORE_OK, "remove one");
	check(s, db, "one@example.org", 2, "two left");
	tap_int(store_member_remove(s, "one@example.org", nobody, 2, NULL) != STORE_OK, 1,
		"a remove with a non-member is refused");
	check(s, db, "one@example.org", 2, "  and counts nothing");
	import(s, "two@example.org", "address\r\nx1@example.net\r\nx2@example.net\r\n"
	       "x3@example.net\r\nx4@example.net\r\n", 0, 0, 4, "import four");
	check(s, db, "two@example.org", 4, "four on list two");
	check(s, db, "one@example.org", 2, "  list one still two");
	import(s, "two@example.org", "address\r\ny1@example.net\r\nbad\r\n", 0, 0, 0,
	       "an import with a bad row");
	check(s, db, "two@example.org", 4, "  adds and counts nothing");
	import(s, "two@example.org", "address\r\ny1@example.net\r\nbad\r\ny2@example.net\r\n", 0, 1,
	       2, "an import skipping the bad row");
	check(s, db, "two@example.org", 6, "  counts the two good ones");
	import(s, "two@example.org", "address\r\nz1@example.net\r\n", 1, 0, 0, "a dry run");
	check(s, db, "two@example.org", 6, "  counts nothing");
	tap_int(raw_exec(db, "UPDATE members SET list_id = (SELECT id FROM lists WHERE"
			 " local_part = 'two') WHERE address = 'a@example.net'"), SQLITE_OK,
		"a member moved to another list by hand");
	check(s, db, "two@example.org", 7, "  counts on its new list");
	check(s, db, "one@example.org", 1, "  and not on its old one");
	tap_int(store_list_delete(s, "two@example.org", NULL), STORE_OK, "delete list two");
	tap_int(raw_int(db, "SELECT count(*) FROM list_member_counts WHERE list_id NOT IN"
			" (SELECT id FROM lists)"), 0, "  its count row went with it");
	check(s, db, "one@example.org", 1, "  list one keeps its count");
	tap_int(store_list_create(s, "two@example.org", NULL, NULL), STORE_OK, "list two again");
	check(s, db, "two@example.org", 0, "  starts at 0");
}

/* The addresses of one page, one per line. */
static int page_row(const struct store_member_view *v, void *ctx)
{
	buf_printf(ctx, "%s\n", v->m.address);
	return 0;
}

/* What ORDER BY address_key LIMIT 50 OFFSET offset gives, on the raw connection. */
static void raw_page(sqlite3 *db, long long offset, struct buf *out)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT m.address FROM members m JOIN lists l ON l.id ="
			       " m.list_id WHERE l.local_part = 'many' ORDER BY m.address_key"
			       " LIMIT 50 OFFSET ?1", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, offset);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_printf(out, "%s\n", (const char *) sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Every page of a 237-member list (and past the end): the plain query's rows. */
static void test_pages(struct store *s, sqlite3 *db)
{
	static const long long offsets[] = {0, 50, 100, 118, 119, 150, 187, 200, 236, 237, 300};
	struct store_new_member m[237];
	char	addr[237][40];
	struct buf got, want;
	long long total;
	size_t	i;

	for (i = 0; i < 237; i++) {
		/* mixed case and out of order: the key, not the id, orders them */
		snprintf(addr[i], sizeof(addr[i]), "%s%03zu@example.net", i % 2 ? "M" : "m",
			 (i * 101) % 237);
		m[i] = (struct store_new_member) {
			.address = addr[i], .display_name = "", .delivery = NULL, .moderated = -1
		};
	}
	store_list_create(s, "many@example.org", NULL, NULL);
	tap_int(store_member_add(s, "many@example.org", m, 237, NULL), STORE_OK, "237 members");
	buf_init(&got, 1 << 16);
	buf_init(&want, 1 << 16);
	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		buf_reset(&got);
		buf_reset(&want);
		tap_ok(store_member_page(s, "many@example.org", NULL, offsets[i], 50, &total,
					 page_row, &got, NULL) == STORE_OK, "the page at %lld", offsets[i]);
		raw_page(db, offsets[i], &want);
		tap_str(buf_str(&got), buf_str(&want), "  has the plain query's rows, in order");
		tap_int(total, 237, "  total 237");
	}
	buf_free(&got);
	buf_free(&want);
}

/*
 * The web keeps a store open between requests (web.c): after a use and
 * store_idle it must hold no read snapshot, so it sees another
 * connection's commit and a checkpoint can truncate the WAL past it.
 */
static void test_kept(struct store *s, sqlite3 *db)
{
	long long before = -1, after = -1;
	int	log = -1, done = -1;

	store_member_page(s, "one@example.org", NULL, 0, 1, &before, no_row, NULL, NULL);
	tap_int(store_idle(s), 0, "a kept store is idle after a page");
	tap_int(raw_exec(db, "INSERT INTO members (list_id, address, address_key, subscribed_at)"
			 " SELECT id, 'late@example.net', 'late@example.net', 1 FROM lists"
			 " WHERE local_part = 'one'"), SQLITE_OK, "another connection adds a member");
	tap_int(sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done),
		SQLITE_OK, "  a checkpoint can truncate the WAL past the kept store");
	store_member_page(s, "one@example.org", NULL, 0, 1, &after, no_row, NULL, NULL);
	tap_int(after, before + 1, "  which then sees the new member");
	tap_int(store_idle(s), 0, "  and is idle again");
}

/* Fill a database at version 13 by the migrations themselves; its members. */
static const char fill_sql[] =
	"INSERT INTO domains (id, name, created_at) VALUES (1, 'example.org', 1);"
	"INSERT INTO lists (id, domain_id, local_part, created_at) VALUES"
	" (1, 1, 'dev', 1), (2, 1, 'ops', 1), (3, 1, 'empty', 1);"
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234)"
	" INSERT INTO members (list_id, address, address_key, subscribed_at)"
	" SELECT 1, 'u' || i || '@example.net', 'u' || i || '@example.net', 1 FROM n;"
	"INSERT INTO members (list_id, address, address_key, subscribed_at) VALUES"
	" (2, 'a@example.net', 'a@example.net', 1), (2, 'b@example.net', 'b@example.net', 1);";

static void make_old(sqlite3 *db)
{
	char	sql[256];
	size_t	i;
	int	ok = 1;

	ok &= raw_exec(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
		       " name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT") == SQLITE_OK;
	for (i = 0; i < store_migration_count && store_migrations[i].version <= 13; i++) {
		ok &= raw_exec(db, "BEGIN") == SQLITE_OK;
		ok &= raw_exec(db, store_migrations[i].sql) == SQLITE_OK;
		(void) snprintf(sql, sizeof(sql), "INSERT INTO schema_migrations VALUES (%lld, '%s', 1)",
				store_migrations[i].version, store_migrations[i].name);
		ok &= raw_exec(db, sql) == SQLITE_OK;
		ok &= raw_exec(db, "COMMIT") == SQLITE_OK;
	}
	tap_ok(ok && i == 13, "a database at version 13, made by migrations 001-013");
	tap_int(raw_exec(db, fill_sql), SQLITE_OK, "  with 1,234 and 2 members on two lists");
}

static void test_migration(void)
{
	static const char *const more[] = {"c@example.net"};
	sqlite3 *db = raw_open();
	struct store *s;
	const char *error = NULL;

	make_old(db);
	s = store_open(test_db, &error);
	tap_ok(s != NULL, "store_open migrates it (%s)", s != NULL ? "ok" : error);
	if (s == NULL) {
		sqlite3_close(db);
		return;
	}
	tap_int(raw_int(db, "SELECT count(*) FROM schema_migrations WHERE version = 15"), 1,
		"  015 is recorded");
	check(s, db, "dev@example.org", 1234, "the existing members are counted: dev");
	check(s, db, "ops@example.org", 2, "  ops");
	check(s, db, "empty@example.org", 0, "  a list without members counts 0");
	add(s, "ops@example.org", more, 1, STORE_OK, "an add after the migration");
	check(s, db, "ops@example.org", 3, "  counts");
	store_close(s);
	sqlite3_close(db);
}

static void remove_db(void)
{
	char	path[400];

	(void) snprintf(path, sizeof(path), "%s-wal", test_db);
	unlink(path);
	(void) snprintf(path, sizeof(path), "%s-shm", test_db);
	unlink(path);
	unlink(test_db);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	const char *error = NULL;
	struct store *s;
	sqlite3 *db;

	(void) snprintf(test_dir, sizeof(test_dir), "%s/test_member_count.XXXXXX",
			tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	(void) snprintf(test_db, sizeof(test_db), "%s/sealist.db", test_dir);
	if ((s = store_open(test_db, &error)) == NULL) {
		fprintf(stderr, "store_open: %s\n", error);
		return 99;
	}
	db = raw_open();
	test_writes(s, db);
	test_pages(s, db);
	test_kept(s, db);
	store_close(s);
	sqlite3_close(db);
	remove_db();
	test_migration();
	remove_db();
	rmdir(test_dir);
	return tap_done();
}
