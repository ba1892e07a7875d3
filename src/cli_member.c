/*
 * NAME
 *	cli_member 3
 * SUMMARY
 *	sealist member add | remove | ls
 * DESCRIPTION
 *	Adding and removing several addresses is one transaction: one bad
 *	address and nothing changes (the store checks them all first).
 *	Output formats are described in doc/sealist.1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

static int cli_member_ls(struct cli *cli, const struct cli_command *cmd,
			 int argc, char **argv)
{
	const char *error;
	int	n;
	int	rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_member_each(cli->store, argv[0], cli_print_member, NULL,
				    &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
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
	{"member", "ls", "LIST",
	 "Show the members, one per line.",
	 "\nEach line is: ADDRESS DELIVERY STATUS FLAGS [\"NAME\"], where DELIVERY is\n"
	 "regular, digest or nomail, STATUS is enabled or disabled, and FLAGS is\n"
	 "moderated or -.  Lines are ordered by address.\n",
	 cli_member_ls},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
