/*
 * NAME
 *	deliver_tool 1
 * SUMMARY
 *	send a message file to a relay with src/deliver.c, for the tests
 * SYNOPSIS
 *	deliver_tool -r RELAY -m FILE [-f FROM] [-1] [-n REPEAT]
 *		[-s off|optional|required] [-u USER -p PASS] [-a]
 *		[-c CAFILE] [-k] [-H HELO] RCPT...
 * DESCRIPTION
 *	Sends FILE byte for byte to the recipients, in one transaction
 *	(default) or one per recipient (-1), REPEAT times on the same
 *	connection.  For each transaction prints
 *
 *		txn N failure NAME newconn 0|1 ms MS reason TEXT
 *
 *	then one line per recipient:
 *
 *		ADDR OUTCOME CODE STATUS CLASS TEXT
 *
 *	(STATUS "-" when the reply had none).  -a allows AUTH without TLS,
 *	-k turns certificate checks off (self-signed test relays).  Exit 0
 *	when every transaction ran, whatever the outcomes; 2 on usage
 *	errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deliver.h"
#include "tap.h"

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
usage(void)
{
	fprintf(stderr, "usage: deliver_tool -r RELAY -m FILE [-f FROM] [-1] "
		"[-n REPEAT] [-s off|optional|required] [-u USER -p PASS] "
		"[-a] [-c CAFILE] [-k] [-H HELO] RCPT...\n");
	return 2;
}

static int
parse_starttls(const char *s, enum deliver_starttls *r)
{
	if (strcmp(s, "off") == 0)
		*r = DELIVER_STARTTLS_OFF;
	else if (strcmp(s, "optional") == 0)
		*r = DELIVER_STARTTLS_OPTIONAL;
	else if (strcmp(s, "required") == 0)
		*r = DELIVER_STARTTLS_REQUIRED;
	else
		return -1;
	return 0;
}

static void
print_result(long txn, const struct deliver_result *res,
	     const char *const *rcpts, long ms)
{
	size_t	i;
	const struct deliver_rcpt *r;

	printf("txn %ld failure %s newconn %d ms %ld reason %s\n", txn,
	       deliver_failure_name(res->failure), res->new_connection, ms,
	       res->reason);
	for (i = 0; i < res->n; i++) {
		r = &res->rcpt[i];
		printf("%s %s %d %s %s %s\n", rcpts[i],
		       deliver_outcome_name(r->outcome), r->code,
		       r->status[0] ? r->status : "-", dsn_class_name(r->cls),
		       r->text);
	}
	fflush(stdout);
}

/* One transaction; prints its result. */
static void
send_one(struct deliver_conn *c, long txn, const char *from,
	 const char *const *rcpts, size_t n, const unsigned char *msg,
	 size_t len)
{
	struct deliver_result res;
	long	t0 = now_ms();

	deliver_send(c, from, rcpts, n, msg, len, &res);
	print_result(txn, &res, rcpts, now_ms() - t0);
	deliver_result_free(&res);
}

struct opts {
	struct deliver_config cfg;
	const char *file, *from;
	int	each;
	long	repeat;
};

static int
parse_args(int argc, char **argv, struct opts *o)
{
	int	ch;
	char   *end;

	memset(o, 0, sizeof(*o));
	o->cfg.tls_verify = 1;
	o->from = "";
	o->repeat = 1;
	while ((ch = getopt(argc, argv, "r:m:f:1n:s:u:p:ac:kH:")) != -1) {
		switch (ch) {
		case 'r': o->cfg.relay = optarg; break;
		case 'm': o->file = optarg; break;
		case 'f': o->from = optarg; break;
		case '1': o->each = 1; break;
		case 'n':
			o->repeat = strtol(optarg, &end, 10);
			if (*end != '\0' || o->repeat < 1)
				return -1;
			break;
		case 's':
			if (parse_starttls(optarg, &o->cfg.starttls) < 0)
				return -1;
			break;
		case 'u': o->cfg.user = optarg; break;
		case 'p': o->cfg.password = optarg; break;
		case 'a': o->cfg.allow_plain_auth = 1; break;
		case 'c': o->cfg.ca_file = optarg; break;
		case 'k': o->cfg.tls_verify = 0; break;
		case 'H': o->cfg.helo = optarg; break;
		default: return -1;
		}
	}
	o->cfg.reply_timeout_ms = 10000;
	o->cfg.total_timeout_ms = 30000;
	return o->cfg.relay && o->file && optind < argc ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct deliver_conn *c;
	const char *err;
	const char *const *rcpts;
	unsigned char *msg;
	size_t	len, n, i;
	long	r, txn = 0;

	if (parse_args(argc, argv, &o) < 0)
		return usage();
	rcpts = (const char *const *)argv + optind;
	n = (size_t)(argc - optind);
	if ((msg = tap_read_file(o.file, &len)) == NULL) {
		fprintf(stderr, "deliver_tool: cannot read %s\n", o.file);
		return 1;
	}
	err = "libcurl would not start";
	c = NULL;
	if (deliver_global_init() < 0 ||
	    (c = deliver_conn_new(&o.cfg, &err)) == NULL) {
		fprintf(stderr, "deliver_tool: %s\n", err);
		free(msg);
		return 1;
	}
	for (r = 0; r < o.repeat; r++) {
		if (!o.each)
			send_one(c, ++txn, o.from, rcpts, n, msg, len);
		else
			for (i = 0; i < n; i++)
				send_one(c, ++txn, o.from, rcpts + i, 1, msg, len);
	}
	deliver_conn_free(c);
	deliver_global_cleanup();
	free(msg);
	return 0;
}
