/*
 * NAME
 *	test_template 1
 * SUMMARY
 *	every notice template checks, and the request ones fill
 * DESCRIPTION
 *	template_check_all over templates/, then each mail-command template
 *	rendered with its full variable set (no {{ left, Subject as expected),
 *	and the refusals: an unknown notice, a missing value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "template.h"

static const struct {
	const char *name;
	const char *subject;		/* expected, filled */
} rows[] = {
	{"command-results", "The results of your mail commands to L@x.example"},
	{"confirm-subscribe", "confirm V-token"},
	{"confirm-unsubscribe", "confirm V-token"},
	{"welcome", "Welcome to L@x.example"},
	{"goodbye", "You have left L@x.example"},
	{"help", "Help for L@x.example"},
	{"info", "About L@x.example"},
	{"subscribe-approval", "L@x.example: a V-kind request needs your approval"},
};

int main(void)
{
	const char *dir = tap_srcpath("templates"), *error = NULL;
	size_t	i, k;

	tap_ok(template_check_all(dir, &error) == 0, "template_check_all: %s",
	       error ? error : "all good");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *const *known = template_known(rows[i].name);
		const char *vars[64];
		char	values[32][40];
		char   *subject = NULL;
		struct buf body;
		size_t	n = 0;

		if (!tap_ok(known != NULL, "%s has a variable set", rows[i].name))
			continue;
		for (k = 0; known[k] != NULL && k < 32; k++) {
			vars[n++] = known[k];
			if (strcmp(known[k], "list") == 0)
				snprintf(values[k], sizeof(values[k]), "L@x.example");
			else
				snprintf(values[k], sizeof(values[k]), "V-%s", known[k]);
			vars[n++] = values[k];
		}
		vars[n] = NULL;
		buf_init(&body, 1 << 20);
		error = NULL;
		tap_ok(template_render(dir, rows[i].name, vars, &subject, &body, &error) == 0,
		       "%s renders: %s", rows[i].name, error ? error : "");
		tap_str(subject, rows[i].subject, rows[i].name);
		tap_ok(strstr(buf_str(&body), "{{") == NULL, "%s: every {{name}} filled",
		       rows[i].name);
		free(subject);
		subject = NULL;
		/* one value missing */
		vars[n - 2] = NULL;
		error = NULL;
		tap_ok(template_render(dir, rows[i].name, vars, &subject, &body, &error) < 0
		       && error != NULL, "%s: a missing value is refused", rows[i].name);
		free(subject);
		buf_free(&body);
	}
	{
		char   *subject = NULL;
		struct buf body;

		buf_init(&body, 4096);
		tap_ok(template_render(dir, "no-such", NULL, &subject, &body, &error) < 0,
		       "an unknown notice is refused");
		buf_free(&body);
	}
	{
		/* a page: "_html" variables raw, every other one escaped */
		const char *vars[] = { "title", "<b>T</b>", "site", "S&co", "css", "/c.css",
			"base", "", "user", "\"><img src=x onerror=alert(1)>", "csrf", "'x'",
			"nav_html", "<ul><li>nav</li></ul>", "content_html", "<p class=\"c\">body</p>",
			NULL };
		struct buf out;
		const char *page;

		buf_init(&out, 1 << 20);
		error = NULL;
		tap_ok(template_check_html(dir, &error) == 0, "template_check_html: %s",
		       error ? error : "all good");
		tap_ok(template_render_html(dir, "web-admin", vars, &out, &error) == 0,
		       "web-admin renders: %s", error ? error : "");
		page = buf_str(&out);
		tap_ok(strstr(page, "<p class=\"c\">body</p>") != NULL, "content_html is inserted raw");
		tap_ok(strstr(page, "<ul><li>nav</li></ul>") != NULL, "nav_html is inserted raw");
		tap_ok(strstr(page, "&lt;b&gt;T&lt;/b&gt;") != NULL && strstr(page, "<b>T") == NULL,
		       "title (not _html) is escaped");
		tap_ok(strstr(page, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") != NULL
		       && strstr(page, "<img") == NULL, "user (not _html) is escaped");
		tap_ok(strstr(page, "value=\"&#39;x&#39;\"") != NULL, "csrf is escaped");
		tap_ok(strstr(page, "S&amp;co") != NULL, "site is escaped");
		buf_free(&out);
	}
	return tap_done();
}
