/*
 * NAME
 *	dmarcout 3
 * SUMMARY
 *	DMARC aggregate reports sent: intervals, capture, the report pass
 * DESCRIPTION
 *	See dmarcout.h.  The XML, gzip and names are lib/dmarcrep's
 *	(dmarcrep_out.h); the SQL is store_dmarcout.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dkim/dkim.h"
#include "dmarc/dmarc.h"
#include "dmarcrep/dmarcrep_out.h"
#include "dmarcbounce.h"
#include "dmarcout.h"
#include "log.h"
#include "notice.h"
#include "sealist_limits.h"

/* ---- intervals ------------------------------------------------------------ */

long long dmarcout_interval(long long ri)
{
	return ri < DMARCOUT_IV_MIN ? DMARCOUT_IV_MIN : ri > DMARCOUT_IV_MAX ? DMARCOUT_IV_MAX : ri;
}

long long dmarcout_begin(long long t, long long iv)
{
	long long r;

	if (iv <= 0)
		return t;
	r = t % iv;
	return t - (r < 0 ? r + iv : r);
}

int dmarcout_due(long long begin, long long iv, long long now)
{
	return begin + iv <= now;
}

/* ---- capture -------------------------------------------------------------- */

static int dmarcout_enforcing(const char *policy)
{
	return strcmp(policy, "quarantine") == 0 || strcmp(policy, "reject") == 0;
}

/* A delivered post. */
static void dmarcout_delivered(const struct verdict_summary *v, const struct dmarcout_decision *d,
			       const char **disposition_r, const char **reason_r,
			       char *comment, size_t size)
{
	int	passed = strcmp(v->dmarc, "pass") == 0;

	*disposition_r = passed && dmarcout_enforcing(v->policy) ? "pass" : "none";
	if (d->from_rewritten || d->wrapped) {
		*reason_r = "mailing_list";
		snprintf(comment, size, "list %s %s and re-signed as %s", d->list_address,
			 d->wrapped ? "wrapped the message with its own From" : "rewrote From",
			 d->list_domain);
	} else if (!passed && dmarcout_enforcing(v->policy)) {
		*reason_r = "local_policy";
		snprintf(comment, size, "list %s delivered it unchanged", d->list_address);
	}
}

void dmarcout_disposition(const struct verdict_summary *v, const struct dmarcout_decision *d,
			  const char **disposition_r, const char **reason_r,
			  char *comment, size_t size)
{
	int	held = strcmp(d->state, "held") == 0;

	*disposition_r = "none";
	*reason_r = "";
	*comment = 0;
	if (strcmp(d->state, "done") == 0) {
		dmarcout_delivered(v, d, disposition_r, reason_r, comment, size);
		return;
	}
	if (d->by_dmarc) {
		*disposition_r = held ? "quarantine" : "reject";
		return;
	}
	*reason_r = "local_policy";
	snprintf(comment, size, "list %s %s it: %s", d->list_address,
		 held ? "held" : strcmp(d->state, "discarded") == 0 ? "discarded" : "rejected",
		 d->why != NULL ? d->why : "local policy");
}

int dmarcout_rua_usable(const char *rua)
{
	struct dmarcrep_rua r[DMARCREP_RUA_MAX];

	return rua != NULL && *rua && dmarcrep_rua_parse(rua, r, DMARCREP_RUA_MAX) > 0;
}

