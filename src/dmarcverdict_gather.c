/*
 * NAME
 *	dmarcverdict_gather 3
 * SUMMARY
 *	the verdict's inputs from the store, for the web page and the CLI
 * DESCRIPTION
 *	See dmarcverdict_gather.h.  The store hands rows to callbacks whose
 *	strings live until the next step; the verdict needs them all at
 *	once, so they are copied (a fixed number at most: a page or a
 *	summary of more sources than that is unreadable anyway).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dmarcverdict_gather.h"

#define DG_DAY	86400LL

static char *dg_dup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static int dg_row_add(const struct store_dmarcrep_row *w, void *ctx)
{
	struct dmarcverdict_rows *rs = ctx;
	struct store_dmarcrep_row *c;

	if (rs->n == DMARCVERDICT_ROWS_MAX) {
		rs->more = 1;
		return 1;
	}
	c = &rs->row[rs->n++];
	*c = *w;
	c->domain = dg_dup(w->domain);
	c->org = dg_dup(w->org);
	c->source_ip = dg_dup(w->source_ip);
	if (c->domain == NULL || c->org == NULL || c->source_ip == NULL) {
		rs->no_memory = 1;
		return 1;
	}
	return 0;
}

void dmarcverdict_rows_free(struct dmarcverdict_rows *rs)
{
	size_t	i;

	for (i = 0; i < rs->n; i++) {
		free((char *) rs->row[i].domain);
		free((char *) rs->row[i].org);
		free((char *) rs->row[i].source_ip);
	}
	free(rs->row);
	memset(rs, 0, sizeof(*rs));
}

int dmarcverdict_rows_load(struct store *s, int orgs, const char *domain, long long begin,
			   long long end, struct dmarcverdict_rows *rs, const char **error_r)
{
	int	rc;

	memset(rs, 0, sizeof(*rs));
	if ((rs->row = calloc(DMARCVERDICT_ROWS_MAX, sizeof(*rs->row))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	rc = orgs ? store_dmarcweb_orgs(s, domain, begin, end, dg_row_add, rs, error_r)
		  : store_dmarcweb_sources(s, domain, begin, end, dg_row_add, rs, error_r);
	if (rc != STORE_OK)
		return -1;
	if (rs->no_memory) {
		*error_r = "out of memory";
		return -1;
	}
	return 0;
}

static int dg_failday_add(const struct store_dmarcweb_failday *f, void *ctx)
{
	struct dmarcverdict_faildays *fs = ctx;
	struct store_dmarcweb_failday *c;

	if (fs->n == DMARCVERDICT_ROWS_MAX)
		return 1;	/* the verdict names fewer days, nothing worse */
	c = &fs->f[fs->n++];
	*c = *f;
	c->org = dg_dup(f->org);
	c->source_ip = dg_dup(f->source_ip);
	if (c->org == NULL || c->source_ip == NULL) {
		fs->no_memory = 1;
		return 1;
	}
	return 0;
}

static void dg_faildays_free(struct dmarcverdict_faildays *fs)
{
	size_t	i;

	for (i = 0; i < fs->n; i++) {
		free((char *) fs->f[i].org);
		free((char *) fs->f[i].source_ip);
	}
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

static int dg_faildays_load(struct store *s, const char *domain, long long begin,
			    long long end, struct dmarcverdict_faildays *fs, const char **error_r)
{
	memset(fs, 0, sizeof(*fs));
	if ((fs->f = calloc(DMARCVERDICT_ROWS_MAX, sizeof(*fs->f))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	if (store_dmarcweb_faildays(s, domain, begin, end, dg_failday_add, fs, error_r)
	    != STORE_OK)
		return -1;
	if (fs->no_memory) {
		*error_r = "out of memory";
		return -1;
	}
	return 0;
}

void dmarcverdict_period(long long days, long long last, int ended, char *out, size_t size)
{
	char	date[16] = "-";
	time_t	t = (time_t) (last * DG_DAY);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
		(void) snprintf(date, sizeof(date), "-");
	if (!ended)
		(void) snprintf(out, size, "in the last %lld day%s", days, days == 1 ? "" : "s");
	else if (days == 1)
		(void) snprintf(out, size, "on %s", date);
	else
		(void) snprintf(out, size, "in the %lld days to %s", days, date);
}

int dmarcverdict_gather(struct store *s, const char *domain, long long begin, long long end,
			int full, const char *period, const char *report_address,
			const char *outbound_ips, struct dmarcverdict_data *d,
			const char **error_r)
{
	struct dmarcverdict_in *in = &d->in;

	memset(d, 0, sizeof(*d));
	if (dmarcverdict_rows_load(s, 0, domain, begin, end, &d->sources, error_r) < 0
	    || (full && dmarcverdict_rows_load(s, 1, domain, begin, end, &d->orgs, error_r) < 0)
	    || (full && dg_faildays_load(s, domain, begin, end, &d->faildays, error_r) < 0))
		return -1;
	(void) snprintf(d->period, sizeof(d->period), "%s", period);
	in->domain = domain;
	in->period = d->period;
	in->report_address = report_address != NULL && *report_address ? report_address
	    : "dmarc-reports";
	d->nets_over = dmarcverdict_nets(outbound_ips, d->nets, DMARCVERDICT_NETS_MAX,
					 &in->nnets);
	in->nets = d->nets;
	in->rows = d->sources.row;
	in->nrows = d->sources.n;
	in->faildays = d->faildays.f;
	in->nfaildays = d->faildays.n;
	in->orgs = d->orgs.row;
	in->norgs = d->orgs.n;
	return 0;
}

void dmarcverdict_gather_free(struct dmarcverdict_data *d)
{
	dmarcverdict_rows_free(&d->sources);
	dmarcverdict_rows_free(&d->orgs);
	dg_faildays_free(&d->faildays);
}
