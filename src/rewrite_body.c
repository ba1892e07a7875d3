/*
 * NAME
 *	rewrite_body 3
 * SUMMARY
 *	msg_header / msg_footer, MIME-correctly, and wrapping a whole post
 * DESCRIPTION
 *	rw_decorate() is Mailman 2.1's Decorate.py without its re-encoding:
 *	  - a single text/plain part in 7bit, 8bit, binary or
 *	    quoted-printable whose charset can hold the text gets it in
 *	    place, in its own encoding (a quoted-printable footer for a
 *	    quoted-printable body).  ASCII text fits every ASCII-compatible
 *	    charset; non-ASCII text only utf-8 in 8bit, binary or QP
 *	    (Mailman re-encodes the whole body into another charset instead;
 *	    we never touch the bytes already there);
 *	  - a multipart/mixed gets new text/plain parts: the header first,
 *	    the footer last, before the close delimiter; preamble, epilogue
 *	    and every existing part stay byte-identical;
 *	  - everything else (base64 text, HTML, multipart/alternative, and
 *	    multipart/signed, multipart/encrypted, application/pkcs7-mime)
 *	    is moved, with its Content-* fields, into a new multipart/mixed,
 *	    between the header and footer parts.  The signed or encrypted
 *	    entity is not changed by a single byte, so its signature still
 *	    verifies; PGP/MIME and S/MIME readers (Thunderbird, Mutt,
 *	    Evolution, Apple Mail) show the signed part as signed and the
 *	    footer as a separate unsigned part.  Skipping the footer would
 *	    hide the unsubscribe information that lists owe their readers,
 *	    and Mailman 2.1 wraps these the same way;
 *	  - message/partial and message/external-body are left alone
 *	    (wrapping a fragment breaks its reassembly), with a note.
 *	New parts are text/plain; charset=utf-8, 7bit when ASCII with short
 *	lines, else quoted-printable, with Content-Disposition: inline.
 *
 *	rw_wrap() is WrapMessage.py: a new outer message that keeps copies
 *	of To, Cc, Reply-To, Subject, Date, Message-ID, In-Reply-To and
 *	References, and whose multipart/mixed body holds
 *	dmarc_wrapped_message_text (when set) and then the original message
 *	as message/rfc822, byte for byte as it arrived.
 *
 *	Boundaries are "=_sealist_" and a hash of the body: "=_" can occur
 *	neither in base64 nor in quoted-printable text, and the body is
 *	searched anyway, with a counter changed until no line could match.
 */
#include <stdint.h>
#include <string.h>

#include "mime/mime.h"
#include "rewrite_int.h"

/* ---- text to add ---------------------------------------------------------- */

/* "--" and then only spaces, at least one: kept as "-- " (RFC 3676 4.3). */
static int signature_separator(const unsigned char *p, size_t n)
{
	size_t	k;

	if (n < 3 || p[0] != '-' || p[1] != '-')
		return 0;
	for (k = 2; k < n && p[k] == ' '; k++)
		;
	return k == n;
}

/*
 * The expanded template with Mailman's clean-up (Decorate.decorate):
 * line ends as LF, trailing spaces dropped except in a "-- " signature
 * separator; plus a final line end so the text ends a line.
 */
static void decoration(struct rw *rw, const char *what, const char *tmpl, struct buf *out)
{
	struct buf raw;
	size_t	i = 0;

	buf_init(&raw, RW_FIELD_MAX);
	rw_expand(rw, what, tmpl, &raw);
	while (i < raw.len) {
		const unsigned char *nl = memchr(raw.data + i, '\n', raw.len - i);
		size_t	le = nl != NULL ? (size_t) (nl - raw.data) : raw.len, e = le;

		if (e > i && raw.data[e - 1] == '\r')
			e--;
		if (signature_separator(raw.data + i, e - i))
			e = i + 3;
		else
			while (e > i && raw.data[e - 1] == ' ')
				e--;
		(void) buf_append(out, raw.data + i, e - i);
		(void) buf_append_byte(out, '\n');
		i = le < raw.len ? le + 1 : raw.len;
	}
	buf_free(&raw);
}

static int all_ascii(const unsigned char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (p[i] >= 128)
			return 0;
	return 1;
}

/* Append LF-ended text with line ends as eol. */
static void to_eol(const struct buf *text, const char *eol, struct buf *out)
{
	size_t	i;

	for (i = 0; i < text->len; i++) {
		if (text->data[i] == '\n')
			(void) buf_append_str(out, eol);
		else
			(void) buf_append_byte(out, text->data[i]);
	}
}

