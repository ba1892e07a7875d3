/*
 * NAME
 *	spf_tool 1
 * SUMMARY
 *	run spf_check_host() from the command line, for tests/e2e/spf.sh
 * SYNOPSIS
 *	spf_tool [-s NAMESERVER | -z ZONEFILE] [-r RECEIVER] [-t NOW]
 *		 [-H] IP SENDER HELO
 *	spf_tool [-s NAMESERVER | -z ZONEFILE] ... -b CASEFILE
 * DESCRIPTION
 *	Prints "RESULT lookups=N voids=M mechanism=... exp=..." for one
 *	question.  With -b, reads "IP<TAB>SENDER<TAB>HELO" lines (SENDER "-" for
 *	the null reverse-path) and prints "RESULT<TAB>EXPLANATION" for
 *	each, one a line, in order.  -z answers from a zone file (lib/spf/spf_zone.c
 *	format) instead of DNS; -H checks the HELO identity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spf/spf.h"
#include "spf/spf_zone.h"

static char *slurp(const char *path, size_t *len)
{
	FILE   *fp = fopen(path, "rb");
	char   *data = NULL;
	size_t	cap = 0, n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	for (;;) {
		char   *more = realloc(data, cap + 65536 + 1);

		if (more == NULL) {
			free(data);
			fclose(fp);
			return NULL;
		}
		data = more;
		n = fread(data + *len, 1, 65536, fp);
		*len += n;
		cap += 65536;
		if (n == 0)
			break;
	}
	data[*len] = '\0';
	fclose(fp);
	return data;
}

static int one(struct spf_query *q, const char *ip, const char *sender,
	       const char *helo, int helo_mode, int verbose)
{
	struct spf_verdict v;

	if (spf_query_set_ip(q, ip) < 0) {
		printf("badip\n");
		return 1;
	}
	q->sender = strcmp(sender, "-") == 0 ? "" : sender;
	q->helo = helo;
	if (helo_mode)
		spf_check_helo(q, &v);
	else
		spf_check_host(q, &v);
	if (verbose)
		printf("%s lookups=%u voids=%u domain=%s mechanism=%s "
		       "reason=%s exp=%s\n", spf_result_str(v.result),
		       v.dns_lookups, v.void_lookups,
		       v.domain ? v.domain : "-",
		       v.mechanism ? v.mechanism : "-",
		       v.reason ? v.reason : "-",
		       v.explanation ? v.explanation : "-");
	else
		printf("%s\t%s\n", spf_result_str(v.result),
		       v.explanation ? v.explanation : "");
	spf_verdict_free(&v);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ns = NULL, *zonefile = NULL, *batch = NULL;
	struct dns_resolver *r = NULL;
	struct spf_zone *z = NULL;
	struct spf_lookups l;
	struct spf_query q;
	const char *error;
	int	c, helo_mode = 0, rc = 0;

	memset(&q, 0, sizeof(q));
	q.receiver = "receiver.example";
	while ((c = getopt(argc, argv, "s:z:r:t:b:H")) != -1) {
		switch (c) {
		case 's':
			ns = optarg;
			break;
		case 'z':
			zonefile = optarg;
			break;
		case 'r':
			q.receiver = optarg;
			break;
		case 't':
			q.now = (time_t) strtoll(optarg, NULL, 10);
			break;
		case 'b':
			batch = optarg;
			break;
		case 'H':
			helo_mode = 1;
			break;
		default:
			return 2;
		}
	}
	if (zonefile != NULL) {
		size_t	len;
		char   *text = slurp(zonefile, &len);

		if (text == NULL || (z = spf_zone_new()) == NULL
		    || spf_zone_load(z, text, len) < 0) {
			fprintf(stderr, "spf_tool: cannot load %s\n", zonefile);
			return 2;
		}
		free(text);
		l = spf_zone_lookups(z);
	} else {
		if ((r = dns_resolver_new(ns, 2000, &error)) == NULL) {
			fprintf(stderr, "spf_tool: %s\n", error);
			return 2;
		}
		l = spf_dns_lookups(r);
	}
	q.dns = &l;
	if (batch != NULL) {
		size_t	len, i = 0;
		char   *text = slurp(batch, &len);

		if (text == NULL) {
			fprintf(stderr, "spf_tool: cannot read %s\n", batch);
			return 2;
		}
		while (i < len) {
			char   *line = text + i, *nl = strchr(line, '\n');
			char   *f[3];
			int	k;

			if (nl != NULL)
				*nl = '\0';
			i += strlen(line) + 1;
			for (k = 0; k < 3; k++) {
				f[k] = line;
				line = strchr(line, '\t');
				if (line == NULL)
					break;
				*line++ = '\0';
			}
			if (k < 2) {
				printf("badline\n");
				continue;
			}
			rc |= one(&q, f[0], f[1], f[2], helo_mode, 0);
		}
		free(text);
	} else if (argc - optind == 3) {
		rc = one(&q, argv[optind], argv[optind + 1], argv[optind + 2],
			 helo_mode, 1);
	} else {
		fprintf(stderr, "usage: spf_tool [-s NS|-z ZONE] IP SENDER HELO\n");
		rc = 2;
	}
	spf_zone_free(z);
	dns_resolver_free(r);
	return rc;
}
