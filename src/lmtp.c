/*
 * NAME
 *	lmtp 3
 * SUMMARY
 *	the LMTP server: listeners, sessions, the RFC 2033 transaction
 * DESCRIPTION
 *	See lmtp.h for the contract.  How it works, and why:
 *
 *	Listeners.  A unix socket is bound under a temporary name, given
 *	its mode and renamed over the configured path, so the socket never
 *	exists with the wrong mode and a stale socket file is replaced
 *	atomically; a live one (connect() succeeds) or a file that is not a
 *	socket is an error.  TCP addresses are numeric HOST:PORT or
 *	[V6]:PORT; an IPv6 socket is IPV6_V6ONLY so each address means one
 *	thing.
 *
 *	Threads.  One acceptor per listener and one thread per session.  The
 *	acceptor counts the session before starting it, so the cap is exact:
 *	client max_sessions + 1 gets "421 4.3.2" and is closed at once.  A
 *	finished session puts itself on a list that acceptors (and stop)
 *	join, so no thread is ever left detached.
 *
 *	Stopping.  A self-pipe: lmtp_server_stop() writes one byte that
 *	nobody reads, so its read end stays readable and every poll() in
 *	every acceptor and session wakes up at once, now and later.  A
 *	session inside deliver() finishes it and sends its replies first:
 *	the flag is looked at between commands, never inside one.
 *
 *	I/O.  Sockets are non-blocking.  A session processes every complete
 *	command it has buffered, appending replies to an output buffer that
 *	it tries to send after each command (replies as produced, RFC 2920).
 *	What the socket does not take waits while the session keeps reading,
 *	so a client that writes a long pipeline before reading cannot
 *	deadlock us; only when OUT_HIGH octets of replies are queued does
 *	the session stop reading until the client reads.  Every wait is a
 *	poll() bounded by the command or data timeout, which count idle
 *	time (no octet moved either way).
 *
 *	Misbehaviour.  A command line over max_command_line is skipped up to
 *	its LF and answered "500 5.5.2"; more than LIMIT_LMTP_ERRORS errors
 *	close the session ("421 4.7.0").  DATA is read by lib/lmtp; a size
 *	or line limit keeps reading to the end and answers each recipient
 *	552 5.3.4.  Whatever ends a session before the final "." (EOF,
 *	timeout, stop) discards the partial message: deliver() never sees it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lmtp.h"
#include "lmtp/lmtp.h"
#include "log.h"
#include "sealist_limits.h"

#define READ_CHUNK	(64 * 1024)	/* one recv() */
#define OUT_HIGH	(64 * 1024)	/* queued replies: stop reading */
#define OUT_MAX		(1024 * 1024)	/* queued replies: hard cap */
#define FINAL_FLUSH_MS	5000		/* last replies before close() */
#define LINGER_MS	500		/* draining input after the last reply */

struct lmtp_server;

struct listener {
	struct lmtp_server *srv;
	int	fd;
	char   *unix_path;		/* unlinked at stop; NULL for TCP */
	char   *name;			/* as bound, for logs and tests */
	pthread_t thread;
	int	started;
};

struct session {
	struct lmtp_server *srv;
	struct session *next;		/* on srv->done once finished */
	pthread_t thread;
	int	fd;
	char	id[40];
	char	client[INET6_ADDRSTRLEN + 16];
	unsigned char *chunk;		/* READ_CHUNK octets for recv() */
	struct buf in, out, msg;
	int	closing, greeted, discarding, in_data, have_mail;
	unsigned errors, messages;
	const char *end_reason;
	/* the transaction */
	char   *lhlo, *mail_from;
	struct lmtp_cmd mail;		/* size/body/smtputf8 of MAIL */
	struct lmtp_rcpt *rcpts;
	size_t	nrcpts;
	struct spf_xforward xf;
	struct lmtp_data data;
};

struct lmtp_server {
	struct lmtp_config cfg;
	struct lmtp_hooks hooks;
	char   *hostname;
	struct listener *ls;
	size_t	nls;
	int	wake[2];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned active;
	struct session *done;
	unsigned long long counter;
	atomic_int stopping;
};

static _Thread_local char lmtp_error[512];

static const char *set_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static const char *set_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(lmtp_error, sizeof(lmtp_error), fmt, ap);
	va_end(ap);
	return lmtp_error;
}

