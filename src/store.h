/*
 * NAME
 *	store 3h
 * SUMMARY
 *	the database: all of sealist's SQL, migrations, lists and members
 * DESCRIPTION
 *	One SQLite file holds lists, members, settings and the daemon's
 *	inbox.  All SQL of the project lives in store*.c, as prepared
 *	statements with bound parameters; nothing else includes sqlite3.h.
 *
 *	store_open() applies the numbered migrations db/NNN_name.sql that the
 *	file lacks (they are compiled into the program), each in its own
 *	transaction with its schema_migrations row, and refuses a database
 *	written by a newer sealist.
 *
 *	Lists are named by their address, "list@domain", in any case; the
 *	store lowercases it.  Operations that change several rows (member
 *	add/remove of many addresses, list delete) are one transaction each:
 *	they happen completely or not at all.
 *
 *	Every operation returns a store_status and, when it is not STORE_OK,
 *	sets *error_r to one line that a program can show as it is ("no such
 *	list: dev@example.org", "a@b is already a member of dev@example.org").
 *	The text belongs to the store and is valid until its next call.
 *
 *	A struct store is one database connection: use it from one thread at
 *	a time; the daemon's threads open one store each.
 */
#ifndef SEALIST_STORE_H
#define SEALIST_STORE_H

#include <stddef.h>

enum store_status {
	STORE_OK = 0,
	STORE_NO_LIST,		/* no such list ("no such list: x@y") */
	STORE_NOT_FOUND,	/* no such member */
	STORE_EXISTS,		/* the list or member is already there */
	STORE_INVALID,		/* a bad address, list name or value; nothing changed */
	STORE_ERROR,		/* the database failed (full disk, locked, corrupt) */
};

struct store;

/*
 * Open (creating if needed) the database file and bring its schema up to
 * date.  Returns NULL and a reason in *error_r (static or thread-local
 * text, valid until the next store_open in the thread) when the file
 * cannot be opened, is not a database, was written by a newer sealist,
 * or a migration fails.
 */
extern struct store *store_open(const char *path, const char **error_r);
extern void store_close(struct store *);

/* How the connection is set up, for tests and diagnostics. */
struct store_info {
	char	journal_mode[16];	/* "wal" */
	int	synchronous;		/* 2 = FULL */
	int	foreign_keys;		/* 1 = on */
	int	busy_timeout_ms;
	long long schema_version;	/* highest applied migration */
};
extern int store_info(struct store *, struct store_info *, const char **error_r);

/* Lists. */

/*
 * Check a list address and split it: lowercased local part and domain,
 * malloc'd.  The local part must be a dot-atom and must not end in a
 * role suffix (-request, -owner, -bounces, -confirm, -join, -leave).
 */
extern int store_list_check_name(const char *address, char **local_r,
				 char **domain_r, const char **error_r);

/* Create a list (and its domain if new); owner may be NULL. */
extern int store_list_create(struct store *, const char *address,
			     const char *owner, const char **error_r);

/* Delete a list with its members, owners and settings. */
extern int store_list_delete(struct store *, const char *address,
			     const char **error_r);

struct store_counts {
	long long members;		/* all */
	long long regular, digest, nomail;	/* by delivery mode */
	long long disabled;		/* status disabled */
	long long moderated;
};

struct store_list {
	long long id;
	const char *address;		/* "dev@example.org" */
	const char *local_part;
	const char *domain;
	long long created_at;		/* Unix time */
	struct store_counts counts;
};

/*
 * Look a list up.  The strings in *list_r belong to the store and are
 * valid until its next call.
 */
extern int store_list_get(struct store *, const char *address,
			  struct store_list *list_r, const char **error_r);

/* Only the id (no member counts: cheap enough for every RCPT). */
extern int store_list_id(struct store *, const char *address, long long *id_r,
			 const char **error_r);

/*
 * Call fn for every list, ordered by domain, then local part; counts
 * holds only .members.  Stops early when fn returns nonzero (and returns
 * STORE_OK).  The list's strings are valid during the call only.
 */
extern int store_list_each(struct store *,
			   int (*fn)(const struct store_list *, void *ctx),
			   void *ctx, const char **error_r);

/* Call fn for each owner of the list, ordered by address. */
extern int store_owner_each(struct store *, const char *list,
			    int (*fn)(const char *owner, void *ctx),
			    void *ctx, const char **error_r);

/* Settings: names and values as in settings.h. */

/*
 * The list's value of a setting into *value_r (malloc'd; free it), and
 * whether it is the default (never set for this list) into *is_default_r
 * (may be NULL).  STORE_NO_LIST for an unknown list; STORE_INVALID for
 * an unknown setting name.
 */
extern int store_setting_get(struct store *, const char *list, const char *name,
			     char **value_r, int *is_default_r, const char **error_r);

/*
 * Every setting of the list at once, in one query: values[i] (malloc'd)
 * for settings_at(i), is_default[i] (may be NULL) 1 where the list has
 * no value of its own.  values has SETTINGS_COUNT slots; free them with
 * store_settings_free (done already when this fails).
 */
extern int store_settings_get_all(struct store *, const char *list, char **values,
				  int *is_default, const char **error_r);
extern void store_settings_free(char **values);

/* Validate and store a value; STORE_INVALID with the reason if bad. */
extern int store_setting_set(struct store *, const char *list, const char *name,
			     const char *value, const char **error_r);

/* Forget the list's value so the default applies again. */
extern int store_setting_unset(struct store *, const char *list, const char *name,
			       const char **error_r);

/* Settings files (store_config.c, for sealist config import). */

/*
 * Set n settings of a list in one transaction: names[i] to values[i]
 * (NULL: unset, the default applies again).  Every name and value is
 * checked first (settings_validate); if one is bad, or the database
 * fails half-way, nothing changes and *error_r names the setting.
 */
extern int store_settings_apply(struct store *, const char *list,
				const char *const *names, const char *const *values,
				size_t n, const char **error_r);

/* Members. */

/* One address to add. */
struct store_new_member {
	const char *address;		/* bare addr-spec, "a@example.net" */
	const char *display_name;	/* NULL or "" for none */
	const char *delivery;		/* "regular" (NULL), "digest", "nomail" */
	int	moderated;		/* 0, 1, or -1: default_member_moderation */
};

