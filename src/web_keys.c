/*
 * NAME
 *	web_keys 3
 * SUMMARY
 *	the DKIM keys page (GET /admin/keys) and its actions: generate,
 *	check DNS, sign with a key (POST /admin/keys/generate|check|use)
 * DESCRIPTION
 *	Per domain of the lists (and any other domain that has keys): each
 *	key with its selector, algorithm, date and whether it signs, and the
 *	TXT record to publish (name and value as selectable text, and a copy
 *	button that www/keys.js shows; without script the button stays
 *	hidden).  The work is keycheck.c's, the code `sealist key generate |
 *	check | use` runs: the same names, files, record and DNS check, with
 *	the check's result in words.  As `sealist key use` without --force,
 *	signing switches only after the check passes.  DNS is asked through
 *	the daemon's dns_nameserver, as the CLI does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "keycheck.h"
#include "web_b.h"
#include "web_int.h"

/* The domains and keys one page shows at most. */
#define KC_DOMAINS_MAX	1000
#define KC_KEYS_MAX	2000

struct kc_set {
	char   *domain[KC_DOMAINS_MAX];
	size_t	ndomains;
	struct store_key *key[KC_KEYS_MAX];	/* ordered by domain, then selector */
	size_t	nkeys;
	int	full;
};

/* keys_dir and dns_nameserver as the daemon's configuration has them. */
static void kc_conf(struct web_req *r, const char **keys_dir_r, const char **nameserver_r)
{
	const struct web_config *cfg = web_cfg(r);

	*keys_dir_r = cfg->keys_dir != NULL ? cfg->keys_dir : "";
	*nameserver_r = cfg->dns_nameserver != NULL ? cfg->dns_nameserver : "";
}

/* ---- what the page shows ---------------------------------------------------- */

static void kc_add_domain(struct kc_set *set, const char *domain)
{
	size_t	i;

	for (i = 0; i < set->ndomains; i++)
		if (strcmp(set->domain[i], domain) == 0)
			return;
	if (set->ndomains == KC_DOMAINS_MAX || (set->domain[set->ndomains] = strdup(domain))
	    == NULL) {
		set->full = 1;
		return;
	}
	set->ndomains++;
}

static int kc_list_domain(const struct store_list *l, void *ctx)
{
	kc_add_domain(ctx, l->domain);
	return 0;
}

static int kc_key(const struct store_key *k, void *ctx)
{
	struct kc_set *set = ctx;

	if (set->nkeys == KC_KEYS_MAX || (set->key[set->nkeys] = store_key_dup(k)) == NULL) {
		set->full = 1;
		return 1;
	}
	set->nkeys++;
	return 0;
}

static int kc_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static int kc_load(struct web_req *r, struct kc_set *set, const char **error_r)
{
	size_t	i;

	if (store_list_each(r->store, kc_list_domain, set, error_r) != STORE_OK
	    || store_key_each(r->store, NULL, kc_key, set, error_r) != STORE_OK)
		return -1;
	for (i = 0; i < set->nkeys; i++)
		kc_add_domain(set, set->key[i]->domain);
	qsort(set->domain, set->ndomains, sizeof(set->domain[0]), kc_cmp);
	return 0;
}

static void kc_free(struct kc_set *set)
{
	size_t	i;

	for (i = 0; i < set->ndomains; i++)
		free(set->domain[i]);
	for (i = 0; i < set->nkeys; i++)
		free(set->key[i]);
	set->ndomains = set->nkeys = 0;
}

/* ---- the markup --------------------------------------------------------------- */

struct kc_page {
	struct web_req *r;
	char	check[1024], use[1024], generate[1024];	/* form actions */
	size_t	seq;					/* for unique ids */
};

/* One hidden domain + selector pair and the csrf field. */
static void kc_hidden(const struct kc_page *p, const struct store_key *k, struct buf *out)
{
	html_fmt(out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		 "<input type=\"hidden\" name=\"domain\" value=\"%s\">"
		 "<input type=\"hidden\" name=\"selector\" value=\"%s\">",
		 p->r->session->csrf, k->domain, k->selector);
}

