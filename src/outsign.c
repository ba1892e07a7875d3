/*
 * NAME
 *	outsign 3
 * SUMMARY
 *	per-recipient finishing of a list post (see outsign.h)
 * DESCRIPTION
 *	The post is prepared once (outsign_post_new): copied, its one-click
 *	fields made ready, its body hashed.  Each worker parses the prepared
 *	bytes once into its own msg; per recipient it replaces one field,
 *	inserts the signatures at the top, serializes, and removes the
 *	signatures again, so the msg is back where it started and the next
 *	recipient costs the same.  The position of List-Unsubscribe does not
 *	move (replace keeps it; the signatures are removed before the next
 *	call), so it is looked up once per worker.
 */
#include <stdlib.h>
#include <string.h>

#include "outsign.h"
#include "sealist_limits.h"
#include "token.h"

/* The List-Unsubscribe field we write: a URL with a 24-octet token and an
 * address percent-encoded (at most 3 x 320 octets), and the mailto form:
 * far below this cap, which only guards against absurd options. */
#define OUTSIGN_FIELD_MAX	(8 * 1024)

/* RFC 5322 section 2.1.1: a line is at most 998 octets.  The URL line
 * cannot be folded (RFC 2369 allows it, but clients do not undo it), so a
 * recipient whose URL would not fit is refused rather than sent broken. */
#define OUTSIGN_LINE_MAX	998

#define ONE_CLICK	"List-Unsubscribe-Post: List-Unsubscribe=One-Click"

struct outsign_post {
	struct outsign_opts o;		/* borrowed strings and keys */
	char   *list_addr;		/* "local@domain", for tokens */
	struct buf url_head;		/* "<BASE/lists/L@D/unsubscribe/" */
	struct buf url_tail;		/* ">,\n <mailto:L-leave@D>" */
	unsigned char *bytes;		/* the prepared post */
	size_t	len;
	struct dkim_bodyhash *bh_rsa, *bh_ed;
	unsigned char *shared;		/* signed copy when not personalized */
	size_t	shared_len;
};

struct outsign_worker {
	const struct outsign_post *p;
	struct msg *m;			/* the prepared post, edited per call */
	size_t	base_count;		/* its field count between calls */
	size_t	top;			/* where msg_insert_top puts fields */
	long	unsub;			/* List-Unsubscribe index, -1 none */
	struct buf field;		/* scratch: the List-Unsubscribe field */
};

void outsign_opts_init(struct outsign_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timestamp = -1;
	o->arc_cv = ARC_CV_NONE;
}

/* ---- URL pieces -------------------------------------------------------- */

/* RFC 3986 section 2.3 unreserved: the only bytes left as they are. */
static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
	    || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static void url_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != 0; s++) {
		unsigned char c = (unsigned char) *s;

		if (unreserved(c)) {
			(void) buf_append_byte(out, c);
		} else {
			(void) buf_append_byte(out, '%');
			(void) buf_append_byte(out, (unsigned char) hex[c >> 4]);
			(void) buf_append_byte(out, (unsigned char) hex[c & 15]);
		}
	}
}

/* A recipient we can put in a URL and a token: "x@y", no controls. */
static int recipient_ok(const char *r)
{
	const char *at = strrchr(r, '@');
	size_t	i, len = strlen(r);

	if (at == NULL || at == r || at[1] == 0 || len > 320)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char) r[i] <= ' ' || r[i] == 0x7f)
			return 0;
	return 1;
}

int outsign_unsubscribe_value(const struct outsign_post *p, const char *rcpt,
			      struct buf *out)
{
	char	tok[TOKEN_SIZE];

	if (!p->o.personalize || rcpt == NULL || !recipient_ok(rcpt)
	    || token_make(p->o.token_key, p->o.token_key_len, p->list_addr, rcpt, tok) < 0)
		return -1;
	(void) buf_append(out, p->url_head.data, p->url_head.len);
	(void) buf_append(out, tok, TOKEN_LEN);
	(void) buf_append_str(out, "?a=");
	url_encode(out, rcpt);
	(void) buf_append(out, p->url_tail.data, p->url_tail.len);
	return buf_failed(out) ? -1 : 0;
}

/* ---- preparing the post ------------------------------------------------ */

static int https_base(const char *u)
{
	static const char h[] = "https://";
	size_t	i;

	for (i = 0; i < sizeof(h) - 1; i++)
		if (u[i] == 0 || (u[i] | 0x20) != h[i])
			return 0;
	return u[i] != 0 && u[i] != '/';
}

