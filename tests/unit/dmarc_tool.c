/*
 * NAME
 *	dmarc_tool 1
 * SUMMARY
 *	run the DMARC cases of tests/data/dmarc/cases.txt, as TAP
 * SYNOPSIS
 *	dmarc_tool [-s NAMESERVER] [CASES]
 * DESCRIPTION
 *	Reads the case file (format in its header), evaluates every case in
 *	both modes and checks result, policy and disposition (and ADSP when
 *	the case names it), one TAP line per check.  With -s IP:PORT the
 *	lookups go to that DNS server through lib/dns (tests/e2e/dmarc.sh
 *	starts dnsmasq with the zone); without, through an in-process table
 *	built from the zone lines with the same semantics (a name exists
 *	when it or a name below it has a record, RFC 8020; "servfail" covers
 *	a subtree).  tests/unit/test_dmarc.c includes this file with
 *	DMARC_TOOL_NO_MAIN for the table runner, so the case reader exists
 *	once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc/dmarc.h"
#include "dns/dns.h"
#include "tap.h"

#define CASE_MAX_ZONE	256
#define CASE_MAX_DKIM	8

struct zone_rr {
	char	type;		/* 't' txt, 'a' address, 's' servfail */
	char   *name;
	char   *value;
};

struct zone {
	struct zone_rr rr[CASE_MAX_ZONE];
	size_t	n;
};

struct dmarc_case {
	char   *name;
	char   *from;
	struct dmarc_dkim_result dkim[CASE_MAX_DKIM];
	size_t	ndkim;
	enum dmarc_auth spf;
	char   *spf_domain;
	unsigned random;
	char   *expect[2];	/* "result=.. policy=.. disp=.." per mode */
	char   *adsp;
};

/* ---- the table lookup ---- */

static int name_at_or_below(const char *n, const char *top)
{
	size_t	ln = strlen(n), lt = strlen(top);

	if (ln == lt)
		return strcasecmp(n, top) == 0;
	return ln > lt && n[ln - lt - 1] == '.' &&
		strcasecmp(n + ln - lt, top) == 0;
}

static int zone_fails(const struct zone *z, const char *name)
{
	size_t	i;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == 's' && name_at_or_below(name, z->rr[i].name))
			return 1;
	return 0;
}

static int zone_exists(const struct zone *z, const char *name)
{
	size_t	i;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].type != 's' &&
		    name_at_or_below(z->rr[i].name, name))
			return 1;
	return 0;
}

static enum dmarc_dns table_txt(void *ctx, const char *name,
				struct dmarc_txt **txt_r, size_t *count_r)
{
	const struct zone *z = ctx;
	size_t	i, k = 0;

	*txt_r = NULL;
	*count_r = 0;
	if (zone_fails(z, name))
		return DMARC_DNS_TEMP;
	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == 't' && strcasecmp(z->rr[i].name, name) == 0)
			k++;
	if (k == 0)
		return zone_exists(z, name) ? DMARC_DNS_NODATA
			: DMARC_DNS_NXDOMAIN;
	if ((*txt_r = calloc(k, sizeof(**txt_r))) == NULL)
		return DMARC_DNS_TEMP;
	for (i = 0; i < z->n; i++) {
		if (z->rr[i].type != 't' || strcasecmp(z->rr[i].name, name) != 0)
			continue;
		(*txt_r)[*count_r].data = (unsigned char *) strdup(z->rr[i].value);
		(*txt_r)[*count_r].len = strlen(z->rr[i].value);
		(*count_r)++;
	}
	return DMARC_DNS_OK;
}

static enum dmarc_dns table_exists(void *ctx, const char *name)
{
	const struct zone *z = ctx;

	if (zone_fails(z, name))
		return DMARC_DNS_TEMP;
	return zone_exists(z, name) ? DMARC_DNS_OK : DMARC_DNS_NXDOMAIN;
}

/* ---- the case file ---- */

static unsigned case_random(void *ctx)
{
	return *(const unsigned *) ctx;
}

static char *line_rest(char *line, const char *kw)
{
	size_t	n = strlen(kw);

	if (strncmp(line, kw, n) == 0 && line[n] == ' ')
		return line + n + 1;
	return NULL;
}

static void case_clear(struct dmarc_case *c)
{
	size_t	i;

	free(c->name);
	free(c->from);
	free(c->spf_domain);
	free(c->expect[0]);
	free(c->expect[1]);
	free(c->adsp);
	for (i = 0; i < c->ndkim; i++)
		free((char *) c->dkim[i].domain);
	memset(c, 0, sizeof(*c));
}

