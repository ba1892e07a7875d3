/*
 * NAME
 *	config_file 3
 * SUMMARY
 *	list settings as text files: export and import, Mailman 2.1 style
 * DESCRIPTION
 *	See config_file.h.  The layout follows Mailman 2.1's bin/config_list:
 *	"## Title" and the category's description as # lines, then for each
 *	setting its help wrapped at 70 columns, "# legal values are:" with
 *	'#    0 = "No"' lines for toggles and enumerations, and NAME = VALUE
 *	with the value as Mailman writes it (0/1, integers, repr() strings,
 *	triple-quoted multi-line text, lists of strings).  sealist adds a
 *	"# type: ...; default: ..." line, which Mailman's parser would ignore
 *	like any comment.
 */
#include <stdarg.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_file.h"
#include "pyconf/pyconf.h"

/* Mailman's Utils.wrap() column. */
#define CONFIG_WRAP	70

/* Mailman 2.1's list settings (config_list -o, 2.1.39) that sealist does not have. */
static const char *const config_mailman_names[] = {
	/* general */
	"owner", "moderator", "anonymous_list", "umbrella_list", "umbrella_member_suffix",
	"send_reminders", "welcome_msg", "goodbye_msg", "admin_notify_mchanges",
	"new_member_options", "administrivia", "admin_member_chunksize", "host_name",
	"include_list_post_header", "include_sender_header", "drop_cc",
	/* language */
	"preferred_language", "available_languages", "encode_ascii_prefixes",
	/* non-digest */
	"scrub_nondigest", "regular_exclude_lists", "regular_exclude_ignore",
	"regular_include_lists",
	/* digest */
	"digest_is_default", "mime_is_default_digest", "digest_size_threshhold",
	"digest_send_periodic", "digest_header", "digest_footer", "digest_volume_frequency",
	/* privacy */
	"advertised", "subscribe_auto_approval", "ban_list", "obscure_addresses",
	"member_verbosity_threshold", "member_verbosity_interval",
	"member_moderation_action", "member_moderation_notice", "dmarc_moderation_notice",
	"equivalent_domains", "forward_auto_discards", "nonmember_rejection_notice",
	"acceptable_aliases", "bounce_matching_headers", "header_filter_rules",
	/* bounces */
	"bounce_notify_owner_on_bounce_increment",
	/* archive */
	"archive_volume_frequency",
	/* gateway */
	"nntp_host", "linked_newsgroup", "gateway_to_news", "gateway_to_mail",
	"news_moderation", "news_prefix_subject_too",
	/* autoreply */
	"autorespond_postings", "autoresponse_postings_text", "autorespond_admin",
	"autoresponse_admin_text", "autorespond_requests", "autoresponse_request_text",
	"autoresponse_graceperiod",
	/* content filtering */
	"filter_content", "filter_mime_types", "pass_mime_types",
	"filter_filename_extensions", "pass_filename_extensions", "collapse_alternatives",
	"convert_html_to_plaintext", "filter_action",
	/* topics */
	"topics_enabled", "topics_bodylines_limit", "topics",
	NULL,
};

int config_mailman_only(const char *name)
{
	const char *const *p;

	for (p = config_mailman_names; *p != NULL; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

/* Export */

/* "# " lines of text wrapped at CONFIG_WRAP columns (words never split). */
static void config_comment(struct buf *out, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *line = p, *brk = NULL;
		size_t	n;

		for (n = 0; p[n] && p[n] != '\n' && (n < CONFIG_WRAP || brk == NULL); n++)
			if (p[n] == ' ')
				brk = p + n;
		if (p[n] == 0 || p[n] == '\n' || brk == NULL) {
			p += n;
		} else {
			n = (size_t) (brk - line);
			p = brk;
		}
		(void) buf_printf(out, "#%s%.*s\n", n ? " " : "", (int) n, line);
		while (*p == ' ')
			p++;
		if (*p == '\n')
			p++;
	}
}

/* Are an enum's stored values numbers (Mailman's radio buttons)? */
static int config_enum_numeric(const struct settings_row *row)
{
	return row->choices[0].value != NULL && row->choices[0].value[0] >= '0'
	    && row->choices[0].value[0] <= '9';
}

/* The lines of a patterns value: "" has none, "a\n" has "a" and "". */
static size_t config_split(const char *value, const char **items, size_t *lens, size_t max)
{
	const char *p = value;
	size_t	n = 0;

	if (*value == 0)
		return 0;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t	len = nl ? (size_t) (nl - p) : strlen(p);

		if (n < max) {
			items[n] = p;
			lens[n] = len;
		}
		n++;
		if (nl == NULL)
			return n;
		p = nl + 1;
	}
}

