/*
 * NAME
 *	delivery 3
 * SUMMARY
 *	delivery workers: due rows, finished copies, SMTP, recorded results
 * DESCRIPTION
 *	See delivery.h.  A worker keeps the post it is sending prepared
 *	(parsed, body hashed, keys loaded: struct delivery_post) for as long
 *	as its due rows belong to that post, which with 100,000 rows of one
 *	post is the whole fan-out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "delivery.h"
#include "log.h"
#include "outsign.h"
#include "sealist_limits.h"
#include "settings.h"
#include "store.h"
#include "token.h"
#include "workers.h"

/* Due rows per step when each copy goes alone: also the most a crash
   can send twice per worker, as they are recorded together. */
#define DELIVERY_BATCH		32
/* Wait before retrying rows a local problem kept from being sent. */
#define DELIVERY_LOCAL_RETRY	60
/* Seconds between worker 0's calls of on_tick. */
#define DELIVERY_TICK_EVERY	60
/* Loaded private keys a worker keeps (a few per list domain). */
#define DELIVERY_KEY_CACHE	16

/* ---- configuration ------------------------------------------------------ */

static int delivery_retry_parse(const char *text, struct delivery_config *cfg)
{
	cfg->nretry = 0;
	for (;;) {
		size_t	n;
		long	secs;

		text += strspn(text, " \t,");
		if (*text == 0)
			return cfg->nretry > 0 ? 0 : -1;
		n = strcspn(text, " \t,");
		if ((secs = conf_duration(text, n)) < 0 || cfg->nretry == DELIVERY_MAX_RETRY)
			return -1;
		cfg->retry[cfg->nretry++] = secs;
		text += n;
	}
}

static enum deliver_starttls delivery_starttls(const char *v)
{
	if (strcmp(v, "required") == 0)
		return DELIVER_STARTTLS_REQUIRED;
	return strcmp(v, "off") == 0 ? DELIVER_STARTTLS_OFF : DELIVER_STARTTLS_OPTIONAL;
}

int delivery_config_load(const struct conf *conf, const char *web_base_url,
			 struct delivery_config *cfg, const char **error_r)
{
	const char *user = conf_get(conf, CONF_SMTP_USER);

	memset(cfg, 0, sizeof(*cfg));
	cfg->database = conf_get(conf, CONF_DATABASE);
	cfg->smtp.relay = conf_get(conf, CONF_SMTP_RELAY);
	cfg->smtp.starttls = delivery_starttls(conf_get(conf, CONF_SMTP_STARTTLS));
	cfg->smtp.tls_verify = strcmp(conf_get(conf, CONF_SMTP_TLS_VERIFY), "yes") == 0;
	cfg->smtp.user = *user ? user : NULL;
	cfg->smtp.password = *user ? conf_get(conf, CONF_SMTP_PASSWORD) : NULL;
	cfg->connections = (unsigned) strtoul(conf_get(conf, CONF_SMTP_CONNECTIONS), NULL, 10);
	cfg->verp = strcmp(conf_get(conf, CONF_VERP), "yes") == 0;
	cfg->max_rcpt_per_txn = strtoul(conf_get(conf, CONF_MAX_RCPT_PER_TXN), NULL, 10);
	cfg->max_lifetime = conf_duration(conf_get(conf, CONF_MAX_QUEUE_LIFETIME),
					  strlen(conf_get(conf, CONF_MAX_QUEUE_LIFETIME)));
	cfg->web_base_url = web_base_url;
	cfg->delimiter = conf_get(conf, CONF_RECIPIENT_DELIMITER)[0];
	cfg->idle_ms = 1000;
	if (delivery_retry_parse(conf_get(conf, CONF_RETRY_SCHEDULE), cfg) < 0) {
		*error_r = "retry_schedule: expected at most 32 durations such as \"5m 30m 2h\"";
		return -1;
	}
	if (cfg->max_lifetime <= 0) {
		*error_r = "max_queue_lifetime: expected a duration such as 5d";
		return -1;
	}
	return 0;
}

/* ---- one worker's state ------------------------------------------------- */

struct delivery_key {
	char   *path;
	struct dkim_privkey *key;
};

