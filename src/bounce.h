/*
 * NAME
 *	bounce 3h
 * SUMMARY
 *	the bounce lifecycle: disable, warn, remove, tell the owners
 * DESCRIPTION
 *	Mailman 2.1's rules (Bouncer.py, cron/disabled).  A bounce scores
 *	(store_bounce_record_with); at bounce_score_threshold the member is
 *	disabled, gets the first "your membership is disabled" warning at
 *	once, and the owners are told if bounce_notify_owner_on_disable.
 *	bounce_tick(), run by a timer, sends another warning every
 *	bounce_you_are_disabled_warnings_interval days while notices are
 *	left (bounce_you_are_disabled_warnings of them), and when none are
 *	left and another interval has passed removes the member, telling the
 *	owners if bounce_notify_owner_on_removal.  With no warnings
 *	configured the member is removed at once, as Mailman does.
 *
 *	Only members disabled by bounces (disabled_by 'bounce') are warned
 *	or removed; a list with bounce_processing off records nothing and
 *	takes no step.  Days are UTC days of the injected clock.
 *
 *	Notices are outbound rows of kind "notice" (From LIST-owner@,
 *	Auto-Submitted: auto-generated, envelope LIST-bounces@) with one
 *	delivery row per recipient, written in the same transaction as the
 *	step they announce; the delivery workers sign and send them.
 */
#ifndef SEALIST_BOUNCE_H
#define SEALIST_BOUNCE_H

#include <stddef.h>

#include "dsn/dsn.h"
#include "store.h"

struct bounce_ctx {
	struct store *store;
	const char *templates_dir;
	const char *web_base_url;	/* "" none */
	long long now;			/* the injectable clock: Unix time */
};

/*
 * One bounce for a member of list (an address "list@domain"), class from
 * dsn_classify (DSN_HARD 1.0, DSN_SOFT 0.5, DSN_DMARC counted apart,
 * DSN_OTHER ignored); why is the reply/status text for the owner notice.
 * Honours bounce_processing (off: nothing recorded, *outcome_r
 * STORE_BOUNCE_NOT_MEMBER) and the list's settings; when the member
 * becomes disabled, the member's first warning and the owner notice are
 * queued in the same transaction as the disabling.  *outcome_r may be
 * NULL.  STORE_OK, or the store's status (STORE_NO_LIST, STORE_ERROR)
 * with *error_r.
 */
extern int bounce_event(const struct bounce_ctx *, const char *list, const char *address,
			enum dsn_class cls, const char *why,
			enum store_bounce_outcome *outcome_r, const char **error_r);

/* bounce_event that also gives the member's score afterwards (score_r may be NULL). */
extern int bounce_event_scored(const struct bounce_ctx *, const char *list,
			       const char *address, enum dsn_class cls, const char *why,
			       enum store_bounce_outcome *outcome_r, double *score_r,
			       const char **error_r);

/*
 * Warnings due and removals due, every list: counts in *warned_r,
 * *removed_r (may be NULL).  Safe to run as often as wanted: a step is
 * taken once (the store re-checks it is due in its transaction).
 */
extern int bounce_tick(const struct bounce_ctx *, size_t *warned_r, size_t *removed_r,
		       const char **error_r);

#endif
