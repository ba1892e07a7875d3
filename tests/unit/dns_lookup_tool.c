/*
 * NAME
 *	dns_lookup_tool 1
 * SUMMARY
 *	one lib/dns lookup from the command line, for tests/e2e/dns.sh
 * DESCRIPTION
 *	dns_lookup_tool [-T] [-s NAMESERVER] [-t TIMEOUT_MS] TYPE NAME
 *
 *	TYPE is txt, a, aaaa or mx.  Prints "status STATUS" and then one
 *	line per record, in the order received:
 *
 *		txt "BYTES"	octets outside printable ASCII, '"' and '\'
 *				as \xHH, so NULs and 8-bit data show
 *		a ADDRESS
 *		aaaa ADDRESS
 *		mx PREFERENCE EXCHANGE
 *
 *	With -T, a last line "elapsed_ms N" gives the lookup's own wall time
 *	(CLOCK_MONOTONIC around the one call), free of process start-up.
 *
 *	The lookup's error message goes to stderr.  Exit 0 when a lookup
 *	ran (whatever its status), 2 on bad usage or when the resolver
 *	could not be made ("resolver: MESSAGE" on stdout, for the test).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"

static void usage(void)
{
	fprintf(stderr, "usage: dns_lookup_tool [-T] [-s NAMESERVER] "
		"[-t TIMEOUT_MS] txt|a|aaaa|mx NAME\n");
	exit(2);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_txt(const struct dns_txt *t)
{
	size_t	i;

	fputs("txt \"", stdout);
	for (i = 0; i < t->len; i++) {
		unsigned char c = t->data[i];

		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	fputs("\"\n", stdout);
}

int main(int argc, char **argv)
{
	const char *server = "";
	unsigned long timeout_ms = 5000;
	const char *error = "";
	struct dns_resolver *r;
	enum dns_status st;
	char	text[INET6_ADDRSTRLEN];
	size_t	i;
	int	c;
	int	timed = 0;
	long long start;

	while ((c = getopt(argc, argv, "Ts:t:")) != -1) {
		switch (c) {
		case 'T':
			timed = 1;
			break;
		case 's':
			server = optarg;
			break;
		case 't': {
			char   *end;

			errno = 0;
			timeout_ms = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != 0 || end == optarg
			    || timeout_ms > 600000)
				usage();
			break;
		}
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	if ((r = dns_resolver_new(server, (unsigned) timeout_ms, &error)) == NULL) {
		printf("resolver: %s\n", error);
		return 2;
	}
	start = now_ms();
	if (strcmp(argv[optind], "txt") == 0) {
		struct dns_txt_answer ans;

		st = dns_txt(r, argv[optind + 1], &ans, &error);
		start = now_ms() - start;
		printf("status %s\n", dns_status_str(st));
		for (i = 0; i < ans.count; i++)
			print_txt(&ans.txt[i]);
		dns_txt_answer_free(&ans);
	} else if (strcmp(argv[optind], "a") == 0) {
		struct dns_a_answer ans;

		st = dns_a(r, argv[optind + 1], &ans, &error);
		start = now_ms() - start;
		printf("status %s\n", dns_status_str(st));
		for (i = 0; i < ans.count; i++)
			printf("a %s\n", inet_ntop(AF_INET, &ans.addr[i], text,
						   sizeof(text)));
		dns_a_answer_free(&ans);
	} else if (strcmp(argv[optind], "aaaa") == 0) {
		struct dns_aaaa_answer ans;

		st = dns_aaaa(r, argv[optind + 1], &ans, &error);
		start = now_ms() - start;
		printf("status %s\n", dns_status_str(st));
		for (i = 0; i < ans.count; i++)
			printf("aaaa %s\n", inet_ntop(AF_INET6, &ans.addr[i],
						      text, sizeof(text)));
		dns_aaaa_answer_free(&ans);
	} else if (strcmp(argv[optind], "mx") == 0) {
		struct dns_mx_answer ans;

		st = dns_mx(r, argv[optind + 1], &ans, &error);
		start = now_ms() - start;
		printf("status %s\n", dns_status_str(st));
		for (i = 0; i < ans.count; i++)
			printf("mx %u %s\n", ans.mx[i].preference,
			       ans.mx[i].exchange);
		dns_mx_answer_free(&ans);
	} else {
		dns_resolver_free(r);
		usage();
		return 2;
	}
	if (timed)
		printf("elapsed_ms %lld\n", start);
	if (st != DNS_OK)
		fprintf(stderr, "%s\n", error);
	dns_resolver_free(r);
	return 0;
}
