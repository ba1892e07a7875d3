/*
 * NAME
 *	test_buf 1
 * SUMMARY
 *	unit tests for lib/buf
 */
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "tap.h"

struct append_case {
	const char *what;
	size_t	max;
	const char *parts[4];		/* appended in order, NULL ends */
	const char *want;		/* contents after the appends */
	int	want_failed;		/* sticky error expected */
};

static const struct append_case append_cases[] = {
	{"empty buffer stays empty", 10, {NULL}, "", 0},
	{"appends concatenate", 10, {"ab", "cd", NULL}, "abcd", 0},
	{"exactly the maximum fits", 4, {"ab", "cd", NULL}, "abcd", 0},
	{"passing the maximum fails and keeps contents", 4, {"ab", "cde", NULL}, "ab", 1},
	{"after a failure later appends fail too", 4, {"abcdef", "a", NULL}, "", 1},
	{"zero maximum refuses one byte", 0, {"a", NULL}, "", 1},
	{"empty appends are fine at the maximum", 2, {"ab", "", NULL}, "ab", 0},
};

static void test_appends(void)
{
	size_t	i;
	int	j;

	for (i = 0; i < sizeof(append_cases) / sizeof(append_cases[0]); i++) {
		const struct append_case *c = &append_cases[i];
		struct buf b;

		buf_init(&b, c->max);
		for (j = 0; c->parts[j]; j++)
			(void) buf_append_str(&b, c->parts[j]);
		tap_str(buf_str(&b), c->want, c->what);
		tap_int(buf_failed(&b), c->want_failed, c->what);
		tap_int((long long) b.len, (long long) strlen(c->want), c->what);
		buf_free(&b);
	}
}

static void test_growth_byte_by_byte(void)
{
	struct buf b;
	size_t	i;
	int	bad = 0;

	buf_init(&b, 100000);
	for (i = 0; i < 100000; i++)
		bad |= buf_append_byte(&b, (unsigned char) (i & 0xff));
	tap_int(bad, 0, "100000 single-byte appends succeed");
	tap_int((long long) b.len, 100000, "length after byte appends");
	tap_ok(b.data[99999] == (unsigned char) (99999 & 0xff) && b.data[b.len] == 0,
	       "last byte kept and NUL after it");
	tap_int(buf_append_byte(&b, 1), -1, "one byte past the maximum fails");
	buf_reset(&b);
	tap_int(buf_failed(&b), 0, "reset clears the sticky error");
	tap_int(buf_append_str(&b, "x"), 0, "append works after reset");
	buf_free(&b);
}

static void test_binary_and_printf(void)
{
	struct buf b;
	static const unsigned char bin[] = {'a', 0, 'b', 0xff};

	buf_init(&b, 64);
	buf_append(&b, bin, sizeof(bin));
	tap_mem(b.data, b.len, bin, sizeof(bin), "NUL bytes inside data are kept");
	buf_reset(&b);
	buf_printf(&b, "%s=%d;", "n", 42);
	buf_printf(&b, "%05.1f", 2.5);
	tap_str(buf_str(&b), "n=42;002.5", "printf appends formatted text");
	buf_reset(&b);
	tap_int(buf_printf(&b, "%080d", 1), -1, "printf past the maximum fails");
	tap_str(buf_str(&b), "", "failed printf leaves contents unchanged");
	tap_str(buf_strerror(&b), "buffer limit exceeded", "error is named");
	buf_free(&b);
}

struct splice_case {
	const char *what;
	const char *start;
	size_t	off, del;
	const char *ins;
	const char *want;
	int	want_ret;
};

static const struct splice_case splice_cases[] = {
	{"insert at the top", "World", 0, 0, "Hello ", "Hello World", 0},
	{"insert at the end", "Hello", 5, 0, "!", "Hello!", 0},
	{"replace in the middle with longer", "a-b", 1, 1, "===", "a===b", 0},
	{"replace with shorter", "a===b", 1, 3, "-", "a-b", 0},
	{"remove a range", "abcdef", 1, 4, "", "af", 0},
	{"offset past the end fails", "abc", 4, 0, "x", "abc", -1},
	{"range past the end fails", "abc", 2, 2, "", "abc", -1},
	{"growth past the maximum fails", "abcdefghijklmnopqrstuvwxyz01234", 0, 0, "xx", "abcdefghijklmnopqrstuvwxyz01234", -1},
};

static void test_splice(void)
{
	size_t	i;

	for (i = 0; i < sizeof(splice_cases) / sizeof(splice_cases[0]); i++) {
		const struct splice_case *c = &splice_cases[i];
		struct buf b;

		buf_init(&b, 32);
		buf_append_str(&b, c->start);
		tap_int(buf_splice(&b, c->off, c->del, c->ins, strlen(c->ins)),
			c->want_ret, c->what);
		tap_str(buf_str(&b), c->want, c->what);
		buf_free(&b);
	}
}

static void test_consume_truncate_detach(void)
{
	struct buf b;
	char   *p;
	size_t	len = 99;

	buf_init(&b, 64);
	buf_append_str(&b, "line1\nline2\n");
	buf_consume(&b, 6);
	tap_str(buf_str(&b), "line2\n", "consume drops the front");
	buf_truncate(&b, 4);
	tap_str(buf_str(&b), "line", "truncate keeps the front");
	buf_consume(&b, 100);
	tap_str(buf_str(&b), "", "consume more than held empties");
	buf_append_str(&b, "kept");
	p = buf_detach(&b, &len);
	tap_str(p, "kept", "detach hands over the contents");
	tap_int((long long) len, 4, "detach reports the length");
	tap_int((long long) b.len, 0, "buffer is empty after detach");
	free(p);
	p = buf_detach(&b, &len);
	tap_str(p, "", "detach of an empty buffer gives an empty string");
	free(p);
	buf_free(&b);
}

int main(void)
{
	test_appends();
	test_growth_byte_by_byte();
	test_binary_and_printf();
	test_splice();
	test_consume_truncate_detach();
	return tap_done();
}
