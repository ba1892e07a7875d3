/*
 * NAME
 *	rewrite_from 3
 * SUMMARY
 *	From munging and Mailman 2.1's Reply-To / Cc rules
 * DESCRIPTION
 *	rw_munge_from() writes Mailman's "Author via LIST" <list@domain>
 *	(CookHeaders.py).  The name is the author's display name, or the
 *	local part when there is none; like Mailman, a display name that
 *	ends in an address gets its "@domain" replaced by "---", because
 *	another domain in the From display name is what spam filters and
 *	phishing warnings look for.  The phrase is always quoted (every MUA
 *	shows a quoted phrase; some mis-show atoms with dots) or, with
 *	non-ASCII characters, RFC 2047 encoded (UTF-8, B), since an encoded
 *	word may not stand inside quotes.
 *
 *	rw_reply_to() follows CookHeaders.py step by step: the explicit
 *	reply_to_address (reply_goes_to_list 2) first, then the poster's
 *	own Reply-To unless first_strip_reply_to, then the author (when
 *	From was munged and reply_goes_to_list is 0 and no Reply-To of the
 *	poster remains), then the list (reply_goes_to_list 1).  The author
 *	who did not go into Reply-To goes into Cc, first.  Unlike Mailman
 *	the addresses already there keep their bytes: the poster's Reply-To
 *	and Cc values are reused as written (so nothing is re-folded or
 *	re-encoded), and a field whose addresses do not change is not
 *	touched at all.
 */
#include <stdlib.h>
#include <string.h>

#include "addr/addr.h"
#include "mime/mime.h"
#include "rewrite_int.h"

/* ---- small helpers ----------------------------------------------------- */

static char *dup_mem(const void *p, size_t n)
{
	char   *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, p, n);
		d[n] = 0;
	}
	return d;
}

static int is_fws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The value of field f without leading and trailing white space. */
static void trimmed(const struct msg_field *f, const unsigned char **p, size_t *n)
{
	const unsigned char *s = f->value, *e = f->value + f->value_len;

	while (s < e && is_fws(*s))
		s++;
	while (e > s && is_fws(e[-1]))
		e--;
	*p = s;
	*n = (size_t) (e - s);
}

