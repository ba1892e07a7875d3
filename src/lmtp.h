/*
 * NAME
 *	lmtp 3h
 * SUMMARY
 *	the LMTP server (RFC 2033): sockets, sessions, limits, replies
 * DESCRIPTION
 *	lmtp.c listens on the configured sockets and speaks LMTP with MTAs:
 *	LHLO, MAIL FROM (SIZE, BODY=7BIT|8BITMIME, SMTPUTF8), RCPT TO, DATA
 *	with dot-unstuffing, RSET, NOOP, QUIT, VRFY (252), PIPELINING,
 *	ENHANCEDSTATUSCODES and Postfix's XFORWARD (ADDR NAME HELO PROTO
 *	SOURCE, parsed by lib/spf).  Commands and DATA lines are parsed by
 *	lib/lmtp, which knows nothing of sockets.
 *
 *	It knows nothing of lists either: whether an address exists and
 *	where a message goes are the caller's, through struct lmtp_hooks.
 *	rcpt() is asked at RCPT time; deliver() is called once after DATA
 *	with every accepted recipient and must have stored the message
 *	durably when it returns 0: only then does the client get its 250
 *	replies (one per accepted recipient, RFC 2033 section 4.2).  A
 *	session that ends before the final "." (disconnect, timeout, a size
 *	or line limit) never reaches deliver(), so no partial message is
 *	kept.
 *
 *	Threads: one acceptor thread per listening socket and one thread per
 *	session, at most max_sessions at once (the next client gets "421
 *	4.3.2 too many sessions" and is closed).  Hooks are called from
 *	session threads, concurrently.
 */
#ifndef SEALIST_LMTP_H
#define SEALIST_LMTP_H

#include <stddef.h>

#include "spf/spf.h"

/* What the client told us about one transaction. */
struct lmtp_envelope {
	const char *lhlo;		/* the LHLO argument */
	const char *mail_from;		/* without <>; "" for the null sender */
	unsigned long long size;	/* SIZE=, 0 if not given */
	int	body_8bitmime;		/* BODY=8BITMIME */
	int	smtputf8;		/* SMTPUTF8 */
	const struct spf_xforward *xforward;	/* what XFORWARD said (have_addr
					   0: no client address) */
	const char *session_id;		/* for log lines */
};

struct lmtp_rcpt {
	const char *address;		/* RCPT TO without <>, as given */
	void   *route;			/* what rcpt() returned for it */
};

struct lmtp_hooks {
	void   *ctx;
	/*
	 * RCPT TO address (without <>, NUL-terminated, already checked to be
	 * a syntactically valid path).  Return 0 to accept, with *route_r
	 * set (may be NULL) for deliver(); or -1 with *reply_r a complete
	 * reply line without CRLF ("550 5.1.1 <x@y>: no such list", "451
	 * 4.3.0 try again later").  Static or per-thread memory for reply_r.
	 */
	int	(*rcpt)(void *ctx, const struct lmtp_envelope *env,
			const char *address, void **route_r,
			const char **reply_r);
	/* Release a route (after deliver(), RSET or the session's end). */
	void	(*route_free)(void *ctx, void *route);
	/*
	 * The message, exactly the octets received after dot-unstuffing
	 * (line ends as sent, CRLF), len bytes.  Return 0 once it is stored
	 * durably for all recipients (each gets "250 2.1.5 ..."), or -1 with
	 * *reply_r ("451 4.3.0 ..." or "552 5.3.4 ...") given to each.
	 */
	int	(*deliver)(void *ctx, const struct lmtp_envelope *env,
			   const struct lmtp_rcpt *rcpts, size_t nrcpts,
			   const unsigned char *msg, size_t len,
			   const char **reply_r);
};

struct lmtp_config {
	/* "unix:/path" and/or "HOST:PORT" ("[v6]:PORT"), NULL-terminated */
	const char *const *listen;
	unsigned socket_mode;		/* for unix sockets, e.g. 0660 */
	long long socket_uid, socket_gid;	/* their owner and group; -1 keeps
					   the daemon's (chown needs root) */
	const char *hostname;		/* in the greeting and LHLO reply */
	unsigned max_sessions;		/* >= 64 */
	size_t	max_message_size;	/* 552 5.3.4 above it (SIZE= or DATA) */
	size_t	max_line;		/* DATA line limit, octets without CRLF
					   (a longer line: 552 5.3.4 at the end) */
	unsigned max_rcpts;		/* per transaction: 452 4.5.3 beyond */
	unsigned command_timeout_s;	/* idle wait for a command */
	unsigned data_timeout_s;	/* idle wait inside DATA */
	/* Added: the command line limit, octets without CRLF (500 5.5.2). */
	size_t	max_command_line;
};

/* Defaults: no listen addresses, mode 0660, the host's name,
   LIMIT_LMTP_SESSIONS (64) sessions, LIMIT_MESSAGE_SIZE,
   LIMIT_LMTP_COMMAND_LINE (2048-octet) commands and LIMIT_LMTP_LINE data
   lines, LIMIT_LMTP_RCPTS (100) recipients, 300 s / 600 s. */
extern void lmtp_config_init(struct lmtp_config *);

struct lmtp_server;

/*
 * Bind every listen address (a stale unix socket file is replaced; an
 * address in use is an error), then start accepting.  NULL with
 * *error_r ("lmtp_listen unix:/x: Permission denied") on failure, with
 * nothing left open.
 */
extern struct lmtp_server *lmtp_server_start(const struct lmtp_config *,
					     const struct lmtp_hooks *,
					     const char **error_r);

/*
 * Stop accepting, tell idle sessions "421 4.3.2 shutting down", let a
 * session inside deliver() finish it, wait for every session thread,
 * close and unlink the sockets.
 */
extern void lmtp_server_stop(struct lmtp_server *);

/* Sessions open now (for logs and tests). */
extern unsigned lmtp_server_sessions(const struct lmtp_server *);

/*
 * Added: the i-th listening address as bound, "unix:/path" or
 * "127.0.0.1:41234" / "[::1]:41234" (the real port when 0 was asked
 * for), or NULL past the last.  Valid until lmtp_server_stop().
 */
extern const char *lmtp_server_listen_name(const struct lmtp_server *,
					   size_t i);

#endif
