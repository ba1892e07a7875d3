/*
 * NAME
 *	store 3
 * SUMMARY
 *	the database: connection, statements, errors, lists and settings
 * DESCRIPTION
 *	See store.h.  Every SQL text of the program is in store_sql[] below
 *	or in the table of another store file (store_account.c)
 *	(the migrations excepted, which are db/NNN_name.sql); statements are
 *	prepared once per connection, on first use, and reset before reuse.
 *	Values always travel as bound parameters, never inside SQL text.
 *
 *	Members are in store_member.c, the migrations runner in
 *	store_migrate.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "addr/addr.h"
#include "sealist_limits.h"
#include "settings.h"
#include "store.h"

/* Error messages are one line about one address or name. */
#define STORE_ERROR_MAX	1024

/* An outbound row with its list's address (store_outbound_row reads it). */
#define SQL_OUTBOUND_SELECT \
	"SELECT o.id, o.inbox_id, o.kind, o.envelope_from, o.recipients, o.message," \
	" o.aar, o.arc_cv, o.state, l.local_part || '@' || d.name, o.created_at FROM outbound o" \
	" JOIN lists l ON l.id = o.list_id JOIN domains d ON d.id = l.domain_id"

static const char *const store_sql[SQL_COUNT] = {
	[SQL_BEGIN] = "BEGIN IMMEDIATE",
	[SQL_COMMIT] = "COMMIT",
	[SQL_ROLLBACK] = "ROLLBACK",
	[SQL_MIG_CREATE] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" applied_at INTEGER NOT NULL) STRICT",
	[SQL_MIG_MAX] = "SELECT coalesce(max(version), 0) FROM schema_migrations",
	[SQL_MIG_HAS] = "SELECT 1 FROM schema_migrations WHERE version = ?1",
	[SQL_MIG_INSERT] =
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
	[SQL_DOMAIN_UPSERT] =
	"INSERT INTO domains (name, created_at) VALUES (?1, ?2)"
	" ON CONFLICT (name) DO NOTHING",
	[SQL_DOMAIN_ID] = "SELECT id FROM domains WHERE name = ?1",
	[SQL_LIST_FIND] =
	"SELECT l.id, l.created_at FROM lists l JOIN domains d ON d.id = l.domain_id"
	" WHERE d.name = ?1 AND l.local_part = ?2",
	[SQL_LIST_INSERT] =
	"INSERT INTO lists (domain_id, local_part, created_at) VALUES (?1, ?2, ?3)",
	[SQL_LIST_DELETE] = "DELETE FROM lists WHERE id = ?1",
	[SQL_LIST_ALL] =
	"SELECT l.id, l.local_part, d.name, l.created_at,"
	/* H6: the count the triggers of db/015 keep, not count(*) per list */
	" coalesce((SELECT c.members FROM list_member_counts c WHERE c.list_id = l.id), 0)"
	" FROM lists l JOIN domains d ON d.id = l.domain_id"
	" ORDER BY d.name, l.local_part",
	[SQL_LIST_COUNTS] =
	"SELECT count(*), coalesce(sum(delivery_mode = 'regular'), 0),"
	" coalesce(sum(delivery_mode = 'digest'), 0),"
	" coalesce(sum(delivery_mode = 'nomail'), 0),"
	" coalesce(sum(status = 'disabled'), 0), coalesce(sum(moderated), 0)"
	" FROM members WHERE list_id = ?1",
	[SQL_OWNER_INSERT] =
	"INSERT INTO list_owners (list_id, address, address_key) VALUES (?1, ?2, ?3)",
	[SQL_OWNER_ALL] =
	"SELECT address FROM list_owners WHERE list_id = ?1 ORDER BY address_key",
	[SQL_SETTING_GET] =
	"SELECT value FROM list_settings WHERE list_id = ?1 AND name = ?2",
	[SQL_SETTING_ALL] = "SELECT name, value FROM list_settings WHERE list_id = ?1",
	[SQL_SETTING_SET] =
	"INSERT INTO list_settings (list_id, name, value) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (list_id, name) DO UPDATE SET value = excluded.value",
	[SQL_SETTING_UNSET] = "DELETE FROM list_settings WHERE list_id = ?1 AND name = ?2",
	[SQL_MEMBER_FIND] =
	"SELECT address FROM members WHERE list_id = ?1 AND address_key = ?2",
	[SQL_MEMBER_INSERT] =
	"INSERT INTO members (list_id, address, address_key, display_name,"
	" delivery_mode, moderated, subscribed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[SQL_MEMBER_DELETE] = "DELETE FROM members WHERE list_id = ?1 AND address_key = ?2",
	[SQL_MEMBER_ALL] =
	"SELECT address, display_name, delivery_mode, status, moderated, subscribed_at"
	" FROM members WHERE list_id = ?1 ORDER BY address_key",
	/* the first key of an algorithm signs at once: nothing to switch from */
	[SQL_KEY_INSERT] =
	"INSERT INTO dkim_keys (domain, selector, algorithm, bits, path, created_at, signing)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, NOT EXISTS (SELECT 1 FROM dkim_keys"
	" WHERE domain = ?1 AND algorithm = ?3 AND signing = 1))",
	/* two steps: the unique index allows one signing key at every moment */
	[SQL_KEY_UNUSE] =
	"UPDATE dkim_keys SET signing = 0 WHERE domain = ?1 AND signing = 1 AND algorithm ="
	" (SELECT algorithm FROM dkim_keys WHERE domain = ?1 AND selector = ?2)",
	[SQL_KEY_USE] = "UPDATE dkim_keys SET signing = 1 WHERE domain = ?1 AND selector = ?2",
	[SQL_KEY_GET] =
	"SELECT domain, selector, algorithm, bits, path, created_at, signing FROM dkim_keys"
	" WHERE domain = ?1 AND selector = ?2",
	[SQL_KEY_ALL] =
	"SELECT domain, selector, algorithm, bits, path, created_at, signing FROM dkim_keys"
	" ORDER BY domain, selector",
	[SQL_KEY_DOMAIN] =
	"SELECT domain, selector, algorithm, bits, path, created_at, signing FROM dkim_keys"
	" WHERE domain = ?1 ORDER BY selector",
	[SQL_MEMBER_GET] =
	"SELECT address, display_name, delivery_mode, status, moderated, subscribed_at"
	" FROM members WHERE list_id = ?1 AND address_key = ?2",
	[SQL_INBOX_INSERT] =
	"INSERT INTO inbox (received_at, envelope_from, client_ip, client_name, helo,"
	" message, size, updated_at, digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1, ?8)",
	[SQL_INBOX_DUP] =
	"SELECT id FROM inbox WHERE digest = ?1 AND received_at >= ?2 ORDER BY id DESC LIMIT 1",
	[SQL_RCPT_HAS] = "SELECT 1 FROM inbox_rcpt WHERE inbox_id = ?1 AND address = ?2",
	[SQL_BOUNCE_GET] =
	"SELECT id, status, bounce_score, bounce_last FROM members"
	" WHERE list_id = ?1 AND address_key = ?2",
	[SQL_BOUNCE_DMARC] = "UPDATE members SET bounce_dmarc = bounce_dmarc + 1 WHERE id = ?1",
	[SQL_BOUNCE_SET] = "UPDATE members SET bounce_score = ?2, bounce_last = ?3 WHERE id = ?1",
	[SQL_BOUNCE_DISABLE] =
	"UPDATE members SET status = 'disabled', disabled_by = 'bounce', notices_left = ?2,"
	" last_notice = 0 WHERE id = ?1",
	[SQL_BOUNCE_ALL] =
	"SELECT address, status, coalesce(disabled_by, ''), bounce_score, bounce_last,"
	" bounce_dmarc, notices_left FROM members WHERE list_id = ?1 AND (bounce_score > 0"
	" OR bounce_dmarc > 0 OR disabled_by IS NOT NULL) ORDER BY address_key",
	[SQL_QUEUE_MEMBERS] =
	"INSERT INTO deliveries (outbound_id, recipient, next_attempt)"
	" SELECT ?1, address, ?2 FROM members WHERE list_id = ?3"
	" AND delivery_mode = 'regular' AND status = 'enabled'"
	" AND NOT (myposts = 0 AND address_key = lower(?4))",
	[SQL_QUEUE_ONE] =
	"INSERT INTO deliveries (outbound_id, recipient, next_attempt) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (outbound_id, recipient) DO NOTHING",
	[SQL_QUEUE_SUMMARY] =
	"SELECT o.id, l.local_part || '@' || d.name, o.kind, o.created_at,"
	" coalesce(sum(q.state = 'queued'), 0), coalesce(sum(q.state = 'delivered'), 0),"
	" coalesce(sum(q.state = 'bounced'), 0), min(CASE WHEN q.state = 'queued'"
	" THEN q.next_attempt END) FROM outbound o JOIN lists l ON l.id = o.list_id"
	" JOIN domains d ON d.id = l.domain_id LEFT JOIN deliveries q ON q.outbound_id = o.id"
	" GROUP BY o.id ORDER BY o.id",
	[SQL_QUEUE_RETRY_ALL] =
	"UPDATE deliveries SET next_attempt = ?1 WHERE state = 'queued' AND next_attempt > ?1",
	/* deliveries_due in index order: a post's rows come out together,
	   in id order (ties on next_attempt are ordered by rowid) */
	[SQL_DELIVERY_DUE] =
	"SELECT q.id, q.outbound_id, q.recipient, q.attempts, o.created_at"
	" FROM deliveries q INDEXED BY deliveries_due JOIN outbound o ON o.id = q.outbound_id"
	" WHERE q.state = 'queued' AND q.next_attempt <= ?1 AND q.id % ?2 = ?3"
	" ORDER BY q.state, q.next_attempt LIMIT ?4",
	[SQL_DELIVERY_SETTLE] =
	"UPDATE deliveries SET state = ?2, attempts = attempts + 1, next_attempt = ?3,"
	" last_error = ?4 WHERE id = ?1 AND state = 'queued'",
	[SQL_OUTBOUND_FINISHED] =
	"UPDATE outbound SET state = 'done' WHERE id = ?1 AND state <> 'done' AND NOT EXISTS"
	" (SELECT 1 FROM deliveries WHERE outbound_id = ?1 AND state = 'queued')",
	[SQL_OUTBOUND_ONE] = SQL_OUTBOUND_SELECT " WHERE o.id = ?1",
	[SQL_TOKEN_KEY_SET] = "UPDATE lists SET token_key = ?2 WHERE id = ?1 AND token_key IS NULL",
	[SQL_TOKEN_KEY_GET] = "SELECT token_key FROM lists WHERE id = ?1",
	[SQL_QUEUE_RETRY_ONE] =
	"UPDATE deliveries SET next_attempt = ?1 WHERE state = 'queued' AND next_attempt > ?1"
	" AND outbound_id = ?2",
	[SQL_INBOX_ATTEMPT] =
	"UPDATE inbox SET attempts = attempts + 1, last_error = ?2, updated_at = ?3"
	" WHERE id = ?1 RETURNING attempts",
	[SQL_RCPT_INSERT] =
	"INSERT INTO inbox_rcpt (inbox_id, address, list_id, role, tag)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[SQL_INBOX_NEXT] =
	"SELECT id, received_at, envelope_from, client_ip, client_name, helo, state,"
	" authres, verdict, message FROM inbox"
	" WHERE state = ?1 AND id > ?2 AND id % ?3 = ?4 ORDER BY id LIMIT 1",
	[SQL_INBOX_GET] =
	"SELECT id, received_at, envelope_from, client_ip, client_name, helo, state,"
	" authres, verdict, message FROM inbox WHERE id = ?1",
	[SQL_INBOX_AUTHENTICATED] =
	"UPDATE inbox SET state = 'authenticated', authres = ?2, verdict = ?3,"
	" updated_at = ?4 WHERE id = ?1 AND state = 'new'",
	[SQL_RCPT_ALL] =
	"SELECT r.address, r.role, r.tag, r.state, r.list_id, l.local_part, d.name"
	" FROM inbox_rcpt r JOIN lists l ON l.id = r.list_id"
	" JOIN domains d ON d.id = l.domain_id WHERE r.inbox_id = ?1 ORDER BY r.address",
	[SQL_RCPT_FINISH] =
	"UPDATE inbox_rcpt SET state = ?3, reason = ?4"
	" WHERE inbox_id = ?1 AND address = ?2 AND state = ?5",
	[SQL_RCPT_PENDING] =
	"SELECT count(*) FROM inbox_rcpt WHERE inbox_id = ?1 AND state = 'pending'",
	[SQL_INBOX_DONE] =
	"UPDATE inbox SET state = 'done', updated_at = ?2 WHERE id = ?1",
	[SQL_OUTBOUND_INSERT] =
	"INSERT INTO outbound (list_id, inbox_id, kind, envelope_from, recipients,"
	" message, aar, arc_cv, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[SQL_OUTBOUND_ALL] = SQL_OUTBOUND_SELECT " ORDER BY o.id",
	[SQL_HELD_INSERT] =
	"INSERT INTO held (inbox_id, list_id, rcpt_address, reason, token, sender, subject,"
	" notify_poster, held_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[SQL_HELD_ALL] =
	"SELECT h.id, h.inbox_id, l.local_part || '@' || d.name, h.rcpt_address, h.reason,"
	" h.token, h.sender, h.subject, h.notify_poster, h.held_at FROM held h"
	" JOIN lists l ON l.id = h.list_id JOIN domains d ON d.id = l.domain_id"
	" WHERE ?1 IS NULL OR h.list_id = ?1 ORDER BY h.id",
	[SQL_HELD_GET] =
	"SELECT h.id, h.inbox_id, l.local_part || '@' || d.name, h.rcpt_address, h.reason,"
	" h.token, h.sender, h.subject, h.notify_poster, h.held_at FROM held h"
	" JOIN lists l ON l.id = h.list_id JOIN domains d ON d.id = l.domain_id"
	" WHERE h.id = ?1 OR h.token = ?2",
	[SQL_HELD_DELETE] = "DELETE FROM held WHERE id = ?1",
	/* the bounce lifecycle: a step is due once interval days (?2) have
	   begun since the day of the last notice (Mailman 2.1 counts days) */
	[SQL_BOUNCE_DUE] =
	"SELECT address, notices_left, bounce_last, last_notice FROM members"
	" WHERE list_id = ?1 AND status = 'disabled' AND disabled_by = 'bounce'"
	" AND (last_notice / 86400 + ?2) * 86400 <= ?3 ORDER BY address_key",
	[SQL_BOUNCE_WARN] =
	"UPDATE members SET notices_left = notices_left - 1, last_notice = ?3"
	" WHERE id = ?1 AND status = 'disabled' AND disabled_by = 'bounce'"
	" AND notices_left > 0 AND (last_notice / 86400 + ?2) * 86400 <= ?3",
	[SQL_BOUNCE_REMOVE] =
	"DELETE FROM members WHERE id = ?1 AND status = 'disabled' AND disabled_by = 'bounce'"
	" AND notices_left <= 0 AND (last_notice / 86400 + ?2) * 86400 <= ?3",
	/* member import: rows inserted by the import have ids above this */
	[SQL_MEMBERS_MAX_ID] = "SELECT coalesce(max(id), 0) FROM members",
	[SQL_MEMBERS_FIND_ID] =
	"SELECT id, address FROM members WHERE list_id = ?1 AND address_key = ?2",
	/* ---- mail commands (store_request.c, db/009_requests.sql) ---- */
#define SQL_REQUEST_SELECT \
	"SELECT r.id, l.local_part || '@' || d.name, r.kind, r.address, r.name, r.delivery," \
	" r.token, r.state, r.requested_by, r.created_at, r.expires_at, r.last_sent_at," \
	" r.needs_approval FROM pending_requests r JOIN lists l ON l.id = r.list_id" \
	" JOIN domains d ON d.id = l.domain_id"
	[SQL_REQUEST_LIVE] = SQL_REQUEST_SELECT
	" WHERE r.list_id = ?1 AND r.kind = ?2 AND r.address_key = ?3 AND r.expires_at > ?4"
	" AND r.state IN ('awaiting_confirmation', 'awaiting_approval')",
	/* an expired live row would block a new one (pending_requests_live) */
	[SQL_REQUEST_EXPIRE] =
	"UPDATE pending_requests SET state = 'expired' WHERE list_id = ?1 AND kind = ?2"
	" AND address_key = ?3 AND expires_at <= ?4"
	" AND state IN ('awaiting_confirmation', 'awaiting_approval')",
	[SQL_REQUEST_INSERT] =
	"INSERT INTO pending_requests (list_id, kind, address, address_key, name, delivery,"
	" token, created_at, expires_at, last_sent_at, state, needs_approval, requested_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[SQL_REQUEST_GET] = SQL_REQUEST_SELECT " WHERE r.token = ?1",
	[SQL_REQUEST_BY_ID] = SQL_REQUEST_SELECT " WHERE r.id = ?1",
	[SQL_REQUEST_SENT] = "UPDATE pending_requests SET last_sent_at = ?2 WHERE id = ?1",
	[SQL_REQUEST_MOVE] =
	"UPDATE pending_requests SET state = ?3 WHERE id = ?1 AND state = ?2 AND expires_at > ?4",
	[SQL_REQUEST_EACH] = SQL_REQUEST_SELECT
	" WHERE (?1 IS NULL OR r.list_id = ?1) AND r.expires_at > ?2"
	" AND r.state IN ('awaiting_confirmation', 'awaiting_approval') ORDER BY r.id",
	[SQL_REQUEST_PRUNE] = "DELETE FROM pending_requests WHERE expires_at < ?1",
	[SQL_REQUEST_MEMBER_INSERT] =
	"INSERT INTO members (list_id, address, address_key, display_name,"
	" delivery_mode, moderated, subscribed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	" ON CONFLICT (list_id, address_key) DO NOTHING",
	[SQL_REQUEST_MEMBER_DELETE] = "DELETE FROM members WHERE list_id = ?1 AND address_key = ?2",
	[SQL_REQUEST_REPLY_COUNT] =
	"SELECT count(*) FROM request_replies WHERE address_key = ?1 AND sent_at > ?2",
	[SQL_REQUEST_REPLY_INSERT] =
	"INSERT INTO request_replies (address_key, sent_at) VALUES (?1, ?2)",
	[SQL_REQUEST_REPLY_PRUNE] = "DELETE FROM request_replies WHERE sent_at <= ?1",
	[SQL_REQUEST_MEMBER_OPTIONS] =
	"SELECT delivery_mode, status, coalesce(disabled_by, ''), ack, myposts FROM members"
	" WHERE list_id = ?1 AND address_key = ?2",
	/* delivery off: a member disabled otherwise stays disabled by that */
	[SQL_REQUEST_MEMBER_DISABLE] =
	"UPDATE members SET status = 'disabled', disabled_by = CASE WHEN status = 'enabled'"
	" THEN 'member' ELSE disabled_by END WHERE list_id = ?1 AND address_key = ?2",
	/* delivery on: not over an admin's disabling; bounces start afresh */
	[SQL_REQUEST_MEMBER_ENABLE] =
	"UPDATE members SET status = 'enabled', disabled_by = NULL, bounce_score = 0,"
	" notices_left = 0 WHERE list_id = ?1 AND address_key = ?2"
	" AND coalesce(disabled_by, 'member') IN ('member', 'bounce')",
	[SQL_REQUEST_MEMBER_MODE] =
	"UPDATE members SET delivery_mode = ?3 WHERE list_id = ?1 AND address_key = ?2",
	[SQL_REQUEST_MEMBER_ACK] =
	"UPDATE members SET ack = ?3 WHERE list_id = ?1 AND address_key = ?2",
	[SQL_REQUEST_MEMBER_MYPOSTS] =
	"UPDATE members SET myposts = ?3 WHERE list_id = ?1 AND address_key = ?2",
	/* ---- B: web admin overview, bounces, queue (store_admin.c) ---- */
	/* a delivery waits: queued before its first attempt, deferred after */
	[SQL_ADMIN_LIST_NUMBERS] =
	"SELECT (SELECT count(*) FROM held WHERE list_id = ?1),"
	" (SELECT count(*) FROM pending_requests WHERE list_id = ?1 AND state IN"
	" ('awaiting_confirmation', 'awaiting_approval') AND expires_at > ?2),"
	" (SELECT coalesce(sum(q.attempts = 0), 0) FROM deliveries q JOIN outbound o"
	" ON o.id = q.outbound_id WHERE o.list_id = ?1 AND q.state = 'queued'),"
	" (SELECT coalesce(sum(q.attempts > 0), 0) FROM deliveries q JOIN outbound o"
	" ON o.id = q.outbound_id WHERE o.list_id = ?1 AND q.state = 'queued'),"
	" (SELECT count(*) FROM members WHERE list_id = ?1 AND bounce_last >= ?3)",
	/* Per UTC day, authenticated inbound mail to the lists in ?2 (",1,5,"; NULL
	   all): DKIM from our Authentication-Results (pass: some signature passed;
	   fail: signatures, none passed), DMARC from the verdict lines. */
	[SQL_ADMIN_AUTH_DAYS] =
	"SELECT i.received_at / 86400,"
	" coalesce(sum(instr(i.authres, 'dkim=pass') > 0), 0),"
	" coalesce(sum(instr(i.authres, 'dkim=pass') = 0 AND instr(i.authres, 'dkim=') > 0"
	" AND instr(i.authres, 'dkim=none') = 0), 0),"
	" coalesce(sum(instr(char(10) || i.verdict, char(10) || 'dmarc=pass' || char(10)) > 0), 0),"
	" coalesce(sum(instr(char(10) || i.verdict, char(10) || 'dmarc=fail' || char(10)) > 0), 0)"
	" FROM inbox i WHERE i.received_at >= ?1 AND i.verdict IS NOT NULL"
	" AND i.authres IS NOT NULL AND EXISTS (SELECT 1 FROM inbox_rcpt r WHERE"
	" r.inbox_id = i.id AND (?2 IS NULL OR instr(?2, ',' || r.list_id || ',') > 0))"
	" GROUP BY 1 ORDER BY 1",
	/* delivered and bounced: of the mail queued since ?1 (rows keep no time
	   of their end) */
	[SQL_ADMIN_QUEUE_NUMBERS] =
	"SELECT coalesce(sum(q.state = 'queued' AND q.attempts = 0), 0),"
	" coalesce(sum(q.state = 'queued' AND q.attempts > 0), 0),"
	" coalesce(sum(q.state = 'delivered' AND o.created_at >= ?1), 0),"
	" coalesce(sum(q.state = 'bounced' AND o.created_at >= ?1), 0)"
	" FROM deliveries q JOIN outbound o ON o.id = q.outbound_id",
	[SQL_ADMIN_QUEUE_OLDEST] =
	"SELECT o.id, l.local_part || '@' || d.name, o.kind, o.created_at, count(*)"
	" FROM outbound o JOIN deliveries q ON q.outbound_id = o.id AND q.state = 'queued'"
	" JOIN lists l ON l.id = o.list_id JOIN domains d ON d.id = l.domain_id"
	" GROUP BY o.id ORDER BY o.created_at, o.id LIMIT 1",
	[SQL_ADMIN_QUEUE_ERRORS] =
	"SELECT q.id, q.outbound_id, l.local_part || '@' || d.name, q.recipient, q.state,"
	" q.attempts, q.next_attempt, q.last_error FROM deliveries q"
	" JOIN outbound o ON o.id = q.outbound_id JOIN lists l ON l.id = o.list_id"
	" JOIN domains d ON d.id = l.domain_id WHERE q.last_error IS NOT NULL"
	" ORDER BY q.id DESC LIMIT ?1",
	[SQL_ADMIN_BOUNCED] =
	"SELECT q.id, q.outbound_id, '', q.recipient, q.state, q.attempts, o.created_at,"
	" coalesce(q.last_error, '') FROM deliveries q JOIN outbound o ON o.id = q.outbound_id"
	" WHERE o.list_id = ?1 AND q.state = 'bounced' ORDER BY q.id DESC LIMIT ?2",
	/* ---- end B ---- */
};

