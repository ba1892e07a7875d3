/*
 * NAME
 *	test_authres 1
 * SUMMARY
 *	unit tests for lib/authres (RFC 8601 Authentication-Results)
 * DESCRIPTION
 *	Table-driven: generation of every method and of "none", hostile
 *	caller text, folding, the RFC 8601 Appendix B examples verbatim,
 *	lenient and refused input, ARC-Authentication-Results, the forged
 *	authserv-id decision (named tricks), removal from a message, the
 *	trusted-SPF walk, and generate -> parse round trips.  Parsed results
 *	are compared as a one-line dump: "id[ vN]|method=result k=v ...|...".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authres/authres.h"
#include "msg/msg.h"
#include "sealist_limits.h"
#include "tap.h"

/* "id[ vN]|m[/v]=r [reason=R] p.q=v ...|..." or "ERR: error". */
static const char *dump(const struct authres *ar)
{
	static struct buf b;
	size_t	i, j;

	buf_free(&b);
	buf_init(&b, 1024 * 1024);
	buf_append_str(&b, ar->authserv_id);
	if (ar->version)
		buf_printf(&b, " v%u", ar->version);
	for (i = 0; i < ar->nresults; i++) {
		const struct authres_result *r = &ar->results[i];

		buf_printf(&b, "|%s", r->method);
		if (r->method_version)
			buf_printf(&b, "/%u", r->method_version);
		buf_printf(&b, "=%s", r->result);
		if (r->reason)
			buf_printf(&b, " reason=%s", r->reason);
		for (j = 0; j < r->nprops; j++)
			buf_printf(&b, " %s.%s=%s", r->props[j].ptype,
				   r->props[j].property, r->props[j].value);
	}
	return buf_str(&b);
}

static const char *parse_dump(const char *value)
{
	static char err[256];
	struct authres *ar;
	const char *error;
	const char *s;

	if (authres_parse(value, strlen(value), &ar, &error) < 0) {
		snprintf(err, sizeof(err), "ERR: %s", error);
		return err;
	}
	s = dump(ar);
	authres_free(ar);
	return s;
}

/* Generation. */

static struct authres *must_new(const char *id)
{
	const char *error;
	struct authres *ar = authres_new(id, &error);

	if (ar == NULL) {
		tap_diag("authres_new(%s): %s", id, error);
		abort();
	}
	return ar;
}

static const char *format(struct authres *ar)
{
	static struct buf out;

	buf_free(&out);
	buf_init(&out, 1024 * 1024);
	if (authres_format_field(ar, &out) < 0)
		return "FORMAT FAILED";
	return buf_str(&out);
}

