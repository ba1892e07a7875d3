/*
 * NAME
 *	deliver 3
 * SUMMARY
 *	SMTP delivery to the relay over libcurl
 * DESCRIPTION
 *	libcurl speaks the protocol; this file configures it, feeds it the
 *	message and listens to the conversation.  libcurl reports only one
 *	result per transfer, but hands every command it sends
 *	(CURLINFO_HEADER_OUT) and every reply line it reads
 *	(CURLINFO_HEADER_IN) to the debug callback.  libcurl does not
 *	pipeline RCPT (it waits for each reply before the next command), so
 *	replies come back in command order and the n-th RCPT reply belongs to
 *	the n-th recipient.  That gives per-recipient codes in a batched
 *	transaction, which CURLINFO_RESPONSE_CODE (the last reply only)
 *	cannot.
 *
 *	CURLOPT_MAIL_RCPT_ALLOWFAILS (7.69) makes libcurl carry on past a
 *	refused RCPT; without it one 550 would abort the whole batch.
 *
 *	libcurl limits seen with 7.88: no RCPT pipelining (one round trip
 *	per recipient); any transfer that ends in error (every RCPT refused,
 *	DATA or the message refused) makes libcurl QUIT and close, so the
 *	next transaction opens a new connection (and redoes TLS and AUTH).
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf/buf.h"
#include "deliver.h"

#if LIBCURL_VERSION_NUM < 0x074500
#error "libcurl 7.69 or later is needed for CURLOPT_MAIL_RCPT_ALLOWFAILS"
#endif
/* Spelt with three L's until libcurl 8.2 (Debian 12 has 7.88). */
#if LIBCURL_VERSION_NUM < 0x080200
#define RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLLOWFAILS
#else
#define RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLOWFAILS
#endif

/* What the conversation is waiting for: the step of the last command. */
enum await {
	AWAIT_OTHER,		/* greeting, EHLO, STARTTLS, QUIT, ... */
	AWAIT_AUTH,
	AWAIT_MAIL,
	AWAIT_RCPT,
	AWAIT_DATA,
	AWAIT_EOD,
	AWAIT_QUIT,		/* libcurl closing after a failure: its
				   221 must not hide the reply that mattered */
};

/* One reply as the step it answered saw it. */
struct reply {
	int	code;		/* 0: none */
	char	text[DELIVER_TEXT_SIZE];
};

/* What the debug callback learns during one transaction. */
struct capture {
	enum await await;
	struct buf line;	/* the reply being read, lines joined */
	struct deliver_result *res;
	size_t	next_rcpt;	/* index of the recipient the next RCPT
				   reply belongs to */
	int	auth_sent;	/* this transaction sent AUTH */
	struct reply mail, data, eod, auth, last;
};

struct deliver_conn {
	CURL	*curl;
	char	*url;		/* relay "/" helo: libcurl takes the EHLO
				   name from the URL path */
	char	*user, *password, *ca_file;
	char	errbuf[CURL_ERROR_SIZE];
	const unsigned char *msg;	/* the message being sent */
	size_t	msg_len, msg_off;
	struct capture cap;
};

int
deliver_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
deliver_global_cleanup(void)
{
	curl_global_cleanup();
}

const char *
deliver_outcome_name(enum deliver_outcome o)
{
	switch (o) {
	case DELIVER_DELIVERED: return "delivered";
	case DELIVER_TEMPFAIL: return "tempfail";
	case DELIVER_PERMFAIL: return "permfail";
	}
	return "?";
}