static size_t config_count_lines(const char *value)
{
	size_t	n = 1;

	if (*value == 0)
		return 0;
	for (; *value; value++)
		n += *value == '\n';
	return n;
}

/* A value as config_list writes it. */
static int config_write_value(const struct settings_row *row, const char *value,
			      struct buf *out)
{
	const char **items;
	size_t *lens;
	size_t	n;
	int	rc;

	switch (row->type) {
	case SETTINGS_T_BOOL:
	case SETTINGS_T_INT:
	case SETTINGS_T_FLOAT:
		return buf_append_str(out, value);
	case SETTINGS_T_ENUM:
		if (config_enum_numeric(row))
			return buf_append_str(out, value);
		return pyconf_write_str(value, strlen(value), out);
	case SETTINGS_T_STRING:
	case SETTINGS_T_TEXT:
	case SETTINGS_T_ADDRESS:
		return pyconf_write_str(value, strlen(value), out);
	case SETTINGS_T_PATTERNS:
		n = config_count_lines(value);
		items = calloc(n + 1, sizeof(*items));
		lens = calloc(n + 1, sizeof(*lens));
		if (items == NULL || lens == NULL) {
			free(items);
			free(lens);
			return -1;
		}
		(void) config_split(value, items, lens, n);
		rc = pyconf_write_list(items, lens, n, out);
		free(items);
		free(lens);
		return rc;
	}
	return -1;
}

/* One-line repr() of bytes: \\ \' \n \t \r and control bytes escaped. */
static void config_repr_line(const char *s, size_t len, struct buf *out)
{
	size_t	i;

	(void) buf_append_byte(out, '\'');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) s[i];

		if (c == '\\' || c == '\'')
			(void) buf_printf(out, "\\%c", c);
		else if (c == '\n')
			(void) buf_append_str(out, "\\n");
		else if (c == '\t')
			(void) buf_append_str(out, "\\t");
		else if (c == '\r')
			(void) buf_append_str(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			(void) buf_printf(out, "\\x%02x", c);
		else
			(void) buf_append_byte(out, c);
	}
	(void) buf_append_byte(out, '\'');
}

int config_literal_line(const struct settings_row *row, const char *value, struct buf *out)
{
	const char *p, *nl;

	switch (row->type) {
	case SETTINGS_T_BOOL:
	case SETTINGS_T_INT:
	case SETTINGS_T_FLOAT:
		return buf_append_str(out, value);
	case SETTINGS_T_ENUM:
		if (config_enum_numeric(row))
			return buf_append_str(out, value);
		break;
	case SETTINGS_T_PATTERNS:
		(void) buf_append_byte(out, '[');
		for (p = value; *value && p != NULL; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			if (p != value)
				(void) buf_append_str(out, ", ");
			config_repr_line(p, nl ? (size_t) (nl - p) : strlen(p), out);
		}
		(void) buf_append_byte(out, ']');
		return buf_failed(out) ? -1 : 0;
	case SETTINGS_T_STRING:
	case SETTINGS_T_TEXT:
	case SETTINGS_T_ADDRESS:
		break;
	}
	config_repr_line(value, strlen(value), out);
	return buf_failed(out) ? -1 : 0;
}

