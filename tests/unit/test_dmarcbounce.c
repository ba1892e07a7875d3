/*
 * test_dmarcbounce -- dmarcbounce_report_id (src/dmarcbounce.c): which
 * report a bounce names, from the returned message's Message-ID or its
 * Subject's Report-ID.  Table-driven: each row is a DSN and the report_id
 * expected ("" when none is found).
 */
#include <string.h>

#include "msg/msg.h"
#include "dmarcbounce.h"
#include "tap.h"

#define HDR	"From: MAILER-DAEMON@mx.example\r\nTo: dmarc-reports@l.example\r\n" \
		"Subject: Undelivered\r\nMessage-ID: <dsn1@mx.example>\r\nMIME-Version: 1.0\r\n" \
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" \
		"--b\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n" \
		"--b\r\nContent-Type: message/delivery-status\r\n\r\n" \
		"Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; agg@a.example\r\n" \
		"Action: failed\r\nStatus: 5.1.1\r\n\r\n"
#define SUBJ	"Subject: Report Domain: a.example Submitter: l.example\r\n" \
		" Report-ID: <1.2.a.example@l.example>\r\n"

static const struct {
	const char *what, *message, *want;
} cases[] = {
	{ "text/rfc822-headers: the Message-ID",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: dmarc-reports@l.example\r\n"
	  "Message-ID: <1.2.a.example@l.example>\r\n" SUBJ "--b--\r\n",
	  "1.2.a.example@l.example" },
	{ "message/rfc822 without Message-ID: the folded Subject's Report-ID",
	  HDR "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: dmarc-reports@l.example\r\n"
	  SUBJ "\r\nThe body.\r\n--b--\r\n", "1.2.a.example@l.example" },
	{ "message/global-headers, base64-encoded",
	  HDR "--b\r\nContent-Type: message/global-headers\r\nContent-Transfer-Encoding: base64\r\n"
	  "\r\nTWVzc2FnZS1JRDogPHhAeT4NCg==\r\n--b--\r\n", "x@y" },
	{ "a Message-ID with a space: the Subject instead",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <a b@c>\r\n"
	  SUBJ "--b--\r\n", "1.2.a.example@l.example" },
	{ "a Message-ID with a space and no Subject: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <a b@c>\r\n--b--\r\n", "" },
	{ "a Subject without Report-ID: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\n--b--\r\n", "" },
	{ "Report-ID: at the end with nothing after it: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: x Report-ID:\r\n--b--\r\n", "" },
	{ "no returned part: the DSN's own Message-ID is not taken",
	  HDR "--b--\r\n", "" },
	{ "a field named Message-ID-X is not Message-ID",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID-X: <q@r>\r\n--b--\r\n", "" },
	{ "empty <>: none",
	  HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <>\r\n--b--\r\n", "" },
};

static void test_table(void)
{
	char	id[DMARCBOUNCE_ID_MAX + 1];
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct msg *m = NULL;
		const char *error;

		if (!tap_ok(msg_parse(&m, cases[i].message, strlen(cases[i].message), &error) == 0,
			    "%s: parses", cases[i].what))
			continue;
		if (dmarcbounce_report_id(m, id, sizeof(id)) == 0)
			id[0] = 0;
		tap_str(id, cases[i].want, cases[i].what);
		msg_free(m);
	}
}

/* An id that does not fit is refused, not cut: a cut one could name another report. */
static void test_too_long(void)
{
	static const char msg[] = HDR "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
		"Message-ID: <0123456789@l.example>\r\n--b--\r\n";
	struct msg *m = NULL;
	const char *error;
	char	id[16];

	if (!tap_ok(msg_parse(&m, msg, sizeof(msg) - 1, &error) == 0, "too long: parses"))
		return;
	tap_int(dmarcbounce_report_id(m, id, sizeof(id)), 0, "an id of 20 octets in 16: none");
	tap_int(dmarcbounce_report_id(m, id, 22), 1, "in 22: found");
	tap_str(id, "0123456789@l.example", "  whole");
	msg_free(m);
}

int main(void)
{
	test_table();
	test_too_long();
	return tap_done();
}
