/*
 * NAME
 *	template 3
 * SUMMARY
 *	load, check and fill notice templates
 * DESCRIPTION
 *	See template.h.  Files are small (LIMIT_TEMPLATE_SIZE) and read whole
 *	each time: notices are rare, and an admin's edit takes effect at
 *	once without a reload.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"
#include "sealist_limits.h"
#include "template.h"

static const char *const held_moderator[] = {
	"list", "sender", "subject", "reason", "id", "confirm_address", NULL
};
static const char *const held_poster[] = { "list", "subject", "reason", NULL };
static const char *const post_ack[] = { "list", "subject", "request_address", NULL };
static const char *const rejected_poster[] = { "list", "subject", "reason", "owner_address", NULL };
static const char *const bounce_disabled[] = {
	"list", "address", "last_bounce", "warnings_left", "owner_address", NULL
};
static const char *const bounce_owner_disabled[] = {
	"list", "address", "score", "reason", "warnings", NULL
};
static const char *const bounce_owner_removed[] = {
	"list", "address", "last_bounce", "warnings", NULL
};

static const char *const command_results[] = {
	"list", "results", "request_address", "owner_address", NULL
};
static const char *const confirm_request[] = {
	"list", "address", "requested_by", "confirm_address", "token", "expires",
	"request_address", "confirm_url", NULL
};
static const char *const welcome[] = {
	"list", "address", "description", "info", "post_address", "request_address",
	"leave_address", "owner_address", NULL
};
static const char *const goodbye[] = { "list", "address", "owner_address", "join_address", NULL };
static const char *const help[] = {
	"list", "request_address", "join_address", "leave_address", "owner_address", NULL
};
static const char *const info[] = {
	"list", "description", "info", "post_address", "request_address", "owner_address", NULL
};
static const char *const subscribe_approval[] = {
	"list", "kind", "address", "requested_by", "token", "expires", NULL
};

static const struct {
	const char *name;
	const char *const *vars;
} template_table[] = {
	{"held-moderator", held_moderator},
	{"held-poster", held_poster},
	{"post-ack", post_ack},
	{"rejected-poster", rejected_poster},
	{"bounce-disabled", bounce_disabled},
	{"bounce-owner-disabled", bounce_owner_disabled},
	{"bounce-owner-removed", bounce_owner_removed},
	{"command-results", command_results},
	{"confirm-subscribe", confirm_request},
	{"confirm-unsubscribe", confirm_request},
	{"welcome", welcome},
	{"goodbye", goodbye},
	{"help", help},
	{"info", info},
	{"subscribe-approval", subscribe_approval},
};

static __thread char template_error[512];

const char *const *template_known(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(template_table) / sizeof(template_table[0]); i++)
		if (strcmp(template_table[i].name, name) == 0)
			return template_table[i].vars;
	return NULL;
}

static int template_fail(const char **error_r, const char *name, const char *why)
{
	snprintf(template_error, sizeof(template_error), "template %s: %s", name, why);
	*error_r = template_error;
	return -1;
}

static int template_read_ext(const char *dir, const char *name, const char *ext,
			     struct buf *text, const char **error_r)
{
	char	path[4096];
	char	chunk[4096];
	FILE   *fp;
	size_t	n;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	if ((fp = fopen(path, "r")) == NULL)
		return template_fail(error_r, name, strerror(errno));
	buf_init(text, LIMIT_TEMPLATE_SIZE);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(text, chunk, n) < 0)
			break;
	fclose(fp);
	if (buf_failed(text)) {
		buf_free(text);
		return template_fail(error_r, name, "file too large");
	}
	return 0;
}

static int template_read(const char *dir, const char *name, struct buf *text,
			 const char **error_r)
{
	return template_read_ext(dir, name, "txt", text, error_r);
}

/* The value of name (len bytes) in vars, or NULL. */
static const char *template_value(const char *const *vars, const char *name, size_t len)
{
	for (; vars != NULL && vars[0] != NULL && vars[1] != NULL; vars += 2)
		if (strlen(vars[0]) == len && memcmp(vars[0], name, len) == 0)
			return vars[1];
	return NULL;
}

static int template_is_known(const char *const *known, const char *name, size_t len)
{
	for (; *known != NULL; known++)
		if (strlen(*known) == len && memcmp(*known, name, len) == 0)
			return 1;
	return 0;
}

