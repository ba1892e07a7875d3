/*
 * NAME
 *	test_spf 1
 * SUMMARY
 *	unit tests for lib/spf, RFC 7208 section by section
 * DESCRIPTION
 *	Table-driven: record syntax rows (spf_record_check), macro rows
 *	(section 7.4's examples verbatim, then transformers, delimiters,
 *	escapes, exp-only letters), check_host rows against one in-memory
 *	zone (spf_zone) covering record selection (4.5), every mechanism
 *	and CIDR form (5), redirect/include/exp (5.2, 6), the limits
 *	(4.6.4) and DNS errors, and XFORWARD rows.  The openspf suite and
 *	the pyspf cross-check run in tests/e2e/spf.sh.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "spf/spf.h"
#include "sealist_limits.h"
#include "spf/spf_int.h"
#include "spf/spf_zone.h"
#include "tap.h"

/* ---- section 4.5, 4.6, 5, 6, 12: record syntax ---- */
static const struct {
	const char *what, *rec;
	int	ok;
} syntax[] = {
	{ "bare_version", "v=spf1", 1 },
	{ "version_case_insensitive", "V=SpF1 -all", 1 },
	{ "version_needs_space", "v=spf1-all", 0 },
	{ "version_spf10_not_spf1", "v=spf10 -all", 0 },
	{ "trailing_and_double_spaces", "v=spf1  a   -all ", 1 },
	{ "all_with_arg_refused", "v=spf1 all:foo.example", 0 },
	{ "qualifiers_all_four", "v=spf1 +a -mx ~ptr ?all", 1 },
	{ "double_qualifier_refused", "v=spf1 --all", 0 },
	{ "unknown_mechanism_refused", "v=spf1 foo -all", 0 },
	{ "ip4_cidr_range", "v=spf1 ip4:192.0.2.0/24 ip4:0.0.0.0/0", 1 },
	{ "ip4_cidr_33_refused", "v=spf1 ip4:192.0.2.0/33", 0 },
	{ "ip4_cidr_leading_zero_refused", "v=spf1 ip4:192.0.2.0/024", 0 },
	{ "ip4_dual_cidr_refused", "v=spf1 ip4:192.0.2.1//32", 0 },
	{ "ip4_no_address_refused", "v=spf1 ip4", 0 },
	{ "ip4_bad_address_refused", "v=spf1 ip4:192.0.2", 0 },
	{ "ip6_cidr", "v=spf1 ip6:2001:db8::/32 ip6:::1", 1 },
	{ "ip6_cidr_129_refused", "v=spf1 ip6:2001:db8::/129", 0 },
	{ "a_dual_cidr", "v=spf1 a/24//64 a:x.example/30 mx//48", 1 },
	{ "a_cidr_33_refused", "v=spf1 a/33", 0 },
	{ "mx_ip6_cidr_129_refused", "v=spf1 mx//129", 0 },
	{ "a_empty_domain_refused", "v=spf1 a:", 0 },
	{ "a_single_label_refused", "v=spf1 a:museum", 0 },
	{ "a_numeric_toplabel_refused", "v=spf1 a:111.222.33.44", 0 },
	{ "a_toplabel_with_dash", "v=spf1 a:foo.x-1", 1 },
	{ "a_trailing_dot", "v=spf1 a:foo.example.", 1 },
	{ "domain_ending_in_macro", "v=spf1 exists:%{i}.%{l}", 1 },
	{ "include_needs_domain", "v=spf1 include", 0 },
	{ "include_empty_refused", "v=spf1 include:", 0 },
	{ "exists_needs_domain", "v=spf1 exists", 0 },
	{ "ptr_with_cidr_refused", "v=spf1 ptr/24", 0 },
	{ "redirect_and_exp", "v=spf1 redirect=x.example exp=e.example", 1 },
	{ "two_redirects_refused", "v=spf1 redirect=a.example redirect=b.example", 0 },
	{ "two_exps_refused", "v=spf1 exp=a.example exp=b.example", 0 },
	{ "unknown_modifier_ignored", "v=spf1 moo.cow-far_out=man:dog/cat -all", 1 },
	{ "unknown_modifier_twice_ok", "v=spf1 ra=x ra=y -all", 1 },
	{ "modifier_name_with_digit_first_refused", "v=spf1 1up=foo", 0 },
	{ "modifier_bad_macro_refused", "v=spf1 foo=%{z}", 0 },
	{ "macro_bad_letter_refused", "v=spf1 a:%{z}.example", 0 },
	{ "macro_exp_letter_outside_exp_refused", "v=spf1 a:%{c}.example", 0 },
	{ "macro_digit_zero_refused", "v=spf1 a:%{d0}.example", 0 },
	{ "macro_unclosed_refused", "v=spf1 a:%{d.example", 0 },
	{ "percent_alone_refused", "v=spf1 a:50%.example", 0 },
	{ "percent_escapes", "v=spf1 a:x%%y%_z%-w.example", 1 },
	{ "control_octet_refused", "v=spf1 a:ctrl.example\rptr -all", 0 },
	{ "non_ascii_refused", "v=spf1 \x80" "a -all", 0 },
};

