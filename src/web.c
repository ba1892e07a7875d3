/*
 * NAME
 *	web 3
 * SUMMARY
 *	the web server: MHD glue, the router, forms, answers, static files
 * DESCRIPTION
 *	See web.h and web_int.h.  libmicrohttpd calls web_handler several
 *	times per request: first with the headers (the route is found there,
 *	so a 405, or a 413 by the route's body_max, goes out before any body
 *	is read), then with each piece of the body, then once more to
 *	answer.  Answering: decode the form (MHD's post processor, either
 *	encoding, every field kept by name), take the thread's store, check
 *	{list}, load the session, check the route's role and, on a POST of a
 *	route above WEB_PUBLIC, the CSRF token; only then the handler runs.
 *	A handler never checks a role itself, so the table is the whole
 *	truth and the security test walks it (`sealistd --web-routes`).
 *
 *	The public forms (web_public.c) carry no CSRF token, on purpose:
 *	there is no session to ride on; their safety is the secret in the
 *	URL and, for subscribing, the confirmation mail.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "conf.h"
#include "html.h"
#include "log.h"
#include "post.h"
#include "sealist_limits.h"
#include "store.h"
#include "template.h"
#include "web.h"
#include "web_client.h"
#include "web_int.h"

/* 413 (RFC 9110 section 15.5.14): MHD renamed its constant across versions. */
#define WEB_HTTP_TOO_LARGE	413u

/* A page, filled: the templates are small, the _html parts bounded by the pages. */
#define WEB_PAGE_MAX		(4 * 1024 * 1024)
/* The list part of a path. */
#define WEB_LIST_MAX		(LIMIT_LOCAL_PART + LIMIT_DOMAIN + 2)

/* A trusted proxy: an address and how many leading bits must match. */
struct web {
	struct MHD_Daemon *d;
	char   *database, *templates_dir, *www_dir, *base;	/* base: no trailing '/' */
	char   *keys_dir, *dns_nameserver, *authserv_id;
	char   *outbound_ips, *dmarc_report_address;	/* H2 */
	struct web_config cfg;
	char   *tls_cert_pem, *tls_key_pem;			/* NULL: plain HTTP */
	struct web_net *proxies;
	size_t	nproxies;
};

/* One form field; a value continues over several post-processor calls. */
struct web_field {
	char   *name;
	struct buf value;
	int	file;			/* multipart with a filename */
};

/* One request's state between MHD's calls, and what its handler sees. */
struct web_state {
	struct web_req r;		/* first: a struct web_req * is a struct web_state * */
	struct buf body;
	int	too_large;
	size_t	body_max;
	struct web_field *fields;
	size_t	nfields, cap;
	int	dropping;		/* the field being read is not kept */
	struct web_session session;
	char	list[WEB_LIST_MAX], id[130], client[INET6_ADDRSTRLEN];
	char   *headers[2 * WEB_HEADERS_MAX];
	size_t	nheaders;
};

static struct web_state *web_state(struct web_req *r)
{
	return (struct web_state *) r;
}

const struct web_config *web_cfg(const struct web_req *r)
{
	return &r->w->cfg;
}

/* ---- the route tables -------------------------------------------------------------- */

static enum MHD_Result web_static(struct web_req *);

static const struct web_route web_static_routes[] = {
	{"GET", "/static/{id}", WEB_PUBLIC, 0, web_static},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};

/*
 * Every table the server answers from.  The page modules' tables
 * (web_overview_routes, web_settings_routes, web_members_routes,
 * web_held_routes, web_bounces_routes, web_keys_routes, web_queue_routes)
 * go here when their modules are in the tree.
 */
static const struct web_route *const web_tables[] = {
	web_static_routes,
	web_public_routes,
	web_auth_routes,
	/* ---- B ---- */
	web_overview_routes,
	web_bounces_routes,
	web_keys_routes,
	web_queue_routes,
	/* ---- end B ---- */
	web_settings_routes,	/* C1 */
	web_held_routes,	/* C1 */
	web_members_routes,	/* C2 */
	web_dmarc_routes,	/* H2 */
};

static const char *web_role_name(enum web_role role)
{
	switch (role) {
	case WEB_PUBLIC: return "public";
	case WEB_LOGGED_IN: return "logged_in";
	case WEB_LIST_MODERATOR: return "list_moderator";
	case WEB_LIST_OWNER: return "list_owner";
	case WEB_SITE_ADMIN: return "site_admin";
	}
	return "?";
}

void web_routes_print(FILE *out)
{
	size_t	t;
	const struct web_route *rt;

	for (t = 0; t < sizeof(web_tables) / sizeof(web_tables[0]); t++)
		for (rt = web_tables[t]; rt->method != NULL; rt++)
			fprintf(out, "%s %s %s\n", rt->method, rt->pattern, web_role_name(rt->role));
}

/* {id}: one segment of [A-Za-z0-9._@-]{1,128}. */
static int web_id_ok(const char *s, size_t len)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._@-";
	size_t	i;

	if (len == 0 || len > 128)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == 0 || strchr(allowed, s[i]) == NULL)
			return 0;
	return 1;
}

