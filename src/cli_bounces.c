/*
 * NAME
 *	cli_bounces 3
 * SUMMARY
 *	sealist bounces ls LIST, sealist bounces process
 * DESCRIPTION
 *	The members whose mail bounces: score, last scored bounce, state
 *	and how many rejections were caused by someone else's DMARC failure
 *	(those never count against the member).  "process" takes the due
 *	steps of the bounce lifecycle once (bounce.h): warnings and removals.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bounce.h"
#include "cli.h"

static int cli_bounce_line(const struct store_bounce_row *b, void *ctx)
{
	char	when[32] = "-";
	time_t	t = (time_t) b->last;
	struct tm tm;

	(void) ctx;
	if (b->last > 0 && gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d", &tm);
	printf("%s\tscore %.1f\tlast %s\t%s%s%s\tdmarc %lld\n", b->address, b->score, when,
	       b->status, *b->disabled_by ? " by " : "", b->disabled_by, b->dmarc);
	return 0;
}

static int cli_bounces_ls(struct cli *cli, const struct cli_command *cmd, int argc,
			  char **argv)
{
	const char *error;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_bounce_each(cli->store, argv[0], cli_bounce_line, NULL, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
}

static int cli_bounces_process(struct cli *cli, const struct cli_command *cmd, int argc,
			       char **argv)
{
	const char *now_text = NULL, *error;
	const struct cli_option options[] = { {"now", &now_text, NULL}, {NULL, NULL, NULL} };
	struct bounce_ctx c;
	long long now = (long long) time(NULL);
	size_t	warned, removed;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0)
		return rc;
	if (now_text != NULL && cli_parse_number(now_text, 0, 253402300799LL, &now) < 0)
		return cli_usage(cmd, "--now needs Unix seconds, not \"%s\"", now_text);
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	memset(&c, 0, sizeof(c));
	c.store = cli->store;
	c.templates_dir = conf_get(&cli->conf, CONF_TEMPLATES_DIR);
	c.web_base_url = conf_get(&cli->conf, CONF_WEB_BASE_URL);
	c.now = now;
	if ((rc = bounce_tick(&c, &warned, &removed, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	printf("warned %zu, removed %zu\n", warned, removed);
	return CLI_EXIT_OK;
}

const struct cli_command cli_bounces_commands[] = {
	{"bounces", "ls", "LIST", "Show the members whose mail bounces",
	 "One line per member with a bounce score, a DMARC-caused rejection or a\n"
	 "disabling: address, score, day of the last scored bounce (UTC), state\n"
	 "(\"disabled by bounce\"), and the DMARC-caused rejections, which never\n"
	 "count against the member.\n",
	 cli_bounces_ls},
	{"bounces", "process", "[--now SECONDS]",
	 "Send the bounce warnings and make the removals that are due",
	 "Every list with bounce_processing on: a member disabled by bounces gets\n"
	 "another warning when bounce_you_are_disabled_warnings_interval days have\n"
	 "begun since the last one and warnings are left, and is removed when none\n"
	 "are left and the interval has passed again (the owners are told if\n"
	 "bounce_notify_owner_on_removal).  The notices are queued for delivery.\n"
	 "Prints \"warned N, removed M\".  Safe to run often: nothing is done twice.\n"
	 "  --now SECONDS   the time to judge at (Unix seconds), for tests\n",
	 cli_bounces_process},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