static void test_syntax(void)
{
	size_t	i;
	const char *error;

	for (i = 0; i < sizeof(syntax) / sizeof(syntax[0]); i++) {
		int	r = spf_record_check(syntax[i].rec, strlen(syntax[i].rec),
					     &error);

		if (!tap_ok((r == 0) == syntax[i].ok, "syntax %s", syntax[i].what))
			tap_diag("record \"%s\": %s", syntax[i].rec, error);
	}
	/* a record is read to its length, never to a NUL */
	tap_ok(spf_record_check("v=spf1 -all\0garbage", 11, &error) == 0,
	       "syntax length_bounds_the_record");
	tap_ok(spf_record_check("v=spf1 -all\0garbage", 19, &error) < 0,
	       "syntax nul_inside_refused");
}

/* ---- section 7: macros ---- */
static const struct {
	const char *what, *ip, *macro, *want;
	int	exp;
} macros[] = {
	/* RFC 7208 section 7.4, verbatim */
	{ "rfc_s", "192.0.2.3", "%{s}", "strong-bad@email.example.com", 0 },
	{ "rfc_o", "192.0.2.3", "%{o}", "email.example.com", 0 },
	{ "rfc_d", "192.0.2.3", "%{d}", "email.example.com", 0 },
	{ "rfc_d4", "192.0.2.3", "%{d4}", "email.example.com", 0 },
	{ "rfc_d3", "192.0.2.3", "%{d3}", "email.example.com", 0 },
	{ "rfc_d2", "192.0.2.3", "%{d2}", "example.com", 0 },
	{ "rfc_d1", "192.0.2.3", "%{d1}", "com", 0 },
	{ "rfc_dr", "192.0.2.3", "%{dr}", "com.example.email", 0 },
	{ "rfc_d2r", "192.0.2.3", "%{d2r}", "example.email", 0 },
	{ "rfc_l", "192.0.2.3", "%{l}", "strong-bad", 0 },
	{ "rfc_l_dash", "192.0.2.3", "%{l-}", "strong.bad", 0 },
	{ "rfc_lr", "192.0.2.3", "%{lr}", "strong-bad", 0 },
	{ "rfc_lr_dash", "192.0.2.3", "%{lr-}", "bad.strong", 0 },
	{ "rfc_l1r_dash", "192.0.2.3", "%{l1r-}", "strong", 0 },
	{ "rfc_ir_v_spf_d2", "192.0.2.3", "%{ir}.%{v}._spf.%{d2}",
	  "3.2.0.192.in-addr._spf.example.com", 0 },
	{ "rfc_lr_lp_spf_d2", "192.0.2.3", "%{lr-}.lp._spf.%{d2}",
	  "bad.strong.lp._spf.example.com", 0 },
	{ "rfc_lr_lp_ir_v", "192.0.2.3", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
	  "bad.strong.lp.3.2.0.192.in-addr._spf.example.com", 0 },
	{ "rfc_ir_v_l1r", "192.0.2.3", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
	  "3.2.0.192.in-addr.strong.lp._spf.example.com", 0 },
	{ "rfc_d2_trusted", "192.0.2.3", "%{d2}.trusted-domains.example.net",
	  "example.com.trusted-domains.example.net", 0 },
	{ "rfc_ipv6_ir_v", "2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}",
	  "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
	  ".ip6._spf.example.com", 0 },
	/* the rest of section 7 */
	{ "i_ipv4", "192.0.2.3", "%{i}", "192.0.2.3", 0 },
	{ "i_ipv6_nibbles", "2001:db8::cb01", "%{i}",
	  "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1", 0 },
	{ "c_ipv6_exp_only", "2001:db8::cb01", "%{c}", "2001:db8::cb01", 1 },
	{ "v_ipv6", "2001:db8::cb01", "%{v}", "ip6", 0 },
	{ "h_helo", "192.0.2.3", "%{h}", "mx.example.org", 0 },
	{ "r_receiver_exp", "192.0.2.3", "%{r}", "rx.example.net", 1 },
	{ "t_time_exp", "192.0.2.3", "%{t}", "1234567890", 1 },
	{ "upper_url_escapes", "192.0.2.3", "%{S}",
	  "strong-bad%40email.example.com", 0 },
	{ "upper_keeps_unreserved", "192.0.2.3", "%{L}", "strong-bad", 0 },
	{ "percent_escapes", "192.0.2.3", "a%%b%_c%-d", "a%b c%20d", 0 },
	{ "digits_beyond_parts_take_all", "192.0.2.3", "%{d127}",
	  "email.example.com", 0 },
	{ "several_delimiters", "192.0.2.3", "%{l-.}", "strong.bad", 0 },
	{ "delimiters_with_reverse", "192.0.2.3", "%{o2r.-}",
	  "example.email", 0 },
	{ "exp_allows_spaces", "192.0.2.3", "%{i} is bad", "192.0.2.3 is bad", 1 },
};

