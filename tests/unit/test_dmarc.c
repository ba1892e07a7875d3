/*
 * NAME
 *	test_dmarc 1
 * SUMMARY
 *	unit tests for lib/dmarc: record parser, From handling, the tree
 *	walk's query pattern, and every case of tests/data/dmarc/cases.txt
 *	against an in-process DNS table
 * DESCRIPTION
 *	Table-driven.  The case file is shared with tests/e2e/dmarc.sh,
 *	which runs it against dnsmasq and against authheaders; here the
 *	same cases run without a network, through dmarc_tool.c's reader
 *	(included, without its main).
 */
#define DMARC_TOOL_NO_MAIN
#include "dmarc_tool.c"

#include "msg/msg.h"
#include "sealist_limits.h"

/* ---- record parser ---- */

struct record_row {
	const char *what;
	const char *txt;
	int	rc;
	enum dmarc_policy p, sp, np;
	unsigned pct;
	int	t;
	enum dmarc_psd psd;
	int	adkim_s, aspf_s;
	unsigned fo;
	size_t	rua_valid;
	unsigned invalid;
	int	usable;
};

#define U DMARC_POLICY_UNSET
#define N DMARC_POLICY_NONE
#define Q DMARC_POLICY_QUARANTINE
#define R DMARC_POLICY_REJECT
#define I DMARC_POLICY_INVALID

static const struct record_row record_rows[] = {
	{ "minimal", "v=DMARC1; p=none", 1, N, U, U, 100, 0, DMARC_PSD_U,
	  0, 0, DMARC_FO_0, 0, 0, 1 },
	{ "every tag", "v=DMARC1; p=reject; sp=quarantine; np=none; "
	  "adkim=s; aspf=s; pct=30; t=y; psd=n; fo=1:d:s; rf=afrf; "
	  "ri=3600; rua=mailto:a@example.com, mailto:b@example.net!10m; "
	  "ruf=mailto:f@example.com", 1, R, Q, N, 30, 1, DMARC_PSD_N, 1, 1,
	  DMARC_FO_1 | DMARC_FO_D | DMARC_FO_S, 2, 0, 1 },
	{ "v not first", "p=reject; v=DMARC1", 0, U, U, U, 100, 0,
	  DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, 0, 0 },
	{ "v=DMARC2", "v=DMARC2; p=reject", 0, U, U, U, 100, 0,
	  DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, 0, 0 },
	{ "v value is case-sensitive", "v=dmarc1; p=reject", 0, U, U, U,
	  100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, 0, 0 },
	{ "empty", "", 0, U, U, U, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0,
	  0, 0, 0 },
	{ "v without separator", "v=DMARC1 p=reject", 0, U, U, U, 100, 0,
	  DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, 0, 0 },
	{ "WSP around = and ;", " v = DMARC1 ;\tp = quarantine ; ", 1, Q,
	  U, U, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, 0, 1 },
	{ "missing p, rua", "v=DMARC1; rua=mailto:r@example.com", 1, U, U,
	  U, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 1, 0, 1 },
	{ "missing p, no rua", "v=DMARC1; adkim=s", 1, U, U, U, 100, 0,
	  DMARC_PSD_U, 1, 0, DMARC_FO_0, 0, 0, 0 },
	{ "invalid p, no rua", "v=DMARC1; p=bogus", 1, I, U, U, 100, 0,
	  DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, DMARC_BAD_P, 0 },
	{ "invalid np, rua", "v=DMARC1; p=reject; np=x; rua=mailto:a@b.c",
	  1, R, U, I, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 1, DMARC_BAD_NP,
	  1 },
	{ "invalid sp, rua URI invalid", "v=DMARC1; p=reject; sp=x; rua=nope",
	  1, R, I, U, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0,
	  DMARC_BAD_SP | DMARC_BAD_OTHER, 0 },
	{ "pct out of range keeps 100", "v=DMARC1; p=reject; pct=101", 1, R,
	  U, U, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, DMARC_BAD_OTHER, 1 },
	{ "pct=0", "v=DMARC1; p=reject; pct=0", 1, R, U, U, 0, 0,
	  DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, 0, 1 },
	{ "fo 0 and 1 exclusive", "v=DMARC1; p=none; fo=0:1", 1, N, U, U,
	  100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, DMARC_BAD_OTHER, 1 },
	{ "first of a repeated tag counts", "v=DMARC1; p=none; p=reject", 1,
	  N, U, U, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, 0, 1 },
	{ "unknown tags and junk ignored", "v=DMARC1; x=1; p=reject; =; junk",
	  1, R, U, U, 100, 0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0,
	  DMARC_BAD_OTHER, 1 },
	{ "psd=y, t=n, upper-case values", "v=DMARC1; P=Reject; psd=Y; t=n",
	  1, R, U, U, 100, 0, DMARC_PSD_Y, 0, 0, DMARC_FO_0, 0, 0, 1 },
	{ "bad adkim keeps relaxed", "v=DMARC1; p=none; adkim=x; aspf=s", 1,
	  N, U, U, 100, 0, DMARC_PSD_U, 0, 1, DMARC_FO_0, 0, DMARC_BAD_OTHER,
	  1 },
	{ "control byte in value", "v=DMARC1; p=re\001ject", 1, U, U, U, 100,
	  0, DMARC_PSD_U, 0, 0, DMARC_FO_0, 0, DMARC_BAD_OTHER, 0 },
};

