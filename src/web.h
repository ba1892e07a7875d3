/*
 * NAME
 *	web 3h
 * SUMMARY
 *	the web server: static files, the public subscriber pages, the admin pages
 * DESCRIPTION
 *	web_start() runs GNU libmicrohttpd on web_listen with its own
 *	threads (a small pool; each thread keeps its own store connection
 *	open between requests, since a struct store is one thread's), over
 *	HTTPS itself when tls_cert and tls_key are set.  Routes are tables
 *	(web_int.h) with the role each needs; `sealistd --web-routes`
 *	prints them.  Among them:
 *
 *	  GET  /static/NAME                  a file of www_dir
 *	  GET  /lists/LIST@DOMAIN/           the list's info and a subscribe form
 *	  POST /lists/LIST@DOMAIN/           subscribe: the double opt-in (request.h)
 *	  GET  /lists/L/unsubscribe/TOKEN?a=ADDRESS   one button, changes nothing
 *	  POST /lists/L/unsubscribe/TOKEN?a=ADDRESS   RFC 8058 one-click unsubscribe
 *	  GET  /lists/L/confirm/TOKEN        what the token will do, one button
 *	  POST /lists/L/confirm/TOKEN        confirm it (request.h)
 *	  GET/POST /login, POST /logout      accounts (web_auth.c)
 *	  /admin/...                         the admin pages, by role
 *
 *	A GET never changes anything: link scanners fetch every URL in a
 *	mail.  Only GET, HEAD and POST are served (405), POST bodies are at
 *	most the route's body_max, by default WEB_BODY_MAX octets (413), and
 *	every response carries Content-Security-Policy, X-Frame-Options,
 *	Referrer-Policy and X-Content-Type-Options (and HSTS under HTTPS).
 *	Pages are templates_dir/web-*.html, filled by template_render_html
 *	(every value HTML-escaped but the "_html" ones built by html.h).
 */
#ifndef SEALIST_WEB_H
#define SEALIST_WEB_H

#include <stddef.h>
#include <stdio.h>

#include "sealist_limits.h"

/* The limits and their reasons are in sealist_limits.h. */
#define WEB_BODY_MAX		LIMIT_WEB_BODY
#define WEB_CONNECTIONS		LIMIT_WEB_CONNECTIONS
#define WEB_TIMEOUT		LIMIT_WEB_TIMEOUT
#define WEB_THREADS		2	/* threads answering requests */
#define WEB_STATIC_MAX		LIMIT_WEB_STATIC
#define WEB_FIELDS_MAX		LIMIT_WEB_FIELDS
#define WEB_HEADERS_MAX		8	/* web_header() per request */

struct web_config {
	const char *listen;		/* HOST:PORT or [v6]:PORT (not empty) */
	const char *database;
	const char *templates_dir;
	const char *www_dir;
	const char *web_base_url;	/* "" none: links are root-relative */
	char	delimiter;
	const char *authserv_id;	/* for a moderator's approval: the post's forged
					   Authentication-Results go, as in the pipeline */
	int	allow_open_subscribe;
	long	pending_request_life;	/* seconds */
	long	request_replies_per_hour;
	long	web_session_idle;	/* seconds a session lives unused */
	long	web_session_life;	/* seconds a session lives at most */
	const char *keys_dir;		/* the DKIM keys page: as `sealist key` */
	const char *dns_nameserver;	/* "" the system resolver */
	const char *tls_cert;		/* PEM file names, both "" (plain HTTP) or both set */
	const char *tls_key;
	const char *trusted_proxies;	/* blank-separated IPs/CIDRs, "" none */
	/* ---- H2: the DMARC report page (web_dmarc.c) ---- */
	const char *outbound_ips;	/* the list server's addresses, "" none */
	const char *dmarc_report_address;	/* the report mailbox's local part */
	/* ---- end H2 ---- */
	/* Rows were added to the outbound queue (may be NULL). */
	void  (*on_outbound)(void *ctx);
	void   *on_outbound_ctx;
};

struct web;

/*
 * Check the page templates, bind and start serving.  The strings are
 * copied.  NULL with *error_r (static text) when a template is bad or
 * the address cannot be bound.
 */
extern struct web *web_start(const struct web_config *, const char **error_r);

/* Stop accepting, finish the requests in progress, free. NULL: nothing. */
extern void web_stop(struct web *);

/* Every route, "METHOD PATTERN ROLE" one a line (sealistd --web-routes). */
extern void web_routes_print(FILE *);

#endif
