/*
 * NAME
 *	cli_member 3
 * SUMMARY
 *	sealist member add | remove | ls | import | export
 * DESCRIPTION
 *	Adding and removing several addresses is one transaction: one bad
 *	address and nothing changes (the store checks them all first).
 *	Import is one transaction too, but goes on past a bad row so that
 *	every bad row is reported; it commits only when there was none (or
 *	--skip-invalid).  What the CSV columns mean, and the import itself,
 *	are src/members_csv.c's (the web members page shares them); here is
 *	reading the file, the options and the words printed.  Output formats
 *	are described in doc/sealist.1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "cli.h"
#include "members_csv.h"
#include "sealist_limits.h"

/* "added 2 members to dev@example.org", with the list's address lowercased. */
static void cli_print_done(const char *verb, int n, const char *prep, const char *list)
{
	char   *local = NULL;
	char   *domain = NULL;
	const char *error;

	if (store_list_check_name(list, &local, &domain, &error) == STORE_OK)
		printf("%s %d member%s %s %s@%s\n", verb, n, n == 1 ? "" : "s", prep, local, domain);
	else
		printf("%s %d member%s %s %s\n", verb, n, n == 1 ? "" : "s", prep, list);
	free(local);
	free(domain);
}

/* "Name <a@b>" is a common mistake; say how to give it instead. */
static int cli_check_bare(const char *address)
{
	if (strchr(address, '<') == NULL && strchr(address, '>') == NULL)
		return 0;
	cli_error("invalid address \"%s\": give the bare address (a@example.org) and the "
		  "name with --name NAME", address);
	return CLI_EXIT_FAIL;
}

static int cli_check_all_bare(char **addresses, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (cli_check_bare(addresses[i]) != 0)
			return CLI_EXIT_FAIL;
	return 0;
}

/* Options of member add, checked before anything is opened. */
struct cli_add_options {
	const char *name;
	const char *delivery;
	int	moderated;
};

static int cli_add_check(const struct cli_command *cmd, const struct cli_add_options *o,
			 int n)
{
	const char *d = o->delivery;

	if (o->name != NULL && n != 2)
		return cli_usage(cmd, "--name goes with exactly one address");
	if (d != NULL && strcmp(d, "regular") != 0 && strcmp(d, "digest") != 0
	    && strcmp(d, "nomail") != 0)
		return cli_usage(cmd, "--delivery must be regular, digest or nomail, not \"%s\"", d);
	return 0;
}

static int cli_member_add(struct cli *cli, const struct cli_command *cmd,
			  int argc, char **argv)
{
	struct cli_add_options o = {NULL, NULL, 0};
	const struct cli_option options[] = {
		{"name", &o.name, NULL}, {"delivery", &o.delivery, NULL},
		{"moderated", NULL, &o.moderated}, {NULL, NULL, NULL}
	};
	struct store_new_member *m;
	const char *error;
	int	n;
	int	i;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 2, -1)) != 0
	    || (rc = cli_add_check(cmd, &o, n)) != 0)
		return rc;
	if (cli_check_all_bare(argv + 1, n - 1) != 0 || cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((m = calloc((size_t) n - 1, sizeof(*m))) == NULL) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	for (i = 1; i < n; i++) {
		m[i - 1].address = argv[i];
		m[i - 1].display_name = o.name;
		m[i - 1].delivery = o.delivery;
		m[i - 1].moderated = o.moderated ? 1 : -1;
	}
	rc = store_member_add(cli->store, argv[0], m, (size_t) n - 1, &error);
	free(m);
	if (rc != STORE_OK)
		return cli_store_error(rc, error);
	cli_print_done("added", n - 1, "to", argv[0]);
	return CLI_EXIT_OK;
}

static int cli_member_remove(struct cli *cli, const struct cli_command *cmd,
			     int argc, char **argv)
{
	const char *error;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 2, -1)) != 0)
		return rc;
	if (cli_check_all_bare(argv + 1, n - 1) != 0 || cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	rc = store_member_remove(cli->store, argv[0], (const char *const *) argv + 1,
				 (size_t) n - 1, &error);
	if (rc != STORE_OK)
		return cli_store_error(rc, error);
	cli_print_done("removed", n - 1, "from", argv[0]);
	return CLI_EXIT_OK;
}

/* ADDRESS DELIVERY STATUS FLAGS ["NAME"] */
static int cli_print_member(const struct store_member *m, void *ctx)
{
	const unsigned char *p;

	printf("%s %s %s %s", m->address, m->delivery, m->status,
	       m->moderated ? "moderated" : "-");
	if (*m->display_name != 0) {
		fputs(" \"", stdout);
		for (p = (const unsigned char *) m->display_name; *p; p++) {
			if (*p == '"' || *p == '\\')
				putchar('\\');
			putchar(*p);
		}
		putchar('"');
	}
	putchar('\n');
	return 0;
}

