/*
 * NAME
 *	test_store 1
 * SUMMARY
 *	unit tests for src/store against a real database file
 * DESCRIPTION
 *	Each group works in a fresh temporary directory.  What the store
 *	wrote is checked by reading the file with SQLite directly, not only
 *	through the store's own functions, so a store that reports success
 *	without writing (or writes half) cannot pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "settings.h"
#include "store.h"
#include "tap.h"

static char test_dir[256];
static char test_db[300];

/* A fresh database file name in a fresh directory. */
static void fresh_db(void)
{
	const char *tmp = getenv("TMPDIR");

	if (test_dir[0] != 0) {
		char	path[400];

		(void) snprintf(path, sizeof(path), "%s-wal", test_db);
		unlink(path);
		(void) snprintf(path, sizeof(path), "%s-shm", test_db);
		unlink(path);
		unlink(test_db);
		rmdir(test_dir);
	}
	(void) snprintf(test_dir, sizeof(test_dir), "%s/test_store.XXXXXX",
			tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		exit(99);
	}
	(void) snprintf(test_db, sizeof(test_db), "%s/sealist.db", test_dir);
}

/* One integer from SQL run on a separate connection; -1 on any error. */
static long long raw_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	} else {
		tap_diag("raw_int: %s: %s", sql, sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	return v;
}

/* Run SQL on a separate connection, with foreign keys on; 0 or the SQLite code. */
static int raw_exec(const char *sql)
{
	sqlite3 *db;
	int	rc;

	if ((rc = sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READWRITE, NULL)) == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static struct store *open_ok(const char *what)
{
	const char *error = NULL;
	struct store *s = store_open(test_db, &error);

	if (!tap_ok(s != NULL, "%s", what))
		tap_diag("store_open: %s", error ? error : "(no reason)");
	return s;
}

static long long newest_version(void)
{
	return store_migrations[store_migration_count - 1].version;
}

static void test_migrations(void)
{
	struct store *s;
	struct store_info info;
	char	sql[200];

	fresh_db();
	if ((s = open_ok("a new database file is created and opened")) == NULL)
		return;
	tap_int(store_migrations[0].version, 1, "the first migration is 001");
	tap_str(store_migrations[0].name, "init", "its name comes from the file name");
	tap_int(raw_int("SELECT count(*) FROM schema_migrations"),
		(long long) store_migration_count, "every migration is recorded once");
	tap_int(raw_int("SELECT max(version) FROM schema_migrations"), newest_version(),
		"the newest version is recorded");
	tap_int(raw_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
			" ('domains', 'lists', 'list_owners', 'list_settings', 'members',"
			" 'inbox', 'inbox_rcpt')"), 7, "001_init creates its seven tables");
	tap_int(raw_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
			" AND name <> 'schema_migrations' AND sql NOT LIKE '%STRICT%'"), 0,
		"every table is STRICT");
	if (tap_int(store_info(s, &info, NULL), STORE_OK, "store_info works")) {
		tap_str(info.journal_mode, "wal", "journal_mode is WAL");
		tap_int(info.synchronous, 2, "synchronous is FULL");
		tap_int(info.foreign_keys, 1, "foreign_keys is on");
		tap_int(info.busy_timeout_ms, 5000, "busy_timeout is 5 s");
		tap_int(info.schema_version, newest_version(), "store_info reports the version");
	}
	store_close(s);

	/* Mark the records: a re-open that re-applied anything would change them. */
	tap_int(raw_exec("UPDATE schema_migrations SET applied_at = 42"), 0, "mark the records");
	if ((s = open_ok("an up-to-date database opens again")) != NULL)
		store_close(s);
	tap_int(raw_int("SELECT count(*) FROM schema_migrations WHERE applied_at = 42"),
		(long long) store_migration_count, "re-opening applies nothing");

	(void) snprintf(sql, sizeof(sql), "INSERT INTO schema_migrations VALUES (%lld, 'future', 0)",
			newest_version() + 1);
	tap_int(raw_exec(sql), 0, "record a migration from the future");
	{
		const char *error = NULL;

		s = store_open(test_db, &error);
		tap_ok(s == NULL, "a database from a newer sealist is refused");
		if (!tap_ok(error != NULL && strstr(error, "newer sealist") != NULL,
			    "and the reason says so"))
			tap_diag("reason: %s", error ? error : "(none)");
		store_close(s);
	}
}

static void test_not_a_database(void)
{
	const char *error = NULL;
	struct store *s;
	FILE   *fp;

	fresh_db();
	if ((fp = fopen(test_db, "w")) == NULL)
		return;
	fputs("this is not an SQLite database, but a text file long enough to look like one\n", fp);
	fclose(fp);
	s = store_open(test_db, &error);
	tap_ok(s == NULL, "a file that is not a database is refused");
	tap_ok(error != NULL && strstr(error, test_db) != NULL, "the reason names the file");
	store_close(s);
	s = store_open("/nonexistent-dir/x/sealist.db", &error);
	tap_ok(s == NULL && error != NULL, "a file that cannot be created is refused");
	store_close(s);
}

