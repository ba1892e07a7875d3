/*
 * NAME
 *	test_dmarcrep 1
 * SUMMARY
 *	unit tests for lib/dmarcrep: the corpus, the required elements, hostile input
 * DESCRIPTION
 *	Every report in tests/data/dmarc-reports/MANIFEST is unpacked and
 *	parsed and its org, report id, record count, message total, policy
 *	domain, schema and format compared with the manifest; some are then
 *	looked at field by field.  Table rows check what a report must hold.
 *	The hostile inputs (tests/data/dmarc-reports/hostile/, and zip and
 *	gzip bombs of 1 GiB of zeros built here with zlib: repeated
 *	full-flushed deflate blocks, so building them costs no 1 GiB of
 *	compression) must each be refused with their reason, in bounded
 *	time; the time is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "buf/buf.h"
#include "dmarcrep/dmarcrep.h"
#include "sealist_limits.h"
#include "tap.h"

/* Under valgrind inflating 64 MiB takes seconds; natively a fraction. */
#define HOSTILE_SECONDS	60.0

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static const char *fmt_name(enum dmarcrep_format f)
{
	return f == DMARCREP_GZIP ? "gzip" : f == DMARCREP_ZIP ? "zip" : "plain";
}

/* Unpack and parse; 0 or -1 with why. */
static int load(const void *data, size_t len, struct dmarcrep_report *r,
		enum dmarcrep_format *fmt, char *why, size_t whysize)
{
	struct buf xml;
	int	rc;

	memset(r, 0, sizeof(*r));
	buf_init(&xml, LIMIT_DMARCREP_XML + 1);
	rc = dmarcrep_unpack(data, len, &xml, fmt, why, whysize);
	if (rc == 0)
		rc = dmarcrep_parse(xml.data, xml.len, r, why, whysize);
	buf_free(&xml);
	return rc;
}

static unsigned char *read_data(const char *rel, size_t *len)
{
	char	path[512];

	snprintf(path, sizeof(path), "tests/data/dmarc-reports/%s", rel);
	return tap_read_file(tap_srcpath(path), len);
}