/* {list}: LIST@DOMAIN-looking, checked against the store later. */
static int web_list_ok(const char *s, size_t len)
{
	return len > 2 && len < WEB_LIST_MAX && memchr(s, '@', len) != NULL
	    && memchr(s, '%', len) == NULL && s[0] != '@' && s[len - 1] != '@';
}

/* Does path match pattern?  Captures {list} and {id} into st when given. */
static int web_match(const char *pattern, const char *path, struct web_state *st)
{
	while (*pattern && *path) {
		size_t	plen = strcspn(pattern, "/"), len = strcspn(path, "/");

		if (plen == 6 && strncmp(pattern, "{list}", 6) == 0) {
			if (!web_list_ok(path, len))
				return 0;
			if (st != NULL)
				snprintf(st->list, sizeof(st->list), "%.*s", (int) len, path);
		} else if (plen == 4 && strncmp(pattern, "{id}", 4) == 0) {
			if (!web_id_ok(path, len))
				return 0;
			if (st != NULL)
				snprintf(st->id, sizeof(st->id), "%.*s", (int) len, path);
		} else if (plen != len || strncmp(pattern, path, len) != 0)
			return 0;
		pattern += plen;
		path += len;
		if (*pattern != *path)		/* one has a '/' here, the other ends */
			return 0;
		if (*pattern == '/')
			pattern++, path++;
		else
			break;
	}
	return *pattern == 0 && *path == 0;
}

/*
 * The route for method and path: NULL with *status 404 (no such path) or
 * 405 (the path exists, not with this method).  HEAD is served as GET.
 */
static const struct web_route *web_find(const char *method, const char *path,
					struct web_state *st, unsigned *status)
{
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	const struct web_route *rt;
	size_t	t;

	*status = MHD_HTTP_NOT_FOUND;
	for (t = 0; t < sizeof(web_tables) / sizeof(web_tables[0]); t++)
		for (rt = web_tables[t]; rt->method != NULL; rt++) {
			if (!web_match(rt->pattern, path, NULL))
				continue;
			if (strcmp(rt->method, m) != 0) {
				*status = MHD_HTTP_METHOD_NOT_ALLOWED;
				continue;
			}
			if (st != NULL)
				web_match(rt->pattern, path, st);
			return rt;
		}
	return NULL;
}

/* ---- answers ------------------------------------------------------------------------- */

static enum MHD_Result web_send_raw(struct MHD_Connection *conn, struct web_state *st,
				    unsigned status, const char *type, const void *data,
				    size_t len, const char *cache, const char *disposition)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t	i;

	resp = MHD_create_response_from_buffer(len, (void *) (uintptr_t) data,
					       MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	/* on every response, pages, files and errors alike */
	MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'self'");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", cache ? cache : "no-store");
	if (disposition != NULL)
		MHD_add_response_header(resp, "Content-Disposition", disposition);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, "Allow", "GET, HEAD, POST");
	if (st != NULL && st->r.https)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	for (i = 0; st != NULL && i < st->nheaders; i++)
		MHD_add_response_header(resp, st->headers[2 * i], st->headers[2 * i + 1]);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result web_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return web_send_raw(conn, NULL, status, "text/plain; charset=utf-8", text, strlen(text),
			    NULL, NULL);
}

void web_header(struct web_req *r, const char *name, const char *value)
{
	struct web_state *st = web_state(r);
	char   *n, *v;

	if (st->nheaders >= WEB_HEADERS_MAX)
		return;
	if ((n = strdup(name)) == NULL || (v = strdup(value)) == NULL) {
		free(n);
		return;
	}
	st->headers[2 * st->nheaders] = n;
	st->headers[2 * st->nheaders + 1] = v;
	st->nheaders++;
}

enum MHD_Result web_send_data(struct web_req *r, unsigned status, const char *type,
			      const void *data, size_t len, const char *disposition)
{
	return web_send_raw(r->conn, web_state(r), status, type, data, len, NULL, disposition);
}

void web_url(const struct web_req *r, const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s%s", r->w->base, path);
}

/* Percent-encode everything but unreserved characters (RFC 3986 2.3) and '@'. */
void web_pct(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t	n = 0;

	for (; *s && n + 4 < size; s++) {
		unsigned char ch = (unsigned char) *s;

		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '@')
			out[n++] = (char) ch;
		else {
			out[n++] = '%';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		}
	}
	out[n] = 0;
}

/* vars plus css, base and, with a session, user and csrf (the caller's win). */
static size_t web_vars(struct web_req *r, const char *const *vars, const char **all,
		       size_t max, char *css, size_t css_size)
{
	size_t	n = 0;

	web_url(r, "/static/sealist.css", css, css_size);
	for (; vars != NULL && vars[n] != NULL && n + 10 < max; n++)
		all[n] = vars[n];
	all[n++] = "css";
	all[n++] = css;
	all[n++] = "base";
	all[n++] = r->w->base;
	if (r->session != NULL) {
		all[n++] = "user";
		all[n++] = r->session->user;
		all[n++] = "csrf";
		all[n++] = r->session->csrf;
	}
	all[n] = NULL;
	return n;
}

