/*
 * NAME
 *	web_members 3
 * SUMMARY
 *	the admin members page: search, pages, add, remove, change, CSV
 * DESCRIPTION
 *	GET /admin/lists/{list}/members shows one page of 50 members (a
 *	search narrows them), each row with a checkbox for "Remove selected"
 *	and its own small form to change the delivery mode and moderation;
 *	below are the add and upload forms.  The POSTs call what the CLI
 *	calls (store_member_add/remove, members_csv_import/export), so the
 *	rules and the error words are the CLI's; an error shows the page
 *	again with 400 and changes nothing, a success answers 303 back to
 *	the page with ?done=WHAT&n=COUNT, which the page puts into words.
 *	The router has checked the role (owner) and the CSRF token.
 *
 *	HTML forms cannot nest, and the remove form is around the table;
 *	so each row's change form is an empty form after it (hidden fields
 *	only), and the row's selects and button join it by form="ID".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html.h"
#include "members_csv.h"
#include "sealist_limits.h"
#include "web_int.h"

#define MEMBERS_PER_PAGE	50
/* Errors shown after an upload; the count of the rest is said. */
#define MEMBERS_ERRORS_SHOWN	20
/* Checkboxes taken by one remove: more than a page ever shows. */
#define MEMBERS_REMOVE_MAX	1000
/* URLs: a list address percent-encoded, a path with a query (an encoded
   search is at most three times STORE_MEMBER_SEARCH_MAX), base + path. */
#define MEMBERS_LIST_MAX	(3 * 256)
#define MEMBERS_TAIL_MAX	(3 * STORE_MEMBER_SEARCH_MAX + 64)
#define MEMBERS_PATH_MAX	(MEMBERS_LIST_MAX + MEMBERS_TAIL_MAX + 64)
#define MEMBERS_URL_MAX		(MEMBERS_PATH_MAX + 1024)
#define MEMBERS_UPLOAD_MAX	(8 * 1024 * 1024)

/* What the page shows besides the members. */
struct members_view {
	const char *q;		/* the search, "" none */
	long long page;		/* 1-based */
	const char *result;	/* a success in words, or NULL */
	struct buf *errors_html;	/* an error block, or NULL */
	const char *address;	/* the add form, refilled after an error */
	const char *name;
};

/* base + /admin/lists/LIST/members + tail into out. */
static void members_url(const struct web_req *r, const char *tail, char *out, size_t size)
{
	char	list[MEMBERS_LIST_MAX], path[MEMBERS_PATH_MAX];

	web_pct(r->list, list, sizeof(list));
	snprintf(path, sizeof(path), "/admin/lists/%s/members%s", list, tail);
	web_url(r, path, out, size);
}

/* The members page URL for page (and the search, if any). */
static void members_page_url(const struct web_req *r, const char *q, long long page,
			     char *out, size_t size)
{
	char	tail[MEMBERS_TAIL_MAX], qe[STORE_MEMBER_SEARCH_MAX * 3 + 1];

	web_pct(q, qe, sizeof(qe));
	if (*q != 0)
		snprintf(tail, sizeof(tail), "?page=%lld&q=%s", page, qe);
	else
		snprintf(tail, sizeof(tail), "?page=%lld", page);
	members_url(r, tail, out, size);
}