int rw_utf8_valid(const unsigned char *p, size_t len)
{
	size_t	i = 0, k, n;

	while (i < len) {
		unsigned char c = p[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if ((c & 0xF0) == 0xE0)
			n = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3;
		else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

static int is_atext_or_space(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		|| c == ' ' || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

void rw_phrase(struct buf *out, const char *text, size_t len, int force_quote)
{
	int	ascii = 1, atoms = len > 0 && text[0] != ' ' && text[len - 1] != ' ';
	size_t	i;
	struct buf clean;

	buf_init(&clean, len + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) text[i];

		c = c < 32 || c == 127 ? ' ' : c;
		ascii &= c < 128;
		atoms &= c != 0 && strchr("\"\\", c) == NULL && is_atext_or_space(c);
		(void) buf_append_byte(&clean, c);
	}
	if (!ascii) {
		(void) mime_encode_words(clean.data, clean.len, "\n ", out);
	} else if (atoms && !force_quote) {
		(void) buf_append(out, clean.data, clean.len);
	} else {
		(void) buf_append_byte(out, '"');
		for (i = 0; i < clean.len; i++) {
			if (clean.data[i] == '"' || clean.data[i] == '\\')
				(void) buf_append_byte(out, '\\');
			(void) buf_append_byte(out, clean.data[i]);
		}
		(void) buf_append_byte(out, '"');
	}
	buf_free(&clean);
}

/* Replace the first field called name with b (or add b), remove the rest. */
static int set_field(struct rw *rw, const char *name, const struct buf *b)
{
	long	i = msg_find(rw->m, name, 0), j;

	if (buf_failed(b)) {
		rw->error = "field too long";
		return -1;
	}
	if (i < 0)
		return rw_append_field(rw, b);
	if (msg_replace(rw->m, (size_t) i, (const char *) b->data, b->len, &rw->error) < 0)
		return -1;
	while ((j = msg_find(rw->m, name, (size_t) i + 1)) >= 0)
		(void) msg_remove(rw->m, (size_t) j);
	return 0;
}

/* ---- the author ---------------------------------------------------------- */

/* Mailman: re.sub(r'@([^ .]+\.)+[^ .]+$', '---', realname). */
static void hide_address(char *s)
{
	char   *at;

	for (at = strchr(s, '@'); at != NULL; at = strchr(at + 1, '@')) {
		const char *p = at + 1;
		int	dots = 0, label = 0;

		for (; *p != 0 && *p != ' '; p++) {
			if (*p == '.') {
				if (label == 0)
					break;
				dots++;
				label = 0;
			} else {
				label++;
			}
		}
		if (*p == 0 && dots > 0 && label > 0) {
			memcpy(at, "---", 4);
			return;
		}
	}
}

/* The local part without the quotes of a quoted local part. */
static char *bare_local(const char *local)
{
	size_t	n = strlen(local);

	if (n >= 2 && local[0] == '"' && local[n - 1] == '"')
		return dup_mem(local + 1, n - 2);
	return dup_mem(local, n);
}

static int author_from_field(const struct msg *m, const char *name, struct rw_author *a)
{
	long	i = msg_find(m, name, 0);
	const struct msg_field *f;
	struct addr_list list;
	const unsigned char *v;
	size_t	n;
	const char *err;

	if (i < 0)
		return 0;
	f = msg_field(m, (size_t) i);
	if (addr_parse_list(f->value, f->value_len, &list, &err) < 0 || list.count != 1) {
		addr_list_free(&list);
		return 0;
	}
	trimmed(f, &v, &n);
	a->raw = dup_mem(v, n);
	a->addr = malloc(strlen(list.items[0].local) + strlen(list.items[0].domain) + 2);
	if (a->addr != NULL) {
		memcpy(a->addr, list.items[0].local, strlen(list.items[0].local));
		a->addr[strlen(list.items[0].local)] = '@';
		memcpy(a->addr + strlen(list.items[0].local) + 1, list.items[0].domain,
		       strlen(list.items[0].domain) + 1);
	}
	if (list.items[0].display[0] != 0
	    && rw_utf8_valid((const unsigned char *) list.items[0].display,
			     strlen(list.items[0].display)))
		a->display = dup_mem(list.items[0].display, strlen(list.items[0].display));
	else
		a->display = bare_local(list.items[0].local);
	addr_list_free(&list);
	if (a->raw == NULL || a->addr == NULL || a->display == NULL)
		return -1;
	hide_address(a->display);
	a->present = 1;
	return 1;
}

int rw_author_get(const struct msg *m, struct rw_author *a)
{
	int	r;

	memset(a, 0, sizeof(*a));
	/* Mailman falls back to the envelope sender; the nearest header
	 * equivalent is Sender. */
	if ((r = author_from_field(m, "from", a)) == 0)
		r = author_from_field(m, "sender", a);
	if (r < 0) {
		rw_author_free(a);
		return -1;
	}
	return 0;
}

void rw_author_free(struct rw_author *a)
{
	free(a->display);
	free(a->addr);
	free(a->raw);
	memset(a, 0, sizeof(*a));
}

int rw_munge_from(struct rw *rw)
{
	struct buf b, name;
	int	r;

	buf_init(&b, RW_FIELD_MAX);
	buf_init(&name, RW_FIELD_MAX);
	if (rw->author->present)
		(void) buf_printf(&name, "%s via %s", rw->author->display, rw->l->real_name);
	else
		(void) buf_append_str(&name, rw->l->real_name);
	(void) buf_append_str(&b, "From: ");
	rw_phrase(&b, (const char *) name.data, name.len, 1);
	(void) buf_printf(&b, " <%s@%s>", rw->l->local_part, rw->l->domain);
	r = set_field(rw, "from", &b);
	buf_free(&b);
	buf_free(&name);
	return r;
}

/* ---- Reply-To and Cc ------------------------------------------------------ */

/* Lowercased local@domain of every mailbox seen so far. */
struct keys {
	char  **k;
	size_t	n;
};

static void keys_free(struct keys *ks)
{
	size_t	i;

	for (i = 0; i < ks->n; i++)
		free(ks->k[i]);
	free(ks->k);
	memset(ks, 0, sizeof(*ks));
}

static int keys_has(const struct keys *ks, const char *key)
{
	size_t	i;

	for (i = 0; i < ks->n; i++)
		if (strcmp(ks->k[i], key) == 0)
			return 1;
	return 0;
}

static char *key_of(const char *local, const char *domain)
{
	size_t	ln = strlen(local), dn = strlen(domain), i;
	char   *k = malloc(ln + dn + 2);

	if (k == NULL)
		return NULL;
	memcpy(k, local, ln);
	k[ln] = '@';
	memcpy(k + ln + 1, domain, dn + 1);
	for (i = 0; k[i] != 0; i++)
		if (k[i] >= 'A' && k[i] <= 'Z')
			k[i] = (char) (k[i] + 32);
	return k;
}

/* Add the mailboxes of a value; returns how many were new, -1 if it
 * does not parse or memory runs out. */
static int keys_add_value(struct keys *ks, const void *v, size_t n)
{
	struct addr_list list;
	const char *err;
	size_t	i;
	int	added = 0;

	if (addr_parse_list(v, n, &list, &err) < 0) {
		addr_list_free(&list);
		return -1;
	}
	for (i = 0; i < list.count; i++) {
		char   *k = key_of(list.items[i].local, list.items[i].domain);
		char  **more;

		if (k == NULL || keys_has(ks, k)) {
			free(k);
			continue;
		}
		if ((more = realloc(ks->k, (ks->n + 1) * sizeof(*more))) == NULL) {
			free(k);
			addr_list_free(&list);
			return -1;
		}
		ks->k = more;
		ks->k[ks->n++] = k;
		added++;
	}
	addr_list_free(&list);
	return added;
}

static int keys_cover(const struct keys *ks, const char *v)
{
	struct keys tmp = { NULL, 0 };
	size_t	i;
	int	all = keys_add_value(&tmp, v, strlen(v)) >= 0;

	for (i = 0; all && i < tmp.n; i++)
		all = keys_has(ks, tmp.k[i]);
	keys_free(&tmp);
	return all;
}

/* All fields called name: their trimmed values joined with ", " into
 * raw, their mailboxes into ks; the number of fields. */
static size_t collect(const struct msg *m, const char *name, struct buf *raw, struct keys *ks)
{
	long	i;
	size_t	count = 0;

	for (i = msg_find(m, name, 0); i >= 0; i = msg_find(m, name, (size_t) i + 1)) {
		const struct msg_field *f = msg_field(m, (size_t) i);
		const unsigned char *v;
		size_t	n;

		trimmed(f, &v, &n);
		if (n == 0)
			continue;
		if (raw->len > 0)
			(void) buf_append_str(raw, ", ");
		(void) buf_append(raw, v, n);
		(void) keys_add_value(ks, v, n);
		count++;
	}
	return count;
}

/* Append one address text to a ", "-joined value. */
static void join(struct buf *val, const void *p, size_t n)
{
	if (val->len > 0)
		(void) buf_append_str(val, ", ");
	(void) buf_append(val, p, n);
}

static void list_address(struct rw *rw, struct buf *out)
{
	const char *d = rw->l->description != NULL ? rw->l->description : "";

	if (d[0] != 0) {
		rw_phrase(out, d, strlen(d), 0);
		(void) buf_append_byte(out, ' ');
	}
	(void) buf_printf(out, d[0] != 0 ? "<%s@%s>" : "%s@%s", rw->l->local_part, rw->l->domain);
}

/* The author into Cc, first, unless already there. */
static int author_to_cc(struct rw *rw, const struct rw_author *o_from)
{
	struct buf raw, val;
	struct keys ks = { NULL, 0 };
	int	r = 0;

	buf_init(&raw, RW_FIELD_MAX);
	buf_init(&val, RW_FIELD_MAX);
	(void) collect(rw->m, "cc", &raw, &ks);
	if (!keys_cover(&ks, o_from->addr)) {
		(void) buf_append_str(&val, "Cc: ");
		(void) buf_append_str(&val, o_from->raw);
		if (raw.len > 0) {
			(void) buf_append_str(&val, ", ");
			(void) buf_append(&val, raw.data, raw.len);
		}
		r = set_field(rw, "cc", &val);
	}
	keys_free(&ks);
	buf_free(&raw);
	buf_free(&val);
	return r;
}

struct rt {
	struct buf val;			/* the new Reply-To value */
	struct keys seen;		/* its mailboxes */
	int	changed;
};

/* reply_goes_to_list 2: the explicit address first (unless present). */
static void add_explicit(struct rw *rw, struct rt *rt, const struct keys *orig)
{
	const char *x = rw->s->reply_to_address;

	if (rw->s->reply_goes_to_list != 2 || x == NULL || x[0] == 0 || keys_cover(orig, x))
		return;
	if (keys_add_value(&rt->seen, x, strlen(x)) < 0)
		return;		/* not an address: nothing to add */
	join(&rt->val, x, strlen(x));
	rt->changed = 1;
}

static int write_reply_to(struct rw *rw, struct rt *rt)
{
	struct buf f;
	int	r;

	if (rt->val.len == 0) {
		(void) rw_remove_all(rw->m, "reply-to");
		return 0;
	}
	buf_init(&f, RW_FIELD_MAX);
	(void) buf_append_str(&f, "Reply-To: ");
	(void) buf_append(&f, rt->val.data, rt->val.len);
	r = set_field(rw, "reply-to", &f);
	buf_free(&f);
	return r;
}

static int reply_to_steps(struct rw *rw, struct rt *rt, const struct rw_author **o_from)
{
	struct buf orig_raw;
	struct keys orig = { NULL, 0 };
	int	rgtl = rw->s->reply_goes_to_list, o_rt = 0, r = 0;
	size_t	had = (buf_init(&orig_raw, RW_FIELD_MAX),
		       collect(rw->m, "reply-to", &orig_raw, &orig));

	add_explicit(rw, rt, &orig);
	if (had > 0 && !rw->s->first_strip_reply_to) {
		join(&rt->val, orig_raw.data, orig_raw.len);
		(void) keys_add_value(&rt->seen, orig_raw.data, orig_raw.len);
		o_rt = 1;
	} else if (had > 0) {
		rt->changed = 1;	/* stripped */
	}
	if (*o_from != NULL && rgtl == 0) {
		if (!o_rt) {
			join(&rt->val, (*o_from)->raw, strlen((*o_from)->raw));
			rt->changed = 1;
			*o_from = NULL;
		} else if (keys_cover(&rt->seen, (*o_from)->addr)) {
			*o_from = NULL;	/* the poster's Reply-To has the author */
		}
	}
	if (rgtl == 1) {
		struct buf la, key;

		buf_init(&la, RW_FIELD_MAX);
		buf_init(&key, RW_FIELD_MAX);
		list_address(rw, &la);
		(void) buf_printf(&key, "%s@%s", rw->l->local_part, rw->l->domain);
		if (!keys_cover(&rt->seen, buf_str(&key))) {
			join(&rt->val, la.data, la.len);
			rt->changed = 1;
		}
		buf_free(&la);
		buf_free(&key);
	}
	if (buf_failed(&rt->val) || buf_failed(&orig_raw)) {
		rw->error = "Reply-To too long";
		r = -1;
	}
	keys_free(&orig);
	buf_free(&orig_raw);
	return r;
}

int rw_reply_to(struct rw *rw)
{
	struct rt rt;
	const struct rw_author *o_from = rw->o_from;
	int	r;

	memset(&rt, 0, sizeof(rt));
	buf_init(&rt.val, RW_FIELD_MAX);
	if (o_from != NULL && !o_from->present)
		o_from = NULL;
	r = reply_to_steps(rw, &rt, &o_from);
	if (r == 0 && rt.changed)
		r = write_reply_to(rw, &rt);
	if (r == 0 && o_from != NULL)
		r = author_to_cc(rw, o_from);
	keys_free(&rt.seen);
	buf_free(&rt.val);
	return r;
}
