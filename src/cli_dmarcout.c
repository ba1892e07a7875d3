/*
 * NAME
 *	cli_dmarcout 3
 * SUMMARY
 *	sealist dmarc-report send [--now SECONDS] [--dry-run]
 * DESCRIPTION
 *	One report pass at once (src/dmarcout.h), as sealistd runs it every
 *	few minutes: the reports whose interval ended are written, queued as
 *	outbound mail for the daemon's delivery workers (which DKIM-sign them
 *	as the list domain) and recorded.  --dry-run prints what would be
 *	sent and to whom, and why a destination is refused, and changes
 *	nothing.  --now sets the clock (tests).  DNS goes to dns_nameserver
 *	like the daemon's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "cli.h"
#include "dmarcout.h"

/* One lookup, all servers and retries included (as the pipeline's). */
#define CLI_DMARCOUT_DNS_TIMEOUT_MS	5000

static int cli_dmarcout_run(struct cli *cli, int dry_run, long long now)
{
	struct dmarcout_config cfg;
	struct dmarcout_stats stats;
	struct dns_resolver *res;
	const char *error = NULL;
	char	host[256];
	int	status;

	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((res = dns_resolver_new(conf_get(&cli->conf, CONF_DNS_NAMESERVER),
				    CLI_DMARCOUT_DNS_TIMEOUT_MS, &error)) == NULL) {
		fprintf(stderr, "sealist: cannot set up DNS: %s\n", error);
		return CLI_EXIT_FAIL;
	}
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.report_address = conf_get(&cli->conf, CONF_DMARC_REPORT_ADDRESS);
	cfg.generator = "sealist " PACKAGE_VERSION;
	cfg.hostname = host;
	cfg.dmarc_mode = strcmp(conf_get(&cli->conf, CONF_DMARC_DISCOVERY), "psl") == 0
	    ? DMARC_PSL : DMARC_TREEWALK;
	cfg.dry_run = dry_run;
	cfg.out = stdout;
	status = dmarcout_pass(cli->store, res, &cfg, now, &stats, &error);
	dns_resolver_free(res);
	if (status != STORE_OK)
		return cli_store_error(status, error);
	if (dry_run)
		printf("dry run: %zu report%s and %zu mail%s would be made, %zu postponed (DNS);"
		       " nothing changed\n", stats.reports, stats.reports == 1 ? "" : "s",
		       stats.mails, stats.mails == 1 ? "" : "s", stats.postponed);
	else
		printf("%zu report%s, %zu mail%s queued, %zu postponed (DNS), %lld old row%s"
		       " deleted\n", stats.reports, stats.reports == 1 ? "" : "s", stats.mails,
		       stats.mails == 1 ? "" : "s", stats.postponed, stats.purged,
		       stats.purged == 1 ? "" : "s");
	return CLI_EXIT_OK;
}

int cli_dmarcout_send(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	const char *now_text = NULL;
	int	dry_run = 0, n, rc;
	const struct cli_option options[] = {
		{"now", &now_text, NULL}, {"dry-run", NULL, &dry_run}, {NULL, NULL, NULL}
	};
	long long now = (long long) time(NULL);

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0)
		return rc;
	if (now_text != NULL && cli_parse_number(now_text, 0, 253402300799LL, &now) < 0)
		return cli_usage(cmd, "--now needs Unix seconds, not \"%s\"", now_text);
	if (cli_load_config(cli) != 0)
		return CLI_EXIT_FAIL;
	if (!dry_run && strcmp(conf_get(&cli->conf, CONF_DMARC_REPORTS_SEND), "yes") != 0) {
		printf("dmarc_reports_send is no: nothing sent\n");
		return CLI_EXIT_OK;
	}
	return cli_dmarcout_run(cli, dry_run, now);
}
