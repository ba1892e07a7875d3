/*
 * NAME
 *	pipeline 3
 * SUMMARY
 *	inbox workers: authenticate, then handle each recipient
 * DESCRIPTION
 *	See pipeline.h.  The threads are workers.h's; each worker's store,
 *	resolver and key cache are its own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "addr/addr.h"
#include "conf.h"
#include "dmarcout.h"
#include "auth/auth.h"
#include "log.h"
#include "pipeline.h"
#include "post.h"
#include "request.h"
#include "sealist_limits.h"
#include "store.h"
#include "verdict.h"
#include "workers.h"

/* One lookup, all servers and retries included. */
#define PIPELINE_DNS_TIMEOUT_MS	5000

/*
 * Local failures on one message (a full disk, a broken template, a
 * rewrite that cannot be done) before its pending recipients are given
 * up as failed with the last error.  Each pass retries (idle_ms apart),
 * so this is about ten seconds of a problem that is not going away.
 */
#define PIPELINE_MAX_ATTEMPTS	10

/* Seconds between looks for held posts past max_days_to_hold. */
#define PIPELINE_EXPIRE_EVERY	5

/* Seconds between DMARC aggregate report passes (dmarcout.h): reports are
   due hourly at most, so a few minutes late is nothing. */
#define PIPELINE_DMARC_REPORTS_EVERY	300

struct pipeline_worker {
	struct pipeline_config cfg;
	unsigned modulo, residue;
	struct store *store;
	struct dns_resolver *resolver;
	struct dkim_key_cache *keys;
	long long cursor;		/* last authenticated message looked at */
	time_t	expired_at;		/* last look for held posts to expire */
	time_t	reported_at;		/* last DMARC aggregate report pass */
};

struct pipeline {
	struct workers *threads;
	struct pipeline_worker **workers;
	unsigned nworkers;
};

/* ---- configuration ------------------------------------------------------ */

int pipeline_config_load(const struct conf *conf, struct pipeline_config *cfg,
			 struct pipeline_config_owned *own, const char **error_r)
{
	const char *web = conf_get(conf, CONF_WEB_BASE_URL);
	const char *listen = conf_get(conf, CONF_WEB_LISTEN);

	memset(cfg, 0, sizeof(*cfg));
	memset(own, 0, sizeof(*own));
	if (conf_authserv_id(conf, own->authserv_id, sizeof(own->authserv_id)) < 0) {
		*error_r = "no authserv_id and no host name";
		return -1;
	}
	if (gethostname(own->hostname, sizeof(own->hostname)) < 0)
		snprintf(own->hostname, sizeof(own->hostname), "localhost");
	own->hostname[sizeof(own->hostname) - 1] = 0;
	/* List-* links: the public URL, else the web listener itself */
	if (*web == 0 && *listen != 0 && strncmp(listen, "unix:", 5) != 0)
		snprintf(own->web_base_url, sizeof(own->web_base_url), "http://%s", listen);
	else
		snprintf(own->web_base_url, sizeof(own->web_base_url), "%s", web);
	if ((own->trusted = conf_tokens(conf, CONF_TRUSTED_AUTHSERV_IDS, &cfg->ntrusted)) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	cfg->database = conf_get(conf, CONF_DATABASE);
	cfg->nameserver = conf_get(conf, CONF_DNS_NAMESERVER);
	cfg->authserv_id = own->authserv_id;
	cfg->trusted_ids = (const char *const *) own->trusted;
	cfg->dmarc_mode = strcmp(conf_get(conf, CONF_DMARC_DISCOVERY), "psl") == 0
	    ? DMARC_PSL : DMARC_TREEWALK;
	cfg->delimiter = conf_get(conf, CONF_RECIPIENT_DELIMITER)[0];
	cfg->web_base_url = own->web_base_url;
	cfg->templates_dir = conf_get(conf, CONF_TEMPLATES_DIR);
	cfg->hostname = own->hostname;
	cfg->workers = (unsigned) strtoul(conf_get(conf, CONF_PIPELINE_WORKERS), NULL, 10);
	cfg->idle_ms = 1000;
	cfg->allow_open_subscribe = strcmp(conf_get(conf, CONF_ALLOW_OPEN_SUBSCRIBE), "yes") == 0;
	cfg->dmarc_reports_send = strcmp(conf_get(conf, CONF_DMARC_REPORTS_SEND), "yes") == 0;
	cfg->dmarc_report_address = conf_get(conf, CONF_DMARC_REPORT_ADDRESS);
	cfg->dmarc_report_require_auth =
	    strcmp(conf_get(conf, CONF_DMARC_REPORT_REQUIRE_AUTH), "yes") == 0;
	cfg->pending_request_life = conf_duration(conf_get(conf, CONF_PENDING_REQUEST_LIFE),
						  strlen(conf_get(conf, CONF_PENDING_REQUEST_LIFE)));
	cfg->request_replies_per_hour = strtol(conf_get(conf, CONF_REQUEST_REPLIES_PER_HOUR),
					       NULL, 10);
	cfg->request_max_commands = (size_t) strtoul(conf_get(conf, CONF_REQUEST_MAX_COMMANDS),
						     NULL, 10);
	return 0;
}

void pipeline_config_free(struct pipeline_config_owned *own)
{
	conf_tokens_free(own->trusted);
	own->trusted = NULL;
}

/* ---- one worker ----------------------------------------------------------- */

struct pipeline_worker *pipeline_worker_new(const struct pipeline_config *cfg,
					    unsigned modulo, unsigned residue,
					    const char **error_r)
{
	struct pipeline_worker *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		*error_r = "out of memory";
		return NULL;
	}
	w->cfg = *cfg;
	w->modulo = modulo ? modulo : 1;
	w->residue = residue;
	if ((w->store = store_open(cfg->database, error_r)) == NULL
	    || (w->resolver = dns_resolver_new(cfg->nameserver, PIPELINE_DNS_TIMEOUT_MS,
					       error_r)) == NULL
	    || dns_resolver_cache(w->resolver, LIMIT_DNS_CACHE_ENTRIES, 3600) < 0
	    || (w->keys = dkim_key_cache_new(LIMIT_DKIM_KEY_CACHE)) == NULL) {
		if (w->resolver != NULL && w->keys == NULL)
			*error_r = "out of memory";
		pipeline_worker_free(w);
		return NULL;
	}
	return w;
}

