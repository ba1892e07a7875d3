/*
 * NAME
 *	dmarcbounce 3
 * SUMMARY
 *	bounces of the DMARC aggregate reports sealist sent
 * DESCRIPTION
 *	See dmarcbounce.h.  The returned part is found with mime_walk
 *	(message/rfc822 is a leaf there, its body the returned message),
 *	decoded in case an MTA encoded it, and its fields read with
 *	mime_entity_field, the same reader the report picker uses.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dsn/dsn.h"
#include "mime/mime.h"
#include "msg/msg.h"
#include "dmarcbounce.h"
#include "log.h"
#include "sealist_limits.h"

/* The part types that carry the returned message or its headers. */
static const char *const dmarcbounce_types[] = {
	"text/rfc822-headers", "message/rfc822", "message/global", "message/global-headers",
};

struct dmarcbounce_walk {
	struct buf *headers;
	int	found;
};

static int dmarcbounce_visit(void *ctx, const struct mime_node *node)
{
	struct dmarcbounce_walk *w = ctx;
	char	type[64];
	size_t	i;

	if (node->depth == 0)
		return 0;
	(void) snprintf(type, sizeof(type), "%s/%s", node->ctype->type, node->ctype->subtype);
	for (i = 0; i < sizeof(dmarcbounce_types) / sizeof(dmarcbounce_types[0]); i++)
		if (strcmp(type, dmarcbounce_types[i]) == 0) {
			mime_decode(node->cte, node->body, node->body_len, w->headers);
			w->found = 1;
			return 1;
		}
	return 0;
}

/* v[0..len) without white space (folding included) around it. */
static void dmarcbounce_trim(const unsigned char **v, size_t *len)
{
	while (*len > 0 && (**v == ' ' || **v == '\t' || **v == '\r' || **v == '\n')) {
		(*v)++;
		(*len)--;
	}
	while (*len > 0 && ((*v)[*len - 1] == ' ' || (*v)[*len - 1] == '\t'
			    || (*v)[*len - 1] == '\r' || (*v)[*len - 1] == '\n'))
		(*len)--;
}

/* The token v[0..len) (<> removed) into out if it is printable without space: 1, else 0. */
static int dmarcbounce_token(const unsigned char *v, size_t len, char *out, size_t size)
{
	size_t	i;

	dmarcbounce_trim(&v, &len);
	if (len >= 2 && v[0] == '<' && v[len - 1] == '>') {
		v++;
		len -= 2;
	}
	if (len == 0 || len >= size)
		return 0;
	for (i = 0; i < len; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f)
			return 0;
	memcpy(out, v, len);
	out[len] = 0;
	return 1;
}

