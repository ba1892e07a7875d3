/*
 * test_dmarcrep_mail -- dmarcrep_mail_pick (src/dmarcrep_mail.c): which
 * parts of a mail to the DMARC report address are report candidates,
 * with their type, file name and decoded bytes.  Table-driven: each row
 * is a message and the candidates expected from it, as
 * "type|filename|decoded" lines; then the cap of DMARCREP_MAIL_MAX and
 * the size cap, and unreadable structures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dmarcrep_mail.h"
#include "sealist_limits.h"
#include "tap.h"

#define HDR	"From: r@reporter.example\r\nTo: dmarc-reports@example.org\r\n" \
		"Subject: Report\r\nMIME-Version: 1.0\r\n"
#define MP	"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" \
		"--b\r\nContent-Type: text/plain\r\n\r\nSee the report.\r\n"

static const struct {
	const char *what, *message, *want;
} cases[] = {
	{ "application/gzip attachment, base64",
	  HDR MP "--b\r\nContent-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n"
	  "Content-Disposition: attachment; filename=\"r.xml.gz\"\r\n\r\naGVsbG8=\r\n--b--\r\n",
	  "application/gzip|r.xml.gz|hello\n" },
	{ "application/x-gzip, application/zip and application/x-zip-compressed",
	  HDR MP "--b\r\nContent-Type: application/x-gzip\r\n\r\nA\r\n"
	  "--b\r\nContent-Type: application/zip; name=r.zip\r\n\r\nB\r\n"
	  "--b\r\nContent-Type: application/x-zip-compressed\r\n\r\nC\r\n--b--\r\n",
	  "application/x-gzip||A\napplication/zip|r.zip|B\napplication/x-zip-compressed||C\n" },
	{ "text/xml inline, quoted-printable",
	  HDR MP "--b\r\nContent-Type: text/xml; charset=utf-8\r\n"
	  "Content-Transfer-Encoding: quoted-printable\r\nContent-Disposition: inline\r\n\r\n"
	  "<a>B=C3=BCcher</a>=\r\n\r\n--b--\r\n",
	  "text/xml||<a>B\xc3\xbc" "cher</a>\n" },
	{ "application/xml, type in capitals",
	  HDR MP "--b\r\nContent-Type: Application/XML\r\n\r\n<x/>\r\n--b--\r\n",
	  "application/xml||<x/>\n" },
	{ "application/octet-stream named .xml.gz (Content-Disposition filename)",
	  HDR MP "--b\r\nContent-Type: application/octet-stream\r\n"
	  "Content-Disposition: attachment;\r\n filename=\"google.com!example.org!1!2.XML.GZ\"\r\n"
	  "Content-Transfer-Encoding: base64\r\n\r\nWFla\r\n--b--\r\n",
	  "application/octet-stream|google.com!example.org!1!2.XML.GZ|XYZ\n" },
	{ "application/octet-stream named by Content-Type name=, .zip",
	  HDR MP "--b\r\nContent-Type: application/octet-stream; name=\"r.zip\"\r\n\r\nZ\r\n--b--\r\n",
	  "application/octet-stream|r.zip|Z\n" },
	{ "application/octet-stream with an RFC 2231 filename*",
	  HDR MP "--b\r\nContent-Type: application/octet-stream\r\n"
	  "Content-Disposition: attachment; filename*=utf-8''r%C3%A9port.xml\r\n\r\nQ\r\n--b--\r\n",
	  "application/octet-stream|r%C3%A9port.xml|Q\n" },
	{ "application/octet-stream without a report name: not a candidate",
	  HDR MP "--b\r\nContent-Type: application/octet-stream\r\n"
	  "Content-Disposition: attachment; filename=\"report.pdf\"\r\n\r\nP\r\n--b--\r\n", "" },
	{ "application/octet-stream without any name: not a candidate",
	  HDR MP "--b\r\nContent-Type: application/octet-stream\r\n\r\nP\r\n--b--\r\n", "" },
	{ "text/plain named .xml: not a candidate (only the listed types)",
	  HDR MP "--b\r\nContent-Type: text/plain; name=r.xml\r\n\r\n<x/>\r\n--b--\r\n", "" },
	{ "the whole single-part body",
	  HDR "Content-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n"
	  "Content-Disposition: attachment; filename=\"whole.xml.gz\"\r\n\r\naGVsbG8=\r\n",
	  "application/gzip|whole.xml.gz|hello\n" },
	{ "a single-part octet-stream named by its Content-Disposition",
	  HDR "Content-Type: application/octet-stream\r\n"
	  "Content-Disposition: attachment; filename=r.gz\r\n\r\nG\r\n",
	  "application/octet-stream|r.gz|G\n" },
	{ "a plain text mail: none",
	  HDR "Content-Type: text/plain\r\n\r\nNo report.\r\n", "" },
	{ "no Content-Type at all: none",
	  "From: r@reporter.example\r\n\r\nNo report.\r\n", "" },
	{ "two reports, nested in multipart/alternative",
	  HDR "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
	  "--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n"
	  "--i\r\nContent-Type: text/xml\r\n\r\n<one/>\r\n--i--\r\n"
	  "--o\r\nContent-Type: application/zip\r\n\r\nZIP\r\n--o--\r\n",
	  "text/xml||<one/>\napplication/zip||ZIP\n" },
	{ "a report inside a forwarded message/rfc822 is not entered",
	  HDR "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
	  "--o\r\nContent-Type: message/rfc822\r\n\r\n"
	  "Content-Type: application/gzip\r\n\r\nX\r\n--o--\r\n", "" },
	{ "a Content-Disposition that does not parse: the name= of Content-Type",
	  HDR MP "--b\r\nContent-Type: application/octet-stream; name=r.xml\r\n"
	  "Content-Disposition: attachment; filename=\"unterminated\r\n\r\nU\r\n--b--\r\n",
	  "application/octet-stream|r.xml|U\n" },
	{ "an invalid Content-Type is text/plain: not a candidate",
	  HDR MP "--b\r\nContent-Type: application/\r\n\r\nI\r\n--b--\r\n", "" },
};

/* The candidates as "type|filename|decoded\n" lines. */
static void show(const struct dmarcrep_mail_parts *p, struct buf *out)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		buf_printf(out, "%s|%s|", p->part[i].type, p->part[i].filename);
		buf_append(out, p->part[i].data.data, p->part[i].data.len);
		buf_append_str(out, "\n");
	}
}