int dmarcout_feedback(const struct store_inbox_msg *in, const struct verdict_summary *v,
		      const struct dmarcout_decision *d, struct dmarcout_feedback *f)
{
	struct store_dmarc_feedback *r = &f->row;
	const char *at = in->envelope_from != NULL ? strrchr(in->envelope_from, '@') : NULL;

	memset(f, 0, sizeof(*f));
	if (*v->rec_domain == 0 || *v->author == 0 || !dmarcout_rua_usable(v->rua)
	    || in->client_ip == NULL || *in->client_ip == 0)
		return -1;
	snprintf(f->envelope_domain, sizeof(f->envelope_domain), "%s", at != NULL ? at + 1 : "");
	snprintf(f->list_domain, sizeof(f->list_domain), "%s", d->list_domain);
	r->list_domain = f->list_domain;
	r->source_ip = in->client_ip;
	r->header_from = v->author;
	r->policy_domain = v->rec_domain;
	r->envelope_from = f->envelope_domain;
	r->envelope_to = f->list_domain;
	r->p = v->p;
	r->sp = v->sp;
	r->np = v->np;
	r->adkim = v->adkim_strict ? "s" : "r";
	r->aspf = v->aspf;
	r->fo = v->fo;
	r->testing = v->testing;
	r->discovery = v->discovery;
	r->rua = v->rua;
	r->ri = strtoll(v->ri, NULL, 10);
	r->received_at = in->received_at;
	r->dkim_aligned = *v->dkim_aligned ? v->dkim_aligned : "fail";
	r->spf_aligned = *v->spf_aligned ? v->spf_aligned : "fail";
	r->dkim_results = v->dkim_results;
	r->spf_domain = v->spf_domain;
	r->spf_scope = v->spf_scope;
	r->spf_result = v->spf;
	dmarcout_disposition(v, d, &r->disposition, &r->reason_type, f->comment,
			     sizeof(f->comment));
	r->reason_comment = f->comment;
	return 0;
}

/* ---- one report's records ------------------------------------------------- */

/* A record of the report with the strings it points to (one block); its
   DKIM and SPF results are pointed to when the XML is written. */
struct dmarcout_rec {
	struct dmarcrep_out_record out;
	struct dmarcrep_out_auth dkim[VERDICT_DKIM_RESULTS], spf;
	char   *text;
};

struct dmarcout_report {
	const struct store_dmarcout_group *g;
	struct dmarcout_rec *recs;
	size_t	n;
	long long messages;
	int	failed;
};

/* Split "d:s:result,..." (in place) into r->dkim. */
static void dmarcout_dkim_split(char *list, struct dmarcout_rec *r)
{
	char   *item, *next, *s1, *s2;

	for (item = list; *item && r->out.ndkim < VERDICT_DKIM_RESULTS; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = 0;
		else
			next = item + strlen(item);
		if ((s1 = strchr(item, ':')) == NULL || (s2 = strchr(s1 + 1, ':')) == NULL)
			continue;
		*s1 = *s2 = 0;
		r->dkim[r->out.ndkim].domain = item;
		r->dkim[r->out.ndkim].selector = s1 + 1;
		r->dkim[r->out.ndkim].result = s2 + 1;
		r->out.ndkim++;
	}
}

