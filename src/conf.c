/*
 * NAME
 *	conf 3
 * SUMMARY
 *	the daemon configuration file: one table of keys, a parser, lookups
 * DESCRIPTION
 *	See conf.h.  A "#" starts a comment only at the start of a line
 *	(after blanks), so values such as URLs may contain "#".  There is no
 *	line continuation and no quoting: a value is the text after "=" with
 *	surrounding blanks removed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "sealist_limits.h"
#include "conf.h"

#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

const struct conf_key conf_keys[CONF_KEY_COUNT] = {
	[CONF_DATABASE] = {"database", CONF_T_PATH,
		LOCALSTATEDIR "/lib/sealist/sealist.db", NULL,
		"The SQLite database file holding lists, members, the inbox and the queue."},
	[CONF_LMTP_LISTEN] = {"lmtp_listen", CONF_T_LISTEN,
		"127.0.0.1:8024", NULL,
		"Where the MTA delivers list mail by LMTP: unix:/path for a socket, HOST:PORT for TCP; empty turns LMTP off."},
	[CONF_LMTP_SOCKET_MODE] = {"lmtp_socket_mode", CONF_T_OCTAL,
		"0660", NULL,
		"File mode of the LMTP unix socket, so that only the MTA's group may connect."},
	[CONF_WEB_LISTEN] = {"web_listen", CONF_T_HOSTPORT,
		"127.0.0.1:8080", NULL,
		"Address of the web interface (admin pages, subscriber pages, one-click unsubscribe); empty turns it off."},
	[CONF_WEB_BASE_URL] = {"web_base_url", CONF_T_HTTP_URL,
		"", NULL,
		"Public URL of the web interface as subscribers reach it (behind a proxy); empty means http://web_listen/."},
	[CONF_SMTP_RELAY] = {"smtp_relay", CONF_T_URL,
		"smtp://127.0.0.1:25", NULL,
		"The relay that list mail is handed to, in libcurl syntax (smtp:// or smtps://)."},
	[CONF_DNS_NAMESERVER] = {"dns_nameserver", CONF_T_HOSTPORT,
		"", NULL,
		"Nameserver for DKIM, SPF and DMARC lookups as HOST:PORT; empty uses the system resolver."},
	[CONF_AUTHSERV_ID] = {"authserv_id", CONF_T_STRING,
		"", NULL,
		"The authserv-id in the Authentication-Results fields sealist adds; empty means this host's name."},
	[CONF_TRUSTED_AUTHSERV_IDS] = {"trusted_authserv_ids", CONF_T_TOKEN_LIST,
		"", NULL,
		"Authserv-ids of upstream hosts whose Authentication-Results sealist may trust; all others are removed."},
	[CONF_KEYS_DIR] = {"keys_dir", CONF_T_PATH,
		SYSCONFDIR "/sealist/keys", NULL,
		"Directory of the list domains' private signing keys."},
	[CONF_RECIPIENT_DELIMITER] = {"recipient_delimiter", CONF_T_CHAR,
		"+", NULL,
		"Separator between a list address and its extension (LIST-bounces+TAG@, LIST-confirm+TOKEN@)."},
	[CONF_LOG_LEVEL] = {"log_level", CONF_T_ENUM,
		"info", "debug|info|warn|error",
		"Least severe log lines written."},
	[CONF_LOG_FACILITY] = {"log_facility", CONF_T_ENUM,
		"mail", "mail|daemon|local0|local1|local2|local3|local4|local5|local6|local7",
		"Syslog facility (a foreground daemon logs to stderr instead)."},
	[CONF_PID_FILE] = {"pid_file", CONF_T_STRING,
		"", NULL,
		"File the daemon writes its process id to; empty writes none."},
	[CONF_TEMPLATES_DIR] = {"templates_dir", CONF_T_PATH,
		PKGDATADIR "/templates", NULL,
		"Directory of the notice templates (held-moderator.txt, ...)."},
	[CONF_PIPELINE_WORKERS] = {"pipeline_workers", CONF_T_COUNT,
		"2", NULL,
		"Threads that authenticate, judge and rewrite incoming mail (1-64)."},
	[CONF_DMARC_DISCOVERY] = {"dmarc_discovery", CONF_T_ENUM,
		"treewalk", "treewalk|psl",
		"How DMARC finds organizational domains: RFC 9989's DNS tree walk, or RFC 7489's public suffix list."},
	[CONF_LMTP_SOCKET_OWNER] = {"lmtp_socket_owner", CONF_T_STRING,
		"", NULL,
		"USER or USER:GROUP (or :GROUP) given the unix LMTP socket; empty keeps the daemon's."},
	[CONF_SMTP_STARTTLS] = {"smtp_starttls", CONF_T_ENUM,
		"optional", "required|optional|off",
		"STARTTLS on an smtp:// relay: required (never send in clear), optional (when offered) or off."},
	[CONF_SMTP_TLS_VERIFY] = {"smtp_tls_verify", CONF_T_ENUM,
		"yes", "yes|no",
		"Check the relay's certificate and name; no only for a private relay with a self-signed certificate."},
	[CONF_SMTP_USER] = {"smtp_user", CONF_T_STRING,
		"", NULL,
		"SMTP AUTH user at the relay; empty sends no AUTH."},
	[CONF_SMTP_PASSWORD] = {"smtp_password", CONF_T_STRING,
		"", NULL,
		"SMTP AUTH password (keep this file mode 0600); sent only over TLS."},
	[CONF_SMTP_CONNECTIONS] = {"smtp_connections", CONF_T_COUNT,
		"4", NULL,
		"Delivery threads, each with its own reused connection to the relay (1-64)."},
	[CONF_VERP] = {"verp", CONF_T_ENUM,
		"yes", "yes|no",
		"One transaction per recipient with envelope sender LIST-bounces+LOCAL=DOMAIN@ (yes), or batches under LIST-bounces@ (no)."},
	[CONF_MAX_RCPT_PER_TXN] = {"max_rcpt_per_txn", CONF_T_RCPTS,
		"100", NULL,
		"Recipients per SMTP transaction when a copy can be shared (verp = no, personalize = 0)."},
	[CONF_RETRY_SCHEDULE] = {"retry_schedule", CONF_T_DURATIONS,
		"5m 10m 30m 1h 2h 4h", NULL,
		"Waits after the 1st, 2nd, ... temporary failure of a delivery; the last one repeats."},
	[CONF_MAX_QUEUE_LIFETIME] = {"max_queue_lifetime", CONF_T_DURATION,
		"5d", NULL,
		"How long a delivery is retried before it is given up as a bounce."},
	[CONF_ALLOW_OPEN_SUBSCRIBE] = {"allow_open_subscribe", CONF_T_ENUM,
		"no", "yes|no",
		"Whether a list's subscribe_policy 0 (open) may take effect; with no it is treated as 1 (confirm)."},
	[CONF_PENDING_REQUEST_LIFE] = {"pending_request_life", CONF_T_DURATION,
		"3d", NULL,
		"How long a subscription or unsubscription waits for its confirmation or approval."},
	[CONF_REQUEST_REPLIES_PER_HOUR] = {"request_replies_per_hour", CONF_T_COUNT,
		"10", NULL,
		"Mails sent in answer to mail commands per recipient address and hour (1-64); more are dropped."},
	[CONF_REQUEST_MAX_COMMANDS] = {"request_max_commands", CONF_T_COUNT,
		"25", NULL,
		"Commands read from one mail to LIST-request (1-64); the rest is ignored."},
	[CONF_WWW_DIR] = {"www_dir", CONF_T_PATH,
		PKGDATADIR "/www", NULL,
		"Directory of the web interface's static files (sealist.css, ...), served under /static/."},
	[CONF_WEB_TLS_CERT] = {"web_tls_cert", CONF_T_FILE,
		"", NULL,
		"PEM certificate chain for HTTPS on web_listen itself; set with web_tls_key, or neither (plain HTTP)."},
	[CONF_WEB_TLS_KEY] = {"web_tls_key", CONF_T_FILE,
		"", NULL,
		"PEM private key of web_tls_cert (keep it mode 0600)."},
	[CONF_WEB_TRUSTED_PROXIES] = {"web_trusted_proxies", CONF_T_NETS,
		"", NULL,
		"Reverse proxies (IPs or CIDRs, blank-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed; empty believes none."},
	[CONF_WEB_SESSION_IDLE] = {"web_session_idle", CONF_T_DURATION,
		"2h", NULL,
		"A web admin session ends after this long without a request."},
	[CONF_WEB_SESSION_LIFE] = {"web_session_life", CONF_T_DURATION,
		"12h", NULL,
		"A web admin session ends this long after the login, used or not."},
	[CONF_OUTBOUND_IPS] = {"outbound_ips", CONF_T_NETS,
		"", NULL,
		"The list server's own outbound IPs or CIDRs (blank-separated), marked with * in DMARC report summaries."},
	[CONF_DMARC_REPORT_ADDRESS] = {"dmarc_report_address", CONF_T_LOCAL_PART,
		"dmarc-reports", NULL,
		"Local part that receives DMARC aggregate reports at every list domain, and sends ours; empty: no report address."},
	[CONF_DMARC_REPORTS_SEND] = {"dmarc_reports_send", CONF_T_ENUM,
		"yes", "yes|no",
		"Send DMARC aggregate reports to the author domains whose records ask for them (rua=)."},
	[CONF_DMARC_REPORT_REQUIRE_AUTH] = {"dmarc_report_require_auth", CONF_T_ENUM,
		"no", "yes|no",
		"Refuse (keep aside) DMARC report mail that did not pass DMARC; no: store it, marked as not authenticated."},
};

const char *conf_default_path(void)
{
	return SYSCONFDIR "/sealist/sealist.conf";
}

void conf_init(struct conf *conf)
{
	int	i;

	for (i = 0; i < CONF_KEY_COUNT; i++) {
		conf->value[i] = NULL;
		conf->line[i] = 0;
	}
	conf->path = NULL;
}

void conf_free(struct conf *conf)
{
	int	i;

	for (i = 0; i < CONF_KEY_COUNT; i++)
		free(conf->value[i]);
	free(conf->path);
	conf_init(conf);
}

const char *conf_get(const struct conf *conf, enum conf_id id)
{
	if ((int) id < 0 || (int) id >= CONF_KEY_COUNT)
		return "";
	return conf->value[id] ? conf->value[id] : conf_keys[id].default_value;
}

int conf_lookup(const char *name)
{
	int	i;

	for (i = 0; i < CONF_KEY_COUNT; i++)
		if (strcmp(conf_keys[i].name, name) == 0)
			return i;
	return -1;
}

/* Decimal port 1..65535, the whole string. */
static int conf_valid_port(const char *s)
{
	long	port = 0;

	if (*s == 0 || strlen(s) > 5)
		return 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char) *s))
			return 0;
		port = port * 10 + (*s - '0');
	}
	return port >= 1 && port <= 65535;
}