void pipeline_worker_free(struct pipeline_worker *w)
{
	if (w == NULL)
		return;
	store_close(w->store);
	dns_resolver_free(w->resolver);
	dkim_key_cache_free(w->keys);
	free(w);
}

/* The first From mailbox as local@domain (domain lowercased), or "". */
static void pipeline_author(const struct msg *m, char *out, size_t size)
{
	long	i = msg_find(m, "From", 0);
	struct addr_list al;

	*out = 0;
	if (i < 0)
		return;
	if (addr_parse_list(msg_field(m, (size_t) i)->value, msg_field(m, (size_t) i)->value_len,
			    &al, NULL) == 0 && al.count > 0) {
		size_t	nl = strlen(al.items[0].local), nd = strlen(al.items[0].domain);

		if (nl + nd + 2 <= size) {
			memcpy(out, al.items[0].local, nl);
			out[nl] = '@';
			memcpy(out + nl + 1, al.items[0].domain, nd + 1);
		}
	}
	addr_list_free(&al);
}

/* The verdict for a message: our A-R field and the summary lines. */
static int pipeline_judge(struct pipeline_worker *w, const struct store_inbox_msg *in,
			  const struct msg *m, struct buf *field, struct buf *lines,
			  const char **error_r)
{
	struct auth_envelope env = {
		.client_ip = *in->client_ip ? in->client_ip : NULL,
		.helo = *in->helo ? in->helo : NULL,
		.mail_from = in->envelope_from,
		.receiver = w->cfg.hostname,
	};
	struct auth_opts o;
	struct auth_verdict v;
	struct verdict_summary s;
	struct authres *ar;
	char	author[LIMIT_LOCAL_PART + LIMIT_DOMAIN + 2];

	auth_opts_init(&o);
	o.authserv_id = w->cfg.authserv_id;
	o.trusted_ids = w->cfg.trusted_ids;
	o.ntrusted = w->cfg.ntrusted;
	o.dmarc_mode = w->cfg.dmarc_mode;
	o.resolver = w->resolver;
	o.key_cache = w->keys;
	if (auth_check(m, &env, &o, &v, error_r) < 0)
		return -1;
	if ((ar = auth_verdict_authres(&v, w->cfg.authserv_id, error_r)) != NULL) {
		authres_format_field(ar, field);
		authres_free(ar);
	}
	pipeline_author(m, author, sizeof(author));
	verdict_summarize(&v, author, &s);
	verdict_report_facts(&v, w->cfg.dmarc_mode, &s);
	verdict_format(&s, lines);
	log_info("inbox=%lld authenticated dkim=%zu spf=%s dmarc=%s author=%s arc=%s forged_ar=%zu",
		 in->id, v.dkim.count, s.spf, s.dmarc, log_quote(s.author), s.arc,
		 v.forged_authres);
	auth_verdict_free(&v);
	if (ar == NULL || buf_failed(field) || buf_failed(lines)) {
		if (ar != NULL)
			*error_r = "verdict too large";
		return -1;
	}
	return 0;
}

