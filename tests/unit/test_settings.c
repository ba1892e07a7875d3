/*
 * NAME
 *	test_settings 1
 * SUMMARY
 *	unit tests for src/settings: the table's consistency and validation
 */
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "tap.h"

/* Every row must be well-formed: later the web form and docs trust it. */
static void test_table(void)
{
	const struct settings_row *row;
	const struct settings_choice *c;
	size_t	i;
	size_t	j;
	int	bad = 0;

	for (i = 0; (row = settings_at(i)) != NULL; i++) {
		const char *def;

		if (row->name == NULL) {	/* an enum id without its row */
			bad++, tap_diag("row %zu has no name: missing from settings_rows[]", i);
			continue;
		}
		def = settings_default(row, "dev");

		if (strspn(row->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(row->name))
			bad++, tap_diag("%s: name is not lowercase [a-z0-9_]", row->name);
		if (settings_lookup(row->name) != row)
			bad++, tap_diag("%s: lookup finds another row (duplicate name?)", row->name);
		if (row->help == NULL || strlen(row->help) < 10)
			bad++, tap_diag("%s: no help text", row->name);
		if (settings_validate(row, def) != NULL)
			bad++, tap_diag("%s: default \"%s\" fails: %s", row->name, def,
					settings_validate(row, def));
		if (row->type == SETTINGS_T_ENUM && row->choices[0].value == NULL)
			bad++, tap_diag("%s: enum without choices", row->name);
		for (c = row->choices; c->value != NULL; c++)
			for (j = 0; row->choices + j < c; j++)
				if (strcmp(row->choices[j].value, c->value) == 0)
					bad++, tap_diag("%s: choice %s twice", row->name, c->value);
		if (&settings_rows[i] != row)
			bad++, tap_diag("%s: settings_at(%zu) is not row %zu", row->name, i, i);
	}
	tap_int((long long) i, SETTINGS_COUNT, "settings_at iterates over every row");
	tap_ok(bad == 0, "every row has a good name, help text, valid default and choices");
	tap_ok(settings_lookup("no_such_setting") == NULL, "unknown names are not found");
	tap_ok(settings_lookup("Real_Name") == NULL, "lookup is case-sensitive");
}

/* The settings this issue needs, with SETTINGS.md's types and defaults. */
struct row_case {
	const char *name;
	enum settings_type type;
	const char *want_default;	/* for a list named "dev" */
};

static const struct row_case row_cases[] = {
	{"real_name", SETTINGS_T_STRING, "dev"},
	{"description", SETTINGS_T_STRING, ""},
	{"info", SETTINGS_T_TEXT, ""},
	{"subject_prefix", SETTINGS_T_STRING, "[%(real_name)s] "},
	{"max_message_size", SETTINGS_T_INT, "40"},
	{"max_num_recipients", SETTINGS_T_INT, "10"},
	{"emergency", SETTINGS_T_BOOL, "0"},
	{"reply_to_address", SETTINGS_T_ADDRESS, ""},
	{"accept_these_nonmembers", SETTINGS_T_PATTERNS, ""},
	{"dmarc_moderation_addresses", SETTINGS_T_PATTERNS, ""},
	{"bounce_score_threshold", SETTINGS_T_FLOAT, "5.0"},
	{"default_member_moderation", SETTINGS_T_BOOL, "0"},
	{"require_explicit_destination", SETTINGS_T_BOOL, "1"},
	{"generic_nonmember_action", SETTINGS_T_ENUM, "1"},
	{"dmarc_moderation_action", SETTINGS_T_ENUM, "1"},
	{"remove_dkim_headers", SETTINGS_T_ENUM, "2"},
	{"dmarc_fail_action", SETTINGS_T_ENUM, "hold"},
};

static void test_rows(void)
{
	size_t	i;

	for (i = 0; i < sizeof(row_cases) / sizeof(row_cases[0]); i++) {
		const struct row_case *c = &row_cases[i];
		const struct settings_row *row = settings_lookup(c->name);

		if (!tap_ok(row != NULL, "%s exists", c->name))
			continue;
		tap_str(settings_type_name(row->type), settings_type_name(c->type),
			c->name);
		tap_str(settings_default(row, "dev"), c->want_default, c->name);
	}
	tap_str(settings_default(settings_lookup("real_name"), "other-list"), "other-list",
		"real_name's default follows the list's local part");
}

struct validate_case {
	const char *what;
	const char *name;
	const char *value;
	const char *want;	/* NULL: valid; else a part of the reason */
};

static const struct validate_case validate_cases[] = {
	{"bool 0", "emergency", "0", NULL},
	{"bool 1", "emergency", "1", NULL},
	{"bool refuses yes", "emergency", "yes", "expected 0 (no) or 1 (yes)"},
	{"bool refuses 2", "emergency", "2", "expected 0"},
	{"bool refuses empty", "emergency", "", "expected 0"},
	{"int in bounds", "max_message_size", "100", NULL},
	{"int zero means no limit", "max_message_size", "0", NULL},
	{"int upper bound", "max_message_size", "65536", NULL},
	{"int above bound", "max_message_size", "65537", "between 0 and 65536"},
	{"int negative", "max_message_size", "-1", "between 0 and 65536"},
	{"int with blanks", "max_message_size", " 40", "whole number"},
	{"int with trailing text", "max_message_size", "40KB", "whole number"},
	{"int with plus sign", "max_message_size", "+40", "whole number"},
	{"int with leading zero", "max_message_size", "040", "whole number"},
	{"int empty", "max_message_size", "", "whole number"},
	{"int overflow", "max_num_recipients", "99999999999999999999999", "whole number"},
	{"int hex", "max_num_recipients", "0x10", "whole number"},
	{"string one line", "description", "The dev list", NULL},
	{"string UTF-8", "real_name", "D\xc3\xa9veloppeurs", NULL},
	{"string empty", "description", "", NULL},
	{"string refuses newline", "description", "a\nb", "single line"},
	{"string refuses CR", "description", "a\rb", "control character"},
	{"string refuses bad UTF-8", "description", "caf\xe9", "UTF-8"},
	{"string refuses overlong UTF-8", "description", "\xc0\xaf", "UTF-8"},
	{"string refuses surrogates", "description", "\xed\xa0\x80", "UTF-8"},
	{"string keeps a trailing blank", "subject_prefix", "[dev] ", NULL},
	{"text allows newlines and tabs", "info", "line 1\n\tline 2\n", NULL},
	{"text refuses ESC", "info", "a\x1b[31m", "control character"},
	{"enum value", "generic_nonmember_action", "3", NULL},
	{"enum refuses label", "generic_nonmember_action", "hold",
	 "expected one of 0 (accept), 1 (hold), 2 (reject), 3 (discard)"},
	{"enum refuses out of range", "generic_nonmember_action", "4", "expected one of"},
	{"word enum", "dmarc_fail_action", "reject", NULL},
	{"word enum refuses number", "dmarc_fail_action", "2", "expected one of accept"},
	{"address", "reply_to_address", "talk@example.org", NULL},
	{"address empty", "reply_to_address", "", NULL},
	{"address refuses a name", "reply_to_address", "Talk <talk@example.org>", "invalid address"},
	{"patterns of addresses and regexes", "accept_these_nonmembers",
	 "a@example.org\n^.*@partner\\.example$\n", NULL},
	{"patterns empty", "hold_these_nonmembers", "", NULL},
	{"float", "bounce_score_threshold", "2.5", NULL},
	{"float without a point", "bounce_score_threshold", "3", NULL},
	{"float refuses two points", "bounce_score_threshold", "1.2.3", "expected a number"},
	{"float refuses a sign", "bounce_score_threshold", "-1", "expected a number"},
	{"float refuses words", "bounce_score_threshold", "five", "expected a number"},
	{"float above the bound", "bounce_score_threshold", "1000.5", "between 0 and 1000"},
	{"patterns blank lines skipped", "hold_these_nonmembers", "a@example.org\n\nb@example.org", NULL},
	{"patterns refuse junk", "reject_these_nonmembers", "a@example.org\nnot an address",
	 "neither an address"},
	{"patterns refuse a bad regex", "discard_these_nonmembers", "^(a@b", "not a valid regular expression"},
};

struct match_case {
	const char *patterns, *address;
	int	want;
};

static const struct match_case match_cases[] = {
	{"a@example.org", "a@example.org", 1},
	{"a@example.org", "A@Example.ORG", 1},
	{"a@example.org", "a@example.org.evil", 0},
	{"a@example.org", "xa@example.org", 0},
	{"x@y.example\n^.*@partner\\.example$", "bob@partner.example", 1},
	{"^.*@partner\\.example$", "bob@partner.example.evil", 0},
	{"^.*@PARTNER\\.example$", "bob@partner.example", 1},
	{"", "a@example.org", 0},
};

static void test_patterns_match(void)
{
	size_t	i;

	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++)
		tap_int(settings_patterns_match(match_cases[i].patterns, match_cases[i].address),
			match_cases[i].want, match_cases[i].address);
}

