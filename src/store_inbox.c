/*
 * NAME
 *	store_inbox 3
 * SUMMARY
 *	the inbox, its recipients' states, held posts and the outbound table
 * DESCRIPTION
 *	See store.h and db/003_pipeline.sql.  Every function that changes
 *	state is one transaction whose UPDATE names the state it expects
 *	("... AND state = 'pending'"): if another worker or a restart already
 *	moved the row, nothing is written and the caller hears
 *	STORE_NOT_FOUND.  That, with WAL and synchronous=FULL, is what makes
 *	a crash at any instant resume without loss or double processing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "store_int.h"
#include "store.h"

/* ---- adding ------------------------------------------------------------ */

/*
 * How long an MTA's retry of a stored message is recognised.  Postfix
 * gives up after maximal_queue_lifetime (5 days); a week covers it.
 */
#define STORE_RETRY_WINDOW	(7 * 86400LL)
#define STORE_DIGEST_LEN	32

/* SHA-256 of the envelope sender, a NUL and the message. */
static int store_inbox_digest(const struct store_inbox_new *m, unsigned char *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned len = 0;
	int	ok;

	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)
	    && EVP_DigestUpdate(ctx, m->envelope_from, strlen(m->envelope_from) + 1)
	    && EVP_DigestUpdate(ctx, m->message, m->size)
	    && EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
	return ok && len == STORE_DIGEST_LEN ? 0 : -1;
}

/* The newest message with this digest in the window, or 0. */
static long long store_inbox_dup(struct store *s, const unsigned char *digest,
				 long long now)
{
	sqlite3_stmt *st = store_stmt(s, SQL_INBOX_DUP);
	long long id = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_blob(st, 1, digest, STORE_DIGEST_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now - STORE_RETRY_WINDOW);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static int store_rcpt_has(struct store *s, long long inbox_id, const char *address)
{
	sqlite3_stmt *st = store_stmt(s, SQL_RCPT_HAS);
	int	has;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, inbox_id);
	sqlite3_bind_text(st, 2, address, -1, SQLITE_STATIC);
	has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return has;
}

static int store_rcpt_insert(struct store *s, long long inbox_id,
			     const struct store_inbox_rcpt *r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_RCPT_INSERT);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, inbox_id);
	sqlite3_bind_text(st, 2, r->address, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->list_id);
	sqlite3_bind_text(st, 4, r->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->tag != NULL ? r->tag : "", -1, SQLITE_STATIC);
	return store_exec(s, st);
}

static int store_inbox_insert(struct store *s, const struct store_inbox_new *m,
			      const unsigned char *digest, long long *id_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_INBOX_INSERT);
	int	status;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, m->received_at);
	sqlite3_bind_text(st, 2, m->envelope_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->client_ip != NULL ? m->client_ip : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->client_name != NULL ? m->client_name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->helo != NULL ? m->helo : "", -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 6, m->message, m->size, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (long long) m->size);
	sqlite3_bind_blob(st, 8, digest, STORE_DIGEST_LEN, SQLITE_STATIC);
	if ((status = store_exec(s, st)) == STORE_OK)
		*id_r = sqlite3_last_insert_rowid(s->db);
	return status;
}

/*
 * The recipients an earlier copy (dup, or 0) does not have yet; their
 * number.  An MTA retrying after a lost 250 sends the same recipients,
 * so usually none is left and nothing is stored twice.
 */
static size_t store_rcpts_new(struct store *s, const struct store_inbox_new *m, long long dup,
			      unsigned char *fresh)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nrcpts; i++) {
		fresh[i] = dup == 0 || !store_rcpt_has(s, dup, m->rcpts[i].address);
		n += fresh[i];
	}
	return n;
}

