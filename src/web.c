/*
 * NAME
 *	web 3
 * SUMMARY
 *	the web server: static files and the public subscriber pages
 * DESCRIPTION
 *	See web.h.  libmicrohttpd calls web_handler several times per
 *	request: first with the headers (method and size are judged there,
 *	so a 405 or 413 goes out before any body is read), then with each
 *	piece of the body (kept up to WEB_BODY_MAX), then once more to
 *	answer.  Forms are parsed by MHD's post processor, which takes both
 *	application/x-www-form-urlencoded and multipart/form-data (RFC 8058
 *	section 3.2 allows either for the one-click POST).
 *
 *	No CSRF token on these forms, on purpose: they are public, with no
 *	session or cookie, so a forged cross-site POST can do nothing the
 *	attacker could not do by sending the same POST himself.  What keeps
 *	them safe is the secret in the URL (the one-click HMAC token, the
 *	pending request's random token) and, for subscribing, the
 *	confirmation mail that only the address's owner can answer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
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

#include "log.h"
#include "post.h"
#include "request.h"
#include "sealist_limits.h"
#include "store.h"
#include "template.h"
#include "token.h"
#include "web.h"

/* 413 (RFC 9110 section 15.5.14): MHD renamed its constant across versions. */
#define WEB_HTTP_TOO_LARGE	413u

/* A page, filled: the templates are small, their values bounded. */
#define WEB_PAGE_MAX		(256 * 1024)
/* One form field's value. */
#define WEB_FIELD_MAX		1024
/* A list address, a token or a URL built from them. */
#define WEB_URL_MAX		4096

struct web {
	struct MHD_Daemon *d;
	char   *database, *templates_dir, *www_dir, *base;	/* base: no trailing '/' */
	struct web_config cfg;
};

/* One request's state between the handler's calls. */
struct web_req {
	struct buf body;
	int	too_large;
};

/* The fields the public forms have. */
struct web_form {
	struct buf unsubscribe;		/* List-Unsubscribe */
	struct buf email;
	int	digest;
};

/* ---- responses --------------------------------------------------------------------- */

static enum MHD_Result web_send(struct MHD_Connection *conn, unsigned status, const char *type,
				const void *data, size_t len, const char *cache)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

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
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, "Allow", "GET, HEAD, POST");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result web_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return web_send(conn, status, "text/plain; charset=utf-8", text, strlen(text), NULL);
}

/* base + path (path starts with '/') into out. */
static void web_url(const struct web *w, const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s%s", w->base, path);
}

/* A page from templates_dir/NAME.html; vars without "css" (added here). */
static enum MHD_Result web_page(const struct web *w, struct MHD_Connection *conn,
				unsigned status, const char *name, const char *const *vars)
{
	const char *all[16];
	char	css[WEB_URL_MAX];
	struct buf out;
	const char *error;
	enum MHD_Result ret;
	size_t	n = 0;

	web_url(w, "/static/sealist.css", css, sizeof(css));
	for (; vars[n] != NULL && n + 4 < sizeof(all) / sizeof(all[0]); n++)
		all[n] = vars[n];
	all[n++] = "css";
	all[n++] = css;
	all[n] = NULL;
	buf_init(&out, WEB_PAGE_MAX);
	if (template_render_html(w->templates_dir, name, all, &out, &error) < 0) {
		log_error("event=web page=%s error=%s", name, log_quote(error));
		ret = web_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
	} else
		ret = web_send(conn, status, "text/html; charset=utf-8", out.data, out.len, NULL);
	buf_free(&out);
	return ret;
}

static enum MHD_Result web_message(const struct web *w, struct MHD_Connection *conn,
				   unsigned status, const char *title, const char *message)
{
	const char *vars[] = { "title", title, "message", message, NULL };

	return web_page(w, conn, status, "web-message", vars);
}

static enum MHD_Result web_not_found(const struct web *w, struct MHD_Connection *conn)
{
	return web_message(w, conn, MHD_HTTP_NOT_FOUND, "Not found",
			   "There is no such page here.");
}

static enum MHD_Result web_failed(const struct web *w, struct MHD_Connection *conn,
				  const char *what, const char *error)
{
	log_error("event=web step=%s error=%s", what, log_quote(error ? error : "?"));
	return web_message(w, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "Try again later",
			   "Something went wrong on our side; please try again in a few minutes.");
}

/* ---- static files --------------------------------------------------------------- */

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

/* Only [A-Za-z0-9._-]+ not starting with '.': no '/', no "..", no hidden file. */
static int web_static_name_ok(const char *name)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-";
	size_t	len = strlen(name);

	return len > 0 && len <= 128 && name[0] != '.' && strspn(name, allowed) == len;
}