static void test_generate(void)
{
	const char *e;
	struct authres *ar;
	struct authres_dkim d = { "pass", NULL, "example.com", "@example.com",
		"sel", "rsa-sha256", "AbCdEfGh/+ij\r\n\tKlMnOpQrSt==", };

	ar = must_new("example.org");
	tap_str(format(ar), "Authentication-Results: example.org; none",
		"no results: none (RFC 8601 section 2.2)");
	authres_free(ar);

	ar = must_new("mx.example.org");
	tap_int(authres_add_dkim(ar, &d, &e), 0, "dkim helper accepts");
	tap_str(format(ar), "Authentication-Results: mx.example.org; dkim=pass"
		" header.d=example.com\r\n\theader.i=@example.com header.s=sel"
		" header.a=rsa-sha256\r\n\theader.b=\"AbCdEfGh/+ijKlMn\"",
		"dkim: d, i, s, a and the first 16 b= characters, quoted, FWS dropped");
	authres_free(ar);

	ar = must_new("mx.example.org");
	tap_int(authres_add_spf(ar, "softfail", NULL, "user@example.net",
				"mail.example.net", &e), 0, "spf helper accepts");
	tap_str(format(ar), "Authentication-Results: mx.example.org;"
		" spf=softfail\r\n\tsmtp.mailfrom=user@example.net"
		" smtp.helo=mail.example.net",
		"spf: smtp.mailfrom and smtp.helo, identity bare");
	authres_free(ar);

	ar = must_new("mx.example.org");
	tap_int(authres_add_dmarc(ar, "pass", NULL, "example.com", "reject",
				  "reject", "none", &e), 0, "dmarc helper accepts");
	tap_str(format(ar), "Authentication-Results: mx.example.org;"
		" dmarc=pass (p=reject dis=none)\r\n\theader.from=example.com"
		" policy.dmarc=reject",
		"dmarc: OpenDMARC's comment, header.from, policy.dmarc (RFC 9989)");
	tap_int(authres_add_dmarc(ar, "pass", NULL, "x", "bogus", NULL, NULL,
				  &e), -1, "dmarc: policy.dmarc other than none/quarantine/reject refused");
	authres_free(ar);

	ar = must_new("mx.example.org");
	tap_int(authres_add_arc(ar, "pass", NULL, "192.0.2.1", 0, &e), 0,
		"arc helper accepts");
	tap_str(format(ar), "Authentication-Results: mx.example.org; arc=pass"
		" smtp.remote-ip=192.0.2.1\r\n\theader.oldest-pass=0",
		"arc: smtp.remote-ip and header.oldest-pass (RFC 8617 section 6)");
	authres_free(ar);

	ar = must_new("mx.example.org");
	tap_int(authres_add_arc(ar, "fail", NULL, "2001:db8::1", -1, &e), 0,
		"arc with IPv6, no oldest-pass");
	tap_str(format(ar), "Authentication-Results: mx.example.org; arc=fail"
		" smtp.remote-ip=\"2001:db8::1\"",
		"arc: an IPv6 address is not a token, so it is quoted");
	authres_free(ar);

	ar = must_new("mx.example.org");
	tap_int(authres_add_adsp(ar, "discard", NULL, "example.com", &e), 0,
		"adsp helper accepts discard (RFC 5617 section 5.4)");
	tap_int(authres_add_adsp(ar, "nxdomain", "no such domain", "x.invalid",
				 &e), 0, "adsp accepts nxdomain");
	tap_str(format(ar), "Authentication-Results: mx.example.org;"
		" dkim-adsp=discard\r\n\theader.from=example.com;"
		" dkim-adsp=nxdomain reason=\"no such domain\"\r\n"
		"\theader.from=x.invalid",
		"dkim-adsp: two results, ';' between them");
	authres_free(ar);

	ar = must_new("mx.example.org");
	tap_int(authres_add(ar, "dkim", "softfail", NULL, &e), -1,
		"dkim=softfail refused (not a DKIM result)");
	tap_int(authres_add(ar, "spf", "pass;x", NULL, &e), -1,
		"result with ';' refused");
	tap_int(authres_add(ar, "sp f", "pass", NULL, &e), -1,
		"method with a space refused");
	tap_int(authres_add(ar, "dmarc", "softfail", NULL, &e), -1,
		"dmarc=softfail refused");
	tap_int(authres_add(ar, "arc", "neutral", NULL, &e), -1,
		"arc=neutral refused");
	tap_int(authres_add(ar, "x-new", "whatever", NULL, &e), 0,
		"unknown method: any keyword result");
	tap_int(authres_add_prop(ar, "header", "d.x", "v", &e), -1,
		"property with '.' refused");
	tap_int(authres_add_prop(ar, "hea=der", "d", "v", &e), -1,
		"ptype with '=' refused");
	authres_free(ar);
	tap_ok(authres_new("a\r\nb", &e) == NULL, "control byte in authserv-id refused");
	tap_ok(authres_new("", &e) == NULL, "empty authserv-id refused");
	{
		char	big[LIMIT_AUTHRES_VALUE + 10];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		big[LIMIT_AUTHRES_VALUE - 1] = (char) 0xc3;	/* UTF-8 lead byte */
		big[LIMIT_AUTHRES_VALUE] = (char) 0xa9;
		ar = must_new("x.example");
		authres_add(ar, "dkim", "fail", big, &e);
		tap_int((long long) strlen(ar->results[0].reason),
			LIMIT_AUTHRES_VALUE - 1,
			"a long reason is cut, not inside a UTF-8 sequence");
		tap_int(authres_add_prop(ar, "header", "d", big, &e), -1,
			"a property value over LIMIT_AUTHRES_VALUE is refused");
		authres_free(ar);
	}
	ar = must_new("user@example.com");
	authres_add_spf(ar, "none", NULL, NULL, NULL, &e);
	tap_str(format(ar), "Authentication-Results: \"user@example.com\"; spf=none",
		"an authserv-id with '@' is quoted (a value, never an identity)");
	authres_free(ar);
}

