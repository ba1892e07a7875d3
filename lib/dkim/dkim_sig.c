/*
 * NAME
 *	dkim_sig 3
 * SUMMARY
 *	DKIM-Signature field values (RFC 6376 section 3.5)
 * DESCRIPTION
 *	dkim_sig_parse() checks everything section 6.1.1 asks of a
 *	signature before any DNS lookup is made, so that a malformed
 *	signature costs nothing but this parse.  Errors are short fixed
 *	strings; dkim_sig_reason() turns them into the Authentication-
 *	Results reason ("signature syntax: ...").
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"

enum sig_err {
	E_NOMEM, E_TAGS, E_DUP, E_NO_V, E_VERSION, E_NO_A, E_ALGO, E_NO_B,
	E_B, E_NO_BH, E_BH, E_CANON, E_NO_D, E_D, E_NO_H, E_H, E_H_MANY,
	E_H_FROM, E_I, E_I_D, E_L, E_Q, E_NO_S, E_S, E_T, E_X, E_X_T,
};

static const struct {
	const char *err;
	const char *reason;
} sig_errors[] = {
	[E_NOMEM] = {"out of memory", "out of memory"},
	[E_TAGS] = {"bad tag list", "signature syntax: bad tag list"},
	[E_DUP] = {"duplicate tag", "signature syntax: duplicate tag"},
	[E_NO_V] = {"missing v= tag", "signature syntax: missing v= tag"},
	[E_VERSION] = {"unsupported version", "signature syntax: unsupported version"},
	[E_NO_A] = {"missing a= tag", "signature syntax: missing a= tag"},
	[E_ALGO] = {"unsupported algorithm", "signature syntax: unsupported algorithm"},
	[E_NO_B] = {"missing b= tag", "signature syntax: missing b= tag"},
	[E_B] = {"bad b= tag", "signature syntax: bad b= tag"},
	[E_NO_BH] = {"missing bh= tag", "signature syntax: missing bh= tag"},
	[E_BH] = {"bad bh= tag", "signature syntax: bad bh= tag"},
	[E_CANON] = {"unsupported canonicalization", "signature syntax: unsupported canonicalization"},
	[E_NO_D] = {"missing d= tag", "signature syntax: missing d= tag"},
	[E_D] = {"bad d= tag", "signature syntax: bad d= tag"},
	[E_NO_H] = {"missing h= tag", "signature syntax: missing h= tag"},
	[E_H] = {"bad h= tag", "signature syntax: bad h= tag"},
	[E_H_MANY] = {"too many h= names", "signature syntax: too many h= names"},
	[E_H_FROM] = {"h= lacks From", "h= lacks From"},
	[E_I] = {"bad i= tag", "signature syntax: bad i= tag"},
	[E_I_D] = {"i= not within d=", "i= not within d="},
	[E_L] = {"bad l= tag", "signature syntax: bad l= tag"},
	[E_Q] = {"unsupported query method", "signature syntax: unsupported query method"},
	[E_NO_S] = {"missing s= tag", "signature syntax: missing s= tag"},
	[E_S] = {"bad s= tag", "signature syntax: bad s= tag"},
	[E_T] = {"bad t= tag", "signature syntax: bad t= tag"},
	[E_X] = {"bad x= tag", "signature syntax: bad x= tag"},
	[E_X_T] = {"x= before t=", "signature syntax: x= before t="},
};

const char *dkim_sig_reason(const char *err)
{
	size_t	i;

	for (i = 0; i < sizeof(sig_errors) / sizeof(sig_errors[0]); i++)
		if (err == sig_errors[i].err || strcmp(err, sig_errors[i].err) == 0)
			return sig_errors[i].reason;
	return "signature syntax: bad tag list";
}

/* Tags we read, as bits for duplicate detection. */
static const char *const sig_tags[] = {
	"v", "a", "b", "bh", "c", "d", "h", "i", "l", "q", "s", "t", "x", "z",
};
enum { T_V, T_A, T_B, T_BH, T_C, T_D, T_H, T_I, T_L, T_Q, T_S, T_T, T_X, T_Z,
       T_COUNT };

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char) (c + 32) : c;
}