static enum MHD_Result web_static(const struct web *w, struct MHD_Connection *conn,
				  const char *name)
{
	char	path[WEB_URL_MAX];
	struct stat st;
	struct buf data;
	char	chunk[8192];
	ssize_t	n;
	int	fd;
	enum MHD_Result ret;

	if (!web_static_name_ok(name)
	    || (size_t) snprintf(path, sizeof(path), "%s/%s", w->www_dir, name) >= sizeof(path))
		return web_not_found(w, conn);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return web_not_found(w, conn);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return web_not_found(w, conn);
	}
	buf_init(&data, WEB_STATIC_MAX);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_append(&data, chunk, (size_t) n) < 0)
			break;
	close(fd);
	if (n < 0 || buf_failed(&data))
		ret = web_failed(w, conn, "static", n < 0 ? strerror(errno) : "file too large");
	else
		ret = web_send(conn, MHD_HTTP_OK, web_content_type(name), data.data, data.len,
			       "public, max-age=3600");
	buf_free(&data);
	return ret;
}

/* ---- forms ------------------------------------------------------------------------- */

static enum MHD_Result web_form_field(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *filename, const char *content_type,
				      const char *transfer_encoding, const char *data,
				      uint64_t off, size_t size)
{
	struct web_form *f = cls;

	(void) kind, (void) filename, (void) content_type, (void) transfer_encoding, (void) off;
	if (strcmp(key, "List-Unsubscribe") == 0)
		buf_append(&f->unsubscribe, data, size);
	else if (strcmp(key, "email") == 0)
		buf_append(&f->email, data, size);
	else if (strcmp(key, "digest") == 0)
		f->digest = 1;
	return MHD_YES;
}

/* Parse the body as a form (either encoding); an unknown type leaves it empty. */
static void web_form_parse(struct MHD_Connection *conn, const struct buf *body,
			   struct web_form *f)
{
	struct MHD_PostProcessor *pp;

	buf_init(&f->unsubscribe, WEB_FIELD_MAX);
	buf_init(&f->email, WEB_FIELD_MAX);
	f->digest = 0;
	if ((pp = MHD_create_post_processor(conn, 4096, web_form_field, f)) == NULL)
		return;
	if (body->len > 0)
		(void) MHD_post_process(pp, (const char *) body->data, body->len);
	/* the last url-encoded field may only be delivered here */
	(void) MHD_destroy_post_processor(pp);
}

static void web_form_free(struct web_form *f)
{
	buf_free(&f->unsubscribe);
	buf_free(&f->email);
}

/* The field's value, or "" when it was too long (a failed buf). */
static const char *web_field(const struct buf *b)
{
	return buf_failed(b) || b->len == 0 ? "" : buf_str(b);
}

/* ---- the list pages -------------------------------------------------------------- */

static void web_ctx(const struct web *w, struct store *store, struct post_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->store = store;
	c->delimiter = w->cfg.delimiter;
	c->web_base_url = w->base;
	c->templates_dir = w->templates_dir;
	c->now = time(NULL);
	c->allow_open_subscribe = w->cfg.allow_open_subscribe;
	c->pending_request_life = w->cfg.pending_request_life;
	c->request_replies_per_hour = w->cfg.request_replies_per_hour;
}

static void web_queued(const struct web *w, size_t queued)
{
	if (queued > 0 && w->cfg.on_outbound != NULL)
		w->cfg.on_outbound(w->cfg.on_outbound_ctx);
}

/* Percent-encode everything but unreserved characters (RFC 3986 2.3). */
static void web_pct(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t	n = 0;

	for (; *s && n + 4 < size; s++) {
		unsigned char ch = (unsigned char) *s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
		    || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '@')
			out[n++] = (char) ch;
		else {
			out[n++] = '%';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		}
	}
	out[n] = 0;
}

