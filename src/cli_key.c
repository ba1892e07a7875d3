/*
 * NAME
 *	cli_key 3
 * SUMMARY
 *	sealist key generate | use | ls | dns | check
 * DESCRIPTION
 *	The life of a list domain's DKIM key: make it, publish it (the
 *	zone-file text of its TXT record), check that what DNS serves is
 *	that key, and switch signing to it.  The work is keycheck.c's,
 *	shared with the web admin's keys page; this file parses options and
 *	prints.
 *
 *	key check asks the configuration's dns_nameserver (or --nameserver)
 *	for SELECTOR._domainkey.DOMAIN; keycheck.c names each way the answer
 *	can be wrong.  Output formats are described in doc/sealist.1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "keycheck.h"

/* ---- key generate ------------------------------------------------------ */

struct cli_gen {
	const char *selector;
	const char *type_name;
	const char *bits_text;
	struct keycheck_gen g;
};

/* --type and --bits, before anything is opened; 0 or 2. */
static int cli_gen_options(const struct cli_command *cmd, struct cli_gen *c)
{
	struct keycheck_gen *g = &c->g;
	long long bits = KEYS_RSA_DEFAULT_BITS;

	g->type = KEYS_RSA;
	if (c->type_name != NULL && keys_type_parse(c->type_name, &g->type) < 0)
		return cli_usage(cmd, "--type must be rsa or ed25519, not \"%s\"", c->type_name);
	if (c->bits_text != NULL && g->type == KEYS_ED25519)
		return cli_usage(cmd, "--bits is for RSA keys; an Ed25519 key is always 256 bits");
	if (c->bits_text != NULL
	    && cli_parse_number(c->bits_text, 0, 1000000, &bits) < 0)
		return cli_usage(cmd, "--bits needs a number, not \"%s\"", c->bits_text);
	if (bits < KEYS_RSA_MIN_BITS)
		return cli_usage(cmd, "--bits %lld is too small: RSA keys under %d bits are "
				 "refused by verifiers (RFC 8301); use %d", bits,
				 KEYS_RSA_MIN_BITS, KEYS_RSA_DEFAULT_BITS);
	if (bits > KEYS_RSA_MAX_BITS)
		return cli_usage(cmd, "--bits %lld is too large: verifiers need not accept RSA "
				 "keys over %d bits (RFC 8301); use %d", bits,
				 KEYS_RSA_MAX_BITS, KEYS_RSA_DEFAULT_BITS);
	g->bits = g->type == KEYS_ED25519 ? 256 : (int) bits;
	return 0;
}

static void cli_gen_report(const struct keycheck_gen *g)
{
	printf("generated %s %d-bit key for %s, selector %s: %s\n", keys_type_str(g->type),
	       g->bits, g->domain, g->selector, g->path);
	if (g->signing)
		printf("signing: the first %s key of %s signs at once; publish the record that "
		       "'sealist key dns %s --selector %s' prints, then run 'sealist key check %s "
		       "--selector %s'\n", keys_type_str(g->type), g->domain, g->domain,
		       g->selector, g->domain, g->selector);
	else
		printf("not signing yet: publish the record that 'sealist key dns %s --selector %s'"
		       " prints, then run 'sealist key use %s %s' to switch to it\n", g->domain,
		       g->selector, g->domain, g->selector);
}

/* The names are checked before the store is opened (an invalid name makes no database). */
static int cli_gen_run(struct cli *cli, struct cli_gen *c, const char *domain)
{
	struct keycheck_gen *g = &c->g;
	const char *keys_dir;
	struct buf error;
	int	rc = CLI_EXIT_FAIL;

	buf_init(&error, 4096);
	if (keycheck_gen_names(g, domain, c->selector, time(NULL), &error) < 0) {
		cli_error("%s", buf_str(&error));
		goto done;
	}
	if (cli_open_store(cli) != 0)
		goto done;
	/* the configuration is read with the store */
	keys_dir = conf_get(&cli->conf, CONF_KEYS_DIR);
	if (keycheck_gen_prepare(cli->store, keys_dir, g, &error) < 0) {
		cli_error("%s", buf_str(&error));
		goto done;
	}
	if (g->type == KEYS_RSA && g->bits < KEYS_RSA_GOOD_BITS)
		cli_error("warning: a %d-bit RSA key is weak; RFC 8301 asks signers for at "
			  "least %d bits", g->bits, KEYS_RSA_GOOD_BITS);
	if (keycheck_gen_make(cli->store, keys_dir, g, &error) < 0) {
		cli_error("%s", buf_str(&error));
		goto done;
	}
	cli_gen_report(g);
	rc = CLI_EXIT_OK;
done:
	buf_free(&error);
	return rc;
}

