/*
 * NAME
 *	settings 3
 * SUMMARY
 *	the list settings: one declarative table, validation, defaults
 * DESCRIPTION
 *	See settings.h.  Names, encodings and defaults follow SETTINGS.md;
 *	where sealist's default differs from Mailman 2.1's, the help text
 *	says so and why.  Settings that need a type this table does not have
 *	yet (floats) are added together with the feature that uses them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <regex.h>
#include <strings.h>

#include "addr/addr.h"
#include "settings.h"

/* Lengths: a one-line string goes into headers and pages; text is a page. */
#define SETTINGS_LINE_MAX	1000
#define SETTINGS_TEXT_MAX	65536

#define BOOL(name, def, help, inert) \
	{name, SETTINGS_T_BOOL, def, 0, 1, {{NULL, NULL}}, NULL, help, inert}
#define INT(name, def, min, max, unit, help, inert) \
	{name, SETTINGS_T_INT, def, min, max, {{NULL, NULL}}, unit, help, inert}
#define STRING(name, def, help, inert) \
	{name, SETTINGS_T_STRING, def, 0, SETTINGS_LINE_MAX, {{NULL, NULL}}, NULL, help, inert}
#define TEXT(name, def, help, inert) \
	{name, SETTINGS_T_TEXT, def, 0, SETTINGS_TEXT_MAX, {{NULL, NULL}}, NULL, help, inert}
/* The choices come last, as {value, label} pairs. */
#define ADDRESS(name, help, inert) \
	{name, SETTINGS_T_ADDRESS, "", 0, SETTINGS_LINE_MAX, {{NULL, NULL}}, NULL, help, inert}
#define FLOAT(name, def, min, max, help, inert) \
	{name, SETTINGS_T_FLOAT, def, min, max, {{NULL, NULL}}, NULL, help, inert}
#define PATTERNS(name, help, inert) \
	{name, SETTINGS_T_PATTERNS, "", 0, SETTINGS_TEXT_MAX, {{NULL, NULL}}, NULL, help, inert}
#define ENUM(name, def, help, inert, ...) \
	{name, SETTINGS_T_ENUM, def, 0, 0, {__VA_ARGS__, {NULL, NULL}}, NULL, help, inert}