static enum MHD_Result web_info(const struct web *w, struct MHD_Connection *conn,
				struct store *store, const char *list, int post,
				const struct buf *body)
{
	char   *description = NULL, *info = NULL;
	char	path[WEB_URL_MAX], action[WEB_URL_MAX], text[800];
	const char *error;
	enum MHD_Result ret;

	if (post) {
		struct web_form f;
		struct post_ctx c;
		size_t	queued = 0;
		int	status;

		web_form_parse(conn, body, &f);
		if (*web_field(&f.email) == 0) {
			web_form_free(&f);
			return web_message(w, conn, MHD_HTTP_BAD_REQUEST, "No address",
					   "Please give the address to subscribe.");
		}
		web_ctx(w, store, &c);
		status = request_web(&c, list, REQUEST_WEB_SUBSCRIBE, web_field(&f.email), f.digest,
				     text, sizeof(text), &queued, &error);
		log_info("event=web action=subscribe list=%s address=%s result=%s", list,
			 log_quote(web_field(&f.email)),
			 log_quote(status == STORE_OK ? text : error));
		if (status != STORE_OK) {
			web_form_free(&f);
			return web_failed(w, conn, "subscribe", error);
		}
		web_queued(w, queued);
		if (strncmp(text, "failed: ", 8) == 0)
			ret = web_message(w, conn, MHD_HTTP_BAD_REQUEST, "Not subscribed", text + 8);
		else {
			char	msg[600];

			/* the same words whether or not the address is a member
			   already: this page tells nobody who is on the list */
			snprintf(msg, sizeof(msg), "If %.320s is not a member of %s yet, a message "
				 "asking to confirm the subscription is on its way to it. Nothing "
				 "happens until it is confirmed.", web_field(&f.email), list);
			ret = web_message(w, conn, MHD_HTTP_OK, "Check your mail", msg);
		}
		web_form_free(&f);
		return ret;
	}
	if (store_setting_get(store, list, "description", &description, NULL, &error) != STORE_OK
	    || store_setting_get(store, list, "info", &info, NULL, &error) != STORE_OK) {
		free(description);
		return web_failed(w, conn, "info", error);
	}
	snprintf(path, sizeof(path), "/lists/%s/", list);
	web_url(w, path, action, sizeof(action));
	{
		const char *vars[] = { "list", list, "description", description, "info", info,
			"action", action, NULL };

		ret = web_page(w, conn, MHD_HTTP_OK, "web-info", vars);
	}
	free(description);
	free(info);
	return ret;
}

static enum MHD_Result web_oneclick(const struct web *w, struct MHD_Connection *conn,
				    struct store *store, const char *list, const char *token,
				    int post, const struct buf *body)
{
	const char *address = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "a");
	unsigned char fresh[TOKEN_KEY_LEN], key[256];
	char	path[WEB_URL_MAX], action[WEB_URL_MAX], enc[3 * 400], text[800];
	size_t	keylen;
	const char *error;
	enum MHD_Result ret;

	if (address == NULL || *address == 0 || strlen(address) > LIMIT_LOCAL_PART + LIMIT_DOMAIN + 1)
		return web_message(w, conn, MHD_HTTP_BAD_REQUEST, "Bad link",
				   "This unsubscribe link is not complete.");
	if (token_key_generate(fresh, sizeof(fresh)) < 0)
		return web_failed(w, conn, "oneclick", "no randomness");
	if (store_list_token_key(store, list, fresh, sizeof(fresh), key, sizeof(key), &keylen,
				 &error) != STORE_OK)
		return web_failed(w, conn, "oneclick", error);
	if (!token_check(key, keylen, list, address, token, strlen(token))) {
		log_info("event=web action=oneclick list=%s address=%s result=\"bad token\"", list,
			 log_quote(address));
		return web_message(w, conn, MHD_HTTP_BAD_REQUEST, "Bad link",
				   "This unsubscribe link is not valid for this list and address.");
	}
	if (!post) {
		web_pct(address, enc, sizeof(enc));
		snprintf(path, sizeof(path), "/lists/%s/unsubscribe/%s?a=%s", list, token, enc);
		web_url(w, path, action, sizeof(action));
		{
			const char *vars[] = { "list", list, "address", address, "action", action,
				NULL };

			return web_page(w, conn, MHD_HTTP_OK, "web-oneclick", vars);
		}
	}
	{
		struct web_form f;
		struct post_ctx c;
		size_t	queued = 0;
		int	status;

		web_form_parse(conn, body, &f);
		/* RFC 8058 section 3.1: the body is exactly this one field */
		if (strcmp(web_field(&f.unsubscribe), "One-Click") != 0) {
			web_form_free(&f);
			return web_message(w, conn, MHD_HTTP_BAD_REQUEST, "Bad request",
					   "The request lacks List-Unsubscribe=One-Click.");
		}
		web_form_free(&f);
		web_ctx(w, store, &c);
		status = request_web(&c, list, REQUEST_WEB_ONECLICK, address, 0, text, sizeof(text),
				     &queued, &error);
		log_info("event=web action=oneclick list=%s address=%s result=%s", list,
			 log_quote(address), log_quote(status == STORE_OK ? text : error));
		if (status != STORE_OK)
			return web_failed(w, conn, "oneclick", error);
		web_queued(w, queued);
		snprintf(text, sizeof(text), "%.320s is not subscribed to %s any more.", address, list);
		ret = web_message(w, conn, MHD_HTTP_OK, "Unsubscribed", text);
	}
	return ret;
}