static void test_table(void)
{
	struct dmarcrep_mail_parts p;
	struct buf got;
	const char *error = NULL;
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&got, 1 << 20);
		if (tap_int(dmarcrep_mail_pick(cases[i].message, strlen(cases[i].message), &p,
					       &error), 0, cases[i].what) == 0) {
			show(&p, &got);
			tap_str(buf_str(&got), cases[i].want, cases[i].what);
			tap_int((long long) p.extra, 0, "  nothing past the cap");
		} else {
			tap_diag("error: %s", error);
		}
		dmarcrep_mail_parts_free(&p);
		buf_free(&got);
	}
}

/* DMARCREP_MAIL_MAX + 3 candidates: the first DMARCREP_MAIL_MAX decoded, 3 counted. */
static void test_cap(void)
{
	struct dmarcrep_mail_parts p;
	struct buf m;
	const char *error;
	int	i, in_order = 1;

	buf_init(&m, 1 << 20);
	buf_append_str(&m, HDR "Content-Type: multipart/mixed; boundary=b\r\n\r\n");
	for (i = 0; i < DMARCREP_MAIL_MAX + 3; i++)
		buf_printf(&m, "--b\r\nContent-Type: text/xml\r\n\r\n<r%d/>\r\n", i);
	buf_append_str(&m, "--b--\r\n");
	tap_int(dmarcrep_mail_pick(m.data, m.len, &p, &error), 0, "19 candidates: read");
	tap_int((long long) p.n, DMARCREP_MAIL_MAX, "  16 of them decoded");
	tap_int((long long) p.extra, 3, "  3 counted as extra");
	for (i = 0; i < (int) p.n; i++) {
		char	want[16];

		(void) snprintf(want, sizeof(want), "<r%d/>", i);
		in_order &= strcmp(buf_str(&p.part[i].data), want) == 0;
	}
	tap_ok(in_order, "  the first 16, in order");
	dmarcrep_mail_parts_free(&p);
	buf_free(&m);
}

/* A candidate that decodes to more than LIMIT_DMARCREP_PACKED stops one octet past it. */
static void test_size_cap(void)
{
	struct dmarcrep_mail_parts p;
	struct buf m;
	const char *error;
	size_t	body = (size_t) LIMIT_DMARCREP_PACKED + 4096, i;

	/* in lines of 78 octets and CRLF: no line too long for lib/msg */
	buf_init(&m, body + 4096);
	buf_append_str(&m, HDR "Content-Type: application/gzip\r\n\r\n");
	if (buf_reserve(&m, body) == 0) {
		memset(m.data + m.len, 'x', body);
		for (i = 78; i + 1 < body; i += 80)
			memcpy(m.data + m.len + i, "\r\n", 2);
		m.len += body;
	}
	tap_int(dmarcrep_mail_pick(m.data, m.len, &p, &error), 0, "a 16 MiB + 4 KiB body: read");
	tap_int((long long) p.n, 1, "  one candidate");
	tap_int((long long) p.part[0].data.len, (long long) LIMIT_DMARCREP_PACKED + 1,
		"  cut one octet past LIMIT_DMARCREP_PACKED, so the import refuses it by size");
	dmarcrep_mail_parts_free(&p);
	buf_free(&m);
}

static void test_unreadable(void)
{
	struct dmarcrep_mail_parts p;
	struct buf m;
	const char *error = NULL;
	int	i;

	/* deeper than LIMIT_MIME_DEPTH */
	buf_init(&m, 1 << 20);
	buf_append_str(&m, HDR "Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
	for (i = 1; i < LIMIT_MIME_DEPTH + 4; i++)
		buf_printf(&m, "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n",
			   i - 1, i);
	tap_int(dmarcrep_mail_pick(m.data, m.len, &p, &error), -1, "nesting too deep: refused");
	tap_str(error, "nesting too deep", "  with mime_walk's reason");
	dmarcrep_mail_parts_free(&p);
	buf_free(&m);

	buf_init(&m, (size_t) LIMIT_HEADER_BLOCK + 1024);
	buf_append_str(&m, "Subject: ");
	for (i = 0; i < LIMIT_HEADER_BLOCK; i++)
		buf_append_byte(&m, 'x');
	buf_append_str(&m, "\r\n\r\n");
	tap_int(dmarcrep_mail_pick(m.data, m.len, &p, &error), -1, "a header too big: refused");
	tap_ok(error != NULL && strstr(error, "header block larger") != NULL,
	       "  with msg_parse's reason (%s)", error ? error : "none");
	dmarcrep_mail_parts_free(&p);
	buf_free(&m);
}

int main(void)
{
	test_table();
	test_cap();
	test_size_cap();
	test_unreadable();
	return tap_done();
}
