/*
 * NAME
 *	test_conf 1
 * SUMMARY
 *	unit tests for src/conf: the config table, parser and its errors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "tap.h"

struct parse_case {
	const char *what;
	const char *text;
	int	want_errors;
	const char *want_error_text;	/* substring of the error lines, or NULL */
	int	key;			/* key to check, -1 for none */
	const char *want_value;
};

static const struct parse_case parse_cases[] = {
	{"empty file gives defaults", "", 0, NULL, CONF_LOG_LEVEL, "info"},
	{"comments and blank lines are ignored", "# c\n\n   # indented\n\t\n", 0, NULL, CONF_DATABASE, NULL},
	{"key = value is read", "log_level = debug\n", 0, NULL, CONF_LOG_LEVEL, "debug"},
	{"blanks around key and value are trimmed", "  log_level\t=\twarn  \n", 0, NULL, CONF_LOG_LEVEL, "warn"},
	{"no final newline is fine", "database = /tmp/x.db", 0, NULL, CONF_DATABASE, "/tmp/x.db"},
	{"CRLF line ends are fine", "database = /tmp/y.db\r\n", 0, NULL, CONF_DATABASE, "/tmp/y.db"},
	{"hash inside a value is kept", "smtp_relay = smtp://h:25/#x\n", 0, NULL, CONF_SMTP_RELAY, "smtp://h:25/#x"},
	{"empty value turns lmtp off", "lmtp_listen =\n", 0, NULL, CONF_LMTP_LISTEN, ""},
	{"unix socket listen", "lmtp_listen = unix:/run/sealist/lmtp\n", 0, NULL, CONF_LMTP_LISTEN, "unix:/run/sealist/lmtp"},
	{"ipv6 listen", "lmtp_listen = [::1]:24\n", 0, NULL, CONF_LMTP_LISTEN, "[::1]:24"},
	{"nameserver for tests", "dns_nameserver = 127.0.0.1:5353\n", 0, NULL, CONF_DNS_NAMESERVER, "127.0.0.1:5353"},
	{"unknown key is an error with its line", "\n\nno_such_key = 1\n", 1, "test:3: unknown key: no_such_key", -1, NULL},
	{"line without = is an error", "log_level debug\n", 1, "test:1: expected \"key = value\"", -1, NULL},
	{"missing key is an error", " = x\n", 1, "test:1: missing or overlong key", -1, NULL},
	{"repeated key names the first line", "log_level = info\nlog_level = warn\n", 1, "test:2: log_level is already set on line 1", CONF_LOG_LEVEL, "info"},
	{"relative database path refused", "database = sealist.db\n", 1, "test:1: database = sealist.db: expected an absolute path", -1, NULL},
	{"bad enum refused", "log_level = loud\n", 1, "not one of the allowed values", CONF_LOG_LEVEL, "info"},
	{"listen without port refused", "lmtp_listen = localhost\n", 1, "expected unix:/path, HOST:PORT", -1, NULL},
	{"port zero refused", "web_listen = 127.0.0.1:0\n", 1, "port 1-65535", -1, NULL},
	{"port too large refused", "web_listen = 127.0.0.1:65536\n", 1, "port 1-65535", -1, NULL},
	{"relative unix socket refused", "lmtp_listen = unix:lmtp\n", 1, "absolute path", -1, NULL},
	{"http relay refused", "smtp_relay = http://x\n", 1, "smtp://", -1, NULL},
	{"smtps relay accepted", "smtp_relay = smtps://mail.example.org:465\n", 0, NULL, CONF_SMTP_RELAY, "smtps://mail.example.org:465"},
	{"letter as delimiter refused", "recipient_delimiter = x\n", 1, "punctuation", -1, NULL},
	{"dash delimiter accepted", "recipient_delimiter = -\n", 0, NULL, CONF_RECIPIENT_DELIMITER, "-"},
	{"bad socket mode refused", "lmtp_socket_mode = 0999\n", 1, "octal", -1, NULL},
	{"every bad line is reported, not only the first", "a = 1\nb = 2\nlog_level = x\n", 3, "test:3:", -1, NULL},
	{"retry schedule of durations", "retry_schedule = 30s 5m, 2h 1d\n", 0, NULL, CONF_RETRY_SCHEDULE, "30s 5m, 2h 1d"},
	{"a bare number is seconds", "max_queue_lifetime = 3600\n", 0, NULL, CONF_MAX_QUEUE_LIFETIME, "3600"},
	{"unknown duration unit refused", "max_queue_lifetime = 5w\n", 1, "expected a duration", -1, NULL},
	{"zero duration refused", "retry_schedule = 5m 0s\n", 1, "expected durations", -1, NULL},
	{"over a year refused", "max_queue_lifetime = 400d\n", 1, "at most a year", -1, NULL},
	{"empty retry schedule refused", "retry_schedule =\n", 1, "expected durations", -1, NULL},
	{"max_rcpt_per_txn up to 1000", "max_rcpt_per_txn = 1000\n", 0, NULL, CONF_MAX_RCPT_PER_TXN, "1000"},
	{"max_rcpt_per_txn over 1000 refused", "max_rcpt_per_txn = 1001\n", 1, "1 to 1000", -1, NULL},
	{"trusted proxies v4, v6 and CIDRs", "web_trusted_proxies = 127.0.0.1 10.0.0.0/8  ::1 fd00::/8\n", 0, NULL, CONF_WEB_TRUSTED_PROXIES, "127.0.0.1 10.0.0.0/8  ::1 fd00::/8"},
	{"a proxy name refused", "web_trusted_proxies = proxy.example\n", 1, "expected IP addresses", -1, NULL},
	{"a v4 prefix over 32 refused", "web_trusted_proxies = 10.0.0.0/33\n", 1, "expected IP addresses", -1, NULL},
	{"a v6 prefix over 128 refused", "web_trusted_proxies = ::/129\n", 1, "expected IP addresses", -1, NULL},
	{"an empty prefix refused", "web_trusted_proxies = 10.0.0.0/\n", 1, "expected IP addresses", -1, NULL},
	{"web_tls_cert and key together", "web_tls_cert = /etc/c.pem\nweb_tls_key = /etc/k.pem\n", 0, NULL, CONF_WEB_TLS_KEY, "/etc/k.pem"},
	{"web_tls_cert alone refused", "web_tls_cert = /etc/c.pem\n", 1, "test:1: web_tls_cert and web_tls_key go together", -1, NULL},
	{"web_tls_key alone refused", "\nweb_tls_key = /etc/k.pem\n", 1, "test:2: web_tls_cert and web_tls_key go together", -1, NULL},
	{"a relative web_tls_cert refused", "web_tls_cert = c.pem\n", 1, "absolute path", -1, NULL},
	{"smtp_starttls choices", "smtp_starttls = sometimes\n", 1, "not one of the allowed values", -1, NULL},
	/* H1: dmarc_report_address is a local part */
	{"dmarc_report_address a dot-atom", "dmarc_report_address = Reports.DMARC\n", 0, NULL, CONF_DMARC_REPORT_ADDRESS, "Reports.DMARC"},
	{"dmarc_report_address empty: none", "dmarc_report_address =\n", 0, NULL, CONF_DMARC_REPORT_ADDRESS, ""},
	{"dmarc_report_address with @ refused", "dmarc_report_address = r@example.org\n", 1, "expected the local part of an address", -1, NULL},
	{"dmarc_report_address with a blank refused", "dmarc_report_address = dmarc reports\n", 1, "expected the local part", -1, NULL},
	{"dmarc_report_address with a leading dot refused", "dmarc_report_address = .dmarc\n", 1, "expected the local part", -1, NULL},
	{"dmarc_report_address with two dots refused", "dmarc_report_address = a..b\n", 1, "expected the local part", -1, NULL},
	{"dmarc_report_address of 65 octets refused", "dmarc_report_address = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 1, "expected the local part", -1, NULL},
	{"dmarc_report_address of 64 octets accepted", "dmarc_report_address = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 0, NULL, CONF_DMARC_REPORT_ADDRESS, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	{"dmarc_report_address non-ASCII refused", "dmarc_report_address = r\xc3\xa9ports\n", 1, "expected the local part", -1, NULL},
	{"NUL in a line is an error", "log_level = de\0bug\n", 1, "NUL byte", -1, NULL},
};

static void test_parse(void)
{
	size_t	i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct conf conf;
		struct buf errors;
		size_t	len = strlen(c->text);
		int	n;

		/* The NUL row needs its real length. */
		if (strstr(c->what, "NUL"))
			len = 19;
		conf_init(&conf);
		buf_init(&errors, 65536);
		n = conf_parse(&conf, "test", c->text, len, &errors);
		tap_int(n, c->want_errors, c->what);
		if (c->want_error_text)
			tap_ok(strstr(buf_str(&errors), c->want_error_text) != NULL,
			       "%s: error text \"%s\" in \"%s\"", c->what,
			       c->want_error_text, buf_str(&errors));
		if (c->key >= 0 && c->want_value)
			tap_str(conf_get(&conf, c->key), c->want_value, c->what);
		buf_free(&errors);
		conf_free(&conf);
	}
}

static void test_long_line(void)
{
	struct conf conf;
	struct buf errors;
	char   *text = malloc(10000);

	memset(text, 'a', 9999);
	text[9999] = '\n';
	conf_init(&conf);
	buf_init(&errors, 65536);
	tap_int(conf_parse(&conf, "test", text, 10000, &errors), 1, "overlong line is one error");
	tap_ok(strstr(buf_str(&errors), "test:1: line too long") != NULL, "overlong line error names the line");
	buf_free(&errors);
	conf_free(&conf);
	free(text);
}

static void test_load_missing_file(void)
{
	struct conf conf;
	struct buf errors;

	conf_init(&conf);
	buf_init(&errors, 65536);
	tap_int(conf_load(&conf, "/nonexistent/sealist.conf", &errors), 1, "missing file is one error");
	tap_ok(strstr(buf_str(&errors), "cannot open: No such file") != NULL,
	       "missing file error gives the system's reason");
	buf_free(&errors);
	conf_free(&conf);
}

/* Every key's default must pass its own check, and every key is documented. */
static void test_table(void)
{
	unsigned char *man;
	size_t	len;
	int	i;

	man = tap_read_file(tap_srcpath("doc/sealist.conf.5"), &len);
	tap_ok(man != NULL, "doc/sealist.conf.5 exists");
	for (i = 0; i < CONF_KEY_COUNT; i++) {
		char	entry[128];

		tap_ok(conf_check_value(i, conf_keys[i].default_value) == NULL,
		       "default of %s is valid", conf_keys[i].name);
		tap_int(conf_lookup(conf_keys[i].name), i, conf_keys[i].name);
		tap_ok(conf_keys[i].help && strlen(conf_keys[i].help) > 20,
		       "%s has help text", conf_keys[i].name);
		snprintf(entry, sizeof(entry), ".B %s\n", conf_keys[i].name);
		tap_ok(man && strstr((char *) man, entry) != NULL,
		       "sealist.conf(5) documents %s", conf_keys[i].name);
	}
	free(man);
}

int main(void)
{
	test_parse();
	test_long_line();
	test_load_missing_file();
	test_table();
	return tap_done();
}