static int short_lines(const struct buf *t)
{
	size_t	i, col = 0;

	for (i = 0; i < t->len; i++) {
		col = t->data[i] == '\n' ? 0 : col + 1;
		if (col > 998)
			return 0;
	}
	return 1;
}

/* ---- boundaries ------------------------------------------------------------ */

static int contains(const unsigned char *h, size_t hn, const char *n, size_t nn)
{
	size_t	i;

	for (i = 0; i + nn <= hn; i++) {
		const unsigned char *p = memchr(h + i, n[0], hn - i - nn + 1);

		if (p == NULL)
			return 0;
		i = (size_t) (p - h);
		if (memcmp(p, n, nn) == 0)
			return 1;
	}
	return 0;
}

/* A boundary that occurs in none of the texts (NULL-terminated list of
 * bufs plus one raw range). */
static void make_boundary(struct buf *b, const unsigned char *body, size_t blen,
			  const struct buf *const *texts)
{
	uint64_t h = 1469598103934665603ULL;
	unsigned n;
	size_t	i;

	for (i = 0; i < blen; i++)
		h = (h ^ body[i]) * 1099511628211ULL;
	for (n = 0;; n++) {
		int	clash;

		buf_reset(b);
		(void) buf_printf(b, "=_sealist_%016llx_%u", (unsigned long long) h, n);
		clash = contains(body, blen, buf_str(b), b->len);
		for (i = 0; !clash && texts[i] != NULL; i++)
			clash = contains(texts[i]->data, texts[i]->len, buf_str(b), b->len);
		if (!clash || buf_failed(b))
			return;
	}
}

/* "--B" eol, the headers of a new text/plain part, eol, the text. */
static void text_part(struct buf *out, const char *B, const char *eol, const struct buf *text)
{
	int	plain = all_ascii(text->data, text->len) && short_lines(text);

	(void) buf_printf(out, "--%s%sContent-Type: text/plain; charset=utf-8%s"
			  "Content-Transfer-Encoding: %s%sContent-Disposition: inline%s%s",
			  B, eol, eol, plain ? "7bit" : "quoted-printable", eol, eol, eol);
	if (plain)
		to_eol(text, eol, out);
	else
		(void) mime_qp_encode(text->data, text->len, eol, out);
}

/* ---- in place, for text/plain ------------------------------------------------ */

static int ascii_compatible(const char *cs)
{
	static const char *const not[] = { "utf-16", "utf-32", "ucs-2", "ucs-4", "utf-7", NULL };
	size_t	i, k;

	for (i = 0; not[i] != NULL; i++) {
		for (k = 0; not[i][k] != 0 && cs[k] != 0
		     && (cs[k] | 32) == (not[i][k] | 32); k++)
			;
		if (not[i][k] == 0)
			return 0;
	}
	return 1;
}

static int is_utf8(const char *cs)
{
	return strlen(cs) >= 4 && (cs[0] | 32) == 'u' && (cs[1] | 32) == 't' && (cs[2] | 32) == 'f'
		&& (strcmp(cs + 3, "-8") == 0 || strcmp(cs + 3, "8") == 0);
}

static int inline_ok(const struct mime_ctype *ct, enum mime_cte cte,
		     const struct buf *hdr, const struct buf *ftr)
{
	const char *cs = mime_ctype_param(ct, "charset");
	int	ascii = all_ascii(hdr->data, hdr->len) && all_ascii(ftr->data, ftr->len);

	cs = cs != NULL ? cs : "us-ascii";
	if (cte != MIME_CTE_7BIT && cte != MIME_CTE_8BIT && cte != MIME_CTE_BINARY
	    && cte != MIME_CTE_QP)
		return 0;
	if (!ascii_compatible(cs))
		return 0;
	if (cte == MIME_CTE_7BIT && !short_lines(ftr))
		return 0;
	return ascii || (is_utf8(cs) && cte != MIME_CTE_7BIT);
}

static void add_text(const struct buf *t, enum mime_cte cte, const char *eol, struct buf *out)
{
	if (cte == MIME_CTE_QP)
		(void) mime_qp_encode(t->data, t->len, eol, out);
	else
		to_eol(t, eol, out);
}