/* Role suffixes: LIST-request@ and friends are the list's, not lists. */
static const char *const store_role_suffixes[] = {
	"-request", "-owner", "-bounces", "-confirm", "-join", "-leave", NULL
};

long long store_now(void)
{
	return (long long) time(NULL);
}

void store_lowercase(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char) (*s - 'A' + 'a');
}

int store_fail(struct store *s, int status, const char *fmt, ...)
{
	va_list	ap;

	buf_reset(&s->error);
	va_start(ap, fmt);
	if (buf_vprintf(&s->error, fmt, ap) < 0) {
		buf_reset(&s->error);
		(void) buf_append_str(&s->error, "error message too long");
	}
	va_end(ap);
	return status;
}

int store_db_fail(struct store *s, const char *what)
{
	return store_fail(s, STORE_ERROR, "%s: %s: %s", s->path, what,
			  sqlite3_errmsg(s->db));
}

int store_result(struct store *s, int status, const char **error_r)
{
	if (error_r != NULL)
		*error_r = status == STORE_OK ? NULL : buf_str(&s->error);
	return status;
}

sqlite3_stmt *store_stmt(struct store *s, enum store_sql which)
{
	return store_stmt_sql(s, which, store_sql[which]);
}

sqlite3_stmt *store_stmt_sql(struct store *s, enum store_sql which, const char *sql)
{
	sqlite3_stmt *st = s->stmt[which];

	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &st, NULL) != SQLITE_OK) {
		store_db_fail(s, "cannot prepare a statement");
		return NULL;
	}
	s->stmt[which] = st;
	return st;
}

