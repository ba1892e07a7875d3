/*
 * NAME
 *	cli_auth 3
 * SUMMARY
 *	sealist auth check, sealist arc seal | verify: lib/auth and lib/arc
 *	on one message, for debugging
 * DESCRIPTION
 *	auth check prints the Authentication-Results field sealist would add
 *	to the message on standard input (the one the list engine adds: the
 *	same lib/auth verdict and writer), then one line per verdict
 *	component.  The envelope comes from options, as the MTA's XFORWARD
 *	gives it to the daemon.
 *
 *	arc seal writes the message back with one ARC Set added on top, its
 *	ARC-Authentication-Results and cv= from the same verdict; arc verify
 *	prints the chain's validation, exiting 0 only for cv=pass.
 *
 *	DNS: --nameserver, else dns_nameserver, else the system resolver.
 *	The authserv-id: --authserv-id, else authserv_id, else the host
 *	name.  Trusted upstream ids come from trusted_authserv_ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arc/arc.h"
#include "auth/auth.h"
#include "cli.h"
#include "keys.h"
#include "sealist_limits.h"

/* One lookup, all servers and retries; as for dkim verify. */
#define CLI_DNS_TIMEOUT_MS	5000

/* What the three commands share: options, DNS, identities. */
struct cli_auth {
	const char *nameserver;
	const char *now_text;
	const char *authserv_opt;
	const char *dmarc_mode;
	const char *budget_text;
	struct auth_envelope env;
	char	authserv_id[256];
	char  **trusted;
	size_t	ntrusted;
	struct dns_resolver *resolver;
	struct auth_opts opts;
};

#define CLI_AUTH_OPTIONS(a) \
	{"nameserver", &(a)->nameserver, NULL}, {"now", &(a)->now_text, NULL}, \
	{"authserv-id", &(a)->authserv_opt, NULL}, \
	{"dmarc-mode", &(a)->dmarc_mode, NULL}, \
	{"dns-budget-ms", &(a)->budget_text, NULL}, \
	{"client-ip", &(a)->env.client_ip, NULL}, \
	{"mail-from", &(a)->env.mail_from, NULL}, {"helo", &(a)->env.helo, NULL}

/* Option values into opts; 0 or 2 (usage printed). */
static int cli_auth_options(const struct cli_command *cmd, struct cli_auth *a)
{
	long long now = (long long) time(NULL);

	auth_opts_init(&a->opts);
	if (a->now_text != NULL && cli_parse_number(a->now_text, 0, 253402300799LL, &now) < 0)
		return cli_usage(cmd, "--now needs Unix seconds, not \"%s\"", a->now_text);
	a->opts.now = (time_t) now;
	if (a->budget_text != NULL) {
		long long ms;

		if (cli_parse_number(a->budget_text, 1000, LIMIT_AUTH_DNS_MS, &ms) < 0)
			return cli_usage(cmd, "--dns-budget-ms needs 1000-%d, not \"%s\"",
					 LIMIT_AUTH_DNS_MS, a->budget_text);
		a->opts.dns_budget_ms = (unsigned) ms;
	}
	if (a->dmarc_mode == NULL || strcmp(a->dmarc_mode, "treewalk") == 0)
		a->opts.dmarc_mode = DMARC_TREEWALK;
	else if (strcmp(a->dmarc_mode, "psl") == 0)
		a->opts.dmarc_mode = DMARC_PSL;
	else
		return cli_usage(cmd, "--dmarc-mode must be treewalk or psl, not \"%s\"",
				 a->dmarc_mode);
	return 0;
}

