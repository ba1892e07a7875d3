/*
 * NAME
 *	test_addr 1
 * SUMMARY
 *	unit tests for lib/addr
 * DESCRIPTION
 *	Table rows of real-world and RFC example address fields (RFC 5322
 *	appendix A, RFC 2047 section 8), each with the mailboxes expected
 *	or the error.  Every input is copied into a heap block of exactly
 *	its length, so a read past the end shows under ASan and valgrind,
 *	and every row is also parsed at each prefix length, as a reader that
 *	got only part of a field would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealist_limits.h"
#include "addr/addr.h"
#include "buf/buf.h"
#include "tap.h"

struct want {
	const char *display;
	const char *local;
	const char *domain;
	const char *group;
};

struct list_case {
	const char *what;
	const char *in;
	size_t	len;			/* 0: strlen(in) */
	const char *error;		/* NULL: must parse */
	size_t	count;
	size_t	groups;
	struct want a[3];		/* the first three mailboxes */
};

static const struct list_case list_cases[] = {
	/* Plain forms */
	{"bare addr-spec", "john@example.com", 0, NULL, 1, 0,
	 {{"", "john", "example.com", NULL}}},
	{"name-addr with plain phrase", "John Doe <john@example.com>", 0, NULL, 1, 0,
	 {{"John Doe", "john", "example.com", NULL}}},
	{"angle-addr without phrase", "<john@example.com>", 0, NULL, 1, 0,
	 {{"", "john", "example.com", NULL}}},
	{"quoted comma stays inside the display name",
	 "\"Doe, John\" <john@example.com>", 0, NULL, 1, 0,
	 {{"Doe, John", "john", "example.com", NULL}}},
	{"comment after angle-addr does not replace the phrase",
	 "John Doe <john@example.com> (work)", 0, NULL, 1, 0,
	 {{"John Doe", "john", "example.com", NULL}}},
	{"trailing comment is the display name when there is no phrase",
	 "john@example.com (John Doe)", 0, NULL, 1, 0,
	 {{"John Doe", "john", "example.com", NULL}}},
	{"comment after bare angle-addr is the display name",
	 "<john@example.com> (John Doe)", 0, NULL, 1, 0,
	 {{"John Doe", "john", "example.com", NULL}}},
	{"nested comments keep their inner parentheses",
	 "a@b.test (outer (inner) text)", 0, NULL, 1, 0,
	 {{"outer (inner) text", "a", "b.test", NULL}}},
	{"empty comment is skipped for the next one",
	 "a@b.test () (Real Name)", 0, NULL, 1, 0,
	 {{"Real Name", "a", "b.test", NULL}}},
	{"uppercase domain lowercased, local part case kept",
	 "John.Doe@Example.COM", 0, NULL, 1, 0,
	 {{"", "John.Doe", "example.com", NULL}}},
	{"domain literal kept with brackets", "jdoe@[192.0.2.1]", 0, NULL, 1, 0,
	 {{"", "jdoe", "[192.0.2.1]", NULL}}},
	{"IPv6 domain literal", "Ops <ops@[IPv6:2001:DB8::1]>", 0, NULL, 1, 0,
	 {{"Ops", "ops", "[ipv6:2001:db8::1]", NULL}}},
	{"quoted local part keeps its quotes", "\"john doe\"@example.com", 0, NULL, 1, 0,
	 {{"", "\"john doe\"", "example.com", NULL}}},
	{"quoted local part keeps its quoted-pairs", "<\"a\\\"b\"@example.com>", 0, NULL, 1, 0,
	 {{"", "\"a\\\"b\"", "example.com", NULL}}},
	{"plus addressing", "Jane <jane+lists@example.org>", 0, NULL, 1, 0,
	 {{"Jane", "jane+lists", "example.org", NULL}}},
	{"consecutive dots in local part tolerated (mobile carriers)",
	 "john..doe.@docomo.ne.jp", 0, NULL, 1, 0,
	 {{"", "john..doe.", "docomo.ne.jp", NULL}}},

	/* Display names as real mail writes them */
	{"unquoted dots in the phrase (obs-phrase)",
	 "John Q. Public <jqp@example.com>", 0, NULL, 1, 0,
	 {{"John Q. Public", "jqp", "example.com", NULL}}},
	{"trailing dot in the display name", "John Q. Public. <jqp@example.com>", 0, NULL, 1, 0,
	 {{"John Q. Public.", "jqp", "example.com", NULL}}},
	{"address as the display name (lenient)",
	 "john@x.test <john@x.test>", 0, NULL, 1, 0,
	 {{"john@x.test", "john", "x.test", NULL}}},
	{"domain literal looking tag in the phrase", "[SPAM] John <j@x.test>", 0, NULL, 1, 0,
	 {{"[SPAM] John", "j", "x.test", NULL}}},
	{"quoted specials and quoted-pairs in the display name",
	 "\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>", 0, NULL, 1, 0,
	 {{"Giant; \"Big\" Box", "sysservices", "example.net", NULL}}},
	{"quoted and atom words joined with one space",
	 "\"Doe\"   Jane <j@x.test>", 0, NULL, 1, 0,
	 {{"Doe Jane", "j", "x.test", NULL}}},
	{"white space inside quotes collapsed", "\"John   \t Doe \" <j@x.test>", 0, NULL, 1, 0,
	 {{"John Doe", "j", "x.test", NULL}}},
	{"CRLF folding in the phrase", "John\r\n Doe\r\n <j@x.test>", 0, NULL, 1, 0,
	 {{"John Doe", "j", "x.test", NULL}}},
	{"LF-only folding in the phrase", "John\n\tDoe <j@x.test>", 0, NULL, 1, 0,
	 {{"John Doe", "j", "x.test", NULL}}},
	{"control character inside quotes becomes a space",
	 "\"a\001b\" <j@x.test>", 0, NULL, 1, 0,
	 {{"a b", "j", "x.test", NULL}}},
	{"UTF-8 display name kept raw (RFC 6532)",
	 "Jörg Müller <joerg@example.de>", 0, NULL, 1, 0,
	 {{"Jörg Müller", "joerg", "example.de", NULL}}},
	{"UTF-8 local part and domain kept (RFC 6532)",
	 "用户@例子.广告", 0, NULL, 1, 0,
	 {{"", "用户", "例子.广告", NULL}}},
	{"invalid UTF-8 in the display name is passed through",
	 "\xff\xfe <a@b.test>", 0, NULL, 1, 0,
	 {{"\xff\xfe", "a", "b.test", NULL}}},

	/* RFC 2047 encoded words */
	{"UTF-8 B encoded word in the phrase",
	 "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <a@b.c>", 0, NULL, 1, 0,
	 {{"Jörg Müller", "a", "b.c", NULL}}},
	{"RFC 2047 section 8: ISO-8859-1 Q word then an atom",
	 "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", 0, NULL, 1, 0,
	 {{"André Pirard", "PIRARD", "vm1.ulg.ac.be", NULL}}},
	{"adjacent encoded words join without space",
	 "=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?= <x@y.test>", 0, NULL, 1, 0,
	 {{"ab", "x", "y.test", NULL}}},
	{"adjacent encoded words across a fold join without space",
	 "=?ISO-8859-1?Q?a?=\r\n  =?ISO-8859-1?Q?b?= <x@y.test>", 0, NULL, 1, 0,
	 {{"ab", "x", "y.test", NULL}}},
	{"encoded word then atom keeps the space",
	 "=?ISO-8859-1?Q?a?= b <x@y.test>", 0, NULL, 1, 0,
	 {{"a b", "x", "y.test", NULL}}},
	{"comment between encoded words separates them",
	 "=?utf-8?q?a?= (c) =?utf-8?q?b?= <x@y.test>", 0, NULL, 1, 0,
	 {{"a b", "x", "y.test", NULL}}},
	{"encoded word inside quotes is not decoded",
	 "\"=?ISO-8859-1?Q?a?=\" <x@y.test>", 0, NULL, 1, 0,
	 {{"=?ISO-8859-1?Q?a?=", "x", "y.test", NULL}}},
	{"Q underscore is a space", "=?utf-8?q?John_Smith?= <j@s.example>", 0, NULL, 1, 0,
	 {{"John Smith", "j", "s.example", NULL}}},
	{"dots inside Q text still decode (common sender bug)",
	 "=?utf-8?q?John_Q._Public?= <a@b.test>", 0, NULL, 1, 0,
	 {{"John Q. Public", "a", "b.test", NULL}}},
	{"unknown charset keeps the encoded word",
	 "=?x-no-such-charset?q?abc?= <a@b.test>", 0, NULL, 1, 0,
	 {{"=?x-no-such-charset?q?abc?=", "a", "b.test", NULL}}},
	{"bad base64 keeps the encoded word", "=?utf-8?b?!!!?= <a@b.test>", 0, NULL, 1, 0,
	 {{"=?utf-8?b?!!!?=", "a", "b.test", NULL}}},
	{"base64 without padding decodes", "=?utf-8?b?SGk?= <a@b.test>", 0, NULL, 1, 0,
	 {{"Hi", "a", "b.test", NULL}}},
	{"invalid UTF-8 inside an encoded word keeps the word",
	 "=?utf-8?q?=FF?= <a@b.test>", 0, NULL, 1, 0,
	 {{"=?utf-8?q?=FF?=", "a", "b.test", NULL}}},
	{"RFC 2231 language suffix on the charset",
	 "=?utf-8*en?q?Hi?= <a@b.test>", 0, NULL, 1, 0,
	 {{"Hi", "a", "b.test", NULL}}},
	{"stateful charset ISO-2022-JP",
	 "=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?= <a@b.test>", 0, NULL, 1, 0,
	 {{"テスト", "a", "b.test", NULL}}},
	{"decoded CR, LF and NUL become spaces",
	 "=?utf-8?q?a=0D=0Ab=00c?= <a@b.test>", 0, NULL, 1, 0,
	 {{"a b c", "a", "b.test", NULL}}},
	{"encoded word in a trailing comment is decoded",
	 "a@b.test (=?utf-8?q?Caf=C3=A9?=)", 0, NULL, 1, 0,
	 {{"Café", "a", "b.test", NULL}}},

	/* RFC 5322 appendix A */
	{"A.1.2: several mailboxes",
	 "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>", 0, NULL, 3, 0,
	 {{"Mary Smith", "mary", "x.test", NULL}, {"", "jdoe", "example.org", NULL},
	  {"Who?", "one", "y.test", NULL}}},
	{"A.1.2: quoted display name with specials, folded",
	 "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>", 0, NULL, 2, 0,
	 {{"", "boss", "nil.test", NULL}, {"Giant; \"Big\" Box", "sysservices", "example.net", NULL}}},
	{"A.1.3: group with three members",
	 "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;", 0, NULL, 3, 1,
	 {{"Ed Jones", "c", "a.test", "A Group"}, {"", "joe", "where.test", "A Group"},
	  {"John", "jdoe", "one.test", "A Group"}}},
	{"A.1.3: empty group", "Undisclosed recipients:;", 0, NULL, 0, 1, {{0}}},
	{"undisclosed-recipients gives no mailbox and one group",
	 "undisclosed-recipients:;", 0, NULL, 0, 1, {{0}}},
	{"A.5: comments everywhere",
	 "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", 0, NULL, 1, 0,
	 {{"Pete", "pete", "silly.test", NULL}}},
	{"A.5: group with comments and folding",
	 "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
	 "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)",
	 0, NULL, 3, 1,
	 {{"Chris Jones", "c", "public.example", "A Group"},
	  {"", "joe", "example.org", "A Group"}, {"John", "jdoe", "one.test", "A Group"}}},
	{"A.6.1: obs-route in angle brackets",
	 "<@node.test,@node2.test:mary@example.net>", 0, NULL, 1, 0,
	 {{"", "mary", "example.net", NULL}}},
	{"A.6.3: obs-route, empty item, CFWS around a domain dot",
	 "Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example", 0, NULL, 2, 0,
	 {{"Mary Smith", "mary", "example.net", NULL}, {"", "jdoe", "test.example", NULL}}},
	{"A.6.3: obs-local-part with CFWS around dots",
	 "Joe Q. Public <john . q.public @ example.com>", 0, NULL, 1, 0,
	 {{"Joe Q. Public", "john.q.public", "example.com", NULL}}},

	/* Lists and groups */
	{"two addresses are visible as two", "a@b.test, c@d.test", 0, NULL, 2, 0,
	 {{"", "a", "b.test", NULL}, {"", "c", "d.test", NULL}}},
	{"trailing comma tolerated", "a@b.test,", 0, NULL, 1, 0,
	 {{"", "a", "b.test", NULL}}},
	{"empty list items tolerated", ",, a@b.test ,,", 0, NULL, 1, 0,
	 {{"", "a", "b.test", NULL}}},
	{"group missing ';' at the end of the field tolerated",
	 "undisclosed-recipients:", 0, NULL, 0, 1, {{0}}},
	{"group followed by a mailbox outside it",
	 "g: a@b.test;, c@d.test", 0, NULL, 2, 1,
	 {{"", "a", "b.test", "g"}, {"", "c", "d.test", NULL}}},
	{"empty group between mailboxes",
	 "x@y.test, undisclosed:;, z@w.test", 0, NULL, 2, 1,
	 {{"", "x", "y.test", NULL}, {"", "z", "w.test", NULL}}},
	{"encoded word as a group name", "=?utf-8?q?Team?=: a@b.test;", 0, NULL, 1, 1,
	 {{"", "a", "b.test", "Team"}}},

	/* Errors */
	{"empty field has no address", "", 0, "no address", 0, 0, {{0}}},
	{"white space only has no address", " \r\n ", 0, "no address", 0, 0, {{0}}},
	{"comments and commas only have no address", "(nobody) , ,", 0, "no address", 0, 0, {{0}}},
	{"empty angle brackets", "<>", 0, "empty address", 0, 0, {{0}}},
	{"phrase with empty angle brackets", "Mailer <>", 0, "empty address", 0, 0, {{0}}},
	{"no @ in a bare word", "John Doe", 0, "missing @", 0, 0, {{0}}},
	{"no @ in angle brackets", "Postmaster <postmaster>", 0, "missing @", 0, 0, {{0}}},
	{"unquoted comma splits the name from its address",
	 "Doe, John <john@example.com>", 0, "missing @", 0, 0, {{0}}},
	{"missing domain after @", "john@", 0, "missing domain after @", 0, 0, {{0}}},
	{"missing domain in angle brackets", "J <john@>", 0, "missing domain after @", 0, 0, {{0}}},
	{"missing local part", "@example.com", 0, "empty local part", 0, 0, {{0}}},
	{"doubled dot in a domain", "john@ex..com", 0, "domain has an empty label", 0, 0, {{0}}},
	{"trailing dot on a domain", "john@example.com.", 0, "domain has an empty label", 0, 0, {{0}}},
	{"missing closing '>'", "Mary <mary@x.test", 0, "missing '>'", 0, 0, {{0}}},
	{"missing closing '>' after '<'", "Mary <", 0, "missing '>'", 0, 0, {{0}}},
	{"unbalanced quote", "\"John <j@x.test>", 0, "unbalanced quote", 0, 0, {{0}}},
	{"unterminated comment", "j@x.test (John", 0, "unterminated comment", 0, 0, {{0}}},
	{"unterminated nested comment", "j@x.test (a (b)", 0, "unterminated comment", 0, 0, {{0}}},
	{"unbalanced ')' in the phrase", "John) <j@x.test>", 0, "unbalanced parenthesis", 0, 0, {{0}}},
	{"unterminated domain literal", "j@[1.2.3.4", 0, "unterminated domain literal", 0, 0, {{0}}},
	{"text after the address", "John <a@b.test> Smith", 0, "unexpected text after address", 0, 0, {{0}}},
	{"two bare addresses without a comma", "a@b.test c@d.test", 0,
	 "unexpected text after address", 0, 0, {{0}}},
	{"words without angle brackets", "John Doe john@x.test", 0, "invalid local part", 0, 0, {{0}}},
	{"text in angle brackets after the domain", "<a@b.test c>", 0,
	 "unexpected text in angle brackets", 0, 0, {{0}}},
	{"double angle brackets", "<<a@b.test>>", 0, "empty local part", 0, 0, {{0}}},
	{"semicolon as a list separator", "a@b.test; c@d.test", 0, "unexpected ';'", 0, 0, {{0}}},
	{"nested group", "a: b: c@d.test;;", 0, "nested group", 0, 0, {{0}}},
	{"text after a group", "a: c@d.test; x", 0, "unexpected text after group", 0, 0, {{0}}},
	{"broken source route", "<@a.test mary@b.test>", 0, "invalid source route", 0, 0, {{0}}},
	{"control character outside quotes", "Jo\001hn <j@x.test>", 0,
	 "control character in field", 0, 0, {{0}}},
	{"NUL inside the field", "John <j@x.test>\0<k@y.test>", 26, "NUL in field", 0, 0, {{0}}},
	{"NUL inside a quoted string", "\"a\0b\" <j@x.test>", 16, "NUL in field", 0, 0, {{0}}},
};

