/*
 * NAME
 *	settings 3h
 * SUMMARY
 *	the list settings: one declarative table, validation, defaults
 * DESCRIPTION
 *	Every per-list setting is one row of settings_rows[] in settings.c:
 *	name, type, default, bounds or choices, help text.  The names, value
 *	encodings and defaults are those of SETTINGS.md (Mailman 2.1's where
 *	Mailman has the setting).  Validation, `sealist list show`, and later
 *	the web form, config export/import and the docs all read this table,
 *	so they cannot drift apart.
 *
 *	A value is always text in the row's encoding: "0"/"1" for a bool,
 *	decimal for an int or a numeric enum, the text itself for a string.
 *	The store keeps only values that were set; everything else is the
 *	default from here.
 */
#ifndef SEALIST_SETTINGS_H
#define SEALIST_SETTINGS_H

#include <stddef.h>

/* One id per row, in the table's order. */
enum settings_id {
	SETTING_REAL_NAME,
	SETTING_DESCRIPTION,
	SETTING_INFO,
	SETTING_SUBJECT_PREFIX,
	SETTING_MAX_MESSAGE_SIZE,
	SETTING_MAX_NUM_RECIPIENTS,
	SETTING_REQUIRE_EXPLICIT_DESTINATION,
	SETTING_EMERGENCY,
	SETTING_DEFAULT_MEMBER_MODERATION,
	SETTING_GENERIC_NONMEMBER_ACTION,
	SETTING_FROM_IS_LIST,
	SETTING_DMARC_MODERATION_ACTION,
	SETTING_DMARC_QUARANTINE_MODERATION_ACTION,
	SETTING_DMARC_NONE_MODERATION_ACTION,
	SETTING_DMARC_WRAPPED_MESSAGE_TEXT,
	SETTING_DMARC_FAIL_ACTION,
	SETTING_DMARC_KEEP_UNMODIFIED,
	SETTING_REMOVE_DKIM_HEADERS,
	SETTING_REPLY_GOES_TO_LIST,
	SETTING_FIRST_STRIP_REPLY_TO,
	SETTING_INCLUDE_RFC2369_HEADERS,
	SETTING_ONE_CLICK_UNSUBSCRIBE,
	SETTING_SUBSCRIBE_POLICY,
	SETTING_UNSUBSCRIBE_POLICY,
	SETTING_PRIVATE_ROSTER,
	SETTING_SEND_WELCOME_MSG,
	SETTING_SEND_GOODBYE_MSG,
	SETTING_ADMIN_IMMED_NOTIFY,
	SETTING_MAX_DAYS_TO_HOLD,
	SETTING_RESPOND_TO_POST_REQUESTS,
	SETTING_BOUNCE_PROCESSING,
	SETTING_BOUNCE_INFO_STALE_AFTER,
	SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS,
	SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS_INTERVAL,
	SETTING_BOUNCE_NOTIFY_OWNER_ON_DISABLE,
	SETTING_BOUNCE_NOTIFY_OWNER_ON_REMOVAL,
	SETTING_BOUNCE_UNRECOGNIZED_GOES_TO_LIST_OWNER,
	SETTING_DIGESTABLE,
	SETTING_NONDIGESTABLE,
	SETTING_ARCHIVE,
	SETTING_ARCHIVE_PRIVATE,
	SETTING_ARC_SEAL,
	SETTING_MSG_HEADER,
	SETTING_MSG_FOOTER,
	SETTING_ACCEPT_THESE_NONMEMBERS,
	SETTING_HOLD_THESE_NONMEMBERS,
	SETTING_REJECT_THESE_NONMEMBERS,
	SETTING_DISCARD_THESE_NONMEMBERS,
	SETTING_DMARC_MODERATION_ADDRESSES,
	SETTING_REPLY_TO_ADDRESS,
	SETTING_BOUNCE_SCORE_THRESHOLD,
	SETTING_PERSONALIZE,
	SETTING_DMARC_AGGREGATE_REPORTS,	/* H4: issue 10 */
	SETTINGS_COUNT
};

