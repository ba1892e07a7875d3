/*
 * NAME
 *	post 3h
 * SUMMARY
 *	what happens to one recipient of one stored message
 * DESCRIPTION
 *	post_handle() decides a recipient of an authenticated message and
 *	prepares everything its decision writes: for a post, the posting
 *	policy (policy.h) and then the rewritten post for the outbound table,
 *	or a held row, or a rejection, with the notices that go with them;
 *	for the owner address, a copy to the owners; for a moderator's reply
 *	to a held-post notice (LIST-confirm+TOKEN@), the decision it carries;
 *	for bounces, the scoring; for commands (request, join, leave, and
 *	confirm tokens that are not a held post's), request.h; for the DMARC
 *	report address, the reports in it (dmarcrep_mail.h, which writes them
 *	itself, one transaction each).  Nothing else is written here: the caller
 *	hands the result to store_inbox_rcpt_finish(), one transaction.
 *
 *	post_decide_held() carries out a moderator's decision on a held post
 *	(CLI, web, or a reply by mail): approve runs the rewrite on the
 *	stored message with its stored verdict, reject tells the poster
 *	(unless the From failed DMARC), discard drops it.
 */
#ifndef SEALIST_POST_H
#define SEALIST_POST_H

#include <time.h>

#include "buf/buf.h"
#include "dmarcout.h"
#include "dns/dns.h"
#include "store.h"
#include "verdict.h"

struct post_ctx {
	struct store *store;
	struct dns_resolver *resolver;	/* for the keep check's key lookups */
	const char *authserv_id;
	char	delimiter;
	const char *web_base_url;	/* "" none */
	const char *templates_dir;
	time_t	now;
	/* mail commands (request.h), from sealist.conf */
	int	allow_open_subscribe;		/* allow_open_subscribe = yes */
	long	pending_request_life;		/* seconds; 0: 3 days */
	long	request_replies_per_hour;	/* 0: 10 */
	size_t	request_max_commands;		/* 0: 25 */
	int	dmarc_reports_send;		/* dmarc_reports_send = yes */
	int	dmarc_report_require_auth;	/* dmarc_report_require_auth = yes */
};

/* Up to this many rows (a post, a poster notice, a moderator notice; a
   command reply with the confirmations and notices of its commands). */
#define POST_MAX_ROWS	8

struct post_result {
	struct store_rcpt_outcome outcome;
	struct store_outbound_new rows[POST_MAX_ROWS];
	struct store_held_new held;
	struct buf data[POST_MAX_ROWS];		/* the rows' messages */
	char   *owned[64];			/* strings the rows point to */
	size_t	nowned;
	char	reason[512];
	/* the stored verdict, read here so that rows may point into it */
	struct verdict_summary verdict;
	/* a moderator's reply: the decision to carry out after finishing */
	long long decide_held;			/* held id, 0 none */
	char	decide_action[16];		/* approve reject discard */
	/* a delivered post: what the rewrite did to From (dmarcout.h) */
	int	from_rewritten, wrapped;
	struct dmarcout_feedback feedback;	/* outcome.feedback points here */
};

/* Set the outcome (state, and reason copied into r->reason if given). */
extern void post_outcome(struct post_result *, const char *state, const char *reason);

struct msg;
/* The message's Message-ID "<...>", malloc'd, or NULL (none, or unreadable). */
extern char *post_message_id(const struct msg *);

extern void post_result_init(struct post_result *);
extern void post_result_free(struct post_result *);

/* 0 with *res ready for store_inbox_rcpt_finish, -1 with *error_r (a
   local failure: retry later). */
extern int post_handle(struct post_ctx *, const struct store_inbox_msg *,
		       const struct store_rcpt *, struct post_result *res,
		       const char **error_r);

/*
 * action "approve", "reject" or "discard" on held post id (or, id 0, the
 * one with token); "expire" discards it for max_days_to_hold.  STORE_*
 * status; *error_r says why not.
 */
extern int post_decide_held(struct post_ctx *, long long id, const char *token,
			    const char *action, const char **error_r);
/* The same with the moderator's reason for a rejection (NULL or "": none),
   told to the poster after "a moderator rejected it: " (the web form). */
extern int post_decide_held_why(struct post_ctx *, long long id, const char *token,
				const char *action, const char *why, const char **error_r);

/*
 * Discard held posts older than their list's max_days_to_hold (0 keeps
 * them); at most 64 per call.  *count_r gets how many went.
 */
extern int post_expire_held(struct post_ctx *, size_t *count_r, const char **error_r);

#endif