/* A heap copy of exactly len bytes: reading past it is caught. */
static unsigned char *exact_copy(const void *s, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	if (p != NULL && len > 0)
		memcpy(p, s, len);
	return p;
}

static size_t case_len(const struct list_case *c)
{
	return c->len ? c->len : strlen(c->in);
}

static void test_list_rows(void)
{
	size_t	i;
	size_t	k;

	for (i = 0; i < sizeof(list_cases) / sizeof(list_cases[0]); i++) {
		const struct list_case *c = &list_cases[i];
		size_t	len = case_len(c);
		unsigned char *in = exact_copy(c->in, len);
		struct addr_list l;
		const char *error = NULL;
		int	rc = addr_parse_list(in, len, &l, &error);
		char	what[300];

		if (c->error != NULL) {
			tap_int(rc, -1, c->what);
			tap_str(rc < 0 ? error : NULL, c->error, c->what);
			tap_ok(l.count == 0 && l.items == NULL,
			       "%s: list empty after error", c->what);
		} else if (tap_int(rc, 0, c->what)) {
			snprintf(what, sizeof(what), "%s: count", c->what);
			tap_int((long long) l.count, (long long) c->count, what);
			snprintf(what, sizeof(what), "%s: groups", c->what);
			tap_int((long long) l.groups, (long long) c->groups, what);
			for (k = 0; k < l.count && k < 3; k++) {
				snprintf(what, sizeof(what), "%s: #%zu display", c->what, k);
				tap_str(l.items[k].display, c->a[k].display, what);
				snprintf(what, sizeof(what), "%s: #%zu local", c->what, k);
				tap_str(l.items[k].local, c->a[k].local, what);
				snprintf(what, sizeof(what), "%s: #%zu domain", c->what, k);
				tap_str(l.items[k].domain, c->a[k].domain, what);
				snprintf(what, sizeof(what), "%s: #%zu group", c->what, k);
				tap_str(l.items[k].group, c->a[k].group, what);
			}
		} else {
			tap_diag("error: %s", error ? error : "(none)");
		}
		addr_list_free(&l);
		free(in);
	}
}