static void kc_record(struct kc_page *p, const struct store_key *k, struct buf *out)
{
	struct buf name, record, error;

	buf_init(&name, 1024);
	buf_init(&record, KEYCHECK_RECORD_MAX);
	buf_init(&error, 4096);
	keycheck_name(k, &name);
	if (keycheck_record(k, &record, &error) < 0) {
		html_fmt(out, "<td class=\"error\">%s</td>", buf_str(&error));
	} else {
		p->seq++;
		html_fmt(out, "<td><p>Name: <code class=\"txt\">%s</code></p>"
			 "<p>Value: <code class=\"txt\" id=\"txt-%zu\">%s</code> "
			 "<button type=\"button\" class=\"copy\" data-copy=\"txt-%zu\" hidden>"
			 "Copy</button></p></td>", buf_str(&name), p->seq, buf_str(&record), p->seq);
	}
	buf_free(&name);
	buf_free(&record);
	buf_free(&error);
}

static void kc_key_row(struct kc_page *p, const struct store_key *k, struct buf *out)
{
	char	created[16];

	web_b_date(k->created_at, created, sizeof(created));
	html_fmt(out, "<tr data-selector=\"%s\"><td class=\"selector\">%s</td><td>%s</td>"
		 "<td>%d</td><td>%s</td><td class=\"signing\">%s</td>", k->selector, k->selector,
		 k->algorithm, k->bits, created, k->signing ? "signing" : "not signing");
	kc_record(p, k, out);
	html_fmt(out, "<td><form method=\"post\" action=\"%s\">", p->check);
	kc_hidden(p, k, out);
	/* the labels name the key: every row has the same buttons */
	html_fmt(out, "<button type=\"submit\" aria-label=\"Check DNS now for %s\">Check DNS now"
		 "</button></form>", k->selector);
	if (!k->signing) {
		html_fmt(out, "<form method=\"post\" action=\"%s\">", p->use);
		kc_hidden(p, k, out);
		html_fmt(out, "<button type=\"submit\" aria-label=\"Sign with this key: %s\">Sign "
			 "with this key</button></form>", k->selector);
	}
	html_fmt(out, "</td></tr>\n");
}

static void kc_generate_form(struct kc_page *p, const char *domain, struct buf *out)
{
	p->seq++;
	html_fmt(out, "<h3>New key for %s</h3>\n", domain);
	html_fmt(out, "<form class=\"key-generate\" method=\"post\" action=\"%s\">\n"
		 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		 "<input type=\"hidden\" name=\"domain\" value=\"%s\">\n"
		 "<label for=\"sel-%zu\">Selector (empty: sYYYYMM-rsa or sYYYYMM-ed)</label>\n"
		 "<input type=\"text\" id=\"sel-%zu\" name=\"selector\" pattern=\"[A-Za-z0-9.-]*\" "
		 "maxlength=\"63\">\n<label for=\"alg-%zu\">Algorithm</label>\n"
		 "<select id=\"alg-%zu\" name=\"algorithm\"><option value=\"rsa\" selected>RSA "
		 "2048 bits</option><option value=\"ed25519\">Ed25519</option></select>\n"
		 "<button type=\"submit\">Generate</button>\n</form>\n", p->generate,
		 p->r->session->csrf, domain, p->seq, p->seq, p->seq, p->seq);
}

static void kc_domain(struct kc_page *p, const struct kc_set *set, const char *domain,
		      struct buf *out)
{
	size_t	i, n = 0;

	html_fmt(out, "<section class=\"domain\" data-domain=\"%s\">\n<h2>%s</h2>\n", domain,
		 domain);
	for (i = 0; i < set->nkeys; i++) {
		if (strcmp(set->key[i]->domain, domain) != 0)
			continue;
		if (n++ == 0)
			html_fmt(out, "<div class=\"table-scroll\"><table class=\"keys\">\n<caption>"
				 "Keys of %s</caption>\n<thead><tr><th scope=\"col\">Selector</th>"
				 "<th scope=\"col\">Algorithm</th><th scope=\"col\">Bits</th>"
				 "<th scope=\"col\">Created</th><th scope=\"col\">Signing</th>"
				 "<th scope=\"col\">DNS TXT record to publish</th>"
				 "<th scope=\"col\">Actions</th></tr></thead>\n<tbody>\n", domain);
		kc_key_row(p, set->key[i], out);
	}
	if (n > 0)
		html_fmt(out, "</tbody></table></div>\n");
	else
		html_fmt(out, "<p>No key yet: mail of %s goes out unsigned.</p>\n", domain);
	kc_generate_form(p, domain, out);
	html_fmt(out, "</section>\n");
}

