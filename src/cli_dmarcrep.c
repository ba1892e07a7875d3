/*
 * NAME
 *	cli_dmarcrep 3
 * SUMMARY
 *	sealist dmarc-report import FILE..., sealist dmarc-report summary
 * DESCRIPTION
 *	import: each file is read (at most LIMIT_DMARCREP_PACKED octets)
 *	and handed to dmarcrep_import (src/dmarcrep_import.h, the code mail
 *	to the report address goes through too): unpacked and parsed by
 *	lib/dmarcrep and stored with its records in one transaction; a
 *	report already stored (same org_name and report_id) adds nothing,
 *	and one that cannot be unpacked, parsed or stored is kept aside with
 *	its reason, so that the admin can see later what was refused.  One
 *	line per file; the exit status is 1 if any file was
 *	refused or unreadable, after all of them were tried.
 *
 *	summary: per policy domain, per reporting organisation and per
 *	source IP, the messages of the reports that ended in the last N days,
 *	the share whose DKIM, SPF and DMARC (either) passed aligned as the
 *	receiver evaluated it, and what the receiver did with them.  The
 *	source IPs in outbound_ips (sealist.conf) are marked with "*", and
 *	an org with reports that came in mail that did not pass DMARC with
 *	"!" and how many (RFC 9990 section 8.2: report data may be forged).
 *
 *	What reports say is someone else's text: org names, report ids,
 *	domains, source IPs and the parser's reasons are printed with control characters replaced,
 *	so a report cannot write escape sequences to the admin's terminal.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf/buf.h"
#include "dmarcrep_import.h"
#include "sealist_limits.h"
#include "cli.h"
#include "dmarcverdict_gather.h"
#include "web_client.h"

#define CLI_DMARCREP_DAY	86400LL
/* --days at most: ten years of reports is more than anyone keeps. */
#define CLI_DMARCREP_DAYS_MAX	3650
/* The source IP column: IPv4 and most IPv6 addresses fit, longer ones push the row. */
#define CLI_DMARCREP_IP_WIDTH	24
/* The verdict's lines at most (a terminal, a cron mail). */
#define CLI_DMARCREP_WRAP	72

