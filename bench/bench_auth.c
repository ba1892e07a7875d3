/*
 * NAME
 *	bench_auth 1
 * SUMMARY
 *	full inbound authentication of one post per iteration, against the
 *	machine's RSA-2048 verification rate (openssl speed), in the same run
 * SYNOPSIS
 *	bench_auth --nameserver IP:PORT --message FILE --client-ip IP
 *		--mail-from ADDR [--helo NAME] [-t SECONDS] [--no-openssl-speed]
 * DESCRIPTION
 *	Driven by bench/auth.sh, which serves the records on a loopback
 *	dnsmasq and makes the message: a post DKIM-signed by its author's
 *	domain and ARC-sealed once on the way, so one authentication does
 *	three RSA-2048 verifications (the DKIM signature, the AMS and the
 *	AS), SPF with an include, a DMARC tree walk, and the forged-field
 *	scan.  Each iteration parses the raw bytes and runs auth_check(),
 *	exactly what the list engine does per post.
 *
 *	Two rows: warm caches (the steady state of a list server: the same
 *	few domains all day; no packet leaves the process and each key is
 *	decoded once) and no caches (every question goes to dnsmasq over
 *	loopback UDP, every key is decoded again).  Each is
 *	given as messages/s on one core and as a ratio of openssl speed's
 *	rsa2048 verify/s divided by the three verifications: 1.0 would mean
 *	authentication costs nothing but the RSA operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "buf/buf.h"
#include "msg/msg.h"
#include "sealist_limits.h"

/* RSA verifications per authentication of the bench message. */
#define RSA_OPS_PER_MESSAGE	3

struct bench {
	const char *nameserver, *path, *client_ip, *mail_from, *helo;
	double	seconds;
	int	speed;
	struct buf raw;
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_auth: %s: %s\n", what, why ? why : "failed");
	exit(1);
}

/* Wall time: the uncached row waits on dnsmasq, which CPU time hides. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void read_message(struct bench *b)
{
	FILE   *fp = fopen(b->path, "rb");
	char	chunk[65536];
	size_t	n;

	if (fp == NULL)
		die(b->path, "cannot open");
	buf_init(&b->raw, LIMIT_MESSAGE_SIZE);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(&b->raw, chunk, n) < 0)
			die(b->path, "too large");
	fclose(fp);
}

/* One authentication as the engine does it; the verdict is checked. */
static void authenticate(const struct bench *b, const struct auth_opts *o)
{
	struct auth_envelope env = {
		.client_ip = b->client_ip, .mail_from = b->mail_from,
		.helo = b->helo, .receiver = "bench.test",
	};
	struct auth_verdict v;
	struct msg *m;
	const char *error;

	if (msg_parse(&m, b->raw.data, b->raw.len, &error) < 0)
		die("msg_parse", error);
	if (auth_check(m, &env, o, &v, &error) < 0)
		die("auth_check", error);
	if (v.dkim.count == 0 || v.dkim.sigs[0].result != DKIM_PASS
	    || v.spf.result != SPF_PASS || v.arc.cv != ARC_CV_PASS
	    || v.ndmarc != 1 || v.dmarc[0].v.result != DMARC_RESULT_PASS)
		die("the bench message", "does not authenticate (dkim, spf, dmarc and arc must pass)");
	auth_verdict_free(&v);
	msg_free(m);
}

/* Messages per second with or without a resolver cache. */
static double run(const struct bench *b, int cached)
{
	struct dns_resolver *r;
	struct auth_opts o;
	const char *error;
	double	start, elapsed;
	long	n = 0;

	if ((r = dns_resolver_new(b->nameserver, 5000, &error)) == NULL)
		die("dns_resolver_new", error);
	if (cached && dns_resolver_cache(r, 1024, 3600) < 0)
		die("dns_resolver_cache", NULL);
	auth_opts_init(&o);
	o.authserv_id = "bench.test";
	o.resolver = r;
	if (cached && (o.key_cache = dkim_key_cache_new(64)) == NULL)
		die("dkim_key_cache_new", NULL);
	authenticate(b, &o);		/* warms the cache, checks the verdict */
	start = now();
	do {
		authenticate(b, &o);
		n++;
	} while ((elapsed = now() - start) < b->seconds);
	if (cached) {
		struct dns_cache_stats st;
		struct dkim_key_cache_stats ks;

		dns_resolver_cache_stats(r, &st);
		fprintf(stderr, "bench_auth: resolver cache: %lu hits, %lu misses, %zu entries\n",
			st.hits, st.misses, st.entries);
		dkim_key_cache_stats(o.key_cache, &ks);
		fprintf(stderr, "bench_auth: key cache: %lu hits, %lu misses, %zu entries\n",
			ks.hits, ks.misses, ks.entries);
	}
	dkim_key_cache_free(o.key_cache);
	dns_resolver_free(r);
	return (double) n / elapsed;
}

