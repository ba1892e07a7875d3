/*
 * NAME
 *	dmarc_record 3
 * SUMMARY
 *	DMARC Policy Record parser (RFC 9989 sections 4.7-4.8, RFC 7489 6.3)
 * DESCRIPTION
 *	A record is a tag list "v=DMARC1; tag=value; ...".  The parser
 *	reads exactly len bytes, never a terminator.  Tag names and keyword
 *	values are compared case-insensitively, because ABNF string
 *	literals are (RFC 5234 section 2.3); only "DMARC1" is
 *	case-sensitive (%s in RFC 9989's ABNF).  A tag whose value does not
 *	match its rule keeps the default and is flagged (section 4.8:
 *	"Syntax errors in the remainder of the record MUST be discarded in
 *	favor of default values (if any) or ignored outright"); the caller
 *	decides with dmarc_record_usable() what an invalid p/sp/np means.
 *	Tags of both RFCs are parsed in either mode; the modes differ only
 *	in which ones dmarc_evaluate() honours (pct vs t, psd).
 */
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc.h"
#include "sealist_limits.h"

struct span {
	const char *p;
	size_t	len;
};

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/* s equals the lowercase keyword kw, ignoring ASCII case */
static int span_is(struct span s, const char *kw)
{
	size_t	n = strlen(kw);
	size_t	i;

	if (s.len != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(s.p[i]) != kw[i])
			return 0;
	return 1;
}

static struct span trim(const char *p, size_t len)
{
	struct span s;

	while (len > 0 && is_wsp(*p)) {
		p++;
		len--;
	}
	while (len > 0 && is_wsp(p[len - 1]))
		len--;
	s.p = p;
	s.len = len;
	return s;
}

/*
 * Split one tag at '=': name 1*ALPHA, value 1*(%x20-3A / %x3C-7E), both
 * trimmed.  0 if the tag is malformed.
 */
static int split_tag(struct span tag, struct span *name, struct span *value)
{
	const char *eq = memchr(tag.p, '=', tag.len);
	size_t	i;

	if (eq == NULL)
		return 0;
	*name = trim(tag.p, (size_t) (eq - tag.p));
	*value = trim(eq + 1, tag.len - (size_t) (eq - tag.p) - 1);
	if (name->len == 0 || value->len == 0)
		return 0;
	for (i = 0; i < name->len; i++)
		if (!is_alpha(name->p[i]))
			return 0;
	for (i = 0; i < value->len; i++) {
		unsigned char c = (unsigned char) value->p[i];

		if (c < 0x20 || c > 0x7e)
			return 0;
	}
	return 1;
}

static enum dmarc_policy parse_request(struct span v)
{
	if (span_is(v, "none"))
		return DMARC_POLICY_NONE;
	if (span_is(v, "quarantine"))
		return DMARC_POLICY_QUARANTINE;
	if (span_is(v, "reject"))
		return DMARC_POLICY_REJECT;
	return DMARC_POLICY_INVALID;
}

/* pct: 1*3DIGIT with a value 0..100 (RFC 7489 section 6.3) */
static int parse_pct(struct span v, unsigned *pct)
{
	unsigned n = 0;
	size_t	i;

	if (v.len < 1 || v.len > 3)
		return 0;
	for (i = 0; i < v.len; i++) {
		if (!is_digit(v.p[i]))
			return 0;
		n = n * 10 + (unsigned) (v.p[i] - '0');
	}
	if (n > 100)
		return 0;
	*pct = n;
	return 1;
}

/* ri: 1*32DIGIT (RFC 7489 section 6.3), kept up to ULONG range */
static int parse_ri(struct span v, unsigned long *ri)
{
	unsigned long n = 0;
	size_t	i;

	if (v.len < 1 || v.len > 32)
		return 0;
	for (i = 0; i < v.len; i++) {
		if (!is_digit(v.p[i]))
			return 0;
		if (n > (0xffffffffUL - 9) / 10)
			n = 0xffffffffUL;	/* saturate */
		else
			n = n * 10 + (unsigned long) (v.p[i] - '0');
	}
	*ri = n;
	return 1;
}