static void check_detail(const char *file, const struct dmarcrep_report *r)
{
	if (strcmp(file, "rfc9990-appendix-b.xml") == 0) {
		const struct dmarcrep_record *x = &r->records[0];

		tap_str(r->email, "report_sender@example-reporter.com", "appendix B: email");
		tap_int(r->date_begin, 302832000, "appendix B: begin");
		tap_int(r->date_end, 302918399, "appendix B: end");
		tap_str(r->p, "quarantine", "appendix B: p");
		tap_str(r->np, "none", "appendix B: np");
		tap_str(r->testing, "n", "appendix B: testing");
		tap_str(r->discovery, "treewalk", "appendix B: discovery_method");
		tap_int(r->pct, -1, "appendix B: no pct");
		tap_str(x->source_ip, "192.0.2.123", "appendix B: source_ip");
		tap_str(x->disposition, "pass", "appendix B: disposition pass (RFC 9990)");
		tap_str(x->spf, "fail", "appendix B: policy spf");
		tap_str(x->envelope_to, "", "appendix B: no envelope_to");
		tap_ok(x->ndkim == 1 && strcmp(x->dkim_results[0].selector, "abc123") == 0
		       && strcmp(x->dkim_results[0].result, "pass") == 0,
		       "appendix B: one DKIM result, selector abc123");
		tap_ok(x->nspf == 1 && strcmp(x->spf_results[0].result, "fail") == 0
		       && strcmp(x->spf_results[0].scope, "") == 0 && strcmp(x->spf_results[0].selector, "") == 0,
		       "appendix B: one SPF result, no scope or selector");
	} else if (strcmp(file, "rfc9990-errors.zip") == 0) {
		tap_str(r->errors, "DNS timeout looking up _dmarc.example.org\nreport truncated at 10000 records",
			"errors joined by newlines");
		tap_str(r->records[0].reason_type, "local_policy", "the first reason's type");
		tap_str(r->records[0].reason_comment, "quarantined by receiver policy", "the first reason's comment");
		tap_str(r->testing, "y", "testing y");
	} else if (strcmp(file, "protection.outlook.com!example.org!1700006400!1700092799.xml.gz") == 0) {
		const struct dmarcrep_record *x = &r->records[0];

		tap_str(x->envelope_to, "outlook.com", "Microsoft shape: envelope_to");
		tap_str(x->reason_type, "mailing_list", "Microsoft shape: reason mailing_list");
		tap_str(x->reason_comment, "arc=pass", "Microsoft shape: reason comment");
		tap_ok(x->ndkim == 2 && x->nspf == 1 && strcmp(x->spf_results[0].scope, "mfrom") == 0,
		       "Microsoft shape: SPF first with scope, two DKIM");
		tap_str(r->fo, "1", "Microsoft shape: fo");
		tap_int(r->pct, 100, "Microsoft shape: pct");
	} else if (strcmp(file, "yahoo.com!example.org!1700006400!1700092799.xml.gz") == 0) {
		const struct dmarcrep_record *x = &r->records[0];

		tap_ok(x->ndkim == 3 && strcmp(x->dkim_results[2].domain, "mailgun.example") == 0
		       && strcmp(x->dkim_results[1].selector, "sealist") == 0,
		       "Yahoo shape: three DKIM results in order");
	} else if (strcmp(file, "microsoft-ipv6-only.xml.gz") == 0) {
		tap_str(r->records[1].source_ip, "2603:10a6:20b:4e0::2", "IPv6 source");
		tap_str(r->records[1].spf_results[0].scope, "helo", "SPF scope helo");
	} else if (strcmp(file, "whitespace-comment.xml") == 0) {
		tap_str(r->records[0].reason_comment, "free <text> & more", "CDATA in a comment");
	} else if (strcmp(file, "rfc9990-extensions.xml.gz") == 0) {
		tap_str(r->records[1].source_ip, "2001:db8::10", "extensions ignored, records read");
	} else if (strcmp(file, "big-count.zip") == 0) {
		tap_int(r->records[0].count, 4000000000LL, "a count above 2^31");
		tap_str(r->records[1].source_ip, "::ffff:192.0.2.4", "IPv4-mapped IPv6 source");
	}
}

/* Cut s at each sep into at most max fields; returns the count. */
static int split(char *s, int sep, char **f, int max)
{
	int	k = 0;
	char   *p;

	while (k < max) {
		f[k++] = s;
		if ((p = strchr(s, sep)) == NULL)
			break;
		*p = 0;
		s = p + 1;
	}
	return k;
}

static void test_corpus(void)
{
	unsigned char *man;
	size_t	mlen, n = 0;
	char   *line, *next;

	if ((man = read_data("MANIFEST", &mlen)) == NULL) {
		tap_ok(0, "read MANIFEST");
		return;
	}
	for (line = (char *) man; line != NULL && *line != 0; line = next) {
		char   *f[9];
		int	k;
		unsigned char *data;
		size_t	len, i;
		struct dmarcrep_report r;
		enum dmarcrep_format fmt = DMARCREP_PLAIN;
		char	why[256] = "";
		long long total = 0;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		k = split(line, '|', f, 9);
		if (!tap_ok(k == 8, "MANIFEST line has 8 fields (%s)", line))
			continue;
		n++;
		if ((data = read_data(f[0], &len)) == NULL) {
			tap_ok(0, "read %s", f[0]);
			continue;
		}
		if (!tap_ok(load(data, len, &r, &fmt, why, sizeof(why)) == 0, "%s: parsed (%s)", f[0], why)) {
			dmarcrep_free(&r);
			free(data);
			continue;
		}
		for (i = 0; i < r.nrecords; i++)
			total += r.records[i].count;
		tap_ok(strcmp(r.org_name, f[1]) == 0 && strcmp(r.report_id, f[2]) == 0
		       && r.nrecords == strtoull(f[3], NULL, 10) && total == strtoll(f[4], NULL, 10)
		       && strcmp(r.domain, f[5]) == 0 && r.schema == strtol(f[6], NULL, 10)
		       && strcmp(fmt_name(fmt), f[7]) == 0,
		       "%s: org \"%s\", id %s, %zu records, %lld messages, domain %s, schema %d, %s",
		       f[0], r.org_name, r.report_id, r.nrecords, total, r.domain, r.schema, fmt_name(fmt));
		check_detail(f[0], &r);
		dmarcrep_free(&r);
		free(data);
	}
	tap_ok(n >= 15, "the corpus has at least 15 reports (%zu)", n);
	free(man);
}

