/*
 * NAME
 *	store_keys 3
 * SUMMARY
 *	DKIM signing keys: record, look up, list
 * DESCRIPTION
 *	See store.h.  Only the facts about a key are stored (domain,
 *	selector, algorithm, bits, where its PEM file is, when it was made);
 *	the private key never enters the database, so a database backup or
 *	"sqlite3 .dump" does not carry signing keys.  keys.c writes the files.
 *
 *	Names are lowercased here, so "Example.ORG" and "example.org" are
 *	the same domain for every function.  The schema's UNIQUE (domain,
 *	selector) is what refuses a second key for a selector, also against
 *	a concurrent "sealist key generate".
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "sealist_limits.h"
#include "store.h"

/* A selector is a domain name too (RFC 6376 section 3.1). */
#define STORE_SELECTOR_MAX	LIMIT_DOMAIN

/* A lowercased copy of a domain or selector, checked for what the schema refuses. */
static int store_key_name(struct store *s, const char *what, const char *name,
			  char **lower_r)
{
	*lower_r = NULL;
	if (name == NULL || *name == 0)
		return store_fail(s, STORE_INVALID, "empty %s", what);
	if (strlen(name) > LIMIT_DOMAIN)
		return store_fail(s, STORE_INVALID, "%s \"%.40s...\" is too long (at most %d bytes)",
				  what, name, LIMIT_DOMAIN);
	if (strchr(name, '/') != NULL)
		return store_fail(s, STORE_INVALID, "invalid %s \"%s\": contains '/'", what, name);
	if ((*lower_r = strdup(name)) == NULL)
		return store_fail(s, STORE_ERROR, "out of memory");
	store_lowercase(*lower_r);
	return STORE_OK;
}

/* Both names of a key, lowercased; on failure both are NULL. */
static int store_key_names(struct store *s, const char *domain, const char *selector,
			   char **domain_r, char **selector_r)
{
	int	status;

	*selector_r = NULL;
	if ((status = store_key_name(s, "domain", domain, domain_r)) != STORE_OK)
		return status;
	if ((status = store_key_name(s, "selector", selector, selector_r)) != STORE_OK) {
		free(*domain_r);
		*domain_r = NULL;
	}
	return status;
}

static int store_key_check(struct store *s, const struct store_key *k)
{
	if (k->algorithm == NULL
	    || (strcmp(k->algorithm, "rsa") != 0 && strcmp(k->algorithm, "ed25519") != 0))
		return store_fail(s, STORE_INVALID, "invalid key algorithm \"%s\": expected rsa"
				  " or ed25519", k->algorithm ? k->algorithm : "");
	if (k->bits <= 0)
		return store_fail(s, STORE_INVALID, "invalid key size %d", k->bits);
	if (k->path == NULL || k->path[0] != '/')
		return store_fail(s, STORE_INVALID, "the key file name \"%s\" is not absolute",
				  k->path ? k->path : "");
	return STORE_OK;
}

static int store_key_insert(struct store *s, const char *domain, const char *selector,
			    const struct store_key *k)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_KEY_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, selector, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, k->algorithm, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, k->bits);
	sqlite3_bind_text(st, 5, k->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	/* The names and algorithm were checked: a constraint is the UNIQUE pair. */
	if (rc == SQLITE_CONSTRAINT)
		return store_fail(s, STORE_EXISTS, "%s already has a key with selector %s",
				  domain, selector);
	return store_db_fail(s, "cannot record a key");
}

int store_key_add(struct store *s, const struct store_key *k, const char **error_r)
{
	char   *domain = NULL;
	char   *selector = NULL;
	int	status;

	if ((status = store_key_check(s, k)) == STORE_OK
	    && (status = store_key_names(s, k->domain, k->selector, &domain,
					 &selector)) == STORE_OK)
		status = store_key_insert(s, domain, selector, k);
	free(domain);
	free(selector);
	return store_result(s, status, error_r);
}

/* The current row of a SQL_KEY_* SELECT, pointing into the statement. */
static void store_key_row(sqlite3_stmt *st, struct store_key *k)
{
	k->domain = (const char *) sqlite3_column_text(st, 0);
	k->selector = (const char *) sqlite3_column_text(st, 1);
	k->algorithm = (const char *) sqlite3_column_text(st, 2);
	k->bits = sqlite3_column_int(st, 3);
	k->path = (const char *) sqlite3_column_text(st, 4);
	k->created_at = sqlite3_column_int64(st, 5);
	k->signing = sqlite3_column_int(st, 6);
}

