/*
 * NAME
 *	cli_dkim 3
 * SUMMARY
 *	sealist dkim sign | verify: DKIM on one message, for debugging
 * DESCRIPTION
 *	dkim sign reads a message on standard input and writes it back with
 *	exactly one DKIM-Signature field added at the top: the message is
 *	parsed into lib/msg's raw model and serialized with one insertion,
 *	so every other byte is unchanged (DESIGN.md, "bytes are sacred").
 *
 *	dkim verify prints one line per DKIM-Signature field, in header
 *	order, and exits 0 only when there is at least one and every one
 *	passes.  Keys come from DNS: --nameserver, else the configuration's
 *	dns_nameserver, else the system resolver.
 *
 *	Both read at most LIMIT_MESSAGE_SIZE bytes; a message the parser
 *	refuses is an error, never signed or judged.  Output formats are in
 *	doc/sealist.1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dkim/dkim.h"
#include "dns/dns.h"
#include "keys.h"
#include "sealist_limits.h"

/* How long one key lookup may take, all servers and retries included. */
#define CLI_DNS_TIMEOUT_MS	5000

/* ---- dkim sign ---------------------------------------------------------- */

struct cli_sign {
	const char *domain;
	const char *selector;
	const char *key_path;
	const char *algo;
	const char *canon;
	const char *timestamp;
	char   *d;		/* checked, lowercased */
	char   *s;
	struct dkim_sign_opts opts;
	struct dkim_privkey *key;
};

/* "relaxed/simple", "simple", ...: as c=, a lone name is the header's
 * and the body is simple (RFC 6376 section 3.5). */
static int cli_canon_one(const char *name, size_t len, enum dkim_canon *c)
{
	if (len == 7 && strncmp(name, "relaxed", 7) == 0)
		*c = DKIM_CANON_RELAXED;
	else if (len == 6 && strncmp(name, "simple", 6) == 0)
		*c = DKIM_CANON_SIMPLE;
	else
		return -1;
	return 0;
}

static int cli_canon_parse(const char *text, struct dkim_sign_opts *o)
{
	const char *slash = strchr(text, '/');

	o->body_canon = DKIM_CANON_SIMPLE;
	if (slash == NULL)
		return cli_canon_one(text, strlen(text), &o->header_canon);
	if (cli_canon_one(text, (size_t) (slash - text), &o->header_canon) < 0)
		return -1;
	return cli_canon_one(slash + 1, strlen(slash + 1), &o->body_canon);
}

/* The options alone, before reading anything; 0 or 2. */
static int cli_sign_options(const struct cli_command *cmd, struct cli_sign *s)
{
	long long t;

	if (s->domain == NULL || s->selector == NULL || s->key_path == NULL)
		return cli_usage(cmd, "--domain, --selector and --key are required");
	if (s->algo != NULL && strcmp(s->algo, "rsa") != 0 && strcmp(s->algo, "ed25519") != 0)
		return cli_usage(cmd, "--algo must be rsa or ed25519, not \"%s\"", s->algo);
	if (s->canon != NULL && cli_canon_parse(s->canon, &s->opts) < 0)
		return cli_usage(cmd, "--canon must be HEADER/BODY, each relaxed or simple, "
				 "not \"%s\"", s->canon);
	if (s->timestamp == NULL)
		s->opts.timestamp = (long long) time(NULL);
	else if (strcmp(s->timestamp, "none") == 0)
		s->opts.timestamp = -1;
	else if (cli_parse_number(s->timestamp, 0, 253402300799LL, &t) == 0)
		s->opts.timestamp = t;
	else
		return cli_usage(cmd, "--timestamp needs Unix seconds or \"none\", not \"%s\"",
				 s->timestamp);
	return 0;
}

/* Names and key; 0 or 1 (printed). */
static int cli_sign_setup(struct cli_sign *s)
{
	const char *why;
	enum dkim_algo algo;

	if (keys_check_domain(s->domain, &s->d, &why) < 0) {
		cli_error("dkim sign: invalid --domain \"%s\": %s", s->domain, why);
		return CLI_EXIT_FAIL;
	}
	if (keys_check_selector(s->selector, &s->s, &why) < 0) {
		cli_error("dkim sign: invalid --selector \"%s\": %s", s->selector, why);
		return CLI_EXIT_FAIL;
	}
	if ((s->key = dkim_privkey_load_file(s->key_path, &why)) == NULL) {
		cli_error("dkim sign: cannot load the key %s: %s", s->key_path, why);
		return CLI_EXIT_FAIL;
	}
	algo = dkim_privkey_algo(s->key);
	if (s->algo != NULL && (strcmp(s->algo, "rsa") == 0) != (algo == DKIM_ALGO_RSA_SHA256)) {
		cli_error("dkim sign: %s is an %s key, not %s; drop --algo or give another key",
			  s->key_path, algo == DKIM_ALGO_RSA_SHA256 ? "rsa" : "ed25519", s->algo);
		return CLI_EXIT_FAIL;
	}
	s->opts.domain = s->d;
	s->opts.selector = s->s;
	s->opts.key = s->key;
	return 0;
}

