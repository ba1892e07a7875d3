/*
 * NAME
 *	test_dmarcrep_out 1
 * SUMMARY
 *	unit tests for lib/dmarcrep/dmarcrep_out: writing RFC 9990 reports,
 *	gzip, the file name and Subject
 * DESCRIPTION
 *	Reports of many shapes are written and each is checked three ways,
 *	two of them independent of this code: validated against RFC 9990's
 *	own schema (tests/data/dmarc-aggregate-9990.xsd) by xmllint; counted
 *	by Python's xml.etree (records, messages, DKIM and SPF results, and
 *	the generator and human_result texts our reader does not keep); and
 *	read back with dmarcrep_parse, every field compared.  Inputs the
 *	schema would refuse must be refused, and xmllint must refuse
 *	documents broken on purpose (so the schema check can fail).  The gzip
 *	is taken apart by hand (RFC 1952 header: FNAME, MTIME) and
 *	decompressed by gzip(1).  File names and Subjects are compared with
 *	RFC 9990's examples.  rua= values (RFC 9989 section 4.7) and the
 *	external destination check (RFC 9990 section 4) are table rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dmarcrep/dmarcrep.h"
#include "dmarcrep/dmarcrep_out.h"
#include "sealist_limits.h"
#include "tap.h"

#define MAXREC	300

/* A report being built: the struct and the storage it points into. */
struct shape {
	struct dmarcrep_out r;
	struct dmarcrep_out_record rec[MAXREC];
	struct dmarcrep_out_auth dkim[MAXREC][3];
	struct dmarcrep_out_auth spf[MAXREC];
	char	ip[MAXREC][48];
};

static struct shape S;

/* The plainest valid report: one record, one DKIM pass, SPF pass. */
static void base(struct shape *s, size_t nrec)
{
	size_t	i;

	memset(s, 0, sizeof(*s));
	s->r = (struct dmarcrep_out) {
		.org_name = "lists.example.org", .email = "dmarc-reports@lists.example.org",
		.report_id = "1700006400.example.com@lists.example.org",
		.date_begin = 1700006400, .date_end = 1700092799,
		.generator = "sealist 0.1", .domain = "example.com", .p = "reject",
		.records = s->rec, .nrecords = nrec,
	};
	for (i = 0; i < nrec; i++) {
		snprintf(s->ip[i], sizeof(s->ip[i]), "192.0.2.%zu", i % 250 + 1);
		s->dkim[i][0] = (struct dmarcrep_out_auth) {
			.domain = "example.com", .selector = "s2024", .result = "pass"};
		s->spf[i] = (struct dmarcrep_out_auth) {.domain = "example.com", .result = "pass"};
		s->rec[i] = (struct dmarcrep_out_record) {
			.source_ip = s->ip[i], .count = (long long) i + 1, .disposition = "none",
			.dkim = "pass", .spf = "pass", .header_from = "example.com",
			.dkim_results = s->dkim[i], .ndkim = 1, .spf_result = &s->spf[i],
		};
	}
}

/* ---- Shapes ---- */

static void sh_one(struct shape *s)
{
	base(s, 1);
}

static void sh_many(struct shape *s)
{
	size_t	i;

	base(s, MAXREC);
	for (i = 0; i < MAXREC; i += 2)
		snprintf(s->ip[i], sizeof(s->ip[i]), "2001:db8::%zx", i);
}

static void sh_ipv6(struct shape *s)
{
	base(s, 2);
	snprintf(s->ip[0], sizeof(s->ip[0]), "2001:db8:85a3::8a2e:370:7334");
	snprintf(s->ip[1], sizeof(s->ip[1]), "::ffff:198.51.100.7");
}

static void sh_dkim_several(struct shape *s)
{
	base(s, 1);
	s->dkim[0][1] = (struct dmarcrep_out_auth) {
		.domain = "lists.example.org", .selector = "sl", .result = "fail",
		.human_result = "body hash did not verify"};
	s->dkim[0][2] = (struct dmarcrep_out_auth) {
		.domain = "example.net", .selector = "x", .result = "none"};
	s->rec[0].ndkim = 3;
	s->rec[0].dkim = "fail";
}

static void sh_no_dkim_no_spf(struct shape *s)
{
	base(s, 1);
	s->rec[0].ndkim = 0;
	s->rec[0].dkim_results = NULL;
	s->rec[0].spf_result = NULL;
	s->rec[0].dkim = s->rec[0].spf = "fail";
	s->rec[0].disposition = "reject";
}

static void sh_spf_scope(struct shape *s)
{
	base(s, 1);
	s->spf[0].scope = "mfrom";
	s->spf[0].result = "softfail";
	s->spf[0].human_result = "198.51.100.0/24 not in example.com's SPF";
	s->rec[0].envelope_from = "bounces.example.com";
	s->rec[0].envelope_to = "lists.example.org";
}

static void sh_reason(struct shape *s)
{
	base(s, 1);
	s->rec[0].disposition = "none";
	s->rec[0].dkim = "fail";
	s->rec[0].reason_type = "mailing_list";
	s->rec[0].reason_comment = "list <dev&ops> said \"hi\" 'twice' \xC3\xA9t\xC3\xA9 \xE2\x9C\x93";
}

static void sh_testing(struct shape *s)
{
	base(s, 1);
	s->r.testing = "y";
	s->r.p = "quarantine";
	s->rec[0].disposition = "none";
	s->rec[0].reason_type = "policy_test_mode";
}

static void sh_policy_full(struct shape *s)
{
	base(s, 1);
	s->r.sp = "quarantine";
	s->r.np = "reject";
	s->r.adkim = "s";
	s->r.aspf = "r";
	s->r.discovery_method = "treewalk";
	s->r.fo = "0:d";
	s->r.testing = "n";
	s->r.extra_contact = "https://lists.example.org/dmarc";
}

static void sh_policy_bare(struct shape *s)
{
	base(s, 1);
	s->r.generator = NULL;
	s->r.p = "none";
	s->rec[0].disposition = "pass";
}

