/*
 * NAME
 *	bounce 3
 * SUMMARY
 *	the bounce lifecycle: disable, warn, remove, tell the owners
 * DESCRIPTION
 *	See bounce.h.  This file decides and writes the notices; the store
 *	(store_bounce.c) keeps the scores and takes each step in one
 *	transaction with its notices, re-checking that the step is due, so
 *	two ticks at once or a tick run twice a day never warn twice.
 *
 *	Mailman 2.1 followed (Bouncer.py, cron/disabled): disableBouncingMember
 *	sends the member's first warning (sendNextNotification) and then the
 *	owner notice; each warning lowers notices_left and sets last_notice;
 *	a disabled member is due again once the interval has passed since
 *	the day of the last notice, and is removed when due with no notices
 *	left (so with 0 warnings, at once).  Mailman's warning says how many
 *	notices were left before it was sent; ours says how many will still
 *	come, which is what the member can count on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bounce.h"
#include "buf/buf.h"
#include "notice.h"
#include "sealist_limits.h"
#include "settings.h"

#define BOUNCE_DAY	86400LL

/* A disabling brings at most three notices (warning, owner disabled/removed). */
#define BOUNCE_MAX_ROWS	3

/* Owner lists are short; notices are small. */
#define BOUNCE_OWNERS_MAX	(64 * 1024)
#define BOUNCE_NOTICE_MAX	(1024 * 1024)

/* What a step needs to know about its list. */
struct bounce_list {
	long long id;
	char   *address;		/* "dev@example.org", lowercased */
	char   *owner, *bounces;	/* "dev-owner@example.org", "dev-bounces@..." */
	char   *real_name;
	struct buf owners;		/* one per line */
	long	processing, stale, warnings, interval, notify_disable, notify_removal;
	double	threshold;
};

/* The notices of one step, owned here until the store has them. */
struct bounce_notices {
	struct store_outbound_new rows[BOUNCE_MAX_ROWS];
	struct buf data[BOUNCE_MAX_ROWS];
	size_t	n;
};

static void bounce_notices_init(struct bounce_notices *nb)
{
	size_t	i;

	memset(nb, 0, sizeof(*nb));
	for (i = 0; i < BOUNCE_MAX_ROWS; i++)
		buf_init(&nb->data[i], BOUNCE_NOTICE_MAX);
}

static void bounce_notices_free(struct bounce_notices *nb)
{
	size_t	i;

	for (i = 0; i < BOUNCE_MAX_ROWS; i++)
		buf_free(&nb->data[i]);
	nb->n = 0;
}

/* ---- the list ---------------------------------------------------------------------- */

static int bounce_owner_line(const char *owner, void *ctx)
{
	struct buf *b = ctx;

	buf_printf(b, "%s%s", b->len > 0 ? "\n" : "", owner);
	return 0;
}

/* "local-role@domain" ("local@domain" for role ""), malloc'd; NULL: no memory. */
static char *bounce_role(const char *local, const char *role, const char *domain)
{
	size_t	len = strlen(local) + strlen(role) + strlen(domain) + 3;
	char   *s = malloc(len);

	if (s != NULL)
		snprintf(s, len, "%s%s%s@%s", local, *role ? "-" : "", role, domain);
	return s;
}

static void bounce_list_free(struct bounce_list *l)
{
	free(l->address);
	free(l->owner);
	free(l->bounces);
	free(l->real_name);
	buf_free(&l->owners);
}

/* One setting's value as a number; the store has validated it. */
static int bounce_setting(const struct bounce_ctx *c, const char *list, enum settings_id id,
			  char **text_r, double *value_r, const char **error_r)
{
	char   *v;
	int	status;

	if ((status = store_setting_get(c->store, list, settings_at(id)->name, &v, NULL,
					error_r)) != STORE_OK)
		return status;
	if (value_r != NULL)
		*value_r = strtod(v, NULL);
	if (text_r != NULL)
		*text_r = v;
	else
		free(v);
	return STORE_OK;
}

