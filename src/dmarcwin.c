/*
 * NAME
 *	dmarcwin 3
 * SUMMARY
 *	the DMARC report page's query arguments: domain, days, end date
 * DESCRIPTION
 *	See dmarcwin.h.  Each value is checked character by character over
 *	its length (no NUL terminator is relied on, no strto*: "+7", " 7"
 *	and "0x7" are not numbers here), and a date is checked against the
 *	calendar before it is turned into a day number with H. Hinnant's
 *	days_from_civil, exact for every date in range.
 */
#include "dmarcwin.h"

static int dmarcwin_domain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	    || c == '.' || c == '-';
}

int dmarcwin_domain(const char *s, size_t len, char *out, size_t size)
{
	size_t	i;

	if (size > 0)
		out[0] = 0;
	if (s == NULL || len == 0 || len > DMARCWIN_DOMAIN_MAX || len >= size)
		return -1;
	for (i = 0; i < len; i++) {
		if (!dmarcwin_domain_char(s[i])) {
			out[0] = 0;
			return -1;
		}
		out[i] = (char) (s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	}
	out[len] = 0;
	return 0;
}

long long dmarcwin_number(const char *s, size_t len, long long lo, long long hi)
{
	long long n = 0;
	size_t	i;

	if (s == NULL || len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	return n < lo || n > hi ? -1 : n;
}

/* Days since 1970-01-01 of a valid proleptic Gregorian date. */
static long long dmarcwin_days_from_civil(long long y, long long m, long long d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long long dmarcwin_date(const char *s, size_t len)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long long y, m, d;

	if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if ((y = dmarcwin_number(s, 4, 1970, 9999)) < 0 || (m = dmarcwin_number(s + 5, 2, 1, 12)) < 0
	    || (d = dmarcwin_number(s + 8, 2, 1, mdays[m - 1])) < 0)
		return -1;
	if (m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)))
		return -1;
	return dmarcwin_days_from_civil(y, m, d);
}