static void sh_error(struct shape *s)
{
	base(s, 1);
	s->r.error = "DMARC record of example.com: unknown tag ignored";
	s->r.discovery_method = "psl";
}

static const struct {
	const char *name;
	void	(*make)(struct shape *);
} shapes[] = {
	{"one record", sh_one},
	{"300 records, IPv4 and IPv6", sh_many},
	{"IPv6 sources", sh_ipv6},
	{"three DKIM results, fail and none", sh_dkim_several},
	{"no DKIM and no SPF result", sh_no_dkim_no_spf},
	{"SPF scope mfrom, envelope_from/to", sh_spf_scope},
	{"reason mailing_list, comment with <&>\"' and UTF-8", sh_reason},
	{"testing=y, policy_test_mode", sh_testing},
	{"sp, np, adkim, aspf, discovery, fo, extra_contact", sh_policy_full},
	{"no generator, disposition pass", sh_policy_bare},
	{"an <error>, discovery psl", sh_error},
};

/* ---- The checkers ---- */

static char tmpdir[] = "/tmp/test_dmarcrep_out.XXXXXX";

static const char *tmp_write(const char *name, const void *data, size_t len)
{
	static char path[512];
	FILE   *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		tap_diag("cannot write %s", path);
	return path;
}

/* Run cmd; its first output line into out; the exit status. */
static int run(const char *cmd, char *out, size_t outsize)
{
	FILE   *p = popen(cmd, "r");
	int	st;

	out[0] = 0;
	if (p == NULL)
		return -1;
	if (fgets(out, (int) outsize, p) != NULL)
		out[strcspn(out, "\n")] = 0;
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	return st;
}

static int xmllint(const char *file, char *line, size_t linesize)
{
	char	cmd[2048];

	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema '%s' '%s' 2>&1",
		 tap_srcpath("tests/data/dmarc-aggregate-9990.xsd"), file);
	return run(cmd, line, linesize);
}

static void check_xmllint(const char *what, const char *file)
{
	char	line[512];

	tap_ok(xmllint(file, line, sizeof(line)) == 0, "%s: xmllint --schema validates (%s)",
	       what, line);
}

/* The schema check can fail: what the writer refuses, xmllint refuses too. */
static void check_xmllint_refuses(void)
{
	static const struct {
		const char *what, *from, *to;
	} rows[] = {
		{"p=bogus", "<p>reject</p>", "<p>bogus</p>"},
		{"disposition maybe", "<disposition>none<", "<disposition>maybe<"},
		{"scope helo", "<scope>mfrom<", "<scope>helo<"},
		{"no org_name", "<org_name>", "<orgname>"},
		{"two errors", "</error>", "</error><error>x</error>"},
	};
	struct buf xml, bad;
	const char *err = NULL, *at;
	char	line[512];
	size_t	i;

	sh_spf_scope(&S);
	S.r.error = "e";
	buf_init(&xml, LIMIT_DMARCREP_OUT);
	buf_init(&bad, LIMIT_DMARCREP_OUT);
	dmarcrep_write(&S.r, &xml, &err);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		at = strstr(buf_str(&xml), rows[i].from);
		if (!tap_ok(at != NULL, "xmllint control: %s: found %s", rows[i].what,
			    rows[i].from))
			continue;
		buf_reset(&bad);
		buf_append(&bad, xml.data, (size_t) (at - buf_str(&xml)));
		buf_append_str(&bad, rows[i].to);
		buf_append_str(&bad, at + strlen(rows[i].from));
		if (strcmp(rows[i].what, "no org_name") == 0) {
			at = strstr(buf_str(&bad), "</org_name>");
			buf_splice(&bad, (size_t) (at - buf_str(&bad)), 11, "</orgname>", 10);
		}
		tap_ok(xmllint(tmp_write("bad.xml", bad.data, bad.len), line, sizeof(line)) != 0,
		       "xmllint control: a report with %s fails validation", rows[i].what);
	}
	buf_free(&bad);
	buf_free(&xml);
}

/* Python's own XML parser counts what we wrote. */
static void check_python(const char *what, const char *file, const struct dmarcrep_out *r)
{
	static const char script[] =
		"import sys, xml.etree.ElementTree as E\n"
		"n = {'d': 'urn:ietf:params:xml:ns:dmarc-2.0'}\n"
		"t = E.parse(sys.argv[1]).getroot()\n"
		"rs = t.findall('d:record', n)\n"
		"c = sum(int(x.find('d:row/d:count', n).text) for x in rs)\n"
		"k = len(t.findall('d:record/d:auth_results/d:dkim', n))\n"
		"s = len(t.findall('d:record/d:auth_results/d:spf', n))\n"
		"h = [x.text for x in t.findall('.//d:human_result', n)]\n"
		"g = t.find('d:report_metadata/d:generator', n)\n"
		"print(t.find('d:version', n).text, len(rs), c, k, s, len(h),\n"
		"      '|'.join([g.text if g is not None else '-'] + h[:3]))\n";
	char	cmd[2048], line[1024], want[1024];
	long long total = 0;
	size_t	i, ndkim = 0, nspf = 0, nhuman = 0, j, len;
	const struct dmarcrep_out_record *x;
	const char *human[1024];

	for (i = 0; i < r->nrecords; i++) {
		x = &r->records[i];
		total += x->count;
		ndkim += x->ndkim;
		for (j = 0; j < x->ndkim; j++)
			if (x->dkim_results[j].human_result != NULL)
				human[nhuman++] = x->dkim_results[j].human_result;
		if (x->spf_result != NULL) {
			nspf++;
			if (x->spf_result->human_result != NULL)
				human[nhuman++] = x->spf_result->human_result;
		}
	}
	len = (size_t) snprintf(want, sizeof(want), "1.0 %zu %lld %zu %zu %zu %s",
				r->nrecords, total, ndkim, nspf, nhuman,
				r->generator != NULL ? r->generator : "-");
	for (i = 0; i < nhuman && i < 3 && len < sizeof(want); i++)
		len += (size_t) snprintf(want + len, sizeof(want) - len, "|%s", human[i]);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c \"$(cat '%s/script.py')\" '%s'",
		 tmpdir, file);
	tmp_write("script.py", script, sizeof(script) - 1);
	run(cmd, line, sizeof(line));
	if (!tap_ok(strcmp(line, want) == 0,
		    "%s: python xml.etree: version, records, messages, dkim, spf, human_result "
		    "count, generator and human_result texts",
		    what))
		tap_diag("got \"%s\", want \"%s\"", line, want);
}