int store_inbox_add(struct store *s, const struct store_inbox_new *m,
		    long long *id_r, const char **error_r)
{
	unsigned char digest[STORE_DIGEST_LEN];
	unsigned char *fresh;
	long long dup;
	size_t	i;
	int	status;

	if (m->nrcpts == 0)
		return store_result(s, store_fail(s, STORE_INVALID, "a message needs a recipient"),
				    error_r);
	if (store_inbox_digest(m, digest) < 0 || (fresh = malloc(m->nrcpts)) == NULL)
		return store_result(s, store_fail(s, STORE_ERROR, "cannot hash the message"),
				    error_r);
	if ((status = store_begin(s)) != STORE_OK) {
		free(fresh);
		return store_result(s, status, error_r);
	}
	dup = store_inbox_dup(s, digest, m->received_at);
	if (store_rcpts_new(s, m, dup, fresh) == 0) {
		/* a retry of what we have: answer 250 again, store nothing */
		*id_r = dup;
		free(fresh);
		store_rollback(s);
		return store_result(s, STORE_OK, error_r);
	}
	status = store_inbox_insert(s, m, digest, id_r);
	for (i = 0; status == STORE_OK && i < m->nrcpts; i++)
		if (fresh[i])
			status = store_rcpt_insert(s, *id_r, &m->rcpts[i]);
	free(fresh);
	if (status == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return store_result(s, status, error_r);
}

/* ---- reading messages ---------------------------------------------------- */

static char *store_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t != NULL ? strdup((const char *) t) : NULL;
}

void store_inbox_msg_free(struct store_inbox_msg *m)
{
	free(m->envelope_from);
	free(m->client_ip);
	free(m->client_name);
	free(m->helo);
	free(m->state);
	free(m->authres);
	free(m->verdict);
	free(m->message);
	memset(m, 0, sizeof(*m));
}

static int store_inbox_row(struct store *s, sqlite3_stmt *st, struct store_inbox_msg *m)
{
	const void *blob;

	m->id = sqlite3_column_int64(st, 0);
	m->received_at = sqlite3_column_int64(st, 1);
	m->envelope_from = store_column_dup(st, 2);
	m->client_ip = store_column_dup(st, 3);
	m->client_name = store_column_dup(st, 4);
	m->helo = store_column_dup(st, 5);
	m->state = store_column_dup(st, 6);
	m->authres = store_column_dup(st, 7);
	m->verdict = store_column_dup(st, 8);
	blob = sqlite3_column_blob(st, 9);
	m->size = (size_t) sqlite3_column_bytes(st, 9);
	if ((m->message = malloc(m->size ? m->size : 1)) != NULL && m->size > 0)
		memcpy(m->message, blob, m->size);
	if (m->envelope_from == NULL || m->state == NULL || m->message == NULL) {
		store_inbox_msg_free(m);
		return store_fail(s, STORE_ERROR, "out of memory");
	}
	return STORE_OK;
}

static int store_inbox_read(struct store *s, sqlite3_stmt *st, struct store_inbox_msg *out)
{
	int	rc = sqlite3_step(st);
	int	status;

	if (rc == SQLITE_ROW)
		status = store_inbox_row(s, st, out);
	else if (rc == SQLITE_DONE)
		status = store_fail(s, STORE_NOT_FOUND, "no such message");
	else
		status = store_db_fail(s, "cannot read the inbox");
	sqlite3_reset(st);
	return status;
}

int store_inbox_next(struct store *s, const char *state, long long after,
		     unsigned modulo, unsigned residue, struct store_inbox_msg *out,
		     const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_INBOX_NEXT);

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, modulo ? modulo : 1);
	sqlite3_bind_int64(st, 4, modulo ? residue % modulo : 0);
	return store_result(s, store_inbox_read(s, st, out), error_r);
}

int store_inbox_get(struct store *s, long long id, struct store_inbox_msg *out,
		    const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_INBOX_GET);

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	return store_result(s, store_inbox_read(s, st, out), error_r);
}