/* "# type: int (KB); default: 40", the default indented below when multi-line. */
static void config_write_type(const struct settings_row *row, struct buf *out)
{
	const char *def = row->default_value;

	(void) buf_printf(out, "# type: %s", settings_type_name(row->type));
	if (row->unit != NULL)
		(void) buf_printf(out, " (%s)", row->unit);
	if (def == NULL) {
		(void) buf_append_str(out, "; default: the list's local part\n");
	} else if (strchr(def, '\n') == NULL || row->type == SETTINGS_T_PATTERNS) {
		(void) buf_append_str(out, "; default: ");
		(void) config_literal_line(row, def, out);
		(void) buf_append_byte(out, '\n');
	} else {
		const char *p, *nl;

		(void) buf_append_str(out, "; default, line by line:\n");
		for (p = def; *p; p = nl ? nl + 1 : p + strlen(p)) {
			nl = strchr(p, '\n');
			(void) buf_printf(out, "#     %.*s\n",
					  (int) (nl ? (size_t) (nl - p) : strlen(p)), p);
		}
	}
}

static void config_write_setting(const struct settings_row *row, const char *value,
				 struct buf *out)
{
	const struct settings_choice *c;

	config_comment(out, row->help);
	if (row->inert)
		(void) buf_append_str(out, "# (Stored and exported; sealist does not act on it yet.)\n");
	(void) buf_append_str(out, "#\n");
	config_write_type(row, out);
	if (row->type == SETTINGS_T_BOOL) {
		(void) buf_append_str(out, "#\n# legal values are:\n#    0 = \"No\"\n#    1 = \"Yes\"\n");
	} else if (row->type == SETTINGS_T_ENUM) {
		(void) buf_append_str(out, "#\n# legal values are:\n");
		for (c = row->choices; c->value != NULL; c++) {
			if (config_enum_numeric(row))
				(void) buf_printf(out, "#    %s = \"%s\"\n", c->value, c->label);
			else
				(void) buf_printf(out, "#    '%s' = \"%s\"\n", c->value, c->label);
		}
	}
	(void) buf_printf(out, "%s = ", row->name);
	(void) config_write_value(row, value, out);
	(void) buf_append_str(out, "\n\n");
}