/*
 * fo: values 0, 1, d, s separated by ':' (WSP allowed around them as
 * real records have it), 0 and 1 mutually exclusive, each at most once
 * (RFC 9989 section 4.8, dmarc-fo).
 */
static int parse_fo(struct span v, unsigned *fo)
{
	unsigned bits = 0;
	size_t	start = 0;
	size_t	i;

	for (i = 0; i <= v.len; i++) {
		struct span item;
		unsigned bit;

		if (i < v.len && v.p[i] != ':')
			continue;
		item = trim(v.p + start, i - start);
		start = i + 1;
		if (span_is(item, "0"))
			bit = DMARC_FO_0;
		else if (span_is(item, "1"))
			bit = DMARC_FO_1;
		else if (span_is(item, "d"))
			bit = DMARC_FO_D;
		else if (span_is(item, "s"))
			bit = DMARC_FO_S;
		else
			return 0;
		if (bits & bit)
			return 0;
		bits |= bit;
	}
	if ((bits & DMARC_FO_0) && (bits & DMARC_FO_1))
		return 0;
	*fo = bits;
	return 1;
}

/* rf: Keyword *(":" Keyword) (RFC 7489); only "afrf" is known */
static int parse_rf(struct span v, unsigned *rf)
{
	unsigned bits = 0;
	size_t	start = 0;
	size_t	i, j;

	for (i = 0; i <= v.len; i++) {
		struct span item;

		if (i < v.len && v.p[i] != ':')
			continue;
		item = trim(v.p + start, i - start);
		start = i + 1;
		if (item.len == 0)
			return 0;
		for (j = 0; j < item.len; j++)
			if (!is_alpha(item.p[j]) && !is_digit(item.p[j]) &&
			    item.p[j] != '-')
				return 0;
		if (span_is(item, "afrf"))
			bits |= DMARC_RF_AFRF;
	}
	*rf = bits;
	return 1;
}

/*
 * One URI of a dmarc-urilist: scheme ":" something, no WSP, an
 * optional obsolete "!size" suffix (RFC 9989 obs-dmarc-report-size).
 * This is the syntax check section 4.10.1 needs ("at least one
 * syntactically valid reporting URI"), not a full RFC 3986 parse.
 */
static int uri_valid(struct span u)
{
	size_t	i, colon = 0;
	const char *bang = memchr(u.p, '!', u.len);

	if (bang != NULL) {
		size_t	k = (size_t) (bang - u.p) + 1;

		if (k >= u.len || !is_digit(u.p[k]))
			return 0;
		while (k < u.len && is_digit(u.p[k]))
			k++;
		if (k < u.len && strchr("kmgt", lower(u.p[k])) != NULL)
			k++;
		if (k != u.len)
			return 0;
		u.len = (size_t) (bang - u.p);
	}
	if (u.len < 3 || !is_alpha(u.p[0]))
		return 0;
	for (i = 1; i < u.len; i++) {
		char	c = u.p[i];

		if (c == ':') {
			colon = i;
			break;
		}
		if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' &&
		    c != '.')
			return 0;
	}
	if (colon == 0 || colon + 1 >= u.len)
		return 0;
	for (i = colon + 1; i < u.len; i++) {
		unsigned char c = (unsigned char) u.p[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' ||
		    c == '>' || c == '\\' || c == '^' || c == '`' ||
		    c == '{' || c == '|' || c == '}')
			return 0;
	}
	return 1;
}

/* The number of syntactically valid URIs in a dmarc-urilist. */
static size_t count_uris(struct span v)
{
	size_t	n = 0, start = 0, i;

	for (i = 0; i <= v.len; i++) {
		if (i < v.len && v.p[i] != ',')
			continue;
		if (uri_valid(trim(v.p + start, i - start)))
			n++;
		start = i + 1;
	}
	return n;
}