static void test_records(void)
{
	size_t	i;

	for (i = 0; i < sizeof(record_rows) / sizeof(record_rows[0]); i++) {
		const struct record_row *w = &record_rows[i];
		struct dmarc_record rec;
		const char *err;
		int	rc = dmarc_record_parse(w->txt, strlen(w->txt), &rec, &err);
		int	good = rc == w->rc;

		if (rc == 1)
			good = good && rec.p == w->p && rec.sp == w->sp &&
				rec.np == w->np && rec.pct == w->pct &&
				rec.t == w->t && rec.psd == w->psd &&
				rec.adkim_strict == w->adkim_s &&
				rec.aspf_strict == w->aspf_s &&
				rec.fo == w->fo && rec.rua_valid == w->rua_valid &&
				rec.invalid == w->invalid &&
				dmarc_record_usable(&rec) == w->usable;
		if (!tap_ok(good, "record: %s", w->what))
			tap_diag("rc %d p %d sp %d np %d pct %u t %d psd %d "
				 "fo %u rua %zu invalid %u usable %d", rc, rec.p,
				 rec.sp, rec.np, rec.pct, rec.t, rec.psd, rec.fo,
				 rec.rua_valid, rec.invalid,
				 rc == 1 ? dmarc_record_usable(&rec) : -1);
		dmarc_record_free(&rec);
	}
	{
		/* the length is the truth: no terminator, a NUL refused */
		static const char nul[] = "v=DMARC1; p=reject\0; p=none";
		struct dmarc_record rec;
		char   *big = malloc(LIMIT_DMARC_RECORD + 1);

		tap_int(dmarc_record_parse(nul, sizeof(nul) - 1, &rec, NULL), 0,
			"record: NUL inside is not a DMARC record");
		tap_int(dmarc_record_parse("v=DMARC1; p=rejectXX", 18, &rec,
					   NULL), 1, "record: length honoured");
		tap_int(rec.p, R, "record: length honoured, p=reject");
		dmarc_record_free(&rec);
		memset(big, ' ', LIMIT_DMARC_RECORD + 1);
		memcpy(big, "v=DMARC1; p=none;", 17);
		tap_int(dmarc_record_parse(big, LIMIT_DMARC_RECORD + 1, &rec,
					   NULL), -1, "record: over the limit");
		free(big);
	}
}

/* ---- ADSP record parser ---- */