static int pipeline_authenticate(struct pipeline_worker *w, const struct store_inbox_msg *in)
{
	struct buf field, lines;
	struct msg *m = NULL;
	const char *error = NULL;
	int	rc = -1;

	buf_init(&field, 256 * 1024);
	buf_init(&lines, 64 * 1024);
	if (msg_parse(&m, in->message, in->size, &error) < 0) {
		/* judged as unreadable: every recipient will fail with that reason */
		buf_append_str(&lines, "dmarc=permerror\nfrom=unparsable\n");
		log_warn("inbox=%lld unparsable message: %s", in->id, error);
		rc = 0;
	} else
		rc = pipeline_judge(w, in, m, &field, &lines, &error);
	if (rc == 0 && store_inbox_set_authenticated(w->store, in->id,
						     field.len ? buf_str(&field) : NULL,
						     buf_str(&lines), (long long) time(NULL),
						     &error) == STORE_ERROR)
		rc = -1;
	if (rc < 0)
		log_error("inbox=%lld cannot authenticate: %s", in->id, error ? error : "?");
	msg_free(m);
	buf_free(&field);
	buf_free(&lines);
	return rc;
}

/* ---- recipients ---------------------------------------------------------------- */

struct pipeline_pass {
	struct pipeline_worker *w;
	const struct store_inbox_msg *in;
	int	failed;
	int	done;
};

static void pipeline_ctx(struct pipeline_worker *w, struct post_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->store = w->store;
	c->resolver = w->resolver;
	c->authserv_id = w->cfg.authserv_id;
	c->delimiter = w->cfg.delimiter;
	c->web_base_url = w->cfg.web_base_url;
	c->templates_dir = w->cfg.templates_dir;
	c->now = time(NULL);
	c->allow_open_subscribe = w->cfg.allow_open_subscribe;
	c->pending_request_life = w->cfg.pending_request_life;
	c->request_replies_per_hour = w->cfg.request_replies_per_hour;
	c->request_max_commands = w->cfg.request_max_commands;
	c->dmarc_reports_send = w->cfg.dmarc_reports_send;
	c->dmarc_report_require_auth = w->cfg.dmarc_report_require_auth;
}

/*
 * Count a local failure; after PIPELINE_MAX_ATTEMPTS the recipient is
 * given up (state failed, the error as reason) rather than retried for
 * ever.
 */
static void pipeline_failed(struct pipeline_worker *w, const struct store_inbox_msg *in,
			    const struct store_rcpt *rc, const char *why)
{
	struct store_rcpt_outcome failed = { "failed", why, NULL, 0, NULL, NULL };
	long long attempts = 0;
	const char *error;
	char	reason[600];

	if (store_inbox_attempt(w->store, in->id, why, (long long) time(NULL), &attempts,
				&error) != STORE_OK || attempts < PIPELINE_MAX_ATTEMPTS)
		return;
	snprintf(reason, sizeof(reason), "gave up after %lld attempts: %.500s", attempts, why);
	failed.reason = reason;
	if (store_inbox_rcpt_finish(w->store, in->id, rc->address, &failed, (long long) time(NULL),
				    &error) == STORE_OK)
		log_error("inbox=%lld rcpt=%s list=%s outcome=failed reason=%s", in->id,
			  log_quote(rc->address), rc->list, log_quote(reason));
}

/* Tell the delivery workers there is something to send. */
static void pipeline_outbound(struct pipeline_worker *w)
{
	if (w->cfg.on_outbound != NULL)
		w->cfg.on_outbound(w->cfg.on_outbound_ctx);
}