struct list_case {
	const char *what;
	const char *address;
	const char *owner;
	int	want;
	const char *want_error;		/* part of the message */
};

static const struct list_case list_cases[] = {
	{"create a list", "dev@example.org", NULL, STORE_OK, NULL},
	{"create with an owner", "ops@example.org", "Boss@Example.ORG", STORE_OK, NULL},
	{"same name on another domain", "dev@example.net", NULL, STORE_OK, NULL},
	{"duplicate refused", "dev@example.org", NULL, STORE_EXISTS, "already exists"},
	{"duplicate in other case refused", "DEV@Example.Org", NULL, STORE_EXISTS,
	 "list dev@example.org already exists"},
	{"missing @", "dev", NULL, STORE_INVALID, "missing @"},
	{"domain needs a dot", "dev@localhost", NULL, STORE_INVALID, "dot"},
	{"quoted local part refused", "\"a b\"@example.org", NULL, STORE_INVALID, "dot-atom"},
	{"UTF-8 local part refused", "d\xc3\xa9v@example.org", NULL, STORE_INVALID, NULL},
	{"-request reserved", "dev-request@example.org", NULL, STORE_INVALID, "reserved"},
	{"-owner reserved", "x-owner@example.org", NULL, STORE_INVALID, "reserved"},
	{"-bounces reserved", "x-bounces@example.org", NULL, STORE_INVALID, "reserved"},
	{"-confirm reserved", "x-confirm@example.org", NULL, STORE_INVALID, "reserved"},
	{"-join reserved", "x-join@example.org", NULL, STORE_INVALID, "reserved"},
	{"-leave reserved, any case", "X-LEAVE@example.org", NULL, STORE_INVALID, "reserved"},
	{"a suffix inside the name is fine", "x-joiners@example.org", NULL, STORE_OK, NULL},
	{"bad owner refused", "new@example.org", "boss", STORE_INVALID, "invalid owner address"},
};

static void test_lists(struct store *s)
{
	struct store_list list;
	const char *error;
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof(list_cases) / sizeof(list_cases[0]); i++) {
		const struct list_case *c = &list_cases[i];

		rc = store_list_create(s, c->address, c->owner, &error);
		if (!tap_int(rc, c->want, c->what))
			tap_diag("error: %s", error ? error : "(none)");
		else if (c->want_error != NULL && !tap_ok(error && strstr(error, c->want_error),
							   "%s: message", c->what))
			tap_diag("error: %s; want: %s", error ? error : "(none)", c->want_error);
	}
	tap_int(raw_int("SELECT count(*) FROM lists"), 4, "only the good lists exist");
	tap_int(raw_int("SELECT count(*) FROM lists WHERE local_part = 'new'"), 0,
		"a bad owner leaves no list behind");
	tap_int(raw_int("SELECT count(*) FROM domains"), 2, "one row per domain");
	tap_int(raw_int("SELECT count(*) FROM list_owners WHERE address = 'Boss@example.org'"
			" AND address_key = 'boss@example.org'"), 1,
		"the owner is stored with its domain lowercased");
	rc = store_list_get(s, "Dev@EXAMPLE.org", &list, &error);
	if (tap_int(rc, STORE_OK, "get a list in any case")) {
		tap_str(list.address, "dev@example.org", "its address is lowercase");
		tap_str(list.local_part, "dev", "local part");
		tap_str(list.domain, "example.org", "domain");
		tap_int(list.counts.members, 0, "no members yet");
	}
	rc = store_list_get(s, "nope@example.org", &list, &error);
	tap_int(rc, STORE_NO_LIST, "an unknown list is STORE_NO_LIST");
	tap_str(error, "no such list: nope@example.org", "and the message names it");
}

static int count_lists(const struct store_list *l, void *ctx)
{
	int    *n = ctx;

	if (*n == 0)
		tap_str(l->address, "dev@example.net", "lists are ordered by domain first");
	(*n)++;
	return 0;
}

struct add_case {
	const char *what;
	const char *addresses[4];	/* NULL ends */
	const char *delivery;
	int	want;
	const char *want_error;
	long long want_members;		/* on dev@example.org afterwards */
};

static const struct add_case add_cases[] = {
	{"add one", {"a@example.net", NULL}, NULL, STORE_OK, NULL, 1},
	{"add several at once", {"b@example.net", "Mixed.Case@Example.NET", NULL}, "digest",
	 STORE_OK, NULL, 3},
	{"one invalid address adds none", {"c@example.net", "bad", "d@example.net", NULL}, NULL,
	 STORE_INVALID, "invalid address \"bad\": missing @", 3},
	{"a member again is refused", {"e@example.net", "a@example.net", NULL}, NULL,
	 STORE_EXISTS, "a@example.net is already a member of dev@example.org", 3},
	{"the domain's case does not matter", {"a@EXAMPLE.net", NULL}, NULL,
	 STORE_EXISTS, "already a member", 3},
	{"the local part's case does not matter", {"mixed.case@example.net", NULL}, NULL,
	 STORE_EXISTS, "as Mixed.Case@example.net", 3},
	{"an address given twice adds none", {"f@example.net", "F@example.NET", NULL}, NULL,
	 STORE_INVALID, "given more than once", 3},
	{"a bad delivery mode adds none", {"g@example.net", NULL}, "weekly",
	 STORE_INVALID, "delivery mode", 3},
};