/* Does the variable's name end in "_html"? */
static int template_raw_name(const char *name, size_t len)
{
	return len >= 5 && memcmp(name + len - 5, "_html", 5) == 0;
}

/* Append value with control characters as spaces (one line in headers);
   keep_newlines 2: HTML-escaped as well (web pages). */
static void template_put(struct buf *out, const char *value, int keep_newlines)
{
	const unsigned char *p;

	if (keep_newlines == 2) {
		html_text(out, value);	/* the one HTML escaper (html.h) */
		return;
	}
	for (p = (const unsigned char *) value; *p; p++)
		buf_append_byte(out, (*p < 0x20 && !(keep_newlines && *p == '\n')) || *p == 0x7f
				? ' ' : *p);
}

/* Expand {{name}} in [p, end) into out; vars NULL only checks. */
static int template_expand(const char *tname, const char *p, const char *end,
			   const char *const *known, const char *const *vars,
			   int keep_newlines, struct buf *out, const char **error_r)
{
	const char *open, *close, *value;

	while (p < end) {
		if ((open = strstr(p, "{{")) == NULL || open >= end) {
			buf_append(out, p, (size_t) (end - p));
			break;
		}
		buf_append(out, p, (size_t) (open - p));
		if ((close = strstr(open + 2, "}}")) == NULL || close >= end)
			return template_fail(error_r, tname, "a {{ is never closed");
		if (!template_is_known(known, open + 2, (size_t) (close - open - 2))) {
			char	why[160];

			snprintf(why, sizeof(why), "unknown variable {{%.*s}}",
				 (int) (close - open - 2 > 60 ? 60 : close - open - 2), open + 2);
			return template_fail(error_r, tname, why);
		}
		if (vars != NULL) {
			size_t	len = (size_t) (close - open - 2);

			if ((value = template_value(vars, open + 2, len)) == NULL)
				return template_fail(error_r, tname, "a variable has no value");
			/* a page's "_html" value is markup from html_fmt (html.h) */
			if (keep_newlines == 2 && template_raw_name(open + 2, len))
				buf_append_str(out, value);
			else
				template_put(out, value, keep_newlines);
		}
		p = close + 2;
	}
	return 0;
}

static int template_fill(const char *name, const struct buf *text, const char *const *vars,
			 char **subject_r, struct buf *body, const char **error_r)
{
	const char *const *known = template_known(name);
	const char *t = buf_str(text), *eol, *rest;
	struct buf subject;
	int	rc;

	if (strncmp(t, "Subject: ", 9) != 0 || (eol = strchr(t, '\n')) == NULL)
		return template_fail(error_r, name, "must start with a Subject: line");
	rest = eol[1] == '\n' ? eol + 2 : eol + 1;
	buf_init(&subject, 4096);
	rc = template_expand(name, t + 9, eol, known, vars, 0, &subject, error_r);
	if (rc == 0)
		rc = template_expand(name, rest, t + text->len, known, vars, 1, body, error_r);
	if (rc == 0 && (buf_failed(&subject) || buf_failed(body)))
		rc = template_fail(error_r, name, "too large once filled");
	if (rc == 0 && subject_r != NULL)
		*subject_r = buf_detach(&subject, NULL);
	buf_free(&subject);
	return rc;
}

/*
 * The directory an admin's copy of NAME for list would be in, most
 * specific first: dir/lists/LIST@DOMAIN, dir/domains/DOMAIN, dir.  A
 * list address with '/' or a leading '.' never names a directory.
 */
static int template_where(const char *dir, const char *list, int step, char *out, size_t size)
{
	const char *at = list != NULL ? strrchr(list, '@') : NULL;
	int	safe = list != NULL && strchr(list, '/') == NULL && *list != '.' && at != NULL
	    && at[1] != '.' && at[1] != 0;

	switch (step) {
	case 0:
		return safe && (size_t) snprintf(out, size, "%s/lists/%s", dir, list) < size;
	case 1:
		return safe && (size_t) snprintf(out, size, "%s/domains/%s", dir, at + 1) < size;
	case 2:
		return (size_t) snprintf(out, size, "%s", dir) < size;
	}
	return 0;
}