static const char *z(const char *s)
{
	return s != NULL ? s : "";
}

static int same_auth(const struct dmarcrep_out_auth *w, const struct dmarcrep_auth *g)
{
	return strcmp(g->domain, w->domain) == 0 && strcmp(g->selector, z(w->selector)) == 0
	    && strcmp(g->result, w->result) == 0 && strcmp(g->scope, z(w->scope)) == 0;
}

/* Every field of one record as dmarcrep_parse gives it back. */
static int same_record(const struct dmarcrep_out_record *w, const struct dmarcrep_record *g)
{
	size_t	j;
	int	ok = 1;

	ok &= strcmp(g->source_ip, w->source_ip) == 0 && g->count == w->count;
	ok &= strcmp(g->disposition, w->disposition) == 0;
	ok &= strcmp(g->dkim, w->dkim) == 0 && strcmp(g->spf, w->spf) == 0;
	ok &= strcmp(g->reason_type, z(w->reason_type)) == 0;
	ok &= strcmp(g->reason_comment, z(w->reason_comment)) == 0;
	ok &= strcmp(g->header_from, w->header_from) == 0;
	ok &= strcmp(g->envelope_from, z(w->envelope_from)) == 0;
	ok &= strcmp(g->envelope_to, z(w->envelope_to)) == 0;
	ok &= g->ndkim == w->ndkim && g->nspf == (w->spf_result != NULL);
	for (j = 0; ok && j < w->ndkim; j++)
		ok &= same_auth(&w->dkim_results[j], &g->dkim_results[j]);
	if (ok && w->spf_result != NULL)
		ok &= same_auth(w->spf_result, &g->spf_results[0]);
	if (!ok)
		tap_diag("record %s: got ip=%s count=%lld disp=%s dkim=%s spf=%s reason=%s/%s "
			 "nd=%zu ns=%zu", w->source_ip, g->source_ip, g->count, g->disposition,
			 g->dkim, g->spf, g->reason_type, g->reason_comment, g->ndkim, g->nspf);
	return ok;
}

static void cmp_report(const char *what, const struct dmarcrep_out *w,
		       const struct dmarcrep_report *g)
{
	const char *gv[] = {g->org_name, g->email, g->extra_contact, g->report_id, g->errors,
			    g->domain, g->p, g->sp, g->np, g->adkim, g->aspf, g->discovery,
			    g->fo, g->testing};
	const char *wv[] = {w->org_name, w->email, w->extra_contact, w->report_id, w->error,
			    w->domain, w->p, w->sp, w->np, w->adkim, w->aspf,
			    w->discovery_method, w->fo, w->testing};
	size_t	i, bad = 0, nrec;

	for (i = 0; i < sizeof(gv) / sizeof(gv[0]); i++)
		if (strcmp(gv[i], z(wv[i])) != 0) {
			tap_diag("field %zu: got \"%s\", wrote \"%s\"", i, gv[i], z(wv[i]));
			bad++;
		}
	tap_ok(bad == 0 && g->schema == 9990 && g->date_begin == w->date_begin
	       && g->date_end == w->date_end && g->pct == -1,
	       "%s: metadata and policy read back", what);
	nrec = g->nrecords;
	bad = nrec != w->nrecords;
	for (i = 0; i < nrec && i < w->nrecords; i++)
		bad += !same_record(&w->records[i], &g->records[i]);
	tap_ok(bad == 0, "%s: %zu records read back, every field the same", what, nrec);
}

static void check_shape(size_t k)
{
	const char *what = shapes[k].name, *err = NULL, *file;
	struct dmarcrep_report g;
	struct buf xml;
	char	why[256] = "", name[64];

	shapes[k].make(&S);
	buf_init(&xml, LIMIT_DMARCREP_OUT);
	if (!tap_ok(dmarcrep_write(&S.r, &xml, &err) == 0, "%s: written (%s)", what, z(err))) {
		buf_free(&xml);
		return;
	}
	snprintf(name, sizeof(name), "shape%zu.xml", k);
	file = tmp_write(name, xml.data, xml.len);
	check_xmllint(what, file);
	check_python(what, file, &S.r);
	if (tap_ok(dmarcrep_parse(xml.data, xml.len, &g, why, sizeof(why)) == 0,
		   "%s: dmarcrep_parse reads it (%s)", what, why))
		cmp_report(what, &S.r, &g);
	dmarcrep_free(&g);
	buf_free(&xml);
}

/* ---- Refusals: what the schema would refuse is not written ---- */

static void rf_no_domain(struct shape *s) { base(s, 1); s->r.domain = NULL; }
static void rf_bad_p(struct shape *s) { base(s, 1); s->r.p = "bogus"; }
static void rf_no_p(struct shape *s) { base(s, 1); s->r.p = ""; }
static void rf_maybe(struct shape *s) { base(s, 1); s->rec[0].disposition = "maybe"; }
static void rf_no_records(struct shape *s) { base(s, 1); s->r.nrecords = 0; }
static void rf_bad_ip(struct shape *s) { base(s, 1); snprintf(s->ip[0], sizeof(s->ip[0]), "192.0.2.300"); }
static void rf_count0(struct shape *s) { base(s, 1); s->rec[0].count = 0; }
static void rf_helo(struct shape *s) { base(s, 1); s->spf[0].scope = "helo"; }
static void rf_dkim_softfail(struct shape *s) { base(s, 1); s->dkim[0][0].result = "softfail"; }
static void rf_no_selector(struct shape *s) { base(s, 1); s->dkim[0][0].selector = NULL; }
static void rf_testing_yes(struct shape *s) { base(s, 1); s->r.testing = "yes"; }
static void rf_dates(struct shape *s) { base(s, 1); s->r.date_end = s->r.date_begin - 1; }
static void rf_reason(struct shape *s) { base(s, 1); s->rec[0].reason_type = "forwarded"; }
static void rf_case(struct shape *s) { base(s, 1); s->rec[0].dkim = "Pass"; }
static void rf_no_from(struct shape *s) { base(s, 1); s->rec[0].header_from = NULL; }
static void rf_no_org(struct shape *s) { base(s, 1); s->r.org_name = NULL; }
static void rf_no_id(struct shape *s) { base(s, 1); s->r.report_id = ""; }
static void rf_blank_org(struct shape *s) { base(s, 1); s->r.org_name = " \t\x01\xC2\x85 "; }
static void rf_long_id(struct shape *s)
{
	static char id[LIMIT_DMARCREP_FIELD + 1];

	base(s, 1);
	memset(id, 'x', sizeof(id) - 1);
	s->r.report_id = id;
}