static enum MHD_Result web_confirm(const struct web *w, struct MHD_Connection *conn,
				   struct store *store, const char *list, const char *token,
				   int post)
{
	struct store_pending p;
	char	path[WEB_URL_MAX], action[WEB_URL_MAX], text[800];
	const char *error;
	int	status;

	status = store_request_get(store, token, &p, &error);
	if (status == STORE_ERROR)
		return web_failed(w, conn, "confirm", error);
	if (status != STORE_OK || strcasecmp(p.list, list) != 0)
		return web_message(w, conn, MHD_HTTP_NOT_FOUND, "Unknown confirmation",
				   "There is no such request for this list: the link may be "
				   "mistyped, or long expired.");
	if (!post) {
		if (strcmp(p.state, "awaiting_confirmation") != 0
		    || p.expires_at <= (long long) time(NULL))
			return web_message(w, conn, MHD_HTTP_OK, "Nothing to confirm",
					   "This request is not waiting for a confirmation any more "
					   "(it was confirmed, refused or has expired).");
		snprintf(path, sizeof(path), "/lists/%s/confirm/%s", list, token);
		web_url(w, path, action, sizeof(action));
		{
			const char *vars[] = { "list", list, "kind", p.kind, "address", p.address,
				"action", action, NULL };

			return web_page(w, conn, MHD_HTTP_OK, "web-confirm", vars);
		}
	}
	{
		struct post_ctx c;
		size_t	queued = 0;

		web_ctx(w, store, &c);
		status = request_web(&c, list, REQUEST_WEB_CONFIRM, token, 0, text, sizeof(text),
				     &queued, &error);
		log_info("event=web action=confirm list=%s result=%s", list,
			 log_quote(status == STORE_OK ? text : error));
		if (status != STORE_OK)
			return web_failed(w, conn, "confirm", error);
		web_queued(w, queued);
		if (strncmp(text, "failed: ", 8) == 0)
			return web_message(w, conn, MHD_HTTP_BAD_REQUEST, "Not confirmed", text + 8);
		return web_message(w, conn, MHD_HTTP_OK, "Confirmed",
				   strncmp(text, "processed: ", 11) == 0 ? text + 11
				   : strncmp(text, "ignored: ", 9) == 0 ? text + 9 : text);
	}
}

/* /lists/LIST@DOMAIN[/REST]: the list checked, then the page. */
static enum MHD_Result web_lists(const struct web *w, struct MHD_Connection *conn,
				 const char *rest, int post, const struct buf *body)
{
	char	list[LIMIT_LOCAL_PART + LIMIT_DOMAIN + 2], address[sizeof(list)];
	const char *slash = strchr(rest, '/'), *sub, *error;
	size_t	len = slash ? (size_t) (slash - rest) : strlen(rest);
	struct store *store;
	struct store_list l;
	enum MHD_Result ret;
	int	status;

	if (len == 0 || len >= sizeof(list) || memchr(rest, '@', len) == NULL)
		return web_not_found(w, conn);
	memcpy(list, rest, len);
	list[len] = 0;
	sub = slash ? slash + 1 : "";
	if ((store = store_open(w->database, &error)) == NULL)
		return web_failed(w, conn, "store", error);
	status = store_list_get(store, list, &l, &error);
	if (status == STORE_ERROR) {
		ret = web_failed(w, conn, "list", error);
		goto out;
	}
	if (status != STORE_OK) {
		ret = web_message(w, conn, MHD_HTTP_NOT_FOUND, "No such list",
				  "There is no list of that name here.");
		goto out;
	}
	/* the store's lowercased address; its strings live until the next call */
	snprintf(address, sizeof(address), "%s", l.address);
	if (*sub == 0)
		ret = web_info(w, conn, store, address, post, body);
	else if (strncmp(sub, "unsubscribe/", 12) == 0 && sub[12] && !strchr(sub + 12, '/'))
		ret = web_oneclick(w, conn, store, address, sub + 12, post, body);
	else if (strncmp(sub, "confirm/", 8) == 0 && sub[8] && !strchr(sub + 8, '/')
		 && strlen(sub + 8) < 128)
		ret = web_confirm(w, conn, store, address, sub + 8, post);
	else
		ret = web_not_found(w, conn);
out:
	store_close(store);
	return ret;
}

/* ---- the handler ------------------------------------------------------------------ */

