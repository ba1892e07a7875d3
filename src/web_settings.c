/*
 * NAME
 *	web_settings 3
 * SUMMARY
 *	the list settings page: one form generated from the settings table
 * DESCRIPTION
 *	GET /admin/lists/{list}/settings shows every row of settings_rows[]
 *	(settings.h) in a fieldset per category, each with a control that
 *	fits its type, its help text and default.  POST checks every field
 *	present with settings_validate, the check `sealist config import`
 *	makes, and stores the changed ones with store_settings_apply, the
 *	same one transaction: all or nothing.  A field the form did not send
 *	keeps its value (absent is not empty).  On any error the page comes
 *	back with 400, what the owner typed, and the reason beside each bad
 *	field.
 *
 *	The table holds no secrets (the list's token key, passwords and keys
 *	are not settings), so every row is shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "settings.h"
#include "web_int.h"

/* Nine text settings of 64 KiB each, escaped, fit. */
#define WEB_SETTINGS_HTML_MAX	(8u * 1024 * 1024)
/* The POST body: those nine as typed, form-encoded, and the rest. */
#define WEB_SETTINGS_BODY_MAX	(2u * 1024 * 1024)

/* What the form shows and what went wrong, by settings_at() index. */
struct web_settings_form {
	char   *values[SETTINGS_COUNT];	/* the list's (store_settings_get_all) */
	char   *typed[SETTINGS_COUNT];	/* the POST's, normalised; NULL: absent */
	char   *error[SETTINGS_COUNT];	/* why typed[i] is refused; NULL: good */
	size_t	errors;
	char	local[256];		/* the list's local part, real_name's default */
};

static void web_settings_free(struct web_settings_form *f)
{
	size_t	i;

	store_settings_free(f->values);
	for (i = 0; i < SETTINGS_COUNT; i++) {
		free(f->typed[i]);
		free(f->error[i]);
	}
}

static int web_settings_load(struct web_req *r, struct web_settings_form *f,
			     const char **error_r)
{
	const char *at = strchr(r->list, '@');

	memset(f, 0, sizeof(*f));
	(void) snprintf(f->local, sizeof(f->local), "%.*s",
			(int) (at != NULL ? (size_t) (at - r->list) : strlen(r->list)), r->list);
	return store_settings_get_all(r->store, r->list, f->values, NULL, error_r);
}

/* "/admin/lists/L/settings" and query, into out. */
static void web_settings_path(const struct web_req *r, const char *query, char *out,
			      size_t size)
{
	(void) snprintf(out, size, "/admin/lists/%s/settings%s", r->list, query);
}

/* ---- reading the POST --------------------------------------------------------------- */

static int web_settings_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A one-word value (number, choice, address) without the blanks around it. */
static char *web_settings_trim(const char *in)
{
	size_t	n;

	while (web_settings_space(*in))
		in++;
	for (n = strlen(in); n > 0 && web_settings_space(in[n - 1]); n--)
		;
	return strndup(in, n);
}

/*
 * Lines as the store keeps them: a browser sends a textarea with CR LF;
 * for a pattern list also without blanks around each line and without
 * empty lines (Mailman's list has no empty items).
 */
static char *web_settings_lines(const char *in, int patterns)
{
	size_t	n = strlen(in), i, j, start;
	char   *out = malloc(n + 1);

	if (out == NULL)
		return NULL;
	for (i = j = 0; i < n; i++)
		if (!(in[i] == '\r' && in[i + 1] == '\n'))
			out[j++] = in[i] == '\r' ? '\n' : in[i];
	out[j] = 0;
	if (!patterns)
		return out;
	for (i = j = 0; out[i] != 0; ) {
		while (out[i] == ' ' || out[i] == '\t')
			i++;
		for (start = i; out[i] != 0 && out[i] != '\n'; i++)
			;
		n = i;
		while (n > start && (out[n - 1] == ' ' || out[n - 1] == '\t'))
			n--;
		if (n > start) {
			if (j > 0)
				out[j++] = '\n';
			memmove(out + j, out + start, n - start);
			j += n - start;
		}
		if (out[i] == '\n')
			i++;
	}
	out[j] = 0;
	return out;
}

