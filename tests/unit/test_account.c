/*
 * NAME
 *	test_account 1
 * SUMMARY
 *	unit tests for src/account.c (passwords) and src/store_account.c
 *	(web accounts, roles, sessions, the login throttle)
 * DESCRIPTION
 *	The scrypt hashes are checked against vectors made with Python's
 *	hashlib.scrypt (another implementation), not only against
 *	account.c's own output.  The store is a real database file; what it
 *	wrote is read back with SQLite directly where it matters (the
 *	session id is never stored, only its hash).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "account.h"
#include "store.h"
#include "tap.h"

#define PW	"correct horse battery"
/* hashlib.scrypt(PW, salt=bytes(range(16)), n=1024, r=8, p=1, dklen=32) */
#define VEC_LN10 "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$" \
	"hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWk="
/* the same with n=2048, r=4, p=2 */
#define VEC_LN11 "$scrypt$ln=11,r=4,p=2$AAECAwQFBgcICQoLDA0ODw==$" \
	"S7WKfE/1PLE44RBzjYaFrTBrEnRB7IMFS3yzc4KkiRk="

static int verify(const char *pw, const char *stored)
{
	return account_verify(pw, strlen(pw), stored);
}

static void test_names(void)
{
	char	long_name[70];

	tap_ok(account_name_ok("alice"), "alice is a name");
	tap_ok(account_name_ok("A.b_c-d@example.org"), "letters, digits, ._@- are allowed");
	tap_ok(!account_name_ok(""), "empty is not a name");
	tap_ok(!account_name_ok("al ice"), "a blank is not allowed");
	tap_ok(!account_name_ok("al/ice"), "a slash is not allowed");
	memset(long_name, 'a', 64);
	long_name[64] = '\0';
	tap_ok(account_name_ok(long_name), "64 characters are allowed");
	strcat(long_name, "a");
	tap_ok(!account_name_ok(long_name), "65 are not");
	tap_ok(account_password_problem("1234567", 7) != NULL, "7 octets are too short");
	tap_ok(account_password_problem("12345678", 8) == NULL, "8 octets are enough");
	tap_ok(account_password_problem(long_name, 1024) == NULL, "1024 octets are allowed");
	tap_ok(account_password_problem(long_name, 1025) != NULL, "1025 are not");
}

