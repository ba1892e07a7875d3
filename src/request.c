/*
 * NAME
 *	request 3
 * SUMMARY
 *	act on mail commands: subscribe, unsubscribe, confirm, set, ...
 * DESCRIPTION
 *	See request.h.  One struct request_run per recipient: the list, the
 *	requester, the reply text being built, and the rows of the result.
 *	Each command appends ">>> LINE" and its result to the reply; the
 *	mails it sends (confirmations, welcome, goodbye, owner notices) are
 *	rows of the result, the last row always kept for the reply.
 *
 *	Mailman 2.1 followed: MailCommandHandler/CommandRunner (one results
 *	mail, "- Results:", "- Unprocessed:", "- Ignored:"), Pending.py (a
 *	token per request, PENDING_REQUEST_LIFE), the confirm+cookie address
 *	with Subject "confirm COOKIE" so that a plain reply confirms.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <openssl/rand.h>

#include "addr/addr.h"
#include "notice.h"
#include "request.h"
#include "sealist_limits.h"
#include "settings.h"
#include "template.h"

/* Defaults when the caller's ctx leaves a field 0 (sealist.conf's). */
#define REQUEST_LIFE_DEFAULT		(3L * 86400)
#define REQUEST_REPLIES_DEFAULT		10
#define REQUEST_COMMANDS_DEFAULT	25

/* Non-command lines before reqparse gives up (Mailman: a few). */
#define REQUEST_MAX_JUNK		5

/* A confirmation is sent again for a repeated request at most this often. */
#define REQUEST_RESEND_INTERVAL		3600

/* The reply, and one rendered help/info text: small, bounded. */
#define REQUEST_REPLY_MAX		(256 * 1024)

/* Members listed by "who" at most (the rest is counted). */
#define REQUEST_WHO_MAX			1000

/* "local-confirm+TOKEN@domain" and the like fit */
#define REQUEST_ADDRESS_MAX	(LIMIT_LOCAL_PART + LIMIT_DOMAIN + 160)

struct request_list {
	char   *address;		/* "dev@example.org" */
	long long id;
	char	local[LIMIT_LOCAL_PART + 1];
	char	domain[LIMIT_DOMAIN + 1];
	char   *value[SETTINGS_COUNT];
	struct buf owners;		/* one per line */
};

struct request_run {
	struct post_ctx *c;
	const struct store_inbox_msg *in;
	const struct store_rcpt *rc;
	const struct msg *m;
	struct post_result *r;
	struct request_list l;
	const char *sender;		/* the requester */
	const char *msgid;		/* of the request, or NULL */
	struct buf reply;		/* the command results */
	struct buf notes;		/* for the outcome's reason */
	/* the list's role addresses; rows point at the owned bounces one */
	char	addr_request[REQUEST_ADDRESS_MAX], addr_owner[REQUEST_ADDRESS_MAX];
	char	addr_join[REQUEST_ADDRESS_MAX], addr_leave[REQUEST_ADDRESS_MAX];
	const char *bounces;		/* kept with the result */
	int	third_party;		/* a subscription of another address: no reply */
	int	mailed_sender;		/* another mail answered the sender */
	int	stop;			/* "end" */
	int	informative;		/* a command whose answer is text (help, set, ...) */
	size_t	done, failed, ignored;
};

/* ---- small helpers ------------------------------------------------------------ */

static long request_int(const struct request_run *run, enum settings_id id)
{
	return strtol(run->l.value[id], NULL, 10);
}

/* Keep s (malloc'd) with the result; NULL if none or no room. */
static char *request_own(struct post_result *r, char *s)
{
	if (s == NULL || r->nowned >= sizeof(r->owned) / sizeof(r->owned[0])) {
		free(s);
		return NULL;
	}
	r->owned[r->nowned++] = s;
	return s;
}

/* "LOCAL-ROLE@DOMAIN" into out. */
static void request_role(const struct request_run *run, const char *role, char *out,
			 size_t size)
{
	snprintf(out, size, "%s-%s@%s", run->l.local, role, run->l.domain);
}

/* The role addresses, once the list is loaded; -1: no memory. */
static int request_addresses(struct request_run *run)
{
	char	b[REQUEST_ADDRESS_MAX];

	request_role(run, "request", run->addr_request, sizeof(run->addr_request));
	request_role(run, "owner", run->addr_owner, sizeof(run->addr_owner));
	request_role(run, "join", run->addr_join, sizeof(run->addr_join));
	request_role(run, "leave", run->addr_leave, sizeof(run->addr_leave));
	request_role(run, "bounces", b, sizeof(b));
	run->bounces = request_own(run->r, strdup(b));
	return run->bounces != NULL ? 0 : -1;
}

static void request_note(struct request_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void request_note(struct request_run *run, const char *fmt, ...)
{
	va_list	ap;

	if (run->notes.len > 0)
		buf_append_str(&run->notes, "; ");
	va_start(ap, fmt);
	buf_vprintf(&run->notes, fmt, ap);
	va_end(ap);
}

/* One result line under the command. */
static void request_result(struct request_run *run, const char *kind, const char *text)
{
	buf_printf(&run->reply, "    %s: %s\n", kind, text);
	if (strcmp(kind, "processed") == 0)
		run->done++;
	else if (strcmp(kind, "failed") == 0)
		run->failed++;
	else
		run->ignored++;
}

static void request_day(long long t, char *out, size_t size)
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, size, "-");
}

