/*
 * NAME
 *	dmarcrep_mail 3
 * SUMMARY
 *	mail to the DMARC report address: find the reports in it, import them
 * DESCRIPTION
 *	See dmarcrep_mail.h.  The picker reads Content-Disposition with the
 *	Content-Type parser (lib/mime): RFC 2183 parameters have RFC 2045's
 *	grammar, so "x/" + the disposition value is a Content-Type value,
 *	and the fuzzed parser is the only one.  RFC 2231 "filename*" values
 *	are read after their charset'language' prefix, undecoded: only the
 *	name's ending matters, and it is ASCII.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "msg/msg.h"
#include "dmarcbounce.h"
#include "dmarcrep_import.h"
#include "dmarcrep_mail.h"
#include "log.h"
#include "post.h"
#include "sealist_limits.h"

/* The media types that are reports whatever their name. */
static const char *const dmarcrep_mail_types[] = {
	"application/gzip", "application/x-gzip", "application/zip",
	"application/x-zip-compressed", "text/xml", "application/xml",
};

/* The endings that make an application/octet-stream part a report. */
static const char *const dmarcrep_mail_endings[] = { ".xml", ".gz", ".zip" };

struct dmarcrep_mail_walk {
	const struct msg *m;
	struct dmarcrep_mail_parts *out;
	const char *error;
};

/* A parameter's value; RFC 2231 name* without its charset'language' prefix. */
static const char *dmarcrep_mail_param(const struct mime_ctype *ct, const char *name)
{
	char	starred[32];
	const char *v = mime_ctype_param(ct, name), *q;

	if (v != NULL)
		return v;
	(void) snprintf(starred, sizeof(starred), "%s*", name);
	if ((v = mime_ctype_param(ct, starred)) == NULL)
		return NULL;
	if ((q = strchr(v, '\'')) == NULL || (q = strchr(q + 1, '\'')) == NULL)
		return v;
	return q + 1;
}

static int dmarcrep_mail_ends(const char *name)
{
	size_t	i, n, len = strlen(name);

	for (i = 0; i < sizeof(dmarcrep_mail_endings) / sizeof(dmarcrep_mail_endings[0]); i++) {
		n = strlen(dmarcrep_mail_endings[i]);
		if (len >= n && strcasecmp(name + len - n, dmarcrep_mail_endings[i]) == 0)
			return 1;
	}
	return 0;
}

/* A file name found: its start kept in out (for the log), its ending judged whole. */
static void dmarcrep_mail_name(const char *name, char *out, size_t size, int *ends_r)
{
	(void) snprintf(out, size, "%s", name);
	*ends_r = dmarcrep_mail_ends(name);
}

/* The filename parameter of a Content-Disposition value; 1 found, 0 not, -1 no memory. */
static int dmarcrep_mail_disposition(const unsigned char *v, size_t vlen, char *out,
				     size_t size, int *ends_r)
{
	struct mime_ctype ct;
	struct buf b;
	const char *error, *name;
	int	rc = 0;

	buf_init(&b, LIMIT_MIME_FIELD + 8);
	buf_append_str(&b, "x/");
	buf_append(&b, v, vlen);
	if (buf_failed(&b)) {
		rc = b.error == BUF_NO_MEMORY ? -1 : 0;	/* too long: no name */
	} else if (mime_ctype_parse(b.data, b.len, &ct, &error) == 0) {
		if ((name = dmarcrep_mail_param(&ct, "filename")) != NULL) {
			dmarcrep_mail_name(name, out, size, ends_r);
			rc = 1;
		}
		mime_ctype_free(&ct);
	} else if (strcmp(error, "out of memory") == 0) {
		rc = -1;
	}
	buf_free(&b);
	return rc;
}

/*
 * The node's file name (Content-Disposition filename, else Content-Type
 * name) into out, "" if none; *ends_r 1 if it ends like a report file.
 * 0, or -1 out of memory.
 */