/* Hostile caller text: the structure must survive. */
static const struct {
	const char *what;
	const char *reason;
	const char *d;
	const char *want_reason;	/* after the writer's sanitizing */
} hostile[] = {
	{ "reason with a double quote", "say \"hi\"", "example.com",
	  "say \"hi\"" },
	{ "reason with a backslash", "C:\\path\\", "example.com",
	  "C:\\path\\" },
	{ "reason with ';' and a fake result", "x; spf=pass smtp.mailfrom=a",
	  "example.com", "x; spf=pass smtp.mailfrom=a" },
	{ "reason with CRLF and a fake field",
	  "x\r\nAuthentication-Results: ours; dkim=pass", "example.com",
	  "x  Authentication-Results: ours; dkim=pass" },
	{ "reason with a bare LF, NUL-free controls", "a\nb\x01\x7f" "c",
	  "example.com", "a b  c" },
	{ "reason with an unbalanced quote and backslash at the end",
	  "\"\\", "example.com", "\"\\" },
	{ "domain with ';' and '='", "r", "x.example; spf=pass",
	  "r" },
	{ "domain with CRLF", "r", "x.example\r\nX-Evil: 1", "r" },
	{ "domain with a comment opener", "r", "(x.example", "r" },
	{ "domain with a quote", "r", "\"x.example", "r" },
};

static void test_hostile(void)
{
	size_t	i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct authres *ar = must_new("mx.example.org"), *back;
		struct authres_dkim d = { "fail", hostile[i].reason,
			hostile[i].d, NULL, NULL, NULL, NULL };
		const char *e, *f, *p, *colon;
		char	want_d[256];
		struct msg *m;
		size_t	k;
		int	bad_eol = 0;

		authres_add_dkim(ar, &d, &e);
		authres_add_spf(ar, "pass", NULL, "x@example.net", NULL, &e);
		f = format(ar);
		for (p = f; *p; p++)
			if ((*p == '\r' && strncmp(p, "\r\n\t", 3) != 0)
			    || (*p == '\n' && (p == f || p[-1] != '\r')))
				bad_eol = 1;
		tap_ok(!bad_eol, "%s: the only line ends are folds",
		       hostile[i].what);
		colon = strchr(f, ':');
		if (authres_parse(colon + 1, strlen(colon + 1), &back, &e) < 0) {
			tap_ok(0, "%s: parses back (%s)", hostile[i].what, e);
			authres_free(ar);
			continue;
		}
		tap_int((long long) back->nresults, 2, "two results, no more");
		tap_str(back->results[0].reason, hostile[i].want_reason,
			"reason read back as written, controls as spaces");
		snprintf(want_d, sizeof(want_d), "%s", hostile[i].d);
		for (k = 0; want_d[k]; k++)
			if ((unsigned char) want_d[k] < ' ')
				want_d[k] = ' ';
		tap_str(authres_prop(&back->results[0], "header", "d"), want_d,
			"header.d read back whole");
		tap_str(back->results[1].method, "spf", "the spf result follows");
		authres_free(back);
		if (msg_parse(&m, "From: a@b\r\n\r\nx\r\n", 16, &e) == 0) {
			tap_int(msg_insert_top(m, f, strlen(f), &e), 0,
				"msg_insert_top accepts the field");
			tap_int(msg_find(m, "Authentication-Results", 1), -1,
				"exactly one Authentication-Results field");
			tap_int(msg_find(m, "X-Evil", 0), -1, "no injected field");
			msg_free(m);
		}
		authres_free(ar);
	}
}