/* A string setting keeps its blanks: subject_prefix ends in one. */
static char *web_settings_normalise(const struct settings_row *row, const char *in)
{
	switch (row->type) {
	case SETTINGS_T_STRING:
		return strdup(in);
	case SETTINGS_T_TEXT:
		return web_settings_lines(in, 0);
	case SETTINGS_T_PATTERNS:
		return web_settings_lines(in, 1);
	default:
		return web_settings_trim(in);
	}
}

/* Every field present, normalised and checked; -1 when memory runs out. */
static int web_settings_read(struct web_req *r, struct web_settings_form *f)
{
	const struct settings_row *row;
	const char *in, *why;
	size_t	i;

	for (i = 0; (row = settings_at(i)) != NULL; i++) {
		if ((in = web_arg(r, row->name)) == NULL)
			continue;
		if ((f->typed[i] = web_settings_normalise(row, in)) == NULL)
			return -1;
		/* the reason is per-thread memory, overwritten by the next check */
		if ((why = settings_validate(row, f->typed[i])) != NULL) {
			if ((f->error[i] = strdup(why)) == NULL)
				return -1;
			f->errors++;
		}
	}
	return 0;
}

/* ---- the form ----------------------------------------------------------------------- */

/* Text for a textarea, tabs kept as &#9; (the escaper makes them spaces). */
static void web_settings_text(struct buf *b, const char *s)
{
	const char *tab;
	char   *part;

	while ((tab = strchr(s, '\t')) != NULL) {
		if ((part = strndup(s, (size_t) (tab - s))) != NULL)
			html_text(b, part);
		free(part);
		html_fmt(b, "&#9;");
		s = tab + 1;
	}
	html_text(b, s);
}

static void web_settings_select(struct buf *b, const struct settings_row *row,
				const char *value)
{
	static const struct settings_choice yes_no[] = {{"1", "yes"}, {"0", "no"}, {NULL, NULL}};
	const struct settings_choice *c = row->type == SETTINGS_T_BOOL ? yes_no : row->choices;
	int	known = 0;

	for (; c->value != NULL; c++) {
		int	on = strcmp(c->value, value) == 0;

		known |= on;
		html_fmt(b, "<option value=\"%s\"%s>%s</option>", c->value,
			 on ? " selected" : "", c->label);
	}
	/* what was typed stays visible, and wrong, until the owner picks another */
	if (!known)
		html_fmt(b, "<option value=\"%s\" selected>%s (not a legal value)</option>",
			 value, value);
	html_fmt(b, "</select>\n");
}

/* The control of one row, from its open tag's attributes on. */
static void web_settings_control(struct buf *b, const struct settings_row *row,
				 const char *value)
{
	switch (row->type) {
	case SETTINGS_T_BOOL:
	case SETTINGS_T_ENUM:
		html_fmt(b, ">\n");
		web_settings_select(b, row, value);
		break;
	case SETTINGS_T_INT:
		html_fmt(b, " type=\"number\" step=\"1\" min=\"%ld\" max=\"%ld\" value=\"%s\">\n",
			 row->min, row->max, value);
		break;
	case SETTINGS_T_FLOAT:
		html_fmt(b, " type=\"number\" step=\"any\" min=\"%ld\" max=\"%ld\" value=\"%s\">\n",
			 row->min, row->max, value);
		break;
	case SETTINGS_T_ADDRESS:
		html_fmt(b, " type=\"email\" value=\"%s\">\n", value);
		break;
	case SETTINGS_T_STRING:
		html_fmt(b, " type=\"text\" value=\"%s\">\n", value);
		break;
	case SETTINGS_T_TEXT:
	case SETTINGS_T_PATTERNS:
		/* the newline after the tag is eaten by the parser, so a value's own
		   leading newline survives */
		html_fmt(b, " rows=\"%d\">\n", row->type == SETTINGS_T_TEXT ? 6 : 4);
		web_settings_text(b, value);
		html_fmt(b, "</textarea>\n");
		break;
	}
}