int store_exec(struct store *s, sqlite3_stmt *st)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_db_fail(s, "cannot write");
	return STORE_OK;
}

static int store_exec_sql(struct store *s, enum store_sql which)
{
	sqlite3_stmt *st = store_stmt(s, which);

	return st == NULL ? STORE_ERROR : store_exec(s, st);
}

int store_begin(struct store *s)
{
	return store_exec_sql(s, SQL_BEGIN);
}

int store_commit(struct store *s)
{
	return store_exec_sql(s, SQL_COMMIT);
}

void store_rollback(struct store *s)
{
	/* Harmless when SQLite already rolled back (SQLITE_FULL, ...). */
	if (!sqlite3_get_autocommit(s->db))
		(void) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Opening */

/* store_open fails before a struct store exists; its reason lives here. */
static _Thread_local char store_open_error[STORE_ERROR_MAX];

static const char *store_open_fail(struct store *s, const char *what)
{
	(void) snprintf(store_open_error, sizeof(store_open_error), "%s", what);
	store_close(s);
	return store_open_error;
}

/*
 * The connection's settings.  WAL lets the daemon's readers work while a
 * writer commits; synchronous=FULL makes every commit durable before
 * LMTP's 250 (DESIGN: nothing is lost).  The daemon and the CLI write the
 * same file: a writer waits for another's transaction instead of failing
 * with SQLITE_BUSY.  Transactions are short (one message, one command),
 * so 5 seconds is far more than a wait should take, and short enough that
 * a stuck process shows up as an error rather than a hang.
 */
static int store_setup(struct store *s)
{
	sqlite3_stmt *st;
	int	rc;
	int	wal;

	if (sqlite3_busy_timeout(s->db, 5000) != SQLITE_OK)
		return store_db_fail(s, "cannot set the busy timeout");
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK)
		return store_db_fail(s, "cannot open");
	rc = sqlite3_step(st);
	wal = rc == SQLITE_ROW
	    && strcmp((const char *) sqlite3_column_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_db_fail(s, "cannot open");
	if (!wal)
		return store_fail(s, STORE_ERROR, "%s: cannot switch to WAL journal mode",
				  s->path);
	if (sqlite3_exec(s->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
			 NULL, NULL, NULL) != SQLITE_OK)
		return store_db_fail(s, "cannot set up the connection");
	return STORE_OK;
}

struct store *store_open(const char *path, const char **error_r)
{
	struct store *s;

	if (sqlite3_libversion_number() < 3037000) {
		(void) snprintf(store_open_error, sizeof(store_open_error),
				"SQLite %s is too old: sealist needs 3.37 or newer (STRICT tables)",
				sqlite3_libversion());
		*error_r = store_open_error;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		*error_r = "out of memory";
		return NULL;
	}
	buf_init(&s->error, STORE_ERROR_MAX);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		store_db_fail(s, "cannot open");
		*error_r = store_open_fail(s, buf_str(&s->error));
		return NULL;
	}
	if (store_setup(s) != STORE_OK || store_migrate(s) != STORE_OK) {
		*error_r = store_open_fail(s, buf_str(&s->error));
		return NULL;
	}
	*error_r = NULL;
	return s;
}