static void test_validate(void)
{
	size_t	i;

	for (i = 0; i < sizeof(validate_cases) / sizeof(validate_cases[0]); i++) {
		const struct validate_case *c = &validate_cases[i];
		const struct settings_row *row = settings_lookup(c->name);
		const char *why = row ? settings_validate(row, c->value) : "no such row";

		if (c->want == NULL)
			tap_str(why, NULL, c->what);
		else if (!tap_ok(why != NULL && strstr(why, c->want) != NULL, "%s", c->what))
			tap_diag("reason: %s; want it to contain: %s", why ? why : "(none)", c->want);
	}
}

static void test_long_values(void)
{
	const struct settings_row *desc = settings_lookup("description");
	const struct settings_row *info = settings_lookup("info");
	char   *big = malloc(70000);

	if (!tap_ok(big != NULL, "memory for long values"))
		return;
	memset(big, 'x', 1000);
	big[1000] = 0;
	tap_str(settings_validate(desc, big), NULL, "a string of 1000 bytes is fine");
	big[1000] = 'x';
	big[1001] = 0;
	tap_ok(settings_validate(desc, big) != NULL, "a string of 1001 bytes is too long");
	memset(big, 'x', 65537);
	big[65537] = 0;
	tap_ok(settings_validate(info, big) != NULL, "a text of 65537 bytes is too long");
	big[65536] = 0;
	tap_str(settings_validate(info, big), NULL, "a text of 65536 bytes is fine");
	free(big);
}

