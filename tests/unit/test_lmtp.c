/*
 * NAME
 *	test_lmtp 1
 * SUMMARY
 *	unit tests for lib/lmtp: line splitting, commands, the DATA reader
 * DESCRIPTION
 *	Table-driven.  Command rows give a line and what the parser must
 *	make of it: the verb, the path, the MAIL parameters, or the reply
 *	(compared up to its enhanced code, the part a client acts on).  DATA
 *	rows give a stream, limits and the expected message octets, the
 *	octets consumed, the error and the bare-LF count; each row is read
 *	whole, one octet at a time and in chunks of three, and all three
 *	must give the same answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lmtp/lmtp.h"
#include "sealist_limits.h"
#include "tap.h"

/* ---- lines ---- */

static void test_lines(void)
{
	size_t	len, used;
	int	bare;

	tap_int(lmtp_line_find("NOOP\r\nQUIT\r\n", 12, &len, &used, &bare), 1,
		"line: CRLF line found");
	tap_int((long long) len, 4, "line: length without CRLF");
	tap_int((long long) used, 6, "line: consumed with CRLF");
	tap_int(bare, 0, "line: CRLF is not bare");
	tap_int(lmtp_line_find("NOOP\nX", 6, &len, &used, &bare), 1,
		"line: bare LF ends a line too");
	tap_ok(len == 4 && used == 5 && bare == 1, "line: bare LF reported");
	tap_int(lmtp_line_find("NOOP\r", 5, &len, &used, &bare), 0,
		"line: CR alone is not a line end yet");
	tap_int(lmtp_line_find("\n", 1, &len, &used, &bare), 1, "line: empty bare line");
	tap_ok(len == 0 && bare == 1, "line: empty bare line is bare");
	tap_int(lmtp_line_find("\r\n", 2, &len, &used, &bare), 1, "line: empty line");
	tap_ok(len == 0 && used == 2 && bare == 0, "line: empty line sizes");
}

/* ---- commands ---- */

#define NONE	(-1LL)

struct cmd_row {
	const char *what;
	const char *line;
	int	bare_lf;
	enum lmtp_verb verb;		/* when accepted */
	const char *path;		/* MAIL/RCPT path, or arg for others */
	long long size;			/* NONE: no SIZE= */
	enum lmtp_body body;
	int	smtputf8;
	const char *reply;		/* NULL: accepted; else reply prefix */
};

