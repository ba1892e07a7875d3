/*
 * NAME
 *	spf_record 3
 * SUMMARY
 *	parse one SPF record (RFC 7208 sections 4.5, 4.6, 5, 6, 12)
 * DESCRIPTION
 *	The record is checked whole before anything is evaluated, as section
 *	4.6 asks: any syntax error anywhere is a permerror.  Terms point into
 *	the caller's text (which is not modified and needs no NUL).
 *
 *	A mechanism's CIDR suffix is taken from the end of the term ("/N",
 *	"//N", "/N//M", N without leading zeros); what is left must be a
 *	domain-spec, whose last part must be a macro or "." toplabel.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "sealist_limits.h"
#include "spf/spf_int.h"

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int word_is(const char *p, size_t n, const char *word)
{
	size_t	i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char) p[i]) != word[i])
			return 0;
	return 1;
}

int spf_record_is_spf1(const unsigned char *rec, size_t len)
{
	return len >= 6 && word_is((const char *) rec, 6, "v=spf1")
	    && (len == 6 || rec[6] == ' ');
}

/* toplabel = ( *alphanum ALPHA *alphanum ) /
	      ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static int toplabel_ok(const char *p, size_t n)
{
	size_t	i;
	int	alpha = 0, dash = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (is_alpha(p[i]))
			alpha = 1;
		else if (p[i] == '-')
			dash = 1;
		else if (!is_digit(p[i]))
			return 0;
	}
	if (dash)
		return p[0] != '-' && p[n - 1] != '-';
	return alpha;
}

/* domain-spec = macro-string domain-end */
static int domain_spec_ok(const char *p, size_t n, const char **error_r)
{
	size_t	end, dot;

	if (n == 0) {
		*error_r = "empty domain-spec";
		return -1;
	}
	if (spf_macro_check(p, n, 0, error_r) < 0)
		return -1;
	/* domain-end: a macro-expand, or "." toplabel [ "." ] */
	if (p[n - 1] == '}')
		return 0;	/* checked a macro closes there */
	end = n;
	if (p[end - 1] == '.')
		end--;
	for (dot = end; dot > 0 && p[dot - 1] != '.'; dot--)
		;
	if (dot == 0 || !toplabel_ok(p + dot, end - dot)) {
		*error_r = "domain-spec does not end in a top label";
		return -1;
	}
	/* "%%" or "%_" before the toplabel is a literal and fine. */
	return 0;
}

/* Take a "/N" with 0 <= N <= max, no leading zeros, off the end. */
static int take_cidr(const char *p, size_t *n, int max, int *out)
{
	size_t	i = *n;
	long	v = 0;
	size_t	k;

	while (i > 0 && is_digit(p[i - 1]))
		i--;
	if (i == *n || i == 0 || p[i - 1] != '/')
		return 0;
	if (*n - i > 3 || (p[i] == '0' && *n - i > 1))
		return -1;
	for (k = i; k < *n; k++)
		v = v * 10 + (p[k] - '0');
	if (v > max)
		return -1;
	*out = (int) v;
	*n = i - 1;
	return 1;
}

/* [ ip4-cidr-length ] [ "/" ip6-cidr-length ] from the end of p/n. */
static int dual_cidr(const char *p, size_t *n, struct spf_term *t,
		     const char **error_r)
{
	int	r;
	size_t	save = *n;

	r = take_cidr(p, n, 128, &t->cidr6);
	if (r < 0)
		goto bad;
	if (r > 0) {
		if (*n > 0 && p[*n - 1] == '/') {
			(*n)--;		/* "//N": ip6 */
		} else {
			/* a single "/N" is ip4 */
			*n = save;
			t->cidr6 = 128;
			if (take_cidr(p, n, 32, &t->cidr4) < 0)
				goto bad;
			return 0;
		}
		if (take_cidr(p, n, 32, &t->cidr4) < 0)
			goto bad;
	}
	return 0;
bad:
	*error_r = "bad CIDR length";
	return -1;
}

static int parse_ip(const char *p, size_t n, int family, void *out)
{
	char	tmp[INET6_ADDRSTRLEN + 1];

	if (n == 0 || n >= sizeof(tmp) || memchr(p, '\0', n) != NULL)
		return -1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return inet_pton(family, tmp, out) == 1 ? 0 : -1;
}