static int dmarcrep_mail_filename(const struct dmarcrep_mail_walk *w,
				  const struct mime_node *node, char *out, size_t size,
				  int *ends_r)
{
	const unsigned char *v = NULL;
	const char *name;
	size_t	vlen = 0;
	long	i;
	int	rc = 0;

	*out = 0;
	*ends_r = 0;
	if (node->depth == 0) {
		if ((i = msg_find(w->m, "Content-Disposition", 0)) >= 0) {
			v = msg_field(w->m, (size_t) i)->value;
			vlen = msg_field(w->m, (size_t) i)->value_len;
		}
	} else if (!mime_entity_field(node->header, node->header_len, "content-disposition",
				      &v, &vlen)) {
		v = NULL;
	}
	if (v != NULL && (rc = dmarcrep_mail_disposition(v, vlen, out, size, ends_r)) < 0)
		return -1;
	if (rc == 0 && (name = dmarcrep_mail_param(node->ctype, "name")) != NULL)
		dmarcrep_mail_name(name, out, size, ends_r);
	return 0;
}

/* 1 if the node is a candidate (its type and name into p), 0 not, -1 no memory. */
static int dmarcrep_mail_is_candidate(const struct dmarcrep_mail_walk *w,
				      const struct mime_node *node, struct dmarcrep_mail_part *p)
{
	size_t	i, ntypes = sizeof(dmarcrep_mail_types) / sizeof(dmarcrep_mail_types[0]);
	int	octet = mime_ctype_is(node->ctype, "application", "octet-stream");
	int	ends;

	(void) snprintf(p->type, sizeof(p->type), "%s/%s", node->ctype->type,
			node->ctype->subtype);
	for (i = 0; !octet && i < ntypes; i++)
		if (strcmp(p->type, dmarcrep_mail_types[i]) == 0)
			break;
	if (!octet && i == ntypes)
		return 0;
	if (dmarcrep_mail_filename(w, node, p->filename, sizeof(p->filename), &ends) < 0)
		return -1;
	return !octet || ends;
}

static int dmarcrep_mail_visit(void *ctx, const struct mime_node *node)
{
	struct dmarcrep_mail_walk *w = ctx;
	struct dmarcrep_mail_part scratch, *p = &scratch;
	int	rc;

	/* a multipart is never a candidate type: its parts come next; past
	   the cap a candidate is counted, not decoded */
	memset(&scratch, 0, sizeof(scratch));
	if (w->out->n < DMARCREP_MAIL_MAX)
		p = &w->out->part[w->out->n];
	if ((rc = dmarcrep_mail_is_candidate(w, node, p)) > 0 && p == &scratch) {
		w->out->extra++;
		rc = 0;
	} else if (rc > 0) {
		w->out->n++;
		mime_decode(node->cte, node->body, node->body_len, &p->data);
		rc = p->data.error == BUF_NO_MEMORY ? -1 : 0;
	}
	if (rc < 0)
		w->error = "out of memory";
	return rc;
}

static void dmarcrep_mail_parts_init(struct dmarcrep_mail_parts *out)
{
	size_t	i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < DMARCREP_MAIL_MAX; i++)
		buf_init(&out->part[i].data, (size_t) LIMIT_DMARCREP_PACKED + 1);
}

int dmarcrep_mail_pick_msg(const struct msg *m, struct dmarcrep_mail_parts *out,
			   const char **error_r)
{
	struct dmarcrep_mail_walk w = { m, out, NULL };
	int	rc;

	dmarcrep_mail_parts_init(out);
	if ((rc = mime_walk(m, dmarcrep_mail_visit, &w, error_r)) != 0 && w.error != NULL)
		*error_r = w.error;
	return rc == 0 ? 0 : -1;
}

int dmarcrep_mail_pick(const void *message, size_t len, struct dmarcrep_mail_parts *out,
		       const char **error_r)
{
	struct msg *m = NULL;
	int	rc;

	if (msg_parse(&m, message, len, error_r) < 0) {
		dmarcrep_mail_parts_init(out);
		return -1;
	}
	rc = dmarcrep_mail_pick_msg(m, out, error_r);
	msg_free(m);
	return rc;
}