static void test_vectors(void)
{
	tap_ok(verify(PW, VEC_LN10) == 1, "a hash made by hashlib.scrypt (ln=10) verifies");
	tap_ok(verify(PW, VEC_LN11) == 1, "its parameters are read (ln=11, r=4, p=2)");
	tap_ok(verify("correct horse batterz", VEC_LN10) == 0, "a wrong password does not");
	tap_ok(verify("", VEC_LN10) == 0, "nor an empty one");
	/* tampered: one parameter, one salt or hash character, the form */
	tap_ok(verify(PW, "$scrypt$ln=11,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$"
		      "hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWk=") == 0, "another N fails");
	tap_ok(verify(PW, "$scrypt$ln=10,r=8,p=1$BAECAwQFBgcICQoLDA0ODw==$"
		      "hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWk=") == 0, "another salt fails");
	tap_ok(verify(PW, "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$"
		      "hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWs=") == 0, "another hash fails");
	tap_ok(verify(PW, "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$"
		      "hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOW") == 0, "a cut hash fails");
	tap_ok(verify(PW, "$scrypt$ln=10,r=8$AAECAwQFBgcICQoLDA0ODw==$"
		      "hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWk=") == 0, "a missing p fails");
	tap_ok(verify(PW, "$scrypt$ln=40,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$"
		      "hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWk=") == 0,
	       "an absurd N is refused, not computed");
	tap_ok(verify(PW, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g") == 0,
	       "a foreign hash never matches");
	tap_ok(verify(PW, "") == 0, "an empty stored value never matches");
	tap_ok(verify(PW, PW) == 0, "a password stored as is never matches");
}

static void test_hash(void)
{
	char	a[ACCOUNT_HASH_SIZE], b[ACCOUNT_HASH_SIZE];
	struct timespec t0, t1;
	double	ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	tap_ok(account_hash(PW, strlen(PW), a) == 0, "hash with the default parameters");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double) (t1.tv_sec - t0.tv_sec) * 1e3 + (double) (t1.tv_nsec - t0.tv_nsec) / 1e6;
	tap_diag("one scrypt hash (ln=%d, r=%d, p=%d) took %.0f ms", ACCOUNT_SCRYPT_LN,
		 ACCOUNT_SCRYPT_R, ACCOUNT_SCRYPT_P, ms);
	tap_ok(strncmp(a, "$scrypt$ln=15,r=8,p=1$", 22) == 0, "the parameters are in it: %s", a);
	tap_int((long long) strlen(a), 22 + 24 + 1 + 44, "salt 16 and hash 32 octets, base64");
	tap_ok(verify(PW, a) == 1, "it verifies");
	tap_ok(verify("correct horse batter", a) == 0, "a wrong password does not");
	tap_ok(account_hash(PW, strlen(PW), b) == 0 && strcmp(a, b) != 0,
	       "the same password hashes differently (random salt)");
	tap_ok(account_hash_params(PW, strlen(PW), 10, 8, 1, b) == 0
	       && strncmp(b, "$scrypt$ln=10,r=8,p=1$", 22) == 0 && verify(PW, b) == 1,
	       "other parameters are stored and used");
	a[strlen(a) - 3] ^= 1;
	tap_ok(verify(PW, a) == 0, "a flipped bit in the hash fails");
	tap_ok(account_hash_params(PW, strlen(PW), 99, 8, 1, b) < 0, "absurd parameters refused");
}

/* The store part */

static char test_db[300];

static long long raw_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
	    && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

struct rows {
	char	text[512];
};

static int collect(const struct store_web_role_row *row, void *ctx)
{
	struct rows *r = ctx;
	size_t	n = strlen(r->text);

	snprintf(r->text + n, sizeof(r->text) - n, "%s/%d/%s/%s;", row->user, row->site_admin,
		 row->list ? row->list : "-", row->role ? row->role : "-");
	return 0;
}

static void test_store_users(struct store *s)
{
	struct store_web_user u;
	struct rows r = {""};
	char	role[16];
	int	changed;
	const char *err;

	tap_int(store_list_create(s, "dev@example.org", NULL, &err), STORE_OK, "a list");
	tap_int(store_web_user_add(s, "root", "$scrypt$x", 1, NULL, NULL, 100, &err), STORE_OK,
		"a site admin");
	tap_int(store_web_user_add(s, "Alice", "$scrypt$a", 0, "dev@example.org", "owner", 100,
				   &err), STORE_OK, "an owner of dev");
	tap_int(store_web_user_add(s, "alice", "$scrypt$b", 0, NULL, NULL, 100, &err),
		STORE_EXISTS, "names are the same in any case");
	tap_int(store_web_user_add(s, "bob", "$scrypt$b", 0, "nope@example.org", "owner", 100,
				   &err), STORE_NO_LIST, "no account for a missing list");
	tap_int(raw_int("SELECT count(*) FROM web_users WHERE name = 'bob'"), 0,
		"... not even without the role");
	tap_int(store_web_user_get(s, "ALICE", &u, &err), STORE_OK, "found in another case");
	tap_str(u.name, "Alice", "as created");
	tap_int(store_web_role_get(s, "alice", "DEV@example.org", role, &err), STORE_OK, "a role");
	tap_str(role, "owner", "owner");
	tap_int(store_web_role_set(s, "alice", "dev@example.org", "moderator", &changed, &err),
		STORE_OK, "becomes moderator");
	tap_int(changed, 1, "changed");
	tap_int(store_web_role_set(s, "alice", "dev@example.org", "moderator", &changed, &err),
		STORE_OK, "moderator again");
	tap_int(changed, 0, "unchanged");
	tap_int(store_web_role_set(s, "alice", "dev@example.org", "king", &changed, &err),
		STORE_INVALID, "no such role");
	tap_int(store_web_role_set(s, "carol", "dev@example.org", "owner", &changed, &err),
		STORE_NOT_FOUND, "no such account");
	tap_int(store_web_user_each(s, collect, &r, &err), STORE_OK, "each");
	tap_str(r.text, "Alice/0/dev@example.org/moderator;root/1/-/-;", "accounts and roles");
	tap_int(store_web_role_remove(s, "alice", "dev@example.org", &err), STORE_OK, "remove role");
	tap_int(store_web_role_remove(s, "alice", "dev@example.org", &err), STORE_NOT_FOUND,
		"no role to remove");
	tap_int(store_web_role_get(s, "alice", "dev@example.org", role, &err), STORE_OK, "get");
	tap_str(role, "", "no role");
	tap_int(store_web_role_set(s, "alice", "dev@example.org", "owner", &changed, &err),
		STORE_OK, "owner again");
	tap_int(store_list_delete(s, "dev@example.org", &err), STORE_OK, "delete the list");
	tap_int(raw_int("SELECT count(*) FROM web_roles"), 0, "its roles went with it");
	tap_int(store_web_user_set_admin(s, "alice", 1, 200, &err), STORE_OK, "alice site admin");
	tap_int(store_web_user_set_admin(s, "nobody", 1, 200, &err), STORE_NOT_FOUND, "nobody");
}

