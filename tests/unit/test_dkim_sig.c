/*
 * NAME
 *	test_dkim_sig 1
 * SUMMARY
 *	unit tests for DKIM-Signature value parsing (lib/dkim)
 * DESCRIPTION
 *	Rows of DKIM-Signature values: good ones with what must come out,
 *	bad ones each with its reason and the Authentication-Results reason
 *	the verifier reports.  Each input is in a heap block of its exact
 *	length; every prefix is parsed as well (no fault, no leak).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"
#include "tap.h"

/* b= and bh= are valid base64 here; verification is not the point. */
#define BH	"bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;"
#define B	"b=dGVzdA==;"
#define BASE	"v=1; a=rsa-sha256; d=example.org; s=sel; h=from:to; " BH " " B

struct sig_case {
	const char *what;
	const char *in;
	const char *error;		/* NULL: must parse */
	const char *reason;		/* the A-R reason for the error */
};

static const struct sig_case bad_cases[] = {
	{"no v= tag", "a=rsa-sha256; d=example.org; s=sel; h=from; " BH B,
	 "missing v= tag", "signature syntax: missing v= tag"},
	{"v=2 is not a version we know", "v=2; a=rsa-sha256; d=example.org; s=sel; h=from; " BH B,
	 "unsupported version", "signature syntax: unsupported version"},
	{"no a= tag", "v=1; d=example.org; s=sel; h=from; " BH B,
	 "missing a= tag", "signature syntax: missing a= tag"},
	{"unknown algorithm", "v=1; a=rsa-sha512; d=example.org; s=sel; h=from; " BH B,
	 "unsupported algorithm", "signature syntax: unsupported algorithm"},
	{"no b= tag", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; " BH,
	 "missing b= tag", "signature syntax: missing b= tag"},
	{"empty b= tag", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; " BH " b=",
	 "bad b= tag", "signature syntax: bad b= tag"},
	{"b= that is not base64", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; " BH " b=abc!",
	 "bad b= tag", "signature syntax: bad b= tag"},
	{"no bh= tag", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; " B,
	 "missing bh= tag", "signature syntax: missing bh= tag"},
	{"bh= that is not base64", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=%%; " B,
	 "bad bh= tag", "signature syntax: bad bh= tag"},
	{"unknown canonicalization", BASE " c=relaxed/strict",
	 "unsupported canonicalization", "signature syntax: unsupported canonicalization"},
	{"FWS inside c= is not allowed", BASE " c=relaxed / relaxed",
	 "unsupported canonicalization", "signature syntax: unsupported canonicalization"},
	{"no d= tag", "v=1; a=rsa-sha256; s=sel; h=from; " BH B,
	 "missing d= tag", "signature syntax: missing d= tag"},
	{"d= with an empty label", "v=1; a=rsa-sha256; d=example..org; s=sel; h=from; " BH B,
	 "bad d= tag", "signature syntax: bad d= tag"},
	{"d= with a trailing dot", "v=1; a=rsa-sha256; d=example.org.; s=sel; h=from; " BH B,
	 "bad d= tag", "signature syntax: bad d= tag"},
	{"d= with a label over 63 octets", "v=1; a=rsa-sha256; d=a234567890123456789012345678901234567890123456789012345678901234.org; s=sel; h=from; " BH B,
	 "bad d= tag", "signature syntax: bad d= tag"},
	{"empty d=", "v=1; a=rsa-sha256; d=; s=sel; h=from; " BH B,
	 "bad d= tag", "signature syntax: bad d= tag"},
	{"no h= tag", "v=1; a=rsa-sha256; d=example.org; s=sel; " BH B,
	 "missing h= tag", "signature syntax: missing h= tag"},
	{"h= without From", "v=1; a=rsa-sha256; d=example.org; s=sel; h=to:subject; " BH B,
	 "h= lacks From", "h= lacks From"},
	{"h= with an empty name", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from::to; " BH B,
	 "bad h= tag", "signature syntax: bad h= tag"},
	{"h= ending in a colon", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from:; " BH B,
	 "bad h= tag", "signature syntax: bad h= tag"},
	{"h= name with a space inside", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from:x y; " BH B,
	 "bad h= tag", "signature syntax: bad h= tag"},
	{"i= without @", BASE " i=example.org", "bad i= tag", "signature syntax: bad i= tag"},
	{"i= in another domain", BASE " i=joe@example.com",
	 "i= not within d=", "i= not within d="},
	{"i= in a domain that only ends like d=", BASE " i=joe@badexample.org",
	 "i= not within d=", "i= not within d="},
	{"i= in a parent of d=", "v=1; a=rsa-sha256; d=mail.example.org; s=sel; h=from; " BH B " i=@example.org",
	 "i= not within d=", "i= not within d="},
	{"l= not a number", BASE " l=12a", "bad l= tag", "signature syntax: bad l= tag"},
	{"l= negative", BASE " l=-1", "bad l= tag", "signature syntax: bad l= tag"},
	{"l= too large to hold", BASE " l=1234567890123456789", "bad l= tag",
	 "signature syntax: bad l= tag"},
	{"q= without dns/txt", BASE " q=http/well-known", "unsupported query method",
	 "signature syntax: unsupported query method"},
	{"no s= tag", "v=1; a=rsa-sha256; d=example.org; h=from; " BH B,
	 "missing s= tag", "signature syntax: missing s= tag"},
	{"s= with a slash", "v=1; a=rsa-sha256; d=example.org; s=a/b; h=from; " BH B,
	 "bad s= tag", "signature syntax: bad s= tag"},
	{"t= not a number", BASE " t=soon", "bad t= tag", "signature syntax: bad t= tag"},
	{"x= not a number", BASE " x=later", "bad x= tag", "signature syntax: bad x= tag"},
	{"x= before t=", BASE " t=1000; x=999", "x= before t=",
	 "signature syntax: x= before t="},
	{"a duplicate tag", BASE " d=example.org", "duplicate tag",
	 "signature syntax: duplicate tag"},
	{"a duplicate b= tag", BASE " b=dGVzdA==", "duplicate tag",
	 "signature syntax: duplicate tag"},
	{"a broken tag list", BASE " ;; x=1", "bad tag list",
	 "signature syntax: bad tag list"},
	{"a value with a control character", BASE " z=a\x01", "bad tag list",
	 "signature syntax: bad tag list"},
};

