/*
 * NAME
 *	dmarcverdict_gather 3h
 * SUMMARY
 *	what the DMARC verdict reads, gathered from the store, for the web
 *	page and `sealist dmarc-report summary` alike
 * DESCRIPTION
 *	Owns the copies of one domain's and window's rows (per source, per
 *	org, the failing days) that outlive the store's callbacks, the
 *	window's words ("in the last 7 days") and the filling of a
 *	struct dmarcverdict_in from them and the configuration, so that the
 *	page and the command line judge the same numbers in the same words.
 *	The SQL stays in store_dmarcweb.c; the judging in dmarcverdict.c.
 */
#ifndef SEALIST_DMARCVERDICT_GATHER_H
#define SEALIST_DMARCVERDICT_GATHER_H

#include <stddef.h>

#include "dmarcverdict.h"
#include "store.h"

/* The sources, orgs and failing days kept at most (the rest: ignored, said by more). */
#define DMARCVERDICT_ROWS_MAX	2000
/* "in the 90 days to 2026-11-07" and the like fit. */
#define DMARCVERDICT_PERIOD_MAX	96

/* Sources (store_dmarcweb_sources) or org totals (store_dmarcweb_orgs), copied. */
struct dmarcverdict_rows {
	struct store_dmarcrep_row *row;
	size_t	n;
	int	more;			/* there were more than DMARCVERDICT_ROWS_MAX */
	int	no_memory;
};

struct dmarcverdict_faildays {
	struct store_dmarcweb_failday *f;
	size_t	n;
	int	no_memory;
};

/* All the verdict reads about one domain and window; in points into it. */
struct dmarcverdict_data {
	struct dmarcverdict_rows sources, orgs;
	struct dmarcverdict_faildays faildays;
	struct web_net nets[DMARCVERDICT_NETS_MAX];
	size_t	nets_over;		/* outbound_ips entries that did not fit */
	char	period[DMARCVERDICT_PERIOD_MAX];
	struct dmarcverdict_in in;
};

/* Sources (orgs 0) or org totals (orgs 1) of domain in [begin, end) into rs; 0 or -1. */
extern int dmarcverdict_rows_load(struct store *, int orgs, const char *domain,
				  long long begin, long long end, struct dmarcverdict_rows *rs,
				  const char **error_r);
extern void dmarcverdict_rows_free(struct dmarcverdict_rows *);

/*
 * "in the last N days" (ended 0: the window ends now), "on DATE" or "in
 * the N days to DATE", DATE the UTC day number last; into out.
 */
extern void dmarcverdict_period(long long days, long long last, int ended, char *out,
				size_t size);

/*
 * Everything about domain in [begin, end) into d (all zeroed first, so
 * dmarcverdict_gather_free may follow any outcome), and d->in filled:
 * period as given, the report address dmarc_report_address (NULL or ""
 * the default "dmarc-reports"), outbound_ips read into d->nets.  full
 * 0: the sources only (the headline needs no more).  0 or -1.
 */
extern int dmarcverdict_gather(struct store *, const char *domain, long long begin,
			       long long end, int full, const char *period,
			       const char *report_address, const char *outbound_ips,
			       struct dmarcverdict_data *d, const char **error_r);
extern void dmarcverdict_gather_free(struct dmarcverdict_data *);

#endif
