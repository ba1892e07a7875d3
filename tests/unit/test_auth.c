/*
 * test_auth -- lib/auth's writers on verdicts built by hand: what the
 * Authentication-Results payload says for each component, and that text
 * taken from a message (domains, selectors, identities) can neither add
 * a line nor a result to the field or to auth check's lines.  The checks
 * themselves run against real DNS in tests/e2e/auth.sh.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "tap.h"

/* A verdict with one DKIM result, SPF evaluated, one DMARC domain. */
static void make_verdict(struct auth_verdict *v, const char *d, const char *s)
{
	memset(v, 0, sizeof(*v));
	v->dkim.count = 1;
	v->dkim.sigs = calloc(1, sizeof(*v->dkim.sigs));
	v->dkim.sigs[0].result = DKIM_PASS;
	v->dkim.sigs[0].domain = strdup(d);
	v->dkim.sigs[0].selector = strdup(s);
	v->dkim.sigs[0].b_text = strdup("abcdefghijklmnopqrstuvwxyz");
	v->dkim.sigs[0].body_length = -1;
	v->spf.source = AUTH_SPF_EVALUATED;
	v->spf.result = SPF_PASS;
	v->spf.mailfrom = strdup("bounce@example.org");
	v->spf.domain = strdup("example.org");
	v->from_status = DMARC_FROM_OK;
	v->from_reason = "one author domain";
	v->ndmarc = 1;
	v->dmarc = calloc(1, sizeof(*v->dmarc));
	v->dmarc[0].domain = strdup("example.org");
	v->dmarc[0].v.result = DMARC_RESULT_FAIL;
	v->dmarc[0].v.policy = DMARC_POLICY_REJECT;
	v->dmarc[0].v.disposition = DMARC_POLICY_QUARANTINE;
	v->dmarc[0].v.info.found = DMARC_FOUND_AUTHOR;
	v->dmarc[0].v.info.rec.p = DMARC_POLICY_REJECT;
	v->arc.cv = ARC_CV_PASS;
	v->arc.oldest_pass = 0;
	v->client_ip = strdup("192.0.2.1");
}

static char *payload(const struct auth_verdict *v)
{
	struct authres *ar;
	struct buf b;
	const char *error;
	char   *s;

	if ((ar = auth_verdict_authres(v, "lists.example", &error)) == NULL) {
		tap_diag("auth_verdict_authres: %s", error);
		return strdup("");
	}
	buf_init(&b, 65536);
	authres_format(ar, 0, &b);
	authres_free(ar);
	s = strdup(buf_str(&b));
	buf_free(&b);
	return s;
}

static char *describe(const struct auth_verdict *v)
{
	struct buf b;
	char   *s;

	buf_init(&b, 65536);
	tap_int(auth_verdict_describe(v, &b), 0, "describe succeeds");
	s = strdup(buf_str(&b));
	buf_free(&b);
	return s;
}