static void test_member_add(struct store *s)
{
	struct store_new_member m[4];
	const char *error;
	size_t	i;
	size_t	n;
	int	rc;

	for (i = 0; i < sizeof(add_cases) / sizeof(add_cases[0]); i++) {
		const struct add_case *c = &add_cases[i];
		struct store_list list;

		memset(m, 0, sizeof(m));
		for (n = 0; c->addresses[n] != NULL; n++) {
			m[n].address = c->addresses[n];
			m[n].delivery = c->delivery;
			m[n].moderated = -1;
		}
		rc = store_member_add(s, "dev@example.org", m, n, &error);
		if (!tap_int(rc, c->want, c->what))
			tap_diag("error: %s", error ? error : "(none)");
		else if (c->want_error && !tap_ok(error && strstr(error, c->want_error),
						  "%s: message", c->what))
			tap_diag("error: %s; want: %s", error ? error : "(none)", c->want_error);
		if (store_list_get(s, "dev@example.org", &list, NULL) == STORE_OK)
			tap_int(list.counts.members, c->want_members, "member count");
	}
	tap_int(raw_int("SELECT count(*) FROM members WHERE address = 'Mixed.Case@example.net'"
			" AND address_key = 'mixed.case@example.net' AND delivery_mode = 'digest'"),
		1, "the local part keeps its case, the domain is lowercased, the key is lowercase");
	m[0].address = "x@example.net";
	rc = store_member_add(s, "nope@example.org", m, 1, &error);
	tap_int(rc, STORE_NO_LIST, "adding to an unknown list fails");
	tap_int(raw_int("SELECT count(*) FROM members"), 3, "and adds nobody anywhere");
}

static void test_member_remove(struct store *s)
{
	const char *bad[] = {"b@example.net", "nobody@example.net"};
	const char *twice[] = {"b@example.net", "B@example.net"};
	const char *good[] = {"B@Example.Net"};
	const char *error;
	int	rc;

	rc = store_member_remove(s, "dev@example.org", bad, 2, &error);
	tap_int(rc, STORE_NOT_FOUND, "removing a non-member fails");
	tap_str(error, "nobody@example.net is not a member of dev@example.org", "and says who");
	tap_int(raw_int("SELECT count(*) FROM members WHERE address_key = 'b@example.net'"), 1,
		"and removes none of the others");
	rc = store_member_remove(s, "dev@example.org", twice, 2, &error);
	tap_int(rc, STORE_INVALID, "an address given twice removes none");
	tap_int(raw_int("SELECT count(*) FROM members WHERE address_key = 'b@example.net'"), 1,
		"the member is still there");
	rc = store_member_remove(s, "dev@example.org", good, 1, &error);
	tap_int(rc, STORE_OK, "removing matches addresses case-insensitively");
	tap_int(raw_int("SELECT count(*) FROM members"), 2, "one member fewer");
}

static void test_settings(struct store *s)
{
	const char *error;
	char   *value = NULL;
	int	is_default = -1;
	int	rc;

	rc = store_setting_get(s, "dev@example.org", "real_name", &value, &is_default, &error);
	tap_int(rc, STORE_OK, "get a setting never set");
	tap_str(value, "dev", "real_name defaults to the local part");
	tap_int(is_default, 1, "and is marked as the default");
	free(value);
	rc = store_setting_get(s, "dev@example.org", "subject_prefix", &value, NULL, &error);
	tap_str(value, "[%(real_name)s] ", "subject_prefix's default is the template");
	free(value);

	rc = store_setting_set(s, "dev@example.org", "max_message_size", "big", &error);
	tap_int(rc, STORE_INVALID, "a bad value is refused");
	tap_str(error, "max_message_size: expected a whole number", "with the reason");
	rc = store_setting_set(s, "dev@example.org", "no_such", "1", &error);
	tap_int(rc, STORE_INVALID, "an unknown setting is refused");
	tap_int(raw_int("SELECT count(*) FROM list_settings"), 0, "nothing stored");

	rc = store_setting_set(s, "dev@example.org", "max_message_size", "100", &error);
	tap_int(rc, STORE_OK, "a good value is stored");
	rc = store_setting_set(s, "dev@example.org", "max_message_size", "200", &error);
	tap_int(rc, STORE_OK, "and can be changed");
	rc = store_setting_get(s, "dev@example.org", "max_message_size", &value, &is_default,
			       &error);
	tap_str(value, "200", "the new value is read back");
	tap_int(is_default, 0, "and is not the default");
	free(value);
	rc = store_setting_unset(s, "dev@example.org", "max_message_size", &error);
	tap_int(rc, STORE_OK, "unset");
	rc = store_setting_get(s, "dev@example.org", "max_message_size", &value, &is_default,
			       &error);
	tap_str(value, "40", "the default applies again");
	free(value);
	rc = store_setting_get(s, "nope@example.org", "real_name", &value, NULL, &error);
	tap_int(rc, STORE_NO_LIST, "settings of an unknown list");
	tap_ok(value == NULL, "give no value");
	{
		char   *all[SETTINGS_COUNT];
		int	def[SETTINGS_COUNT];

		tap_int(store_setting_set(s, "dev@example.org", "max_message_size", "77", &error),
			STORE_OK, "one setting of its own");
		tap_int(store_settings_get_all(s, "dev@example.org", all, def, &error), STORE_OK,
			"every setting at once");
		tap_str(all[SETTING_MAX_MESSAGE_SIZE], "77", "the list's own value");
		tap_int(def[SETTING_MAX_MESSAGE_SIZE], 0, "is not the default");
		tap_str(all[SETTING_REAL_NAME], "dev", "the others are the defaults");
		tap_int(def[SETTING_REAL_NAME], 1, "and marked so");
		store_settings_free(all);
		tap_int(store_settings_get_all(s, "nope@example.org", all, NULL, &error),
			STORE_NO_LIST, "all settings of an unknown list");
		tap_ok(all[0] == NULL, "leave nothing to free");
		store_setting_unset(s, "dev@example.org", "max_message_size", &error);
	}
}