const struct settings_row settings_rows[SETTINGS_COUNT] = {
	[SETTING_REAL_NAME] = STRING("real_name", NULL,
		"Display name of the list, used in \"Author via List\" and in the subject prefix; "
		"the default is the list's local part.", 0),
	[SETTING_DESCRIPTION] = STRING("description", "",
		"One line shown on the list's pages and in list overviews.", 0),
	[SETTING_INFO] = TEXT("info", "",
		"Longer description of the list, for the info command and the list page.", 0),
	[SETTING_SUBJECT_PREFIX] = STRING("subject_prefix", "[%(real_name)s] ",
		"Put before the Subject of every post, once (never doubled after Re: or Fwd:); "
		"%(real_name)s is replaced by real_name.", 0),
	[SETTING_MAX_MESSAGE_SIZE] = INT("max_message_size", "40", 0, 65536, "KB",
		"Posts larger than this many kilobytes are held for the moderator; 0 means no limit.", 0),
	[SETTING_MAX_NUM_RECIPIENTS] = INT("max_num_recipients", "10", 0, 10000, NULL,
		"Posts with more explicit recipients (To and Cc) than this are held; 0 means no limit.", 0),
	[SETTING_REQUIRE_EXPLICIT_DESTINATION] = BOOL("require_explicit_destination", "1",
		"Hold posts that do not name the list in To or Cc.", 0),
	[SETTING_EMERGENCY] = BOOL("emergency", "0",
		"Hold every post for the moderator.", 0),
	[SETTING_DEFAULT_MEMBER_MODERATION] = BOOL("default_member_moderation", "0",
		"New members start with the moderated flag set, so that their posts are held "
		"(members added without --moderated take this value).", 0),
	[SETTING_GENERIC_NONMEMBER_ACTION] = ENUM("generic_nonmember_action", "1",
		"What happens to posts from addresses that are not members.", 0,
		{"0", "accept"}, {"1", "hold"}, {"2", "reject"}, {"3", "discard"}),
	[SETTING_FROM_IS_LIST] = ENUM("from_is_list", "0",
		"Rewrite applied to every post, whatever the author's DMARC policy.", 0,
		{"0", "none"}, {"1", "munge From"}, {"2", "wrap message"}),
	[SETTING_DMARC_MODERATION_ACTION] = ENUM("dmarc_moderation_action", "1",
		"Applied when the author's domain publishes p=reject.  The default is munge From "
		"(Mailman 2.1: accept) because sealist exists to make lists DMARC-safe by default.", 0,
		{"0", "accept"}, {"1", "munge From"}, {"2", "wrap message"}, {"3", "reject"},
		{"4", "discard"}),
	[SETTING_DMARC_QUARANTINE_MODERATION_ACTION] = BOOL("dmarc_quarantine_moderation_action", "1",
		"Also apply dmarc_moderation_action when the author's domain publishes p=quarantine.", 0),
	[SETTING_DMARC_NONE_MODERATION_ACTION] = BOOL("dmarc_none_moderation_action", "0",
		"Also apply dmarc_moderation_action for p=none (only with the quarantine one on).", 0),
	[SETTING_DMARC_WRAPPED_MESSAGE_TEXT] = TEXT("dmarc_wrapped_message_text", "",
		"Text put in a text/plain part before a wrapped message.", 0),
	[SETTING_DMARC_FAIL_ACTION] = ENUM("dmarc_fail_action", "hold",
		"sealist only: what to do with a post whose author domain's DMARC evaluation fails "
		"(a forgery); the forged From is never notified.", 0,
		{"accept", "accept"}, {"hold", "hold"}, {"reject", "reject"},
		{"discard", "discard"}),
	[SETTING_DMARC_KEEP_UNMODIFIED] = BOOL("dmarc_keep_unmodified", "1",
		"sealist only: if the author's DKIM signature still verifies over the outgoing "
		"message, keep it and keep the real From.", 0),
	[SETTING_REMOVE_DKIM_HEADERS] = ENUM("remove_dkim_headers", "2",
		"Removal of DKIM-Signature and DomainKey-Signature fields.  The default is always "
		"(Mailman 2.1: never): a list's edits break them.", 0,
		{"0", "never"}, {"1", "when From is munged or wrapped"}, {"2", "always"},
		{"3", "always, keeping copies as X-Original-DKIM-Signature"}),
	[SETTING_REPLY_GOES_TO_LIST] = ENUM("reply_goes_to_list", "0",
		"Where replies go; with From munging the author goes to Reply-To (0) or Cc (1, 2).", 0,
		{"0", "poster"}, {"1", "list"}, {"2", "explicit address"}),
	[SETTING_FIRST_STRIP_REPLY_TO] = BOOL("first_strip_reply_to", "0",
		"Drop the poster's own Reply-To first.", 0),
	[SETTING_INCLUDE_RFC2369_HEADERS] = BOOL("include_rfc2369_headers", "1",
		"Add List-Help, -Subscribe, -Unsubscribe, -Post, -Owner and -Archive fields.", 0),
	[SETTING_ONE_CLICK_UNSUBSCRIBE] = BOOL("one_click_unsubscribe", "1",
		"sealist only: a per-recipient RFC 8058 one-click unsubscribe URL and "
		"List-Unsubscribe-Post (needs personalize and an https web_base_url; implies "
		"per-recipient signatures).", 0),
	[SETTING_SUBSCRIBE_POLICY] = ENUM("subscribe_policy", "1",
		"What a subscription request needs; 0 only where the site allows it.", 0,
		{"0", "open"}, {"1", "confirm"}, {"2", "approve"}, {"3", "confirm and approve"}),
	[SETTING_UNSUBSCRIBE_POLICY] = ENUM("unsubscribe_policy", "0",
		"Whether unsubscribing also needs a moderator; a request that is not from the "
		"member's own DMARC-authenticated address needs the member's confirmation.", 0,
		{"0", "open"}, {"1", "approve"}),
	[SETTING_PRIVATE_ROSTER] = ENUM("private_roster", "1",
		"Who may see the member list (the who command).", 0,
		{"0", "anyone"}, {"1", "members"}, {"2", "admins"}),
	[SETTING_SEND_WELCOME_MSG] = BOOL("send_welcome_msg", "1",
		"Send new members a welcome message.", 0),
	[SETTING_SEND_GOODBYE_MSG] = BOOL("send_goodbye_msg", "1",
		"Send leaving members a goodbye message.", 0),
	[SETTING_ADMIN_IMMED_NOTIFY] = BOOL("admin_immed_notify", "1",
		"Tell the moderators at once about each held post.", 0),
	[SETTING_MAX_DAYS_TO_HOLD] = INT("max_days_to_hold", "90", 0, 3650, "days",
		"Held posts older than this are discarded; 0 keeps them until a moderator acts.", 0),
	[SETTING_RESPOND_TO_POST_REQUESTS] = BOOL("respond_to_post_requests", "1",
		"Tell the poster that the post is held.", 0),
	[SETTING_BOUNCE_PROCESSING] = BOOL("bounce_processing", "1",
		"Score bounces and disable members whose addresses keep failing.", 0),
	[SETTING_BOUNCE_INFO_STALE_AFTER] = INT("bounce_info_stale_after", "7", 1, 365, "days",
		"A member's bounce score resets after this many days without a bounce.", 0),
	[SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS] = INT("bounce_you_are_disabled_warnings", "3",
		0, 100, NULL,
		"Warnings a disabled member gets before being removed.", 0),
	[SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS_INTERVAL] = INT(
		"bounce_you_are_disabled_warnings_interval", "7", 1, 365, "days",
		"Days between those warnings.", 0),
	[SETTING_BOUNCE_NOTIFY_OWNER_ON_DISABLE] = BOOL("bounce_notify_owner_on_disable", "1",
		"Tell the owners when bounces disable a member.", 0),
	[SETTING_BOUNCE_NOTIFY_OWNER_ON_REMOVAL] = BOOL("bounce_notify_owner_on_removal", "1",
		"Tell the owners when bounces remove a member.", 0),
	[SETTING_BOUNCE_UNRECOGNIZED_GOES_TO_LIST_OWNER] = BOOL(
		"bounce_unrecognized_goes_to_list_owner", "1",
		"Forward bounces that cannot be attributed to a member to the owners.", 0),
	[SETTING_DIGESTABLE] = BOOL("digestable", "1",
		"Members may choose digest delivery.", 1),
	[SETTING_NONDIGESTABLE] = BOOL("nondigestable", "1",
		"Members may choose regular (one message per post) delivery.", 1),
	[SETTING_ARCHIVE] = BOOL("archive", "1",
		"Keep an archive of posts.", 1),
	[SETTING_ARCHIVE_PRIVATE] = BOOL("archive_private", "0",
		"Only members may read the archive.", 1),
	[SETTING_ARC_SEAL] = BOOL("arc_seal", "1",
		"sealist only: add an ARC set (RFC 8617) to every outgoing post.", 0),
	[SETTING_MSG_HEADER] = TEXT("msg_header", "",
		"Text put before each post, MIME-correctly; Mailman's %(real_name)s, %(list_name)s, "
		"%(host_name)s, %(description)s, %(info)s and %(web_page_url)s are replaced.", 0),
	[SETTING_MSG_FOOTER] = TEXT("msg_footer",
		"_______________________________________________\n"
		"%(real_name)s mailing list -- %(list_name)s@%(host_name)s\n"
		"To unsubscribe send an email to %(list_name)s-leave@%(host_name)s\n",
		"Text put after each post, MIME-correctly, with the same variables as msg_header.", 0),
	[SETTING_ACCEPT_THESE_NONMEMBERS] = PATTERNS("accept_these_nonmembers",
		"Non-members whose posts are accepted: one address or ^regex per line.", 0),
	[SETTING_HOLD_THESE_NONMEMBERS] = PATTERNS("hold_these_nonmembers",
		"Non-members whose posts are held: one address or ^regex per line.", 0),
	[SETTING_REJECT_THESE_NONMEMBERS] = PATTERNS("reject_these_nonmembers",
		"Non-members whose posts are rejected: one address or ^regex per line.", 0),
	[SETTING_DISCARD_THESE_NONMEMBERS] = PATTERNS("discard_these_nonmembers",
		"Non-members whose posts are discarded: one address or ^regex per line.", 0),
	[SETTING_DMARC_MODERATION_ADDRESSES] = PATTERNS("dmarc_moderation_addresses",
		"Authors to whom dmarc_moderation_action always applies, whatever their domain "
		"publishes: one address or ^regex per line.", 0),
	[SETTING_REPLY_TO_ADDRESS] = ADDRESS("reply_to_address",
		"The Reply-To address when reply_goes_to_list is 2 (explicit).", 0),
	[SETTING_BOUNCE_SCORE_THRESHOLD] = FLOAT("bounce_score_threshold", "5.0", 0, 1000,
		"Bounce score at which a member's delivery is disabled: a hard bounce counts 1.0, "
		"a soft one 0.5, at most one a day; DMARC-caused rejections never count.", 0),
	[SETTING_PERSONALIZE] = ENUM("personalize", "1",
		"Whether each member gets their own copy: their own one-click List-Unsubscribe URL "
		"(RFC 8058) and their own DKIM signature over it.  0 signs one copy for everyone "
		"(fastest; no List-Unsubscribe-Post then, and the unsubscribe link asks the member to confirm).  Mailman's 2 "
		"(personalised To) is accepted and treated as 1.", 0,
		{"0", "no"}, {"1", "yes"}, {"2", "yes (Mailman's full personalization)"}),
	[SETTING_DMARC_AGGREGATE_REPORTS] = BOOL("dmarc_aggregate_reports", "1",
		"sealist only: count this list's posts in the DMARC aggregate reports (RFC 9990) "
		"sent to authors' domains that ask for them (rua=); needs dmarc_reports_send = yes "
		"in sealist.conf.", 0),
};