static enum MHD_Result web_handler(void *cls, struct MHD_Connection *conn, const char *url,
				   const char *method, const char *version,
				   const char *upload_data, size_t *upload_data_size,
				   void **con_cls)
{
	const struct web *w = cls;
	struct web_req *req = *con_cls;
	int	post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;

	(void) version;
	if (req == NULL) {
		const char *cl;

		/* the headers: refuse early, before any body is read */
		if (!post && strcmp(method, MHD_HTTP_METHOD_GET) != 0
		    && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return web_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > WEB_BODY_MAX)
			return web_text(conn, WEB_HTTP_TOO_LARGE, "request body too large\n");
		if ((req = calloc(1, sizeof(*req))) == NULL)
			return MHD_NO;
		buf_init(&req->body, WEB_BODY_MAX);
		*con_cls = req;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		/* chunked or lying about its length: keep reading, answer 413 */
		if (!req->too_large && buf_append(&req->body, upload_data, *upload_data_size) < 0)
			req->too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->too_large)
		return web_text(conn, WEB_HTTP_TOO_LARGE, "request body too large\n");
	if (strncmp(url, "/static/", 8) == 0)
		return post ? web_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n")
		    : web_static(w, conn, url + 8);
	if (strncmp(url, "/lists/", 7) == 0)
		return web_lists(w, conn, url + 7, post, &req->body);
	return web_not_found(w, conn);
}

static void web_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			  enum MHD_RequestTerminationCode toe)
{
	struct web_req *req = *con_cls;

	(void) cls, (void) conn, (void) toe;
	if (req != NULL) {
		buf_free(&req->body);
		free(req);
		*con_cls = NULL;
	}
}

/*
 * Percent-decoding of the path and the query's values, as MHD's own but
 * leaving "%00" as it is: a NUL would cut the C string that the handler
 * gets, so "/static/README%00.css" would become "/static/README".  Kept
 * as "%00" it matches nothing ('%' is in no static name, token or list).
 */
static int web_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static size_t web_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char   *in = s, *out = s;

	(void) cls, (void) conn;
	while (*in) {
		int	hi, lo;

		if (in[0] == '%' && (hi = web_hex(in[1])) >= 0 && (lo = web_hex(in[2])) >= 0
		    && (hi | lo) != 0) {
			*out++ = (char) (hi * 16 + lo);
			in += 3;
		} else
			*out++ = *in++;
	}
	*out = 0;
	return (size_t) (out - s);
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
	free(w);
}

struct web *web_start(const struct web_config *cfg, const char **error_r)
{
	static __thread char why[512];
	struct addrinfo hints, *ai = NULL;
	char	host[300], port[8];
	const char *colon;
	struct web *w;
	size_t	n;
	int	rc;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;

	if (template_check_html(cfg->templates_dir, error_r) < 0)
		return NULL;
	/* HOST:PORT or [v6]:PORT (conf.c checked the form) */
	if ((colon = strrchr(cfg->listen, ':')) == NULL || strlen(colon + 1) >= sizeof(port)
	    || (size_t) (colon - cfg->listen) >= sizeof(host)) {
		*error_r = "web_listen: expected HOST:PORT";
		return NULL;
	}
	if (cfg->listen[0] == '[' && colon > cfg->listen + 1 && colon[-1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int) (colon - cfg->listen - 2), cfg->listen + 1);
	else
		snprintf(host, sizeof(host), "%.*s", (int) (colon - cfg->listen), cfg->listen);
	snprintf(port, sizeof(port), "%s", colon + 1);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(why, sizeof(why), "web_listen %s: %s", cfg->listen, gai_strerror(rc));
		*error_r = why;
		return NULL;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		freeaddrinfo(ai);
		*error_r = "out of memory";
		return NULL;
	}
	w->cfg = *cfg;
	w->database = strdup(cfg->database);
	w->templates_dir = strdup(cfg->templates_dir);
	w->www_dir = strdup(cfg->www_dir);
	w->base = strdup(cfg->web_base_url ? cfg->web_base_url : "");
	if (w->database == NULL || w->templates_dir == NULL || w->www_dir == NULL
	    || w->base == NULL) {
		freeaddrinfo(ai);
		web_free(w);
		*error_r = "out of memory";
		return NULL;
	}
	/* links are BASE/lists/...: no trailing '/' on the base */
	for (n = strlen(w->base); n > 0 && w->base[n - 1] == '/'; n--)
		w->base[n - 1] = 0;
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
				MHD_OPTION_END);
	freeaddrinfo(ai);
	if (w->d == NULL) {
		snprintf(why, sizeof(why), "web_listen %s: cannot listen (in use, or no such "
			 "address)", cfg->listen);
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
