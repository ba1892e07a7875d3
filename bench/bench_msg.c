/*
 * NAME
 *	bench_msg 1
 * SUMMARY
 *	raw message model throughput against the machine's memcpy
 * DESCRIPTION
 *	Parses and serializes a typical list post (60 header fields, 5 KB
 *	body) and a large one (200 fields, 1 MB body) many times, applies
 *	the edits a list makes (remove two DKIM-Signature fields, insert
 *	four List-* fields), and prints the rates next to memcpy of the same
 *	bytes.  The ratio, not the absolute figure, is the result: parse and
 *	serialize should stay within a small factor of copying the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf/buf.h"
#include "sealist_limits.h"
#include "msg/msg.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void make_message(struct buf *m, int fields, size_t body_len)
{
	int	i;
	size_t	n;

	buf_append_str(m, "DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=s1;\r\n"
		       "\tc=relaxed/relaxed; h=from:to:subject:date; bh=abcdefghij=;\r\n"
		       "\tb=ZmFrZSBzaWduYXR1cmUgZm9yIGJlbmNobWFya2luZyBvbmx5\r\n");
	for (i = 0; i < fields; i++)
		buf_printf(m, "Received: from host%d.example.net (host%d.example.net [192.0.2.%d])\r\n"
			   "\tby mx.example.org with ESMTPS id %08x; Fri, 27 Nov 2026 04:00:%02d +0000\r\n",
			   i, i, i % 250, (unsigned) i * 2654435761u, i % 60);
	buf_append_str(m, "From: Alice <alice@example.net>\r\nTo: dev@example.org\r\n"
		       "Subject: a post\r\nMessage-ID: <1@example.net>\r\n\r\n");
	for (n = 0; n < body_len; n += 72)
		buf_append_str(m, "The quick brown fox jumps over the lazy dog, again and again and agai\r\n");
}

static void run(const char *name, int fields, size_t body_len, int rounds)
{
	struct buf input;
	struct buf out;
	unsigned char *copy;
	double	t0, t_copy, t_parse, t_edit;
	int	r;
	const char *error;

	buf_init(&input, LIMIT_MESSAGE_SIZE);
	buf_init(&out, LIMIT_MESSAGE_SIZE);
	make_message(&input, fields, body_len);
	copy = malloc(input.len);

	t0 = now();
	for (r = 0; r < rounds; r++) {
		memcpy(copy, input.data, input.len);
		__asm__ volatile("" : : "r"(copy) : "memory");
	}
	t_copy = now() - t0;

	t0 = now();
	for (r = 0; r < rounds; r++) {
		struct msg *m;

		if (msg_parse(&m, input.data, input.len, &error) < 0) {
			fprintf(stderr, "parse: %s\n", error);
			exit(1);
		}
		buf_reset(&out);
		msg_serialize(m, &out);
		msg_free(m);
	}
	t_parse = now() - t0;

	t0 = now();
	for (r = 0; r < rounds; r++) {
		struct msg *m;
		long	i;

		msg_parse(&m, input.data, input.len, &error);
		while ((i = msg_find(m, "DKIM-Signature", 0)) >= 0)
			msg_remove(m, (size_t) i);
		msg_insert_top(m, "List-Id: <dev.example.org>", 26, &error);
		msg_insert_top(m, "List-Post: <mailto:dev@example.org>", 35, &error);
		msg_insert_top(m, "List-Help: <mailto:dev-request@example.org?subject=help>", 56, &error);
		msg_insert_top(m, "List-Unsubscribe: <mailto:dev-leave@example.org>", 48, &error);
		buf_reset(&out);
		msg_serialize(m, &out);
		msg_free(m);
	}
	t_edit = now() - t0;

	printf("%-10s %7zu bytes %4d fields: memcpy %8.0f MB/s | parse+serialize %7.0f MB/s (%.3f of memcpy, %.0f msgs/s) | parse+edit+serialize %7.0f MB/s (%.3f of memcpy)\n",
	       name, input.len, fields + 5,
	       input.len * (double) rounds / t_copy / 1e6,
	       input.len * (double) rounds / t_parse / 1e6, t_copy / t_parse,
	       rounds / t_parse,
	       input.len * (double) rounds / t_edit / 1e6, t_copy / t_edit);
	free(copy);
	buf_free(&input);
	buf_free(&out);
}

int main(void)
{
	run("post", 20, 5 * 1024, 100000);
	run("large", 200, 1024 * 1024, 500);
	return 0;
}
