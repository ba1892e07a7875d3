/*
 * NAME
 *	cli_queue 3
 * SUMMARY
 *	sealist queue ls | retry [ID]
 * DESCRIPTION
 *	What the outbound queue holds: one line per outbound row (a post,
 *	a notice, a forward) with its deliveries by state, and a way to make
 *	the waiting ones due now, as an admin does after fixing the relay.
 */
#include <stdio.h>
#include <time.h>

#include "cli.h"

static int cli_queue_line(const struct store_queue_row *q, void *ctx)
{
	char	when[32] = "-";
	time_t	t = (time_t) q->next_attempt;
	struct tm tm;

	(void) ctx;
	if (q->next_attempt > 0 && gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%lld\t%s\t%s\tqueued %lld\tdelivered %lld\tbounced %lld\tnext %s\n",
	       q->outbound_id, q->list, q->kind, q->queued, q->delivered, q->bounced, when);
	return 0;
}

static int cli_queue_ls(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	const char *error;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_queue_each(cli->store, cli_queue_line, NULL, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
}

static int cli_queue_retry(struct cli *cli, const struct cli_command *cmd, int argc,
			   char **argv)
{
	const char *error;
	long long id = 0, count;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 1)) != 0)
		return rc;
	if (n == 1 && cli_parse_number(argv[0], 1, 9223372036854775807LL, &id) < 0)
		return cli_usage(cmd, "ID must be a number from queue ls, not \"%s\"", argv[0]);
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_queue_retry(cli->store, id, (long long) time(NULL), &count, &error))
	    != STORE_OK)
		return cli_store_error(rc, error);
	printf("%lld deliver%s due now\n", count, count == 1 ? "y" : "ies");
	return CLI_EXIT_OK;
}

const struct cli_command cli_queue_commands[] = {
	{"queue", "ls", "", "Show the outbound queue",
	 "One line per outbound row (post, notice or forward), oldest first: number,\n"
	 "list, kind, its deliveries queued, delivered and bounced, and the next\n"
	 "attempt (UTC).  A post has one delivery per active regular member.\n",
	 cli_queue_ls},
	{"queue", "retry", "[ID]", "Make waiting deliveries due now",
	 "Every queued delivery, or those of outbound row ID, is tried at once\n"
	 "instead of at its backoff time.\n",
	 cli_queue_retry},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
