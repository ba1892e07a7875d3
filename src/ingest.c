/*
 * NAME
 *	ingest 3
 * SUMMARY
 *	LMTP hooks: routing and durable storage
 * DESCRIPTION
 *	See ingest.h.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest.h"
#include "log.h"
#include "route.h"
#include "store.h"

struct ingest {
	char   *database;
	char	delimiter;
	char   *report_local;		/* dmarc_report_address; NULL: none */
	struct pipeline *pipeline;
	pthread_key_t key;		/* the thread's struct store */
};

static void ingest_close_store(void *store)
{
	store_close(store);
}

struct ingest *ingest_new(const char *database, char delimiter, struct pipeline *pipeline,
			  const char **error_r)
{
	struct ingest *in = calloc(1, sizeof(*in));

	if (in == NULL || (in->database = strdup(database)) == NULL
	    || pthread_key_create(&in->key, ingest_close_store) != 0) {
		if (in != NULL)
			free(in->database);
		free(in);
		*error_r = "out of memory";
		return NULL;
	}
	in->delimiter = delimiter;
	in->pipeline = pipeline;
	return in;
}

void ingest_free(struct ingest *in)
{
	if (in == NULL)
		return;
	pthread_key_delete(in->key);
	free(in->report_local);
	free(in->database);
	free(in);
}

int ingest_set_report_local(struct ingest *in, const char *local)
{
	char   *copy = local != NULL && *local ? strdup(local) : NULL;

	if (local != NULL && *local && copy == NULL)
		return -1;
	free(in->report_local);
	in->report_local = copy;
	return 0;
}

/* This thread's connection; NULL (logged) if it cannot be opened. */
static struct store *ingest_store(struct ingest *in)
{
	struct store *s = pthread_getspecific(in->key);
	const char *error;

	if (s != NULL)
		return s;
	if ((s = store_open(in->database, &error)) == NULL) {
		log_error("event=lmtp database=%s error=%s", log_quote(in->database),
			  log_quote(error));
		return NULL;
	}
	pthread_setspecific(in->key, s);
	return s;
}

static __thread char ingest_reply[512];

static int ingest_rcpt(void *ctx, const struct lmtp_envelope *env, const char *address,
		       void **route_r, const char **reply_r)
{
	struct ingest *in = ctx;
	struct store *s = ingest_store(in);
	struct route *r;
	const char *error = NULL;
	int	rc;

	(void) env;
	*route_r = NULL;
	if (s == NULL || (r = malloc(sizeof(*r))) == NULL) {
		*reply_r = "451 4.3.0 temporary local problem, try again later";
		return -1;
	}
	if ((rc = route_lookup(s, address, in->delimiter, in->report_local, r, &error)) == 0) {
		*route_r = r;
		return 0;
	}
	free(r);
	if (rc < 0) {
		log_error("event=rcpt address=%s error=%s", log_quote(address),
			  log_quote(error ? error : "?"));
		*reply_r = "451 4.3.0 temporary local problem, try again later";
	} else {
		snprintf(ingest_reply, sizeof(ingest_reply),
			 "550 5.1.1 <%.300s>: no such list here", address);
		*reply_r = ingest_reply;
	}
	return -1;
}

static void ingest_route_free(void *ctx, void *route)
{
	(void) ctx;
	if (route != NULL) {
		route_free(route);
		free(route);
	}
}

/* The client address as text, "" when the MTA did not say. */
static void ingest_client(const struct lmtp_envelope *env, char *out, size_t size)
{
	const struct spf_xforward *xf = env->xforward;

	*out = 0;
	if (xf == NULL || !xf->have_addr)
		return;
	if (inet_ntop(xf->family, &xf->ip, out, (socklen_t) size) == NULL)
		*out = 0;
}

static int ingest_deliver(void *ctx, const struct lmtp_envelope *env,
			  const struct lmtp_rcpt *rcpts, size_t n,
			  const unsigned char *msg, size_t len, const char **reply_r)
{
	struct ingest *in = ctx;
	struct store *s = ingest_store(in);
	struct store_inbox_rcpt *rows = calloc(n ? n : 1, sizeof(*rows));
	struct store_inbox_new m;
	char	client[64];
	const char *error = "out of memory";
	long long id = 0;
	size_t	i;
	int	status = STORE_ERROR;

	if (s != NULL && rows != NULL) {
		for (i = 0; i < n; i++) {
			const struct route *r = rcpts[i].route;

			rows[i].address = rcpts[i].address;
			rows[i].list_id = r->list_id;
			rows[i].role = route_role_str(r->role);
			rows[i].tag = r->tag;
		}
		ingest_client(env, client, sizeof(client));
		memset(&m, 0, sizeof(m));
		m.received_at = (long long) time(NULL);
		m.envelope_from = env->mail_from;
		m.client_ip = client;
		m.client_name = env->xforward != NULL ? env->xforward->name : "";
		/* the SMTP client's HELO, never the MTA's own LHLO name */
		m.helo = env->xforward != NULL ? env->xforward->helo : "";
		m.message = msg;
		m.size = len;
		m.rcpts = rows;
		m.nrcpts = n;
		status = store_inbox_add(s, &m, &id, &error);
	}
	free(rows);
	if (status != STORE_OK) {
		log_error("event=deliver session=%s error=%s", env->session_id, log_quote(error));
		*reply_r = "451 4.3.0 cannot store the message now, try again later";
		return -1;
	}
	log_info("event=stored session=%s inbox=%lld size=%zu rcpts=%zu from=%s client=%s",
		 env->session_id, id, len, n, log_quote(env->mail_from), log_quote(client));
	if (in->pipeline != NULL)
		pipeline_kick(in->pipeline);
	return 0;
}

void ingest_hooks(struct ingest *in, struct lmtp_hooks *out)
{
	memset(out, 0, sizeof(*out));
	out->ctx = in;
	out->rcpt = ingest_rcpt;
	out->route_free = ingest_route_free;
	out->deliver = ingest_deliver;
}
