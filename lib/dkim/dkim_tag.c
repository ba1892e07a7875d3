/*
 * NAME
 *	dkim_tag 3
 * SUMMARY
 *	tag=value lists (RFC 6376 section 3.2)
 * DESCRIPTION
 *	One iterator for the three tag-lists DKIM reads from strangers:
 *	DKIM-Signature values, key records and (through lib/arc) ARC sets.
 *	It works on a byte range with a length and never looks past it.
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"

static int is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_alnumpunc(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* VALCHAR = %x21-3A / %x3C-7E: printable ASCII except ";". */
static int is_valchar(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != ';';
}

static const unsigned char *skip_fws(const unsigned char *p,
				     const unsigned char *end)
{
	while (p < end && DKIM_IS_FWS(*p))
		p++;
	return p;
}

void dkim_tag_init(struct dkim_tag_iter *it, const void *p, size_t len)
{
	it->p = p;
	it->end = it->p + len;
	it->too_long = len > LIMIT_DKIM_TAG_LIST;
}

int dkim_tag_next(struct dkim_tag_iter *it, struct dkim_tag *tag,
		  const char **error_r)
{
	const unsigned char *p = it->p, *end = it->end;
	const unsigned char *v, *vend;

	if (it->too_long) {
		*error_r = "tag list too long";
		return -1;
	}
	p = skip_fws(p, end);
	if (p == end) {
		it->p = p;
		return 0;
	}
	if (*p == ';') {
		*error_r = "empty tag";
		return -1;
	}
	if (!is_alpha(*p)) {
		*error_r = "bad tag name";
		return -1;
	}
	tag->name = p;
	while (p < end && is_alnumpunc(*p))
		p++;
	tag->name_len = (size_t) (p - tag->name);
	p = skip_fws(p, end);
	if (p == end || *p != '=') {
		*error_r = "missing = after tag name";
		return -1;
	}
	p = skip_fws(p + 1, end);
	v = vend = p;
	while (p < end && *p != ';') {
		if (is_valchar(*p))
			vend = p + 1;
		else if (!DKIM_IS_FWS(*p)) {
			*error_r = "bad character in tag value";
			return -1;
		}
		p++;
	}
	tag->value = v;
	tag->value_len = (size_t) (vend - v);
	if (p < end)
		p++;			/* the ";" */
	it->p = p;
	return 1;
}

int dkim_tag_is(const struct dkim_tag *t, const char *name)
{
	size_t	n = strlen(name);

	return t->name_len == n && memcmp(t->name, name, n) == 0;
}

char *dkim_strip_fws(const unsigned char *p, size_t len)
{
	char   *s;
	size_t	i, n = 0;

	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		if (!DKIM_IS_FWS(p[i]))
			s[n++] = (char) p[i];
	s[n] = 0;
	return s;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char) (c + 32) : c;
}

int dkim_name_eq(const void *a, size_t alen, const char *b)
{
	const unsigned char *s = a;
	size_t	i;

	for (i = 0; i < alen; i++)
		if (b[i] == 0 || lower(s[i]) != lower((unsigned char) b[i]))
			return 0;
	return b[alen] == 0;
}
