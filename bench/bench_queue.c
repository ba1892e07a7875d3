/*
 * NAME
 *	bench_queue 1
 * SUMMARY
 *	how long queuing a post for 10,000 and 100,000 members takes
 * SYNOPSIS
 *	bench_queue [DIR]
 * DESCRIPTION
 *	Issue 6 asks that one delivery row per recipient be created in one
 *	transaction, 100,000 rows "in well under two seconds".  This makes a
 *	database in DIR (default /tmp) with a list of N members and times the
 *	pipeline's last step for one post -- store_inbox_rcpt_finish() with
 *	its outbound row, which expands the deliveries in the same
 *	transaction (WAL, synchronous=FULL, so the fsync is included) --
 *	as seconds and rows/s, wall time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_queue: %s: %s\n", what, why ? why : "failed");
	exit(1);
}

/* A list of n members and one authenticated post to it; its inbox id. */
static long long setup(struct store *s, const char *list, size_t n)
{
	struct store_new_member *m = calloc(n, sizeof(*m));
	char  (*addr)[40] = calloc(n, sizeof(*addr));
	struct store_inbox_rcpt r = { list, 0, "post", "" };
	struct store_inbox_new in;
	const char *error;
	long long id;
	size_t	i;

	if (m == NULL || addr == NULL)
		die("setup", "out of memory");
	if (store_list_create(s, list, NULL, &error) != STORE_OK
	    || store_list_id(s, list, &r.list_id, &error) != STORE_OK)
		die("list", error);
	for (i = 0; i < n; i++) {
		snprintf(addr[i], sizeof(addr[i]), "member%zu@example.net", i);
		m[i].address = addr[i];
	}
	if (store_member_add(s, list, m, n, &error) != STORE_OK)
		die("members", error);
	memset(&in, 0, sizeof(in));
	in.received_at = (long long) time(NULL);
	in.envelope_from = "a@example.net";
	in.message = "Subject: x\r\n\r\nbody\r\n";
	in.size = strlen(in.message);
	in.rcpts = &r;
	in.nrcpts = 1;
	if (store_inbox_add(s, &in, &id, &error) != STORE_OK
	    || store_inbox_set_authenticated(s, id, "x", "dmarc=none\n", 0, &error) != STORE_OK)
		die("inbox", error);
	free(m);
	free(addr);
	return id;
}

static void run(const char *dir, size_t n)
{
	char	path[512], list[64];
	struct store *s;
	struct store_outbound_new o;
	struct store_rcpt_outcome out = { "done", NULL, &o, 1, NULL };
	const char *error;
	long long id, list_id;
	double	t0, secs;

	snprintf(path, sizeof(path), "%s/bench_queue.%ld.db", dir, (long) getpid());
	snprintf(list, sizeof(list), "bench%zu@example.org", n);
	unlink(path);
	if ((s = store_open(path, &error)) == NULL)
		die(path, error);
	id = setup(s, list, n);
	if (store_list_id(s, list, &list_id, &error) != STORE_OK)
		die("list", error);
	o = (struct store_outbound_new) { list_id, "post", "x-bounces@example.org", "",
		"post bytes", 10, NULL, "none" };
	t0 = now();
	if (store_inbox_rcpt_finish(s, id, list, &out, (long long) time(NULL), &error) != STORE_OK)
		die("finish", error);
	secs = now() - t0;
	printf("%-10zu members: queued in %.3f s, %.0f rows/s\n", n, secs, (double) n / secs);
	store_close(s);
	unlink(path);
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "-wal");
	unlink(path);
	path[strlen(path) - 4] = 0;
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "-shm");
	unlink(path);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	printf("bench_queue: one post queued for every member, in one transaction "
	       "(WAL, synchronous=FULL)\n");
	run(dir, 10000);
	run(dir, 100000);
	return 0;
}