static int conf_valid_hostname(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > LIMIT_DOMAIN)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char) s[i]) && s[i] != '.' && s[i] != '-'
		    && s[i] != '_')
			return 0;
	return 1;
}

static int conf_valid_hostport(const char *s)
{
	const char *colon;

	if (*s == '[') {
		const char *end = strchr(s, ']');
		size_t	i;

		if (end == NULL || end == s + 1 || end[1] != ':')
			return 0;
		for (i = 1; s + i < end; i++)
			if (!isxdigit((unsigned char) s[i]) && s[i] != ':' && s[i] != '.')
				return 0;
		return conf_valid_port(end + 2);
	}
	if ((colon = strrchr(s, ':')) == NULL)
		return 0;
	return conf_valid_hostname(s, (size_t) (colon - s))
	    && conf_valid_port(colon + 1);
}

static int conf_has_space(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char) *s))
			return 1;
	return 0;
}

static int conf_in_choices(const char *choices, const char *value)
{
	size_t	len = strlen(value);
	const char *p = choices;

	while (*p) {
		const char *bar = strchr(p, '|');
		size_t	n = bar ? (size_t) (bar - p) : strlen(p);

		if (n == len && strncmp(p, value, n) == 0)
			return 1;
		p += n + (bar != NULL);
	}
	return 0;
}

