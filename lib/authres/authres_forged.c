/*
 * NAME
 *	authres_forged 3
 * SUMMARY
 *	which Authentication-Results fields claim our authserv-id; trusted SPF
 * DESCRIPTION
 *	RFC 8601 section 5: a receiver removes every field that claims its
 *	own authserv-id before adding its own, or downstream agents would
 *	trust what the sender wrote.  OpenDKIM's CVE-2022-48521 came from
 *	deciding "ours?" with a parser that a comment could confuse, so the
 *	decision here is deliberately generous (rules in authres.h): a field
 *	is kept only when its authserv-id reads cleanly and is not ours, or
 *	when no reading of it at all contains our authserv-id.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authres/authres.h"
#include "authres/authres_lex.h"
#include "sealist_limits.h"

static const char field_name[] = "Authentication-Results";

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char) (c - 'A' + 'a') : c;
}

/* Equal ignoring ASCII case and trailing dots on either side. */
static int id_equal(const unsigned char *a, size_t alen, const char *b)
{
	size_t	blen = strlen(b);
	size_t	i;

	while (alen > 0 && a[alen - 1] == '.')
		alen--;
	while (blen > 0 && b[blen - 1] == '.')
		blen--;
	if (alen != blen || alen == 0)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower((unsigned char) b[i]))
			return 0;
	return 1;
}

/*
 * Does needle (ours, trailing dots dropped) occur in the value once
 * whitespace, '"' and '\' are dropped -- and, if skip_comments, comments
 * too?  Case is ignored.
 */
static int squeezed_contains(const unsigned char *v, size_t len,
			     const char *needle, int skip_comments)
{
	struct buf sq;
	size_t	nlen = strlen(needle);
	size_t	depth = 0;
	size_t	i;
	int	found = 0;

	while (nlen > 0 && needle[nlen - 1] == '.')
		nlen--;
	if (nlen == 0)
		return 0;
	buf_init(&sq, len);
	for (i = 0; i < len; i++) {
		unsigned char c = v[i];

		if (c == '\\' && i + 1 < len) {
			c = v[++i];
			if (depth == 0)
				buf_append_byte(&sq, lower(c));
			continue;
		}
		if (skip_comments && c == '(') {
			depth++;
			continue;
		}
		if (skip_comments && c == ')' && depth > 0) {
			depth--;
			continue;
		}
		if (depth > 0 || c == ' ' || c == '\t' || c == '\r'
		    || c == '\n' || c == '"' || c == '\\')
			continue;
		buf_append_byte(&sq, lower(c));
	}
	for (i = 0; !found && sq.len >= nlen && i <= sq.len - nlen; i++)
		if (strncasecmp((const char *) sq.data + i, needle, nlen) == 0)
			found = 1;
	/* On no memory, say "ours": removing is the safe side. */
	if (buf_failed(&sq))
		found = 1;
	buf_free(&sq);
	return found;
}

int authres_is_ours(const void *value, size_t len, const char *authserv_id)
{
	struct authres_lex l = { value, len, 0 };
	struct buf id;
	unsigned n;
	int	rc, clean = 0;

	buf_init(&id, len);
	if (authres_lex_cfws(&l) == 0
	    && (rc = authres_lex_value(&l, &id)) > 0) {
		if (id_equal(id.data, id.len, authserv_id)) {
			buf_free(&id);
			return 1;
		}
		/* Clean: [CFWS] [version [CFWS]] then ';' or the end. */
		if (authres_lex_cfws(&l) == 0) {
			n = 0;
			while (!authres_lex_end(&l) && n < 10
			       && l.p[l.pos] >= '0' && l.p[l.pos] <= '9') {
				l.pos++;
				n++;
			}
			if (n < 10 && authres_lex_cfws(&l) == 0
			    && (authres_lex_end(&l)
				|| authres_lex_peek(&l) == ';'))
				clean = id.len > 0;
		}
	}
	buf_free(&id);
	if (clean)
		return 0;
	return squeezed_contains(value, len, authserv_id, 1)
	    || squeezed_contains(value, len, authserv_id, 0);
}

size_t authres_find_ours(const struct msg *m, const char *authserv_id,
			 size_t *indices, size_t max)
{
	size_t	total = 0;
	long	i;

	for (i = msg_find(m, field_name, 0); i >= 0;
	     i = msg_find(m, field_name, (size_t) i + 1)) {
		const struct msg_field *f = msg_field(m, (size_t) i);

		if (!authres_is_ours(f->value, f->value_len, authserv_id))
			continue;
		if (total < max)
			indices[total] = (size_t) i;
		total++;
	}
	return total;
}

size_t authres_remove_forged(struct msg *m, const char *authserv_id)
{
	size_t	before = msg_field_count(m);
	size_t	removed = 0;
	long	i;

	/* Bottom up, so that removing never moves a field not yet seen. */
	while ((i = msg_rfind(m, field_name, before)) >= 0) {
		const struct msg_field *f = msg_field(m, (size_t) i);

		if (authres_is_ours(f->value, f->value_len, authserv_id)
		    && msg_remove(m, (size_t) i) == 0)
			removed++;
		before = (size_t) i;
	}
	return removed;
}

void authres_spf_free(struct authres_spf *spf)
{
	free(spf->authserv_id);
	free(spf->result);
	free(spf->mailfrom);
	free(spf->helo);
	memset(spf, 0, sizeof(*spf));
}

static char *dup_or_null(const char *s, int *failed)
{
	char   *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*failed = 1;
	return d;
}

int authres_trusted_spf(const struct msg *m, const char *const *trusted_ids,
			size_t ntrusted, struct authres_spf *spf)
{
	long	i;

	memset(spf, 0, sizeof(*spf));
	for (i = msg_find(m, field_name, 0); i >= 0;
	     i = msg_find(m, field_name, (size_t) i + 1)) {
		const struct msg_field *f = msg_field(m, (size_t) i);
		const struct authres_result *r;
		struct authres *ar;
		const char *error;
		size_t	t;
		int	failed = 0;

		if (authres_parse(f->value, f->value_len, &ar, &error) < 0)
			return strcmp(error, "out of memory") == 0 ? -1 : 0;
		for (t = 0; t < ntrusted; t++)
			if (id_equal((const unsigned char *) ar->authserv_id,
				     strlen(ar->authserv_id), trusted_ids[t]))
				break;
		if (t == ntrusted) {
			authres_free(ar);
			return 0;	/* the run of trusted fields ends */
		}
		if ((r = authres_find(ar, "spf")) == NULL) {
			authres_free(ar);
			continue;
		}
		spf->authserv_id = dup_or_null(ar->authserv_id, &failed);
		spf->result = dup_or_null(r->result, &failed);
		spf->mailfrom = dup_or_null(authres_prop(r, "smtp", "mailfrom"),
					    &failed);
		spf->helo = dup_or_null(authres_prop(r, "smtp", "helo"),
					&failed);
		authres_free(ar);
		if (failed) {
			authres_spf_free(spf);
			return -1;
		}
		return 1;
	}
	return 0;
}