static char *span_dup(struct span s)
{
	char   *d = malloc(s.len + 1);

	if (d != NULL) {
		memcpy(d, s.p, s.len);
		d[s.len] = '\0';
	}
	return d;
}

static void record_init(struct dmarc_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->pct = 100;
	rec->fo = DMARC_FO_0;
	rec->rf = DMARC_RF_AFRF;
	rec->ri = 86400;
}

void dmarc_record_free(struct dmarc_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->rua);
	free(rec->ruf);
	record_init(rec);
}

/* Bits for tags already seen: the first occurrence counts. */
enum {
	SEEN_P = 1u << 0, SEEN_SP = 1u << 1, SEEN_NP = 1u << 2,
	SEEN_ADKIM = 1u << 3, SEEN_ASPF = 1u << 4, SEEN_T = 1u << 5,
	SEEN_PSD = 1u << 6, SEEN_PCT = 1u << 7, SEEN_FO = 1u << 8,
	SEEN_RF = 1u << 9, SEEN_RI = 1u << 10, SEEN_RUA = 1u << 11,
	SEEN_RUF = 1u << 12,
};

static int first(unsigned *seen, unsigned bit)
{
	if (*seen & bit)
		return 0;
	*seen |= bit;
	return 1;
}

static void set_policy(enum dmarc_policy *dst, unsigned *bad, unsigned badbit,
		       struct span v)
{
	*dst = parse_request(v);
	if (*dst == DMARC_POLICY_INVALID)
		*bad |= badbit;
}

static int set_rors(int *dst, unsigned *bad, struct span v)
{
	if (span_is(v, "r"))
		*dst = 0;
	else if (span_is(v, "s"))
		*dst = 1;
	else
		*bad |= DMARC_BAD_OTHER;
	return 0;
}

/* One tag after v=; returns -1 only on no memory. */
static int apply_tag(struct dmarc_record *rec, unsigned *seen,
		     struct span name, struct span v)
{
	unsigned *bad = &rec->invalid;

	if (span_is(name, "p")) {
		if (first(seen, SEEN_P))
			set_policy(&rec->p, bad, DMARC_BAD_P, v);
	} else if (span_is(name, "sp")) {
		if (first(seen, SEEN_SP))
			set_policy(&rec->sp, bad, DMARC_BAD_SP, v);
	} else if (span_is(name, "np")) {
		if (first(seen, SEEN_NP))
			set_policy(&rec->np, bad, DMARC_BAD_NP, v);
	} else if (span_is(name, "adkim")) {
		if (first(seen, SEEN_ADKIM))
			set_rors(&rec->adkim_strict, bad, v);
	} else if (span_is(name, "aspf")) {
		if (first(seen, SEEN_ASPF))
			set_rors(&rec->aspf_strict, bad, v);
	} else if (span_is(name, "t")) {
		if (!first(seen, SEEN_T))
			return 0;
		if (span_is(v, "y"))
			rec->t = 1;
		else if (!span_is(v, "n"))
			*bad |= DMARC_BAD_OTHER;
	} else if (span_is(name, "psd")) {
		if (!first(seen, SEEN_PSD))
			return 0;
		if (span_is(v, "y"))
			rec->psd = DMARC_PSD_Y;
		else if (span_is(v, "n"))
			rec->psd = DMARC_PSD_N;
		else if (!span_is(v, "u"))
			*bad |= DMARC_BAD_OTHER;
	} else if (span_is(name, "pct")) {
		if (!first(seen, SEEN_PCT))
			return 0;
		if (parse_pct(v, &rec->pct))
			rec->pct_set = 1;
		else
			*bad |= DMARC_BAD_OTHER;
	} else if (span_is(name, "fo")) {
		if (first(seen, SEEN_FO) && !parse_fo(v, &rec->fo))
			*bad |= DMARC_BAD_OTHER;
	} else if (span_is(name, "rf")) {
		if (first(seen, SEEN_RF) && !parse_rf(v, &rec->rf))
			*bad |= DMARC_BAD_OTHER;
	} else if (span_is(name, "ri")) {
		if (first(seen, SEEN_RI) && !parse_ri(v, &rec->ri))
			*bad |= DMARC_BAD_OTHER;
	} else if (span_is(name, "rua") || span_is(name, "ruf")) {
		int	rua = span_is(name, "rua");
		char  **dst = rua ? &rec->rua : &rec->ruf;

		if (!first(seen, rua ? SEEN_RUA : SEEN_RUF))
			return 0;
		if ((*dst = span_dup(v)) == NULL)
			return -1;
		if (rua)
			rec->rua_valid = count_uris(v);
		else
			rec->ruf_valid = count_uris(v);
		if ((rua ? rec->rua_valid : rec->ruf_valid) == 0)
			*bad |= DMARC_BAD_OTHER;
	}
	/* unknown tags MUST be ignored (section 4.7) */
	return 0;
}