/* Configuration, identities and resolver; 0 or 1 (printed). */
static int cli_auth_setup(struct cli *cli, const char *command, struct cli_auth *a)
{
	const char *error;
	unsigned timeout;

	if (cli_load_config(cli) != 0)
		return CLI_EXIT_FAIL;
	if (a->nameserver == NULL)
		a->nameserver = conf_get(&cli->conf, CONF_DNS_NAMESERVER);
	if (a->authserv_opt != NULL) {
		if (*a->authserv_opt == 0 || strlen(a->authserv_opt) >= sizeof(a->authserv_id)) {
			cli_error("%s: --authserv-id must be 1-255 characters", command);
			return CLI_EXIT_FAIL;
		}
		memcpy(a->authserv_id, a->authserv_opt, strlen(a->authserv_opt) + 1);
	} else if (conf_authserv_id(&cli->conf, a->authserv_id, sizeof(a->authserv_id)) < 0) {
		cli_error("%s: no authserv-id: set authserv_id in the configuration", command);
		return CLI_EXIT_FAIL;
	}
	if ((a->trusted = conf_tokens(&cli->conf, CONF_TRUSTED_AUTHSERV_IDS, &a->ntrusted)) == NULL) {
		cli_error("%s: out of memory", command);
		return CLI_EXIT_FAIL;
	}
	/* one lookup may not outlast the whole allowance */
	timeout = a->opts.dns_budget_ms != 0 && a->opts.dns_budget_ms < CLI_DNS_TIMEOUT_MS
	    ? a->opts.dns_budget_ms : CLI_DNS_TIMEOUT_MS;
	if ((a->resolver = dns_resolver_new(a->nameserver, timeout, &error)) == NULL) {
		cli_error("%s: cannot set up DNS lookups (nameserver \"%s\"): %s; check"
			  " --nameserver or dns_nameserver in the configuration",
			  command, a->nameserver, error);
		return CLI_EXIT_FAIL;
	}
	/* One message asks some names twice (DMARC, then ADSP and np=). */
	if (dns_resolver_cache(a->resolver, 256, 3600) < 0) {
		cli_error("%s: out of memory", command);
		return CLI_EXIT_FAIL;
	}
	a->opts.authserv_id = a->authserv_id;
	a->opts.trusted_ids = (const char *const *) a->trusted;
	a->opts.ntrusted = a->ntrusted;
	a->opts.resolver = a->resolver;
	return 0;
}

static void cli_auth_release(struct cli_auth *a)
{
	conf_tokens_free(a->trusted);
	dns_resolver_free(a->resolver);
}

/*
 * What every command here does first: options, configuration, resolver
 * and the message.  0 with *m_r, or the exit status.
 */
static int cli_auth_begin(struct cli *cli, const struct cli_command *cmd,
			  int argc, char **argv, const struct cli_option *options,
			  const char *command, struct cli_auth *a, struct msg **m_r)
{
	int	n, rc;

	*m_r = NULL;	/* stays NULL with 0 when --help was printed */
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0
	    || (rc = cli_auth_options(cmd, a)) != 0
	    || (rc = cli_auth_setup(cli, command, a)) != 0)
		return rc;
	return cli_read_message(command, m_r);
}

/* Authenticate m; 0 with *v, or 1 (printed). */
static int cli_auth_verdict(const char *command, const struct msg *m,
			    struct cli_auth *a, struct auth_verdict *v)
{
	const char *error;