/* member ls filters; NULL: any. */
struct cli_ls_filter {
	const char *status;
	const char *delivery;
};

static int cli_print_filtered(const struct store_member *m, void *ctx)
{
	const struct cli_ls_filter *f = ctx;

	if ((f->status != NULL && strcmp(m->status, f->status) != 0)
	    || (f->delivery != NULL && strcmp(m->delivery, f->delivery) != 0))
		return 0;
	return cli_print_member(m, NULL);
}

static int cli_is_delivery(const char *d)
{
	return strcmp(d, "regular") == 0 || strcmp(d, "digest") == 0
	    || strcmp(d, "nomail") == 0;
}

static int cli_member_ls(struct cli *cli, const struct cli_command *cmd,
			 int argc, char **argv)
{
	struct cli_ls_filter f = {NULL, NULL};
	const struct cli_option options[] = {
		{"status", &f.status, NULL}, {"delivery", &f.delivery, NULL},
		{NULL, NULL, NULL}
	};
	const char *error;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (f.status != NULL && strcmp(f.status, "enabled") != 0
	    && strcmp(f.status, "disabled") != 0)
		return cli_usage(cmd, "--status must be enabled or disabled, not \"%s\"", f.status);
	if (f.delivery != NULL && !cli_is_delivery(f.delivery))
		return cli_usage(cmd, "--delivery must be regular, digest or nomail, not \"%s\"",
				 f.delivery);
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_member_each(cli->store, argv[0], cli_print_filtered, &f,
				    &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
}

/*
 * Import and export.
 *
 * The whole file is read first: the import's transaction locks the
 * database for other writers (the daemon), and must not wait on a slow
 * pipe.  256 MB is over two million rows of generous size.
 */
#define CLI_IMPORT_MAX		LIMIT_CSV_FILE

/* FILE ("-": standard input) into b; prints the error.  0 or 1. */
static int cli_read_file(const char *path, const char *shown, struct buf *b)
{
	FILE   *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char	chunk[65536];
	size_t	n;
	int	failed;

	if (fp == NULL) {
		cli_error("cannot open %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(b, chunk, n) < 0)
			break;
	failed = ferror(fp);
	if (fp != stdin)
		fclose(fp);
	if (buf_failed(b)) {
		cli_error("%s: %s (at most %d bytes)", shown, buf_strerror(b), CLI_IMPORT_MAX);
		return CLI_EXIT_FAIL;
	}
	if (failed) {
		cli_error("cannot read %s", shown);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* What an import prints: "FILE:LINE: why", or "FILE: why" about the whole file. */
struct cli_import {
	const char *file;	/* as shown: the name, or "stdin" */
};

static void cli_import_invalid(void *ctx, size_t line, const char *why)
{
	const struct cli_import *ci = ctx;

	if (line > 0)
		cli_error("%s:%zu: %s", ci->file, line, why);
	else
		cli_error("%s: %s", ci->file, why);
}

static void cli_import_progress(void *ctx, size_t rows)
{
	(void) ctx;
	fprintf(stderr, "sealist: read %zu rows\n", rows);
}

/* Say what happened; a progress line goes to stderr every
   MEMBERS_CSV_PROGRESS rows so that a big import shows it is alive. */
static int cli_import_done(const struct cli_import *ci, const struct members_csv_import *imp)
{
	size_t	valid = imp->rows - imp->invalid_rows;

	if (imp->malformed)
		return CLI_EXIT_FAIL;
	if (imp->invalid_rows > 0 && !imp->skip_invalid) {
		cli_error("%s: %zu invalid row%s; nothing %s (with --skip-invalid the other %zu "
			  "would be)", ci->file, imp->invalid_rows, imp->invalid_rows == 1 ? "" : "s",
			  imp->dry_run ? "would be imported" : "imported", valid);
		return CLI_EXIT_FAIL;
	}
	if (imp->dry_run)
		printf("dry run: would import %zu, skip %zu; nothing changed\n", valid,
		       imp->invalid_rows);
	else
		printf("imported %zu, skipped %zu\n", imp->added, imp->invalid_rows);
	return CLI_EXIT_OK;
}

static int cli_member_import(struct cli *cli, const struct cli_command *cmd,
			     int argc, char **argv)
{
	struct members_csv_import imp;
	struct cli_import ci;
	const struct cli_option options[] = {
		{"dry-run", NULL, &imp.dry_run}, {"skip-invalid", NULL, &imp.skip_invalid},
		{NULL, NULL, NULL}
	};
	struct buf data;
	const char *error;
	int	n;
	int	rc;

	memset(&imp, 0, sizeof(imp));
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 2, 2)) != 0)
		return rc;
	ci.file = strcmp(argv[1], "-") == 0 ? "stdin" : argv[1];
	imp.invalid = cli_import_invalid;
	imp.progress = cli_import_progress;
	imp.ctx = &ci;
	buf_init(&data, CLI_IMPORT_MAX);
	if ((rc = cli_read_file(argv[1], ci.file, &data)) != 0 || (rc = cli_open_store(cli)) != 0) {
		buf_free(&data);
		return CLI_EXIT_FAIL;
	}
	rc = members_csv_import(cli->store, argv[0], data.data, data.len, &imp, &error);
	buf_free(&data);
	if (rc != STORE_OK)
		return cli_store_error(rc, error);
	return cli_import_done(&ci, &imp);
}

/* Write b to path ("-": standard output); prints the error.  0 or 1. */
static int cli_write_file(const char *path, const struct buf *b)
{
	FILE   *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int	failed;

	if (fp == NULL) {
		cli_error("cannot create %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	failed = fwrite(b->data ? (const void *) b->data : "", 1, b->len, fp) != b->len;
	failed |= fp == stdout ? fflush(fp) != 0 : fclose(fp) != 0;
	if (failed) {
		cli_error("cannot write %s: %s", fp == stdout ? "standard output" : path,
			  strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return 0;
}

static int cli_member_export(struct cli *cli, const struct cli_command *cmd,
			     int argc, char **argv)
{
	const char *output = "-";
	const struct cli_option options[] = {{"output", &output, NULL}, {NULL, NULL, NULL}};
	struct buf out;
	const char *error;
	int	i;
	int	n;
	int	rc;

	/* -o is the one short option of the CLI: what every export tool takes. */
	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = (char *) "--output";
	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	/* Built whole before the file is touched: a failed export leaves no half file. */
	buf_init(&out, CLI_IMPORT_MAX);
	rc = members_csv_export(cli->store, argv[0], &out, &error);
	if (rc != STORE_OK) {
		buf_free(&out);
		return cli_store_error(rc, error);
	}
	if (buf_failed(&out)) {
		cli_error("%s: the export is too large: %s", argv[0], buf_strerror(&out));
		buf_free(&out);
		return CLI_EXIT_FAIL;
	}
	rc = cli_write_file(output, &out);
	buf_free(&out);
	return rc;
}

const struct cli_command cli_member_commands[] = {
	{"member", "add", "LIST ADDR... [--name NAME] [--delivery MODE] [--moderated]",
	 "Add members to a list, all or none.",
	 "\nEach ADDR is a bare address such as a@example.net; its domain is\n"
	 "lowercased, its local part kept as typed.  Addresses that differ only in\n"
	 "case are the same member.  If any address is invalid or already a member,\n"
	 "nothing is added.\n"
	 "\nOptions:\n"
	 "  --name NAME        display name (only with a single ADDR)\n"
	 "  --delivery MODE    regular (default), digest or nomail\n"
	 "  --moderated        the members' posts are held for a moderator (without it,\n"
	 "                     the list's default_member_moderation decides)\n",
	 cli_member_add},
	{"member", "remove", "LIST ADDR...",
	 "Remove members from a list, all or none.",
	 "\nIf any address is not a member, nothing is removed.\n",
	 cli_member_remove},
	{"member", "ls", "LIST [--status enabled|disabled] [--delivery regular|digest|nomail]",
	 "Show the members, one per line.",
	 "\nEach line is: ADDRESS DELIVERY STATUS FLAGS [\"NAME\"], where DELIVERY is\n"
	 "regular, digest or nomail, STATUS is enabled or disabled, and FLAGS is\n"
	 "moderated or -.  Lines are ordered by address.\n"
	 "\nOptions:\n"
	 "  --status STATUS    only the members that are enabled, or disabled\n"
	 "  --delivery MODE    only the members with that delivery mode\n",
	 cli_member_ls},
	{"member", "import", "LIST FILE.csv [--dry-run] [--skip-invalid]",
	 "Add the members listed in a CSV file, all or none.",
	 "\nFILE.csv (- for standard input) starts with a header row naming the\n"
	 "columns, in any order: address (required), name, delivery (regular,\n"
	 "the default, digest or nomail) and moderated (yes or no; empty: the\n"
	 "list's default_member_moderation).  Other columns are ignored, so a\n"
	 "'member export' file imports as it is.  Every invalid row (a bad\n"
	 "address or value, an address twice, an existing member) is reported\n"
	 "as FILE:LINE: why, and then nothing is imported.\n"
	 "\nOptions:\n"
	 "  --dry-run          check everything and say what would happen; change nothing\n"
	 "  --skip-invalid     import the valid rows; the invalid ones are still listed\n",
	 cli_member_import},
	{"member", "export", "LIST [-o|--output FILE]",
	 "Write the members as CSV, for 'member import'.",
	 "\nThe header is address,name,delivery,status,moderated; one row per member,\n"
	 "ordered by address; fields are quoted as RFC 4180 says, rows end in CRLF.\n"
	 "\nOptions:\n"
	 "  -o, --output FILE  write to FILE (replaced if it exists) instead of\n"
	 "                     standard output\n",
	 cli_member_export},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