static int bounce_list_load(const struct bounce_ctx *c, const char *list, struct bounce_list *l,
			    const char **error_r)
{
	static const enum settings_id ids[] = {
		SETTING_BOUNCE_PROCESSING, SETTING_BOUNCE_INFO_STALE_AFTER,
		SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS,
		SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS_INTERVAL,
		SETTING_BOUNCE_NOTIFY_OWNER_ON_DISABLE, SETTING_BOUNCE_NOTIFY_OWNER_ON_REMOVAL,
	};
	long   *const to[] = {
		&l->processing, &l->stale, &l->warnings, &l->interval, &l->notify_disable,
		&l->notify_removal,
	};
	char   *local = NULL, *domain = NULL;
	double	v;
	size_t	i;
	int	status;

	memset(l, 0, sizeof(*l));
	buf_init(&l->owners, BOUNCE_OWNERS_MAX);
	if ((status = store_list_check_name(list, &local, &domain, error_r)) != STORE_OK)
		return status;
	l->address = bounce_role(local, "", domain);
	l->owner = bounce_role(local, "owner", domain);
	l->bounces = bounce_role(local, "bounces", domain);
	free(local);
	free(domain);
	if (l->address == NULL || l->owner == NULL || l->bounces == NULL) {
		*error_r = "out of memory";
		return STORE_ERROR;
	}
	if ((status = store_list_id(c->store, l->address, &l->id, error_r)) != STORE_OK)
		return status;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if ((status = bounce_setting(c, l->address, ids[i], NULL, &v, error_r)) != STORE_OK)
			return status;
		*to[i] = (long) v;
	}
	if ((status = bounce_setting(c, l->address, SETTING_BOUNCE_SCORE_THRESHOLD, NULL,
				     &l->threshold, error_r)) != STORE_OK
	    || (status = bounce_setting(c, l->address, SETTING_REAL_NAME, &l->real_name, NULL,
					error_r)) != STORE_OK
	    || (status = store_owner_each(c->store, l->address, bounce_owner_line, &l->owners,
					  error_r)) != STORE_OK)
		return status;
	if (buf_failed(&l->owners)) {
		*error_r = "the list's owners do not fit in memory";
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* ---- notices ----------------------------------------------------------------------- */

/* Add a notice to nb: to one address, queued for rcpts (one per line). */
static int bounce_notice(const struct bounce_ctx *c, const struct bounce_list *l,
			 const char *template, const char *const *vars, const char *to,
			 const char *rcpts, struct bounce_notices *nb, const char **error_r)
{
	struct store_outbound_new *o;
	struct buf *data;
	struct notice n;

	if (nb->n >= BOUNCE_MAX_ROWS) {
		*error_r = "too many bounce notices for one step";	/* a bug */
		return -1;
	}
	o = &nb->rows[nb->n];
	data = &nb->data[nb->n];
	buf_reset(data);
	memset(&n, 0, sizeof(n));
	n.templates_dir = c->templates_dir;
	n.template = template;
	n.list = l->address;
	n.vars = vars;
	n.from = l->owner;
	n.from_name = l->real_name;
	n.to = to;
	n.auto_replied = 0;
	n.now = (time_t) c->now;
	if (notice_build(&n, data, error_r) < 0)
		return -1;
	memset(o, 0, sizeof(*o));
	o->list_id = l->id;
	o->kind = "notice";
	o->envelope_from = l->bounces;
	o->recipients = rcpts;
	o->message = data->data;
	o->size = data->len;
	nb->n++;
	return 0;
}

/* "2026-11-27", the UTC day of t, or "-" for none. */
static void bounce_day(long long t, char *out, size_t size)
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%d", &tm) == 0)
		snprintf(out, size, "-");
}

/* The member's "delivery is disabled" warning, with left warnings still to come. */
static int bounce_warning(const struct bounce_ctx *c, const struct bounce_list *l,
			  const char *address, long left, long long last_bounce,
			  struct bounce_notices *nb, const char **error_r)
{
	char	day[32], nleft[24];
	const char *vars[] = { "list", l->address, "address", address, "last_bounce", day,
		"warnings_left", nleft, "owner_address", l->owner, NULL };

	bounce_day(last_bounce, day, sizeof(day));
	snprintf(nleft, sizeof(nleft), "%ld", left);
	return bounce_notice(c, l, "bounce-disabled", vars, address, address, nb, error_r);
}