static int parse_mechanism(struct spf_term *t, const char *p, size_t n,
			   const char **error_r)
{
	static const struct {
		const char *name;
		enum spf_mech mech;
	} names[] = {
		{ "all", SPF_M_ALL }, { "include", SPF_M_INCLUDE },
		{ "a", SPF_M_A }, { "mx", SPF_M_MX }, { "ptr", SPF_M_PTR },
		{ "ip4", SPF_M_IP4 }, { "ip6", SPF_M_IP6 },
		{ "exists", SPF_M_EXISTS },
	};
	size_t	i, name_len, rest;
	const char *arg;

	t->qualifier = '+';
	if (n > 0 && strchr("+-~?", p[0]) != NULL) {
		t->qualifier = p[0];
		p++;
		n--;
	}
	for (name_len = 0; name_len < n && p[name_len] != ':'
	     && p[name_len] != '/'; name_len++)
		;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (word_is(p, name_len, names[i].name))
			break;
	if (i == sizeof(names) / sizeof(names[0])) {
		*error_r = "unknown mechanism";
		return -1;
	}
	t->mech = names[i].mech;
	t->cidr4 = 32;
	t->cidr6 = 128;
	arg = p + name_len;
	rest = n - name_len;
	switch (t->mech) {
	case SPF_M_ALL:
		if (rest != 0) {
			*error_r = "\"all\" takes no argument";
			return -1;
		}
		return 0;
	case SPF_M_INCLUDE:
	case SPF_M_EXISTS:
		if (rest < 2 || arg[0] != ':') {
			*error_r = "mechanism needs \":domain\"";
			return -1;
		}
		t->arg = arg + 1;
		t->arg_len = rest - 1;
		return domain_spec_ok(t->arg, t->arg_len, error_r);
	case SPF_M_A:
	case SPF_M_MX:
	case SPF_M_PTR:
		if (t->mech != SPF_M_PTR
		    && dual_cidr(arg, &rest, t, error_r) < 0)
			return -1;
		if (rest == 0)
			return 0;
		if (arg[0] != ':' || rest < 2) {
			*error_r = "bad mechanism argument";
			return -1;
		}
		t->arg = arg + 1;
		t->arg_len = rest - 1;
		return domain_spec_ok(t->arg, t->arg_len, error_r);
	case SPF_M_IP4:
	case SPF_M_IP6:
		if (rest < 2 || arg[0] != ':') {
			*error_r = "ip4/ip6 needs an address";
			return -1;
		}
		arg++;
		rest--;
		if (take_cidr(arg, &rest, t->mech == SPF_M_IP4 ? 32 : 128,
			      t->mech == SPF_M_IP4 ? &t->cidr4 : &t->cidr6) < 0
		    || parse_ip(arg, rest, t->mech == SPF_M_IP4 ? AF_INET
				: AF_INET6, &t->net) < 0) {
			*error_r = "bad ip4/ip6 network";
			return -1;
		}
		return 0;
	default:
		break;
	}
	*error_r = "unknown mechanism";
	return -1;
}

static int parse_term(struct spf_record *r, struct spf_term *t,
		      const char *p, size_t n, const char **error_r)
{
	size_t	name_len = 0;

	memset(t, 0, sizeof(*t));
	t->text = p;
	t->text_len = n;
	if (n > 0 && is_alpha(p[0]))
		for (name_len = 1; name_len < n
		     && (is_alpha(p[name_len]) || is_digit(p[name_len])
			 || strchr("-_.", p[name_len]) != NULL); name_len++)
			;
	if (name_len == 0 || name_len == n || p[name_len] != '=')
		return parse_mechanism(t, p, n, error_r);
	t->arg = p + name_len + 1;
	t->arg_len = n - name_len - 1;
	if (word_is(p, name_len, "redirect")) {
		if (r->redirect != NULL) {
			*error_r = "more than one redirect=";
			return -1;
		}
		t->mech = SPF_M_REDIRECT;
		r->redirect = t;
		return domain_spec_ok(t->arg, t->arg_len, error_r);
	}
	if (word_is(p, name_len, "exp")) {
		if (r->exp != NULL) {
			*error_r = "more than one exp=";
			return -1;
		}
		t->mech = SPF_M_EXP;
		r->exp = t;
		return domain_spec_ok(t->arg, t->arg_len, error_r);
	}
	t->mech = SPF_M_UNKNOWN_MOD;	/* ignored, but must be well formed */
	return spf_macro_check(t->arg, t->arg_len, 0, error_r);
}

int spf_record_parse(const char *rec, size_t len, struct spf_record *out,
		     const char **error_r)
{
	size_t	i, start;

	memset(out, 0, sizeof(*out));
	if (len > LIMIT_SPF_RECORD) {
		*error_r = "record too long";
		return -1;
	}
	if (!spf_record_is_spf1((const unsigned char *) rec, len)) {
		*error_r = "not a v=spf1 record";
		return -1;
	}
	for (i = 6; i < len; i++) {
		unsigned char c = (unsigned char) rec[i];

		if (c != ' ' && (c < 0x21 || c > 0x7e)) {
			*error_r = "record has a control or non-ASCII octet";
			return -1;
		}
	}
	if ((out->term = calloc(LIMIT_SPF_TERMS, sizeof(*out->term))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	for (i = 6; i < len;) {
		while (i < len && rec[i] == ' ')
			i++;
		if (i == len)
			break;
		for (start = i; i < len && rec[i] != ' '; i++)
			;
		if (out->count == LIMIT_SPF_TERMS) {
			*error_r = "too many terms";
			goto fail;
		}
		if (parse_term(out, &out->term[out->count], rec + start,
			       i - start, error_r) < 0)
			goto fail;
		if (out->term[out->count].mech == SPF_M_ALL)
			out->has_all = 1;
		out->count++;
	}
	return 0;
fail:
	spf_record_free(out);
	return -1;
}

void spf_record_free(struct spf_record *r)
{
	free(r->term);
	memset(r, 0, sizeof(*r));
}

int spf_record_check(const char *rec, size_t len, const char **error_r)
{
	struct spf_record r;
	const char *dummy;

	if (error_r == NULL)
		error_r = &dummy;
	if (spf_record_parse(rec, len, &r, error_r) < 0)
		return -1;
	spf_record_free(&r);
	*error_r = "ok";
	return 0;
}