int dmarc_record_parse(const void *txt, size_t len, struct dmarc_record *rec,
		       const char **error_r)
{
	const char *s = txt;
	const char *dummy;
	unsigned seen = 0;
	size_t	start = 0, i;
	int	ntag = 0;

	if (error_r == NULL)
		error_r = &dummy;
	record_init(rec);
	if (len > LIMIT_DMARC_RECORD) {
		*error_r = "DMARC record too long";
		return -1;
	}
	if (len > 0 && memchr(s, '\0', len) != NULL) {
		*error_r = "NUL in record";
		return 0;
	}
	for (i = 0; i <= len; i++) {
		struct span tag, name, value;

		if (i < len && s[i] != ';')
			continue;
		tag = trim(s + start, i - start);
		start = i + 1;
		if (ntag == 0) {
			/* v=DMARC1 must be the very first tag */
			if (!split_tag(tag, &name, &value) ||
			    !span_is(name, "v")) {
				*error_r = "record does not start with v=";
				return 0;
			}
			if (value.len != 6 || memcmp(value.p, "DMARC1", 6) != 0) {
				*error_r = "v= is not DMARC1";
				return 0;
			}
			ntag++;
			continue;
		}
		if (tag.len == 0)
			continue;	/* ";;" or the final ";" */
		ntag++;
		if (!split_tag(tag, &name, &value)) {
			rec->invalid |= DMARC_BAD_OTHER;	/* ignored */
			continue;
		}
		if (apply_tag(rec, &seen, name, value) < 0) {
			dmarc_record_free(rec);
			*error_r = "out of memory";
			return -1;
		}
	}
	*error_r = NULL;
	return 1;
}

int dmarc_record_usable(const struct dmarc_record *rec)
{
	if (rec->p == DMARC_POLICY_NONE || rec->p == DMARC_POLICY_QUARANTINE ||
	    rec->p == DMARC_POLICY_REJECT) {
		if (!(rec->invalid & (DMARC_BAD_SP | DMARC_BAD_NP)))
			return 1;
	}
	return rec->rua_valid > 0;
}

const char *dmarc_policy_str(enum dmarc_policy p)
{
	switch (p) {
	case DMARC_POLICY_NONE:
		return "none";
	case DMARC_POLICY_QUARANTINE:
		return "quarantine";
	case DMARC_POLICY_REJECT:
		return "reject";
	case DMARC_POLICY_INVALID:
		return "invalid";
	case DMARC_POLICY_UNSET:
		break;
	}
	return "unset";
}

void dmarc_txt_free(struct dmarc_txt *txt, size_t count)
{
	size_t	i;

	if (txt == NULL)
		return;
	for (i = 0; i < count; i++)
		free(txt[i].data);
	free(txt);
}
