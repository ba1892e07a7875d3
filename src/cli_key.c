/*
 * NAME
 *	cli_key 3
 * SUMMARY
 *	sealist key generate | ls | dns | check
 * DESCRIPTION
 *	The life of a list domain's DKIM key: make it (keys.c writes the
 *	file, the store records it), publish it (the zone-file text of its
 *	TXT record), and check that what DNS serves is that key.
 *
 *	key check asks the configuration's dns_nameserver (or --nameserver)
 *	for SELECTOR._domainkey.DOMAIN and names each way the answer can be
 *	wrong with its own message: no record, a DNS failure (temporary),
 *	several records, an unparsable record, a revoked key, h= without
 *	sha256, s= without email, another key type, a key too short, another
 *	key, and t=y (testing: receivers then treat the mail as unsigned, so
 *	DMARC gets nothing from it; a failure unless --allow-testing).
 *	Output formats are described in doc/sealist.1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dkim/dkim.h"
#include "dns/dns.h"
#include "keys.h"

/* One key record: "v=DKIM1; k=rsa; p=" and ~400 bytes of base64 for RSA-2048. */
#define CLI_RECORD_MAX	(16 * 1024)

/* How long key check waits for DNS, all servers and retries included. */
#define CLI_DNS_TIMEOUT_MS	5000

/* ---- key generate ------------------------------------------------------ */

struct cli_gen {
	const char *selector;
	const char *type_name;
	const char *bits_text;
	enum keys_type type;
	int	bits;
	char   *domain;		/* lowercased, malloc'd */
	char   *sel;		/* lowercased or the default, malloc'd */
	char   *path;
};

