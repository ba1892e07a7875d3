/*
 * NAME
 *	rewrite 3
 * SUMMARY
 *	the edits a list makes to a post (see rewrite.h): order and fields
 * DESCRIPTION
 *	rewrite_post() works on a copy of the post, so that *m is untouched
 *	on failure, in this order:
 *	  1. if a keep check is asked for, the list's edits (rw_edits: fields
 *	     that must not go out again, subject prefix, header and footer,
 *	     Reply-To without an author to place, List-* fields, our
 *	     Authentication-Results) are made with From as it is, and
 *	     dkim_verify() looks for a passing signature aligned with the
 *	     author's domain that still covers the whole body; if one is
 *	     found, that is the result, with the real From;
 *	  2. otherwise the From action is applied: for KEEP the edits as in
 *	     1; for MUNGE the edits are made again on a fresh copy with the
 *	     author to be placed in Reply-To or Cc (Mailman decides where
 *	     from the poster's Reply-To, so placing the author cannot be an
 *	     afterthought), then From is munged; for WRAP the edits are made
 *	     on a new outer message around the original;
 *	  3. DKIM-Signature and DomainKey-Signature fields go per
 *	     remove_dkim_headers, the kept signature excepted.
 *
 *	List fields follow CookHeaders.py with SETTINGS.md's sealist URLs:
 *	the fields of an upstream list (List-Id, List-Help, List-Subscribe,
 *	List-Unsubscribe, List-Unsubscribe-Post, List-Post, List-Owner,
 *	List-Archive, named one by one, never by prefix) and Precedence,
 *	Return-Path and Delivered-To are removed, then ours are added at the
 *	end of the header, as Mailman does; long values are folded after
 *	each ", " as Mailman does at 78 columns.  X-Loop names the list
 *	(the loop check's mark, kept in addition to any X-Loop already
 *	there, which belongs to someone else's loop check).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authres/authres.h"
#include "rewrite_int.h"

/* ---- helpers shared by the rewrite_*.c files -------------------------------- */

static _Thread_local char rw_note_buf[512];

