/*
 * NAME
 *	cli_config 3
 * SUMMARY
 *	sealist config export | import: list settings as Mailman 2.1 files
 * DESCRIPTION
 *	The files and their checks are config_file.c's; this file reads and
 *	writes them, prints the notes ("FILE:LINE: ...") and the changes
 *	("name: old → new"), and walks a directory for --all.  Output formats
 *	are described in doc/sealist.1 and change only together with it.
 *
 *	The short options -o, -i and -v of Mailman's config_list are turned
 *	into --output, --input and --verbose before cli_parse(), which knows
 *	only long options.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "config_file.h"
#include "pyconf/pyconf.h"

/* An export is every setting: at most a few 64 KiB texts and their comments. */
#define CLI_CONFIG_EXPORT_MAX	(4 * 1024 * 1024)

/* A directory of --all holds at most this many files (one per list). */
#define CLI_CONFIG_DIR_MAX	100000

static char cli_config_output[] = "--output";
static char cli_config_input[] = "--input";
static char cli_config_verbose[] = "--verbose";

/* -o, -i, -v as in Mailman's config_list, until "--". */
static void cli_config_short_options(int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = cli_config_output;
		else if (strcmp(argv[i], "-i") == 0)
			argv[i] = cli_config_input;
		else if (strcmp(argv[i], "-v") == 0)
			argv[i] = cli_config_verbose;
	}
}

/* Export */