static int find_g(const struct store_member *m, void *ctx)
{
	int    *moderated = ctx;

	if (strcmp(m->address, "g@example.net") == 0)
		*moderated = m->moderated;
	return 0;
}

static void test_default_moderation(struct store *s)
{
	struct store_new_member m = {"g@example.net", "G", NULL, -1};
	int	moderated = -1;

	tap_int(store_setting_set(s, "dev@example.org", "default_member_moderation", "1", NULL),
		STORE_OK, "set default_member_moderation");
	tap_int(store_member_add(s, "dev@example.org", &m, 1, NULL), STORE_OK, "add a member");
	tap_int(store_member_each(s, "dev@example.org", find_g, &moderated, NULL), STORE_OK,
		"walk the members");
	tap_int(moderated, 1, "a new member is moderated by the list's default");
}

static void test_delete_cascades(struct store *s)
{
	const char *error;
	int	n = 0;

	tap_int(raw_exec("INSERT INTO inbox (id, received_at, envelope_from, message, size,"
			 " updated_at) VALUES (1, 0, 'a@example.net', x'41', 1, 0);"
			 "INSERT INTO inbox_rcpt (inbox_id, address, list_id, role) SELECT 1, 'dev@example.org', id, 'post'"
			 " FROM lists WHERE local_part = 'dev' AND domain_id ="
			 " (SELECT id FROM domains WHERE name = 'example.org')"), 0,
		"a message waits in the inbox for the list");
	tap_int(raw_exec("INSERT INTO members (list_id, address, address_key, delivery_mode,"
			 " subscribed_at) SELECT id, 'x@y.org', 'x@y.org', 'weekly', 0 FROM lists"),
		SQLITE_CONSTRAINT, "the schema refuses an unknown delivery mode");
	tap_int(store_list_delete(s, "DEV@example.org", &error), STORE_OK, "delete a list");
	tap_int(raw_int("SELECT count(*) FROM lists WHERE local_part = 'dev'"
			" AND domain_id = (SELECT id FROM domains WHERE name = 'example.org')"), 0,
		"the list is gone");
	tap_int(raw_int("SELECT count(*) FROM members"), 0, "its members are gone");
	tap_int(raw_int("SELECT count(*) FROM list_settings"), 0, "its settings are gone");
	tap_int(raw_int("SELECT count(*) FROM inbox_rcpt"), 0, "its inbox recipients are gone");
	tap_int(raw_int("SELECT count(*) FROM list_owners"), 1, "other lists' owners stay");
	tap_int(raw_int("SELECT count(*) FROM domains"), 2, "the domain stays");
	tap_int(store_list_delete(s, "dev@example.org", &error), STORE_NO_LIST,
		"deleting it again fails");
	tap_int(store_list_each(s, count_lists, &n, &error), STORE_OK, "walk the lists");
	tap_int(n, 3, "three lists are left");
}

/* DKIM keys (store_keys.c). */

struct key_case {
	const char *what;
	const char *domain, *selector, *algorithm;
	int	bits;
	const char *path;
	int	status;
	const char *error;	/* a part of the message, or NULL */
};