int template_render_for(const char *dir, const char *list, const char *name,
			const char *const *vars, char **subject_r, struct buf *body,
			const char **error_r)
{
	struct buf text;
	char	where[4096], path[4200];
	int	step, rc;

	*subject_r = NULL;
	if (template_known(name) == NULL)
		return template_fail(error_r, name, "no such notice");
	for (step = 0; step < 2; step++)
		if (template_where(dir, list, step, where, sizeof(where))
		    && (size_t) snprintf(path, sizeof(path), "%s/%s.txt", where, name) < sizeof(path)
		    && access(path, F_OK) == 0)
			break;
	if (step == 2)
		template_where(dir, NULL, 2, where, sizeof(where));
	if (template_read(where, name, &text, error_r) < 0)
		return -1;
	rc = template_fill(name, &text, vars, subject_r, body, error_r);
	buf_free(&text);
	return rc;
}

int template_render(const char *dir, const char *name, const char *const *vars,
		    char **subject_r, struct buf *body, const char **error_r)
{
	return template_render_for(dir, NULL, name, vars, subject_r, body, error_r);
}

/* Check dir/NAME.txt for a known notice NAME. */
static int template_check_one(const char *dir, const char *name, const char **error_r)
{
	struct buf text, body;
	int	rc;

	if (template_read(dir, name, &text, error_r) < 0)
		return -1;
	buf_init(&body, LIMIT_TEMPLATE_SIZE * 4);
	rc = template_fill(name, &text, NULL, NULL, &body, error_r);
	buf_free(&body);
	buf_free(&text);
	return rc;
}

/* Every NAME.txt in an override directory: a known notice, well formed. */
static int template_check_dir(const char *dir, const char **error_r)
{
	DIR    *d = opendir(dir);
	struct dirent *e;
	char	name[256];
	int	rc = 0;

	if (d == NULL)
		return 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t	len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0 || len - 4 >= sizeof(name))
			continue;
		memcpy(name, e->d_name, len - 4);
		name[len - 4] = 0;
		if (template_known(name) == NULL) {
			snprintf(template_error, sizeof(template_error), "%.300s/%.100s: not a notice sealist "
				 "sends (templates/README lists them)", dir, e->d_name);
			*error_r = template_error;
			rc = -1;
		} else
			rc = template_check_one(dir, name, error_r);
	}
	closedir(d);
	return rc;
}

/* The override directories under dir/lists and dir/domains. */
static int template_check_overrides(const char *dir, const char *kind, const char **error_r)
{
	char	top[4096], sub[4400];
	DIR    *d;
	struct dirent *e;
	int	rc = 0;

	if ((size_t) snprintf(top, sizeof(top), "%s/%s", dir, kind) >= sizeof(top)
	    || (d = opendir(top)) == NULL)
		return 0;
	while (rc == 0 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.'
		    && (size_t) snprintf(sub, sizeof(sub), "%s/%s", top, e->d_name) < sizeof(sub))
			rc = template_check_dir(sub, error_r);
	closedir(d);
	return rc;
}

int template_check_all(const char *dir, const char **error_r)
{
	size_t	i;
	int	rc = 0;

	for (i = 0; rc == 0 && i < sizeof(template_table) / sizeof(template_table[0]); i++)
		rc = template_check_one(dir, template_table[i].name, error_r);
	if (rc == 0)
		rc = template_check_overrides(dir, "lists", error_r);
	if (rc == 0)
		rc = template_check_overrides(dir, "domains", error_r);
	return rc;
}

/* ---- web pages --------------------------------------------------------------- */