static const char *web_settings_tag(const struct settings_row *row)
{
	switch (row->type) {
	case SETTINGS_T_BOOL:
	case SETTINGS_T_ENUM:
		return "select";
	case SETTINGS_T_TEXT:
	case SETTINGS_T_PATTERNS:
		return "textarea";
	default:
		return "input";
	}
}

/* Help, the default (when it is short) and whether sealist acts on it yet. */
static void web_settings_help(struct buf *b, const struct settings_row *row,
			      const struct web_settings_form *f)
{
	const char *def = settings_default(row, f->local);

	html_fmt(b, "<p id=\"%s-help\" class=\"help\">%s", row->name, row->help);
	if (row->type == SETTINGS_T_ENUM || row->type == SETTINGS_T_BOOL) {
		const char *label = row->type == SETTINGS_T_BOOL
		    ? (strcmp(def, "1") == 0 ? "yes" : "no") : settings_choice_label(row, def);

		html_fmt(b, " Default: %s.", label != NULL ? label : def);
	} else if (row->type != SETTINGS_T_TEXT && row->type != SETTINGS_T_PATTERNS)
		html_fmt(b, *def ? " Default: \xe2\x80\x9c%s\xe2\x80\x9d." : " Default: empty.%s", def);
	if (row->inert)
		html_fmt(b, " <strong>Not acted on yet</strong>: stored and exported only.");
	html_fmt(b, "</p>\n");
}

static void web_settings_field(struct buf *b, const struct settings_row *row, size_t i,
			       const struct web_settings_form *f)
{
	const char *value = f->typed[i] != NULL ? f->typed[i] : f->values[i];
	const char *error = f->error[i];

	html_fmt(b, "<div class=\"setting%s\">\n<label for=\"%s\">%s", error ? " invalid" : "",
		 row->name, row->name);
	if (row->unit != NULL)
		html_fmt(b, " (%s)", row->unit);
	html_fmt(b, "</label>\n");
	if (error != NULL)
		html_fmt(b, "<p id=\"%s-error\" class=\"error\">%s</p>\n", row->name, error);
	if (error != NULL)
		html_fmt(b, "<%s id=\"%s\" name=\"%s\" aria-invalid=\"true\""
			 " aria-describedby=\"%s-error %s-help\"", web_settings_tag(row), row->name,
			 row->name, row->name, row->name);
	else
		html_fmt(b, "<%s id=\"%s\" name=\"%s\" aria-describedby=\"%s-help\"",
			 web_settings_tag(row), row->name, row->name, row->name);
	web_settings_control(b, row, value);
	web_settings_help(b, row, f);
	html_fmt(b, "</div>\n");
}

/* One fieldset per category, in the order config export writes them. */
static void web_settings_fields(struct buf *b, const struct web_settings_form *f)
{
	const struct settings_row *row;
	size_t	c, i;

	for (c = SETTINGS_C_NONE + 1; c < SETTINGS_CATEGORY_COUNT; c++) {
		const struct settings_category_info *info = &settings_categories[c];

		html_fmt(b, "<fieldset id=\"category-%s\">\n<legend>%s</legend>\n"
			 "<p class=\"description\">%s</p>\n", info->name, info->title,
			 info->description);
		for (i = 0; (row = settings_at(i)) != NULL; i++)
			if (settings_category_of(row) == (enum settings_category) c)
				web_settings_field(b, row, i, f);
		html_fmt(b, "</fieldset>\n");
	}
}

/* The list of what is wrong, at the top, each linking to its field. */
static void web_settings_summary(struct buf *b, const struct web_settings_form *f)
{
	const struct settings_row *row;
	size_t	i;

	html_fmt(b, "<div class=\"error-summary\" role=\"alert\">\n<p>%zu setting%s could not be"
		 " saved, so nothing was changed:</p>\n<ul>\n", f->errors,
		 f->errors == 1 ? "" : "s");
	for (i = 0; (row = settings_at(i)) != NULL; i++)
		if (f->error[i] != NULL)
			html_fmt(b, "<li><a href=\"#%s\">%s</a>: %s</li>\n", row->name, row->name,
				 f->error[i]);
	html_fmt(b, "</ul>\n</div>\n");
}