/* The owners' notice of a removal (when they want it and there are some). */
static int bounce_owner_removed(const struct bounce_ctx *c, const struct bounce_list *l,
				const char *address, long long last_bounce,
				struct bounce_notices *nb, const char **error_r)
{
	char	day[32], warnings[24];
	const char *vars[] = { "list", l->address, "address", address, "last_bounce", day,
		"warnings", warnings, NULL };

	if (!l->notify_removal || l->owners.len == 0)
		return 0;
	bounce_day(last_bounce, day, sizeof(day));
	snprintf(warnings, sizeof(warnings), "%ld", l->warnings);
	return bounce_notice(c, l, "bounce-owner-removed", vars, l->owner, buf_str(&l->owners),
			     nb, error_r);
}

/* ---- a bounce ---------------------------------------------------------------------- */

struct bounce_disabling {
	const struct bounce_ctx *c;
	const struct bounce_list *l;
	const char *why;
	struct bounce_notices nb;
};

/* Called by the store inside the disabling's transaction. */
static int bounce_on_disable(void *ctx, const char *address, double score,
			     const struct store_outbound_new **rows_r, size_t *n_r,
			     enum store_bounce_step *step_r, const char **error_r)
{
	struct bounce_disabling *d = ctx;
	const struct bounce_list *l = d->l;
	char	nscore[32], warnings[24];
	const char *vars[] = { "list", l->address, "address", address, "score", nscore,
		"reason", d->why, "warnings", warnings, NULL };

	d->nb.n = 0;
	if (l->warnings > 0) {
		*step_r = STORE_BOUNCE_STEP_WARN;
		if (bounce_warning(d->c, l, address, l->warnings - 1, d->c->now, &d->nb,
				   error_r) < 0)
			return -1;
	} else {
		*step_r = STORE_BOUNCE_STEP_REMOVE;
		if (bounce_owner_removed(d->c, l, address, d->c->now, &d->nb, error_r) < 0)
			return -1;
	}
	snprintf(nscore, sizeof(nscore), "%.1f", score);
	snprintf(warnings, sizeof(warnings), "%ld", l->warnings);
	if (l->notify_disable && l->owners.len > 0
	    && bounce_notice(d->c, l, "bounce-owner-disabled", vars, l->owner,
			     buf_str(&l->owners), &d->nb, error_r) < 0)
		return -1;
	*rows_r = d->nb.rows;
	*n_r = d->nb.n;
	return 0;
}

int bounce_event_scored(const struct bounce_ctx *c, const char *list, const char *address,
			enum dsn_class cls, const char *why,
			enum store_bounce_outcome *outcome_r, double *score_r,
			const char **error_r)
{
	struct bounce_disabling d;
	struct store_bounce_rules rules;
	struct store_bounce_hook hook;
	struct bounce_list l;
	enum store_bounce_outcome outcome = STORE_BOUNCE_NOT_MEMBER;
	double	score = 0;
	int	status;

	if ((status = bounce_list_load(c, list, &l, error_r)) == STORE_OK && l.processing
	    && cls != DSN_OTHER) {
		memset(&rules, 0, sizeof(rules));
		rules.weight = cls == DSN_HARD ? 1.0 : 0.5;
		rules.dmarc = cls == DSN_DMARC;
		rules.threshold = l.threshold;
		rules.stale_after_days = l.stale;
		rules.warnings = (int) l.warnings;
		memset(&d, 0, sizeof(d));
		d.c = c;
		d.l = &l;
		d.why = why != NULL && *why ? why : "(no reason given)";
		bounce_notices_init(&d.nb);
		hook.disabled = bounce_on_disable;
		hook.ctx = &d;
		status = store_bounce_record_with(c->store, l.address, address, &rules, c->now,
						  &hook, &outcome, &score, error_r);
		bounce_notices_free(&d.nb);
	}
	bounce_list_free(&l);
	if (outcome_r != NULL)
		*outcome_r = outcome;
	if (score_r != NULL)
		*score_r = score;
	return status;
}

int bounce_event(const struct bounce_ctx *c, const char *list, const char *address,
		 enum dsn_class cls, const char *why, enum store_bounce_outcome *outcome_r,
		 const char **error_r)
{
	return bounce_event_scored(c, list, address, cls, why, outcome_r, NULL, error_r);
}

/* ---- the daily steps --------------------------------------------------------------- */

/* Names (lists, or due members) collected before acting: no store call
   may run inside a store_*_each callback. */
