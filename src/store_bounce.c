/*
 * NAME
 *	store_bounce 3
 * SUMMARY
 *	members' bounce scores: record a bounce, list the records
 * DESCRIPTION
 *	See store.h and db/006_bounces.sql.  The rules are Mailman 2.1's
 *	(Bouncer.registerBounce): one score a day, stale scores forgotten,
 *	disable at the threshold.  A rejection caused by the author's DMARC
 *	failure says nothing about the member's mailbox, so it is counted
 *	apart and never scores: an innocent subscriber must not be removed
 *	for someone else's DMARC policy.
 *
 *	The lifecycle after the disabling (warnings, removal) is in
 *	bounce.c; here only its rows: each step is a conditional UPDATE or
 *	DELETE that re-checks that the step is still due, with the notices
 *	inserted in the same transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store.h"

#define STORE_DAY	86400LL

struct store_bounce_member {
	long long id, last;
	double	score;
	int	enabled;
	char   *address;		/* as given, domain lowercased; malloc'd */
};

static int store_bounce_find(struct store *s, const char *list, const char *address,
			     struct store_bounce_member *m)
{
	sqlite3_stmt *st;
	char   *stored = NULL, *key = NULL;
	long long list_id;
	int	status, rc;

	if ((status = store_list_find(s, list, &list_id)) != STORE_OK
	    || (status = store_address(s, "address", address, &stored, &key)) != STORE_OK)
		return status;
	if ((st = store_stmt(s, SQL_BOUNCE_GET)) == NULL) {
		free(stored);
		free(key);
		return STORE_ERROR;
	}
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m->id = sqlite3_column_int64(st, 0);
		m->enabled = strcmp((const char *) sqlite3_column_text(st, 1), "enabled") == 0;
		m->score = sqlite3_column_double(st, 2);
		m->last = sqlite3_column_int64(st, 3);
		m->address = stored;
		stored = NULL;
		status = STORE_OK;
	} else
		status = rc == SQLITE_DONE ? STORE_NOT_FOUND : store_db_fail(s, "cannot read a member");
	sqlite3_reset(st);
	free(stored);
	free(key);
	return status;
}

static int store_bounce_exec_id(struct store *s, enum store_sql which, long long id,
				double score, long long value)
{
	sqlite3_stmt *st = store_stmt(s, which);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if (which == SQL_BOUNCE_SET) {
		sqlite3_bind_double(st, 2, score);
		sqlite3_bind_int64(st, 3, value);
	} else if (which == SQL_BOUNCE_DISABLE)
		sqlite3_bind_int64(st, 2, value);
	return store_exec(s, st);
}

