/*
 * NAME
 *	spf_macro 3
 * SUMMARY
 *	SPF macro syntax and expansion (RFC 7208 section 7)
 * DESCRIPTION
 *	macro-string = *( macro-expand / macro-literal ), where
 *	macro-expand is "%{" letter *DIGIT ["r"] *delimiter "}" or one of
 *	"%%", "%_", "%-".  Letters s l o d i p h v, and c r t only in exp=
 *	text; an upper-case letter URL-escapes its value (every octet but
 *	the RFC 3986 unreserved ones).  A digit transformer of 0 is an
 *	error (section 7.3: "MUST be nonzero"); larger than the parts is
 *	all of them.  Output is capped at LIMIT_SPF_EXPANSION.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealist_limits.h"
#include "spf/spf_int.h"

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static const char delimiters[] = ".-+,/_=";

/*
 * Walk s/len; for each macro-expand call fn (if not NULL).  Returns 0 or
 * -1 with *error_r.  Literals are appended to out when out is not NULL.
 */
struct macro {
	int	letter;		/* lower case */
	int	upper;
	unsigned digits;	/* 0: none */
	int	reverse;
	const char *delim;	/* delimiters written, or NULL */
	size_t	delim_len;
};

static int scan(const char *s, size_t len, int exp, const char **error_r,
		int (*fn)(void *, const struct macro *, struct buf *),
		void *arg, struct buf *out)
{
	size_t	i = 0;

	while (i < len) {
		unsigned char c = (unsigned char) s[i];
		struct macro m;

		if (c != '%') {
			if (c < 0x21 || c > 0x7e) {
				if (!(exp && c == ' ')) {
					*error_r = "bad octet in macro-string";
					return -1;
				}
			}
			if (out != NULL)
				buf_append_byte(out, c);
			i++;
			continue;
		}
		if (i + 1 == len) {
			*error_r = "\"%\" at the end of a macro-string";
			return -1;
		}
		c = (unsigned char) s[i + 1];
		if (c == '%' || c == '_' || c == '-') {
			if (out != NULL)
				buf_append_str(out, c == '%' ? "%" : c == '_'
					       ? " " : "%20");
			i += 2;
			continue;
		}
		if (c != '{') {
			*error_r = "\"%\" not followed by {, %, _ or -";
			return -1;
		}
		i += 2;
		if (i == len) {
			*error_r = "unterminated macro";
			return -1;
		}
		memset(&m, 0, sizeof(m));
		m.letter = lower((unsigned char) s[i]);
		m.upper = s[i] >= 'A' && s[i] <= 'Z';
		if (strchr("slodiphv", m.letter) == NULL || m.letter == 0) {
			if (!exp || strchr("crt", m.letter) == NULL
			    || m.letter == 0) {
				*error_r = "unknown macro letter";
				return -1;
			}
		}
		i++;
		if (i < len && s[i] >= '0' && s[i] <= '9') {
			while (i < len && s[i] >= '0' && s[i] <= '9') {
				if (m.digits < 1000)
					m.digits = m.digits * 10
					    + (unsigned) (s[i] - '0');
				i++;
			}
			if (m.digits == 0) {
				*error_r = "macro digit transformer is 0";
				return -1;
			}
		}
		if (i < len && lower((unsigned char) s[i]) == 'r') {
			m.reverse = 1;
			i++;
		}
		m.delim = s + i;
		while (i < len && s[i] != '\0' && strchr(delimiters, s[i]) != NULL)
			i++;
		m.delim_len = (size_t) (s + i - m.delim);
		if (i == len || s[i] != '}') {
			*error_r = "bad macro: no closing }";
			return -1;
		}
		i++;
		if (fn != NULL && fn(arg, &m, out) < 0) {
			*error_r = "macro expansion failed";
			return -1;
		}
	}
	if (out != NULL && out->error != BUF_OK) {
		*error_r = "macro expansion too long";
		return -1;
	}
	return 0;
}

int spf_macro_check(const char *s, size_t len, int exp, const char **error_r)
{
	return scan(s, len, exp, error_r, NULL, NULL, NULL);
}

static void ip_text(const struct spf_macro_env *env, int dotted_nibbles,
		    struct buf *out)
{
	char	tmp[INET6_ADDRSTRLEN];
	const unsigned char *p = env->ip;
	static const char hex[] = "0123456789abcdef";
	int	i;