static const struct key_case key_cases[] = {
	{"record an RSA key", "Example.ORG", "S202611-RSA", "rsa", 2048,
	 "/keys/example.org/s202611-rsa.pem", STORE_OK, NULL},
	{"record an Ed25519 key beside it", "example.org", "s202611-ed", "ed25519", 256,
	 "/keys/example.org/s202611-ed.pem", STORE_OK, NULL},
	{"a key of another domain", "lists.example.net", "a", "rsa", 1024,
	 "/keys/lists.example.net/a.pem", STORE_OK, NULL},
	{"the same selector again, in another case, is refused", "EXAMPLE.org",
	 "s202611-rsa", "rsa", 2048, "/keys/x.pem", STORE_EXISTS,
	 "example.org already has a key with selector s202611-rsa"},
	{"an unknown algorithm is refused", "example.org", "dsa", "dsa", 1024,
	 "/keys/x.pem", STORE_INVALID, "expected rsa or ed25519"},
	{"a relative key file name is refused", "example.org", "rel", "rsa", 2048,
	 "keys/x.pem", STORE_INVALID, "not absolute"},
	{"a '/' in the selector is refused", "example.org", "../x", "rsa", 2048,
	 "/keys/x.pem", STORE_INVALID, "contains '/'"},
	{"an empty domain is refused", "", "x", "rsa", 2048, "/keys/x.pem",
	 STORE_INVALID, "empty domain"},
	{"a size of 0 bits is refused", "example.org", "zero", "rsa", 0, "/keys/x.pem",
	 STORE_INVALID, "invalid key size"},
};

static void test_key_add(struct store *s)
{
	const struct key_case *c;
	struct store_key k;
	const char *error;

	for (c = key_cases; c < key_cases + sizeof(key_cases) / sizeof(key_cases[0]); c++) {
		memset(&k, 0, sizeof(k));
		k.domain = c->domain;
		k.selector = c->selector;
		k.algorithm = c->algorithm;
		k.bits = c->bits;
		k.path = c->path;
		error = NULL;
		tap_int(store_key_add(s, &k, &error), c->status, c->what);
		if (c->error != NULL && !tap_ok(error != NULL && strstr(error, c->error) != NULL,
						"%s: the error says \"%s\"", c->what, c->error))
			tap_diag("error: %s", error ? error : "(none)");
	}
	tap_int(raw_int("SELECT count(*) FROM dkim_keys"), 3, "three keys are in the table");
	tap_int(raw_int("SELECT count(*) FROM dkim_keys WHERE domain = 'example.org'"
			" AND selector = 's202611-rsa' AND algorithm = 'rsa' AND bits = 2048"
			" AND path = '/keys/example.org/s202611-rsa.pem' AND created_at > 0"), 1,
		"domain and selector are stored lowercased, with every column");
	tap_int(raw_exec("INSERT INTO dkim_keys (domain, selector, algorithm, bits, path,"
			 " created_at) VALUES ('Upper.ORG', 'x', 'rsa', 2048, '/k', 0)"),
		SQLITE_CONSTRAINT, "the schema refuses a domain that is not lowercase");
	tap_int(raw_exec("INSERT INTO dkim_keys (domain, selector, algorithm, bits, path,"
			 " created_at) VALUES ('a.org', 'x/y', 'rsa', 2048, '/k', 0)"),
		SQLITE_CONSTRAINT, "the schema refuses a '/' in a selector");
	tap_int(raw_exec("INSERT INTO dkim_keys (domain, selector, algorithm, bits, path,"
			 " created_at) VALUES ('a.org', 'x', 'dsa', 2048, '/k', 0)"),
		SQLITE_CONSTRAINT, "the schema refuses an unknown algorithm");
}

static void test_key_get(struct store *s)
{
	struct store_key *k = NULL;
	const char *error = NULL;

	if (tap_int(store_key_get(s, "EXAMPLE.org", "s202611-ED", &k, &error), STORE_OK,
		    "look a key up by names in any case") && k != NULL) {
		tap_str(k->domain, "example.org", "its domain");
		tap_str(k->selector, "s202611-ed", "its selector");
		tap_str(k->algorithm, "ed25519", "its algorithm");
		tap_int(k->bits, 256, "its size");
		tap_str(k->path, "/keys/example.org/s202611-ed.pem", "its file");
		tap_ok(k->created_at > 1600000000, "its creation time is now-ish");
	}
	free(k);
	k = (struct store_key *) &error;	/* must be set to NULL */
	tap_int(store_key_get(s, "example.org", "nope", &k, &error), STORE_NOT_FOUND,
		"an unknown selector is not found");
	tap_ok(k == NULL, "and no key is returned");
	tap_str(error, "example.org has no key with selector nope", "the error names it");
	tap_int(store_key_get(s, "nowhere.example", "s202611-rsa", &k, &error),
		STORE_NOT_FOUND, "a domain without keys has none");
}

struct key_walk {
	char	seen[512];
	size_t	len;
};

static int walk_key(const struct store_key *k, void *ctx)
{
	struct key_walk *w = ctx;
	int	n;

	n = snprintf(w->seen + w->len, sizeof(w->seen) - w->len, "%s/%s ", k->domain,
		     k->selector);
	if (n > 0 && (size_t) n < sizeof(w->seen) - w->len)
		w->len += (size_t) n;
	return 0;
}

