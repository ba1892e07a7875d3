/*
 * NAME
 *	cli_request 3
 * SUMMARY
 *	sealist request ls | approve | reject
 * DESCRIPTION
 *	The owners' side of subscribe_policy and unsubscribe_policy 2 and 3:
 *	the (un)subscription requests that wait for an owner's approval, or
 *	for the person's confirmation.  A decision goes through the same
 *	function the mail and web paths use (request_decide), so approving
 *	here adds the member and sends the welcome exactly as they would.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "pipeline.h"

static int cli_request_line(const struct store_pending *p, void *ctx)
{
	time_t	t = (time_t) p->expires_at;
	struct tm tm;
	char	when[32] = "-";

	(void) ctx;
	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	printf("%s\t%s\t%s\t%s\t%s\texpires %s\t%s\n", p->token, p->list, p->kind, p->address,
	       p->state, when, p->requested_by ? p->requested_by : "");
	return 0;
}

static int cli_request_ls(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	const char *error;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_request_each(cli->store, argv[0], (long long) time(NULL),
				     cli_request_line, NULL, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
}

static int cli_request_decide(struct cli *cli, const struct cli_command *cmd, int argc,
			      char **argv)
{
	struct cli_worker cw;
	const char *error;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if (cli_worker_open(cli, cmd, &cw) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = pipeline_worker_request(cw.w, argv[0], cmd->name, &error)) != STORE_OK)
		rc = cli_store_error(rc, error);
	else
		printf("%s: done\n", cmd->name);
	cli_worker_close(&cw);
	return rc;
}

const struct cli_command cli_request_commands[] = {
	{"request", "ls", "LIST", "Show the (un)subscription requests waiting",
	 "One line per live request, oldest first, tab-separated: token, list,\n"
	 "kind (subscribe or unsubscribe), address, state (awaiting_confirmation\n"
	 "or awaiting_approval), when it expires (UTC) and who asked.\n",
	 cli_request_ls},
	{"request", "approve", "TOKEN", "Approve a request that awaits an owner",
	 "The member is added (welcome mail) or removed (goodbye mail), as the\n"
	 "list's settings say.  Only a request in state awaiting_approval.\n",
	 cli_request_decide},
	{"request", "reject", "TOKEN", "Refuse a request that awaits an owner",
	 "The request is closed; the person is not added or removed.\n",
	 cli_request_decide},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