static int cli_key_generate(struct cli *cli, const struct cli_command *cmd,
			    int argc, char **argv)
{
	struct cli_gen g;
	const struct cli_option options[] = {
		{"selector", &g.selector, NULL}, {"type", &g.type_name, NULL},
		{"bits", &g.bits_text, NULL}, {NULL, NULL, NULL}
	};
	int	n;
	int	rc;

	memset(&g, 0, sizeof(g));
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0
	    || (rc = cli_gen_options(cmd, &g)) != 0)
		return rc;
	rc = cli_gen_run(cli, &g, argv[0]);
	keycheck_gen_free(&g.g);
	return rc;
}

/* ---- key ls ------------------------------------------------------------ */

/* DOMAIN SELECTOR ALGORITHM BITS CREATED PATH [signing] */
static int cli_print_key(const struct store_key *k, void *ctx)
{
	time_t	t = (time_t) k->created_at;
	struct tm tm;
	char	date[32];

	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
		(void) snprintf(date, sizeof(date), "%lld", k->created_at);
	printf("%s %s %s %d %s %s%s\n", k->domain, k->selector, k->algorithm, k->bits, date,
	       k->path, k->signing ? " signing" : "");
	return 0;
}

static int cli_key_ls(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	const char *error;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	rc = store_key_each(cli->store, n == 1 ? argv[0] : NULL, cli_print_key, NULL, &error);
	return rc == STORE_OK ? CLI_EXIT_OK : cli_store_error(rc, error);
}

/* ---- the keys a command works on -------------------------------------- */

/* The keys of DOMAIN [--selector S], copied out of the store. */
struct cli_keyset {
	struct store_key **key;
	size_t	count;
	int	no_memory;
};

static int cli_keyset_add(const struct store_key *k, void *ctx)
{
	struct cli_keyset *set = ctx;
	struct store_key **grown;

	if ((grown = realloc(set->key, (set->count + 1) * sizeof(*grown))) == NULL
	    || (set->key = grown, (set->key[set->count] = store_key_dup(k)) == NULL)) {
		set->no_memory = 1;
		return -1;
	}
	set->count++;
	return 0;
}

static void cli_keyset_free(struct cli_keyset *set)
{
	size_t	i;

	for (i = 0; i < set->count; i++)
		free(set->key[i]);
	free(set->key);
	set->key = NULL;
	set->count = 0;
}

/* The key of one selector into set; a store status. */
static int cli_keyset_one(struct cli *cli, const char *domain, const char *selector,
			  struct cli_keyset *set, const char **error_r)
{
	struct store_key *k = NULL;
	int	rc;

	if ((rc = store_key_get(cli->store, domain, selector, &k, error_r)) == STORE_OK
	    && cli_keyset_add(k, set) != 0) {
		rc = STORE_ERROR;
		*error_r = "out of memory";
	}
	free(k);
	return rc;
}

/* Every key of a domain into set; STORE_NOT_FOUND (and no error text) if none. */
static int cli_keyset_domain(struct cli *cli, const char *domain, struct cli_keyset *set,
			     const char **error_r)
{
	int	rc = store_key_each(cli->store, domain, cli_keyset_add, set, error_r);

	if (rc == STORE_OK && set->no_memory) {
		*error_r = "out of memory";
		return STORE_ERROR;
	}
	if (rc == STORE_OK && set->count == 0) {
		*error_r = NULL;
		return STORE_NOT_FOUND;
	}
	return rc;
}

/* Fill set; an error (printed) if there is no key: 0 or 1. */
static int cli_keyset_load(struct cli *cli, const char *domain, const char *selector,
			   struct cli_keyset *set)
{
	const char *error = NULL;
	int	rc;

	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	rc = selector != NULL ? cli_keyset_one(cli, domain, selector, set, &error)
	    : cli_keyset_domain(cli, domain, set, &error);
	if (rc == STORE_NOT_FOUND) {
		cli_error("%s%s; 'sealist key ls' lists the keys, 'sealist key generate %s' "
			  "makes one", error ? error : domain, error ? "" : " has no keys", domain);
		return CLI_EXIT_FAIL;
	}
	return rc == STORE_OK ? 0 : cli_store_error(rc, error);
}

