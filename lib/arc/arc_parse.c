/*
 * NAME
 *	arc_parse 3
 * SUMMARY
 *	ARC field values: AAR instance, AMS and AS tag lists (RFC 8617 4.1)
 * DESCRIPTION
 *	The AMS is a DKIM-Signature without v= whose i= is an instance
 *	number; the AS has no h= and no bh= and adds cv=.  Both are parsed
 *	here from the tag list (lib/dkim's iterator) into a struct dkim_sig,
 *	so that lib/dkim verifies them with its own code.  Everything that
 *	section 6.1.1 of RFC 6376 checks before a key lookup is checked
 *	here, so a malformed field costs no DNS query.
 *
 *	Tag values are taken as written (the iterator removes only the FWS
 *	around them): FWS inside a number, a domain or a name is an error,
 *	as the ARC test suite expects ("t=1 2345").  Names and values are
 *	case-sensitive (RFC 6376 section 3.2), so "A=" is an unknown tag and
 *	"a=RSA-SHA256" an unknown algorithm.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arc/arc.h"
#include "sealist_limits.h"

const char *arc_cv_str(enum arc_cv cv)
{
	switch (cv) {
	case ARC_CV_NONE:
		return "none";
	case ARC_CV_PASS:
		return "pass";
	case ARC_CV_FAIL:
		return "fail";
	}
	return "fail";
}

static int ci_eq(const void *a, size_t alen, const char *b)
{
	const unsigned char *p = a;
	size_t	i;

	if (alen != strlen(b))
		return 0;
	for (i = 0; i < alen; i++) {
		unsigned char c = p[i], d = (unsigned char) b[i];

		if ((c >= 'A' && c <= 'Z' ? c + 32 : c)
		    != (d >= 'A' && d <= 'Z' ? d + 32 : d))
			return 0;
	}
	return 1;
}

static int exact(const unsigned char *p, size_t len, const char *s)
{
	return len == strlen(s) && memcmp(p, s, len) == 0;
}

int arc_field_kind(const char *name, size_t len, enum arc_kind *kind_r)
{
	if (name == NULL)
		return -1;
	if (ci_eq(name, len, "ARC-Authentication-Results"))
		*kind_r = ARC_AAR;
	else if (ci_eq(name, len, "ARC-Message-Signature"))
		*kind_r = ARC_AMS;
	else if (ci_eq(name, len, "ARC-Seal"))
		*kind_r = ARC_AS;
	else
		return -1;
	return 0;
}

/* 1*DIGIT, at most maxdig digits; -1 otherwise. */
static long long number(const unsigned char *p, size_t len, size_t maxdig)
{
	long long v = 0;
	size_t	i;

	if (len == 0 || len > maxdig)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* An instance value: 1..LIMIT_ARC_INSTANCES, or -1. */
static int instance_value(const unsigned char *p, size_t len)
{
	long long v = number(p, len, 3);

	return v >= 1 && v <= LIMIT_ARC_INSTANCES ? (int) v : -1;
}

#define IS_FWS(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

int arc_aar_instance(const void *value, size_t len, const char **error_r)
{
	const unsigned char *p = value, *end = p + len, *d;
	int	i;

	if (len > LIMIT_DKIM_TAG_LIST) {
		*error_r = "AAR too long";
		return -1;
	}
	while (p < end && IS_FWS(*p))
		p++;
	if (p == end || *p != 'i') {
		*error_r = "AAR does not start with i=";
		return -1;
	}
	p++;
	while (p < end && IS_FWS(*p))
		p++;
	if (p == end || *p != '=') {
		*error_r = "AAR does not start with i=";
		return -1;
	}
	p++;
	while (p < end && IS_FWS(*p))
		p++;
	for (d = p; p < end && *p >= '0' && *p <= '9'; p++)
		;
	if ((i = instance_value(d, (size_t) (p - d))) < 0) {
		*error_r = "AAR instance not in 1..50";
		return -1;
	}
	while (p < end && IS_FWS(*p))
		p++;
	if (p == end || *p != ';') {
		*error_r = "AAR instance not followed by \";\"";
		return -1;
	}
	return i;
}

/* Tags read; bits for duplicate detection. */
static const char *const arc_tags[] = {
	"a", "b", "bh", "c", "cv", "d", "h", "i", "l", "s", "t", "x",
};
enum { T_A, T_B, T_BH, T_C, T_CV, T_D, T_H, T_I, T_L, T_S, T_T, T_X,
       T_COUNT };

static char *copy(const unsigned char *p, size_t len)
{
	char   *s = malloc(len + 1);

	if (s != NULL) {
		memcpy(s, p, len);
		s[len] = 0;
	}
	return s;
}

/*
 * h=: field names separated by ":" with FWS around them.  RFC 6376's
 * ABNF wants at least one name and no empty ones; an empty h= and empty
 * entries ("from::to") are accepted here and select no field, as dkimpy
 * does and the ARC test suite expects (ams_fields_h_empty,
 * ams_fields_h_mis_hdr): an entry that selects nothing signs nothing,
 * so leniency costs no security.
 */
static const char *parse_h(const unsigned char *p, size_t len,
			   struct dkim_sig *sig)
{
	size_t	n = 1, i, start;

	for (i = 0; i < len; i++)
		if (p[i] == ':')
			n++;
	if (n > LIMIT_DKIM_H_NAMES)
		return "too many h= names";
	if ((sig->headers = calloc(n, sizeof(*sig->headers))) == NULL)
		return "out of memory";
	if (len == 0)
		return NULL;		/* h= empty: no field signed */
	for (start = 0; start <= len;) {
		size_t	e = start, a, b;

		while (e < len && p[e] != ':')
			e++;
		a = start;
		b = e;
		while (a < b && IS_FWS(p[a]))
			a++;
		while (b > a && IS_FWS(p[b - 1]))
			b--;
		start = e + 1;
		if (a == b)
			continue;	/* "from::to": see the header comment */
		for (i = a; i < b; i++)
			if (p[i] < 33 || p[i] > 126)
				return "bad h= tag";
		/* RFC 8617 section 4.1.2: ARC fields MUST NOT be signed by an
		   AMS.  A signed AS is refused, as dkimpy and the ARC test
		   suite do; a signed AAR or AMS is tolerated because early
		   sealers signed their own AAR (the suite's chains do). */
		if (b - a == 8 && strncasecmp((const char *) p + a, "ARC-Seal", 8) == 0)
			return "h= names ARC-Seal";
		if ((sig->headers[sig->header_count] = copy(p + a, b - a)) == NULL)
			return "out of memory";
		sig->header_count++;
	}
	return NULL;
}

static const char *parse_c(const unsigned char *p, size_t len,
			   struct dkim_sig *sig)
{
	const unsigned char *slash = memchr(p, '/', len);
	size_t	hl = slash != NULL ? (size_t) (slash - p) : len;

	if (exact(p, hl, "simple"))
		sig->header_canon = DKIM_CANON_SIMPLE;
	else if (exact(p, hl, "relaxed"))
		sig->header_canon = DKIM_CANON_RELAXED;
	else
		return "bad c= tag";
	if (slash == NULL)
		sig->body_canon = DKIM_CANON_SIMPLE;
	else if (exact(slash + 1, len - hl - 1, "simple"))
		sig->body_canon = DKIM_CANON_SIMPLE;
	else if (exact(slash + 1, len - hl - 1, "relaxed"))
		sig->body_canon = DKIM_CANON_RELAXED;
	else
		return "bad c= tag";
	return NULL;
}

/* d= or s=: copied as written (d= lowercased), then DKIM's syntax check. */
static const char *parse_name(const unsigned char *p, size_t len, int lower,
			      char **out)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (IS_FWS(p[i]))
			return "bad d= or s= tag";
	if (len == 0)
		return "empty d= or s= tag";
	if ((*out = copy(p, len)) == NULL)
		return "out of memory";
	if (lower)
		for (i = 0; i < len; i++)
			if ((*out)[i] >= 'A' && (*out)[i] <= 'Z')
				(*out)[i] = (char) ((*out)[i] + 32);
	return NULL;
}