static void test_key_each(struct store *s)
{
	struct key_walk w;
	const char *error;

	memset(&w, 0, sizeof(w));
	tap_int(store_key_each(s, NULL, walk_key, &w, &error), STORE_OK, "walk every key");
	tap_str(w.seen, "example.org/s202611-ed example.org/s202611-rsa lists.example.net/a ",
		"ordered by domain, then selector");
	memset(&w, 0, sizeof(w));
	tap_int(store_key_each(s, "Example.Org", walk_key, &w, &error), STORE_OK,
		"walk one domain's keys, named in any case");
	tap_str(w.seen, "example.org/s202611-ed example.org/s202611-rsa ", "only that domain's");
	memset(&w, 0, sizeof(w));
	tap_int(store_key_each(s, "nowhere.example", walk_key, &w, &error), STORE_OK,
		"a domain without keys is no error");
	tap_str(w.seen, "", "and has no keys");
	tap_int(raw_int("SELECT count(*) FROM schema_migrations WHERE version = 2"
			" AND name = 'dkim_keys'"), 1, "migration 002_dkim_keys is recorded");
}


/* ---- the pipeline's tables (store_inbox.c) ---- */

static int count_out(const struct store_outbound *o, void *ctx)
{
	int    *n = ctx;

	(*n)++;
	tap_str(o->kind, *n == 1 ? "post" : "notice", "outbound rows in order");
	return 0;
}

static int count_held(const struct store_held *h, void *ctx)
{
	int    *n = ctx;

	(*n)++;
	tap_str(h->token, "tok123", "the held row keeps its token");
	return 0;
}

/* ---- C1: the moderation page's query (store_c1.c) ---- */
struct c1_rows {
	size_t	n;
	char	subject[64], verdict[64];
	long long size;
};

static int c1_held_row(const struct store_c1_held *h, void *ctx)
{
	struct c1_rows *rows = ctx;

	if (rows->n++ == 0) {
		snprintf(rows->subject, sizeof(rows->subject), "%s", h->held.subject);
		snprintf(rows->verdict, sizeof(rows->verdict), "%s", h->verdict ? h->verdict : "");
		rows->size = h->size;
	}
	return 0;
}

/* One held post with its inbox verdict and size; a limit; an unknown list. */
static void test_c1_held(struct store *s, long long message_size)
{
	struct c1_rows rows;
	const char *error;

	memset(&rows, 0, sizeof(rows));
	tap_int(store_c1_held_each(s, "Pipe@example.org", 10, c1_held_row, &rows, &error), STORE_OK,
		"C1: held posts with their verdict");
	tap_int((long long) rows.n, 1, "C1: one row");
	tap_str(rows.subject, "hi", "C1: its subject");
	tap_str(rows.verdict, "dmarc=none\n", "C1: the inbox's verdict");
	tap_int(rows.size, message_size, "C1: the message's size");
	memset(&rows, 0, sizeof(rows));
	tap_int(store_c1_held_each(s, "pipe@example.org", 0, c1_held_row, &rows, &error), STORE_OK,
		"C1: limit 0");
	tap_int((long long) rows.n, 0, "C1: no rows");
	tap_int(store_c1_held_each(s, "nosuch@example.org", 10, c1_held_row, &rows, &error),
		STORE_NO_LIST, "C1: an unknown list");
}
/* ---- end C1 ---- */

