/*
 * NAME
 *	test_reqparse 1
 * SUMMARY
 *	unit tests for src/reqparse.c, the reader of mail commands
 * DESCRIPTION
 *	The main table names one hand-written mail in tests/data/requests
 *	per row with the parse expected of it: the commands rendered as
 *	"[S:|line:]verb(word) arg arg; ...", what stopped the reading, the
 *	junk count and how many junk lines are listed.  Every mail is read
 *	as stored and again with every LF turned into CRLF, and must give
 *	the same parse.  Smaller rows build a mail in memory to probe the
 *	limits (long lines, many arguments, many ignored lines, bad bytes).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "msg/msg.h"
#include "reqparse.h"
#include "sealist_limits.h"
#include "tap.h"

/* The parse as one string, for one tap_str with a readable diff. */
static void render(const struct reqparse_result *r, struct buf *out)
{
	size_t	i, k;

	for (i = 0; i < r->n; i++) {
		const struct reqparse_cmd *c = &r->cmds[i];

		if (i > 0)
			buf_append_str(out, "; ");
		if (c->from_subject)
			buf_append_str(out, "S:");
		else
			buf_printf(out, "%d:", c->line_no);
		buf_printf(out, "%s(%s)", reqparse_verb_name(c->verb), c->word);
		for (k = 0; k < c->nargs; k++)
			buf_printf(out, " %s", c->args[k]);
	}
}

struct expect {
	const char *what;
	size_t	max_commands, max_junk;
	const char *cmds;		/* render()'s form */
	const char *stopped_by;
	size_t	junk, nignored;
	const char *ignored0;		/* the first listed line; NULL: not checked */
};

static void check(const struct expect *e, const char *how, const void *data, size_t len)
{
	struct msg *m;
	struct reqparse_result *r;
	const char *err;
	struct buf got;
	char	what[512];

	snprintf(what, sizeof(what), "%s (%s)", e->what, how);
	if (!tap_ok(msg_parse(&m, data, len, &err) == 0, "%s: msg_parse", what))
		return;
	if (!tap_ok(reqparse_message(m, e->max_commands, e->max_junk, &r, &err) == 0,
		    "%s: reqparse_message", what)) {
		msg_free(m);
		return;
	}
	buf_init(&got, 1 << 20);
	render(r, &got);
	tap_str(buf_str(&got), e->cmds, what);
	tap_str(r->stopped_by, e->stopped_by, "  stopped_by");
	tap_int((long long) r->junk, (long long) e->junk, "  junk");
	tap_int((long long) r->nignored, (long long) e->nignored, "  nignored");
	if (e->ignored0 != NULL && r->nignored > 0)
		tap_str(r->ignored[0], e->ignored0, "  first ignored line");
	buf_free(&got);
	reqparse_free(r);
	msg_free(m);
}

static unsigned char *to_crlf(const unsigned char *d, size_t len, size_t *out_len)
{
	unsigned char *o = malloc(2 * len + 1);
	size_t	i, n = 0;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
			o[n++] = '\r';
		o[n++] = d[i];
	}
	*out_len = n;
	return o;
}

/* ---- the mails in tests/data/requests ------------------------------ */