/* Render NAME.html into out; 0, or -1 logged. */
static int web_render(struct web_req *r, const char *name, const char *const *vars,
		      struct buf *out)
{
	const char *all[160];
	char	css[WEB_URL_MAX];
	const char *error;

	web_vars(r, vars, all, sizeof(all) / sizeof(all[0]), css, sizeof(css));
	if (template_render_html(r->w->templates_dir, name, all, out, &error) < 0) {
		log_error("event=web page=%s error=%s", name, log_quote(error));
		return -1;
	}
	return 0;
}

enum MHD_Result web_page(struct web_req *r, unsigned status, const char *name,
			 const char *const *vars)
{
	struct buf out;
	enum MHD_Result ret;

	buf_init(&out, WEB_PAGE_MAX);
	if (web_render(r, name, vars, &out) < 0)
		ret = web_text(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
	else
		ret = web_send_raw(r->conn, web_state(r), status, "text/html; charset=utf-8",
				   out.data, out.len, NULL, NULL);
	buf_free(&out);
	return ret;
}

/* One navigation link; aria-current on the page we are on. */
static void web_nav_link(struct web_req *r, struct buf *nav, const char *path,
			 const char *label)
{
	char	url[WEB_URL_MAX];

	web_url(r, path, url, sizeof(url));
	if (strcmp(r->url, path) == 0)
		html_fmt(nav, "<li><a href=\"%s\" aria-current=\"page\">%s</a></li>\n", url, label);
	else
		html_fmt(nav, "<li><a href=\"%s\">%s</a></li>\n", url, label);
}

/* The layout's navigation: the site's pages, then those of the list the
   page is about, each only when the user may open it. */
static void web_nav(struct web_req *r, struct buf *nav)
{
	static const struct {
		const char *sub, *label;
		enum web_role role;
	} list_pages[] = {
		{"/", "List overview", WEB_LIST_MODERATOR},
		{"/settings", "Settings", WEB_LIST_OWNER},
		{"/members", "Members", WEB_LIST_OWNER},
		{"/held", "Held posts", WEB_LIST_MODERATOR},
		{"/bounces", "Bounces", WEB_LIST_OWNER},
	};
	char	path[WEB_URL_MAX];
	size_t	i;

	html_fmt(nav, "<ul class=\"nav-site\">\n");
	web_nav_link(r, nav, "/admin/", "Overview");
	if (r->session != NULL && r->session->site_admin) {
		web_nav_link(r, nav, "/admin/keys", "Keys");
		web_nav_link(r, nav, "/admin/queue", "Queue");
		web_nav_link(r, nav, "/admin/dmarc", "DMARC reports");	/* H2 */
	}
	html_fmt(nav, "</ul>\n");
	if (r->list == NULL || r->session == NULL)
		return;
	html_fmt(nav, "<p class=\"nav-list-name\">%s</p>\n<ul class=\"nav-list\">\n", r->list);
	for (i = 0; i < sizeof(list_pages) / sizeof(list_pages[0]); i++) {
		if (web_auth_allowed(r, list_pages[i].role, r->list) != 1)
			continue;
		snprintf(path, sizeof(path), "/admin/lists/%s%s", r->list, list_pages[i].sub);
		web_nav_link(r, nav, path, list_pages[i].label);
	}
	html_fmt(nav, "</ul>\n");
}

enum MHD_Result web_admin_page(struct web_req *r, unsigned status, const char *title,
			       const char *name, const char *const *vars)
{
	struct buf content, nav;
	enum MHD_Result ret;

	buf_init(&content, WEB_PAGE_MAX);
	buf_init(&nav, 64 * 1024);
	web_nav(r, &nav);
	if (web_render(r, name, vars, &content) < 0 || buf_failed(&nav))
		ret = web_text(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
	else {
		const char *layout[] = { "title", title, "site", "sealist",
			"nav_html", buf_str(&nav), "content_html", buf_str(&content),
			"user", r->session ? r->session->user : "",
			"csrf", r->session ? r->session->csrf : "", NULL };

		ret = web_page(r, status, "web-admin", layout);
	}
	buf_free(&nav);
	buf_free(&content);
	return ret;
}

enum MHD_Result web_message(struct web_req *r, unsigned status, const char *title,
			    const char *message)
{
	const char *vars[] = { "title", title, "message", message, NULL };

	return web_page(r, status, "web-message", vars);
}

enum MHD_Result web_not_found(struct web_req *r)
{
	return web_message(r, MHD_HTTP_NOT_FOUND, "Not found", "There is no such page here.");
}

enum MHD_Result web_failed(struct web_req *r, const char *what, const char *error)
{
	log_error("event=web step=%s error=%s", what, log_quote(error ? error : "?"));
	return web_message(r, MHD_HTTP_SERVICE_UNAVAILABLE, "Try again later",
			   "Something went wrong on our side; please try again in a few minutes.");
}

enum MHD_Result web_redirect(struct web_req *r, const char *path)
{
	struct web_state *st = web_state(r);
	char	url[WEB_URL_MAX];
	static const char body[] = "See Other\n";

	web_url(r, path, url, sizeof(url));
	if (st->nheaders < WEB_HEADERS_MAX)
		web_header(r, "Location", url);
	else {
		/* Location must go out: it takes the last slot */
		free(st->headers[2 * (WEB_HEADERS_MAX - 1)]);
		free(st->headers[2 * (WEB_HEADERS_MAX - 1) + 1]);
		st->nheaders--;
		web_header(r, "Location", url);
	}
	return web_send_raw(r->conn, st, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", body,
			    sizeof(body) - 1, NULL, NULL);
}

/* ---- the mail paths' context ---------------------------------------------------------- */

void web_post_ctx(struct web_req *r, struct post_ctx *c)
{
	const struct web *w = r->w;

	memset(c, 0, sizeof(*c));
	c->store = r->store;
	c->delimiter = w->cfg.delimiter;
	c->authserv_id = w->cfg.authserv_id;
	c->web_base_url = w->base;
	c->templates_dir = w->templates_dir;
	c->now = r->now;
	c->allow_open_subscribe = w->cfg.allow_open_subscribe;
	c->pending_request_life = w->cfg.pending_request_life;
	c->request_replies_per_hour = w->cfg.request_replies_per_hour;
}

void web_queued(struct web_req *r, size_t queued)
{
	if (queued > 0 && r->w->cfg.on_outbound != NULL)
		r->w->cfg.on_outbound(r->w->cfg.on_outbound_ctx);
}

/* ---- static files ------------------------------------------------------------------- */

static const char *web_content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"},
		{".html", "text/html; charset=utf-8"},
	};
	const char *dot = strrchr(name, '.');
	size_t	i;

	for (i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* {id} already keeps out '/' and '%'; no leading '.' either (hidden, "..") */
static enum MHD_Result web_static(struct web_req *r)
{
	char	path[WEB_URL_MAX], chunk[8192];
	struct stat st;
	struct buf data;
	ssize_t	n;
	int	fd;
	enum MHD_Result ret;

	if (r->id[0] == '.' || strchr(r->id, '@') != NULL
	    || (size_t) snprintf(path, sizeof(path), "%s/%s", r->w->www_dir, r->id) >= sizeof(path))
		return web_not_found(r);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return web_not_found(r);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return web_not_found(r);
	}
	buf_init(&data, WEB_STATIC_MAX);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_append(&data, chunk, (size_t) n) < 0)
			break;
	close(fd);
	if (n < 0 || buf_failed(&data))
		ret = web_failed(r, "static", n < 0 ? strerror(errno) : "file too large");
	else
		ret = web_send_raw(r->conn, web_state(r), MHD_HTTP_OK, web_content_type(r->id),
				   data.data, data.len, "public, max-age=3600", NULL);
	buf_free(&data);
	return ret;
}

