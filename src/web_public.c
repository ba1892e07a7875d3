/*
 * NAME
 *	web_public 3
 * SUMMARY
 *	the public subscriber pages: list info and subscribe, confirm, one-click
 * DESCRIPTION
 *	The pages a subscriber meets (web.h lists them).  A GET never changes
 *	anything: link scanners fetch every URL in a mail.  No CSRF token
 *	on these forms, on purpose: they are public, with no session or
 *	cookie, so a forged cross-site POST can do nothing the attacker could
 *	not do by sending the same POST himself.  What keeps them safe is the
 *	secret in the URL (the one-click HMAC token, the pending request's
 *	random token) and, for subscribing, the confirmation mail that only
 *	the address's owner can answer.  The router (web.c) has checked that
 *	{list} exists; r->list is its lowercase address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "post.h"
#include "request.h"
#include "sealist_limits.h"
#include "store.h"
#include "token.h"
#include "web_int.h"

/* A form field, "" when absent. */
static const char *web_public_arg(struct web_req *r, const char *name)
{
	const char *v = web_arg(r, name);

	return v != NULL ? v : "";
}

/*
 * Each subscription asked for on the form mails a confirmation to the
 * address typed in; the per-address cap (request_replies_per_hour) does
 * not stop one client from mailing many addresses.  So a client gets
 * LIMIT_WEB_SUBSCRIBE_CLIENT tries an hour, counted in the login
 * throttle's table under "subscribe:ADDR".
 */
static const struct store_web_throttle web_subscribe_throttle = {
	LIMIT_WEB_SUBSCRIBE_CLIENT, 3600, 3600, 3600
};

/* 0 and the try counted; else the end of the client's lock (-1: store failed). */
static long long web_subscribe_locked(struct web_req *r)
{
	char	key[128];
	long long until = 0, ignored;
	const char *error;

	snprintf(key, sizeof(key), "subscribe:%s", r->client);
	if (store_web_login_locked(r->store, key, r->now, &until, &error) != STORE_OK
	    || (until == 0 && store_web_login_failed(r->store, key, r->now, &web_subscribe_throttle,
						     &ignored, &error) != STORE_OK)) {
		log_error("event=web step=subscribe-throttle error=%s", log_quote(error));
		return -1;
	}
	return until;
}

static enum MHD_Result web_subscribe(struct web_req *r)
{
	const char *email = web_public_arg(r, "email"), *error;
	struct post_ctx c;
	size_t	queued = 0;
	char	text[800], msg[600];
	long long until;
	int	status;

	if (*email == 0 || strlen(email) > LIMIT_LOCAL_PART + LIMIT_DOMAIN + 1)
		return web_message(r, MHD_HTTP_BAD_REQUEST, "No address",
				   "Please give the address to subscribe.");
	if ((until = web_subscribe_locked(r)) < 0)
		return web_failed(r, "subscribe", "the store failed");
	if (until > 0) {
		snprintf(msg, sizeof(msg), "%lld", until - r->now);
		web_header(r, "Retry-After", msg);
		return web_message(r, 429, "Too many requests", "Too many subscriptions were "
				   "asked for from your address. Please try again in an hour.");
	}
	web_post_ctx(r, &c);
	status = request_web(&c, r->list, REQUEST_WEB_SUBSCRIBE, email,
			     web_arg(r, "digest") != NULL, text, sizeof(text), &queued, &error);
	log_info("event=web action=subscribe list=%s address=%s result=%s", r->list,
		 log_quote(email), log_quote(status == STORE_OK ? text : error));
	if (status != STORE_OK)
		return web_failed(r, "subscribe", error);
	web_queued(r, queued);
	if (strncmp(text, "failed: ", 8) == 0)
		return web_message(r, MHD_HTTP_BAD_REQUEST, "Not subscribed", text + 8);
	/* the same words whether or not the address is a member already:
	   this page tells nobody who is on the list */
	snprintf(msg, sizeof(msg), "If %.320s is not a member of %s yet, a message asking to "
		 "confirm the subscription is on its way to it. Nothing happens until it is "
		 "confirmed.", email, r->list);
	return web_message(r, MHD_HTTP_OK, "Check your mail", msg);
}