/*
 * A domain name as d= and s= may hold: labels of letters, digits, "-"
 * (and "_", seen in selectors), 1..63 octets each, 253 in all, no empty
 * label.  Returns a malloc'd copy, lowercased if asked, or NULL.
 */
static char *domain_copy(const unsigned char *p, size_t len, int lowercase,
			 int *bad)
{
	size_t	i, label = 0;
	char   *s;

	*bad = 1;
	if (len == 0 || len > 253)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c == '.') {
			if (label == 0)
				return NULL;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		      || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return NULL;
		if (++label > 63)
			return NULL;
	}
	if (label == 0)
		return NULL;
	*bad = 0;
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		s[i] = (char) (lowercase ? lower(p[i]) : p[i]);
	s[len] = 0;
	return s;
}

/* Unsigned decimal of 1..18 digits (fits a long long); -1 if not. */
static long long decimal(const unsigned char *p, size_t len)
{
	long long v = 0;
	size_t	i;

	if (len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int ieq(const unsigned char *p, size_t len, const char *s)
{
	return dkim_name_eq(p, len, s);
}

static int parse_canon(const unsigned char *p, size_t len, struct dkim_sig *sig)
{
	const unsigned char *slash = memchr(p, '/', len);
	size_t	hl = slash != NULL ? (size_t) (slash - p) : len;

	if (ieq(p, hl, "simple"))
		sig->header_canon = DKIM_CANON_SIMPLE;
	else if (ieq(p, hl, "relaxed"))
		sig->header_canon = DKIM_CANON_RELAXED;
	else
		return -1;
	sig->body_canon = DKIM_CANON_SIMPLE;
	if (slash != NULL) {
		const unsigned char *b = slash + 1;
		size_t	bl = len - hl - 1;

		if (ieq(b, bl, "simple"))
			sig->body_canon = DKIM_CANON_SIMPLE;
		else if (ieq(b, bl, "relaxed"))
			sig->body_canon = DKIM_CANON_RELAXED;
		else
			return -1;
	}
	return 0;
}

/*
 * Walk a colon-separated list with FWS around the entries; call fn on
 * each entry (never empty: an empty entry is an error).  0 or -1.
 */
static int colon_list(const unsigned char *p, size_t len,
		      int (*fn)(void *, const unsigned char *, size_t),
		      void *ctx)
{
	size_t	i = 0;

	for (;;) {
		size_t	start, end;

		while (i < len && DKIM_IS_FWS(p[i]))
			i++;
		start = i;
		while (i < len && p[i] != ':')
			i++;
		end = i;
		while (end > start && DKIM_IS_FWS(p[end - 1]))
			end--;
		if (end == start || fn(ctx, p + start, end - start) < 0)
			return -1;
		if (i == len)
			return 0;
		i++;			/* the ":" */
	}
}

struct h_ctx {
	struct dkim_sig *sig;
	int	too_many;
	int	nomem;
	int	from;
};

static int h_entry(void *vctx, const unsigned char *p, size_t len)
{
	struct h_ctx *ctx = vctx;
	struct dkim_sig *sig = ctx->sig;
	char   *name;
	size_t	i;

	for (i = 0; i < len; i++)	/* ftext, RFC 5322 section 3.6.8 */
		if (p[i] < 33 || p[i] > 126 || p[i] == ':')
			return -1;
	if (sig->header_count >= LIMIT_DKIM_H_NAMES) {
		ctx->too_many = 1;
		return -1;
	}
	if ((name = malloc(len + 1)) == NULL) {
		ctx->nomem = 1;
		return -1;
	}
	memcpy(name, p, len);
	name[len] = 0;
	sig->headers[sig->header_count++] = name;
	if (dkim_name_eq(p, len, "from"))
		ctx->from = 1;
	return 0;
}

static int q_entry(void *vctx, const unsigned char *p, size_t len)
{
	int    *found = vctx;

	if (ieq(p, len, "dns/txt") || ieq(p, len, "dns"))
		*found = 1;
	return 0;
}

static int parse_h(const unsigned char *p, size_t len, struct dkim_sig *sig)
{
	struct h_ctx ctx = {sig, 0, 0, 0};
	size_t	colons = 1, i;

	for (i = 0; i < len; i++)
		if (p[i] == ':')
			colons++;
	if (colons > LIMIT_DKIM_H_NAMES)
		return E_H_MANY;
	if ((sig->headers = calloc(colons, sizeof(*sig->headers))) == NULL)
		return E_NOMEM;
	if (colon_list(p, len, h_entry, &ctx) < 0)
		return ctx.nomem ? E_NOMEM : ctx.too_many ? E_H_MANY : E_H;
	return ctx.from ? -1 : E_H_FROM;
}

/* i= [local-part] "@" domain: the domain must be d= or below it. */
static int check_identity(const char *i, const char *d)
{
	const char *at = strrchr(i, '@');
	size_t	il, dl = strlen(d);
	char   *dom;
	int	bad;

	if (at == NULL)
		return E_I;
	if ((dom = domain_copy((const unsigned char *) at + 1, strlen(at + 1), 1,
			       &bad)) == NULL)
		return bad ? E_I : E_NOMEM;
	il = strlen(dom);
	bad = !(il == dl && strcmp(dom, d) == 0)
		&& !(il > dl && dom[il - dl - 1] == '.'
		     && strcmp(dom + il - dl, d) == 0);
	free(dom);
	return bad ? E_I_D : -1;
}

static int sig_parse(const unsigned char *value, size_t len,
		     struct dkim_sig *sig)
{
	struct dkim_tag_iter it;
	struct dkim_tag tag;
	struct dkim_tag seen[T_COUNT];
	unsigned int have = 0;
	const char *err;
	int	rc, bad, e;

	dkim_tag_init(&it, value, len);
	while ((rc = dkim_tag_next(&it, &tag, &err)) > 0) {
		size_t	k;

		for (k = 0; k < T_COUNT; k++)
			if (dkim_tag_is(&tag, sig_tags[k]))
				break;
		if (k == T_COUNT)
			continue;	/* unknown tags are ignored */
		if (have & (1u << k))
			return E_DUP;
		have |= 1u << k;
		seen[k] = tag;
	}
	if (rc < 0)
		return E_TAGS;

#define HAVE(k)	(have & (1u << (k)))
#define V(k)	seen[k].value, seen[k].value_len
	if (!HAVE(T_V))
		return E_NO_V;
	if (!(seen[T_V].value_len == 1 && seen[T_V].value[0] == '1'))
		return E_VERSION;
	if (!HAVE(T_A))
		return E_NO_A;
	if (ieq(V(T_A), "rsa-sha256"))
		sig->algo = DKIM_ALGO_RSA_SHA256;
	else if (ieq(V(T_A), "ed25519-sha256"))
		sig->algo = DKIM_ALGO_ED25519_SHA256;
	else if (ieq(V(T_A), "rsa-sha1"))
		sig->algo = DKIM_ALGO_RSA_SHA1;
	else
		return E_ALGO;
	if (!HAVE(T_B))
		return E_NO_B;
	if ((sig->b_text = dkim_strip_fws(V(T_B))) == NULL)
		return E_NOMEM;
	if (sig->b_text[0] == 0
	    || (sig->b = dkim_b64_decode(V(T_B), &sig->b_len, &err)) == NULL)
		return sig->b_text[0] != 0 && strcmp(err, "out of memory") == 0
			? E_NOMEM : E_B;
	if (!HAVE(T_BH))
		return E_NO_BH;
	if (seen[T_BH].value_len == 0
	    || (sig->bh = dkim_b64_decode(V(T_BH), &sig->bh_len, &err)) == NULL)
		return seen[T_BH].value_len != 0 && strcmp(err, "out of memory") == 0
			? E_NOMEM : E_BH;
	sig->header_canon = sig->body_canon = DKIM_CANON_SIMPLE;
	if (HAVE(T_C) && parse_canon(V(T_C), sig) < 0)
		return E_CANON;
	if (!HAVE(T_D))
		return E_NO_D;
	if ((sig->domain = domain_copy(V(T_D), 1, &bad)) == NULL)
		return bad ? E_D : E_NOMEM;
	if (!HAVE(T_H))
		return E_NO_H;
	if ((e = parse_h(V(T_H), sig)) >= 0)
		return e;
	if (HAVE(T_I)) {
		if ((sig->identity = dkim_strip_fws(V(T_I))) == NULL)
			return E_NOMEM;
		if ((e = check_identity(sig->identity, sig->domain)) >= 0)
			return e;
	}
	if (HAVE(T_L) && (sig->body_length = decimal(V(T_L))) < 0)
		return E_L;
	if (HAVE(T_Q)) {
		int	found = 0;

		if (colon_list(V(T_Q), q_entry, &found) < 0 || !found)
			return E_Q;
	}
	if (!HAVE(T_S))
		return E_NO_S;
	if ((sig->selector = domain_copy(V(T_S), 0, &bad)) == NULL)
		return bad ? E_S : E_NOMEM;
	if (HAVE(T_T) && (sig->timestamp = decimal(V(T_T))) < 0)
		return E_T;
	if (HAVE(T_X) && (sig->expire = decimal(V(T_X))) < 0)
		return E_X;
	if (sig->timestamp >= 0 && sig->expire >= 0 && sig->expire < sig->timestamp)
		return E_X_T;
#undef HAVE
#undef V
	return -1;
}

static void sig_clear(struct dkim_sig *sig)
{
	memset(sig, 0, sizeof(*sig));
	sig->body_length = sig->timestamp = sig->expire = -1;
}

int dkim_sig_parse(const void *value, size_t len, struct dkim_sig *sig,
		   const char **error_r)
{
	int	e;

	sig_clear(sig);
	if ((e = sig_parse(value, len, sig)) >= 0) {
		dkim_sig_free(sig);
		*error_r = sig_errors[e].err;
		return -1;
	}
	return 0;
}

void dkim_sig_free(struct dkim_sig *sig)
{
	size_t	i;

	for (i = 0; i < sig->header_count; i++)
		free(sig->headers[i]);
	free(sig->headers);
	free(sig->domain);
	free(sig->selector);
	free(sig->identity);
	free(sig->bh);
	free(sig->b);
	free(sig->b_text);
	sig_clear(sig);
}

int dkim_sig_find_b(const unsigned char *value, size_t len, size_t *off,
		    size_t *end)
{
	struct dkim_tag_iter it;
	struct dkim_tag tag;
	const char *err;

	dkim_tag_init(&it, value, len);
	while (dkim_tag_next(&it, &tag, &err) > 0) {
		const unsigned char *s, *e;

		if (!dkim_tag_is(&tag, "b"))
			continue;
		s = tag.value;
		while (s > value && DKIM_IS_FWS(s[-1]))
			s--;
		e = tag.value + tag.value_len;
		while (e < value + len && *e != ';')
			e++;
		*off = (size_t) (s - value);
		*end = (size_t) (e - value);
		return 0;
	}
	return -1;
}

int dkim_sig_check_names(const char *d, const char *s, const char *i,
			 const char **error_r)
{
	char   *copy;
	int	bad, e;

	if (d == NULL || (copy = domain_copy((const unsigned char *) d, strlen(d),
					     1, &bad)) == NULL) {
		*error_r = "bad d= domain";
		return -1;
	}
	e = i != NULL ? check_identity(i, copy) : -1;
	free(copy);
	if (e >= 0) {
		*error_r = e == E_I_D ? "i= not within d=" : "bad i= identity";
		return -1;
	}
	if (i != NULL) {
		const char *p;

		for (p = i; *p != 0; p++)
			if (*p < 0x21 || *p > 0x7e || *p == ';') {
				*error_r = "bad i= identity";
				return -1;
			}
	}
	if (s == NULL || (copy = domain_copy((const unsigned char *) s, strlen(s),
					     0, &bad)) == NULL) {
		*error_r = "bad s= selector";
		return -1;
	}
	free(copy);
	return 0;
}

int dkim_check_names(const char *d, const char *s, const char **error_r)
{
	return dkim_sig_check_names(d, s, NULL, error_r);
}