/* s with control characters (C0, DEL) as '?': safe to print. */
static void cli_dmarcrep_put(FILE *fp, const char *s)
{
	for (; s != NULL && *s; s++)
		fputc((unsigned char) *s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

/*
 * path into b, at most LIMIT_DMARCREP_PACKED octets: 0; 1 if it cannot be
 * read (said on stderr); 2 if it is bigger (b holds the first
 * LIMIT_DMARCREP_PACKED + 1 octets).
 */
static int cli_dmarcrep_read(const char *path, struct buf *b)
{
	FILE   *fp = fopen(path, "rb");
	char	chunk[65536];
	size_t	n, want;
	int	failed;

	if (fp == NULL) {
		cli_error("cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	for (;;) {
		want = (size_t) LIMIT_DMARCREP_PACKED + 1 - b->len;
		if (want > sizeof(chunk))
			want = sizeof(chunk);
		if (want == 0 || (n = fread(chunk, 1, want, fp)) == 0)
			break;
		if (buf_append(b, chunk, n) < 0)
			break;
	}
	failed = ferror(fp);
	fclose(fp);
	if (failed || buf_failed(b)) {
		cli_error("cannot read %s%s", path, failed ? "" : ": out of memory");
		return 1;
	}
	return b->len > (size_t) LIMIT_DMARCREP_PACKED ? 2 : 0;
}

/* One file; 0 imported or duplicate, 1 refused or failed (said). */
static int cli_dmarcrep_import_one(struct cli *cli, const char *path)
{
	struct dmarcrep_import_result res;
	struct buf data, source;
	const char *error = NULL;
	int	rc, ret = 1;

	buf_init(&data, (size_t) LIMIT_DMARCREP_PACKED + 1);
	buf_init(&source, 4096 + 8);
	if (buf_printf(&source, "file:%s", path) < 0) {
		cli_error("%s: the file name is too long", path);
		goto out;
	}
	if (cli_dmarcrep_read(path, &data) == 1)
		goto out;
	/* a file over LIMIT_DMARCREP_PACKED is refused for its size there */
	rc = dmarcrep_import(cli->store, data.data, data.len, buf_str(&source), NULL, NULL,
			     (long long) time(NULL), &res, &error);
	if (res.outcome == DMARCREP_FAILED) {
		cli_error("%s: %s", path, error);
		goto out;
	}
	if (res.outcome == DMARCREP_REFUSED) {
		printf("%s: refused: ", path);
		cli_dmarcrep_put(stdout, res.reason);
		printf(res.kept ? " (kept aside)\n" : " (not kept aside)\n");
		if (!res.kept)
			cli_store_error(rc, error);
		goto out;
	}
	printf("%s: %s ", path, res.outcome == DMARCREP_DUPLICATE ? "duplicate" : "imported");
	cli_dmarcrep_put(stdout, res.org);
	putchar(' ');
	cli_dmarcrep_put(stdout, res.report_id);
	if (res.outcome == DMARCREP_DUPLICATE)
		printf(", nothing added\n");
	else
		printf(" (%zu record%s, %lld message%s)\n", res.records, res.records == 1 ? "" : "s",
		       res.messages, res.messages == 1 ? "" : "s");
	ret = 0;
out:
	buf_free(&source);
	buf_free(&data);
	return ret;
}

static int cli_dmarcrep_import(struct cli *cli, const struct cli_command *cmd, int argc,
			       char **argv)
{
	int	n, i, rc, failed = 0;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, -1)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	for (i = 0; i < n; i++) {
		failed |= cli_dmarcrep_import_one(cli, argv[i]);
		fflush(stdout);
	}
	return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* The summary's state between rows. */
struct cli_dmarcrep_sum {
	struct web_net nets[DMARCVERDICT_NETS_MAX];
	size_t	nnets;
	struct buf domain, org;		/* of the last row */
	long long days;
	size_t	rows;
	int	unauth;			/* an org was marked "!" */
	/* (H8) the verdict under each domain's table */
	struct cli *cli;
	long long since, until;		/* the window: reports ending in [since, until] */
	char	period[DMARCVERDICT_PERIOD_MAX];
	int	brief;			/* --brief: the verdicts only */
	int	failed;			/* the list server's mail failed somewhere */
	const char *error;		/* the verdict could not be read */
};

/* outbound_ips into c->nets (dmarcverdict reads it for the web page too). */
static void cli_dmarcrep_nets(struct cli_dmarcrep_sum *c, const char *v)
{
	if (dmarcverdict_nets(v, c->nets, DMARCVERDICT_NETS_MAX, &c->nnets) > 0)
		cli_error("outbound_ips: only the first %d entries are marked",
			  DMARCVERDICT_NETS_MAX);
}

/* "100.0%" of part in all, or "-" when all is 0, right-aligned in 7. */
static void cli_dmarcrep_pct(long long part, long long all)
{
	if (all <= 0)
		printf(" %6s", "-");
	else
		printf(" %5.1f%%", 100.0 * (double) part / (double) all);
}

/* One paragraph of the verdict, control characters as '?', wrapped at CLI_DMARCREP_WRAP. */
static void cli_dmarcrep_wrap(const char *p, size_t len)
{
	const char *end = p + len;
	size_t	n, col = 0;

	while (p < end) {
		for (; p < end && *p == ' '; p++)
			;
		for (n = 0; p + n < end && p[n] != ' '; n++)
			;
		if (n == 0)
			break;
		if (col > 0 && col + 1 + n > CLI_DMARCREP_WRAP) {
			putchar('\n');
			col = 0;
		} else if (col > 0) {
			putchar(' ');
			col++;
		}
		for (col += n; n > 0; n--, p++)
			putchar((unsigned char) *p < 0x20 || *p == 0x7f ? '?' : *p);
	}
	putchar('\n');
}

/*
 * The verdict about domain over the summary's window, as the web page
 * words it (dmarcverdict_gather: the same inputs), one block of wrapped
 * paragraphs; notes in c->failed whether the list server's mail failed.
 * 0, or -1 with c->error set.
 */
static int cli_dmarcrep_verdict(struct cli_dmarcrep_sum *c, const char *domain)
{
	struct dmarcverdict_data *d;
	struct buf text;
	const char *p, *nl;
	int	rc = -1;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		c->error = "out of memory";
		return -1;
	}
	buf_init(&text, 256 * 1024);
	if (dmarcverdict_gather(c->cli->store, domain, c->since, c->until + 1, 1, c->period,
				conf_get(&c->cli->conf, CONF_DMARC_REPORT_ADDRESS),
				conf_get(&c->cli->conf, CONF_OUTBOUND_IPS), d, &c->error) == 0) {
		if ((rc = dmarcverdict_write(&d->in, &text)) < 0)
			c->error = "the verdict is too long";
		c->failed |= dmarcverdict_ours_failed(&d->in);
	}
	if (c->brief && rc == 0) {
		cli_dmarcrep_put(stdout, domain);
		printf(":\n");
	}
	for (p = buf_str(&text); rc == 0 && *p; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		if (p != buf_str(&text) || !c->brief)
			putchar('\n');	/* paragraphs apart, the first from the table */
		cli_dmarcrep_wrap(p, (size_t) (nl - p));
	}
	buf_free(&text);
	dmarcverdict_gather_free(d);
	free(d);
	return rc;
}

/* The verdict of the domain whose table ended (the rows are by domain). */
static int cli_dmarcrep_table_end(struct cli_dmarcrep_sum *c)
{
	if (c->rows == 0)
		return 0;
	return cli_dmarcrep_verdict(c, buf_str(&c->domain));
}

/* --brief: a row of a new domain; the verdict is printed when its rows end. */
static int cli_dmarcrep_brief_row(struct cli_dmarcrep_sum *c, const struct store_dmarcrep_row *w)
{
	buf_reset(&c->domain);
	buf_append_str(&c->domain, w->domain);
	c->rows++;
	return 0;
}

static int cli_dmarcrep_row(const struct store_dmarcrep_row *w, void *ctx)
{
	struct cli_dmarcrep_sum *c = ctx;
	int	marked = web_net_match(c->nets, c->nnets, w->source_ip);

	if (c->brief && c->rows > 0 && strcmp(buf_str(&c->domain), w->domain) == 0) {
		c->rows++;
		return 0;
	}
	if (c->rows == 0 || strcmp(buf_str(&c->domain), w->domain) != 0) {
		if (cli_dmarcrep_table_end(c) < 0)
			return 1;
		printf("%s", c->rows ? "\n" : "");
		if (c->brief)	/* the verdicts only: the domain is all a row tells */
			return cli_dmarcrep_brief_row(c, w);
		cli_dmarcrep_put(stdout, w->domain);
		printf(": reports ending in the last %lld day%s\n", c->days, c->days == 1 ? "" : "s");
		printf("    %-*s %9s %7s %7s %7s %9s %9s %9s %9s\n", CLI_DMARCREP_IP_WIDTH,
		       "SOURCE IP", "MESSAGES", "DKIM", "SPF", "DMARC", "NONE", "PASS",
		       "QUARANT.", "REJECT");
		buf_reset(&c->domain);
		buf_append_str(&c->domain, w->domain);
		buf_reset(&c->org);
	}
	if (buf_failed(&c->org) || strcmp(buf_str(&c->org), w->org) != 0) {
		printf("  ");
		cli_dmarcrep_put(stdout, w->org);
		if (w->org_unauth > 0) {	/* its numbers may be forged */
			printf("  ! %lld report%s by mail that did not pass DMARC", w->org_unauth,
			       w->org_unauth == 1 ? "" : "s");
			c->unauth = 1;
		}
		putchar('\n');
		buf_reset(&c->org);
		buf_append_str(&c->org, w->org);
	}
	printf("  %s ", marked ? "*" : " ");
	cli_dmarcrep_put(stdout, w->source_ip);
	if (strlen(w->source_ip) < CLI_DMARCREP_IP_WIDTH)
		printf("%*s", (int) (CLI_DMARCREP_IP_WIDTH - strlen(w->source_ip)), "");
	printf(" %9lld", w->messages);
	cli_dmarcrep_pct(w->dkim_pass, w->messages);
	cli_dmarcrep_pct(w->spf_pass, w->messages);
	cli_dmarcrep_pct(w->dmarc_pass, w->messages);
	printf(" %9lld %9lld %9lld %9lld\n", w->none, w->pass, w->quarantine, w->reject);
	c->rows++;
	return 0;
}

/* The legend under the tables, and the verdict when nothing was reported. */
static int cli_dmarcrep_summary_end(struct cli_dmarcrep_sum *c, const char *domain)
{
	if (c->rows == 0 && c->brief && domain != NULL)	/* where reports come from */
		return cli_dmarcrep_verdict(c, domain);
	if (c->rows == 0)
		printf("no DMARC aggregate reports %s%s ending in the last %lld day%s\n",
		       domain != NULL ? "about " : "", domain != NULL ? domain : "", c->days,
		       c->days == 1 ? "" : "s");
	if (c->brief)
		return 0;
	if (c->rows > 0 && (c->nnets > 0 || c->unauth))
		putchar('\n');
	if (c->rows > 0 && c->nnets > 0)
		printf("* = outbound_ips: the list server's own mail\n");
	if (c->unauth)
		printf("! = reports that came in mail that did not pass DMARC: their numbers may be"
		       " forged\n");
	return 0;
}

/* The window's words: the page's ("in the 7 days to DATE") for a given --now. */
static void cli_dmarcrep_period(struct cli_dmarcrep_sum *c, long long now, int given)
{
	dmarcverdict_period(c->days, (now - 1) / CLI_DMARCREP_DAY, given, c->period,
			    sizeof(c->period));
}

static int cli_dmarcrep_summary(struct cli *cli, const struct cli_command *cmd, int argc,
				char **argv)
{
	const char *days_text = NULL, *now_text = NULL, *error;
	int	brief = 0, check = 0;
	const struct cli_option options[] = {
		{"days", &days_text, NULL}, {"now", &now_text, NULL}, {"brief", NULL, &brief},
		{"check", NULL, &check}, {NULL, NULL, NULL}
	};
	struct cli_dmarcrep_sum *c;
	long long now = (long long) time(NULL), days = 7;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 1)) != 0)
		return rc;
	if (days_text != NULL && cli_parse_number(days_text, 1, CLI_DMARCREP_DAYS_MAX, &days) < 0)
		return cli_usage(cmd, "--days needs a number of days from 1 to %d, not \"%s\"",
				 CLI_DMARCREP_DAYS_MAX, days_text);
	if (now_text != NULL && cli_parse_number(now_text, 0, 253402300799LL, &now) < 0)
		return cli_usage(cmd, "--now needs Unix seconds, not \"%s\"", now_text);
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	c->days = days;
	c->cli = cli;
	c->brief = brief;
	c->since = now - days * CLI_DMARCREP_DAY;
	c->until = now;
	cli_dmarcrep_period(c, now, now_text != NULL);
	buf_init(&c->domain, 4096);
	buf_init(&c->org, 4096);
	cli_dmarcrep_nets(c, conf_get(&cli->conf, CONF_OUTBOUND_IPS));
	if (check && c->nnets == 0) {
		cli_error("--check needs outbound_ips in sealist.conf: without it no mail is "
			  "known to be the list server's");
		rc = STORE_OK, c->error = "";
	} else
		rc = store_dmarcrep_summary_each(cli->store, n > 0 ? argv[0] : NULL, c->since,
						 c->until, cli_dmarcrep_row, c, &error);
	if (rc == STORE_OK && c->error == NULL
	    && cli_dmarcrep_table_end(c) == 0)	/* the last domain's verdict */
		(void) cli_dmarcrep_summary_end(c, n > 0 ? argv[0] : NULL);
	buf_free(&c->domain);
	buf_free(&c->org);
	if (rc != STORE_OK)
		rc = cli_store_error(rc, error);
	else if (c->error != NULL && *c->error)
		cli_error("cannot write the verdict: %s", c->error);
	else if (c->error == NULL)
		rc = check && c->failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	if (c->error != NULL)
		rc = CLI_EXIT_FAIL;
	free(c);
	return rc;
}