/* The token after "Report-ID:" in a Subject value; 1 found, 0 not. */
static int dmarcbounce_subject(const unsigned char *v, size_t len, char *out, size_t size)
{
	static const char key[] = "Report-ID:";
	size_t	i, k = sizeof(key) - 1, end;

	for (i = 0; i + k <= len; i++)
		if (strncasecmp((const char *) v + i, key, k) == 0)
			break;
	if (i + k > len)
		return 0;
	for (i += k; i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n'); i++)
		;
	for (end = i; end < len && v[end] > 0x20 && v[end] < 0x7f; end++)
		;
	return dmarcbounce_token(v + i, end - i, out, size);
}

int dmarcbounce_report_id(const struct msg *m, char *out, size_t size)
{
	struct buf h;
	struct dmarcbounce_walk w = { &h, 0 };
	const unsigned char *v;
	const char *error;
	size_t	vlen;
	int	found = 0;

	buf_init(&h, LIMIT_DMARCBOUNCE_HEADERS);
	(void) mime_walk(m, dmarcbounce_visit, &w, &error);	/* a broken tree: no part */
	if (w.found && mime_entity_field(h.data, h.len, "message-id", &v, &vlen))
		found = dmarcbounce_token(v, vlen, out, size);
	if (w.found && !found && mime_entity_field(h.data, h.len, "subject", &v, &vlen))
		found = dmarcbounce_subject(v, vlen, out, size);
	buf_free(&h);
	return found;
}

/* hard or soft, or NULL for a recipient that did not fail. */
static const char *dmarcbounce_class(const struct dsn_recipient *r)
{
	switch (r->cls) {
	case DSN_HARD:
		return "hard";
	case DSN_SOFT:
		return "soft";
	case DSN_DMARC:			/* refused for its authentication: its code says */
		return r->status[0] == '4' ? "soft" : "hard";
	default:
		return NULL;
	}
}

int dmarcbounce_stopped(struct store *s, const char *address, long long now, int *stopped_r,
			const char **error_r)
{
	long long n;
	int	status;

	status = store_dmarcbounce_hard(s, address, now - DMARCBOUNCE_STOP_DAYS * 86400LL, &n,
					error_r);
	*stopped_r = status == STORE_OK && n >= DMARCBOUNCE_STOP_HARD;
	return status;
}

/* A hard bounce just stored: the one that reaches the limit says so, once. */
static int dmarcbounce_limit(struct store *s, const struct store_dmarcbounce *b,
			     const char **error_r)
{
	long long n;

	if (store_dmarcbounce_hard(s, b->recipient, b->when - DMARCBOUNCE_STOP_DAYS * 86400LL, &n,
				   error_r) != STORE_OK)
		return -1;
	if (n == DMARCBOUNCE_STOP_HARD)
		log_warn("event=dmarc_report_rua_stopped recipient=%s hard_bounces=%d days=%d"
			 " why=\"no more reports to it until a bounce is %d days old\"",
			 log_quote(b->recipient), DMARCBOUNCE_STOP_HARD, DMARCBOUNCE_STOP_DAYS,
			 DMARCBOUNCE_STOP_DAYS);
	return 0;
}

/* Log and store the failed recipients; -1 when the store failed. */
static int dmarcbounce_record(struct store *s, const struct store_inbox_msg *in,
			      const struct dsn_report *rep, const char *report_id, long long now,
			      size_t *n_r, const char **error_r)
{
	struct store_dmarcbounce b = { report_id, NULL, NULL, NULL, in->id, now };
	size_t	i;
	int	status;

	*n_r = 0;
	for (i = 0; i < rep->count; i++) {
		if ((b.cls = dmarcbounce_class(&rep->r[i])) == NULL)
			continue;
		b.recipient = rep->r[i].address;
		b.status = rep->r[i].status;
		if ((status = store_dmarcbounce_add(s, &b, error_r)) != STORE_OK
		    && status != STORE_EXISTS)
			return -1;
		(*n_r)++;
		if (status == STORE_EXISTS)
			continue;	/* a retried step: said and counted already */
		log_info("event=dmarc_report_bounce inbox=%lld recipient=%s status=%s class=%s"
			 " report_id=%s", in->id, log_quote(b.recipient),
			 *b.status ? b.status : "-", b.cls, log_quote(report_id));
		if (strcmp(b.cls, "hard") == 0 && dmarcbounce_limit(s, &b, error_r) < 0)
			return -1;
	}
	return 0;
}

int dmarcbounce_handle(struct store *s, const struct store_inbox_msg *in, const struct msg *m,
		       long long now, char *reason, size_t size, const char **error_r)
{
	struct dsn_report rep;
	char	report_id[DMARCBOUNCE_ID_MAX + 1];
	size_t	n;
	int	known = 0, rc;

	/* the cheap tests first: a report mail has no returned headers, and
	   dsn_parse reads a big one for plain-text bounce formats too */
	if (!dmarcbounce_report_id(m, report_id, sizeof(report_id)))
		return 0;
	if (store_dmarcbounce_known(s, report_id, &known, error_r) != STORE_OK)
		return -1;
	if (!known)
		return 0;
	if ((rc = dsn_parse(m, &rep, error_r)) < 0 || !rep.recognised)
		goto out;		/* -1, or 0: returned headers without a DSN */
	if ((rc = dmarcbounce_record(s, in, &rep, report_id, now, &n, error_r)) == 0) {
		(void) snprintf(reason, size, "DMARC report bounce: %zu failed recipient%s",
				n, n == 1 ? "" : "s");
		rc = 1;
	}
out:
	dsn_report_free(&rep);
	return rc;
}