struct parse_case {
	const char *what;
	const char *xml;
	const char *want_why;		/* NULL: parses */
};

#define HEAD	"<feedback>" BODY
#define BODY	"<report_metadata><org_name>o</org_name><report_id>i</report_id>" \
		"<date_range><begin>1</begin><end>2</end></date_range></report_metadata>" \
		"<policy_published><domain>d.example</domain></policy_published>"
#define ROW(ip, n)	"<record><row><source_ip>" ip "</source_ip><count>" n "</count></row></record>"

static const struct parse_case parse_cases[] = {
	{"minimal report", HEAD "</feedback>", NULL},
	{"missing report_id",
	 "<feedback><report_metadata><org_name>o</org_name><date_range><begin>1</begin><end>2</end>"
	 "</date_range></report_metadata><policy_published><domain>d</domain></policy_published></feedback>",
	 "missing <report_id>"},
	{"missing org_name",
	 "<feedback><report_metadata><report_id>i</report_id><date_range><begin>1</begin><end>2</end>"
	 "</date_range></report_metadata><policy_published><domain>d</domain></policy_published></feedback>",
	 "missing <org_name>"},
	{"empty org_name",
	 "<feedback><report_metadata><org_name> </org_name><report_id>i</report_id><date_range><begin>1</begin>"
	 "<end>2</end></date_range></report_metadata><policy_published><domain>d</domain></policy_published></feedback>",
	 "missing <org_name>"},
	{"missing date_range",
	 "<feedback><report_metadata><org_name>o</org_name><report_id>i</report_id></report_metadata>"
	 "<policy_published><domain>d</domain></policy_published></feedback>",
	 "missing <date_range> <begin> or <end>"},
	{"date not a number",
	 "<feedback><report_metadata><org_name>o</org_name><report_id>i</report_id><date_range><begin>yesterday"
	 "</begin><end>2</end></date_range></report_metadata><policy_published><domain>d</domain>"
	 "</policy_published></feedback>",
	 "bad <date_range>: not a Unix time"},
	{"missing policy domain",
	 "<feedback><report_metadata><org_name>o</org_name><report_id>i</report_id><date_range><begin>1</begin>"
	 "<end>2</end></date_range></report_metadata></feedback>",
	 "missing <policy_published> <domain>"},
	{"bad source_ip", HEAD ROW("192.0.2.300", "1") "</feedback>", "record 1: bad source_ip \"192.0.2.300\""},
	{"a host name is no source_ip", HEAD ROW("192.0.2.1", "1") ROW("mx.example", "1") "</feedback>",
	 "record 2: bad source_ip \"mx.example\""},
	{"missing source_ip", HEAD "<record><row><count>1</count></row></record></feedback>",
	 "record 1: missing <source_ip>"},
	{"missing row", HEAD "<record><identifiers/></record></feedback>", "record 1: missing <row>"},
	{"negative count", HEAD ROW("192.0.2.1", "-1") "</feedback>", "record 1: bad <count> \"-1\""},
	{"count not a number", HEAD ROW("192.0.2.1", "12abc") "</feedback>", "record 1: bad <count> \"12abc\""},
	{"count overflowing", HEAD ROW("192.0.2.1", "99999999999999999999") "</feedback>",
	 "record 1: bad <count> \"99999999999999999999\""},
	{"missing count", HEAD "<record><row><source_ip>192.0.2.1</source_ip></row></record></feedback>",
	 "record 1: bad <count> \"\""},
	{"another root", "<html><body/></html>", "not a DMARC aggregate report (root <html>)"},
	{"not well-formed", "<feedback>\n<report_metadata>\n</feedback>", "XML not well-formed at line 3"},
	{"empty document", "", "XML not well-formed at line 1"},
	{"DOCTYPE without entities", "<!DOCTYPE feedback>" HEAD "</feedback>",
	 "a DOCTYPE is not allowed (external entities, entity expansion)"},
	{"nesting 33 deep",
	 "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
	 "</a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>"
	 "</a></a></a></a></a></a></a></a>", "nesting deeper than 32"},
	{"nesting 32 deep is fine but no report",
	 "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
	 "</a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>"
	 "</a></a></a></a></a></a></a>", "not a DMARC aggregate report (root <a>)"},
	{"unknown elements ignored",
	 "<feedback><x><y>z</y></x>" BODY "<record><row><source_ip>::1</source_ip><count>0</count><new/></row>"
	 "<future>1</future></record></feedback>", NULL},
};