void dmarcrep_mail_parts_free(struct dmarcrep_mail_parts *p)
{
	size_t	i;

	for (i = 0; i < DMARCREP_MAIL_MAX; i++)
		buf_free(&p->part[i].data);
	p->n = p->extra = 0;
}

/* ---- handling a mail ------------------------------------------------------------ */

/* What happened to a mail's candidates, for the recipient's reason. */
struct dmarcrep_mail_tally {
	size_t	imported, duplicate, refused;
};

/* "mail <MESSAGE-ID> from <SENDER>", control characters as '?'. */
static void dmarcrep_mail_origin(const struct store_inbox_msg *in, const struct msg *m,
				 struct buf *out)
{
	char   *id = post_message_id(m);
	size_t	i;

	buf_printf(out, "mail %s from <%s>", id != NULL ? id : "(no Message-ID)",
		   in->envelope_from != NULL ? in->envelope_from : "");
	free(id);
	if (buf_failed(out)) {		/* a sender too long for it: still say which mail */
		buf_reset(out);
		buf_printf(out, "mail inbox %lld", in->id);
	}
	for (i = 0; i < out->len; i++)
		if (out->data[i] < 0x20 || out->data[i] == 0x7f)
			out->data[i] = '?';
}

/* Keep a refused thing aside that was never handed to dmarcrep_import. */
static int dmarcrep_mail_reject(struct store *s, const struct store_inbox_msg *in,
				const char *origin, const char *why, const void *data, size_t len,
				long long now, struct dmarcrep_mail_tally *t, const char **error_r)
{
	if (store_dmarcrep_reject(s, origin, why, data, len, now, error_r) != STORE_OK)
		return -1;
	t->refused++;
	log_info("event=dmarc-report inbox=%lld origin=%s outcome=refused reason=%s", in->id,
		 log_quote(origin), log_quote(why));
	return 0;
}

/* One candidate through dmarcrep_import; -1 when the store failed. */
static int dmarcrep_mail_one(struct store *s, const struct store_inbox_msg *in,
			     const char *origin, const struct dmarcrep_import_mail *mail,
			     const struct dmarcrep_mail_part *p, long long now,
			     struct dmarcrep_mail_tally *t, const char **error_r)
{
	struct dmarcrep_import_result res;

	if (dmarcrep_import(s, p->data.data, p->data.len, "mail", origin, mail, now, &res,
			    error_r) != STORE_OK) {
		log_error("event=dmarc-report inbox=%lld origin=%s outcome=failed error=%s",
			  in->id, log_quote(origin), log_quote(*error_r ? *error_r : "?"));
		return -1;
	}
	if (res.outcome == DMARCREP_REFUSED) {
		t->refused++;
		log_info("event=dmarc-report inbox=%lld origin=%s file=%s outcome=refused reason=%s",
			 in->id, log_quote(origin), log_quote(p->filename), log_quote(res.reason));
		return 0;
	}
	if (res.outcome == DMARCREP_DUPLICATE)
		t->duplicate++;
	else
		t->imported++;
	log_info("event=dmarc-report inbox=%lld origin=%s org=%s report_id=%s records=%zu"
		 " outcome=%s mail_dmarc=%s mail_from=%s", in->id, log_quote(origin),
		 log_quote(res.org), log_quote(res.report_id), res.records,
		 res.outcome == DMARCREP_DUPLICATE ? "duplicate" : "imported",
		 mail->dmarc != NULL ? mail->dmarc : "unknown", log_quote(mail->from_domain));
	return 0;
}

/* The candidates of a readable mail; -1 when the store failed. */
static int dmarcrep_mail_parts(struct store *s, const struct store_inbox_msg *in,
			       const char *origin, const struct dmarcrep_import_mail *mail,
			       const struct dmarcrep_mail_parts *parts, long long now,
			       struct dmarcrep_mail_tally *t, const char **error_r)
{
	char	why[128];
	size_t	i;

