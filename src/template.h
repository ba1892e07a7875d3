/*
 * NAME
 *	template 3h
 * SUMMARY
 *	notice templates: templates_dir/PURPOSE-ACTION.txt with {{variables}}
 * DESCRIPTION
 *	A template is a Subject line, an empty line and the body, in UTF-8,
 *	with {{name}} wherever a value goes.  Each notice sealist sends has
 *	a fixed set of variables (template_known); a template that uses any
 *	other name is refused when it is checked (template_check_all, at
 *	start-up and by --check-config), so a typo is found by the admin who
 *	made it, not by a subscriber who gets "Dear ,".  Values have control
 *	characters replaced by spaces, so a subject taken from a message can
 *	never add a header line.
 */
#ifndef SEALIST_TEMPLATE_H
#define SEALIST_TEMPLATE_H

#include "buf/buf.h"

/* NULL-terminated names a template may use, or NULL for an unknown template. */
extern const char *const *template_known(const char *name);

/*
 * Render dir/NAME.txt: vars is name, value, name, value, ..., NULL.
 * *subject_r (malloc'd) gets the Subject text, body the rest.  0, or -1
 * with *error_r (static or per-thread text): no file, no Subject line,
 * an unknown or unclosed {{...}}, a variable the caller did not give.
 */
extern int template_render(const char *dir, const char *name, const char *const *vars,
			   char **subject_r, struct buf *body, const char **error_r);

/*
 * The same for a notice of list ("dev@example.org"): an admin's copy in
 * dir/lists/LIST@DOMAIN/NAME.txt wins, then dir/domains/DOMAIN/NAME.txt,
 * then dir/NAME.txt (the one sealist ships).  list NULL: dir only.
 */
extern int template_render_for(const char *dir, const char *list, const char *name,
			       const char *const *vars, char **subject_r, struct buf *body,
			       const char **error_r);

/* Check every template sealist uses, and every override under dir/lists/
   and dir/domains/ (a file must be a notice sealist sends); 0, or -1 with
   the first problem. */
extern int template_check_all(const char *dir, const char **error_r);

/*
 * Web pages: dir/NAME.html (NAME one of template_html_known's pages)
 * with {{variables}} as above, into out.  Every value is HTML-escaped
 * (& < > " ' become entities; control characters other than newline
 * become spaces), so a list description or an address can never add
 * markup, with one exception: a variable whose name ends in "_html"
 * (e.g. {{content_html}}, {{rows_html}}) is inserted as it is.  Such a
 * value must be built by html_fmt/html_text (html.h), where the markup
 * is a literal in our code and every value in it is escaped; callers
 * never put text from a user or a message into one directly.  The
 * rest of the markup comes from the admin's file.  0, or -1 with
 * *error_r as template_render.
 */
extern int template_render_html(const char *dir, const char *name, const char *const *vars,
				struct buf *out, const char **error_r);

/* NULL-terminated names a page may use, or NULL for an unknown page. */
extern const char *const *template_html_known(const char *name);

/* Check every page template in dir; 0, or -1 with the first problem. */
extern int template_check_html(const char *dir, const char **error_r);

#endif
