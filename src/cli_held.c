/*
 * NAME
 *	cli_held 3
 * SUMMARY
 *	sealist held ls | show | approve | reject | discard
 * DESCRIPTION
 *	The moderators' commands for posts the posting policy held.  A held
 *	post is named by its number (held ls) or by the token of its notice;
 *	a decision goes through the same function as a moderator's reply by
 *	mail (post_decide_held), so approving here rewrites and enqueues the
 *	post exactly as the pipeline would have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pipeline.h"

static int cli_held_line(const struct store_held *h, void *ctx)
{
	(void) ctx;
	printf("%lld\t%s\t%s\t%s\t%s\n", h->id, h->list, h->sender, h->reason, h->subject);
	return 0;
}

static int cli_held_ls(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	const char *error;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_held_each(cli->store, n == 1 ? argv[0] : NULL, cli_held_line, NULL,
				  &error)) != STORE_OK)
		return cli_store_error(rc, error);
	return CLI_EXIT_OK;
}

/* "12" is an id, anything else a token. */
static void cli_held_which(const char *arg, long long *id_r, const char **token_r)
{
	long long id;

	*token_r = NULL;
	*id_r = 0;
	if (cli_parse_number(arg, 1, 9223372036854775807LL, &id) == 0)
		*id_r = id;
	else
		*token_r = arg;
}

/* The one argument, ID or TOKEN; -1 to go on, else the exit status. */
static int cli_held_target(const struct cli_command *cmd, int argc, char **argv,
			   const struct cli_option *options, long long *id_r,
			   const char **token_r)
{
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	cli_held_which(argv[0], id_r, token_r);
	return -1;
}

static int cli_held_show(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct store_held h;
	struct store_inbox_msg in;
	const char *error, *token;
	long long id;
	int	rc;

	if ((rc = cli_held_target(cmd, argc, argv, NULL, &id, &token)) >= 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = store_held_get(cli->store, id, token, &h, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	printf("held:    %lld\nlist:    %s\nsender:  %s\nsubject: %s\nreason:  %s\n"
	       "notify:  %s\n\n", h.id, h.list, h.sender, h.subject, h.reason,
	       h.notify_poster ? "the poster may be told" : "never (DMARC fail or automated)");
	if ((rc = store_inbox_get(cli->store, h.inbox_id, &in, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	fwrite(in.message, 1, in.size, stdout);
	store_inbox_msg_free(&in);
	return CLI_EXIT_OK;
}

static int cli_held_decide(struct cli *cli, const struct cli_command *cmd, int argc,
			   char **argv)
{
	struct cli_worker cw;
	const char *error, *token, *reason = NULL;
	/* only a rejection tells the poster anything */
	const struct cli_option reject_options[] = { {"reason", &reason, NULL}, {NULL, NULL, NULL} };
	long long id;
	int	rc;

	if ((rc = cli_held_target(cmd, argc, argv,
				  strcmp(cmd->name, "reject") == 0 ? reject_options : NULL,
				  &id, &token)) >= 0)
		return rc;
	if (cli_worker_open(cli, cmd, &cw) != 0)
		return CLI_EXIT_FAIL;
	if ((rc = pipeline_worker_decide(cw.w, id, token, cmd->name, reason, &error)) != STORE_OK)
		rc = cli_store_error(rc, error);
	else
		printf("%s: done\n", cmd->name);
	cli_worker_close(&cw);
	return rc;
}

const struct cli_command cli_held_commands[] = {
	{"held", "ls", "[LIST]", "Show the posts waiting for a moderator",
	 "One line per held post, oldest first: number, list, sender, reason and\n"
	 "subject, separated by tabs.\n",
	 cli_held_ls},
	{"held", "show", "ID|TOKEN", "Show one held post with its message",
	 "The held post's details, an empty line, then the message as received.\n",
	 cli_held_show},
	{"held", "approve", "ID|TOKEN", "Send a held post to the list",
	 "The post is rewritten and enqueued as if the policy had accepted it\n"
	 "(From munging still applies where the author's DMARC policy needs it).\n",
	 cli_held_decide},
	{"held", "reject", "[--reason TEXT] ID|TOKEN", "Refuse a held post and tell the poster",
	 "The poster gets the rejected-poster notice, unless the post failed\n"
	 "DMARC or was automated mail: a forged sender is never written to.\n"
	 "--reason TEXT is told to the poster after \"a moderator rejected it:\".\n",
	 cli_held_decide},
	{"held", "discard", "ID|TOKEN", "Drop a held post silently",
	 "Nobody is told.\n",
	 cli_held_decide},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