/* Handle one pending recipient (called with the recipient list read). */
static int pipeline_rcpt(struct pipeline_worker *w, const struct store_inbox_msg *in,
			 const struct store_rcpt *rc)
{
	struct post_ctx c;
	struct post_result r;
	const char *error = NULL;
	int	status = STORE_OK;

	pipeline_ctx(w, &c);
	post_result_init(&r);
	if (post_handle(&c, in, rc, &r, &error) < 0
	    || (status = store_inbox_rcpt_finish(w->store, in->id, rc->address, &r.outcome,
						 (long long) c.now, &error)) == STORE_ERROR) {
		log_error("inbox=%lld rcpt=%s list=%s cannot be handled: %s", in->id,
			  log_quote(rc->address), rc->list, error ? error : "?");
		pipeline_failed(w, in, rc, error ? error : "unknown local error");
		post_result_free(&r);
		return -1;
	}
	if (status == STORE_OK)
		log_info("inbox=%lld rcpt=%s list=%s role=%s outcome=%s reason=%s rows=%zu",
			 in->id, log_quote(rc->address), rc->list, rc->role, r.outcome.state,
			 log_quote(r.outcome.reason ? r.outcome.reason : ""), r.outcome.noutbound);
	if (status == STORE_OK && r.decide_held > 0
	    && post_decide_held(&c, r.decide_held, NULL, r.decide_action, &error) != STORE_OK)
		log_warn("held=%lld moderator decision %s not carried out: %s", r.decide_held,
			 r.decide_action, error ? error : "?");
	if (status == STORE_OK && (r.outcome.noutbound > 0 || r.decide_held > 0))
		pipeline_outbound(w);
	post_result_free(&r);
	return 0;
}

/* Copies of the pending recipients: the callback must not write. */
struct pipeline_rcpts {
	struct store_rcpt *r;
	char  **strings;
	size_t	n, nstrings;
};

static int pipeline_collect(const struct store_rcpt *rc, void *ctx)
{
	struct pipeline_rcpts *p = ctx;
	struct store_rcpt *grown;
	char  **s;

	if (strcmp(rc->state, "pending") != 0)
		return 0;
	if ((grown = realloc(p->r, (p->n + 1) * sizeof(*p->r))) == NULL)
		return 1;
	p->r = grown;
	if ((s = realloc(p->strings, (p->nstrings + 5) * sizeof(*s))) == NULL)
		return 1;
	p->strings = s;
	s[p->nstrings] = strdup(rc->address);
	s[p->nstrings + 1] = strdup(rc->role);
	s[p->nstrings + 2] = strdup(rc->tag);
	s[p->nstrings + 3] = strdup(rc->state);
	s[p->nstrings + 4] = strdup(rc->list);
	p->r[p->n].address = s[p->nstrings];
	p->r[p->n].role = s[p->nstrings + 1];
	p->r[p->n].tag = s[p->nstrings + 2];
	p->r[p->n].state = s[p->nstrings + 3];
	p->r[p->n].list = s[p->nstrings + 4];
	p->r[p->n].list_id = rc->list_id;
	p->nstrings += 5;
	p->n++;
	return 0;
}

static void pipeline_rcpts_free(struct pipeline_rcpts *p)
{
	size_t	i;

	for (i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->r);
}

static int pipeline_recipients(struct pipeline_worker *w, const struct store_inbox_msg *in)
{
	struct pipeline_rcpts p;
	const char *error;
	size_t	i;
	int	rc = 0;

	memset(&p, 0, sizeof(p));
	if (store_inbox_rcpt_each(w->store, in->id, pipeline_collect, &p, &error) != STORE_OK) {
		log_error("inbox=%lld cannot read its recipients: %s", in->id, error);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < p.n; i++)
		if (p.r[i].address == NULL || p.r[i].list == NULL
		    || pipeline_rcpt(w, in, &p.r[i]) < 0)
			rc = -1;
	/* no recipient left pending (a list was deleted meanwhile) */
	if (rc == 0 && p.n == 0
	    && store_inbox_settle(w->store, in->id, (long long) time(NULL), &error) != STORE_OK)
		rc = -1;
	pipeline_rcpts_free(&p);
	return rc;
}

/* The first worker, when idle, discards held posts past max_days_to_hold. */
static void pipeline_expire(struct pipeline_worker *w)
{
	struct post_ctx c;
	const char *error;
	size_t	n;

	if (w->residue != 0 || time(NULL) - w->expired_at < PIPELINE_EXPIRE_EVERY)
		return;
	pipeline_ctx(w, &c);
	w->expired_at = c.now;
	if (post_expire_held(&c, &n, &error) != STORE_OK)
		log_error("event=expire error=%s", log_quote(error));
	else if (n > 0)
		log_info("event=expire held_discarded=%zu", n);
}

