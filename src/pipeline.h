/*
 * NAME
 *	pipeline 3h
 * SUMMARY
 *	the workers that take stored mail from the inbox to the outbound table
 * DESCRIPTION
 *	Each worker owns a database connection, a resolver with its answer
 *	cache and a decoded-key cache, and handles the messages whose id is
 *	its residue modulo the number of workers, so no two workers ever
 *	touch one message and nothing needs claiming.  A step is one state
 *	change in one transaction:
 *	  new -> authenticated	auth_check(); our Authentication-Results
 *				field and the verdict stored with the message
 *	  recipient pending ->	post_handle(): done (enqueued, forwarded),
 *				held, rejected, discarded, deferred or failed,
 *				with the rows that go with it
 *	The work between steps (DNS, signatures, the rewrite) happens outside
 *	any transaction and is simply done again if the process dies before
 *	the step commits, so a crash never loses a message nor handles one
 *	twice.  A step that fails on a local error is logged and retried on
 *	the next pass.
 */
#ifndef SEALIST_PIPELINE_H
#define SEALIST_PIPELINE_H

#include <stddef.h>

#include "dmarc/dmarc.h"

struct pipeline_config {
	const char *database;
	const char *nameserver;		/* "" system resolver */
	const char *authserv_id;
	const char *const *trusted_ids;
	size_t	ntrusted;
	enum dmarc_mode dmarc_mode;
	char	delimiter;
	const char *web_base_url;	/* "" none */
	const char *templates_dir;
	const char *hostname;		/* SPF's %{r} */
	/* mail commands (request.h) */
	int	allow_open_subscribe;
	int	dmarc_reports_send;		/* conf dmarc_reports_send = yes */
	int	dmarc_report_require_auth;	/* conf dmarc_report_require_auth = yes */
	const char *dmarc_report_address;	/* conf dmarc_report_address */
	long	pending_request_life;		/* seconds */
	long	request_replies_per_hour;
	size_t	request_max_commands;
	unsigned workers;		/* threads, >= 1 */
	unsigned idle_ms;		/* a pass when nothing woke us */
	/* Rows were added to the outbound queue (may be NULL). */
	void  (*on_outbound)(void *ctx);
	void   *on_outbound_ctx;
};

/*
 * The configuration from sealist.conf; strings point into conf or into
 * owned (release with pipeline_config_free).  0, or -1 with *error_r.
 */
struct conf;
struct pipeline_config_owned {
	char	authserv_id[256];
	char	hostname[256];
	char	web_base_url[512];
	char  **trusted;
};
extern int pipeline_config_load(const struct conf *, struct pipeline_config *,
				struct pipeline_config_owned *, const char **error_r);
extern void pipeline_config_free(struct pipeline_config_owned *);

struct pipeline_worker;

/* A worker without a thread: tests, and the CLI's held decisions. */
extern struct pipeline_worker *pipeline_worker_new(const struct pipeline_config *,
						   unsigned modulo, unsigned residue,
						   const char **error_r);
/* One step: 1 something was done, 0 nothing to do, -1 a step failed (logged). */
extern int pipeline_worker_step(struct pipeline_worker *);
extern void pipeline_worker_free(struct pipeline_worker *);

/* An owner's decision on a subscription request awaiting approval
   (request_decide): action "approve" or "reject". */
extern int pipeline_worker_request(struct pipeline_worker *, const char *token,
				   const char *action, const char **error_r);

/* A moderator's decision through the worker's context (post_decide_held_why;
   why: the reason told to a rejected poster, NULL none). */
extern int pipeline_worker_decide(struct pipeline_worker *, long long id, const char *token,
				  const char *action, const char *why, const char **error_r);

struct pipeline;

/* Start cfg->workers threads; NULL with *error_r if one cannot start. */
extern struct pipeline *pipeline_start(const struct pipeline_config *, const char **error_r);
/* New mail is in the inbox: wake the workers now rather than at idle_ms. */
extern void pipeline_kick(struct pipeline *);
/* Finish the current steps, stop the threads, free everything. */
extern void pipeline_stop(struct pipeline *);

#endif