/*
 * The sections, in the order config export writes them.  They follow
 * Mailman 2.1's admin categories where sealist has the same settings, so
 * that an admin finds a setting where the old list kept it.
 */
const struct settings_category_info settings_categories[SETTINGS_CATEGORY_COUNT] = {
	[SETTINGS_C_NONE] = {NULL, NULL, NULL},
	[SETTINGS_C_GENERAL] = {"general", "General options",
		"Fundamental list characteristics: the list's names and descriptions, the "
		"subject prefix, size limits, and how held posts are handled."},
	[SETTINGS_C_MEMBERSHIP] = {"membership", "Privacy and membership options",
		"Who may subscribe and unsubscribe and how, who may see the members, and "
		"what new and leaving members are told."},
	[SETTINGS_C_NONMEMBERS] = {"nonmembers", "Non-member and recipient filter options",
		"What happens to posts from non-members, per-sender overrides (an address or "
		"a ^regex per line), and the checks on a post's explicit recipients."},
	[SETTINGS_C_DMARC] = {"dmarc", "DMARC options",
		"How posts from domains that publish a DMARC policy are rewritten, held or "
		"refused so that the list's copies are not rejected by the recipients."},
	[SETTINGS_C_HEADERS] = {"headers", "Headers and footer options",
		"Reply-To handling, the RFC 2369 List-* header fields, and the text added "
		"before and after each post."},
	[SETTINGS_C_BOUNCES] = {"bounces", "Bounce processing options",
		"How bounces are scored, when a member's delivery is disabled, and the "
		"warnings and notices that follow (intervals in days)."},
	[SETTINGS_C_DIGEST] = {"digest", "Digest options",
		"Whether members may choose digest or regular delivery."},
	[SETTINGS_C_ARCHIVE] = {"archive", "Archive options",
		"Whether posts are archived and who may read the archive."},
	[SETTINGS_C_DELIVERY] = {"delivery", "Delivery and signing options (sealist only)",
		"How sealist signs and personalises the copies it sends: DKIM and ARC, "
		"one-click unsubscribe, and the authors' own signatures."},
};