/*
 * Add n members in one transaction.  Every address is checked first; if
 * any is invalid, already a member, or given twice, nothing is added and
 * *error_r names that address and why.
 */
extern int store_member_add(struct store *, const char *list,
			    const struct store_new_member *members, size_t n,
			    const char **error_r);

/* Remove n members in one transaction; all must be members, or none goes. */
extern int store_member_remove(struct store *, const char *list,
			       const char *const *addresses, size_t n,
			       const char **error_r);

struct store_member {
	const char *address;		/* as given, domain lowercased */
	const char *display_name;	/* "" for none */
	const char *delivery;		/* "regular", "digest", "nomail" */
	const char *status;		/* "enabled", "disabled" */
	int	moderated;
	long long subscribed_at;	/* Unix time */
};

/* Call fn for each member, ordered by lowercased address; as store_list_each. */
extern int store_member_each(struct store *, const char *list,
			     int (*fn)(const struct store_member *, void *ctx),
			     void *ctx, const char **error_r);

/*
 * Import (sealist member import): many members in one transaction, each
 * row checked and added on its own, so that every bad row can be reported
 * and the caller decides at the end whether to keep the good ones.
 *
 * _begin starts the transaction (the database stays locked for writers
 * until _end) and returns STORE_OK with *imp_r, or a status.
 *
 * _add checks and inserts one member: STORE_OK if added; STORE_INVALID
 * (a bad address, delivery mode or display name, or an address already
 * added in this import: then *first_tag_r is the tag given with that
 * earlier row, else it is 0) or STORE_EXISTS (already a member before
 * the import) if refused, *error_r saying why, the import going on;
 * STORE_ERROR if the database failed: the caller must then _end without
 * committing.  tag is the caller's (a line number), kept for that.
 *
 * _end commits (commit nonzero) or rolls back, frees imp, and returns
 * the commit's status.  *added_r (may be NULL) is the number of rows
 * added, 0 after a rollback.
 */
struct store_import;
extern int store_member_import_begin(struct store *, const char *list,
				     struct store_import **imp_r, const char **error_r);
extern int store_member_import_add(struct store_import *, const struct store_new_member *,
				   long long tag, long long *first_tag_r, const char **error_r);
extern int store_member_import_end(struct store_import *, int commit, size_t *added_r,
				   const char **error_r);

/* DKIM signing keys (store_keys.c); the key itself is a file, see keys.h. */

struct store_key {
	const char *domain;		/* lowercase, "example.org" */
	const char *selector;		/* lowercase, "s202611-rsa" */
	const char *algorithm;		/* "rsa" or "ed25519" */
	int	bits;			/* RSA modulus bits; 256 for ed25519 */
	const char *path;		/* absolute file name of the PEM */
	long long created_at;		/* Unix time; ignored by store_key_add */
	int	signing;		/* 1: the delivery workers sign with it
					   (db/008); ignored by store_key_add */
};

/*
 * Record a key.  domain and selector are lowercased; they must be
 * non-empty and hold no '/'; algorithm must be "rsa" or "ed25519" and
 * path absolute (STORE_INVALID otherwise).  STORE_EXISTS if the domain
 * already has a key with that selector.
 */
extern int store_key_add(struct store *, const struct store_key *key,
			 const char **error_r);

/*
 * Look up one key (names in any case).  *key_r is one malloc'd block,
 * the struct with its strings: free() it.  STORE_NOT_FOUND (and *key_r
 * NULL) if there is no such key.
 */
extern int store_key_get(struct store *, const char *domain, const char *selector,
			 struct store_key **key_r, const char **error_r);

/*
 * Call fn for each key of domain (any case), or of every domain when
 * domain is NULL, ordered by domain, then selector.  As store_list_each:
 * stops early when fn returns nonzero; strings valid during the call.
 */
extern int store_key_each(struct store *, const char *domain,
			  int (*fn)(const struct store_key *, void *ctx),
			  void *ctx, const char **error_r);

/*
 * Sign with domain's key selector from now on: it becomes the signing key
 * of its algorithm and the previous one stops signing, in one statement.
 * STORE_NOT_FOUND if the domain has no such key.
 */
extern int store_key_use(struct store *, const char *domain, const char *selector,
			 const char **error_r);

/* A copy of *key in one malloc'd block, as store_key_get gives; NULL: no memory. */
extern struct store_key *store_key_dup(const struct store_key *key);

/*
 * The migrations compiled into the program (generated from db/[0-9]*.sql
 * by src/store.mk), in increasing version order.
 */
struct store_migration {
	long long version;		/* 1 for db/001_init.sql */
	const char *name;		/* "init" */
	const char *sql;
};
extern const struct store_migration store_migrations[];
extern const size_t store_migration_count;

/*
 * One member, looked up by address (any case).  STORE_NOT_FOUND if the
 * address is not a member.  Strings valid until the store's next call.
 */
extern int store_member_get(struct store *, const char *list, const char *address,
			    struct store_member *out, const char **error_r);

/* The inbox and the pipeline's steps (store_inbox.c, db/003_pipeline.sql). */

struct store_inbox_rcpt {
	const char *address;		/* RCPT TO as given */
	long long list_id;
	const char *role;		/* "post", "request", "owner", ... */
	const char *tag;		/* the +TAG of bounces/confirm, or "" */
};

struct store_inbox_new {
	long long received_at;
	const char *envelope_from;	/* "" for the null sender */
	const char *client_ip, *client_name, *helo;	/* "" when unknown */
	const void *message;
	size_t	size;
	const struct store_inbox_rcpt *rcpts;
	size_t	nrcpts;
};

/*
 * Store a message and its recipients in one transaction, committed (WAL,
 * synchronous=FULL) when this returns STORE_OK: the LMTP server answers
 * 250 only after that.  The same bytes from the same envelope sender to
 * recipients an earlier copy (within a week) already has are an MTA's
 * retry after a lost 250 (RFC 1047): STORE_OK with that copy's id, and
 * nothing stored again; new recipients of such a copy are stored alone.
 */