/* The body hash of m for the options' body canonicalization. */
static struct dkim_bodyhash *cli_bodyhash(const struct msg *m, const struct cli_sign *s)
{
	struct dkim_bodyhash *bh;
	const unsigned char *body;
	size_t	len;

	if ((bh = dkim_bodyhash_new(s->opts.body_canon, dkim_privkey_algo(s->key), -1)) == NULL)
		return NULL;
	body = msg_body(m, &len);
	if (dkim_bodyhash_update(bh, body, len) < 0 || dkim_bodyhash_final(bh) < 0) {
		dkim_bodyhash_free(bh);
		return NULL;
	}
	return bh;
}

/* Sign m, add the field at the top, write it all; 0 or 1. */
static int cli_sign_message(struct cli_sign *s, struct msg *m)
{
	struct dkim_bodyhash *bh;
	struct buf out;
	char   *field = NULL;
	const char *error = "cannot hash the body (out of memory)";
	int	rc = CLI_EXIT_FAIL;

	if ((bh = cli_bodyhash(m, s)) == NULL
	    || dkim_sign(m, &s->opts, bh, &field, &error) < 0
	    || msg_insert_top(m, field, strlen(field), &error) < 0) {
		cli_error("dkim sign: cannot sign: %s", error);
	} else {
		buf_init(&out, LIMIT_MESSAGE_SIZE);
		if (msg_serialize(m, &out) < 0)
			cli_error("dkim sign: the signed message is too large");
		else if (fwrite(out.data, 1, out.len, stdout) == out.len)
			rc = 0;
		buf_free(&out);
	}
	free(field);
	dkim_bodyhash_free(bh);
	return rc;
}

static int cli_dkim_sign(struct cli *cli, const struct cli_command *cmd,
			 int argc, char **argv)
{
	struct cli_sign s;
	const struct cli_option options[] = {
		{"domain", &s.domain, NULL}, {"selector", &s.selector, NULL},
		{"key", &s.key_path, NULL}, {"algo", &s.algo, NULL},
		{"canon", &s.canon, NULL}, {"timestamp", &s.timestamp, NULL},
		{NULL, NULL, NULL}
	};
	struct msg *m = NULL;
	int	n;
	int	rc;

	memset(&s, 0, sizeof(s));
	dkim_sign_opts_init(&s.opts);
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0
	    || (rc = cli_sign_options(cmd, &s)) != 0)
		return rc;
	if ((rc = cli_sign_setup(&s)) == 0 && (rc = cli_read_message("dkim sign", &m)) == 0)
		rc = cli_sign_message(&s, m);
	msg_free(m);
	dkim_privkey_free(s.key);
	free(s.d);
	free(s.s);
	return rc;
}

/* ---- dkim verify ---------------------------------------------------------- */

/* Untrusted text (d=, s=) on one line: printable ASCII as is, the rest \xHH. */
static void cli_put_safe(const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		putchar('-');
		return;
	}
	for (p = (const unsigned char *) s; *p; p++)
		if (*p > 0x20 && *p < 0x7f && *p != '\\' && *p != '"')
			putchar(*p);
		else
			printf("\\x%02x", *p);
}

/* d=D s=S a=A result=R [reason="..."] [l=L of N] [testing] */
static void cli_print_result(const struct dkim_sig_result *r)
{
	fputs("d=", stdout);
	cli_put_safe(r->domain);
	fputs(" s=", stdout);
	cli_put_safe(r->selector);
	printf(" a=%s result=%s", r->domain != NULL ? dkim_algo_str(r->algo) : "-",
	       dkim_result_str(r->result));
	if (r->reason != NULL)
		printf(" reason=\"%s\"", r->reason);
	if (r->body_length >= 0)
		printf(" l=%lld of %lld", r->body_length, r->body_total);
	if (r->testing)
		fputs(" testing", stdout);
	putchar('\n');
}

