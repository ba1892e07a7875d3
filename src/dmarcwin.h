/*
 * NAME
 *	dmarcwin 3h
 * SUMMARY
 *	the window of the DMARC report page: its query arguments
 * DESCRIPTION
 *	/admin/dmarc?domain=D&days=N&end=YYYY-MM-DD comes from anyone who
 *	can log in: these parsers read each value over a length, accept only
 *	what they describe and have a fuzz target (tests/fuzz/fuzz_dmarcwin.c).
 *	No libmicrohttpd, no store: web_dmarc.c calls them.
 */
#ifndef SEALIST_DMARCWIN_H
#define SEALIST_DMARCWIN_H

#include <stddef.h>

/* A domain name: RFC 1035's 253 octets of text. */
#define DMARCWIN_DOMAIN_MAX	253

/*
 * s[0..len) as a domain name the store keeps (lowercase ASCII letters,
 * digits, '.' and '-'; 1 to DMARCWIN_DOMAIN_MAX octets) into out (size
 * octets, NUL-terminated): 0, or -1 when it is not one (out is "").
 */
extern int dmarcwin_domain(const char *s, size_t len, char *out, size_t size);

/* s[0..len) as a decimal number of at most 9 digits in lo..hi; -1 otherwise. */
extern long long dmarcwin_number(const char *s, size_t len, long long lo, long long hi);

/*
 * s[0..len) as "YYYY-MM-DD", a real date of the Gregorian calendar from
 * 1970-01-01 to 9999-12-31: the number of days since 1970-01-01 (the
 * UTC day number, Unix time / 86400); -1 otherwise.
 */
extern long long dmarcwin_date(const char *s, size_t len);

#endif