static void config_write_header(const char *address, long long now, struct buf *out)
{
	time_t	t = (time_t) now;
	struct tm tm;
	char	when[64];

	if (gmtime_r(&t, &tm) == NULL
	    || strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		(void) snprintf(when, sizeof(when), "%lld", now);
	(void) buf_printf(out,
		"# -*- python -*-\n"
		"# -*- coding: utf-8 -*-\n"
		"## \"%s\" mailing list configuration settings, captured on %s\n"
		"## Written by sealist config export in the format of Mailman 2.1's\n"
		"## config_list -o; sealist config import reads it back.\n"
		"## Secrets (the list's token key, passwords, private keys) and the\n"
		"## members are never exported.\n\n", address, when);
}

int config_export(struct store *s, const char *list, long long now, struct buf *out,
		  const char **error_r)
{
	char   *values[SETTINGS_COUNT];
	struct store_list info;
	const struct settings_row *row;
	char   *address;
	size_t	c, i;
	int	status;

	if ((status = store_list_get(s, list, &info, error_r)) != STORE_OK)
		return status;
	if ((address = strdup(info.address)) == NULL) {
		*error_r = "out of memory";
		return STORE_ERROR;
	}
	if ((status = store_settings_get_all(s, list, values, NULL, error_r)) != STORE_OK) {
		free(address);
		return status;
	}
	config_write_header(address, now, out);
	for (c = SETTINGS_C_NONE + 1; c < SETTINGS_CATEGORY_COUNT; c++) {
		(void) buf_printf(out, "## %s\n#\n", settings_categories[c].title);
		config_comment(out, settings_categories[c].description);
		(void) buf_append_byte(out, '\n');
		for (i = 0; (row = settings_at(i)) != NULL; i++)
			if (settings_category_of(row) == c)
				config_write_setting(row, values[i], out);
	}
	/* A row without a category would be lost: write it anyway (a bug). */
	for (i = 0; (row = settings_at(i)) != NULL; i++)
		if (settings_category_of(row) == SETTINGS_C_NONE)
			config_write_setting(row, values[i], out);
	store_settings_free(values);
	free(address);
	if (buf_failed(out)) {
		*error_r = buf_strerror(out);
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* Import */

static int config_note(struct config_plan *plan, enum config_note_kind kind, int line,
		       int column, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Add a note; -1 when memory runs out. */
static int config_note(struct config_plan *plan, enum config_note_kind kind, int line,
		       int column, const char *fmt, ...)
{
	struct config_note *notes;
	struct buf text;
	va_list	ap;

	if ((plan->n_notes & (plan->n_notes - 1)) == 0) {	/* 0, 1, 2, 4, ...: double */
		notes = realloc(plan->notes, (plan->n_notes ? 2 * plan->n_notes : 1) * sizeof(*notes));
		if (notes == NULL)
			return -1;
		plan->notes = notes;
	}
	notes = plan->notes;
	buf_init(&text, 4096);
	va_start(ap, fmt);
	(void) buf_vprintf(&text, fmt, ap);
	va_end(ap);
	notes[plan->n_notes].kind = kind;
	notes[plan->n_notes].line = line;
	notes[plan->n_notes].column = column;
	if ((notes[plan->n_notes].text = buf_detach(&text, NULL)) == NULL)
		return -1;
	plan->n_notes++;
	if (kind == CONFIG_NOTE_ERROR)
		plan->errors++;
	return 0;
}

/* Bytes of a Python 2 byte string read as ISO-8859-1, appended as UTF-8. */
static int config_latin1(const char *s, size_t len, struct buf *out)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) s[i];

		if (c < 0x80)
			(void) buf_append_byte(out, c);
		else {
			(void) buf_append_byte(out, (unsigned char) (0xc0 | (c >> 6)));
			(void) buf_append_byte(out, (unsigned char) (0x80 | (c & 0x3f)));
		}
	}
	return buf_failed(out) ? -1 : 0;
}

/* A string value's bytes, converted per the charset; NULL and *why_r when refused. */
static const char *config_str(const struct pyconf_value *v, const struct config_options *opt,
			      struct buf *out, const char **why_r)
{
	if (memchr(v->text, 0, v->len) != NULL) {
		*why_r = "a string may not contain a NUL byte";
		return NULL;
	}
	if (!v->is_unicode && opt->charset == CONFIG_CHARSET_LATIN1)
		(void) config_latin1(v->text, v->len, out);
	else
		(void) buf_append(out, v->text, v->len);
	if (buf_failed(out)) {
		*why_r = "the value is too long";
		return NULL;
	}
	return buf_str(out);
}

/* TEXT from a web form may carry CR LF line ends (Mailman keeps them): LF. */
static void config_drop_cr(struct buf *b)
{
	size_t	i, j;

	for (i = j = 0; i < b->len; i++)
		if (!(b->data[i] == '\r' && i + 1 < b->len && b->data[i + 1] == '\n'))
			b->data[j++] = b->data[i];
	buf_truncate(b, j);
}

/*
 * A literal in the row's encoding into out ("" and 0), or -1 with a
 * reason (static text) in *why_r.
 */
static int config_convert(const struct settings_row *row, const struct pyconf_value *v,
			  const struct config_options *opt, struct buf *out, const char **why_r)
{
	size_t	i;

	switch (row->type) {
	case SETTINGS_T_BOOL:
		if ((v->type == PYCONF_BOOL || v->type == PYCONF_INT) && (v->i == 0 || v->i == 1))
			return buf_printf(out, "%lld", v->i);
		*why_r = "expected 0 or 1 (or False or True)";
		return -1;
	case SETTINGS_T_INT:
		if (v->type == PYCONF_INT || v->type == PYCONF_BOOL)
			return buf_printf(out, "%lld", v->i);
		*why_r = "expected a whole number";
		return -1;
	case SETTINGS_T_FLOAT:
		if (v->type == PYCONF_INT)
			return buf_printf(out, "%lld", v->i);
		if (v->type == PYCONF_FLOAT)
			return buf_append_str(out, v->text);
		*why_r = "expected a number like 5.0";
		return -1;
	case SETTINGS_T_ENUM:
		if (config_enum_numeric(row)) {
			if (v->type == PYCONF_INT || v->type == PYCONF_BOOL)
				return buf_printf(out, "%lld", v->i);
			*why_r = "expected a whole number (one of the legal values)";
			return -1;
		}
		if (v->type != PYCONF_STR) {
			*why_r = "expected a string (one of the legal values)";
			return -1;
		}
		return config_str(v, opt, out, why_r) != NULL ? 0 : -1;
	case SETTINGS_T_STRING:
	case SETTINGS_T_TEXT:
	case SETTINGS_T_ADDRESS:
		if (v->type != PYCONF_STR) {
			*why_r = "expected a string";
			return -1;
		}
		if (config_str(v, opt, out, why_r) == NULL)
			return -1;
		if (row->type == SETTINGS_T_TEXT)
			config_drop_cr(out);
		return 0;
	case SETTINGS_T_PATTERNS:
		if (v->type != PYCONF_LIST && v->type != PYCONF_TUPLE) {
			*why_r = "expected a list of strings, one address or ^regex each";
			return -1;
		}
		for (i = 0; i < v->n; i++) {
			if (v->items[i].type != PYCONF_STR) {
				*why_r = "expected a list of strings, one address or ^regex each";
				return -1;
			}
			if (i > 0)
				(void) buf_append_byte(out, '\n');
			if (config_str(&v->items[i], opt, out, why_r) == NULL)
				return -1;
			if (memchr(v->items[i].text, '\n', v->items[i].len) != NULL) {
				*why_r = "a list item may not contain a newline";
				return -1;
			}
		}
		return buf_failed(out) ? (*why_r = "the value is too long", -1) : 0;
	}
	*why_r = "unknown setting type";
	return -1;
}

/* Line of the byte at offset len, for a file cut at the size limit. */
static int config_line_at(const unsigned char *data, size_t len)
{
	size_t	i;
	int	line = 1;

	for (i = 0; i < len; i++)
		line += data[i] == '\n';
	return line;
}

/* Check one assignment and add its change; -1 only when memory runs out. */
static int config_plan_item(struct config_plan *plan, const struct pyconf_assign *a,
			    char **current, const struct config_options *opt)
{
	const struct settings_row *row = settings_lookup(a->name);
	struct config_change *ch;
	struct buf value;
	const char *why = NULL;
	size_t	i;
	int	rc = 0;

	if (row == NULL) {
		int	mm = config_mailman_only(a->name);

		if (opt->ignore_unknown && mm)
			return config_note(plan, CONFIG_NOTE_SKIPPED, a->line, 0,
					   "skipped: %s (Mailman only)", a->name);
		if (opt->ignore_unknown)
			return config_note(plan, CONFIG_NOTE_WARNING, a->line, 0,
					   "unknown setting %s, ignored", a->name);
		return config_note(plan, CONFIG_NOTE_ERROR, a->line, 0, "unknown setting %s%s",
				   a->name, mm ? " (a Mailman 2.1 setting sealist does not have;"
				   " --ignore-unknown skips it)" : "");
	}
	plan->n_settings++;
	i = (size_t) (row - settings_rows);
	/* A value may be 64 KiB of text, its Latin-1 conversion twice that. */
	buf_init(&value, 4 * (size_t) row->max + 64);
	if (config_convert(row, &a->value, opt, &value, &why) < 0 || buf_failed(&value)) {
		rc = config_note(plan, CONFIG_NOTE_ERROR, a->value.line, 0, "%s: %s", a->name,
				 why ? why : "the value is too long");
	} else if ((why = settings_validate(row, buf_str(&value))) != NULL) {
		rc = config_note(plan, CONFIG_NOTE_ERROR, a->value.line, 0, "%s: %s%s", a->name,
				 why, strcmp(why, "not valid UTF-8") == 0 && !a->value.is_unicode
				 && opt->charset == CONFIG_CHARSET_UTF8
				 ? " (a Mailman list in another charset? try --charset latin-1)" : "");
	} else if (strcmp(buf_str(&value), current[i]) != 0) {
		ch = realloc(plan->changes, (plan->n_changes + 1) * sizeof(*ch));
		if (ch == NULL) {
			buf_free(&value);
			return -1;
		}
		plan->changes = ch;
		ch += plan->n_changes;
		ch->row = row;
		ch->line = a->line;
		ch->old_value = strdup(current[i]);
		ch->new_value = buf_detach(&value, NULL);
		plan->n_changes++;
		if (ch->old_value == NULL || ch->new_value == NULL)
			rc = -1;
	}
	buf_free(&value);
	return rc;
}

/* qsort() takes no context: the file being sorted, per thread. */
static _Thread_local const struct pyconf_assign *config_sort_items;

/* By name, then by position: the first of equal names comes first. */
static int config_by_name(const void *a, const void *b)
{
	size_t	i = *(const size_t *) a, j = *(const size_t *) b;
	int	c = strcmp(config_sort_items[i].name, config_sort_items[j].name);

	return c != 0 ? c : (i > j) - (i < j);
}

/*
 * first[i]: the index of the first assignment with item i's name (i
 * itself when it is the first), found by sorting rather than comparing
 * every pair, so that 100,000 names take no time.
 */
static int config_first_names(const struct pyconf_file *file, size_t *first)
{
	size_t *order = calloc(file->n + 1, sizeof(*order));
	size_t	i, head = 0;

	if (order == NULL)
		return -1;
	for (i = 0; i < file->n; i++)
		order[i] = i;
	config_sort_items = file->items;
	qsort(order, file->n, sizeof(*order), config_by_name);
	for (i = 0; i < file->n; i++) {
		if (i == 0 || strcmp(file->items[order[i]].name, file->items[order[head]].name) != 0)
			head = i;
		first[order[i]] = order[head];
	}
	free(order);
	return 0;
}

static int config_plan_file(struct config_plan *plan, const struct pyconf_file *file,
			    char **current, const struct config_options *opt)
{
	size_t *first = calloc(file->n + 1, sizeof(*first));
	size_t	i;
	int	rc = 0;

	if (first == NULL || config_first_names(file, first) < 0) {
		free(first);
		return -1;
	}
	for (i = 0; rc == 0 && i < file->n; i++) {
		const struct pyconf_assign *a = &file->items[i];

		if (first[i] != i)
			rc = config_note(plan, CONFIG_NOTE_ERROR, a->line, 0,
					 "%s is set twice (first on line %d)", a->name,
					 file->items[first[i]].line);
		else
			rc = config_plan_item(plan, a, current, opt);
	}
	free(first);
	return rc;
}

/*
 * The charset a PEP 263 declaration in the first two lines names
 * ("# -*- coding: iso-8859-1 -*-"), into name[size]; 1 found, 0 none.
 */
static int config_declared(const char *data, size_t len, char *name, size_t size)
{
	const char *line = data, *end = data + len;
	int	n;

	for (n = 0; n < 2 && line < end; n++) {
		const char *eol = memchr(line, '\n', (size_t) (end - line));
		const char *p;

		if (eol == NULL)
			eol = end;
		for (p = line; p + 7 < eol; p++)
			if (memcmp(p, "coding", 6) == 0 && (p[6] == ':' || p[6] == '=')
			    && memchr(line, '#', (size_t) (p - line)) != NULL) {
				size_t	k = 0;

				for (p += 7; p < eol && (*p == ' ' || *p == '\t'); p++)
					;
				while (p < eol && k + 1 < size && (isalnum((unsigned char) *p)
								  || *p == '-' || *p == '_' || *p == '.'))
					name[k++] = (char) tolower((unsigned char) *p++);
				name[k] = 0;
				return k > 0;
			}
		line = eol + 1;
	}
	return 0;
}

/* The declared charset applies unless --charset was given; 0, or -1 (refused, noted). */
static int config_charset_of_file(struct config_plan *plan, const void *data, size_t len,
				  struct config_options *opt)
{
	static const char *const latin1[] = { "iso-8859-1", "iso8859-1", "latin-1", "latin1",
					      "l1", "iso-latin-1" };
	static const char *const utf8[] = { "utf-8", "utf8", "us-ascii", "ascii" };
	char	name[64];
	size_t	i;

	if (!opt->charset_from_file || !config_declared(data, len, name, sizeof(name)))
		return 0;
	for (i = 0; i < sizeof(latin1) / sizeof(latin1[0]); i++)
		if (strcmp(name, latin1[i]) == 0) {
			opt->charset = CONFIG_CHARSET_LATIN1;
			return 0;
		}
	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++)
		if (strcmp(name, utf8[i]) == 0) {
			opt->charset = CONFIG_CHARSET_UTF8;
			return 0;
		}
	config_note(plan, CONFIG_NOTE_ERROR, 1, 0, "the file declares coding %s; sealist reads "
		    "utf-8 and latin-1: convert it, or give --charset", name);
	return -1;
}