/* A whole number 1..max, digits only. */
static int conf_valid_number(const char *v, long max)
{
	char   *end;
	long	n;

	if (*v < '1' || *v > '9')
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	return errno == 0 && *end == 0 && n >= 1 && n <= max;
}

long conf_duration(const char *text, size_t len)
{
	long	n = 0, unit = 1;
	size_t	i;

	for (i = 0; i < len && isdigit((unsigned char) text[i]); i++) {
		if (n > 100000000L)
			return -1;
		n = n * 10 + (text[i] - '0');
	}
	if (i == 0 || len - i > 1)
		return -1;
	if (i < len) {
		switch (text[i]) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: return -1;
		}
	}
	if (n == 0 || n > 366L * 86400 / unit)
		return -1;
	return n * unit;
}

/* Blank-separated durations, at least one. */
static int conf_valid_durations(const char *v)
{
	int	count = 0;

	for (;;) {
		size_t	n;

		v += strspn(v, " \t,");
		if (*v == 0)
			return count > 0;
		n = strcspn(v, " \t,");
		if (conf_duration(v, n) < 0)
			return 0;
		count++;
		v += n;
	}
}

int conf_valid_net(const char *s, size_t len)
{
	char	addr[INET6_ADDRSTRLEN + 8];
	unsigned char bin[16];
	const char *slash = memchr(s, '/', len);
	size_t	alen = slash ? (size_t) (slash - s) : len;
	int	v6 = memchr(s, ':', alen) != NULL;
	long	bits;
	char   *end;

	if (alen == 0 || alen >= sizeof(addr))
		return 0;
	memcpy(addr, s, alen);
	addr[alen] = 0;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, bin) != 1)
		return 0;
	if (slash == NULL)
		return 1;
	if (slash + 1 == s + len || !isdigit((unsigned char) slash[1]))
		return 0;
	bits = strtol(slash + 1, &end, 10);
	return end == s + len && bits >= 0 && bits <= (v6 ? 128 : 32);
}