/*
 * Every row cut at every length: no fault, and whatever parses has a
 * local part and a domain.
 */
static void test_list_prefixes(void)
{
	size_t	i;
	size_t	n;
	size_t	k;
	size_t	runs = 0;
	int	bad = 0;

	for (i = 0; i < sizeof(list_cases) / sizeof(list_cases[0]); i++) {
		const struct list_case *c = &list_cases[i];
		size_t	len = case_len(c);

		for (n = 0; n <= len; n++) {
			unsigned char *in = exact_copy(c->in, n);
			struct addr_list l;
			const char *error = NULL;

			if (addr_parse_list(in, n, &l, &error) == 0) {
				for (k = 0; k < l.count; k++)
					if (*l.items[k].local == 0 || *l.items[k].domain == 0)
						bad = 1;
			} else if (error == NULL) {
				bad = 1;
			}
			addr_list_free(&l);
			free(in);
			runs++;
		}
	}
	tap_ok(!bad, "%zu prefixes of every row parse or fail cleanly", runs);
}

static void test_list_limits(void)
{
	struct buf b;
	struct addr_list l;
	const char *error = NULL;
	size_t	i;

	buf_init(&b, 2 * LIMIT_ADDRESS_FIELD);
	for (i = 0; i < LIMIT_ADDRESS_COUNT; i++)
		buf_printf(&b, "%sa%zu@b.test", i ? "," : "", i);
	tap_int(addr_parse_list(b.data, b.len, &l, &error), 0,
		"exactly LIMIT_ADDRESS_COUNT addresses parse");
	tap_int((long long) l.count, LIMIT_ADDRESS_COUNT, "all of them are listed");
	addr_list_free(&l);
	buf_append_str(&b, ",x@y.test");
	tap_int(addr_parse_list(b.data, b.len, &l, &error), -1,
		"one address more than LIMIT_ADDRESS_COUNT fails");
	tap_str(error, "too many addresses", "too many addresses: reason");

	buf_reset(&b);
	buf_append_str(&b, "g:");
	for (i = 0; i <= LIMIT_ADDRESS_COUNT; i++)
		buf_printf(&b, "a%zu@b.test,", i);
	buf_append_str(&b, ";");
	tap_int(addr_parse_list(b.data, b.len, &l, &error), -1,
		"too many addresses inside a group fails");
	addr_list_free(&l);

	buf_reset(&b);
	buf_append_str(&b, "a@b.test (");
	while (b.len < LIMIT_ADDRESS_FIELD)
		buf_append_byte(&b, 'x');
	buf_append_str(&b, ")");
	error = NULL;
	tap_int(addr_parse_list(b.data, b.len, &l, &error), -1,
		"field longer than LIMIT_ADDRESS_FIELD fails");
	tap_str(error, "field too long", "field too long: reason");
	buf_truncate(&b, LIMIT_ADDRESS_FIELD - 1);
	buf_append_str(&b, ")");
	tap_int(addr_parse_list(b.data, b.len, &l, &error), 0,
		"field of exactly LIMIT_ADDRESS_FIELD parses");
	addr_list_free(&l);

	buf_reset(&b);
	buf_append_str(&b, "a@");
	for (i = 0; i < 64; i++)
		buf_append_str(&b, "abcd.");
	buf_append_str(&b, "test");
	tap_int(addr_parse_list(b.data, b.len, &l, &error), -1,
		"domain longer than LIMIT_DOMAIN fails");
	tap_str(error, "domain too long", "domain too long: reason");

	buf_reset(&b);
	for (i = 0; i < 20000; i++)
		buf_append_str(&b, "(");
	tap_int(addr_parse_list(b.data, b.len, &l, &error), -1,
		"20000 open parentheses fail without recursion");
	buf_free(&b);

	tap_int(addr_parse_list(NULL, 0, &l, &error), -1, "NULL with length 0 is an empty field");
}

