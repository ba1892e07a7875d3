/*
 * NAME
 *	spf_eval 3
 * SUMMARY
 *	check_host() (RFC 7208 sections 4, 5, 6)
 * DESCRIPTION
 *	One evaluation walks the record of the sender's domain, the records
 *	it includes and the one it redirects to, with two counters shared by
 *	all of them: terms that cause DNS lookups (section 4.6.4, at most
 *	LIMIT_SPF_DNS_TERMS; the initial TXT lookup and exp= are not counted)
 *	and void lookups (answers with no records, at most
 *	LIMIT_SPF_VOID_LOOKUPS).  Recursion depth is bounded by the first,
 *	since each include and redirect is counted before it is followed.
 *
 *	Errors: a server failure or timeout is a temperror; no record, or
 *	NXDOMAIN for the domain, is "none"; anything malformed is permerror.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sealist_limits.h"
#include "spf/spf_int.h"

struct eval {
	const struct spf_query *q;
	const struct spf_lookups *dns;
	struct spf_verdict *v;
	int	family;
	const void *ip;
	struct spf_macro_env env;
	unsigned lookups, voids;
	const char *reason;	/* static text for an error */
	struct buf tmp;
	char  **vnames;		/* validated names, for %{p}; looked up */
	int	vcount;		/* once per evaluation (-1: none) */
	int	vdone;
};

/* Internal: a mechanism's outcome. */
#define M_NOMATCH	0
#define M_MATCH		1
#define M_TEMPERROR	(-1)
#define M_PERMERROR	(-2)

const char *spf_result_str(enum spf_result r)
{
	static const char *names[] = {
		"none", "neutral", "pass", "fail", "softfail", "temperror",
		"permerror",
	};

	if ((unsigned) r < sizeof(names) / sizeof(names[0]))
		return names[r];
	return "unknown";
}

static int is_temp(enum dns_status st)
{
	return st != DNS_OK && st != DNS_NXDOMAIN && st != DNS_NODATA;
}

/* Section 4.3: a multi-label name, labels 1-63 octets, at most 253. */
static int domain_ok(const char *d)
{
	size_t	len = strlen(d), label = 0, labels = 0, i;

	if (len > 0 && d[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i == len || d[i] == '.') {
			if (label == 0 || label > 63)
				return 0;
			labels++;
			label = 0;
		} else if ((unsigned char) d[i] <= ' '
			   || (unsigned char) d[i] >= 0x7f || d[i] == '\\') {
			return 0;
		} else {
			label++;
		}
	}
	return labels >= 2;
}

static int count_term(struct eval *e)
{
	if (++e->lookups > LIMIT_SPF_DNS_TERMS) {
		e->reason = "more than 10 DNS-querying terms (RFC 7208 4.6.4)";
		return -1;
	}
	return 0;
}

static int count_void(struct eval *e)
{
	if (++e->voids > LIMIT_SPF_VOID_LOOKUPS) {
		e->reason = "more than 2 void lookups (RFC 7208 4.6.4)";
		return -1;
	}
	return 0;
}

/* Outcome of a lookup that a mechanism needs. */
static int dns_outcome(struct eval *e, enum dns_status st)
{
	if (st == DNS_OK)
		return 1;
	if (is_temp(st)) {
		e->reason = "DNS error during a mechanism";
		return M_TEMPERROR;
	}
	return count_void(e) < 0 ? M_PERMERROR : 0;
}