extern int store_inbox_add(struct store *, const struct store_inbox_new *,
			   long long *id_r, const char **error_r);

/* A message as stored; every pointer malloc'd, freed by store_inbox_msg_free. */
struct store_inbox_msg {
	long long id, received_at;
	char   *envelope_from, *client_ip, *client_name, *helo, *state;
	char   *authres, *verdict;	/* NULL until authenticated */
	unsigned char *message;
	size_t	size;
};

/*
 * The oldest message in state with id > after and id % modulo == residue
 * (workers split the inbox that way, so no two take the same message).
 * STORE_NOT_FOUND when there is none.
 */
extern int store_inbox_next(struct store *, const char *state, long long after,
			    unsigned modulo, unsigned residue,
			    struct store_inbox_msg *out, const char **error_r);
extern int store_inbox_get(struct store *, long long id, struct store_inbox_msg *out,
			   const char **error_r);
extern void store_inbox_msg_free(struct store_inbox_msg *);

/* new -> authenticated with our A-R field and the verdict lines;
   STORE_NOT_FOUND if the message was not new (someone did it). */
extern int store_inbox_set_authenticated(struct store *, long long id,
					 const char *authres, const char *verdict,
					 long long now, const char **error_r);

struct store_rcpt {
	const char *address, *role, *tag, *state;
	long long list_id;
	const char *list;		/* "dev@example.org" */
};

/* fn for each recipient of a message, ordered by address. */
extern int store_inbox_rcpt_each(struct store *, long long id,
				 int (*fn)(const struct store_rcpt *, void *ctx),
				 void *ctx, const char **error_r);

struct store_outbound_new {
	long long list_id;
	const char *kind;		/* "post", "notice", "forward" */
	const char *envelope_from;
	const char *recipients;		/* one per line; "" for a post */
	const void *message;
	size_t	size;
	const char *aar, *arc_cv;	/* for the ARC seal; NULL none */
	const char *author;		/* a post's author: no copy for them when
					   their myposts is off; NULL none */
};

struct store_held_new {
	const char *reason, *token, *sender, *subject;
	int	notify_poster;
};

struct store_dmarc_feedback;	/* the H4 block at the end */

/* Where one recipient of a message ends, with the rows that go with it. */
struct store_rcpt_outcome {
	const char *state;		/* done held rejected discarded deferred failed */
	const char *reason;		/* NULL: none */
	const struct store_outbound_new *outbound;
	size_t	noutbound;
	const struct store_held_new *held;	/* for state "held" */
	/* H4: what a DMARC aggregate report will say about a post, or NULL
	   (store_dmarcout.c, written in the same transaction) */
	const struct store_dmarc_feedback *feedback;
};

/*
 * One transaction: the recipient goes from pending to the outcome, its
 * outbound and held rows are inserted, and the message becomes done
 * when no recipient is pending any more.  STORE_NOT_FOUND (nothing
 * written) if the recipient was no longer pending.
 */
extern int store_inbox_rcpt_finish(struct store *, long long inbox_id,
				   const char *address,
				   const struct store_rcpt_outcome *, long long now,
				   const char **error_r);

/*
 * A step on the message failed on a local error: count it and keep the
 * error (inbox.attempts, last_error); *attempts_r gets the new count.
 */
extern int store_inbox_attempt(struct store *, long long id, const char *error,
			       long long now, long long *attempts_r, const char **error_r);

/* Mark a message done if no recipient is pending (its lists were deleted). */
extern int store_inbox_settle(struct store *, long long inbox_id, long long now,
			      const char **error_r);

/* Held posts. */
struct store_held {
	long long id, inbox_id, held_at;
	const char *list, *rcpt_address, *reason, *token, *sender, *subject;
	int	notify_poster;
};

/* fn for each held post of list (NULL: every list), oldest first. */
extern int store_held_each(struct store *, const char *list,
			   int (*fn)(const struct store_held *, void *ctx),
			   void *ctx, const char **error_r);

/* One held post by id (token NULL) or by token (id 0); strings valid
   until the next call.  STORE_NOT_FOUND if there is none. */
extern int store_held_get(struct store *, long long id, const char *token,
			  struct store_held *out, const char **error_r);

/*
 * A moderator's decision, in one transaction: the held row goes, its
 * recipient leaves state held for the outcome's state and the outcome's
 * rows are inserted.  STORE_NOT_FOUND if it was decided already.
 */
extern int store_held_resolve(struct store *, long long id,
			      const struct store_rcpt_outcome *, long long now,
			      const char **error_r);

/*
 * Bounces (store_bounce.c, db/006_bounces.sql), with Mailman 2.1's
 * rules: a DMARC-caused rejection is only counted; otherwise at most one
 * score a day, a score older than stale_after_days starts again from 0,
 * and reaching the threshold disables the member (disabled_by bounce,
 * notices_left = warnings).  One transaction.
 */
enum store_bounce_outcome {
	STORE_BOUNCE_NOT_MEMBER,
	STORE_BOUNCE_DMARC,		/* counted apart, no score */
	STORE_BOUNCE_SAME_DAY,		/* already scored today */
	STORE_BOUNCE_SCORED,
	STORE_BOUNCE_DISABLED,		/* scored and now disabled */
};
struct store_bounce_rules {
	double	weight;			/* 1.0 hard, 0.5 soft */
	int	dmarc;			/* caused by someone's DMARC failure */
	double	threshold;
	long	stale_after_days;
	int	warnings;
};
extern int store_bounce_record(struct store *, const char *list, const char *address,
			       const struct store_bounce_rules *, long long now,
			       enum store_bounce_outcome *outcome_r, double *score_r,
			       const char **error_r);

struct store_bounce_row {
	const char *address, *status, *disabled_by;	/* disabled_by "" none */
	double	score;
	long long last, dmarc;
	int	notices_left;
};
/* Members of list with a score, DMARC-caused rejections or a disabling. */
extern int store_bounce_each(struct store *, const char *list,
			     int (*fn)(const struct store_bounce_row *, void *ctx),
			     void *ctx, const char **error_r);