static void test_parse_table(void)
{
	size_t	i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct dmarcrep_report r;
		char	why[256] = "";
		size_t	len = strlen(c->xml);
		char   *copy = malloc(len + 1);	/* exactly the length: overreads show */
		int	rc;

		memcpy(copy, c->xml, len);
		rc = dmarcrep_parse(copy, len, &r, why, sizeof(why));
		if (c->want_why == NULL)
			tap_ok(rc == 0, "%s: parses (%s)", c->what, why);
		else
			tap_ok(rc == -1 && strcmp(why, c->want_why) == 0, "%s: refused \"%s\" (want \"%s\")",
			       c->what, why, c->want_why);
		dmarcrep_free(&r);
		free(copy);
	}
}

/* Control characters are dropped, white space trimmed, long values cut. */
static void test_fields(void)
{
	struct buf x;
	struct dmarcrep_report r;
	char	why[256] = "";
	size_t	i;
	int	rc;

	buf_init(&x, 1 << 20);
	buf_append_str(&x, "<feedback><report_metadata><org_name>\n  Evil&#x9;\xC2\x9B[31mCorp\x7f&#x85;  \n</org_name>"
		       "<report_id>");
	for (i = 0; i < 2 * LIMIT_DMARCREP_FIELD; i++)
		buf_append_str(&x, "\xC3\xA9");	/* e-acute, 2 octets: the cut falls inside one */
	buf_append_str(&x, "x</report_id><date_range><begin>1</begin><end>2</end></date_range>"
		       "</report_metadata><policy_published><domain>d</domain><pct>250</pct>"
		       "</policy_published></feedback>");
	rc = dmarcrep_parse(x.data, x.len, &r, why, sizeof(why));
	tap_ok(rc == 0, "control characters and a long value: parses (%s)", why);
	if (rc == 0) {
		size_t	n = strlen(r.report_id);

		tap_str(r.org_name, "Evil[31mCorp", "control characters dropped, white space trimmed");
		tap_ok(n < LIMIT_DMARCREP_FIELD && n >= LIMIT_DMARCREP_FIELD - 2 && n % 2 == 0,
		       "a long value is cut below the cap at a character boundary (%zu)", n);
		tap_int(r.pct, -1, "pct out of range reads as absent");
	}
	dmarcrep_free(&r);
	buf_free(&x);
}

