/*
 * NAME
 *	dsn_util 3
 * SUMMARY
 *	bounded text helpers for lib/dsn
 * DESCRIPTION
 *	Bounces are untrusted text of any shape.  Everything here works on
 *	(pointer, length), never reads past the end and never needs a NUL
 *	terminator; see dsn_int.h for the contracts.
 */
#include <stdlib.h>
#include <string.h>

#include "dsn/dsn_int.h"

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

int dsn_line(const unsigned char *d, size_t len, size_t *pos,
	     const unsigned char **line_r, size_t *llen_r)
{
	const unsigned char *nl;
	size_t	start = *pos, n;

	if (start >= len)
		return 0;
	nl = memchr(d + start, '\n', len - start);
	n = nl ? (size_t) (nl - (d + start)) : len - start;
	*pos = start + n + (nl ? 1 : 0);
	if (n > 0 && d[start + n - 1] == '\r')
		n--;
	*line_r = d + start;
	*llen_r = n;
	return 1;
}

const unsigned char *dsn_ci_find(const unsigned char *hay, size_t len,
				 const char *needle)
{
	size_t	n = strlen(needle), i, j;
	int	first;

	if (n == 0 || n > len)
		return n == 0 ? hay : NULL;
	first = lower((unsigned char) needle[0]);
	for (i = 0; i + n <= len; i++) {
		if (lower(hay[i]) != first)
			continue;
		for (j = 1; j < n; j++)
			if (lower(hay[i + j]) != lower((unsigned char) needle[j]))
				break;
		if (j == n)
			return hay + i;
	}
	return NULL;
}

int dsn_ci_starts(const unsigned char *line, size_t len, const char *prefix)
{
	size_t	i = 0, n = strlen(prefix), j;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < n)
		return 0;
	for (j = 0; j < n; j++)
		if (lower(line[i + j]) != lower((unsigned char) prefix[j]))
			return 0;
	return 1;
}

/* Length of the valid UTF-8 sequence at s (2 to 4), or 0: overlong
 * forms, surrogates and stray bytes are not valid. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	size_t	n, i;
	unsigned cp;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/*
 * Bytes that are not valid UTF-8 (a Latin-1 diagnostic) become '?': the
 * strings go to logs, the database and web pages, which all want UTF-8,
 * and the bounce's charset is unknown.  A cut never splits a character.
 */
void dsn_copy(char *dst, size_t size, const void *src, size_t len)
{
	const unsigned char *s = src;
	size_t	i = 0, o = 0, n;
	int	space = 0;

	if (size == 0)
		return;
	while (i < len) {
		unsigned char c = s[i];

		if (c <= ' ' || c == 0x7F) {
			space = o > 0;
			i++;
			continue;
		}
		n = c < 0x80 ? 1 : utf8_seq(s + i, len - i);
		if (o + space + (n ? n : 1) + 1 > size)
			break;
		if (space)
			dst[o++] = ' ';
		space = 0;
		if (n == 0) {
			dst[o++] = '?';
			i++;
		} else {
			memcpy(dst + o, s + i, n);
			o += n;
			i += n;
		}
	}
	dst[o] = 0;
}

/* Length of a run of 1..3 digits at p, 0 if none or longer. */
static size_t digits(const unsigned char *p, size_t len)
{
	size_t	n = 0;

	while (n < len && is_digit(p[n]))
		n++;
	return n >= 1 && n <= 3 ? n : 0;
}

/* An x.y.z at text[i] standing alone (not inside a longer number or an
 * IP address); its length, or 0. */
static size_t status_at(const unsigned char *t, size_t len, size_t i)
{
	size_t	a, b, j;

	if (t[i] != '2' && t[i] != '4' && t[i] != '5')
		return 0;
	if (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '.'))
		return 0;
	if (i + 1 >= len || t[i + 1] != '.')
		return 0;
	j = i + 2;
	if ((a = digits(t + j, len - j)) == 0)
		return 0;
	j += a;
	if (j >= len || t[j] != '.')
		return 0;
	j++;
	if ((b = digits(t + j, len - j)) == 0)
		return 0;
	j += b;
	if (j < len && (is_digit(t[j]) || (t[j] == '.' && j + 1 < len &&
					   is_digit(t[j + 1]))))
		return 0;
	return j - i;
}

int dsn_find_status(const unsigned char *text, size_t len, char *out)
{
	size_t	i, n;

	for (i = 0; i < len; i++) {
		if ((n = status_at(text, len, i)) == 0)
			continue;
		memcpy(out, text + i, n);
		out[n] = 0;
		return 1;
	}
	return 0;
}

int dsn_find_reply(const unsigned char *t, size_t len)
{
	size_t	i;

	for (i = 0; i + 3 <= len; i++) {
		if (t[i] != '2' && t[i] != '4' && t[i] != '5')
			continue;
		if (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '.' ||
			      t[i - 1] == '#' || t[i - 1] == ':'))
			continue;
		if (!is_digit(t[i + 1]) || !is_digit(t[i + 2]))
			continue;
		if (i + 3 < len && t[i + 3] != ' ' && t[i + 3] != '-' &&
		    t[i + 3] != '\t' && t[i + 3] != '\r' && t[i + 3] != '\n')
			continue;
		return (t[i] - '0') * 100 + (t[i + 1] - '0') * 10 +
			(t[i + 2] - '0');
	}
	return 0;
}

/* Bytes that end an address found in free text. */
static int addr_stop(unsigned char c)
{
	return c <= ' ' || c == 0x7F || strchr("<>()[]\"',;:", c) != NULL;
}

int dsn_find_addr(const unsigned char *line, size_t len, char *out, size_t size)
{
	size_t	at, s, e, dot;

	for (at = 0; at < len; at++) {
		if (line[at] != '@')
			continue;
		for (s = at; s > 0 && !addr_stop(line[s - 1]); s--)
			;
		for (e = at + 1; e < len && !addr_stop(line[e]); e++)
			;
		while (e > at + 1 && line[e - 1] == '.')
			e--;
		if (e - s >= 7 && dsn_ci_starts(line + s, e - s, "mailto:"))
			s += 7;
		for (dot = at + 1; dot < e && line[dot] != '.'; dot++)
			;
		if (s == at || dot >= e - 1 || e - s >= size ||
		    memchr(line + at + 1, '@', e - at - 1) != NULL)
			continue;
		memcpy(out, line + s, e - s);
		out[e - s] = 0;
		return 1;
	}
	return 0;
}

int dsn_add(struct dsn_report *rep, struct dsn_recipient **r)
{
	struct dsn_recipient *more;

	if (rep->count >= LIMIT_DSN_RECIPIENTS) {
		rep->truncated = 1;
		return 0;
	}
	more = realloc(rep->r, (rep->count + 1) * sizeof(*more));
	if (more == NULL)
		return -1;
	rep->r = more;
	*r = &more[rep->count++];
	memset(*r, 0, sizeof(**r));
	(*r)->cls = DSN_OTHER;
	return 1;
}