/*
 * The bounce lifecycle (bounce.c decides and writes the notices): after
 * the disabling, warnings every interval days while notices are left,
 * then removal.  Each step goes in one transaction with the notices
 * that announce it, so a crash never leaves a member disabled without
 * the first warning, nor warns twice for one step.  A step is due once
 * interval_days days have begun since the (UTC) day of the last notice.
 */

/* An outbound row with its delivery rows (one per line of recipients). */
extern int store_outbound_add(struct store *, const struct store_outbound_new *,
			      long long now, long long *id_r, const char **error_r);

enum store_bounce_step {
	STORE_BOUNCE_STEP_NONE,		/* stays disabled, no notice sent */
	STORE_BOUNCE_STEP_WARN,		/* notices_left - 1, last_notice = now */
	STORE_BOUNCE_STEP_REMOVE,	/* the member is deleted */
};

/*
 * What a disabling brings: disabled() is called inside the transaction
 * when the bounce disables the member (address as stored), and gives
 * the notices to insert and the step to take at once (warn: the first
 * warning; remove: no warnings configured).  The rows belong to ctx and
 * must stay valid until store_bounce_record_with returns.  0, or -1
 * with *error_r: then nothing of the bounce is written.
 */
struct store_bounce_hook {
	int	(*disabled)(void *ctx, const char *address, double score,
			    const struct store_outbound_new **rows_r, size_t *n_r,
			    enum store_bounce_step *step_r, const char **error_r);
	void   *ctx;
};

/* store_bounce_record with the hook (NULL: none). */
extern int store_bounce_record_with(struct store *, const char *list, const char *address,
				    const struct store_bounce_rules *, long long now,
				    const struct store_bounce_hook *,
				    enum store_bounce_outcome *outcome_r, double *score_r,
				    const char **error_r);

struct store_bounce_due {
	const char *address;
	int	notices_left;		/* 0: removal is due */
	long long last_bounce, last_notice;
};

/*
 * fn for each member of list disabled by bounce whose next step is due
 * at now (members disabled by an admin or themselves never are); as
 * store_list_each.  Calling the store from fn is not allowed: collect.
 */
extern int store_bounce_due_each(struct store *, const char *list, long long now,
				 long interval_days,
				 int (*fn)(const struct store_bounce_due *, void *ctx),
				 void *ctx, const char **error_r);

/*
 * Take a due step (WARN or REMOVE) with its notices, one transaction.
 * STORE_NOT_FOUND, nothing written, when the step is not due any more
 * (taken already, the member re-enabled or gone).
 */
extern int store_bounce_step(struct store *, const char *list, const char *address,
			     enum store_bounce_step, long long now, long interval_days,
			     const struct store_outbound_new *rows, size_t n,
			     const char **error_r);

/* The outbound table, for the queue and for tests. */
struct store_outbound {
	long long id, inbox_id;		/* inbox_id 0: none */
	const char *list, *kind, *envelope_from, *recipients, *state;
	const char *aar, *arc_cv;	/* NULL: none */
	const void *message;
	size_t	size;
	long long created_at;
};
/*
 * The queue (db/005_queue.sql): every outbound row with how many of its
 * deliveries are queued, delivered and bounced, and the earliest next
 * attempt of the queued ones (0: none).  Rows are made together with
 * their outbound row: for a post, one per active regular member.
 */
struct store_queue_row {
	long long outbound_id, created_at, next_attempt;
	long long queued, delivered, bounced;
	const char *list, *kind;
};
extern int store_queue_each(struct store *,
			    int (*fn)(const struct store_queue_row *, void *ctx),
			    void *ctx, const char **error_r);

/* Queued deliveries of one outbound row (0: all) become due now. */
extern int store_queue_retry(struct store *, long long outbound_id, long long now,
			     long long *count_r, const char **error_r);

extern int store_outbound_each(struct store *,
			       int (*fn)(const struct store_outbound *, void *ctx),
			       void *ctx, const char **error_r);

/*
 * The delivery workers (store_delivery.c).  A worker owns the deliveries
 * whose id is residue modulo modulo, so workers never take each other's
 * rows; fn gets the due ones (queued, next_attempt <= now), at most max,
 * a post's rows together and in id order.  fn must not call the store.
 */
struct store_delivery {
	long long id, outbound_id;
	const char *recipient;
	long long attempts;		/* made so far */
	long long queued_at;		/* the outbound row's created_at */
};
extern int store_delivery_due(struct store *, long long now, unsigned modulo,
			      unsigned residue, size_t max,
			      int (*fn)(const struct store_delivery *, void *ctx),
			      void *ctx, const char **error_r);

/* fn with one outbound row; STORE_NOT_FOUND if there is none. */
extern int store_outbound_get(struct store *, long long id,
			      int (*fn)(const struct store_outbound *, void *ctx),
			      void *ctx, const char **error_r);

/* Where one delivery attempt ended. */
struct store_delivery_result {
	long long id, outbound_id;
	const char *state;		/* "delivered", "queued" (retry), "bounced" */
	long long next_attempt;		/* for "queued" */
	const char *error;		/* the reply or reason; NULL for delivered */
};

/*
 * Record results in one transaction: each row's attempts + 1 and its
 * new state (a row no longer queued is left alone), and every outbound
 * row of the batch becomes done once none of its deliveries is queued.
 */
extern int store_delivery_settle(struct store *, const struct store_delivery_result *,
				 size_t n, const char **error_r);

/*
 * The list's one-click token secret into key[0..size), its length in
 * *len_r.  A list without one gets fresh[0..fresh_len) (random bytes
 * from the caller), so that racing workers all end with the same key.
 */
extern int store_list_token_key(struct store *, const char *list,
				const unsigned char *fresh, size_t fresh_len,
				unsigned char *key, size_t size, size_t *len_r,
				const char **error_r);

/*
 * Mail commands (store_request.c, db/009_requests.sql): subscriptions and
 * unsubscriptions waiting for a confirmation or an owner's approval, the
 * per-address reply rate limit, and the member options of "set".
 */
