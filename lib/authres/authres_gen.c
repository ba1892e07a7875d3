/*
 * NAME
 *	authres_gen 3
 * SUMMARY
 *	build and write Authentication-Results fields
 * DESCRIPTION
 *	Results are collected in a struct authres and written in one pass.
 *	Caller text never reaches the output unchecked: keywords must be
 *	keywords, values are written bare only when they are an RFC 2045
 *	token or an identity (local-part@domain, RFC 8601 section 2.2's
 *	right-hand pvalue), everything else is a quoted-string.  Control
 *	bytes become spaces, so a CR, LF or NUL from a message can neither
 *	end the field nor start a new one.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authres/authres.h"
#include "authres/authres_lex.h"
#include "sealist_limits.h"

/* Lines are folded before a piece that would pass this column. */
#define FOLD_COLUMN	78

#define FAIL(msg)	do { *error_r = (msg); return -1; } while (0)

/* Results registered for the methods we write; others are free keywords. */
static const struct {
	const char *method;
	const char *results[9];
} known_results[] = {
	/* RFC 8601 section 2.7.1 */
	{ "dkim", { "none", "pass", "fail", "policy", "neutral", "temperror",
		    "permerror" } },
	/* RFC 8601 section 2.7.2 */
	{ "spf", { "none", "neutral", "pass", "policy", "fail", "softfail",
		   "temperror", "permerror" } },
	/* RFC 9989 section 9.2 (RFC 7489 section 11.2) */
	{ "dmarc", { "none", "pass", "fail", "temperror", "permerror" } },
	/* RFC 8617 section 10.1 */
	{ "arc", { "none", "pass", "fail" } },
	/* RFC 5617 section 5.4 */
	{ "dkim-adsp", { "none", "pass", "unknown", "fail", "discard",
			 "nxdomain", "temperror", "permerror" } },
};

