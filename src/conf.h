/*
 * NAME
 *	conf 3h
 * SUMMARY
 *	the daemon configuration file: one table of keys, a parser, lookups
 * DESCRIPTION
 *	sealist.conf is "key = value" lines with "#" comments.  Every key is
 *	a row of one table (name, type, default, bounds, help) in conf.c; the
 *	parser, --check-config, the tests and doc/sealist.conf.5 all follow
 *	that table.  Unknown keys, bad values and repeated keys are errors
 *	reported with their line numbers, all of them, not just the first.
 *
 *	Both sealistd and the sealist CLI read the same file.
 */
#ifndef SEALIST_CONF_H
#define SEALIST_CONF_H

#include <stddef.h>

#include "buf/buf.h"

/* One id per key, in the table's order. */
enum conf_id {
	CONF_DATABASE,
	CONF_LMTP_LISTEN,
	CONF_LMTP_SOCKET_MODE,
	CONF_WEB_LISTEN,
	CONF_WEB_BASE_URL,
	CONF_SMTP_RELAY,
	CONF_DNS_NAMESERVER,
	CONF_AUTHSERV_ID,
	CONF_TRUSTED_AUTHSERV_IDS,
	CONF_KEYS_DIR,
	CONF_RECIPIENT_DELIMITER,
	CONF_LOG_LEVEL,
	CONF_LOG_FACILITY,
	CONF_PID_FILE,
	CONF_TEMPLATES_DIR,
	CONF_PIPELINE_WORKERS,
	CONF_DMARC_DISCOVERY,
	CONF_LMTP_SOCKET_OWNER,
	CONF_SMTP_STARTTLS,
	CONF_SMTP_TLS_VERIFY,
	CONF_SMTP_USER,
	CONF_SMTP_PASSWORD,
	CONF_SMTP_CONNECTIONS,
	CONF_VERP,
	CONF_MAX_RCPT_PER_TXN,
	CONF_RETRY_SCHEDULE,
	CONF_MAX_QUEUE_LIFETIME,
	CONF_ALLOW_OPEN_SUBSCRIBE,
	CONF_PENDING_REQUEST_LIFE,
	CONF_REQUEST_REPLIES_PER_HOUR,
	CONF_REQUEST_MAX_COMMANDS,
	CONF_WWW_DIR,
	CONF_WEB_TLS_CERT,
	CONF_WEB_TLS_KEY,
	CONF_WEB_TRUSTED_PROXIES,
	CONF_WEB_SESSION_IDLE,
	CONF_WEB_SESSION_LIFE,
	CONF_OUTBOUND_IPS,	/* DMARC aggregate reports */
	CONF_DMARC_REPORT_ADDRESS,
	CONF_DMARC_REPORTS_SEND,
	CONF_DMARC_REPORT_REQUIRE_AUTH,	/* H5: refuse report mail that did not pass DMARC */
	CONF_KEY_COUNT
};

enum conf_type {
	CONF_T_STRING,		/* any text */
	CONF_T_PATH,		/* absolute file name; may not be empty */
	CONF_T_LISTEN,		/* unix:/abs/path, HOST:PORT, [v6]:PORT, or empty = off */
	CONF_T_HOSTPORT,	/* HOST:PORT, [v6]:PORT, or empty */
	CONF_T_URL,		/* smtp:// or smtps:// URL, or empty */
	CONF_T_HTTP_URL,	/* http:// or https:// URL, or empty */
	CONF_T_ENUM,		/* one of the row's choices */
	CONF_T_OCTAL,		/* file mode, 0000..0777 */
	CONF_T_CHAR,		/* exactly one printable non-alphanumeric character */
	CONF_T_TOKEN,		/* non-empty, no whitespace */
	CONF_T_TOKEN_LIST,	/* tokens separated by commas and/or spaces; may be empty */
	CONF_T_COUNT,		/* a whole number 1-64 */
	CONF_T_RCPTS,		/* a whole number 1-LIMIT_DELIVER_RCPTS */
	CONF_T_DURATION,	/* N[smhd]: seconds, minutes, hours, days */
	CONF_T_DURATIONS,	/* one or more durations, blank-separated */
	CONF_T_FILE,		/* absolute file name, or empty */
	CONF_T_NETS,		/* IPv4/IPv6 addresses or ADDR/BITS, blank-separated; may be empty */
	CONF_T_LOCAL_PART,	/* an ASCII dot-atom local part (no '@'), or empty */
};

struct conf_key {
	const char *name;
	enum conf_type type;
	const char *default_value;
	const char *choices;		/* CONF_T_ENUM: "a|b|c" */
	const char *help;		/* one or two sentences for docs and errors */
};

struct conf {
	char   *value[CONF_KEY_COUNT];	/* always set: default or from file */
	int	line[CONF_KEY_COUNT];	/* line it came from, 0 = default */
	char   *path;			/* file read, or NULL */
};

/* The table (CONF_KEY_COUNT rows), for docs and --help. */
extern const struct conf_key conf_keys[CONF_KEY_COUNT];

/* The installed default configuration file name. */
extern const char *conf_default_path(void);

/* Fill with every key's default. */
extern void conf_init(struct conf *);

/*
 * Read and check a configuration file.  Returns the number of errors (0
 * when good); each error is one line "FILE:LINE: message" appended to
 * errors.  On errors the conf still holds defaults for the keys that
 * failed, so it is usable for --check-config's report but not for running.
 * A file that cannot be opened is one error naming the system's reason.
 */
extern int conf_load(struct conf *, const char *path, struct buf *errors);

/* Same, over text in memory (for tests); name is used in error lines. */
extern int conf_parse(struct conf *, const char *name,
		      const char *text, size_t len, struct buf *errors);

/*
 * Check one value against its key's type.  Returns NULL if good, else a
 * short static reason ("expected HOST:PORT or unix:/path").
 */
extern const char *conf_check_value(enum conf_id, const char *value);

/* One IPv4 or IPv6 address, or ADDR/BITS (bits within the family's size)
   in [s, s+len); 1 good, 0 not. */
extern int conf_valid_net(const char *s, size_t len);

/* The value (never NULL; "" for an empty setting). */
extern const char *conf_get(const struct conf *, enum conf_id);

/* Find a key by name; -1 if there is none. */
extern int conf_lookup(const char *name);

/*
 * A CONF_T_TOKEN_LIST value split at commas and blanks: a malloc'd,
 * NULL-terminated array of malloc'd tokens (*n_r of them), freed with
 * conf_tokens_free.  NULL only when memory runs out.
 */
/*
 * A duration "90", "90s", "5m", "2h", "5d" in seconds, or -1 if it is not
 * one (or is 0, or over a year).
 */
extern long conf_duration(const char *text, size_t len);

extern char **conf_tokens(const struct conf *, enum conf_id, size_t *n_r);
extern void conf_tokens_free(char **);

/*
 * The authserv-id to write: authserv_id, or this host's name when it is
 * empty (what RFC 8601 section 2.5 suggests).  Into out (size bytes);
 * 0, or -1 when neither is usable.
 */
extern int conf_authserv_id(const struct conf *, char *out, size_t size);

/* Release what conf_load/conf_parse allocated; the conf holds defaults. */
extern void conf_free(struct conf *);

#endif
