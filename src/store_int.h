/*
 * NAME
 *	store_int 3h
 * SUMMARY
 *	the store module's private declarations
 * DESCRIPTION
 *	Included only by src/store*.c: the connection struct, the table of
 *	prepared statements and the helpers the store files share.  Nothing
 *	outside the store sees sqlite3.h.
 */
#ifndef SEALIST_STORE_INT_H
#define SEALIST_STORE_INT_H

#include "store.h"

/*
 * Shared by the store*.c files only.
 */
#include <sqlite3.h>

#include "buf/buf.h"

/* The prepared statements, one per SQL text in store.c. */
enum store_sql {
	SQL_BEGIN, SQL_COMMIT, SQL_ROLLBACK,
	SQL_MIG_CREATE, SQL_MIG_MAX, SQL_MIG_HAS, SQL_MIG_INSERT,
	SQL_DOMAIN_UPSERT, SQL_DOMAIN_ID,
	SQL_LIST_FIND, SQL_LIST_INSERT, SQL_LIST_DELETE, SQL_LIST_ALL, SQL_LIST_COUNTS,
	SQL_OWNER_INSERT, SQL_OWNER_ALL,
	SQL_SETTING_GET, SQL_SETTING_SET, SQL_SETTING_UNSET,
	SQL_MEMBER_FIND, SQL_MEMBER_INSERT, SQL_MEMBER_DELETE, SQL_MEMBER_ALL,
	SQL_KEY_INSERT, SQL_KEY_GET, SQL_KEY_ALL, SQL_KEY_DOMAIN,
	SQL_MEMBER_GET,
	SQL_INBOX_INSERT, SQL_RCPT_INSERT, SQL_INBOX_NEXT, SQL_INBOX_GET,
	SQL_INBOX_AUTHENTICATED, SQL_RCPT_ALL, SQL_RCPT_FINISH, SQL_RCPT_PENDING,
	SQL_INBOX_DONE, SQL_OUTBOUND_INSERT, SQL_OUTBOUND_ALL, SQL_HELD_INSERT,
	SQL_HELD_ALL, SQL_HELD_GET, SQL_HELD_DELETE, SQL_INBOX_DUP, SQL_RCPT_HAS, SQL_INBOX_ATTEMPT,
	SQL_QUEUE_MEMBERS, SQL_QUEUE_ONE,
	SQL_BOUNCE_GET, SQL_BOUNCE_DMARC, SQL_BOUNCE_SET, SQL_BOUNCE_DISABLE, SQL_BOUNCE_ALL, SQL_QUEUE_SUMMARY, SQL_QUEUE_RETRY_ALL, SQL_QUEUE_RETRY_ONE,
	SQL_DELIVERY_DUE, SQL_DELIVERY_SETTLE, SQL_OUTBOUND_FINISHED, SQL_OUTBOUND_ONE,
	SQL_TOKEN_KEY_SET, SQL_TOKEN_KEY_GET,
	SQL_BOUNCE_DUE, SQL_BOUNCE_WARN, SQL_BOUNCE_REMOVE,
	SQL_SETTING_ALL, SQL_KEY_USE, SQL_KEY_UNUSE,
	SQL_MEMBERS_MAX_ID, SQL_MEMBERS_FIND_ID,
	/* mail commands (store_request.c) */
	SQL_REQUEST_LIVE, SQL_REQUEST_EXPIRE, SQL_REQUEST_INSERT, SQL_REQUEST_GET,
	SQL_REQUEST_SENT, SQL_REQUEST_MOVE, SQL_REQUEST_EACH, SQL_REQUEST_PRUNE,
	SQL_REQUEST_MEMBER_INSERT, SQL_REQUEST_MEMBER_DELETE, SQL_REQUEST_REPLY_COUNT,
	SQL_REQUEST_REPLY_INSERT, SQL_REQUEST_REPLY_PRUNE, SQL_REQUEST_MEMBER_OPTIONS,
	SQL_REQUEST_MEMBER_DISABLE, SQL_REQUEST_MEMBER_ENABLE, SQL_REQUEST_MEMBER_MODE,
	SQL_REQUEST_MEMBER_ACK, SQL_REQUEST_MEMBER_MYPOSTS, SQL_REQUEST_BY_ID,
	/* ==== A2: web accounts (store_account.c, which holds their SQL) ==== */
	SQL_WEB_USER_GET, SQL_WEB_USER_INSERT, SQL_WEB_USER_ADMIN, SQL_WEB_USER_PASSWD,
	SQL_WEB_USER_DELETE, SQL_WEB_USER_EACH, SQL_WEB_ROLE_SET, SQL_WEB_ROLE_GET,
	SQL_WEB_ROLE_DELETE, SQL_WEB_SESSION_INSERT, SQL_WEB_SESSION_GET,
	SQL_WEB_SESSION_TOUCH, SQL_WEB_SESSION_DELETE, SQL_WEB_SESSION_END_USER,
	SQL_WEB_SESSION_PURGE, SQL_WEB_LOGIN_GET, SQL_WEB_LOGIN_SET, SQL_WEB_LOGIN_CLEAR,
	SQL_WEB_LOGIN_PURGE,
	/* ==== end A2 ==== */
	/* ---- B: web admin overview, bounces, queue (store_admin.c) ---- */
	SQL_ADMIN_LIST_NUMBERS, SQL_ADMIN_AUTH_DAYS, SQL_ADMIN_QUEUE_NUMBERS,
	SQL_ADMIN_QUEUE_OLDEST, SQL_ADMIN_QUEUE_ERRORS, SQL_ADMIN_BOUNCED,
	/* ---- end B ---- */
	/* ---- C1: web admin held posts (store_c1.c) ---- */
	SQL_C1_HELD_LIST,
	/* ---- end C1 ---- */
	/* ---- C2: the web members page (texts in store_c2.c) ---- */
	SQL_C2_MEMBER_COUNT, SQL_C2_MEMBER_PAGE, SQL_C2_MEMBER_COUNT_Q, SQL_C2_MEMBER_PAGE_Q,
	SQL_C2_MEMBER_UPDATE,
	/* ---- end C2 ---- */
	/* ---- R2: DMARC aggregate reports received (texts in store_dmarcrep.c) ---- */
	SQL_DMARCREP_INSERT, SQL_DMARCREP_RECORD, SQL_DMARCREP_REJECT,
	SQL_DMARCREP_SUMMARY, SQL_DMARCREP_SUMMARY_D,
	/* ---- end R2 ---- */
	/* ---- H1: DMARC reports by mail (texts in store_dmarcmail.c) ---- */
	SQL_DMARCMAIL_DOMAIN_LIST,
	/* ---- end H1 ---- */
	/* ---- H2: the DMARC report page (texts in store_dmarcweb.c) ---- */
	SQL_DMARCWEB_DAYS, SQL_DMARCWEB_SOURCES, SQL_DMARCWEB_ORGS, SQL_DMARCWEB_DOMAINS,
	SQL_DMARCWEB_FAILDAYS,
	/* ---- end H2 ---- */
	/* ---- H4: DMARC aggregate reports sent (texts in store_dmarcout.c) ---- */
	SQL_DMARCOUT_FEEDBACK, SQL_DMARCOUT_GROUPS, SQL_DMARCOUT_RECORDS, SQL_DMARCOUT_POLICY,
	SQL_DMARCOUT_SENT, SQL_DMARCOUT_DELETE, SQL_DMARCOUT_PURGE,
	/* ---- end H4 ---- */
	/* ---- H5: was a report mail authentic (texts in store_dmarcrep.c) ---- */
	SQL_DMARCAUTH_DISPLACE,
	/* ---- end H5 ---- */
	/* ---- H6: the members page from the end, read as one snapshot (texts in store_c2.c) ---- */
	SQL_MCOUNT_PAGE_END, SQL_MCOUNT_READ,
	/* ---- end H6 ---- */
	/* ---- H7: bounces of the DMARC reports sent (texts in store_dmarcbounce.c) ---- */
	SQL_DMARCBOUNCE_KNOWN, SQL_DMARCBOUNCE_ADD, SQL_DMARCBOUNCE_HARD,
	/* ---- end H7 ---- */
	SQL_COUNT
};