struct store_pending {
	long long id, created_at, expires_at, last_sent_at;
	const char *list;		/* "dev@example.org" */
	const char *kind;		/* "subscribe", "unsubscribe" */
	const char *address, *name, *delivery, *token;
	const char *state;		/* awaiting_confirmation awaiting_approval done
					   rejected expired */
	const char *requested_by;
	int	needs_approval;		/* approval follows the confirmation */
};

struct store_pending_new {
	const char *kind, *address, *name, *delivery, *token, *state, *requested_by;
	int	needs_approval;
	long long expires_at;
};

/*
 * The live (awaiting, not expired at now) request of list for kind and
 * address; STORE_NOT_FOUND if none.  Strings valid until the next call.
 */
extern int store_request_find_live(struct store *, const char *list, const char *kind,
				   const char *address, long long now,
				   struct store_pending *out, const char **error_r);

/*
 * Insert a request (last_sent_at 0: call store_request_sent when its
 * confirmation is queued), one transaction; a live row of
 * the same list, kind and address that has expired becomes "expired"
 * first.  STORE_EXISTS if a live one is still there (find it instead).
 */
extern int store_request_add(struct store *, const char *list,
			     const struct store_pending_new *, long long now,
			     const char **error_r);

/* A request by token, in any state; STORE_NOT_FOUND if none. */
extern int store_request_get(struct store *, const char *token,
			     struct store_pending *out, const char **error_r);

/* The confirmation went out again at now. */
extern int store_request_sent(struct store *, long long id, long long now,
			      const char **error_r);

/*
 * from -> to ("awaiting_confirmation" -> "awaiting_approval", or any
 * awaiting state -> "rejected"); STORE_NOT_FOUND, nothing changed, if the
 * row is no longer in state from or has expired at now.
 */
extern int store_request_move(struct store *, long long id, const char *from,
			      const char *to, long long now, const char **error_r);

/*
 * Carry a request out in one transaction: the row goes from state from
 * to "done" and its address is added to (subscribe, with moderated 0/1)
 * or removed from (unsubscribe) its list.  *changed_r: 1 if the member
 * was added/removed, 0 if it was (not) a member already.
 * STORE_NOT_FOUND, nothing changed, if the row was not in state from
 * or has expired.  This is also what approving (CLI, web) calls after
 * store_request_get: from "awaiting_approval".
 */
extern int store_request_complete(struct store *, long long id, const char *from,
				  int moderated, long long now, int *changed_r,
				  const char **error_r);

/* fn for each live request of list (NULL: all), oldest first; as store_list_each. */
extern int store_request_each(struct store *, const char *list, long long now,
			      int (*fn)(const struct store_pending *, void *ctx),
			      void *ctx, const char **error_r);

/*
 * The reply rate limit: if fewer than limit mails went to address in the
 * hour before now, count one more and set *allowed_r to 1; else 0.
 */
extern int store_request_reply_take(struct store *, const char *address, long long now,
				    long limit, int *allowed_r, const char **error_r);

/* Forget reply counts older than an hour, and requests expired 30 days ago. */
extern int store_request_prune(struct store *, long long now, const char **error_r);

/* A member's options, for "set show". */
struct store_member_options {
	char	delivery[16];		/* regular digest nomail */
	char	status[16];		/* enabled disabled */
	char	disabled_by[16];	/* "" bounce admin member */
	int	ack, myposts;
};
extern int store_request_member_options(struct store *, const char *list,
					const char *address,
					struct store_member_options *out,
					const char **error_r);

enum store_member_option {
	STORE_OPTION_DELIVERY,		/* value 1 on (enabled), 0 off (disabled by member) */
	STORE_OPTION_DIGEST,		/* value 1 digest, 0 regular */
	STORE_OPTION_ACK,
	STORE_OPTION_MYPOSTS,
};
/*
 * Change one option.  STORE_NOT_FOUND if address is not a member;
 * STORE_INVALID for delivery on when an admin disabled the member.
 */
extern int store_request_member_set(struct store *, const char *list, const char *address,
				    enum store_member_option, int value,
				    const char **error_r);

/* ==== A2: web accounts, roles, sessions, login throttle (store_account.c) ==== */

/*
 * Accounts of the web admin interface (db/010_web_accounts.sql).  A name
 * is [A-Za-z0-9._@-]{1,64} (the caller checks it) and matches without
 * regard to case.  Strings in the results belong to the store and are
 * valid until its next call.
 */
struct store_web_user {
	const char *name;		/* as it was created */
	const char *password_hash;	/* "$scrypt$..." (account.h) */
	int	site_admin;
	long long created_at, updated_at;
};

/* An account; STORE_NOT_FOUND if there is none. */
extern int store_web_user_get(struct store *, const char *name, struct store_web_user *out,
			      const char **error_r);

/*
 * Create an account and, if list is not NULL, its role ("owner",
 * "moderator") on that list, in one transaction.  STORE_EXISTS if the
 * name is taken, STORE_NO_LIST if the list is not there.
 */
extern int store_web_user_add(struct store *, const char *name, const char *password_hash,
			      int site_admin, const char *list, const char *role,
			      long long now, const char **error_r);

/* Make an account a site admin (1) or not (0); STORE_NOT_FOUND. */
extern int store_web_user_set_admin(struct store *, const char *name, int site_admin,
				    long long now, const char **error_r);

/* Set the password and end all the account's sessions; STORE_NOT_FOUND. */
extern int store_web_user_passwd(struct store *, const char *name, const char *password_hash,
				 long long now, const char **error_r);

/* Remove an account with its roles and sessions; STORE_NOT_FOUND. */
extern int store_web_user_remove(struct store *, const char *name, const char **error_r);

/*
 * Give an account a role on a list (replacing its old role there);
 * *changed_r 0 if it had that role already.  STORE_NOT_FOUND (no such
 * account), STORE_NO_LIST.
 */
extern int store_web_role_set(struct store *, const char *name, const char *list,
			      const char *role, int *changed_r, const char **error_r);

/* Take an account's role on a list away; STORE_NOT_FOUND if it had none. */
extern int store_web_role_remove(struct store *, const char *name, const char *list,
				 const char **error_r);

/* The account's role on list into role ("owner", "moderator", or "" for
   none); STORE_NO_LIST if the list is not there. */
extern int store_web_role_get(struct store *, const char *name, const char *list,
			      char role[16], const char **error_r);