/* The outbound row being sent, prepared once for all its rows. */
struct delivery_post {
	long long id;			/* 0: none */
	int	usable;			/* 0: preparing failed (why) */
	char	why[1400];
	int	is_post;		/* kind post: VERP, bounces reported */
	int	personalize;
	char   *list, *kind, *envelope_from, *aar, *arc_cv;
	struct msg *msg;
	char	list_local[LIMIT_LOCAL_PART + 1];
	char	list_domain[LIMIT_DOMAIN + 1];
	char	rsa_path[4096], rsa_sel[256], ed_path[4096], ed_sel[256];
	unsigned char token_key[64];
	size_t	token_key_len;
	struct outsign_post *op;
	struct outsign_worker *ow;
	int	shared_ready;		/* personalize off: copy in shared */
	struct buf shared;
};

struct delivery_row {
	long long id, outbound_id, attempts, queued_at;
	char   *recipient;
};

/* A bounce to report once the results are recorded. */
struct delivery_bounce {
	char   *list, *recipient, *why;
	enum dsn_class cls;
};

struct delivery_worker {
	struct delivery_config cfg;
	unsigned modulo, residue;
	struct store *store;
	struct deliver_conn *conn;
	struct delivery_key keys[DELIVERY_KEY_CACHE];
	size_t	nkeys;
	struct delivery_post post;
	struct delivery_row *rows;	/* this step's due rows */
	size_t	nrows, maxrows;
	struct store_delivery_result *results;
	char  **errors;			/* results[i].error, owned */
	size_t	nresults;
	struct delivery_bounce *bounces;
	size_t	nbounces;
	struct buf out, env;
	long long ticked_at;
};

static long long delivery_now(const struct delivery_worker *w)
{
	return w->cfg.now ? w->cfg.now() : (long long) time(NULL);
}

static void delivery_post_clear(struct delivery_post *p)
{
	outsign_worker_free(p->ow);
	outsign_post_free(p->op);
	msg_free(p->msg);
	free(p->list);
	free(p->kind);
	free(p->envelope_from);
	free(p->aar);
	free(p->arc_cv);
	buf_free(&p->shared);
	memset(p, 0, sizeof(*p));
}

struct delivery_worker *delivery_worker_new(const struct delivery_config *cfg,
					    unsigned modulo, unsigned residue,
					    const char **error_r)
{
	struct delivery_worker *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		*error_r = "out of memory";
		return NULL;
	}
	w->cfg = *cfg;
	w->modulo = modulo ? modulo : 1;
	w->residue = residue;
	w->maxrows = DELIVERY_BATCH;
	if (cfg->max_rcpt_per_txn > w->maxrows && !cfg->verp)
		w->maxrows = cfg->max_rcpt_per_txn;
	buf_init(&w->out, LIMIT_MESSAGE_SIZE + 1024 * 1024);
	buf_init(&w->env, 1024);
	if ((w->rows = calloc(w->maxrows, sizeof(*w->rows))) == NULL
	    || (w->results = calloc(w->maxrows, sizeof(*w->results))) == NULL
	    || (w->errors = calloc(w->maxrows, sizeof(*w->errors))) == NULL
	    || (w->bounces = calloc(w->maxrows, sizeof(*w->bounces))) == NULL) {
		*error_r = "out of memory";
		delivery_worker_free(w);
		return NULL;
	}
	if ((w->store = store_open(cfg->database, error_r)) == NULL
	    || (w->conn = deliver_conn_new(&cfg->smtp, error_r)) == NULL) {
		delivery_worker_free(w);
		return NULL;
	}
	return w;
}

static void delivery_rows_clear(struct delivery_worker *w)
{
	size_t	i;

	for (i = 0; i < w->nrows; i++)
		free(w->rows[i].recipient);
	w->nrows = 0;
	for (i = 0; i < w->nresults; i++) {
		free(w->errors[i]);
		w->errors[i] = NULL;
	}
	w->nresults = 0;
	for (i = 0; i < w->nbounces; i++) {
		free(w->bounces[i].list);
		free(w->bounces[i].recipient);
		free(w->bounces[i].why);
	}
	w->nbounces = 0;
}

