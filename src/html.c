/*
 * NAME
 *	html 3
 * SUMMARY
 *	markup built in C, with every value escaped
 * DESCRIPTION
 *	See html.h.  The format is walked by hand rather than handed to
 *	vsnprintf: every %s must pass through the escaper, and a conversion
 *	we do not know (a %n, a %p, a width) is a bug we want to hear about
 *	at once, so it aborts instead of printing something unescaped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* Append at most max octets of s (SIZE_MAX: all), escaped. */
static void html_escape(struct buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *) (s != NULL ? s : "");
	size_t	i;

	for (i = 0; p[i] != 0 && i < max; i++)
		switch (p[i]) {
		case '&': buf_append_str(b, "&amp;"); break;
		case '<': buf_append_str(b, "&lt;"); break;
		case '>': buf_append_str(b, "&gt;"); break;
		case '"': buf_append_str(b, "&quot;"); break;
		case '\'': buf_append_str(b, "&#39;"); break;
		default:
			buf_append_byte(b, (p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f
					? ' ' : p[i]);
		}
}

void html_text(struct buf *b, const char *s)
{
	html_escape(b, s, (size_t) -1);
}

static void html_bad(const char *fmt)
{
	fprintf(stderr, "html_fmt: unsupported conversion in \"%s\"\n", fmt);
	abort();
}

/* One integer conversion at *p (after '%' and length letters); returns the
   characters consumed from the format after the length letters. */
static void html_int(struct buf *b, const char *fmt, const char *len, char conv, va_list *ap)
{
	int	l = (int) strlen(len);

	if (conv != 'd' && conv != 'u' && conv != 'x')
		html_bad(fmt);
	if (l == 0 && conv == 'd')
		buf_printf(b, "%d", va_arg(*ap, int));
	else if (l == 0)
		buf_printf(b, conv == 'u' ? "%u" : "%x", va_arg(*ap, unsigned));
	else if (strcmp(len, "l") == 0 && conv == 'd')
		buf_printf(b, "%ld", va_arg(*ap, long));
	else if (strcmp(len, "l") == 0)
		buf_printf(b, conv == 'u' ? "%lu" : "%lx", va_arg(*ap, unsigned long));
	else if (strcmp(len, "ll") == 0 && conv == 'd')
		buf_printf(b, "%lld", va_arg(*ap, long long));
	else if (strcmp(len, "ll") == 0)
		buf_printf(b, conv == 'u' ? "%llu" : "%llx", va_arg(*ap, unsigned long long));
	else if (strcmp(len, "z") == 0 && conv == 'u')
		buf_printf(b, "%zu", va_arg(*ap, size_t));
	else
		html_bad(fmt);
}

void html_fmt(struct buf *b, const char *fmt, ...)
{
	const char *p = fmt;
	va_list	ap;

	va_start(ap, fmt);
	while (*p) {
		const char *pct = strchr(p, '%');
		char	len[3] = "";
		size_t	n = 0, prec = (size_t) -1;

		if (pct == NULL) {
			buf_append_str(b, p);
			break;
		}
		buf_append(b, p, (size_t) (pct - p));
		p = pct + 1;
		if (*p == '%') {
			buf_append_byte(b, '%');
			p++;
			continue;
		}
		if (*p == '.') {
			char   *end;

			if (p[1] < '0' || p[1] > '9')
				html_bad(fmt);
			prec = strtoul(p + 1, &end, 10);
			p = end;
			if (*p != 's')
				html_bad(fmt);
		}
		if (*p == 's') {
			html_escape(b, va_arg(ap, const char *), prec);
			p++;
			continue;
		}
		while ((*p == 'l' || *p == 'z') && n < 2)
			len[n++] = *p++;
		len[n] = 0;
		html_int(b, fmt, len, *p, &ap);
		p++;
	}
	va_end(ap);
}