struct spec_case {
	const char *what;
	const char *in;
	const char *error;		/* NULL: valid */
	const char *local;
	const char *domain;
};

static const struct spec_case spec_cases[] = {
	{"simple address", "a@example.net", NULL, "a", "example.net"},
	{"quoted local part with a space", "\"a b\"@example.org", NULL, "\"a b\"", "example.org"},
	{"quoted local part with a quoted-pair", "\"a\\\"b\"@example.org", NULL, "\"a\\\"b\"", "example.org"},
	{"plus addressing", "first.last+tag@example.com", NULL, "first.last+tag", "example.com"},
	{"atext specials in the local part", "o'brien!#$%&*/=?^_`{|}~-@example.com", NULL,
	 "o'brien!#$%&*/=?^_`{|}~-", "example.com"},
	{"uppercase domain lowercased, local part kept", "User@EXAMPLE.Org", NULL, "User", "example.org"},
	{"hyphen inside a label", "x@a-b.example", NULL, "x", "a-b.example"},
	{"digits in labels", "x@123.example", NULL, "x", "123.example"},
	{"IDN UTF-8 domain kept", "user@bücher.example", NULL, "user", "bücher.example"},
	{"UTF-8 local part and domain (RFC 6531)", "用户@例子.广告", NULL, "用户", "例子.广告"},
	{"64-octet local part fits",
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.example", NULL,
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x.example"},
	{"empty input", "", "empty address", NULL, NULL},
	{"no @", "example.net", "missing @", NULL, NULL},
	{"empty local part", "@example.net", "empty local part", NULL, NULL},
	{"empty quoted local part", "\"\"@example.net", "empty local part", NULL, NULL},
	{"65-octet local part",
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.example",
	 "local part longer than 64 octets", NULL, NULL},
	{"empty domain", "a@", "empty domain", NULL, NULL},
	{"label starting with '-'", "a@-x.example", "domain label starts or ends with '-'", NULL, NULL},
	{"label ending with '-'", "a@x-.example", "domain label starts or ends with '-'", NULL, NULL},
	{"space in the local part", "a b@x.example", "invalid character ' ' in local part", NULL, NULL},
	{"angle brackets", "<a@x.example>", "invalid character '<' in local part", NULL, NULL},
	{"display name", "Ann <a@x.example>", "invalid character ' ' in local part", NULL, NULL},
	{"trailing space", "a@x.example ", "invalid character ' ' in domain", NULL, NULL},
	{"underscore in the domain", "a@x_y.example", "invalid character '_' in domain", NULL, NULL},
	{"second @", "a@b@x.example", "invalid character '@' in domain", NULL, NULL},
	{"control character in the local part", "a\001@x.example", "control character in local part", NULL, NULL},
	{"text after the quoted local part", "\"a\"b@x.example", "invalid character in local part", NULL, NULL},
	{"doubled dot in the domain", "a@x..example", "domain has an empty label", NULL, NULL},
	{"trailing dot on the domain", "a@x.example.", "domain has an empty label", NULL, NULL},
	{"leading dot on the domain", "a@.example", "domain has an empty label", NULL, NULL},
	{"single-label domain", "a@localhost", "domain needs a dot", NULL, NULL},
	{"domain literal", "a@[192.0.2.1]", "domain literals are not accepted", NULL, NULL},
	{"numeric top-level domain", "a@192.0.2.1", "top-level domain is numeric", NULL, NULL},
	{"leading dot in the local part", ".a@x.example", "local part starts or ends with '.'", NULL, NULL},
	{"trailing dot in the local part", "a.@x.example", "local part starts or ends with '.'", NULL, NULL},
	{"consecutive dots in the local part", "a..b@x.example", "local part has consecutive dots", NULL, NULL},
	{"unbalanced quote", "\"ab@x.example", "unbalanced quote", NULL, NULL},
	{"invalid UTF-8 in the local part", "a\xff@x.example", "invalid UTF-8 in local part", NULL, NULL},
	{"overlong UTF-8 in the domain", "a@x\xc0\xafy.example", "invalid UTF-8 in domain", NULL, NULL},
	{"64-octet label",
	 "a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
	 "domain label longer than 63 octets", NULL, NULL},
};

static void test_spec_rows(void)
{
	size_t	i;

	for (i = 0; i < sizeof(spec_cases) / sizeof(spec_cases[0]); i++) {
		const struct spec_case *c = &spec_cases[i];
		size_t	len = strlen(c->in);
		char   *in = (char *) exact_copy(c->in, len);
		char   *local = NULL;
		char   *domain = NULL;
		const char *error = NULL;
		int	rc = addr_parse_spec(in, len, &local, &domain, &error);

		if (c->error != NULL) {
			tap_str(rc < 0 ? error : "(accepted)", c->error, c->what);
			tap_ok(local == NULL && domain == NULL, "%s: no results", c->what);
		} else if (tap_int(rc, 0, c->what)) {
			tap_str(local, c->local, c->what);
			tap_str(domain, c->domain, c->what);
		} else {
			tap_diag("error: %s", error);
		}
		free(local);
		free(domain);
		free(in);
	}
}

static void test_spec_limits(void)
{
	struct buf b;
	const char *error = NULL;
	char   *local;
	char   *domain;
	size_t	i;

	buf_init(&b, 1024);
	buf_append_str(&b, "a@");
	for (i = 0; i < 63; i++)
		buf_append_str(&b, "abc.");
	buf_append_str(&b, "test");	/* 2 + 252 + 4 = 258 octets: domain 256 */
	tap_int(addr_parse_spec((char *) b.data, b.len, NULL, NULL, &error), -1,
		"256-octet domain refused");
	tap_str(error, "domain longer than 255 octets", "256-octet domain: reason");
	buf_truncate(&b, b.len - 1);
	tap_int(addr_parse_spec((char *) b.data, b.len, &local, &domain, &error), 0,
		"255-octet domain accepted");
	tap_int(domain ? (long long) strlen(domain) : -1, 255, "255-octet domain returned");
	free(local);
	free(domain);
	tap_int(addr_parse_spec("a@x.example\0", 12, NULL, NULL, &error), -1, "NUL refused");
	tap_str(error, "NUL in address", "NUL: reason");
	buf_free(&b);
}

struct decode_case {
	const char *what;
	const char *in;
	const char *want;
};

static const struct decode_case decode_cases[] = {
	{"plain text unchanged", "Hello  world", "Hello  world"},
	{"empty text", "", ""},
	{"encoded word among words", "Subject =?utf-8?q?caf=C3=A9?= ok", "Subject café ok"},
	{"white space between encoded words dropped", "=?utf-8?q?a?=  \r\n =?utf-8?q?b?=", "ab"},
	{"white space around the edges kept", "  =?utf-8?q?a?=  ", "  a  "},
	{"encoded word not delimited by space left alone", "x=?utf-8?q?a?=", "x=?utf-8?q?a?="},
	{"RFC 2047 section 8: (=?ISO-8859-1?Q?a?= b)", "=?ISO-8859-1?Q?a?= b", "a b"},
	{"RFC 2047 section 8: two words with a space encoded",
	 "=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=", "a b"},
	{"RFC 2047 section 8: base64 ISO-8859-1",
	 "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=", "If you can read this yo"},
	{"question mark in the text is not an encoded word", "=?utf-8?q?a?b?=", "=?utf-8?q?a?b?="},
	{"empty charset is not an encoded word", "=?\?q?a?=", "=?\?q?a?="},
	{"unknown encoding letter", "=?utf-8?x?a?=", "=?utf-8?x?a?="},
	{"bad Q escape", "=?utf-8?q?=G1?=", "=?utf-8?q?=G1?="},
	{"charset with a slash refused", "=?utf-8//IGNORE?q?a?=", "=?utf-8//IGNORE?q?a?="},
	{"empty encoded text decodes to nothing", "a =?utf-8?q?\?= b", "a  b"},
	{"base64 with a stray padding", "=?utf-8?b?SGk=x?=", "=?utf-8?b?SGk=x?="},
	{"base64 of one leftover character", "=?utf-8?b?SGkhQ?=", "=?utf-8?b?SGkhQ?="},
};

static void test_decode_rows(void)
{
	size_t	i;

	for (i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		const struct decode_case *c = &decode_cases[i];
		size_t	len = strlen(c->in);
		unsigned char *in = exact_copy(c->in, len);
		struct buf out;

		buf_init(&out, 4096);
		tap_int(addr_rfc2047_decode(in, len, &out), 0, c->what);
		tap_str(buf_str(&out), c->want, c->what);
		buf_free(&out);
		free(in);
	}
	{
		struct buf out;

		buf_init(&out, 3);
		tap_int(addr_rfc2047_decode("=?utf-8?q?abcd?=", 16, &out), -1,
			"output past the buffer maximum fails");
		buf_free(&out);
	}
}

int main(void)
{
	test_list_rows();
	test_list_prefixes();
	test_list_limits();
	test_spec_rows();
	test_spec_limits();
	test_decode_rows();
	return tap_done();
}