void delivery_worker_free(struct delivery_worker *w)
{
	size_t	i;

	if (w == NULL)
		return;
	if (w->rows != NULL && w->errors != NULL && w->bounces != NULL)
		delivery_rows_clear(w);
	delivery_post_clear(&w->post);
	for (i = 0; i < w->nkeys; i++) {
		free(w->keys[i].path);
		dkim_privkey_free(w->keys[i].key);
	}
	deliver_conn_free(w->conn);
	store_close(w->store);
	buf_free(&w->out);
	buf_free(&w->env);
	free(w->rows);
	free(w->results);
	free(w->errors);
	free(w->bounces);
	free(w);
}

/* ---- preparing a post --------------------------------------------------- */

/* A loaded key by file name, kept for the worker's life (keys rarely change). */
static struct dkim_privkey *delivery_key(struct delivery_worker *w, const char *path,
					 const char **error_r)
{
	struct dkim_privkey *k;
	size_t	i;

	for (i = 0; i < w->nkeys; i++)
		if (strcmp(w->keys[i].path, path) == 0)
			return w->keys[i].key;
	if ((k = dkim_privkey_load_file(path, error_r)) == NULL)
		return NULL;
	if (w->nkeys == DELIVERY_KEY_CACHE) {	/* full: forget the oldest */
		free(w->keys[0].path);
		dkim_privkey_free(w->keys[0].key);
		memmove(w->keys, w->keys + 1, (DELIVERY_KEY_CACHE - 1) * sizeof(w->keys[0]));
		w->nkeys--;
	}
	if ((w->keys[w->nkeys].path = strdup(path)) == NULL) {
		dkim_privkey_free(k);
		*error_r = "out of memory";
		return NULL;
	}
	w->keys[w->nkeys++].key = k;
	return k;
}

/* The domain's signing key of each algorithm (sealist key use switches). */
static int delivery_pick_key(const struct store_key *k, void *ctx)
{
	struct delivery_post *p = ctx;
	int	rsa = strcmp(k->algorithm, "rsa") == 0;

	if (!k->signing)
		return 0;
	snprintf(rsa ? p->rsa_path : p->ed_path, sizeof(p->rsa_path), "%s", k->path);
	snprintf(rsa ? p->rsa_sel : p->ed_sel, sizeof(p->rsa_sel), "%s", k->selector);
	return 0;
}

static int delivery_copy_row(const struct store_outbound *o, void *ctx)
{
	struct delivery_post *p = ctx;
	const char *error;

	p->list = strdup(o->list);
	p->kind = strdup(o->kind);
	p->envelope_from = strdup(o->envelope_from);
	p->aar = o->aar ? strdup(o->aar) : NULL;
	p->arc_cv = o->arc_cv ? strdup(o->arc_cv) : NULL;
	if (msg_parse(&p->msg, o->message, o->size, &error) < 0)
		snprintf(p->why, sizeof(p->why), "the queued message is unreadable: %s", error);
	return 0;
}

static long delivery_setting(struct delivery_worker *w, const char *list, const char *name)
{
	char   *value = NULL;
	const char *error;
	long	v = -1;

	if (store_setting_get(w->store, list, name, &value, NULL, &error) == STORE_OK)
		v = strtol(value, NULL, 10);
	free(value);
	return v;
}

static int delivery_token_key(struct delivery_worker *w, struct delivery_post *p)
{
	unsigned char fresh[TOKEN_KEY_LEN];
	const char *error;

	if (token_key_generate(fresh, sizeof(fresh)) < 0
	    || store_list_token_key(w->store, p->list, fresh, sizeof(fresh), p->token_key,
				    sizeof(p->token_key), &p->token_key_len,
				    &error) != STORE_OK) {
		snprintf(p->why, sizeof(p->why), "no one-click token key for %s", p->list);
		return -1;
	}
	return 0;
}

static enum arc_cv delivery_arc_cv(const char *s)
{
	if (s != NULL && strcmp(s, "pass") == 0)
		return ARC_CV_PASS;
	return s != NULL && strcmp(s, "fail") == 0 ? ARC_CV_FAIL : ARC_CV_NONE;
}