int config_plan(struct store *s, const char *list, const void *data, size_t len,
		const struct config_options *opt, struct config_plan **plan_r,
		const char **error_r)
{
	char   *current[SETTINGS_COUNT];
	struct config_plan *plan;
	struct pyconf_file *file = NULL;
	struct pyconf_error perr;
	struct config_options file_opt = *opt;
	int	status;
	int	rc = 0;

	*plan_r = NULL;
	if ((status = store_settings_get_all(s, list, current, NULL, error_r)) != STORE_OK)
		return status;
	if ((plan = calloc(1, sizeof(*plan))) == NULL) {
		store_settings_free(current);
		*error_r = "out of memory";
		return STORE_ERROR;
	}
	if (len > PYCONF_MAX_FILE)
		rc = config_note(plan, CONFIG_NOTE_ERROR, config_line_at(data, PYCONF_MAX_FILE), 0,
				 "the file is larger than %d MiB", PYCONF_MAX_FILE / (1024 * 1024));
	else if (config_charset_of_file(plan, data, len, &file_opt) < 0)
		;	/* noted */
	else if (pyconf_parse(data, len, &file, &perr) < 0)
		rc = config_note(plan, CONFIG_NOTE_ERROR, perr.line, perr.column, "%s",
				 perr.message);
	else
		rc = config_plan_file(plan, file, current, &file_opt);
	pyconf_free(file);
	store_settings_free(current);
	if (rc < 0) {
		config_plan_free(plan);
		*error_r = "out of memory";
		return STORE_ERROR;
	}
	*plan_r = plan;
	return STORE_OK;
}

void config_plan_free(struct config_plan *plan)
{
	size_t	i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->n_notes; i++)
		free(plan->notes[i].text);
	for (i = 0; i < plan->n_changes; i++) {
		free(plan->changes[i].old_value);
		free(plan->changes[i].new_value);
	}
	free(plan->notes);
	free(plan->changes);
	free(plan);
}

int config_apply(struct store *s, const char *list, const struct config_plan *plan,
		 const char **error_r)
{
	const char **names, **values;
	size_t	i;
	int	status;

	if (plan->errors > 0) {
		*error_r = "the file has errors: nothing applied";
		return STORE_INVALID;
	}
	names = calloc(plan->n_changes + 1, sizeof(*names));
	values = calloc(plan->n_changes + 1, sizeof(*values));
	if (names == NULL || values == NULL) {
		free(names);
		free(values);
		*error_r = "out of memory";
		return STORE_ERROR;
	}
	for (i = 0; i < plan->n_changes; i++) {
		names[i] = plan->changes[i].row->name;
		values[i] = plan->changes[i].new_value;
	}
	status = store_settings_apply(s, list, names, values, plan->n_changes, error_r);
	free(names);
	free(values);
	return status;
}