static int decorate_inline(struct rw *rw, enum mime_cte cte, const struct buf *hdr,
			   const struct buf *ftr)
{
	const char *eol = msg_eol_str(rw->m);
	size_t	blen;
	const unsigned char *body = msg_body(rw->m, &blen);
	struct buf nb;
	int	r;

	buf_init(&nb, LIMIT_MESSAGE_SIZE);
	add_text(hdr, cte, eol, &nb);
	(void) buf_append(&nb, body, blen);
	if (ftr->len > 0) {
		/* The footer starts a line: after a missing line end, or a
		 * quoted-printable soft line break at the very end. */
		int	soft = cte == MIME_CTE_QP && ((blen >= 2 && body[blen - 2] == '=')
			       || (blen >= 3 && body[blen - 3] == '=' && body[blen - 2] == '\r'))
			       && body[blen - 1] == '\n';

		if (blen > 0 && (body[blen - 1] != '\n' || soft))
			(void) buf_append_str(&nb, eol);
		add_text(ftr, cte, eol, &nb);
	}
	r = buf_failed(&nb) ? (rw->error = "message too large", -1) : rw_set_body(rw, nb.data, nb.len);
	buf_free(&nb);
	return r;
}

/* ---- extending a multipart/mixed ---------------------------------------------- */

/* Start of the first delimiter line (after the line end that the
 * preamble's end points at). */
static size_t first_delimiter_line(const unsigned char *body, size_t len, size_t pre)
{
	if (pre + 2 <= len && body[pre] == '-' && body[pre + 1] == '-')
		return pre;
	if (pre < len && body[pre] == '\r')
		pre++;
	if (pre < len && body[pre] == '\n')
		pre++;
	return pre;
}

/* 1: done, 0: the body cannot be read as multipart (wrap it), -1 error. */
static int decorate_mixed(struct rw *rw, const char *B, const struct buf *hdr,
			  const struct buf *ftr)
{
	const char *eol = msg_eol_str(rw->m), *err;
	size_t	blen, at;
	const unsigned char *body = msg_body(rw->m, &blen);
	struct mime_parts it;
	struct mime_part p;
	struct buf nb;
	int	r;

	mime_parts_init(&it, body, blen, B, strlen(B));
	while ((r = mime_parts_next(&it, &p, &err)) > 0)
		;
	if (r < 0 || it.count == 0)
		return 0;
	buf_init(&nb, LIMIT_MESSAGE_SIZE);
	at = first_delimiter_line(body, blen, it.preamble_len);
	(void) buf_append(&nb, body, at);
	if (hdr->len > 0) {
		text_part(&nb, B, eol, hdr);
		(void) buf_append_str(&nb, eol);
	}
	(void) buf_append(&nb, body + at, it.end - at);
	if (ftr->len > 0) {
		(void) buf_append_str(&nb, eol);
		text_part(&nb, B, eol, ftr);
	}
	if (!it.closed)
		(void) buf_printf(&nb, "%s--%s--%s", eol, B, eol);
	(void) buf_append(&nb, body + it.end, blen - it.end);
	r = buf_failed(&nb) ? (rw->error = "message too large", -1) : rw_set_body(rw, nb.data, nb.len);
	buf_free(&nb);
	return r < 0 ? -1 : 1;
}

/* ---- wrapping into a new multipart/mixed ------------------------------------------ */

static int is_content_field(const struct msg_field *f)
{
	static const char p[] = "content-";
	size_t	i;

	if (f->name == NULL || f->name_len <= sizeof(p) - 1)
		return 0;
	for (i = 0; i < sizeof(p) - 1; i++)
		if ((f->name[i] | 32) != p[i])
			return 0;
	return 1;
}

/*
 * Move the top-level Content-* fields (RFC 2045 section 9: the MIME
 * fields of the entity) into inner, raw; remove them from the header.
 * Returns the index where the first one was (or the field count).
 */
static size_t take_content_fields(struct msg *m, struct buf *inner)
{
	size_t	i, first = msg_field_count(m);

	for (i = msg_field_count(m); i-- > 0;) {
		const struct msg_field *f = msg_field(m, i);

		if (!is_content_field(f))
			continue;
		(void) buf_splice(inner, 0, 0, f->raw, f->raw_len);
		if (f->flags & MSG_FIELD_NO_EOL)
			(void) buf_splice(inner, f->raw_len, 0, msg_eol_str(m), strlen(msg_eol_str(m)));
		(void) msg_remove(m, i);
		first = i;
	}
	return first;
}