const char *
deliver_failure_name(enum deliver_failure f)
{
	static const char *const names[] = {
		"none", "connect", "tls", "auth", "lost", "timeout", "reply",
		"local",
	};

	return (size_t)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

/* Copy src into a fixed array, cut to fit; NUL-terminated. */
static void
copy_text(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static char *
dup_or_null(const char *s, int *failed)
{
	char   *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*failed = 1;
	return d;
}

/* ---- configuration ----------------------------------------------------- */

/* An EHLO name: a domain or an address literal, nothing URL-special. */
static int
helo_ok(const char *h)
{
	if (*h == '\0' || strlen(h) > LIMIT_DOMAIN)
		return 0;
	return strspn(h, "abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-[]:") == strlen(h);
}

/* "smtp[s]://host[:port][/]" -- the path is ours, for the EHLO name. */
static const char *
check_relay(const char *relay, int *implicit_tls)
{
	const char *rest;

	if (relay == NULL)
		return "no relay URL";
	if (strncmp(relay, "smtp://", 7) == 0) {
		rest = relay + 7;
		*implicit_tls = 0;
	} else if (strncmp(relay, "smtps://", 8) == 0) {
		rest = relay + 8;
		*implicit_tls = 1;
	} else
		return "relay must be an smtp:// or smtps:// URL";
	if (*rest == '\0' || *rest == '/')
		return "relay URL has no host";
	rest += strcspn(rest, "/");
	if (rest[0] == '/' && rest[1] != '\0')
		return "relay URL must not have a path (the EHLO name goes there)";
	if (strpbrk(relay, " \t\r\n") != NULL)
		return "white space in relay URL";
	return NULL;
}

static const char *
check_config(const struct deliver_config *cfg, int *implicit_tls)
{
	const char *err;

	if ((err = check_relay(cfg->relay, implicit_tls)) != NULL)
		return err;
	if (cfg->helo != NULL && !helo_ok(cfg->helo))
		return "bad EHLO name";
	if ((cfg->user == NULL) != (cfg->password == NULL))
		return "AUTH needs both user and password";
	/* The password must not cross the network in clear by accident. */
	if (cfg->user != NULL && !*implicit_tls && !cfg->allow_plain_auth &&
	    cfg->starttls != DELIVER_STARTTLS_REQUIRED)
		return "AUTH without TLS: set starttls required or use smtps://";
	return NULL;
}

/* relay (without a trailing '/') + "/" + helo. */
static char *
make_url(const char *relay, const char *helo)
{
	struct buf b;
	size_t	len = strlen(relay);

	buf_init(&b, 4096);
	if (len > 0 && relay[len - 1] == '/')
		len--;
	buf_append(&b, relay, len);
	buf_append_byte(&b, '/');
	if (helo != NULL)
		buf_append_str(&b, helo);
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, &len);
}

static long
ms_or(long ms, long dflt)
{
	return ms > 0 ? ms : dflt;
}

static int debug_cb(CURL *, curl_infotype, char *, size_t, void *);
static size_t read_cb(char *, size_t, size_t, void *);

static long
use_ssl(const struct deliver_config *cfg, int implicit_tls)
{
	if (implicit_tls)
		return (long)CURLUSESSL_ALL;
	switch (cfg->starttls) {
	case DELIVER_STARTTLS_OFF: return (long)CURLUSESSL_NONE;
	case DELIVER_STARTTLS_OPTIONAL: return (long)CURLUSESSL_TRY;
	case DELIVER_STARTTLS_REQUIRED: break;
	}
	return (long)CURLUSESSL_ALL;
}

/* Options that hold for every transaction on this handle. */
static int
setup_handle(struct deliver_conn *c, const struct deliver_config *cfg,
	     int implicit_tls)
{
	CURL   *h = c->curl;
	long	reply_s = (ms_or(cfg->reply_timeout_ms, 300000) + 999) / 1000;
	int	bad = 0;

#define SET(opt, val)	(bad |= curl_easy_setopt(h, opt, val) != CURLE_OK)
	SET(CURLOPT_URL, c->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	SET(CURLOPT_NOSIGNAL, 1L);	/* threads: no SIGALRM for DNS */
	SET(CURLOPT_ERRORBUFFER, c->errbuf);
	/* The final "." goes out in its own write; Nagle would hold it
	   back for the relay's delayed ACK, ~40 ms a message. */
	SET(CURLOPT_TCP_NODELAY, 1L);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_MAXCONNECTS, 1L);	/* one handle, one connection */
	SET(CURLOPT_CONNECTTIMEOUT_MS, ms_or(cfg->connect_timeout_ms, 30000));
	SET(CURLOPT_TIMEOUT_MS, ms_or(cfg->total_timeout_ms, 600000));
	SET(CURLOPT_SERVER_RESPONSE_TIMEOUT, reply_s);
	SET(CURLOPT_USE_SSL, use_ssl(cfg, implicit_tls));
	SET(CURLOPT_SSL_VERIFYPEER, cfg->tls_verify ? 1L : 0L);
	SET(CURLOPT_SSL_VERIFYHOST, cfg->tls_verify ? 2L : 0L);
	if (c->ca_file != NULL)
		SET(CURLOPT_CAINFO, c->ca_file);
	if (c->user != NULL) {
		SET(CURLOPT_USERNAME, c->user);
		SET(CURLOPT_PASSWORD, c->password);
	}
	SET(RCPT_ALLOWFAILS, 1L);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, read_cb);
	SET(CURLOPT_READDATA, c);
	SET(CURLOPT_VERBOSE, 1L);	/* needed for the debug callback */
	SET(CURLOPT_DEBUGFUNCTION, debug_cb);
	SET(CURLOPT_DEBUGDATA, &c->cap);
#undef SET
	return bad ? -1 : 0;
}