static const struct {
	const char *name;
	void	(*make)(struct shape *);
	const char *error;
} refusals[] = {
	{"missing policy domain", rf_no_domain, "<domain>: missing"},
	{"p=bogus", rf_bad_p, "<p>: a value RFC 9990 does not allow"},
	{"p empty", rf_no_p, "<p>: missing"},
	{"disposition maybe", rf_maybe, "<disposition>: a value RFC 9990 does not allow"},
	{"no records", rf_no_records, "a report needs at least one <record>"},
	{"source_ip not an address", rf_bad_ip, "<source_ip>: not an IPv4 or IPv6 address"},
	{"count 0", rf_count0, "<count>: must be at least 1"},
	{"SPF scope helo (RFC 9990 has only mfrom)", rf_helo,
	 "<scope>: a value RFC 9990 does not allow"},
	{"DKIM result softfail", rf_dkim_softfail, "<result>: a value RFC 9990 does not allow"},
	{"DKIM without selector", rf_no_selector, "<selector>: missing"},
	{"testing=yes", rf_testing_yes, "<testing>: a value RFC 9990 does not allow"},
	{"end before begin", rf_dates, "bad <date_range>: begin must be >= 0 and <= end"},
	{"reason type forwarded", rf_reason, "<type>: a value RFC 9990 does not allow"},
	{"dkim Pass (enumerations are case-sensitive)", rf_case,
	 "<dkim>: a value RFC 9990 does not allow"},
	{"no header_from", rf_no_from, "<header_from>: missing"},
	{"no org_name", rf_no_org, "<org_name>: missing"},
	{"empty report_id", rf_no_id, "<report_id>: missing"},
	{"org_name only blanks and controls", rf_blank_org, "<org_name>: missing"},
	{"report_id over LIMIT_DMARCREP_FIELD", rf_long_id, "<report_id>: too long"},
};

static void check_refusals(void)
{
	struct buf xml;
	const char *err;
	size_t	k;

	buf_init(&xml, LIMIT_DMARCREP_OUT);
	for (k = 0; k < sizeof(refusals) / sizeof(refusals[0]); k++) {
		refusals[k].make(&S);
		buf_reset(&xml);
		buf_append_str(&xml, "kept");
		err = NULL;
		tap_ok(dmarcrep_write(&S.r, &xml, &err) == -1, "refused: %s", refusals[k].name);
		tap_str(z(err), refusals[k].error, "  with its reason");
		tap_str(buf_str(&xml), "kept", "  and the buffer as it was");
	}
	buf_free(&xml);

	/* The caller's buf bounds the document: refused, nothing kept. */
	sh_many(&S);
	buf_init(&xml, 4096);
	err = NULL;
	tap_ok(dmarcrep_write(&S.r, &xml, &err) == -1 && xml.len == 0,
	       "300 records into a 4 KiB buf: refused, the buf empty as before");
	tap_str(z(err), "report larger than the buffer's maximum", "  with its reason");
	buf_free(&xml);
}

/* ---- Cleaning: what XML 1.0 cannot carry ---- */

static void check_cleaning(void)
{
	struct dmarcrep_report g;
	struct buf xml;
	const char *err = NULL, *file;
	char	why[256] = "", big[3000];

	base(&S, 1);
	/* C0 controls (not TAB), U+FFFE, U+FFFF dropped; a lone 0xFF, a
	   truncated sequence, an overlong "/" and a surrogate become U+FFFD. */
	S.rec[0].reason_type = "other";
	S.rec[0].reason_comment = "a\x01" "b\x1F" "c\tq\xEF\xBF\xBE" "d\xEF\xBF\xBF" "e\xFF" "f"
		"\xC0\xAF" "g\xED\xA0\x80" "h\xE2\x9C";
	buf_init(&xml, LIMIT_DMARCREP_OUT);
	tap_ok(dmarcrep_write(&S.r, &xml, &err) == 0, "control characters: written");
	file = tmp_write("clean.xml", xml.data, xml.len);
	check_xmllint("control characters", file);
	tap_ok(strstr(buf_str(&xml), "<comment>abc\tqde\xEF\xBF\xBD" "f\xEF\xBF\xBD\xEF\xBF\xBD"
		      "g\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDh\xEF\xBF\xBD\xEF\xBF\xBD</comment>")
	       != NULL, "C0 and U+FFFE/F dropped, each bad octet U+FFFD");
	tap_ok(dmarcrep_parse(xml.data, xml.len, &g, why, sizeof(why)) == 0,
	       "control characters: parsed back (%s)", why);
	dmarcrep_free(&g);

	/* Free text is cut below our reader's cap, at a character boundary. */
	memset(big, 'a', sizeof(big));
	memcpy(big + LIMIT_DMARCREP_FIELD - 2, "\xC3\xA9", 2);
	big[sizeof(big) - 1] = 0;
	S.rec[0].reason_comment = big;
	buf_reset(&xml);
	tap_ok(dmarcrep_write(&S.r, &xml, &err) == 0, "long comment: written");
	tap_ok(dmarcrep_parse(xml.data, xml.len, &g, why, sizeof(why)) == 0,
	       "long comment: parsed back (%s)", why);
	tap_int((long long) strlen(g.records[0].reason_comment), LIMIT_DMARCREP_FIELD - 2,
		"long comment cut before the 2-octet character that would pass the cap");
	dmarcrep_free(&g);
	buf_free(&xml);
}