static void test_store_sessions(struct store *s)
{
	unsigned char id1[32], id2[32];
	struct store_web_session ws;
	const char *err;

	memset(id1, 1, sizeof(id1));
	memset(id2, 2, sizeof(id2));
	tap_int(store_web_session_add(s, id1, "Alice", "c1", 1000, 1000 + 3600, &err), STORE_OK,
		"a session");
	tap_int(store_web_session_add(s, id2, "root", "c2", 1000, 1000 + 3600, &err), STORE_OK,
		"another");
	tap_int(store_web_session_get(s, id1, 1100, 200, &ws, &err), STORE_OK, "found");
	tap_str(ws.user, "Alice", "its user");
	tap_str(ws.csrf, "c1", "its csrf");
	tap_int(ws.site_admin, 1, "the account's site admin flag");
	tap_int(raw_int("SELECT last_seen FROM web_sessions WHERE hex(id_hash) LIKE '0101%'"), 1100, "last_seen refreshed");
	tap_int(store_web_session_get(s, id1, 1250, 200, &ws, &err), STORE_OK, "used within idle");
	tap_int(store_web_session_get(s, id1, 1500, 200, &ws, &err), STORE_NOT_FOUND,
		"idle too long: gone");
	tap_int(raw_int("SELECT count(*) FROM web_sessions WHERE hex(id_hash) LIKE '0101%'"), 0,
		"and deleted");
	tap_int(store_web_session_get(s, id2, 4600, 99999, &ws, &err), STORE_NOT_FOUND,
		"past its absolute expiry: gone");
	tap_int(store_web_session_add(s, id1, "Alice", "c1", 5000, 9000, &err), STORE_OK, "again");
	tap_int(store_web_user_passwd(s, "alice", "$scrypt$new", 5001, &err), STORE_OK, "passwd");
	tap_int(store_web_session_get(s, id1, 5002, 200, &ws, &err), STORE_NOT_FOUND,
		"a new password ends the sessions");
	tap_int(store_web_session_add(s, id1, "Alice", "c1", 5000, 9000, &err), STORE_OK, "again");
	tap_int(store_web_session_delete(s, id1, &err), STORE_OK, "logout");
	tap_int(store_web_session_get(s, id1, 5002, 200, &ws, &err), STORE_NOT_FOUND, "ended");
	tap_int(store_web_session_add(s, id1, "Alice", "c1", 5000, 9000, &err), STORE_OK, "again");
	tap_int(store_web_session_add(s, id2, "root", "c2", 5000, 5100, &err), STORE_OK, "short");
	tap_int(store_web_purge(s, 6000, 7200, &err), STORE_OK, "purge");
	tap_int(raw_int("SELECT count(*) FROM web_sessions"), 1, "the expired one is purged");
	tap_int(store_web_user_remove(s, "alice", &err), STORE_OK, "remove alice");
	tap_int(store_web_user_remove(s, "alice", &err), STORE_NOT_FOUND, "gone");
	tap_int(raw_int("SELECT count(*) FROM web_sessions"), 0, "her sessions too");
	tap_int(store_web_user_passwd(s, "alice", "$scrypt$new", 5001, &err), STORE_NOT_FOUND,
		"no passwd for nobody");
}