static const char *parse_b64(const unsigned char *p, size_t len,
			     unsigned char **out, size_t *out_len)
{
	const char *err;

	if ((*out = dkim_base64_decode(p, len, out_len, &err)) == NULL)
		return err;
	if (*out_len == 0)
		return "empty b= or bh= tag";
	return NULL;
}

static const char *parse_tags(enum arc_kind kind, const unsigned char *value,
			      size_t len, struct arc_sig *as)
{
	struct dkim_sig *sig = &as->sig;
	struct dkim_tag_iter it;
	struct dkim_tag tag, seen[T_COUNT];
	unsigned int have = 0;
	const char *err;
	size_t	k;
	int	rc;

	dkim_tag_init(&it, value, len);
	while ((rc = dkim_tag_next(&it, &tag, &err)) > 0) {
		for (k = 0; k < T_COUNT; k++)
			if (exact(tag.name, tag.name_len, arc_tags[k]))
				break;
		if (k == T_COUNT)
			continue;	/* unknown tags (v= too) are ignored */
		if (have & (1u << k))
			return "duplicate tag";
		have |= 1u << k;
		seen[k] = tag;
	}
	if (rc < 0)
		return "bad tag list";
#define HAVE(t)	(have & (1u << (t)))
#define V(t)	seen[t].value, seen[t].value_len
	if (!HAVE(T_I))
		return "missing i= tag";
	if ((as->instance = instance_value(V(T_I))) < 0)
		return "instance not in 1..50";
	if (!HAVE(T_A))
		return "missing a= tag";
	if (exact(V(T_A), "rsa-sha256"))
		sig->algo = DKIM_ALGO_RSA_SHA256;
	else if (exact(V(T_A), "ed25519-sha256"))
		sig->algo = DKIM_ALGO_ED25519_SHA256;
	else
		return "unsupported algorithm";
	if (!HAVE(T_B))
		return "missing b= tag";
	if ((err = parse_b64(V(T_B), &sig->b, &sig->b_len)) != NULL)
		return err;
	if (!HAVE(T_D))
		return "missing d= tag";
	if ((err = parse_name(V(T_D), 1, &sig->domain)) != NULL)
		return err;
	if (!HAVE(T_S))
		return "missing s= tag";
	if ((err = parse_name(V(T_S), 0, &sig->selector)) != NULL)
		return err;
	if (dkim_check_names(sig->domain, sig->selector, &err) < 0)
		return "bad d= or s= tag";
	if (HAVE(T_T) && (sig->timestamp = number(V(T_T), 18)) < 0)
		return "bad t= tag";
	if (kind == ARC_AS) {
		if (HAVE(T_H))
			return "h= tag in ARC-Seal";
		if (!HAVE(T_CV))
			return "missing cv= tag";
		if (exact(V(T_CV), "none"))
			as->cv = ARC_CV_NONE;
		else if (exact(V(T_CV), "pass"))
			as->cv = ARC_CV_PASS;
		else if (exact(V(T_CV), "fail"))
			as->cv = ARC_CV_FAIL;
		else
			return "bad cv= tag";
		sig->header_canon = DKIM_CANON_RELAXED;
		return NULL;
	}
	if (!HAVE(T_BH))
		return "missing bh= tag";
	if ((err = parse_b64(V(T_BH), &sig->bh, &sig->bh_len)) != NULL)
		return err;
	if (HAVE(T_C) && (err = parse_c(V(T_C), sig)) != NULL)
		return err;
	if (!HAVE(T_H))
		return "missing h= tag";
	if ((err = parse_h(V(T_H), sig)) != NULL)
		return err;
	if (HAVE(T_L) && (sig->body_length = number(V(T_L), 18)) < 0)
		return "bad l= tag";
	if (HAVE(T_X) && (sig->expire = number(V(T_X), 18)) < 0)
		return "bad x= tag";
	if (sig->expire >= 0 && sig->timestamp >= 0 && sig->expire < sig->timestamp)
		return "x= before t=";
	return NULL;
#undef HAVE
#undef V
}

int arc_sig_parse(enum arc_kind kind, const void *value, size_t len,
		  struct arc_sig *as, const char **error_r)
{
	const char *err;

	memset(as, 0, sizeof(*as));
	as->kind = kind;
	as->sig.header_canon = DKIM_CANON_SIMPLE;
	as->sig.body_canon = DKIM_CANON_SIMPLE;
	as->sig.body_length = -1;
	as->sig.timestamp = -1;
	as->sig.expire = -1;
	if (kind == ARC_AAR)
		err = "not an AMS or AS";
	else if (len > LIMIT_DKIM_TAG_LIST)
		err = "field too long";
	else
		err = parse_tags(kind, value, len, as);
	if (err != NULL) {
		arc_sig_free(as);
		*error_r = err;
		return -1;
	}
	return 0;
}

void arc_sig_free(struct arc_sig *as)
{
	dkim_sig_free(&as->sig);
	memset(as, 0, sizeof(*as));
}