/* Records: more than the cap are refused; the count is exact below it. */
static void test_record_cap(void)
{
	struct buf x;
	struct dmarcrep_report r;
	char	why[256] = "";
	size_t	i;
	int	rc;
	double	t;

	buf_init(&x, LIMIT_DMARCREP_XML);
	buf_append_str(&x, HEAD);
	for (i = 0; i <= LIMIT_DMARCREP_RECORDS; i++)
		buf_append_str(&x, "<record/>");
	buf_append_str(&x, "</feedback>");
	t = now();
	rc = dmarcrep_parse(x.data, x.len, &r, why, sizeof(why));
	t = now() - t;
	tap_ok(rc == -1 && strcmp(why, "more than 50000 records") == 0, "records over the cap: \"%s\"", why);
	tap_diag("%d records refused in %.3f s", LIMIT_DMARCREP_RECORDS + 1, t);
	dmarcrep_free(&r);

	buf_reset(&x);
	buf_append_str(&x, HEAD "<extensions>");
	for (i = 0; i < LIMIT_DMARCREP_ELEMENTS; i++)
		buf_append_str(&x, "<a/>");
	buf_append_str(&x, "</extensions></feedback>");
	t = now();
	rc = dmarcrep_parse(x.data, x.len, &r, why, sizeof(why));
	t = now() - t;
	tap_ok(rc == -1 && strcmp(why, "more than 1000000 elements") == 0, "elements over the cap: \"%s\"", why);
	tap_diag("%d elements refused in %.3f s", LIMIT_DMARCREP_ELEMENTS + 12, t);
	dmarcrep_free(&r);

	buf_reset(&x);
	buf_append_str(&x, HEAD);
	for (i = 0; i < 5000; i++)
		buf_printf(&x, "<record><row><source_ip>2001:db8::%zx</source_ip><count>%zu</count>"
			   "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim>"
			   "<spf>pass</spf></policy_evaluated></row><identifiers><header_from>"
			   "example.org</header_from></identifiers><auth_results><dkim><domain>"
			   "example.org</domain><selector>s1</selector><result>pass</result></dkim>"
			   "<spf><domain>example.org</domain><result>pass</result></spf>"
			   "</auth_results></record>\n", i, i);
	buf_append_str(&x, "</feedback>");
	why[0] = 0;
	t = now();
	rc = dmarcrep_parse(x.data, x.len, &r, why, sizeof(why));
	t = now() - t;
	tap_ok(rc == 0 && r.nrecords == 5000 && r.records[4999].count == 4999
	       && strcmp(r.records[4999].source_ip, "2001:db8::1387") == 0,
	       "a report of 5,000 records parses (%s)", why);
	tap_diag("5,000 records (%zu octets) parsed in %.3f s", x.len, t);
	dmarcrep_free(&r);
	buf_free(&x);
}

/* Unpack refusals that need no file. */
static void test_unpack_small(void)
{
	static const struct {
		const char *what;
		const char *in;
		size_t	len;
		const char *want;
	} cases[] = {
		{"empty input", "", 0, "not a report: neither XML, gzip nor zip"},
		{"white space only", " \r\n\t", 4, "not a report: neither XML, gzip nor zip"},
		{"text", "hello <feedback>", 16, "not a report: neither XML, gzip nor zip"},
		{"gzip magic only", "\x1f\x8b", 2, "truncated gzip: incomplete header"},
		{"gzip header, no data", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10, NULL},
		{"zip header only", "PK\x03\x04", 4, NULL},
		{"BOM then XML", "\xEF\xBB\xBF <x/>", 8, ""},
	};
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf xml;
		enum dmarcrep_format f;
		char	why[256] = "";
		int	rc;

		buf_init(&xml, LIMIT_DMARCREP_XML + 1);
		rc = dmarcrep_unpack(cases[i].in, cases[i].len, &xml, &f, why, sizeof(why));
		if (cases[i].want == NULL)
			tap_ok(rc == -1 && why[0] != 0, "%s: refused (%s)", cases[i].what, why);
		else if (cases[i].want[0] == 0)
			tap_ok(rc == 0 && f == DMARCREP_PLAIN && xml.len == cases[i].len, "%s: plain", cases[i].what);
		else
			tap_ok(rc == -1 && strcmp(why, cases[i].want) == 0, "%s: \"%s\"", cases[i].what, why);
		buf_free(&xml);
	}
}