/* A decimal count from a query or form field: digits only, else def. */
static long long members_number(const char *s, long long def)
{
	long long n = 0;
	size_t	i;

	if (s == NULL || *s == 0 || strlen(s) > 12)
		return def;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return def;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

/* "<option value=V selected>V</option>" for each choice. */
static void members_options(struct buf *b, const char *const *values,
			    const char *const *labels, const char *current)
{
	size_t	i;

	for (i = 0; values[i] != NULL; i++)
		if (strcmp(values[i], current) == 0)
			html_fmt(b, "<option value=\"%s\" selected>%s</option>", values[i], labels[i]);
		else
			html_fmt(b, "<option value=\"%s\">%s</option>", values[i], labels[i]);
}

/* Building the table and the rows' forms. */
struct members_rows {
	struct web_req *r;
	struct buf *table;
	struct buf *forms;
	char	update_url[MEMBERS_URL_MAX];
	const struct members_view *view;
	size_t	n;
};

static void members_row_status(struct buf *b, const struct store_member_view *v)
{
	if (strcmp(v->m.status, "disabled") != 0)
		html_fmt(b, "<td class=\"status\">enabled</td>");
	else if (*v->disabled_by != 0)
		html_fmt(b, "<td class=\"status disabled\">disabled (by %s)</td>", v->disabled_by);
	else
		html_fmt(b, "<td class=\"status disabled\">disabled</td>");
}

static int members_row(const struct store_member_view *v, void *ctx)
{
	static const char *const modes[] = {"regular", "digest", "nomail", NULL};
	static const char *const flags[] = {"0", "1", NULL};
	static const char *const yesno[] = {"no", "yes", NULL};
	struct members_rows *rows = ctx;
	struct buf *t = rows->table;
	size_t	i = ++rows->n;
	char	joined[32];
	time_t	when = (time_t) v->m.subscribed_at;
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL || strftime(joined, sizeof(joined), "%Y-%m-%d", &tm) == 0)
		joined[0] = 0;
	html_fmt(rows->forms, "<form method=\"post\" action=\"%s\" id=\"member-update-%zu\" "
		 "class=\"member-update\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		 "<input type=\"hidden\" name=\"address\" value=\"%s\">"
		 "<input type=\"hidden\" name=\"q\" value=\"%s\">"
		 "<input type=\"hidden\" name=\"page\" value=\"%lld\"></form>\n",
		 rows->update_url, i, rows->r->session->csrf, v->m.address, rows->view->q,
		 rows->view->page);
	html_fmt(t, "<tr><td class=\"select\"><input type=\"checkbox\" name=\"address\" value=\"%s\" "
		 "id=\"member-select-%zu\"><label for=\"member-select-%zu\" class=\"members-sr\">"
		 "Select %s</label></td>", v->m.address, i, i, v->m.address);
	html_fmt(t, "<td class=\"address\">%s</td><td class=\"name\">%s</td>",
		 v->m.address, v->m.display_name);
	html_fmt(t, "<td><label for=\"member-delivery-%zu\" class=\"members-sr\">Delivery of %s"
		 "</label><select id=\"member-delivery-%zu\" name=\"delivery\" "
		 "form=\"member-update-%zu\">", i, v->m.address, i, i);
	members_options(t, modes, modes, v->m.delivery);
	html_fmt(t, "</select></td><td><label for=\"member-moderated-%zu\" class=\"members-sr\">"
		 "%s moderated</label><select id=\"member-moderated-%zu\" name=\"moderated\" "
		 "form=\"member-update-%zu\">", i, v->m.address, i, i);
	members_options(t, flags, yesno, v->m.moderated ? "1" : "0");
	html_fmt(t, "</select></td>");
	members_row_status(t, v);
	html_fmt(t, "<td class=\"joined\">%s</td><td><button type=\"submit\" "
		 "form=\"member-update-%zu\">Change</button></td></tr>\n", joined, i);
	return 0;
}

/* First, previous, "page N of M", next, last; a link only where it goes somewhere. */
static void members_pages(struct web_req *r, const struct members_view *view, long long pages,
			  struct buf *b)
{
	static const char *const names[] = {"first", "prev", "next", "last"};
	static const char *const labels[] = {"First", "Previous", "Next", "Last"};
	long long to[4];
	char	url[MEMBERS_URL_MAX];
	size_t	i;