static int cli_config_write_file(const char *path, const struct buf *b)
{
	FILE   *fp = fopen(path, "w");

	if (fp == NULL) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	int	written = fwrite(b->data, 1, b->len, fp) == b->len;

	/* fclose() flushes: its failure is a write error too. */
	if (fclose(fp) != 0 || !written) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int cli_config_export_one(struct cli *cli, const char *list, struct buf *b)
{
	const char *error;
	int	rc;

	buf_reset(b);
	if ((rc = config_export(cli->store, list, (long long) time(NULL), b, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
}

/* Collect the lists' addresses (the store may not be used inside store_list_each). */
struct cli_config_names {
	char  **names;
	size_t	n;
	int	failed;
};

static int cli_config_add_name(struct cli_config_names *names, const char *name)
{
	char  **more = realloc(names->names, (names->n + 1) * sizeof(*more));

	if (more == NULL || (more[names->n] = strdup(name)) == NULL) {
		if (more != NULL)
			names->names = more;
		names->failed = 1;
		return -1;
	}
	names->names = more;
	names->n++;
	return 0;
}

static int cli_config_collect(const struct store_list *list, void *ctx)
{
	return cli_config_add_name(ctx, list->address) < 0 ? 1 : 0;
}

static void cli_config_names_free(struct cli_config_names *names)
{
	size_t	i;

	for (i = 0; i < names->n; i++)
		free(names->names[i]);
	free(names->names);
}

/* DIR/LIST@DOMAIN.py, malloc'd. */
static char *cli_config_path(const char *dir, const char *name, const char *suffix)
{
	size_t	size = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char   *path = malloc(size);

	if (path != NULL)
		(void) snprintf(path, size, "%s/%s%s", dir, name, suffix);
	return path;
}

static int cli_config_export_all(struct cli *cli, const char *dir, struct buf *b)
{
	struct cli_config_names names = {NULL, 0, 0};
	const char *error;
	size_t	i;
	int	rc;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_error("cannot create the directory %s: %s", dir, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	if ((rc = store_list_each(cli->store, cli_config_collect, &names, &error)) != STORE_OK) {
		cli_config_names_free(&names);
		return cli_store_error(rc, error);
	}
	rc = CLI_EXIT_OK;
	if (names.failed) {
		cli_error("out of memory");
		rc = CLI_EXIT_FAIL;
	}
	for (i = 0; rc == CLI_EXIT_OK && i < names.n; i++) {
		char   *path = cli_config_path(dir, names.names[i], ".py");

		if (path == NULL) {
			cli_error("out of memory");
			rc = CLI_EXIT_FAIL;
		} else if ((rc = cli_config_export_one(cli, names.names[i], b)) == CLI_EXIT_OK) {
			rc = cli_config_write_file(path, b);
		}
		free(path);
	}
	if (rc == CLI_EXIT_OK)
		printf("exported %zu list%s to %s\n", names.n, names.n == 1 ? "" : "s", dir);
	cli_config_names_free(&names);
	return rc;
}

static int cli_config_export(struct cli *cli, const struct cli_command *cmd,
			     int argc, char **argv)
{
	const char *output = NULL, *all = NULL;
	const struct cli_option options[] = {
		{"output", &output, NULL}, {"all", &all, NULL}, {NULL, NULL, NULL},
	};
	struct buf b;
	int	n;
	int	rc;

	cli_config_short_options(argc, argv);
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0)
		return rc;
	if (all != NULL && (n != 0 || output != NULL))
		return cli_usage(cmd, "--all DIR takes no LIST and no -o");
	if (all == NULL && (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	buf_init(&b, CLI_CONFIG_EXPORT_MAX);
	if (all != NULL)
		rc = cli_config_export_all(cli, all, &b);
	else if ((rc = cli_config_export_one(cli, argv[0], &b)) == CLI_EXIT_OK) {
		if (output == NULL || strcmp(output, "-") == 0)
			rc = fwrite(b.data, 1, b.len, stdout) == b.len ? CLI_EXIT_OK : CLI_EXIT_FAIL;
		else
			rc = cli_config_write_file(output, &b);
	}
	buf_free(&b);
	return rc;
}

/* Import */

struct cli_config_import {
	struct config_options opt;
	int	dry_run;
	int	verbose;
};

/* The whole file (or stdin for NULL / "-"), at most PYCONF_MAX_FILE + 1 bytes. */
static int cli_config_read(const char *path, struct buf *b)
{
	FILE   *fp = path == NULL || strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	unsigned char chunk[65536];
	size_t	got;

	if (fp == NULL) {
		cli_error("cannot read %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	/* One byte more than the limit tells a file that is too big (config_plan). */
	while (b->len < b->max && (got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		(void) buf_append(b, chunk, got < b->max - b->len ? got : b->max - b->len);
	if (ferror(fp) || buf_failed(b)) {
		cli_error("cannot read %s: %s", fp == stdin ? "standard input" : path,
			  ferror(fp) ? strerror(errno) : buf_strerror(b));
		if (fp != stdin)
			(void) fclose(fp);
		return CLI_EXIT_FAIL;
	}
	if (fp != stdin)
		(void) fclose(fp);
	return CLI_EXIT_OK;
}

static void cli_config_print_notes(const char *file, const struct config_plan *plan)
{
	size_t	i;

	for (i = 0; i < plan->n_notes; i++) {
		const struct config_note *note = &plan->notes[i];

		if (note->column > 0)
			fprintf(stderr, "sealist: %s:%d:%d: %s%s\n", file, note->line, note->column,
				note->kind == CONFIG_NOTE_WARNING ? "warning: " : "", note->text);
		else
			fprintf(stderr, "sealist: %s:%d: %s%s\n", file, note->line,
				note->kind == CONFIG_NOTE_WARNING ? "warning: " : "", note->text);
	}
}

/* "name: old → new", after "LIST: " when prefix is not NULL. */
static void cli_config_print_changes(const char *prefix, const struct config_plan *plan)
{
	struct buf line;
	size_t	i;

	buf_init(&line, 4 * 1024 * 1024);
	for (i = 0; i < plan->n_changes; i++) {
		const struct config_change *ch = &plan->changes[i];

		buf_reset(&line);
		if (prefix != NULL)
			(void) buf_printf(&line, "%s: ", prefix);
		(void) buf_printf(&line, "%s: ", ch->row->name);
		(void) config_literal_line(ch->row, ch->old_value, &line);
		(void) buf_append_str(&line, " \xe2\x86\x92 ");
		(void) config_literal_line(ch->row, ch->new_value, &line);
		printf("%s\n", buf_str(&line));
	}
	buf_free(&line);
}

enum cli_config_outcome { CLI_CONFIG_APPLIED, CLI_CONFIG_UNCHANGED, CLI_CONFIG_REFUSED };

/* One list from one file's bytes; prints notes and changes. */
static enum cli_config_outcome cli_config_import_one(struct cli *cli,
						     const struct cli_config_import *imp,
						     const char *list, const char *file,
						     const struct buf *data, int all)
{
	struct config_plan *plan = NULL;
	const char *error;
	int	rc;

	rc = config_plan(cli->store, list, data->data, data->len, &imp->opt, &plan, &error);
	if (rc != STORE_OK) {
		cli_error("%s: %s", file, error);
		return CLI_CONFIG_REFUSED;
	}
	cli_config_print_notes(file, plan);
	if (plan->errors > 0) {
		cli_error("%s: %zu error%s; %s left unchanged", file, plan->errors,
			  plan->errors == 1 ? "" : "s", list);
		config_plan_free(plan);
		return CLI_CONFIG_REFUSED;
	}
	if (plan->n_changes == 0) {
		if (!all)
			printf("%s: unchanged\n", list);
		config_plan_free(plan);
		return CLI_CONFIG_UNCHANGED;
	}
	if (imp->dry_run) {
		cli_config_print_changes(all ? list : NULL, plan);
		if (!all)
			printf("dry run: %zu change%s, nothing changed\n", plan->n_changes,
			       plan->n_changes == 1 ? "" : "s");
		config_plan_free(plan);
		return CLI_CONFIG_APPLIED;
	}
	if ((rc = config_apply(cli->store, list, plan, &error)) != STORE_OK) {
		cli_error("%s: %s; %s left unchanged", file, error, list);
		config_plan_free(plan);
		return CLI_CONFIG_REFUSED;
	}
	if (imp->verbose)
		cli_config_print_changes(all ? list : NULL, plan);
	if (!all)
		printf("%s: %zu setting%s changed\n", list, plan->n_changes,
		       plan->n_changes == 1 ? "" : "s");
	config_plan_free(plan);
	return CLI_CONFIG_APPLIED;
}

static int cli_config_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The LIST@DOMAIN.py files of a directory, sorted. */
static int cli_config_scan(const char *dir, struct cli_config_names *names)
{
	DIR    *d = opendir(dir);
	struct dirent *e;

	if (d == NULL) {
		cli_error("cannot read the directory %s: %s", dir, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t	len = strlen(e->d_name);

		if (len <= 3 || strcmp(e->d_name + len - 3, ".py") != 0 || e->d_name[0] == '.'
		    || strchr(e->d_name, '@') == NULL)
			continue;
		if (names->n >= CLI_CONFIG_DIR_MAX || cli_config_add_name(names, e->d_name) < 0) {
			names->failed = 1;
			break;
		}
	}
	(void) closedir(d);
	if (names->failed) {
		cli_error("%s: too many files or out of memory", dir);
		return CLI_EXIT_FAIL;
	}
	if (names->n > 0)
		qsort(names->names, names->n, sizeof(*names->names), cli_config_by_name);
	return CLI_EXIT_OK;
}

static int cli_config_import_all(struct cli *cli, const struct cli_config_import *imp,
				 const char *dir)
{
	struct cli_config_names files = {NULL, 0, 0};
	size_t	count[3] = {0, 0, 0};
	struct buf data;
	size_t	i;
	int	rc;

	if ((rc = cli_config_scan(dir, &files)) != CLI_EXIT_OK) {
		cli_config_names_free(&files);
		return rc;
	}
	buf_init(&data, (size_t) PYCONF_MAX_FILE + 1);
	for (i = 0; i < files.n; i++) {
		char   *path = cli_config_path(dir, files.names[i], "");
		enum cli_config_outcome o = CLI_CONFIG_REFUSED;

		files.names[i][strlen(files.names[i]) - 3] = 0;		/* the list */
		buf_reset(&data);
		if (path == NULL)
			cli_error("out of memory");
		else if (cli_config_read(path, &data) == CLI_EXIT_OK)
			o = cli_config_import_one(cli, imp, files.names[i], path, &data, 1);
		count[o]++;
		free(path);
	}
	buf_free(&data);
	cli_config_names_free(&files);
	if (imp->dry_run)
		printf("dry run: %zu list%s would change, %zu unchanged, %zu refused; nothing "
		       "changed\n", count[CLI_CONFIG_APPLIED],
		       count[CLI_CONFIG_APPLIED] == 1 ? "" : "s", count[CLI_CONFIG_UNCHANGED],
		       count[CLI_CONFIG_REFUSED]);
	else
		printf("applied %zu list%s, %zu unchanged, %zu refused\n",
		       count[CLI_CONFIG_APPLIED], count[CLI_CONFIG_APPLIED] == 1 ? "" : "s",
		       count[CLI_CONFIG_UNCHANGED], count[CLI_CONFIG_REFUSED]);
	return count[CLI_CONFIG_REFUSED] > 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static int cli_config_charset(const char *name, enum config_charset *cs_r)
{
	static const struct {
		const char *name;
		enum config_charset cs;
	} names[] = {
		{"utf-8", CONFIG_CHARSET_UTF8}, {"utf8", CONFIG_CHARSET_UTF8},
		{"latin-1", CONFIG_CHARSET_LATIN1}, {"latin1", CONFIG_CHARSET_LATIN1},
		{"iso-8859-1", CONFIG_CHARSET_LATIN1}, {"iso8859-1", CONFIG_CHARSET_LATIN1},
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(names[i].name, name) == 0) {
			*cs_r = names[i].cs;
			return 0;
		}
	return -1;
}

static int cli_config_import(struct cli *cli, const struct cli_command *cmd,
			     int argc, char **argv)
{
	const char *input = NULL, *all = NULL, *charset = NULL;
	struct cli_config_import imp;
	const struct cli_option options[] = {
		{"input", &input, NULL}, {"all", &all, NULL}, {"charset", &charset, NULL},
		{"dry-run", NULL, &imp.dry_run}, {"verbose", NULL, &imp.verbose},
		{"ignore-unknown", NULL, &imp.opt.ignore_unknown}, {NULL, NULL, NULL},
	};
	const char *file;
	struct buf data;
	int	n;
	int	rc;

	memset(&imp, 0, sizeof(imp));
	imp.opt.charset = CONFIG_CHARSET_UTF8;
	imp.opt.charset_from_file = 1;
	cli_config_short_options(argc, argv);
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0)
		return rc;
	if (charset != NULL && cli_config_charset(charset, &imp.opt.charset) < 0)
		return cli_usage(cmd, "unknown charset \"%s\" (utf-8 or latin-1)", charset);
	if (charset != NULL)
		imp.opt.charset_from_file = 0;
	if (all != NULL && (n != 0 || input != NULL))
		return cli_usage(cmd, "--all DIR takes no LIST and no -i");
	if (all == NULL && (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if (all != NULL)
		return cli_config_import_all(cli, &imp, all);
	buf_init(&data, (size_t) PYCONF_MAX_FILE + 1);
	file = input == NULL || strcmp(input, "-") == 0 ? "stdin" : input;
	rc = cli_config_read(input, &data);
	if (rc == CLI_EXIT_OK
	    && cli_config_import_one(cli, &imp, argv[0], file, &data, 0) == CLI_CONFIG_REFUSED)
		rc = CLI_EXIT_FAIL;
	buf_free(&data);
	return rc;
}

const struct cli_command cli_config_commands[] = {
	{"config", "export", "LIST [-o FILE] | --all DIR",
	 "Write a list's settings as a Mailman 2.1 config_list file.",
	 "\nEvery setting, grouped by category, with its help, type, default and legal\n"
	 "values as comments, then NAME = VALUE as a Python literal.  Secrets (the\n"
	 "list's token key, passwords, private keys) and members are never written.\n"
	 "\nOptions:\n"
	 "  -o, --output FILE  write to FILE instead of standard output (\"-\": stdout)\n"
	 "  --all DIR          one file per list, DIR/LIST@DOMAIN.py (DIR is created)\n",
	 cli_config_export},
	{"config", "import", "LIST [-i FILE] [--dry-run] [-v] [--ignore-unknown] "
	 "[--charset CS] | --all DIR",
	 "Set a list's settings from a file that config export or Mailman wrote.",
	 "\nThe file is parsed, never executed.  Every value is checked first; any\n"
	 "error (reported with its line) leaves the list unchanged, otherwise all\n"
	 "changes are made in one transaction.  Exit status 1: the file was refused.\n"
	 "\nOptions:\n"
	 "  -i, --input FILE   read FILE instead of standard input (\"-\": stdin)\n"
	 "  --dry-run          print \"name: old \xe2\x86\x92 new\" for each change; change nothing\n"
	 "  -v, --verbose      print each change as it is applied\n"
	 "  --ignore-unknown   unknown names are warnings, not errors; Mailman 2.1\n"
	 "                     settings sealist lacks are listed as skipped\n"
	 "  --charset CS       byte strings (not u'') are in CS: utf-8 or latin-1\n"
	 "                     (ISO-8859-1, converted to UTF-8); default: the file's\n"
	 "                     \"# -*- coding: CS -*-\" line (Mailman writes the list's\n"
	 "                     charset there), else utf-8\n"
	 "  --all DIR          every DIR/LIST@DOMAIN.py, each list all or nothing; ends\n"
	 "                     with \"applied N lists, M unchanged, K refused\"\n",
	 cli_config_import},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
