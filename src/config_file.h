/*
 * NAME
 *	config_file 3h
 * SUMMARY
 *	list settings as text files: export and import, Mailman 2.1 style
 * DESCRIPTION
 *	The module "config" (its functions are config_*; the file is not
 *	called config.h because that name is autoconf's).  A settings file
 *	is what Mailman 2.1's `config_list -o` writes: Python assignments
 *	NAME = LITERAL with # comments, parsed by lib/pyconf and never
 *	executed.  Export writes every setting of the table (settings.h),
 *	grouped by category, with its help, type, default and legal values;
 *	import converts each literal to the table's text encoding, validates
 *	all of them, and only if the whole file is good hands the changes to
 *	store_settings_apply(), one transaction.
 *
 *	Nothing here prints: diagnostics are collected in the plan as notes
 *	with their line numbers, and the CLI (cli_config.c) shows them.
 *
 *	Never exported: the list's token key, passwords, private keys and
 *	the members.  They are not settings of the table, so they cannot be
 *	written by accident when a setting is added.
 */
#ifndef SEALIST_CONFIG_FILE_H
#define SEALIST_CONFIG_FILE_H

#include <stddef.h>

#include "buf/buf.h"
#include "settings.h"
#include "store.h"

/*
 * Append the export of a list to out (whose maximum must allow it:
 * 4 MiB is plenty for a table of text settings of 64 KiB at most).  now
 * is the time written in the header line.  A store status; on
 * STORE_ERROR for a full buffer *error_r says so.
 */
extern int config_export(struct store *, const char *list, long long now, struct buf *out,
			 const char **error_r);

/* How byte strings (Python 2 str, not u'') of an imported file are read. */
enum config_charset {
	CONFIG_CHARSET_UTF8,	/* must be valid UTF-8 */
	CONFIG_CHARSET_LATIN1,	/* ISO-8859-1, converted to UTF-8 */
};

struct config_options {
	enum config_charset charset;
	/* 1: charset was not given, so the file's PEP 263 coding declaration
	   (config_list writes the list's charset on line 2) decides */
	int	charset_from_file;
	int	ignore_unknown;	/* unknown names are warnings, not errors */
};

enum config_note_kind {
	CONFIG_NOTE_ERROR,	/* the file is refused */
	CONFIG_NOTE_WARNING,	/* an unknown name, ignored (--ignore-unknown) */
	CONFIG_NOTE_SKIPPED,	/* a Mailman 2.1 setting sealist does not have */
};

struct config_note {
	enum config_note_kind kind;
	int	line, column;	/* column 0: not known */
	char   *text;		/* "generic_nonmember_action: expected one of ..." */
};

struct config_change {
	const struct settings_row *row;
	int	line;
	char   *old_value, *new_value;	/* the table's encoding */
};

struct config_plan {
	struct config_note *notes;	/* in line order */
	size_t	n_notes;
	size_t	errors;			/* notes of kind CONFIG_NOTE_ERROR */
	struct config_change *changes;	/* in file order; values that differ only */
	size_t	n_changes;
	size_t	n_settings;		/* assignments of sealist settings */
};

/*
 * Read a settings file (len bytes; more than PYCONF_MAX_FILE is refused
 * with the line where the limit was passed) against the list's current
 * values.  STORE_OK and *plan_r even when the file has errors (then
 * (*plan_r)->errors > 0 and nothing may be applied); another status
 * (STORE_NO_LIST, ...) with *error_r when the list cannot be read.
 * Free the plan with config_plan_free.
 */
extern int config_plan(struct store *, const char *list, const void *data, size_t len,
		       const struct config_options *, struct config_plan **plan_r,
		       const char **error_r);
extern void config_plan_free(struct config_plan *);	/* NULL is fine */

/* Apply a plan without errors: store_settings_apply, one transaction. */
extern int config_apply(struct store *, const char *list, const struct config_plan *,
			const char **error_r);

/*
 * A value as a one-line Python literal for messages ('a\nb', 1,
 * ['x', 'y']): appended to out; 0 or -1 (out failed).
 */
extern int config_literal_line(const struct settings_row *, const char *value,
			       struct buf *out);

/* 1 if name is a Mailman 2.1 list setting that sealist does not have. */
extern int config_mailman_only(const char *name);

#endif