const struct cli_command cli_dmarcrep_commands[] = {
	{"dmarc-report", "import", "FILE...", "Import DMARC aggregate reports from files",
	 "Each FILE is a report as receivers send it: XML, gzip- or zip-compressed\n"
	 "(told by its bytes, not its name), RFC 9990 or RFC 7489 schema.  One line\n"
	 "per file: \"FILE: imported ORG REPORT_ID (N records, M messages)\",\n"
	 "\"FILE: duplicate ORG REPORT_ID, nothing added\" (already imported, by mail\n"
	 "or from a file), or \"FILE: refused: REASON (kept aside)\": a report that\n"
	 "cannot be unpacked or parsed is recorded with its reason, size and SHA-256\n"
	 "and changes nothing else.  Exits 1 if any file was refused or unreadable.\n",
	 cli_dmarcrep_import},
	{"dmarc-report", "summary", "[DOMAIN] [--days N] [--now SECONDS] [--brief] [--check]",
	 "Show what receivers' DMARC reports say about the list domains",
	 "For DOMAIN (default: every domain reported on), per reporting organisation\n"
	 "and per source IP, over the reports whose period ended in the last N days:\n"
	 "messages, the share that passed DKIM, SPF and DMARC aligned (as the\n"
	 "receiver evaluated them), and the receiver's dispositions: none (policy\n"
	 "none or a local exception), pass (RFC 9990: DMARC passed), quarantine and\n"
	 "reject.  Organisations by name, their biggest sources first.  Source IPs\n"
	 "in outbound_ips (sealist.conf) are marked \"*\".  An organisation some of\n"
	 "whose reports came in mail that did not pass DMARC is marked \"!\" with\n"
	 "their number: anyone can mail a report, so treat its numbers with care.\n"
	 "Under each domain's table, the verdict in words, as the web page says it:\n"
	 "did the list server's mail pass, where not, on which day, the likely cause.\n"
	 "  --days N        how far back (1-3650, default 7)\n"
	 "  --now SECONDS   the time to count back from (Unix seconds), for tests\n"
	 "  --brief         the verdicts only, one block per domain (for cron)\n"
	 "  --check         exit 1 if the list server's own mail (outbound_ips) failed\n"
	 "                  DMARC or DKIM at some receiver in the window\n",
	 cli_dmarcrep_summary},
	/* H4: the reports sealist sends (cli_dmarcout.c) */
	{"dmarc-report", "send", "[--now SECONDS] [--dry-run]",
	 "Send the DMARC aggregate reports that are due to the author domains",
	 "One report pass, as sealistd makes every few minutes: for each author\n"
	 "policy domain whose record asks for aggregate reports (rua=mailto:) and\n"
	 "each list domain, the posts of every reporting interval that has ended\n"
	 "(ri clamped to 1 hour .. 1 day, aligned to UTC) become one RFC 9990\n"
	 "report, gzip-compressed, mailed from dmarc_report_address@LIST-DOMAIN to\n"
	 "each rua address and DKIM-signed by the list domain when the daemon\n"
	 "delivers it.  An address outside the policy domain gets reports only if\n"
	 "it publishes DOMAIN._report._dmarc.HOST (RFC 9990 section 4); one that does\n"
	 "not is skipped and logged.  Does nothing when dmarc_reports_send is no.\n"
	 "  --now SECONDS   the time of the pass (Unix seconds), for tests\n"
	 "  --dry-run       print what would be sent, to whom, and why not; change nothing\n",
	 cli_dmarcout_send},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