static int prefix_match(const void *a, const void *b, int bits)
{
	const unsigned char *x = a, *y = b;
	int	full = bits / 8, rest = bits % 8;

	if (memcmp(x, y, (size_t) full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((x[full] ^ y[full]) & (0xff00 >> rest) & 0xff) == 0;
}

/*
 * The target name of a term: its domain-spec expanded (section 7.3:
 * left labels dropped until it fits 253 octets), or the current
 * domain.  Into e->tmp; 0, -1 permerror, 1 unusable name (no match).
 */
static int target(struct eval *e, const struct spf_term *t)
{
	const char *error;
	size_t	off = 0;

	if (t->arg == NULL) {
		buf_reset(&e->tmp);
		buf_append_str(&e->tmp, e->env.d);
	} else if (spf_macro_expand(&e->env, t->arg, t->arg_len, 0,
				    &e->tmp, &error) < 0) {
		e->reason = error;
		return -1;
	}
	if (e->tmp.error != BUF_OK) {
		e->reason = "out of memory";
		return -1;
	}
	if (e->tmp.len > 0 && e->tmp.data[e->tmp.len - 1] == '.')
		buf_truncate(&e->tmp, e->tmp.len - 1);
	while (e->tmp.len - off > 253) {
		const unsigned char *dot = memchr(e->tmp.data + off, '.',
						  e->tmp.len - off);

		if (dot == NULL)
			break;
		off = (size_t) (dot - e->tmp.data) + 1;
	}
	if (off > 0)
		buf_consume(&e->tmp, off);
	return dns_name_valid(buf_str(&e->tmp)) && e->tmp.len > 0 ? 0 : 1;
}

/* Does name (A or AAAA, by the client's family) hold the client? */
static int addr_match(struct eval *e, const char *name, int cidr4,
		      int cidr6, int count_voids)
{
	enum dns_status st;
	size_t	i;
	int	r;

	if (e->family == AF_INET) {
		struct dns_a_answer a;

		st = e->dns->a(e->dns->ctx, name, &a);
		r = count_voids ? dns_outcome(e, st)
		    : is_temp(st) ? M_TEMPERROR : st == DNS_OK;
		for (i = 0; r == 1 && i < a.count; i++)
			if (prefix_match(&a.addr[i], e->ip, cidr4))
				break;
		if (r == 1 && i == a.count)
			r = 0;
		dns_a_answer_free(&a);
	} else {
		struct dns_aaaa_answer a;

		st = e->dns->aaaa(e->dns->ctx, name, &a);
		r = count_voids ? dns_outcome(e, st)
		    : is_temp(st) ? M_TEMPERROR : st == DNS_OK;
		for (i = 0; r == 1 && i < a.count; i++)
			if (prefix_match(&a.addr[i], e->ip, cidr6))
				break;
		if (r == 1 && i == a.count)
			r = 0;
		dns_aaaa_answer_free(&a);
	}
	if (r == M_TEMPERROR)
		e->reason = "DNS error looking up an address";
	return r;
}

/*
 * Validated names of the client (section 5.5): PTR names (the first
 * LIMIT_SPF_PTR_NAMES) whose addresses include the client.  Returns the
 * count (names in *out, free each and the array) or -1 if the PTR
 * lookup gave nothing or failed; *st_r gets the PTR lookup's status.
 */
static int validated_names(struct eval *e, char ***out,
			   enum dns_status *st_r)
{
	char	rev[DNS_REVERSE_NAME_MAX];
	struct dns_ptr_answer p;
	size_t	i;
	int	n = 0;

	*out = NULL;
	*st_r = DNS_ERROR;
	dns_reverse_name(e->family, e->ip, rev);
	if (e->dns->ptr == NULL
	    || (*st_r = e->dns->ptr(e->dns->ctx, rev, &p)) != DNS_OK)
		return -1;
	if ((*out = calloc(p.count, sizeof(**out))) == NULL) {
		dns_ptr_answer_free(&p);
		return -1;
	}
	for (i = 0; i < p.count && i < LIMIT_SPF_PTR_NAMES; i++) {
		if (!dns_name_valid(p.name[i]))
			continue;
		if (addr_match(e, p.name[i], 32, 128, 0) == 1) {
			(*out)[n++] = p.name[i];
			p.name[i] = NULL;
		}
	}
	dns_ptr_answer_free(&p);
	return n;
}

static void free_names(char **names, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* name equals dom or ends in "." dom, ignoring case and a final dot */
static int in_domain(const char *name, const char *dom)
{
	size_t	n = strlen(name), d = strlen(dom);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (d > 0 && dom[d - 1] == '.')
		d--;
	if (n < d || d == 0)
		return 0;
	if (strncasecmp(name + n - d, dom, d) != 0)
		return 0;
	return n == d || name[n - d - 1] == '.';
}

/* %{p}: a validated name in <domain>, else any, else "unknown". */
static int ptr_name(void *arg, struct buf *out)
{
	struct eval *e = arg;
	enum dns_status st;
	int	i, pick = 0;

	if (!e->vdone) {
		e->vdone = 1;
		e->vcount = validated_names(e, &e->vnames, &st);
	}
	if (e->vcount <= 0)
		return -1;
	for (i = 0; i < e->vcount; i++)
		if (in_domain(e->vnames[i], e->env.d)) {
			pick = i;
			break;
		}
	buf_append_str(out, e->vnames[pick]);
	if (out->len > 0 && out->data[out->len - 1] == '.')
		buf_truncate(out, out->len - 1);
	return 0;
}

static enum spf_result check_host(struct eval *e, const char *domain,
				  int in_include);

static int mechanism(struct eval *e, const struct spf_term *t)
{
	int	r;
	size_t	i;

	switch (t->mech) {
	case SPF_M_ALL:
		return M_MATCH;
	case SPF_M_IP4:
		return e->family == AF_INET
		    && prefix_match(&t->net, e->ip, t->cidr4);
	case SPF_M_IP6:
		return e->family == AF_INET6
		    && prefix_match(&t->net, e->ip, t->cidr6);
	default:
		break;
	}
	if (count_term(e) < 0)
		return M_PERMERROR;
	if ((r = target(e, t)) < 0)
		return M_PERMERROR;
	if (r > 0 && t->mech != SPF_M_INCLUDE)
		return M_NOMATCH;	/* a name DNS cannot ask: nothing */
	switch (t->mech) {
	case SPF_M_INCLUDE: {
		char   *name = r > 0 ? strdup("") : strdup(buf_str(&e->tmp));
		const char *saved = e->env.d;
		enum spf_result res;

		if (name == NULL) {
			e->reason = "out of memory";
			return M_PERMERROR;
		}
		res = check_host(e, name, 1);
		e->env.d = saved;
		free(name);
		switch (res) {
		case SPF_PASS:
			return M_MATCH;
		case SPF_FAIL:
		case SPF_SOFTFAIL:
		case SPF_NEUTRAL:
			return M_NOMATCH;
		case SPF_TEMPERROR:
			return M_TEMPERROR;
		case SPF_NONE:
			e->reason = "include: domain has no SPF record";
			return M_PERMERROR;
		default:
			return M_PERMERROR;
		}
	}
	case SPF_M_A:
		return addr_match(e, buf_str(&e->tmp), t->cidr4, t->cidr6, 1);
	case SPF_M_EXISTS: {
		struct dns_a_answer a;

		r = dns_outcome(e, e->dns->a(e->dns->ctx, buf_str(&e->tmp),
					      &a));
		dns_a_answer_free(&a);
		return r;
	}
	case SPF_M_MX: {
		struct dns_mx_answer mx;

		r = dns_outcome(e, e->dns->mx(e->dns->ctx, buf_str(&e->tmp),
					       &mx));
		if (r == 1 && mx.count > LIMIT_SPF_MX_NAMES) {
			e->reason = "more than 10 MX names (RFC 7208 4.6.4)";
			r = M_PERMERROR;
		}
		for (i = 0; r == 1 && i < mx.count; i++) {
			int	m;

			if (!dns_name_valid(mx.mx[i].exchange)
			    || strcmp(mx.mx[i].exchange, ".") == 0)
				continue;
			m = addr_match(e, mx.mx[i].exchange, t->cidr4,
				       t->cidr6, 0);
			if (m != 0) {
				r = m == 1 ? M_MATCH : m;
				break;
			}
		}
		if (r == 1 && i == mx.count)
			r = M_NOMATCH;
		dns_mx_answer_free(&mx);
		return r;
	}
	case SPF_M_PTR: {
		char  **names;
		char   *want = strdup(buf_str(&e->tmp));
		enum dns_status st;
		int	n;

		if (want == NULL) {
			e->reason = "out of memory";
			return M_PERMERROR;
		}
		n = validated_names(e, &names, &st);
		/* 5.5: a DNS error fails to match; no PTR is a void lookup */
		r = M_NOMATCH;
		if ((st == DNS_NXDOMAIN || st == DNS_NODATA)
		    && count_void(e) < 0)
			r = M_PERMERROR;
		for (i = 0; r == M_NOMATCH && n > 0 && i < (size_t) n; i++)
			if (in_domain(names[i], want))
				r = M_MATCH;
		free_names(names, n < 0 ? 0 : n);
		free(want);
		return r;
	}
	default:
		break;
	}
	return M_PERMERROR;
}

static char *dup_mem(const char *p, size_t n)
{
	char   *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* Section 6.2: the explanation for a fail, or NULL. */
static char *explanation(struct eval *e, const struct spf_term *exp)
{
	struct dns_txt_answer txt;
	const char *error;
	char   *out = NULL;

	if (target(e, exp) != 0)
		return NULL;
	if (e->dns->txt(e->dns->ctx, buf_str(&e->tmp), &txt) != DNS_OK)
		return NULL;
	if (txt.count == 1 && txt.txt[0].len <= LIMIT_SPF_RECORD
	    && memchr(txt.txt[0].data, '\0', txt.txt[0].len) == NULL
	    && spf_macro_expand(&e->env, (const char *) txt.txt[0].data,
				txt.txt[0].len, 1, &e->tmp, &error) == 0)
		out = dup_mem((const char *) e->tmp.data, e->tmp.len);
	dns_txt_answer_free(&txt);
	return out;
}

static void set_str(char **field, const char *p, size_t n)
{
	free(*field);
	*field = dup_mem(p, n);
}

static enum spf_result check_host(struct eval *e, const char *domain,
				  int in_include)
{
	struct dns_txt_answer txt;
	struct spf_record rec;
	enum dns_status st;
	const char *error;
	const struct dns_txt *chosen = NULL;
	enum spf_result res = SPF_NEUTRAL;
	size_t	i;
	int	m = M_NOMATCH;

	if (!domain_ok(domain)) {
		e->reason = "domain is malformed or not multi-label";
		return SPF_NONE;
	}
	st = e->dns->txt(e->dns->ctx, domain, &txt);
	if (is_temp(st)) {
		e->reason = "DNS error looking up the SPF record";
		return SPF_TEMPERROR;
	}
	for (i = 0; i < txt.count; i++) {
		if (!spf_record_is_spf1(txt.txt[i].data, txt.txt[i].len))
			continue;
		if (chosen != NULL) {
			dns_txt_answer_free(&txt);
			e->reason = "more than one v=spf1 record (RFC 7208 4.5)";
			return SPF_PERMERROR;
		}
		chosen = &txt.txt[i];
	}
	if (chosen == NULL) {
		dns_txt_answer_free(&txt);
		e->reason = "no SPF record";
		return SPF_NONE;
	}
	if (spf_record_parse((const char *) chosen->data, chosen->len, &rec,
			     &error) < 0) {
		dns_txt_answer_free(&txt);
		e->reason = error;
		return SPF_PERMERROR;
	}
	e->env.d = domain;
	for (i = 0; i < rec.count; i++) {
		const struct spf_term *t = &rec.term[i];

		if (t->mech >= SPF_M_REDIRECT)
			continue;
		if ((m = mechanism(e, t)) != M_NOMATCH)
			break;
	}
	e->env.d = domain;
	if (m == M_TEMPERROR) {
		res = SPF_TEMPERROR;
	} else if (m == M_PERMERROR) {
		res = SPF_PERMERROR;
	} else if (m == M_MATCH) {
		const struct spf_term *t = &rec.term[i];

		res = t->qualifier == '-' ? SPF_FAIL : t->qualifier == '~'
		    ? SPF_SOFTFAIL : t->qualifier == '?' ? SPF_NEUTRAL
		    : SPF_PASS;
		if (!in_include) {
			set_str(&e->v->mechanism, t->text, t->text_len);
			set_str(&e->v->domain, domain, strlen(domain));
			e->reason = "matched";
			if (res == SPF_FAIL && rec.exp != NULL)
				e->v->explanation = explanation(e, rec.exp);
		}
	} else if (rec.redirect != NULL && !rec.has_all) {
		char   *name = NULL;
		int	r;

		if (count_term(e) < 0) {
			res = SPF_PERMERROR;
		} else if ((r = target(e, rec.redirect)) < 0) {
			res = SPF_PERMERROR;
		} else if ((name = strdup(r > 0 ? "" : buf_str(&e->tmp)))
			   == NULL) {
			e->reason = "out of memory";
			res = SPF_PERMERROR;
		} else {
			res = check_host(e, name, in_include);
			if (res == SPF_NONE) {
				e->reason = "redirect= domain has no SPF record";
				res = SPF_PERMERROR;
			}
		}
		free(name);
		e->env.d = domain;
	} else if (!in_include) {
		set_str(&e->v->mechanism, "default", 7);
		set_str(&e->v->domain, domain, strlen(domain));
		e->reason = "no mechanism matched";
	}
	spf_record_free(&rec);
	dns_txt_answer_free(&txt);
	return res;
}

static int run(const struct spf_query *q, const char *sender,
	       struct spf_verdict *v)
{
	struct eval e;
	struct buf s;
	const char *at;
	char   *local = NULL, *dom = NULL;
	enum spf_result res;
	struct in_addr mapped;

	memset(v, 0, sizeof(*v));
	memset(&e, 0, sizeof(e));
	e.q = q;
	e.v = v;
	e.dns = q->dns;
	e.family = q->family;
	e.ip = &q->ip;
	if (q->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&q->ip.v6)) {
		memcpy(&mapped, q->ip.v6.s6_addr + 12, 4);
		e.family = AF_INET;
		e.ip = &mapped;
	}
	if (e.dns == NULL || e.dns->txt == NULL || e.dns->a == NULL
	    || e.dns->aaaa == NULL || e.dns->mx == NULL
	    || (e.family != AF_INET && e.family != AF_INET6)) {
		v->result = SPF_PERMERROR;
		v->reason = strdup("unusable query (no DNS table or address)");
		return -1;
	}
	buf_init(&s, LIMIT_SPF_EXPANSION);
	buf_init(&e.tmp, LIMIT_SPF_EXPANSION);
	/* section 4.3: no local-part means "postmaster" */
	if (sender == NULL || *sender == '\0') {
		buf_printf(&s, "postmaster@%s", q->helo ? q->helo : "");
	} else if ((at = strrchr(sender, '@')) == NULL) {
		buf_printf(&s, "postmaster@%s", sender);
	} else if (at == sender) {
		buf_printf(&s, "postmaster%s", sender);
	} else {
		buf_append_str(&s, sender);
	}
	at = strrchr(buf_str(&s), '@');
	local = dup_mem(buf_str(&s), (size_t) (at - buf_str(&s)));
	dom = strdup(at + 1);
	if (s.error != BUF_OK || local == NULL || dom == NULL) {
		res = SPF_TEMPERROR;
		e.reason = "out of memory or sender too long";
		goto done;
	}
	e.env.s = buf_str(&s);
	e.env.l = local;
	e.env.o = dom;
	e.env.d = dom;
	e.env.h = q->helo ? q->helo : "unknown";
	e.env.r = q->receiver ? q->receiver : "unknown";
	e.env.family = e.family;
	e.env.ip = e.ip;
	e.env.t = q->now;
	e.env.ptr_name = ptr_name;
	e.env.ptr_arg = &e;
	res = check_host(&e, dom, 0);
done:
	v->result = res;
	v->dns_lookups = e.lookups;
	v->void_lookups = e.voids;
	if (v->domain == NULL && dom != NULL)
		v->domain = strdup(dom);
	v->reason = strdup(e.reason ? e.reason : spf_result_str(res));
	free_names(e.vnames, e.vcount < 0 ? 0 : e.vcount);
	buf_free(&e.tmp);
	buf_free(&s);
	free(local);
	free(dom);
	return (int) res;
}

int spf_check_host(const struct spf_query *q, struct spf_verdict *out)
{
	return run(q, q->sender, out);
}

int spf_check_helo(const struct spf_query *q, struct spf_verdict *out)
{
	struct in6_addr tmp;
	const char *h = q->helo;

	if (h == NULL || *h == '\0' || h[0] == '['
	    || inet_pton(AF_INET, h, &tmp) == 1
	    || inet_pton(AF_INET6, h, &tmp) == 1) {
		memset(out, 0, sizeof(*out));
		out->result = SPF_NONE;
		out->reason = strdup("HELO is not a domain name");
		return SPF_NONE;
	}
	return run(q, NULL, out);
}

void spf_verdict_free(struct spf_verdict *v)
{
	free(v->domain);
	free(v->mechanism);
	free(v->reason);
	free(v->explanation);
	memset(v, 0, sizeof(*v));
}

int spf_query_set_ip(struct spf_query *q, const char *text)
{
	if (inet_pton(AF_INET, text, &q->ip.v4) == 1) {
		q->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, &q->ip.v6) == 1) {
		q->family = AF_INET6;
		if (IN6_IS_ADDR_V4MAPPED(&q->ip.v6)) {
			struct in_addr v4;

			memcpy(&v4, q->ip.v6.s6_addr + 12, 4);
			q->ip.v4 = v4;
			q->family = AF_INET;
		}
		return 0;
	}
	return -1;
}