/* What outsign needs, from the row, the list's settings and its keys. */
static int delivery_opts(struct delivery_worker *w, struct delivery_post *p,
			 struct outsign_opts *o)
{
	const char *error = NULL;
	const char *at = strrchr(p->list, '@');

	outsign_opts_init(o);
	if (at == NULL || (size_t) (at - p->list) > LIMIT_LOCAL_PART) {
		snprintf(p->why, sizeof(p->why), "bad list address %s", p->list);
		return -1;
	}
	memcpy(p->list_local, p->list, (size_t) (at - p->list));
	p->list_local[at - p->list] = 0;
	snprintf(p->list_domain, sizeof(p->list_domain), "%s", at + 1);
	o->list_local = p->list_local;
	o->list_domain = p->list_domain;
	o->timestamp = delivery_now(w);
	if (store_key_each(w->store, p->list_domain, delivery_pick_key, p, &error) != STORE_OK) {
		snprintf(p->why, sizeof(p->why), "cannot read the keys of %s: %s", p->list_domain,
			 error);
		return -1;
	}
	if (*p->rsa_path && (o->rsa_key = delivery_key(w, p->rsa_path, &error)) == NULL) {
		snprintf(p->why, sizeof(p->why), "cannot load %.1000s: %.300s", p->rsa_path, error);
		return -1;
	}
	if (*p->ed_path && (o->ed_key = delivery_key(w, p->ed_path, &error)) == NULL) {
		snprintf(p->why, sizeof(p->why), "cannot load %.1000s: %.300s", p->ed_path, error);
		return -1;
	}
	o->rsa_selector = p->rsa_sel;
	o->ed_selector = p->ed_sel;
	if (!p->is_post)
		return 0;
	/* the per-member part is the one-click URL (RFC 8058 wants https) */
	p->personalize = delivery_setting(w, p->list, "personalize") != 0
	    && delivery_setting(w, p->list, "one_click_unsubscribe") != 0
	    && strncmp(w->cfg.web_base_url ? w->cfg.web_base_url : "", "https://", 8) == 0;
	if (p->personalize) {
		if (delivery_token_key(w, p) < 0)
			return -1;
		o->personalize = 1;
		o->web_base_url = w->cfg.web_base_url;
		o->token_key = p->token_key;
		o->token_key_len = p->token_key_len;
	}
	if (p->aar != NULL && delivery_setting(w, p->list, "arc_seal") > 0
	    && (o->rsa_key != NULL || o->ed_key != NULL)) {
		o->arc = 1;
		o->arc_authres = p->aar;
		o->arc_cv = delivery_arc_cv(p->arc_cv);
	}
	return 0;
}

/* Make outbound row id the prepared one; 0, or -1 with p->why (logged once). */
static int delivery_prepare(struct delivery_worker *w, long long id)
{
	struct delivery_post *p = &w->post;
	struct outsign_opts o;
	const char *error = NULL;

	if (p->id == id)
		return p->usable ? 0 : -1;
	delivery_post_clear(p);
	p->id = id;
	buf_init(&p->shared, LIMIT_MESSAGE_SIZE + 1024 * 1024);
	if (store_outbound_get(w->store, id, delivery_copy_row, p, &error) != STORE_OK)
		snprintf(p->why, sizeof(p->why), "cannot read outbound row: %s", error);
	else if (p->list == NULL || p->kind == NULL || p->envelope_from == NULL)
		snprintf(p->why, sizeof(p->why), "out of memory");
	if (*p->why)
		goto failed;
	p->is_post = strcmp(p->kind, "post") == 0;
	if (delivery_opts(w, p, &o) < 0)
		goto failed;
	if (o.rsa_key == NULL && o.ed_key == NULL)
		log_warn("outbound=%lld list=%s sent unsigned: %s has no DKIM key "
			 "(sealist key generate %s)", id, p->list, p->list_domain, p->list_domain);
	if (outsign_post_new(p->msg, &o, &p->op, &error) < 0
	    || outsign_worker_new(p->op, &p->ow, &error) < 0) {
		snprintf(p->why, sizeof(p->why), "cannot prepare the copies: %s", error);
		goto failed;
	}
	p->usable = 1;
	return 0;
failed:
	log_error("outbound=%lld cannot be sent: %s", id, p->why);
	return -1;
}