/* ---- gzip ---- */

static unsigned long le32(const unsigned char *p)
{
	return p[0] | (unsigned long) p[1] << 8 | (unsigned long) p[2] << 16
	    | (unsigned long) p[3] << 24;
}

static void check_gzip(void)
{
	static const char fname[] = "lists.example.org!example.com!1700006400!1700092799.xml";
	struct buf xml, gz;
	const char *err = NULL, *xf, *gf;
	char	cmd[2048], line[256], xpath[512];
	struct dmarcrep_report g;
	enum dmarcrep_format fmt;
	char	why[256] = "";
	struct buf un;

	sh_many(&S);
	buf_init(&xml, LIMIT_DMARCREP_OUT);
	buf_init(&gz, LIMIT_DMARCREP_OUT);
	dmarcrep_write(&S.r, &xml, &err);
	tap_ok(dmarcrep_gzip(xml.data, xml.len, fname, 1700092800, &gz, &err) == 0,
	       "gzip: compressed");
	tap_ok(gz.len > 18 && gz.data[0] == 0x1f && gz.data[1] == 0x8b && gz.data[2] == 8,
	       "gzip: ID1 ID2 CM=deflate");
	tap_int(gz.data[3], 0x08, "gzip: FLG is FNAME only");
	tap_int((long long) le32(gz.data + 4), 1700092800, "gzip: MTIME");
	tap_str((const char *) gz.data + 10, fname, "gzip: FNAME");
	tap_int((long long) le32(gz.data + gz.len - 4), (long long) (xml.len & 0xffffffff),
		"gzip: ISIZE");
	tap_diag("300 records: %zu octets of XML, %zu gzipped", xml.len, gz.len);

	xf = tmp_write("many.xml", xml.data, xml.len);
	snprintf(xpath, sizeof(xpath), "%s", xf);
	gf = tmp_write("many.xml.gz", gz.data, gz.len);
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s' | cmp - '%s' && gzip -t '%s' && echo same",
		 gf, xpath, gf);
	run(cmd, line, sizeof(line));
	tap_str(line, "same", "gzip -dc gives the XML back");
	snprintf(cmd, sizeof(cmd), "gzip -lN '%s' | tail -n 1", gf);
	run(cmd, line, sizeof(line));
	tap_ok(strstr(line, fname) != NULL, "gzip -lN names the original file (%s)", line);

	buf_init(&un, LIMIT_DMARCREP_XML + 1);
	tap_ok(dmarcrep_unpack(gz.data, gz.len, &un, &fmt, why, sizeof(why)) == 0
	       && fmt == DMARCREP_GZIP && un.len == xml.len
	       && memcmp(un.data, xml.data, xml.len) == 0, "dmarcrep_unpack gives it back");
	tap_ok(dmarcrep_parse(un.data, un.len, &g, why, sizeof(why)) == 0
	       && g.nrecords == MAXREC, "and it parses, %d records", MAXREC);
	dmarcrep_free(&g);
	buf_free(&un);

	buf_reset(&gz);
	tap_ok(dmarcrep_gzip("", 0, NULL, 0, &gz, &err) == 0 && gz.data[3] == 0
	       && le32(gz.data + gz.len - 4) == 0, "gzip: empty input, no name");
	tap_ok(dmarcrep_gzip("x", 1, NULL, -1, &gz, &err) == -1, "gzip: negative mtime refused");
	tap_ok(dmarcrep_gzip("x", 1, NULL, 0x100000000LL, &gz, &err) == -1,
	       "gzip: mtime past 2^32-1 refused");
	buf_free(&gz);
	buf_init(&gz, 64);
	tap_ok(dmarcrep_gzip(xml.data, xml.len, NULL, 0, &gz, &err) == -1 && gz.len == 0,
	       "gzip: output over the buffer's maximum refused (%s)", z(err));
	buf_free(&gz);
	buf_free(&xml);
}

/* ---- File names and Subjects ---- */

static void check_filename(void)
{
	static const struct {
		const char *receiver, *domain;
		long long begin, end;
		const char *uid;
		int	gz;
		const char *want;	/* NULL: refused */
	} rows[] = {
		{"mail.receiver.example", "example.com", 1013662812, 1013749130, NULL, 1,
		 "mail.receiver.example!example.com!1013662812!1013749130.xml.gz"},
		{"mail.receiver.example", "example.com", 1013662812, 1013749130, NULL, 0,
		 "mail.receiver.example!example.com!1013662812!1013749130.xml"},
		{"mail.receiver.example", "example.com", 1013662812, 1013749130, "", 0,
		 "mail.receiver.example!example.com!1013662812!1013749130.xml"},
		{"lists.example.org", "xn--bcher-kva.example", 0, 86399, "a1B2", 1,
		 "lists.example.org!xn--bcher-kva.example!0!86399!a1B2.xml.gz"},
		{"localhost", "example.com", 0, 1, NULL, 1, NULL},
		{"-bad.example", "example.com", 0, 1, NULL, 1, NULL},
		{"bad-.example", "example.com", 0, 1, NULL, 1, NULL},
		{"a..example", "example.com", 0, 1, NULL, 1, NULL},
		{"mail.receiver.example", "example.com.", 0, 1, NULL, 1, NULL},
		{"mail.receiver.example", "ex!ample.com", 0, 1, NULL, 1, NULL},
		{"mail.receiver.example", "ex_ample.com", 0, 1, NULL, 1, NULL},
		{"mail.receiver.example", "example.com", 0, 1, "a-b", 1, NULL},
		{"mail.receiver.example", "example.com", 0, 1, "a.b", 1, NULL},
		{"mail.receiver.example", "example.com", -1, 1, NULL, 1, NULL},
		{"mail.receiver.example", "example.com", 5, 4, NULL, 1, NULL},
	};
	char	label64[80];
	struct buf out;
	size_t	i;
	int	rc;

	buf_init(&out, 4096);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_reset(&out);
		rc = dmarcrep_filename(rows[i].receiver, rows[i].domain, rows[i].begin,
				       rows[i].end, rows[i].uid, rows[i].gz, &out);
		if (rows[i].want != NULL)
			tap_str(rc == 0 ? buf_str(&out) : "(refused)", rows[i].want, "filename");
		else
			tap_ok(rc == -1, "filename refused: %s %s %lld %lld %s", rows[i].receiver,
			       rows[i].domain, rows[i].begin, rows[i].end, z(rows[i].uid));
	}
	memset(label64, 'a', 64);
	memcpy(label64 + 64, ".example", 9);
	buf_reset(&out);
	tap_ok(dmarcrep_filename(label64, "example.com", 0, 1, NULL, 1, &out) == -1,
	       "filename refused: a label of 64 octets");
	memcpy(label64 + 63, ".example", 9);
	buf_reset(&out);
	tap_ok(dmarcrep_filename(label64, "example.com", 0, 1, NULL, 1, &out) == 0,
	       "filename: a label of 63 octets");
	buf_free(&out);
}