static int check_opts(const struct outsign_opts *o, const char **error_r)
{
	*error_r = NULL;
	if (o->list_local == NULL || o->list_domain == NULL)
		*error_r = "list address missing";
	else if ((o->rsa_key != NULL && o->rsa_selector == NULL)
		 || (o->ed_key != NULL && o->ed_selector == NULL))
		*error_r = "a signing key without its selector";
	else if (o->personalize && (o->web_base_url == NULL || !https_base(o->web_base_url)))
		*error_r = "one-click unsubscribe needs an https web_base_url";
	else if (o->personalize && (o->token_key == NULL || o->token_key_len < TOKEN_KEY_MIN))
		*error_r = "token key missing or too short";
	else if (o->arc && o->arc_authres == NULL)
		*error_r = "ARC sealing needs the AAR payload";
	else if (o->arc && o->arc_key == NULL && o->rsa_key == NULL && o->ed_key == NULL)
		*error_r = "ARC sealing needs a key";
	return *error_r == NULL ? 0 : -1;
}

static int url_parts(struct outsign_post *p, const char **error_r)
{
	const struct outsign_opts *o = &p->o;
	size_t	bl = o->web_base_url != NULL ? strlen(o->web_base_url) : 0;
	struct buf a;

	while (bl > 0 && o->web_base_url[bl - 1] == '/')
		bl--;
	buf_init(&a, OUTSIGN_FIELD_MAX);
	(void) buf_printf(&a, "%s@%s", o->list_local, o->list_domain);
	buf_init(&p->url_head, OUTSIGN_FIELD_MAX);
	buf_init(&p->url_tail, OUTSIGN_FIELD_MAX);
	(void) buf_printf(&p->url_head, "<%.*s/lists/%s/unsubscribe/",
			  (int) bl, bl > 0 ? o->web_base_url : "", buf_str(&a));
	/* Folded after ", " as the rewrite folds List-* fields. */
	(void) buf_printf(&p->url_tail, ">,\n <mailto:%s-leave@%s>",
			  o->list_local, o->list_domain);
	if (buf_failed(&a) || buf_failed(&p->url_head) || buf_failed(&p->url_tail)
	    || (p->list_addr = buf_detach(&a, NULL)) == NULL) {
		buf_free(&a);
		*error_r = "out of memory";
		return -1;
	}
	return 0;
}

/* Exactly one List-Unsubscribe, and List-Unsubscribe-Post below it. */
static int one_click_fields(struct msg *m, const struct outsign_opts *o,
			    const char **error_r)
{
	long	at = msg_find(m, "List-Unsubscribe", 0), extra;
	struct buf f;
	int	r = 0;

	while (at >= 0 && (extra = msg_find(m, "List-Unsubscribe", (size_t) at + 1)) >= 0)
		if (msg_remove(m, (size_t) extra) < 0)
			return -1;
	if (at < 0) {
		buf_init(&f, OUTSIGN_FIELD_MAX);
		(void) buf_printf(&f, "List-Unsubscribe: <mailto:%s-leave@%s>",
				  o->list_local, o->list_domain);
		r = buf_failed(&f) ? -1
		    : msg_insert(m, msg_field_count(m), buf_str(&f), f.len, error_r);
		buf_free(&f);
		if (r < 0)
			return -1;
		at = (long) msg_field_count(m) - 1;
	}
	if (msg_find(m, "List-Unsubscribe-Post", 0) < 0)
		return msg_insert(m, (size_t) at + 1, ONE_CLICK, strlen(ONE_CLICK), error_r);
	return 0;
}

static struct dkim_bodyhash *hash_body(const struct msg *m, enum dkim_algo algo)
{
	struct dkim_bodyhash *bh = dkim_bodyhash_new(DKIM_CANON_RELAXED, algo, -1);
	const unsigned char *body;
	size_t	len;

	body = msg_body(m, &len);
	if (bh == NULL || dkim_bodyhash_update(bh, body, len) < 0
	    || dkim_bodyhash_final(bh) < 0) {
		dkim_bodyhash_free(bh);
		return NULL;
	}
	return bh;
}