struct bounce_item {
	char   *address;
	int	notices_left;
	long long last_bounce;
};
struct bounce_items {
	struct bounce_item *v;
	size_t	n, cap;
	int	failed;
};

static int bounce_items_add(struct bounce_items *it, const char *address, int left,
			    long long last_bounce)
{
	struct bounce_item *v;

	if (it->n == it->cap) {
		size_t	cap = it->cap ? 2 * it->cap : 16;

		if ((v = realloc(it->v, cap * sizeof(*v))) == NULL) {
			it->failed = 1;
			return 1;
		}
		it->v = v;
		it->cap = cap;
	}
	if ((it->v[it->n].address = strdup(address)) == NULL) {
		it->failed = 1;
		return 1;
	}
	it->v[it->n].notices_left = left;
	it->v[it->n].last_bounce = last_bounce;
	it->n++;
	return 0;
}

static void bounce_items_free(struct bounce_items *it)
{
	size_t	i;

	for (i = 0; i < it->n; i++)
		free(it->v[i].address);
	free(it->v);
	memset(it, 0, sizeof(*it));
}

static int bounce_add_list(const struct store_list *l, void *ctx)
{
	return bounce_items_add(ctx, l->address, 0, 0);
}

static int bounce_add_due(const struct store_bounce_due *d, void *ctx)
{
	return bounce_items_add(ctx, d->address, d->notices_left, d->last_bounce);
}

/* The due steps of one list. */
static int bounce_tick_list(const struct bounce_ctx *c, const char *list, size_t *warned,
			    size_t *removed, const char **error_r)
{
	struct bounce_notices nb;
	struct bounce_items due;
	struct bounce_list l;
	size_t	i;
	int	status;

	memset(&due, 0, sizeof(due));
	bounce_notices_init(&nb);
	if ((status = bounce_list_load(c, list, &l, error_r)) == STORE_OK && l.processing
	    && (status = store_bounce_due_each(c->store, l.address, c->now, l.interval,
					       bounce_add_due, &due, error_r)) == STORE_OK
	    && due.failed) {
		*error_r = "out of memory";
		status = STORE_ERROR;
	}
	for (i = 0; status == STORE_OK && l.processing && i < due.n; i++) {
		const struct bounce_item *m = &due.v[i];
		enum store_bounce_step step = m->notices_left > 0
			? STORE_BOUNCE_STEP_WARN : STORE_BOUNCE_STEP_REMOVE;

		nb.n = 0;
		if ((step == STORE_BOUNCE_STEP_WARN
		     ? bounce_warning(c, &l, m->address, m->notices_left - 1, m->last_bounce, &nb,
				      error_r)
		     : bounce_owner_removed(c, &l, m->address, m->last_bounce, &nb, error_r)) < 0) {
			status = STORE_ERROR;
			break;
		}
		status = store_bounce_step(c->store, l.address, m->address, step, c->now,
					   l.interval, nb.rows, nb.n, error_r);
		if (status == STORE_OK)
			(*(step == STORE_BOUNCE_STEP_WARN ? warned : removed))++;
		else if (status == STORE_NOT_FOUND)
			status = STORE_OK;	/* taken meanwhile, or re-enabled */
	}
	bounce_notices_free(&nb);
	bounce_items_free(&due);
	bounce_list_free(&l);
	return status;
}

int bounce_tick(const struct bounce_ctx *c, size_t *warned_r, size_t *removed_r,
		const char **error_r)
{
	struct bounce_items lists;
	size_t	warned = 0, removed = 0, i;
	int	status;

	memset(&lists, 0, sizeof(lists));
	if ((status = store_list_each(c->store, bounce_add_list, &lists, error_r)) == STORE_OK
	    && lists.failed) {
		*error_r = "out of memory";
		status = STORE_ERROR;
	}
	for (i = 0; status == STORE_OK && i < lists.n; i++) {
		status = bounce_tick_list(c, lists.v[i].address, &warned, &removed, error_r);
		if (status == STORE_NO_LIST)
			status = STORE_OK;	/* deleted meanwhile */
	}
	bounce_items_free(&lists);
	if (warned_r != NULL)
		*warned_r = warned;
	if (removed_r != NULL)
		*removed_r = removed;
	return status;
}