/* ---- forms --------------------------------------------------------------------------- */

static struct web_field *web_field_new(struct web_state *st, const char *key, int file)
{
	struct web_field *f;

	if (st->nfields >= WEB_FIELDS_MAX)
		return NULL;
	if (st->nfields == st->cap) {
		size_t	cap = st->cap ? st->cap * 2 : 16;
		struct web_field *more = realloc(st->fields, cap * sizeof(*more));

		if (more == NULL)
			return NULL;
		st->fields = more;
		st->cap = cap;
	}
	f = &st->fields[st->nfields];
	if ((f->name = strdup(key)) == NULL)
		return NULL;
	buf_init(&f->value, st->body_max);
	f->file = file;
	st->nfields++;
	return f;
}

static enum MHD_Result web_form_field(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *filename, const char *content_type,
				      const char *transfer_encoding, const char *data,
				      uint64_t off, size_t size)
{
	struct web_state *st = cls;
	struct web_field *f = NULL;

	(void) kind, (void) content_type, (void) transfer_encoding;
	/* a value comes in pieces, one field after the other: off > 0 continues
	   the latest field, unless that one was dropped (over WEB_FIELDS_MAX) */
	if (off > 0) {
		if (!st->dropping && st->nfields > 0
		    && strcmp(st->fields[st->nfields - 1].name, key) == 0)
			f = &st->fields[st->nfields - 1];
	} else
		f = web_field_new(st, key, filename != NULL);
	st->dropping = f == NULL;
	if (f != NULL && size > 0)
		buf_append(&f->value, data, size);
	return MHD_YES;
}

/* Parse the body as a form (either encoding); an unknown type leaves none. */
static void web_form_parse(struct web_state *st)
{
	struct MHD_PostProcessor *pp;

	if ((pp = MHD_create_post_processor(st->r.conn, 16 * 1024, web_form_field, st)) == NULL)
		return;
	if (st->body.len > 0)
		(void) MHD_post_process(pp, (const char *) st->body.data, st->body.len);
	/* the last url-encoded field may only be delivered here */
	(void) MHD_destroy_post_processor(pp);
}

static void web_form_free(struct web_state *st)
{
	size_t	i;

	for (i = 0; i < st->nfields; i++) {
		free(st->fields[i].name);
		buf_free(&st->fields[i].value);
	}
	free(st->fields);
	st->fields = NULL;
	st->nfields = st->cap = 0;
}