static const char *const html_info[] = {
	"list", "description", "info", "action", "css", NULL
};
static const char *const html_oneclick[] = { "list", "address", "action", "css", NULL };
static const char *const html_confirm[] = { "list", "kind", "address", "action", "css", NULL };
static const char *const html_message[] = { "title", "message", "css", NULL };
/* the admin pages' layout (web_admin_page): the page itself is content_html */
static const char *const html_admin[] = {
	"title", "site", "css", "base", "user", "csrf", "nav_html", "content_html", NULL
};
/* ==== A2 ==== */
static const char *const html_login[] = {
	"action", "login_csrf", "next_html", "login_user", "error_html", "css", "base", "user",
	"csrf", NULL
};
/* ==== end A2 ==== */
/* ---- B: admin overview, list, bounces, keys, queue (web_overview.c ...) ---- */
#define HTML_ADMIN_COMMON "css", "base", "user", "csrf"
static const char *const html_admin_overview[] = {
	HTML_ADMIN_COMMON, "lists_html", "chart_html", NULL
};
static const char *const html_admin_list[] = {
	HTML_ADMIN_COMMON, "list", "members", "regular", "digest", "disabled", "held", "requests",
	"queued", "deferred", "bounces", "links_html", NULL
};
static const char *const html_admin_bounces[] = {
	HTML_ADMIN_COMMON, "list", "note_html", "bounces_html", "history_html", NULL
};
static const char *const html_admin_keys[] = {
	HTML_ADMIN_COMMON, "result_html", "domains_html", NULL
};
static const char *const html_admin_queue[] = {
	HTML_ADMIN_COMMON, "queued", "deferred", "delivered", "bounced", "note_html", "oldest_html",
	"errors_html", NULL
};
/* ---- end B ---- */
/* ---- C1: the settings and moderation pages (web_settings.c, web_held.c) ---- */
static const char *const html_admin_settings[] = {
	"list", "action", "notice_html", "fields_html", "css", "base", "user", "csrf", NULL
};
static const char *const html_admin_held[] = {
	"list", "action", "notice_html", "table_html", "actions_html", "css", "base", "user",
	"csrf", NULL
};
static const char *const html_admin_held_one[] = {
	"list", "id", "date", "sender", "subject", "reason", "verdict", "authres", "size",
	"back", "action", "cut", "headers", "body", "actions_html", "css", "base", "user",
	"csrf", NULL
};
/* ---- end C1 ---- */
/* ---- C2: the members page (web_members.c) ---- */
static const char *const html_admin_members[] = {
	"list", "count", "q", "page", "members_url", "add_action", "remove_action",
	"upload_action", "csv_url", "add_address", "add_name", "result_html", "errors_html",
	"table_html", "update_forms_html", "pages_html", "csrf", "css", "base", "user", NULL
};
/* ---- end C2 ---- */
/* ---- H2: the DMARC report pages (web_dmarc.c) ---- */
static const char *const html_admin_dmarc[] = { HTML_ADMIN_COMMON, "content_html", NULL };
/* ---- end H2 ---- */

static const struct {
	const char *name;
	const char *const *vars;
} template_html_table[] = {
	{"web-info", html_info},
	{"web-oneclick", html_oneclick},
	{"web-confirm", html_confirm},
	{"web-message", html_message},
	{"web-admin", html_admin},
	{"web-login", html_login},	/* A2 */
	/* ---- B ---- */
	{"web-admin-overview", html_admin_overview},
	{"web-admin-list", html_admin_list},
	{"web-admin-bounces", html_admin_bounces},
	{"web-admin-keys", html_admin_keys},
	{"web-admin-queue", html_admin_queue},
	/* ---- end B ---- */
	/* ---- C1 ---- */
	{"web-admin-settings", html_admin_settings},
	{"web-admin-held", html_admin_held},
	{"web-admin-held-one", html_admin_held_one},
	/* ---- end C1 ---- */
	{"web-admin-members", html_admin_members},	/* C2 */
	{"web-admin-dmarc", html_admin_dmarc},		/* H2 */
};

const char *const *template_html_known(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(template_html_table) / sizeof(template_html_table[0]); i++)
		if (strcmp(template_html_table[i].name, name) == 0)
			return template_html_table[i].vars;
	return NULL;
}

int template_render_html(const char *dir, const char *name, const char *const *vars,
			 struct buf *out, const char **error_r)
{
	const char *const *known = template_html_known(name);
	struct buf text;
	int	rc;

	if (known == NULL)
		return template_fail(error_r, name, "no such page");
	if (template_read_ext(dir, name, "html", &text, error_r) < 0)
		return -1;
	/* keep_newlines 2: every value but a "_html" one goes through html_text */
	rc = template_expand(name, buf_str(&text), buf_str(&text) + text.len, known, vars, 2,
			     out, error_r);
	if (rc == 0 && buf_failed(out))
		rc = template_fail(error_r, name, "too large once filled");
	buf_free(&text);
	return rc;
}

int template_check_html(const char *dir, const char **error_r)
{
	size_t	i;
	int	rc = 0;

	for (i = 0; rc == 0 && i < sizeof(template_html_table) / sizeof(template_html_table[0]);
	     i++) {
		struct buf text, out;

		if (template_read_ext(dir, template_html_table[i].name, "html", &text, error_r) < 0)
			return -1;
		buf_init(&out, LIMIT_TEMPLATE_SIZE * 4);
		rc = template_expand(template_html_table[i].name, buf_str(&text),
				     buf_str(&text) + text.len, template_html_table[i].vars, NULL,
				     2, &out, error_r);
		buf_free(&out);
		buf_free(&text);
	}
	return rc;
}