/* Folding: a long field keeps lines <= 78 and continuations start with WSP. */
static void test_folding(void)
{
	struct authres *ar = must_new("lists.example.org");
	const char *e, *f, *p, *line;
	size_t	i, longest = 0, lines = 1;
	int	bad_start = 0;
	char	dom[64];

	for (i = 0; i < 10; i++) {
		struct authres_dkim d = { "pass", NULL, dom, NULL,
			"selector-2024", "rsa-sha256",
			"dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==" };

		snprintf(dom, sizeof(dom), "signer-%zu.long-domain.example.com", i);
		authres_add_dkim(ar, &d, &e);
	}
	authres_add_spf(ar, "pass", "long reason text that goes on and on and"
			" on for a while to pass the line width", "bounces@x.example",
			"mx.x.example", &e);
	f = format(ar);
	for (line = p = f;; p++) {
		if (*p == '\r' || *p == 0) {
			if ((size_t) (p - line) > longest)
				longest = (size_t) (p - line);
			if (*p == 0)
				break;
			p += 2;
			line = p;
			lines++;
			if (*p != '\t' && *p != ' ')
				bad_start = 1;
		}
	}
	tap_ok(lines > 10, "long field is folded (%zu lines)", lines);
	tap_ok(longest <= 78, "every line at most 78 octets (longest %zu)", longest);
	tap_ok(!bad_start, "every continuation line starts with WSP");
	p = strchr(f, ':') + 1;
	tap_int(strncmp(parse_dump(p), "lists.example.org|dkim=pass header.d="
			"signer-0.long-domain.example.com header.s=selector-2024"
			" header.a=rsa-sha256 header.b=dGhpcyBpcyBub3Qg|", 115), 0,
		"folded field parses back");
	tap_ok(strstr(parse_dump(p), "|spf=pass reason=long reason text that goes on"
		      " and on and on for a while to pass the line width smtp.") != NULL,
	       "a reason folded inside its quotes reads back unchanged");
	authres_free(ar);
}