static void test_macros(void)
{
	size_t	i;

	for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++) {
		struct spf_macro_env env;
		struct in6_addr ip;
		struct buf out;
		const char *error = "ok";

		memset(&env, 0, sizeof(env));
		env.family = strchr(macros[i].ip, ':') ? AF_INET6 : AF_INET;
		inet_pton(env.family, macros[i].ip, &ip);
		env.ip = &ip;
		env.s = "strong-bad@email.example.com";
		env.l = "strong-bad";
		env.o = env.d = "email.example.com";
		env.h = "mx.example.org";
		env.r = "rx.example.net";
		env.t = 1234567890;
		buf_init(&out, LIMIT_SPF_EXPANSION);
		if (spf_macro_expand(&env, macros[i].macro,
				     strlen(macros[i].macro), macros[i].exp,
				     &out, &error) < 0)
			tap_ok(0, "macro %s: %s", macros[i].what, error);
		else
			tap_str(buf_str(&out), macros[i].want, macros[i].what);
		buf_free(&out);
	}
}

/* ---- check_host against one zone ---- */
static const char zone[] =
	/* 4.5 record selection */
	"none.example A 192.0.2.1\n"
	"notspf.example TXT v=spf10 +all\n"
	"notspf.example TXT some other text\n"
	"two.example TXT v=spf1 +all\n"
	"two.example TXT v=spf1 -all\n"
	"upper.example TXT V=SPF1 +all\n"
	"servfail.example SERVFAIL x\n"
	"timeout.example TIMEOUT x\n"
	"syntax.example TXT v=spf1 ip4:192.0.2.1/33 +all\n"
	/* 5.1 all, 5.6 ip4/ip6, qualifiers */
	"all.example TXT v=spf1 ~all\n"
	"ip.example TXT v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all\n"
	"ip0.example TXT v=spf1 -ip4:0.0.0.0/0 +all\n"
	"qual.example TXT v=spf1 ?ip4:192.0.2.3 -ip4:192.0.2.4 ~ip4:192.0.2.5 +ip4:192.0.2.6\n"
	/* 5.3 a, dual CIDR */
	"a.example TXT v=spf1 a a:host.a.example/24 a:v6.a.example//64 -all\n"
	"a.example A 192.0.2.10\n"
	"host.a.example A 198.51.100.1\n"
	"v6.a.example AAAA 2001:db8:1::1\n"
	/* 5.4 mx */
	"mx.example TXT v=spf1 mx/30 -all\n"
	"mx.example MX 10 mail.mx.example\n"
	"mx.example MX 20 .\n"
	"mail.mx.example A 192.0.2.20\n"
	"mail.mx.example AAAA 2001:db8:2::20\n"
	"mx11.example TXT v=spf1 mx -all\n"
	"mx11.example MX 0 m1.example\nmx11.example MX 1 m2.example\n"
	"mx11.example MX 2 m3.example\nmx11.example MX 3 m4.example\n"
	"mx11.example MX 4 m5.example\nmx11.example MX 5 m6.example\n"
	"mx11.example MX 6 m7.example\nmx11.example MX 7 m8.example\n"
	"mx11.example MX 8 m9.example\nmx11.example MX 9 m10.example\n"
	"mx11.example MX 10 m11.example\n"
	"mxerr.example TXT v=spf1 mx:servfail.example -all\n"
	/* 5.5 ptr, %{p} */
	"ptr.example TXT v=spf1 ptr -all\n"
	"3.2.0.192.in-addr.arpa PTR mail.ptr.example\n"
	"3.2.0.192.in-addr.arpa PTR liar.other.example\n"
	"mail.ptr.example A 192.0.2.3\n"
	"liar.other.example A 192.0.2.99\n"
	"ptrother.example TXT v=spf1 ptr:other.example -all\n"
	"pmacro.example TXT v=spf1 -all exp=pexp.example\n"
	"pexp.example TXT host %{p} is not allowed\n"
	/* 5.7 exists */
	"exists.example TXT v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all\n"
	"3.2.0.192.bob._spf.exists.example A 127.0.0.2\n"
	/* 5.2 include and its result table */
	"inc.example TXT v=spf1 include:pass.example include:fail.example -all\n"
	"pass.example TXT v=spf1 ip4:192.0.2.3 -all\n"
	"fail.example TXT v=spf1 -ip4:192.0.2.4 ?all\n"
	"incnone.example TXT v=spf1 include:none.example +all\n"
	"incperm.example TXT v=spf1 include:syntax.example +all\n"
	"inctemp.example TXT v=spf1 include:servfail.example +all\n"
	"incsoft.example TXT v=spf1 include:all.example +all\n"
	/* 6.1 redirect, 6.2 exp */
	"redir.example TXT v=spf1 redirect=ip.example\n"
	"redirall.example TXT v=spf1 ?all redirect=ip.example\n"
	"redirnone.example TXT v=spf1 redirect=none.example\n"
	"redirloop.example TXT v=spf1 redirect=redirloop.example\n"
	"exp.example TXT v=spf1 -all exp=explain.exp.example\n"
	"explain.exp.example TXT %{i} is not one of %{d}'s designated mail servers.\n"
	"expcancel.example TXT v=spf1 exp=explain.exp.example redirect=redirexp.example\n"
	"redirexp.example TXT v=spf1 -all\n"
	"expinc.example TXT v=spf1 include:exp.example -all\n"
	"exptwo.example TXT v=spf1 -all exp=two.example\n"
	"unknownmod.example TXT v=spf1 foo=bar ra=x ra=y +all\n"
	/* 4.6.4 limits */
	"loop.example TXT v=spf1 include:loop.example -all\n"
	"ten.example TXT v=spf1 a:n1.example a:n2.example include:t3.example ?all\n"
	"t3.example TXT v=spf1 mx:n3.example exists:n4.example a:a.example a:n6.example a:n7.example a:n8.example a:n9.example a:n10.example -all\n"
	"eleven.example TXT v=spf1 a:n1.example a:n2.example include:t4.example ?all\n"
	"t4.example TXT v=spf1 mx:n3.example exists:n4.example a:a.example a:n6.example a:n7.example a:n8.example a:n9.example a:n10.example a:n11.example -all\n"
	"n1.example A 10.0.0.1\nn2.example A 10.0.0.1\nn3.example MX 1 n1.example\n"
	"n4.example AAAA ::1\nn6.example A 10.0.0.1\nn7.example A 10.0.0.1\n"
	"n8.example A 10.0.0.1\nn9.example A 10.0.0.1\nn10.example A 10.0.0.1\n"
	"n11.example A 10.0.0.1\n"
	"void2.example TXT v=spf1 a:nx1.example exists:nx2.example +all\n"
	"void3.example TXT v=spf1 a:nx1.example exists:nx2.example mx:nx3.example +all\n"
	"voidptr.example TXT v=spf1 a:nx1.example exists:nx2.example ptr +all\n"
	/* 2.3, 2.4 identities */
	"helo.example TXT v=spf1 ip4:192.0.2.3 -all\n";