/* The page with an optional result box (already markup); status 200 or other. */
static enum MHD_Result kc_render(struct web_req *r, unsigned status, const struct buf *result)
{
	struct kc_set *set;
	struct kc_page p;
	struct buf body;
	const char *error = NULL;
	enum MHD_Result ret;
	size_t	i;

	if ((set = calloc(1, sizeof(*set))) == NULL)
		return web_failed(r, "keys page", "out of memory");
	memset(&p, 0, sizeof(p));
	p.r = r;
	web_url(r, "/admin/keys/check", p.check, sizeof(p.check));
	web_url(r, "/admin/keys/use", p.use, sizeof(p.use));
	web_url(r, "/admin/keys/generate", p.generate, sizeof(p.generate));
	buf_init(&body, 16 * 1024 * 1024);
	if (kc_load(r, set, &error) == 0) {
		for (i = 0; i < set->ndomains; i++)
			kc_domain(&p, set, set->domain[i], &body);
		if (set->ndomains == 0)
			html_fmt(&body, "<p>There are no lists yet, so no domains.</p>\n");
		if (set->full)
			html_fmt(&body, "<p>Not every key is shown: there are too many.</p>\n");
		const char *vars[] = {
			"result_html", result ? buf_str(result) : "", "domains_html", buf_str(&body),
			NULL
		};

		ret = web_admin_page(r, status, "DKIM keys", "web-admin-keys", vars);
	} else
		ret = web_failed(r, "keys page", error);
	buf_free(&body);
	kc_free(set);
	free(set);
	return ret;
}

static enum MHD_Result kc_page(struct web_req *r)
{
	const char *domain = web_query(r, "domain"), *done = web_query(r, "done");
	const char *selector = web_query(r, "selector");
	struct buf result;
	enum MHD_Result ret;

	buf_init(&result, 4096);
	if (domain != NULL && selector != NULL && done != NULL)
		html_fmt(&result, "<div id=\"key-result\" class=\"result\" role=\"status\"><p>%s: "
			 "%s %s.</p></div>\n", domain, strcmp(done, "used") == 0
			 ? "now signing with" : "generated the key", selector);
	ret = kc_render(r, 200, &result);
	buf_free(&result);
	return ret;
}

/* ---- actions ---------------------------------------------------------------- */

/* 303 to the page saying what was done. */
static enum MHD_Result kc_done(struct web_req *r, const char *done, const char *domain,
			       const char *selector)
{
	char	d[600], s[300], path[1200];

	web_pct(domain, d, sizeof(d));
	web_pct(selector, s, sizeof(s));
	(void) snprintf(path, sizeof(path), "/admin/keys?done=%s&domain=%s&selector=%s", done,
			d, s);
	return web_redirect(r, path);
}

/* A failure shown above the page. */
static enum MHD_Result kc_fail(struct web_req *r, unsigned status, const char *what,
			       const char *why)
{
	struct buf result;
	enum MHD_Result ret;

	buf_init(&result, 8192);
	html_fmt(&result, "<div id=\"key-result\" class=\"result error\" role=\"alert\"><p>"
		 "<strong>%s</strong></p><p>%s</p></div>\n", what, why);
	ret = kc_render(r, status, &result);
	buf_free(&result);
	return ret;
}

static enum MHD_Result kc_generate(struct web_req *r)
{
	const char *domain = web_arg(r, "domain"), *selector = web_arg(r, "selector");
	const char *algorithm = web_arg(r, "algorithm"), *keys_dir, *nameserver;
	struct keycheck_gen g;
	struct buf error;
	enum MHD_Result ret;

	memset(&g, 0, sizeof(g));
	if (algorithm == NULL || keys_type_parse(algorithm, &g.type) < 0)
		return kc_fail(r, 400, "Not generated", "The algorithm must be rsa or ed25519.");
	if (domain == NULL)
		return kc_fail(r, 400, "Not generated", "Which domain? The form had none.");
	if (selector != NULL && *selector == 0)
		selector = NULL;
	g.bits = g.type == KEYS_ED25519 ? 256 : KEYS_RSA_DEFAULT_BITS;
	kc_conf(r, &keys_dir, &nameserver);
	buf_init(&error, 4096);
	if (keycheck_gen_names(&g, domain, selector, (time_t) r->now, &error) < 0
	    || keycheck_gen_prepare(r->store, keys_dir, &g, &error) < 0
	    || keycheck_gen_make(r->store, keys_dir, &g, &error) < 0)
		ret = kc_fail(r, 400, "Not generated", buf_str(&error));
	else
		ret = kc_done(r, "generated", g.domain, g.selector);
	buf_free(&error);
	keycheck_gen_free(&g);
	return ret;
}