struct deliver_conn *
deliver_conn_new(const struct deliver_config *cfg, const char **error_r)
{
	struct deliver_conn *c;
	int	implicit_tls = 0, failed = 0;

	if ((*error_r = check_config(cfg, &implicit_tls)) != NULL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		*error_r = "out of memory";
		return NULL;
	}
	c->url = make_url(cfg->relay, cfg->helo);
	c->user = dup_or_null(cfg->user, &failed);
	c->password = dup_or_null(cfg->password, &failed);
	c->ca_file = dup_or_null(cfg->ca_file, &failed);
	buf_init(&c->cap.line, LIMIT_DELIVER_REPLY);
	if (failed || c->url == NULL || (c->curl = curl_easy_init()) == NULL) {
		*error_r = "out of memory";
		deliver_conn_free(c);
		return NULL;
	}
	if (setup_handle(c, cfg, implicit_tls) < 0) {
		*error_r = "libcurl refused an option (built without SMTP or TLS?)";
		deliver_conn_free(c);
		return NULL;
	}
	return c;
}

void
deliver_conn_free(struct deliver_conn *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);	/* sends QUIT */
	buf_free(&c->cap.line);
	free(c->url);
	free(c->user);
	if (c->password != NULL)
		explicit_bzero(c->password, strlen(c->password));
	free(c->password);
	free(c->ca_file);
	free(c);
}

/* ---- the conversation ---------------------------------------------------- */

static size_t
read_cb(char *out, size_t size, size_t nitems, void *arg)
{
	struct deliver_conn *c = arg;
	size_t	room = size * nitems, n = c->msg_len - c->msg_off;

	if (n > room)
		n = room;
	memcpy(out, c->msg + c->msg_off, n);
	c->msg_off += n;
	return n;
}

/* A command went out: remember which step its reply will answer. */
static void
saw_command(struct capture *cap, const char *p, size_t len)
{
	if (len >= 4 && strncasecmp(p, "MAIL", 4) == 0)
		cap->await = AWAIT_MAIL;
	else if (len >= 4 && strncasecmp(p, "RCPT", 4) == 0)
		cap->await = AWAIT_RCPT;
	else if (len >= 4 && strncasecmp(p, "DATA", 4) == 0)
		cap->await = AWAIT_DATA;
	else if (len >= 4 && strncasecmp(p, "QUIT", 4) == 0)
		cap->await = AWAIT_QUIT;
	else if (len >= 4 && strncasecmp(p, "AUTH", 4) == 0) {
		cap->await = AWAIT_AUTH;
		cap->auth_sent = 1;
	} else if (cap->await != AWAIT_AUTH)
		/* SASL continuations (base64) stay with AUTH */
		cap->await = AWAIT_OTHER;
	buf_reset(&cap->line);
}

/* "550 5.1.1 text" -> "5.1.1" in out[16], or "". */
static void
enhanced_status(const char *reply, char out[16])
{
	const char *p = reply + 4;
	size_t	n;

	out[0] = '\0';
	if (strlen(reply) < 9 || strchr("245", p[0]) == NULL || p[1] != '.')
		return;
	n = 2 + strspn(p + 2, "0123456789");
	if (n == 2 || n > 5 || p[n] != '.')
		return;
	n++;
	n += strspn(p + n, "0123456789");
	if (p[n - 1] == '.' || n > 11 || (p[n] != ' ' && p[n] != '\0'))
		return;
	copy_text(out, 16, p, n);
}