/* Every row is filed in a category, and every category is described and used. */
static void test_categories(void)
{
	const struct settings_row *row;
	size_t	used[SETTINGS_CATEGORY_COUNT] = {0};
	size_t	i;
	int	bad = 0;

	for (i = 0; (row = settings_at(i)) != NULL; i++) {
		enum settings_category c = settings_category_of(row);

		if (c <= SETTINGS_C_NONE || c >= SETTINGS_CATEGORY_COUNT)
			bad++, tap_diag("%s: no category (settings_row_category[] in settings.c)",
					row->name ? row->name : "(unnamed row)");
		else
			used[c]++;
	}
	tap_ok(bad == 0, "every setting has a category");
	bad = 0;
	for (i = SETTINGS_C_NONE + 1; i < SETTINGS_CATEGORY_COUNT; i++) {
		const struct settings_category_info *ci = &settings_categories[i];

		if (ci->name == NULL || ci->title == NULL || ci->description == NULL
		    || strlen(ci->description) < 20)
			bad++, tap_diag("category %zu: no name, title or description", i);
		else if (used[i] == 0)
			bad++, tap_diag("category %s holds no setting", ci->name);
	}
	tap_ok(bad == 0, "every category has a name, title and description, and a setting");
	tap_int(settings_category_of(settings_lookup("dmarc_moderation_action")), SETTINGS_C_DMARC,
		"dmarc_moderation_action is filed under DMARC");
	tap_int(settings_category_of(settings_lookup("bounce_score_threshold")), SETTINGS_C_BOUNCES,
		"bounce_score_threshold is filed under bounces");
}

int main(void)
{
	test_table();
	test_categories();
	test_rows();
	test_validate();
	test_long_values();
	test_patterns_match();
	tap_str(settings_choice_label(settings_lookup("from_is_list"), "2"), "wrap message",
		"enum labels are found by value");
	return tap_done();
}