/* ---- results ------------------------------------------------------------ */

static void delivery_result(struct delivery_worker *w, const struct delivery_row *row,
			    const char *state, long long next, const char *error)
{
	struct store_delivery_result *r = &w->results[w->nresults];

	r->id = row->id;
	r->outbound_id = row->outbound_id;
	r->state = state;
	r->next_attempt = next;
	w->errors[w->nresults] = error ? strdup(error) : NULL;
	r->error = w->errors[w->nresults];
	w->nresults++;
}

/* A post's recipient bounced: tell the bounce module after recording. */
static void delivery_bounced(struct delivery_worker *w, const struct delivery_row *row,
			     enum dsn_class cls, const char *why)
{
	struct delivery_bounce *b = &w->bounces[w->nbounces];

	if (!w->post.is_post || w->cfg.on_bounce == NULL)
		return;
	b->list = strdup(w->post.list);
	b->recipient = strdup(row->recipient);
	b->why = strdup(why);
	b->cls = cls;
	w->nbounces++;
}

/* When a temporary failure is tried again: the schedule's next wait. */
static long long delivery_next(const struct delivery_worker *w, const struct delivery_row *row,
			       long long now)
{
	size_t	k = (size_t) row->attempts < w->cfg.nretry ? (size_t) row->attempts
	    : w->cfg.nretry - 1;

	return now + w->cfg.retry[k];
}

/*
 * A temporary failure: queued again at next, or given up past
 * max_lifetime.  A give-up is charged to the member (a soft bounce) only
 * when the relay's last word was a reply about this recipient (scored);
 * a relay that was down, refused our AUTH or TLS, or a local problem
 * says nothing about the member's address.
 */
static void delivery_retry_at(struct delivery_worker *w, const struct delivery_row *row,
			      const char *why, long long now, long long next, int scored)
{
	char	gave_up[DELIVER_TEXT_SIZE + 64];

	if (next - row->queued_at <= w->cfg.max_lifetime) {
		delivery_result(w, row, "queued", next, why);
		log_info("outbound=%lld rcpt=%s status=deferred attempts=%lld retry_in=%lld why=%s",
			 row->outbound_id, log_quote(row->recipient), row->attempts + 1,
			 next - now, log_quote(why));
		return;
	}
	snprintf(gave_up, sizeof(gave_up), "gave up after %lld attempts: %.1000s",
		 row->attempts + 1, why);
	delivery_result(w, row, "bounced", 0, gave_up);
	if (scored)
		delivery_bounced(w, row, DSN_SOFT, gave_up);
	log_warn("outbound=%lld rcpt=%s status=bounced why=%s", row->outbound_id,
		 log_quote(row->recipient), log_quote(gave_up));
}

static void delivery_record(struct delivery_worker *w, const struct delivery_row *row,
			    const struct deliver_rcpt *r, long long now)
{
	char	text[DELIVER_TEXT_SIZE + 32];

	/* the reply as the relay wrote it ("550 5.1.1 ..."), or our reason */
	snprintf(text, sizeof(text), "%s", r->text);
	switch (r->outcome) {
	case DELIVER_DELIVERED:
		delivery_result(w, row, "delivered", 0, NULL);
		log_info("outbound=%lld rcpt=%s status=delivered reply=%s", row->outbound_id,
			 log_quote(row->recipient), log_quote(text));
		break;
	case DELIVER_TEMPFAIL:
		delivery_retry_at(w, row, text, now, delivery_next(w, row, now), r->code >= 400);
		break;
	case DELIVER_PERMFAIL:
		delivery_result(w, row, "bounced", 0, text);
		delivery_bounced(w, row, r->cls, text);
		log_info("outbound=%lld rcpt=%s status=bounced class=%s reply=%s",
			 row->outbound_id, log_quote(row->recipient), dsn_class_name(r->cls),
			 log_quote(text));
		break;
	}
}

