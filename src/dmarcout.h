/*
 * NAME
 *	dmarcout 3h
 * SUMMARY
 *	the DMARC aggregate reports sealist sends to author domains
 *	(RFC 9990): what a decided post contributes, and the report pass
 * DESCRIPTION
 *	Capture: when a list decides a post (src/post.c), dmarcout_feedback
 *	turns the stored verdict and the decision into a feedback row,
 *	written in the decision's own transaction, but only when the site
 *	sends reports (dmarc_reports_send), the list counts its posts
 *	(dmarc_aggregate_reports) and the author's DMARC record has a
 *	mailto: rua=.  The disposition is what the list did:
 *	  delivered            none; "pass" when DMARC passed under p=
 *	                       quarantine/reject (RFC 9990: "no action,
 *	                       passing DMARC w/enforcing policy"); reason
 *	                       mailing_list when From was rewritten or the
 *	                       post wrapped, local_policy when DMARC failed
 *	                       and the list delivered all the same;
 *	  held by DMARC        quarantine;
 *	  rejected/discarded   reject;
 *	    by DMARC
 *	  held/rejected for    none, reason local_policy (the list's reason
 *	  another reason       as comment).
 *
 *	The pass (dmarcout_pass; sealistd every few minutes, `sealist
 *	dmarc-report send` at once) makes one report per (list domain,
 *	policy domain, interval) whose interval has ended: the interval is
 *	ri clamped to [1 hour, 1 day], aligned to multiples of itself since
 *	the epoch (daily reports cover UTC days).  Each report goes to the
 *	record's rua= mailto: URIs; a URI outside the policy domain's
 *	organizational domain only when the destination publishes
 *	<policy-domain>._report._dmarc.<host> (RFC 9990 section 4), else it
 *	is logged and skipped.  A temporary DNS failure postpones the
 *	report to the next pass, until a day after the interval's end.  The
 *	mail is DKIM-signed by the delivery workers with the list domain's
 *	key, From being dmarc_report_address@list-domain (also the envelope
 *	sender).  The report_id is "BEGIN.END.POLICY-DOMAIN@LIST-DOMAIN", a
 *	ridfmt unique per list domain, policy domain and interval; it is the
 *	Message-ID too.  A pass starts no new report after
 *	DMARCOUT_PASS_SECONDS, so that unanswered DNS cannot hold the
 *	daemon's worker long: the rest waits for the next pass.
 */
#ifndef SEALIST_DMARCOUT_H
#define SEALIST_DMARCOUT_H

#include <stdio.h>

#include "dns/dns.h"
#include "store.h"
#include "verdict.h"

/* ---- intervals (pure) ---- */

#define DMARCOUT_IV_MIN		3600
#define DMARCOUT_IV_MAX		86400
/* A destination still unresolved this long after the interval's end is given up. */
#define DMARCOUT_GIVE_UP	86400
/* A pass starts no new report after this many seconds (wall clock). */
#define DMARCOUT_PASS_SECONDS	30
/* Unreported feedback rows older than this are deleted. */
#define DMARCOUT_KEEP		(30 * 86400)

/* ri (seconds, as published) clamped to [DMARCOUT_IV_MIN, DMARCOUT_IV_MAX]. */
extern long long dmarcout_interval(long long ri);
/* The start of the interval (of length iv) that contains t. */
extern long long dmarcout_begin(long long t, long long iv);
/* 1 when the interval [begin, begin + iv) has ended at now. */
extern int dmarcout_due(long long begin, long long iv, long long now);

/* ---- capture ---- */

/* What the list did with a post. */
struct dmarcout_decision {
	const char *state;		/* done held rejected discarded */
	int	by_dmarc;		/* policy rule 2 or 3 decided it (policy.h) */
	int	from_rewritten;		/* delivered with From munged */
	int	wrapped;		/* delivered wrapped in message/rfc822 */
	const char *why;		/* the list's reason, or NULL */
	const char *list_address;	/* "dev@lists.example.org" */
	const char *list_domain;
};

/* disposition, reason type ("" none) and comment for a decision (pure). */
extern void dmarcout_disposition(const struct verdict_summary *, const struct dmarcout_decision *,
				 const char **disposition_r, const char **reason_r,
				 char *comment, size_t size);

/* 1 when rua holds a mailto: URI sealist can send to. */
extern int dmarcout_rua_usable(const char *rua);

/* Storage for one feedback row: the strings it points to. */
struct dmarcout_feedback {
	struct store_dmarc_feedback row;
	char	list_domain[256];	/* copied: the caller's list goes first */
	char	envelope_domain[256];
	char	comment[400];
};

/*
 * Fill f for the post (in: the inbox row; v its verdict).  0 with f->row
 * ready, or -1 when the post is not reported (no DMARC record with a
 * usable rua, no source IP).  The caller checks the site and list switches.
 */
extern int dmarcout_feedback(const struct store_inbox_msg *, const struct verdict_summary *,
			     const struct dmarcout_decision *, struct dmarcout_feedback *f);

/* ---- the report pass ---- */

struct dmarcout_config {
	const char *report_address;	/* local part ("" means postmaster) */
	const char *generator;		/* "sealist VERSION" */
	const char *hostname;		/* for the note */
	enum dmarc_mode dmarc_mode;	/* organizational domains */
	int	dry_run;		/* print, send nothing, change nothing */
	FILE   *out;			/* dry run's lines; NULL none */
};

struct dmarcout_stats {
	size_t	reports;		/* recorded (sent, or every URI refused);
					   dry run: would be */
	size_t	mails;			/* outbound rows made (dry run: would be) */
	size_t	postponed;		/* temporary DNS failure: next pass */
	long long purged;		/* old rows deleted */
};

/* One pass at now.  STORE_OK (problems with single reports are logged),
   or a store status with *error_r. */
extern int dmarcout_pass(struct store *, struct dns_resolver *, const struct dmarcout_config *,
			 long long now, struct dmarcout_stats *, const char **error_r);

#endif