/* "rsa 2048 bits 0.000297s 0.000018s   3369.0  56196.0": verify/s last. */
static double openssl_verify_rate(void)
{
	FILE   *fp;
	char	line[512];
	double	rate = 0;

	fprintf(stderr, "bench_auth: running openssl speed -seconds 3 rsa2048 (about 6 s)...\n");
	if ((fp = popen("openssl speed -seconds 3 rsa2048 2>/dev/null", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "rsa 2048 bits ", 14) == 0) {
			const char *last = strrchr(line, ' ');

			rate = last != NULL ? strtod(last + 1, NULL) : 0;
		}
	if (pclose(fp) != 0 || rate <= 0)
		fprintf(stderr, "bench_auth: could not read openssl speed's figures\n");
	return rate;
}

static void options(int argc, char **argv, struct bench *b)
{
	int	i;

	memset(b, 0, sizeof(*b));
	b->seconds = 3;
	b->speed = 1;
	for (i = 1; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--no-openssl-speed") == 0)
			b->speed = 0;
		else if (next == NULL)
			die(argv[i], "unknown option or missing value");
		else if (strcmp(argv[i], "-t") == 0 && (b->seconds = strtod(next, NULL)) > 0)
			i++;
		else if (strcmp(argv[i], "--nameserver") == 0)
			b->nameserver = argv[++i];
		else if (strcmp(argv[i], "--message") == 0)
			b->path = argv[++i];
		else if (strcmp(argv[i], "--client-ip") == 0)
			b->client_ip = argv[++i];
		else if (strcmp(argv[i], "--mail-from") == 0)
			b->mail_from = argv[++i];
		else if (strcmp(argv[i], "--helo") == 0)
			b->helo = argv[++i];
		else
			die(argv[i], "unknown option");
	}
	if (b->nameserver == NULL || b->path == NULL || b->client_ip == NULL
	    || b->mail_from == NULL)
		die("usage", "bench_auth --nameserver IP:PORT --message FILE --client-ip IP"
		    " --mail-from ADDR [--helo NAME] [-t SECONDS] [--no-openssl-speed]");
}

static void report(const char *label, double rate, double verify)
{
	printf("%-40s %10.1f", label, rate);
	if (verify > 0)
		printf(" %10.3f", rate * RSA_OPS_PER_MESSAGE / verify);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct bench b;
	double	warm, cold, verify = 0;

	options(argc, argv, &b);
	read_message(&b);
	if (b.speed)
		verify = openssl_verify_rate();
	warm = run(&b, 1);
	cold = run(&b, 0);
	printf("bench_auth: %zu-byte post, DKIM + SPF + DMARC + ARC (%d RSA-2048 verifications"
	       " each), one core, %.0f s per row\n\n", b.raw.len, RSA_OPS_PER_MESSAGE, b.seconds);
	printf("%-40s %10s %10s\n", "", "msgs/s", "ratio");
	if (verify > 0)
		printf("%-40s %10.1f %10s   (verify/s)\n", "openssl speed rsa2048", verify, "");
	report("auth_check, warm DNS and key caches", warm, verify);
	report("auth_check, no caches (dnsmasq, loopback)", cold, verify);
	printf("\nratio = msgs/s x %d / openssl speed rsa2048 verify/s: 1.0 would mean\n"
	       "authentication costs only its RSA operations.\n", RSA_OPS_PER_MESSAGE);
	buf_free(&b.raw);
	return 0;
}