/* Not sent because of a local problem (a key file, no memory): soon again. */
static void delivery_not_sent(struct delivery_worker *w, const struct delivery_row *row,
			      const char *why, long long now)
{
	delivery_retry_at(w, row, why, now, now + DELIVERY_LOCAL_RETRY, 0);
}

/* ---- sending ------------------------------------------------------------ */

static const char *delivery_envelope(struct delivery_worker *w, const char *recipient)
{
	const struct delivery_post *p = &w->post;
	const char *error;

	if (!p->is_post || !w->cfg.verp)
		return p->envelope_from;
	buf_reset(&w->env);
	if (dsn_verp_encode(p->list_local, w->cfg.delimiter, recipient, p->list_domain,
			    &w->env, &error) < 0 || buf_failed(&w->env))
		return p->envelope_from;	/* e.g. a quoted local part with spaces */
	return buf_str(&w->env);
}

/* The bytes for recipient: its own copy, or the one shared by all. */
static int delivery_copy(struct delivery_worker *w, const char *recipient,
			 const struct buf **copy_r, const char **error_r)
{
	struct delivery_post *p = &w->post;

	if (!p->personalize) {
		if (!p->shared_ready) {
			buf_reset(&p->shared);
			if (outsign_finish(p->ow, NULL, &p->shared, error_r) < 0)
				return -1;
			p->shared_ready = 1;
		}
		*copy_r = &p->shared;
		return 0;
	}
	buf_reset(&w->out);
	if (outsign_finish(p->ow, recipient, &w->out, error_r) < 0)
		return -1;
	*copy_r = &w->out;
	return 0;
}

static void delivery_transaction(struct delivery_worker *w, const struct delivery_row *rows,
				 size_t n, const char *mail_from, const struct buf *copy)
{
	const char *rcpts[LIMIT_DELIVER_RCPTS];
	struct deliver_result res;
	long long now;
	size_t	i;

	for (i = 0; i < n; i++)
		rcpts[i] = rows[i].recipient;
	if (deliver_send(w->conn, mail_from, rcpts, n, copy->data, copy->len, &res) < 0) {
		now = delivery_now(w);
		for (i = 0; i < n; i++)
			delivery_not_sent(w, &rows[i], res.reason, now);
		deliver_result_free(&res);
		return;
	}
	if (res.failure == DELIVER_FAIL_AUTH || res.failure == DELIVER_FAIL_TLS)
		log_error("relay=%s error=%s reason=%s", w->cfg.smtp.relay,
			  deliver_failure_name(res.failure), log_quote(res.reason));
	now = delivery_now(w);
	for (i = 0; i < n; i++)
		delivery_record(w, &rows[i], &res.rcpt[i], now);
	deliver_result_free(&res);
}

/* rows[0..n) all belong to w->post. */
static void delivery_send_post(struct delivery_worker *w, const struct delivery_row *rows,
			       size_t n)
{
	const struct delivery_post *p = &w->post;
	const struct buf *copy;
	const char *error;
	size_t	i, k;
	int	batch = !p->personalize && !(p->is_post && w->cfg.verp);

	for (i = 0; i < n; i += k) {
		k = batch ? n - i : 1;
		if (k > w->cfg.max_rcpt_per_txn && w->cfg.max_rcpt_per_txn > 0)
			k = w->cfg.max_rcpt_per_txn;
		if (delivery_copy(w, rows[i].recipient, &copy, &error) < 0) {
			size_t	j;

			log_error("outbound=%lld rcpt=%s cannot be finished: %s", rows[i].outbound_id,
				  log_quote(rows[i].recipient), error);
			for (j = i; j < i + k; j++)
				delivery_not_sent(w, &rows[j], error, delivery_now(w));
			continue;
		}
		delivery_transaction(w, rows + i, k, delivery_envelope(w, rows[i].recipient), copy);
	}
}

/* ---- one step ----------------------------------------------------------- */