/* Blank-separated nets (conf_valid_net); empty is good. */
static int conf_valid_nets(const char *v)
{
	while (*v) {
		size_t	n;

		v += strspn(v, " \t");
		if ((n = strcspn(v, " \t")) == 0)
			break;
		if (!conf_valid_net(v, n))
			return 0;
		v += n;
	}
	return 1;
}

/*
 * An RFC 5322 dot-atom of ASCII atext, at most LIMIT_LOCAL_PART octets:
 * the local part of an address sealist answers at every list domain.
 * Empty is good (none).
 */
static int conf_valid_local_part(const char *v)
{
	size_t	i, len = strlen(v);

	if (len == 0)
		return 1;
	if (len > LIMIT_LOCAL_PART || v[0] == '.' || v[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		if (v[i] == '.' ? v[i + 1] == '.'
		    : !isalnum((unsigned char) v[i]) && strchr("!#$%&'*+-/=?^_`{|}~", v[i]) == NULL)
			return 0;
	}
	return 1;
}

const char *conf_check_value(enum conf_id id, const char *v)
{
	const struct conf_key *key = &conf_keys[id];

	switch (key->type) {
	case CONF_T_STRING:
	case CONF_T_TOKEN_LIST:
		return NULL;
	case CONF_T_COUNT:
		return conf_valid_number(v, 64) ? NULL : "expected a whole number from 1 to 64";
	case CONF_T_RCPTS:
		return conf_valid_number(v, LIMIT_DELIVER_RCPTS) ? NULL
		    : "expected a whole number from 1 to 1000";
	case CONF_T_DURATION:
		return conf_duration(v, strlen(v)) > 0 ? NULL
		    : "expected a duration such as 90s, 5m, 2h or 5d (at most a year)";
	case CONF_T_DURATIONS:
		return conf_valid_durations(v) ? NULL
		    : "expected durations such as \"5m 30m 2h\" (each at most a year)";
	case CONF_T_PATH:
		return v[0] == '/' ? NULL : "expected an absolute path";
	case CONF_T_FILE:
		return v[0] == '/' || v[0] == 0 ? NULL : "expected an absolute path, or nothing";
	case CONF_T_NETS:
		return conf_valid_nets(v) ? NULL
		    : "expected IP addresses or networks such as 127.0.0.1 10.0.0.0/8 ::1";
	case CONF_T_LOCAL_PART:
		return conf_valid_local_part(v) ? NULL
		    : "expected the local part of an address (a dot-atom such as dmarc-reports,"
		      " no '@' or blanks), or nothing";
	case CONF_T_LISTEN:
		if (*v == 0)
			return NULL;
		if (strncmp(v, "unix:", 5) == 0)
			return v[5] == '/' ? NULL : "unix: needs an absolute path, as in unix:/run/sealist/lmtp";
		return conf_valid_hostport(v) ? NULL
		    : "expected unix:/path, HOST:PORT or [IPv6]:PORT";
	case CONF_T_HOSTPORT:
		if (*v == 0 || conf_valid_hostport(v))
			return NULL;
		return "expected HOST:PORT or [IPv6]:PORT (port 1-65535)";
	case CONF_T_URL:
		if (*v == 0 || ((strncmp(v, "smtp://", 7) == 0 && v[7])
				|| (strncmp(v, "smtps://", 8) == 0 && v[8])))
			return conf_has_space(v) ? "a URL may not contain blanks" : NULL;
		return "expected an smtp:// or smtps:// URL";
	case CONF_T_HTTP_URL:
		if (*v == 0 || ((strncmp(v, "http://", 7) == 0 && v[7])
				|| (strncmp(v, "https://", 8) == 0 && v[8])))
			return conf_has_space(v) ? "a URL may not contain blanks" : NULL;
		return "expected an http:// or https:// URL";
	case CONF_T_ENUM:
		return conf_in_choices(key->choices, v) ? NULL
		    : "not one of the allowed values";
	case CONF_T_OCTAL:
		if (strlen(v) < 3 || strlen(v) > 4 || strspn(v, "01234567") != strlen(v))
			return "expected an octal file mode such as 0660";
		return NULL;
	case CONF_T_CHAR:
		if (strlen(v) != 1 || isalnum((unsigned char) v[0])
		    || !isgraph((unsigned char) v[0]) || v[0] == '@')
			return "expected one punctuation character such as + or -";
		return NULL;
	case CONF_T_TOKEN:
		return (*v && !conf_has_space(v)) ? NULL : "expected one word without blanks";
	}
	return "unknown type";
}

static void conf_error(struct buf *errors, const char *name, int line,
		       const char *what, const char *detail)
{
	buf_printf(errors, "%s:%d: %s%s%s\n", name, line, what,
		   detail ? ": " : "", detail ? detail : "");
}

/* Remove blanks at both ends of [*start, *end). */
static void conf_trim(const char **start, const char **end)
{
	while (*start < *end && isspace((unsigned char) **start))
		(*start)++;
	while (*end > *start && isspace((unsigned char) (*end)[-1]))
		(*end)--;
}

static int conf_parse_line(struct conf *conf, const char *name, int lineno,
			   const char *p, const char *end, struct buf *errors)
{
	const char *eq;
	const char *key_end;
	const char *val;
	char	key[64];
	int	id;
	const char *why;
	char   *value;

	conf_trim(&p, &end);
	if (p == end || *p == '#')
		return 0;
	if (memchr(p, 0, (size_t) (end - p)) != NULL) {
		conf_error(errors, name, lineno, "NUL byte in line", NULL);
		return 1;
	}
	if ((eq = memchr(p, '=', (size_t) (end - p))) == NULL) {
		conf_error(errors, name, lineno, "expected \"key = value\"", NULL);
		return 1;
	}
	key_end = eq;
	conf_trim(&p, &key_end);
	if (key_end == p || (size_t) (key_end - p) >= sizeof(key)) {
		conf_error(errors, name, lineno, "missing or overlong key before \"=\"", NULL);
		return 1;
	}
	memcpy(key, p, (size_t) (key_end - p));
	key[key_end - p] = 0;
	if ((id = conf_lookup(key)) < 0) {
		conf_error(errors, name, lineno, "unknown key", key);
		return 1;
	}
	if (conf->line[id] != 0) {
		buf_printf(errors, "%s:%d: %s is already set on line %d\n",
			   name, lineno, key, conf->line[id]);
		return 1;
	}
	val = eq + 1;
	conf_trim(&val, &end);
	if ((value = strndup(val, (size_t) (end - val))) == NULL) {
		conf_error(errors, name, lineno, "out of memory", NULL);
		return 1;
	}
	if ((why = conf_check_value(id, value)) != NULL) {
		buf_printf(errors, "%s:%d: %s = %s: %s\n", name, lineno, key, value, why);
		free(value);
		return 1;
	}
	free(conf->value[id]);
	conf->value[id] = value;
	conf->line[id] = lineno;
	return 0;
}

int conf_parse(struct conf *conf, const char *name, const char *text,
	       size_t len, struct buf *errors)
{
	const char *p = text;
	const char *end = text + len;
	int	lineno = 0;
	int	nerrors = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t) (end - p));
		const char *line_end = nl ? nl : end;

		lineno++;
		if ((size_t) (line_end - p) > LIMIT_CONFIG_LINE) {
			conf_error(errors, name, lineno, "line too long", NULL);
			nerrors++;
		} else {
			nerrors += conf_parse_line(conf, name, lineno, p, line_end, errors);
		}
		p = nl ? nl + 1 : end;
	}
	/* HTTPS needs both halves; one alone is a mistake, not plain HTTP */
	if ((*conf_get(conf, CONF_WEB_TLS_CERT) == 0) != (*conf_get(conf, CONF_WEB_TLS_KEY) == 0)) {
		int	line = conf->line[CONF_WEB_TLS_CERT] ? conf->line[CONF_WEB_TLS_CERT]
		    : conf->line[CONF_WEB_TLS_KEY];

		conf_error(errors, name, line, "web_tls_cert and web_tls_key go together: set both "
			   "or neither", NULL);
		nerrors++;
	}
	return nerrors;
}