void lmtp_config_init(struct lmtp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->socket_mode = 0660;
	cfg->socket_uid = -1;
	cfg->socket_gid = -1;
	cfg->max_sessions = LIMIT_LMTP_SESSIONS;
	cfg->max_message_size = LIMIT_MESSAGE_SIZE;
	cfg->max_line = LIMIT_LMTP_LINE;
	cfg->max_command_line = LIMIT_LMTP_COMMAND_LINE;
	cfg->max_rcpts = LIMIT_LMTP_RCPTS;
	cfg->command_timeout_s = 300;
	cfg->data_timeout_s = 600;
}

static int set_nonblock(int fd)
{
	int	fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* ---------------------------------------------------------------- */
/* Replies and socket I/O                                            */
/* ---------------------------------------------------------------- */

/* Send what the socket takes now; a hard error closes the session. */
static void flush_out(struct session *s)
{
	while (s->out.len > 0) {
		ssize_t	n = send(s->fd, s->out.data, s->out.len,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			buf_consume(&s->out, (size_t) n);
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return;
		} else {
			buf_reset(&s->out);
			s->closing = 1;
			s->end_reason = "io-error";
			return;
		}
	}
}

/* Queue one reply line (CRLF added) and send as much as we can. */
static void reply(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void reply(struct session *s, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(&s->out, fmt, ap);
	va_end(ap);
	buf_append(&s->out, "\r\n", 2);
	if (buf_failed(&s->out)) {
		/* A client that never reads: nothing sensible is left. */
		s->closing = 1;
		s->end_reason = "output-overflow";
		buf_reset(&s->out);
		return;
	}
	flush_out(s);
}

/* A refused command: count it; too many closes the session. */
static void reply_error(struct session *s, const char *text)
{
	reply(s, "%s", text);
	if (++s->errors > LIMIT_LMTP_ERRORS) {
		reply(s, "421 4.7.0 %s Error: too many errors", s->srv->hostname);
		s->closing = 1;
		s->end_reason = "errors";
	}
}

enum wait_result { W_IO, W_TIMEOUT, W_STOP };

/* Wait for input (unless want_in is 0) or for room to send. */
static enum wait_result wait_io(struct session *s, int want_in, int ms)
{
	struct pollfd p[2];
	int	r;

	p[0].fd = s->fd;
	p[0].events = (short) ((want_in ? POLLIN : 0)
			       | (s->out.len ? POLLOUT : 0));
	p[1].fd = s->srv->wake[0];
	p[1].events = POLLIN;
	do {
		r = poll(p, 2, ms);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return W_TIMEOUT;
	if (r > 0 && (p[1].revents & POLLIN))
		return W_STOP;
	return W_IO;
}

/* recv() into s->in; 1 read, 0 nothing now, -1 EOF or error. */
static int read_some(struct session *s)
{
	ssize_t	n = recv(s->fd, s->chunk, READ_CHUNK, MSG_DONTWAIT);

	if (n > 0)
		return buf_append(&s->in, s->chunk, (size_t) n) < 0 ? -1 : 1;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	return -1;
}

/* ---------------------------------------------------------------- */
/* The transaction                                                   */
/* ---------------------------------------------------------------- */

static void free_rcpts(struct session *s)
{
	size_t	i;

	for (i = 0; i < s->nrcpts; i++) {
		if (s->srv->hooks.route_free && s->rcpts[i].route)
			s->srv->hooks.route_free(s->srv->hooks.ctx,
						 s->rcpts[i].route);
		free((char *) s->rcpts[i].address);
	}
	s->nrcpts = 0;
}

/*
 * End the transaction (RSET, LHLO, after DATA).  XFORWARD attributes go
 * too: Postfix sends them again before each MAIL, and they must not
 * leak into a later transaction of another client's mail.
 */
static void reset_transaction(struct session *s)
{
	free_rcpts(s);
	free(s->mail_from);
	s->mail_from = NULL;
	s->have_mail = 0;
	memset(&s->mail, 0, sizeof(s->mail));
	spf_xforward_init(&s->xf);
	buf_free(&s->msg);
}

static void fill_envelope(struct session *s, struct lmtp_envelope *env)
{
	env->lhlo = s->lhlo ? s->lhlo : "";
	env->mail_from = s->mail_from ? s->mail_from : "";
	env->size = s->mail.have_size ? s->mail.size : 0;
	env->body_8bitmime = s->mail.body == LMTP_BODY_8BITMIME;
	env->smtputf8 = s->mail.smtputf8;
	env->xforward = &s->xf;
	env->session_id = s->id;
}

static char *copy_text(const char *p, size_t n)
{
	char   *t = malloc(n + 1);

	if (t != NULL) {
		memcpy(t, p, n);
		t[n] = '\0';
	}
	return t;
}

static void cmd_lhlo(struct session *s, const struct lmtp_cmd *c)
{
	const struct lmtp_server *srv = s->srv;

	reset_transaction(s);
	free(s->lhlo);
	s->lhlo = copy_text(c->arg, c->arg_len);
	s->greeted = 1;
	reply(s, "250-%s", srv->hostname);
	reply(s, "250-PIPELINING");
	reply(s, "250-ENHANCEDSTATUSCODES");
	reply(s, "250-8BITMIME");
	reply(s, "250-SMTPUTF8");
	reply(s, "250-SIZE %zu", srv->cfg.max_message_size);
	reply(s, "250 XFORWARD NAME ADDR PROTO HELO SOURCE");
}

static void cmd_mail(struct session *s, const struct lmtp_cmd *c)
{
	if (!s->greeted) {
		reply_error(s, "503 5.5.1 Error: send LHLO first");
	} else if (s->have_mail) {
		reply_error(s, "503 5.5.1 Error: nested MAIL command");
	} else if (c->have_size && c->size > s->srv->cfg.max_message_size) {
		reply(s, "552 5.3.4 Error: message size exceeds the limit of %zu octets",
		      s->srv->cfg.max_message_size);
	} else if ((s->mail_from = copy_text(c->path, c->path_len)) == NULL) {
		reply(s, "451 4.3.0 Error: out of memory");
	} else {
		s->mail = *c;
		s->have_mail = 1;
		reply(s, "250 2.1.0 Ok");
	}
}

/* Ask the hook; keep the recipient when it says yes. */
static void add_rcpt(struct session *s, char *addr)
{
	const struct lmtp_hooks *h = &s->srv->hooks;
	struct lmtp_envelope env;
	struct lmtp_rcpt *more;
	const char *why = NULL;
	void   *route = NULL;

	fill_envelope(s, &env);
	if (h->rcpt(h->ctx, &env, addr, &route, &why) < 0) {
		reply(s, "%s", why ? why : "550 5.1.1 Error: recipient refused");
		free(addr);
		return;
	}
	more = realloc(s->rcpts, (s->nrcpts + 1) * sizeof(*s->rcpts));
	if (more == NULL) {
		if (h->route_free && route)
			h->route_free(h->ctx, route);
		free(addr);
		reply(s, "451 4.3.0 Error: out of memory");
		return;
	}
	s->rcpts = more;
	s->rcpts[s->nrcpts].address = addr;
	s->rcpts[s->nrcpts].route = route;
	s->nrcpts++;
	reply(s, "250 2.1.5 <%s> recipient ok", addr);
}

static void cmd_rcpt(struct session *s, const struct lmtp_cmd *c)
{
	char   *addr;

	if (!s->have_mail)
		reply_error(s, "503 5.5.1 Error: need MAIL command");
	else if (s->nrcpts >= s->srv->cfg.max_rcpts)
		reply(s, "452 4.5.3 Error: too many recipients");
	else if ((addr = copy_text(c->path, c->path_len)) == NULL)
		reply(s, "451 4.3.0 Error: out of memory");
	else
		add_rcpt(s, addr);
}

static void cmd_data(struct session *s)
{
	const struct lmtp_config *cfg = &s->srv->cfg;

	if (!s->have_mail) {
		reply_error(s, "503 5.5.1 Error: need MAIL command");
	} else if (s->nrcpts == 0) {
		reply_error(s, "503 5.5.1 Error: no valid recipients");
	} else {
		buf_free(&s->msg);
		buf_init(&s->msg, cfg->max_message_size);
		lmtp_data_init(&s->data, cfg->max_message_size, cfg->max_line);
		s->in_data = 1;
		reply(s, "354 End data with <CR><LF>.<CR><LF>");
	}
}

static void cmd_xforward(struct session *s, const struct lmtp_cmd *c)
{
	const char *why;

	if (s->have_mail) {
		reply_error(s, "503 5.5.1 Error: MAIL transaction in progress");
	} else if (spf_parse_xforward(c->arg, c->arg_len, &s->xf, &why) < 0) {
		log_warn("event=xforward-refused session=%s client=%s error=%s",
			 s->id, s->client, log_quote(why));
		reply_error(s, "501 5.5.4 Error: bad XFORWARD attribute");
	} else {
		reply(s, "250 2.0.0 Ok");
	}
}

static void run_command(struct session *s, const struct lmtp_cmd *c)
{
	switch (c->verb) {
	case LMTP_V_LHLO:
		cmd_lhlo(s, c);
		break;
	case LMTP_V_HELO:
	case LMTP_V_EHLO:
		reply_error(s, "500 5.5.1 Error: this is LMTP, send LHLO");
		break;
	case LMTP_V_MAIL:
		cmd_mail(s, c);
		break;
	case LMTP_V_RCPT:
		cmd_rcpt(s, c);
		break;
	case LMTP_V_DATA:
		cmd_data(s);
		break;
	case LMTP_V_RSET:
		reset_transaction(s);
		reply(s, "250 2.0.0 Ok");
		break;
	case LMTP_V_NOOP:
		reply(s, "250 2.0.0 Ok");
		break;
	case LMTP_V_QUIT:
		reply(s, "221 2.0.0 %s closing connection", s->srv->hostname);
		s->closing = 1;
		s->end_reason = "quit";
		break;
	case LMTP_V_VRFY:
		reply(s, "252 2.0.0 Cannot VRFY; send the message and we will try");
		break;
	case LMTP_V_XFORWARD:
		cmd_xforward(s, c);
		break;
	default:
		reply_error(s, "500 5.5.2 Error: command not recognized");
		break;
	}
}

/* ---------------------------------------------------------------- */
/* After the final "."                                               */
/* ---------------------------------------------------------------- */

static void log_delivery(struct session *s, const char *status,
			 const char *why)
{
	char	addr[INET6_ADDRSTRLEN] = "";

	if (s->xf.have_addr)
		inet_ntop(s->xf.family, &s->xf.ip, addr, sizeof(addr));
	log_info("event=deliver session=%s client=%s xforward_addr=%s from=%s"
		 " size=%zu rcpts=%zu status=%s reply=%s", s->id, s->client,
		 *addr ? addr : "-", log_quote(s->mail_from ? s->mail_from : ""),
		 s->data.size, s->nrcpts, status, log_quote(why ? why : "-"));
}

static void finish_data(struct session *s)
{
	const struct lmtp_hooks *h = &s->srv->hooks;
	const char *why = lmtp_data_reply(&s->data);
	struct lmtp_envelope env;
	size_t	i;
	int	ok = 0;

	s->in_data = 0;
	if (why == NULL) {
		fill_envelope(s, &env);
		ok = h->deliver(h->ctx, &env, s->rcpts, s->nrcpts,
				s->msg.data, s->msg.len, &why) == 0;
		if (!ok && why == NULL)
			why = "451 4.3.0 Error: delivery failed, try again later";
	}
	if (s->data.bare_lf)
		log_warn("event=bare-lf session=%s client=%s count=%zu",
			 s->id, s->client, s->data.bare_lf);
	for (i = 0; i < s->nrcpts; i++) {
		if (ok)
			reply(s, "250 2.1.5 <%s> accepted", s->rcpts[i].address);
		else
			reply(s, "%s", why);
	}
	log_delivery(s, ok ? "ok" : "refused", ok ? NULL : why);
	if (ok)
		s->messages++;
	reset_transaction(s);
}

/* ---------------------------------------------------------------- */
/* Input processing                                                  */
/* ---------------------------------------------------------------- */

static int process_data(struct session *s)
{
	size_t	used;
	int	end;

	if (s->in.len == 0)
		return 0;
	end = lmtp_data_feed(&s->data, s->in.data, s->in.len, &s->msg, &used);
	buf_consume(&s->in, used);
	if (end)
		finish_data(s);
	return 1;
}

/* Skipping an overlong command line up to its LF. */
static int process_discard(struct session *s)
{
	const char *lf = memchr(s->in.data, '\n', s->in.len);

	if (lf == NULL) {
		buf_reset(&s->in);
		return 0;
	}
	buf_consume(&s->in, (size_t) (lf - (const char *) s->in.data) + 1);
	s->discarding = 0;
	reply_error(s, "500 5.5.2 Error: line too long");
	return 1;
}

/* One step over buffered input; 0 when more input is needed. */
static int process_input(struct session *s)
{
	const char *p = (const char *) s->in.data;
	size_t	line_len, used;
	int	bare_lf;
	struct lmtp_cmd c;
	const char *why;

	if (s->in_data)
		return process_data(s);
	if (s->in.len == 0)
		return 0;
	if (s->discarding)
		return process_discard(s);
	if (!lmtp_line_find(p, s->in.len, &line_len, &used, &bare_lf)) {
		if (s->in.len <= s->srv->cfg.max_command_line + 1)
			return 0;
		s->discarding = 1;	/* no LF within the limit */
		buf_reset(&s->in);
		return 1;
	}
	if (line_len > s->srv->cfg.max_command_line)
		reply_error(s, "500 5.5.2 Error: line too long");
	else if (lmtp_cmd_parse(p, line_len, bare_lf, &c, &why) < 0)
		reply_error(s, why);
	else
		run_command(s, &c);
	buf_consume(&s->in, used);
	return 1;
}

/* ---------------------------------------------------------------- */
/* The session thread                                                */
/* ---------------------------------------------------------------- */

/* Wait, then read; sets closing and end_reason when the session ends. */
static void wait_and_read(struct session *s)
{
	const struct lmtp_config *cfg = &s->srv->cfg;
	unsigned secs = s->in_data ? cfg->data_timeout_s : cfg->command_timeout_s;
	int	want_in = s->out.len < OUT_HIGH;

	switch (wait_io(s, want_in, (int) (secs ? secs : 1) * 1000)) {
	case W_TIMEOUT:
		reply(s, "421 4.4.2 %s Error: timeout exceeded", s->srv->hostname);
		s->end_reason = "timeout";
		s->closing = 1;
		return;
	case W_STOP:
		reply(s, "421 4.3.2 %s Error: shutting down", s->srv->hostname);
		s->end_reason = "shutdown";
		s->closing = 1;
		return;
	case W_IO:
		break;
	}
	flush_out(s);
	if (want_in && !s->closing && read_some(s) < 0) {
		s->end_reason = "disconnect";
		s->closing = 1;
	}
}

static void session_loop(struct session *s)
{
	reply(s, "220 %s LMTP sealist ready", s->srv->hostname);
	while (!s->closing) {
		if (atomic_load(&s->srv->stopping)) {
			reply(s, "421 4.3.2 %s Error: shutting down",
			      s->srv->hostname);
			s->end_reason = "shutdown";
			break;
		}
		if (s->out.len < OUT_HIGH && process_input(s))
			continue;
		wait_and_read(s);
	}
}

/*
 * Send the last replies (bounded), then half-close and read what the
 * client still sends for a moment: closing with unread input makes the
 * kernel send a reset, which can destroy our last reply in flight.
 */
static void close_session(struct session *s)
{
	struct pollfd p;
	int	waited = 0;

	p.fd = s->fd;
	p.events = POLLOUT;
	while (s->out.len > 0 && waited < FINAL_FLUSH_MS
	       && poll(&p, 1, 100) >= 0) {
		waited += 100;
		flush_out(s);
	}
	shutdown(s->fd, SHUT_WR);
	p.events = POLLIN;
	for (waited = 0; waited < LINGER_MS; waited += 50) {
		if (poll(&p, 1, 50) > 0 && read_some(s) < 0)
			break;
		buf_reset(&s->in);
	}
	close(s->fd);
}

static void session_free(struct session *s)
{
	reset_transaction(s);
	free(s->rcpts);
	free(s->lhlo);
	free(s->chunk);
	buf_free(&s->in);
	buf_free(&s->out);
	buf_free(&s->msg);
}

static void *session_main(void *arg)
{
	struct session *s = arg;
	struct lmtp_server *srv = s->srv;

	log_info("event=session-start session=%s client=%s", s->id, s->client);
	session_loop(s);
	if (s->in_data)
		log_warn("event=data-aborted session=%s client=%s reason=%s"
			 " octets=%zu", s->id, s->client, s->end_reason,
			 s->data.size);
	close_session(s);
	log_info("event=session-end session=%s client=%s messages=%u reason=%s",
		 s->id, s->client, s->messages, s->end_reason);
	session_free(s);
	pthread_mutex_lock(&srv->mu);
	srv->active--;
	s->next = srv->done;
	srv->done = s;
	pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
	return NULL;
}

/* Join and free the finished sessions. */
static void reap(struct lmtp_server *srv)
{
	struct session *s, *next;

	pthread_mutex_lock(&srv->mu);
	s = srv->done;
	srv->done = NULL;
	pthread_mutex_unlock(&srv->mu);
	for (; s != NULL; s = next) {
		next = s->next;
		pthread_join(s->thread, NULL);
		free(s);
	}
}

/* ---------------------------------------------------------------- */
/* Acceptors                                                         */
/* ---------------------------------------------------------------- */

static void client_name(const struct sockaddr_storage *sa, char *out,
			size_t size)
{
	char	ip[INET6_ADDRSTRLEN];

	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *) sa;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		snprintf(out, size, "%s:%u", ip, ntohs(in->sin_port));
	} else if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *) sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(out, size, "[%s]:%u", ip, ntohs(in6->sin6_port));
	} else {
		snprintf(out, size, "unix");
	}
}