void store_close(struct store *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	/* sqlite3_close (not _v2): every statement is finalized above. */
	if (s->db != NULL)
		sqlite3_close(s->db);
	buf_free(&s->error);
	free(s->list_local);
	free(s->list_domain);
	free(s->list_address);
	free(s->row_copy);
	free(s->path);
	free(s);
}

int store_keep_row(struct store *s, const char *const *in, const char **out, size_t n)
{
	size_t	i, total = 0, len;
	char   *p;

	for (i = 0; i < n; i++)
		total += in[i] != NULL ? strlen(in[i]) + 1 : 0;
	free(s->row_copy);
	if ((s->row_copy = p = malloc(total ? total : 1)) == NULL)
		return store_fail(s, STORE_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		if (in[i] == NULL) {
			out[i] = NULL;
			continue;
		}
		len = strlen(in[i]) + 1;
		memcpy(p, in[i], len);
		out[i] = p;
		p += len;
	}
	return STORE_OK;
}

/* One integer from a PRAGMA with fixed text. */
static int store_pragma_int(struct store *s, const char *sql, long long *value_r)
{
	sqlite3_stmt *st;
	int	rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_fail(s, "cannot read the connection settings");
	rc = sqlite3_step(st);
	*value_r = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK
	    : store_db_fail(s, "cannot read the connection settings");
}