static int set_outer_fields(struct rw *rw, size_t at, const char *B, enum mime_cte inner)
{
	struct buf f;
	int	r;

	buf_init(&f, RW_FIELD_MAX);
	(void) buf_printf(&f, "Content-Type: multipart/mixed; boundary=\"%s\"", B);
	r = msg_insert(rw->m, at, (const char *) f.data, f.len, &rw->error);
	if (r == 0 && inner != MIME_CTE_7BIT && inner != MIME_CTE_QP && inner != MIME_CTE_BASE64) {
		buf_reset(&f);
		/* A multipart holding 8-bit text must say so (RFC 2045 6.4). */
		(void) buf_printf(&f, "Content-Transfer-Encoding: %s",
				  inner == MIME_CTE_BINARY ? "binary" : "8bit");
		r = msg_insert(rw->m, at + 1, (const char *) f.data, f.len, &rw->error);
	}
	if (r == 0 && msg_find(rw->m, "mime-version", 0) < 0)
		r = msg_insert(rw->m, at, "MIME-Version: 1.0", 17, &rw->error);
	buf_free(&f);
	return r;
}

static int decorate_wrap(struct rw *rw, const struct buf *hdr, const struct buf *ftr)
{
	const char *eol = msg_eol_str(rw->m);
	const struct buf *texts[] = { hdr, ftr, NULL };
	enum mime_cte cte = mime_cte_of_msg(rw->m);
	size_t	blen, at;
	const unsigned char *body = msg_body(rw->m, &blen);
	struct buf inner, B, nb;
	int	r;

	buf_init(&inner, RW_FIELD_MAX);
	buf_init(&B, 256);
	buf_init(&nb, LIMIT_MESSAGE_SIZE);
	make_boundary(&B, body, blen, texts);
	if (hdr->len > 0) {
		text_part(&nb, buf_str(&B), eol, hdr);
		(void) buf_append_str(&nb, eol);
	}
	(void) buf_printf(&nb, "--%s%s", buf_str(&B), eol);
	at = take_content_fields(rw->m, &inner);
	if (inner.len == 0)	/* Mailman: say what the default was */
		(void) buf_printf(&inner, "Content-Type: text/plain%s", eol);
	(void) buf_append(&nb, inner.data, inner.len);
	(void) buf_append_str(&nb, eol);
	body = msg_body(rw->m, &blen);	/* field removal moved it */
	(void) buf_append(&nb, body, blen);
	if (ftr->len > 0) {
		(void) buf_append_str(&nb, eol);
		text_part(&nb, buf_str(&B), eol, ftr);
	}
	(void) buf_printf(&nb, "%s--%s--%s", eol, buf_str(&B), eol);
	if (buf_failed(&nb) || buf_failed(&inner)) {
		rw->error = "message too large";
		r = -1;
	} else {
		r = set_outer_fields(rw, at, buf_str(&B), cte);
		if (r == 0)
			r = rw_set_body(rw, nb.data, nb.len);
	}
	buf_free(&inner);
	buf_free(&B);
	buf_free(&nb);
	return r;
}

/* ---- rw_decorate ----------------------------------------------------------------- */

static int decorate(struct rw *rw, const struct buf *hdr, const struct buf *ftr)
{
	struct mime_ctype ct;
	enum mime_cte cte = mime_cte_of_msg(rw->m);
	const char *B;
	int	r;

	if (mime_ctype_of_msg(rw->m, &ct) < 0) {
		rw->error = "out of memory";
		return -1;
	}
	B = mime_ctype_param(&ct, "boundary");
	if (mime_ctype_is(&ct, "text", "plain") && inline_ok(&ct, cte, hdr, ftr))
		r = decorate_inline(rw, cte, hdr, ftr);
	else if (mime_ctype_is(&ct, "multipart", "mixed") && B != NULL
		 && (r = decorate_mixed(rw, B, hdr, ftr)) != 0)
		r = r < 0 ? -1 : 0;
	else if (mime_ctype_is(&ct, "message", "partial")
		 || mime_ctype_is(&ct, "message", "external-body")) {
		rw_note(rw, "msg_header/msg_footer not added to %s/%s", ct.type, ct.subtype);
		r = 1;
	} else
		r = decorate_wrap(rw, hdr, ftr);
	mime_ctype_free(&ct);
	return r;
}