/* The rules, on a member read inside the transaction. */
/* Warn or remove member id if the step is due; STORE_NOT_FOUND if not. */
static int store_bounce_take(struct store *s, long long id, enum store_bounce_step step,
			     long long now, long interval_days)
{
	sqlite3_stmt *st;
	int	status;

	if (step == STORE_BOUNCE_STEP_NONE)
		return STORE_OK;
	st = store_stmt(s, step == STORE_BOUNCE_STEP_WARN ? SQL_BOUNCE_WARN : SQL_BOUNCE_REMOVE);
	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, interval_days);
	sqlite3_bind_int64(st, 3, now);
	if ((status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
		status = store_fail(s, STORE_NOT_FOUND, "the bounce step is not due");
	return status;
}

static int store_bounce_rows(struct store *s, const struct store_outbound_new *rows,
			     size_t n, long long now)
{
	size_t	i;
	int	status = STORE_OK;

	for (i = 0; status == STORE_OK && i < n; i++)
		status = store_outbound_insert(s, 0, &rows[i], now, NULL);
	return status;
}

/* The disabling's notices and first step, from the hook. */
static int store_bounce_disabled(struct store *s, const struct store_bounce_member *m,
				 const char *address, const struct store_bounce_hook *h,
				 long long now)
{
	const struct store_outbound_new *rows = NULL;
	enum store_bounce_step step = STORE_BOUNCE_STEP_NONE;
	const char *error = NULL;
	size_t	n = 0;
	int	status;

	if (h == NULL || h->disabled == NULL)
		return STORE_OK;
	if (h->disabled(h->ctx, address, m->score, &rows, &n, &step, &error) < 0)
		return store_fail(s, STORE_ERROR, "%s", error != NULL ? error : "cannot build a notice");
	/* interval 0: the disabling just set last_notice = 0, the step is due */
	if ((status = store_bounce_take(s, m->id, step, now, 0)) != STORE_OK)
		return status == STORE_NOT_FOUND
			? store_fail(s, STORE_ERROR, "the first bounce step was not taken") : status;
	return store_bounce_rows(s, rows, n, now);
}

static int store_bounce_apply(struct store *s, struct store_bounce_member *m,
			      const struct store_bounce_rules *r, long long now,
			      const struct store_bounce_hook *h,
			      enum store_bounce_outcome *outcome_r)
{
	int	status;

	if (r->dmarc) {
		*outcome_r = STORE_BOUNCE_DMARC;
		return store_bounce_exec_id(s, SQL_BOUNCE_DMARC, m->id, 0, 0);
	}
	if (m->last > 0 && m->last / STORE_DAY == now / STORE_DAY) {
		*outcome_r = STORE_BOUNCE_SAME_DAY;
		return STORE_OK;
	}
	if (m->last > 0 && now - m->last > (long long) r->stale_after_days * STORE_DAY)
		m->score = 0;		/* stale: start again */
	m->score += r->weight;
	if ((status = store_bounce_exec_id(s, SQL_BOUNCE_SET, m->id, m->score, now)) != STORE_OK)
		return status;
	*outcome_r = STORE_BOUNCE_SCORED;
	if (m->enabled && m->score >= r->threshold) {
		*outcome_r = STORE_BOUNCE_DISABLED;
		if ((status = store_bounce_exec_id(s, SQL_BOUNCE_DISABLE, m->id, 0,
						   r->warnings)) != STORE_OK)
			return status;
		return store_bounce_disabled(s, m, m->address, h, now);
	}
	return STORE_OK;
}

int store_bounce_record(struct store *s, const char *list, const char *address,
			const struct store_bounce_rules *r, long long now,
			enum store_bounce_outcome *outcome_r, double *score_r,
			const char **error_r)
{
	return store_bounce_record_with(s, list, address, r, now, NULL, outcome_r, score_r,
					error_r);
}

int store_bounce_record_with(struct store *s, const char *list, const char *address,
			     const struct store_bounce_rules *r, long long now,
			     const struct store_bounce_hook *h,
			     enum store_bounce_outcome *outcome_r, double *score_r,
			     const char **error_r)
{
	struct store_bounce_member m;
	int	status;

	memset(&m, 0, sizeof(m));
	*outcome_r = STORE_BOUNCE_NOT_MEMBER;
	*score_r = 0;
	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	status = store_bounce_find(s, list, address, &m);
	if (status == STORE_OK)
		status = store_bounce_apply(s, &m, r, now, h, outcome_r);
	if (status == STORE_OK)
		status = store_commit(s);
	else
		store_rollback(s);
	if (status == STORE_NOT_FOUND)
		status = STORE_OK;	/* not a member (any more): nothing to do */
	*score_r = m.score;
	free(m.address);
	return store_result(s, status, error_r);
}

int store_bounce_each(struct store *s, const char *list,
		      int (*fn)(const struct store_bounce_row *, void *), void *ctx,
		      const char **error_r)
{
	struct store_bounce_row b;
	sqlite3_stmt *st;
	long long id;
	int	status, rc;

	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_BOUNCE_ALL)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b.address = (const char *) sqlite3_column_text(st, 0);
		b.status = (const char *) sqlite3_column_text(st, 1);
		b.disabled_by = (const char *) sqlite3_column_text(st, 2);
		b.score = sqlite3_column_double(st, 3);
		b.last = sqlite3_column_int64(st, 4);
		b.dmarc = sqlite3_column_int64(st, 5);
		b.notices_left = sqlite3_column_int(st, 6);
		if (fn(&b, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the bounce records"), error_r);
	return store_result(s, STORE_OK, error_r);
}

/* ---- the lifecycle after the disabling -------------------------------------------- */

int store_outbound_add(struct store *s, const struct store_outbound_new *o, long long now,
		       long long *id_r, const char **error_r)
{
	int	status;

	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((status = store_outbound_insert(s, 0, o, now, id_r)) == STORE_OK)
		status = store_commit(s);
	else
		store_rollback(s);
	return store_result(s, status, error_r);
}

int store_bounce_due_each(struct store *s, const char *list, long long now,
			  long interval_days,
			  int (*fn)(const struct store_bounce_due *, void *), void *ctx,
			  const char **error_r)
{
	struct store_bounce_due d;
	sqlite3_stmt *st;
	long long id;
	int	status, rc;

	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((st = store_stmt(s, SQL_BOUNCE_DUE)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, interval_days);
	sqlite3_bind_int64(st, 3, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d.address = (const char *) sqlite3_column_text(st, 0);
		d.notices_left = sqlite3_column_int(st, 1);
		d.last_bounce = sqlite3_column_int64(st, 2);
		d.last_notice = sqlite3_column_int64(st, 3);
		if (fn(&d, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_result(s, store_db_fail(s, "cannot read the disabled members"), error_r);
	return store_result(s, STORE_OK, error_r);
}

int store_bounce_step(struct store *s, const char *list, const char *address,
		      enum store_bounce_step step, long long now, long interval_days,
		      const struct store_outbound_new *rows, size_t n, const char **error_r)
{
	struct store_bounce_member m;
	int	status;

	if (step != STORE_BOUNCE_STEP_WARN && step != STORE_BOUNCE_STEP_REMOVE)
		return store_result(s, store_fail(s, STORE_INVALID, "no bounce step to take"),
				    error_r);
	memset(&m, 0, sizeof(m));
	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	status = store_bounce_find(s, list, address, &m);
	if (status == STORE_OK)
		status = store_bounce_take(s, m.id, step, now, interval_days);
	if (status == STORE_OK)
		status = store_bounce_rows(s, rows, n, now);
	if (status == STORE_OK)
		status = store_commit(s);
	else
		store_rollback(s);
	free(m.address);
	return store_result(s, status, error_r);
}
