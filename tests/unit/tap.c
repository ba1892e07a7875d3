/*
 * NAME
 *	tap 3
 * SUMMARY
 *	minimal TAP producer for the unit tests
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int tap_count;
static int tap_failed;

static int tap_vok(int cond, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static int tap_vok(int cond, const char *fmt, va_list ap)
{
	char	what[2048];
	char   *p;

	/* A newline would end the TAP line early; show it as a blank. */
	vsnprintf(what, sizeof(what), fmt, ap);
	for (p = what; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	tap_count++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, what);
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

int tap_ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cond = tap_vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list	ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int tap_int(long long got, long long want, const char *what)
{
	if (!tap_ok(got == want, "%s", what)) {
		tap_diag("  got: %lld", got);
		tap_diag(" want: %lld", want);
		return 0;
	}
	return 1;
}

int tap_str(const char *got, const char *want, const char *what)
{
	int	same;

	same = (got == NULL || want == NULL) ? got == want : strcmp(got, want) == 0;
	if (!tap_ok(same, "%s", what)) {
		tap_diag("  got: %s%s%s", got ? "\"" : "", got ? got : "NULL", got ? "\"" : "");
		tap_diag(" want: %s%s%s", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
		return 0;
	}
	return 1;
}

static void tap_diag_bytes(const char *label, const unsigned char *p, size_t len)
{
	size_t	i;
	size_t	shown = len > 200 ? 200 : len;

	printf("# %s (%zu bytes): \"", label, len);
	for (i = 0; i < shown; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
	printf("\"%s\n", shown < len ? "..." : "");
}

int tap_mem(const void *got, size_t got_len, const void *want, size_t want_len,
	    const char *what)
{
	int	same = got_len == want_len
	&& (got_len == 0 || memcmp(got, want, got_len) == 0);

	if (!tap_ok(same, "%s", what)) {
		tap_diag_bytes(" got", got, got_len);
		tap_diag_bytes("want", want, want_len);
		return 0;
	}
	return 1;
}

int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# %d of %d checks failed\n", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

unsigned char *tap_read_file(const char *path, size_t *len_r)
{
	FILE   *fp;
	unsigned char *data = NULL;
	size_t	len = 0;
	size_t	cap = 0;
	size_t	n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			unsigned char *p = realloc(data, cap + 65536 + 1);

			if (p == NULL) {
				free(data);
				fclose(fp);
				return NULL;
			}
			data = p;
			cap += 65536;
		}
		n = fread(data + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		free(data);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	data[len] = 0;
	*len_r = len;
	return data;
}

const char *tap_srcpath(const char *rel)
{
	static char path[4096];
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/%s", top && *top ? top : ".", rel);
	return path;
}
