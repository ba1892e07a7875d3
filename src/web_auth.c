/*
 * NAME
 *	web_auth 3
 * SUMMARY
 *	web admin logins: sessions, roles, /login and /logout, the throttle
 * DESCRIPTION
 *	A session is 256 random bits, hex in the cookie "sealist_session"
 *	(HttpOnly, SameSite=Strict, Secure over HTTPS); the database holds
 *	only its SHA-256, so a copy of the database logs nobody in.  Each
 *	session has its own 256-bit CSRF token, which web.c checks on every
 *	POST that is not public.  A session ends after web_session_idle
 *	without use, web_session_life after the login, at logout, or when
 *	its account's password changes or the account goes.
 *
 *	The login form itself is protected from cross-site posts by a
 *	double-submit cookie: GET /login sets "sealist_login" (random,
 *	Path=/login) and puts the same value in the form; POST /login wants
 *	both and equal.  A forged cross-site form cannot read the cookie.
 *
 *	Guessing is throttled per account name and per client address
 *	(store_web_login_*): AUTH_USER_LIMIT failures in AUTH_WINDOW lock
 *	the name for AUTH_LOCK, doubled for each lock in a row.  Unknown
 *	names are counted and locked like real ones, and a login of an
 *	unknown name spends the same scrypt work, so neither the answers
 *	nor their time tell whether an account exists.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "account.h"
#include "html.h"
#include "log.h"
#include "store.h"
#include "web_int.h"

#define AUTH_COOKIE		"sealist_session"
#define AUTH_LOGIN_COOKIE	"sealist_login"
#define AUTH_ID_LEN		32	/* octets of a session id, CSRF or login token */
#define AUTH_HEX_LEN		(2 * AUTH_ID_LEN)
#define AUTH_NEXT_MAX		512	/* a ?next= path longer than this is ignored */

/* The throttle: per account name, and per client address, which may be
   many people behind one NAT and so gets more tries. */
#define AUTH_WINDOW		(15 * 60)
#define AUTH_LOCK		(15 * 60)
#define AUTH_LOCK_MAX		(24 * 3600)
#define AUTH_USER_LIMIT		5
#define AUTH_CLIENT_LIMIT	20

static const struct store_web_throttle auth_user_throttle = {
	AUTH_USER_LIMIT, AUTH_WINDOW, AUTH_LOCK, AUTH_LOCK_MAX
};
static const struct store_web_throttle auth_client_throttle = {
	AUTH_CLIENT_LIMIT, AUTH_WINDOW, AUTH_LOCK, AUTH_LOCK_MAX
};

static void auth_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t	i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int auth_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly AUTH_HEX_LEN lowercase hex digits into out; 0, or -1. */
static int auth_unhex(const char *in, unsigned char out[AUTH_ID_LEN])
{
	size_t	i;
	int	hi, lo;

	if (in == NULL || strlen(in) != AUTH_HEX_LEN)
		return -1;
	for (i = 0; i < AUTH_ID_LEN; i++) {
		if ((hi = auth_nibble(in[2 * i])) < 0 || (lo = auth_nibble(in[2 * i + 1])) < 0)
			return -1;
		out[i] = (unsigned char) (hi << 4 | lo);
	}
	return 0;
}