	to[0] = 1, to[1] = view->page - 1, to[2] = view->page + 1, to[3] = pages;
	html_fmt(b, "<nav class=\"member-pages\" aria-label=\"Pages\"><ul>");
	for (i = 0; i < 4; i++) {
		if (i == 2)
			html_fmt(b, "<li class=\"current\">Page %lld of %lld</li>", view->page, pages);
		if (to[i] < 1 || to[i] > pages || to[i] == view->page) {
			html_fmt(b, "<li><span class=\"%s\">%s</span></li>", names[i], labels[i]);
			continue;
		}
		members_page_url(r, view->q, to[i], url, sizeof(url));
		html_fmt(b, "<li><a class=\"%s\" href=\"%s\">%s</a></li>", names[i], url, labels[i]);
	}
	html_fmt(b, "</ul></nav>\n");
}

/* The table of one page, its rows' forms and the page links.  Store status. */
static int members_table(struct web_req *r, struct members_view *view, struct buf *table,
			 struct buf *forms, struct buf *pages, char *count, size_t count_size,
			 const char **error_r)
{
	struct members_rows rows;
	long long total = 0, last;
	int	status;

	memset(&rows, 0, sizeof(rows));
	rows.r = r, rows.table = table, rows.forms = forms, rows.view = view;
	members_url(r, "/update", rows.update_url, sizeof(rows.update_url));
	html_fmt(table, "<table id=\"members\"><thead><tr><th scope=\"col\">Select</th>"
		 "<th scope=\"col\">Address</th><th scope=\"col\">Name</th>"
		 "<th scope=\"col\">Delivery</th><th scope=\"col\">Moderated</th>"
		 "<th scope=\"col\">Status</th><th scope=\"col\">Joined</th>"
		 "<th scope=\"col\">Change</th></tr></thead>\n<tbody>\n");
	status = store_member_page(r->store, r->list, view->q,
				   (view->page - 1) * MEMBERS_PER_PAGE, MEMBERS_PER_PAGE,
				   &total, members_row, &rows, error_r);
	/* A page past the end (the list shrank, or a typed URL): show the last. */
	last = total > 0 ? (total + MEMBERS_PER_PAGE - 1) / MEMBERS_PER_PAGE : 1;
	if (status == STORE_OK && view->page > last) {
		view->page = last;
		buf_reset(forms);
		buf_reset(table);
		return members_table(r, view, table, forms, pages, count, count_size, error_r);
	}
	html_fmt(table, "</tbody></table>\n");
	members_pages(r, view, last, pages);
	if (*view->q != 0)
		snprintf(count, count_size, "%lld member%s match the search.", total,
			 total == 1 ? "" : "s");
	else
		snprintf(count, count_size, "%lld member%s.", total, total == 1 ? "" : "s");
	return status;
}

/* Render the page with view's extras; status 200 or 400. */
static enum MHD_Result members_show(struct web_req *r, unsigned code, struct members_view *view)
{
	struct buf table, forms, pages, result;
	char	count[128], self[MEMBERS_URL_MAX], add[MEMBERS_URL_MAX], rm[MEMBERS_URL_MAX];
	char	upload[MEMBERS_URL_MAX], csv[MEMBERS_URL_MAX], page[32], title[600];
	const char *error;
	enum MHD_Result ret;
	int	status;

	buf_init(&table, 4 * 1024 * 1024);
	buf_init(&forms, 1024 * 1024);
	buf_init(&pages, 64 * 1024);
	buf_init(&result, 64 * 1024);
	status = members_table(r, view, &table, &forms, &pages, count, sizeof(count), &error);
	if (status == STORE_INVALID) {
		/* Only a search that is too long: say so, show all. */
		buf_reset(&table), buf_reset(&forms), buf_reset(&pages);
		html_fmt(&result, "<p class=\"error\" role=\"alert\">%s</p>", error);
		view->q = "";
		status = members_table(r, view, &table, &forms, &pages, count, sizeof(count), &error);
	}
	if (status != STORE_OK) {
		ret = web_failed(r, "members page", error);
		goto out;
	}
	if (view->result != NULL)
		html_fmt(&result, "<p class=\"result\" role=\"status\">%s</p>", view->result);
	members_url(r, "", self, sizeof(self));
	members_url(r, "/add", add, sizeof(add));
	members_url(r, "/remove", rm, sizeof(rm));
	members_url(r, "/upload", upload, sizeof(upload));
	members_url(r, ".csv", csv, sizeof(csv));
	snprintf(page, sizeof(page), "%lld", view->page);
	snprintf(title, sizeof(title), "Members of %s", r->list);
	{
		const char *vars[] = {
			"list", r->list, "count", count, "q", view->q, "page", page,
			"members_url", self, "add_action", add, "remove_action", rm,
			"upload_action", upload, "csv_url", csv,
			"add_address", view->address, "add_name", view->name,
			"result_html", buf_str(&result),
			"errors_html", view->errors_html ? buf_str(view->errors_html) : "",
			"table_html", buf_str(&table), "update_forms_html", buf_str(&forms),
			"pages_html", buf_str(&pages), NULL
		};

		ret = web_admin_page(r, code, title, "web-admin-members", vars);
	}
out:
	buf_free(&table), buf_free(&forms), buf_free(&pages), buf_free(&result);
	return ret;
}