static void run_case(const struct dmarc_lookup *lk, const struct dmarc_case *c)
{
	int	mode;

	for (mode = 0; mode < 2; mode++) {
		struct dmarc_input in;
		struct dmarc_verdict v;
		char	got[200];
		const char *mname = mode == 0 ? "treewalk" : "psl";
		int	none = 0, good;

		memset(&in, 0, sizeof(in));
		in.author_domain = c->from;
		in.dkim = c->dkim;
		in.dkim_count = c->ndkim;
		in.spf = c->spf;
		in.spf_domain = c->spf_domain;
		in.mode = mode == 0 ? DMARC_TREEWALK : DMARC_PSL;
		in.random100 = case_random;
		in.random_ctx = (void *) &c->random;
		if (dmarc_evaluate(lk, &in, &v) < 0) {
			tap_ok(0, "%s %s: evaluate", mname, c->name);
			continue;
		}
		none = v.result == DMARC_RESULT_NONE ||
			v.result == DMARC_RESULT_TEMPERROR ||
			v.result == DMARC_RESULT_PERMERROR;
		snprintf(got, sizeof(got), "result=%s policy=%s disp=%s",
			 dmarc_result_str(v.result),
			 v.policy == DMARC_POLICY_UNSET ? "-" :
			 dmarc_policy_str(v.policy),
			 none ? "-" : dmarc_policy_str(v.disposition));
		good = c->expect[mode] != NULL &&
			strcmp(got, c->expect[mode]) == 0;
		tap_ok(good, "%s %s", mname, c->name);
		if (!good)
			tap_diag("want: %s; got: %s (%s)", c->expect[mode] ?
				 c->expect[mode] : "(no expect line)", got,
				 v.reason);
		dmarc_verdict_free(&v);
	}
	if (c->adsp != NULL) {
		enum dmarc_adsp a = dmarc_adsp(lk, c->from, NULL);

		tap_ok(strcmp(dmarc_adsp_str(a), c->adsp) == 0,
		       "adsp %s: got %s want %s", c->name, dmarc_adsp_str(a),
		       c->adsp);
	}
}

/*
 * Read the case file; with lk NULL, run against the table.  Returns the
 * number of cases, -1 if the file cannot be read or is malformed.
 */
static int run_case_file(const char *path, const struct dmarc_lookup *lk)
{
	size_t	len;
	char   *text = (char *) tap_read_file(path, &len);
	static struct zone z;
	struct dmarc_lookup table = { table_txt, table_exists, &z };
	struct dmarc_case c;
	char   *line, *next, *rest;
	int	in_case = 0, ncases = 0;

	if (text == NULL)
		return -1;
	memset(&c, 0, sizeof(c));
	z.n = 0;
	if (lk == NULL)
		lk = &table;
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (!in_case) {
			char	type = 0;

			if ((rest = line_rest(line, "txt")) != NULL)
				type = 't';
			else if ((rest = line_rest(line, "a")) != NULL)
				type = 'a';
			else if ((rest = line_rest(line, "servfail")) != NULL)
				type = 's';
			if (type && z.n < CASE_MAX_ZONE) {
				char   *sp = strchr(rest, ' ');

				z.rr[z.n].type = type;
				z.rr[z.n].name = strndup(rest, sp ? (size_t)
							 (sp - rest) : strlen(rest));
				z.rr[z.n].value = strdup(sp ? sp + 1 : "");
				z.n++;
				continue;
			}
			if ((rest = line_rest(line, "case")) != NULL) {
				c.name = strdup(rest);
				in_case = 1;
				continue;
			}
			tap_diag("bad line: %s", line);
			free(text);
			return -1;
		}
		if (strcmp(line, "end") == 0) {
			run_case(lk, &c);
			case_clear(&c);
			in_case = 0;
			ncases++;
		} else if ((rest = line_rest(line, "from")) != NULL) {
			c.from = strdup(rest);
		} else if ((rest = line_rest(line, "dkim")) != NULL &&
			   c.ndkim < CASE_MAX_DKIM) {
			c.dkim[c.ndkim].result = strncmp(rest, "pass ", 5) == 0 ?
				DMARC_AUTH_PASS : DMARC_AUTH_FAIL;
			c.dkim[c.ndkim].domain = strdup(strchr(rest, ' ') + 1);
			c.ndkim++;
		} else if ((rest = line_rest(line, "spf")) != NULL) {
			c.spf = strncmp(rest, "pass ", 5) == 0 ?
				DMARC_AUTH_PASS : DMARC_AUTH_FAIL;
			c.spf_domain = strdup(strchr(rest, ' ') + 1);
		} else if ((rest = line_rest(line, "random")) != NULL) {
			c.random = (unsigned) strtoul(rest, NULL, 10);
		} else if ((rest = line_rest(line, "expect")) != NULL) {
			int	m = strncmp(rest, "treewalk ", 9) == 0 ? 0 : 1;

			c.expect[m] = strdup(strchr(rest, ' ') + 1);
		} else if ((rest = line_rest(line, "adsp")) != NULL) {
			c.adsp = strdup(rest);
		}
		/* why / oracle lines are for the oracle and for people */
	}
	case_clear(&c);
	while (z.n > 0) {
		z.n--;
		free(z.rr[z.n].name);
		free(z.rr[z.n].value);
	}
	free(text);
	return ncases;
}

#ifndef DMARC_TOOL_NO_MAIN
int main(int argc, char **argv)
{
	const char *ns = NULL;
	const char *path = tap_srcpath("tests/data/dmarc/cases.txt");
	struct dns_resolver *r = NULL;
	struct dmarc_lookup lk;
	const char *err;
	int	i, n;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			ns = argv[++i];
		else
			path = argv[i];
	}
	if (ns != NULL) {
		if ((r = dns_resolver_new(ns, 2000, &err)) == NULL) {
			fprintf(stderr, "dmarc_tool: %s\n", err);
			return 2;
		}
		lk = dmarc_lookup_dns(r);
	}
	n = run_case_file(path, ns != NULL ? &lk : NULL);
	tap_ok(n >= 60, "case file read: %d cases", n);
	dns_resolver_free(r);
	return tap_done();
}
#endif
