/*
 * NAME
 *	cli_common 3
 * SUMMARY
 *	the sealist command line: options, errors, configuration and store
 * DESCRIPTION
 *	See cli.h.  Options are parsed here rather than with getopt_long(),
 *	whose reset between sub-commands and argument permutation differ
 *	between C libraries.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf/buf.h"
#include "cli.h"
#include "pipeline.h"
#include "msg/msg.h"
#include "sealist_limits.h"

void cli_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("sealist: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "sealist: %s %s: ", cmd->group, cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; try 'sealist %s %s --help'\n", cmd->group, cmd->name);
	return CLI_EXIT_USAGE;
}

void cli_command_help(const struct cli_command *cmd, FILE *fp)
{
	fprintf(fp, "usage: sealist [-c CONF] %s %s%s%s\n\n%s\n%s", cmd->group, cmd->name,
		*cmd->args ? " " : "", cmd->args, cmd->summary, cmd->help);
}

static const struct cli_option *cli_find_option(const struct cli_option *options,
						const char *name, size_t len)
{
	for (; options != NULL && options->name != NULL; options++)
		if (strlen(options->name) == len && strncmp(options->name, name, len) == 0)
			return options;
	return NULL;
}

/* One "--name[=value]" at argv[*i]; may consume argv[*i + 1]. 0 or 2. */
static int cli_parse_option(const struct cli_command *cmd, int argc, char **argv, int *i,
			    const struct cli_option *options)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t	len = eq ? (size_t) (eq - name) : strlen(name);
	const struct cli_option *opt = cli_find_option(options, name, len);

	if (opt == NULL)
		return cli_usage(cmd, "unknown option %s", argv[*i]);
	if (opt->value_r == NULL) {
		if (eq != NULL)
			return cli_usage(cmd, "--%s takes no value", opt->name);
		*opt->flag_r = 1;
		return 0;
	}
	if (eq != NULL) {
		*opt->value_r = eq + 1;
		return 0;
	}
	if (*i + 1 >= argc)
		return cli_usage(cmd, "--%s needs a value", opt->name);
	*opt->value_r = argv[++*i];
	return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      const struct cli_option *options, int *nargs_r)
{
	int	i;
	int	n = 0;
	int	status;
	int	options_done = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (options_done || a[0] != '-' || a[1] == 0) {
			argv[n++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			options_done = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_command_help(cmd, stdout);
			return CLI_EXIT_OK;
		} else if (a[1] != '-') {
			return cli_usage(cmd, "unknown option %s", a);
		} else if ((status = cli_parse_option(cmd, argc, argv, &i, options)) != 0) {
			return status;
		}
	}
	*nargs_r = n;
	return -1;
}

int cli_want_args(const struct cli_command *cmd, int nargs, int min, int max)
{
	if (nargs < min)
		return cli_usage(cmd, "missing arguments: expected %s", cmd->args);
	if (max >= 0 && nargs > max)
		return cli_usage(cmd, "too many arguments");
	return 0;
}

/*
 * The configuration: an explicit file (-c, SEALIST_CONF) must exist; the
 * installed default is used if it exists, else the built-in defaults.
 */