	if (env->family == AF_INET6 && dotted_nibbles) {
		for (i = 0; i < 16; i++) {
			buf_append_byte(out, (unsigned char) hex[p[i] >> 4]);
			buf_append_byte(out, '.');
			buf_append_byte(out, (unsigned char) hex[p[i] & 15]);
			if (i < 15)
				buf_append_byte(out, '.');
		}
		return;
	}
	if (inet_ntop(env->family, env->ip, tmp, sizeof(tmp)) != NULL)
		buf_append_str(out, tmp);
}

static int value_of(struct spf_macro_env *env, int letter, struct buf *v)
{
	char	tmp[32];

	switch (letter) {
	case 's':
		return buf_append_str(v, env->s);
	case 'l':
		return buf_append_str(v, env->l);
	case 'o':
		return buf_append_str(v, env->o);
	case 'd':
		return buf_append_str(v, env->d);
	case 'h':
		return buf_append_str(v, env->h);
	case 'r':
		return buf_append_str(v, env->r);
	case 'i':
		ip_text(env, 1, v);
		return 0;
	case 'c':
		ip_text(env, 0, v);
		return 0;
	case 'v':
		return buf_append_str(v, env->family == AF_INET6
				      ? "ip6" : "in-addr");
	case 't':
		snprintf(tmp, sizeof(tmp), "%lld", (long long) env->t);
		return buf_append_str(v, tmp);
	case 'p':
		if (env->ptr_name == NULL || env->ptr_name(env->ptr_arg, v) < 0
		    || v->len == 0) {
			buf_reset(v);
			return buf_append_str(v, "unknown");
		}
		return 0;
	}
	return -1;
}

static int expand_one(void *arg, const struct macro *m, struct buf *out)
{
	struct spf_macro_env *env = arg;
	struct buf v;
	size_t *starts, *ends;
	size_t	n = 0, i, from, to, k;
	const char *delim = m->delim_len ? m->delim : ".";
	size_t	delim_len = m->delim_len ? m->delim_len : 1;
	int	rc = 0;

	buf_init(&v, LIMIT_SPF_EXPANSION);
	if (value_of(env, m->letter, &v) < 0 || v.error != BUF_OK) {
		buf_free(&v);
		return -1;
	}
	/* split on any delimiter: at most len + 1 parts */
	starts = malloc((v.len + 1) * sizeof(*starts));
	ends = malloc((v.len + 1) * sizeof(*ends));
	if (starts == NULL || ends == NULL) {
		free(starts);
		free(ends);
		buf_free(&v);
		return -1;
	}
	from = 0;
	for (i = 0; i <= v.len; i++) {
		if (i == v.len || memchr(delim, v.data[i], delim_len) != NULL) {
			starts[n] = from;
			ends[n] = i;
			n++;
			from = i + 1;
		}
	}
	if (m->reverse)
		for (i = 0; i < n / 2; i++) {
			size_t	s = starts[i], e = ends[i];

			starts[i] = starts[n - 1 - i];
			ends[i] = ends[n - 1 - i];
			starts[n - 1 - i] = s;
			ends[n - 1 - i] = e;
		}
	from = m->digits && m->digits < n ? n - m->digits : 0;
	to = n;
	for (i = from; i < to; i++) {
		if (i > from)
			buf_append_byte(out, '.');
		for (k = starts[i]; k < ends[i]; k++) {
			unsigned char c = v.data[k];

			if (m->upper && !((c >= 'A' && c <= 'Z')
					  || (c >= 'a' && c <= 'z')
					  || (c >= '0' && c <= '9')
					  || c == '-' || c == '.' || c == '_'
					  || c == '~'))
				buf_printf(out, "%%%02X", c);
			else
				buf_append_byte(out, c);
		}
	}
	if (out->error != BUF_OK)
		rc = -1;
	free(starts);
	free(ends);
	buf_free(&v);
	return rc;
}

int spf_macro_expand(struct spf_macro_env *env, const char *s, size_t len,
		     int exp, struct buf *out, const char **error_r)
{
	buf_reset(out);
	return scan(s, len, exp, error_r, expand_one, env, out);
}