/* The first worker, when idle, sends the DMARC aggregate reports that are due. */
static void pipeline_dmarc_reports(struct pipeline_worker *w)
{
	struct dmarcout_config cfg;
	struct dmarcout_stats stats;
	const char *error = NULL;
	time_t	now = time(NULL);

	if (w->residue != 0 || !w->cfg.dmarc_reports_send
	    || now - w->reported_at < PIPELINE_DMARC_REPORTS_EVERY)
		return;
	w->reported_at = now;
	memset(&cfg, 0, sizeof(cfg));
	cfg.report_address = w->cfg.dmarc_report_address ? w->cfg.dmarc_report_address : "";
	cfg.generator = "sealist " PACKAGE_VERSION;
	cfg.hostname = w->cfg.hostname;
	cfg.dmarc_mode = w->cfg.dmarc_mode;
	if (dmarcout_pass(w->store, w->resolver, &cfg, (long long) now, &stats, &error) != STORE_OK)
		log_error("event=dmarc_reports error=%s", log_quote(error));
	else if (stats.reports > 0 || stats.postponed > 0 || stats.purged > 0)
		log_info("event=dmarc_reports reports=%zu mails=%zu postponed=%zu purged=%lld",
			 stats.reports, stats.mails, stats.postponed, stats.purged);
	if (stats.mails > 0)
		pipeline_outbound(w);
}

int pipeline_worker_step(struct pipeline_worker *w)
{
	struct store_inbox_msg in;
	const char *error;
	int	status, rc;

	status = store_inbox_next(w->store, "new", 0, w->modulo, w->residue, &in, &error);
	if (status == STORE_OK) {
		rc = pipeline_authenticate(w, &in);
		store_inbox_msg_free(&in);
		return rc < 0 ? -1 : 1;
	}
	if (status != STORE_NOT_FOUND)
		goto store_failed;
	status = store_inbox_next(w->store, "authenticated", w->cursor, w->modulo, w->residue,
				  &in, &error);
	if (status == STORE_NOT_FOUND) {
		w->cursor = 0;		/* next pass starts over: retries included */
		pipeline_expire(w);
		pipeline_dmarc_reports(w);
		return 0;
	}
	if (status != STORE_OK)
		goto store_failed;
	w->cursor = in.id;
	rc = pipeline_recipients(w, &in);
	store_inbox_msg_free(&in);
	return rc < 0 ? -1 : 1;
store_failed:
	log_error("pipeline: cannot read the inbox: %s", error);
	return -1;
}

int pipeline_worker_decide(struct pipeline_worker *w, long long id, const char *token,
			   const char *action, const char *why, const char **error_r)
{
	struct post_ctx c;
	int	status;

	pipeline_ctx(w, &c);
	if ((status = post_decide_held_why(&c, id, token, action, why, error_r)) == STORE_OK)
		pipeline_outbound(w);
	return status;
}

int pipeline_worker_request(struct pipeline_worker *w, const char *token, const char *action,
			    const char **error_r)
{
	struct post_ctx c;
	int	status;

	pipeline_ctx(w, &c);
	if ((status = request_decide(&c, token, action, error_r)) == STORE_OK)
		pipeline_outbound(w);
	return status;
}

/* ---- threads ---------------------------------------------------------------------- */

static int pipeline_thread_step(void *state)
{
	return pipeline_worker_step(state);
}

struct pipeline *pipeline_start(const struct pipeline_config *cfg, const char **error_r)
{
	struct pipeline *p = calloc(1, sizeof(*p));
	unsigned n = cfg->workers ? cfg->workers : 1;

	if (p == NULL || (p->workers = calloc(n, sizeof(*p->workers))) == NULL) {
		free(p);
		*error_r = "out of memory";
		return NULL;
	}
	/* every worker opens its store before any thread runs: a bad
	   database fails the start, not a thread later */
	for (p->nworkers = 0; p->nworkers < n; p->nworkers++)
		if ((p->workers[p->nworkers] = pipeline_worker_new(cfg, n, p->nworkers,
								   error_r)) == NULL) {
			pipeline_stop(p);
			return NULL;
		}
	if ((p->threads = workers_start(n, (void *const *) p->workers, pipeline_thread_step,
					cfg->idle_ms, error_r)) == NULL) {
		pipeline_stop(p);
		return NULL;
	}
	return p;
}

void pipeline_kick(struct pipeline *p)
{
	workers_kick(p->threads);
}

void pipeline_stop(struct pipeline *p)
{
	unsigned i;

	if (p == NULL)
		return;
	workers_stop(p->threads);
	for (i = 0; i < p->nworkers; i++)
		pipeline_worker_free(p->workers[i]);
	free(p->workers);
	free(p);
}