static char *request_token(void)
{
	unsigned char raw[16];		/* 128 bits */
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

static int request_same_address(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* ---- the list ------------------------------------------------------------------- */

static int request_owner_line(const char *owner, void *ctx)
{
	struct buf *b = ctx;

	buf_printf(b, "%s%s", b->len > 0 ? "\n" : "", owner);
	return 0;
}

static void request_list_free(struct request_list *l)
{
	store_settings_free(l->value);
	buf_free(&l->owners);
	free(l->address);
	memset(l, 0, sizeof(*l));
}

static int request_list_load(struct post_ctx *c, const char *address, long long id,
			     struct request_list *l, const char **error_r)
{
	const char *at = strrchr(address, '@');

	memset(l, 0, sizeof(*l));
	buf_init(&l->owners, 64 * 1024);
	l->id = id;
	if (at == NULL || (size_t) (at - address) > LIMIT_LOCAL_PART
	    || strlen(at + 1) > LIMIT_DOMAIN || (l->address = strdup(address)) == NULL) {
		*error_r = "bad list address";
		return -1;
	}
	memcpy(l->local, address, (size_t) (at - address));
	memcpy(l->domain, at + 1, strlen(at + 1) + 1);
	if (store_settings_get_all(c->store, address, l->value, NULL, error_r) != STORE_OK)
		return -1;
	if (store_owner_each(c->store, address, request_owner_line, &l->owners, error_r)
	    != STORE_OK)
		return -1;
	return 0;
}

/* ---- mails ------------------------------------------------------------------------ */

/* A row for a mail, or NULL (reason in *why): the last row is the reply's. */
static struct store_outbound_new *request_row(struct request_run *run, int for_reply,
					      const char *rcpts)
{
	struct post_result *r = run->r;
	struct store_outbound_new *o;

	if (r->outcome.noutbound >= POST_MAX_ROWS - (for_reply ? 0 : 1))
		return NULL;
	o = &r->rows[r->outcome.noutbound];
	memset(o, 0, sizeof(*o));
	o->list_id = run->l.id;
	o->kind = "notice";
	o->recipients = rcpts;
	o->envelope_from = run->bounces;
	return o;
}

/*
 * Queue a notice to one address (or to the owners: to = LIST-owner, rcpts
 * the owners).  limited: count it against the recipient's hourly replies.
 * 1 queued, 0 not sent (the reason noted), -1 a local failure.
 */
static int request_mail(struct request_run *run, const char *template, const char *const *vars,
			const char *to, const char *rcpts, const char *reply_to, int answer,
			int limited, int for_reply, const char **error_r)
{
	struct post_result *r = run->r;
	struct store_outbound_new *o;
	struct notice n;
	struct buf *data;
	int	allowed = 1;
	long	limit = run->c->request_replies_per_hour > 0
	    ? run->c->request_replies_per_hour : REQUEST_REPLIES_DEFAULT;

	if (r->outcome.noutbound >= POST_MAX_ROWS - (for_reply ? 0 : 1)) {
		request_note(run, "not sent to %s: too many mails for one request", to);
		return 0;
	}
	if (limited && store_request_reply_take(run->c->store, to, (long long) run->c->now, limit,
						&allowed, error_r) != STORE_OK)
		return -1;
	if (!allowed) {
		request_note(run, "not sent to %s: request_replies_per_hour reached", to);
		return 0;
	}
	if ((o = request_row(run, for_reply, request_own(r, strdup(rcpts)))) == NULL
	    || o->recipients == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	data = &r->data[r->outcome.noutbound];
	buf_reset(data);
	memset(&n, 0, sizeof(n));
	n.templates_dir = run->c->templates_dir;
	n.list = run->l.address;	/* the list's own copy of a template wins */
	n.template = template;
	n.vars = vars;
	n.from = run->addr_owner;
	n.from_name = run->l.value[SETTING_REAL_NAME];
	n.to = to;
	n.reply_to = reply_to;
	n.in_reply_to = answer ? run->msgid : NULL;
	n.auto_replied = answer;
	n.now = run->c->now;
	if (notice_build(&n, data, error_r) < 0)
		return -1;
	o->message = data->data;
	o->size = data->len;
	r->outcome.noutbound++;
	if (answer && request_same_address(to, run->sender))
		run->mailed_sender = 1;
	return 1;
}

/* A template's body (help, info) into the reply, indented. */
static int request_text(struct request_run *run, const char *template, const char *const *vars,
			const char **error_r)
{
	struct buf body;
	char   *subject = NULL;
	const char *p, *e;

	buf_init(&body, REQUEST_REPLY_MAX);
	if (template_render_for(run->c->templates_dir, run->l.address, template, vars, &subject,
				&body, error_r) < 0) {
		buf_free(&body);
		return -1;
	}
	for (p = buf_str(&body); *p; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		buf_printf(&run->reply, "%s%.*s\n", e > p ? "    " : "", (int) (e - p), p);
	}
	free(subject);
	buf_free(&body);
	return 0;
}

static int request_welcome(struct request_run *run, const char *address, const char **error_r)
{
	const char *vars[] = { "list", run->l.address, "address", address,
		"description", run->l.value[SETTING_DESCRIPTION], "info", run->l.value[SETTING_INFO],
		"post_address", run->l.address, "request_address", run->addr_request,
		"leave_address", run->addr_leave, "owner_address", run->addr_owner,
		NULL };

	if (!request_int(run, SETTING_SEND_WELCOME_MSG))
		return 0;
	/* not counted against the hourly replies: it follows a confirmation
	   or an approval, each of which happens once per request */
	return request_mail(run, "welcome", vars, address, address, NULL,
			    request_same_address(address, run->sender), 0, 0, error_r) < 0 ? -1 : 0;
}

static int request_goodbye(struct request_run *run, const char *address, const char **error_r)
{
	const char *vars[] = { "list", run->l.address, "address", address,
		"owner_address", run->addr_owner, "join_address", run->addr_join,
		NULL };

	if (!request_int(run, SETTING_SEND_GOODBYE_MSG))
		return 0;
	return request_mail(run, "goodbye", vars, address, address, NULL,
			    request_same_address(address, run->sender), 0, 0, error_r) < 0 ? -1 : 0;
}

/* The confirmation of a pending request to its address: 1 sent, 0 not, -1 error. */
static int request_send_confirmation(struct request_run *run, const struct store_pending *p,
				     const char **error_r)
{
	char	expires[64], confirm[REQUEST_ADDRESS_MAX], token[80], url[2 * REQUEST_ADDRESS_MAX];
	char	address[REQUEST_ADDRESS_MAX], by[REQUEST_ADDRESS_MAX], kind[16];
	const char *vars[] = { "list", run->l.address, "address", address, "requested_by", by,
		"confirm_address", confirm, "token", token, "expires", expires,
		"request_address", run->addr_request, "confirm_url", url, NULL };

	/* copies: p's strings live until the store's next call */
	snprintf(token, sizeof(token), "%s", p->token);
	snprintf(address, sizeof(address), "%s", p->address);
	snprintf(by, sizeof(by), "%s", *p->requested_by ? p->requested_by : "-");
	snprintf(kind, sizeof(kind), "%s", p->kind);
	snprintf(confirm, sizeof(confirm), "%s-confirm%c%s@%s", run->l.local,
		 run->c->delimiter ? run->c->delimiter : '+', token, run->l.domain);
	/* a link to click: the web page (a GET shows a button, only its POST
	   confirms, so link scanners confirm nothing), else a mailto: link */
	if (run->c->web_base_url != NULL && *run->c->web_base_url) {
		size_t	n = strlen(run->c->web_base_url);

		while (n > 0 && run->c->web_base_url[n - 1] == '/')
			n--;
		snprintf(url, sizeof(url), "%.*s/lists/%s/confirm/%s", (int) n,
			 run->c->web_base_url, run->l.address, token);
	}
	else
		snprintf(url, sizeof(url), "mailto:%s", confirm);
	request_day(p->expires_at, expires, sizeof(expires));
	/* an answer to the requester; to a third party it is news (RFC 3834) */
	return request_mail(run, strcmp(kind, "subscribe") == 0 ? "confirm-subscribe"
			    : "confirm-unsubscribe", vars, address, address, confirm,
			    request_same_address(address, run->sender), 1, 0, error_r);
}

static int request_tell_owners(struct request_run *run, const struct store_pending *p,
			       const char **error_r)
{
	char	expires[64], token[80], address[REQUEST_ADDRESS_MAX], by[REQUEST_ADDRESS_MAX];
	char	kind[16];
	const char *vars[] = { "list", run->l.address, "kind", kind, "address", address,
		"requested_by", by, "token", token, "expires", expires, NULL };

	if (run->l.owners.len == 0) {
		request_note(run, "%s", "the list has no owner to approve the request");
		return 0;
	}
	snprintf(token, sizeof(token), "%s", p->token);
	snprintf(address, sizeof(address), "%s", p->address);
	snprintf(by, sizeof(by), "%s", *p->requested_by ? p->requested_by : "-");
	snprintf(kind, sizeof(kind), "%s", p->kind);
	request_day(p->expires_at, expires, sizeof(expires));
	return request_mail(run, "subscribe-approval", vars, run->addr_owner,
			    buf_str(&run->l.owners), NULL, 0, 0, 0, error_r) < 0 ? -1 : 0;
}

/* ---- loops and abuse (RFC 3834) ----------------------------------------------- */

/* The first word of a field's value, lowercased, into out ("" if absent). */
static void request_field_word(const struct msg *m, const char *name, char *out, size_t size)
{
	long	i = msg_find(m, name, 0);
	const struct msg_field *f;
	size_t	a = 0, n = 0;

	out[0] = 0;
	if (i < 0 || size == 0)
		return;
	f = msg_field(m, (size_t) i);
	while (a < f->value_len && (f->value[a] == ' ' || f->value[a] == '\t'
				    || f->value[a] == '\r' || f->value[a] == '\n'))
		a++;
	for (; a < f->value_len && n + 1 < size; a++) {
		unsigned char ch = f->value[a];

		if (ch == ';' || ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '(')
			break;
		out[n++] = (char) (ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	}
	out[n] = 0;
}

/* Whether address is one of ours: a list's address or role address, or a system one. */
static int request_is_ours(struct post_ctx *c, const char *address)
{
	static const char *const roles[] = {
		"", "-request", "-owner", "-bounces", "-confirm", "-join", "-leave", "-admin", NULL
	};
	const char *at = strrchr(address, '@');
	char	local[LIMIT_LOCAL_PART + 1], list[LIMIT_LOCAL_PART + LIMIT_DOMAIN + 2];
	size_t	n, k, r;
	long long id;
	const char *error;

	if (at == NULL || (n = (size_t) (at - address)) == 0 || n > LIMIT_LOCAL_PART)
		return 0;
	for (k = 0; k < n; k++)
		local[k] = (char) (address[k] >= 'A' && address[k] <= 'Z'
				   ? address[k] - 'A' + 'a' : address[k]);
	local[n] = 0;
	if (strcmp(local, "mailer-daemon") == 0 || strcmp(local, "postmaster") == 0)
		return 1;
	if (c->delimiter && (k = strcspn(local, (char[]) { c->delimiter, 0 })) < n)
		local[n = k] = 0;	/* LIST-bounces+TAG */
	for (r = 0; roles[r] != NULL; r++) {
		size_t	len = strlen(roles[r]);

		if (len >= n || strcmp(local + n - len, roles[r]) != 0)
			continue;
		snprintf(list, sizeof(list), "%.*s@%s", (int) (n - len), local, at + 1);
		if (store_list_id(c->store, list, &id, &error) == STORE_OK)
			return 1;
	}
	return 0;
}

/* NULL if the request may be answered, else the rule that forbids it. */
static const char *request_refused(struct request_run *run)
{
	char	word[32];

	if (*run->in->envelope_from == 0)
		return "a null envelope sender (RFC 3834 section 2: never answered)";
	request_field_word(run->m, "Auto-Submitted", word, sizeof(word));
	if (*word && strcmp(word, "no") != 0)
		return "Auto-Submitted is not \"no\" (RFC 3834 section 2: never answered)";
	request_field_word(run->m, "Precedence", word, sizeof(word));
	if (strcmp(word, "bulk") == 0 || strcmp(word, "junk") == 0 || strcmp(word, "list") == 0)
		return "Precedence bulk, junk or list (RFC 3834 section 2: never answered)";
	/* a list's mail (ours looping back, or another list's): people do
	   not send commands through lists (RFC 3834 section 2: List-*) */
	if (msg_find(run->m, "List-Id", 0) >= 0)
		return "a List-Id field: a list's mail (RFC 3834 section 2: never answered)";
	if (request_is_ours(run->c, run->in->envelope_from) || request_is_ours(run->c, run->sender))
		return "from one of our own addresses (a loop)";
	if (strcmp(run->r->verdict.dmarc, "fail") == 0)
		return "the From failed DMARC (a forgery: never answered nor acted on)";
	return NULL;
}

/* ---- subscribe and unsubscribe -------------------------------------------------- */

/* The argument "address=X" among args, or NULL; *bad_r the first unknown one. */
static const char *request_arg_address(const struct reqparse_cmd *cmd, int allow_digest,
				       int *digest_r, const char **bad_r)
{
	const char *address = NULL;
	size_t	i;

	*bad_r = NULL;
	for (i = 0; i < cmd->nargs; i++) {
		const char *a = cmd->args[i];

		if (strncasecmp(a, "address=", 8) == 0 && a[8])
			address = a + 8;
		else if (allow_digest && strcasecmp(a, "digest") == 0)
			*digest_r = 1;
		else if (allow_digest && strcasecmp(a, "nodigest") == 0)
			*digest_r = 0;
		else if (*bad_r == NULL)
			*bad_r = a;
	}
	return address;
}

/* Re-use a live request: resend its confirmation at most once an hour. */
static int request_again(struct request_run *run, const struct store_pending *p, char *text,
			 size_t size, const char **error_r)
{
	int	sent;
	struct store_pending keep = *p;
	long long id = p->id;

	if (strcmp(p->state, "awaiting_approval") == 0) {
		snprintf(text, size, "the request for %s waits for the owners' approval", p->address);
		return 0;
	}
	if ((long long) run->c->now - p->last_sent_at < REQUEST_RESEND_INTERVAL) {
		snprintf(text, size, "a confirmation was sent to %s less than an hour ago: "
			 "reply to it", p->address);
		return 0;
	}
	snprintf(text, size, "the confirmation was sent to %s again", p->address);
	if ((sent = request_send_confirmation(run, &keep, error_r)) < 0)
		return -1;
	if (sent == 0)
		snprintf(text, size, "a confirmation to %s is pending; it was not sent again now",
			 p->address);
	else if (store_request_sent(run->c->store, id, (long long) run->c->now, error_r)
		 != STORE_OK)
		return -1;
	return 1;
}

/* A new pending request, and its confirmation or owner notice. */
static int request_pend(struct request_run *run, const char *kind, const char *address,
			const char *delivery, const char *state, int needs_approval,
			const char **error_r)
{
	struct store_pending_new n;
	struct store_pending p;
	char   *token = request_token();
	int	ret;
	long	life = run->c->pending_request_life > 0
	    ? run->c->pending_request_life : REQUEST_LIFE_DEFAULT;
	long long id;
	int	sent;

	if (token == NULL) {
		*error_r = "no randomness for a token";
		return -1;
	}
	memset(&n, 0, sizeof(n));
	n.kind = kind;
	n.address = address;
	n.name = "";
	n.delivery = delivery;
	n.token = token;
	n.state = state;
	n.needs_approval = needs_approval;
	n.requested_by = run->sender;
	n.expires_at = (long long) run->c->now + life;
	ret = store_request_add(run->c->store, run->l.address, &n, (long long) run->c->now, error_r)
	    != STORE_OK || store_request_get(run->c->store, token, &p, error_r) != STORE_OK ? -1 : 0;
	free(token);
	if (ret < 0)
		return -1;
	if (strcmp(state, "awaiting_approval") == 0)
		return request_tell_owners(run, &p, error_r);
	id = p.id;
	/* last_sent_at only once it is queued: a retry after a failure here,
	   or a request after the rate limit held it back, sends it at once */
	if ((sent = request_send_confirmation(run, &p, error_r)) < 0)
		return -1;
	if (sent > 0 && store_request_sent(run->c->store, id, (long long) run->c->now, error_r)
	    != STORE_OK)
		return -1;
	return 0;
}

static int request_subscribe(struct request_run *run, const struct reqparse_cmd *cmd,
			     const char **error_r)
{
	struct store_member mb;
	struct store_pending p;
	char	text[600];
	const char *bad, *target;
	const char *delivery = request_int(run, SETTING_NONDIGESTABLE) ? "regular" : "digest";
	int	digest = -1, policy, third, status;

	target = cmd != NULL ? request_arg_address(cmd, 1, &digest, &bad) : (bad = NULL, NULL);
	if (bad != NULL) {
		snprintf(text, sizeof(text), "unknown argument \"%.80s\": use subscribe "
			 "[digest|nodigest] [address=ADDR]", bad);
		request_result(run, "failed", text);
		return 0;
	}
	if (target == NULL)
		target = run->sender;
	if (addr_parse_spec(target, strlen(target), NULL, NULL, &bad) < 0) {
		snprintf(text, sizeof(text), "not an address: %.200s (%s)", target, bad);
		request_result(run, "failed", text);
		return 0;
	}
	if (digest == 1 && !request_int(run, SETTING_DIGESTABLE)) {
		request_result(run, "failed", "this list sends no digests");
		return 0;
	}
	if (digest == 0 && !request_int(run, SETTING_NONDIGESTABLE)) {
		request_result(run, "failed", "this list sends digests only");
		return 0;
	}
	if (digest == 1)
		delivery = "digest";
	else if (digest == 0)
		delivery = "regular";
	third = !request_same_address(target, run->sender);
	if (third)
		run->third_party = 1;
	status = store_member_get(run->c->store, run->l.address, target, &mb, error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status == STORE_OK) {
		snprintf(text, sizeof(text), "%.320s is already a member", target);
		request_result(run, "ignored", text);
		request_note(run, "%s", text);
		return 0;
	}
	status = store_request_find_live(run->c->store, run->l.address, "subscribe", target,
					 (long long) run->c->now, &p, error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status == STORE_OK) {
		if (request_again(run, &p, text, sizeof(text), error_r) < 0)
			return -1;
		request_result(run, "ignored", text);
		request_note(run, "%s", text);
		return 0;
	}
	policy = (int) request_int(run, SETTING_SUBSCRIBE_POLICY);
	if (policy == 0 && !run->c->allow_open_subscribe)
		policy = 1;		/* the site does not allow open lists */
	if (third && (policy == 0 || policy == 2))
		policy = policy == 0 ? 1 : 3;	/* the address itself must agree */
	if (policy == 0) {
		struct store_new_member nm;

		memset(&nm, 0, sizeof(nm));
		nm.address = target;
		nm.delivery = delivery;
		nm.moderated = -1;
		if (store_member_add(run->c->store, run->l.address, &nm, 1, error_r) != STORE_OK)
			return -1;
		snprintf(text, sizeof(text), "%.320s is now a member (subscribe_policy 0)", target);
		request_result(run, "processed", text);
		request_note(run, "%s", text);
		return request_welcome(run, target, error_r);
	}
	if (request_pend(run, "subscribe", target, delivery,
			 policy == 2 ? "awaiting_approval" : "awaiting_confirmation",
			 policy == 3, error_r) < 0)
		return -1;
	if (policy == 2)
		snprintf(text, sizeof(text), "the subscription of %.320s waits for the owners' "
			 "approval (subscribe_policy 2)", target);
	else
		snprintf(text, sizeof(text), "a confirmation was sent to %.320s", target);
	request_result(run, "processed", text);
	request_note(run, "%s", text);
	return 0;
}

static int request_unsubscribe(struct request_run *run, const struct reqparse_cmd *cmd,
			       const char **error_r)
{
	struct store_member mb;
	struct store_pending p;
	char	text[600];
	const char *bad, *target;
	int	digest, own, approve, status;

	target = cmd != NULL ? request_arg_address(cmd, 0, &digest, &bad) : (bad = NULL, NULL);
	if (bad != NULL) {
		snprintf(text, sizeof(text), "unknown argument \"%.80s\": use unsubscribe "
			 "[address=ADDR]", bad);
		request_result(run, "failed", text);
		return 0;
	}
	if (target == NULL)
		target = run->sender;
	own = request_same_address(target, run->sender);
	status = store_member_get(run->c->store, run->l.address, target, &mb, error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status != STORE_OK) {
		/* about another address, say nothing that tells who is a member */
		snprintf(text, sizeof(text), own ? "%.320s is not a member"
			 : "if %.320s is a member, a confirmation was sent to it", target);
		request_result(run, own ? "failed" : "processed", text);
		request_note(run, "%s", own ? text : "unsubscribe of a non-member ignored");
		return 0;
	}
	status = store_request_find_live(run->c->store, run->l.address, "unsubscribe", target,
					 (long long) run->c->now, &p, error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status == STORE_OK) {
		if (request_again(run, &p, text, sizeof(text), error_r) < 0)
			return -1;
		request_result(run, "ignored", own ? text : "a confirmation is pending");
		request_note(run, "%s", text);
		return 0;
	}
	approve = request_int(run, SETTING_UNSUBSCRIBE_POLICY) == 1;
	/* the member's own address, authenticated: no confirmation needed */
	if (own && strcmp(run->r->verdict.dmarc, "pass") == 0) {
		if (approve) {
			if (request_pend(run, "unsubscribe", target, "regular", "awaiting_approval",
					 0, error_r) < 0)
				return -1;
			request_result(run, "processed", "your unsubscription waits for the owners' "
				       "approval (unsubscribe_policy 1)");
			request_note(run, "%s", "unsubscription awaits approval");
			return 0;
		}
		if (store_member_remove(run->c->store, run->l.address, &target, 1, error_r)
		    != STORE_OK)
			return -1;
		snprintf(text, sizeof(text), "%.320s is no longer a member", target);
		request_result(run, "processed", text);
		request_note(run, "%s", text);
		return request_goodbye(run, target, error_r);
	}
	if (request_pend(run, "unsubscribe", target, "regular", "awaiting_confirmation",
			 approve, error_r) < 0)
		return -1;
	snprintf(text, sizeof(text), own ? "a confirmation was sent to %.320s"
		 : "if %.320s is a member, a confirmation was sent to it", target);
	request_result(run, "processed", text);
	request_note(run, "%s", "unsubscription confirmation sent");
	return 0;
}

/* ---- confirm ------------------------------------------------------------------------ */

static int request_confirm(struct request_run *run, const char *token, const char **error_r)
{
	struct store_pending p;
	char	text[600], when[64], kind[16], address[LIMIT_LOCAL_PART + LIMIT_DOMAIN + 2];
	long long id;
	int	status, changed = 0, needs_approval;

	if (token == NULL || *token == 0) {
		request_result(run, "failed", "confirm needs the token: confirm TOKEN");
		return 0;
	}
	status = store_request_get(run->c->store, token, &p, error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status != STORE_OK) {
		request_result(run, "failed", "no such confirmation token: it may be mistyped, or "
			       "long expired; send the request again");
		request_note(run, "%s", "confirm: unknown token");
		return 0;
	}
	if (strcasecmp(p.list, run->l.address) != 0) {
		request_result(run, "failed", "this token belongs to another list: reply to the "
			       "confirmation mail itself");
		request_note(run, "%s", "confirm: a token of another list");
		return 0;
	}
	if (strcmp(p.state, "done") == 0 || strcmp(p.state, "rejected") == 0) {
		request_result(run, "failed", strcmp(p.state, "done") == 0
			       ? "this token was used already" : "the owners refused this request");
		request_note(run, "%s", "confirm: a used token");
		return 0;
	}
	if (strcmp(p.state, "expired") == 0 || p.expires_at <= (long long) run->c->now) {
		request_day(p.expires_at, when, sizeof(when));
		snprintf(text, sizeof(text), "this token expired on %s: send the request again",
			 when);
		request_result(run, "failed", text);
		request_note(run, "%s", "confirm: an expired token");
		return 0;
	}
	if (strcmp(p.state, "awaiting_approval") == 0) {
		request_result(run, "ignored", "confirmed already: the request waits for the "
			       "owners' approval");
		return 0;
	}
	id = p.id;
	needs_approval = p.needs_approval;
	snprintf(kind, sizeof(kind), "%s", p.kind);
	snprintf(address, sizeof(address), "%s", p.address);
	if (needs_approval) {
		struct store_pending keep;

		if ((status = store_request_move(run->c->store, id, "awaiting_confirmation",
						 "awaiting_approval", (long long) run->c->now,
						 error_r)) == STORE_ERROR)
			return -1;
		if (status != STORE_OK) {
			request_result(run, "failed", "this token was used already");
			return 0;
		}
		if (store_request_get(run->c->store, token, &keep, error_r) != STORE_OK
		    || request_tell_owners(run, &keep, error_r) < 0)
			return -1;
		snprintf(text, sizeof(text), "confirmed: the %s of %s now waits for the owners' "
			 "approval", strcmp(kind, "subscribe") == 0 ? "subscription"
			 : "unsubscription", address);
		request_result(run, "processed", text);
		request_note(run, "%s", text);
		return 0;
	}
	status = store_request_complete(run->c->store, id, "awaiting_confirmation",
					(int) request_int(run, SETTING_DEFAULT_MEMBER_MODERATION),
					(long long) run->c->now, &changed, error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status != STORE_OK) {
		request_result(run, "failed", "this token was used already");
		return 0;
	}
	if (strcmp(kind, "subscribe") == 0) {
		snprintf(text, sizeof(text), changed ? "%s is now a member"
			 : "%s was a member already", address);
		request_result(run, "processed", text);
		request_note(run, "%s", text);
		return changed ? request_welcome(run, address, error_r) : 0;
	}
	snprintf(text, sizeof(text), changed ? "%s is no longer a member" : "%s was not a member",
		 address);
	request_result(run, "processed", text);
	request_note(run, "%s", text);
	return changed ? request_goodbye(run, address, error_r) : 0;
}

/* ---- set ------------------------------------------------------------------------------- */

static int request_onoff(const char *word)
{
	if (word == NULL)
		return -1;
	if (strcasecmp(word, "on") == 0 || strcasecmp(word, "yes") == 0)
		return 1;
	if (strcasecmp(word, "off") == 0 || strcasecmp(word, "no") == 0)
		return 0;
	return -1;
}

static int request_set(struct request_run *run, const struct reqparse_cmd *cmd,
		       const char **error_r)
{
	static const char usage[] = "use set delivery on|off, set digest plain|mime|off, "
	    "set ack on|off, set myposts on|off or set show";
	struct store_member_options o;
	enum store_member_option opt;
	const char *what = cmd->nargs > 0 ? cmd->args[0] : "";
	const char *arg = cmd->nargs > 1 ? cmd->args[1] : NULL;
	char	text[600];
	int	value, status;

	status = store_request_member_options(run->c->store, run->l.address, run->sender, &o,
					      error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status != STORE_OK) {
		snprintf(text, sizeof(text), "%.320s is not a member", run->sender);
		request_result(run, "failed", text);
		return 0;
	}
	if (strcasecmp(what, "show") == 0) {
		snprintf(text, sizeof(text), "delivery %s%s%s, digest %s, ack %s, myposts %s",
			 strcmp(o.status, "enabled") == 0 ? "on" : "off",
			 *o.disabled_by ? " (disabled by " : "", *o.disabled_by ? o.disabled_by : "",
			 strcmp(o.delivery, "digest") == 0 ? "on" : "off", o.ack ? "on" : "off",
			 o.myposts ? "on" : "off");
		if (*o.disabled_by) {
			size_t	n = strlen(text);
			char   *comma = strchr(text, ',');

			/* close the parenthesis after "disabled by X" */
			if (comma != NULL && n + 1 < sizeof(text)) {
				memmove(comma + 1, comma, n - (size_t) (comma - text) + 1);
				*comma = ')';
			}
		}
		request_result(run, "processed", text);
		return 0;
	}
	if (strcasecmp(what, "delivery") == 0) {
		opt = STORE_OPTION_DELIVERY;
		value = request_onoff(arg);
	} else if (strcasecmp(what, "digest") == 0) {
		opt = STORE_OPTION_DIGEST;
		value = arg == NULL ? -1 : strcasecmp(arg, "plain") == 0
		    || strcasecmp(arg, "mime") == 0 ? 1 : strcasecmp(arg, "off") == 0 ? 0 : -1;
		if (value == 1 && !request_int(run, SETTING_DIGESTABLE)) {
			request_result(run, "failed", "this list sends no digests");
			return 0;
		}
		if (value == 0 && !request_int(run, SETTING_NONDIGESTABLE)) {
			request_result(run, "failed", "this list sends digests only");
			return 0;
		}
	} else if (strcasecmp(what, "ack") == 0) {
		opt = STORE_OPTION_ACK;
		value = request_onoff(arg);
	} else if (strcasecmp(what, "myposts") == 0) {
		opt = STORE_OPTION_MYPOSTS;
		value = request_onoff(arg);
	} else
		value = -1, opt = STORE_OPTION_ACK;
	if (value < 0) {
		request_result(run, "failed", usage);
		return 0;
	}
	status = store_request_member_set(run->c->store, run->l.address, run->sender, opt, value,
					  error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status != STORE_OK) {
		request_result(run, "failed", *error_r);
		return 0;
	}
	snprintf(text, sizeof(text), "%s %s", what, arg);
	request_result(run, "processed", text);
	return 0;
}

/* ---- help, info, lists, who ----------------------------------------------------------- */

static int request_help(struct request_run *run, const char **error_r)
{
	const char *vars[] = { "list", run->l.address, "request_address", run->addr_request,
		"join_address", run->addr_join, "leave_address", run->addr_leave,
		"owner_address", run->addr_owner, NULL };

	if (request_text(run, "help", vars, error_r) < 0)
		return -1;
	request_result(run, "processed", "help sent");
	return 0;
}

static int request_info(struct request_run *run, const char **error_r)
{
	const char *vars[] = { "list", run->l.address,
		"description", run->l.value[SETTING_DESCRIPTION], "info", run->l.value[SETTING_INFO],
		"post_address", run->l.address, "request_address", run->addr_request,
		"owner_address", run->addr_owner, NULL };

	if (request_text(run, "info", vars, error_r) < 0)
		return -1;
	request_result(run, "processed", "info sent");
	return 0;
}

struct request_names {
	struct buf *out;
	size_t	n;
};

static int request_list_line(const struct store_list *l, void *ctx)
{
	struct request_names *w = ctx;

	buf_printf(w->out, "    %s\n", l->address);
	w->n++;
	return 0;
}

static int request_lists(struct request_run *run, const char **error_r)
{
	struct request_names w = { &run->reply, 0 };

	/* every list is advertised for now (no "advertised" setting yet) */
	if (store_list_each(run->c->store, request_list_line, &w, error_r) != STORE_OK)
		return -1;
	request_result(run, "processed", w.n == 1 ? "1 list" : "the lists above");
	return 0;
}

static int request_member_line(const struct store_member *m, void *ctx)
{
	struct request_names *w = ctx;

	if (w->n++ < REQUEST_WHO_MAX)
		buf_printf(w->out, "    %s\n", m->address);
	return 0;
}

static int request_who(struct request_run *run, const char **error_r)
{
	static const char *const who_may[] = { "anyone", "members only", "the owners only" };
	struct request_names w = { &run->reply, 0 };
	long	roster = request_int(run, SETTING_PRIVATE_ROSTER);
	char	text[128];

	if (roster != 0) {
		snprintf(text, sizeof(text), "the member list is private (private_roster %ld: %s)",
			 roster, who_may[roster >= 0 && roster <= 2 ? roster : 2]);
		request_result(run, "failed", text);
		return 0;
	}
	if (store_member_each(run->c->store, run->l.address, request_member_line, &w, error_r)
	    != STORE_OK)
		return -1;
	snprintf(text, sizeof(text), "%zu member%s%s", w.n, w.n == 1 ? "" : "s",
		 w.n > REQUEST_WHO_MAX ? " (the first 1000 listed)" : "");
	request_result(run, "processed", text);
	return 0;
}

/* ---- one command -------------------------------------------------------------------- */

static int request_command(struct request_run *run, const struct reqparse_cmd *cmd,
			   const char **error_r)
{
	size_t	i;

	if (cmd->verb != REQ_SUBSCRIBE && cmd->verb != REQ_UNSUBSCRIBE && cmd->verb != REQ_CONFIRM
	    && cmd->verb != REQ_END)
		run->informative = 1;

	buf_printf(&run->reply, "%s>>> %s\n", run->reply.len > 0 ? "\n" : "", cmd->line != NULL ? cmd->line : reqparse_verb_name(cmd->verb));
	switch (cmd->verb) {
	case REQ_HELP:
		return request_help(run, error_r);
	case REQ_INFO:
		return request_info(run, error_r);
	case REQ_LISTS:
		return request_lists(run, error_r);
	case REQ_WHO:
		return request_who(run, error_r);
	case REQ_SUBSCRIBE:
		return request_subscribe(run, cmd, error_r);
	case REQ_UNSUBSCRIBE:
		return request_unsubscribe(run, cmd, error_r);
	case REQ_CONFIRM:
		return request_confirm(run, cmd->nargs > 0 ? cmd->args[0] : NULL, error_r);
	case REQ_SET:
		return request_set(run, cmd, error_r);
	case REQ_ECHO:
		buf_append_str(&run->reply, "   ");
		for (i = 0; i < cmd->nargs; i++)
			buf_printf(&run->reply, " %s", cmd->args[i]);
		buf_append_str(&run->reply, "\n");
		request_result(run, "processed", "echoed");
		return 0;
	case REQ_END:
		request_result(run, "processed", "the rest of the mail is ignored");
		run->stop = 1;
		return 0;
	}
	request_result(run, "failed", "unknown command");
	return 0;
}

/* ---- the whole request ---------------------------------------------------------------- */

/* The reply, summarising every command, to the requester. */
static int request_send_reply(struct request_run *run, const struct reqparse_result *cmds,
			      const char **error_r)
{
	size_t	i;
	const char *vars[] = { "list", run->l.address, "results", NULL,
		"request_address", run->addr_request,
		"owner_address", run->addr_owner, NULL };

	if (cmds != NULL && cmds->nignored > 0) {
		buf_append_str(&run->reply, "\n- Ignored lines (not commands):\n");
		for (i = 0; i < cmds->nignored; i++)
			buf_printf(&run->reply, "    %s\n", cmds->ignored[i]);
		if (cmds->junk > cmds->nignored)
			buf_printf(&run->reply, "    ... and %zu more\n", cmds->junk - cmds->nignored);
	}
	if (cmds != NULL && cmds->n == 0)
		buf_append_str(&run->reply, "No command was found in your mail.  Send the word "
			       "\"help\" for the commands.\n");
	buf_printf(&run->reply, "\n- Done: %zu processed, %zu failed.\n", run->done, run->failed);
	if (buf_failed(&run->reply)) {
		*error_r = "the reply is too large";
		return -1;
	}
	vars[3] = buf_str(&run->reply);
	return request_mail(run, "command-results", vars, run->sender, run->sender, NULL, 1, 1, 1,
			    error_r) < 0 ? -1 : 0;
}

int request_process(struct post_ctx *c, const struct store_inbox_msg *in,
		    const struct store_rcpt *rc, const struct msg *m,
		    const struct reqparse_result *cmds, struct post_result *r,
		    const char **error_r)
{
	struct request_run run;
	const char *why;
	char   *sender;
	size_t	i;
	int	ret = 0;

	memset(&run, 0, sizeof(run));
	run.c = c;
	run.in = in;
	run.rc = rc;
	run.m = m;
	run.r = r;
	buf_init(&run.reply, REQUEST_REPLY_MAX);
	buf_init(&run.notes, 4096);
	sender = *r->verdict.author_address ? r->verdict.author_address : in->envelope_from;
	run.sender = sender;
	if (request_list_load(c, rc->list, rc->list_id, &run.l, error_r) < 0) {
		ret = -1;
		goto out;
	}
	if (request_addresses(&run) < 0) {
		*error_r = "out of memory";
		ret = -1;
		goto out;
	}
	if ((why = request_refused(&run)) != NULL) {
		char	reason[400];

		snprintf(reason, sizeof(reason), "not answered: %s", why);
		post_outcome(r, "discarded", reason);
		goto out;
	}
	if (store_request_prune(c->store, (long long) c->now, error_r) != STORE_OK) {
		ret = -1;
		goto out;
	}
	run.msgid = request_own(r, post_message_id(m));
	if (strcmp(rc->role, "join") == 0)
		ret = request_subscribe(&run, NULL, error_r);
	else if (strcmp(rc->role, "leave") == 0)
		ret = request_unsubscribe(&run, NULL, error_r);
	else if (strcmp(rc->role, "confirm") == 0)
		ret = request_confirm(&run, rc->tag, error_r);
	else
		for (i = 0; cmds != NULL && i < cmds->n && ret == 0 && !run.stop; i++)
			ret = request_command(&run, &cmds->cmds[i], error_r);
	if (ret < 0)
		goto out;
	/* one answer: the results, unless the mail a command sent (the
	   confirmation, welcome, goodbye) already says everything */
	if (run.third_party)
		request_note(&run, "%s", "no reply: a subscription of another address");
	else if (run.mailed_sender && run.failed == 0 && run.ignored == 0 && !run.informative
		 && (cmds == NULL || cmds->nignored == 0))
		request_note(&run, "%s", "answered by the command's own mail");
	else
		ret = request_send_reply(&run, cmds, error_r);
	if (ret == 0) {
		if (cmds != NULL && cmds->stopped_by != NULL && run.notes.len == 0)
			request_note(&run, "stopped by %s", cmds->stopped_by);
		post_outcome(r, "done", run.notes.len ? buf_str(&run.notes)
				: "commands answered");
	}
out:
	request_list_free(&run.l);
	buf_free(&run.reply);
	buf_free(&run.notes);
	return ret;
}

int request_handle(struct post_ctx *c, const struct store_inbox_msg *in,
		   const struct store_rcpt *rc, const struct msg *m, struct post_result *r,
		   const char **error_r)
{
	struct reqparse_result *cmds = NULL;
	size_t	max = c->request_max_commands > 0 ? c->request_max_commands
	    : REQUEST_COMMANDS_DEFAULT;
	int	ret;

	if (strcmp(rc->role, "request") != 0)
		return request_process(c, in, rc, m, NULL, r, error_r);
	if (reqparse_message(m, max, REQUEST_MAX_JUNK, &cmds, error_r) < 0)
		return -1;
	ret = request_process(c, in, rc, m, cmds, r, error_r);
	reqparse_free(cmds);
	return ret;
}

/* ---- an owner's decision --------------------------------------------------------------- */

int request_decide(struct post_ctx *c, const char *token, const char *action,
		   const char **error_r)
{
	struct store_pending p;
	struct store_inbox_msg in;
	struct store_rcpt rc;
	struct post_result r;
	struct request_run run;
	char	kind[16], address[LIMIT_LOCAL_PART + LIMIT_DOMAIN + 2];
	size_t	i;
	int	status, changed = 0;

	if (strcmp(action, "approve") != 0 && strcmp(action, "reject") != 0) {
		*error_r = "the decision must be approve or reject";
		return STORE_INVALID;
	}
	if ((status = store_request_get(c->store, token, &p, error_r)) != STORE_OK)
		return status;
	if (strcmp(p.state, "awaiting_approval") != 0 || p.expires_at <= (long long) c->now) {
		*error_r = "the request does not wait for approval (done, refused or expired)";
		return STORE_NOT_FOUND;
	}
	if (strcmp(action, "reject") == 0)
		return store_request_move(c->store, p.id, "awaiting_approval", "rejected",
					  (long long) c->now, error_r);
	snprintf(kind, sizeof(kind), "%s", p.kind);
	snprintf(address, sizeof(address), "%s", p.address);
	memset(&in, 0, sizeof(in));
	memset(&rc, 0, sizeof(rc));
	rc.list = p.list;
	memset(&run, 0, sizeof(run));
	post_result_init(&r);
	run.c = c;
	run.in = &in;
	run.rc = &rc;
	run.r = &r;
	run.sender = "";
	buf_init(&run.reply, REQUEST_REPLY_MAX);
	buf_init(&run.notes, 4096);
	rc.list = request_own(&r, strdup(p.list));
	if (rc.list == NULL || store_list_id(c->store, rc.list, &rc.list_id, error_r) != STORE_OK
	    || request_list_load(c, rc.list, rc.list_id, &run.l, error_r) < 0)
		status = STORE_ERROR;
	else if (request_addresses(&run) < 0) {
		*error_r = "out of memory";
		status = STORE_ERROR;
	}
	if (status == STORE_OK)
		status = store_request_complete(c->store, p.id, "awaiting_approval",
						(int) request_int(&run,
								  SETTING_DEFAULT_MEMBER_MODERATION),
						(long long) c->now, &changed, error_r);
	if (status == STORE_OK && changed
	    && (strcmp(kind, "subscribe") == 0 ? request_welcome(&run, address, error_r)
		: request_goodbye(&run, address, error_r)) < 0)
		status = STORE_ERROR;
	for (i = 0; status == STORE_OK && i < r.outcome.noutbound; i++)
		status = store_outbound_add(c->store, &r.rows[i], (long long) c->now, NULL, error_r);
	request_list_free(&run.l);
	buf_free(&run.reply);
	buf_free(&run.notes);
	post_result_free(&r);
	return status;
}

/* ---- the web's subscriber pages --------------------------------------------------- */

/* A member leaves by one-click unsubscribe (RFC 8058). */
static int request_oneclick(struct request_run *run, const char *address, const char **error_r)
{
	char	text[600];
	int	status;

	status = store_member_remove(run->c->store, run->l.address, &address, 1, error_r);
	if (status == STORE_ERROR)
		return -1;
	if (status != STORE_OK) {
		/* gone already (a second click, an earlier unsubscribe): done too */
		snprintf(text, sizeof(text), "%.320s was not a member", address);
		request_result(run, "processed", text);
		return 0;
	}
	snprintf(text, sizeof(text), "%.320s is no longer a member", address);
	request_result(run, "processed", text);
	return request_goodbye(run, address, error_r);
}

int request_web(struct post_ctx *c, const char *list, enum request_web_action action,
		const char *arg, int digest, char *text, size_t size, size_t *queued_r,
		const char **error_r)
{
	struct store_inbox_msg in;
	struct store_rcpt rc;
	struct post_result r;
	struct request_run run;
	struct reqparse_cmd cmd;
	size_t	i, n;
	int	status = STORE_OK;
	const char *p;

	if (queued_r != NULL)
		*queued_r = 0;
	memset(&in, 0, sizeof(in));
	memset(&rc, 0, sizeof(rc));
	memset(&run, 0, sizeof(run));
	post_result_init(&r);
	run.c = c;
	run.in = &in;
	run.rc = &rc;
	run.r = &r;
	run.sender = "";		/* nobody: every address is a third party's */
	buf_init(&run.reply, REQUEST_REPLY_MAX);
	buf_init(&run.notes, 4096);
	if ((rc.list = request_own(&r, strdup(list))) == NULL) {
		*error_r = "out of memory";
		status = STORE_ERROR;
	} else if ((status = store_list_id(c->store, rc.list, &rc.list_id, error_r)) != STORE_OK)
		;
	else if (request_list_load(c, rc.list, rc.list_id, &run.l, error_r) < 0)
		status = STORE_ERROR;
	else if (request_addresses(&run) < 0) {
		*error_r = "out of memory";
		status = STORE_ERROR;
	}
	if (status == STORE_OK && store_request_prune(c->store, (long long) c->now, error_r)
	    != STORE_OK)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		int	ret = 0;
		char   *address_arg = NULL;

		switch (action) {
		case REQUEST_WEB_SUBSCRIBE:
			memset(&cmd, 0, sizeof(cmd));
			cmd.verb = REQ_SUBSCRIBE;
			cmd.word = "subscribe";
			n = strlen(arg) + 9;
			if ((address_arg = malloc(n)) == NULL) {
				*error_r = "out of memory";
				ret = -1;
				break;
			}
			snprintf(address_arg, n, "address=%s", arg);
			cmd.args[cmd.nargs++] = address_arg;
			if (digest)
				cmd.args[cmd.nargs++] = "digest";
			ret = request_subscribe(&run, &cmd, error_r);
			break;
		case REQUEST_WEB_CONFIRM:
			ret = request_confirm(&run, arg, error_r);
			break;
		case REQUEST_WEB_ONECLICK:
			ret = request_oneclick(&run, arg, error_r);
			break;
		}
		free(address_arg);
		if (ret < 0)
			status = STORE_ERROR;
	}
	for (i = 0; status == STORE_OK && i < r.outcome.noutbound; i++)
		status = store_outbound_add(c->store, &r.rows[i], (long long) c->now, NULL, error_r);
	if (status == STORE_OK && queued_r != NULL)
		*queued_r = r.outcome.noutbound;
	if (status == STORE_OK) {
		/* "    processed: TEXT\n" -> "processed: TEXT" */
		p = buf_str(&run.reply);
		p += strspn(p, " ");
		n = strcspn(p, "\n");
		snprintf(text, size, "%.*s", (int) n, p);
	}
	request_list_free(&run.l);
	buf_free(&run.reply);
	buf_free(&run.notes);
	post_result_free(&r);
	return status;
}