/* AUTH_ID_LEN random octets as hex; 0, or -1 if there is no randomness. */
static int auth_random_hex(char out[AUTH_HEX_LEN + 1])
{
	unsigned char raw[AUTH_ID_LEN];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	auth_hex(raw, sizeof(raw), out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

/* The SHA-256 of the session id in the request's cookie; 0, or -1 if none. */
static int auth_cookie_hash(struct web_req *r, unsigned char hash[32])
{
	unsigned char id[AUTH_ID_LEN];
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, AUTH_COOKIE);

	if (auth_unhex(c, id) < 0)
		return -1;
	SHA256(id, sizeof(id), hash);
	return 0;
}

/* Seconds, from the configuration (web_session_idle, web_session_life). */
static long long auth_idle(const struct web_req *r)
{
	return web_cfg(r)->web_session_idle;
}

static long long auth_life(const struct web_req *r)
{
	return web_cfg(r)->web_session_life;
}

int web_auth_session(struct web_req *r, struct web_session *out)
{
	unsigned char hash[32];
	struct store_web_session ws;
	const char *error;
	int	rc;

	if (auth_cookie_hash(r, hash) < 0)
		return 0;
	rc = store_web_session_get(r->store, hash, r->now, auth_idle(r), &ws, &error);
	if (rc == STORE_NOT_FOUND)
		return 0;
	if (rc != STORE_OK) {
		log_error("event=web step=session error=%s", log_quote(error));
		return -1;
	}
	snprintf(out->user, sizeof(out->user), "%s", ws.user);
	out->site_admin = ws.site_admin;
	snprintf(out->csrf, sizeof(out->csrf), "%s", ws.csrf);
	return 1;
}

int web_auth_allowed(struct web_req *r, enum web_role role, const char *list)
{
	char	have[16];
	const char *error;
	int	rc;

	if (role == WEB_PUBLIC)
		return 1;
	if (r->session == NULL)
		return 0;
	if (role == WEB_LOGGED_IN || r->session->site_admin)
		return 1;
	if (role == WEB_SITE_ADMIN || list == NULL)
		return 0;
	rc = store_web_role_get(r->store, r->session->user, list, have, &error);
	if (rc == STORE_NO_LIST || rc == STORE_INVALID)
		return 0;
	if (rc != STORE_OK) {
		log_error("event=web step=role error=%s", log_quote(error));
		return -1;
	}
	return strcmp(have, "owner") == 0
	    || (strcmp(have, "moderator") == 0 && role == WEB_LIST_MODERATOR);
}

/* A Set-Cookie value: name=value with the flags every cookie here has. */
static void auth_cookie(struct web_req *r, const char *name, const char *value,
			const char *path, int expire)
{
	char	header[256];

	snprintf(header, sizeof(header), "%s=%s; Path=%s; HttpOnly; SameSite=Strict%s%s", name,
		 value, path, expire ? "; Max-Age=0" : "", r->https ? "; Secure" : "");
	web_header(r, "Set-Cookie", header);
}

/* ?next= / the next field if it is a local admin path, else "". */
static const char *auth_next(const char *next)
{
	size_t	i;

	if (next == NULL || strncmp(next, "/admin/", 7) != 0 || strlen(next) > AUTH_NEXT_MAX)
		return "";
	for (i = 0; next[i] != '\0'; i++)
		if ((unsigned char) next[i] <= ' ' || next[i] == '\\' || next[i] == 0x7f
		    || (next[i] == '/' && next[i + 1] == '/'))
			return "";
	return next;
}

/* The login form with a (new or kept) double-submit token, status and error. */
static enum MHD_Result auth_form(struct web_req *r, unsigned status, const char *error,
				 const char *user, const char *next)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
							 AUTH_LOGIN_COOKIE);
	unsigned char raw[AUTH_ID_LEN];
	char	token[AUTH_HEX_LEN + 1], action[512];
	struct buf error_html, next_html;
	const char *vars[12];
	enum MHD_Result ret;

	if (auth_unhex(cookie, raw) == 0)
		snprintf(token, sizeof(token), "%s", cookie);
	else if (auth_random_hex(token) < 0)
		return web_failed(r, "login token", "no random numbers");
	auth_cookie(r, AUTH_LOGIN_COOKIE, token, "/login", 0);
	web_url(r, "/login", action, sizeof(action));
	buf_init(&error_html, 4096);
	buf_init(&next_html, 4096);
	if (error != NULL)
		html_fmt(&error_html, "<p class=\"error\" role=\"alert\">%s</p>", error);
	if (*auth_next(next))
		html_fmt(&next_html, "<input type=\"hidden\" name=\"next\" value=\"%s\">",
			 auth_next(next));
	vars[0] = "action", vars[1] = action;
	vars[2] = "login_csrf", vars[3] = token;
	vars[4] = "login_user", vars[5] = user != NULL ? user : "";
	vars[6] = "error_html", vars[7] = buf_str(&error_html);
	vars[8] = "next_html", vars[9] = buf_str(&next_html);
	vars[10] = vars[11] = NULL;
	ret = web_page(r, status, "web-login", vars);
	buf_free(&error_html);
	buf_free(&next_html);
	return ret;
}

