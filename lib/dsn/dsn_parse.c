/*
 * NAME
 *	dsn_parse 3
 * SUMMARY
 *	read a bounce: find the delivery-status part, else the text formats
 * DESCRIPTION
 *	One walk over the MIME tree (lib/mime) finds the first
 *	message/delivery-status part and gathers the text/plain parts,
 *	decoded, up to LIMIT_DSN_TEXT bytes.  The structured report wins;
 *	the text is read only when there is none, and the raw body only
 *	when the tree gave nothing (a DSN whose boundary is broken is still
 *	a DSN to its reader).  Transfer encodings are undone here because
 *	lib/mime only locates parts; the decoders are lenient (bad bytes
 *	are skipped) since a bounce is read for hints, never re-emitted.
 */
#include <stdlib.h>
#include <string.h>

#include "dsn/dsn_int.h"
#include "mime/mime.h"

struct collect {
	struct buf text;		/* decoded text/plain parts */
	struct buf ds;			/* decoded delivery-status part */
	int	have_ds;
	int	nomem;
};

/* Room left in out; appends past the cap are simply not made, so the
 * text is cut at LIMIT_DSN_TEXT rather than lost. */
static int room(const struct buf *out)
{
	return out->len < out->max && !buf_failed(out);
}

static void decode(const unsigned char *s, size_t n, enum mime_cte cte,
		   struct buf *out)
{
	mime_decode(cte, s, n, out);
	if (room(out))
		buf_append_byte(out, '\n');	/* parts never run together */
}

static int visit(void *vctx, const struct mime_node *node)
{
	struct collect *c = vctx;

	if (!c->have_ds &&
	    (mime_ctype_is(node->ctype, "message", "delivery-status") ||
	     mime_ctype_is(node->ctype, "message", "global-delivery-status"))) {
		c->have_ds = 1;
		decode(node->body, node->body_len, node->cte, &c->ds);
	} else if (mime_ctype_is(node->ctype, "text", "plain")) {
		decode(node->body, node->body_len, node->cte, &c->text);
	}
	if (c->text.error == BUF_NO_MEMORY || c->ds.error == BUF_NO_MEMORY)
		return c->nomem = 1;
	return 0;
}

/* A line starting with Final-Recipient: or Original-Recipient:, where
 * DSN fields stand outside any delivery-status part; its offset, or
 * len. */
static size_t loose_fields(const unsigned char *t, size_t len)
{
	size_t	pos = 0, start;
	const unsigned char *l;
	size_t	n;

	for (start = 0; dsn_line(t, len, &pos, &l, &n); start = pos)
		if (dsn_ci_starts(l, n, "Final-Recipient:") ||
		    dsn_ci_starts(l, n, "Original-Recipient:"))
			return start;
	return len;
}

/* Everything but the structured part: loose DSN fields, then the text
 * formats.  Returns count added or -1. */
static int from_text(const unsigned char *t, size_t len, struct dsn_report *rep)
{
	size_t	at = loose_fields(t, len);
	int	rc;

	if (at < len) {
		if ((rc = dsn_parse_fields(t + at, len - at, rep)) != 0) {
			if (rc > 0) {
				rep->format = "rfc3464-text";
				rep->is_dsn = 1;
			}
			return rc;
		}
	}
	return dsn_text_parse(t, len, rep);
}

static int finish(struct collect *c, struct dsn_report *rep, int rc,
		  const char **error_r)
{
	buf_free(&c->text);
	buf_free(&c->ds);
	if (rc < 0 || c->nomem) {
		*error_r = "out of memory";
		return -1;
	}
	rep->recognised = rep->count > 0;
	if (!rep->recognised)
		rep->format = "unrecognised";
	return rep->recognised;
}

int dsn_parse(const struct msg *m, struct dsn_report *rep, const char **error_r)
{
	struct collect c;
	const unsigned char *body;
	size_t	blen;
	const char *err;
	int	rc = 0;

	memset(rep, 0, sizeof(*rep));
	rep->format = "unrecognised";
	memset(&c, 0, sizeof(c));
	buf_init(&c.text, LIMIT_DSN_TEXT);
	buf_init(&c.ds, LIMIT_DSN_TEXT);
	/* Broken MIME is no reason to stop (the raw body is read below);
	 * only running out of memory is. */
	if (mime_walk(m, visit, &c, &err) < 0 && strcmp(err, "out of memory") == 0)
		c.nomem = 1;
	if (c.nomem)
		return finish(&c, rep, -1, error_r);
	if (c.have_ds && (rc = dsn_parse_fields(c.ds.data, c.ds.len, rep)) > 0) {
		rep->format = "rfc3464";
		rep->is_dsn = 1;
	}
	if (rc == 0 && c.text.len > 0)
		rc = from_text(c.text.data, c.text.len, rep);
	if (rc == 0) {
		body = msg_body(m, &blen);
		rc = from_text(body, blen < LIMIT_DSN_TEXT ? blen : LIMIT_DSN_TEXT,
			       rep);
	}
	return finish(&c, rep, rc, error_r);
}

void dsn_report_free(struct dsn_report *rep)
{
	if (rep == NULL)
		return;
	free(rep->r);
	rep->r = NULL;
	rep->count = 0;
}