/* RFC 8601 Appendix B, the Authentication-Results values verbatim. */
static const struct {
	const char *what, *value, *want;
} rows[] = {
	{ "B.2 none with version", " example.org 1; none", "example.org v1" },
	{ "B.3 spf", " example.com;\r\n          spf=pass smtp.mailfrom=example.net",
	  "example.com|spf=pass smtp.mailfrom=example.net" },
	{ "B.4 first field: auth with a comment, spf",
	  " example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
	  "          spf=pass smtp.mailfrom=example.net",
	  "example.com|auth=pass smtp.auth=sender@example.net|spf=pass smtp.mailfrom=example.net" },
	{ "B.4 second field: iprev with policy.iprev",
	  " example.com; iprev=pass\r\n          policy.iprev=192.0.2.200",
	  "example.com|iprev=pass policy.iprev=192.0.2.200" },
	{ "B.5 dkim with a comment",
	  " example.com;\r\n          dkim=pass (good signature) header.d=example.com",
	  "example.com|dkim=pass header.d=example.com" },
	{ "B.5 auth and spf=fail",
	  " example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.com;\r\n"
	  "          spf=fail smtp.mailfrom=example.com",
	  "example.com|auth=pass smtp.auth=sender@example.com|spf=fail smtp.mailfrom=example.com" },
	{ "B.6 two dkim results with reasons",
	  " example.com;\r\n      dkim=pass reason=\"good signature\"\r\n"
	  "        header.i=@mail-router.example.net;\r\n"
	  "      dkim=fail reason=\"bad signature\"\r\n        header.i=@newyork.example.com",
	  "example.com|dkim=pass reason=good signature header.i=@mail-router.example.net"
	  "|dkim=fail reason=bad signature header.i=@newyork.example.com" },
	{ "B.6 example.net field",
	  " example.net;\r\n      dkim=pass (good signature) header.i=@newyork.example.com",
	  "example.net|dkim=pass header.i=@newyork.example.com" },
	{ "B.7 comment-heavy example",
	  " foo.example.net (foobar) 1 (baz);\r\n"
	  "    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n"
	  "      policy (A dot can go here) . (like that) expired\r\n"
	  "      (this surprised me) = (as I wasn't expecting it) 1362471462",
	  "foo.example.net v1|dkim/1=fail policy.expired=1362471462" },
	/* Leniency. */
	{ "no spaces at all", "example.com;dkim=pass header.d=a.example;spf=fail",
	  "example.com|dkim=pass header.d=a.example|spf=fail" },
	{ "comments glued everywhere", "(a)example.com(b);(c)spf(d)=(e)pass(f)smtp(g).(h)mailfrom(i)=(j)x@y.example(k)",
	  "example.com|spf=pass smtp.mailfrom=x@y.example" },
	{ "nested comments with quoted-pairs", " example.com (a (b \\) c) d); spf=pass",
	  "example.com|spf=pass" },
	{ "uppercase keywords are lowered", " Example.COM; DKIM=Pass Header.D=Example.COM",
	  "Example.COM|dkim=pass header.d=Example.COM" },
	{ "quoted authserv-id", " \"example.com\"; spf=pass", "example.com|spf=pass" },
	{ "unknown method and ptype kept", " example.com; x-foo=bar x-p.q-r=\"a b\"",
	  "example.com|x-foo=bar x-p.q-r=a b" },
	{ "unquoted header.b with / + =", " example.com; dkim=pass header.b=ab/c+d=",
	  "example.com|dkim=pass header.b=ab/c+d=" },
	{ "quoted reason with escapes", " example.com; dkim=fail reason=\"a \\\"b\\\" \\\\ c; d\"",
	  "example.com|dkim=fail reason=a \"b\" \\ c; d" },
	{ "unquoted reason", " example.com; dkim=fail reason=bad_sig header.d=x",
	  "example.com|dkim=fail reason=bad_sig header.d=x" },
	{ "trailing semicolon", " example.com; spf=pass;", "example.com|spf=pass" },
	{ "LF-only folding", " example.com;\n\tspf=pass\n smtp.mailfrom=a.example",
	  "example.com|spf=pass smtp.mailfrom=a.example" },
	{ "quoted local-part", " example.com; spf=pass smtp.mailfrom=\"a b\"@example.com",
	  "example.com|spf=pass smtp.mailfrom=a b@example.com" },
	{ "empty property value", " example.com; dkim=pass header.d=; spf=none",
	  "example.com|dkim=pass header.d=|spf=none" },
	{ "8-bit authserv-id (EAI)", " \xc3\xa9x.example; spf=pass",
	  "\xc3\xa9x.example|spf=pass" },
	/* Refused. */
	{ "no authserv-id", " ; spf=pass", "ERR: no authserv-id" },
	{ "empty value", "", "ERR: no authserv-id" },
	{ "no ';' after the id", " example.com spf=pass", "ERR: expected ';' after the authserv-id" },
	{ "method without '='", " example.com; spf pass", "ERR: expected '=' after a method" },
	{ "unterminated comment", " example.com (oops; spf=pass", "ERR: unterminated comment" },
	{ "unterminated quote", " example.com; dkim=fail reason=\"x", "ERR: bad reason" },
	{ "property without '.'", " example.com; spf=pass mailfrom=x", "ERR: expected '.' after a ptype" },
	{ "NUL in a quoted authserv-id", " \"a\0b\"; spf=pass", "ERR: bad authserv-id" },
	{ "version too long", " example.com 12345678901; none", "ERR: bad version" },
	{ "method version not a number", " example.com; dkim/x=pass", "ERR: bad method version" },
};

static void test_parse(void)
{
	size_t	i, k;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		tap_str(parse_dump(rows[i].value), rows[i].want, rows[i].what);
		/* Every prefix must parse or fail cleanly (sanitizers watch). */
		for (k = 0; k < strlen(rows[i].value); k++) {
			struct authres *ar;
			const char *e;

			if (authres_parse(rows[i].value, k, &ar, &e) == 0)
				authres_free(ar);
		}
	}
}

