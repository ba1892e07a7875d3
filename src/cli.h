/*
 * NAME
 *	cli 3h
 * SUMMARY
 *	the sealist command line: command table, options, errors
 * DESCRIPTION
 *	sealist.c parses the global options and dispatches "GROUP COMMAND"
 *	to a row of a command table (cli_list.c, cli_member.c, cli_key.c,
 *	cli_dkim.c, cli_auth.c).  Each row
 *	carries its usage and help text, so --help, "sealist help" and the
 *	usage errors all come from one place.
 *
 *	Errors for the user go to stderr as one line "sealist: ...", saying
 *	what to do next where there is something to do.  Exit statuses:
 *	0 success, 1 failure (nothing was changed), 2 usage error.
 */
#ifndef SEALIST_CLI_H
#define SEALIST_CLI_H

#include <stdio.h>

#include "conf.h"
#include "store.h"

#define CLI_EXIT_OK	0
#define CLI_EXIT_FAIL	1
#define CLI_EXIT_USAGE	2

/* What every command may need; the store is opened on demand. */
struct cli {
	const char *conf_path;	/* the file to read, or NULL: the default */
	int	conf_explicit;	/* -c or SEALIST_CONF: the file must exist */
	struct conf conf;
	int	conf_loaded;
	struct store *store;
};

struct cli_command {
	const char *group;	/* "list" */
	const char *name;	/* "create" */
	const char *args;	/* "LIST@DOMAIN [--owner ADDR]" */
	const char *summary;	/* one line for the overview */
	const char *help;	/* details and options, lines ending in \n */
	int	(*run)(struct cli *, const struct cli_command *, int argc, char **argv);
};

/* The commands of each group; each table ends with a row whose name is NULL. */
extern const struct cli_command cli_list_commands[];
extern const struct cli_command cli_member_commands[];
extern const struct cli_command cli_key_commands[];
extern const struct cli_command cli_dkim_commands[];
extern const struct cli_command cli_auth_commands[];
extern const struct cli_command cli_arc_commands[];
extern const struct cli_command cli_held_commands[];
extern const struct cli_command cli_request_commands[];
extern const struct cli_command cli_queue_commands[];
extern const struct cli_command cli_bounces_commands[];
extern const struct cli_command cli_config_commands[];
/* ==== A2 ==== */
extern const struct cli_command cli_admin_commands[];	/* cli_admin.c */
/* ==== end A2 ==== */
/* ---- R2 ---- */
extern const struct cli_command cli_dmarcrep_commands[];	/* cli_dmarcrep.c */
/* ---- end R2 ---- */

/* One option of a command: --name, --name VALUE or --name=VALUE. */
struct cli_option {
	const char *name;	/* without the dashes */
	const char **value_r;	/* takes a value; NULL for a flag */
	int    *flag_r;		/* set to 1 for a flag */
};

/*
 * Parse a command's arguments (after its name): options anywhere, "--"
 * ends them, -h/--help prints the help.  The other arguments are moved
 * to the front of argv in order; their number goes into *nargs_r.
 * Returns -1 to go on, or an exit status to return at once (0 after
 * --help, 2 after a usage error, which it has printed).
 */
extern int cli_parse(const struct cli_command *, int argc, char **argv,
		     const struct cli_option *options, int *nargs_r);

/* Check the number of arguments; prints the usage error. 0 or 2. */
extern int cli_want_args(const struct cli_command *, int nargs, int min, int max);

/* "sealist: ..." on stderr. */
extern void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cli_error plus "try 'sealist GROUP CMD --help'"; returns 2. */
extern int cli_usage(const struct cli_command *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Usage and help of one command. */
extern void cli_command_help(const struct cli_command *, FILE *);

/*
 * A decimal integer in [min, max] (optional leading '-', nothing else);
 * 0, or -1 if text is not one.
 */
extern int cli_parse_number(const char *text, long long min, long long max,
			    long long *value_r);

/* Load the configuration (once), for commands that need no store; prints errors.  0 or 1. */
extern int cli_load_config(struct cli *);

/* Load the configuration (once) and open the store; prints errors.  0 or 1. */
extern int cli_open_store(struct cli *);

/*
 * Read the message on standard input (at most LIMIT_MESSAGE_SIZE bytes)
 * and parse it; errors name the command ("dkim sign").  0 with *m_r, or
 * 1 (printed).
 */
struct msg;
extern int cli_read_message(const char *command, struct msg **m_r);

/* Release what cli_open_store opened. */
extern void cli_close(struct cli *);

/*
 * A pipeline worker without a thread, for the decisions the CLI makes as
 * the daemon would (held posts, subscription requests).  0, or 1 after
 * saying why on stderr; cli_worker_close in any case after 0.
 */
struct pipeline_worker;
struct pipeline_config_owned;
struct cli_worker {
	struct pipeline_worker *w;
	struct pipeline_config_owned *own;
};
extern int cli_worker_open(struct cli *, const struct cli_command *, struct cli_worker *);
extern void cli_worker_close(struct cli_worker *);

/* A store error as "sealist: MESSAGE" with a hint for the status; returns 1. */
extern int cli_store_error(int status, const char *message);

/* ---- H4: sealist dmarc-report send (cli_dmarcout.c) ---- */
extern int cli_dmarcout_send(struct cli *, const struct cli_command *, int argc, char **argv);
/* ---- end H4 ---- */

#endif
