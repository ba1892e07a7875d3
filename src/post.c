/*
 * NAME
 *	post 3
 * SUMMARY
 *	one recipient of one message: decide, rewrite, notify
 * DESCRIPTION
 *	See post.h.  The pieces: the list's settings (read once per
 *	recipient), the sender's membership, policy_decide(), then one of
 *	post_accept() (rewrite into an outbound row), post_hold() (held row
 *	and notices) or post_reject() (a notice).  Every string a result row
 *	points to is owned by the result, so the caller can write it in one
 *	transaction and free it after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/rand.h>

#include "addr/addr.h"
#include "dkim/dkim.h"
#include "dsn/dsn.h"
#include "msg/msg.h"
#include "bounce.h"
#include "dmarcrep_mail.h"
#include "notice.h"
#include "policy.h"
#include "post.h"
#include "request.h"
#include "rewrite.h"
#include "sealist_limits.h"
#include "settings.h"
#include "verdict.h"

/* Everything about the list one decision needs. */
struct post_list {
	const char *address;		/* "dev@example.org" (the route's) */
	long long id;
	char	local[LIMIT_LOCAL_PART + 1];
	char	domain[LIMIT_DOMAIN + 1];
	char   *value[SETTINGS_COUNT];	/* every setting, malloc'd */
	struct buf owners;		/* one per line */
};

/* ---- results ------------------------------------------------------------ */

void post_result_init(struct post_result *r)
{
	size_t	i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < POST_MAX_ROWS; i++)
		buf_init(&r->data[i], LIMIT_MESSAGE_SIZE + 1024 * 1024);
	r->outcome.outbound = r->rows;
}

