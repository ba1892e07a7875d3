/*
 * NAME
 *	keycheck 3
 * SUMMARY
 *	what the CLI and the web do with a domain's DKIM keys
 * DESCRIPTION
 *	See keycheck.h.  The check names each way a published record can be
 *	wrong with its own message: no record, a DNS failure (temporary),
 *	several records, an unparsable record, a revoked key, h= without
 *	sha256, s= without email, another key type, a key too short, another
 *	key, and t=y (testing: receivers then treat the mail as unsigned, so
 *	DMARC gets nothing from it; a failure unless allow_testing).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim.h"
#include "keycheck.h"

/* ---- a new key -------------------------------------------------------- */

static int keycheck_err(struct buf *error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int keycheck_err(struct buf *error, const char *fmt, ...)
{
	va_list	ap;
	char	line[2048];

	va_start(ap, fmt);
	(void) vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	buf_append_str(error, line);
	return -1;
}

int keycheck_gen_names(struct keycheck_gen *g, const char *domain, const char *selector,
		       time_t now, struct buf *error)
{
	const char *why;

	if (keys_check_domain(domain, &g->domain, &why) < 0)
		return keycheck_err(error, "invalid domain \"%s\": %s", domain, why);
	if (selector == NULL) {
		if ((g->selector = keys_default_selector(g->type, now)) == NULL)
			return keycheck_err(error, "out of memory");
	} else if (keys_check_selector(selector, &g->selector, &why) < 0) {
		return keycheck_err(error, "invalid selector \"%s\": %s", selector, why);
	}
	return 0;
}

/* Refuse early (before a slow RSA generation) if the selector is taken. */
static int keycheck_gen_unused(struct store *store, const struct keycheck_gen *g,
			       struct buf *error)
{
	struct store_key *k;
	const char *why;
	int	rc;

	rc = store_key_get(store, g->domain, g->selector, &k, &why);
	if (rc == STORE_OK) {
		keycheck_err(error, "%s already has a key with selector %s (%s); choose another "
			     "selector with --selector", g->domain, g->selector, k->path);
		free(k);
		return -1;
	}
	return rc == STORE_NOT_FOUND ? 0 : keycheck_err(error, "%s", why);
}

int keycheck_gen_prepare(struct store *store, const char *keys_dir, struct keycheck_gen *g,
			 struct buf *error)
{
	if (keycheck_gen_unused(store, g, error) < 0)
		return -1;
	if ((g->path = keys_path(keys_dir, g->domain, g->selector)) == NULL)
		return keycheck_err(error, "out of memory");
	return 0;
}

/* The new file must load as the key we meant; 0 or -1. */
static int keycheck_gen_verify(const struct keycheck_gen *g, struct buf *error)
{
	struct dkim_privkey *key;
	const char *why;
	enum dkim_algo want = g->type == KEYS_ED25519 ? DKIM_ALGO_ED25519_SHA256
	    : DKIM_ALGO_RSA_SHA256;
	int	ok;

	if ((key = dkim_privkey_load_file(g->path, &why)) == NULL)
		return keycheck_err(error, "the new key file %s does not load (%s); it was removed",
				    g->path, why);
	ok = dkim_privkey_algo(key) == want && dkim_privkey_bits(key) == g->bits;
	dkim_privkey_free(key);
	if (!ok)
		return keycheck_err(error, "the new key file %s is not a %d-bit %s key; it was "
				    "removed", g->path, g->bits, keys_type_str(g->type));
	return 0;
}

int keycheck_gen_make(struct store *store, const char *keys_dir, struct keycheck_gen *g,
		      struct buf *error)
{
	struct store_key k, *got = NULL;
	const char *why;

	if (keys_generate(keys_dir, g->path, g->type, g->bits, error) < 0)
		return -1;
	if (keycheck_gen_verify(g, error) < 0) {
		(void) remove(g->path);
		return -1;
	}
	memset(&k, 0, sizeof(k));
	k.domain = g->domain;
	k.selector = g->selector;
	k.algorithm = keys_type_str(g->type);
	k.bits = g->bits;
	k.path = g->path;
	if (store_key_add(store, &k, &why) != STORE_OK) {
		(void) remove(g->path);
		return keycheck_err(error, "%s", why);
	}
	g->signing = store_key_get(store, g->domain, g->selector, &got, &why) == STORE_OK
	    && got->signing;
	free(got);
	return 0;
}

void keycheck_gen_free(struct keycheck_gen *g)
{
	free(g->domain);
	free(g->selector);
	free(g->path);
	g->domain = g->selector = g->path = NULL;
}

/* ---- the record -------------------------------------------------------- */

void keycheck_name(const struct store_key *k, struct buf *out)
{
	buf_reset(out);
	(void) buf_printf(out, "%s._domainkey.%s", k->selector, k->domain);
}

int keycheck_record(const struct store_key *k, struct buf *out, struct buf *error)
{
	struct dkim_privkey *key;
	const char *why;
	int	rc;

	if ((key = dkim_privkey_load_file(k->path, &why)) == NULL)
		return keycheck_err(error, "cannot load the key of %s selector %s from %s: %s",
				    k->domain, k->selector, k->path, why);
	rc = dkim_privkey_record(key, out);
	dkim_privkey_free(key);
	if (rc < 0 || buf_failed(out))
		return keycheck_err(error, "cannot make the key record of %s", k->path);
	return 0;
}

int keycheck_zone(const struct store_key *k, struct buf *out, struct buf *error)
{
	struct buf record;
	struct buf name;
	int	rc;

	buf_init(&record, KEYCHECK_RECORD_MAX);
	buf_init(&name, 1024);
	keycheck_name(k, &name);
	if ((rc = keycheck_record(k, &record, error)) == 0
	    && keys_zone_record(buf_str(&name), (const char *) record.data, record.len,
				out) < 0)
		rc = keycheck_err(error, "the record of %s is too long", k->path);
	buf_free(&record);
	buf_free(&name);
	return rc;
}

/* ---- the check --------------------------------------------------------- */

const char *keycheck_words(enum keycheck_status st)
{
	switch (st) {
	case KEYCHECK_OK:
		return "published and matches";
	case KEYCHECK_MISSING:
		return "not published yet";
	case KEYCHECK_DIFFERS:
		return "published but the key differs";
	case KEYCHECK_DNS_FAILED:
		return "DNS failed";
	default:
		return "our key file is unusable";
	}
}

void keycheck_init(struct keycheck *c, struct dns_resolver *resolver, int allow_testing)
{
	memset(c, 0, sizeof(*c));
	c->resolver = resolver;
	c->allow_testing = allow_testing;
	buf_init(&c->name, 1024);
	buf_init(&c->record, KEYCHECK_RECORD_MAX);
	buf_init(&c->finding, 4096);
	buf_init(&c->warnings, 4096);
}

void keycheck_free(struct keycheck *c)
{
	buf_free(&c->name);
	buf_free(&c->record);
	buf_free(&c->finding);
	buf_free(&c->warnings);
}

/* The finding: "NAME: problem; what to do"; returns st. */
static enum keycheck_status keycheck_fail(struct keycheck *c, enum keycheck_status st,
					  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum keycheck_status keycheck_fail(struct keycheck *c, enum keycheck_status st,
					  const char *fmt, ...)
{
	va_list	ap;
	char	line[2048];

	va_start(ap, fmt);
	(void) vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	buf_reset(&c->finding);
	(void) buf_printf(&c->finding, "%s: %s", buf_str(&c->name), line);
	return st;
}

/* The hint for every problem that a new record fixes. */
static enum keycheck_status keycheck_publish(struct keycheck *c, enum keycheck_status st,
					     const char *problem)
{
	return keycheck_fail(c, st, "%s; publish the record that 'sealist key dns %s --selector"
			     " %s' prints", problem, c->key->domain, c->key->selector);
}

/* Tags that make a record unusable whatever its key. */
static enum keycheck_status keycheck_tags(struct keycheck *c, const struct dkim_keyrec *pub)
{
	if (pub->revoked)
		return keycheck_publish(c, KEYCHECK_DIFFERS, "revoked: the record has an empty p=, "
					"so every signature with this selector fails");
	if (!pub->allows_sha256)
		return keycheck_publish(c, KEYCHECK_DIFFERS, "the record's h= does not list sha256, "
					"so verifiers refuse our rsa-sha256/ed25519-sha256 "
					"signatures");
	if (!pub->service_ok)
		return keycheck_publish(c, KEYCHECK_DIFFERS,
					"the record's s= does not list email (or *)");
	return KEYCHECK_OK;
}

/* The published key against ours. */
static enum keycheck_status keycheck_key(struct keycheck *c, const struct dkim_keyrec *pub,
					 const struct dkim_keyrec *ours)
{
	int	bits;

	if (pub->key_type != ours->key_type)
		return keycheck_publish(c, KEYCHECK_DIFFERS, pub->key_type == 1
					? "different key: the record is k=ed25519, our key is rsa"
					: "different key: the record is k=rsa, our key is ed25519");
	if (keys_public_bits(pub->key_type, pub->key, pub->key_len, &bits) < 0)
		return keycheck_publish(c, KEYCHECK_DIFFERS,
					"unparsable record: p= is not a public key");
	/* Ours has at least 1024 bits, so such a key is never ours either. */
	if (pub->key_type == 0 && bits < KEYS_RSA_MIN_BITS)
		return keycheck_fail(c, KEYCHECK_DIFFERS, "key too short: the published RSA key "
				     "has %d bits and verifiers refuse keys under %d (RFC 8301); "
				     "publish the record that 'sealist key dns %s --selector %s' "
				     "prints", bits, KEYS_RSA_MIN_BITS, c->key->domain,
				     c->key->selector);
	if (!keys_public_same(pub->key_type, pub->key, pub->key_len, ours->key, ours->key_len))
		return keycheck_publish(c, KEYCHECK_DIFFERS, "different key: the published p= is "
					"not the public key of our key file");
	return KEYCHECK_OK;
}

/* t=y, once the key matches. */
static enum keycheck_status keycheck_testing(struct keycheck *c, const struct dkim_keyrec *pub)
{
	if (!pub->testing)
		return KEYCHECK_OK;
	if (c->allow_testing) {
		(void) buf_printf(&c->warnings, "warning: %s has t=y (testing): receivers treat "
				  "our mail as unsigned; remove t=y once signing works\n",
				  buf_str(&c->name));
		return KEYCHECK_OK;
	}
	return keycheck_publish(c, KEYCHECK_DIFFERS, "the record has t=y (testing): receivers "
				"treat mail signed with it as unsigned, so it does not help DMARC; "
				"remove t=y (or pass --allow-testing while trying things out)");
}

/* One published record against ours. */
static enum keycheck_status keycheck_record_one(struct keycheck *c, const struct dns_txt *txt)
{
	struct dkim_keyrec pub;
	struct dkim_keyrec ours;
	enum keycheck_status st;
	const char *why;

	memset(&pub, 0, sizeof(pub));
	memset(&ours, 0, sizeof(ours));
	if (dkim_keyrec_parse(c->record.data, c->record.len, &ours, &why) < 0) {
		buf_reset(&c->finding);
		(void) buf_printf(&c->finding, "%s: the record of our own key does not parse (%s);"
				  " this is a bug", c->key->path, why);
		return KEYCHECK_ERROR;
	}
	if (dkim_keyrec_parse(txt->data, txt->len, &pub, &why) < 0)
		st = keycheck_fail(c, KEYCHECK_DIFFERS, "unparsable record: %s; publish the record "
				   "that 'sealist key dns %s --selector %s' prints", why,
				   c->key->domain, c->key->selector);
	else if ((st = keycheck_tags(c, &pub)) == KEYCHECK_OK
		 && (st = keycheck_key(c, &pub, &ours)) == KEYCHECK_OK)
		st = keycheck_testing(c, &pub);
	dkim_keyrec_free(&pub);
	dkim_keyrec_free(&ours);
	return st;
}

/* The answer from DNS: exactly one TXT record, else a finding. */
static enum keycheck_status keycheck_answer(struct keycheck *c, enum dns_status st,
					    const struct dns_txt_answer *ans, const char *error)
{
	switch (st) {
	case DNS_OK:
		break;
	case DNS_NXDOMAIN:
	case DNS_NODATA:
		return keycheck_publish(c, KEYCHECK_MISSING, st == DNS_NXDOMAIN
					? "missing: no such name in DNS (NXDOMAIN)"
					: "missing: the name has no TXT record (NODATA)");
	default:
		(void) snprintf(c->dns_error, sizeof(c->dns_error), "%s",
				error ? error : dns_status_str(st));
		return keycheck_fail(c, KEYCHECK_DNS_FAILED, "DNS lookup failed, a temporary "
				     "failure (%s); try again, and check dns_nameserver in the "
				     "configuration or --nameserver",
				     error ? error : dns_status_str(st));
	}
	if (ans->count > 1)
		return keycheck_fail(c, KEYCHECK_DIFFERS, "%zu TXT records: verifiers may pick any "
				     "of them; publish exactly one, the one that 'sealist key dns "
				     "%s --selector %s' prints", ans->count, c->key->domain,
				     c->key->selector);
	return keycheck_record_one(c, &ans->txt[0]);
}

enum keycheck_status keycheck_one(struct keycheck *c, const struct store_key *k)
{
	struct dns_txt_answer ans;
	enum dns_status dst;
	enum keycheck_status st;
	const char *error = NULL;

	c->key = k;
	keycheck_name(k, &c->name);
	buf_reset(&c->record);
	buf_reset(&c->finding);
	buf_reset(&c->warnings);
	c->dns_error[0] = 0;
	if (keycheck_record(k, &c->record, &c->finding) < 0)
		return KEYCHECK_ERROR;
	dst = dns_txt(c->resolver, buf_str(&c->name), &ans, &error);
	st = keycheck_answer(c, dst, &ans, error);
	dns_txt_answer_free(&ans);
	if (st == KEYCHECK_OK && strcmp(k->algorithm, "rsa") == 0 && k->bits < KEYS_RSA_GOOD_BITS)
		(void) buf_printf(&c->warnings, "warning: %s: a %d-bit RSA key is weak; RFC 8301 "
				  "asks for at least %d: generate a new key and rotate\n",
				  buf_str(&c->name), k->bits, KEYS_RSA_GOOD_BITS);
	return st;
}