static void test_inbox(struct store *s)
{
	struct store_inbox_rcpt rcpts[2];
	struct store_inbox_new m;
	struct store_inbox_msg in;
	struct store_outbound_new out[2];
	struct store_held_new held = { "post from a non-member", "tok123", "a@example.net", "hi", 1 };
	struct store_rcpt_outcome done = { "done", NULL, out, 2, NULL, NULL };
	struct store_rcpt_outcome hold = { "held", "non-member", NULL, 0, &held, NULL };
	struct store_rcpt_outcome approve = { "done", "approved", out, 1, NULL, NULL };
	struct store_held h;
	const char *error;
	long long id = 0, list_id = 0;
	int	n = 0;

	tap_int(raw_exec("DELETE FROM inbox"), 0, "an empty inbox");
	tap_int(store_list_create(s, "pipe@example.org", "boss@example.org", &error), STORE_OK,
		"a list for the pipeline");
	tap_int(store_list_id(s, "Pipe@Example.org", &list_id, &error), STORE_OK,
		"store_list_id finds it in any case");
	rcpts[0] = (struct store_inbox_rcpt) { "pipe@example.org", list_id, "post", "" };
	rcpts[1] = (struct store_inbox_rcpt) { "pipe-bounces+x=y.example@example.org", list_id,
		"bounces", "x=y.example" };
	memset(&m, 0, sizeof(m));
	m.received_at = 100;
	m.envelope_from = "a@example.net";
	m.client_ip = "192.0.2.1";
	m.message = "Subject: hi\r\n\r\nbody\r\n";
	m.size = strlen(m.message);
	m.rcpts = rcpts;
	m.nrcpts = 2;
	tap_int(store_inbox_add(s, &m, &id, &error), STORE_OK, "a message with two recipients");
	tap_int(store_inbox_next(s, "new", 0, 1, 0, &in, &error), STORE_OK, "it is the next new one");
	tap_int(in.id, id, "with its id");
	tap_mem(in.message, in.size, m.message, m.size, "and its exact bytes");
	store_inbox_msg_free(&in);
	tap_int(store_inbox_next(s, "new", 0, 2, (unsigned) (id + 1) % 2, &in, &error), STORE_NOT_FOUND,
		"the other worker's residue does not see it");
	tap_int(store_inbox_set_authenticated(s, id, "Authentication-Results: x; none", "dmarc=none\n",
					      101, &error), STORE_OK, "authenticated");
	tap_int(store_inbox_set_authenticated(s, id, "x", "y", 102, &error), STORE_NOT_FOUND,
		"twice is refused (someone did it already)");
	out[0] = (struct store_outbound_new) { list_id, "post", "pipe-bounces@example.org", "",
		"post bytes", 10, "x; none", "none", NULL };
	out[1] = (struct store_outbound_new) { list_id, "notice", "pipe-bounces@example.org",
		"a@example.net", "notice bytes", 12, NULL, NULL, NULL };
	tap_int(store_inbox_rcpt_finish(s, id, "pipe@example.org", &hold, 103, &error), STORE_OK,
		"the post is held");
	tap_int(store_inbox_rcpt_finish(s, id, "pipe@example.org", &done, 104, &error), STORE_NOT_FOUND,
		"a held recipient cannot be finished again");
	tap_int(raw_int("SELECT count(*) FROM outbound"), 0, "and that wrote nothing");
	tap_int(store_inbox_get(s, id, &in, &error), STORE_OK, "read back");
	tap_str(in.state, "authenticated", "one recipient still pending: not done");
	store_inbox_msg_free(&in);
	tap_int(store_inbox_rcpt_finish(s, id, "pipe-bounces+x=y.example@example.org",
					&(struct store_rcpt_outcome) { "deferred", "later", NULL, 0, NULL, NULL },
					105, &error), STORE_OK, "the bounce waits for its handler");
	tap_int(store_inbox_get(s, id, &in, &error), STORE_OK, "read back again");
	tap_str(in.state, "done", "no recipient pending: done");
	store_inbox_msg_free(&in);
	tap_int(store_held_each(s, "pipe@example.org", count_held, &n, &error), STORE_OK, "held ls");
	tap_int(n, 1, "one held post");
	tap_int(store_held_get(s, 0, "tok123", &h, &error), STORE_OK, "found by token");
	tap_str(h.list, "pipe@example.org", "with its list");
	test_c1_held(s, (long long) m.size);	/* C1 */
	tap_int(store_held_resolve(s, h.id, &approve, 106, &error), STORE_OK, "approved");
	tap_int(store_held_resolve(s, h.id, &approve, 107, &error), STORE_NOT_FOUND,
		"a second decision finds nothing (no double post)");
	n = 0;
	tap_int(store_outbound_each(s, count_out, &n, &error), STORE_OK, "outbound rows");
	tap_int(n, 1, "exactly one post enqueued");
	tap_int(raw_int("SELECT count(*) FROM inbox_rcpt WHERE state = 'done'"), 1,
		"the approved recipient is done");
	{
		long long again = 0, other = 0;

		tap_int(store_inbox_add(s, &m, &again, &error), STORE_OK,
			"the same bytes again (an MTA retrying after a lost 250)");
		tap_int(again, id, "are recognised as the stored copy");
		tap_int(raw_int("SELECT count(*) FROM inbox"), 1, "and not stored twice");
		m.envelope_from = "b@example.net";
		tap_int(store_inbox_add(s, &m, &other, &error), STORE_OK, "another sender, same bytes");
		tap_ok(other != id, "is another message");
		m.envelope_from = "a@example.net";
		rcpts[1].address = "pipe-request@example.org";
		rcpts[1].role = "request";
		tap_int(store_inbox_add(s, &m, &other, &error), STORE_OK, "a retry with a new recipient");
		tap_int(raw_int("SELECT count(*) FROM inbox_rcpt WHERE inbox_id = (SELECT max(id) FROM inbox)"),
			1, "stores only the new recipient");
	}
	tap_int(store_inbox_add(s, &(struct store_inbox_new) { 1, "", "", "", "", "x", 1, rcpts, 0 },
				&id, &error), STORE_INVALID, "a message without recipients is refused");
}

static int collect_due(const struct store_delivery *d, void *ctx)
{
	long long *ids = ctx;

	ids[++ids[0]] = d->id;
	return 0;
}

static int outbound_kind(const struct store_outbound *o, void *ctx)
{
	snprintf(ctx, 16, "%s", o->kind);
	return 0;
}