/* Set a recipient from a reply. */
static void
set_from_reply(struct deliver_rcpt *r, const struct reply *rep,
	       enum deliver_stage stage)
{
	r->stage = stage;
	r->code = rep->code;
	copy_text(r->text, sizeof(r->text), rep->text, strlen(rep->text));
	enhanced_status(rep->text, r->status);
	if (rep->code >= 200 && rep->code < 300) {
		r->outcome = DELIVER_DELIVERED;
		r->cls = DSN_OTHER;
	} else if (rep->code >= 500 && rep->code < 600) {
		r->outcome = DELIVER_PERMFAIL;
		r->cls = dsn_classify(rep->text, NULL);
	} else {
		/* 4xx, and anything odd, is worth another try */
		r->outcome = DELIVER_TEMPFAIL;
		r->cls = dsn_classify(rep->text, NULL);
		if (r->cls == DSN_HARD || r->cls == DSN_OTHER)
			r->cls = DSN_SOFT;
	}
}

/* A whole reply has been read: file it under the step it answers. */
static void
saw_reply(struct capture *cap, int code)
{
	struct reply rep;
	struct deliver_result *res = cap->res;

	if (cap->await == AWAIT_QUIT) {
		buf_reset(&cap->line);
		return;
	}
	rep.code = code;
	copy_text(rep.text, sizeof(rep.text), buf_str(&cap->line),
		  cap->line.len);
	buf_reset(&cap->line);
	cap->last = rep;
	switch (cap->await) {
	case AWAIT_MAIL: cap->mail = rep; break;
	case AWAIT_AUTH: cap->auth = rep; break;
	case AWAIT_EOD: cap->eod = rep; break;
	case AWAIT_DATA:
		if (code == 354)
			cap->await = AWAIT_EOD;
		else
			cap->data = rep;
		return;
	case AWAIT_RCPT:
		if (res != NULL && cap->next_rcpt < res->n)
			set_from_reply(&res->rcpt[cap->next_rcpt++], &rep,
				       DELIVER_STAGE_RCPT);
		break;
	case AWAIT_OTHER:
	case AWAIT_QUIT: break;
	}
	cap->await = cap->await == AWAIT_AUTH ? AWAIT_AUTH : AWAIT_OTHER;
}

/* One reply line, without its line end.  Control bytes become '?'. */
static void
saw_line(struct capture *cap, const char *p, size_t len)
{
	int	code;
	size_t	i;

	if (len < 3 || strspn(p, "0123456789") < 3)
		return;
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (cap->line.len == 0)
		buf_append(&cap->line, p, 3);
	if (len > 4) {
		buf_append_byte(&cap->line, ' ');
		for (i = 4; i < len; i++)
			buf_append_byte(&cap->line, (unsigned char)p[i] < 0x20 ||
					p[i] == 0x7f ? '?' : (unsigned char)p[i]);
	}
	if (len == 3 || p[3] != '-')
		saw_reply(cap, code);
}

static int
debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct capture *cap = arg;
	size_t	n;

	(void)h;
	if (type == CURLINFO_HEADER_OUT) {
		saw_command(cap, data, size);
		return 0;
	}
	if (type != CURLINFO_HEADER_IN)
		return 0;
	/* Usually one line per call, but do not count on it. */
	while (size > 0) {
		for (n = 0; n < size && data[n] != '\n'; n++)
			;
		saw_line(cap, data, n > 0 && data[n - 1] == '\r' ? n - 1 : n);
		if (n < size)
			n++;
		data += n;
		size -= n;
	}
	return 0;
}

/* ---- one transaction ------------------------------------------------------ */