static void test_store_throttle(struct store *s)
{
	const struct store_web_throttle t = {3, 900, 900, 3600};
	long long until, now = 10000;
	const char *err;
	int	i;

	for (i = 0; i < 2; i++)
		store_web_login_failed(s, "user:x", now + i, &t, &until, &err);
	tap_int(until, 0, "two failures: not locked");
	store_web_login_failed(s, "user:x", now + 2, &t, &until, &err);
	tap_int(until, now + 2 + 900, "the third locks for the lock time");
	tap_int(store_web_login_locked(s, "user:x", now + 10, &until, &err), STORE_OK, "locked?");
	tap_int(until, now + 902, "locked");
	tap_int(store_web_login_locked(s, "user:y", now + 10, &until, &err), STORE_OK, "other?");
	tap_int(until, 0, "another key is not");
	tap_int(store_web_login_locked(s, "user:x", now + 903, &until, &err), STORE_OK, "later?");
	tap_int(until, 0, "the lock ends");
	now += 1000;
	for (i = 0; i < 3; i++)
		store_web_login_failed(s, "user:x", now + i, &t, &until, &err);
	tap_int(until, now + 2 + 1800, "the next lock is twice as long");
	now += 2000;
	for (i = 0; i < 3; i++)
		store_web_login_failed(s, "user:x", now + i, &t, &until, &err);
	tap_int(until, now + 2 + 3600, "then four times (the maximum)");
	now += 4000;
	for (i = 0; i < 3; i++)
		store_web_login_failed(s, "user:x", now + i * 500, &t, &until, &err);
	tap_int(until, 0, "failures spread beyond the window do not lock");
	tap_int(store_web_login_clear(s, "user:x", &err), STORE_OK, "clear");
	tap_int(raw_int("SELECT count(*) FROM web_login_failures WHERE key = 'user:x'"), 0,
		"a success forgets the key");
	store_web_login_failed(s, "user:z", now, &t, &until, &err);
	tap_int(store_web_purge(s, now + 2 * 86400, 7200, &err), STORE_OK, "purge");
	tap_int(raw_int("SELECT count(*) FROM web_login_failures"), 0, "old rows are purged");
}

static void test_store(void)
{
	const char *tmp = getenv("TMPDIR"), *err;
	char	dir[256];
	struct store *s;

	snprintf(dir, sizeof(dir), "%s/test_account.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(99);
	}
	snprintf(test_db, sizeof(test_db), "%s/sealist.db", dir);
	if ((s = store_open(test_db, &err)) == NULL) {
		tap_ok(0, "store_open: %s", err);
		return;
	}
	test_store_users(s);
	test_store_sessions(s);
	test_store_throttle(s);
	store_close(s);
	unlink(test_db);
	strcat(test_db, "-wal");
	unlink(test_db);
	test_db[strlen(test_db) - 4] = '\0';
	strcat(test_db, "-shm");
	unlink(test_db);
	rmdir(dir);
}

int main(void)
{
	test_names();
	test_vectors();
	test_hash();
	test_store();
	return tap_done();
}
