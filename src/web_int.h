/*
 * NAME
 *	web_int 3h
 * SUMMARY
 *	what the web modules share: the request, the route tables, pages
 * DESCRIPTION
 *	web.c owns the server: it parses the request, finds the route,
 *	takes its thread's store (kept open), loads the session, checks the route's
 *	role (for {list} routes: the role on that list) and, on every POST
 *	of a route that is not WEB_PUBLIC, the CSRF token (field "csrf");
 *	only then is the route's handler called.  A handler never checks a
 *	role or a CSRF token itself: the table says it, so the security test
 *	(tests/e2e/web_security.sh) can walk every route from
 *	`sealistd --web-routes`.
 *
 *	Each module web_NAME.c exports one table web_NAME_routes[], ended
 *	by an entry with method NULL; web.c lists the tables.
 */
#ifndef SEALIST_WEB_INT_H
#define SEALIST_WEB_INT_H

#include <stddef.h>

#include <microhttpd.h>

#include "buf/buf.h"
#include "store.h"
#include "web.h"

/* A URL or path built from a list address, a token and a query (web_url). */
#define WEB_URL_MAX		4096

/* Who may call a route; each role includes the ones above it. */
enum web_role {
	WEB_PUBLIC,		/* anyone, no session needed (no CSRF check) */
	WEB_LOGGED_IN,		/* any account */
	WEB_LIST_MODERATOR,	/* moderator or owner of {list}, or site admin */
	WEB_LIST_OWNER,		/* owner of {list}, or site admin */
	WEB_SITE_ADMIN,		/* site admin only */
};

struct web_req;

struct web_route {
	const char *method;	/* "GET" (also serves HEAD) or "POST"; NULL ends */
	/* "/admin/lists/{list}/members": {list} is LIST@DOMAIN of an existing
	   list (404 otherwise), {id} one segment of [A-Za-z0-9._@-]{1,128}.
	   Everything else matches literally; no trailing-slash magic. */
	const char *pattern;
	enum web_role role;
	size_t	body_max;	/* 0: WEB_BODY_MAX; bigger for uploads */
	enum MHD_Result (*handler)(struct web_req *);
};

struct web_session {
	char	user[65];
	int	site_admin;
	char	csrf[65];	/* 64 hex digits: put in every form as "csrf" */
};

/* One request, as handlers see it (web.c keeps more behind it). */
struct web_req {
	struct web *w;
	struct MHD_Connection *conn;
	struct store *store;		/* this request's connection */
	int	post;			/* POST (else GET or HEAD) */
	const char *url;		/* the decoded path */
	const char *list;		/* {list}, the store's lowercase address; or NULL */
	const char *id;			/* {id} or NULL */
	const struct web_session *session;	/* NULL: not logged in */
	const char *client;		/* client IP (X-Forwarded-For from a trusted proxy) */
	int	https;			/* the client spoke HTTPS (directly or at the proxy) */
	long long now;
};

/* The config the server was started with. */
extern const struct web_config *web_cfg(const struct web_req *);

/* POST fields (either form encoding), else the query string. NULL: absent.
   A value may be as long as the route's body_max. */
extern const char *web_arg(struct web_req *, const char *name);
/* All values of a repeated field (checkboxes), up to max; their number. */
extern size_t web_args(struct web_req *, const char *name, const char **out, size_t max);
/* A multipart file field's content (up to the route's body_max); NULL: none. */
extern const struct buf *web_upload(struct web_req *, const char *name);
extern const char *web_query(struct web_req *, const char *name);

/*
 * Answers.  web_page renders templates_dir/NAME.html (template.h) with
 * vars plus "css", "base" (web_base_url without '/', may be "") and,
 * when logged in, "user" and "csrf".  web_admin_page renders NAME.html
 * the same way, then puts it as {{content_html}} into web-admin.html
 * (the layout: navigation, the user, logout) with {{title}}.
 */
extern enum MHD_Result web_page(struct web_req *, unsigned status, const char *name,
				const char *const *vars);
extern enum MHD_Result web_admin_page(struct web_req *, unsigned status, const char *title,
				      const char *name, const char *const *vars);
extern enum MHD_Result web_message(struct web_req *, unsigned status, const char *title,
				   const char *message);
extern enum MHD_Result web_not_found(struct web_req *);
/* Logs what failed and answers 503 "try again later". */
extern enum MHD_Result web_failed(struct web_req *, const char *what, const char *error);
/* 303 See Other to base + path (after a POST: the browser GETs path). */
extern enum MHD_Result web_redirect(struct web_req *, const char *path);
/* Any body with its type, e.g. text/csv with a Content-Disposition filename. */
extern enum MHD_Result web_send_data(struct web_req *, unsigned status, const char *type,
				     const void *data, size_t len, const char *disposition);

/* Add a header (copied) to the answer this request sends next (web_page,
   web_admin_page, web_message, web_redirect, web_send_data...), e.g.
   Set-Cookie or Retry-After.  At most WEB_HEADERS_MAX; more are dropped. */
extern void web_header(struct web_req *, const char *name, const char *value);

/* base + path into out (path starts with '/'). */
extern void web_url(const struct web_req *, const char *path, char *out, size_t size);
/* Percent-encode all but unreserved characters and '@' (for ?a=...). */
extern void web_pct(const char *s, char *out, size_t size);

/* Rows were added to the outbound queue: wake the delivery workers. */
extern void web_queued(struct web_req *, size_t queued);
/* The post_ctx the mail paths take, filled from the web config. */
struct post_ctx;
extern void web_post_ctx(struct web_req *, struct post_ctx *);

/*
 * Accounts and sessions (web_auth.c).  web.c calls these for every
 * request before the route's handler.
 */
/* The session named by the request's "sealist_session" cookie, if it is
   valid and unexpired (its last use is refreshed): 1 and *out filled,
   0 none, -1 the store failed. */
extern int web_auth_session(struct web_req *, struct web_session *out);
/* May the request's session act with role on list (NULL for a role that
   is not about a list)?  1 yes, 0 no, -1 the store failed. */
extern int web_auth_allowed(struct web_req *, enum web_role role, const char *list);

/* The route tables (web.c lists them). */
extern const struct web_route web_public_routes[];	/* web_public.c */
extern const struct web_route web_auth_routes[];	/* web_auth.c: /login /logout */
extern const struct web_route web_overview_routes[];	/* web_overview.c */
extern const struct web_route web_settings_routes[];	/* web_settings.c */
extern const struct web_route web_members_routes[];	/* web_members.c */
extern const struct web_route web_held_routes[];	/* web_held.c */
extern const struct web_route web_bounces_routes[];	/* web_bounces.c */
extern const struct web_route web_keys_routes[];	/* web_keys.c */
extern const struct web_route web_queue_routes[];	/* web_queue.c */
extern const struct web_route web_dmarc_routes[];	/* web_dmarc.c (H2) */

#endif