static int cli_load_conf(struct cli *cli)
{
	const char *path = cli->conf_path ? cli->conf_path : conf_default_path();
	struct buf errors;
	int	nerrors;

	conf_init(&cli->conf);
	cli->conf_loaded = 1;
	if (access(path, R_OK) != 0) {
		if (!cli->conf_explicit && errno == ENOENT)
			return 0;
		cli_error("cannot read the configuration file %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	buf_init(&errors, 64 * 1024);
	nerrors = conf_load(&cli->conf, path, &errors);
	if (nerrors > 0) {
		/* One "FILE:LINE: message" per line; each gets our prefix. */
		const char *p = buf_str(&errors);

		while (*p) {
			size_t	len = strcspn(p, "\n");

			cli_error("%.*s", (int) len, p);
			p += len + (p[len] == '\n');
		}
		cli_error("%s has %d error%s; fix %s or name another file with -c",
			  path, nerrors, nerrors == 1 ? "" : "s", nerrors == 1 ? "it" : "them");
	}
	buf_free(&errors);
	return nerrors > 0 ? CLI_EXIT_FAIL : 0;
}

int cli_load_config(struct cli *cli)
{
	return cli->conf_loaded ? 0 : cli_load_conf(cli);
}

int cli_parse_number(const char *text, long long min, long long max, long long *value_r)
{
	char   *end;
	long long v;

	if (!(text[0] == '-' || (text[0] >= '0' && text[0] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != 0 || v < min || v > max)
		return -1;
	*value_r = v;
	return 0;
}

int cli_open_store(struct cli *cli)
{
	const char *error;
	const char *db;

	if (cli->store != NULL)
		return 0;
	if (!cli->conf_loaded && cli_load_conf(cli) != 0)
		return CLI_EXIT_FAIL;
	db = conf_get(&cli->conf, CONF_DATABASE);
	if ((cli->store = store_open(db, &error)) == NULL) {
		/* Say where the name came from: the usual fix is the configuration. */
		if (cli->conf.line[CONF_DATABASE] > 0)
			cli_error("%s (database is set in %s line %d)", error, cli->conf.path,
				  cli->conf.line[CONF_DATABASE]);
		else
			cli_error("%s (the default database; set database in the "
				  "configuration file, see sealist(1))", error);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

void cli_close(struct cli *cli)
{
	store_close(cli->store);
	cli->store = NULL;
	if (cli->conf_loaded)
		conf_free(&cli->conf);
	cli->conf_loaded = 0;
}

int cli_store_error(int status, const char *message)
{
	switch (status) {
	case STORE_NO_LIST:
		cli_error("%s ('sealist list ls' shows the lists)", message);
		break;
	default:
		cli_error("%s", message);
		break;
	}
	return CLI_EXIT_FAIL;
}

/* The whole of stdin into b; 0 or 1 (printed). */
static int cli_read_stdin(const char *command, struct buf *b)
{
	char	chunk[64 * 1024];
	size_t	n;

	buf_init(b, LIMIT_MESSAGE_SIZE);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (buf_append(b, chunk, n) < 0) {
			cli_error("%s: the message on standard input is larger than %d bytes;"
				  " sealist handles nothing bigger", command, LIMIT_MESSAGE_SIZE);
			return CLI_EXIT_FAIL;
		}
	if (ferror(stdin)) {
		cli_error("%s: cannot read standard input", command);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

int cli_read_message(const char *command, struct msg **m_r)
{
	struct buf in;
	const char *error;
	int	rc;

	*m_r = NULL;
	if ((rc = cli_read_stdin(command, &in)) == 0
	    && msg_parse(m_r, in.data, in.len, &error) < 0) {
		cli_error("%s: cannot parse the message on standard input: %s", command, error);
		rc = CLI_EXIT_FAIL;
	}
	buf_free(&in);
	return rc;
}

int cli_worker_open(struct cli *cli, const struct cli_command *cmd, struct cli_worker *cw)
{
	struct pipeline_config cfg;
	const char *error;

	memset(cw, 0, sizeof(*cw));
	if (cli_load_config(cli) != 0)
		return 1;
	if ((cw->own = malloc(sizeof(*cw->own))) == NULL) {
		cli_error("out of memory");
		return 1;
	}
	if (pipeline_config_load(&cli->conf, &cfg, cw->own, &error) < 0
	    || (cw->w = pipeline_worker_new(&cfg, 1, 0, &error)) == NULL) {
		cli_error("%s %s: %s", cmd->group, cmd->name, error);
		cli_worker_close(cw);
		return 1;
	}
	return 0;
}

void cli_worker_close(struct cli_worker *cw)
{
	pipeline_worker_free(cw->w);
	if (cw->own != NULL)
		pipeline_config_free(cw->own);
	free(cw->own);
	memset(cw, 0, sizeof(*cw));
}