/* Copy the row's 13 strings into one block; out[i] point into it. */
static char *dmarcout_copy(const char *const *in, const char **out, size_t n)
{
	size_t	i, total = 0, len;
	char   *block, *p;

	for (i = 0; i < n; i++)
		total += strlen(in[i]) + 1;
	if ((block = p = malloc(total)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		len = strlen(in[i]) + 1;
		memcpy(p, in[i], len);
		out[i] = p;
		p += len;
	}
	return block;
}

static int dmarcout_collect(const struct store_dmarcout_row *row, void *ctx)
{
	struct dmarcout_report *rep = ctx;
	const char *in[] = { row->source_ip, row->disposition, row->dkim_aligned,
		row->spf_aligned, row->reason_type, row->reason_comment, row->header_from,
		row->envelope_from, row->envelope_to, row->dkim_results, row->spf_domain,
		row->spf_scope, row->spf_result };
	const char *s[13];
	struct dmarcout_rec *grown, *r;

	if ((grown = realloc(rep->recs, (rep->n + 1) * sizeof(*grown))) == NULL) {
		rep->failed = 1;
		return 1;
	}
	rep->recs = grown;
	r = &rep->recs[rep->n];
	memset(r, 0, sizeof(*r));
	if ((r->text = dmarcout_copy(in, s, 13)) == NULL) {
		rep->failed = 1;
		return 1;
	}
	rep->n++;
	r->out.source_ip = s[0];
	r->out.count = row->count;
	r->out.disposition = s[1];
	r->out.dkim = s[2];
	r->out.spf = s[3];
	r->out.reason_type = *s[4] ? s[4] : NULL;
	r->out.reason_comment = *s[5] ? s[5] : NULL;
	r->out.header_from = s[6];
	r->out.envelope_from = s[7];
	r->out.envelope_to = s[8];
	dmarcout_dkim_split((char *) s[9], r);
	if (*s[10]) {
		r->spf.domain = s[10];
		r->spf.scope = *s[11] ? s[11] : NULL;
		r->spf.result = s[12];
	}
	rep->messages += row->count;
	return 0;
}

static void dmarcout_report_free(struct dmarcout_report *rep)
{
	size_t	i;

	for (i = 0; i < rep->n; i++)
		free(rep->recs[i].text);
	free(rep->recs);
	memset(rep, 0, sizeof(*rep));
}

/* ---- messages for the log and the dry run ------------------------------------ */

static void dmarcout_say(const struct dmarcout_config *cfg, int warn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void dmarcout_say(const struct dmarcout_config *cfg, int warn, const char *fmt, ...)
{
	char	line[1200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (warn)
		log_warn("%s", line);
	else
		log_info("%s", line);
	if (cfg->dry_run && cfg->out != NULL)
		fprintf(cfg->out, "%s\n", line);
}

/* ---- destinations (RFC 9990 section 4) ----------------------------------------- */

struct dmarcout_dests {
	struct dmarcrep_rua to[DMARCREP_RUA_MAX];
	size_t	n;
	int	postpone;		/* a lookup failed for now: try again */
};

/* 1 when host is within the policy domain's organizational domain. */
static int dmarcout_same_org(const struct dmarc_lookup *lk, enum dmarc_mode mode,
			     const char *policy_domain, const char *host, int *temp)
{
	char   *a = NULL, *b = NULL;
	int	ra = dmarc_org_domain(lk, policy_domain, mode, &a, NULL);
	int	rb = dmarc_org_domain(lk, host, mode, &b, NULL);
	int	same = ra == 0 && rb == 0 && strcasecmp(a, b) == 0;

	*temp = ra == 1 || rb == 1;
	free(a);
	free(b);
	return same;
}

/* The external destination check for one URI: 1 send, 0 not, -1 later. */
static int dmarcout_external(struct dns_resolver *res, const struct dmarcout_config *cfg,
			     const struct store_dmarcout_group *g, struct dmarcrep_rua *u)
{
	struct dns_txt_answer a = { NULL, 0 };
	const unsigned char *txt[16];
	size_t	len[16], i;
	struct dmarcrep_rua over;
	int	has_over = 0;
	char	name[300];
	const char *error = NULL;
	enum dns_status st;
	enum dmarcrep_ext e;

	if (dmarcrep_ext_name(g->policy_domain, u->host, name, sizeof(name)) < 0) {
		dmarcout_say(cfg, 1, "event=dmarc_report_refused domain=%s uri=mailto:%s"
			     " why=\"the verification name is too long for DNS\"",
			     g->policy_domain, u->address);
		return 0;
	}
	st = dns_txt(res, name, &a, &error);
	if (st == DNS_SERVFAIL || st == DNS_TIMEOUT || st == DNS_ERROR || st == DNS_BADRESPONSE) {
		dns_txt_answer_free(&a);
		dmarcout_say(cfg, 1, "event=dmarc_report_dns domain=%s uri=mailto:%s query=%s"
			     " result=%s", g->policy_domain, u->address, name, dns_status_str(st));
		return -1;
	}
	for (i = 0; i < a.count && i < 16; i++) {
		txt[i] = a.txt[i].data;
		len[i] = a.txt[i].len;
	}
	e = dmarcrep_ext_check(txt, len, i, u->host, &over, &has_over);
	dns_txt_answer_free(&a);
	if (e == DMARCREP_EXT_AUTHORIZED) {
		if (has_over)
			*u = over;
		return 1;
	}
	dmarcout_say(cfg, 1, "event=dmarc_report_refused domain=%s uri=mailto:%s query=%s"
		     " dns=%s result=%s why=\"%s\"", g->policy_domain, u->address, name,
		     dns_status_str(st), e == DMARCREP_EXT_LOOP ? "loop" : "refused",
		     e == DMARCREP_EXT_LOOP ? "the destination's record names another host"
		     : "the destination does not authorize reports about this domain"
		     " (RFC 9990 section 4)");
	return 0;
}

/* The destinations of the report, external ones verified. */
static void dmarcout_destinations(struct dns_resolver *res, const struct dmarcout_config *cfg,
				  const struct store_dmarcout_group *g, const char *rua,
				  long long end, long long now, struct dmarcout_dests *d)
{
	struct dmarcrep_rua uris[DMARCREP_RUA_MAX];
	struct dmarc_lookup lk = dmarc_lookup_dns(res);
	size_t	n = dmarcrep_rua_parse(rua, uris, DMARCREP_RUA_MAX), i;
	int	temp, ok;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < n; i++) {
		if (dmarcout_same_org(&lk, cfg->dmarc_mode, g->policy_domain, uris[i].host, &temp))
			ok = 1;
		else if (temp) {
			ok = -1;
			dmarcout_say(cfg, 1, "event=dmarc_report_dns domain=%s uri=mailto:%s"
				     " query=\"organizational domain of %s\" result=temporary",
				     g->policy_domain, uris[i].address, uris[i].host);
		} else
			ok = dmarcout_external(res, cfg, g, &uris[i]);
		if (ok < 0 && now < end + DMARCOUT_GIVE_UP)
			d->postpone = 1;
		else if (ok < 0)
			dmarcout_say(cfg, 1, "event=dmarc_report_given_up domain=%s uri=mailto:%s"
				     " why=\"DNS failed for a day after the interval\"",
				     g->policy_domain, uris[i].address);
		if (ok > 0)
			d->to[d->n++] = uris[i];
	}
}

/*
 * Drop the destinations that bounced hard too often (dmarcbounce.h); the
 * bounce that stopped one was logged then, so only a dry run says it here.
 */
static int dmarcout_drop_bounced(struct store *s, const struct dmarcout_config *cfg,
				 const struct store_dmarcout_group *g, long long now,
				 struct dmarcout_dests *d, const char **error_r)
{
	size_t	i, kept = 0;
	int	stopped, status;

	for (i = 0; i < d->n; i++) {
		if ((status = dmarcbounce_stopped(s, d->to[i].address, now, &stopped, error_r))
		    != STORE_OK)
			return status;
		if (!stopped)
			d->to[kept++] = d->to[i];
		else if (cfg->dry_run && cfg->out != NULL)
			fprintf(cfg->out, "event=dmarc_report_rua_stopped domain=%s uri=mailto:%s"
				" why=\"%d hard bounces in %d days\"\n", g->policy_domain,
				d->to[i].address, DMARCBOUNCE_STOP_HARD, DMARCBOUNCE_STOP_DAYS);
	}
	d->n = kept;
	return STORE_OK;
}

/* ---- the mail (RFC 9990 section 3.5.2) ------------------------------------------- */

struct dmarcout_files {
	struct buf gz, filename, subject;
	char	report_id[600], from[400];
};

/* base64 of data in 76-column CRLF lines. */
static void dmarcout_base64(const struct buf *data, struct buf *out)
{
	struct buf b64;
	size_t	i;

	buf_init(&b64, LIMIT_MESSAGE_SIZE);
	dkim_base64_encode(data->data, data->len, &b64);
	for (i = 0; i < b64.len; i += 76) {
		buf_append(out, b64.data + i, b64.len - i < 76 ? b64.len - i : 76);
		buf_append_str(out, "\r\n");
	}
	buf_free(&b64);
}

/* t as "2026-11-27 00:00" (UTC) in s: for the note a person reads. */
static const char *dmarcout_utc(long long t, char s[32])
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(s, 32, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(s, 32, "%lld", t);
	return s;
}

static void dmarcout_mail(const struct dmarcout_config *cfg, const struct store_dmarcout_group *g,
			  const struct dmarcout_report *rep, const struct dmarcout_files *f,
			  const char *to, long long now, struct buf *out)
{
	char	boundary[64], begin[32], end[32];

	snprintf(boundary, sizeof(boundary), "=_sealist_dmarc_%llx", (unsigned long long) now);
	buf_printf(out, "From: <%s>\r\nTo: <%s>\r\n", f->from, to);
	/* written now, whatever time the pass was told it is (--now) */
	notice_date(time(NULL), out);
	buf_printf(out, "Message-ID: <%s>\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
		   "Auto-Submitted: auto-generated\r\n"
		   "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
		   "This is a MIME message: a DMARC aggregate report.\r\n\r\n--%s\r\n"
		   "Content-Type: text/plain; charset=us-ascii\r\n"
		   "Content-Transfer-Encoding: 7bit\r\n\r\n", f->report_id, buf_str(&f->subject),
		   boundary, boundary);
	buf_printf(out, "This is a DMARC aggregate report (RFC 9990) from the mailing list\r\n"
		   "server %s for the lists at %s.\r\n\r\n"
		   "It covers %lld message%s with From in %s received by those lists\r\n"
		   "from %zu source record%s, %s to %s UTC.\r\n"
		   "The report is the attached gzip-compressed XML file.\r\n\r\n--%s\r\n",
		   cfg->hostname, g->list_domain, rep->messages, rep->messages == 1 ? "" : "s",
		   g->policy_domain, rep->n, rep->n == 1 ? "" : "s",
		   dmarcout_utc(g->begin, begin), dmarcout_utc(g->begin + g->interval, end),
		   boundary);
	buf_printf(out, "Content-Type: application/gzip; name=\"%s\"\r\n"
		   "Content-Disposition: attachment; filename=\"%s\"\r\n"
		   "Content-Transfer-Encoding: base64\r\n\r\n", buf_str(&f->filename),
		   buf_str(&f->filename));
	dmarcout_base64(&f->gz, out);
	buf_printf(out, "\r\n--%s--\r\n", boundary);
}

static void dmarcout_files_free(struct dmarcout_files *f)
{
	buf_free(&f->gz);
	buf_free(&f->filename);
	buf_free(&f->subject);
}

/* The XML, its gzip, the names.  0 or -1 (logged). */
static int dmarcout_files(const struct dmarcout_config *cfg, const struct store_dmarcout_group *g,
			  const struct store_dmarc_feedback *pol, const struct dmarcout_report *rep,
			  long long now, struct dmarcout_files *f)
{
	struct dmarcrep_out o;
	struct dmarcrep_out_record *recs = calloc(rep->n ? rep->n : 1, sizeof(*recs));
	struct buf xml, xmlname;
	const char *error = "out of memory";
	long long end = g->begin + g->interval;
	size_t	i;
	int	rc = -1;

	buf_init(&f->gz, LIMIT_MESSAGE_SIZE / 2);
	buf_init(&f->filename, 1024);
	buf_init(&f->subject, 2048);
	buf_init(&xml, LIMIT_DMARCREP_OUT);
	buf_init(&xmlname, 1024);
	snprintf(f->report_id, sizeof(f->report_id), "%lld.%lld.%s@%s", g->begin, end,
		 g->policy_domain, g->list_domain);
	snprintf(f->from, sizeof(f->from), "%s@%s",
		 *cfg->report_address ? cfg->report_address : "postmaster", g->list_domain);
	/* pointed at here, not when collected: the array moved as it grew */
	for (i = 0; recs != NULL && i < rep->n; i++) {
		recs[i] = rep->recs[i].out;
		recs[i].dkim_results = rep->recs[i].dkim;
		recs[i].spf_result = rep->recs[i].spf.domain != NULL ? &rep->recs[i].spf : NULL;
	}
	memset(&o, 0, sizeof(o));
	o.org_name = g->list_domain;
	o.email = f->from;
	o.report_id = f->report_id;
	o.date_begin = g->begin;
	o.date_end = end;
	o.generator = cfg->generator;
	o.domain = g->policy_domain;
	o.p = pol->p;
	o.sp = *pol->sp ? pol->sp : NULL;
	o.np = *pol->np ? pol->np : NULL;
	o.adkim = *pol->adkim ? pol->adkim : NULL;
	o.aspf = *pol->aspf ? pol->aspf : NULL;
	o.discovery_method = *pol->discovery ? pol->discovery : NULL;
	o.fo = *pol->fo ? pol->fo : NULL;
	o.testing = *pol->testing ? pol->testing : NULL;
	o.records = recs;
	o.nrecords = rep->n;
	if (recs == NULL || dmarcrep_write(&o, &xml, &error) < 0)
		(void) 0;	/* error says why */
	else if (dmarcrep_filename(g->list_domain, g->policy_domain, g->begin, end, NULL, 0,
				   &xmlname) < 0
		 || dmarcrep_filename(g->list_domain, g->policy_domain, g->begin, end, NULL, 1,
				      &f->filename) < 0
		 || dmarcrep_subject(g->policy_domain, g->list_domain, f->report_id,
				     &f->subject) < 0)
		error = "a domain is not a domain name, or the report id not a ridfmt";
	else if (dmarcrep_gzip(xml.data, xml.len, buf_str(&xmlname), now, &f->gz, &error) == 0)
		rc = 0;
	if (rc < 0)
		log_error("event=dmarc_report_failed domain=%s list_domain=%s why=%s",
			  g->policy_domain, g->list_domain, log_quote(error));
	free(recs);
	buf_free(&xml);
	buf_free(&xmlname);
	return rc;
}

/* ---- the pass ---------------------------------------------------------------------- */

/* The outbound rows (one per destination under its !size) and the record. */
static int dmarcout_send(struct store *s, const struct dmarcout_config *cfg,
			 const struct store_dmarcout_group *g, const struct dmarcout_report *rep,
			 const struct dmarcout_files *f, const struct dmarcout_dests *d,
			 long long now, struct dmarcout_stats *stats, const char **error_r)
{
	struct store_outbound_new rows[DMARCREP_RUA_MAX];
	struct buf mails[DMARCREP_RUA_MAX], sent;
	struct store_dmarcout_sent r;
	size_t	i, n = 0;
	int	status = STORE_OK;

	buf_init(&sent, 4096);
	for (i = 0; i < d->n; i++) {
		buf_init(&mails[n], LIMIT_MESSAGE_SIZE);
		dmarcout_mail(cfg, g, rep, f, d->to[i].address, now, &mails[n]);
		if (d->to[i].max_size > 0 && mails[n].len > d->to[i].max_size) {
			dmarcout_say(cfg, 1, "event=dmarc_report_too_big domain=%s uri=mailto:%s"
				     " size=%zu limit=%llu", g->policy_domain, d->to[i].address,
				     mails[n].len, d->to[i].max_size);
			buf_free(&mails[n]);
			continue;
		}
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].list_id = g->list_id;
		rows[n].kind = "notice";
		rows[n].envelope_from = f->from;
		rows[n].recipients = d->to[i].address;
		rows[n].message = mails[n].data;
		rows[n].size = mails[n].len;
		buf_printf(&sent, "%s\n", d->to[i].address);
		dmarcout_say(cfg, 0, "event=dmarc_report report_id=%s domain=%s to=%s records=%zu"
			     " messages=%lld size=%zu%s", f->report_id, g->policy_domain,
			     d->to[i].address, rep->n, rep->messages, mails[n].len,
			     cfg->dry_run ? " dry_run=1" : "");
		n++;
	}
	memset(&r, 0, sizeof(r));
	r.report_id = f->report_id;
	r.destinations = buf_str(&sent);
	r.date_end = g->begin + g->interval;
	r.records = (long long) rep->n;
	r.messages = rep->messages;
	r.outbound = rows;
	r.noutbound = n;
	if (!cfg->dry_run)
		status = store_dmarcout_record_sent(s, g, &r, error_r);
	if (status == STORE_OK) {
		stats->reports++;
		stats->mails += n;
	}
	for (i = 0; i < n; i++)
		buf_free(&mails[i]);
	buf_free(&sent);
	if (status == STORE_EXISTS)
		dmarcout_say(cfg, 1, "event=dmarc_report_late report_id=%s domain=%s messages=%lld"
			     " why=\"the interval was reported already: rows dropped\"",
			     f->report_id, g->policy_domain, rep->messages);
	return status == STORE_EXISTS ? STORE_OK : status;
}

/* One group: records, policy, destinations, files, send. */
static int dmarcout_group(struct store *s, struct dns_resolver *res,
			  const struct dmarcout_config *cfg, const struct store_dmarcout_group *g,
			  long long now, struct dmarcout_stats *stats, const char **error_r)
{
	struct dmarcout_report rep = { .g = g };
	struct store_dmarc_feedback pol;
	struct dmarcout_dests d;
	struct dmarcout_files f;
	char	p[12], sp[12], np[12], adkim[2], aspf[2], fo[12], testing[2], disc[10], rua[512];
	int	status;

	/* the SQL grouped by the same arithmetic: a group that disagrees is a bug */
	if (dmarcout_interval(g->interval) != g->interval
	    || dmarcout_begin(g->begin, g->interval) != g->begin
	    || !dmarcout_due(g->begin, g->interval, now)) {
		log_error("event=dmarc_report_bad_group domain=%s begin=%lld interval=%lld",
			  g->policy_domain, g->begin, g->interval);
		return STORE_OK;
	}
	if ((status = store_dmarcout_policy(s, g, &pol, error_r)) != STORE_OK)
		return status == STORE_NOT_FOUND ? STORE_OK : status;
	/* copies: the store reuses the row's memory on its next call */
	snprintf(p, sizeof(p), "%s", pol.p);
	snprintf(sp, sizeof(sp), "%s", pol.sp);
	snprintf(np, sizeof(np), "%s", pol.np);
	snprintf(adkim, sizeof(adkim), "%s", pol.adkim);
	snprintf(aspf, sizeof(aspf), "%s", pol.aspf);
	snprintf(fo, sizeof(fo), "%s", pol.fo);
	snprintf(testing, sizeof(testing), "%s", pol.testing);
	snprintf(disc, sizeof(disc), "%s", pol.discovery);
	snprintf(rua, sizeof(rua), "%s", pol.rua);
	pol.p = p, pol.sp = sp, pol.np = np, pol.adkim = adkim, pol.aspf = aspf;
	pol.fo = fo, pol.testing = testing, pol.discovery = disc, pol.rua = rua;
	dmarcout_destinations(res, cfg, g, rua, g->begin + g->interval, now, &d);
	if (d.postpone) {
		stats->postponed++;
		return STORE_OK;
	}
	if ((status = dmarcout_drop_bounced(s, cfg, g, now, &d, error_r)) != STORE_OK)
		return status;
	if ((status = store_dmarcout_records_each(s, g, dmarcout_collect, &rep, error_r)) == STORE_OK
	    && !rep.failed && rep.n > 0 && dmarcout_files(cfg, g, &pol, &rep, now, &f) == 0) {
		if (d.n == 0)
			dmarcout_say(cfg, 1, "event=dmarc_report_unsent report_id=%s domain=%s"
				     " messages=%lld why=\"no verified destination in rua=%s, or"
				     " every one stopped after hard bounces\"",
				     f.report_id, g->policy_domain, rep.messages, rua);
		status = dmarcout_send(s, cfg, g, &rep, &f, &d, now, stats, error_r);
		dmarcout_files_free(&f);
	}
	dmarcout_report_free(&rep);
	return status;
}

int dmarcout_pass(struct store *s, struct dns_resolver *res, const struct dmarcout_config *cfg,
		  long long now, struct dmarcout_stats *stats, const char **error_r)
{
	struct store_dmarcout_group *g = NULL;
	time_t	started = time(NULL);
	size_t	n = 0, i;
	int	status;

	memset(stats, 0, sizeof(*stats));
	if (!cfg->dry_run
	    && (status = store_dmarcout_purge(s, now - DMARCOUT_KEEP, &stats->purged,
					      error_r)) != STORE_OK)
		return status;
	if ((status = store_dmarcout_groups(s, now, 256, &g, &n, error_r)) != STORE_OK)
		return status;
	for (i = 0; i < n && status == STORE_OK && time(NULL) - started < DMARCOUT_PASS_SECONDS; i++)
		status = dmarcout_group(s, res, cfg, &g[i], now, stats, error_r);
	store_dmarcout_groups_free(g, n);
	return status;
}