static void test_adsp_parse(void)
{
	static const struct {
		const char *txt;
		enum dmarc_adsp want;
	} rows[] = {
		{ "dkim=all", DMARC_ADSP_ALL },
		{ "dkim=discardable", DMARC_ADSP_DISCARDABLE },
		{ "dkim=unknown", DMARC_ADSP_UNKNOWN },
		{ "dkim = all ; x=y", DMARC_ADSP_ALL },
		{ "dkim=future-word", DMARC_ADSP_UNKNOWN },
		{ "DKIM=all", DMARC_ADSP_PERMERROR },
		{ "dkim=", DMARC_ADSP_PERMERROR },
		{ "dkim=all-", DMARC_ADSP_PERMERROR },
		{ "x=1; dkim=all", DMARC_ADSP_PERMERROR },
		{ "dkim=all x", DMARC_ADSP_PERMERROR },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		tap_str(dmarc_adsp_str(dmarc_adsp_parse(rows[i].txt,
							strlen(rows[i].txt))),
			dmarc_adsp_str(rows[i].want), rows[i].txt);
}

/* ---- From ---- */

static void test_from(void)
{
	static const struct {
		const char *what;
		const char *msg;
		enum dmarc_from want;
		const char *domain;
	} rows[] = {
		{ "one mailbox", "From: A <a@Example.COM>\r\n\r\nb",
		  DMARC_FROM_OK, "example.com" },
		{ "no From", "Subject: x\r\n\r\nb", DMARC_FROM_NONE, NULL },
		{ "empty group", "From: undisclosed:;\r\n\r\nb",
		  DMARC_FROM_NONE, NULL },
		{ "two mailboxes one domain",
		  "From: a@example.com, b@EXAMPLE.com\r\n\r\nb",
		  DMARC_FROM_OK, "example.com" },
		{ "two domains", "From: a@example.com, b@example.org\r\n\r\nb",
		  DMARC_FROM_MULTIPLE_DOMAINS, NULL },
		{ "two From fields, one domain",
		  "From: a@example.com\r\nFrom: b@example.com\r\n\r\nb",
		  DMARC_FROM_MULTIPLE_FIELDS, "example.com" },
		{ "two From fields, two domains",
		  "From: a@example.com\r\nFrom: b@example.org\r\n\r\nb",
		  DMARC_FROM_MULTIPLE_DOMAINS, NULL },
		{ "unparsable", "From: <a@\r\n\r\nb", DMARC_FROM_UNPARSABLE,
		  NULL },
		{ "domain literal", "From: a@[192.0.2.1]\r\n\r\nb",
		  DMARC_FROM_UNPARSABLE, NULL },
		{ "group with one domain",
		  "From: team: a@example.com, b@example.com;\r\n\r\nb",
		  DMARC_FROM_OK, "example.com" },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct msg *m;
		const char *err, *why;
		char   *d = NULL;
		int	st;

		if (msg_parse(&m, rows[i].msg, strlen(rows[i].msg), &err) < 0) {
			tap_ok(0, "from: %s: msg_parse: %s", rows[i].what, err);
			continue;
		}
		st = dmarc_author_domain(m, &d, &why);
		tap_str(dmarc_from_str((enum dmarc_from) st),
			dmarc_from_str(rows[i].want), rows[i].what);
		tap_str(d, rows[i].domain, rows[i].what);
		free(d);
		msg_free(m);
	}
}

/* ---- query patterns ---- */

struct counting {
	struct zone *z;
	char	asked[16][300];
	unsigned n;
};

static enum dmarc_dns count_txt(void *ctx, const char *name,
				struct dmarc_txt **txt_r, size_t *count_r)
{
	struct counting *c = ctx;

	if (c->n < 16)
		snprintf(c->asked[c->n], sizeof(c->asked[0]), "%s", name);
	c->n++;
	return table_txt(c->z, name, txt_r, count_r);
}

static enum dmarc_dns count_exists(void *ctx, const char *name)
{
	struct counting *c = ctx;

	return table_exists(c->z, name);
}

static void test_walk_queries(void)
{
	static struct zone z;
	struct counting c;
	struct dmarc_lookup lk = { count_txt, count_exists, &c };
	struct dmarc_policy_info info;
	char   *org = NULL;
	static const char *const want[] = {
		"_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com",
		"_dmarc.g.h.i.j.mail.example.com",
		"_dmarc.h.i.j.mail.example.com",
		"_dmarc.i.j.mail.example.com",
		"_dmarc.j.mail.example.com",
		"_dmarc.mail.example.com",
		"_dmarc.example.com",
		"_dmarc.com",
	};
	size_t	i;
	int	same = 1;

	memset(&c, 0, sizeof(c));
	c.z = &z;
	/* RFC 9989 section 4.10's own example: eight queries */
	dmarc_discover(&lk, "a.b.c.d.e.f.g.h.i.j.mail.example.com",
		       DMARC_TREEWALK, &info);
	tap_int(c.n, 8, "walk: RFC 9989 4.10 example asks eight names");
	for (i = 0; i < 8 && i < c.n; i++)
		same = same && strcmp(c.asked[i], want[i]) == 0;
	tap_ok(same, "walk: the eight names of the RFC example, in order");
	tap_int(info.found, DMARC_FOUND_NONE, "walk: nothing found");
	tap_str(info.org_domain, "a.b.c.d.e.f.g.h.i.j.mail.example.com",
		"walk: no record: the start is its own org domain");
	dmarc_policy_info_free(&info);

	/* psd=y at the start does not make the start's parent the org */
	z.rr[0].type = 't';
	z.rr[0].name = (char *) "_dmarc.example.com";
	z.rr[0].value = (char *) "v=DMARC1; p=reject; psd=y";
	z.n = 1;
	c.n = 0;
	tap_int(dmarc_org_domain(&lk, "example.com", DMARC_TREEWALK, &org,
				 NULL), 0, "org: psd=y at the start");
	tap_str(org, "example.com", "org: psd=y at the start is the org");
	tap_int(c.n, 1, "org: psd=y stops the walk at once");
	free(org);
	tap_int(dmarc_org_domain(&lk, "x.y.example.com", DMARC_TREEWALK,
				 &org, NULL), 0, "org: below a psd=y");
	tap_str(org, "y.example.com", "org: one label below the psd=y name");
	free(org);
	tap_int(dmarc_org_domain(&lk, "x.y.example.com", DMARC_PSL, &org,
				 NULL), 0, "org: psl mode");
	tap_str(org, "example.com", "org: psl registrable domain");
	free(org);
	tap_int(dmarc_org_domain(&lk, "co.uk", DMARC_PSL, &org, NULL), 0,
		"org: psl of a public suffix");
	tap_str(org, "co.uk", "org: a public suffix is its own org");
	free(org);
	tap_int(dmarc_org_domain(&lk, "bad..name", DMARC_PSL, &org, NULL), -1,
		"org: empty label refused");
	z.n = 0;
}

/* np= with a failing existence check is a temperror, not sp= */
static void test_np_exists_temp(void)
{
	static struct zone z;
	struct dmarc_lookup lk = { table_txt, table_exists, &z };
	struct dmarc_input in;
	struct dmarc_verdict v;

	z.rr[0].type = 't';
	z.rr[0].name = (char *) "_dmarc.example.com";
	z.rr[0].value = (char *) "v=DMARC1; p=reject; np=quarantine";
	z.rr[1].type = 's';
	z.rr[1].name = (char *) "ghost.example.com";
	z.rr[1].value = (char *) "";
	z.n = 2;
	memset(&in, 0, sizeof(in));
	in.author_domain = "ghost.example.com";
	in.mode = DMARC_PSL;	/* PSL: no _dmarc.ghost walk needed... */
	dmarc_evaluate(&lk, &in, &v);
	/* ...but _dmarc.ghost.example.com is below the failing name too */
	tap_str(dmarc_result_str(v.result), "temperror",
		"np: author subtree failing is a temperror");
	dmarc_verdict_free(&v);
	in.author_domain = "not valid";
	dmarc_evaluate(&lk, &in, &v);
	tap_str(dmarc_result_str(v.result), "permerror",
		"invalid author domain is a permerror");
	dmarc_verdict_free(&v);
	z.n = 0;
}

int main(void)
{
	int	n;

	test_records();
	test_adsp_parse();
	test_from();
	test_walk_queries();
	test_np_exists_temp();
	n = run_case_file(tap_srcpath("tests/data/dmarc/cases.txt"), NULL);
	tap_ok(n >= 60, "case file: %d cases run against the table", n);
	return tap_done();
}