/* Every line within 78 octets, "Subject: " counted on the first. */
static int lines_fit(const char *s)
{
	size_t	col = strlen("Subject: ");

	for (; *s != 0; s++) {
		if (s[0] == '\r' && s[1] == '\n') {
			if (s[2] != ' ')
				return 0;
			col = 0;
			s++;
			continue;
		}
		if (++col > 78)
			return 0;
	}
	return 1;
}

/* Unfold (RFC 5322: remove CRLF before WSP) and collapse WSP runs. */
static void unfold(const char *s, char *out, size_t outsize)
{
	size_t	n = 0;

	for (; *s != 0 && n + 1 < outsize; s++) {
		if (*s == '\r' || *s == '\n')
			continue;
		if (*s == ' ' && n > 0 && out[n - 1] == ' ')
			continue;
		out[n++] = *s;
	}
	out[n] = 0;
}

static void check_subject(void)
{
	/* RFC 9990 section 3.5.2, as printed (the RFC indents by 4). */
	static const char rfc[] = "Report Domain: example.com\r\n"
		"    Submitter: mail.receiver.example\r\n"
		"    Report-ID: <sample-ridtxt@example.com>";
	static const char want[] = "Report Domain: example.com\r\n"
		" Submitter: mail.receiver.example\r\n"
		" Report-ID: <sample-ridtxt@example.com>";
	char	a[2048], b[2048], longdom[300];
	struct buf out;
	size_t	i;

	buf_init(&out, 4096);
	tap_ok(dmarcrep_subject("example.com", "mail.receiver.example",
				"sample-ridtxt@example.com", &out) == 0, "subject: RFC example");
	tap_str(buf_str(&out), want, "subject: folded as in the RFC's example");
	unfold(buf_str(&out), a, sizeof(a));
	unfold(rfc, b, sizeof(b));
	tap_str(a, b, "subject: unfolded, the RFC's example");
	buf_reset(&out);
	dmarcrep_subject("example.com", "mail.receiver.example", "<sample-ridtxt@example.com>",
			 &out);
	tap_str(buf_str(&out), want, "subject: a bracketed id is not bracketed twice");
	buf_reset(&out);
	dmarcrep_subject("example.com", "mail.receiver.example", NULL, &out);
	tap_str(buf_str(&out), "Report Domain: example.com\r\n Submitter: mail.receiver.example",
		"subject: no Report-ID");

	/* A 70-octet policy domain: "Report Domain:" alone on the first line. */
	memset(longdom, 'a', 62);
	memcpy(longdom + 62, ".example", 9);
	buf_reset(&out);
	dmarcrep_subject(longdom, "lists.example.org", "1700006400.x@lists.example.org", &out);
	tap_ok(lines_fit(buf_str(&out)), "subject: a long domain folds within 78 octets");
	tap_ok(strncmp(buf_str(&out), "Report Domain:\r\n aaaa", strlen("Report Domain:\r\n aaaa")) == 0,
	       "subject: folded before the long domain");
	/* Longer than a line: alone on its own line. */
	for (i = 0; i < 3; i++)
		memcpy(longdom + 64 * i, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.",
		       64);
	memcpy(longdom + 192, "example", 8);
	buf_reset(&out);
	tap_ok(dmarcrep_subject(longdom, "lists.example.org", NULL, &out) == 0
	       && strstr(buf_str(&out), "\r\n aaaaaaaaa") != NULL
	       && strstr(buf_str(&out), "example\r\n Submitter: lists.example.org") != NULL,
	       "subject: a 199-octet domain on a line of its own");

	buf_reset(&out);
	tap_ok(dmarcrep_subject("exa mple.com", "r.example", NULL, &out) == -1,
	       "subject refused: domain with a space");
	tap_ok(dmarcrep_subject("example.com", "receiver", NULL, &out) == -1,
	       "subject refused: one-label submitter");
	tap_ok(dmarcrep_subject("example.com", "r.example", "a b@c", &out) == -1,
	       "subject refused: id with a space");
	tap_ok(dmarcrep_subject("example.com", "r.example", "<>", &out) == -1,
	       "subject refused: empty id");
	tap_ok(dmarcrep_subject("example.com", "r.example", "a..b@c", &out) == -1,
	       "subject refused: id not a dot-atom");
	tap_ok(dmarcrep_subject("example.com", "r.example", "a@b@c", &out) == -1,
	       "subject refused: two @");
	tap_ok(dmarcrep_subject("example.com", "r.example", "2024-03-27_example.com@example.org",
				&out) == 0, "subject: the RFC's date-style id");
	buf_free(&out);
}

/* ---- rua= and external destinations ---- */