static void test_limits(void)
{
	struct buf b;
	size_t	i;

	buf_init(&b, 4 * LIMIT_AUTHRES_FIELD);
	buf_append_str(&b, " example.com");
	for (i = 0; i < LIMIT_AUTHRES_RESULTS + 1; i++)
		buf_append_str(&b, "; spf=pass");
	tap_str(parse_dump(buf_str(&b)), "ERR: too many results",
		"more than LIMIT_AUTHRES_RESULTS results refused");
	buf_reset(&b);
	buf_append_str(&b, " example.com; dkim=pass");
	for (i = 0; i < LIMIT_AUTHRES_PROPS + 1; i++)
		buf_append_str(&b, " header.d=x");
	tap_str(parse_dump(buf_str(&b)), "ERR: too many properties in one result",
		"more than LIMIT_AUTHRES_PROPS properties refused");
	buf_reset(&b);
	buf_append_str(&b, " example.com; spf=pass");
	while (b.len <= LIMIT_AUTHRES_FIELD)
		buf_append_str(&b, "        ");
	tap_str(parse_dump(buf_str(&b)), "ERR: field too long",
		"a value over LIMIT_AUTHRES_FIELD refused");
	buf_reset(&b);
	buf_append_str(&b, " example.com ");
	for (i = 0; i < 60000; i++)
		buf_append_byte(&b, '(');
	tap_str(parse_dump(buf_str(&b)), "ERR: unterminated comment",
		"60,000 nested comment openers: no recursion, refused");
	buf_free(&b);
}

static void test_aar(void)
{
	static const char v[] = " i=3; lists.example.org;\r\n\tdkim=pass header.d=example.com";
	struct authres *ar;
	const char *e;
	unsigned inst = 0;

	tap_int(authres_parse_aar(v, sizeof(v) - 1, &inst, &ar, &e), 0,
		"ARC-Authentication-Results payload parses");
	tap_int(inst, 3, "instance 3");
	if (ar) {
		tap_str(dump(ar), "lists.example.org|dkim=pass header.d=example.com",
			"AAR payload read like Authentication-Results");
		authres_free(ar);
	}
	tap_int(authres_parse_aar(" i=51; x; none", 14, &inst, &ar, &e), -1,
		"instance 51 refused (RFC 8617: 1..50)");
	tap_int(authres_parse_aar(" x; none", 8, &inst, &ar, &e), -1,
		"AAR without i= refused");
}

/* Does the field claim ours.example?  The CVE-2022-48521 class. */
static const struct {
	const char *what, *value;
	int	ours;
} forged[] = {
	{ "plain", " ours.example; dkim=pass", 1 },
	{ "uppercase", " OURS.EXAMPLE; dkim=pass", 1 },
	{ "comment before", " (comment) ours.example; dkim=pass", 1 },
	{ "comment after", " ours.example (comment); dkim=pass", 1 },
	{ "comment with ';' before", " (x; y) ours.example; spf=pass", 1 },
	{ "nested comment before", " (a (b) c) ours.example; spf=pass", 1 },
	{ "comment with escaped paren", " (a \\) b) ours.example; spf=pass", 1 },
	{ "folded before the id", "\r\n\tours.example;\r\n\tdkim=pass", 1 },
	{ "quoted id", " \"ours.example\"; dkim=pass", 1 },
	{ "quoted id with a quoted-pair", " \"ours\\.example\"; dkim=pass", 1 },
	{ "trailing dot", " ours.example.; dkim=pass", 1 },
	{ "version after", " ours.example 1; dkim=pass", 1 },
	{ "no space before ';'", "ours.example;dkim=pass", 1 },
	{ "id alone", " ours.example", 1 },
	{ "comment splitting the id", " ours(x).example; dkim=pass", 1 },
	{ "comment glued after", " ours.example(x); dkim=pass", 1 },
	{ "unterminated comment before", " (x ours.example; dkim=pass", 1 },
	{ "unterminated quote", " \"ours.example; dkim=pass", 1 },
	{ "garbage after the id", " ours.example junk; dkim=pass", 1 },
	{ "NUL after the id", " ours.example\0x; dkim=pass", 1 },
	{ "bare CR inside", " ours.example\r; dkim=pass", 1 },
	{ "id after an empty quoted string", " \"\" ours.example; dkim=pass", 1 },
	{ "other id", " other.example; dkim=pass", 0 },
	{ "other id with ours in a comment", " other.example (ours.example); dkim=pass", 0 },
	{ "other id with ours as header.d", " other.example; dkim=pass header.d=ours.example", 0 },
	{ "ours as a prefix", " ours.example.evil; dkim=pass", 0 },
	{ "ours as a suffix", " evilours.example; dkim=pass", 0 },
	{ "ours in a comment, no id", " (ours.example); dkim=pass", 1 },
	{ "empty", "", 0 },
};

