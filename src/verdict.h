/*
 * NAME
 *	verdict 3h
 * SUMMARY
 *	the part of an authentication verdict the later pipeline steps use,
 *	stored with the message
 * DESCRIPTION
 *	Authentication happens once, when a message is new; policy, rewrite
 *	and (later) DMARC reports run afterwards, maybe after a restart or a
 *	moderator's approval days later.  They must see the verdict the
 *	message was judged by, not a fresh one, so the facts they need are
 *	kept in the inbox row as "key=value" lines (inbox.verdict) and read
 *	back here.  Our Authentication-Results field is kept beside it
 *	(inbox.authres); its payload is also the ARC-Authentication-Results.
 */
#ifndef SEALIST_VERDICT_H
#define SEALIST_VERDICT_H

#include "auth/auth.h"
#include "buf/buf.h"

/* At most this many DKIM results are kept for the reports (the first). */
#define VERDICT_DKIM_RESULTS	4
#define VERDICT_DKIM_RESULTS_SIZE	(VERDICT_DKIM_RESULTS * (253 + 64 + 14))

struct verdict_summary {
	char	dmarc[16];		/* decisive result: none pass fail temperror permerror */
	char	author[256];		/* its author domain, "" none */
	char	org[256];		/* the author's organizational domain, "" unknown */
	char	policy[16];		/* p/sp/np applied: none quarantine reject, "" no record */
	char	from_status[32];	/* dmarc_from_str() */
	char	spf[16];		/* spf result */
	char	arc[8];			/* cv: none pass fail */
	char	author_address[320];	/* first From mailbox, lowercase domain; "" none */
	int	adkim_strict;
	int	dns_error;		/* the author's policy lookup failed */
	/* What a DMARC aggregate report (src/dmarcout.h) says about the
	   message, filled by verdict_report_facts; "" unknown. */
	char	rec_domain[256];	/* where the policy record was found */
	char	p[12], sp[12], np[12];	/* as published; "" absent */
	char	aspf[2];		/* "r" "s"; adkim is adkim_strict */
	char	fo[12];			/* "0", "1:d", ... */
	char	testing[2];		/* "y" "n" */
	char	rua[512];		/* raw rua=; "" none (or unprintable) */
	char	ri[12];			/* seconds, decimal */
	char	discovery[10];		/* "psl" "treewalk" */
	char	dkim_aligned[8], spf_aligned[8];	/* "pass" "fail" */
	char	dkim_results[VERDICT_DKIM_RESULTS_SIZE];	/* "d:s:result,..." */
	char	spf_domain[256];
	char	spf_scope[8];		/* "mfrom" or "" (a HELO identity) */
};

/* Fill s from a verdict and the message's first From mailbox. */
extern void verdict_summarize(const struct auth_verdict *, const char *author_address,
			      struct verdict_summary *s);

/*
 * Add the facts an aggregate report needs (policy record as evaluated,
 * aligned results, DKIM and SPF identifiers) to s: the mode is the
 * discovery method used.  Values a report cannot carry (control
 * characters, DKIM identifiers that are not domain names) are left out.
 */
extern void verdict_report_facts(const struct auth_verdict *, enum dmarc_mode mode,
				 struct verdict_summary *s);

/* Append the key=value lines; 0, or -1 when out refuses. */
extern int verdict_format(const struct verdict_summary *, struct buf *out);

/* Read lines written by verdict_format (unknown keys ignored); 0 or -1. */
extern int verdict_parse(const char *text, struct verdict_summary *s);

#endif
