/*
 * NAME
 *	authres_parse 3
 * SUMMARY
 *	read an Authentication-Results value into a struct authres
 * DESCRIPTION
 *	The grammar is RFC 8601 section 2.2 with CFWS from RFC 5322.  The
 *	parser is lenient where real mail is sloppy and strict where a wrong
 *	reading would change the meaning: see authres.h.  Also the lexer that
 *	authres_forged.c shares (authres_lex.h).
 */
#include <stdlib.h>
#include <string.h>

#include "authres/authres.h"
#include "authres/authres_lex.h"
#include "sealist_limits.h"

static int is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int authres_lex_cfws(struct authres_lex *l)
{
	while (!authres_lex_end(l)) {
		unsigned char c = l->p[l->pos];
		size_t	depth;

		if (is_wsp(c)) {
			l->pos++;
			continue;
		}
		if (c != '(')
			return 0;
		/* A comment: nested, with quoted-pairs.  Iterative, so no
		 * nesting depth can exhaust the stack. */
		depth = 0;
		do {
			c = l->p[l->pos++];
			if (c == '\\') {
				if (authres_lex_end(l))
					return -1;
				l->pos++;
			} else if (c == '(') {
				depth++;
			} else if (c == ')') {
				depth--;
			}
		} while (depth > 0 && !authres_lex_end(l));
		if (depth > 0)
			return -1;
	}
	return 0;
}

int authres_lex_is_token(unsigned char c)
{
	if (c <= ' ' || c == 127)
		return 0;
	return strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* A quoted-string at the cursor ('"' there) into out. */
static int lex_quoted(struct authres_lex *l, struct buf *out)
{
	l->pos++;
	while (!authres_lex_end(l)) {
		unsigned char c = l->p[l->pos++];

		if (c == '"')
			return buf_failed(out) ? -1 : 1;
		if (c == 0)
			return -1;	/* would cut the C string short */
		if (c == '\\') {
			if (authres_lex_end(l) || l->p[l->pos] == 0)
				return -1;
			c = l->p[l->pos++];
		} else if (c == '\r' || c == '\n') {
			continue;	/* folding: the WSP after it stays */
		}
		buf_append_byte(out, c);
	}
	return -1;
}

int authres_lex_value(struct authres_lex *l, struct buf *out)
{
	size_t	start = l->pos;

	buf_reset(out);
	if (authres_lex_peek(l) == '"')
		return lex_quoted(l, out);
	while (!authres_lex_end(l) && authres_lex_is_token(l->p[l->pos]))
		l->pos++;
	if (l->pos == start)
		return 0;
	return buf_append(out, l->p + start, l->pos - start) < 0 ? -1 : 1;
}

/*
 * A lenient value for reasons and properties: a quoted-string (with an
 * "@domain" after it for a quoted local-part), or a run of bytes up to
 * whitespace, ';', '(' or a control byte.  That keeps header.b=ab/c+=
 * and smtp.mailfrom=user@example.com whole.
 */
static int lex_pvalue(struct authres_lex *l, struct buf *out)
{
	size_t	start;
	int	rc;

	buf_reset(out);
	if (authres_lex_peek(l) == '"') {
		if ((rc = lex_quoted(l, out)) <= 0)
			return rc;
		if (authres_lex_peek(l) != '@')
			return 1;
	}
	start = l->pos;
	while (!authres_lex_end(l)) {
		unsigned char c = l->p[l->pos];

		if (c <= ' ' || c == 127 || c == ';' || c == '(' || c == '"')
			break;
		l->pos++;
	}
	if (l->pos == start && out->len == 0)
		return 0;
	return buf_append(out, l->p + start, l->pos - start) < 0 ? -1 : 1;
}

/* A keyword (letters, digits, '-', '_'), lower-cased into out. */
static int lex_keyword(struct authres_lex *l, struct buf *out)
{
	buf_reset(out);
	while (!authres_lex_end(l)) {
		unsigned char c = l->p[l->pos];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char) (c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
			   || c == '-' || c == '_'))
			break;
		buf_append_byte(out, c);
		l->pos++;
	}
	if (buf_failed(out))
		return -1;
	return out->len > 0;
}

/* 1*DIGIT as a number, at most 9 digits; 1 read, 0 none, -1 too long. */
static int lex_number(struct authres_lex *l, unsigned *n_r)
{
	unsigned n = 0;
	size_t	digits = 0;

	while (!authres_lex_end(l) && l->p[l->pos] >= '0' && l->p[l->pos] <= '9') {
		if (++digits > 9)
			return -1;
		n = n * 10 + (unsigned) (l->p[l->pos++] - '0');
	}
	*n_r = n;
	return digits > 0;
}