/* One account and one of its roles (list and role NULL: it has none). */
struct store_web_role_row {
	const char *user;
	int	site_admin;
	const char *list;		/* "dev@example.org" */
	const char *role;
};
/* fn for each account and role, ordered by account name and list; a
   nonzero return from fn stops early. */
extern int store_web_user_each(struct store *,
			       int (*fn)(const struct store_web_role_row *, void *ctx),
			       void *ctx, const char **error_r);

/* Sessions: id_hash is the SHA-256 of the session id (32 octets). */
struct store_web_session {
	const char *user;
	int	site_admin;
	const char *csrf;
	long long created_at, last_seen, expires_at;
};

extern int store_web_session_add(struct store *, const unsigned char id_hash[32],
				 const char *user, const char *csrf, long long now,
				 long long expires_at, const char **error_r);

/*
 * The live session: not past expires_at and used within idle seconds
 * before now; its last_seen becomes now.  An expired one is deleted.
 * STORE_NOT_FOUND if there is none (any more).
 */
extern int store_web_session_get(struct store *, const unsigned char id_hash[32],
				 long long now, long long idle, struct store_web_session *out,
				 const char **error_r);

/* End a session (none there is not an error). */
extern int store_web_session_delete(struct store *, const unsigned char id_hash[32],
				    const char **error_r);

/* Delete expired sessions and throttle rows that no longer matter. */
extern int store_web_purge(struct store *, long long now, long long idle,
			   const char **error_r);

/*
 * The login throttle, per key ("user:alice", "client:192.0.2.1").
 * store_web_login_locked: *until_r the end of the key's lock, 0 if not
 * locked at now.  store_web_login_failed counts a failure: limit
 * failures within window seconds lock the key for lock seconds, doubled
 * for each lock in a row, at most lock_max; *until_r as above after it.
 */
struct store_web_throttle {
	long	limit;
	long long window, lock, lock_max;
};
extern int store_web_login_locked(struct store *, const char *key, long long now,
				  long long *until_r, const char **error_r);
extern int store_web_login_failed(struct store *, const char *key, long long now,
				  const struct store_web_throttle *, long long *until_r,
				  const char **error_r);
/* A successful login forgets the key's failures and locks. */
extern int store_web_login_clear(struct store *, const char *key, const char **error_r);

/* ==== end A2 ==== */
/* ---- B: web admin overview, bounces, queue (store_admin.c) ---- */

/* A list's numbers for the admin overview, besides its member counts
 * (store_list_get).  A waiting delivery is queued before its first
 * attempt and deferred after one. */
struct store_admin_list {
	long long held;			/* posts waiting for a moderator */
	long long requests;		/* live pending (un)subscriptions */
	long long queued, deferred;	/* deliveries of the list's mail */
	long long bounced_members;	/* members with a bounce scored since */
};
extern int store_admin_list_numbers(struct store *, const char *list, long long now,
				    long long bounce_since, struct store_admin_list *out,
				    const char **error_r);

/* Authenticated inbound mail of one UTC day (day = Unix time / 86400). */
struct store_admin_auth_day {
	long long day;
	long long dkim_pass, dkim_fail;		/* a signature passed; signatures, none passed */
	long long dmarc_pass, dmarc_fail;
};
/*
 * fn for each day since since (Unix time) with inbound mail to one of the
 * lists (addresses; lists NULL: every list), in day order.  A message to
 * several of them counts once.  A list that does not exist counts nothing.
 */
extern int store_admin_auth_days(struct store *, const char *const *lists, size_t nlists,
				 long long since,
				 int (*fn)(const struct store_admin_auth_day *, void *ctx),
				 void *ctx, const char **error_r);

/* The outbound queue at a glance. */
struct store_admin_queue {
	long long queued, deferred;		/* waiting: before / after a first attempt */
	long long delivered, bounced;		/* of the mail queued since `since` */
	/* The oldest outbound row with waiting deliveries (id 0: none); list
	   and kind belong to the store until its next call. */
	long long oldest_id, oldest_created, oldest_waiting;
	const char *oldest_list, *oldest_kind;
};
extern int store_admin_queue_numbers(struct store *, long long since,
				     struct store_admin_queue *out, const char **error_r);

/* A delivery with its error (queue page) or a bounced one (bounces page). */
struct store_admin_delivery {
	long long id, outbound_id, attempts;
	long long when;			/* errors: next attempt (0 none); bounced: queued at */
	const char *list;		/* "" on the bounces page (it is the list's) */
	const char *recipient, *state, *error;
};
/* The last max deliveries that have an error, newest row first. */
extern int store_admin_queue_errors(struct store *, size_t max,
				    int (*fn)(const struct store_admin_delivery *, void *ctx),
				    void *ctx, const char **error_r);
/* The last max deliveries of list's mail that bounced, newest first. */
extern int store_admin_bounced(struct store *, const char *list, size_t max,
			       int (*fn)(const struct store_admin_delivery *, void *ctx),
			       void *ctx, const char **error_r);

/* ---- end B ---- */
/* ---- C1: web admin held posts (store_c1.c) ---- */

/* A held post with what the moderation page shows beside it. */
struct store_c1_held {
	struct store_held held;
	const char *verdict;		/* inbox.verdict (verdict.h lines); NULL none */
	long long size;			/* the message's octets */
};

/*
 * fn for each held post of list, oldest first, at most max of them
 * (strings valid during the call).  A store status.
 */
extern int store_c1_held_each(struct store *, const char *list, size_t max,
			      int (*fn)(const struct store_c1_held *, void *ctx), void *ctx,
			      const char **error_r);

/* ---- end C1 ---- */
/* ---- C2: the web members page (store_c2.c) ---- */
/* The longest search (octets) store_member_page takes. */
#define STORE_MEMBER_SEARCH_MAX	256

/* A member as the members page shows it. */
struct store_member_view {
	struct store_member m;
	const char *disabled_by;	/* "" (enabled), "bounce", "admin" or "member" */
};