/* ---- key dns ----------------------------------------------------------- */

static int cli_dns_one(const struct store_key *k, struct buf *out)
{
	struct buf error;
	int	rc = 0;

	buf_init(&error, 4096);
	if (keycheck_zone(k, out, &error) < 0) {
		cli_error("%s", buf_str(&error));
		rc = CLI_EXIT_FAIL;
	}
	buf_free(&error);
	return rc;
}

static int cli_key_dns(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_keyset set = {NULL, 0, 0};
	const char *selector = NULL;
	const struct cli_option options[] = {
		{"selector", &selector, NULL}, {NULL, NULL, NULL}
	};
	struct buf out;
	size_t	i;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if ((rc = cli_keyset_load(cli, argv[0], selector, &set)) != 0)
		return rc;
	/* Everything first, then print: no half output when one key fails. */
	buf_init(&out, 1024 * 1024);
	for (i = 0; rc == 0 && i < set.count; i++)
		rc = cli_dns_one(set.key[i], &out);
	if (rc == 0)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	cli_keyset_free(&set);
	return rc;
}

/* ---- key check --------------------------------------------------------- */

/* One key: the "ok" line on stdout, the finding and warnings on stderr. */
static int cli_check_one(struct keycheck *c, const struct store_key *k)
{
	enum keycheck_status st = keycheck_one(c, k);
	const char *w, *end;

	if (st != KEYCHECK_OK) {
		cli_error("%s", buf_str(&c->finding));
		return CLI_EXIT_FAIL;
	}
	printf("%s: ok (%s, %d bits)\n", buf_str(&c->name), k->algorithm, k->bits);
	for (w = buf_str(&c->warnings); (end = strchr(w, '\n')) != NULL; w = end + 1)
		cli_error("%.*s", (int) (end - w), w);
	return 0;
}

/* Every key of the set; 0 only if all pass. */
static int cli_check_all(struct keycheck *c, const struct cli_keyset *set)
{
	size_t	i;
	int	rc = 0;

	for (i = 0; i < set->count; i++)
		if (cli_check_one(c, set->key[i]) != 0)
			rc = CLI_EXIT_FAIL;
	return rc;
}

static int cli_check_run(struct cli *cli, int allow_testing, const char *domain,
			 const char *selector, const char *nameserver)
{
	struct cli_keyset set = {NULL, 0, 0};
	struct dns_resolver *resolver;
	struct keycheck c;
	const char *error;
	int	rc;

	if ((rc = cli_keyset_load(cli, domain, selector, &set)) != 0)
		return rc;
	if (nameserver == NULL)
		nameserver = conf_get(&cli->conf, CONF_DNS_NAMESERVER);
	resolver = dns_resolver_new(nameserver, KEYCHECK_DNS_TIMEOUT_MS, &error);
	if (resolver == NULL) {
		cli_error("cannot set up DNS lookups (nameserver \"%s\"): %s; check "
			  "dns_nameserver in the configuration or --nameserver", nameserver, error);
		rc = CLI_EXIT_FAIL;
	} else {
		keycheck_init(&c, resolver, allow_testing);
		rc = cli_check_all(&c, &set);
		keycheck_free(&c);
	}
	dns_resolver_free(resolver);
	cli_keyset_free(&set);
	return rc;
}

static int cli_key_check(struct cli *cli, const struct cli_command *cmd,
			 int argc, char **argv)
{
	const char *selector = NULL;
	const char *nameserver = NULL;
	int	allow_testing = 0;
	const struct cli_option options[] = {
		{"selector", &selector, NULL}, {"nameserver", &nameserver, NULL},
		{"allow-testing", NULL, &allow_testing}, {NULL, NULL, NULL}
	};
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	return cli_check_run(cli, allow_testing, argv[0], selector, nameserver);
}

/* ---- key use ----------------------------------------------------------- */

static int cli_key_use(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	const char *nameserver = NULL;
	const char *error;
	int	force = 0;
	int	allow_testing = 0;
	const struct cli_option options[] = {
		{"nameserver", &nameserver, NULL}, {"force", NULL, &force},
		{"allow-testing", NULL, &allow_testing}, {NULL, NULL, NULL}
	};
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 2, 2)) != 0)
		return rc;
	/* a key whose record is not out there would fail DKIM at every subscriber */
	if (!force && (rc = cli_check_run(cli, allow_testing, argv[0], argv[1], nameserver)) != 0) {
		cli_error("not switching to %s: its record is not published correctly (see above); "
			  "--force switches anyway", argv[1]);
		return rc;
	}
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_key_use(cli->store, argv[0], argv[1], &error)) != STORE_OK)
		return cli_store_error(rc, error);
	printf("signing with %s for %s from now on; keep the previous key's record published "
	       "for a week, for mail still on its way\n", argv[1], argv[0]);
	return CLI_EXIT_OK;
}