static const struct expect files[] = {
	/* Replies: the commands on top, the quote below. */
	{ "thunderbird-topposted-unsubscribe.eml", 10, 5,
	  "1:unsubscribe(unsubscribe)", "quote", 0, 0, NULL },
	{ "outlook-original-message.eml", 10, 5,
	  "S:subscribe(subscribe); 1:set(set) digest mime", "quote", 2, 2, "Thanks," },
	{ "outlook-from-sent-block.eml", 10, 5,
	  "1:unsubscribe(leave)", "quote", 2, 2, "Best regards" },
	{ "outlook-underscore-rule.eml", 10, 5,
	  "1:unsubscribe(remove)", "quote", 0, 0, NULL },
	{ "gmail-wrapped-attribution.eml", 10, 5,
	  "1:subscribe(subscribe) nodigest", "quote", 0, 0, NULL },
	{ "gmail-forwarded-message.eml", 10, 5,
	  "1:subscribe(subscribe)", "quote", 0, 0, NULL },
	{ "apple-mail-iphone.eml", 10, 5,
	  "1:set(set) delivery off", "quote", 1, 1, "Sent from my iPhone" },
	{ "french-attribution.eml", 10, 5,
	  "1:who(who)", "quote", 0, 0, NULL },
	{ "german-am-schrieb.eml", 10, 5,
	  "1:subscribe(subscribe)", "quote", 0, 0, NULL },
	{ "mutt-signature.eml", 10, 5,
	  "S:help(help); 1:who(who); 2:info(info)", "signature", 0, 0, NULL },
	{ "dashdash-signature.eml", 10, 5,
	  "1:help(help)", "signature", 0, 0, NULL },
	/* Replies to a confirmation: the command is the Subject. */
	{ "confirm-reply-thunderbird.eml", 10, 5,
	  "S:confirm(confirm) 3f9a0c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7", "quote", 0, 0, NULL },
	{ "confirm-reply-outlook-german.eml", 10, 5,
	  "S:confirm(confirm) 8d1c22f0aa9e4b7c", "quote", 2, 2,
	  "Mit freundlichen Gr\xC3\xBC\xC3\x9F" "en" },
	{ "rfc2047-subject-chinese-reply.eml", 10, 5,
	  "S:confirm(confirm) 5e6f7a8b9c0d", "quote", 0, 0, NULL },
	/* MIME structure */
	{ "html-with-plain-alternative.eml", 10, 5,
	  "1:subscribe(subscribe) digest address=ivy.home@example.com", NULL, 0, 0, NULL },
	{ "html-only-subject-command.eml", 10, 5,
	  "S:unsubscribe(unsubscribe)", NULL, 0, 0, NULL },
	{ "html-only-no-command.eml", 10, 5, "", NULL, 0, 0, NULL },
	{ "mixed-with-attachment.eml", 10, 5,
	  "S:lists(lists); 1:lists(lists); 2:help(help)", NULL, 0, 0, NULL },
	{ "mixed-alternative-then-text-attachment.eml", 10, 5,
	  "1:info(info)", NULL, 0, 0, NULL },
	{ "forwarded-rfc822-only.eml", 10, 5, "", NULL, 0, 0, NULL },
	/* Transfer encodings and charsets */
	{ "quoted-printable-body.eml", 10, 5,
	  "1:unsubscribe(unsubscribe) address=nia.old@example.com; 2:set(set) ack on",
	  NULL, 0, 0, NULL },
	{ "base64-body.eml", 10, 5,
	  "1:set(set) ack on; 2:set(set) myposts off; 3:end(end)", "end", 0, 0, NULL },
	{ "latin1-8bit-body.eml", 10, 5,
	  "S:echo(echo); 1:echo(echo) Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln; 3:who(who)",
	  NULL, 1, 1, "Danke sch\xC3\xB6n" },
	{ "utf8-qp-body.eml", 10, 5,
	  "1:echo(echo) \xC3\xA9t\xC3\xA9 \xE2\x9C\x93", NULL, 1, 1,
	  "merci beaucoup \xE2\x80\x94 Ren\xC3\xA9" "e" },
	{ "unknown-charset.eml", 10, 5, "1:echo(echo) caf?", NULL, 0, 0, NULL },
	/* Subjects */
	{ "rfc2047-subject-base64-re.eml", 10, 5, "S:subscribe(subscribe)", NULL, 0, 0, NULL },
	{ "rfc2047-subject-latin1-q.eml", 10, 5, "S:unsubscribe(unsubscribe)", NULL, 0, 0, NULL },
	{ "subject-tags-and-prefixes.eml", 10, 5,
	  "S:set(set) delivery off", "signature", 0, 0, NULL },
	{ "subject-please-unsubscribe.eml", 10, 5,
	  "S:unsubscribe(unsubscribe) me", NULL, 1, 1, "Thank you" },
	{ "subject-end.eml", 10, 5, "S:end(end)", "end", 0, 0, NULL },
	{ "empty.eml", 10, 5, "", NULL, 0, 0, NULL },
	/* Commands */
	{ "several-commands.eml", 10, 5,
	  "S:subscribe(subscribe); 1:set(set) digest plain; 2:set(set) delivery on; "
	  "3:set(set) show; 4:who(who); 5:lists(lists); 6:info(info); 7:help(help)",
	  NULL, 0, 0, NULL },
	{ "aliases.eml", 10, 5,
	  "1:subscribe(join); 2:unsubscribe(leave); 3:unsubscribe(remove) address=old@example.com; "
	  "4:subscribe(JOIN) digest", NULL, 0, 0, NULL },
	{ "set-variants.eml", 10, 5,
	  "S:set(set) variants; 1:set(set) delivery off; 2:set(set) digest mime; "
	  "3:set(set) digest off; 4:set(set) ack on; 5:set(set) myposts off; 6:set(set) show; "
	  "7:set(set) frob; 8:set(set)", NULL, 0, 0, NULL },
	{ "bad-commands.eml", 10, 5,
	  "1:subscribe(subscribe); 3:subscribe(subscribe) me", NULL, 3, 3, "please add me" },
	{ "mixed-case.eml", 10, 5,
	  "S:help(HELP); 1:subscribe(SUBSCRIBE) Digest; 2:unsubscribe(UnSubscribe); 3:end(EnD)",
	  "end", 0, 0, NULL },
	{ "leading-blanks.eml", 10, 5,
	  "1:help(help); 2:info(info); 3:who(who); 6:lists(lists)", NULL, 0, 0, NULL },
	{ "crlf-line-ends.eml", 10, 5,
	  "S:lists(lists); 1:help(help); 2:who(who); 4:end(end)", "end", 0, 0, NULL },
	{ "end-in-middle.eml", 10, 5, "1:help(help); 2:end(end)", "end", 0, 0, NULL },
	{ "stop-in-middle.eml", 10, 5, "1:info(info); 2:end(Stop)", "stop", 0, 0, NULL },
	/* Limits */
	{ "max-commands.eml", 5, 5,
	  "S:lists(lists); 1:help(help); 2:info(info); 3:who(who); 4:set(set) show",
	  "max_commands", 0, 0, NULL },
	{ "junk-1000-lines.eml", 10, 5, "", "max_junk", 5, 5,
	  "Line 0: the best replica watches at the lowest prices, visit our shop today" },
};