static enum MHD_Result web_info(struct web_req *r)
{
	char   *description = NULL, *info = NULL;
	char	path[WEB_URL_MAX], action[WEB_URL_MAX];
	const char *error;
	enum MHD_Result ret;

	if (store_setting_get(r->store, r->list, "description", &description, NULL, &error)
	    != STORE_OK
	    || store_setting_get(r->store, r->list, "info", &info, NULL, &error) != STORE_OK) {
		free(description);
		return web_failed(r, "info", error);
	}
	snprintf(path, sizeof(path), "/lists/%s/", r->list);
	web_url(r, path, action, sizeof(action));
	{
		const char *vars[] = { "list", r->list, "description", description, "info", info,
			"action", action, NULL };

		ret = web_page(r, MHD_HTTP_OK, "web-info", vars);
	}
	free(description);
	free(info);
	return ret;
}

/* The token in the URL is the member's: 1, or 0 with the answer in *ret. */
static int web_oneclick_check(struct web_req *r, const char *address, enum MHD_Result *ret)
{
	unsigned char fresh[TOKEN_KEY_LEN], key[256];
	size_t	keylen;
	const char *error;

	if (address == NULL || *address == 0
	    || strlen(address) > LIMIT_LOCAL_PART + LIMIT_DOMAIN + 1) {
		*ret = web_message(r, MHD_HTTP_BAD_REQUEST, "Bad link",
				   "This unsubscribe link is not complete.");
		return 0;
	}
	if (token_key_generate(fresh, sizeof(fresh)) < 0) {
		*ret = web_failed(r, "oneclick", "no randomness");
		return 0;
	}
	if (store_list_token_key(r->store, r->list, fresh, sizeof(fresh), key, sizeof(key),
				 &keylen, &error) != STORE_OK) {
		*ret = web_failed(r, "oneclick", error);
		return 0;
	}
	if (!token_check(key, keylen, r->list, address, r->id, strlen(r->id))) {
		log_info("event=web action=oneclick list=%s address=%s result=\"bad token\"",
			 r->list, log_quote(address));
		*ret = web_message(r, MHD_HTTP_BAD_REQUEST, "Bad link",
				   "This unsubscribe link is not valid for this list and address.");
		return 0;
	}
	return 1;
}

static enum MHD_Result web_oneclick_get(struct web_req *r)
{
	const char *address = web_query(r, "a");
	char	path[WEB_URL_MAX], action[WEB_URL_MAX], enc[3 * 400];
	enum MHD_Result ret;

	if (!web_oneclick_check(r, address, &ret))
		return ret;
	web_pct(address, enc, sizeof(enc));
	snprintf(path, sizeof(path), "/lists/%s/unsubscribe/%s?a=%s", r->list, r->id, enc);
	web_url(r, path, action, sizeof(action));
	{
		const char *vars[] = { "list", r->list, "address", address, "action", action, NULL };

		return web_page(r, MHD_HTTP_OK, "web-oneclick", vars);
	}
}

static enum MHD_Result web_oneclick_post(struct web_req *r)
{
	const char *address = web_query(r, "a"), *error;
	struct post_ctx c;
	size_t	queued = 0;
	char	text[800];
	enum MHD_Result ret;
	int	status;