static void check_rua(void)
{
	static const struct {
		const char *what, *rua;
		size_t	n;
		const char *first, *host;	/* of out[0] */
		unsigned long long size;	/* of out[0] */
		const char *last;		/* out[n - 1].address */
	} rows[] = {
		{"RFC 9990 section 4's example", "mailto:reports@red.example.net", 1,
		 "reports@red.example.net", "red.example.net", 0, NULL},
		{"size !10m", "mailto:a@example.com!10m", 1, "a@example.com", "example.com",
		 10ULL << 20, NULL},
		{"size !50 (octets)", "mailto:a@example.com!50", 1, "a@example.com", "example.com",
		 50, NULL},
		{"size !1T upper case", "mailto:a@example.com!1T", 1, "a@example.com",
		 "example.com", 1ULL << 40, NULL},
		{"two URIs, WSP around the comma",
		 "mailto:dmarc-feedback@example.com , \tmailto:tld-test@thirdparty.example.net!10m",
		 2, "dmarc-feedback@example.com", "example.com", 0,
		 "tld-test@thirdparty.example.net"},
		{"https skipped, mailto kept", "https://example.com/dmarc,mailto:r@example.com", 1,
		 "r@example.com", "example.com", 0, NULL},
		{"scheme in capitals, domain lowercased", "MAILTO:Reports@Red.Example.NET", 1,
		 "Reports@red.example.net", "red.example.net", 0, NULL},
		{"percent-encoded address", "mailto:dmarc%2Breports@example.com", 1,
		 "dmarc+reports@example.com", "example.com", 0, NULL},
		{"encoded @", "mailto:a%40example.com", 1, "a@example.com", "example.com", 0, NULL},
		{"hfields ignored", "mailto:a@example.com?subject=x", 1, "a@example.com",
		 "example.com", 0, NULL},
		{"malformed skipped", "mailto:no-at-sign,mailto:b@example.org", 1, "b@example.org",
		 "example.org", 0, NULL},
		{"bad size skipped", "mailto:a@example.com!10x,mailto:b@example.org!", 0,
		 NULL, NULL, 0, NULL},
		{"size overflow skipped", "mailto:a@example.com!99999999999999999999t", 0,
		 NULL, NULL, 0, NULL},
		{"two addresses in one URI skipped", "mailto:a@example.com%2Cb@example.com", 0,
		 NULL, NULL, 0, NULL},
		{"%00 skipped", "mailto:a@example.com%00.evil.example", 0, NULL, NULL, 0, NULL},
		{"bad escape skipped", "mailto:a%zz@example.com,mailto:a@example.com%2", 0,
		 NULL, NULL, 0, NULL},
		{"space inside skipped", "mailto:a b@example.com", 0, NULL, NULL, 0, NULL},
		{"domain literal skipped", "mailto:a@[192.0.2.1]", 0, NULL, NULL, 0, NULL},
		{"quoted local part skipped", "mailto:%22a%20b%22@example.com", 0, NULL, NULL, 0,
		 NULL},
		{"empty", "", 0, NULL, NULL, 0, NULL},
		{"only commas and blanks", " , ,\t,", 0, NULL, NULL, 0, NULL},
		{"empty scheme body", "mailto:", 0, NULL, NULL, 0, NULL},
		{"ten URIs: eight kept",
		 "mailto:a0@x.example,mailto:a1@x.example,mailto:a2@x.example,mailto:a3@x.example,"
		 "mailto:a4@x.example,mailto:a5@x.example,mailto:a6@x.example,mailto:a7@x.example,"
		 "mailto:a8@x.example,mailto:a9@x.example", 8, "a0@x.example", "x.example", 0,
		 "a7@x.example"},
	};
	struct dmarcrep_rua out[DMARCREP_RUA_MAX];
	char	*big;
	size_t	i, n;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		n = dmarcrep_rua_parse(rows[i].rua, out, DMARCREP_RUA_MAX);
		if (!tap_int((long long) n, (long long) rows[i].n, rows[i].what) || n == 0)
			continue;
		tap_ok(strcmp(out[0].address, rows[i].first) == 0
		       && strcmp(out[0].host, rows[i].host) == 0 && out[0].max_size == rows[i].size
		       && (rows[i].last == NULL || strcmp(out[n - 1].address, rows[i].last) == 0),
		       "  %s: %s host %s size %llu", rows[i].what, out[0].address, out[0].host,
		       out[0].max_size);
	}
	n = dmarcrep_rua_parse("mailto:a@x.example,mailto:b@x.example", out, 1);
	tap_ok(n == 1 && strcmp(out[0].address, "a@x.example") == 0, "max 1 keeps the first");
	big = malloc(LIMIT_DMARCREP_RUA + 100);
	memset(big, ' ', LIMIT_DMARCREP_RUA + 99);
	memcpy(big, "mailto:a@x.example", 18);
	big[LIMIT_DMARCREP_RUA + 99] = 0;
	tap_int((long long) dmarcrep_rua_parse(big, out, DMARCREP_RUA_MAX), 0,
		"a value over LIMIT_DMARCREP_RUA keeps nothing");
	big[LIMIT_DMARCREP_RUA] = 0;
	tap_int((long long) dmarcrep_rua_parse(big, out, DMARCREP_RUA_MAX), 1,
		"a value of LIMIT_DMARCREP_RUA octets is read");
	free(big);
}