/* No bytes that would let an address smuggle an SMTP command or a param. */
static int
address_ok(const char *a)
{
	const unsigned char *p;

	if (strlen(a) > LIMIT_DSN_ADDRESS)
		return 0;
	for (p = (const unsigned char *)a; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>')
			return 0;
	return 1;
}

static void
fail_all(struct deliver_result *res, enum deliver_failure f, const char *why)
{
	size_t	i;

	res->failure = f;
	copy_text(res->reason, sizeof(res->reason), why, strlen(why));
	for (i = 0; i < res->n; i++) {
		res->rcpt[i].outcome = DELIVER_TEMPFAIL;
		res->rcpt[i].cls = DSN_SOFT;
		copy_text(res->rcpt[i].text, DELIVER_TEXT_SIZE, why, strlen(why));
	}
}

static int
start_result(struct deliver_result *res, size_t n)
{
	memset(res, 0, sizeof(*res));
	if ((res->rcpt = calloc(n ? n : 1, sizeof(*res->rcpt))) == NULL)
		return -1;
	res->n = n;
	return 0;
}

static const char *
check_args(const char *mail_from, const char *const *rcpts, size_t n,
	   const void *msg, size_t len)
{
	size_t	i;

	if (n == 0 || n > LIMIT_DELIVER_RCPTS)
		return "recipient count out of range";
	if (len < 2 || memcmp((const char *)msg + len - 2, "\r\n", 2) != 0)
		return "message does not end with CRLF";
	if (*mail_from != '\0' && !address_ok(mail_from))
		return "bad envelope sender";
	for (i = 0; i < n; i++)
		if (!address_ok(rcpts[i]))
			return "bad recipient address";
	return NULL;
}

/* Options for this transaction; 0 or -1 (no memory). */
static int
prepare(struct deliver_conn *c, const char *mail_from,
	const char *const *rcpts, size_t n, struct curl_slist **list_r)
{
	struct curl_slist *list = NULL, *t;
	size_t	i;

	for (i = 0; i < n; i++) {
		if ((t = curl_slist_append(list, rcpts[i])) == NULL) {
			curl_slist_free_all(list);
			return -1;
		}
		list = t;
	}
	*list_r = list;
	curl_easy_setopt(c->curl, CURLOPT_MAIL_RCPT, list);
	/* libcurl sends "<>" for an empty sender */
	curl_easy_setopt(c->curl, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(c->curl, CURLOPT_INFILESIZE_LARGE,
			 (curl_off_t)c->msg_len);
	return 0;
}

/* Text for a transaction-level failure: libcurl's words and the relay's. */
static void
reason(struct deliver_conn *c, const char *what, struct buf *out)
{
	buf_append_str(out, what);
	if (c->errbuf[0] != '\0')
		buf_printf(out, ": %s", c->errbuf);
	if (c->cap.last.code != 0)
		buf_printf(out, " (last reply: %s)", c->cap.last.text);
}

static enum deliver_failure
classify_curl(struct deliver_conn *c, CURLcode rc, struct buf *why)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		reason(c, "cannot connect to relay", why);
		return DELIVER_FAIL_CONNECT;
	case CURLE_USE_SSL_FAILED:
		reason(c, "STARTTLS required but the relay does not offer it", why);
		return DELIVER_FAIL_TLS;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		reason(c, "TLS with the relay failed", why);
		return DELIVER_FAIL_TLS;
	case CURLE_LOGIN_DENIED:
		buf_printf(why, "AUTH refused by the relay (check smtp user "
			   "and password): %s", c->cap.auth.code ?
			   c->cap.auth.text : c->errbuf);
		return DELIVER_FAIL_AUTH;
	case CURLE_OPERATION_TIMEDOUT:
		reason(c, "timeout talking to relay", why);
		return DELIVER_FAIL_TIMEOUT;
	default:
		reason(c, "connection to relay lost", why);
		return DELIVER_FAIL_LOST;
	}
}

/* A refused MAIL is about our sender (or our missing AUTH), not a member. */
static enum deliver_failure
mail_refused(struct deliver_conn *c, int has_user, struct buf *why)
{
	if (has_user && !c->cap.auth_sent && c->cap.mail.code == 530) {
		buf_printf(why, "relay wants AUTH but did not offer it to us: %s",
			   c->cap.mail.text);
		return DELIVER_FAIL_AUTH;
	}
	buf_printf(why, "relay refused MAIL FROM: %s", c->cap.mail.text);
	return DELIVER_FAIL_REPLY;
}