void rw_note(struct rw *rw, const char *fmt, ...)
{
	size_t	used = rw->res->note != NULL ? strlen(rw_note_buf) : 0;
	va_list	ap;

	if (used + 3 >= sizeof(rw_note_buf))
		return;
	if (used > 0) {
		memcpy(rw_note_buf + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	(void) vsnprintf(rw_note_buf + used, sizeof(rw_note_buf) - used, fmt, ap);
	va_end(ap);
	rw->res->note = rw_note_buf;
}

int rw_append_field(struct rw *rw, const struct buf *b)
{
	if (buf_failed(b)) {
		rw->error = "field too long";
		return -1;
	}
	return msg_insert(rw->m, msg_field_count(rw->m), (const char *) b->data, b->len,
			  &rw->error);
}

size_t rw_remove_all(struct msg *m, const char *name)
{
	size_t	n = 0;
	long	i;

	while ((i = msg_find(m, name, 0)) >= 0) {
		(void) msg_remove(m, (size_t) i);
		n++;
	}
	return n;
}

struct msg *rw_copy(const struct msg *m, const char **error_r)
{
	struct buf b;
	struct msg *c = NULL;

	buf_init(&b, LIMIT_MESSAGE_SIZE);
	if (msg_serialize(m, &b) < 0)
		*error_r = buf_strerror(&b);
	else if (msg_parse(&c, b.data, b.len, error_r) < 0)
		c = NULL;
	buf_free(&b);
	return c;
}

int rw_set_body(struct rw *rw, const void *body, size_t len)
{
	struct buf b;
	size_t	old;
	struct msg *m;
	int	r = -1;

	buf_init(&b, LIMIT_MESSAGE_SIZE);
	(void) msg_body(rw->m, &old);
	if (msg_serialize(rw->m, &b) == 0) {
		buf_truncate(&b, b.len - old);
		if (!msg_has_separator(rw->m)) {
			if (b.len > 0 && b.data[b.len - 1] != '\n')
				(void) buf_append_str(&b, msg_eol_str(rw->m));
			(void) buf_append_str(&b, msg_eol_str(rw->m));
		}
		(void) buf_append(&b, body, len);
	}
	if (buf_failed(&b))
		rw->error = "message too large";
	else if (msg_parse(&m, b.data, b.len, &rw->error) == 0) {
		msg_free(rw->m);
		rw->m = m;
		r = 0;
	}
	buf_free(&b);
	return r;
}

/* ---- the From decision --------------------------------------------------- */

static int dmarc_applies(const struct rewrite_settings *s, const struct rewrite_author *a)
{
	return a->listed || a->dns_error || a->policy == DMARC_POLICY_REJECT
		|| (a->policy == DMARC_POLICY_QUARANTINE && s->dmarc_quarantine_moderation_action)
		|| (a->policy == DMARC_POLICY_NONE && s->dmarc_quarantine_moderation_action
		    && s->dmarc_none_moderation_action);
}

enum rewrite_from_action rewrite_from_action(const struct rewrite_settings *s,
					     const struct rewrite_author *a)
{
	static const enum rewrite_from_action dmarc[] = {
		REWRITE_FROM_KEEP, REWRITE_FROM_MUNGE, REWRITE_FROM_WRAP,
		REWRITE_FROM_REJECT, REWRITE_FROM_DISCARD,
	};

	if (dmarc_applies(s, a) && s->dmarc_moderation_action > 0
	    && s->dmarc_moderation_action <= 4)
		return dmarc[s->dmarc_moderation_action];
	return s->from_is_list == 1 ? REWRITE_FROM_MUNGE
		: s->from_is_list == 2 ? REWRITE_FROM_WRAP : REWRITE_FROM_KEEP;
}

/* ---- list fields ----------------------------------------------------------- */

static const char *const upstream_fields[] = {
	"return-path", "delivered-to", "precedence", "list-id", "list-help",
	"list-subscribe", "list-unsubscribe", "list-unsubscribe-post", "list-post",
	"list-owner", "list-archive", NULL,
};

static void strip_upstream(struct rw *rw)
{
	size_t	i;

	for (i = 0; upstream_fields[i] != NULL; i++)
		(void) rw_remove_all(rw->m, upstream_fields[i]);
}

/* "Name: a, b" folded after each ", " when longer than 78 (Mailman). */
static int add_list_field(struct rw *rw, const char *name, const char *value)
{
	struct buf b;
	const char *p;
	int	r;

	buf_init(&b, RW_FIELD_MAX);
	(void) buf_printf(&b, "%s: ", name);
	if (strlen(name) + 2 + strlen(value) <= 78) {
		(void) buf_append_str(&b, value);
	} else {
		for (p = value; *p != 0; p++) {
			(void) buf_append_byte(&b, (unsigned char) *p);
			if (p[0] == ',' && p[1] == ' ') {
				(void) buf_append_str(&b, "\n");
			}
		}
	}
	r = rw_append_field(rw, &b);
	buf_free(&b);
	return r;
}

static int add_list_id(struct rw *rw)
{
	const struct rewrite_list *l = rw->l;
	struct buf b;
	int	r;

	buf_init(&b, RW_FIELD_MAX);
	(void) buf_append_str(&b, "List-Id: ");
	if (l->description != NULL && l->description[0] != 0) {
		rw_phrase(&b, l->description, strlen(l->description), 0);
		(void) buf_append_byte(&b, ' ');
	}
	(void) buf_printf(&b, "<%s.%s>", l->local_part, l->domain);
	r = rw_append_field(rw, &b);
	buf_free(&b);
	return r;
}

/* web_base_url without trailing '/'; its length (0: no web). */
static size_t web_len(const struct rewrite_list *l)
{
	size_t	n = l->web_base_url != NULL ? strlen(l->web_base_url) : 0;

	while (n > 0 && l->web_base_url[n - 1] == '/')
		n--;
	return n;
}

static int add_rfc2369(struct rw *rw)
{
	const struct rewrite_list *l = rw->l;
	const char *L = l->local_part, *D = l->domain;
	size_t	wl = web_len(l);
	struct buf v;
	int	r = 0;

	buf_init(&v, RW_FIELD_MAX);
#define FIELD(name, ...) do { \
		buf_reset(&v); \
		(void) buf_printf(&v, __VA_ARGS__); \
		if (r == 0) \
			r = add_list_field(rw, name, buf_str(&v)); \
	} while (0)
	FIELD("List-Post", "<mailto:%s@%s>", L, D);
	FIELD("List-Help", "<mailto:%s-request@%s?subject=help>", L, D);
	if (wl > 0) {
		FIELD("List-Subscribe", "<%.*s/lists/%s@%s/subscribe>, <mailto:%s-join@%s>",
		      (int) wl, l->web_base_url, L, D, L, D);
		FIELD("List-Unsubscribe", "<%.*s/lists/%s@%s/unsubscribe>, <mailto:%s-leave@%s>",
		      (int) wl, l->web_base_url, L, D, L, D);
		if (rw->s->one_click_unsubscribe)
			FIELD("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
	} else {
		FIELD("List-Subscribe", "<mailto:%s-join@%s>", L, D);
		FIELD("List-Unsubscribe", "<mailto:%s-leave@%s>", L, D);
	}
	FIELD("List-Owner", "<mailto:%s-owner@%s>", L, D);
#undef FIELD
	buf_free(&v);
	return r;
}

static int add_list_fields(struct rw *rw)
{
	struct buf b;
	int	r;

	if (add_list_id(rw) < 0)
		return -1;
	if (rw->s->include_rfc2369_headers && add_rfc2369(rw) < 0)
		return -1;
	buf_init(&b, RW_FIELD_MAX);
	(void) buf_append_str(&b, "Precedence: list");
	r = rw_append_field(rw, &b);
	buf_reset(&b);
	(void) buf_printf(&b, "X-Loop: %s@%s", rw->l->local_part, rw->l->domain);
	if (r == 0)
		r = rw_append_field(rw, &b);
	buf_free(&b);
	return r;
}

static int add_authres(struct rw *rw, const char *field, const char *authserv_id)
{
	if (authserv_id != NULL && authserv_id[0] != 0)
		(void) authres_remove_forged(rw->m, authserv_id);
	if (field == NULL || field[0] == 0)
		return 0;
	return msg_insert_top(rw->m, field, strlen(field), &rw->error);
}

struct ctx {
	const char *authres_field, *authserv_id;
};

/* Steps 1 and 2 of rewrite.h on rw->m. */
static int rw_edits(struct rw *rw, const struct ctx *c)
{
	strip_upstream(rw);
	if (rw_subject_prefix(rw) < 0 || rw_decorate(rw) < 0 || rw_reply_to(rw) < 0
	    || add_list_fields(rw) < 0 || add_authres(rw, c->authres_field, c->authserv_id) < 0)
		return -1;
	return 0;
}

/* ---- the keep check ---------------------------------------------------------- */

static int ieq(const char *a, const char *b)
{
	for (; *a != 0 && *b != 0; a++, b++)
		if ((*a | 32) != (*b | 32))
			return 0;
	return *a == *b;
}

static int aligned(const char *d, const struct rewrite_author *a)
{
	size_t	dl = strlen(d), ol;

	if (ieq(d, a->domain))
		return 1;
	if (a->adkim_strict || a->org_domain == NULL)
		return 0;
	ol = strlen(a->org_domain);
	return ieq(d, a->org_domain)
		|| (dl > ol && d[dl - ol - 1] == '.' && ieq(d + dl - ol, a->org_domain));
}

/*
 * The raw bytes of the first aligned passing signature in m, malloc'd
 * (*len_r), or NULL.  A pass under l= that leaves out part of the body
 * does not count: that part is the list's footer, which the author did
 * not sign, and receivers that ignore l= would see a failure.
 */
static unsigned char *keep_check(const struct msg *m, const struct dkim_verify_opts *vo,
				 const struct rewrite_author *a, size_t *len_r)
{
	struct dkim_verify_result vr;
	unsigned char *kept = NULL;
	size_t	i;

	if (dkim_verify(m, vo, &vr) < 0)
		return NULL;
	for (i = 0; i < vr.count && kept == NULL; i++) {
		const struct dkim_sig_result *r = &vr.sigs[i];
		const struct msg_field *f = msg_field(m, r->field_index);

		if (r->result != DKIM_PASS || r->domain == NULL || !aligned(r->domain, a)
		    || (r->body_length >= 0 && r->body_length < r->body_total) || f == NULL)
			continue;
		if ((kept = malloc(f->raw_len)) != NULL) {
			memcpy(kept, f->raw, f->raw_len);
			*len_r = f->raw_len;
		}
	}
	dkim_verify_result_free(&vr);
	return kept;
}

/* ---- DKIM-Signature removal ---------------------------------------------------- */

static int is_sig(const struct msg_field *f, const char **copy_name)
{
	static const struct {
		const char *name, *copy;
	} sigs[] = {
		{ "dkim-signature", "X-Original-DKIM-Signature" },
		{ "domainkey-signature", "X-Original-DomainKey-Signature" },
	};
	size_t	i, k;

	for (i = 0; f->name != NULL && i < 2; i++) {
		if (strlen(sigs[i].name) != f->name_len)
			continue;
		for (k = 0; k < f->name_len && (f->name[k] | 32) == sigs[i].name[k]; k++)
			;
		if (k == f->name_len) {
			*copy_name = sigs[i].copy;
			return 1;
		}
	}
	return 0;
}

/* Mode 3: the field renamed in place, value bytes unchanged (Mailman
 * 2.1's REMOVE_DKIM_HEADERS = 3 adds the same names). */
static int rename_sig(struct rw *rw, size_t i, const char *copy)
{
	const struct msg_field *f = msg_field(rw->m, i);
	struct buf b;
	int	r;

	buf_init(&b, RW_FIELD_MAX);
	(void) buf_printf(&b, "%s:", copy);
	(void) buf_append(&b, f->value, f->value_len);
	r = buf_failed(&b) ? (rw->error = "field too long", -1)
		: msg_replace(rw->m, i, (const char *) b.data, b.len, &rw->error);
	buf_free(&b);
	return r;
}

static int remove_sigs(struct rw *rw, const unsigned char *kept, size_t kept_len)
{
	int	mode = rw->s->remove_dkim_headers;
	int	munged = rw->res->from_action == REWRITE_FROM_MUNGE
		|| rw->res->from_action == REWRITE_FROM_WRAP;
	size_t	i;

	if (!(mode == 2 || mode == 3 || (mode == 1 && munged)))
		return 0;
	for (i = msg_field_count(rw->m); i-- > 0;) {
		const struct msg_field *f = msg_field(rw->m, i);
		const char *copy;

		if (!is_sig(f, &copy) || (kept != NULL && f->raw_len == kept_len
					  && memcmp(f->raw, kept, kept_len) == 0))
			continue;
		if (mode == 3 ? rename_sig(rw, i, copy) < 0 : msg_remove(rw->m, i) < 0)
			return -1;
		rw->res->dkim_removed++;
	}
	return 0;
}

/* ---- rewrite_post ---------------------------------------------------------------- */

/* Step 1: edits with From as it is, and the keep check; 1 kept, 0 not
 * (rw->m then holds the edited copy, for KEEP to use), -1 error. */
static int try_keep(struct rw *rw, const struct msg *orig, const struct ctx *c,
		    const struct dkim_verify_opts *verify, const struct rewrite_author *a,
		    unsigned char **kept, size_t *kept_len)
{
	if ((rw->m = rw_copy(orig, &rw->error)) == NULL || rw_edits(rw, c) < 0)
		return -1;
	if (verify == NULL || !rw->s->dmarc_keep_unmodified || a->domain == NULL)
		return 0;
	*kept = keep_check(rw->m, verify, a, kept_len);
	return *kept != NULL;
}

/* Step 2 for MUNGE and WRAP, on a fresh start from the original. */
static int apply_from(struct rw *rw, const struct msg *orig, const struct ctx *c,
		      enum rewrite_from_action action)
{
	struct rewrite_result *res = rw->res;

	msg_free(rw->m);
	rw->m = NULL;
	/* The first attempt's flags and notes describe a message we drop. */
	res->prefix_added = res->header_added = res->footer_added = 0;
	res->note = NULL;
	rw->o_from = rw->author;
	if (action == REWRITE_FROM_WRAP) {
		if (rw_wrap(rw, orig) < 0)
			return -1;
	} else if ((rw->m = rw_copy(orig, &rw->error)) == NULL) {
		return -1;
	}
	if (rw_edits(rw, c) < 0 || rw_munge_from(rw) < 0)
		return -1;
	return 0;
}

static int run(struct rw *rw, const struct msg *orig, const struct ctx *c,
	       const struct dkim_verify_opts *verify, const struct rewrite_author *a,
	       enum rewrite_from_action action)
{
	unsigned char *kept = NULL;
	size_t	kept_len = 0;
	int	r;

	rw->res->from_action = action;
	if ((r = try_keep(rw, orig, c, verify, a, &kept, &kept_len)) < 0)
		return -1;
	if (r > 0) {
		rw->res->from_action = REWRITE_FROM_KEEP;
		rw->res->kept_signature = 1;
	} else if (action != REWRITE_FROM_KEEP && apply_from(rw, orig, c, action) < 0) {
		return -1;
	}
	r = remove_sigs(rw, kept, kept_len);
	free(kept);
	return r;
}

int rewrite_post(struct msg **mp, const struct rewrite_list *l,
		 const struct rewrite_settings *s, const struct rewrite_author *a,
		 enum rewrite_from_action from_action, const struct dkim_verify_opts *verify,
		 const char *authres_field, const char *authserv_id,
		 struct rewrite_result *res, const char **error_r)
{
	struct rw_author author;
	struct rw rw;
	struct ctx c = { authres_field, authserv_id };

	memset(res, 0, sizeof(*res));
	rw_note_buf[0] = 0;
	if (from_action == REWRITE_FROM_REJECT || from_action == REWRITE_FROM_DISCARD) {
		*error_r = "a post to reject or discard is not rewritten";
		return -1;
	}
	if (rw_author_get(*mp, &author) < 0) {
		*error_r = "out of memory";
		return -1;
	}
	memset(&rw, 0, sizeof(rw));
	rw.l = l;
	rw.s = s;
	rw.res = res;
	rw.author = &author;
	if (run(&rw, *mp, &c, verify, a, from_action) < 0) {
		*error_r = rw.error != NULL ? rw.error : "out of memory";
		msg_free(rw.m);
		rw_author_free(&author);
		return -1;
	}
	msg_free(*mp);
	*mp = rw.m;
	rw_author_free(&author);
	return 0;
}