/* A view with nothing extra: the page and search from the request. */
static void members_view_init(struct members_view *view, const char *q, const char *page)
{
	memset(view, 0, sizeof(*view));
	view->q = q != NULL ? q : "";
	view->page = members_number(page, 1);
	if (view->page < 1)
		view->page = 1;
	view->address = view->name = "";
}

/* ?done=WHAT&n=N in words, into out; NULL for none. */
static const char *members_done(struct web_req *r, char *out, size_t size)
{
	const char *done = web_query(r, "done");
	long long n = members_number(web_query(r, "n"), 0);
	const char *s = n == 1 ? "" : "s";

	if (done == NULL)
		return NULL;
	if (strcmp(done, "added") == 0)
		snprintf(out, size, "Added %lld member%s.", n, s);
	else if (strcmp(done, "removed") == 0)
		snprintf(out, size, "Removed %lld member%s.", n, s);
	else if (strcmp(done, "changed") == 0)
		snprintf(out, size, "Changed the member's delivery and moderation.");
	else if (strcmp(done, "imported") == 0)
		snprintf(out, size, "Imported %lld member%s from the file.", n, s);
	else if (strcmp(done, "checked") == 0)
		snprintf(out, size, "The file is good: it would add %lld member%s. Nothing was "
			 "changed.", n, s);
	else
		return NULL;
	return out;
}

static enum MHD_Result members_get(struct web_req *r)
{
	struct members_view view;
	char	done[160];

	members_view_init(&view, web_query(r, "q"), web_query(r, "page"));
	view.result = members_done(r, done, sizeof(done));
	return members_show(r, MHD_HTTP_OK, &view);
}

/* 303 back to the page the form came from, with what was done. */
static enum MHD_Result members_back(struct web_req *r, const char *done, long long n)
{
	char	list[MEMBERS_LIST_MAX], qe[STORE_MEMBER_SEARCH_MAX * 3 + 1], path[MEMBERS_PATH_MAX];
	const char *q = web_arg(r, "q");
	long long page = members_number(web_arg(r, "page"), 1);

	web_pct(r->list, list, sizeof(list));
	web_pct(q != NULL && strlen(q) <= STORE_MEMBER_SEARCH_MAX ? q : "", qe, sizeof(qe));
	snprintf(path, sizeof(path), "/admin/lists/%s/members?done=%s&n=%lld&page=%lld%s%s",
		 list, done, n, page < 1 ? 1 : page, *qe ? "&q=" : "", qe);
	return web_redirect(r, path);
}

/* The page again with one error, 400; or 503 when the store failed. */
static enum MHD_Result members_refuse(struct web_req *r, int status, const char *what,
				      const char *error, const char *address, const char *name)
{
	struct members_view view;
	struct buf errors;
	enum MHD_Result ret;

	if (status == STORE_ERROR)
		return web_failed(r, what, error);
	members_view_init(&view, web_arg(r, "q"), web_arg(r, "page"));
	buf_init(&errors, 64 * 1024);
	html_fmt(&errors, "<div class=\"error\" role=\"alert\"><p>%s</p></div>", error);
	view.errors_html = &errors;
	view.address = address != NULL ? address : "";
	view.name = name != NULL ? name : "";
	ret = members_show(r, MHD_HTTP_BAD_REQUEST, &view);
	buf_free(&errors);
	return ret;
}