static size_t count(const char *s, char c)
{
	size_t	n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

static void test_plain(void)
{
	struct auth_verdict v;
	char   *p, *d;
	struct authres *ar;
	const char *error;

	make_verdict(&v, "example.org", "sel");
	p = payload(&v);
	tap_ok(strstr(p, "dkim=pass header.d=example.org header.s=sel") != NULL,
	       "dkim result with header.d and header.s");
	tap_ok(strstr(p, "header.b=abcdefghijklmnop") != NULL && strstr(p, "abcdefghijklmnopq") == NULL,
	       "header.b is the first 16 characters of b=");
	tap_ok(strstr(p, "spf=pass") != NULL && strstr(p, "smtp.mailfrom=bounce@example.org") != NULL,
	       "spf with smtp.mailfrom");
	tap_ok(strstr(p, "dmarc=fail") != NULL && strstr(p, "(p=reject dis=quarantine)") != NULL
	       && strstr(p, "policy.dmarc=quarantine") != NULL,
	       "dmarc: p= the record's, dis= and policy.dmarc the disposition");
	tap_ok(strstr(p, "arc=pass") != NULL && strstr(p, "header.oldest-pass=0") != NULL
	       && strstr(p, "smtp.remote-ip=192.0.2.1") != NULL, "arc with oldest-pass and remote-ip");
	tap_ok(strstr(p, "dkim-adsp") == NULL, "no ADSP result when it was not checked");
	tap_int(authres_parse(p, strlen(p), &ar, &error), 0, "our payload parses with our parser");
	if (ar != NULL) {
		tap_int((long long) ar->nresults, 4, "four results: dkim spf dmarc arc");
		authres_free(ar);
	}
	d = describe(&v);
	tap_ok(strstr(d, "dkim: pass d=example.org s=sel a=rsa-sha256\n") != NULL, "dkim line");
	tap_ok(strstr(d, "dmarc: fail header.from=example.org record=author") != NULL
	       && strstr(d, "policy=reject disposition=quarantine aligned=none") != NULL, "dmarc line");
	tap_ok(strstr(d, "arc: pass sets=0 oldest-pass=0\n") != NULL, "arc line");
	free(p);
	free(d);
	auth_verdict_free(&v);
}

/* A DKIM-Signature can say anything in d= and s= when it does not parse. */
static void test_hostile_text(void)
{
	struct auth_verdict v;
	char   *p, *d;

	make_verdict(&v, "evil.example\r\nX-Injected: yes", "s;dmarc=pass");
	v.dkim.sigs[0].result = DKIM_PERMERROR;
	v.dkim.sigs[0].reason = "signature syntax: bad d= tag";
	p = payload(&v);
	tap_ok(strchr(p, '\n') == NULL || strstr(p, "\nX-Injected") == NULL,
	       "a CRLF in d= cannot start a field");
	tap_ok(strstr(p, "\"s;dmarc=pass\"") != NULL, "a ';' in s= is quoted, not a new result");
	d = describe(&v);
	tap_int((long long) count(d, '\n'), 5, "five lines: dkim spf dmarc arc dns, no injected one");
	tap_ok(strchr(d, '\r') == NULL, "no CR in the lines");
	free(p);
	free(d);
	auth_verdict_free(&v);
}

/* No author domain: DMARC cannot be evaluated (RFC 9989 5.3.1). */
static void test_no_author(void)
{
	struct auth_verdict v;
	char   *p;

	make_verdict(&v, "example.org", "sel");
	free(v.dmarc[0].domain);
	dmarc_verdict_free(&v.dmarc[0].v);
	free(v.dmarc);
	v.dmarc = NULL;
	v.ndmarc = 0;
	v.from_status = DMARC_FROM_MULTIPLE_DOMAINS;
	v.from_reason = "multiple author domains";
	p = payload(&v);
	tap_ok(strstr(p, "dmarc=permerror reason=\"multiple author domains\"") != NULL,
	       "several author domains and none evaluated: dmarc=permerror with the reason");
	free(p);
	v.from_status = DMARC_FROM_NONE;
	v.from_reason = "no From field";
	p = payload(&v);
	tap_ok(strstr(p, "dmarc=none reason=\"no From field\"") != NULL, "no From: dmarc=none");
	free(p);
	auth_verdict_free(&v);
}

static void test_adsp_and_trusted(void)
{
	struct auth_verdict v;
	char   *p;

	make_verdict(&v, "example.org", "sel");
	v.dmarc[0].v.info.found = DMARC_FOUND_NONE;
	v.dmarc[0].v.result = DMARC_RESULT_NONE;
	v.dmarc[0].v.policy = DMARC_POLICY_UNSET;
	v.adsp = AUTH_ADSP_DISCARD;
	v.spf.source = AUTH_SPF_TRUSTED;
	v.spf.upstream = strdup("mx.example.net");
	p = payload(&v);
	tap_ok(strstr(p, "dkim-adsp=discard header.from=example.org") != NULL, "ADSP result");
	tap_ok(strstr(p, "spf=pass (from mx.example.net)") != NULL, "a trusted spf result names its source");
	tap_ok(strstr(p, "dmarc=none") != NULL && strstr(p, "policy.dmarc") == NULL,
	       "no record: dmarc=none without policy.dmarc");
	free(p);
	v.spf.source = AUTH_SPF_NOT_CHECKED;
	p = payload(&v);
	tap_ok(strstr(p, "spf=") == NULL, "SPF not checked: no spf result at all");
	free(p);
	auth_verdict_free(&v);
}

int main(void)
{
	test_plain();
	test_hostile_text();
	test_no_author();
	test_adsp_and_trusted();
	return tap_done();
}