/* The prepared bytes and body hashes, from a private copy of post. */
static int prepare(struct outsign_post *p, const struct msg *post, const char **error_r)
{
	struct buf b;
	struct msg *m = NULL;
	int	r = -1;

	buf_init(&b, LIMIT_MESSAGE_SIZE + LIMIT_HEADER_BLOCK);
	if (msg_serialize(post, &b) < 0) {
		*error_r = buf_strerror(&b);
	} else if (msg_parse(&m, b.data, b.len, error_r) == 0
		   && (!p->o.personalize || one_click_fields(m, &p->o, error_r) == 0)) {
		buf_reset(&b);
		p->bh_rsa = p->o.rsa_key ? hash_body(m, DKIM_ALGO_RSA_SHA256) : NULL;
		p->bh_ed = p->o.ed_key ? hash_body(m, DKIM_ALGO_ED25519_SHA256) : NULL;
		if (msg_serialize(m, &b) < 0 || (p->o.rsa_key && p->bh_rsa == NULL)
		    || (p->o.ed_key && p->bh_ed == NULL)
		    || (p->bytes = (unsigned char *) buf_detach(&b, &p->len)) == NULL)
			*error_r = "out of memory";
		else
			r = 0;
	}
	if (r < 0 && *error_r == NULL)
		*error_r = "cannot prepare the post";
	msg_free(m);
	buf_free(&b);
	return r;
}

/* Without personalization: sign the one copy every recipient gets. */
static int sign_shared(struct outsign_post *p, const char **error_r)
{
	struct outsign_worker *w;
	struct buf out;
	int	r = -1;

	if (outsign_worker_new(p, &w, error_r) < 0)
		return -1;
	buf_init(&out, LIMIT_MESSAGE_SIZE + LIMIT_HEADER_BLOCK);
	/* personalize is 0, so outsign_finish would copy p->shared: sign
	   directly instead (same steps, no List-Unsubscribe edit). */
	if (outsign_finish(w, NULL, &out, error_r) == 0
	    && (p->shared = (unsigned char *) buf_detach(&out, &p->shared_len)) != NULL)
		r = 0;
	else if (*error_r == NULL)
		*error_r = "out of memory";
	buf_free(&out);
	outsign_worker_free(w);
	return r;
}

int outsign_post_new(const struct msg *post, const struct outsign_opts *o,
		     struct outsign_post **post_r, const char **error_r)
{
	struct outsign_post *p;

	*error_r = NULL;
	if (check_opts(o, error_r) < 0)
		return -1;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	p->o = *o;
	if (url_parts(p, error_r) < 0 || prepare(p, post, error_r) < 0
	    || (!o->personalize && sign_shared(p, error_r) < 0)) {
		outsign_post_free(p);
		return -1;
	}
	*post_r = p;
	return 0;
}

void outsign_post_free(struct outsign_post *p)
{
	if (p == NULL)
		return;
	free(p->list_addr);
	buf_free(&p->url_head);
	buf_free(&p->url_tail);
	free(p->bytes);
	dkim_bodyhash_free(p->bh_rsa);
	dkim_bodyhash_free(p->bh_ed);
	free(p->shared);
	free(p);
}

/* ---- workers ----------------------------------------------------------- */

/*
 * Where msg_insert_top puts a field: index 0, or 1 below a leading mbox
 * "From " line or continuation line (msg.h).  Found by trying, so that
 * this stays right whatever msg decides.
 */
static int find_top(struct outsign_worker *w, const char **error_r)
{
	static const char probe[] = "X-Sealist-Outsign-Probe: 1";
	size_t	i;

	if (msg_insert_top(w->m, probe, sizeof(probe) - 1, error_r) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		const struct msg_field *f = msg_field(w->m, i);

		if (f != NULL && f->raw_len >= sizeof(probe) - 1
		    && memcmp(f->raw, probe, sizeof(probe) - 1) == 0) {
			w->top = i;
			return msg_remove(w->m, i);
		}
	}
	*error_r = "cannot find the top of the header";
	return -1;
}

int outsign_worker_new(const struct outsign_post *p, struct outsign_worker **w_r,
		       const char **error_r)
{
	struct outsign_worker *w;

	*error_r = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	w->p = p;
	buf_init(&w->field, OUTSIGN_FIELD_MAX);
	if (msg_parse(&w->m, p->bytes, p->len, error_r) < 0 || find_top(w, error_r) < 0) {
		if (*error_r == NULL)
			*error_r = "cannot index the post";
		outsign_worker_free(w);
		return -1;
	}
	w->base_count = msg_field_count(w->m);
	w->unsub = msg_find(w->m, "List-Unsubscribe", 0);
	*w_r = w;
	return 0;
}