static enum MHD_Result web_settings_show(struct web_req *r, unsigned status,
					 const struct web_settings_form *f, int saved)
{
	struct buf fields, notice;
	char	path[600], action[1024], title[600];
	enum MHD_Result ret;

	(void) snprintf(title, sizeof(title), "Settings of %s", r->list);
	buf_init(&fields, WEB_SETTINGS_HTML_MAX);
	buf_init(&notice, WEB_SETTINGS_HTML_MAX);
	web_settings_fields(&fields, f);
	if (f->errors > 0)
		web_settings_summary(&notice, f);
	else if (saved)
		html_fmt(&notice, "<p class=\"saved\" role=\"status\">Saved.</p>\n");
	web_settings_path(r, "", path, sizeof(path));
	web_url(r, path, action, sizeof(action));
	if (buf_failed(&fields) || buf_failed(&notice))
		ret = web_failed(r, "the settings page", "too large");
	else {
		const char *vars[] = { "list", r->list, "action", action,
			"notice_html", buf_str(&notice), "fields_html", buf_str(&fields), NULL };

		ret = web_admin_page(r, status, title, "web-admin-settings", vars);
	}
	buf_free(&fields);
	buf_free(&notice);
	return ret;
}

/* ---- the routes --------------------------------------------------------------------- */

static enum MHD_Result web_settings_get(struct web_req *r)
{
	struct web_settings_form f;
	const char *error, *saved = web_query(r, "saved");
	enum MHD_Result ret;

	if (web_settings_load(r, &f, &error) != STORE_OK)
		ret = web_failed(r, "cannot read the settings", error);
	else
		ret = web_settings_show(r, 200, &f, saved != NULL && strcmp(saved, "1") == 0);
	web_settings_free(&f);
	return ret;
}

/* The changed settings, all at once; a store status. */
static int web_settings_store(struct web_req *r, const struct web_settings_form *f,
			      const char **error_r)
{
	const char *names[SETTINGS_COUNT], *values[SETTINGS_COUNT];
	const struct settings_row *row;
	size_t	i, n = 0;

	for (i = 0; (row = settings_at(i)) != NULL; i++)
		if (f->typed[i] != NULL && strcmp(f->typed[i], f->values[i]) != 0) {
			names[n] = row->name;
			values[n++] = f->typed[i];
		}
	if (n == 0)
		return STORE_OK;
	return store_settings_apply(r->store, r->list, names, values, n, error_r);
}

static enum MHD_Result web_settings_post(struct web_req *r)
{
	struct web_settings_form f;
	const char *error;
	char	done[600];
	enum MHD_Result ret;
	int	status;

	if (web_settings_load(r, &f, &error) != STORE_OK)
		ret = web_failed(r, "cannot read the settings", error);
	else if (web_settings_read(r, &f) < 0)
		ret = web_failed(r, "cannot read the settings form", "out of memory");
	else if (f.errors > 0)
		ret = web_settings_show(r, 400, &f, 0);
	else if ((status = web_settings_store(r, &f, &error)) == STORE_INVALID)
		ret = web_message(r, 400, "Not saved", error);
	else if (status != STORE_OK)
		ret = web_failed(r, "cannot store the settings", error);
	else {
		web_settings_path(r, "?saved=1", done, sizeof(done));
		ret = web_redirect(r, done);
	}
	web_settings_free(&f);
	return ret;
}

const struct web_route web_settings_routes[] = {
	{"GET", "/admin/lists/{list}/settings", WEB_LIST_OWNER, 0, web_settings_get},
	{"POST", "/admin/lists/{list}/settings", WEB_LIST_OWNER, WEB_SETTINGS_BODY_MAX,
	 web_settings_post},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
