/*
 * NAME
 *	spf_zone 3h
 * SUMMARY
 *	an in-memory DNS table for spf_check_host() (tests, fuzzing, tools)
 * DESCRIPTION
 *	See spf_zone.c for the text format.  spf_zone_add() and
 *	spf_zone_load() return 0 or -1 (no memory, malformed line); a
 *	record whose data does not parse (a bad address) makes the lookup
 *	return DNS_ERROR.  spf_zone_queries() counts questions asked.
 */
#ifndef SEALIST_SPF_ZONE_H
#define SEALIST_SPF_ZONE_H

#include "spf/spf.h"

struct spf_zone;

extern struct spf_zone *spf_zone_new(void);
extern void spf_zone_free(struct spf_zone *);
extern int spf_zone_add(struct spf_zone *, const char *name,
			const char *type, const char *data, size_t len);
extern int spf_zone_load(struct spf_zone *, const char *text, size_t len);
extern unsigned long spf_zone_queries(const struct spf_zone *);
extern struct spf_lookups spf_zone_lookups(struct spf_zone *);

#endif