static const struct cmd_row cmd_rows[] = {
	{"LHLO with a name", "LHLO mx.example.org", 0, LMTP_V_LHLO, "mx.example.org", NONE, 0, 0, NULL},
	{"verbs are case-insensitive", "lhlo mx", 0, LMTP_V_LHLO, "mx", NONE, 0, 0, NULL},
	{"trailing blanks ignored", "NOOP  \t", 0, LMTP_V_NOOP, "", NONE, 0, 0, NULL},
	{"NOOP takes any text", "NOOP hello there", 0, LMTP_V_NOOP, "hello there", NONE, 0, 0, NULL},
	{"LHLO without a name", "LHLO", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"HELO parses (server refuses)", "HELO x", 0, LMTP_V_HELO, "x", NONE, 0, 0, NULL},
	{"EHLO parses (server refuses)", "EHLO x", 0, LMTP_V_EHLO, "x", NONE, 0, 0, NULL},
	{"unknown verb", "FROB x", 0, 0, NULL, NONE, 0, 0, "500 5.5.2"},
	{"verb prefix is not a verb", "MAILX FROM:<a@b>", 0, 0, NULL, NONE, 0, 0, "500 5.5.2"},
	{"empty line", "", 0, 0, NULL, NONE, 0, 0, "500 5.5.2"},
	{"bare LF refused", "NOOP", 1, 0, NULL, NONE, 0, 0, "500 5.5.2"},
	{"NUL refused", "NO\0OP", 0, 0, NULL, NONE, 0, 0, "500 5.5.2"},
	{"binary junk", "\x80\xff\x01\x02", 0, 0, NULL, NONE, 0, 0, "500 5.5.2"},
	{"DATA", "DATA", 0, LMTP_V_DATA, "", NONE, 0, 0, NULL},
	{"DATA with an argument", "DATA now", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"RSET with an argument", "RSET x", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"QUIT", "quit", 0, LMTP_V_QUIT, "", NONE, 0, 0, NULL},
	{"VRFY needs an argument", "VRFY", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"VRFY", "VRFY postmaster", 0, LMTP_V_VRFY, "postmaster", NONE, 0, 0, NULL},
	{"XFORWARD", "XFORWARD ADDR=192.0.2.1 NAME=x.example", 0, LMTP_V_XFORWARD,
	 "ADDR=192.0.2.1 NAME=x.example", NONE, 0, 0, NULL},
	{"XFORWARD empty", "XFORWARD", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"control octet in LHLO", "LHLO a\x01" "b", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	/* MAIL */
	{"MAIL plain", "MAIL FROM:<a@example.org>", 0, LMTP_V_MAIL, "a@example.org", NONE, 0, 0, NULL},
	{"MAIL null path", "MAIL FROM:<>", 0, LMTP_V_MAIL, "", NONE, 0, 0, NULL},
	{"MAIL lower case keyword", "mail from:<a@b.example>", 0, LMTP_V_MAIL, "a@b.example", NONE, 0, 0, NULL},
	{"MAIL blank after colon", "MAIL FROM: <a@b.example>", 0, LMTP_V_MAIL, "a@b.example", NONE, 0, 0, NULL},
	{"MAIL all parameters", "MAIL FROM:<a@b.example> SIZE=1234 BODY=8BITMIME SMTPUTF8", 0,
	 LMTP_V_MAIL, "a@b.example", 1234, LMTP_BODY_8BITMIME, 1, NULL},
	{"MAIL parameters any case", "MAIL FROM:<a@b.example> size=7 body=7bit smtputf8", 0,
	 LMTP_V_MAIL, "a@b.example", 7, LMTP_BODY_7BIT, 1, NULL},
	{"MAIL SIZE=0", "MAIL FROM:<> SIZE=0", 0, LMTP_V_MAIL, "", 0, 0, 0, NULL},
	{"MAIL SIZE largest", "MAIL FROM:<> SIZE=18446744073709551614", 0, LMTP_V_MAIL, "",
	 (long long) -2, 0, 0, NULL},
	{"MAIL SIZE overflow", "MAIL FROM:<> SIZE=18446744073709551616", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL SIZE not a number", "MAIL FROM:<> SIZE=12k", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL SIZE without value", "MAIL FROM:<> SIZE", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL SIZE twice", "MAIL FROM:<> SIZE=1 SIZE=2", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL BODY=BINARYMIME unsupported", "MAIL FROM:<> BODY=BINARYMIME", 0, 0, NULL, NONE, 0, 0, "555 5.5.4"},
	{"MAIL BODY without value", "MAIL FROM:<> BODY", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL SMTPUTF8 with value", "MAIL FROM:<> SMTPUTF8=yes", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL unknown parameter", "MAIL FROM:<> AUTH=<>", 0, 0, NULL, NONE, 0, 0, "555 5.5.4"},
	{"MAIL empty value", "MAIL FROM:<> SIZE=", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL parameter junk", "MAIL FROM:<> =x", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL without FROM:", "MAIL <a@b.example>", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL without brackets", "MAIL FROM:a@b.example", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"MAIL unclosed bracket", "MAIL FROM:<a@b.example", 0, 0, NULL, NONE, 0, 0, "501 5.1.7"},
	{"MAIL junk after path", "MAIL FROM:<a@b.example>x", 0, 0, NULL, NONE, 0, 0, "501 5.1.7"},
	{"MAIL without domain", "MAIL FROM:<abc>", 0, 0, NULL, NONE, 0, 0, "501 5.1.7"},
	{"MAIL space in path", "MAIL FROM:<a b@c.example>", 0, 0, NULL, NONE, 0, 0, "501 5.1.7"},
	{"MAIL source route dropped", "MAIL FROM:<@r1.example,@r2.example:a@b.example>", 0,
	 LMTP_V_MAIL, "a@b.example", NONE, 0, 0, NULL},
	/* RCPT */
	{"RCPT plain", "RCPT TO:<dev@lists.test>", 0, LMTP_V_RCPT, "dev@lists.test", NONE, 0, 0, NULL},
	{"RCPT source route dropped", "RCPT TO:<@relay.example:dev@lists.test>", 0, LMTP_V_RCPT,
	 "dev@lists.test", NONE, 0, 0, NULL},
	{"RCPT two-hop source route", "RCPT TO:<@a.example,@[192.0.2.1]:dev@lists.test>", 0,
	 LMTP_V_RCPT, "dev@lists.test", NONE, 0, 0, NULL},
	{"RCPT bad source route", "RCPT TO:<@a.example dev@lists.test>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT source route without mailbox", "RCPT TO:<@a.example:>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT quoted local part kept as given", "RCPT TO:<\"john doe\\\"x\"@lists.test>", 0,
	 LMTP_V_RCPT, "\"john doe\\\"x\"@lists.test", NONE, 0, 0, NULL},
	{"RCPT unterminated quote", "RCPT TO:<\"john@lists.test>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT VERP local part", "RCPT TO:<dev-bounces+someone=example.org@lists.test>", 0,
	 LMTP_V_RCPT, "dev-bounces+someone=example.org@lists.test", NONE, 0, 0, NULL},
	{"RCPT consecutive dots tolerated", "RCPT TO:<a..b@lists.test>", 0, LMTP_V_RCPT,
	 "a..b@lists.test", NONE, 0, 0, NULL},
	{"RCPT UTF-8 local part", "RCPT TO:<\xc3\xa9t\xc3\xa9@lists.test>", 0, LMTP_V_RCPT,
	 "\xc3\xa9t\xc3\xa9@lists.test", NONE, 0, 0, NULL},
	{"RCPT address literal", "RCPT TO:<dev@[192.0.2.7]>", 0, LMTP_V_RCPT, "dev@[192.0.2.7]", NONE, 0, 0, NULL},
	{"RCPT empty address literal", "RCPT TO:<dev@[]>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT empty label", "RCPT TO:<dev@lists..test>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT trailing dot in domain", "RCPT TO:<dev@lists.test.>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT null path refused", "RCPT TO:<>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT <postmaster> (RFC 5321 4.5.1)", "RCPT TO:<Postmaster>", 0, LMTP_V_RCPT, "Postmaster", NONE, 0, 0, NULL},
	{"RCPT other local part without domain", "RCPT TO:<dev>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT postmasterx without domain", "RCPT TO:<postmasterx>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
	{"RCPT with a parameter", "RCPT TO:<dev@lists.test> NOTIFY=NEVER", 0, 0, NULL, NONE, 0, 0, "555 5.5.4"},
	{"RCPT without TO:", "RCPT <dev@lists.test>", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"RCPT nothing", "RCPT", 0, 0, NULL, NONE, 0, 0, "501 5.5.4"},
	{"RCPT control octet", "RCPT TO:<de\x01v@lists.test>", 0, 0, NULL, NONE, 0, 0, "501 5.1.3"},
};

static void test_cmd_row(const struct cmd_row *r)
{
	struct lmtp_cmd c;
	const char *reply = NULL;
	size_t	len = strlen(r->line);
	int	rc;

	if (strcmp(r->what, "NUL refused") == 0)
		len = 6;
	rc = lmtp_cmd_parse(r->line, len, r->bare_lf, &c, &reply);
	if (r->reply) {
		if (tap_int(rc, -1, r->what))
			tap_str(reply ? (strlen(reply) > strlen(r->reply)
					 && strncmp(reply, r->reply, strlen(r->reply)) == 0
					 ? r->reply : reply) : NULL, r->reply, r->what);
		return;
	}
	if (!tap_int(rc, 0, r->what)) {
		tap_diag("reply: %s", reply);
		return;
	}
	tap_str(lmtp_verb_name(c.verb), lmtp_verb_name(r->verb), r->what);
	if (c.verb == LMTP_V_MAIL || c.verb == LMTP_V_RCPT)
		tap_mem(c.path, c.path_len, r->path, strlen(r->path), r->what);
	else
		tap_mem(c.arg, c.arg_len, r->path, strlen(r->path), r->what);
	if (c.verb == LMTP_V_MAIL) {
		long long want = r->size;

		tap_ok(want == NONE ? !c.have_size : c.have_size
		       && c.size == (unsigned long long) want, "%s: SIZE", r->what);
		tap_ok(c.body == r->body && c.smtputf8 == r->smtputf8,
		       "%s: BODY and SMTPUTF8", r->what);
	}
}

/* A path over LIMIT_LMTP_PATH is refused; one at the limit is not. */
static void test_path_limit(void)
{
	char	line[LIMIT_LMTP_PATH + 64];
	struct lmtp_cmd c;
	const char *reply;
	size_t	n, local;

	for (local = LIMIT_LMTP_PATH - 11; local <= LIMIT_LMTP_PATH - 10; local++) {
		n = (size_t) snprintf(line, sizeof(line), "RCPT TO:<");
		memset(line + n, 'a', local);
		n += local;
		n += (size_t) snprintf(line + n, sizeof(line) - n, "@lists.test>");
		tap_int(lmtp_cmd_parse(line, n, 0, &c, &reply),
			local + 11 <= LIMIT_LMTP_PATH ? 0 : -1,
			local + 11 <= LIMIT_LMTP_PATH ? "path at the limit accepted"
			: "path one over the limit refused");
	}
}

/* ---- DATA ---- */

struct data_row {
	const char *what;
	const char *in;
	size_t	in_len;			/* 0: strlen */
	size_t	max_size, max_line;	/* 0: large */
	int	end;
	long	used;			/* -1: all of the input */
	const char *out;
	enum lmtp_data_error error;
	size_t	bare_lf;
};

#define S(x)	x, sizeof(x) - 1

static const struct data_row data_rows[] = {
	{"simple message", S("Subject: x\r\n\r\nbody\r\n.\r\n"), 0, 0, 1, -1,
	 "Subject: x\r\n\r\nbody\r\n", LMTP_DATA_OK, 0},
	{"empty message", S(".\r\n"), 0, 0, 1, -1, "", LMTP_DATA_OK, 0},
	{"pipelined command after the end", S("a\r\n.\r\nQUIT\r\n"), 0, 0, 1, 6,
	 "a\r\n", LMTP_DATA_OK, 0},
	{"dot-unstuffing", S("..leading\r\n...two\r\n.\r\n"), 0, 0, 1, -1,
	 ".leading\r\n..two\r\n", LMTP_DATA_OK, 0},
	{"a stuffed lone dot", S("..\r\n.\r\n"), 0, 0, 1, -1, ".\r\n", LMTP_DATA_OK, 0},
	{"dot not at line start kept", S("a.b\r\n a. \r\n.\r\n"), 0, 0, 1, -1,
	 "a.b\r\n a. \r\n", LMTP_DATA_OK, 0},
	{"unfinished", S("line\r\n.\r"), 0, 0, 0, -1, "line\r\n", LMTP_DATA_OK, 0},
	{"dot then CR then text: stuffing", S(".\rx\r\n.\r\n"), 0, 0, 1, -1,
	 "\rx\r\n", LMTP_DATA_OK, 0},
	{"bare LF dot LF is not the end", S("a\n.\nb\r\n.\r\n"), 0, 0, 1, -1,
	 "a\n.\nb\r\n", LMTP_DATA_OK, 2},
	{"CRLF dot LF is not the end", S("a\r\n.\nb\r\n.\r\n"), 0, 0, 1, -1,
	 "a\r\n\nb\r\n", LMTP_DATA_OK, 1},
	{"bare CR kept", S("a\rb\r\r\n.\r\n"), 0, 0, 1, -1, "a\rb\r\r\n", LMTP_DATA_OK, 0},
	{"NUL octets kept", "a\0b\r\n.\r\n", 8, 0, 0, 1, -1, "a\0b\r\n", LMTP_DATA_OK, 0},
	{"8-bit octets kept", S("\xff\xfe\x80\r\n.\r\n"), 0, 0, 1, -1,
	 "\xff\xfe\x80\r\n", LMTP_DATA_OK, 0},
	{"size exactly at the limit", S("12345678\r\n.\r\n"), 10, 0, 1, -1,
	 "12345678\r\n", LMTP_DATA_OK, 0},
	{"size over the limit, read to the end", S("123456789\r\nmore\r\n.\r\nNOOP\r\n"), 10, 0, 1, 20,
	 NULL, LMTP_DATA_TOO_BIG, 0},
	{"line at the limit", S("12345\r\n.\r\n"), 0, 5, 1, -1, "12345\r\n", LMTP_DATA_OK, 0},
	{"line over the limit, read to the end", S("123456\r\nx\r\n.\r\n"), 0, 5, 1, -1,
	 NULL, LMTP_DATA_LINE_TOO_LONG, 0},
	{"stuffing dot not counted in the line", S("..2345\r\n.\r\n"), 0, 5, 1, -1,
	 ".2345\r\n", LMTP_DATA_OK, 0},
	{"stuffed line over the limit", S("..23456\r\n.\r\n"), 0, 5, 1, -1,
	 NULL, LMTP_DATA_LINE_TOO_LONG, 0},
	{"bare CR counts, CRLF does not", S("1234\r\r\n.\r\n"), 0, 5, 1, -1,
	 "1234\r\r\n", LMTP_DATA_OK, 0},
	{"line limit on the last unfinished line", S("123456"), 0, 5, 0, -1,
	 NULL, LMTP_DATA_LINE_TOO_LONG, 0},
};

struct data_run {
	struct lmtp_data d;
	struct buf out;
	size_t	used;
	int	end;
};

static void data_run(const struct data_row *r, size_t chunk, struct data_run *x)
{
	size_t	len = r->in_len ? r->in_len : strlen(r->in);
	size_t	max_size = r->max_size ? r->max_size : 1024 * 1024;
	size_t	off = 0;

	lmtp_data_init(&x->d, max_size, r->max_line ? r->max_line : 1000);
	buf_init(&x->out, max_size);
	x->end = 0;
	while (off < len && !x->end) {
		size_t	k = len - off < chunk ? len - off : chunk, used;

		x->end = lmtp_data_feed(&x->d, (const unsigned char *) r->in + off,
					k, &x->out, &used);
		off += used;
	}
	x->used = off;
}

static void test_data_row(const struct data_row *r)
{
	static const size_t chunks[] = { 1u << 30, 1, 3 };
	static const char *const names[] = { "whole", "byte by byte", "chunks of 3" };
	size_t	len = r->in_len ? r->in_len : strlen(r->in), i;
	struct data_run x;

	for (i = 0; i < 3; i++) {
		char	what[256];

		snprintf(what, sizeof(what), "%s (%s)", r->what, names[i]);
		data_run(r, chunks[i], &x);
		tap_int(x.end, r->end, what);
		tap_int((long long) x.used, r->used < 0 ? (long long) len : r->used, what);
		tap_int(x.d.error, r->error, what);
		tap_int((long long) x.d.bare_lf, (long long) r->bare_lf, what);
		if (r->out) {
			size_t	olen = strlen(r->out);

			if (strcmp(r->what, "NUL octets kept") == 0)
				olen = 5;
			tap_mem(x.out.data, x.out.len, r->out, olen, what);
		}
		buf_free(&x.out);
	}
}

static void test_data_replies(void)
{
	struct lmtp_data d;

	lmtp_data_init(&d, 10, 10);
	tap_ok(lmtp_data_reply(&d) == NULL, "no error, no reply");
	d.error = LMTP_DATA_TOO_BIG;
	tap_ok(strncmp(lmtp_data_reply(&d), "552 5.3.4 ", 10) == 0, "too big: 552 5.3.4");
	d.error = LMTP_DATA_LINE_TOO_LONG;
	tap_ok(strncmp(lmtp_data_reply(&d), "552 5.3.4 ", 10) == 0, "line too long: 552 5.3.4");
}

/* A long message in odd chunks: throughput path and counters. */
static void test_data_large(void)
{
	struct lmtp_data d;
	struct buf in, out;
	size_t	off = 0, used, i;
	int	end = 0;

	buf_init(&in, 4 * 1024 * 1024);
	for (i = 0; i < 20000; i++)
		buf_printf(&in, "%sline %zu of the body\r\n", i % 7 ? "" : ".", i);
	buf_append_str(&in, ".\r\n");
	buf_init(&out, 4 * 1024 * 1024);
	lmtp_data_init(&d, 4 * 1024 * 1024, 998);
	while (off < in.len && !end) {
		size_t	k = in.len - off < 4093 ? in.len - off : 4093;

		end = lmtp_data_feed(&d, in.data + off, k, &out, &used);
		off += used;
	}
	tap_ok(end && off == in.len, "large: end found at the end");
	tap_int((long long) d.lines, 20000, "large: line count");
	tap_int((long long) out.len, (long long) (in.len - 3 - (20000 + 6) / 7),
		"large: one dot removed per stuffed line");
	buf_free(&in);
	buf_free(&out);
}

int main(void)
{
	size_t	i;

	test_lines();
	for (i = 0; i < sizeof(cmd_rows) / sizeof(cmd_rows[0]); i++)
		test_cmd_row(&cmd_rows[i]);
	test_path_limit();
	for (i = 0; i < sizeof(data_rows) / sizeof(data_rows[0]); i++)
		test_data_row(&data_rows[i]);
	test_data_replies();
	test_data_large();
	return tap_done();
}
