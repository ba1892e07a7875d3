/*
 * NAME
 *	mime_ctype 3
 * SUMMARY
 *	Content-Type and Content-Transfer-Encoding values (RFC 2045)
 * DESCRIPTION
 *	A small lexer over one field value: CFWS is skipped between tokens,
 *	tokens and quoted strings are read, and the result is copied into a
 *	struct mime_ctype so that callers never deal with quoting.  The
 *	parser is strict where a wrong guess would change the structure a
 *	reader sees (an unterminated quoted boundary, a second boundary=)
 *	and lenient where real mail is sloppy and the meaning is clear
 *	(unquoted values with tspecials, a trailing ';').
 */
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "sealist_limits.h"

struct lex {
	const unsigned char *p, *end;
	const char *error;
};

static int is_tspecial(unsigned char c)
{
	return strchr("()<>@,;:\\\"/[]?=", c) != NULL && c != 0;
}

/* RFC 2045 token byte: printable ASCII other than SPACE and tspecials. */
static int is_token(unsigned char c)
{
	return c > 32 && c < 127 && !is_tspecial(c);
}

static int is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char) (c + 32) : c;
}

/* Skip white space, folding and (nested) comments; 0, or -1 on an
 * unterminated comment. */
static int skip_cfws(struct lex *lx)
{
	while (lx->p < lx->end) {
		if (is_wsp(*lx->p)) {
			lx->p++;
		} else if (*lx->p == '(') {
			unsigned depth = 0;

			do {
				if (*lx->p == '\\' && lx->p + 1 < lx->end)
					lx->p++;
				else if (*lx->p == '(')
					depth++;
				else if (*lx->p == ')')
					depth--;
				lx->p++;
			} while (depth > 0 && lx->p < lx->end);
			if (depth > 0) {
				lx->error = "unterminated comment";
				return -1;
			}
		} else {
			break;
		}
	}
	return 0;
}

/* A lowercased malloc'd copy of a token; NULL (error set) if none. */
static char *read_token(struct lex *lx, const char *missing)
{
	const unsigned char *s = lx->p;
	char   *out;
	size_t	i, n;

	while (lx->p < lx->end && is_token(*lx->p))
		lx->p++;
	if ((n = (size_t) (lx->p - s)) == 0) {
		lx->error = missing;
		return NULL;
	}
	if ((out = malloc(n + 1)) == NULL) {
		lx->error = "out of memory";
		return NULL;
	}
	for (i = 0; i < n; i++)
		out[i] = (char) lower(s[i]);
	out[n] = 0;
	return out;
}

/* The quoted string at p ('"' first) into out, unescaped, folding
 * (CR, LF) dropped. */
static int read_quoted(struct lex *lx, struct buf *out)
{
	for (lx->p++; lx->p < lx->end; lx->p++) {
		unsigned char c = *lx->p;

		if (c == '"') {
			lx->p++;
			return 0;
		}
		if (c == '\\' && lx->p + 1 < lx->end)
			c = *++lx->p;
		else if (c == '\r' || c == '\n')
			continue;
		(void) buf_append_byte(out, c);
	}
	lx->error = "unterminated quoted string";
	return -1;
}

/* A parameter value: quoted-string, or the lenient unquoted form. */
static char *read_value(struct lex *lx)
{
	struct buf v;
	char   *s;

	buf_init(&v, LIMIT_MIME_FIELD);
	if (lx->p < lx->end && *lx->p == '"') {
		if (read_quoted(lx, &v) < 0) {
			buf_free(&v);
			return NULL;
		}
	} else {
		const unsigned char *s0 = lx->p;

		while (lx->p < lx->end && *lx->p > 32 && *lx->p != 127
		       && *lx->p != ';' && *lx->p != '"' && *lx->p != '(')
			lx->p++;
		if (lx->p == s0) {
			lx->error = "bad parameter";
			return NULL;
		}
		(void) buf_append(&v, s0, (size_t) (lx->p - s0));
	}
	if (buf_failed(&v) || (s = buf_detach(&v, NULL)) == NULL) {
		lx->error = "out of memory";
		buf_free(&v);
		return NULL;
	}
	return s;
}

static int add_param(struct mime_ctype *ct, char *name, char *value,
		     const char **error_r)
{
	struct mime_param *more;

	if (mime_ctype_param(ct, name) != NULL) {
		*error_r = "duplicate parameter";
	} else if (ct->count >= LIMIT_MIME_PARAMS) {
		*error_r = "too many parameters";
	} else if ((more = realloc(ct->params, (ct->count + 1) * sizeof(*more))) == NULL) {
		*error_r = "out of memory";
	} else {
		ct->params = more;
		ct->params[ct->count].name = name;
		ct->params[ct->count].value = value;
		ct->count++;
		return 0;
	}
	free(name);
	free(value);
	return -1;
}

/* One ";" attribute "=" value; 1 read, 0 at the end, -1 error. */
static int read_param(struct lex *lx, struct mime_ctype *ct)
{
	char   *name, *value;

	if (skip_cfws(lx) < 0)
		return -1;
	if (lx->p == lx->end)
		return 0;
	if (*lx->p != ';') {
		lx->error = "bad parameter";
		return -1;
	}
	lx->p++;
	if (skip_cfws(lx) < 0)
		return -1;
	if (lx->p == lx->end)		/* "text/plain;" */
		return 0;
	if ((name = read_token(lx, "bad parameter")) == NULL)
		return -1;
	if (skip_cfws(lx) < 0 || lx->p == lx->end || *lx->p != '=') {
		lx->error = lx->error != NULL ? lx->error : "bad parameter";
		free(name);
		return -1;
	}
	lx->p++;
	if (skip_cfws(lx) < 0 || (value = read_value(lx)) == NULL) {
		free(name);
		return -1;
	}
	return add_param(ct, name, value, &lx->error) < 0 ? -1 : 1;
}