struct store {
	sqlite3 *db;
	char   *path;
	sqlite3_stmt *stmt[SQL_COUNT];	/* prepared on first use */
	struct buf error;		/* the last error message */
	/* The list store_list_find found last (malloc'd). */
	char   *list_local;
	char   *list_domain;
	char   *list_address;
	/* Copies of one row's strings that outlive its statement
	   (store_member_get, store_held_get): one block, replaced per call. */
	char   *row_copy;
};

/*
 * Copy n strings of the current row (NULL stays NULL) into s->row_copy
 * and point out[i] at the copies.  STORE_OK or STORE_ERROR.
 */
extern int store_keep_row(struct store *, const char *const *in, const char **out, size_t n);

/* A reset statement ready for binding, or NULL (error set). */
extern sqlite3_stmt *store_stmt(struct store *, enum store_sql);

/* Run a statement that returns no rows; STORE_OK or STORE_ERROR. */
extern int store_exec(struct store *, sqlite3_stmt *);

/* Set the error message; returns status so callers can "return store_fail(...)". */
extern int store_fail(struct store *, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* STORE_ERROR with the database's message after "what: ". */
extern int store_db_fail(struct store *, const char *what);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails visibly). */
extern int store_begin(struct store *);
extern int store_commit(struct store *);
extern void store_rollback(struct store *);