void outsign_worker_free(struct outsign_worker *w)
{
	if (w == NULL)
		return;
	msg_free(w->m);
	buf_free(&w->field);
	free(w);
}

/* ---- per recipient ----------------------------------------------------- */

static int set_unsubscribe(struct outsign_worker *w, const char *rcpt, const char **error_r)
{
	const unsigned char *nl;

	buf_reset(&w->field);
	(void) buf_append_str(&w->field, "List-Unsubscribe: ");
	if (w->unsub < 0 || outsign_unsubscribe_value(w->p, rcpt, &w->field) < 0) {
		*error_r = w->unsub < 0 ? "post has no List-Unsubscribe"
		    : "recipient cannot be put in a URL";
		return -1;
	}
	nl = memchr(w->field.data, '\n', w->field.len);
	if (nl == NULL || (size_t) (nl - w->field.data) > OUTSIGN_LINE_MAX) {
		*error_r = "List-Unsubscribe URL longer than a line may be";
		return -1;
	}
	return msg_replace(w->m, (size_t) w->unsub, (const char *) w->field.data,
			   w->field.len, error_r);
}

/* Sign with each key, then insert: neither signature covers the other. */
static int dkim_fields(struct outsign_worker *w, const char **error_r)
{
	const struct outsign_opts *o = &w->p->o;
	const struct dkim_privkey *key[2] = {o->ed_key, o->rsa_key};
	const char *sel[2] = {o->ed_selector, o->rsa_selector};
	const struct dkim_bodyhash *bh[2] = {w->p->bh_ed, w->p->bh_rsa};
	char   *field[2] = {NULL, NULL};
	struct dkim_sign_opts so;
	int	i, r = 0;

	for (i = 0; i < 2 && r == 0; i++) {
		if (key[i] == NULL || sel[i] == NULL)
			continue;
		dkim_sign_opts_init(&so);
		so.domain = o->list_domain;
		so.selector = sel[i];
		so.key = key[i];
		so.timestamp = o->timestamp;
		r = dkim_sign(w->m, &so, bh[i], &field[i], error_r);
	}
	/* Ed25519 first, so that the RSA signature ends up on top. */
	for (i = 0; i < 2 && r == 0; i++)
		if (field[i] != NULL)
			r = msg_insert_top(w->m, field[i], strlen(field[i]), error_r);
	free(field[0]);
	free(field[1]);
	return r;
}

static int seal(struct outsign_worker *w, const char **error_r)
{
	const struct outsign_opts *o = &w->p->o;
	struct arc_seal_opts ao;
	int	r;

	arc_seal_opts_init(&ao);
	ao.domain = o->list_domain;
	ao.key = o->arc_key ? o->arc_key : o->rsa_key ? o->rsa_key : o->ed_key;
	ao.selector = o->arc_selector ? o->arc_selector
	    : ao.key == o->rsa_key ? o->rsa_selector : o->ed_selector;
	ao.authres = o->arc_authres;
	ao.timestamp = o->timestamp;
	ao.cv = o->arc_cv;
	r = arc_seal(w->m, &ao, error_r);
	/* 1: not sealed on purpose (an earlier cv=fail, 50 sets): the message
	   still goes out, signed, as RFC 8617 section 5.1 step 2 says. */
	return r < 0 ? -1 : 0;
}

/* Take the inserted fields out again: the msg is the prepared post. */
static void restore(struct outsign_worker *w)
{
	while (msg_field_count(w->m) > w->base_count)
		if (msg_remove(w->m, w->top) < 0)
			break;
}

int outsign_finish(struct outsign_worker *w, const char *rcpt, struct buf *out,
		   const char **error_r)
{
	const struct outsign_post *p = w->p;
	int	r;

	*error_r = NULL;
	if (!p->o.personalize && p->shared != NULL) {
		if (buf_append(out, p->shared, p->shared_len) == 0)
			return 0;
		*error_r = buf_strerror(out);
		return -1;
	}
	if (p->o.personalize && rcpt == NULL) {
		*error_r = "recipient required with personalization";
		return -1;
	}
	r = (p->o.personalize ? set_unsubscribe(w, rcpt, error_r) : 0) == 0
	    && dkim_fields(w, error_r) == 0
	    && (!p->o.arc || seal(w, error_r) == 0) ? 0 : -1;
	if (r == 0 && msg_serialize(w->m, out) < 0) {
		*error_r = buf_strerror(out);
		r = -1;
	}
	restore(w);
	return r;
}
