/*
 * NAME
 *	cli_list 3
 * SUMMARY
 *	sealist list create | delete | show | ls
 * DESCRIPTION
 *	Output is plain lines meant to be read by people and by scripts
 *	alike; doc/sealist.1 describes each format, and it changes only
 *	together with the man page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "settings.h"

/* "2026-11-27 04:30:00 UTC" */
static const char *cli_time(long long t, char *out, size_t size)
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		(void) snprintf(out, size, "%lld", t);
	return out;
}

/* The list's local part may not contain the recipient delimiter (LIST-bounces+TAG@). */
static int cli_check_delimiter(struct cli *cli, const char *address)
{
	const char *delim = conf_get(&cli->conf, CONF_RECIPIENT_DELIMITER);
	const char *at = strrchr(address, '@');

	if (*delim != 0 && at != NULL && memchr(address, delim[0], (size_t) (at - address))) {
		cli_error("invalid list address \"%s\": a list name may not contain the "
			  "recipient delimiter '%s' (recipient_delimiter in the configuration)",
			  address, delim);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

static int cli_list_create(struct cli *cli, const struct cli_command *cmd,
			   int argc, char **argv)
{
	const char *owner = NULL;
	const struct cli_option options[] = {{"owner", &owner, NULL}, {NULL, NULL, NULL}};
	const char *error;
	char   *local = NULL;
	char   *domain = NULL;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0 || cli_check_delimiter(cli, argv[0]) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_list_create(cli->store, argv[0], owner, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	if (store_list_check_name(argv[0], &local, &domain, &error) == STORE_OK)
		printf("created list %s@%s\n", local, domain);
	free(local);
	free(domain);
	return CLI_EXIT_OK;
}

static int cli_list_delete(struct cli *cli, const struct cli_command *cmd,
			   int argc, char **argv)
{
	struct store_list list;
	long long members;
	char   *address;
	const char *error;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_list_get(cli->store, argv[0], &list, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	members = list.counts.members;
	if ((address = strdup(list.address)) == NULL) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	rc = store_list_delete(cli->store, address, &error);
	if (rc == STORE_OK)
		printf("deleted list %s with %lld member%s\n", address, members,
		       members == 1 ? "" : "s");
	free(address);
	return rc == STORE_OK ? CLI_EXIT_OK : cli_store_error(rc, error);
}

/* A setting's value: strings in double quotes with C escapes, numbers bare. */
static void cli_print_value(const struct settings_row *row, const char *value)
{
	const unsigned char *p = (const unsigned char *) value;
	const char *label;

	if (row->type != SETTINGS_T_STRING && row->type != SETTINGS_T_TEXT
	    && row->type != SETTINGS_T_ADDRESS && row->type != SETTINGS_T_PATTERNS) {
		label = row->type == SETTINGS_T_ENUM ? settings_choice_label(row, value) : NULL;
		if (label != NULL && strcmp(label, value) != 0)
			printf("%s (%s)", value, label);
		else
			fputs(value, stdout);
		return;
	}
	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static int cli_print_owner(const char *owner, void *ctx)
{
	int    *count = ctx;

	printf("%s%s", (*count)++ ? ", " : "", owner);
	return 0;
}

static int cli_show_settings(struct cli *cli, const char *address)
{
	const struct settings_row *row;
	const char *error;
	char   *value;
	int	is_default;
	size_t	i;
	int	rc;

	printf("settings:\n");
	for (i = 0; (row = settings_at(i)) != NULL; i++) {
		rc = store_setting_get(cli->store, address, row->name, &value, &is_default, &error);
		if (rc != STORE_OK)
			return cli_store_error(rc, error);
		printf("  %s = ", row->name);
		cli_print_value(row, value);
		printf("%s\n", is_default ? " (default)" : "");
		free(value);
	}
	return CLI_EXIT_OK;
}

static int cli_list_show(struct cli *cli, const struct cli_command *cmd,
			 int argc, char **argv)
{
	struct store_list list;
	struct store_counts c;
	const char *error;
	char	when[64];
	int	owners = 0;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_list_get(cli->store, argv[0], &list, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	c = list.counts;
	printf("list: %s\ncreated: %s\n", list.address,
	       cli_time(list.created_at, when, sizeof(when)));
	printf("members: %lld (regular %lld, digest %lld, nomail %lld; disabled %lld, "
	       "moderated %lld)\n", c.members, c.regular, c.digest, c.nomail, c.disabled,
	       c.moderated);
	printf("owners: ");
	if ((rc = store_owner_each(cli->store, argv[0], cli_print_owner, &owners,
				   &error)) != STORE_OK)
		return cli_store_error(rc, error);
	printf("%s\n", owners ? "" : "(none)");
	return cli_show_settings(cli, argv[0]);
}

static int cli_print_list(const struct store_list *list, void *ctx)
{
	printf("%s %lld\n", list->address, list->counts.members);
	return 0;
}

static int cli_list_ls(struct cli *cli, const struct cli_command *cmd,
		       int argc, char **argv)
{
	const char *error;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_list_each(cli->store, cli_print_list, NULL, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
}

const struct cli_command cli_list_commands[] = {
	{"list", "create", "LIST@DOMAIN [--owner ADDR]",
	 "Create a list; its settings start at their defaults.",
	 "\nThe address is lowercased.  The list name must be a dot-atom, must not\n"
	 "contain the recipient delimiter, and must not end in -request, -owner,\n"
	 "-bounces, -confirm, -join or -leave (those are the list's own addresses).\n"
	 "\nOptions:\n"
	 "  --owner ADDR  the list's owner (a bare address such as owner@example.org)\n",
	 cli_list_create},
	{"list", "delete", "LIST",
	 "Delete a list with all its members, owners and settings.",
	 "\nThere is no undo and no confirmation question.\n",
	 cli_list_delete},
	{"list", "show", "LIST",
	 "Show a list: address, creation time, member counts, owners, settings.",
	 "\nEvery setting is shown as \"name = value\"; \"(default)\" marks those never\n"
	 "set for this list.  Text values are in double quotes with C escapes.\n",
	 cli_list_show},
	{"list", "ls", "",
	 "Show all lists, one per line: address and number of members.",
	 "",
	 cli_list_ls},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