/* The delivery workers' queue: due rows by residue, results, token keys. */
static void test_delivery(struct store *s)
{
	struct store_delivery_result r[3];
	unsigned char key[64], key2[64];
	const unsigned char fresh[16] = "0123456789abcdef", other[16] = "fedcba9876543210";
	long long due[16] = { 0 }, out_id;
	size_t	len = 0, len2 = 0;
	const char *error;
	char	kind[16] = "";

	tap_int(store_list_create(s, "q@example.org", NULL, &error), STORE_OK, "a list for the queue");
	tap_int(raw_exec("INSERT INTO outbound (list_id, kind, envelope_from, message, created_at)"
			 " SELECT id, 'post', 'q-bounces@example.org', x'41', 50 FROM lists"
			 " WHERE local_part = 'q'"), 0, "a post");
	out_id = raw_int("SELECT max(id) FROM outbound");
	tap_int(raw_exec("DELETE FROM deliveries"), 0, "an empty queue");
	tap_int(raw_exec("INSERT INTO deliveries (id, outbound_id, recipient, next_attempt)"
			 " SELECT 10, max(id), 'a@x.example', 100 FROM outbound UNION ALL"
			 " SELECT 11, max(id), 'b@x.example', 100 FROM outbound UNION ALL"
			 " SELECT 12, max(id), 'c@x.example', 300 FROM outbound"), 0, "three rows");
	tap_int(store_delivery_due(s, 200, 1, 0, 10, collect_due, due, &error), STORE_OK, "due at 200");
	tap_int(due[0], 2, "two are due (the third waits until 300)");
	tap_int(due[1] * 100 + due[2], 1011, "in id order");
	due[0] = 0;
	tap_int(store_delivery_due(s, 400, 2, 1, 10, collect_due, due, &error), STORE_OK, "residue 1 of 2");
	tap_int(due[0], 1, "sees only its own row");
	tap_int(due[1], 11, "the odd one");
	due[0] = 0;
	tap_int(store_delivery_due(s, 400, 1, 0, 1, collect_due, due, &error), STORE_OK, "at most 1");
	tap_int(due[0], 1, "max is honoured");
	tap_int(store_outbound_get(s, out_id, outbound_kind, kind, &error), STORE_OK, "the outbound row");
	tap_str(kind, "post", "is the post");
	tap_int(store_outbound_get(s, out_id + 99, outbound_kind, kind, &error), STORE_NOT_FOUND,
		"an unknown row is not found");
	r[0] = (struct store_delivery_result) { 10, out_id, "delivered", 0, NULL };
	r[1] = (struct store_delivery_result) { 11, out_id, "queued", 500, "451 4.3.0 try later" };
	r[2] = (struct store_delivery_result) { 12, out_id, "bounced", 0, "550 5.1.1 no such user" };
	tap_int(store_delivery_settle(s, r, 2, &error), STORE_OK, "two results recorded");
	tap_int(raw_int("SELECT count(*) FROM deliveries WHERE id = 11 AND attempts = 1"
			" AND next_attempt = 500 AND last_error LIKE '451%'"), 1, "the retry keeps its reply");
	tap_int(raw_int("SELECT count(*) FROM outbound WHERE state = 'done'"), 0,
		"the post is not done while rows are queued");
	tap_int(store_delivery_settle(s, r, 1, &error), STORE_OK, "a result for a row no longer queued");
	tap_int(raw_int("SELECT attempts FROM deliveries WHERE id = 10"), 1, "changes nothing");
	r[1].state = "delivered";
	r[1].error = NULL;
	tap_int(store_delivery_settle(s, r + 1, 2, &error), STORE_OK, "the last two");
	tap_int(raw_int("SELECT count(*) FROM outbound WHERE id = (SELECT max(id) FROM outbound)"
			" AND state = 'done'"), 1, "now the post is done");
	tap_int(store_list_token_key(s, "q@example.org", fresh, sizeof(fresh), key, sizeof(key),
				     &len, &error), STORE_OK, "a token key, made on first use");
	tap_mem(key, len, fresh, sizeof(fresh), "from the fresh bytes given");
	tap_int(store_list_token_key(s, "Q@example.org", other, sizeof(other), key2, sizeof(key2),
				     &len2, &error), STORE_OK, "asked again with other bytes");
	tap_mem(key2, len2, fresh, sizeof(fresh), "the first key stays (racing workers agree)");
	tap_int(store_list_token_key(s, "none@example.org", fresh, sizeof(fresh), key, sizeof(key),
				     &len, &error), STORE_NO_LIST, "no key for an unknown list");
}

int main(void)
{
	struct store *s;

	test_migrations();
	test_not_a_database();
	fresh_db();
	if ((s = open_ok("open a database for the list tests")) != NULL) {
		test_lists(s);
		test_member_add(s);
		test_member_remove(s);
		test_settings(s);
		test_default_moderation(s);
		test_delete_cascades(s);
		test_key_add(s);
		test_key_get(s);
		test_key_each(s);
		test_inbox(s);
		test_delivery(s);
		store_close(s);
	}
	fresh_db();	/* removes the last one */
	rmdir(test_dir);
	return tap_done();
}