static void test_files(void)
{
	char	path[4096];
	size_t	i, len, clen;
	unsigned char *data, *crlf;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s",
			 tap_srcpath("tests/data/requests"), files[i].what);
		if ((data = tap_read_file(path, &len)) == NULL) {
			tap_ok(0, "read %s", path);
			continue;
		}
		check(&files[i], "as stored", data, len);
		if ((crlf = to_crlf(data, len, &clen)) != NULL)
			check(&files[i], "crlf", crlf, clen);
		free(crlf);
		free(data);
	}
	tap_ok(sizeof(files) / sizeof(files[0]) >= 30, "at least 30 mails (%zu)",
	       sizeof(files) / sizeof(files[0]));
}

/* Every .eml in the directory has a row (a new mail without one fails). */
static void test_all_listed(void)
{
	DIR    *dp;
	struct dirent *de;
	size_t	i, l, n = 0;

	if (!tap_ok((dp = opendir(tap_srcpath("tests/data/requests"))) != NULL,
		    "open tests/data/requests"))
		return;
	while ((de = readdir(dp)) != NULL) {
		int	found = 0;

		l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".eml") != 0)
			continue;
		n++;
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (strcmp(files[i].what, de->d_name) == 0)
				found = 1;
		if (!found)
			tap_ok(0, "%s has a row in the table", de->d_name);
	}
	closedir(dp);
	tap_int((long long) n, (long long) (sizeof(files) / sizeof(files[0])),
		"every mail has exactly one row");
}

/* ---- mails built here, for the limits ------------------------------ */

static void check_built(const struct expect *e, const char *subject, const struct buf *body)
{
	struct buf m;

	buf_init(&m, 1 << 24);
	buf_printf(&m, "From: a@example.org\nTo: l-request@example.org\nSubject: %s\n\n",
		   subject);
	buf_append(&m, body->data, body->len);
	check(e, "built", m.data, m.len);
	buf_free(&m);
}