/* Check domain/selector's record; the key into *key_r (free it); status or -1 (answered). */
static int kc_check(struct web_req *r, struct keycheck *c, struct store_key **key_r,
		    enum MHD_Result *ret)
{
	const char *domain = web_arg(r, "domain"), *selector = web_arg(r, "selector");
	const char *keys_dir, *nameserver, *error = NULL;
	struct dns_resolver *resolver;
	int	rc;

	if (domain == NULL || selector == NULL) {
		*ret = kc_fail(r, 400, "No check", "Which key? The form had no domain or selector.");
		return -1;
	}
	if ((rc = store_key_get(r->store, domain, selector, key_r, &error)) != STORE_OK) {
		*ret = rc == STORE_NOT_FOUND ? kc_fail(r, 404, "No such key", error)
		    : web_failed(r, "key check", error);
		return -1;
	}
	kc_conf(r, &keys_dir, &nameserver);
	resolver = dns_resolver_new(nameserver, KEYCHECK_DNS_TIMEOUT_MS, &error);
	if (resolver == NULL) {
		*ret = kc_fail(r, 503, "DNS failed", error);
		free(*key_r);
		return -1;
	}
	keycheck_init(c, resolver, 0);
	rc = (int) keycheck_one(c, *key_r);
	dns_resolver_free(resolver);
	c->resolver = NULL;
	return rc;
}

/* The check's result box. */
static void kc_result(const struct keycheck *c, enum keycheck_status st, const char *then,
		      struct buf *out)
{
	html_fmt(out, "<div id=\"key-result\" class=\"result%s\" role=\"status\" "
		 "data-status=\"%s\"><p><strong>%s: %s%s%s</strong></p>\n",
		 st == KEYCHECK_OK ? "" : " error", keycheck_words(st), buf_str(&c->name),
		 keycheck_words(st), st == KEYCHECK_DNS_FAILED ? ": " : "", c->dns_error);
	if (st != KEYCHECK_OK)
		html_fmt(out, "<p class=\"finding\">%s</p>\n", buf_str(&c->finding));
	if (c->warnings.len > 0)
		html_fmt(out, "<p class=\"warning\">%s</p>\n", buf_str(&c->warnings));
	if (then != NULL)
		html_fmt(out, "<p>%s</p>\n", then);
	html_fmt(out, "</div>\n");
}

static enum MHD_Result kc_check_post(struct web_req *r)
{
	struct store_key *k = NULL;
	struct keycheck c;
	struct buf result;
	enum MHD_Result ret;
	int	st;

	if ((st = kc_check(r, &c, &k, &ret)) < 0)
		return ret;
	buf_init(&result, 16 * 1024);
	kc_result(&c, (enum keycheck_status) st, NULL, &result);
	ret = kc_render(r, 200, &result);
	buf_free(&result);
	keycheck_free(&c);
	free(k);
	return ret;
}

static enum MHD_Result kc_use(struct web_req *r)
{
	struct store_key *k = NULL;
	struct keycheck c;
	struct buf result;
	const char *error = NULL;
	enum MHD_Result ret;
	int	st;

	if ((st = kc_check(r, &c, &k, &ret)) < 0)
		return ret;
	/* a key whose record is not out there would fail DKIM at every subscriber */
	if (st == KEYCHECK_OK && store_key_use(r->store, k->domain, k->selector, &error)
	    == STORE_OK) {
		ret = kc_done(r, "used", k->domain, k->selector);
	} else if (st == KEYCHECK_OK) {
		ret = web_failed(r, "key use", error);
	} else {
		buf_init(&result, 16 * 1024);
		kc_result(&c, (enum keycheck_status) st, "Not switching: signing changes only "
			  "once DNS publishes this key's record.", &result);
		ret = kc_render(r, 409, &result);
		buf_free(&result);
	}
	keycheck_free(&c);
	free(k);
	return ret;
}

const struct web_route web_keys_routes[] = {
	{"GET", "/admin/keys", WEB_SITE_ADMIN, 0, kc_page},
	{"POST", "/admin/keys/generate", WEB_SITE_ADMIN, 0, kc_generate},
	{"POST", "/admin/keys/check", WEB_SITE_ADMIN, 0, kc_check_post},
	{"POST", "/admin/keys/use", WEB_SITE_ADMIN, 0, kc_use},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