/* Recipients accepted at RCPT: the DATA or end-of-data reply decides. */
static void
settle_accepted(struct deliver_conn *c, struct deliver_result *res,
		const char *why)
{
	size_t	i;
	struct deliver_rcpt *r;

	for (i = 0; i < res->n; i++) {
		r = &res->rcpt[i];
		if (r->stage == DELIVER_STAGE_RCPT &&
		    r->outcome != DELIVER_DELIVERED)
			continue;	/* refused at RCPT: that reply stands */
		if (r->stage == DELIVER_STAGE_RCPT && c->cap.eod.code != 0)
			set_from_reply(r, &c->cap.eod, DELIVER_STAGE_EOD);
		else if (r->stage == DELIVER_STAGE_RCPT && c->cap.data.code != 0)
			set_from_reply(r, &c->cap.data, DELIVER_STAGE_DATA);
		else {
			/* no final word: lost, timed out, never reached;
			   code 0 says no reply decided it */
			r->outcome = DELIVER_TEMPFAIL;
			r->cls = DSN_SOFT;
			r->code = 0;
			r->status[0] = '\0';
			copy_text(r->text, sizeof(r->text), why, strlen(why));
		}
	}
}

static void
count(struct deliver_result *res)
{
	size_t	i;

	for (i = 0; i < res->n; i++) {
		if (res->rcpt[i].outcome == DELIVER_DELIVERED)
			res->delivered++;
		else if (res->rcpt[i].outcome == DELIVER_TEMPFAIL)
			res->tempfail++;
		else
			res->permfail++;
	}
}

/* After the transfer: outcome per recipient and for the transaction. */
static void
settle(struct deliver_conn *c, CURLcode rc, int has_user,
       struct deliver_result *res)
{
	struct buf why;
	long	conns = 0;

	buf_init(&why, LIMIT_DELIVER_REPLY);
	if (c->cap.mail.code != 0 && c->cap.mail.code / 100 != 2)
		res->failure = mail_refused(c, has_user, &why);
	else if (rc == CURLE_OK)
		res->failure = DELIVER_FAIL_NONE;
	else if (c->cap.eod.code != 0 || c->cap.data.code != 0 ||
		 (c->cap.next_rcpt == res->n && res->n > 0 &&
		  rc == CURLE_SEND_ERROR)) {
		/* the relay said no in words, and each recipient has them */
		res->failure = DELIVER_FAIL_REPLY;
		reason(c, "relay refused the transaction", &why);
	} else
		res->failure = classify_curl(c, rc, &why);
	copy_text(res->reason, sizeof(res->reason), buf_str(&why), why.len);
	buf_free(&why);
	settle_accepted(c, res, res->reason);
	if (curl_easy_getinfo(c->curl, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK)
		res->new_connection = conns > 0;
	count(res);
}

int
deliver_send(struct deliver_conn *c, const char *mail_from,
	     const char *const *rcpts, size_t n, const void *msg, size_t len,
	     struct deliver_result *res)
{
	struct curl_slist *list = NULL;
	const char *err;
	CURLcode rc;

	if (start_result(res, n) < 0)
		return -1;
	if ((err = check_args(mail_from, rcpts, n, msg, len)) != NULL) {
		fail_all(res, DELIVER_FAIL_LOCAL, err);
		return -1;
	}
	c->msg = msg;
	c->msg_len = len;
	c->msg_off = 0;
	c->errbuf[0] = '\0';
	buf_free(&c->cap.line);
	memset(&c->cap, 0, sizeof(c->cap));
	buf_init(&c->cap.line, LIMIT_DELIVER_REPLY);
	c->cap.res = res;
	if (prepare(c, mail_from, rcpts, n, &list) < 0) {
		fail_all(res, DELIVER_FAIL_LOCAL, "out of memory");
		return -1;
	}
	rc = curl_easy_perform(c->curl);
	settle(c, rc, c->user != NULL, res);
	/* the list dies now: forget it before libcurl could look again */
	curl_easy_setopt(c->curl, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
	curl_slist_free_all(list);
	c->cap.res = NULL;
	c->msg = NULL;
	return (int)res->delivered;
}

void
deliver_result_free(struct deliver_result *res)
{
	free(res->rcpt);
	res->rcpt = NULL;
	res->n = 0;
}