static enum MHD_Result members_add(struct web_req *r)
{
	struct store_new_member m = {NULL, NULL, NULL, -1};
	const char *address = web_arg(r, "address");
	const char *name = web_arg(r, "name");
	const char *error;
	char	why[512];
	int	status;

	if (address == NULL || *address == 0)
		return members_refuse(r, STORE_INVALID, "member add", "Give the address to add.",
				      address, name);
	/* The CLI's words, with the form's field for --name. */
	if (strchr(address, '<') != NULL || strchr(address, '>') != NULL) {
		snprintf(why, sizeof(why), "invalid address \"%.300s\": give the bare address "
			 "(a@example.org) and the name in the Name field", address);
		return members_refuse(r, STORE_INVALID, "member add", why, address, name);
	}
	m.address = address;
	m.display_name = name != NULL && *name != 0 ? name : NULL;
	if ((status = store_member_add(r->store, r->list, &m, 1, &error)) != STORE_OK)
		return members_refuse(r, status, "member add", error, address, name);
	return members_back(r, "added", 1);
}

static enum MHD_Result members_remove(struct web_req *r)
{
	const char **addresses;
	const char *error;
	size_t	n;
	int	status;
	enum MHD_Result ret;

	if ((addresses = calloc(MEMBERS_REMOVE_MAX, sizeof(*addresses))) == NULL)
		return web_failed(r, "member remove", "out of memory");
	n = web_args(r, "address", addresses, MEMBERS_REMOVE_MAX);
	if (n == 0)
		ret = members_refuse(r, STORE_INVALID, "member remove",
				     "Select the members to remove.", NULL, NULL);
	else if ((status = store_member_remove(r->store, r->list, addresses, n, &error))
		 != STORE_OK)
		ret = members_refuse(r, status, "member remove", error, NULL, NULL);
	else
		ret = members_back(r, "removed", (long long) n);
	free(addresses);
	return ret;
}

static enum MHD_Result members_update(struct web_req *r)
{
	const char *address = web_arg(r, "address");
	const char *delivery = web_arg(r, "delivery");
	const char *moderated = web_arg(r, "moderated");
	const char *error;
	int	flag = moderated == NULL ? -1 : strcmp(moderated, "1") == 0 ? 1
	    : strcmp(moderated, "0") == 0 ? 0 : -1;
	int	status;

	if (address == NULL || delivery == NULL || flag < 0)
		return members_refuse(r, STORE_INVALID, "member update", "The change needs an "
				      "address, a delivery mode and moderated (0 or 1).", NULL, NULL);
	status = store_member_update(r->store, r->list, address, delivery, flag, &error);
	if (status != STORE_OK)
		return members_refuse(r, status, "member update", error, NULL, NULL);
	return members_back(r, "changed", 1);
}

/* The first errors of an upload as list items; the rest only counted. */
struct members_upload {
	struct buf *items;
	size_t	count;
};

static void members_upload_invalid(void *ctx, size_t line, const char *why)
{
	struct members_upload *u = ctx;

	if (u->count++ >= MEMBERS_ERRORS_SHOWN)
		return;
	if (line > 0)
		html_fmt(u->items, "<li>Line %zu: %s</li>", line, why);
	else
		html_fmt(u->items, "<li>%s</li>", why);
}