static int parse_type(struct lex *lx, struct mime_ctype *out)
{
	if (skip_cfws(lx) < 0 || (out->type = read_token(lx, "missing type")) == NULL)
		return -1;
	if (skip_cfws(lx) < 0)
		return -1;
	if (lx->p == lx->end || *lx->p != '/') {
		lx->error = "missing '/'";
		return -1;
	}
	lx->p++;
	if (skip_cfws(lx) < 0 || (out->subtype = read_token(lx, "missing subtype")) == NULL)
		return -1;
	return 0;
}

int mime_ctype_parse(const void *value, size_t len, struct mime_ctype *out,
		     const char **error_r)
{
	struct lex lx = { value, (const unsigned char *) value + len, NULL };
	int	r;

	memset(out, 0, sizeof(*out));
	if (len > LIMIT_MIME_FIELD)
		lx.error = "field too long";
	else if (memchr(value, 0, len) != NULL)
		lx.error = "NUL byte";
	else if (parse_type(&lx, out) == 0) {
		while ((r = read_param(&lx, out)) > 0)
			;
		if (r == 0)
			return 0;
	}
	mime_ctype_free(out);
	if (error_r != NULL)
		*error_r = lx.error;
	return -1;
}

static char *dup_str(const char *s)
{
	size_t	n = strlen(s) + 1;
	char   *d = malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

int mime_ctype_default(struct mime_ctype *out, int digest)
{
	memset(out, 0, sizeof(*out));
	out->type = dup_str(digest ? "message" : "text");
	out->subtype = dup_str(digest ? "rfc822" : "plain");
	if (out->type == NULL || out->subtype == NULL)
		goto nomem;
	if (!digest) {
		char   *n = dup_str("charset"), *v = dup_str("us-ascii");
		const char *err;

		if (n == NULL || v == NULL) {
			free(n);
			free(v);
			goto nomem;
		}
		if (add_param(out, n, v, &err) < 0)
			goto nomem;
	}
	return 0;
nomem:
	mime_ctype_free(out);
	return -1;
}

int mime_ctype_of_msg(const struct msg *m, struct mime_ctype *out)
{
	long	i = msg_find(m, "content-type", 0);
	const struct msg_field *f;
	const char *err;

	if (i >= 0) {
		f = msg_field(m, (size_t) i);
		if (mime_ctype_parse(f->value, f->value_len, out, &err) == 0)
			return 1;
		if (strcmp(err, "out of memory") == 0)
			return -1;
	}
	return mime_ctype_default(out, 0);
}

static int ieq(const char *a, const char *b)
{
	for (; *a != 0 && *b != 0; a++, b++)
		if (lower((unsigned char) *a) != lower((unsigned char) *b))
			return 0;
	return *a == *b;
}

const char *mime_ctype_param(const struct mime_ctype *ct, const char *name)
{
	size_t	i;

	for (i = 0; i < ct->count; i++)
		if (ieq(ct->params[i].name, name))
			return ct->params[i].value;
	return NULL;
}

int mime_ctype_is(const struct mime_ctype *ct, const char *type, const char *subtype)
{
	return ct->type != NULL && ieq(ct->type, type)
		&& (subtype == NULL || ieq(ct->subtype, subtype));
}

void mime_ctype_free(struct mime_ctype *ct)
{
	size_t	i;

	for (i = 0; i < ct->count; i++) {
		free(ct->params[i].name);
		free(ct->params[i].value);
	}
	free(ct->params);
	free(ct->type);
	free(ct->subtype);
	memset(ct, 0, sizeof(*ct));
}

enum mime_cte mime_cte_parse(const void *value, size_t len)
{
	static const struct {
		const char *name;
		enum mime_cte cte;
	} names[] = {
		{ "7bit", MIME_CTE_7BIT }, { "8bit", MIME_CTE_8BIT },
		{ "binary", MIME_CTE_BINARY }, { "quoted-printable", MIME_CTE_QP },
		{ "base64", MIME_CTE_BASE64 },
	};
	struct lex lx = { value, (const unsigned char *) value + len, NULL };
	const unsigned char *s;
	size_t	i, n;

	if (skip_cfws(&lx) < 0)
		return MIME_CTE_OTHER;
	for (s = lx.p; lx.p < lx.end && is_token(*lx.p); lx.p++)
		;
	n = (size_t) (lx.p - s);
	if (skip_cfws(&lx) < 0 || lx.p != lx.end)
		return MIME_CTE_OTHER;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t	k;

		if (strlen(names[i].name) != n)
			continue;
		for (k = 0; k < n && lower(s[k]) == (unsigned char) names[i].name[k]; k++)
			;
		if (k == n)
			return names[i].cte;
	}
	return MIME_CTE_OTHER;
}

enum mime_cte mime_cte_of_msg(const struct msg *m)
{
	long	i = msg_find(m, "content-transfer-encoding", 0);
	const struct msg_field *f;

	if (i < 0)
		return MIME_CTE_7BIT;
	f = msg_field(m, (size_t) i);
	return mime_cte_parse(f->value, f->value_len);
}
