/*
 * NAME
 *	dns_cache_tool 1
 * SUMMARY
 *	a sequence of lib/dns lookups through one caching resolver, for
 *	tests/e2e/dns_cache.sh
 * DESCRIPTION
 *	dns_cache_tool [-f] [-s NAMESERVER] [-t TIMEOUT_MS] [-n MAX_ENTRIES]
 *		[-m MAX_TTL] STEP...
 *
 *	One resolver, with dns_resolver_cache(MAX_ENTRIES, MAX_TTL) (16 and
 *	3600 by default), runs the steps in order:
 *
 *	TYPE:NAME	a lookup; TYPE is txt, a, aaaa, mx or ptr.  Prints
 *			"TYPE NAME STATUS hit|miss" and the records, each
 *			after a space: TXT as "BYTES" (octets outside
 *			printable ASCII, '"' and '\' as \xHH), addresses,
 *			MX as PREF/EXCHANGE, PTR names.  hit means the
 *			cache's hit counter went up.
 *	sleep:SECONDS	sleep, on the real clock
 *	advance:SECONDS	move the fake clock on (needs -f)
 *	wait:FILE	wait until FILE exists (at most 10 s), so that the
 *			test can act on the server between two lookups
 *	stats		print "stats hits=H misses=M entries=E"
 *
 *	With -f the cache reads a fake clock, starting at 1000 and moved
 *	only by advance steps, so TTLs can be crossed without waiting.
 *	Output is flushed after each step.  A lookup's error message goes
 *	to stderr.  Exit 0 when every step ran, 2 on bad usage or when the
 *	resolver or cache could not be made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"

static long long fake_now = 1000;

static long long fake_clock(void *ctx)
{
	(void) ctx;
	return fake_now;
}

static void usage(void)
{
	fprintf(stderr, "usage: dns_cache_tool [-f] [-s NAMESERVER] "
		"[-t TIMEOUT_MS] [-n MAX_ENTRIES] [-m MAX_TTL] STEP...\n");
	exit(2);
}

/* A decimal number up to max, or usage(). */
static unsigned long number(const char *s, unsigned long max)
{
	char   *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != 0 || v > max || *s == '-')
		usage();
	return v;
}

static void print_txt(FILE *out, const struct dns_txt *t)
{
	size_t	i;

	fputs(" \"", out);
	for (i = 0; i < t->len; i++) {
		unsigned char c = t->data[i];

		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
			fprintf(out, "\\x%02x", c);
		else
			putc(c, out);
	}
	putc('"', out);
}

/* Run one typed lookup and print its records to out; the status. */
static enum dns_status ask(struct dns_resolver *r, const char *type,
			   const char *name, FILE *out, const char **error)
{
	char	text[INET6_ADDRSTRLEN];
	enum dns_status st;
	size_t	i;

	if (strcmp(type, "txt") == 0) {
		struct dns_txt_answer a;

		st = dns_txt(r, name, &a, error);
		for (i = 0; i < a.count; i++)
			print_txt(out, &a.txt[i]);
		dns_txt_answer_free(&a);
	} else if (strcmp(type, "a") == 0) {
		struct dns_a_answer a;

		st = dns_a(r, name, &a, error);
		for (i = 0; i < a.count; i++)
			fprintf(out, " %s", inet_ntop(AF_INET, &a.addr[i],
						      text, sizeof(text)));
		dns_a_answer_free(&a);
	} else if (strcmp(type, "aaaa") == 0) {
		struct dns_aaaa_answer a;

		st = dns_aaaa(r, name, &a, error);
		for (i = 0; i < a.count; i++)
			fprintf(out, " %s", inet_ntop(AF_INET6, &a.addr[i],
						      text, sizeof(text)));
		dns_aaaa_answer_free(&a);
	} else if (strcmp(type, "mx") == 0) {
		struct dns_mx_answer a;

		st = dns_mx(r, name, &a, error);
		for (i = 0; i < a.count; i++)
			fprintf(out, " %u/%s", a.mx[i].preference,
				a.mx[i].exchange);
		dns_mx_answer_free(&a);
	} else {
		struct dns_ptr_answer a;

		st = dns_ptr(r, name, &a, error);
		for (i = 0; i < a.count; i++)
			fprintf(out, " %s", a.name[i]);
		dns_ptr_answer_free(&a);
	}
	return st;
}