static enum MHD_Result auth_login_get(struct web_req *r)
{
	const char *next = auth_next(web_query(r, "next"));

	if (r->session != NULL)
		return web_redirect(r, *next ? next : "/admin/");
	return auth_form(r, 200, NULL, NULL, next);
}

/* The form's token equals the login cookie (both present)? */
static int auth_login_csrf_ok(struct web_req *r)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
							 AUTH_LOGIN_COOKIE);
	const char *field = web_arg(r, "csrf");
	unsigned char a[AUTH_ID_LEN], b[AUTH_ID_LEN];

	return auth_unhex(cookie, a) == 0 && auth_unhex(field, b) == 0
	    && CRYPTO_memcmp(a, b, sizeof(a)) == 0;
}

/* The throttle keys of this attempt: "client:ADDR" and, for a possible name, "user:name". */
struct auth_keys {
	char	client[128];
	char	user[ACCOUNT_NAME_MAX + 8];	/* "" if the name cannot be an account */
};

static void auth_keys(struct web_req *r, const char *user, struct auth_keys *k)
{
	size_t	i;

	snprintf(k->client, sizeof(k->client), "client:%s", r->client ? r->client : "?");
	k->user[0] = '\0';
	if (user != NULL && account_name_ok(user)) {
		snprintf(k->user, sizeof(k->user), "user:%s", user);
		for (i = 5; k->user[i] != '\0'; i++)
			if (k->user[i] >= 'A' && k->user[i] <= 'Z')
				k->user[i] = (char) (k->user[i] - 'A' + 'a');
	}
}

/* The later end of the keys' locks (0: none); -1 if the store failed. */
static long long auth_locked(struct web_req *r, const struct auth_keys *k)
{
	long long until = 0, u = 0;
	const char *error;

	if (store_web_login_locked(r->store, k->client, r->now, &until, &error) != STORE_OK
	    || (k->user[0] && store_web_login_locked(r->store, k->user, r->now, &u, &error)
		!= STORE_OK)) {
		log_error("event=web step=throttle error=%s", log_quote(error));
		return -1;
	}
	return u > until ? u : until;
}

static enum MHD_Result auth_throttled(struct web_req *r, long long until)
{
	char	after[32], text[160];
	long long minutes = (until - r->now + 59) / 60;

	snprintf(after, sizeof(after), "%lld", until - r->now);
	web_header(r, "Retry-After", after);
	snprintf(text, sizeof(text), "Too many failed logins for this user name or from this"
		 " address. Try again in %lld minute%s.", minutes, minutes == 1 ? "" : "s");
	return web_message(r, 429, "Too many failed logins", text);
}

/* Check the password (always spending one scrypt); 1 with *u, 0, or -1. */
static int auth_check(struct web_req *r, const char *user, const char *password,
		      struct store_web_user *u)
{
	size_t	len = password != NULL ? strlen(password) : 0;
	const char *error;
	int	rc = STORE_NOT_FOUND;

	if (user != NULL && account_name_ok(user))
		rc = store_web_user_get(r->store, user, u, &error);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		log_error("event=web step=login error=%s", log_quote(error));
		return -1;
	}
	if (rc == STORE_OK && password != NULL && len <= ACCOUNT_PASSWORD_MAX)
		return account_verify(password, len, u->password_hash);
	account_verify_dummy(password != NULL ? password : "", len);
	return 0;
}