int store_inbox_set_authenticated(struct store *s, long long id, const char *authres,
				  const char *verdict, long long now, const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_INBOX_AUTHENTICATED);
	int	status;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, authres, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if ((status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
		status = store_fail(s, STORE_NOT_FOUND, "message %lld is not new", id);
	return store_result(s, status, error_r);
}

int store_inbox_rcpt_each(struct store *s, long long id,
			  int (*fn)(const struct store_rcpt *, void *), void *ctx,
			  const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_RCPT_ALL);
	struct store_rcpt r;
	char   *list = NULL;
	int	rc;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *local = (const char *) sqlite3_column_text(st, 5);
		const char *domain = (const char *) sqlite3_column_text(st, 6);
		size_t	n = strlen(local) + strlen(domain) + 2;

		free(list);
		if ((list = malloc(n)) == NULL)
			break;
		snprintf(list, n, "%s@%s", local, domain);
		r.address = (const char *) sqlite3_column_text(st, 0);
		r.role = (const char *) sqlite3_column_text(st, 1);
		r.tag = (const char *) sqlite3_column_text(st, 2);
		r.state = (const char *) sqlite3_column_text(st, 3);
		r.list_id = sqlite3_column_int64(st, 4);
		r.list = list;
		if (fn(&r, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	free(list);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the recipients"), error_r);
	return store_result(s, STORE_OK, error_r);
}

/* ---- finishing a recipient ------------------------------------------------ */

/* One delivery row per line of a notice's or forward's recipients. */
static int store_queue_lines(struct store *s, long long outbound_id, const char *rcpts,
			     long long now)
{
	const char *p, *e;
	sqlite3_stmt *st;
	int	status = STORE_OK;

	for (p = rcpts; status == STORE_OK && *p; p = *e ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		if (e == p)
			continue;
		if ((st = store_stmt(s, SQL_QUEUE_ONE)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, outbound_id);
		sqlite3_bind_text(st, 2, p, (int) (e - p), SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now);
		status = store_exec(s, st);
	}
	return status;
}

/* The delivery rows of a new outbound row, in the same transaction. */
static int store_queue_expand(struct store *s, long long outbound_id,
			      const struct store_outbound_new *o, long long now)
{
	sqlite3_stmt *st;

	if (strcmp(o->kind, "post") != 0)
		return store_queue_lines(s, outbound_id, o->recipients ? o->recipients : "", now);
	if ((st = store_stmt(s, SQL_QUEUE_MEMBERS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, outbound_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, o->list_id);
	sqlite3_bind_text(st, 4, o->author != NULL ? o->author : "", -1, SQLITE_STATIC);
	return store_exec(s, st);
}

int store_outbound_insert(struct store *s, long long inbox_id,
			  const struct store_outbound_new *o, long long now, long long *id_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_OUTBOUND_INSERT);
	long long id;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, o->list_id);
	if (inbox_id > 0)
		sqlite3_bind_int64(st, 2, inbox_id);
	sqlite3_bind_text(st, 3, o->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->envelope_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->recipients != NULL ? o->recipients : "", -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 6, o->message, o->size, SQLITE_STATIC);
	if (o->aar != NULL)
		sqlite3_bind_text(st, 7, o->aar, -1, SQLITE_STATIC);
	if (o->arc_cv != NULL)
		sqlite3_bind_text(st, 8, o->arc_cv, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, now);
	if (store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	id = sqlite3_last_insert_rowid(s->db);
	if (id_r != NULL)
		*id_r = id;
	return store_queue_expand(s, id, o, now);
}

static int store_held_insert(struct store *s, long long inbox_id, long long list_id,
			     const char *address, const struct store_held_new *h,
			     long long now)
{
	sqlite3_stmt *st = store_stmt(s, SQL_HELD_INSERT);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, inbox_id);
	sqlite3_bind_int64(st, 2, list_id);
	sqlite3_bind_text(st, 3, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, h->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, h->token, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, h->sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, h->subject, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, h->notify_poster ? 1 : 0);
	sqlite3_bind_int64(st, 9, now);
	return store_exec(s, st);
}

/* The recipient's state from `from` to the outcome's; NOT_FOUND if it moved. */
static int store_rcpt_move(struct store *s, long long inbox_id, const char *address,
			   const char *from, const struct store_rcpt_outcome *o)
{
	sqlite3_stmt *st = store_stmt(s, SQL_RCPT_FINISH);
	int	status;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, inbox_id);
	sqlite3_bind_text(st, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->state, -1, SQLITE_STATIC);
	if (o->reason != NULL)
		sqlite3_bind_text(st, 4, o->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	if ((status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
		status = store_fail(s, STORE_NOT_FOUND, "recipient %s of message %lld is not %s",
				    address, inbox_id, from);
	return status;
}

/* The message is done once none of its recipients is pending. */
static int store_inbox_maybe_done(struct store *s, long long inbox_id, long long now)
{
	sqlite3_stmt *st = store_stmt(s, SQL_RCPT_PENDING);
	long long pending;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, inbox_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_db_fail(s, "cannot count the recipients");
	}
	pending = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (pending > 0)
		return STORE_OK;
	if ((st = store_stmt(s, SQL_INBOX_DONE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, inbox_id);
	sqlite3_bind_int64(st, 2, now);
	return store_exec(s, st);
}

static int store_outcome_rows(struct store *s, long long inbox_id, long long list_id,
			      const char *address, const struct store_rcpt_outcome *o,
			      long long now)
{
	size_t	i;
	int	status = STORE_OK;

	for (i = 0; status == STORE_OK && i < o->noutbound; i++)
		status = store_outbound_insert(s, inbox_id, &o->outbound[i], now, NULL);
	if (status == STORE_OK && o->held != NULL)
		status = store_held_insert(s, inbox_id, list_id, address, o->held, now);
	if (status == STORE_OK && o->feedback != NULL)
		status = store_dmarcout_feedback_insert(s, inbox_id, list_id, o);
	return status;
}

/* The list a recipient was routed to. */
static int store_rcpt_list(struct store *s, long long inbox_id, const char *address,
			   long long *list_id_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_RCPT_ALL);
	int	rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, inbox_id);
	*list_id_r = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (strcmp((const char *) sqlite3_column_text(st, 0), address) == 0) {
			*list_id_r = sqlite3_column_int64(st, 4);
			break;
		}
	sqlite3_reset(st);
	if (*list_id_r == 0)
		return store_fail(s, STORE_NOT_FOUND, "message %lld has no recipient %s",
				  inbox_id, address);
	return STORE_OK;
}

int store_inbox_rcpt_finish(struct store *s, long long inbox_id, const char *address,
			    const struct store_rcpt_outcome *o, long long now,
			    const char **error_r)
{
	long long list_id;
	int	status;

	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((status = store_rcpt_list(s, inbox_id, address, &list_id)) == STORE_OK
	    && (status = store_rcpt_move(s, inbox_id, address, "pending", o)) == STORE_OK
	    && (status = store_outcome_rows(s, inbox_id, list_id, address, o, now)) == STORE_OK
	    && (status = store_inbox_maybe_done(s, inbox_id, now)) == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return store_result(s, status, error_r);
}

int store_inbox_attempt(struct store *s, long long id, const char *error, long long now,
			long long *attempts_r, const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_INBOX_ATTEMPT);
	int	rc, status = STORE_OK;

	*attempts_r = 0;
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*attempts_r = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		status = store_fail(s, STORE_NOT_FOUND, "no message %lld", id);
	else
		status = store_db_fail(s, "cannot count an attempt");
	sqlite3_reset(st);
	return store_result(s, status, error_r);
}

int store_inbox_settle(struct store *s, long long inbox_id, long long now,
		       const char **error_r)
{
	return store_result(s, store_inbox_maybe_done(s, inbox_id, now), error_r);
}

/* ---- held posts -------------------------------------------------------------- */

void store_held_row(sqlite3_stmt *st, struct store_held *h)
{
	h->id = sqlite3_column_int64(st, 0);
	h->inbox_id = sqlite3_column_int64(st, 1);
	h->list = (const char *) sqlite3_column_text(st, 2);
	h->rcpt_address = (const char *) sqlite3_column_text(st, 3);
	h->reason = (const char *) sqlite3_column_text(st, 4);
	h->token = (const char *) sqlite3_column_text(st, 5);
	h->sender = (const char *) sqlite3_column_text(st, 6);
	h->subject = (const char *) sqlite3_column_text(st, 7);
	h->notify_poster = sqlite3_column_int(st, 8);
	h->held_at = sqlite3_column_int64(st, 9);
}

int store_held_each(struct store *s, const char *list,
		    int (*fn)(const struct store_held *, void *), void *ctx,
		    const char **error_r)
{
	struct store_held h;
	sqlite3_stmt *st;
	long long id = 0;
	int	status, rc;

	if (list != NULL && (status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_HELD_ALL)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	if (list != NULL)
		sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_held_row(st, &h);
		if (fn(&h, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the held posts"), error_r);
	return store_result(s, STORE_OK, error_r);
}

static int store_held_keep(struct store *s, sqlite3_stmt *st, struct store_held *out)
{
	const char *in[6];
	const char *kept[6];
	int	status;

	store_held_row(st, out);
	in[0] = out->list;
	in[1] = out->rcpt_address;
	in[2] = out->reason;
	in[3] = out->token;
	in[4] = out->sender;
	in[5] = out->subject;
	if ((status = store_keep_row(s, in, kept, 6)) != STORE_OK)
		return status;
	out->list = kept[0];
	out->rcpt_address = kept[1];
	out->reason = kept[2];
	out->token = kept[3];
	out->sender = kept[4];
	out->subject = kept[5];
	return STORE_OK;
}

int store_held_get(struct store *s, long long id, const char *token,
		   struct store_held *out, const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, SQL_HELD_GET);
	int	status, rc;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	if (token != NULL)
		sqlite3_bind_text(st, 2, token, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		status = store_held_keep(s, st, out);
	else if (rc == SQLITE_DONE)
		status = token != NULL
		    ? store_fail(s, STORE_NOT_FOUND, "no held post has that token")
		    : store_fail(s, STORE_NOT_FOUND, "no held post %lld", id);
	else
		status = store_db_fail(s, "cannot read the held post");
	sqlite3_reset(st);
	return store_result(s, status, error_r);
}

static int store_held_delete(struct store *s, long long id)
{
	sqlite3_stmt *st = store_stmt(s, SQL_HELD_DELETE);
	int	status;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
		status = store_fail(s, STORE_NOT_FOUND, "held post %lld was decided already", id);
	return status;
}

int store_held_resolve(struct store *s, long long id, const struct store_rcpt_outcome *o,
		       long long now, const char **error_r)
{
	struct store_held h;
	long long list_id = 0;
	int	status;

	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((status = store_held_get(s, id, NULL, &h, NULL)) == STORE_OK
	    && (status = store_rcpt_list(s, h.inbox_id, h.rcpt_address, &list_id)) == STORE_OK
	    && (status = store_held_delete(s, id)) == STORE_OK
	    && (status = store_rcpt_move(s, h.inbox_id, h.rcpt_address, "held", o)) == STORE_OK
	    && (status = store_outcome_rows(s, h.inbox_id, list_id, h.rcpt_address, o, now)) == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return store_result(s, status, error_r);
}

/* ---- outbound ------------------------------------------------------------------ */

void store_outbound_row(sqlite3_stmt *st, struct store_outbound *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->inbox_id = sqlite3_column_int64(st, 1);
	o->kind = (const char *) sqlite3_column_text(st, 2);
	o->envelope_from = (const char *) sqlite3_column_text(st, 3);
	o->recipients = (const char *) sqlite3_column_text(st, 4);
	o->message = sqlite3_column_blob(st, 5);
	o->size = (size_t) sqlite3_column_bytes(st, 5);
	o->aar = (const char *) sqlite3_column_text(st, 6);
	o->arc_cv = (const char *) sqlite3_column_text(st, 7);
	o->state = (const char *) sqlite3_column_text(st, 8);
	o->list = (const char *) sqlite3_column_text(st, 9);
	o->created_at = sqlite3_column_int64(st, 10);
}

int store_outbound_each(struct store *s, int (*fn)(const struct store_outbound *, void *),
			void *ctx, const char **error_r)
{
	struct store_outbound o;
	sqlite3_stmt *st = store_stmt(s, SQL_OUTBOUND_ALL);
	int	rc;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_outbound_row(st, &o);
		if (fn(&o, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the outbound table"), error_r);
	return store_result(s, STORE_OK, error_r);
}

/* ---- the queue, as the CLI shows it ------------------------------------------ */

int store_queue_each(struct store *s, int (*fn)(const struct store_queue_row *, void *),
		     void *ctx, const char **error_r)
{
	struct store_queue_row q;
	sqlite3_stmt *st = store_stmt(s, SQL_QUEUE_SUMMARY);
	int	rc;

	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		q.outbound_id = sqlite3_column_int64(st, 0);
		q.list = (const char *) sqlite3_column_text(st, 1);
		q.kind = (const char *) sqlite3_column_text(st, 2);
		q.created_at = sqlite3_column_int64(st, 3);
		q.queued = sqlite3_column_int64(st, 4);
		q.delivered = sqlite3_column_int64(st, 5);
		q.bounced = sqlite3_column_int64(st, 6);
		q.next_attempt = sqlite3_column_type(st, 7) == SQLITE_NULL ? 0
		    : sqlite3_column_int64(st, 7);
		if (fn(&q, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the queue"), error_r);
	return store_result(s, STORE_OK, error_r);
}

int store_queue_retry(struct store *s, long long outbound_id, long long now,
		      long long *count_r, const char **error_r)
{
	sqlite3_stmt *st = store_stmt(s, outbound_id > 0 ? SQL_QUEUE_RETRY_ONE
				      : SQL_QUEUE_RETRY_ALL);
	int	status;

	*count_r = 0;
	if (st == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, now);
	if (outbound_id > 0)
		sqlite3_bind_int64(st, 2, outbound_id);
	if ((status = store_exec(s, st)) == STORE_OK)
		*count_r = sqlite3_changes(s->db);
	return store_result(s, status, error_r);
}