static int is_keyword(const char *s)
{
	if (s == NULL || *s == 0)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
		      || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static char *lower_dup(const char *s)
{
	char   *d = strdup(s);
	char   *p;

	if (d != NULL)
		for (p = d; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char) (*p - 'A' + 'a');
	return d;
}

/* A copy cut to LIMIT_AUTHRES_VALUE bytes, not inside a UTF-8 sequence. */
static char *cut_dup(const char *s)
{
	size_t	len = strlen(s);
	char   *d;

	if (len > LIMIT_AUTHRES_VALUE) {
		len = LIMIT_AUTHRES_VALUE;
		while (len > 0 && ((unsigned char) s[len] & 0xC0) == 0x80)
			len--;
	}
	if ((d = malloc(len + 1)) != NULL) {
		memcpy(d, s, len);
		d[len] = 0;
	}
	return d;
}

struct authres *authres_new(const char *authserv_id, const char **error_r)
{
	struct authres *ar;
	const unsigned char *p;

	if (authserv_id == NULL || *authserv_id == 0
	    || strlen(authserv_id) > LIMIT_AUTHRES_VALUE) {
		*error_r = "authserv-id empty or too long";
		return NULL;
	}
	for (p = (const unsigned char *) authserv_id; *p; p++)
		if (*p < ' ' || *p == 127) {
			*error_r = "control byte in authserv-id";
			return NULL;
		}
	if ((ar = calloc(1, sizeof(*ar))) == NULL
	    || (ar->authserv_id = strdup(authserv_id)) == NULL) {
		free(ar);
		*error_r = "out of memory";
		return NULL;
	}
	return ar;
}

int authres_add(struct authres *ar, const char *method, const char *result,
		const char *reason, const char **error_r)
{
	struct authres_result *r;
	size_t	i, j;

	if (!is_keyword(method))
		FAIL("method is not a keyword");
	if (!is_keyword(result))
		FAIL("result is not a keyword");
	for (i = 0; i < sizeof(known_results) / sizeof(known_results[0]); i++) {
		if (strcasecmp(method, known_results[i].method) != 0)
			continue;
		for (j = 0; known_results[i].results[j] != NULL; j++)
			if (strcasecmp(result, known_results[i].results[j]) == 0)
				break;
		if (known_results[i].results[j] == NULL)
			FAIL("result not registered for the method");
	}
	if (ar->nresults >= LIMIT_AUTHRES_RESULTS)
		FAIL("too many results");
	r = realloc(ar->results, (ar->nresults + 1) * sizeof(*r));
	if (r == NULL)
		FAIL("out of memory");
	ar->results = r;
	r = &ar->results[ar->nresults];
	memset(r, 0, sizeof(*r));
	r->method = lower_dup(method);
	r->result = lower_dup(result);
	/* An empty reason says nothing; python3-authres even refuses one. */
	if (reason != NULL && *reason == 0)
		reason = NULL;
	if (reason != NULL)
		r->reason = cut_dup(reason);
	if (r->method == NULL || r->result == NULL
	    || (reason != NULL && r->reason == NULL)) {
		free(r->method);
		free(r->result);
		free(r->reason);
		FAIL("out of memory");
	}
	ar->nresults++;
	return 0;
}

int authres_add_prop(struct authres *ar, const char *ptype,
		     const char *property, const char *value,
		     const char **error_r)
{
	struct authres_result *r;
	struct authres_prop *p;

	if (ar->nresults == 0)
		FAIL("no result to add a property to");
	if (value == NULL)
		return 0;
	if (!is_keyword(ptype) || !is_keyword(property))
		FAIL("ptype or property is not a keyword");
	if (strlen(value) > LIMIT_AUTHRES_VALUE)
		FAIL("property value too long");
	r = &ar->results[ar->nresults - 1];
	if (r->nprops >= LIMIT_AUTHRES_PROPS)
		FAIL("too many properties");
	p = realloc(r->props, (r->nprops + 1) * sizeof(*p));
	if (p == NULL)
		FAIL("out of memory");
	r->props = p;
	p = &r->props[r->nprops];
	p->ptype = lower_dup(ptype);
	p->property = lower_dup(property);
	p->value = strdup(value);
	if (p->ptype == NULL || p->property == NULL || p->value == NULL) {
		free(p->ptype);
		free(p->property);
		free(p->value);
		FAIL("out of memory");
	}
	r->nprops++;
	return 0;
}

int authres_set_comment(struct authres *ar, const char *comment,
			const char **error_r)
{
	struct authres_result *r;

	if (ar->nresults == 0)
		FAIL("no result to comment on");
	r = &ar->results[ar->nresults - 1];
	free(r->comment);
	r->comment = NULL;
	if (comment != NULL && (r->comment = cut_dup(comment)) == NULL)
		FAIL("out of memory");
	return 0;
}

int authres_add_dkim(struct authres *ar, const struct authres_dkim *d,
		     const char **error_r)
{
	char	b[AUTHRES_DKIM_B_CHARS + 1];
	size_t	n = 0;
	const char *p;

	if (authres_add(ar, "dkim", d->result, d->reason, error_r) < 0
	    || authres_add_prop(ar, "header", "d", d->d, error_r) < 0
	    || authres_add_prop(ar, "header", "i", d->i, error_r) < 0
	    || authres_add_prop(ar, "header", "s", d->s, error_r) < 0
	    || authres_add_prop(ar, "header", "a", d->a, error_r) < 0)
		return -1;
	if (d->b == NULL)
		return 0;
	/* b= may carry FWS; header.b is its first base64 characters. */
	for (p = d->b; *p && n < AUTHRES_DKIM_B_CHARS; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			b[n++] = *p;
	b[n] = 0;
	return n > 0 ? authres_add_prop(ar, "header", "b", b, error_r) : 0;
}

int authres_add_spf(struct authres *ar, const char *result,
		    const char *reason, const char *mailfrom,
		    const char *helo, const char **error_r)
{
	if (authres_add(ar, "spf", result, reason, error_r) < 0
	    || authres_add_prop(ar, "smtp", "mailfrom", mailfrom, error_r) < 0
	    || authres_add_prop(ar, "smtp", "helo", helo, error_r) < 0)
		return -1;
	return 0;
}

int authres_add_dmarc(struct authres *ar, const char *result,
		      const char *reason, const char *header_from,
		      const char *policy, const char *p, const char *dis,
		      const char **error_r)
{
	struct buf c;
	int	rc;

	if (policy != NULL && strcasecmp(policy, "none") != 0
	    && strcasecmp(policy, "quarantine") != 0
	    && strcasecmp(policy, "reject") != 0)
		FAIL("policy.dmarc must be none, quarantine or reject");
	if (authres_add(ar, "dmarc", result, reason, error_r) < 0
	    || authres_add_prop(ar, "header", "from", header_from, error_r) < 0
	    || authres_add_prop(ar, "policy", "dmarc", policy, error_r) < 0)
		return -1;
	if (p == NULL && dis == NULL)
		return 0;
	buf_init(&c, 2 * LIMIT_AUTHRES_VALUE + 16);
	if (p != NULL)
		buf_printf(&c, "p=%s", p);
	if (dis != NULL)
		buf_printf(&c, "%sdis=%s", p != NULL ? " " : "", dis);
	rc = buf_failed(&c) ? -1 : authres_set_comment(ar, buf_str(&c), error_r);
	if (buf_failed(&c))
		*error_r = buf_strerror(&c);
	buf_free(&c);
	return rc;
}

int authres_add_arc(struct authres *ar, const char *result,
		    const char *reason, const char *remote_ip,
		    long oldest_pass, const char **error_r)
{
	struct buf n;
	int	rc = 0;

	if (authres_add(ar, "arc", result, reason, error_r) < 0
	    || authres_add_prop(ar, "smtp", "remote-ip", remote_ip, error_r) < 0)
		return -1;
	if (oldest_pass >= 0) {
		buf_init(&n, 32);
		buf_printf(&n, "%ld", oldest_pass);
		rc = authres_add_prop(ar, "header", "oldest-pass", buf_str(&n),
				      error_r);
		buf_free(&n);
	}
	return rc;
}

int authres_add_adsp(struct authres *ar, const char *result,
		     const char *reason, const char *header_from,
		     const char **error_r)
{
	if (authres_add(ar, "dkim-adsp", result, reason, error_r) < 0
	    || authres_add_prop(ar, "header", "from", header_from, error_r) < 0)
		return -1;
	return 0;
}

/* Writing. */

static int is_token(const char *s)
{
	if (*s == 0)
		return 0;
	for (; *s; s++)
		if (!authres_lex_is_token((unsigned char) *s))
			return 0;
	return 1;
}

static int is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9') || c >= 0x80
	    || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* [dot-atom] "@" domain-name: safe to write bare (RFC 8601 pvalue). */
static int is_identity(const char *s)
{
	const char *at = strrchr(s, '@');
	const char *p;
	int	prev_dot = 1;

	if (at == NULL || at[1] == 0)
		return 0;
	for (p = s; p < at; p++) {
		if (*p == '.') {
			if (prev_dot)
				return 0;
			prev_dot = 1;
		} else if (is_atext((unsigned char) *p)) {
			prev_dot = 0;
		} else {
			return 0;
		}
	}
	if (p > s && prev_dot)
		return 0;
	prev_dot = 1;
	for (p = at + 1; *p; p++) {
		unsigned char c = (unsigned char) *p;

		if (c == '.') {
			if (prev_dot)
				return 0;
			prev_dot = 1;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			   || (c >= '0' && c <= '9') || c == '-' || c >= 0x80) {
			prev_dot = 0;
		} else {
			return 0;
		}
	}
	return !prev_dot;
}

/* A quoted-string; control bytes become spaces. */
static void put_quoted(struct buf *out, const char *s)
{
	buf_append_byte(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
			buf_append_byte(out, '\\');
		buf_append_byte(out, c < ' ' || c == 127 ? ' ' : c);
	}
	buf_append_byte(out, '"');
}

static void put_value(struct buf *out, const char *s)
{
	if (is_token(s) || is_identity(s))
		buf_append_str(out, s);
	else
		put_quoted(out, s);
}

static void put_comment(struct buf *out, const char *s)
{
	buf_append_byte(out, '(');
	for (; *s; s++) {
		unsigned char c = (unsigned char) *s;

		if (c == '(' || c == ')' || c == '\\')
			buf_append_byte(out, '\\');
		buf_append_byte(out, c < ' ' || c == 127 ? ' ' : c);
	}
	buf_append_byte(out, ')');
}

/*
 * Append piece, after a space or a fold; *col is the current column.  A
 * piece too long for a line is broken before one of its own spaces, which
 * only occur inside quoted-strings and comments: there RFC 5322 allows
 * FWS, and unfolding (removing the CRLF) gives back the very same bytes.
 */
static void put_piece(struct buf *out, size_t *col, const struct buf *piece)
{
	const unsigned char *p = piece->data;
	size_t	len = piece->len;

	if (*col + 1 + len > FOLD_COLUMN && *col > 1) {
		buf_append(out, "\r\n\t", 3);
		*col = 1;
	} else {
		buf_append_byte(out, ' ');
		*col += 1;
	}
	while (*col + len > FOLD_COLUMN && *col < FOLD_COLUMN) {
		size_t	i = FOLD_COLUMN - *col;
		size_t	k;

		if (i > len - 1)
			i = len - 1;
		while (i > 0 && p[i] != ' ')
			i--;
		/* Never leave a line of nothing but spaces. */
		for (k = 0; k < i && p[k] == ' '; k++)
			;
		if (i == 0 || k == i)
			break;
		buf_append(out, p, i);
		buf_append(out, "\r\n", 2);
		*col = 0;
		p += i;
		len -= i;
	}
	buf_append(out, p, len);
	*col += len;
}

int authres_format(const struct authres *ar, size_t column, struct buf *out)
{
	struct buf piece;
	size_t	col = column;
	size_t	start = out->len;
	size_t	i, j;

	buf_init(&piece, out->max);
	/* authserv-id is a plain RFC 2045 value: no bare identity form. */
	if (is_token(ar->authserv_id))
		buf_append_str(out, ar->authserv_id);
	else
		put_quoted(out, ar->authserv_id);
	if (ar->version > 0)
		buf_printf(out, " %u", ar->version);
	buf_append_byte(out, ';');
	col += out->len - start;
	if (ar->nresults == 0) {
		buf_append_str(&piece, "none");
		put_piece(out, &col, &piece);
	}
	for (i = 0; i < ar->nresults; i++) {
		const struct authres_result *r = &ar->results[i];
		size_t	npieces = 1 + (r->comment != NULL)
		    + (r->reason != NULL) + r->nprops;
		size_t	k = 0;

		for (k = 0; k < npieces; k++) {
			buf_reset(&piece);
			if (k == 0) {
				buf_append_str(&piece, r->method);
				if (r->method_version > 0)
					buf_printf(&piece, "/%u",
						   r->method_version);
				buf_printf(&piece, "=%s", r->result);
			} else if (k == 1 && r->comment != NULL) {
				put_comment(&piece, r->comment);
			} else if (k == 1 + (r->comment != NULL)
				   && r->reason != NULL) {
				buf_append_str(&piece, "reason=");
				put_quoted(&piece, r->reason);
			} else {
				j = k - 1 - (r->comment != NULL)
				    - (r->reason != NULL);
				buf_printf(&piece, "%s.%s=", r->props[j].ptype,
					   r->props[j].property);
				put_value(&piece, r->props[j].value);
			}
			if (k + 1 == npieces && i + 1 < ar->nresults)
				buf_append_byte(&piece, ';');
			put_piece(out, &col, &piece);
		}
	}
	i = buf_failed(&piece) || buf_failed(out);
	buf_free(&piece);
	return i ? -1 : 0;
}

int authres_format_field(const struct authres *ar, struct buf *out)
{
	static const char name[] = "Authentication-Results: ";

	if (buf_append_str(out, name) < 0)
		return -1;
	return authres_format(ar, sizeof(name) - 1, out);
}