/* Count a failure for each key; the answer is 401 (the next try may be 429). */
static enum MHD_Result auth_failed(struct web_req *r, const struct auth_keys *k,
				   const char *user, const char *next)
{
	long long until;
	const char *error;

	log_info("event=web action=login result=failed user=%s client=%s",
		 log_quote(user ? user : ""), log_quote(r->client ? r->client : "?"));
	if (store_web_login_failed(r->store, k->client, r->now, &auth_client_throttle, &until,
				   &error) != STORE_OK
	    || (k->user[0] && store_web_login_failed(r->store, k->user, r->now,
						     &auth_user_throttle, &until, &error)
		!= STORE_OK))
		return web_failed(r, "login throttle", error);
	return auth_form(r, 401, "Wrong user name or password.", user, next);
}

/* A new session for u; the cookie and the redirect. */
static enum MHD_Result auth_start(struct web_req *r, const struct store_web_user *u,
				  const char *next)
{
	unsigned char id[AUTH_ID_LEN], hash[32];
	char	id_hex[AUTH_HEX_LEN + 1], csrf[AUTH_HEX_LEN + 1];
	const char *error;
	int	rc;

	if (RAND_bytes(id, sizeof(id)) != 1 || auth_random_hex(csrf) < 0)
		return web_failed(r, "session", "no random numbers");
	SHA256(id, sizeof(id), hash);
	auth_hex(id, sizeof(id), id_hex);
	OPENSSL_cleanse(id, sizeof(id));
	rc = store_web_session_add(r->store, hash, u->name, csrf, r->now, r->now + auth_life(r),
				   &error);
	if (rc != STORE_OK)
		return web_failed(r, "session", error);
	log_info("event=web action=login result=ok user=%s client=%s", log_quote(u->name),
		 log_quote(r->client ? r->client : "?"));
	auth_cookie(r, AUTH_COOKIE, id_hex, "/", 0);
	OPENSSL_cleanse(id_hex, sizeof(id_hex));
	auth_cookie(r, AUTH_LOGIN_COOKIE, "", "/login", 1);
	return web_redirect(r, *next ? next : "/admin/");
}

/* After a good password: forget the name's failures, old sessions and the
   session this browser had before. */
static int auth_tidy(struct web_req *r, const struct auth_keys *k)
{
	unsigned char old[32];
	const char *error;

	if (store_web_login_clear(r->store, k->user, &error) != STORE_OK
	    || store_web_purge(r->store, r->now, auth_idle(r), &error) != STORE_OK
	    || (auth_cookie_hash(r, old) == 0
		&& store_web_session_delete(r->store, old, &error) != STORE_OK)) {
		log_error("event=web step=login error=%s", log_quote(error));
		return -1;
	}
	return 0;
}

static enum MHD_Result auth_login_post(struct web_req *r)
{
	const char *user = web_arg(r, "user"), *next = auth_next(web_arg(r, "next"));
	struct store_web_user u;
	struct auth_keys k;
	long long until;
	int	rc;

	if (!auth_login_csrf_ok(r))
		return auth_form(r, 403, "The form has expired; please log in again.", user, next);
	auth_keys(r, user, &k);
	if ((until = auth_locked(r, &k)) < 0)
		return web_failed(r, "login throttle", "the store failed");
	if (until > 0)
		return auth_throttled(r, until);
	if ((rc = auth_check(r, user, web_arg(r, "password"), &u)) < 0)
		return web_failed(r, "login", "the store failed");
	if (rc == 0)
		return auth_failed(r, &k, user, next);
	if (auth_tidy(r, &k) < 0)
		return web_failed(r, "login", "the store failed");
	return auth_start(r, &u, next);
}

static enum MHD_Result auth_logout(struct web_req *r)
{
	unsigned char hash[32];
	const char *error;

	if (auth_cookie_hash(r, hash) == 0
	    && store_web_session_delete(r->store, hash, &error) != STORE_OK)
		return web_failed(r, "logout", error);
	log_info("event=web action=logout user=%s", log_quote(r->session->user));
	auth_cookie(r, AUTH_COOKIE, "", "/", 1);
	return web_redirect(r, "/login");
}

const struct web_route web_auth_routes[] = {
	{"GET", "/login", WEB_PUBLIC, 0, auth_login_get},
	{"POST", "/login", WEB_PUBLIC, 0, auth_login_post},
	{"POST", "/logout", WEB_LOGGED_IN, 0, auth_logout},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