	if (auth_check(m, &a->env, &a->opts, v, &error) < 0) {
		cli_error("%s: %s", command, error);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* ---- auth check --------------------------------------------------------- */

static int cli_auth_print(const struct auth_verdict *v, const char *authserv_id)
{
	struct authres *ar;
	struct buf out;
	const char *error;
	int	rc = CLI_EXIT_OK;

	if ((ar = auth_verdict_authres(v, authserv_id, &error)) == NULL) {
		cli_error("auth check: cannot write Authentication-Results: %s", error);
		return CLI_EXIT_FAIL;
	}
	buf_init(&out, 1024 * 1024);
	authres_format_field(ar, &out);
	buf_append_str(&out, "\r\n");
	auth_verdict_describe(v, &out);
	if (buf_failed(&out)) {
		cli_error("auth check: out of memory");
		rc = CLI_EXIT_FAIL;
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len)
		rc = CLI_EXIT_FAIL;
	buf_free(&out);
	authres_free(ar);
	return rc;
}

static int cli_auth_check(struct cli *cli, const struct cli_command *cmd,
			  int argc, char **argv)
{
	struct cli_auth a;
	const struct cli_option options[] = { CLI_AUTH_OPTIONS(&a), {NULL, NULL, NULL} };
	struct auth_verdict v;
	struct msg *m;
	int	rc;

	memset(&a, 0, sizeof(a));
	/* 0 without a message: --help was printed, nothing else to do */
	if ((rc = cli_auth_begin(cli, cmd, argc, argv, options, "auth check", &a, &m)) == 0
	    && m != NULL && (rc = cli_auth_verdict("auth check", m, &a, &v)) == 0) {
		rc = cli_auth_print(&v, a.authserv_id);
		auth_verdict_free(&v);
	}
	msg_free(m);
	cli_auth_release(&a);
	return rc;
}

/* ---- arc seal ------------------------------------------------------------ */

struct cli_seal {
	const char *domain, *selector, *key_path, *timestamp;
	char   *d, *s;
	struct dkim_privkey *key;
	long long t;
};

static int cli_seal_options(const struct cli_command *cmd, struct cli_seal *s)
{
	if (s->domain == NULL || s->selector == NULL || s->key_path == NULL)
		return cli_usage(cmd, "--domain, --selector and --key are required");
	if (s->timestamp == NULL)
		s->t = (long long) time(NULL);
	else if (strcmp(s->timestamp, "none") == 0)
		s->t = -1;
	else if (cli_parse_number(s->timestamp, 0, 253402300799LL, &s->t) < 0)
		return cli_usage(cmd, "--timestamp needs Unix seconds or \"none\", not \"%s\"",
				 s->timestamp);
	return 0;
}

static int cli_seal_setup(struct cli_seal *s)
{
	const char *why;

	if (keys_check_domain(s->domain, &s->d, &why) < 0) {
		cli_error("arc seal: invalid --domain \"%s\": %s", s->domain, why);
		return CLI_EXIT_FAIL;
	}
	if (keys_check_selector(s->selector, &s->s, &why) < 0) {
		cli_error("arc seal: invalid --selector \"%s\": %s", s->selector, why);
		return CLI_EXIT_FAIL;
	}
	if ((s->key = dkim_privkey_load_file(s->key_path, &why)) == NULL) {
		cli_error("arc seal: cannot load the key %s: %s", s->key_path, why);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* The AAR payload (our A-R text) for the verdict; malloc'd or NULL. */
static char *cli_seal_aar(const struct auth_verdict *v, const char *authserv_id)
{
	struct authres *ar;
	struct buf b;
	const char *error;

	if ((ar = auth_verdict_authres(v, authserv_id, &error)) == NULL)
		return NULL;
	/* "ARC-Authentication-Results: i=N; " puts the payload near column 34 */
	buf_init(&b, 64 * 1024);
	authres_format(ar, 34, &b);
	authres_free(ar);
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static int cli_seal_write(struct msg *m)
{
	struct buf out;
	int	rc = CLI_EXIT_FAIL;

	buf_init(&out, LIMIT_MESSAGE_SIZE);
	if (msg_serialize(m, &out) < 0)
		cli_error("arc seal: the sealed message is too large");
	else if (fwrite(out.data, 1, out.len, stdout) == out.len)
		rc = CLI_EXIT_OK;
	buf_free(&out);
	return rc;
}

static int cli_seal_message(struct cli_seal *s, struct cli_auth *a, struct msg *m)
{
	struct arc_seal_opts o;
	struct auth_verdict v;
	const char *error = "out of memory";
	char   *aar;
	int	rc;

	if ((rc = cli_auth_verdict("arc seal", m, a, &v)) != 0)
		return rc;
	arc_seal_opts_init(&o);
	o.domain = s->d;
	o.selector = s->s;
	o.key = s->key;
	o.timestamp = s->t;
	o.cv = v.arc.cv;
	if ((aar = cli_seal_aar(&v, a->authserv_id)) == NULL)
		rc = -1;
	else {
		o.authres = aar;
		rc = arc_seal(m, &o, &error);
	}
	if (rc == 0)
		rc = cli_seal_write(m);
	else {
		cli_error("arc seal: %s%s", rc > 0 ? "not sealed: " : "cannot seal: ", error);
		rc = CLI_EXIT_FAIL;
	}
	free(aar);
	auth_verdict_free(&v);
	return rc;
}

static int cli_arc_seal(struct cli *cli, const struct cli_command *cmd,
			int argc, char **argv)
{
	struct cli_auth a;
	struct cli_seal s;
	const struct cli_option options[] = {
		CLI_AUTH_OPTIONS(&a),
		{"domain", &s.domain, NULL}, {"selector", &s.selector, NULL},
		{"key", &s.key_path, NULL}, {"timestamp", &s.timestamp, NULL},
		{NULL, NULL, NULL}
	};
	struct msg *m = NULL;
	int	n, rc;

	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0
	    || (rc = cli_auth_options(cmd, &a)) != 0
	    || (rc = cli_seal_options(cmd, &s)) != 0)
		return rc;
	if ((rc = cli_seal_setup(&s)) == 0
	    && (rc = cli_auth_setup(cli, "arc seal", &a)) == 0
	    && (rc = cli_read_message("arc seal", &m)) == 0)
		rc = cli_seal_message(&s, &a, m);
	msg_free(m);
	dkim_privkey_free(s.key);
	free(s.d);
	free(s.s);
	cli_auth_release(&a);
	return rc;
}

/* ---- arc verify ----------------------------------------------------------- */

/* Untrusted names on one line: printable ASCII, the rest '?'. */
static void cli_put_name(const char *s)
{
	if (s == NULL)
		s = "-";
	for (; *s; s++)
		putchar(*s > 0x20 && *s < 0x7f ? *s : '?');
}

static void cli_arc_print(const struct arc_result *r)
{
	size_t	i;

	printf("arc: %s sets=%d", arc_cv_str(r->cv), r->max_instance);
	if (r->cv == ARC_CV_PASS)
		printf(" oldest-pass=%d", r->oldest_pass);
	if (r->reason != NULL)
		printf(" reason=\"%s\"", r->reason);
	if (r->detail != NULL)
		printf(" detail=\"%s\"", r->detail);
	putchar('\n');
	for (i = 0; i < r->count; i++) {
		const struct arc_set_result *s = &r->sets[i];

		printf("i=%d cv=%s ams=%s d=", s->instance, arc_cv_str(s->as_cv),
		       dkim_result_str(s->ams_result));
		cli_put_name(s->ams_domain);
		fputs(" s=", stdout);
		cli_put_name(s->ams_selector);
		printf(" as=%s d=", dkim_result_str(s->as_result));
		cli_put_name(s->as_domain);
		fputs(" s=", stdout);
		cli_put_name(s->as_selector);
		if (s->ams_reason != NULL)
			printf(" ams-reason=\"%s\"", s->ams_reason);
		if (s->as_reason != NULL)
			printf(" as-reason=\"%s\"", s->as_reason);
		putchar('\n');
	}
}

static int cli_arc_verify(struct cli *cli, const struct cli_command *cmd,
			  int argc, char **argv)
{
	struct cli_auth a;
	const struct cli_option options[] = {
		{"nameserver", &a.nameserver, NULL}, {"now", &a.now_text, NULL},
		{NULL, NULL, NULL}
	};
	struct dkim_verify_opts vo;
	struct arc_result r;
	struct msg *m;
	int	rc;

	memset(&a, 0, sizeof(a));
	if ((rc = cli_auth_begin(cli, cmd, argc, argv, options, "arc verify", &a, &m)) == 0
	    && m != NULL) {
		dkim_verify_opts_init(&vo, dkim_txt_dns, a.resolver);
		vo.now = a.opts.now;
		if (arc_validate(m, &vo, &r) < 0) {
			cli_error("arc verify: out of memory");
			rc = CLI_EXIT_FAIL;
		} else {
			cli_arc_print(&r);
			rc = r.cv == ARC_CV_PASS ? CLI_EXIT_OK : CLI_EXIT_FAIL;
			arc_result_free(&r);
		}
	}
	msg_free(m);
	cli_auth_release(&a);
	return rc;
}

#define CLI_AUTH_HELP \
	"  --client-ip IP         the SMTP client's address (SPF is evaluated only\n" \
	"                         with it; else a trusted upstream spf result is used)\n" \
	"  --mail-from ADDR       the envelope sender (\"\" for the null sender)\n" \
	"  --helo NAME            the client's HELO/EHLO name\n" \
	"  --authserv-id ID       default: authserv_id, else this host's name\n" \
	"  --dmarc-mode MODE      treewalk (RFC 9989, default) or psl (RFC 7489)\n" \
	"  --nameserver IP[:PORT] DNS server (default: dns_nameserver, else the\n" \
	"                         system resolver)\n" \
	"  --now SECONDS          the time signatures are judged at\n" \
	"  --dns-budget-ms MS     wall time for all DNS questions (1000-30000,\n" \
	"                         default 30000); later questions are temperrors\n"

const struct cli_command cli_auth_commands[] = {
	{"auth", "check", "[--client-ip IP] [--mail-from ADDR] [--helo NAME] < MESSAGE",
	 "Print the Authentication-Results sealist would add, then each verdict",
	 "Authenticates the message on standard input as the list engine does:\n"
	 "DKIM (every signature), SPF, DMARC (with ADSP when the author has no\n"
	 "DMARC record) and ARC.  Prints the Authentication-Results field, then\n"
	 "one line per component: dkim (one per signature), spf, dmarc (one per\n"
	 "author domain), dkim-adsp, arc, authres (fields forging our id), dns.\n"
	 "Exits 0 whenever the message could be judged, whatever the verdict.\n"
	 CLI_AUTH_HELP,
	 cli_auth_check},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct cli_command cli_arc_commands[] = {
	{"arc", "seal", "--domain D --selector S --key FILE [options] < MESSAGE",
	 "Add an ARC Set for the message's authentication (debugging)",
	 "Authenticates the message as 'sealist auth check' does and writes it\n"
	 "back with one ARC Set on top (RFC 8617): ARC-Authentication-Results\n"
	 "from the verdict, ARC-Message-Signature and ARC-Seal signed with the\n"
	 "key (RSA or Ed25519), cv= from validating the chain it arrived with.\n"
	 "A chain whose newest seal already says cv=fail is not sealed (exit 1).\n"
	 "  --domain D             d= of the seal\n"
	 "  --selector S           s= of the seal\n"
	 "  --key FILE             PEM private key\n"
	 "  --timestamp T|none     t= (default: now)\n"
	 CLI_AUTH_HELP,
	 cli_arc_seal},
	{"arc", "verify", "[--nameserver IP[:PORT]] [--now SECONDS] < MESSAGE",
	 "Validate the message's ARC chain (debugging)",
	 "Prints the chain validation status (cv=none, pass or fail, with the\n"
	 "reason) and one line per ARC Set.  Exits 0 only for cv=pass.\n"
	 "  --nameserver IP[:PORT] DNS server (default: dns_nameserver, else the\n"
	 "                         system resolver)\n"
	 "  --now SECONDS          the time signatures are judged at\n",
	 cli_arc_verify},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