/*
 * One page of list's members, ordered by lowercased address: those
 * whose address or display name contains q (NULL or "": all; ASCII case
 * is ignored; % _ and \ are plain characters), skipping the first
 * offset, at most limit of them.  fn is called for each (stop early by
 * returning nonzero); its strings are valid during the call.  *total_r
 * is how many match in all.  STORE_INVALID for a search longer than
 * STORE_MEMBER_SEARCH_MAX.
 */
extern int store_member_page(struct store *, const char *list, const char *q,
			     long long offset, int limit, long long *total_r,
			     int (*fn)(const struct store_member_view *, void *ctx), void *ctx,
			     const char **error_r);

/*
 * Set one member's delivery mode (regular, digest, nomail) and moderated
 * flag (0 or 1).  STORE_NOT_FOUND if address is not a member of list,
 * STORE_INVALID for a bad address or value.
 */
extern int store_member_update(struct store *, const char *list, const char *address,
			       const char *delivery, int moderated, const char **error_r);
/* ---- end C2 ---- */

/* ---- R2: DMARC aggregate reports received (store_dmarcrep.c) ---- */
struct dmarcrep_report;

/* A record's count above this is refused: no receiver saw 10^12 messages
   from one IP in a day, and the summary's sums must not overflow. */
#define STORE_DMARCREP_COUNT_MAX	1000000000000LL

/*
 * Store a parsed report (lib/dmarcrep) with all its records in one
 * transaction.  source is "mail" or "file:NAME".  A report whose org_name
 * and report_id are already stored adds nothing: STORE_OK with *dup_r 1.
 * STORE_INVALID (nothing stored) for a bad source, an empty org_name,
 * report_id or policy domain, a schema other than 7489/9990, or a
 * record count below 0 or above STORE_DMARCREP_COUNT_MAX.  The policy
 * domain is stored lowercased.
 */
extern int store_dmarcrep_add(struct store *, const struct dmarcrep_report *,
			      const char *source, long long now, int *dup_r,
			      const char **error_r);

/*
 * Keep a refused report aside: the reason (one line), where it came from
 * ("mail", "mail " and more words, such as "mail <ID> from SENDER", or
 * "file:NAME"), the size and SHA-256 of data[0..len) -- not the bytes
 * (see db/011_dmarc_reports.sql).  STORE_INVALID for a bad source.
 */
extern int store_dmarcrep_reject(struct store *, const char *source, const char *reason,
				 const void *data, size_t len, long long now,
				 const char **error_r);

/* One row of the summary: a reporting org's view of one source IP. */
struct store_dmarcrep_row {
	const char *domain;		/* the policy domain, lowercased */
	const char *org;		/* org_name */
	const char *source_ip;
	long long reports;		/* reports with records of this IP */
	long long messages;		/* sum of the records' counts */
	long long dkim_pass;		/* messages with policy_evaluated dkim=pass */
	long long spf_pass;		/* ... spf=pass */
	long long dmarc_pass;		/* ... either (DMARC passes) */
	/* messages per disposition: none, pass (RFC 9990: DMARC passed, no
	   policy applied), quarantine, reject; other values are in none of them */
	long long none, pass, quarantine, reject;
	/* (H5) of `reports`, those that came by mail that did not pass DMARC
	   (or before that was recorded): their numbers may be forged */
	long long unauth;
	/* (H5) store_dmarcrep_summary_each only: such reports of the whole
	   org (policy domain, org_name) in the window; 0 elsewhere */
	long long org_unauth;
};

/*
 * fn for each (policy domain, org, source IP) of the reports whose
 * date_end is in [since, until], about domain (NULL: all), ordered by
 * domain, org (case ignored), messages (most first) and IP; strings
 * valid during the call, nonzero stops.
 */
extern int store_dmarcrep_summary_each(struct store *, const char *domain, long long since,
				       long long until,
				       int (*fn)(const struct store_dmarcrep_row *, void *ctx),
				       void *ctx, const char **error_r);
/* ---- end R2 ---- */

/* ---- H1: DMARC reports by mail (store_dmarcmail.c) ---- */
/*
 * The list of domain (lowercase) with the lowest id: the list a mail to
 * the DMARC report address at that domain is filed under.  *id_r set;
 * STORE_OK, STORE_NO_LIST (the domain has no list) or STORE_ERROR.
 */
extern int store_dmarcmail_domain_list(struct store *, const char *domain, long long *id_r,
				       const char **error_r);
/* ---- end H1 ---- */
/* ---- H2: the DMARC report page (store_dmarcweb.c) ---- */
/*
 * The reports about one policy domain in a window [begin, end) of Unix
 * seconds.  A report counts where its date_end falls -- the rule of
 * store_dmarcrep_summary_each, so that `sealist dmarc-report summary
 * --now END` and the page over the same window count the same reports --
 * and on the UTC day of its date_end (receivers' daily reports end at
 * 23:59:59 of the day they cover).  The verdicts are the records'
 * policy_evaluated ones; DMARC passes when dkim or spf passed.
 */
struct store_dmarcweb_day {
	long long day;			/* date_end / 86400 */
	long long messages, dmarc_pass, dkim_pass, spf_pass;
};

/* fn for each day with reports, oldest first; nonzero stops. */
extern int store_dmarcweb_days(struct store *, const char *domain, long long begin,
			       long long end,
			       int (*fn)(const struct store_dmarcweb_day *, void *ctx), void *ctx,
			       const char **error_r);
/*
 * fn for each (org, source IP), as store_dmarcrep_row: the most messages
 * failing DMARC first, then the most messages, org (case ignored), IP.
 */
extern int store_dmarcweb_sources(struct store *, const char *domain, long long begin,
				  long long end,
				  int (*fn)(const struct store_dmarcrep_row *, void *ctx),
				  void *ctx, const char **error_r);
/* fn for each org's totals (source_ip ""), by org (case ignored). */
extern int store_dmarcweb_orgs(struct store *, const char *domain, long long begin,
			       long long end,
			       int (*fn)(const struct store_dmarcrep_row *, void *ctx), void *ctx,
			       const char **error_r);
/* A day on which one receiver saw DKIM or DMARC fail for one source IP. */
struct store_dmarcweb_failday {
	const char *org, *source_ip;
	long long day;			/* date_end / 86400 */
	long long messages, dmarc_pass, dkim_pass;
};