int rw_decorate(struct rw *rw)
{
	struct buf hdr, ftr;
	int	r = 0;

	buf_init(&hdr, RW_FIELD_MAX);
	buf_init(&ftr, RW_FIELD_MAX);
	decoration(rw, "msg_header", rw->s->msg_header, &hdr);
	decoration(rw, "msg_footer", rw->s->msg_footer, &ftr);
	if (buf_failed(&hdr) || buf_failed(&ftr)) {
		rw->error = "msg_header or msg_footer too long";
		r = -1;
	} else if (hdr.len > 0 || ftr.len > 0) {
		r = decorate(rw, &hdr, &ftr);
		if (r == 0) {
			rw->res->header_added = hdr.len > 0;
			rw->res->footer_added = ftr.len > 0;
		}
		r = r < 0 ? -1 : 0;
	}
	buf_free(&hdr);
	buf_free(&ftr);
	return r;
}

/* ---- rw_wrap ------------------------------------------------------------------------ */

/* The fields of the original that the wrapper keeps (WrapMessage's
 * KEEPERS, plus those CookHeaders re-adds from the original: Cc,
 * Reply-To, Subject; and Message-ID, which sealist keeps).  From is
 * copied only to hold its place at the top: munging replaces it. */
static int wrapper_keeps(const struct msg_field *f)
{
	static const char *const keep[] = { "from", "to", "cc", "reply-to", "subject", "date",
		"message-id", "in-reply-to", "references", NULL };
	size_t	i, k;

	if (f->name == NULL)
		return 0;
	for (i = 0; keep[i] != NULL; i++) {
		if (strlen(keep[i]) != f->name_len)
			continue;
		for (k = 0; k < f->name_len && (f->name[k] | 32) == keep[i][k]; k++)
			;
		if (k == f->name_len)
			return 1;
	}
	return 0;
}

static void wrapper_header(const struct msg *orig, const char *B, int eight, struct buf *out)
{
	const char *eol = msg_eol_str(orig);
	size_t	i;

	for (i = 0; i < msg_field_count(orig); i++) {
		const struct msg_field *f = msg_field(orig, i);

		if (!wrapper_keeps(f))
			continue;
		(void) buf_append(out, f->raw, f->raw_len);
		if (f->flags & MSG_FIELD_NO_EOL)
			(void) buf_append_str(out, eol);
	}
	(void) buf_printf(out, "MIME-Version: 1.0%sContent-Type: multipart/mixed; boundary=\"%s\"%s",
			  eol, B, eol);
	if (eight)
		(void) buf_printf(out, "Content-Transfer-Encoding: 8bit%s", eol);
	(void) buf_append_str(out, eol);
}

int rw_wrap(struct rw *rw, const struct msg *orig)
{
	const char *eol = msg_eol_str(orig);
	struct buf ob, text, B, out;
	const struct buf *texts[] = { &text, NULL };
	struct msg *m;
	int	eight, r = -1;

	buf_init(&ob, LIMIT_MESSAGE_SIZE);
	buf_init(&text, RW_FIELD_MAX);
	buf_init(&B, 256);
	buf_init(&out, LIMIT_MESSAGE_SIZE);
	(void) msg_serialize(orig, &ob);
	rw_expand(rw, "dmarc_wrapped_message_text", rw->s->dmarc_wrapped_message_text, &text);
	if (text.len > 0 && text.data[text.len - 1] != '\n')
		(void) buf_append_byte(&text, '\n');
	make_boundary(&B, ob.data, ob.len, texts);
	eight = !all_ascii(ob.data, ob.len);
	wrapper_header(orig, buf_str(&B), eight, &out);
	if (text.len > 0) {
		text_part(&out, buf_str(&B), eol, &text);
		(void) buf_append_str(&out, eol);
	}
	(void) buf_printf(&out, "--%s%sContent-Type: message/rfc822%s"
			  "Content-Disposition: inline%s%s%s", buf_str(&B), eol, eol, eol,
			  eight ? "Content-Transfer-Encoding: 8bit" : "", eight ? eol : "");
	(void) buf_append_str(&out, eol);
	(void) buf_append(&out, ob.data, ob.len);
	(void) buf_printf(&out, "%s--%s--%s", eol, buf_str(&B), eol);
	if (buf_failed(&out) || buf_failed(&ob))
		rw->error = "message too large to wrap";
	else if (msg_parse(&m, out.data, out.len, &rw->error) == 0) {
		msg_free(rw->m);
		rw->m = m;
		rw->res->wrapped = 1;
		r = 0;
	}
	buf_free(&ob);
	buf_free(&text);
	buf_free(&B);
	buf_free(&out);
	return r;
}
