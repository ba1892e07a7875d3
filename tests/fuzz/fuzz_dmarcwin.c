/*
 * NAME
 *	fuzz_dmarcwin 1
 * SUMMARY
 *	libFuzzer target for src/dmarcwin.c
 * DESCRIPTION
 *	The whole input is read as a domain, as days and as an end date.
 *	Checked: a domain accepted is the input lowercased, of allowed
 *	characters only, NUL-terminated in its buffer; a number accepted is
 *	in its bounds and prints back as the input; a date accepted is a day
 *	that gmtime prints back as the input.  Any violation is abort().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dmarcwin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_domain(const char *s, size_t len)
{
	char	out[DMARCWIN_DOMAIN_MAX + 1];
	size_t	i;

	if (dmarcwin_domain(s, len, out, sizeof(out)) != 0) {
		if (out[0] != 0)
			abort();
		return;
	}
	if (strlen(out) != len)
		abort();
	for (i = 0; i < len; i++)
		if (out[i] != ((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i])
		    || !((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= '0' && out[i] <= '9')
			 || out[i] == '.' || out[i] == '-'))
			abort();
}

static void check_number(const char *s, size_t len)
{
	char	back[32];
	long long n = dmarcwin_number(s, len, 1, 90);

	if (n < 0)
		return;
	if (n > 90 || len > 9)
		abort();
	/* leading zeros are digits too: compare the value, not the text */
	(void) snprintf(back, sizeof(back), "%0*lld", (int) len, n);
	if (memcmp(back, s, len) != 0)
		abort();
}

static void check_date(const char *s, size_t len)
{
	long long day = dmarcwin_date(s, len);
	char	back[16];
	time_t	t;
	struct tm tm;

	if (day < 0)
		return;
	t = (time_t) (day * 86400);
	if (len != 10 || gmtime_r(&t, &tm) == NULL
	    || strftime(back, sizeof(back), "%Y-%m-%d", &tm) != 10 || memcmp(back, s, 10) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;

	check_domain(s, size);
	check_number(s, size);
	check_date(s, size);
	return 0;
}