/* Refused, with want in the reason, in bounded time. */
static void hostile(const char *what, const void *data, size_t len, int parse_only, const char *want)
{
	struct dmarcrep_report r;
	enum dmarcrep_format f;
	char	why[256] = "";
	double	t = now();
	int	rc;

	if (parse_only) {
		rc = dmarcrep_parse(data, len, &r, why, sizeof(why));
		dmarcrep_free(&r);
	} else {
		rc = load(data, len, &r, &f, why, sizeof(why));
		dmarcrep_free(&r);
	}
	t = now() - t;
	tap_ok(rc == -1 && strstr(why, want) != NULL, "%s: refused \"%s\"", what, why);
	tap_ok(t < HOSTILE_SECONDS, "%s: in bounded time", what);
	tap_diag("hostile %s: %.3f s", what, t);
}

static void hostile_file(const char *file, int parse_only, const char *want)
{
	char	rel[256];
	unsigned char *data;
	size_t	len;

	snprintf(rel, sizeof(rel), "hostile/%s", file);
	if ((data = read_data(rel, &len)) == NULL) {
		tap_ok(0, "read %s", rel);
		return;
	}
	hostile(file, data, len, parse_only, want);
	free(data);
}

/*
 * 1 MiB of zeros as raw deflate, full-flushed so that the blocks stand
 * alone and may be repeated; *crc_r is the CRC-32 of the 1 MiB.
 */