void post_result_free(struct post_result *r)
{
	size_t	i;

	for (i = 0; i < POST_MAX_ROWS; i++)
		buf_free(&r->data[i]);
	for (i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	memset(r, 0, sizeof(*r));
}

/* Keep s (malloc'd) with the result; returns it (NULL stays NULL). */
static char *post_own(struct post_result *r, char *s)
{
	if (s == NULL || r->nowned >= sizeof(r->owned) / sizeof(r->owned[0])) {
		if (s != NULL)
			free(s);
		return NULL;
	}
	r->owned[r->nowned++] = s;
	return s;
}

/* "LOCAL-ROLE@DOMAIN", kept with the result. */
static char *post_role_address(struct post_result *r, const struct post_list *l,
			       const char *role)
{
	size_t	nl = strlen(l->local), nr = strlen(role), nd = strlen(l->domain);
	char   *s = malloc(nl + nr + nd + 3);

	if (s != NULL) {
		memcpy(s, l->local, nl);
		s[nl] = '-';
		memcpy(s + nl + 1, role, nr);
		s[nl + 1 + nr] = '@';
		memcpy(s + nl + nr + 2, l->domain, nd + 1);
	}
	return post_own(r, s);
}

void post_outcome(struct post_result *r, const char *state, const char *reason)
{
	r->outcome.state = state;
	if (reason != NULL && reason != r->reason)
		snprintf(r->reason, sizeof(r->reason), "%s", reason);
	if (reason != NULL)
		r->outcome.reason = r->reason;
}

/* A new outbound row; its message goes into r->data[index]. */
static struct store_outbound_new *post_row(struct post_result *r, const struct post_list *l,
					   const char *kind, const char *recipients)
{
	struct store_outbound_new *o;

	if (r->outcome.noutbound >= POST_MAX_ROWS)
		return NULL;
	o = &r->rows[r->outcome.noutbound++];
	memset(o, 0, sizeof(*o));
	o->list_id = l->id;
	o->kind = kind;
	o->recipients = recipients;
	o->envelope_from = post_role_address(r, l, "bounces");
	return o;
}

/* ---- the list -------------------------------------------------------------- */

static int post_owner_line(const char *owner, void *ctx)
{
	struct buf *b = ctx;

	buf_printf(b, "%s%s", b->len > 0 ? "\n" : "", owner);
	return 0;
}

static void post_list_free(struct post_list *l)
{
	store_settings_free(l->value);
	buf_free(&l->owners);
}

static int post_list_load(struct post_ctx *c, const char *address, long long id,
			  struct post_list *l, const char **error_r)
{
	const char *at = strrchr(address, '@');

	memset(l, 0, sizeof(*l));
	buf_init(&l->owners, 64 * 1024);
	l->address = address;
	l->id = id;
	if (at == NULL || (size_t) (at - address) > LIMIT_LOCAL_PART || strlen(at + 1) > LIMIT_DOMAIN) {
		*error_r = "bad list address";
		return -1;
	}
	memcpy(l->local, address, (size_t) (at - address));
	memcpy(l->domain, at + 1, strlen(at + 1) + 1);
	if (store_settings_get_all(c->store, address, l->value, NULL, error_r) != STORE_OK)
		return -1;
	if (store_owner_each(c->store, address, post_owner_line, &l->owners, error_r) != STORE_OK)
		return -1;
	return 0;
}

static long post_int(const struct post_list *l, enum settings_id id)
{
	return strtol(l->value[id], NULL, 10);
}

/* ---- reading the message ------------------------------------------------------ */

/* The Subject, unfolded and RFC 2047-decoded, malloc'd ("" if none). */
static char *post_subject(const struct msg *m)
{
	long	i = msg_find(m, "Subject", 0);
	struct buf b;
	size_t	k, n = 0;
	char   *s;

	if (i < 0)
		return strdup("");
	buf_init(&b, 64 * 1024);
	addr_rfc2047_decode(msg_field(m, (size_t) i)->value, msg_field(m, (size_t) i)->value_len, &b);
	if ((s = buf_detach(&b, NULL)) == NULL)
		return strdup("");
	for (k = 0; s[k]; k++)		/* unfold, one line, no leading blanks */
		if (!((s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n') && n == 0))
			s[n++] = s[k] == '\r' || s[k] == '\n' || s[k] == '\t' ? ' ' : s[k];
	s[n] = 0;
	buf_free(&b);
	return s;
}

char *post_message_id(const struct msg *m)
{
	long	i = msg_find(m, "Message-ID", 0);
	const struct msg_field *f;
	size_t	a, e;

	if (i < 0)
		return NULL;
	f = msg_field(m, (size_t) i);
	for (a = 0; a < f->value_len && f->value[a] != '<'; a++)
		;
	for (e = a; e < f->value_len && f->value[e] != '>'; e++)
		;
	return e < f->value_len && e - a < 998 ? strndup((const char *) f->value + a, e - a + 1) : NULL;
}

/* ---- rewriting an accepted post ------------------------------------------------- */

static enum dmarc_policy post_policy(const char *text)
{
	if (strcmp(text, "reject") == 0)
		return DMARC_POLICY_REJECT;
	if (strcmp(text, "quarantine") == 0)
		return DMARC_POLICY_QUARANTINE;
	if (strcmp(text, "none") == 0)
		return DMARC_POLICY_NONE;
	return DMARC_POLICY_UNSET;
}

static void post_rewrite_params(const struct post_ctx *c, const struct post_list *l,
				const struct verdict_summary *v, struct rewrite_list *rl,
				struct rewrite_settings *rs, struct rewrite_author *ra)
{
	memset(rl, 0, sizeof(*rl));
	rl->local_part = l->local;
	rl->domain = l->domain;
	rl->real_name = l->value[SETTING_REAL_NAME];
	rl->description = l->value[SETTING_DESCRIPTION];
	rl->info = l->value[SETTING_INFO];
	rl->delimiter = c->delimiter;
	rl->web_base_url = c->web_base_url;
	memset(rs, 0, sizeof(*rs));
	rs->subject_prefix = l->value[SETTING_SUBJECT_PREFIX];
	rs->msg_header = l->value[SETTING_MSG_HEADER];
	rs->msg_footer = l->value[SETTING_MSG_FOOTER];
	rs->from_is_list = (int) post_int(l, SETTING_FROM_IS_LIST);
	rs->dmarc_moderation_action = (int) post_int(l, SETTING_DMARC_MODERATION_ACTION);
	rs->dmarc_quarantine_moderation_action = (int) post_int(l, SETTING_DMARC_QUARANTINE_MODERATION_ACTION);
	rs->dmarc_none_moderation_action = (int) post_int(l, SETTING_DMARC_NONE_MODERATION_ACTION);
	rs->dmarc_wrapped_message_text = l->value[SETTING_DMARC_WRAPPED_MESSAGE_TEXT];
	rs->dmarc_keep_unmodified = (int) post_int(l, SETTING_DMARC_KEEP_UNMODIFIED);
	rs->remove_dkim_headers = (int) post_int(l, SETTING_REMOVE_DKIM_HEADERS);
	rs->reply_goes_to_list = (int) post_int(l, SETTING_REPLY_GOES_TO_LIST);
	rs->reply_to_address = l->value[SETTING_REPLY_TO_ADDRESS];
	rs->first_strip_reply_to = (int) post_int(l, SETTING_FIRST_STRIP_REPLY_TO);
	rs->include_rfc2369_headers = (int) post_int(l, SETTING_INCLUDE_RFC2369_HEADERS);
	/* one-click needs the member's own token in the URL (RFC 8058 section
	   3.1: the URL alone must identify the subscription), which only a
	   personalized copy carries: the delivery workers add it */
	rs->one_click_unsubscribe = post_int(l, SETTING_ONE_CLICK_UNSUBSCRIBE) != 0
	    && post_int(l, SETTING_PERSONALIZE) != 0;
	memset(ra, 0, sizeof(*ra));
	ra->domain = *v->author ? v->author : NULL;
	ra->org_domain = *v->org ? v->org : NULL;
	ra->policy = post_policy(v->policy);
	ra->adkim_strict = v->adkim_strict;
	ra->dns_error = v->dns_error;
	ra->listed = *v->author_address
	    && settings_patterns_match(l->value[SETTING_DMARC_MODERATION_ADDRESSES], v->author_address);
}

/* The AAR payload: our field without its name. */
static const char *post_aar(const char *authres)
{
	const char *colon = authres != NULL ? strchr(authres, ':') : NULL;

	if (colon == NULL)
		return NULL;
	for (colon++; *colon == ' '; colon++)
		;
	return colon;
}

/* Rewrite into an outbound post row; from_action as decided. */
static int post_notice(struct post_ctx *c, const struct post_list *l, const char *template,
		       const char *const *vars, const char *to, const char *rcpts,
		       const char *reply_to, const char *in_reply_to, int auto_replied,
		       struct post_result *r, const char **error_r);

/*
 * A member with "set ack on" hears that the post went out (Mailman's
 * acknowledge_posts); never when the From failed DMARC, which would be
 * backscatter to whoever was forged.
 */
static int post_ack(struct post_ctx *c, const struct post_list *l,
		    const struct verdict_summary *v, const struct msg *m,
		    struct post_result *r, const char **error_r)
{
	struct store_member_options mo;
	const char *subject, *request, *author;
	int	status;

	if (*v->author_address == 0 || strcmp(v->dmarc, "fail") == 0)
		return 0;
	status = store_request_member_options(c->store, l->address, v->author_address, &mo,
					      error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status != STORE_OK || !mo.ack)
		return 0;
	subject = post_own(r, post_subject(m));
	request = post_role_address(r, l, "request");
	author = post_own(r, strdup(v->author_address));	/* the row outlives v */
	if (subject == NULL || request == NULL || author == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	{
		const char *vars[] = { "list", l->address, "subject", subject,
			"request_address", request, NULL };

		return post_notice(c, l, "post-ack", vars, author, author, NULL, NULL, 1, r,
				   error_r);
	}
}

static int post_accept(struct post_ctx *c, const struct store_inbox_msg *in,
		       const struct post_list *l, const struct verdict_summary *v,
		       struct msg **m, enum rewrite_from_action from_action,
		       struct post_result *r, const char **error_r)
{
	struct rewrite_list rl;
	struct rewrite_settings rs;
	struct rewrite_author ra;
	struct rewrite_result rr;
	struct dkim_verify_opts vo;
	struct store_outbound_new *o;
	size_t	k;

	post_rewrite_params(c, l, v, &rl, &rs, &ra);
	dkim_verify_opts_init(&vo, dkim_txt_dns, c->resolver);
	vo.now = c->now;
	if (rewrite_post(m, &rl, &rs, &ra, from_action, &vo, in->authres, c->authserv_id,
			 &rr, error_r) < 0)
		return -1;
	if ((o = post_row(r, l, "post", "")) == NULL)
		return -1;
	k = r->outcome.noutbound - 1;
	if (msg_serialize(*m, &r->data[k]) < 0) {
		*error_r = "the rewritten post is too large";
		return -1;
	}
	o->message = r->data[k].data;
	o->size = r->data[k].len;
	o->aar = post_aar(in->authres);
	/* the verdict is the caller's local: the row needs its own copy */
	o->arc_cv = *v->arc ? post_own(r, strdup(v->arc)) : NULL;
	o->author = *v->author_address ? post_own(r, strdup(v->author_address)) : NULL;
	post_outcome(r, "done", rr.note);
	r->from_rewritten = rr.from_action == REWRITE_FROM_MUNGE;
	r->wrapped = rr.from_action == REWRITE_FROM_WRAP || rr.wrapped;
	return post_ack(c, l, v, *m, r, error_r);
}

/* ---- notices ---------------------------------------------------------------------- */

static int post_notice(struct post_ctx *c, const struct post_list *l, const char *template,
		       const char *const *vars, const char *to, const char *rcpts,
		       const char *reply_to, const char *in_reply_to, int auto_replied,
		       struct post_result *r, const char **error_r)
{
	struct notice n;
	struct store_outbound_new *o;
	size_t	k;

	memset(&n, 0, sizeof(n));
	n.templates_dir = c->templates_dir;
	n.template = template;
	n.list = l->address;
	n.vars = vars;
	n.from = post_role_address(r, l, "owner");
	n.from_name = l->value[SETTING_REAL_NAME];
	n.to = to;
	n.reply_to = reply_to;
	n.in_reply_to = in_reply_to;
	n.auto_replied = auto_replied;
	n.now = c->now;
	if (n.from == NULL || (o = post_row(r, l, "notice", rcpts)) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	k = r->outcome.noutbound - 1;
	if (notice_build(&n, &r->data[k], error_r) < 0)
		return -1;
	o->message = r->data[k].data;
	o->size = r->data[k].len;
	return 0;
}

static char *post_token(void)
{
	unsigned char raw[16];
	char   *t = malloc(2 * sizeof(raw) + 1);
	size_t	i;

	if (t == NULL || RAND_bytes(raw, sizeof(raw)) != 1) {
		free(t);
		return NULL;
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(t + 2 * i, 3, "%02x", raw[i]);
	return t;
}

static int post_hold(struct post_ctx *c, const struct store_inbox_msg *in,
		     const struct post_list *l, const struct verdict_summary *v,
		     const struct msg *m, const struct policy_decision *d,
		     struct post_result *r, const char **error_r)
{
	const char *sender = *v->author_address ? v->author_address : in->envelope_from;
	char   *subject = post_own(r, post_subject(m));
	char   *token = post_own(r, post_token());
	char   *confirm, *msgid = post_own(r, post_message_id(m));
	const char *owner = post_role_address(r, l, "owner");

	if (subject == NULL || token == NULL || owner == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	confirm = post_own(r, malloc(strlen(l->local) + strlen(token) + strlen(l->domain) + 12));
	if (confirm == NULL)
		return -1;
	snprintf(confirm, strlen(l->local) + strlen(token) + strlen(l->domain) + 12,
		 "%s-confirm%c%s@%s", l->local, c->delimiter ? c->delimiter : '+', token, l->domain);
	r->held.reason = d->reason;
	r->held.token = token;
	r->held.sender = sender;
	r->held.subject = subject;
	r->held.notify_poster = d->notify_poster;
	r->outcome.held = &r->held;
	post_outcome(r, "held", d->reason);
	if (post_int(l, SETTING_ADMIN_IMMED_NOTIFY) && l->owners.len > 0) {
		const char *vars[] = { "list", l->address, "sender", sender, "subject", subject,
			"reason", d->reason, "id", token, "confirm_address", confirm, NULL };

		if (post_notice(c, l, "held-moderator", vars, owner,
				post_own(r, strdup(buf_str(&l->owners))), confirm, NULL, 0, r,
				error_r) < 0)
			return -1;
	}
	if (d->notify_poster && post_int(l, SETTING_RESPOND_TO_POST_REQUESTS) && *sender) {
		const char *vars[] = { "list", l->address, "subject", subject, "reason", d->reason,
			NULL };

		if (post_notice(c, l, "held-poster", vars, sender, sender, NULL, msgid, 1, r,
				error_r) < 0)
			return -1;
	}
	return 0;
}

static int post_reject(struct post_ctx *c, const struct post_list *l, const char *sender,
		       const char *reason, int notify, const struct msg *m,
		       struct post_result *r, const char **error_r)
{
	char   *subject = post_own(r, post_subject(m));
	char   *msgid = post_own(r, post_message_id(m));
	const char *owner = post_role_address(r, l, "owner");
	const char *vars[] = { "list", l->address, "subject", subject, "reason", reason,
		"owner_address", owner, NULL };

	post_outcome(r, "rejected", reason);
	if (!notify || sender == NULL || *sender == 0)
		return 0;
	if (subject == NULL || owner == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	return post_notice(c, l, "rejected-poster", vars, sender, sender, NULL, msgid, 1, r,
			   error_r);
}

/* ---- the post role ------------------------------------------------------------------ */

static void post_policy_list(const struct post_list *l, char *list_id, size_t size,
			     struct policy_list *pl)
{
	snprintf(list_id, size, "%s.%s", l->local, l->domain);
	memset(pl, 0, sizeof(*pl));
	pl->address = l->address;
	pl->list_id = list_id;
	pl->emergency = (int) post_int(l, SETTING_EMERGENCY);
	pl->max_message_size_kb = post_int(l, SETTING_MAX_MESSAGE_SIZE);
	pl->max_num_recipients = post_int(l, SETTING_MAX_NUM_RECIPIENTS);
	pl->require_explicit_destination = (int) post_int(l, SETTING_REQUIRE_EXPLICIT_DESTINATION);
	pl->generic_nonmember_action = (int) post_int(l, SETTING_GENERIC_NONMEMBER_ACTION);
	pl->accept_these = l->value[SETTING_ACCEPT_THESE_NONMEMBERS];
	pl->hold_these = l->value[SETTING_HOLD_THESE_NONMEMBERS];
	pl->reject_these = l->value[SETTING_REJECT_THESE_NONMEMBERS];
	pl->discard_these = l->value[SETTING_DISCARD_THESE_NONMEMBERS];
	pl->dmarc_fail_action = l->value[SETTING_DMARC_FAIL_ACTION];
}

static int post_sender(struct post_ctx *c, const struct post_list *l,
		       const struct verdict_summary *v, struct policy_sender *s,
		       const char **error_r)
{
	struct store_member mb;
	int	status;

	memset(s, 0, sizeof(*s));
	s->address = *v->author_address ? v->author_address : NULL;
	if (s->address == NULL)
		return 0;
	status = store_member_get(c->store, l->address, s->address, &mb, error_r);
	if (status == STORE_OK) {
		s->is_member = 1;
		s->moderated = mb.moderated;
	} else if (status == STORE_ERROR)
		return -1;
	return 0;
}

/*
 * The DMARC aggregate report row for a decided post (dmarcout.h), when
 * the site and the list send reports: it goes into the decision's own
 * transaction with the outcome.
 */
static void post_feedback(const struct post_ctx *c, const struct store_inbox_msg *in,
			  const struct post_list *l, const struct verdict_summary *v,
			  const struct policy_decision *d, struct post_result *r)
{
	struct dmarcout_decision dd = {
		.state = r->outcome.state,
		.by_dmarc = d->dmarc,
		.from_rewritten = r->from_rewritten,
		.wrapped = r->wrapped,
		.why = d->reason,
		.list_address = l->address,
		.list_domain = l->domain,
	};

	if (!c->dmarc_reports_send || !post_int(l, SETTING_DMARC_AGGREGATE_REPORTS)
	    || r->outcome.state == NULL)
		return;
	if (dmarcout_feedback(in, v, &dd, &r->feedback) == 0)
		r->outcome.feedback = &r->feedback.row;
}

static int post_role_post(struct post_ctx *c, const struct store_inbox_msg *in,
			  const struct post_list *l, const struct verdict_summary *v,
			  struct msg **m, struct post_result *r, const char **error_r)
{
	struct rewrite_list rl;
	struct rewrite_settings rs;
	struct rewrite_author ra;
	struct policy_list pl;
	struct policy_sender ps;
	struct policy_decision d;
	enum rewrite_from_action fa;
	char	list_id[LIMIT_LOCAL_PART + LIMIT_DOMAIN + 2];
	int	ret = 0;

	post_rewrite_params(c, l, v, &rl, &rs, &ra);
	fa = rewrite_from_action(&rs, &ra);
	post_policy_list(l, list_id, sizeof(list_id), &pl);
	if (post_sender(c, l, v, &ps, error_r) < 0)
		return -1;
	policy_decide(*m, in->size, &pl, &ps, v, fa, &d);
	switch (d.action) {
	case POLICY_ACCEPT:
		ret = post_accept(c, in, l, v, m, fa, r, error_r);
		break;
	case POLICY_HOLD:
		ret = post_hold(c, in, l, v, *m, &d, r, error_r);
		break;
	case POLICY_REJECT:
		ret = post_reject(c, l, ps.address, d.reason, d.notify_poster, *m, r, error_r);
		break;
	case POLICY_DISCARD:
		post_outcome(r, "discarded", d.reason);
		break;
	}
	if (ret == 0)
		post_feedback(c, in, l, v, &d, r);
	return ret;
}

/* ---- the other roles --------------------------------------------------------------- */

/* A copy of the message to the owners, as it came (with our A-R on top). */
static int post_role_owner(const struct store_inbox_msg *in, const struct post_list *l,
			   struct post_result *r, const char **error_r)
{
	struct store_outbound_new *o;
	size_t	k;

	if (l->owners.len == 0) {
		post_outcome(r, "failed", "the list has no owner to forward to");
		return 0;
	}
	if ((o = post_row(r, l, "forward", post_own(r, strdup(buf_str(&l->owners))))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	k = r->outcome.noutbound - 1;
	if (in->authres != NULL)
		buf_printf(&r->data[k], "%s\r\n", in->authres);
	buf_append(&r->data[k], in->message, in->size);
	o->message = r->data[k].data;
	o->size = r->data[k].len;
	post_outcome(r, "done", "forwarded to the owners");
	return buf_failed(&r->data[k]) ? -1 : 0;
}

/* ---- bounces ---------------------------------------------------------------------- */

/* The class that speaks for a VERP bounce: DMARC first (never blame the
   member for it), then hard, then soft. */
static enum dsn_class post_bounce_class(const struct dsn_report *rep)
{
	enum dsn_class best = DSN_OTHER;
	size_t	i;

	for (i = 0; i < rep->count; i++) {
		enum dsn_class k = rep->r[i].cls;

		if (!rep->r[i].failed)
			continue;
		if (k == DSN_DMARC)
			return DSN_DMARC;
		if (k == DSN_HARD || (k == DSN_SOFT && best == DSN_OTHER))
			best = k;
	}
	return best;
}

/* The words of the report that speak for address's failure of class cls,
   for the owners' notice: its diagnostic, else its status. */
static const char *post_bounce_why(const struct dsn_report *rep, const char *address,
				   enum dsn_class cls)
{
	const struct dsn_recipient *best = NULL;
	size_t	i;

	for (i = 0; i < rep->count; i++) {
		const struct dsn_recipient *p = &rep->r[i];

		if (!p->failed || p->cls != cls)
			continue;
		if (best == NULL || strcasecmp(p->address, address) == 0)
			best = p;
	}
	if (best == NULL)
		return "";
	return *best->diagnostic ? best->diagnostic : best->status;
}

/* Score one address (bounce.c: disabling, warning and owner notices);
   appends what happened to the result's reason. */
static int post_bounce_one(struct post_ctx *c, const struct post_list *l, const char *address,
			   enum dsn_class cls, const struct dsn_report *rep,
			   struct post_result *r, const char **error_r)
{
	static const char *const said[] = {
		"not a member", "DMARC-caused, not scored", "already scored today", "scored",
		"scored and disabled",
	};
	struct bounce_ctx bc;
	enum store_bounce_outcome outcome;
	double	score;
	size_t	len = strlen(r->reason);

	if (cls == DSN_OTHER)
		return 0;
	memset(&bc, 0, sizeof(bc));
	bc.store = c->store;
	bc.templates_dir = c->templates_dir;
	bc.web_base_url = c->web_base_url;
	bc.now = (long long) c->now;
	if (bounce_event_scored(&bc, l->address, address, cls, post_bounce_why(rep, address, cls),
				&outcome, &score, error_r) != STORE_OK)
		return -1;
	snprintf(r->reason + len, sizeof(r->reason) - len, "%s%s %s: %s (score %.1f)",
		 len ? "; " : "", address, dsn_class_name(cls), said[outcome], score);
	return 0;
}

/*
 * Mail to LIST-bounces[+TAG]: with a VERP tag the bounced member is the
 * tag's address and the report only says how it failed; without, each
 * failed recipient of the report.  A report nothing can be read from
 * goes to the owners (bounce_unrecognized_goes_to_list_owner).
 */
static int post_role_bounces(struct post_ctx *c, const struct store_inbox_msg *in,
			     const struct store_rcpt *rc, const struct post_list *l,
			     const struct msg *m, struct post_result *r, const char **error_r)
{
	struct dsn_report rep;
	char	verp[DSN_ADDRESS_SIZE];
	const char *format;
	size_t	i;
	int	ret = 0, have_verp;

	if (!post_int(l, SETTING_BOUNCE_PROCESSING)) {
		post_outcome(r, "done", "bounce processing is off for this list");
		return 0;
	}
	have_verp = *rc->tag && dsn_verp_decode(rc->tag, strlen(rc->tag), verp, sizeof(verp)) == 0;
	if (dsn_parse(m, &rep, error_r) < 0) {
		dsn_report_free(&rep);
		return -1;
	}
	if (!rep.recognised) {
		dsn_report_free(&rep);
		if (post_int(l, SETTING_BOUNCE_UNRECOGNIZED_GOES_TO_LIST_OWNER))
			return post_role_owner(in, l, r, error_r);
		post_outcome(r, "done", "an unrecognised bounce, dropped");
		return 0;
	}
	r->reason[0] = 0;
	if (have_verp)
		ret = post_bounce_one(c, l, verp, post_bounce_class(&rep), &rep, r, error_r);
	for (i = 0; !have_verp && ret == 0 && i < rep.count; i++)
		if (rep.r[i].failed)
			ret = post_bounce_one(c, l, rep.r[i].address, rep.r[i].cls, &rep, r,
					      error_r);
	format = rep.format;		/* static text */
	dsn_report_free(&rep);
	if (ret == 0) {
		if (r->reason[0] == 0)
			snprintf(r->reason, sizeof(r->reason), "%s report: no failed recipient",
				 format != NULL ? format : "bounce");
		post_outcome(r, "done", r->reason);
	}
	return ret;
}

/* The first word of the reply that is approve, reject or discard, before any quote. */
static const char *post_reply_action(const struct msg *m)
{
	static const char *const words[] = { "approve", "reject", "discard" };
	size_t	len, i, k, w;
	const unsigned char *b = msg_body(m, &len);

	for (i = 0; i < len; i = k + 1) {
		for (k = i; k < len && b[k] != '\n'; k++)
			;
		if (b[i] == '>')
			break;		/* the quoted notice starts: stop */
		for (w = 0; w < 3; w++) {
			size_t	n = strlen(words[w]);

			if (k - i >= n && strncasecmp((const char *) b + i, words[w], n) == 0
			    && (k - i == n || b[i + n] == ' ' || b[i + n] == '\r' || b[i + n] == '\t'))
				return words[w];
		}
	}
	return NULL;
}

static int post_is_owner(const struct post_list *l, const char *address)
{
	const char *p = buf_str(&l->owners), *e;
	size_t	n = strlen(address);

	for (; *p; p = *e ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		if ((size_t) (e - p) == n && strncasecmp(p, address, n) == 0)
			return 1;
	}
	return 0;
}

/* A reply to a held-post notice: a moderator's decision (carried out by the caller). */
static int post_role_confirm(struct post_ctx *c, const struct store_rcpt *rc,
			     const struct post_list *l, const struct verdict_summary *v,
			     const struct msg *m, struct post_result *r, const char **error_r)
{
	struct store_held h;
	const char *action;

	if (store_held_get(c->store, 0, rc->tag, &h, error_r) != STORE_OK
	    || strcmp(h.list, l->address) != 0) {
		post_outcome(r, "deferred", "not a held-post token");
		return 0;
	}
	if (strcmp(v->dmarc, "fail") == 0 || !post_is_owner(l, v->author_address)) {
		post_outcome(r, "rejected", "a moderator reply not from an owner (or failing DMARC)");
		return 0;
	}
	if ((action = post_reply_action(m)) == NULL) {
		post_outcome(r, "rejected", "the moderator reply says neither approve, reject nor discard");
		return 0;
	}
	r->decide_held = h.id;
	snprintf(r->decide_action, sizeof(r->decide_action), "%s", action);
	snprintf(r->reason, sizeof(r->reason), "moderator %s: %s held post %lld",
		 v->author_address, action, h.id);
	post_outcome(r, "done", r->reason);
	return 0;
}

int post_handle(struct post_ctx *c, const struct store_inbox_msg *in,
		const struct store_rcpt *rc, struct post_result *r, const char **error_r)
{
	struct verdict_summary *v = &r->verdict;
	struct post_list l;
	struct msg *m = NULL;
	const char *why;
	int	ret = 0;

	if (in->verdict == NULL || verdict_parse(in->verdict, v) < 0) {
		*error_r = "the stored verdict is unreadable";
		return -1;
	}
	if (msg_parse(&m, in->message, in->size, &why) < 0) {
		post_outcome(r, "failed", "the message cannot be parsed");
		return 0;
	}
	if (post_list_load(c, rc->list, rc->list_id, &l, error_r) < 0)
		ret = -1;
	else if (strcmp(rc->role, "post") == 0)
		ret = post_role_post(c, in, &l, v, &m, r, error_r);
	else if (strcmp(rc->role, "owner") == 0)
		ret = post_role_owner(in, &l, r, error_r);
	else if (strcmp(rc->role, "confirm") == 0) {
		ret = post_role_confirm(c, rc, &l, v, m, r, error_r);
		/* not a held post's token: a subscription's, perhaps */
		if (ret == 0 && strcmp(r->outcome.state, "deferred") == 0)
			ret = request_handle(c, in, rc, m, r, error_r);
	} else if (strcmp(rc->role, "request") == 0 || strcmp(rc->role, "join") == 0
		   || strcmp(rc->role, "leave") == 0)
		ret = request_handle(c, in, rc, m, r, error_r);
	else if (strcmp(rc->role, "bounces") == 0)
		ret = post_role_bounces(c, in, rc, &l, m, r, error_r);
	else if (strcmp(rc->role, "dmarc-report") == 0) {
		/* reports come from robots: stored, never answered; their
		   numbers are only as good as the mail's authentication */
		struct dmarcrep_mail_auth auth = { v->dmarc, v->author,
						   c->dmarc_report_require_auth };

		ret = dmarcrep_mail_handle(c->store, in, m, &auth, (long long) c->now, r->reason,
					   sizeof(r->reason), error_r);
		if (ret == 0)
			post_outcome(r, "done", r->reason);
	} else
		post_outcome(r, "deferred", "kept for a handler this version does not have");
	post_list_free(&l);
	msg_free(m);
	return ret;
}

/* ---- a moderator's decision on a held post ------------------------------------------- */

static int post_release(struct post_ctx *c, const struct store_held *h, const char *action,
			const char *words, const struct store_inbox_msg *in, struct post_result *r,
			const char **error_r)
{
	struct verdict_summary *v = &r->verdict;
	struct post_list l;
	struct msg *m = NULL;
	const char *why;
	long long list_id = 0;
	int	ret = -1;

	if (in->verdict == NULL || verdict_parse(in->verdict, v) < 0) {
		*error_r = "the stored verdict is unreadable";
		return -1;
	}
	if (msg_parse(&m, in->message, in->size, &why) < 0) {
		*error_r = why;
		return -1;
	}
	if (store_list_id(c->store, h->list, &list_id, error_r) == STORE_OK
	    && post_list_load(c, h->list, list_id, &l, error_r) == 0) {
		struct rewrite_list rl;
		struct rewrite_settings rs;
		struct rewrite_author ra;

		post_rewrite_params(c, &l, v, &rl, &rs, &ra);
		if (strcmp(action, "approve") == 0) {
			enum rewrite_from_action fa = rewrite_from_action(&rs, &ra);

			/* approving overrides reject/discard, but never skips munging */
			if (fa == REWRITE_FROM_REJECT || fa == REWRITE_FROM_DISCARD)
				fa = REWRITE_FROM_MUNGE;
			ret = post_accept(c, in, &l, v, &m, fa, r, error_r);
		} else if (strcmp(action, "reject") == 0) {
			char	text[400];

			/* the moderator's words go to the poster: one line, cut */
			if (words != NULL && *words != 0)
				(void) snprintf(text, sizeof(text), "a moderator rejected it: %s",
						words);
			else
				(void) snprintf(text, sizeof(text), "a moderator rejected it");
			ret = post_reject(c, &l, h->sender, text, h->notify_poster, m, r, error_r);
		} else {
			post_outcome(r, "discarded", strcmp(action, "expire") == 0
				     ? "held longer than max_days_to_hold" : "a moderator discarded it");
			ret = 0;
		}
	}
	post_list_free(&l);
	msg_free(m);
	return ret;
}

int post_decide_held(struct post_ctx *c, long long id, const char *token, const char *action,
		     const char **error_r)
{
	return post_decide_held_why(c, id, token, action, NULL, error_r);
}

int post_decide_held_why(struct post_ctx *c, long long id, const char *token,
			 const char *action, const char *why, const char **error_r)
{
	struct store_held h;
	struct store_inbox_msg in;
	struct post_result r;
	int	status;

	if (strcmp(action, "approve") != 0 && strcmp(action, "reject") != 0
	    && strcmp(action, "discard") != 0 && strcmp(action, "expire") != 0) {
		*error_r = "the decision must be approve, reject or discard";
		return STORE_INVALID;
	}
	if ((status = store_held_get(c->store, id, token, &h, error_r)) != STORE_OK)
		return status;
	id = h.id;
	if ((status = store_inbox_get(c->store, h.inbox_id, &in, error_r)) != STORE_OK)
		return status;
	post_result_init(&r);
	/* h's strings are the store's row copy, which loading the list replaces:
	   a rejection's notice went to whatever was there by then */
	h.list = post_own(&r, strdup(h.list));
	h.sender = post_own(&r, strdup(h.sender));
	if (h.list == NULL || h.sender == NULL) {
		*error_r = "out of memory";
		status = STORE_ERROR;
	} else if (post_release(c, &h, action, why, &in, &r, error_r) < 0)
		status = STORE_ERROR;
	else
		status = store_held_resolve(c->store, id, &r.outcome, (long long) c->now, error_r);
	post_result_free(&r);
	store_inbox_msg_free(&in);
	return status;
}

/* ---- expiry of held posts -------------------------------------------------------------- */

struct post_expiry {
	struct post_ctx *c;
	long long ids[64];		/* decided after the walk: it holds a statement */
	size_t	n;
};

static int post_expired(const struct store_held *h, void *ctx)
{
	struct post_expiry *e = ctx;
	char   *days = NULL;
	long	max;

	if (e->n >= sizeof(e->ids) / sizeof(e->ids[0]))
		return 1;
	if (store_setting_get(e->c->store, h->list, "max_days_to_hold", &days, NULL, NULL)
	    != STORE_OK)
		return 0;
	max = strtol(days, NULL, 10);
	free(days);
	if (max > 0 && h->held_at + (long long) max * 86400 < (long long) e->c->now)
		e->ids[e->n++] = h->id;
	return 0;
}

int post_expire_held(struct post_ctx *c, size_t *count_r, const char **error_r)
{
	struct post_expiry e;
	size_t	i;
	int	status;

	memset(&e, 0, sizeof(e));
	e.c = c;
	*count_r = 0;
	/* the walk reads settings through the same connection: collect first */
	if ((status = store_held_each(c->store, NULL, post_expired, &e, error_r)) != STORE_OK)
		return status;
	for (i = 0; i < e.n; i++)
		if (post_decide_held(c, e.ids[i], NULL, "expire", error_r) == STORE_OK)
			(*count_r)++;
	return STORE_OK;
}