static void check_ext_name(void)
{
	char	out[300], label[70], longname[300];
	size_t	i;

	tap_ok(dmarcrep_ext_name("blue.example.com", "red.example.net", out, sizeof(out)) == 0,
	       "ext_name: RFC 9990 section 4's example");
	tap_str(out, "blue.example.com._report._dmarc.red.example.net", "ext_name: the name");
	dmarcrep_ext_name("blue.example.com.", "red.example.net.", out, sizeof(out));
	tap_str(out, "blue.example.com._report._dmarc.red.example.net",
		"ext_name: trailing dots dropped");
	memset(label, 'a', 64);
	label[64] = 0;
	tap_ok(dmarcrep_ext_name(label, "red.example.net", out, sizeof(out)) == -1,
	       "ext_name: a label of 64 octets");
	label[63] = 0;
	tap_ok(dmarcrep_ext_name(label, "red.example.net", out, sizeof(out)) == 0,
	       "ext_name: a label of 63 octets");
	/* 253 octets exactly, then 254. */
	for (i = 0; i < 3; i++)
		memcpy(longname + 64 * i, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.", 64);
	longname[192 - 1] = 0;	/* 191 octets */
	/* 191 + 16 + 46 = 253 */
	memset(label, 'r', 39);
	memcpy(label + 39, ".example", 9);
	tap_ok(dmarcrep_ext_name(longname, label + 1, out, sizeof(out)) == 0
	       && strlen(out) == 253, "ext_name: 253 octets");
	tap_ok(dmarcrep_ext_name(longname, label, out, sizeof(out)) == -1,
	       "ext_name: 254 octets");
	tap_ok(dmarcrep_ext_name("a..example", "red.example.net", out, sizeof(out)) == -1,
	       "ext_name: an empty label");
	tap_ok(dmarcrep_ext_name("", "red.example.net", out, sizeof(out)) == -1,
	       "ext_name: an empty name");
	tap_ok(dmarcrep_ext_name("b\xC3\xBC" "cher.example", "red.example.net", out,
				 sizeof(out)) == -1, "ext_name: a U-label (not converted)");
	tap_ok(dmarcrep_ext_name("blue.example.com", "red.example.net", out, 20) == -1,
	       "ext_name: out too small");
}

/* ext_check over the NUL-separated records of recs (n of them). */
static enum dmarcrep_ext ext(const char *const *recs, size_t n, const char *host,
			     struct dmarcrep_rua *ov, int *has)
{
	const unsigned char *txt[8];
	size_t	len[8], i;

	for (i = 0; i < n; i++) {
		txt[i] = (const unsigned char *) recs[i];
		len[i] = strlen(recs[i]);
	}
	return dmarcrep_ext_check(txt, len, n, host, ov, has);
}

static void check_ext_check(void)
{
	static const struct {
		const char *what;
		const char *recs[3];
		size_t	n;
		enum dmarcrep_ext want;
		const char *override;		/* NULL: none */
	} rows[] = {
		{"v=DMARC1 alone", {"v=DMARC1"}, 1, DMARCREP_EXT_AUTHORIZED, NULL},
		{"v=DMARC1; trailing ;", {"v=DMARC1;"}, 1, DMARCREP_EXT_AUTHORIZED, NULL},
		{"WSP around =", {" v = DMARC1 ; p=none"}, 1, DMARCREP_EXT_AUTHORIZED, NULL},
		{"NXDOMAIN / NODATA", {NULL}, 0, DMARCREP_EXT_REFUSED, NULL},
		{"no v=", {"rua=mailto:r@red.example.net"}, 1, DMARCREP_EXT_REFUSED, NULL},
		{"v= not first", {"p=none; v=DMARC1"}, 1, DMARCREP_EXT_REFUSED, NULL},
		{"v=dmarc1 (the value is case-sensitive)", {"v=dmarc1"}, 1, DMARCREP_EXT_REFUSED,
		 NULL},
		{"v=DMARC10", {"v=DMARC10"}, 1, DMARCREP_EXT_REFUSED, NULL},
		{"v=spf1", {"v=spf1 -all"}, 1, DMARCREP_EXT_REFUSED, NULL},
		{"one good among others", {"v=spf1 -all", "hello", "v=DMARC1"}, 3,
		 DMARCREP_EXT_AUTHORIZED, NULL},
		{"override, same host", {"v=DMARC1; rua=mailto:other@red.example.net!5m"}, 1,
		 DMARCREP_EXT_AUTHORIZED, "other@red.example.net"},
		{"override, same host in other case",
		 {"v=DMARC1; rua=mailto:other@RED.example.net"}, 1, DMARCREP_EXT_AUTHORIZED,
		 "other@red.example.net"},
		{"override, another host", {"v=DMARC1; rua=mailto:r@green.example.org"}, 1,
		 DMARCREP_EXT_LOOP, NULL},
		{"override, second URI another host",
		 {"v=DMARC1; rua=mailto:a@red.example.net,mailto:b@green.example.org"}, 1,
		 DMARCREP_EXT_LOOP, NULL},
		{"override from the record without v= ignored",
		 {"rua=mailto:r@green.example.org", "v=DMARC1"}, 2, DMARCREP_EXT_AUTHORIZED, NULL},
		{"override only https: nothing to replace",
		 {"v=DMARC1; rua=https://red.example.net/x"}, 1, DMARCREP_EXT_AUTHORIZED, NULL},
		{"ruf= is not rua=", {"v=DMARC1; ruf=mailto:r@green.example.org"}, 1,
		 DMARCREP_EXT_AUTHORIZED, NULL},
		{"the first record's rua= counts",
		 {"v=DMARC1; rua=mailto:x@red.example.net", "v=DMARC1; rua=mailto:y@b.example"}, 2,
		 DMARCREP_EXT_AUTHORIZED, "x@red.example.net"},
	};
	struct dmarcrep_rua ov;
	const unsigned char *txt[1];
	size_t	len[1], i;
	int	has;
	enum dmarcrep_ext got;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		has = -1;
		got = ext(rows[i].recs, rows[i].n, "red.example.net.", &ov, &has);
		tap_ok(got == rows[i].want && has == (rows[i].override != NULL)
		       && (rows[i].override == NULL || strcmp(ov.address, rows[i].override) == 0),
		       "ext_check: %s (got %d, override %d)", rows[i].what, (int) got, has);
	}
	txt[0] = (const unsigned char *) "v=DMARC1\0; rua=mailto:r@green.example.org";
	len[0] = 41;
	tap_ok(dmarcrep_ext_check(txt, len, 1, "red.example.net", &ov, &has)
	       == DMARCREP_EXT_REFUSED, "ext_check: a record holding a NUL is discarded");
}

int main(void)
{
	size_t	k;
	char	cmd[600];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	for (k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++)
		check_shape(k);
	check_xmllint_refuses();
	check_refusals();
	check_cleaning();
	check_gzip();
	check_filename();
	check_subject();
	check_rua();
	check_ext_name();
	check_ext_check();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmpdir);
	return tap_done();
}