static int store_info_fill(struct store *s, struct store_info *info)
{
	sqlite3_stmt *st;
	long long v[3];

	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK)
		return store_db_fail(s, "cannot read the journal mode");
	if (sqlite3_step(st) == SQLITE_ROW)
		(void) snprintf(info->journal_mode, sizeof(info->journal_mode), "%s",
				(const char *) sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (store_pragma_int(s, "PRAGMA synchronous", &v[0]) != STORE_OK
	    || store_pragma_int(s, "PRAGMA foreign_keys", &v[1]) != STORE_OK
	    || store_pragma_int(s, "PRAGMA busy_timeout", &v[2]) != STORE_OK)
		return STORE_ERROR;
	info->synchronous = (int) v[0];
	info->foreign_keys = (int) v[1];
	info->busy_timeout_ms = (int) v[2];
	if ((st = store_stmt(s, SQL_MIG_MAX)) == NULL)
		return STORE_ERROR;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_fail(s, "cannot read the schema version");
	info->schema_version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_info(struct store *s, struct store_info *info, const char **error_r)
{
	memset(info, 0, sizeof(*info));
	return store_result(s, store_info_fill(s, info), error_r);
}

/* Addresses and list names */

int store_address(struct store *s, const char *what, const char *address,
		  char **address_r, char **key_r)
{
	char   *local;
	char   *domain;
	const char *why;
	struct buf b;

	*address_r = *key_r = NULL;
	if (addr_parse_spec(address, strlen(address), &local, &domain, &why) < 0)
		return store_fail(s, STORE_INVALID, "invalid %s \"%s\": %s", what, address, why);
	buf_init(&b, LIMIT_LOCAL_PART + 1 + LIMIT_DOMAIN);
	(void) buf_printf(&b, "%s@%s", local, domain);
	free(local);
	free(domain);
	if (buf_failed(&b) || (*address_r = buf_detach(&b, NULL)) == NULL
	    || (*key_r = strdup(*address_r)) == NULL) {
		buf_free(&b);
		free(*address_r);
		*address_r = NULL;
		return store_fail(s, STORE_INVALID, "invalid %s \"%s\": too long", what, address);
	}
	store_lowercase(*key_r);
	return STORE_OK;
}

/* RFC 5322 atext, ASCII only: list names go into many headers. */
static int store_is_atext(unsigned char c)
{
	return isalnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static const char *store_check_list_local(const char *local)
{
	const char *const *suffix;
	size_t	len = strlen(local);
	size_t	i;

	for (i = 0; i < len; i++)
		if (local[i] != '.' && !store_is_atext((unsigned char) local[i]))
			return "a list name must be a plain dot-atom (letters, digits, . - _ and the like)";
	for (suffix = store_role_suffixes; *suffix != NULL; suffix++) {
		size_t	n = strlen(*suffix);

		if (len >= n && strcmp(local + len - n, *suffix) == 0)
			return "the name ends in a suffix reserved for the list's own addresses"
			    " (-request, -owner, -bounces, -confirm, -join, -leave)";
	}
	return NULL;
}

int store_list_check_name(const char *address, char **local_r, char **domain_r,
			  const char **error_r)
{
	const char *why;

	*local_r = *domain_r = NULL;
	if (addr_parse_spec(address, strlen(address), local_r, domain_r, &why) < 0) {
		*error_r = why;
		return STORE_INVALID;
	}
	store_lowercase(*local_r);
	if ((why = store_check_list_local(*local_r)) != NULL) {
		free(*local_r);
		free(*domain_r);
		*local_r = *domain_r = NULL;
		*error_r = why;
		return STORE_INVALID;
	}
	*error_r = NULL;
	return STORE_OK;
}

/* Lists */

static void store_forget_list(struct store *s)
{
	free(s->list_local);
	free(s->list_domain);
	free(s->list_address);
	s->list_local = s->list_domain = s->list_address = NULL;
}

/* Split and lowercase a list address into s->list_*; no rules beyond syntax. */
static int store_list_names(struct store *s, const char *address)
{
	const char *why;
	struct buf b;

	store_forget_list(s);
	if (store_list_check_name(address, &s->list_local, &s->list_domain, &why) != STORE_OK)
		return store_fail(s, STORE_INVALID, "invalid list address \"%s\": %s",
				  address, why);
	buf_init(&b, LIMIT_LOCAL_PART + 1 + LIMIT_DOMAIN);
	(void) buf_printf(&b, "%s@%s", s->list_local, s->list_domain);
	if (buf_failed(&b) || (s->list_address = buf_detach(&b, NULL)) == NULL) {
		buf_free(&b);
		return store_fail(s, STORE_ERROR, "out of memory");
	}
	return STORE_OK;
}

int store_list_lookup(struct store *s, long long *id_r, long long *created_r)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_LIST_FIND)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, s->list_domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->list_local, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(st, 0);
		if (created_r != NULL)
			*created_r = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE)
		return store_fail(s, STORE_NO_LIST, "no such list: %s", s->list_address);
	return store_db_fail(s, "cannot look up a list");
}