int conf_load(struct conf *conf, const char *path, struct buf *errors)
{
	FILE   *fp;
	struct buf text;
	char	chunk[8192];
	size_t	n;
	int	nerrors;

	free(conf->path);
	conf->path = strdup(path);
	if ((fp = fopen(path, "r")) == NULL) {
		buf_printf(errors, "%s: cannot open: %s\n", path, strerror(errno));
		return 1;
	}
	/* A configuration file is small; 1 MB is generous and bounds a mistake. */
	buf_init(&text, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(&text, chunk, n) < 0)
			break;
	if (ferror(fp) || buf_failed(&text)) {
		buf_printf(errors, "%s: cannot read: %s\n", path,
			   buf_failed(&text) ? buf_strerror(&text) : strerror(errno));
		fclose(fp);
		buf_free(&text);
		return 1;
	}
	fclose(fp);
	nerrors = conf_parse(conf, path, buf_str(&text), text.len, errors);
	buf_free(&text);
	return nerrors;
}

static int conf_is_separator(char c)
{
	return c == ',' || isspace((unsigned char) c);
}

char  **conf_tokens(const struct conf *c, enum conf_id id, size_t *n_r)
{
	const char *p = conf_get(c, id);
	char  **list;
	size_t	n = 0, len;

	/* at most one token per two bytes, plus the NULL */
	if ((list = calloc(strlen(p) / 2 + 2, sizeof(*list))) == NULL)
		return NULL;
	for (;;) {
		while (*p && conf_is_separator(*p))
			p++;
		if (*p == 0)
			break;
		for (len = 0; p[len] && !conf_is_separator(p[len]); len++)
			;
		if ((list[n] = strndup(p, len)) == NULL) {
			conf_tokens_free(list);
			return NULL;
		}
		n++;
		p += len;
	}
	*n_r = n;
	return list;
}

void conf_tokens_free(char **list)
{
	size_t	i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

int conf_authserv_id(const struct conf *c, char *out, size_t size)
{
	const char *id = conf_get(c, CONF_AUTHSERV_ID);

	if (*id != 0) {
		if (strlen(id) >= size)
			return -1;
		memcpy(out, id, strlen(id) + 1);
		return 0;
	}
	if (size == 0 || gethostname(out, size) < 0)
		return -1;
	out[size - 1] = 0;
	return *out != 0 ? 0 : -1;
}