	if (parts->n == 0)
		return dmarcrep_mail_reject(s, in, origin, "no report attachment", in->message,
					    in->size, now, t, error_r);
	for (i = 0; i < parts->n; i++)
		if (dmarcrep_mail_one(s, in, origin, mail, &parts->part[i], now, t, error_r) < 0)
			return -1;
	if (parts->extra == 0)
		return 0;
	(void) snprintf(why, sizeof(why), "%zu more report attachment%s than the %d read from"
			" one mail", parts->extra, parts->extra == 1 ? "" : "s", DMARCREP_MAIL_MAX);
	return dmarcrep_mail_reject(s, in, origin, why, in->message, in->size, now, t, error_r);
}

/* 1 if the mail did not pass DMARC, said in why ("report mail did not pass ..."); 0 if it did. */
static int dmarcrep_mail_unauthentic(const struct dmarcrep_mail_auth *auth, char *why,
				     size_t size)
{
	const char *d = auth->dmarc != NULL ? auth->dmarc : "unknown";
	const char *from = auth->from_domain != NULL ? auth->from_domain : "";

	if (strcmp(d, "pass") == 0)
		return 0;
	(void) snprintf(why, size, "report mail did not pass DMARC (dmarc=%s, %s%s)", d,
			*from ? "From " : "no From domain", from);
	return 1;
}

/* A readable mail's parts, or why they were not read; -1 when the store failed. */
static int dmarcrep_mail_read(struct store *s, const struct store_inbox_msg *in,
			      const struct msg *m, const struct dmarcrep_mail_auth *auth,
			      const char *origin, long long now, struct dmarcrep_mail_tally *t,
			      const char **error_r)
{
	struct dmarcrep_import_mail mail = { auth->dmarc, auth->from_domain, auth->require };
	struct dmarcrep_mail_parts parts;
	const char *why = NULL;
	char	mime_why[384];		/* a From domain is up to 253 octets */
	int	rc;

	if (auth->require && dmarcrep_mail_unauthentic(auth, mime_why, sizeof(mime_why)))
		return dmarcrep_mail_reject(s, in, origin, mime_why, in->message, in->size, now,
					    t, error_r);
	if (dmarcrep_mail_pick_msg(m, &parts, &why) < 0) {
		if (strcmp(why, "out of memory") == 0) {
			*error_r = why;
			rc = -1;
		} else {
			(void) snprintf(mime_why, sizeof(mime_why), "unreadable MIME structure: %s",
					why);
			rc = dmarcrep_mail_reject(s, in, origin, mime_why, in->message, in->size,
						  now, t, error_r);
		}
	} else {
		rc = dmarcrep_mail_parts(s, in, origin, &mail, &parts, now, t, error_r);
	}
	dmarcrep_mail_parts_free(&parts);
	return rc;
}

int dmarcrep_mail_handle(struct store *s, const struct store_inbox_msg *in, const struct msg *m,
			 const struct dmarcrep_mail_auth *auth, long long now, char *reason,
			 size_t size, const char **error_r)
{
	struct dmarcrep_mail_tally t = { 0, 0, 0 };
	struct buf origin;
	int	rc;

	/* a bounce of a report we sent is not a report to keep aside */
	if ((rc = dmarcbounce_handle(s, in, m, now, reason, size, error_r)) != 0)
		return rc < 0 ? -1 : 0;
	buf_init(&origin, 4096);
	dmarcrep_mail_origin(in, m, &origin);
	rc = dmarcrep_mail_read(s, in, m, auth, buf_str(&origin), now, &t, error_r);
	buf_free(&origin);
	if (rc == 0)
		(void) snprintf(reason, size, "DMARC report mail: %zu imported, %zu duplicate,"
				" %zu refused", t.imported, t.duplicate, t.refused);
	return rc;
}
