/*
 * NAME
 *	deliver 3h
 * SUMMARY
 *	SMTP delivery to the relay over libcurl, one connection per handle,
 *	with a reply code, status and outcome for every recipient
 * SYNOPSIS
 *	#include "deliver.h"
 * DESCRIPTION
 *	A deliver_conn is one libcurl easy handle, and so one SMTP
 *	connection to the relay that is kept open and reused across
 *	transactions (libcurl's connection cache, limited to one entry).
 *	deliver_send() runs one transaction: MAIL FROM, one RCPT per
 *	recipient (libcurl sends them one at a time, so each reply belongs
 *	to one recipient), DATA, the message, ".".  libcurl's debug callback
 *	hands us every reply line, which is how the per-recipient codes of a
 *	batched transaction are known.
 *
 *	This module knows nothing of lists, queues or the database: it
 *	reports, the caller decides (retry, bounce, log).  It does not log.
 *
 *	Threads: deliver_global_init() must be called once by the program's
 *	main thread before any other thread starts (curl_global_init() is
 *	not thread-safe); after that each thread owns its own deliver_conn
 *	and conns share nothing.
 */
#ifndef SEALIST_DELIVER_H
#define SEALIST_DELIVER_H

#include <stddef.h>

#include "dsn/dsn.h"
#include "sealist_limits.h"

enum deliver_starttls {
	DELIVER_STARTTLS_OFF,		/* never, even if offered */
	DELIVER_STARTTLS_OPTIONAL,	/* when offered; else in clear */
	DELIVER_STARTTLS_REQUIRED,	/* no STARTTLS: fail, send nothing */
};

struct deliver_config {
	const char *relay;	/* "smtp://host[:port]" or "smtps://..." */
	enum deliver_starttls starttls;	/* ignored for smtps:// */
	const char *user;	/* AUTH user, or NULL for no AUTH */
	const char *password;	/* with user */
	const char *helo;	/* EHLO name; NULL: libcurl's default */
	long	connect_timeout_ms;	/* 0: 30 s */
	long	reply_timeout_ms;	/* one reply; 0: 300 s (RFC 5321
					   4.5.3.2 allows 5 minutes) */
	long	total_timeout_ms;	/* one transaction; 0: 600 s */
	const char *ca_file;	/* PEM CA bundle; NULL: the system's */
	int	tls_verify;	/* 1: check the relay's certificate and name.
				   0 is for tests and private relays with
				   self-signed certificates only */
	int	allow_plain_auth;	/* 1: allow AUTH over smtp:// with
					   starttls optional/off (the password
					   may then go in clear); for tests */
};

enum deliver_outcome {
	DELIVER_DELIVERED,	/* 2xx to the end of data */
	DELIVER_TEMPFAIL,	/* 4xx, lost connection, timeout: retry */
	DELIVER_PERMFAIL,	/* 5xx: bounce */
};

/* What went wrong with the transaction as a whole, if anything. */
enum deliver_failure {
	DELIVER_FAIL_NONE,
	DELIVER_FAIL_CONNECT,	/* refused, unreachable, DNS */
	DELIVER_FAIL_TLS,	/* STARTTLS not offered but required, bad
				   certificate, handshake failed */
	DELIVER_FAIL_AUTH,	/* AUTH refused: a configuration error the
				   caller should log loudly */
	DELIVER_FAIL_LOST,	/* the relay hung up or a reply was garbled */
	DELIVER_FAIL_TIMEOUT,
	DELIVER_FAIL_REPLY,	/* the relay refused MAIL, DATA or the
				   message (the code is per recipient) */
	DELIVER_FAIL_LOCAL,	/* out of memory, bad arguments */
};

/* Which step's reply decided a recipient. */
enum deliver_stage {
	DELIVER_STAGE_NONE,	/* no reply: transaction failure */
	DELIVER_STAGE_MAIL,
	DELIVER_STAGE_RCPT,
	DELIVER_STAGE_DATA,	/* the DATA command itself */
	DELIVER_STAGE_EOD,	/* the reply after the final "." */
};

#define DELIVER_TEXT_SIZE	(LIMIT_DELIVER_REPLY + 1)

struct deliver_rcpt {
	enum deliver_outcome outcome;
	enum deliver_stage stage;
	int	code;		/* SMTP reply code; 0 when no reply decided
				   this recipient (transaction failure:
				   stage says how far it got) */
	char	status[16];	/* enhanced status "5.1.1", or "" */
	enum dsn_class cls;	/* dsn_classify() of the reply; DSN_SOFT for
				   a TEMPFAIL without a reply, DSN_OTHER
				   when delivered */
	char	text[DELIVER_TEXT_SIZE];	/* the reply, lines joined with
						   a space, or the reason when
						   there was no reply */
};

struct deliver_result {
	struct deliver_rcpt *rcpt;	/* n entries, in the order given */
	size_t	n;
	enum deliver_failure failure;
	char	reason[DELIVER_TEXT_SIZE];	/* "" when failure is NONE */
	int	new_connection;	/* 1: this transaction opened a connection */
	size_t	delivered, tempfail, permfail;
};

struct deliver_conn;

/* Once per process, before threads; 0, or -1 if libcurl could not start. */
extern int deliver_global_init(void);
extern void deliver_global_cleanup(void);

/*
 * A handle for cfg (the strings are copied).  Does not connect: the
 * first deliver_send() does.  NULL with a static *error_r on a bad
 * config ("relay must be smtp:// or smtps://", ...) or no memory.
 */
extern struct deliver_conn *deliver_conn_new(const struct deliver_config *cfg,
					     const char **error_r);

/* Send QUIT if connected and free everything; NULL is fine. */
extern void deliver_conn_free(struct deliver_conn *);

/*
 * One transaction: envelope sender mail_from ("" for <>), recipients
 * rcpts[0..n), message msg[0..len) sent byte for byte (it must end with
 * CRLF; libcurl dot-stuffs and adds the "."; n at most
 * LIMIT_DELIVER_RCPTS).  res is filled (res->rcpt allocated: free it
 * with deliver_result_free() whatever the return).  Returns the number
 * of recipients delivered, or -1 when nothing was attempted (bad
 * arguments, no memory: res->failure is LOCAL).  A recipient refused
 * at RCPT keeps that reply even when the transaction fails later; every
 * other not-delivered recipient gets TEMPFAIL with res->reason.
 */
extern int deliver_send(struct deliver_conn *, const char *mail_from,
			const char *const *rcpts, size_t n,
			const void *msg, size_t len,
			struct deliver_result *res);

extern void deliver_result_free(struct deliver_result *);

/* "delivered", "tempfail", "permfail" */
extern const char *deliver_outcome_name(enum deliver_outcome);
/* "none", "connect", "tls", "auth", "lost", "timeout", "reply", "local" */
extern const char *deliver_failure_name(enum deliver_failure);

#endif
