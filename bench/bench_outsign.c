/*
 * NAME
 *	bench_outsign 1
 * SUMMARY
 *	per-recipient finishing rate of a list post (src/outsign.c) against
 *	the machine's raw RSA-2048 signing rate (openssl speed), same run
 * SYNOPSIS
 *	bench_outsign [-t SECONDS] [--no-openssl-speed]
 * DESCRIPTION
 *	The hot path of fan-out: one 5 KB post prepared once (body hashes,
 *	one-click fields), one worker, and per recipient outsign_finish():
 *	a one-click token, List-Unsubscribe replaced, DKIM signatures,
 *	optionally an ARC set, serialized into a reused buffer.  Measured on
 *	one core, per CPU second of the process (as openssl speed counts):
 *
 *	  RSA-2048                    one signature per recipient
 *	  RSA-2048 + Ed25519          dual-signed
 *	  RSA-2048 + ARC (RSA)        DKIM + ARC-Message-Signature + ARC-Seal
 *	  RSA + Ed25519 + ARC (RSA)   all of it
 *	  not personalized            one signed copy per post (RSA + Ed25519
 *	                              + ARC), copied out per recipient
 *
 *	each as recipients/s and as a ratio of "openssl speed -seconds 3
 *	rsa2048" sign/s.  RSA-2048 alone should reach >= 0.8 (one private-key
 *	operation per recipient is the floor; everything else must stay
 *	within 20 % of it).  With ARC three RSA operations are made per
 *	recipient, so about 0.33 is the ceiling there.  The last row is the
 *	personalization-off rate, also as a ratio, which is far above 1.
 *
 *	Nothing passes or fails; exit 0 unless something does not work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf/buf.h"
#include "dkim/dkim.h"
#include "msg/msg.h"
#include "outsign.h"
#include "sealist_limits.h"

#define BODY_BYTES	(5 * 1024)

static double seconds_per_figure = 3.0;

/* CPU seconds of this process (openssl speed divides by user CPU time). */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_outsign: %s: %s\n", what, why ? why : "failed");
	exit(1);
}

/* A rewritten list post: 22 header fields, BODY_BYTES of text. */
static void make_message(struct buf *m)
{
	size_t	header_len;
	int	i;

	for (i = 0; i < 6; i++)
		buf_printf(m, "Received: from host%d.example.net (host%d.example.net [192.0.2.%d])\r\n"
			   "\tby mx.example.org with ESMTPS id %08x; Fri, 27 Nov 2026 04:00:%02d +0000\r\n",
			   i, i, i + 1, (unsigned) i * 2654435761u, i);
	buf_append_str(m, "From: Alice Example <alice@example.net>\r\n"
		       "To: dev@example.org\r\n"
		       "Subject: [dev] Re: the plan for the next release, with a subject long enough\r\n"
		       " to be folded once\r\n"
		       "Date: Fri, 27 Nov 2026 04:00:00 +0000\r\n"
		       "Message-ID: <20261127040000.12345@example.net>\r\n"
		       "In-Reply-To: <20261126230000.999@example.org>\r\n"
		       "MIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=utf-8\r\n"
		       "Content-Transfer-Encoding: 8bit\r\n"
		       "List-Id: Developers <dev.example.org>\r\n"
		       "List-Post: <mailto:dev@example.org>\r\n"
		       "List-Help: <mailto:dev-request@example.org?subject=help>\r\n"
		       "List-Unsubscribe: <https://lists.example.org/lists/dev@example.org/unsubscribe>,\r\n"
		       " <mailto:dev-leave@example.org>\r\n"
		       "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
		       "Precedence: list\r\n\r\n");
	header_len = m->len;
	while (m->len - header_len < BODY_BYTES)
		buf_append_str(m, "The quick brown fox jumps over the lazy dog,  again and again\t \r\n");
}

enum { C_RSA, C_DUAL, C_RSA_ARC, C_DUAL_ARC, C_SHARED, C_COUNT };

static const char *const label[C_COUNT] = {
	"personalized, RSA-2048", "personalized, RSA-2048 + Ed25519",
	"personalized, RSA-2048 + ARC (RSA)", "personalized, RSA + Ed25519 + ARC",
	"not personalized, RSA + Ed25519 + ARC",
};

struct keys {
	struct dkim_privkey *rsa, *ed;
};

static void opts_for(struct outsign_opts *o, const struct keys *k, int c)
{
	static const unsigned char secret[32] = "bench_outsign token secret, 32.";

	outsign_opts_init(o);
	o->list_local = "dev";
	o->list_domain = "example.org";
	o->personalize = c != C_SHARED;
	o->web_base_url = "https://lists.example.org";
	o->token_key = secret;
	o->token_key_len = sizeof(secret);
	o->rsa_key = k->rsa;
	o->rsa_selector = "bench-rsa";
	if (c == C_DUAL || c == C_DUAL_ARC || c == C_SHARED) {
		o->ed_key = k->ed;
		o->ed_selector = "bench-ed";
	}
	o->timestamp = 1795752000;
	o->arc = c == C_RSA_ARC || c == C_DUAL_ARC || c == C_SHARED;
	o->arc_key = k->rsa;
	o->arc_selector = "bench-rsa";
	o->arc_authres = "lists.example.org; dkim=pass header.d=example.net; arc=none";
}

