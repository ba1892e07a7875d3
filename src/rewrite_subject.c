/*
 * NAME
 *	rewrite_subject 3
 * SUMMARY
 *	subject_prefix, and Mailman's %(name)s templates
 * DESCRIPTION
 *	rw_subject_prefix() follows CookHeaders.prefix_subject(): the prefix
 *	(stripped of white space) goes first, a leading run of "Re:"-style
 *	words (RE, AW, SV, VS, with an optional "[n]" count) becomes one
 *	"Re:" after it ("[dev] Re: x"), and an empty subject becomes "(no
 *	subject)".  Two deliberate differences: when the prefix is already
 *	anywhere in the decoded subject the field is left byte-identical
 *	(Mailman would strip it and put it in front again, rewriting a field
 *	that the author's signature covers, for no gain to readers); and the
 *	rest of the subject keeps its bytes (encoded words, folding) instead
 *	of being decoded and re-encoded.  An ASCII prefix is written as plain
 *	text before the original bytes; a non-ASCII one as an encoded word,
 *	holding the separating space itself when an encoded word follows
 *	(RFC 2047 section 6.2 drops white space between encoded words).
 *	Mailman's "%d" post counter in a prefix is not supported: it is
 *	written as is.
 *
 *	rw_expand() is Decorate.decorate()'s SafeDict: the list's own names
 *	are replaced, an unknown %(name)s is left as written (and reported),
 *	"%%" is "%".
 */
#include <stdarg.h>
#include <string.h>

#include "addr/addr.h"
#include "mime/mime.h"
#include "rewrite_int.h"

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* The value of variable name, appended to out; 0 if it is unknown. */
static int variable(const struct rewrite_list *l, const char *name, size_t n, struct buf *out)
{
#define IS(s)	(n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
	const char *web = or_empty(l->web_base_url);
	size_t	wl = strlen(web);

	while (wl > 0 && web[wl - 1] == '/')
		wl--;
	if (IS("real_name"))
		(void) buf_append_str(out, or_empty(l->real_name));
	else if (IS("list_name") || IS("_internal_name"))
		(void) buf_append_str(out, l->local_part);
	else if (IS("host_name"))
		(void) buf_append_str(out, l->domain);
	else if (IS("description"))
		(void) buf_append_str(out, or_empty(l->description));
	else if (IS("info"))
		(void) buf_append_str(out, or_empty(l->info));
	else if (IS("web_page_url"))
		(void) buf_printf(out, "%.*s%s", (int) wl, web, wl > 0 ? "/" : "");
	else if (IS("listinfo_url")) {
		if (wl > 0)
			(void) buf_printf(out, "%.*s/lists/%s@%s", (int) wl, web,
					  l->local_part, l->domain);
	} else if (!IS("cgiext"))	/* Mailman's ".cgi" suffix: none here */
		return 0;
	return 1;
#undef IS
}

void rw_expand(struct rw *rw, const char *what, const char *tmpl, struct buf *out)
{
	const char *p = or_empty(tmpl);

	while (*p != 0) {
		const char *close;

		if (p[0] == '%' && p[1] == '%') {
			(void) buf_append_byte(out, '%');
			p += 2;
		} else if (p[0] == '%' && p[1] == '(' && (close = strchr(p + 2, ')')) != NULL
			   && close[1] == 's') {
			size_t	n = (size_t) (close - (p + 2));

			if (!variable(rw->l, p + 2, n, out)) {
				rw_note(rw, "unknown variable %%(%.*s)s in %s", (int) n, p + 2, what);
				(void) buf_append(out, p, n + 4);
			}
			p = close + 2;
		} else {
			(void) buf_append_byte(out, (unsigned char) *p++);
		}
	}
}

/* ---- subject_prefix ------------------------------------------------------ */

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int ieq2(const unsigned char *p, const char *w)
{
	return (p[0] | 32) == w[0] && (p[1] | 32) == w[1];
}

/*
 * Mailman's '(\s*(RE|AW|SV|VS)\s*(\[\d+\])?\s*:\s*)+' at the start of
 * [p, end): the end of the match, or p when there is none.
 */
static const unsigned char *skip_re(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *done = p;

	for (;;) {
		const unsigned char *q = done;

		while (q < end && is_ws(*q))
			q++;
		if (end - q < 2 || !(ieq2(q, "re") || ieq2(q, "aw") || ieq2(q, "sv") || ieq2(q, "vs")))
			return done;
		for (q += 2; q < end && is_ws(*q); q++)
			;
		if (q < end && *q == '[') {
			const unsigned char *d = q + 1;

			while (d < end && *d >= '0' && *d <= '9')
				d++;
			if (d > q + 1 && d < end && *d == ']')
				for (q = d + 1; q < end && is_ws(*q); q++)
					;
		}
		if (q == end || *q != ':')
			return done;
		for (q++; q < end && is_ws(*q); q++)
			;
		done = q;
	}
}