static char *dup_buf(const struct buf *b)
{
	char   *s = malloc(b->len + 1);

	if (s != NULL) {
		if (b->len > 0)
			memcpy(s, b->data, b->len);
		s[b->len] = 0;
	}
	return s;
}

static void free_result(struct authres_result *r)
{
	size_t	i;

	for (i = 0; i < r->nprops; i++) {
		free(r->props[i].ptype);
		free(r->props[i].property);
		free(r->props[i].value);
	}
	free(r->props);
	free(r->method);
	free(r->result);
	free(r->reason);
	free(r->comment);
}

void authres_free(struct authres *ar)
{
	size_t	i;

	if (ar == NULL)
		return;
	for (i = 0; i < ar->nresults; i++)
		free_result(&ar->results[i]);
	free(ar->results);
	free(ar->authserv_id);
	free(ar);
}

#define FAIL(msg)	do { *error_r = (msg); return -1; } while (0)
#define NOMEM		"out of memory"

/* Skip CFWS or fail. */
#define CFWS(l) \
	do { if (authres_lex_cfws(l) < 0) FAIL("unterminated comment"); } while (0)

/* The properties (and reason) of result r, up to ';' or the end. */
static int parse_props(struct authres_lex *l, struct authres_result *r,
		       struct buf *tmp, struct buf *tmp2, const char **error_r)
{
	for (;;) {
		struct authres_prop *p;
		int	rc;

		CFWS(l);
		if (authres_lex_end(l) || authres_lex_peek(l) == ';')
			return 0;
		if ((rc = lex_keyword(l, tmp)) <= 0)
			FAIL(rc < 0 ? NOMEM : "expected a property");
		CFWS(l);
		if (strcmp(buf_str(tmp), "reason") == 0
		    && authres_lex_peek(l) == '=') {
			l->pos++;
			CFWS(l);
			if ((rc = lex_pvalue(l, tmp)) <= 0)
				FAIL(rc < 0 ? "bad reason" : "empty reason");
			free(r->reason);
			if ((r->reason = dup_buf(tmp)) == NULL)
				FAIL(NOMEM);
			continue;
		}
		if (authres_lex_peek(l) != '.')
			FAIL("expected '.' after a ptype");
		l->pos++;
		CFWS(l);
		if ((rc = lex_keyword(l, tmp2)) <= 0)
			FAIL(rc < 0 ? NOMEM : "expected a property name");
		CFWS(l);
		if (authres_lex_peek(l) != '=')
			FAIL("expected '=' after a property");
		l->pos++;
		if (r->nprops >= LIMIT_AUTHRES_PROPS)
			FAIL("too many properties in one result");
		p = realloc(r->props, (r->nprops + 1) * sizeof(*p));
		if (p == NULL)
			FAIL(NOMEM);
		r->props = p;
		p = &r->props[r->nprops];
		memset(p, 0, sizeof(*p));
		r->nprops++;
		if ((p->ptype = dup_buf(tmp)) == NULL
		    || (p->property = dup_buf(tmp2)) == NULL)
			FAIL(NOMEM);
		CFWS(l);
		/* An empty pvalue ("header.d=;") is kept as "". */
		if (lex_pvalue(l, tmp) < 0)
			FAIL("bad property value");
		if ((p->value = dup_buf(tmp)) == NULL)
			FAIL(NOMEM);
	}
}

/* One resinfo after its ';'; a lone "none" adds nothing. */
static int parse_resinfo(struct authres_lex *l, struct authres *ar,
			 struct buf *tmp, struct buf *tmp2, const char **error_r)
{
	struct authres_result *r;
	int	rc;

	if ((rc = lex_keyword(l, tmp)) <= 0)
		FAIL(rc < 0 ? NOMEM : "expected a method");
	CFWS(l);
	if (strcmp(buf_str(tmp), "none") == 0
	    && (authres_lex_end(l) || authres_lex_peek(l) == ';'))
		return 0;
	if (ar->nresults >= LIMIT_AUTHRES_RESULTS)
		FAIL("too many results");
	r = realloc(ar->results, (ar->nresults + 1) * sizeof(*r));
	if (r == NULL)
		FAIL(NOMEM);
	ar->results = r;
	r = &ar->results[ar->nresults++];
	memset(r, 0, sizeof(*r));
	if ((r->method = dup_buf(tmp)) == NULL)
		FAIL(NOMEM);
	if (authres_lex_peek(l) == '/') {
		l->pos++;
		CFWS(l);
		if (lex_number(l, &r->method_version) <= 0)
			FAIL("bad method version");
		CFWS(l);
	}
	if (authres_lex_peek(l) != '=')
		FAIL("expected '=' after a method");
	l->pos++;
	CFWS(l);
	if ((rc = lex_keyword(l, tmp)) <= 0)
		FAIL(rc < 0 ? NOMEM : "expected a result");
	if ((r->result = dup_buf(tmp)) == NULL)
		FAIL(NOMEM);
	return parse_props(l, r, tmp, tmp2, error_r);
}

