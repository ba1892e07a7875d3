/*
 * NAME
 *	test_dmarcwin 1
 * SUMMARY
 *	the DMARC report page's query arguments: domain, days, end date
 * DESCRIPTION
 *	Rows of {input, expected}: good values and the near misses around
 *	them (case, markup, length, signs, white space, the calendar's
 *	edges); every date accepted is checked against gmtime as well.
 */
#include <string.h>
#include <time.h>

#include "dmarcwin.h"
#include "tap.h"

static const struct {
	const char *in, *want;		/* want NULL: refused */
} domains[] = {
	{"lists.example.org", "lists.example.org"},
	{"LISTS.Example.ORG", "lists.example.org"},
	{"xn--bcher-kva.example", "xn--bcher-kva.example"},
	{"", NULL},
	{"a<b>.example", NULL},
	{"a b.example", NULL},
	{"example.org/x", NULL},
	{"ex%41mple.org", NULL},
	{"b\xc3\xbc" "cher.example", NULL},
};

static const struct {
	const char *in;
	long long want;			/* -1: refused */
} numbers[] = {
	{"7", 7}, {"1", 1}, {"90", 90}, {"007", 7}, {"0", -1}, {"91", -1}, {"", -1}, {"-7", -1},
	{"+7", -1}, {" 7", -1}, {"7 ", -1}, {"0x7", -1}, {"1234567890", -1}, {"7.0", -1},
};

static const struct {
	const char *in;
	long long want;			/* day number, -1: refused */
} dates[] = {
	{"1970-01-01", 0},
	{"2026-11-01", 1793491200 / 86400},
	{"2026-11-07", 1793491200 / 86400 + 6},
	{"2024-02-29", 19782},
	{"2000-02-29", 11016},
	{"9999-12-31", 2932896},
	{"2026-02-29", -1}, {"1900-02-29", -1}, {"2100-02-29", -1},
	{"2026-04-31", -1}, {"2026-13-01", -1}, {"2026-00-10", -1}, {"2026-01-00", -1},
	{"1969-12-31", -1}, {"2026-1-07", -1}, {"2026/11/07", -1}, {"2026-11-07T00", -1},
	{"26-11-07", -1}, {"yesterday", -1}, {"", -1}, {"+026-11-07", -1},
};

int main(void)
{
	char	out[DMARCWIN_DOMAIN_MAX + 1], big[DMARCWIN_DOMAIN_MAX + 2], back[16];
	size_t	i;
	long long day;
	time_t	t;
	struct tm tm;

	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		int	rc = dmarcwin_domain(domains[i].in, strlen(domains[i].in), out, sizeof(out));

		if (domains[i].want == NULL)
			tap_ok(rc == -1 && out[0] == 0, "domain \"%s\" is refused", domains[i].in);
		else
			tap_ok(rc == 0 && strcmp(out, domains[i].want) == 0, "domain \"%s\" is %s",
			       domains[i].in, domains[i].want);
	}
	memset(big, 'a', sizeof(big));
	tap_int(dmarcwin_domain(big, DMARCWIN_DOMAIN_MAX, out, sizeof(out)), 0,
		"a domain of 253 octets");
	tap_int(dmarcwin_domain(big, DMARCWIN_DOMAIN_MAX + 1, out, sizeof(out)), -1,
		"a domain of 254 octets is refused");
	tap_int(dmarcwin_domain("example.org", 11, out, 11), -1, "no room for the NUL: refused");
	tap_int(dmarcwin_domain("example.org", 7, out, sizeof(out)), 0, "only len octets are read");
	tap_str(out, "example", "  they are \"example\"");
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		tap_int(dmarcwin_number(numbers[i].in, strlen(numbers[i].in), 1, 90), numbers[i].want,
			numbers[i].in);
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		day = dmarcwin_date(dates[i].in, strlen(dates[i].in));
		tap_int(day, dates[i].want, dates[i].in);
		if (day < 0)
			continue;
		t = (time_t) (day * 86400);
		tap_ok(gmtime_r(&t, &tm) != NULL && strftime(back, sizeof(back), "%Y-%m-%d", &tm) == 10
		       && strcmp(back, dates[i].in) == 0, "  gmtime agrees on %s", dates[i].in);
	}
	return tap_done();
}