/* Every row's category; a row missing here reads as SETTINGS_C_NONE. */
static const enum settings_category settings_row_category[SETTINGS_COUNT] = {
	[SETTING_REAL_NAME] = SETTINGS_C_GENERAL,
	[SETTING_DESCRIPTION] = SETTINGS_C_GENERAL,
	[SETTING_INFO] = SETTINGS_C_GENERAL,
	[SETTING_SUBJECT_PREFIX] = SETTINGS_C_GENERAL,
	[SETTING_MAX_MESSAGE_SIZE] = SETTINGS_C_GENERAL,
	[SETTING_EMERGENCY] = SETTINGS_C_GENERAL,
	[SETTING_ADMIN_IMMED_NOTIFY] = SETTINGS_C_GENERAL,
	[SETTING_MAX_DAYS_TO_HOLD] = SETTINGS_C_GENERAL,
	[SETTING_RESPOND_TO_POST_REQUESTS] = SETTINGS_C_GENERAL,
	[SETTING_SUBSCRIBE_POLICY] = SETTINGS_C_MEMBERSHIP,
	[SETTING_UNSUBSCRIBE_POLICY] = SETTINGS_C_MEMBERSHIP,
	[SETTING_PRIVATE_ROSTER] = SETTINGS_C_MEMBERSHIP,
	[SETTING_SEND_WELCOME_MSG] = SETTINGS_C_MEMBERSHIP,
	[SETTING_SEND_GOODBYE_MSG] = SETTINGS_C_MEMBERSHIP,
	[SETTING_DEFAULT_MEMBER_MODERATION] = SETTINGS_C_MEMBERSHIP,
	[SETTING_GENERIC_NONMEMBER_ACTION] = SETTINGS_C_NONMEMBERS,
	[SETTING_ACCEPT_THESE_NONMEMBERS] = SETTINGS_C_NONMEMBERS,
	[SETTING_HOLD_THESE_NONMEMBERS] = SETTINGS_C_NONMEMBERS,
	[SETTING_REJECT_THESE_NONMEMBERS] = SETTINGS_C_NONMEMBERS,
	[SETTING_DISCARD_THESE_NONMEMBERS] = SETTINGS_C_NONMEMBERS,
	[SETTING_REQUIRE_EXPLICIT_DESTINATION] = SETTINGS_C_NONMEMBERS,
	[SETTING_MAX_NUM_RECIPIENTS] = SETTINGS_C_NONMEMBERS,
	[SETTING_FROM_IS_LIST] = SETTINGS_C_DMARC,
	[SETTING_DMARC_MODERATION_ACTION] = SETTINGS_C_DMARC,
	[SETTING_DMARC_QUARANTINE_MODERATION_ACTION] = SETTINGS_C_DMARC,
	[SETTING_DMARC_NONE_MODERATION_ACTION] = SETTINGS_C_DMARC,
	[SETTING_DMARC_MODERATION_ADDRESSES] = SETTINGS_C_DMARC,
	[SETTING_DMARC_WRAPPED_MESSAGE_TEXT] = SETTINGS_C_DMARC,
	[SETTING_DMARC_FAIL_ACTION] = SETTINGS_C_DMARC,
	[SETTING_DMARC_KEEP_UNMODIFIED] = SETTINGS_C_DMARC,
	[SETTING_DMARC_AGGREGATE_REPORTS] = SETTINGS_C_DMARC,
	[SETTING_REPLY_GOES_TO_LIST] = SETTINGS_C_HEADERS,
	[SETTING_REPLY_TO_ADDRESS] = SETTINGS_C_HEADERS,
	[SETTING_FIRST_STRIP_REPLY_TO] = SETTINGS_C_HEADERS,
	[SETTING_INCLUDE_RFC2369_HEADERS] = SETTINGS_C_HEADERS,
	[SETTING_MSG_HEADER] = SETTINGS_C_HEADERS,
	[SETTING_MSG_FOOTER] = SETTINGS_C_HEADERS,
	[SETTING_BOUNCE_PROCESSING] = SETTINGS_C_BOUNCES,
	[SETTING_BOUNCE_SCORE_THRESHOLD] = SETTINGS_C_BOUNCES,
	[SETTING_BOUNCE_INFO_STALE_AFTER] = SETTINGS_C_BOUNCES,
	[SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS] = SETTINGS_C_BOUNCES,
	[SETTING_BOUNCE_YOU_ARE_DISABLED_WARNINGS_INTERVAL] = SETTINGS_C_BOUNCES,
	[SETTING_BOUNCE_NOTIFY_OWNER_ON_DISABLE] = SETTINGS_C_BOUNCES,
	[SETTING_BOUNCE_NOTIFY_OWNER_ON_REMOVAL] = SETTINGS_C_BOUNCES,
	[SETTING_BOUNCE_UNRECOGNIZED_GOES_TO_LIST_OWNER] = SETTINGS_C_BOUNCES,
	[SETTING_DIGESTABLE] = SETTINGS_C_DIGEST,
	[SETTING_NONDIGESTABLE] = SETTINGS_C_DIGEST,
	[SETTING_ARCHIVE] = SETTINGS_C_ARCHIVE,
	[SETTING_ARCHIVE_PRIVATE] = SETTINGS_C_ARCHIVE,
	[SETTING_ARC_SEAL] = SETTINGS_C_DELIVERY,
	[SETTING_REMOVE_DKIM_HEADERS] = SETTINGS_C_DELIVERY,
	[SETTING_ONE_CLICK_UNSUBSCRIBE] = SETTINGS_C_DELIVERY,
	[SETTING_PERSONALIZE] = SETTINGS_C_DELIVERY,
};