	if (!web_oneclick_check(r, address, &ret))
		return ret;
	/* RFC 8058 section 3.1: the body is exactly this one field */
	if (strcmp(web_public_arg(r, "List-Unsubscribe"), "One-Click") != 0)
		return web_message(r, MHD_HTTP_BAD_REQUEST, "Bad request",
				   "The request lacks List-Unsubscribe=One-Click.");
	web_post_ctx(r, &c);
	status = request_web(&c, r->list, REQUEST_WEB_ONECLICK, address, 0, text, sizeof(text),
			     &queued, &error);
	log_info("event=web action=oneclick list=%s address=%s result=%s", r->list,
		 log_quote(address), log_quote(status == STORE_OK ? text : error));
	if (status != STORE_OK)
		return web_failed(r, "oneclick", error);
	web_queued(r, queued);
	snprintf(text, sizeof(text), "%.320s is not subscribed to %s any more.", address, r->list);
	return web_message(r, MHD_HTTP_OK, "Unsubscribed", text);
}

/* The pending request of the URL, for this list: 1, or 0 with the answer. */
static int web_confirm_find(struct web_req *r, struct store_pending *p, enum MHD_Result *ret)
{
	const char *error;
	int	status = store_request_get(r->store, r->id, p, &error);

	if (status == STORE_ERROR) {
		*ret = web_failed(r, "confirm", error);
		return 0;
	}
	if (status != STORE_OK || strcasecmp(p->list, r->list) != 0) {
		*ret = web_message(r, MHD_HTTP_NOT_FOUND, "Unknown confirmation",
				   "There is no such request for this list: the link may be "
				   "mistyped, or long expired.");
		return 0;
	}
	return 1;
}

static enum MHD_Result web_confirm_get(struct web_req *r)
{
	struct store_pending p;
	char	path[WEB_URL_MAX], action[WEB_URL_MAX];
	enum MHD_Result ret;

	if (!web_confirm_find(r, &p, &ret))
		return ret;
	if (strcmp(p.state, "awaiting_confirmation") != 0 || p.expires_at <= r->now)
		return web_message(r, MHD_HTTP_OK, "Nothing to confirm",
				   "This request is not waiting for a confirmation any more "
				   "(it was confirmed, refused or has expired).");
	snprintf(path, sizeof(path), "/lists/%s/confirm/%s", r->list, r->id);
	web_url(r, path, action, sizeof(action));
	{
		const char *vars[] = { "list", r->list, "kind", p.kind, "address", p.address,
			"action", action, NULL };

		return web_page(r, MHD_HTTP_OK, "web-confirm", vars);
	}
}

static enum MHD_Result web_confirm_post(struct web_req *r)
{
	struct store_pending p;
	struct post_ctx c;
	size_t	queued = 0;
	char	text[800];
	const char *error;
	enum MHD_Result ret;
	int	status;

	if (!web_confirm_find(r, &p, &ret))
		return ret;
	web_post_ctx(r, &c);
	status = request_web(&c, r->list, REQUEST_WEB_CONFIRM, r->id, 0, text, sizeof(text),
			     &queued, &error);
	log_info("event=web action=confirm list=%s result=%s", r->list,
		 log_quote(status == STORE_OK ? text : error));
	if (status != STORE_OK)
		return web_failed(r, "confirm", error);
	web_queued(r, queued);
	if (strncmp(text, "failed: ", 8) == 0)
		return web_message(r, MHD_HTTP_BAD_REQUEST, "Not confirmed", text + 8);
	return web_message(r, MHD_HTTP_OK, "Confirmed",
			   strncmp(text, "processed: ", 11) == 0 ? text + 11
			   : strncmp(text, "ignored: ", 9) == 0 ? text + 9 : text);
}

const struct web_route web_public_routes[] = {
	{"GET", "/lists/{list}/", WEB_PUBLIC, 0, web_info},
	{"POST", "/lists/{list}/", WEB_PUBLIC, 0, web_subscribe},
	{"GET", "/lists/{list}/confirm/{id}", WEB_PUBLIC, 0, web_confirm_get},
	{"POST", "/lists/{list}/confirm/{id}", WEB_PUBLIC, 0, web_confirm_post},
	{"GET", "/lists/{list}/unsubscribe/{id}", WEB_PUBLIC, 0, web_oneclick_get},
	{"POST", "/lists/{list}/unsubscribe/{id}", WEB_PUBLIC, 0, web_oneclick_post},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