int store_list_find(struct store *s, const char *address, long long *id_r)
{
	int	status;

	if ((status = store_list_names(s, address)) != STORE_OK)
		return status;
	return store_list_lookup(s, id_r, NULL);
}

static int store_domain_id(struct store *s, const char *domain, long long *id_r)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_DOMAIN_UPSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_now());
	if (store_exec(s, st) != STORE_OK || (st = store_stmt(s, SQL_DOMAIN_ID)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : store_db_fail(s, "cannot add the domain");
}

static int store_owner_insert(struct store *s, long long list_id,
			      const char *address, const char *key)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, SQL_OWNER_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_text(st, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	return store_exec(s, st);
}

/* Inside the transaction: domain, list row, owner. */
static int store_list_insert(struct store *s, const char *owner, const char *owner_key)
{
	sqlite3_stmt *st;
	long long domain_id = 0;
	long long list_id = 0;
	int	status;

	status = store_list_lookup(s, &list_id, NULL);
	if (status == STORE_OK)
		return store_fail(s, STORE_EXISTS, "list %s already exists", s->list_address);
	if (status != STORE_NO_LIST)
		return status;
	if (store_domain_id(s, s->list_domain, &domain_id) != STORE_OK
	    || (st = store_stmt(s, SQL_LIST_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, domain_id);
	sqlite3_bind_text(st, 2, s->list_local, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	if (store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	list_id = sqlite3_last_insert_rowid(s->db);
	if (owner != NULL)
		return store_owner_insert(s, list_id, owner, owner_key);
	return STORE_OK;
}

int store_list_create(struct store *s, const char *address, const char *owner,
		      const char **error_r)
{
	char   *owner_addr = NULL;
	char   *owner_key = NULL;
	int	status;

	if ((status = store_list_names(s, address)) == STORE_OK && owner != NULL)
		status = store_address(s, "owner address", owner, &owner_addr, &owner_key);
	if (status == STORE_OK && (status = store_begin(s)) == STORE_OK) {
		if ((status = store_list_insert(s, owner_addr, owner_key)) == STORE_OK)
			status = store_commit(s);
		if (status != STORE_OK)
			store_rollback(s);
	}
	free(owner_addr);
	free(owner_key);
	return store_result(s, status, error_r);
}

int store_list_delete(struct store *s, const char *address, const char **error_r)
{
	sqlite3_stmt *st;
	long long id = 0;
	int	status;

	/* One DELETE; the foreign keys cascade to members, owners, settings, inbox_rcpt. */
	if ((status = store_list_names(s, address)) == STORE_OK
	    && (status = store_begin(s)) == STORE_OK) {
		if ((status = store_list_lookup(s, &id, NULL)) == STORE_OK) {
			if ((st = store_stmt(s, SQL_LIST_DELETE)) == NULL)
				status = STORE_ERROR;
			else
				sqlite3_bind_int64(st, 1, id);
			if (status == STORE_OK && (status = store_exec(s, st)) == STORE_OK)
				status = store_commit(s);
		}
		if (status != STORE_OK)
			store_rollback(s);
	}
	return store_result(s, status, error_r);
}

static int store_list_counts(struct store *s, long long id, struct store_counts *c)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, SQL_LIST_COUNTS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_db_fail(s, "cannot count members");
	}
	c->members = sqlite3_column_int64(st, 0);
	c->regular = sqlite3_column_int64(st, 1);
	c->digest = sqlite3_column_int64(st, 2);
	c->nomail = sqlite3_column_int64(st, 3);
	c->disabled = sqlite3_column_int64(st, 4);
	c->moderated = sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_list_get(struct store *s, const char *address, struct store_list *list,
		   const char **error_r)
{
	int	status;

	memset(list, 0, sizeof(*list));
	if ((status = store_list_names(s, address)) == STORE_OK
	    && (status = store_list_lookup(s, &list->id, &list->created_at)) == STORE_OK
	    && (status = store_list_counts(s, list->id, &list->counts)) == STORE_OK) {
		list->address = s->list_address;
		list->local_part = s->list_local;
		list->domain = s->list_domain;
	}
	return store_result(s, status, error_r);
}

int store_list_id(struct store *s, const char *address, long long *id_r,
		  const char **error_r)
{
	int	status;

	*id_r = 0;
	if ((status = store_list_names(s, address)) == STORE_OK)
		status = store_list_lookup(s, id_r, NULL);
	return store_result(s, status, error_r);
}

/* One row of SQL_LIST_ALL to fn; the address is built in b. */
static int store_list_row(sqlite3_stmt *st, struct buf *b,
			  int (*fn)(const struct store_list *, void *), void *ctx)
{
	struct store_list list;

	memset(&list, 0, sizeof(list));
	list.id = sqlite3_column_int64(st, 0);
	list.local_part = (const char *) sqlite3_column_text(st, 1);
	list.domain = (const char *) sqlite3_column_text(st, 2);
	list.created_at = sqlite3_column_int64(st, 3);
	list.counts.members = sqlite3_column_int64(st, 4);
	buf_reset(b);
	(void) buf_printf(b, "%s@%s", list.local_part, list.domain);
	list.address = buf_str(b);
	return fn(&list, ctx);
}

int store_list_each(struct store *s, int (*fn)(const struct store_list *, void *),
		    void *ctx, const char **error_r)
{
	sqlite3_stmt *st;
	struct buf b;
	int	rc = SQLITE_DONE;

	if ((st = store_stmt(s, SQL_LIST_ALL)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	buf_init(&b, LIMIT_LOCAL_PART + 1 + LIMIT_DOMAIN);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (store_list_row(st, &b, fn, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	sqlite3_reset(st);
	buf_free(&b);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the lists"), error_r);
	return store_result(s, STORE_OK, error_r);
}

int store_owner_each(struct store *s, const char *list,
		     int (*fn)(const char *, void *), void *ctx, const char **error_r)
{
	sqlite3_stmt *st;
	long long id = 0;
	int	status;
	int	rc = SQLITE_DONE;

	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_OWNER_ALL)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *) sqlite3_column_text(st, 0), ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the owners"), error_r);
	return store_result(s, STORE_OK, error_r);
}

/* Settings */

static int store_setting_row(struct store *s, const char *name,
			     const struct settings_row **row_r)
{
	if ((*row_r = settings_lookup(name)) == NULL)
		return store_fail(s, STORE_INVALID,
				  "no such setting: %s (sealist list show LIST lists them)", name);
	return STORE_OK;
}

static int store_setting_read(struct store *s, long long id,
			      const struct settings_row *row,
			      char **value_r, int *is_default_r)
{
	sqlite3_stmt *st;
	const char *value;
	int	rc;

	if ((st = store_stmt(s, SQL_SETTING_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, row->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return store_db_fail(s, "cannot read a setting");
	}
	value = rc == SQLITE_ROW ? (const char *) sqlite3_column_text(st, 0)
	    : settings_default(row, s->list_local);
	*value_r = strdup(value);
	if (is_default_r != NULL)
		*is_default_r = rc == SQLITE_DONE;
	sqlite3_reset(st);
	return *value_r != NULL ? STORE_OK : store_fail(s, STORE_ERROR, "out of memory");
}

int store_setting_get(struct store *s, const char *list, const char *name,
		      char **value_r, int *is_default_r, const char **error_r)
{
	const struct settings_row *row;
	long long id = 0;
	int	status;

	*value_r = NULL;
	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_setting_row(s, name, &row)) == STORE_OK)
		status = store_setting_read(s, id, row, value_r, is_default_r);
	return store_result(s, status, error_r);
}

/* The stored values into values[] (by settings_id), in one query. */
static int store_settings_read_all(struct store *s, long long id, char **values)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_SETTING_ALL)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct settings_row *row =
		    settings_lookup((const char *) sqlite3_column_text(st, 0));
		const char *value = (const char *) sqlite3_column_text(st, 1);
		size_t	i;

		if (row == NULL || value == NULL)
			continue;	/* a setting this version no longer has */
		i = (size_t) (row - settings_rows);
		free(values[i]);
		if ((values[i] = strdup(value)) == NULL) {
			sqlite3_reset(st);
			return store_fail(s, STORE_ERROR, "out of memory");
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot read the settings");
}

int store_settings_get_all(struct store *s, const char *list, char **values,
			   int *is_default, const char **error_r)
{
	long long id = 0;
	size_t	i;
	int	status;

	for (i = 0; i < SETTINGS_COUNT; i++)
		values[i] = NULL;
	if ((status = store_list_find(s, list, &id)) == STORE_OK)
		status = store_settings_read_all(s, id, values);
	for (i = 0; status == STORE_OK && i < SETTINGS_COUNT; i++) {
		if (is_default != NULL)
			is_default[i] = values[i] == NULL;
		if (values[i] == NULL
		    && (values[i] = strdup(settings_default(&settings_rows[i], s->list_local))) == NULL)
			status = store_fail(s, STORE_ERROR, "out of memory");
	}
	if (status != STORE_OK)
		store_settings_free(values);
	return store_result(s, status, error_r);
}

void store_settings_free(char **values)
{
	size_t	i;

	for (i = 0; i < SETTINGS_COUNT; i++) {
		free(values[i]);
		values[i] = NULL;
	}
}

/* Set (value != NULL) or unset one setting, in one statement. */
static int store_setting_write(struct store *s, const char *list, const char *name,
			       const char *value)
{
	const struct settings_row *row;
	sqlite3_stmt *st;
	const char *why;
	long long id = 0;
	int	status;

	if ((status = store_list_find(s, list, &id)) != STORE_OK
	    || (status = store_setting_row(s, name, &row)) != STORE_OK)
		return status;
	if (value != NULL && (why = settings_validate(row, value)) != NULL)
		return store_fail(s, STORE_INVALID, "%s: %s", name, why);
	if ((st = store_stmt(s, value != NULL ? SQL_SETTING_SET : SQL_SETTING_UNSET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, row->name, -1, SQLITE_STATIC);
	if (value != NULL)
		sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	return store_exec(s, st);
}

int store_setting_set(struct store *s, const char *list, const char *name,
		      const char *value, const char **error_r)
{
	return store_result(s, store_setting_write(s, list, name, value), error_r);
}

int store_setting_unset(struct store *s, const char *list, const char *name,
			const char **error_r)
{
	return store_result(s, store_setting_write(s, list, name, NULL), error_r);
}