/* --type and --bits, before anything is opened; 0 or 2. */
static int cli_gen_options(const struct cli_command *cmd, struct cli_gen *g)
{
	long long bits = KEYS_RSA_DEFAULT_BITS;

	g->type = KEYS_RSA;
	if (g->type_name != NULL && keys_type_parse(g->type_name, &g->type) < 0)
		return cli_usage(cmd, "--type must be rsa or ed25519, not \"%s\"", g->type_name);
	if (g->bits_text != NULL && g->type == KEYS_ED25519)
		return cli_usage(cmd, "--bits is for RSA keys; an Ed25519 key is always 256 bits");
	if (g->bits_text != NULL
	    && cli_parse_number(g->bits_text, 0, 1000000, &bits) < 0)
		return cli_usage(cmd, "--bits needs a number, not \"%s\"", g->bits_text);
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

/* Domain and selector, checked and lowercased; 0 or 1. */
static int cli_gen_names(struct cli_gen *g, const char *domain)
{
	const char *why;

	if (keys_check_domain(domain, &g->domain, &why) < 0) {
		cli_error("invalid domain \"%s\": %s", domain, why);
		return CLI_EXIT_FAIL;
	}
	if (g->selector == NULL) {
		if ((g->sel = keys_default_selector(g->type, time(NULL))) == NULL) {
			cli_error("out of memory");
			return CLI_EXIT_FAIL;
		}
	} else if (keys_check_selector(g->selector, &g->sel, &why) < 0) {
		cli_error("invalid selector \"%s\": %s", g->selector, why);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* Refuse early (before a slow RSA generation) if the selector is taken. */
static int cli_gen_unused(struct cli *cli, const struct cli_gen *g)
{
	struct store_key *k;
	const char *error;
	int	rc;

	rc = store_key_get(cli->store, g->domain, g->sel, &k, &error);
	if (rc == STORE_OK) {
		cli_error("%s already has a key with selector %s (%s); choose another "
			  "selector with --selector", g->domain, g->sel, k->path);
		free(k);
		return CLI_EXIT_FAIL;
	}
	return rc == STORE_NOT_FOUND ? 0 : cli_store_error(rc, error);
}

/* The new file must load as the key we meant; else it goes. */
static int cli_gen_verify(const struct cli_gen *g)
{
	struct dkim_privkey *key;
	const char *error;
	enum dkim_algo want = g->type == KEYS_ED25519 ? DKIM_ALGO_ED25519_SHA256
	    : DKIM_ALGO_RSA_SHA256;
	int	ok;

	if ((key = dkim_privkey_load_file(g->path, &error)) == NULL) {
		cli_error("the new key file %s does not load (%s); it was removed", g->path, error);
		return CLI_EXIT_FAIL;
	}
	ok = dkim_privkey_algo(key) == want && dkim_privkey_bits(key) == g->bits;
	dkim_privkey_free(key);
	if (!ok) {
		cli_error("the new key file %s is not a %d-bit %s key; it was removed",
			  g->path, g->bits, keys_type_str(g->type));
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* Write the file, check it, record it; undo the file on any failure. */
static int cli_gen_make(struct cli *cli, const struct cli_gen *g)
{
	struct store_key k;
	struct buf error;
	const char *why;
	int	rc;

	buf_init(&error, 4096);
	if (keys_generate(conf_get(&cli->conf, CONF_KEYS_DIR), g->path, g->type, g->bits,
			  &error) < 0) {
		cli_error("%s", buf_str(&error));
		buf_free(&error);
		return CLI_EXIT_FAIL;
	}
	buf_free(&error);
	if ((rc = cli_gen_verify(g)) != 0) {
		(void) remove(g->path);
		return rc;
	}
	memset(&k, 0, sizeof(k));
	k.domain = g->domain;
	k.selector = g->sel;
	k.algorithm = keys_type_str(g->type);
	k.bits = g->bits;
	k.path = g->path;
	if ((rc = store_key_add(cli->store, &k, &why)) != STORE_OK) {
		(void) remove(g->path);
		return cli_store_error(rc, why);
	}
	return 0;
}

static void cli_gen_report(struct cli *cli, const struct cli_gen *g)
{
	struct store_key *k = NULL;
	const char *error;
	int	signing = store_key_get(cli->store, g->domain, g->sel, &k, &error) == STORE_OK
	    && k->signing;

	free(k);
	printf("generated %s %d-bit key for %s, selector %s: %s\n", keys_type_str(g->type),
	       g->bits, g->domain, g->sel, g->path);
	if (signing)
		printf("signing: the first %s key of %s signs at once; publish the record that "
		       "'sealist key dns %s --selector %s' prints, then run 'sealist key check %s "
		       "--selector %s'\n", keys_type_str(g->type), g->domain, g->domain, g->sel,
		       g->domain, g->sel);
	else
		printf("not signing yet: publish the record that 'sealist key dns %s --selector %s'"
		       " prints, then run 'sealist key use %s %s' to switch to it\n", g->domain,
		       g->sel, g->domain, g->sel);
}

static int cli_gen_run(struct cli *cli, struct cli_gen *g, const char *domain)
{
	const char *keys_dir;
	int	rc;

	if ((rc = cli_gen_names(g, domain)) != 0 || (rc = cli_open_store(cli)) != 0
	    || (rc = cli_gen_unused(cli, g)) != 0)
		return rc;
	keys_dir = conf_get(&cli->conf, CONF_KEYS_DIR);
	if ((g->path = keys_path(keys_dir, g->domain, g->sel)) == NULL) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	if (g->type == KEYS_RSA && g->bits < KEYS_RSA_GOOD_BITS)
		cli_error("warning: a %d-bit RSA key is weak; RFC 8301 asks signers for at "
			  "least %d bits", g->bits, KEYS_RSA_GOOD_BITS);
	if ((rc = cli_gen_make(cli, g)) != 0)
		return rc;
	cli_gen_report(cli, g);
	return CLI_EXIT_OK;
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
	free(g.domain);
	free(g.sel);
	free(g.path);
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

/* The key record of a key file ("v=DKIM1; k=rsa; p=..."), into out; 0 or 1. */
static int cli_key_record(const struct store_key *k, struct buf *out)
{
	struct dkim_privkey *key;
	const char *error;
	int	rc;

	if ((key = dkim_privkey_load_file(k->path, &error)) == NULL) {
		cli_error("cannot load the key of %s selector %s from %s: %s", k->domain,
			  k->selector, k->path, error);
		return CLI_EXIT_FAIL;
	}
	rc = dkim_privkey_record(key, out);
	dkim_privkey_free(key);
	if (rc < 0 || buf_failed(out)) {
		cli_error("cannot make the key record of %s", k->path);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* SELECTOR._domainkey.DOMAIN into out (reset first). */
static void cli_key_name(const struct store_key *k, struct buf *out)
{
	buf_reset(out);
	(void) buf_printf(out, "%s._domainkey.%s", k->selector, k->domain);
}

/* ---- key dns ----------------------------------------------------------- */

static int cli_dns_one(const struct store_key *k, struct buf *out)
{
	struct buf record;
	struct buf name;
	int	rc;

	buf_init(&record, CLI_RECORD_MAX);
	buf_init(&name, 1024);
	cli_key_name(k, &name);
	if ((rc = cli_key_record(k, &record)) == 0
	    && keys_zone_record(buf_str(&name), (const char *) record.data, record.len,
				out) < 0) {
		cli_error("the record of %s is too long", k->path);
		rc = CLI_EXIT_FAIL;
	}
	buf_free(&record);
	buf_free(&name);
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

struct cli_check {
	struct dns_resolver *resolver;
	int	allow_testing;
	struct buf name;	/* SELECTOR._domainkey.DOMAIN */
	struct buf record;	/* our record text */
	const struct store_key *key;
};

/* The finding: "NAME: problem; what to do", on stderr; returns 1. */
static int cli_check_fail(const struct cli_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int cli_check_fail(const struct cli_check *c, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "sealist: %s: ", buf_str(&c->name));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_FAIL;
}

/* The hint for every problem that a new record fixes. */
static int cli_check_publish(const struct cli_check *c, const char *problem)
{
	return cli_check_fail(c, "%s; publish the record that 'sealist key dns %s --selector %s'"
			      " prints", problem, c->key->domain, c->key->selector);
}

/* Tags that make a record unusable whatever its key: 0 or 1. */
static int cli_check_tags(const struct cli_check *c, const struct dkim_keyrec *pub)
{
	if (pub->revoked)
		return cli_check_publish(c, "revoked: the record has an empty p=, so every "
					 "signature with this selector fails");
	if (!pub->allows_sha256)
		return cli_check_publish(c, "the record's h= does not list sha256, so verifiers "
					 "refuse our rsa-sha256/ed25519-sha256 signatures");
	if (!pub->service_ok)
		return cli_check_publish(c, "the record's s= does not list email (or *)");
	return 0;
}

/* The published key against ours: 0 or 1. */
static int cli_check_key(const struct cli_check *c, const struct dkim_keyrec *pub,
			 const struct dkim_keyrec *ours)
{
	int	bits;

	if (pub->key_type != ours->key_type)
		return cli_check_publish(c, pub->key_type == 1
					 ? "different key: the record is k=ed25519, our key is rsa"
					 : "different key: the record is k=rsa, our key is ed25519");
	if (keys_public_bits(pub->key_type, pub->key, pub->key_len, &bits) < 0)
		return cli_check_publish(c, "unparsable record: p= is not a public key");
	/* Ours has at least 1024 bits, so such a key is never ours either. */
	if (pub->key_type == 0 && bits < KEYS_RSA_MIN_BITS)
		return cli_check_fail(c, "key too short: the published RSA key has %d bits and "
				      "verifiers refuse keys under %d (RFC 8301); publish the "
				      "record that 'sealist key dns %s --selector %s' prints", bits,
				      KEYS_RSA_MIN_BITS, c->key->domain, c->key->selector);
	if (!keys_public_same(pub->key_type, pub->key, pub->key_len, ours->key, ours->key_len))
		return cli_check_publish(c, "different key: the published p= is not the public key "
					 "of our key file");
	return 0;
}

/* t=y, and the weak-key warning, once the key matches: 0 or 1. */
static int cli_check_testing(const struct cli_check *c, const struct dkim_keyrec *pub)
{
	if (!pub->testing)
		return 0;
	if (c->allow_testing) {
		cli_error("warning: %s has t=y (testing): receivers treat our mail as unsigned; "
			  "remove t=y once signing works", buf_str(&c->name));
		return 0;
	}
	return cli_check_publish(c, "the record has t=y (testing): receivers treat mail "
				 "signed with it as unsigned, so it does not help DMARC; remove "
				 "t=y (or pass --allow-testing while trying things out)");
}

/* One published record against ours: 0 or 1. */
static int cli_check_record(const struct cli_check *c, const struct dns_txt *txt)
{
	struct dkim_keyrec pub;
	struct dkim_keyrec ours;
	const char *why;
	int	rc;

	memset(&pub, 0, sizeof(pub));
	memset(&ours, 0, sizeof(ours));
	if (dkim_keyrec_parse(c->record.data, c->record.len, &ours, &why) < 0) {
		cli_error("%s: the record of our own key does not parse (%s); this is a bug",
			  c->key->path, why);
		return CLI_EXIT_FAIL;
	}
	if (dkim_keyrec_parse(txt->data, txt->len, &pub, &why) < 0) {
		rc = cli_check_fail(c, "unparsable record: %s; publish the record that "
				    "'sealist key dns %s --selector %s' prints", why,
				    c->key->domain, c->key->selector);
	} else if ((rc = cli_check_tags(c, &pub)) == 0
		   && (rc = cli_check_key(c, &pub, &ours)) == 0) {
		rc = cli_check_testing(c, &pub);
	}
	dkim_keyrec_free(&pub);
	dkim_keyrec_free(&ours);
	return rc;
}

/* The answer from DNS: exactly one TXT record, else a finding. */
static int cli_check_answer(const struct cli_check *c, enum dns_status st,
			    const struct dns_txt_answer *ans, const char *error)
{
	switch (st) {
	case DNS_OK:
		break;
	case DNS_NXDOMAIN:
	case DNS_NODATA:
		return cli_check_publish(c, st == DNS_NXDOMAIN
					 ? "missing: no such name in DNS (NXDOMAIN)"
					 : "missing: the name has no TXT record (NODATA)");
	default:
		return cli_check_fail(c, "DNS lookup failed, a temporary failure (%s); try again, "
				      "and check dns_nameserver in the configuration or "
				      "--nameserver", error ? error : dns_status_str(st));
	}
	if (ans->count > 1)
		return cli_check_fail(c, "%zu TXT records: verifiers may pick any of them; "
				      "publish exactly one, the one that 'sealist key dns %s "
				      "--selector %s' prints", ans->count, c->key->domain,
				      c->key->selector);
	return cli_check_record(c, &ans->txt[0]);
}

static int cli_check_one(struct cli_check *c, const struct store_key *k)
{
	struct dns_txt_answer ans;
	enum dns_status st;
	const char *error = NULL;
	int	rc;

	c->key = k;
	cli_key_name(k, &c->name);
	buf_reset(&c->record);
	if ((rc = cli_key_record(k, &c->record)) != 0)
		return rc;
	st = dns_txt(c->resolver, buf_str(&c->name), &ans, &error);
	rc = cli_check_answer(c, st, &ans, error);
	dns_txt_answer_free(&ans);
	if (rc == 0)
		printf("%s: ok (%s, %d bits)\n", buf_str(&c->name), k->algorithm, k->bits);
	if (rc == 0 && strcmp(k->algorithm, "rsa") == 0 && k->bits < KEYS_RSA_GOOD_BITS)
		cli_error("warning: %s: a %d-bit RSA key is weak; RFC 8301 asks for at least %d: "
			  "generate a new key and rotate", buf_str(&c->name), k->bits,
			  KEYS_RSA_GOOD_BITS);
	return rc;
}

/* Every key of the set; 0 only if all pass. */
static int cli_check_all(struct cli_check *c, const struct cli_keyset *set)
{
	size_t	i;
	int	rc = 0;

	buf_init(&c->name, 1024);
	buf_init(&c->record, CLI_RECORD_MAX);
	for (i = 0; i < set->count; i++)
		if (cli_check_one(c, set->key[i]) != 0)
			rc = CLI_EXIT_FAIL;
	buf_free(&c->name);
	buf_free(&c->record);
	return rc;
}

static int cli_check_run(struct cli *cli, struct cli_check *c, const char *domain,
			 const char *selector, const char *nameserver)
{
	struct cli_keyset set = {NULL, 0, 0};
	const char *error;
	int	rc;

	if ((rc = cli_keyset_load(cli, domain, selector, &set)) != 0)
		return rc;
	if (nameserver == NULL)
		nameserver = conf_get(&cli->conf, CONF_DNS_NAMESERVER);
	if ((c->resolver = dns_resolver_new(nameserver, CLI_DNS_TIMEOUT_MS, &error)) == NULL) {
		cli_error("cannot set up DNS lookups (nameserver \"%s\"): %s; check "
			  "dns_nameserver in the configuration or --nameserver", nameserver, error);
		rc = CLI_EXIT_FAIL;
	} else {
		rc = cli_check_all(c, &set);
	}
	dns_resolver_free(c->resolver);
	cli_keyset_free(&set);
	return rc;
}

static int cli_key_check(struct cli *cli, const struct cli_command *cmd,
			 int argc, char **argv)
{
	struct cli_check c;
	const char *selector = NULL;
	const char *nameserver = NULL;
	const struct cli_option options[] = {
		{"selector", &selector, NULL}, {"nameserver", &nameserver, NULL},
		{"allow-testing", NULL, &c.allow_testing}, {NULL, NULL, NULL}
	};
	int	n;
	int	rc;

	memset(&c, 0, sizeof(c));
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	return cli_check_run(cli, &c, argv[0], selector, nameserver);
}

/* ---- key use ----------------------------------------------------------- */

static int cli_key_use(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_check c;
	const char *nameserver = NULL;
	const char *error;
	int	force = 0;
	const struct cli_option options[] = {
		{"nameserver", &nameserver, NULL}, {"force", NULL, &force},
		{"allow-testing", NULL, &c.allow_testing}, {NULL, NULL, NULL}
	};
	int	n;
	int	rc;

	memset(&c, 0, sizeof(c));
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 2, 2)) != 0)
		return rc;
	/* a key whose record is not out there would fail DKIM at every subscriber */
	if (!force && (rc = cli_check_run(cli, &c, argv[0], argv[1], nameserver)) != 0) {
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
