/*
 * NAME
 *	dmarcverdict 3h
 * SUMMARY
 *	what DMARC aggregate reports say about a domain, in a few sentences
 * DESCRIPTION
 *	Owns two things: reading outbound_ips (the list server's own
 *	addresses, sealist.conf) into address blocks, for `sealist
 *	dmarc-report summary` and the web page alike; and the verdict, a
 *	pure function of the per-(org, source IP) rows of one domain and
 *	window (store_dmarcweb_sources) and those blocks: did the list
 *	server's mail pass, where not and the likely cause, what other
 *	sources fail and what that means, and whose reports came in mail
 *	that did not pass DMARC (RFC 9990 section 8.2).  No store, no clock, no I/O: the
 *	unit test (tests/unit/test_dmarcverdict.c) feeds it rows.
 */
#ifndef SEALIST_DMARCVERDICT_H
#define SEALIST_DMARCVERDICT_H

#include <stddef.h>

#include "buf/buf.h"
#include "store.h"
#include "web_client.h"

/* outbound_ips entries that count (the rest are ignored, with a warning). */
#define DMARCVERDICT_NETS_MAX	64

/*
 * The blank- or comma-separated addresses and ADDR/BITS blocks of
 * outbound_ips (conf.c checked the form; an entry that does not parse is
 * skipped) into nets[0..max); their number in *n_r.  Returns how many
 * more entries there were than fit (0: all of them).
 */
extern size_t dmarcverdict_nets(const char *outbound_ips, struct web_net *nets, size_t max,
				size_t *n_r);

struct dmarcverdict_in {
	const char *domain;		/* the policy domain */
	const char *period;		/* "in the last 7 days", ends the first sentence */
	const char *report_address;	/* dmarc_report_address: a local part */
	const struct web_net *nets;	/* outbound_ips; nnets 0: not set */
	size_t	nnets;
	const struct store_dmarcrep_row *rows;	/* per (org, source IP), any order */
	size_t	nrows;
	/* the days with failures per (org, source IP), any order; NULL, 0:
	   the verdict does not name days */
	const struct store_dmarcweb_failday *faildays;
	size_t	nfaildays;
	/* (H5) the org totals (store_dmarcweb_orgs): the verdict says whose
	   reports came in mail that did not pass DMARC; NULL, 0: it does not */
	const struct store_dmarcrep_row *orgs;
	size_t	norgs;
};

/*
 * The verdict as plain text (not HTML: the caller escapes it) appended
 * to out: paragraphs of whole sentences, each paragraph ended by '\n'.
 * The first paragraph is the headline.  0, or -1 when out failed (full).
 */
extern int dmarcverdict_write(const struct dmarcverdict_in *, struct buf *out);

/*
 * (H8) Did the list server's own mail (outbound_ips) fail DMARC or DKIM
 * at some receiver in the rows?  What the verdict tells as a problem of
 * ours; `sealist dmarc-report summary --check` exits 1 on it.  0 without
 * outbound_ips (nothing is known to be ours).
 */
extern int dmarcverdict_ours_failed(const struct dmarcverdict_in *);

#endif