enum settings_category settings_category_of(const struct settings_row *row)
{
	size_t	i = (size_t) (row - settings_rows);

	return i < SETTINGS_COUNT ? settings_row_category[i] : SETTINGS_C_NONE;
}

const struct settings_row *settings_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < SETTINGS_COUNT; i++)
		if (strcmp(settings_rows[i].name, name) == 0)
			return &settings_rows[i];
	return NULL;
}

const struct settings_row *settings_at(size_t i)
{
	return i < SETTINGS_COUNT ? &settings_rows[i] : NULL;
}

const char *settings_type_name(enum settings_type type)
{
	switch (type) {
	case SETTINGS_T_BOOL:
		return "bool";
	case SETTINGS_T_INT:
		return "int";
	case SETTINGS_T_STRING:
		return "string";
	case SETTINGS_T_TEXT:
		return "text";
	case SETTINGS_T_ENUM:
		return "enum";
	case SETTINGS_T_ADDRESS:
		return "address";
	case SETTINGS_T_FLOAT:
		return "float";
	case SETTINGS_T_PATTERNS:
		return "patterns";
	}
	return "unknown";
}

const char *settings_default(const struct settings_row *row,
			     const char *list_local_part)
{
	if (row->default_value != NULL)
		return row->default_value;
	return list_local_part;
}