static void test_limits(void)
{
	struct buf b;
	size_t	i;

	/* A line longer than LIMIT_REQUEST_LINE is cut, not refused. */
	buf_init(&b, 1 << 20);
	buf_append_str(&b, "echo ");
	for (i = 0; i < LIMIT_REQUEST_LINE * 3; i++)
		buf_append_byte(&b, 'x');
	buf_append_str(&b, "\nhelp\n");
	{
		struct msg *m;
		struct reqparse_result *r;
		const char *err;
		struct buf mail;

		buf_init(&mail, 1 << 20);
		buf_append_str(&mail, "Subject: x\n\n");
		buf_append(&mail, b.data, b.len);
		if (msg_parse(&m, mail.data, mail.len, &err) == 0
		    && reqparse_message(m, 10, 10, &r, &err) == 0) {
			tap_int((long long) r->n, 2, "long line: two commands");
			tap_int((long long) strlen(r->cmds[0].line), LIMIT_REQUEST_LINE,
				"long line: cut at LIMIT_REQUEST_LINE");
			tap_int((long long) strlen(r->cmds[0].args[0]), LIMIT_REQUEST_LINE - 5,
				"long line: its argument cut too");
			reqparse_free(r);
			msg_free(m);
		} else
			tap_ok(0, "long line: parsed");
		buf_free(&mail);
	}

	/* More than REQPARSE_MAX_ARGS words: the rest stays in line only. */
	buf_reset(&b);
	buf_append_str(&b, "echo 1 2 3 4 5 6 7 8 9 10\n");
	{
		static const struct expect e = { "ten words after echo", 10, 10,
			"1:echo(echo) 1 2 3 4 5 6 7 8", NULL, 0, 0, NULL };

		check_built(&e, "", &b);
	}

	/* max_commands is capped at LIMIT_REQUEST_COMMANDS. */
	buf_reset(&b);
	for (i = 0; i < LIMIT_REQUEST_COMMANDS + 5; i++)
		buf_append_str(&b, "help\n");
	{
		struct msg *m;
		struct reqparse_result *r;
		const char *err;
		struct buf mail;

		buf_init(&mail, 1 << 20);
		buf_append_str(&mail, "Subject: help\n\n");
		buf_append(&mail, b.data, b.len);
		if (msg_parse(&m, mail.data, mail.len, &err) == 0
		    && reqparse_message(m, (size_t) -1, 5, &r, &err) == 0) {
			tap_int((long long) r->n, LIMIT_REQUEST_COMMANDS,
				"max_commands capped at LIMIT_REQUEST_COMMANDS");
			tap_str(r->stopped_by, "max_commands", "  stopped_by");
			tap_ok(r->cmds[0].from_subject == 1 && r->cmds[0].line_no == 0,
			       "  the Subject is command 1, line 0");
			reqparse_free(r);
			msg_free(m);
		} else
			tap_ok(0, "many commands: parsed");
		buf_free(&mail);
	}

	/* Junk beyond LIMIT_REQUEST_IGNORED is counted, not listed. */
	buf_reset(&b);
	for (i = 0; i < 30; i++)
		buf_printf(&b, "thank you %zu\n", i);
	buf_append_str(&b, "who\n");
	{
		static const struct expect e = { "30 junk lines under a generous max_junk",
			10, 50, "31:who(who)", NULL, 30, LIMIT_REQUEST_IGNORED, "thank you 0" };

		check_built(&e, "", &b);
	}
	/* max_junk is capped at LIMIT_REQUEST_JUNK. */
	buf_reset(&b);
	for (i = 0; i < LIMIT_REQUEST_JUNK + 50; i++)
		buf_printf(&b, "blah %zu\n", i);
	{
		static const struct expect e = { "max_junk capped", 10, (size_t) -1,
			"", "max_junk", LIMIT_REQUEST_JUNK, LIMIT_REQUEST_IGNORED, "blah 0" };

		check_built(&e, "", &b);
	}
	/* max_junk 0 acts as 1: Mailman's stop at the first bad line. */
	buf_reset(&b);
	buf_append_str(&b, "hello\nhelp\n");
	{
		static const struct expect e = { "max_junk 0", 10, 0,
			"", "max_junk", 1, 1, "hello" };

		check_built(&e, "", &b);
	}
	/* max_commands 0: the first command stops the reading unrecorded. */
	buf_reset(&b);
	buf_append_str(&b, "help\n");
	{
		static const struct expect e = { "max_commands 0", 0, 3,
			"", "max_commands", 0, 0, NULL };

		check_built(&e, "", &b);
	}
	buf_free(&b);
}