static struct session *session_new(struct lmtp_server *srv, int fd)
{
	struct session *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->chunk = malloc(READ_CHUNK)) == NULL) {
		free(s);
		return NULL;
	}
	s->srv = srv;
	s->fd = fd;
	s->end_reason = "disconnect";
	buf_init(&s->in, srv->cfg.max_command_line + 2 + READ_CHUNK);
	buf_init(&s->out, OUT_MAX);
	buf_init(&s->msg, srv->cfg.max_message_size);
	spf_xforward_init(&s->xf);
	return s;
}

/* Refuse a client over the cap; best effort, never blocks. */
static void refuse(struct lmtp_server *srv, int fd, const char *client)
{
	char	line[512];
	int	n;

	n = snprintf(line, sizeof(line),
		     "421 4.3.2 %s Error: too many sessions, try again later\r\n",
		     srv->hostname);
	if (n > 0)
		(void) !send(fd, line, (size_t) n < sizeof(line) ? (size_t) n
			     : sizeof(line) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	shutdown(fd, SHUT_WR);
	close(fd);
	log_warn("event=session-refused client=%s reason=too-many-sessions max=%u",
		 client, srv->cfg.max_sessions);
}

static void start_session(struct lmtp_server *srv, int fd,
			  const struct sockaddr_storage *sa)
{
	struct session *s;
	char	client[INET6_ADDRSTRLEN + 16];
	unsigned long long n;

	client_name(sa, client, sizeof(client));
	pthread_mutex_lock(&srv->mu);
	if (srv->active >= srv->cfg.max_sessions) {
		pthread_mutex_unlock(&srv->mu);
		refuse(srv, fd, client);
		return;
	}
	srv->active++;
	n = ++srv->counter;
	pthread_mutex_unlock(&srv->mu);
	if ((s = session_new(srv, fd)) != NULL) {
		snprintf(s->id, sizeof(s->id), "%lx.%llu",
			 (unsigned long) time(NULL), n);
		memcpy(s->client, client, sizeof(client));
		if (pthread_create(&s->thread, NULL, session_main, s) == 0)
			return;
		session_free(s);
		free(s);
	}
	log_error("event=session-failed client=%s reason=no-resources", client);
	close(fd);
	pthread_mutex_lock(&srv->mu);
	srv->active--;
	pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
}

static void *acceptor_main(void *arg)
{
	struct listener *l = arg;
	struct lmtp_server *srv = l->srv;
	struct pollfd p[2];

	p[0].fd = l->fd;
	p[0].events = POLLIN;
	p[1].fd = srv->wake[0];
	p[1].events = POLLIN;
	while (!atomic_load(&srv->stopping)) {
		struct sockaddr_storage sa;
		socklen_t salen = sizeof(sa);
		int	fd;

		reap(srv);
		if (poll(p, 2, -1) < 0 || (p[1].revents & POLLIN))
			continue;
		memset(&sa, 0, sizeof(sa));
		if ((fd = accept(l->fd, (struct sockaddr *) &sa, &salen)) < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				log_error("event=accept-failed listen=%s error=%s",
					  l->name, log_quote(strerror(errno)));
				poll(NULL, 0, 100);	/* let sessions end */
			}
			continue;
		}
		if (set_nonblock(fd) < 0) {
			close(fd);
			continue;
		}
		start_session(srv, fd, &sa);
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Listening sockets                                                 */
/* ---------------------------------------------------------------- */

/* Is there a live server on this unix socket? */
static int unix_in_use(const struct sockaddr_un *sun)
{
	int	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	int	r;

	if (fd < 0)
		return 0;
	r = connect(fd, (const struct sockaddr *) sun, sizeof(*sun)) == 0;
	close(fd);
	return r;
}

static int unix_check_path(const char *path, struct sockaddr_un *sun)
{
	struct stat st;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path) - 16) {
		set_error("lmtp_listen unix:%s: path too long", path);
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path));
	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		set_error("lmtp_listen unix:%s: exists and is not a socket", path);
		return -1;
	}
	if (unix_in_use(sun)) {
		set_error("lmtp_listen unix:%s: address in use", path);
		return -1;
	}
	return 0;
}