/* The first plain field called name, whole; NULL if none. */
static const struct web_field *web_form_get(struct web_state *st, const char *name, int file)
{
	size_t	i;

	for (i = 0; i < st->nfields; i++)
		if (st->fields[i].file == file && strcmp(st->fields[i].name, name) == 0
		    && !buf_failed(&st->fields[i].value))
			return &st->fields[i];
	return NULL;
}

const char *web_arg(struct web_req *r, const char *name)
{
	const struct web_field *f = web_form_get(web_state(r), name, 0);

	return f != NULL ? buf_str(&f->value) : web_query(r, name);
}

size_t web_args(struct web_req *r, const char *name, const char **out, size_t max)
{
	struct web_state *st = web_state(r);
	size_t	i, n = 0;

	for (i = 0; i < st->nfields && n < max; i++)
		if (!st->fields[i].file && strcmp(st->fields[i].name, name) == 0
		    && !buf_failed(&st->fields[i].value))
			out[n++] = buf_str(&st->fields[i].value);
	return n;
}

const struct buf *web_upload(struct web_req *r, const char *name)
{
	const struct web_field *f = web_form_get(web_state(r), name, 1);

	return f != NULL ? &f->value : NULL;
}

const char *web_query(struct web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- the client: TCP peer, or what a trusted proxy says ----------------------------- */

/* The TCP peer as text. */
static void web_peer(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, size, "?");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *) (const void *) sa)->sin_addr,
			  out, (socklen_t) size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *) (const void *) sa)->sin6_addr,
			  out, (socklen_t) size);
}

/* r->client and r->https. */
static void web_client(struct web_state *st)
{
	struct web_req *r = &st->r;
	const struct web *w = r->w;
	const char *xff, *proto;

	web_peer(r->conn, st->client, sizeof(st->client));
	r->client = st->client;
	r->https = w->tls_cert_pem != NULL || strncasecmp(w->base, "https://", 8) == 0;
	if (w->nproxies == 0 || !web_net_match(w->proxies, w->nproxies, st->client))
		return;
	xff = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff != NULL)
		web_forwarded_for(w->proxies, w->nproxies, xff, strlen(xff), st->client,
				  sizeof(st->client));
	proto = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	if (proto != NULL && web_forwarded_https(proto, strlen(proto)))
		r->https = 1;
}

/* ---- the router --------------------------------------------------------------------- */

/* Not logged in: a GET goes to the login page and comes back after. */
static enum MHD_Result web_to_login(struct web_req *r)
{
	char	enc[3 * WEB_URL_MAX], path[sizeof(enc) + 32];

	if (r->post)
		return web_message(r, MHD_HTTP_FORBIDDEN, "Not logged in",
				   "Please log in first.");
	web_pct(r->url, enc, sizeof(enc));
	snprintf(path, sizeof(path), "/login?next=%s", enc);
	return web_redirect(r, path);
}

/* Constant-time comparison of the form's token with the session's. */
static int web_csrf_ok(struct web_state *st)
{
	const struct web_field *f = web_form_get(st, "csrf", 0);
	size_t	len = strlen(st->session.csrf);

	return f != NULL && len > 0 && f->value.len == len
	    && CRYPTO_memcmp(f->value.data, st->session.csrf, len) == 0;
}

/* A refused request, for the log (who, from where, why). */
static void web_refused(const struct web_req *r, const char *why)
{
	log_info("event=web action=refused method=%s url=%s user=%s client=%s reason=%s",
		 r->post ? "POST" : "GET", log_quote(r->url),
		 log_quote(r->session ? r->session->user : "-"), log_quote(r->client), why);
}

/* Session, role, CSRF: 0 go on, else *ret is the answer. */
static int web_guard(struct web_state *st, const struct web_route *rt, enum MHD_Result *ret)
{
	struct web_req *r = &st->r;
	int	rc;

	if ((rc = web_auth_session(r, &st->session)) < 0) {
		*ret = web_failed(r, "session", "the store failed");
		return -1;
	}
	r->session = rc == 1 ? &st->session : NULL;
	if (rt->role == WEB_PUBLIC)
		return 0;
	if (r->session == NULL) {
		web_refused(r, "no-session");
		*ret = web_to_login(r);
		return -1;
	}
	if ((rc = web_auth_allowed(r, rt->role, r->list)) <= 0) {
		if (rc == 0)
			web_refused(r, "role");
		*ret = rc < 0 ? web_failed(r, "role", "the store failed")
		    : web_message(r, MHD_HTTP_FORBIDDEN, "Not allowed",
				  "Your account may not use this page.");
		return -1;
	}
	if (r->post && !web_csrf_ok(st)) {
		web_refused(r, "csrf");
		*ret = web_message(r, MHD_HTTP_FORBIDDEN, "The form has expired",
				   "The form has expired; reload the page and try again.");
		return -1;
	}
	return 0;
}

/*
 * The route's {list} exists: r->list is the store's lowercase address.
 * store_list_id, not store_list_get: that one counts the members, a scan
 * of a big list on every admin request (pages that want counts ask).
 */