/* fn for each (org, source IP, day) with a DKIM or DMARC failure, by org,
   IP and day; strings valid during the call, nonzero stops. */
extern int store_dmarcweb_faildays(struct store *, const char *domain, long long begin,
				   long long end,
				   int (*fn)(const struct store_dmarcweb_failday *, void *ctx),
				   void *ctx, const char **error_r);
/* fn for each policy domain with a stored report, in order; nonzero stops. */
extern int store_dmarcweb_domains(struct store *, int (*fn)(const char *domain, void *ctx),
				  void *ctx, const char **error_r);
/* ---- end H2 ---- */
/* ---- H4: DMARC aggregate reports sealist sends (store_dmarcout.c, db/013) ---- */
/*
 * One decided post for the reports (src/dmarcout.h says what each field
 * holds).  Written by store_inbox_rcpt_finish and store_held_finish when
 * the outcome carries it; a second row for the same (message, list) is
 * ignored.
 */
struct store_dmarc_feedback {
	const char *list_domain, *source_ip, *header_from, *policy_domain;
	const char *envelope_from, *envelope_to;
	const char *p, *sp, *np, *adkim, *aspf, *fo, *testing, *discovery, *rua;
	long long ri, received_at;
	const char *dkim_aligned, *spf_aligned, *dkim_results;
	const char *spf_domain, *spf_scope, *spf_result;
	const char *disposition, *reason_type, *reason_comment;
};

/* One report to write: the rows of (list domain, policy domain, interval). */
struct store_dmarcout_group {
	char   *list_domain, *policy_domain;
	long long interval, begin;	/* seconds; begin a multiple of interval */
	long long list_id;		/* a list of list_domain: the outbound rows' */
	long long rows;
	long long max_id;		/* the newest row read: later ones wait */
};

/*
 * The groups whose interval ended at or before now (at most max, oldest
 * first) into a malloc'd array *out (free with store_dmarcout_groups_free).
 */
extern int store_dmarcout_groups(struct store *, long long now, size_t max,
				 struct store_dmarcout_group **out, size_t *n_r,
				 const char **error_r);
extern void store_dmarcout_groups_free(struct store_dmarcout_group *, size_t n);

/* One aggregated record of a group: identical rows with their count. */
struct store_dmarcout_row {
	const char *source_ip, *disposition, *dkim_aligned, *spf_aligned;
	const char *reason_type, *reason_comment, *header_from, *envelope_from, *envelope_to;
	const char *dkim_results, *spf_domain, *spf_scope, *spf_result;
	long long count;
};

/* fn for each record of the group (most messages first); nonzero stops. */
extern int store_dmarcout_records_each(struct store *, const struct store_dmarcout_group *,
				       int (*fn)(const struct store_dmarcout_row *, void *ctx),
				       void *ctx, const char **error_r);

/* The policy as published in the group's newest row (strings in the row's
   fields of a store_dmarc_feedback; valid until the next store call). */
extern int store_dmarcout_policy(struct store *, const struct store_dmarcout_group *,
				 struct store_dmarc_feedback *out, const char **error_r);

/* A report made: its row, its outbound rows (none when every destination
   was refused) and the group's feedback rows deleted, one transaction,
   at the store's clock (the pass's may be --now's: the rows must be due
   for delivery now).  STORE_EXISTS when that interval was reported
   already: nothing is sent and the group's rows, come too late, are
   deleted. */
struct store_dmarcout_sent {
	const char *report_id, *destinations;	/* one address per line */
	long long date_end, records, messages;
	const struct store_outbound_new *outbound;
	size_t	noutbound;
};
extern int store_dmarcout_record_sent(struct store *, const struct store_dmarcout_group *,
				      const struct store_dmarcout_sent *, const char **error_r);

/* Delete feedback rows received before `before` (never reported); *n_r how many. */
extern int store_dmarcout_purge(struct store *, long long before, long long *n_r,
				const char **error_r);
/* ---- end H4 ---- */

/* ---- H5: was a report mail authentic (store_dmarcrep.c) ---- */
/*
 * store_dmarcrep_add for a report that came by mail (source "mail"),
 * with our DMARC verdict of that mail: dmarc ("pass", "fail", "none",
 * "temperror", "permerror"; NULL: "") and its From domain (NULL: "").
 * A report stored before from mail that did not pass gives way to this
 * one when dmarc is "pass" (*dup_r 0 then); see
 * db/014_dmarc_report_auth.sql.
 */
extern int store_dmarcrep_add_mail(struct store *, const struct dmarcrep_report *,
				   const char *dmarc, const char *from_domain, long long now,
				   int *dup_r, const char **error_r);
/* ---- end H5 ---- */
/* ---- H6: the web's kept connections (store_keep.c); the member counts (db/015) ---- */
/*
 * Settle s between two uses when it is kept open (the web keeps one per
 * thread): reset every statement still running, so that the connection
 * holds no read snapshot and sees the next commits.  0, or -1 if a
 * transaction is still open (no entry point leaves one): then close s
 * (which rolls back) instead of keeping it.
 */
extern int store_idle(struct store *);
/* ---- end H6 ---- */
/* ---- H7: bounces of the DMARC reports sent (store_dmarcbounce.c, db/016) ---- */
/* *known_r 1 if dmarc_sent_reports has a report with this report_id, else 0. */
extern int store_dmarcbounce_known(struct store *, const char *report_id, int *known_r,
				   const char **error_r);
/* One failed recipient of a bounce of report report_id (class "hard" or
   "soft"), from inbox message inbox_id; a second time for the same
   inbox message and recipient adds nothing and returns STORE_EXISTS. */
struct store_dmarcbounce {
	const char *report_id, *recipient, *status, *cls;
	long long inbox_id, when;
};
extern int store_dmarcbounce_add(struct store *, const struct store_dmarcbounce *,
				 const char **error_r);
/* *n_r: the hard bounces of recipient (exact octets) stored at or after since. */
extern int store_dmarcbounce_hard(struct store *, const char *recipient, long long since,
				  long long *n_r, const char **error_r);
/* ---- end H7 ---- */

#endif
