/*
 * NAME
 *	delivery 3h
 * SUMMARY
 *	the delivery workers: from the queue through outsign to the relay
 * DESCRIPTION
 *	Each worker is a thread with its own database connection and its own
 *	SMTP connection to the relay (deliver.h), kept open and reused, so
 *	smtp_connections workers send in parallel and the signing of one
 *	overlaps the network waits of the others.  A worker owns the
 *	deliveries whose id is its residue modulo the number of workers:
 *	nothing is claimed and no two workers send one row.
 *
 *	One step takes a batch of due rows, finishes every copy (outsign.h:
 *	the member's one-click List-Unsubscribe, DKIM by the list domain,
 *	the ARC seal), sends it, and records every result in one
 *	transaction:
 *	  2xx after the data	delivered
 *	  4xx, lost, timeout	queued again after the retry schedule's
 *				next wait, until max_queue_lifetime: then
 *				bounced, and reported as a soft bounce
 *	  5xx			bounced, reported as a bounce of its class
 *	A row is marked delivered only after the relay's reply, so a crash
 *	re-sends at most the batch that was in flight (at-least-once).
 *	Bounces are reported through a callback after the results are
 *	recorded: scoring them is the bounce module's business.
 *
 *	Posts go out with VERP (LIST-bounces+LOCAL=DOMAIN@) one recipient per
 *	transaction when verp is on; with verp off and personalization off
 *	one signed copy goes to up to max_rcpt_per_txn recipients at once.
 *	Notices and forwards keep the envelope sender they were queued with.
 */
#ifndef SEALIST_DELIVERY_H
#define SEALIST_DELIVERY_H

#include <stddef.h>

#include "deliver.h"
#include "dsn/dsn.h"

struct store;

#define DELIVERY_MAX_RETRY	32	/* waits in a retry schedule */

struct delivery_config {
	const char *database;
	struct deliver_config smtp;
	unsigned connections;		/* worker threads, >= 1 */
	int	verp;			/* 1: per-recipient envelope for posts */
	size_t	max_rcpt_per_txn;	/* batches when a copy is shared */
	long	retry[DELIVERY_MAX_RETRY];	/* seconds; the last repeats */
	size_t	nretry;
	long	max_lifetime;		/* seconds before a tempfail is given up */
	const char *web_base_url;	/* one-click URLs; must be https:// */
	char	delimiter;		/* recipient_delimiter */
	unsigned idle_ms;		/* a look at the queue when not kicked */
	/* A 5xx, or a delivery given up: called after the result is
	   recorded, for posts only (notices to owners never score). */
	void  (*on_bounce)(void *ctx, struct store *, const char *list,
			   const char *address, enum dsn_class cls, const char *why);
	void   *on_bounce_ctx;
	/* Called by worker 0 about once a minute (bounce warnings), with
	   its store; may be NULL. */
	void  (*on_tick)(void *ctx, struct store *);
	void   *on_tick_ctx;
	/* The clock (Unix seconds); NULL: time(). */
	long long (*now)(void);
};

/*
 * From sealist.conf: smtp_relay, smtp_starttls, smtp_tls_verify,
 * smtp_user, smtp_password, smtp_connections, verp, max_rcpt_per_txn,
 * retry_schedule, max_queue_lifetime, recipient_delimiter, database.
 * Strings point into conf; web_base_url is the caller's (the pipeline
 * works out the same one).  0, or -1 with *error_r.
 */
struct conf;
extern int delivery_config_load(const struct conf *, const char *web_base_url,
				struct delivery_config *, const char **error_r);

struct delivery_worker;

/* A worker without a thread, for tests and the benchmark. */
extern struct delivery_worker *delivery_worker_new(const struct delivery_config *,
						   unsigned modulo, unsigned residue,
						   const char **error_r);
/* One batch: 1 something was sent (or tried), 0 nothing due, -1 a local error. */
extern int delivery_worker_step(struct delivery_worker *);
extern void delivery_worker_free(struct delivery_worker *);

struct delivery;

/* Start cfg->connections workers; NULL with *error_r. */
extern struct delivery *delivery_start(const struct delivery_config *, const char **error_r);
/* Something was queued: look now rather than at idle_ms. */
extern void delivery_kick(struct delivery *);
/* Finish the batches in flight, stop, free. */
extern void delivery_stop(struct delivery *);

#endif