const struct cli_command cli_key_commands[] = {
	{"key", "generate", "DOMAIN [--selector S] [--type rsa|ed25519] [--bits N]",
	 "Make a DKIM signing key for a domain.",
	 "\nWrites a new private key (PEM PKCS#8, mode 0600) to\n"
	 "KEYS_DIR/DOMAIN/SELECTOR.pem, creating the directories (mode 0700), and\n"
	 "records it in the database.  KEYS_DIR is keys_dir in the configuration.\n"
	 "An existing key file or selector is never overwritten.\n"
	 "\nOptions:\n"
	 "  --selector S     the selector (default: sYYYYMM-rsa or sYYYYMM-ed, from\n"
	 "                   the current month, UTC)\n"
	 "  --type TYPE      rsa (default) or ed25519\n"
	 "  --bits N         RSA key size, 1024 to 4096 (default 2048; under 2048 is\n"
	 "                   allowed with a warning)\n"
	 "\nThe first key of an algorithm signs at once; a later one only after\n"
	 "'sealist key use'.  Then publish the record 'sealist key dns DOMAIN'\n"
	 "prints and run 'sealist key check DOMAIN'.\n",
	 cli_key_generate},
	{"key", "use", "DOMAIN SELECTOR [--nameserver HOST:PORT] [--allow-testing] [--force]",
	 "Sign with this key from now on (after checking its DNS record).",
	 "\nMakes SELECTOR the key that signs DOMAIN's mail for its algorithm; the\n"
	 "previous one stops signing.  First checks, as 'key check' does, that DNS\n"
	 "publishes the key: a key whose record is missing or wrong would fail DKIM\n"
	 "at every subscriber.\n"
	 "\nOptions:\n"
	 "  --nameserver HOST:PORT  ask this server for the record\n"
	 "  --allow-testing         accept a record with t=y\n"
	 "  --force                 switch without looking at DNS\n",
	 cli_key_use},
	{"key", "ls", "[DOMAIN]",
	 "Show the signing keys, one per line.",
	 "\nEach line is: DOMAIN SELECTOR ALGORITHM BITS CREATED PATH, where\n"
	 "ALGORITHM is rsa or ed25519 and CREATED is the UTC date (YYYY-MM-DD),\n"
	 "and \"signing\" after the key that signs mail (one per algorithm).\n"
	 "Lines are ordered by domain, then selector.\n",
	 cli_key_ls},
	{"key", "dns", "DOMAIN [--selector S]",
	 "Print the DNS TXT record(s) to publish for a domain's keys.",
	 "\nOne record per key of DOMAIN (or only the key of selector S), in zone-file\n"
	 "syntax:\n"
	 "\n  S._domainkey.DOMAIN. IN TXT ( \"v=DKIM1; k=rsa; \"\n"
	 "  \t\"p=MIIBIjANBg...\" )\n"
	 "\nThe record is split into strings of at most 255 bytes; DNS joins them.\n",
	 cli_key_dns},
	{"key", "check", "DOMAIN [--selector S] [--nameserver HOST:PORT] [--allow-testing]",
	 "Check that DNS publishes the key we sign with.",
	 "\nLooks up S._domainkey.DOMAIN for each key of DOMAIN (or only selector S)\n"
	 "and prints \"NAME: ok (ALGORITHM, BITS bits)\" when the record is our key.\n"
	 "Otherwise one line on stderr says what is wrong: missing, DNS failure\n"
	 "(temporary), several records, unparsable record, revoked, h= without\n"
	 "sha256, different key, key too short, or t=y (testing).  Exit 0 only if\n"
	 "every key checked is published correctly.\n"
	 "\nOptions:\n"
	 "  --selector S            check only this key\n"
	 "  --nameserver HOST:PORT  ask this server (default: dns_nameserver in the\n"
	 "                          configuration, else the system resolver)\n"
	 "  --allow-testing         t=y is a warning, not a failure\n",
	 cli_key_check},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