/* 400 with the upload's errors. */
static enum MHD_Result members_upload_refused(struct web_req *r,
					      const struct members_csv_import *imp,
					      const struct members_upload *u)
{
	struct members_view view;
	struct buf errors;
	enum MHD_Result ret;

	buf_init(&errors, 256 * 1024);
	if (imp->malformed)
		html_fmt(&errors, "<div class=\"error\" role=\"alert\"><p>The file cannot be read "
			 "as a members CSV file; nothing was imported.</p><ul>");
	else
		html_fmt(&errors, "<div class=\"error\" role=\"alert\"><p>%zu invalid row%s; nothing "
			 "was imported.</p><ul>", imp->invalid_rows, imp->invalid_rows == 1 ? "" : "s");
	/* the items are html_fmt's already */
	buf_append(&errors, u->items->data, u->items->len);
	html_fmt(&errors, "</ul>");
	if (u->count > MEMBERS_ERRORS_SHOWN)
		html_fmt(&errors, "<p>And %zu more.</p>", u->count - MEMBERS_ERRORS_SHOWN);
	html_fmt(&errors, "</div>");
	members_view_init(&view, NULL, NULL);
	view.errors_html = &errors;
	ret = members_show(r, MHD_HTTP_BAD_REQUEST, &view);
	buf_free(&errors);
	return ret;
}

static enum MHD_Result members_upload(struct web_req *r)
{
	const struct buf *csv = web_upload(r, "csv");
	const char *mode = web_arg(r, "mode");
	struct members_csv_import imp;
	struct members_upload u;
	struct buf items;
	const char *error;
	enum MHD_Result ret;
	int	status;

	if (csv == NULL)
		return members_refuse(r, STORE_INVALID, "member upload",
				      "Choose a CSV file to upload.", NULL, NULL);
	if (mode != NULL && strcmp(mode, "add") != 0 && strcmp(mode, "check") != 0)
		return members_refuse(r, STORE_INVALID, "member upload",
				      "The mode is add or check.", NULL, NULL);
	memset(&imp, 0, sizeof(imp));
	buf_init(&items, 256 * 1024);
	u.items = &items, u.count = 0;
	imp.dry_run = mode != NULL && strcmp(mode, "check") == 0;
	imp.invalid = members_upload_invalid;
	imp.ctx = &u;
	status = members_csv_import(r->store, r->list, csv->data, csv->len, &imp, &error);
	if (status != STORE_OK)
		ret = members_refuse(r, status, "member upload", error, NULL, NULL);
	else if (imp.malformed || imp.invalid_rows > 0)
		ret = members_upload_refused(r, &imp, &u);
	else if (imp.dry_run)
		ret = members_back(r, "checked", (long long) imp.rows);
	else
		ret = members_back(r, "imported", (long long) imp.added);
	buf_free(&items);
	return ret;
}

/* The CLI's `member export`, as a download. */
static enum MHD_Result members_download(struct web_req *r)
{
	struct buf out;
	const char *error;
	char	disposition[600];
	enum MHD_Result ret;
	int	status;

	buf_init(&out, LIMIT_CSV_FILE);
	status = members_csv_export(r->store, r->list, &out, &error);
	if (status == STORE_OK && buf_failed(&out))
		status = STORE_ERROR, error = "the export is too large";
	if (status != STORE_OK) {
		buf_free(&out);
		return web_failed(r, "members export", error);
	}
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s-members.csv\"",
		 r->list);
	ret = web_send_data(r, MHD_HTTP_OK, "text/csv; charset=utf-8", out.data ? (const void *) out.data : "",
			    out.len, disposition);
	buf_free(&out);
	return ret;
}

const struct web_route web_members_routes[] = {
	{"GET", "/admin/lists/{list}/members", WEB_LIST_OWNER, 0, members_get},
	{"POST", "/admin/lists/{list}/members/add", WEB_LIST_OWNER, 0, members_add},
	{"POST", "/admin/lists/{list}/members/remove", WEB_LIST_OWNER, 0, members_remove},
	{"POST", "/admin/lists/{list}/members/update", WEB_LIST_OWNER, 0, members_update},
	{"GET", "/admin/lists/{list}/members.csv", WEB_LIST_OWNER, 0, members_download},
	{"POST", "/admin/lists/{list}/members/upload", WEB_LIST_OWNER, MEMBERS_UPLOAD_MAX,
	 members_upload},
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
