/*
 * NAME
 *	test_html 1
 * SUMMARY
 *	html_fmt and html_text escape every value, and only values
 * DESCRIPTION
 *	Each special character on its own, control characters, %.Ns
 *	(cut before escaping, never inside an entity), the integer
 *	conversions, %%, NULL as "", and that an unknown conversion
 *	aborts (run in a child).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "html.h"
#include "tap.h"

static void fmt_is(const char *want, const char *what, const char *value)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	html_fmt(&b, "<td>%s</td>", value);
	tap_str(buf_str(&b), want, what);
	buf_free(&b);
}

/* Does html_fmt(fmt) abort?  fmt is passed through a variable on purpose. */
static int aborts(const char *fmt)
{
	pid_t	pid = fork();
	int	status = 0;

	if (pid == 0) {
		struct buf b;

		close(2);
		buf_init(&b, 1024);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		html_fmt(&b, fmt, 1, 2);	/* the point is a bad format */
#pragma GCC diagnostic pop
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

int main(void)
{
	struct buf b;

	fmt_is("<td>&amp;</td>", "& escaped", "&");
	fmt_is("<td>&lt;</td>", "< escaped", "<");
	fmt_is("<td>&gt;</td>", "> escaped", ">");
	fmt_is("<td>&quot;</td>", "\" escaped", "\"");
	fmt_is("<td>&#39;</td>", "' escaped", "'");
	fmt_is("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>", "a script tag", "<script>alert(1)</script>");
	fmt_is("<td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>", "an attribute breakout",
	       "\"><img src=x onerror=alert(1)>");
	fmt_is("<td>a b c\nd</td>", "control characters become spaces, newline stays", "a\tb\rc\nd");
	fmt_is("<td>x y</td>", "DEL becomes a space", "x\x7fy");
	fmt_is("<td>caf\xc3\xa9</td>", "UTF-8 is kept", "caf\xc3\xa9");
	fmt_is("<td></td>", "NULL is empty", NULL);

	buf_init(&b, 1 << 16);
	html_fmt(&b, "<a href=\"/x/%s\">%.3s</a>", "a\"b", "<<<<<");
	tap_str(buf_str(&b), "<a href=\"/x/a&quot;b\">&lt;&lt;&lt;</a>", "%.3s cuts 3 octets, then escapes");
	buf_reset(&b);
	html_fmt(&b, "%.10s|", "ab");
	tap_str(buf_str(&b), "ab|", "%.10s of a shorter string");
	buf_reset(&b);
	html_fmt(&b, "%d %u %ld %lu %lld %llu %zu %x 100%%", -1, 2u, -3L, 4UL, -5LL, 6ULL,
		 (size_t) 7, 255u);
	tap_str(buf_str(&b), "-1 2 -3 4 -5 6 7 ff 100%", "integer conversions and %%");
	buf_reset(&b);
	html_text(&b, "<b>&'\"</b>");
	tap_str(buf_str(&b), "&lt;b&gt;&amp;&#39;&quot;&lt;/b&gt;", "html_text escapes");
	buf_reset(&b);
	html_fmt(&b, "<p class=\"x\">plain</p>");
	tap_str(buf_str(&b), "<p class=\"x\">plain</p>", "the format itself is not escaped");
	buf_free(&b);

	tap_ok(aborts("%p"), "%%p aborts");
	tap_ok(aborts("%n"), "%%n aborts");
	tap_ok(aborts("%5d"), "a width aborts");
	tap_ok(aborts("%.*s"), "%%.*s aborts");
	tap_ok(aborts("%"), "a lone %% aborts");
	tap_ok(!aborts("%d %d"), "a good format does not abort");
	return tap_done();
}
