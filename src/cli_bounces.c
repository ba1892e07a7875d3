/*
 * NAME
 *	cli_bounces 3
 * SUMMARY
 *	sealist bounces ls LIST
 * DESCRIPTION
 *	The members whose mail bounces: score, last scored bounce, state
 *	and how many rejections were caused by someone else's DMARC failure
 *	(those never count against the member).
 */
#include <stdio.h>
#include <time.h>

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

const struct cli_command cli_bounces_commands[] = {
	{"bounces", "ls", "LIST", "Show the members whose mail bounces",
	 "One line per member with a bounce score, a DMARC-caused rejection or a\n"
	 "disabling: address, score, day of the last scored bounce (UTC), state\n"
	 "(\"disabled by bounce\"), and the DMARC-caused rejections, which never\n"
	 "count against the member.\n",
	 cli_bounces_ls},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