enum settings_type {
	SETTINGS_T_BOOL,	/* "0" or "1" */
	SETTINGS_T_INT,		/* decimal in [min, max] */
	SETTINGS_T_STRING,	/* one line of UTF-8, no control characters */
	SETTINGS_T_TEXT,	/* UTF-8 lines (LF, TAB allowed) */
	SETTINGS_T_ENUM,	/* one of the row's choices' values */
	SETTINGS_T_ADDRESS,	/* one address, or "" for none */
	SETTINGS_T_FLOAT,	/* a decimal number "5.0" in [min, max] */
	SETTINGS_T_PATTERNS,	/* lines, each an address or a ^regex (POSIX
				   extended, case-insensitive); Mailman's list
				   of strings */
};

/* Enough for every enum in SETTINGS.md, plus the NULL that ends the list. */
#define SETTINGS_MAX_CHOICES	6

struct settings_choice {
	const char *value;	/* what is stored: "1", or "hold" */
	const char *label;	/* what it means: "hold" */
};

struct settings_row {
	const char *name;
	enum settings_type type;
	/*
	 * The default, in the row's encoding; NULL when it is computed from
	 * the list (real_name: the list's local part).
	 */
	const char *default_value;
	long	min, max;	/* SETTINGS_T_INT; for strings, max bytes */
	struct settings_choice choices[SETTINGS_MAX_CHOICES];	/* ENUM */
	const char *unit;	/* "KB", "days" or NULL; for help and forms */
	const char *help;	/* what it means, a sentence or two */
	/*
	 * 1 while no part of sealist acts on the setting yet: it is stored,
	 * validated, shown and exported, and takes effect when the engine
	 * learns it.  Shown beside the help so that nobody is misled.
	 */
	int	inert;
};

/* The table, SETTINGS_COUNT rows in enum settings_id order. */
extern const struct settings_row settings_rows[SETTINGS_COUNT];

/* Row by name (exact, case-sensitive), or NULL. */
extern const struct settings_row *settings_lookup(const char *name);

/* Row by position, for iteration: NULL once i >= SETTINGS_COUNT. */
extern const struct settings_row *settings_at(size_t i);

/*
 * Check a value against its row.  Returns NULL when good, else a short
 * reason ("expected 0 (no) or 1 (yes)", "must be between 0 and 65536"):
 * static or per-thread memory, valid until the thread's next call.
 */
extern const char *settings_validate(const struct settings_row *, const char *value);

/*
 * The default for a list whose local part is given.  Returns static text
 * from the table, or list_local_part itself for real_name.
 */
extern const char *settings_default(const struct settings_row *,
				    const char *list_local_part);

/*
 * Does address match one line of a SETTINGS_T_PATTERNS value?  A line
 * is an address (compared ignoring case) or, starting with '^', a POSIX
 * extended regular expression matched against the whole address ignoring
 * case, as Mailman matches its *_these_nonmembers entries.  1 or 0.
 */
extern int settings_patterns_match(const char *patterns, const char *address);

/*
 * Categories group the settings as Mailman's admin pages and config_list
 * files do: config export writes them in this order, each with its title
 * and description.  The category of a row lives in a table of its own in
 * settings.c, indexed by settings_id, so that adding a row cannot leave
 * it uncategorised silently: SETTINGS_C_NONE is what a missing entry
 * reads as, and tests/unit/test_settings.c refuses it.
 */
enum settings_category {
	SETTINGS_C_NONE,	/* a row nobody filed: a bug */
	SETTINGS_C_GENERAL,
	SETTINGS_C_MEMBERSHIP,
	SETTINGS_C_NONMEMBERS,
	SETTINGS_C_DMARC,
	SETTINGS_C_HEADERS,
	SETTINGS_C_BOUNCES,
	SETTINGS_C_DIGEST,
	SETTINGS_C_ARCHIVE,
	SETTINGS_C_DELIVERY,
	SETTINGS_CATEGORY_COUNT
};

struct settings_category_info {
	const char *name;		/* "general": one word, for files and forms */
	const char *title;		/* "General options" */
	const char *description;	/* one paragraph */
};

/* Indexed by enum settings_category; SETTINGS_C_NONE's entry has NULL fields. */
extern const struct settings_category_info settings_categories[SETTINGS_CATEGORY_COUNT];

/* The category of a row (SETTINGS_C_NONE only for a row left out: a bug). */
extern enum settings_category settings_category_of(const struct settings_row *);

/* "bool", "int", "string", "text", "enum", "address" or "patterns". */
extern const char *settings_type_name(enum settings_type);

/* The label of an enum value ("hold" for generic_nonmember_action "1"), or NULL. */
extern const char *settings_choice_label(const struct settings_row *, const char *value);

#endif