static int web_list_check(struct web_state *st, enum MHD_Result *ret)
{
	struct web_req *r = &st->r;
	char   *local = NULL, *domain = NULL;
	const char *error;
	long long id;
	int	status;

	if (st->list[0] == 0)
		return 0;
	status = store_list_id(r->store, st->list, &id, &error);
	if (status == STORE_ERROR) {
		*ret = web_failed(r, "list", error);
		return -1;
	}
	if (status != STORE_OK
	    || store_list_check_name(st->list, &local, &domain, &error) != STORE_OK) {
		*ret = web_message(r, MHD_HTTP_NOT_FOUND, "No such list",
				   "There is no list of that name here.");
		return -1;
	}
	/* the form the store keeps: local part and domain as store_list_names has them */
	snprintf(st->list, sizeof(st->list), "%s@%s", local, domain);
	free(local);
	free(domain);
	r->list = st->list;
	return 0;
}

/* ---- H6: a store per pool thread, kept between requests ---------------------------- */
/*
 * Opening a store per request read and parsed the schema, prepared every
 * statement again and began with an empty page cache, so the members
 * page of a 100,000-member list read its index from the file (pread
 * copies, fresh pages) on every request: bench/README has the figures.
 * Each thread of libmicrohttpd's pool now keeps its store; the key's
 * destructor closes it when the thread ends (MHD_stop_daemon joins the
 * pool).  A kept store belongs to one database file; after each request
 * store_idle resets what is still running, so that with WAL the kept
 * connection sees every commit at its next read, as a new one did, and
 * one left inside a transaction (no entry point does that) is closed.
 */
struct web_kept {
	char   *database;
	struct store *store;
};

static pthread_key_t web_kept_key;
static pthread_once_t web_kept_once = PTHREAD_ONCE_INIT;
static int web_kept_ok;		/* the key exists */

static void web_kept_free(void *p)
{
	struct web_kept *k = p;

	store_close(k->store);
	free(k->database);
	free(k);
}

static void web_kept_init(void)
{
	web_kept_ok = pthread_key_create(&web_kept_key, web_kept_free) == 0;
}

/* This thread's kept store for w's database, else a new one. */
static struct store *web_store_get(struct web *w, const char **error_r)
{
	struct web_kept *k = NULL;

	(void) pthread_once(&web_kept_once, web_kept_init);
	if (web_kept_ok)
		k = pthread_getspecific(web_kept_key);
	if (k != NULL && k->store != NULL && strcmp(k->database, w->database) == 0)
		return k->store;
	return store_open(w->database, error_r);
}

/* This thread's slot for a kept store, made on first use; NULL if none can be. */
static struct web_kept *web_kept_slot(void)
{
	struct web_kept *k;

	if (!web_kept_ok)
		return NULL;
	if ((k = pthread_getspecific(web_kept_key)) != NULL)
		return k;
	if ((k = calloc(1, sizeof(*k))) != NULL && pthread_setspecific(web_kept_key, k) != 0) {
		free(k);
		k = NULL;
	}
	return k;
}

/* After the request: keep s for this thread's next one, or close it. */
static void web_store_put(struct web *w, struct store *s)
{
	struct web_kept *k = web_kept_slot();
	int	idle = store_idle(s);
	char   *database;

	if (k != NULL && k->store == s && idle == 0)
		return;
	if (k != NULL && k->store == s)
		k->store = NULL;
	if (idle != 0) {
		log_warn("web: a request left a transaction open; its store is closed");
		store_close(s);
		return;
	}
	if (k == NULL || (database = strdup(w->database)) == NULL) {
		store_close(s);
		return;
	}
	store_close(k->store);
	free(k->database);
	k->database = database;
	k->store = s;
}

static enum MHD_Result web_dispatch(struct web_state *st, const char *method)
{
	struct web_req *r = &st->r;
	const struct web_route *rt;
	const char *error;
	enum MHD_Result ret;
	unsigned status;

	web_client(st);
	if ((rt = web_find(method, r->url, st, &status)) == NULL)
		return status == MHD_HTTP_NOT_FOUND ? web_not_found(r)
		    : web_text(r->conn, status, "method not allowed\n");
	r->id = st->id[0] ? st->id : NULL;
	if (r->post)
		web_form_parse(st);
	if ((r->store = web_store_get(r->w, &error)) == NULL)
		return web_failed(r, "store", error);
	if (web_list_check(st, &ret) == 0 && web_guard(st, rt, &ret) == 0)
		ret = rt->handler(r);
	web_store_put(r->w, r->store);
	r->store = NULL;
	return ret;
}

/* ---- the handler ------------------------------------------------------------------ */

/* The headers: the route decides 405 and the body's limit (413). */
static enum MHD_Result web_begin(struct web *w, struct MHD_Connection *conn, const char *url,
				 const char *method, void **con_cls)
{
	const struct web_route *rt;
	struct web_state *st;
	const char *cl;
	unsigned status;
	size_t	max;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0
	    && strcmp(method, "POST") != 0)
		return web_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	rt = web_find(method, url, NULL, &status);
	if (rt == NULL && status == MHD_HTTP_METHOD_NOT_ALLOWED)
		return web_text(conn, status, "method not allowed\n");
	max = rt != NULL && rt->body_max > 0 ? rt->body_max : WEB_BODY_MAX;
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL && strtoull(cl, NULL, 10) > max)
		return web_text(conn, WEB_HTTP_TOO_LARGE, "request body too large\n");
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return MHD_NO;
	st->r.w = w;
	st->r.conn = conn;
	st->r.post = strcmp(method, "POST") == 0;
	st->body_max = max;
	buf_init(&st->body, max);
	*con_cls = st;
	return MHD_YES;
}