/* Does the decoded, unfolded subject contain the prefix? */
static int has_prefix(const unsigned char *v, size_t n, const struct buf *prefix)
{
	struct buf dec, flat;
	size_t	i;
	int	found = 0;

	buf_init(&dec, 4 * n + 16);
	buf_init(&flat, 4 * n + 16);
	(void) addr_rfc2047_decode(v, n, &dec);
	for (i = 0; i < dec.len; i++)
		if (dec.data[i] != '\r' && dec.data[i] != '\n')
			(void) buf_append_byte(&flat, dec.data[i]);
	for (i = 0; !found && i + prefix->len <= flat.len; i++)
		found = memcmp(flat.data + i, prefix->data, prefix->len) == 0;
	buf_free(&dec);
	buf_free(&flat);
	return found;
}

/* The prefix, stripped as Mailman's subject_prefix.strip(). */
static void expand_prefix(struct rw *rw, struct buf *out)
{
	struct buf raw;
	size_t	s = 0, e;

	buf_init(&raw, RW_FIELD_MAX);
	rw_expand(rw, "subject_prefix", rw->s->subject_prefix, &raw);
	e = raw.len;
	while (s < e && is_ws(raw.data[s]))
		s++;
	while (e > s && is_ws(raw.data[e - 1]))
		e--;
	(void) buf_append(out, raw.data + s, e - s);
	buf_free(&raw);
}

static int is_ascii(const struct buf *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] >= 128)
			return 0;
	return 1;
}

/* "Subject: PREFIX [Re: ]REST" into f. */
static void build(struct buf *f, const struct buf *prefix, int re,
		  const unsigned char *rest, size_t rlen)
{
	(void) buf_append_str(f, "Subject: ");
	if (is_ascii(prefix)) {
		(void) buf_append(f, prefix->data, prefix->len);
		(void) buf_append_byte(f, ' ');
	} else if (!re && rlen >= 2 && rest[0] == '=' && rest[1] == '?') {
		struct buf sp;		/* the space inside the encoded word */

		buf_init(&sp, prefix->len + 1);
		(void) buf_append(&sp, prefix->data, prefix->len);
		(void) buf_append_byte(&sp, ' ');
		(void) mime_encode_words(sp.data, sp.len, "\n ", f);
		(void) buf_append_byte(f, ' ');
		buf_free(&sp);
	} else {
		(void) mime_encode_words(prefix->data, prefix->len, "\n ", f);
		(void) buf_append_byte(f, ' ');
	}
	if (re)
		(void) buf_append_str(f, "Re: ");
	if (rlen > 0)
		(void) buf_append(f, rest, rlen);
	else
		(void) buf_append_str(f, "(no subject)");
}

int rw_subject_prefix(struct rw *rw)
{
	struct buf prefix, f;
	long	i = msg_find(rw->m, "subject", 0);
	const unsigned char *v = NULL, *rest, *end = NULL;
	int	r = 0;

	buf_init(&prefix, RW_FIELD_MAX);
	buf_init(&f, RW_FIELD_MAX);
	expand_prefix(rw, &prefix);
	if (i >= 0) {
		const struct msg_field *fl = msg_field(rw->m, (size_t) i);

		v = fl->value;
		end = fl->value + fl->value_len;
	}
	if (prefix.len == 0 || (v != NULL && has_prefix(v, (size_t) (end - v), &prefix)))
		goto out;
	rest = v != NULL ? skip_re(v, end) : NULL;
	if (rest != NULL) {
		const unsigned char *t = rest, *e = end;

		while (t < end && is_ws(*t))
			t++;
		while (e > t && is_ws(e[-1]))
			e--;
		/* An all-blank rest is an empty subject; else keep its bytes
		 * to the end, trailing white space included. */
		build(&f, &prefix, rest != v, t, e == t ? 0 : (size_t) (end - t));
	} else {
		build(&f, &prefix, 0, NULL, 0);
	}
	if (buf_failed(&f)) {
		rw->error = "Subject too long";
		r = -1;
	} else if (i >= 0) {
		r = msg_replace(rw->m, (size_t) i, (const char *) f.data, f.len, &rw->error);
	} else {
		r = rw_append_field(rw, &f);
	}
	rw->res->prefix_added = r == 0;
out:
	buf_free(&prefix);
	buf_free(&f);
	return r;
}