/*
 * Find a list by address; its id into *id_r, its names into s->list_*.
 * STORE_INVALID for a malformed address, STORE_NO_LIST if there is none.
 */
extern int store_list_find(struct store *, const char *address, long long *id_r);

/*
 * Check an address with addr_parse_spec and build the stored form
 * (domain lowercased) and the key (all lowercased), malloc'd.  what
 * names it in the error ("address", "owner address").
 */
extern int store_address(struct store *, const char *what, const char *address,
			 char **address_r, char **key_r);

/* Look up the list named by s->list_* again (in a transaction); created_r may be NULL. */
extern int store_list_lookup(struct store *, long long *id_r, long long *created_r);

/* Every public entry point ends here: sets *error_r (if not NULL), returns status. */
extern int store_result(struct store *, int status, const char **error_r);

/* The current time, Unix seconds: the one clock of the store. */
extern long long store_now(void);

/*
 * Insert an outbound row and its delivery rows inside the caller's
 * transaction, its id into *id_r (may be NULL).  In store_inbox.c; also
 * used by store_bounce.c.
 */
extern int store_outbound_insert(struct store *, long long inbox_id,
				 const struct store_outbound_new *, long long now,
				 long long *id_r);

/* Apply pending migrations (store_migrate.c). */
extern int store_migrate(struct store *);

/* The columns of SQL_OUTBOUND_ALL / SQL_OUTBOUND_ONE into *o (store_inbox.c). */
struct store_outbound;
extern void store_outbound_row(sqlite3_stmt *, struct store_outbound *o);

/* Lowercase ASCII letters in place. */
extern void store_lowercase(char *);

/* ==== A2 ==== */
/* store_stmt for a statement whose SQL text is kept in another store
   file (which passes it): prepared once, then reset and reused. */
extern sqlite3_stmt *store_stmt_sql(struct store *, enum store_sql, const char *sql);
/* ==== end A2 ==== */
/* ---- C1: web admin held posts (store_c1.c) ---- */
/* The columns 0-9 of SQL_HELD_ALL / SQL_HELD_GET into *h (store_inbox.c). */
extern void store_held_row(sqlite3_stmt *, struct store_held *h);
/* ---- end C1 ---- */
/* ---- H2: the DMARC report page (store_dmarcweb.c) ---- */
/* The columns 0-12 of the DMARC summary statements (store_dmarcrep.c) and
   of store_dmarcweb's per source and per org into *row: domain, org,
   source IP, reports, messages, DKIM, SPF, DMARC pass, the dispositions
   none, pass, quarantine, reject, and (H5) the reports not authenticated.
   The strings are the statement's. */
struct store_dmarcrep_row;
extern void store_dmarcrep_row_read(sqlite3_stmt *, struct store_dmarcrep_row *row);
/* ---- end H2 ---- */

/* ---- H4: DMARC aggregate reports sent (store_dmarcout.c) ---- */
/* Insert o->feedback (if any) for (inbox_id, list_id) in the caller's
   transaction; a row already there is kept. */
extern int store_dmarcout_feedback_insert(struct store *, long long inbox_id, long long list_id,
					  const struct store_rcpt_outcome *o);
/* ---- end H4 ---- */

/* ---- H5: was a report mail authentic (db/014_dmarc_report_auth.sql) ---- */
/* SQL: the report row R (an alias or the table's name) did not come
   authenticated: by mail whose DMARC verdict was not pass, or unknown.
   A file the admin imported is trusted. */
#define STORE_DMARCREP_UNAUTH(r) \
	"(" r ".source = 'mail' AND coalesce(" r ".mail_dmarc, '') <> 'pass')"
/* SQL: how many distinct reports r of a grouped row were not authenticated. */
#define STORE_DMARCREP_UNAUTH_COUNT \
	"count(DISTINCT CASE WHEN " STORE_DMARCREP_UNAUTH("r") " THEN r.id END)"
/* ---- end H5 ---- */

#endif
