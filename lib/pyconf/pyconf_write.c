/*
 * NAME
 *	pyconf_write 3
 * SUMMARY
 *	write strings and lists of strings as config_list -o does
 * DESCRIPTION
 *	A one-line string is written as Python 2's repr() writes it: single
 *	quotes unless the string holds ' and no ", then double quotes;
 *	\\ \n \t \r and the quote escaped; other bytes below 0x20 and 0x7F
 *	as \xNN.  Bytes >= 0x80 are written as they are (repr() would write
 *	\xNN; config_list itself writes them raw for lists in a non-ASCII
 *	charset, and raw UTF-8 stays readable in an editor).
 *
 *	A string holding a newline is written as config_list writes its
 *	multi-line Text settings, """...""" with every " escaped as \" --
 *	which also covers """ inside and a string ending in ".  Unlike
 *	config_list we also escape \ (config_list does not, so a backslash
 *	followed by n in a footer comes back as a newline after its own
 *	round trip) and \r and control bytes, so every string parses back
 *	to exactly the same bytes.  NUL bytes are written as \x00, which
 *	pyconf_parse() refuses: the parsed form never holds a NUL.
 */
#include <string.h>

#include "buf/buf.h"
#include "pyconf/pyconf.h"

static void put_hex(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char	x[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	buf_append(out, x, 4);
}

/* Bytes that stand for themselves inside quotes. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c != 0x7F && c != '\\';
}

static void put_repr(const char *s, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *) s;
	char	q = len > 0 && memchr(s, '\'', len) != NULL && memchr(s, '"', len) == NULL ?
		'"' : '\'';
	size_t	i, run;

	buf_append_byte(out, (unsigned char) q);
	for (i = 0; i < len; i++) {
		for (run = i; run < len && plain(u[run]) && u[run] != (unsigned char) q; run++)
			;
		if (run > i) {
			buf_append(out, u + i, run - i);
			i = run;
			if (i == len)
				break;
		}
		switch (u[i]) {
		case '\\': buf_append(out, "\\\\", 2); break;
		case '\n': buf_append(out, "\\n", 2); break;
		case '\t': buf_append(out, "\\t", 2); break;
		case '\r': buf_append(out, "\\r", 2); break;
		default:
			if (u[i] == (unsigned char) q) {
				buf_append_byte(out, '\\');
				buf_append_byte(out, u[i]);
			} else {
				put_hex(out, u[i]);
			}
		}
	}
	buf_append_byte(out, (unsigned char) q);
}

static void put_triple(const char *s, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t	i;

	buf_append(out, "\"\"\"", 3);
	for (i = 0; i < len; i++) {
		switch (u[i]) {
		case '\\': buf_append(out, "\\\\", 2); break;
		case '"': buf_append(out, "\\\"", 2); break;
		case '\n': case '\t': buf_append_byte(out, u[i]); break;
		case '\r': buf_append(out, "\\r", 2); break;
		default:
			if (u[i] < 0x20 || u[i] == 0x7F)
				put_hex(out, u[i]);
			else
				buf_append_byte(out, u[i]);
		}
	}
	buf_append(out, "\"\"\"", 3);
}

int	pyconf_write_str(const char *s, size_t len, struct buf *out)
{
	if (len > 0 && memchr(s, '\n', len) != NULL)
		put_triple(s, len, out);
	else
		put_repr(s, len, out);
	return buf_failed(out) ? -1 : 0;
}

/* lens may be NULL: then the items are NUL-terminated strings. */
int	pyconf_write_list(const char *const *items, const size_t *lens, size_t n,
			  struct buf *out)
{
	size_t	i;

	buf_append_byte(out, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_append(out, ", ", 2);
		put_repr(items[i], lens ? lens[i] : strlen(items[i]), out);
	}
	buf_append_byte(out, ']');
	return buf_failed(out) ? -1 : 0;
}