/* Recipients per CPU second for configuration c. */
static double bench(const struct msg *post, const struct keys *k, int c, size_t *bytes_r)
{
	struct outsign_opts o;
	struct outsign_post *p;
	struct outsign_worker *w;
	struct buf out;
	char	rcpt[64];
	const char *error;
	unsigned long n = 0;
	double	t0, t = 0;

	opts_for(&o, k, c);
	buf_init(&out, LIMIT_MESSAGE_SIZE + LIMIT_HEADER_BLOCK);
	t0 = now();
	if (outsign_post_new(post, &o, &p, &error) < 0 || outsign_worker_new(p, &w, &error) < 0)
		die("prepare", error);
	do {
		snprintf(rcpt, sizeof(rcpt), "member%lu@example.net", n);
		buf_reset(&out);
		if (outsign_finish(w, rcpt, &out, &error) < 0)
			die("outsign_finish", error);
		n++;
	} while ((n & 15) != 0 || (t = now() - t0) < seconds_per_figure);
	*bytes_r = out.len;
	outsign_worker_free(w);
	outsign_post_free(p);
	buf_free(&out);
	return (double) n / t;
}

/* The number after skip fields of line; 0 if there is none. */
static double field_number(const char *line, int skip)
{
	const char *p = line;
	char   *end;
	double	v;

	while (skip-- > 0) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t\n");
	}
	v = strtod(p, &end);
	return end == p ? 0 : v;
}

/* "rsa 2048 bits 0.000297s 0.000018s   3369.0  56196.0": sign/s is field 5. */
static double openssl_speed(void)
{
	FILE   *fp;
	char	line[512];
	double	sign = 0;

	fprintf(stderr, "bench_outsign: running openssl speed -seconds 3 rsa2048 (about 6 s)...\n");
	if ((fp = popen("openssl speed -seconds 3 rsa2048 2>/dev/null", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "rsa 2048 bits ", 14) == 0)
			sign = field_number(line, 5);
	if (pclose(fp) != 0 || sign <= 0)
		fprintf(stderr, "bench_outsign: could not read openssl speed's figures\n");
	return sign;
}

static void options(int argc, char **argv, int *speed)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-openssl-speed") == 0) {
			*speed = 0;
		} else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			char   *end;

			seconds_per_figure = strtod(argv[++i], &end);
			if (*end != 0 || seconds_per_figure <= 0)
				die("-t", "not a positive number");
		} else {
			fprintf(stderr, "usage: bench_outsign [-t SECONDS] [--no-openssl-speed]\n");
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	struct keys k;
	struct buf in;
	struct msg *post;
	const char *error;
	double	rate[C_COUNT], speed = 0;
	size_t	bytes[C_COUNT];
	int	c, with_speed = 1;

	options(argc, argv, &with_speed);
	if ((k.rsa = dkim_privkey_generate(DKIM_ALGO_RSA_SHA256, 2048, &error)) == NULL
	    || (k.ed = dkim_privkey_generate(DKIM_ALGO_ED25519_SHA256, 0, &error)) == NULL)
		die("key generation", error);
	buf_init(&in, 1 << 20);
	make_message(&in);
	if (msg_parse(&post, in.data, in.len, &error) < 0)
		die("msg_parse", error);
	for (c = 0; c < C_COUNT; c++)
		rate[c] = bench(post, &k, c, &bytes[c]);
	if (with_speed)
		speed = openssl_speed();
	printf("bench_outsign: %zu-byte post, one core, %.0f s per figure\n", in.len,
	       seconds_per_figure);
	printf("%-40s %12s %10s %12s\n", "", "recipients/s", "out bytes", "/ openssl");
	if (speed > 0)
		printf("%-40s %12.0f %10s %12s\n", "openssl speed rsa2048: sign/s", speed, "", "1.00");
	for (c = 0; c < C_COUNT; c++) {
		printf("%-40s %12.0f %10zu", label[c], rate[c], bytes[c]);
		if (speed > 0)
			printf(" %12.2f", rate[c] / speed);
		printf("\n");
	}
	if (speed > 0)
		printf("target: personalized RSA-2048 >= 0.80 of openssl speed: %s (%.2f)\n",
		       rate[C_RSA] / speed >= 0.8 ? "met" : "NOT met", rate[C_RSA] / speed);
	msg_free(post);
	buf_free(&in);
	dkim_privkey_free(k.rsa);
	dkim_privkey_free(k.ed);
	return 0;
}