static void test_forged(void)
{
	size_t	i;
	const char *e;
	struct msg *m;
	size_t	idx[8], n;
	static const char mail[] =
	    "Authentication-Results: mx.ours.example; spf=pass smtp.mailfrom=a@b.example\r\n"
	    "Received: from x\r\n"
	    "Authentication-Results: (forged) OURS.example.; dkim=pass\r\n"
	    "authentication-results: \"ours.example\"; dmarc=pass\r\n"
	    "Authentication-Results-X: ours.example; dkim=pass\r\n"
	    "Authentication-Results: other.example; dkim=pass header.d=ours.example\r\n"
	    "Authentication-Results:\r\n ours.example\r\n ; spf=pass\r\n"
	    "From: a@b.example\r\n\r\nbody\r\n";

	for (i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		size_t	len = strlen(forged[i].value);

		if (strstr(forged[i].what, "NUL") != NULL)
			len = 27;
		tap_int(authres_is_ours(forged[i].value, len, "ours.example"),
			forged[i].ours, forged[i].what);
	}
	tap_int(authres_is_ours(" ours.example; x", 16, "Ours.Example."), 1,
		"our id configured with case and a trailing dot");
	if (!tap_int(msg_parse(&m, mail, sizeof(mail) - 1, &e), 0, "message parses"))
		return;
	n = authres_find_ours(m, "ours.example", idx, 8);
	tap_int((long long) n, 3, "find_ours: three forged fields");
	tap_ok(n == 3 && idx[0] == 2 && idx[1] == 3 && idx[2] == 6,
	       "find_ours: at 2, 3 and 6, in header order");
	tap_int((long long) authres_remove_forged(m, "ours.example"), 3,
		"remove_forged removes three");
	tap_int((long long) authres_find_ours(m, "ours.example", idx, 8), 0,
		"none left");
	tap_int((long long) msg_field_count(m), 5, "the five other fields stay");
	tap_int(msg_find(m, "Authentication-Results-X", 0), 2,
		"a field named by prefix is not touched");
	msg_free(m);
}

/* Trusted SPF: the run of trusted fields at the top. */
static const struct {
	const char *what, *header, *want;	/* "result mailfrom" or "" */
} spf_rows[] = {
	{ "topmost trusted field", "Authentication-Results: mx.ours.example;"
	  " spf=pass smtp.mailfrom=a@b.example\r\n", "pass a@b.example" },
	{ "untrusted field on top hides the trusted one",
	  "Authentication-Results: evil.example; spf=fail\r\n"
	  "Authentication-Results: mx.ours.example; spf=pass smtp.mailfrom=x\r\n", "" },
	{ "forged trusted field below an untrusted one is not reached",
	  "Authentication-Results: mx.ours.example; dkim=pass\r\n"
	  "Authentication-Results: evil.example; spf=none\r\n"
	  "Authentication-Results: mx.ours.example; spf=pass smtp.mailfrom=x\r\n", "" },
	{ "second trusted field in the top run",
	  "Authentication-Results: filter.ours.example; dkim=pass\r\n"
	  "Authentication-Results: MX.OURS.EXAMPLE.; spf=softfail smtp.mailfrom=y@z.example\r\n",
	  "softfail y@z.example" },
	{ "unparsable field ends the run",
	  "Authentication-Results: mx.ours.example (; spf=pass\r\n"
	  "Authentication-Results: mx.ours.example; spf=fail smtp.mailfrom=x\r\n", "" },
	{ "no field", "Subject: x\r\n", "" },
	{ "spf without mailfrom", "Authentication-Results: mx.ours.example;"
	  " spf=none smtp.helo=h.example\r\n", "none (null)" },
	{ "other headers between do not matter", "Received: x\r\n"
	  "Authentication-Results: mx.ours.example; spf=pass smtp.mailfrom=q\r\n",
	  "pass q" },
};