const char *settings_choice_label(const struct settings_row *row, const char *value)
{
	const struct settings_choice *c;

	for (c = row->choices; c->value != NULL; c++)
		if (strcmp(c->value, value) == 0)
			return c->label;
	return NULL;
}

/*
 * Plain decimal, optional minus sign, nothing else: no blanks, no "+",
 * no leading zeros beyond "0" itself, so that the stored text is the one
 * canonical spelling of the number.
 */
static int settings_parse_int(const char *s, long *value_r)
{
	const char *digits = *s == '-' ? s + 1 : s;
	char   *end;
	long	v;

	if (*digits < '0' || *digits > '9' || (digits[0] == '0' && digits[1] != 0))
		return -1;
	if (strcmp(s, "-0") == 0)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != 0)
		return -1;
	*value_r = v;
	return 0;
}

/* Length of the UTF-8 sequence at p (well-formed, RFC 3629), or 0. */
static size_t settings_utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		unsigned char lo = p[0] == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = p[0] == 0xed ? 0x9f : 0xbf;	/* no surrogates */

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		unsigned char lo = p[0] == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = p[0] == 0xf4 ? 0x8f : 0xbf;	/* <= U+10FFFF */

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80
		    && (p[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/*
 * Reasons that name numbers are formatted into per-thread memory, so the
 * daemon's threads may validate at the same time; each call overwrites
 * the previous reason of its thread.
 */
static _Thread_local char settings_reason[256];

/* UTF-8 without control characters; text may also hold LF and TAB. */
static const char *settings_check_text(const char *value, int multiline, long max)
{
	const unsigned char *p = (const unsigned char *) value;
	size_t	n;

	if (strlen(value) > (size_t) max) {
		(void) snprintf(settings_reason, sizeof(settings_reason),
				"too long (at most %ld bytes)", max);
		return settings_reason;
	}
	for (; *p; p += n) {
		if ((n = settings_utf8_len(p)) == 0)
			return "not valid UTF-8";
		if (n > 1)
			continue;
		if (*p == '\n' || *p == '\t') {
			if (!multiline && *p == '\n')
				return "must be a single line";
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	}
	return NULL;
}

static const char *settings_check_int(const struct settings_row *row, const char *value)
{
	long	v;

	if (settings_parse_int(value, &v) < 0)
		return "expected a whole number";
	if (v < row->min || v > row->max) {
		(void) snprintf(settings_reason, sizeof(settings_reason),
				"must be between %ld and %ld", row->min, row->max);
		return settings_reason;
	}
	return NULL;
}

static const char *settings_check_enum(const struct settings_row *row, const char *value)
{
	char   *reason = settings_reason;
	const size_t size = sizeof(settings_reason);
	const struct settings_choice *c;
	size_t	len;

	if (settings_choice_label(row, value) != NULL)
		return NULL;
	len = (size_t) snprintf(reason, size, "expected one of");
	for (c = row->choices; c->value != NULL && len < size; c++)
		len += (size_t) snprintf(reason + len, size - len, "%s %s (%s)",
					 c == row->choices ? "" : ",", c->value, c->label);
	return reason;
}

/* "5", "5.0", "0.5": digits with at most one point, within the row's bounds. */
static const char *settings_check_float(const struct settings_row *row, const char *value)
{
	const char *p;
	char   *end;
	int	dots = 0, digits = 0;
	double	v;

	for (p = value; *p; p++) {
		if (*p == '.')
			dots++;
		else if (*p >= '0' && *p <= '9')
			digits++;
		else
			return "expected a number like 5.0";
	}
	if (digits == 0 || dots > 1)
		return "expected a number like 5.0";
	v = strtod(value, &end);
	if (*end != 0 || v < (double) row->min || v > (double) row->max) {
		(void) snprintf(settings_reason, sizeof(settings_reason),
				"must be between %ld and %ld", row->min, row->max);
		return settings_reason;
	}
	return NULL;
}

static const char *settings_check_address(const char *value)
{
	const char *why;

	if (*value == 0 || addr_parse_spec(value, strlen(value), NULL, NULL, &why) == 0)
		return NULL;
	(void) snprintf(settings_reason, sizeof(settings_reason), "invalid address: %s", why);
	return settings_reason;
}

/* One line of a patterns value: an address, or ^regex that compiles. */
static const char *settings_check_pattern(const char *line, size_t len)
{
	char	text[SETTINGS_LINE_MAX + 1];
	regex_t	re;
	const char *why;

	if (len > SETTINGS_LINE_MAX)
		return "a line is too long";
	memcpy(text, line, len);
	text[len] = 0;
	if (text[0] != '^') {
		if (addr_parse_spec(text, len, NULL, NULL, &why) == 0)
			return NULL;
		(void) snprintf(settings_reason, sizeof(settings_reason),
				"\"%.80s\" is neither an address (%s) nor a ^regex", text, why);
		return settings_reason;
	}
	if (regcomp(&re, text, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0) {
		(void) snprintf(settings_reason, sizeof(settings_reason),
				"\"%.80s\" is not a valid regular expression", text);
		return settings_reason;
	}
	regfree(&re);
	return NULL;
}

static const char *settings_check_patterns(const struct settings_row *row, const char *value)
{
	const char *why, *line, *end;

	if ((why = settings_check_text(value, 1, row->max)) != NULL)
		return why;
	for (line = value; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (end > line && (why = settings_check_pattern(line, (size_t) (end - line))) != NULL)
			return why;
	}
	return NULL;
}

static int settings_pattern_matches(const char *line, size_t len, const char *address)
{
	char	text[SETTINGS_LINE_MAX + 1];
	regex_t	re;
	int	hit;

	if (len == 0 || len > SETTINGS_LINE_MAX)
		return 0;
	if (line[0] != '^')
		return strlen(address) == len && strncasecmp(line, address, len) == 0;
	memcpy(text, line, len);
	text[len] = 0;
	if (regcomp(&re, text, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
		return 0;
	hit = regexec(&re, address, 0, NULL, 0) == 0;
	regfree(&re);
	return hit;
}

int settings_patterns_match(const char *patterns, const char *address)
{
	const char *line, *end;

	for (line = patterns; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (settings_pattern_matches(line, (size_t) (end - line), address))
			return 1;
	}
	return 0;
}

const char *settings_validate(const struct settings_row *row, const char *value)
{
	switch (row->type) {
	case SETTINGS_T_BOOL:
		return strcmp(value, "0") == 0 || strcmp(value, "1") == 0
		    ? NULL : "expected 0 (no) or 1 (yes)";
	case SETTINGS_T_INT:
		return settings_check_int(row, value);
	case SETTINGS_T_STRING:
		return settings_check_text(value, 0, row->max);
	case SETTINGS_T_TEXT:
		return settings_check_text(value, 1, row->max);
	case SETTINGS_T_ENUM:
		return settings_check_enum(row, value);
	case SETTINGS_T_ADDRESS:
		return settings_check_address(value);
	case SETTINGS_T_FLOAT:
		return settings_check_float(row, value);
	case SETTINGS_T_PATTERNS:
		return settings_check_patterns(row, value);
	}
	return "unknown setting type";
}