/* Append s and its NUL at *p, returning where it went. */
static const char *store_key_put(char **p, const char *s)
{
	size_t	len = strlen(s) + 1;
	const char *start = *p;

	memcpy(*p, s, len);
	*p += len;
	return start;
}

struct store_key *store_key_dup(const struct store_key *k)
{
	struct store_key *c;
	size_t	size = sizeof(*c) + strlen(k->domain) + strlen(k->selector)
	    + strlen(k->algorithm) + strlen(k->path) + 4;
	char   *p;

	if ((c = malloc(size)) == NULL)
		return NULL;
	*c = *k;
	p = (char *) (c + 1);
	c->domain = store_key_put(&p, k->domain);
	c->selector = store_key_put(&p, k->selector);
	c->algorithm = store_key_put(&p, k->algorithm);
	c->path = store_key_put(&p, k->path);
	return c;
}

static int store_key_lookup(struct store *s, const char *domain, const char *selector,
			    struct store_key **key_r)
{
	struct store_key k;
	sqlite3_stmt *st;
	int	status = STORE_OK;
	int	rc;

	if ((st = store_stmt(s, SQL_KEY_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, selector, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_key_row(st, &k);
		if ((*key_r = store_key_dup(&k)) == NULL)
			status = store_fail(s, STORE_ERROR, "out of memory");
	} else if (rc == SQLITE_DONE) {
		status = store_fail(s, STORE_NOT_FOUND, "%s has no key with selector %s",
				    domain, selector);
	} else {
		status = store_db_fail(s, "cannot look up a key");
	}
	sqlite3_reset(st);
	return status;
}

int store_key_get(struct store *s, const char *domain, const char *selector,
		  struct store_key **key_r, const char **error_r)
{
	char   *d = NULL;
	char   *sel = NULL;
	int	status;

	*key_r = NULL;
	if ((status = store_key_names(s, domain, selector, &d, &sel)) == STORE_OK)
		status = store_key_lookup(s, d, sel, key_r);
	free(d);
	free(sel);
	return store_result(s, status, error_r);
}

static int store_key_walk(struct store *s, const char *domain,
			  int (*fn)(const struct store_key *, void *), void *ctx)
{
	struct store_key k;
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, domain != NULL ? SQL_KEY_DOMAIN : SQL_KEY_ALL)) == NULL)
		return STORE_ERROR;
	if (domain != NULL)
		sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_key_row(st, &k);
		if (fn(&k, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot read the keys");
}

int store_key_each(struct store *s, const char *domain,
		   int (*fn)(const struct store_key *, void *), void *ctx,
		   const char **error_r)
{
	char   *d = NULL;
	int	status = STORE_OK;

	if (domain != NULL)
		status = store_key_name(s, "domain", domain, &d);
	if (status == STORE_OK)
		status = store_key_walk(s, d, fn, ctx);
	free(d);
	return store_result(s, status, error_r);
}

/* Run SQL_KEY_UNUSE or SQL_KEY_USE for (domain, selector); changes in *n_r. */
static int store_key_flag(struct store *s, enum store_sql sql, const char *domain,
			  const char *selector, int *n_r)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	int	status;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, selector, -1, SQLITE_STATIC);
	status = store_exec(s, st);
	*n_r = sqlite3_changes(s->db);
	return status;
}

int store_key_use(struct store *s, const char *domain, const char *selector,
		  const char **error_r)
{
	char   *d = NULL, *sel = NULL;
	int	status, n = 0;

	if ((status = store_key_names(s, domain, selector, &d, &sel)) == STORE_OK
	    && (status = store_begin(s)) == STORE_OK) {
		if ((status = store_key_flag(s, SQL_KEY_UNUSE, d, sel, &n)) == STORE_OK
		    && (status = store_key_flag(s, SQL_KEY_USE, d, sel, &n)) == STORE_OK && n == 0)
			status = store_fail(s, STORE_NOT_FOUND, "%s has no key with selector %s", d, sel);
		if (status == STORE_OK)
			status = store_commit(s);
		else
			store_rollback(s);
	}
	free(d);
	free(sel);
	return store_result(s, status, error_r);
}