static enum MHD_Result web_handler(void *cls, struct MHD_Connection *conn, const char *url,
				   const char *method, const char *version,
				   const char *upload_data, size_t *upload_data_size,
				   void **con_cls)
{
	struct web_state *st = *con_cls;

	(void) version;
	if (st == NULL)
		return web_begin(cls, conn, url, method, con_cls);
	if (*upload_data_size > 0) {
		/* chunked or lying about its length: keep reading, answer 413 */
		if (!st->too_large && buf_append(&st->body, upload_data, *upload_data_size) < 0)
			st->too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (st->too_large)
		return web_text(conn, WEB_HTTP_TOO_LARGE, "request body too large\n");
	st->r.url = url;
	st->r.now = (long long) time(NULL);
	return web_dispatch(st, method);
}

static void web_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			  enum MHD_RequestTerminationCode toe)
{
	struct web_state *st = *con_cls;
	size_t	i;

	(void) cls, (void) conn, (void) toe;
	if (st == NULL)
		return;
	for (i = 0; i < 2 * st->nheaders; i++)
		free(st->headers[i]);
	web_form_free(st);
	buf_free(&st->body);
	OPENSSL_cleanse(&st->session, sizeof(st->session));
	free(st);
	*con_cls = NULL;
}

/* The path and the query's values: percent-decoded, "%00" kept (web_client.h). */
static size_t web_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void) cls, (void) conn;
	return web_percent_decode(s, strlen(s));
}

/* libmicrohttpd's own messages, into our log */
__attribute__((format(printf, 2, 0)))
static void web_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	line[512];

	(void) cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = 0;
	log_warn("event=web error=%s", log_quote(line));
}

/* ---- start and stop ---------------------------------------------------------------- */

static void web_free(struct web *w)
{
	free(w->database);
	free(w->templates_dir);
	free(w->www_dir);
	free(w->base);
	free(w->keys_dir);
	free(w->dns_nameserver);
	free(w->outbound_ips);
	free(w->dmarc_report_address);
	free(w->authserv_id);
	if (w->tls_key_pem != NULL)
		OPENSSL_cleanse(w->tls_key_pem, strlen(w->tls_key_pem));
	free(w->tls_key_pem);
	free(w->tls_cert_pem);
	free(w->proxies);
	free(w);
}

/* A whole PEM file (conf key: path) as a string; NULL with why. */
static char *web_read_pem(const char *key, const char *path, char *why, size_t size)
{
	struct buf b;
	char	chunk[4096];
	ssize_t	n = 0;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(why, size, "%s %s: %s", key, path, strerror(errno));
		return NULL;
	}
	buf_init(&b, 1024 * 1024);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_append(&b, chunk, (size_t) n) < 0)
			break;
	close(fd);
	if (n < 0 || buf_failed(&b) || b.len == 0 || strstr(buf_str(&b), "-----BEGIN ") == NULL) {
		snprintf(why, size, "%s %s: %s", key, path, n < 0 ? strerror(errno)
			 : "not a PEM file (or over 1 MB)");
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The TLS files and the proxies into w; 0, or -1 with why. */
static int web_start_extra(struct web *w, const struct web_config *cfg, char *why, size_t size)
{
	const char *p = cfg->trusted_proxies ? cfg->trusted_proxies : "";

	if (cfg->tls_cert != NULL && *cfg->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(why, size, "web_tls_cert: this libmicrohttpd was built without "
				 "TLS; use a reverse proxy for HTTPS or a libmicrohttpd with GnuTLS");
			return -1;
		}
		if ((w->tls_cert_pem = web_read_pem("web_tls_cert", cfg->tls_cert, why, size)) == NULL
		    || (w->tls_key_pem = web_read_pem("web_tls_key", cfg->tls_key, why, size)) == NULL)
			return -1;
	}
	while (*p) {
		size_t	n;
		struct web_net *more;

		p += strspn(p, " \t");
		if ((n = strcspn(p, " \t")) == 0)
			break;
		if ((more = realloc(w->proxies, (w->nproxies + 1) * sizeof(*more))) == NULL)
			return snprintf(why, size, "out of memory"), -1;
		w->proxies = more;
		if (web_net_parse(p, n, &w->proxies[w->nproxies]) < 0)
			return snprintf(why, size, "web_trusted_proxies: bad entry %.*s", (int) n, p), -1;
		w->nproxies++;
		p += n;
	}
	return 0;
}

/* HOST and PORT of web_listen, resolved; NULL with why. */
static struct addrinfo *web_resolve(const char *listen, char *why, size_t size)
{
	struct addrinfo hints, *ai = NULL;
	char	host[300], port[8];
	const char *colon;
	int	rc;