static const struct {
	const char *what, *ip, *sender, *helo;
	enum spf_result want;
	const char *mechanism;		/* or NULL: not checked */
	const char *explanation;	/* or NULL: must be none */
} checks[] = {
	/* 4.3, 4.4, 4.5 */
	{ "no_record_is_none", "192.0.2.3", "x@none.example", "h.example", SPF_NONE, NULL, NULL },
	{ "nxdomain_is_none", "192.0.2.3", "x@nowhere.example", "h.example", SPF_NONE, NULL, NULL },
	{ "single_label_is_none", "192.0.2.3", "x@localhost", "h.example", SPF_NONE, NULL, NULL },
	{ "empty_label_is_none", "192.0.2.3", "x@a..example", "h.example", SPF_NONE, NULL, NULL },
	{ "long_label_is_none", "192.0.2.3", "x@a1234567890123456789012345678901234567890123456789012345678901234.example", "h.example", SPF_NONE, NULL, NULL },
	{ "other_txt_ignored_is_none", "192.0.2.3", "x@notspf.example", "h.example", SPF_NONE, NULL, NULL },
	{ "two_records_permerror", "192.0.2.3", "x@two.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "version_any_case", "192.0.2.3", "x@upper.example", "h.example", SPF_PASS, "+all", NULL },
	{ "txt_servfail_temperror", "192.0.2.3", "x@servfail.example", "h.example", SPF_TEMPERROR, NULL, NULL },
	{ "txt_timeout_temperror", "192.0.2.3", "x@timeout.example", "h.example", SPF_TEMPERROR, NULL, NULL },
	{ "syntax_error_anywhere_permerror", "192.0.2.3", "x@syntax.example", "h.example", SPF_PERMERROR, NULL, NULL },
	/* 5.1, 5.6, 4.6.2 qualifiers */
	{ "all_softfail", "192.0.2.3", "x@all.example", "h.example", SPF_SOFTFAIL, "~all", NULL },
	{ "ip4_cidr_pass", "192.0.2.200", "x@ip.example", "h.example", SPF_PASS, "ip4:192.0.2.0/24", NULL },
	{ "ip4_outside_fail", "192.0.3.1", "x@ip.example", "h.example", SPF_FAIL, "-all", NULL },
	{ "ip6_cidr_pass", "2001:db8:ffff::1", "x@ip.example", "h.example", SPF_PASS, "ip6:2001:db8::/32", NULL },
	{ "ip6_outside_fail", "2001:db9::1", "x@ip.example", "h.example", SPF_FAIL, "-all", NULL },
	{ "v4mapped_is_ipv4", "::ffff:192.0.2.7", "x@ip.example", "h.example", SPF_PASS, "ip4:192.0.2.0/24", NULL },
	{ "ip4_slash0_matches_all_v4", "203.0.113.9", "x@ip0.example", "h.example", SPF_FAIL, "-ip4:0.0.0.0/0", NULL },
	{ "ip4_never_matches_v6", "2001:db8::1", "x@ip0.example", "h.example", SPF_PASS, "+all", NULL },
	{ "qualifier_question_neutral", "192.0.2.3", "x@qual.example", "h.example", SPF_NEUTRAL, NULL, NULL },
	{ "qualifier_minus_fail", "192.0.2.4", "x@qual.example", "h.example", SPF_FAIL, NULL, NULL },
	{ "qualifier_tilde_softfail", "192.0.2.5", "x@qual.example", "h.example", SPF_SOFTFAIL, NULL, NULL },
	{ "qualifier_plus_pass", "192.0.2.6", "x@qual.example", "h.example", SPF_PASS, NULL, NULL },
	{ "no_match_default_neutral", "192.0.2.7", "x@qual.example", "h.example", SPF_NEUTRAL, "default", NULL },
	/* 5.3 */
	{ "a_own_domain", "192.0.2.10", "x@a.example", "h.example", SPF_PASS, "a", NULL },
	{ "a_ip4_cidr", "198.51.100.77", "x@a.example", "h.example", SPF_PASS, "a:host.a.example/24", NULL },
	{ "a_ip6_cidr", "2001:db8:1::ffff", "x@a.example", "h.example", SPF_PASS, "a:v6.a.example//64", NULL },
	{ "a_no_match_fail", "198.51.101.1", "x@a.example", "h.example", SPF_FAIL, "-all", NULL },
	/* 5.4 */
	{ "mx_v4_cidr", "192.0.2.22", "x@mx.example", "h.example", SPF_PASS, "mx/30", NULL },
	{ "mx_v4_outside", "192.0.2.24", "x@mx.example", "h.example", SPF_FAIL, NULL, NULL },
	{ "mx_v6_exact", "2001:db8:2::20", "x@mx.example", "h.example", SPF_PASS, NULL, NULL },
	{ "mx_more_than_10_permerror", "192.0.2.1", "x@mx11.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "mx_servfail_temperror", "192.0.2.1", "x@mxerr.example", "h.example", SPF_TEMPERROR, NULL, NULL },
	/* 5.5 */
	{ "ptr_validated_name_pass", "192.0.2.3", "x@ptr.example", "h.example", SPF_PASS, "ptr", NULL },
	{ "ptr_unvalidated_name_no_match", "192.0.2.3", "x@ptrother.example", "h.example", SPF_FAIL, NULL, NULL },
	{ "ptr_no_ptr_record_no_match", "192.0.2.4", "x@ptr.example", "h.example", SPF_FAIL, NULL, NULL },
	{ "p_macro_validated_name", "192.0.2.3", "x@pmacro.example", "h.example", SPF_FAIL, NULL, "host mail.ptr.example is not allowed" },
	{ "p_macro_unknown", "192.0.2.4", "x@pmacro.example", "h.example", SPF_FAIL, NULL, "host unknown is not allowed" },
	/* 5.7 */
	{ "exists_rfc_example", "192.0.2.3", "bob+lists@exists.example", "h.example", SPF_PASS, NULL, NULL },
	{ "exists_no_a_fail", "192.0.2.4", "bob@exists.example", "h.example", SPF_FAIL, NULL, NULL },
	/* 5.2 */
	{ "include_pass_matches", "192.0.2.3", "x@inc.example", "h.example", SPF_PASS, "include:pass.example", NULL },
	{ "include_fail_does_not_match", "192.0.2.4", "x@inc.example", "h.example", SPF_FAIL, "-all", NULL },
	{ "include_none_permerror", "192.0.2.3", "x@incnone.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "include_permerror_permerror", "192.0.2.3", "x@incperm.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "include_temperror_temperror", "192.0.2.3", "x@inctemp.example", "h.example", SPF_TEMPERROR, NULL, NULL },
	{ "include_softfail_no_match", "192.0.2.3", "x@incsoft.example", "h.example", SPF_PASS, "+all", NULL },
	/* 6.1 */
	{ "redirect_followed", "192.0.2.3", "x@redir.example", "h.example", SPF_PASS, "ip4:192.0.2.0/24", NULL },
	{ "redirect_ignored_with_all", "192.0.2.3", "x@redirall.example", "h.example", SPF_NEUTRAL, "?all", NULL },
	{ "redirect_to_none_permerror", "192.0.2.3", "x@redirnone.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "redirect_loop_permerror", "192.0.2.3", "x@redirloop.example", "h.example", SPF_PERMERROR, NULL, NULL },
	/* 6.2 */
	{ "exp_expanded", "192.0.2.3", "x@exp.example", "h.example", SPF_FAIL, "-all", "192.0.2.3 is not one of exp.example's designated mail servers." },
	{ "exp_cancelled_by_redirect", "192.0.2.3", "x@expcancel.example", "h.example", SPF_FAIL, "-all", NULL },
	{ "exp_of_include_unused", "192.0.2.3", "x@expinc.example", "h.example", SPF_FAIL, "-all", NULL },
	{ "exp_two_txt_ignored", "192.0.2.3", "x@exptwo.example", "h.example", SPF_FAIL, "-all", NULL },
	{ "unknown_modifiers_ignored", "192.0.2.3", "x@unknownmod.example", "h.example", SPF_PASS, "+all", NULL },
	/* 4.6.4 */
	{ "include_loop_permerror", "192.0.2.3", "x@loop.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "ten_lookups_allowed", "192.0.2.10", "x@ten.example", "h.example", SPF_PASS, "include:t3.example", NULL },
	{ "eleven_lookups_permerror", "192.0.2.99", "x@eleven.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "two_void_lookups_allowed", "192.0.2.3", "x@void2.example", "h.example", SPF_PASS, "+all", NULL },
	{ "ptr_without_ptr_record_is_void", "192.0.2.4", "x@voidptr.example", "h.example", SPF_PERMERROR, NULL, NULL },
	{ "three_void_lookups_permerror", "192.0.2.3", "x@void3.example", "h.example", SPF_PERMERROR, NULL, NULL },
	/* 2.4: empty MAIL FROM is postmaster@HELO; 4.3 no local-part */
	{ "null_sender_uses_helo", "192.0.2.3", "", "helo.example", SPF_PASS, NULL, NULL },
	{ "null_sender_uses_helo_fail", "192.0.2.4", "", "helo.example", SPF_FAIL, NULL, NULL },
	{ "sender_without_local_part", "192.0.2.3", "@helo.example", "h.example", SPF_PASS, NULL, NULL },
};

static void test_checks(void)
{
	struct spf_zone *z = spf_zone_new();
	struct spf_lookups l;
	size_t	i;

	if (!tap_ok(z != NULL && spf_zone_load(z, zone, sizeof(zone) - 1) == 0,
		    "zone loads"))
		return;
	l = spf_zone_lookups(z);
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct spf_query q;
		struct spf_verdict v;

		memset(&q, 0, sizeof(q));
		q.dns = &l;
		q.sender = checks[i].sender;
		q.helo = checks[i].helo;
		q.receiver = "rx.example.net";
		q.now = 1234567890;
		if (spf_query_set_ip(&q, checks[i].ip) < 0) {
			tap_ok(0, "%s: address", checks[i].what);
			continue;
		}
		spf_check_host(&q, &v);
		if (!tap_str(spf_result_str(v.result),
			     spf_result_str(checks[i].want), checks[i].what))
			tap_diag("reason: %s", v.reason ? v.reason : "-");
		if (checks[i].mechanism != NULL)
			tap_str(v.mechanism, checks[i].mechanism,
				checks[i].what);
		if (checks[i].want == SPF_FAIL)
			tap_str(v.explanation, checks[i].explanation,
				checks[i].what);
		if (v.dns_lookups > 11 || v.void_lookups > 3)
			tap_ok(0, "%s: counters bounded", checks[i].what);
		spf_verdict_free(&v);
	}
	/* counters are reported */
	{
		struct spf_query q;
		struct spf_verdict v;

		memset(&q, 0, sizeof(q));
		q.dns = &l;
		q.sender = "x@void2.example";
		spf_query_set_ip(&q, "192.0.2.3");
		spf_check_host(&q, &v);
		tap_int(v.void_lookups, 2, "void2 counts 2 void lookups");
		tap_int(v.dns_lookups, 2, "void2 counts 2 DNS terms");
		spf_verdict_free(&v);
		/* 2.3 HELO identity */
		q.sender = "x@none.example";
		q.helo = "helo.example";
		spf_check_helo(&q, &v);
		tap_str(spf_result_str(v.result), "pass", "helo identity checked");
		spf_verdict_free(&v);
		q.helo = "[192.0.2.3]";
		spf_check_helo(&q, &v);
		tap_str(spf_result_str(v.result), "none", "helo literal is none");
		spf_verdict_free(&v);
		q.dns = NULL;
		tap_int(spf_check_host(&q, &v), -1, "no DNS table refused");
		spf_verdict_free(&v);
	}
	spf_zone_free(z);
}

/* ---- XFORWARD ---- */
static void test_xforward(void)
{
	struct spf_xforward xf;
	struct spf_query q;
	const char *error;
	char	text[INET6_ADDRSTRLEN];
	const char *l1 = "NAME=mail.example.org ADDR=192.0.2.3 PROTO=ESMTP";
	const char *l2 = "HELO=[UNAVAILABLE] SOURCE=REMOTE FUTURE=x";
	const char *l3 = "ADDR=IPV6:2001:db8::cb01 HELO=h+2Bx.example";

	spf_xforward_init(&xf);
	tap_int(spf_parse_xforward(l1, strlen(l1), &xf, &error), 0,
		"xforward name addr proto");
	tap_str(xf.name, "mail.example.org", "xforward NAME");
	tap_str(xf.proto, "ESMTP", "xforward PROTO");
	tap_int(spf_parse_xforward(l2, strlen(l2), &xf, &error), 0,
		"xforward unavailable and unknown attribute");
	tap_str(xf.helo, "", "xforward [UNAVAILABLE] leaves HELO unset");
	tap_str(xf.source, "REMOTE", "xforward SOURCE");
	memset(&q, 0, sizeof(q));
	spf_xforward_to_query(&xf, &q);
	tap_str(inet_ntop(q.family, &q.ip, text, sizeof(text)), "192.0.2.3",
		"xforward ADDR to query");
	tap_int(spf_parse_xforward(l3, strlen(l3), &xf, &error), 0,
		"xforward IPV6: and xtext");
	tap_str(xf.helo, "h+x.example", "xforward xtext +2B decoded");
	tap_int(xf.family, AF_INET6, "xforward IPV6: address");
	tap_int(spf_parse_xforward("ADDR=::ffff:192.0.2.9", 21, &xf, &error),
		0, "xforward v4-mapped");
	tap_int(xf.family, AF_INET, "xforward v4-mapped is IPv4");
	tap_int(spf_parse_xforward("ADDR=[TEMPUNAVAIL]", 18, &xf, &error), 0,
		"xforward [TEMPUNAVAIL]");
	tap_int(xf.have_addr, 0, "xforward [TEMPUNAVAIL] unsets ADDR");
	tap_int(spf_parse_xforward("ADDR=300.1.1.1", 14, &xf, &error), -1,
		"xforward bad address refused");
	tap_int(spf_parse_xforward("HELO=a+4", 8, &xf, &error), -1,
		"xforward truncated xtext refused");
	tap_int(spf_parse_xforward("HELO=a+00", 9, &xf, &error), -1,
		"xforward NUL in xtext refused");
	tap_int(spf_parse_xforward("NOVALUE", 7, &xf, &error), -1,
		"xforward attribute without = refused");
	tap_int(spf_parse_xforward("NAME=abc", 6, &xf, &error), 0,
		"xforward reads only len octets");
	tap_str(xf.name, "a", "xforward value cut at len");
}

int main(void)
{
	test_syntax();
	test_macros();
	test_checks();
	test_xforward();
	return tap_done();
}