static void test_trusted_spf(void)
{
	const char *const trusted[] = { "mx.ours.example", "filter.ours.example" };
	size_t	i;

	for (i = 0; i < sizeof(spf_rows) / sizeof(spf_rows[0]); i++) {
		char	raw[1024], got[256];
		struct authres_spf spf;
		struct msg *m;
		const char *e;
		int	rc;

		snprintf(raw, sizeof(raw), "%sFrom: a@b\r\n\r\nx\r\n",
			 spf_rows[i].header);
		if (msg_parse(&m, raw, strlen(raw), &e) < 0) {
			tap_ok(0, "%s: message parses", spf_rows[i].what);
			continue;
		}
		rc = authres_trusted_spf(m, trusted, 2, &spf);
		got[0] = 0;
		if (rc == 1) {
			snprintf(got, sizeof(got), "%s %s", spf.result,
				 spf.mailfrom ? spf.mailfrom : "(null)");
			authres_spf_free(&spf);
		}
		tap_str(got, spf_rows[i].want, spf_rows[i].what);
		msg_free(m);
	}
}

/* Generate -> parse gives back what went in. */
static void test_round_trip(void)
{
	struct authres *ar = must_new("rt.example");
	struct authres_dkim d1 = { "pass", "good", "example.com", "@example.com",
		"s1", "ed25519-sha256", "AAAABBBBCCCCDDDDEEEE" };
	struct authres_dkim d2 = { "fail", "body \"hash\"; mismatch", "b.example",
		NULL, "s(2)", NULL, "x/y+z=" };
	const char *e, *f;

	authres_add_dkim(ar, &d1, &e);
	authres_add_dkim(ar, &d2, &e);
	authres_add_spf(ar, "pass", NULL, "\"odd user\"@example.net", "[192.0.2.1]", &e);
	authres_add_dmarc(ar, "fail", NULL, "example.com", "quarantine", "quarantine", "quarantine", &e);
	authres_add_arc(ar, "pass", NULL, "192.0.2.1", 2, &e);
	authres_add_adsp(ar, "unknown", NULL, "example.com", &e);
	authres_add(ar, "auth", "pass", NULL, &e);
	authres_add_prop(ar, "smtp", "auth", "user name", &e);
	ar->results[ar->nresults - 1].method_version = 1;
	f = format(ar);
	tap_str(parse_dump(strchr(f, ':') + 1),
		"rt.example"
		"|dkim=pass reason=good header.d=example.com header.i=@example.com"
		" header.s=s1 header.a=ed25519-sha256 header.b=AAAABBBBCCCCDDDD"
		"|dkim=fail reason=body \"hash\"; mismatch header.d=b.example"
		" header.s=s(2) header.b=x/y+z="
		"|spf=pass smtp.mailfrom=\"odd user\"@example.net smtp.helo=[192.0.2.1]"
		"|dmarc=fail header.from=example.com policy.dmarc=quarantine"
		"|arc=pass smtp.remote-ip=192.0.2.1 header.oldest-pass=2"
		"|dkim-adsp=unknown header.from=example.com"
		"|auth/1=pass smtp.auth=user name",
		"every method written and read back");
	tap_int(authres_is_ours(strchr(f, ':') + 1, strlen(strchr(f, ':') + 1),
				"rt.example"), 1, "our own field is ours");
	authres_free(ar);

	ar = must_new("rt.example");
	authres_add_spf(ar, "none", NULL, NULL, NULL, &e);
	ar->version = 1;
	f = format(ar);
	tap_str(f, "Authentication-Results: rt.example 1; spf=none",
		"version written after the authserv-id");
	{
		struct buf out;

		buf_init(&out, 4096);
		buf_append_str(&out, "ARC-Authentication-Results: i=1; ");
		authres_format(ar, out.len, &out);
		tap_str(buf_str(&out), "ARC-Authentication-Results: i=1;"
			" rt.example 1; spf=none", "payload alone for an AAR");
		buf_free(&out);
	}
	authres_free(ar);
}

int main(void)
{
	test_generate();
	test_hostile();
	test_folding();
	test_parse();
	test_limits();
	test_aar();
	test_forged();
	test_trusted_spf();
	test_round_trip();
	return tap_done();
}