static int parse_payload(struct authres_lex *l, struct authres *ar,
			 const char **error_r)
{
	struct buf tmp, tmp2;
	int	rc = -1;

	buf_init(&tmp, LIMIT_AUTHRES_FIELD);
	buf_init(&tmp2, LIMIT_AUTHRES_FIELD);
	if (authres_lex_cfws(l) < 0) {
		*error_r = "unterminated comment";
		goto out;
	}
	if ((rc = authres_lex_value(l, &tmp)) <= 0 || tmp.len == 0) {
		*error_r = rc < 0 ? "bad authserv-id" : "no authserv-id";
		rc = -1;
		goto out;
	}
	rc = -1;
	if ((ar->authserv_id = dup_buf(&tmp)) == NULL) {
		*error_r = NOMEM;
		goto out;
	}
	if (authres_lex_cfws(l) < 0) {
		*error_r = "unterminated comment";
		goto out;
	}
	if (lex_number(l, &ar->version) < 0) {
		*error_r = "bad version";
		goto out;
	}
	for (;;) {
		if (authres_lex_cfws(l) < 0) {
			*error_r = "unterminated comment";
			goto out;
		}
		if (authres_lex_end(l))
			break;
		if (authres_lex_peek(l) != ';') {
			*error_r = ar->nresults == 0 && ar->version == 0
			    ? "expected ';' after the authserv-id"
			    : "expected ';' between results";
			goto out;
		}
		l->pos++;
		if (authres_lex_cfws(l) < 0) {
			*error_r = "unterminated comment";
			goto out;
		}
		/* Lenient: an empty resinfo (";;" or a final ';'). */
		if (authres_lex_end(l) || authres_lex_peek(l) == ';')
			continue;
		if (parse_resinfo(l, ar, &tmp, &tmp2, error_r) < 0)
			goto out;
	}
	rc = 0;
out:
	buf_free(&tmp);
	buf_free(&tmp2);
	return rc;
}

int authres_parse(const void *value, size_t len, struct authres **ar_r,
		  const char **error_r)
{
	struct authres_lex l = { value, len, 0 };
	struct authres *ar;

	*ar_r = NULL;
	if (len > LIMIT_AUTHRES_FIELD)
		FAIL("field too long");
	if ((ar = calloc(1, sizeof(*ar))) == NULL)
		FAIL(NOMEM);
	if (parse_payload(&l, ar, error_r) < 0) {
		authres_free(ar);
		return -1;
	}
	*ar_r = ar;
	return 0;
}

int authres_parse_aar(const void *value, size_t len, unsigned *instance_r,
		      struct authres **ar_r, const char **error_r)
{
	struct authres_lex l = { value, len, 0 };
	char	kw[2];

	*ar_r = NULL;
	if (len > LIMIT_AUTHRES_FIELD)
		FAIL("field too long");
	CFWS(&l);
	kw[0] = (char) authres_lex_peek(&l);
	if (kw[0] != 'i' && kw[0] != 'I')
		FAIL("expected i= instance");
	l.pos++;
	CFWS(&l);
	if (authres_lex_peek(&l) != '=')
		FAIL("expected i= instance");
	l.pos++;
	CFWS(&l);
	if (lex_number(&l, instance_r) <= 0 || *instance_r < 1
	    || *instance_r > 50)
		FAIL("bad ARC instance");
	CFWS(&l);
	if (authres_lex_peek(&l) != ';')
		FAIL("expected ';' after the instance");
	l.pos++;
	return authres_parse(l.p + l.pos, l.len - l.pos, ar_r, error_r);
}

const struct authres_result *authres_find(const struct authres *ar,
					  const char *method)
{
	size_t	i;

	for (i = 0; i < ar->nresults; i++)
		if (strcmp(ar->results[i].method, method) == 0)
			return &ar->results[i];
	return NULL;
}

const char *authres_prop(const struct authres_result *r, const char *ptype,
			 const char *property)
{
	size_t	i;

	for (i = 0; i < r->nprops; i++)
		if (strcmp(r->props[i].ptype, ptype) == 0
		    && strcmp(r->props[i].property, property) == 0)
			return r->props[i].value;
	return NULL;
}