static unsigned char *deflate_mib(size_t *len_r, unsigned long *crc_r)
{
	static unsigned char zeros[1 << 20];
	unsigned char *out = malloc(1 << 16);
	z_stream z;

	memset(&z, 0, sizeof(z));
	if (out == NULL || deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = zeros;
	z.avail_in = sizeof(zeros);
	z.next_out = out;
	z.avail_out = 1 << 16;
	if (deflate(&z, Z_FULL_FLUSH) != Z_OK || z.avail_in != 0)
		abort();
	*len_r = (1 << 16) - z.avail_out;
	deflateEnd(&z);
	*crc_r = crc32(0L, zeros, sizeof(zeros));
	return out;
}

static void le16(struct buf *b, unsigned v)
{
	buf_append_byte(b, v & 0xff);
	buf_append_byte(b, (v >> 8) & 0xff);
}

static void le32(struct buf *b, unsigned long v)
{
	le16(b, v & 0xffff);
	le16(b, (v >> 16) & 0xffff);
}

/* 1 GiB of zeros in a gzip (zip: one-entry zip) of about 1 MB. */
static void make_bomb(struct buf *b, int zip)
{
	size_t	blen, i, body;
	unsigned long crc1, crc = 0;
	unsigned char *blk = deflate_mib(&blen, &crc1);
	const unsigned reps = 1024;
	static const char name[] = "report.xml";

	for (i = 0; i < reps; i++)
		crc = crc32_combine(crc, crc1, 1 << 20);
	body = blen * reps + 2;
	if (zip) {
		buf_append(b, "PK\x03\x04", 4);
		le16(b, 20), le16(b, 0), le16(b, 8), le16(b, 0), le16(b, 0x21);
		le32(b, crc), le32(b, body), le32(b, 1UL << 30);
		le16(b, sizeof(name) - 1), le16(b, 0);
		buf_append(b, name, sizeof(name) - 1);
	} else {
		buf_append(b, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10);
	}
	for (i = 0; i < reps; i++)
		buf_append(b, blk, blen);
	buf_append(b, "\x03\x00", 2);	/* an empty final fixed-Huffman block */
	if (zip) {
		size_t	cd = b->len;

		buf_append(b, "PK\x01\x02", 4);
		le16(b, 20), le16(b, 20), le16(b, 0), le16(b, 8), le16(b, 0), le16(b, 0x21);
		le32(b, crc), le32(b, body), le32(b, 1UL << 30);
		le16(b, sizeof(name) - 1), le16(b, 0), le16(b, 0), le16(b, 0), le16(b, 0);
		le32(b, 0), le32(b, 0);
		buf_append(b, name, sizeof(name) - 1);
		buf_append(b, "PK\x05\x06", 4);
		le16(b, 0), le16(b, 0), le16(b, 1), le16(b, 1);
		le32(b, b->len - 12 - cd), le32(b, cd), le16(b, 0);
	} else {
		le32(b, crc), le32(b, 0);	/* ISIZE: 2^30 mod 2^32 */
	}
	free(blk);
}

static void test_hostile(void)
{
	struct buf b;
	size_t	i, cutlen;
	unsigned char *cut;

	hostile_file("xxe.xml", 0, "a DOCTYPE is not allowed");
	hostile_file("billion-laughs.xml", 0, "a DOCTYPE is not allowed");
	hostile_file("xxe-utf16.xml", 1, "a DOCTYPE is not allowed");
	hostile_file("xxe-utf16.xml", 0, "not a report: neither XML, gzip nor zip");
	hostile_file("truncated.xml.gz", 0, "truncated gzip: ");
	if ((cut = read_data("yahoo.com!example.org!1700006400!1700092799.xml.gz", &cutlen)) != NULL) {
		hostile("gzip without its trailer", cut, cutlen - 8, 0, "truncated gzip: ");
		hostile("gzip cut in the deflate data", cut, cutlen - 20, 0, "truncated gzip: ");
		free(cut);
	}
	if ((cut = read_data("rfc9990-errors.zip", &cutlen)) != NULL) {
		hostile("zip cut in half", cut, cutlen / 2, 0, "zip: ");
		free(cut);
	}
	hostile_file("two-files.zip", 0, "zip: more than one file");
	hostile_file("not-xml.bin", 0, "not a report: neither XML, gzip nor zip");

	buf_init(&b, 1 << 20);
	for (i = 0; i < 10000; i++)
		buf_append_str(&b, "<feedback>");
	hostile("10,000 nested elements", b.data, b.len, 0, "nesting deeper than 32");
	buf_reset(&b);
	for (i = 0; i < 10000; i++)
		buf_append_str(&b, "<a>");
	for (i = 0; i < 10000; i++)
		buf_append_str(&b, "</a>");
	hostile("10,000 nested elements, closed", b.data, b.len, 1, "nesting deeper than 32");
	buf_free(&b);

	buf_init(&b, 4 << 20);
	make_bomb(&b, 1);
	tap_diag("zip bomb: %zu octets packed, 1 GiB unpacked", b.len);
	hostile("zip bomb (1 GiB of zeros)", b.data, b.len, 0, "decompressed size over 64 MiB");
	buf_reset(&b);
	make_bomb(&b, 0);
	tap_diag("gzip bomb: %zu octets packed, 1 GiB unpacked", b.len);
	hostile("gzip bomb (1 GiB of zeros)", b.data, b.len, 0, "decompressed size over 64 MiB");
	buf_free(&b);
}

/* libxml2 prints encoding errors through its generic handler: not here. */
static void test_quiet(void)
{
	static const char in[] = "<\0\0\0\x14\0\0\0<feedback>";
	struct dmarcrep_report r;
	char	why[256] = "";
	FILE   *tmp = tmpfile();
	int	saved = dup(2), rc;
	long	n = -1;

	if (tmp == NULL || saved < 0) {
		tap_ok(0, "tmpfile and dup");
		return;
	}
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = dmarcrep_parse(in, sizeof(in) - 1, &r, why, sizeof(why));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	dmarcrep_free(&r);
	if (fseek(tmp, 0, SEEK_END) == 0)
		n = ftell(tmp);
	fclose(tmp);
	tap_ok(rc == -1 && n == 0, "an encoding error is refused (%s) and nothing printed (%ld octets)", why, n);
}

int main(void)
{
	test_corpus();
	test_parse_table();
	test_fields();
	test_record_cap();
	test_unpack_small();
	test_hostile();
	test_quiet();
	return tap_done();
}
