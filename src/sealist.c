/*
 * NAME
 *	sealist 1
 * SUMMARY
 *	the sealist command line interface
 * SYNOPSIS
 *	sealist [-c CONF] COMMAND ...
 * DESCRIPTION
 *	Reads the configuration (for the database), then runs one command
 *	of cli_list.c, cli_member.c, cli_key.c, cli_dkim.c, cli_auth.c, cli_held.c, cli_queue.c, cli_bounces.c or cli_config.c.  The
 *	configuration file is -c CONF, else $SEALIST_CONF, else the installed
 *	default if it exists, else the built-in defaults.  doc/sealist.1 is
 *	the manual.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_group {
	const char *name;
	const struct cli_command *commands;
	const char *summary;
};

static const struct cli_group cli_groups[] = {
	{"list", cli_list_commands, "Create, delete and show lists"},
	{"member", cli_member_commands, "Add, remove, show, import and export members"},
	{"key", cli_key_commands, "Make, publish and check DKIM signing keys"},
	{"dkim", cli_dkim_commands, "Sign and verify messages (DKIM debugging tools)"},
	{"auth", cli_auth_commands, "Authenticate a message as the list engine does"},
	{"arc", cli_arc_commands, "Seal and validate ARC chains (debugging tools)"},
	{"config", cli_config_commands, "Export and import list settings (Mailman 2.1 files)"},
	{"queue", cli_queue_commands, "Show the outbound queue and retry deliveries"},
	{"held", cli_held_commands, "Decide the posts held for a moderator"},
	{"request", cli_request_commands, "Decide (un)subscription requests awaiting an owner"},
	{"bounces", cli_bounces_commands, "Show bounce scores; warn and remove bouncing members"},
	/* ==== A2 ==== */
	{"admin", cli_admin_commands, "Manage the web admin accounts and their roles"},
	/* ==== end A2 ==== */
	/* ---- R2 ---- */
	{"dmarc-report", cli_dmarcrep_commands, "Import, summarise and send DMARC aggregate reports"},
	/* ---- end R2 ---- */
	{NULL, NULL, NULL},
};

static const struct cli_group *cli_find_group(const char *name)
{
	const struct cli_group *g;

	for (g = cli_groups; g->name != NULL; g++)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

static const struct cli_command *cli_find_command(const struct cli_group *g,
						  const char *name)
{
	const struct cli_command *c;

	for (c = g->commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void cli_main_help(FILE *fp)
{
	const struct cli_group *g;
	const struct cli_command *c;

	fprintf(fp, "usage: sealist [-c CONF] COMMAND ...\n\n"
		"Administer sealist mailing lists.\n\n"
		"Commands:\n");
	for (g = cli_groups; g->name != NULL; g++)
		for (c = g->commands; c != NULL && c->name != NULL; c++)
			fprintf(fp, "  %s %s%s%s\n      %s\n", c->group, c->name,
				*c->args ? " " : "", c->args, c->summary);
	fprintf(fp, "\nOptions:\n"
		"  -c CONF     configuration file; the default is $SEALIST_CONF, else\n"
		"              %s if it exists,\n"
		"              else built-in defaults\n"
		"  -h, --help  this help; 'sealist COMMAND --help' or 'sealist help COMMAND'\n"
		"              for one command\n"
		"  --version   the version\n\n"
		"Exit status: 0 done, 1 failed (nothing changed), 2 usage error.\n"
		"See sealist(1).\n", conf_default_path());
}

static void cli_group_help(const struct cli_group *g, FILE *fp)
{
	const struct cli_command *c;

	fprintf(fp, "usage: sealist [-c CONF] %s COMMAND ...\n\n%s.\n\nCommands:\n",
		g->name, g->summary);
	for (c = g->commands; c->name != NULL; c++)
		fprintf(fp, "  %s %s%s%s\n      %s\n", c->group, c->name,
			*c->args ? " " : "", c->args, c->summary);
	fprintf(fp, "\n'sealist %s COMMAND --help' tells more.\n", g->name);
}

static int cli_unknown(const char *what)
{
	cli_error("unknown command \"%s\"; 'sealist help' lists the commands", what);
	return CLI_EXIT_USAGE;
}

/* "sealist help [GROUP [COMMAND]]" */
static int cli_help(int argc, char **argv)
{
	const struct cli_group *g;
	const struct cli_command *c;

	if (argc == 0) {
		cli_main_help(stdout);
		return CLI_EXIT_OK;
	}
	if ((g = cli_find_group(argv[0])) == NULL)
		return cli_unknown(argv[0]);
	if (argc == 1) {
		cli_group_help(g, stdout);
		return CLI_EXIT_OK;
	}
	if ((c = cli_find_command(g, argv[1])) == NULL) {
		cli_error("unknown command \"%s %s\"; 'sealist help %s' lists its commands",
			  argv[0], argv[1], argv[0]);
		return CLI_EXIT_USAGE;
	}
	cli_command_help(c, stdout);
	return CLI_EXIT_OK;
}

/* "GROUP COMMAND ARGS..." */
static int cli_dispatch(struct cli *cli, int argc, char **argv)
{
	const struct cli_group *g;
	const struct cli_command *c;

	if (strcmp(argv[0], "help") == 0)
		return cli_help(argc - 1, argv + 1);
	if ((g = cli_find_group(argv[0])) == NULL)
		return cli_unknown(argv[0]);
	if (argc < 2) {
		cli_error("%s: missing command; 'sealist %s --help' lists them", g->name, g->name);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		cli_group_help(g, stdout);
		return CLI_EXIT_OK;
	}
	if ((c = cli_find_command(g, argv[1])) == NULL) {
		cli_error("unknown command \"%s %s\"; 'sealist %s --help' lists its commands",
			  argv[0], argv[1], argv[0]);
		return CLI_EXIT_USAGE;
	}
	return c->run(cli, c, argc - 2, argv + 2);
}

/* Global options before the command; returns -1 to go on, else an exit status. */
static int cli_global_options(struct cli *cli, int argc, char **argv, int *i)
{
	for (*i = 1; *i < argc && argv[*i][0] == '-'; (*i)++) {
		const char *a = argv[*i];

		if (strcmp(a, "-c") == 0 && *i + 1 < argc) {
			cli->conf_path = argv[++*i];
			cli->conf_explicit = 1;
		} else if (strncmp(a, "-c", 2) == 0 && a[2] != 0) {
			cli->conf_path = a + 2;
			cli->conf_explicit = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_main_help(stdout);
			return CLI_EXIT_OK;
		} else if (strcmp(a, "--version") == 0) {
			printf("sealist %s\n", PACKAGE_VERSION);
			return CLI_EXIT_OK;
		} else if (strcmp(a, "--") == 0) {
			(*i)++;
			break;
		} else {
			cli_error("%s: %s; try 'sealist --help'", a,
				  strcmp(a, "-c") == 0 ? "needs a file name" : "unknown option");
			return CLI_EXIT_USAGE;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct cli cli;
	const char *env;
	int	i;
	int	status;

	memset(&cli, 0, sizeof(cli));
	if ((env = getenv("SEALIST_CONF")) != NULL && *env != 0) {
		cli.conf_path = env;
		cli.conf_explicit = 1;
	}
	if ((status = cli_global_options(&cli, argc, argv, &i)) >= 0)
		return status;
	if (i >= argc) {
		cli_error("missing command; 'sealist help' lists the commands");
		return CLI_EXIT_USAGE;
	}
	status = cli_dispatch(&cli, argc - i, argv + i);
	cli_close(&cli);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the output");
		return CLI_EXIT_FAIL;
	}
	return status;
}