static void test_bad(void)
{
	size_t	i, cut;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct sig_case *c = &bad_cases[i];
		size_t	len = strlen(c->in);
		char   *in = malloc(len + 1);
		struct dkim_sig sig;
		const char *error = NULL;

		memcpy(in, c->in, len);
		if (tap_int(dkim_sig_parse(in, len, &sig, &error), -1,
			    c->what)) {
			tap_str(error, c->error, "  reason");
			tap_str(dkim_sig_reason(error), c->reason,
				"  Authentication-Results reason");
			tap_ok(sig.domain == NULL && sig.headers == NULL && sig.b == NULL,
			       "  nothing is left allocated");
		} else {
			dkim_sig_free(&sig);
		}
		for (cut = 0; cut < len; cut++)
			if (dkim_sig_parse(in, cut, &sig, &error) == 0)
				dkim_sig_free(&sig);
		free(in);
	}
}

static void test_good(void)
{
	static const char rfc8463[] =
		" v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
		" d=football.example.com; i=@football.example.com;\r\n"
		" q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
		" subject : date : message-id : from : subject : date;\r\n"
		" bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
		" b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
		" Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";
	struct dkim_sig sig;
	const char *error = NULL;
	size_t	off, end;

	if (tap_int(dkim_sig_parse(rfc8463, sizeof(rfc8463) - 1, &sig, &error), 0,
		    "RFC 8463 A.3 ed25519 signature parses")) {
		tap_int(sig.algo, DKIM_ALGO_ED25519_SHA256, "  a=ed25519-sha256");
		tap_int(sig.header_canon, DKIM_CANON_RELAXED, "  c= header relaxed");
		tap_int(sig.body_canon, DKIM_CANON_RELAXED, "  c= body relaxed");
		tap_str(sig.domain, "football.example.com", "  d=");
		tap_str(sig.selector, "brisbane", "  s=");
		tap_str(sig.identity, "@football.example.com", "  i=");
		tap_int((long long) sig.header_count, 8, "  h= has 8 names (FWS around colons)");
		tap_str(sig.headers[4], "message-id", "  h= 5th name");
		tap_int((long long) sig.bh_len, 32, "  bh= is 32 octets");
		tap_int((long long) sig.b_len, 64, "  b= is 64 octets (FWS inside skipped)");
		tap_str(sig.b_text, "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus"
			"Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==", "  b_text without FWS");
		tap_int(sig.timestamp, 1528637909, "  t=");
		tap_int(sig.expire, -1, "  no x=");
		tap_int(sig.body_length, -1, "  no l=");
		dkim_sig_free(&sig);
	}
	tap_ok(dkim_sig_find_b((const unsigned char *) rfc8463, sizeof(rfc8463) - 1,
			       &off, &end) == 0
	       && strncmp(rfc8463 + off - 2, "b=/gCr", 6) == 0
	       && end == sizeof(rfc8463) - 1,
	       "b= value found from after b= to the end (not bh=)");

	if (tap_int(dkim_sig_parse(BASE, strlen(BASE), &sig, &error), 0,
		    "minimal signature parses")) {
		tap_int(sig.header_canon, DKIM_CANON_SIMPLE, "  c= defaults to simple/...");
		tap_int(sig.body_canon, DKIM_CANON_SIMPLE, "  c= defaults to .../simple");
		tap_ok(sig.identity == NULL, "  no i=");
		dkim_sig_free(&sig);
	}
	{
		static const char s[] = BASE " c=Relaxed; x=5; t=5; l=0; q=dns/txt:foo/bar;"
			" z=From:foo|To:bar; unknown=tag; i=\"joe\"@Sub.Example.ORG;";

		if (tap_int(dkim_sig_parse(s, sizeof(s) - 1, &sig, &error), 0,
			    "c=relaxed alone, x= equal to t=, l=0, q= list, z=, unknown tags")) {
			tap_int(sig.header_canon, DKIM_CANON_RELAXED, "  c=Relaxed: header relaxed (case-insensitive)");
			tap_int(sig.body_canon, DKIM_CANON_SIMPLE, "  c=relaxed: body simple");
			tap_int(sig.body_length, 0, "  l=0");
			tap_str(sig.identity, "\"joe\"@Sub.Example.ORG", "  i= as written");
			dkim_sig_free(&sig);
		}
	}
	{
		static const char s[] = "v=1; a=rsa-sha1; d=Example.ORG; s=Sel_1.x; h=From; " BH B;

		if (tap_int(dkim_sig_parse(s, sizeof(s) - 1, &sig, &error), 0,
			    "rsa-sha1 parses (the verifier refuses it by policy)")) {
			tap_int(sig.algo, DKIM_ALGO_RSA_SHA1, "  a=rsa-sha1");
			tap_str(sig.domain, "example.org", "  d= lowercased");
			tap_str(sig.selector, "Sel_1.x", "  s= kept as written");
			tap_str(sig.headers[0], "From", "  h= names as given");
			dkim_sig_free(&sig);
		}
	}
}

static void test_names(void)
{
	const char *error = NULL;

	tap_int(dkim_sig_check_names("example.org", "sel", "@mail.example.org", &error), 0,
		"signer names: i= in a subdomain is fine");
	tap_int(dkim_sig_check_names("example.org", "sel", "a;b@example.org", &error), -1,
		"signer names: ';' in i= is refused");
	tap_int(dkim_sig_check_names("exa mple.org", "sel", NULL, &error), -1,
		"signer names: space in d= is refused");
	tap_int(dkim_sig_check_names("example.org", "se\r\nl", NULL, &error), -1,
		"signer names: CRLF in s= is refused");
}

int main(void)
{
	test_bad();
	test_good();
	test_names();
	return tap_done();
}