/* Verify and print; 0 iff at least one signature and all pass. */
static int cli_verify_message(const struct msg *m, struct dns_resolver *resolver, time_t now)
{
	struct dkim_verify_opts o;
	struct dkim_verify_result res;
	size_t	i;
	int	rc = 0;

	dkim_verify_opts_init(&o, dkim_txt_dns, resolver);
	o.now = now;
	memset(&res, 0, sizeof(res));
	if (dkim_verify(m, &o, &res) < 0) {
		cli_error("dkim verify: out of memory");
		return CLI_EXIT_FAIL;
	}
	if (res.count == 0) {
		printf("no signature\n");
		rc = CLI_EXIT_FAIL;
	}
	for (i = 0; i < res.count; i++) {
		cli_print_result(&res.sigs[i]);
		if (res.sigs[i].result != DKIM_PASS)
			rc = CLI_EXIT_FAIL;
	}
	dkim_verify_result_free(&res);
	return rc;
}

static int cli_verify_run(struct cli *cli, const char *nameserver, time_t now)
{
	struct dns_resolver *resolver;
	struct msg *m = NULL;
	const char *error;
	int	rc;

	if (nameserver == NULL) {
		if (cli_load_config(cli) != 0)
			return CLI_EXIT_FAIL;
		nameserver = conf_get(&cli->conf, CONF_DNS_NAMESERVER);
	}
	if ((resolver = dns_resolver_new(nameserver, CLI_DNS_TIMEOUT_MS, &error)) == NULL) {
		cli_error("dkim verify: cannot set up DNS lookups (nameserver \"%s\"): %s; check"
			  " --nameserver or dns_nameserver in the configuration", nameserver, error);
		return CLI_EXIT_FAIL;
	}
	if ((rc = cli_read_message("dkim verify", &m)) == 0)
		rc = cli_verify_message(m, resolver, now);
	msg_free(m);
	dns_resolver_free(resolver);
	return rc;
}

static int cli_dkim_verify(struct cli *cli, const struct cli_command *cmd,
			   int argc, char **argv)
{
	const char *nameserver = NULL;
	const char *now_text = NULL;
	const struct cli_option options[] = {
		{"nameserver", &nameserver, NULL}, {"now", &now_text, NULL},
		{NULL, NULL, NULL}
	};
	long long now = (long long) time(NULL);
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0)
		return rc;
	if (now_text != NULL && cli_parse_number(now_text, 0, 253402300799LL, &now) < 0)
		return cli_usage(cmd, "--now needs Unix seconds, not \"%s\"", now_text);
	return cli_verify_run(cli, nameserver, (time_t) now);
}

const struct cli_command cli_dkim_commands[] = {
	{"dkim", "sign",
	 "--domain D --selector S --key FILE [--algo rsa|ed25519] [--canon H/B] "
	 "[--timestamp T] < MSG > SIGNED",
	 "Sign a message: add one DKIM-Signature field at the top.",
	 "\nReads the message on standard input and writes it to standard output\n"
	 "with one DKIM-Signature field added above all others; every other byte\n"
	 "is unchanged.  The default header fields are signed (and over-signed).\n"
	 "\nOptions:\n"
	 "  --domain D       d=, the signing domain\n"
	 "  --selector S     s=, the key's selector\n"
	 "  --key FILE       the private key, PEM (PKCS#8, or PKCS#1 for RSA)\n"
	 "  --algo ALGO      rsa or ed25519; must match the key (default: the key's)\n"
	 "  --canon H/B      c=, header/body canonicalization, each relaxed or simple\n"
	 "                   (default relaxed/relaxed; one name alone is the header's,\n"
	 "                   and the body's is then simple, as in c=)\n"
	 "  --timestamp T    t=, in Unix seconds (default: now; \"none\": no t=)\n",
	 cli_dkim_sign},
	{"dkim", "verify", "[--nameserver HOST:PORT] [--now T] < MSG",
	 "Verify every DKIM signature of a message.",
	 "\nReads the message on standard input and prints one line per\n"
	 "DKIM-Signature field, in header order:\n"
	 "\n  d=DOMAIN s=SELECTOR a=ALGORITHM result=RESULT [reason=\"WHY\"]\n"
	 "      [l=LENGTH of TOTAL] [testing]\n"
	 "\nRESULT is pass, fail, neutral, temperror, permerror or policy; l= shows\n"
	 "how much of the body the signature covers; testing means the key record\n"
	 "has t=y.  A message without signatures prints \"no signature\".  Exit 0\n"
	 "only if there is at least one signature and all pass.\n"
	 "\nOptions:\n"
	 "  --nameserver HOST:PORT  ask this server for the keys (default:\n"
	 "                          dns_nameserver in the configuration, else the\n"
	 "                          system resolver)\n"
	 "  --now T                 the time to check t= and x= against, in Unix\n"
	 "                          seconds (default: now)\n",
	 cli_dkim_verify},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