/*
 * "TYPE NAME STATUS hit|miss RECORDS".  The records are printed while
 * the answer is held, before the status is known, so they are collected
 * in memory and the line is printed whole afterwards.
 */
static void lookup_step(struct dns_resolver *r, const char *type,
			const char *name)
{
	struct dns_cache_stats before, after;
	const char *error = "";
	enum dns_status st;
	char   *records = NULL;
	size_t	records_len = 0;
	FILE   *mem;

	dns_resolver_cache_stats(r, &before);
	if ((mem = open_memstream(&records, &records_len)) == NULL) {
		perror("open_memstream");
		exit(2);
	}
	st = ask(r, type, name, mem, &error);
	if (fclose(mem) != 0) {
		perror("open_memstream");
		exit(2);
	}
	dns_resolver_cache_stats(r, &after);
	printf("%s %s %s %s%s\n", type, name, dns_status_str(st),
	       after.hits > before.hits ? "hit" : "miss", records);
	if (st != DNS_OK)
		fprintf(stderr, "%s\n", error);
	free(records);
}

/* Until path exists; at most 10 s. */
static void wait_file(const char *path)
{
	struct timespec tenth = { 0, 100000000 };
	int	i;

	for (i = 0; i < 100 && access(path, F_OK) != 0; i++)
		nanosleep(&tenth, NULL);
}

static void run_step(struct dns_resolver *r, int fake, const char *step)
{
	const char *colon = strchr(step, ':');
	char	type[8];
	size_t	type_len;

	if (strcmp(step, "stats") == 0) {
		struct dns_cache_stats s;

		dns_resolver_cache_stats(r, &s);
		printf("stats hits=%lu misses=%lu entries=%zu\n", s.hits,
		       s.misses, s.entries);
		return;
	}
	if (colon == NULL || (type_len = (size_t) (colon - step)) >= sizeof(type))
		usage();
	memcpy(type, step, type_len);
	type[type_len] = 0;
	if (strcmp(type, "sleep") == 0) {
		struct timespec ts = { (time_t) number(colon + 1, 60), 0 };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	} else if (strcmp(type, "advance") == 0) {
		if (!fake)
			usage();
		fake_now += (long long) number(colon + 1, 1000000);
	} else if (strcmp(type, "wait") == 0)
		wait_file(colon + 1);
	else if (strcmp(type, "txt") == 0 || strcmp(type, "a") == 0
		 || strcmp(type, "aaaa") == 0 || strcmp(type, "mx") == 0
		 || strcmp(type, "ptr") == 0)
		lookup_step(r, type, colon + 1);
	else
		usage();
}

int main(int argc, char **argv)
{
	const char *server = "";
	unsigned long timeout_ms = 3000;
	unsigned long max_entries = 16;
	unsigned long max_ttl = 3600;
	const char *error = "";
	struct dns_resolver *r;
	int	fake = 0;
	int	c;
	int	i;

	while ((c = getopt(argc, argv, "fs:t:n:m:")) != -1) {
		switch (c) {
		case 'f':
			fake = 1;
			break;
		case 's':
			server = optarg;
			break;
		case 't':
			timeout_ms = number(optarg, 600000);
			break;
		case 'n':
			max_entries = number(optarg, 1000000);
			break;
		case 'm':
			max_ttl = number(optarg, 10000000);
			break;
		default:
			usage();
		}
	}
	if (optind == argc)
		usage();
	if ((r = dns_resolver_new(server, (unsigned) timeout_ms, &error)) == NULL) {
		printf("resolver: %s\n", error);
		return 2;
	}
	if (dns_resolver_cache(r, max_entries, (unsigned) max_ttl) < 0) {
		printf("cache: refused\n");
		dns_resolver_free(r);
		return 2;
	}
	if (fake)
		dns_resolver_set_clock(r, fake_clock, NULL);
	for (i = optind; i < argc; i++) {
		run_step(r, fake, argv[i]);
		fflush(stdout);
	}
	dns_resolver_free(r);
	return 0;
}