static int delivery_collect(const struct store_delivery *d, void *ctx)
{
	struct delivery_worker *w = ctx;
	struct delivery_row *r = &w->rows[w->nrows];

	if ((r->recipient = strdup(d->recipient)) == NULL)
		return 1;
	r->id = d->id;
	r->outbound_id = d->outbound_id;
	r->attempts = d->attempts;
	r->queued_at = d->queued_at;
	w->nrows++;
	return w->nrows == w->maxrows;
}

/* Bounces are reported once their rows are recorded (posts only). */
static void delivery_report_bounces(struct delivery_worker *w)
{
	size_t	i;

	for (i = 0; i < w->nbounces; i++) {
		const struct delivery_bounce *b = &w->bounces[i];

		if (b->list != NULL && b->recipient != NULL && b->why != NULL)
			w->cfg.on_bounce(w->cfg.on_bounce_ctx, w->store, b->list, b->recipient, b->cls,
					 b->why);
	}
}

static void delivery_tick(struct delivery_worker *w)
{
	long long now = delivery_now(w);

	if (w->residue != 0 || w->cfg.on_tick == NULL || now - w->ticked_at < DELIVERY_TICK_EVERY)
		return;
	w->ticked_at = now;
	w->cfg.on_tick(w->cfg.on_tick_ctx, w->store);
}

int delivery_worker_step(struct delivery_worker *w)
{
	const char *error;
	size_t	i, k;
	int	rc = 1;

	delivery_tick(w);
	delivery_rows_clear(w);
	/* a post that could not be prepared is tried afresh each step: the
	   cause (a key file, the disk) may have gone */
	if (w->post.id != 0 && !w->post.usable)
		delivery_post_clear(&w->post);
	if (store_delivery_due(w->store, delivery_now(w), w->modulo, w->residue, w->maxrows,
			       delivery_collect, w, &error) != STORE_OK) {
		log_error("delivery: cannot read the queue: %s", error);
		delivery_rows_clear(w);
		return -1;
	}
	if (w->nrows == 0)
		return 0;
	for (i = 0; i < w->nrows; i += k) {
		for (k = 1; i + k < w->nrows && w->rows[i + k].outbound_id == w->rows[i].outbound_id; k++)
			;
		if (delivery_prepare(w, w->rows[i].outbound_id) == 0)
			delivery_send_post(w, w->rows + i, k);
		else {
			size_t	j;

			for (j = i; j < i + k; j++)
				delivery_not_sent(w, &w->rows[j], w->post.why, delivery_now(w));
		}
	}
	if (store_delivery_settle(w->store, w->results, w->nresults, &error) != STORE_OK) {
		/* not recorded: they are sent again, which is at-least-once */
		log_error("delivery: cannot record %zu results: %s", w->nresults, error);
		rc = -1;
	} else
		delivery_report_bounces(w);
	delivery_rows_clear(w);
	return rc;
}

/* ---- threads ------------------------------------------------------------ */

struct delivery {
	struct workers *threads;
	struct delivery_worker **workers;
	unsigned n;
};

static int delivery_thread_step(void *state)
{
	return delivery_worker_step(state);
}

struct delivery *delivery_start(const struct delivery_config *cfg, const char **error_r)
{
	struct delivery *d = calloc(1, sizeof(*d));
	unsigned n = cfg->connections ? cfg->connections : 1;

	if (d == NULL || (d->workers = calloc(n, sizeof(*d->workers))) == NULL) {
		free(d);
		*error_r = "out of memory";
		return NULL;
	}
	for (d->n = 0; d->n < n; d->n++)
		if ((d->workers[d->n] = delivery_worker_new(cfg, n, d->n, error_r)) == NULL) {
			delivery_stop(d);
			return NULL;
		}
	if ((d->threads = workers_start(n, (void *const *) d->workers, delivery_thread_step,
					cfg->idle_ms, error_r)) == NULL) {
		delivery_stop(d);
		return NULL;
	}
	return d;
}

void delivery_kick(struct delivery *d)
{
	if (d != NULL)
		workers_kick(d->threads);
}

void delivery_stop(struct delivery *d)
{
	unsigned i;

	if (d == NULL)
		return;
	workers_stop(d->threads);
	for (i = 0; i < d->n; i++)
		delivery_worker_free(d->workers[i]);
	free(d->workers);
	free(d);
}