static int listen_unix(struct listener *l, const char *path, unsigned mode,
		       long long uid, long long gid)
{
	struct sockaddr_un sun, tmp;
	int	fd;

	if (unix_check_path(path, &sun) < 0)
		return -1;
	tmp = sun;
	snprintf(tmp.sun_path, sizeof(tmp.sun_path), "%s.%ld.tmp", path,
		 (long) getpid());
	unlink(tmp.sun_path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0
	    || bind(fd, (struct sockaddr *) &tmp, sizeof(tmp)) < 0
	    || chmod(tmp.sun_path, mode) < 0
	    /* owner before the rename: the MTA never sees a socket it may not use */
	    || ((uid >= 0 || gid >= 0)
		&& chown(tmp.sun_path, uid >= 0 ? (uid_t) uid : (uid_t) -1,
			 gid >= 0 ? (gid_t) gid : (gid_t) -1) < 0)
	    || listen(fd, SOMAXCONN) < 0
	    || rename(tmp.sun_path, path) < 0) {
		set_error("lmtp_listen unix:%s: %s", path, strerror(errno));
		unlink(tmp.sun_path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	l->fd = fd;
	l->unix_path = strdup(path);
	l->name = malloc(strlen(path) + 6);
	if (l->name)
		snprintf(l->name, strlen(path) + 6, "unix:%s", path);
	return 0;
}

/* "HOST:PORT" or "[V6]:PORT" into host and port strings. */
static int split_hostport(const char *a, char *host, size_t hsize,
			  char *port, size_t psize)
{
	const char *colon = strrchr(a, ':');
	size_t	hlen;

	if (colon == NULL || colon[1] == '\0' || strlen(colon + 1) >= psize)
		return -1;
	hlen = (size_t) (colon - a);
	if (hlen >= 2 && a[0] == '[' && a[hlen - 1] == ']') {
		a++;
		hlen -= 2;
	}
	if (hlen >= hsize)
		return -1;
	memcpy(host, a, hlen);
	host[hlen] = '\0';
	snprintf(port, psize, "%s", colon + 1);
	return 0;
}

static void name_bound(struct listener *l)
{
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char	name[INET6_ADDRSTRLEN + 16];

	memset(&sa, 0, sizeof(sa));
	if (getsockname(l->fd, (struct sockaddr *) &sa, &len) < 0)
		snprintf(name, sizeof(name), "?");
	else
		client_name(&sa, name, sizeof(name));
	l->name = strdup(name);
}

static int bind_inet(const struct addrinfo *ai)
{
	int	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	int	one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0
	    || listen(fd, SOMAXCONN) < 0) {
		int	e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int listen_inet(struct listener *l, const char *addr)
{
	struct addrinfo hints, *res = NULL, *ai;
	char	host[256], port[16];
	int	r, fd = -1;

	if (split_hostport(addr, host, sizeof(host), port, sizeof(port)) < 0) {
		set_error("lmtp_listen %s: expected HOST:PORT or [V6]:PORT", addr);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST;
	r = getaddrinfo(*host && strcmp(host, "*") ? host : NULL, port, &hints, &res);
	if (r != 0) {
		set_error("lmtp_listen %s: %s", addr, gai_strerror(r));
		return -1;
	}
	errno = EADDRNOTAVAIL;
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = bind_inet(ai);
	freeaddrinfo(res);
	if (fd < 0) {
		set_error("lmtp_listen %s: %s", addr, strerror(errno));
		return -1;
	}
	l->fd = fd;
	name_bound(l);
	return 0;
}

static int open_listener(struct lmtp_server *srv, struct listener *l,
			 const char *addr)
{
	int	r;

	l->srv = srv;
	l->fd = -1;
	if (strncmp(addr, "unix:", 5) == 0)
		r = listen_unix(l, addr + 5, srv->cfg.socket_mode, srv->cfg.socket_uid,
				srv->cfg.socket_gid);
	else
		r = listen_inet(l, addr);
	if (r == 0 && (l->name == NULL || set_nonblock(l->fd) < 0)) {
		set_error("lmtp_listen %s: out of resources", addr);
		r = -1;
	}
	return r;
}

/* ---------------------------------------------------------------- */
/* Start and stop                                                    */
/* ---------------------------------------------------------------- */

static void close_listeners(struct lmtp_server *srv)
{
	size_t	i;

	for (i = 0; i < srv->nls; i++) {
		struct listener *l = &srv->ls[i];

		if (l->started)
			pthread_join(l->thread, NULL);
		if (l->fd >= 0)
			close(l->fd);
		if (l->unix_path)
			unlink(l->unix_path);
		free(l->unix_path);
		free(l->name);
	}
	free(srv->ls);
	srv->ls = NULL;
	srv->nls = 0;
}

static void server_free(struct lmtp_server *srv)
{
	close_listeners(srv);
	if (srv->wake[0] >= 0)
		close(srv->wake[0]);
	if (srv->wake[1] >= 0)
		close(srv->wake[1]);
	pthread_mutex_destroy(&srv->mu);
	pthread_cond_destroy(&srv->cv);
	free(srv->hostname);
	free(srv);
}

static char *host_name(const char *configured)
{
	char	name[256];

	if (configured && *configured)
		return strdup(configured);
	if (gethostname(name, sizeof(name)) < 0)
		return strdup("localhost");
	name[sizeof(name) - 1] = '\0';
	return strdup(name);
}

static struct lmtp_server *server_new(const struct lmtp_config *cfg,
				      const struct lmtp_hooks *hooks)
{
	struct lmtp_server *srv = calloc(1, sizeof(*srv));

	if (srv == NULL)
		return NULL;
	srv->cfg = *cfg;
	srv->cfg.listen = NULL;		/* not kept: the caller's memory */
	srv->hooks = *hooks;
	srv->wake[0] = srv->wake[1] = -1;
	pthread_mutex_init(&srv->mu, NULL);
	pthread_cond_init(&srv->cv, NULL);
	atomic_init(&srv->stopping, 0);
	if ((srv->hostname = host_name(cfg->hostname)) == NULL
	    || pipe(srv->wake) < 0 || set_nonblock(srv->wake[0]) < 0
	    || set_nonblock(srv->wake[1]) < 0) {
		server_free(srv);
		return NULL;
	}
	return srv;
}

static int open_all(struct lmtp_server *srv, const char *const *listen)
{
	size_t	n = 0, i;

	while (listen && listen[n])
		n++;
	if (n == 0) {
		set_error("lmtp_listen: no address to listen on");
		return -1;
	}
	if ((srv->ls = calloc(n, sizeof(*srv->ls))) == NULL) {
		set_error("lmtp_listen: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		srv->nls = i + 1;
		if (open_listener(srv, &srv->ls[i], listen[i]) < 0)
			return -1;
	}
	return 0;
}

struct lmtp_server *lmtp_server_start(const struct lmtp_config *cfg,
				      const struct lmtp_hooks *hooks,
				      const char **error_r)
{
	struct lmtp_server *srv;
	size_t	i;

	if (hooks->rcpt == NULL || hooks->deliver == NULL
	    || cfg->max_sessions == 0 || cfg->max_rcpts == 0
	    || cfg->max_line == 0 || cfg->max_command_line == 0) {
		*error_r = set_error("lmtp: bad configuration (hooks or limits)");
		return NULL;
	}
	if ((srv = server_new(cfg, hooks)) == NULL) {
		*error_r = set_error("lmtp: out of resources");
		return NULL;
	}
	if (open_all(srv, cfg->listen) < 0) {
		*error_r = lmtp_error;
		server_free(srv);
		return NULL;
	}
	for (i = 0; i < srv->nls; i++) {
		struct listener *l = &srv->ls[i];

		if (pthread_create(&l->thread, NULL, acceptor_main, l) != 0) {
			*error_r = set_error("lmtp: cannot start a thread");
			lmtp_server_stop(srv);
			return NULL;
		}
		l->started = 1;
		log_info("event=lmtp-listen listen=%s", log_quote(l->name));
	}
	return srv;
}

void lmtp_server_stop(struct lmtp_server *srv)
{
	if (srv == NULL)
		return;
	atomic_store(&srv->stopping, 1);
	(void) !write(srv->wake[1], "x", 1);
	close_listeners(srv);		/* joins the acceptors first */
	pthread_mutex_lock(&srv->mu);
	while (srv->active > 0)
		pthread_cond_wait(&srv->cv, &srv->mu);
	pthread_mutex_unlock(&srv->mu);
	reap(srv);
	server_free(srv);
}

unsigned lmtp_server_sessions(const struct lmtp_server *srv)
{
	unsigned n;

	pthread_mutex_lock((pthread_mutex_t *) &srv->mu);
	n = srv->active;
	pthread_mutex_unlock((pthread_mutex_t *) &srv->mu);
	return n;
}

const char *lmtp_server_listen_name(const struct lmtp_server *srv, size_t i)
{
	return i < srv->nls ? srv->ls[i].name : NULL;
}