/* Control bytes, NUL and bad UTF-8 never reach a returned string. */
static void test_bytes(void)
{
	static const unsigned char mail[] =
		"Subject: echo a\x01" "b\n"
		"Content-Type: text/plain; charset=utf-8\n\n"
		"echo x\0y\x7fz\xff\xc3(\rq\n"
		"\xe2\x82 junk\n";
	static const struct expect e = { "control and 8-bit bytes", 10, 10,
		"S:echo(echo) a b; 1:echo(echo) x y z?" "?( q", NULL, 1, 1, "?? junk" };

	static const unsigned char nbsp[] =
		"Subject: x\nContent-Type: text/plain; charset=utf-8\n\n"
		"\xc2\xa0\xc2\xa0help\xc2\xa0\n\xc2\xa0\n\t\xc2\xa0 \n"
		"\xc2\xa0\xc2\xa0who\xc2\xa0" "am\n";
	static const struct expect en = { "no-break spaces are blanks", 10, 10,
		"1:help(help)", NULL, 1, 1, "who\xc2\xa0" "am" };

	/* one '?' per byte that is not part of valid UTF-8 */
	check(&e, "built", mail, sizeof(mail) - 1);
	/* U+00A0 trims like a blank, but does not split words */
	check(&en, "built", nbsp, sizeof(nbsp) - 1);
}

/* Subjects alone: the prefixes and the one retry, as Mailman. */
static void test_subjects(void)
{
	static const struct {
		const char *subject, *cmds, *stopped_by;
	} rows[] = {
		{ "Re:subscribe", "S:subscribe(subscribe)", NULL },	/* 163.com */
		{ "SV: VS: Re: confirm abc", "S:confirm(confirm) abc", NULL },
		{ "[Users] Re: [Users] info", "S:info(info)", NULL },
		{ "Re: Re: Re: Re: lists", "S:lists(lists)", NULL },
		{ "=?utf-8?Q?Odp:_who?=", "S:who(who)", NULL },
		{ "Re:\n confirm\n abc",	/* folded */ "S:confirm(confirm) abc", NULL },
		{ "Please help", "S:help(help)", NULL },
		{ "help: me", "", NULL },
		{ "Re: The end of the thread", "", NULL },
		{ "end", "S:end(end)", "end" },
		{ "STOP", "S:end(STOP)", "stop" },
		{ "   ", "", NULL },
		{ "[unclosed tag help", "", NULL },
	};
	struct buf body;
	size_t	i;

	buf_init(&body, 64);
	buf_append_str(&body, "who\n");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct expect e = { rows[i].subject, 10, 5, NULL, rows[i].stopped_by,
			0, 0, NULL };
		struct buf want;

		/* the body's "who" comes after, unless the Subject stopped */
		buf_init(&want, 256);
		buf_append_str(&want, rows[i].cmds);
		if (rows[i].stopped_by == NULL)
			buf_printf(&want, "%s1:who(who)", rows[i].cmds[0] ? "; " : "");
		e.cmds = buf_str(&want);
		check_built(&e, rows[i].subject, &body);
		buf_free(&want);
	}
	buf_free(&body);
}

static void test_names(void)
{
	static const char *const want[] = { "help", "info", "lists", "who", "subscribe",
		"unsubscribe", "confirm", "set", "echo", "end" };
	size_t	i;

	for (i = 0; i <= REQ_END; i++)
		tap_str(reqparse_verb_name((enum reqparse_verb) i), want[i], "verb name");
	tap_str(reqparse_verb_name((enum reqparse_verb) 99), "unknown", "verb name out of range");
	reqparse_free(NULL);
	tap_ok(1, "reqparse_free(NULL)");
}

int main(void)
{
	test_names();
	test_bytes();
	test_subjects();
	test_limits();
	test_files();
	test_all_listed();
	return tap_done();
}