	/* HOST:PORT or [v6]:PORT (conf.c checked the form) */
	if ((colon = strrchr(listen, ':')) == NULL || strlen(colon + 1) >= sizeof(port)
	    || (size_t) (colon - listen) >= sizeof(host)) {
		snprintf(why, size, "web_listen: expected HOST:PORT");
		return NULL;
	}
	if (listen[0] == '[' && colon > listen + 1 && colon[-1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int) (colon - listen - 2), listen + 1);
	else
		snprintf(host, sizeof(host), "%.*s", (int) (colon - listen), listen);
	snprintf(port, sizeof(port), "%s", colon + 1);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(why, size, "web_listen %s: %s", listen, gai_strerror(rc));
		return NULL;
	}
	return ai;
}

static struct web *web_new(const struct web_config *cfg)
{
	struct web *w = calloc(1, sizeof(*w));
	size_t	n;

	if (w == NULL)
		return NULL;
	w->cfg = *cfg;
	w->database = strdup(cfg->database);
	w->templates_dir = strdup(cfg->templates_dir);
	w->www_dir = strdup(cfg->www_dir);
	w->base = strdup(cfg->web_base_url ? cfg->web_base_url : "");
	w->keys_dir = strdup(cfg->keys_dir ? cfg->keys_dir : "");
	w->dns_nameserver = strdup(cfg->dns_nameserver ? cfg->dns_nameserver : "");
	w->authserv_id = strdup(cfg->authserv_id ? cfg->authserv_id : "");
	w->outbound_ips = strdup(cfg->outbound_ips ? cfg->outbound_ips : "");
	w->dmarc_report_address = strdup(cfg->dmarc_report_address
					 ? cfg->dmarc_report_address : "");
	if (w->database == NULL || w->templates_dir == NULL || w->www_dir == NULL
	    || w->base == NULL || w->keys_dir == NULL || w->dns_nameserver == NULL
	    || w->authserv_id == NULL || w->outbound_ips == NULL
	    || w->dmarc_report_address == NULL) {
		web_free(w);
		return NULL;
	}
	/* links are BASE/lists/...: no trailing '/' on the base */
	for (n = strlen(w->base); n > 0 && w->base[n - 1] == '/'; n--)
		w->base[n - 1] = 0;
	/* the copied config's strings are the caller's: only ours are kept */
	w->cfg.database = w->database;
	w->cfg.templates_dir = w->templates_dir;
	w->cfg.www_dir = w->www_dir;
	w->cfg.web_base_url = w->base;
	w->cfg.keys_dir = w->keys_dir;
	w->cfg.dns_nameserver = w->dns_nameserver;
	w->cfg.authserv_id = w->authserv_id;
	w->cfg.outbound_ips = w->outbound_ips;
	w->cfg.dmarc_report_address = w->dmarc_report_address;
	/* read once at start (web_start_extra); not kept as names */
	w->cfg.tls_cert = w->cfg.tls_key = w->cfg.trusted_proxies = NULL;
	return w;
}

struct web *web_start(const struct web_config *cfg, const char **error_r)
{
	static __thread char why[512];
	struct MHD_OptionItem tls[3] = { {MHD_OPTION_END, 0, NULL} };
	struct addrinfo *ai;
	struct web *w;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;

	if (template_check_html(cfg->templates_dir, error_r) < 0)
		return NULL;
	if ((ai = web_resolve(cfg->listen, why, sizeof(why))) == NULL) {
		*error_r = why;
		return NULL;
	}
	if ((w = web_new(cfg)) == NULL) {
		freeaddrinfo(ai);
		*error_r = "out of memory";
		return NULL;
	}
	if (web_start_extra(w, cfg, why, sizeof(why)) < 0) {
		freeaddrinfo(ai);
		web_free(w);
		*error_r = why;
		return NULL;
	}
	if (w->tls_cert_pem != NULL) {
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem) { MHD_OPTION_HTTPS_MEM_KEY, 0, w->tls_key_pem };
		tls[1] = (struct MHD_OptionItem) { MHD_OPTION_HTTPS_MEM_CERT, 0, w->tls_cert_pem };
		tls[2] = (struct MHD_OptionItem) { MHD_OPTION_END, 0, NULL };
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* the logger first: MHD logs the options that come before it itself */
	w->d = MHD_start_daemon(flags, 0, NULL, NULL, web_handler, w,
				MHD_OPTION_EXTERNAL_LOGGER, web_mhd_log, (void *) NULL,
				MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned) WEB_THREADS,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned) WEB_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned) WEB_TIMEOUT,
				MHD_OPTION_NOTIFY_COMPLETED, web_completed, (void *) NULL,
				MHD_OPTION_UNESCAPE_CALLBACK, web_unescape, (void *) NULL,
				MHD_OPTION_ARRAY, tls,
				MHD_OPTION_END);
	freeaddrinfo(ai);
	if (w->d == NULL) {
		snprintf(why, sizeof(why), "web_listen %s: cannot start (address in use or "
			 "unknown%s)", cfg->listen, w->tls_cert_pem ? ", or a bad certificate or key"
			 : "");
		*error_r = why;
		web_free(w);
		return NULL;
	}
	return w;
}

void web_stop(struct web *w)
{
	if (w == NULL)
		return;
	MHD_stop_daemon(w->d);
	web_free(w);
}
