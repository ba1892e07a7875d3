/*
 * NAME
 *	web_b 3h
 * SUMMARY
 *	small helpers the admin pages of web_overview.c, web_bounces.c,
 *	web_keys.c and web_queue.c share
 * DESCRIPTION
 *	Dates as the CLI prints them (UTC), defined in web_overview.c.
 */
#ifndef SEALIST_WEB_B_H
#define SEALIST_WEB_B_H

#include <stddef.h>

/* "YYYY-MM-DD" (UTC) of a Unix time into out; "-" for 0 or less. */
extern void web_b_date(long long t, char *out, size_t size);
/* "YYYY-MM-DD HH:MM" (UTC); "-" for 0 or less. */
extern void web_b_datetime(long long t, char *out, size_t size);

#endif
