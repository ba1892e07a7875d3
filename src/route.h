/*
 * NAME
 *	route 3h
 * SUMMARY
 *	which list and role a recipient address names
 * DESCRIPTION
 *	LIST@DOMAIN posts; LIST-request@ (commands), LIST-owner@,
 *	LIST-bounces@ and LIST-bounces+TAG@ (VERP), LIST-confirm+TOKEN@,
 *	LIST-join@ and LIST-leave@ reach the list's handlers.  Names are
 *	matched without regard to case; the tag (after the configurable
 *	recipient delimiter, '+' by default) is kept as written and allowed
 *	only on -bounces and -confirm.
 *
 *	The DMARC report address (sealist.conf dmarc_report_address, a
 *	local part) at any domain that has a list is ours too, as role
 *	dmarc-report filed under that domain's oldest list; a list of the
 *	same name wins, since it existed under that address first.  The
 *	local part must match whole (case ignored): no +tag.
 *
 *	Anything else, or a list that does not exist, is not ours: the
 *	LMTP server answers 550 5.1.1.
 */
#ifndef SEALIST_ROUTE_H
#define SEALIST_ROUTE_H

#include "store.h"

enum route_role {
	ROUTE_POST, ROUTE_REQUEST, ROUTE_OWNER, ROUTE_BOUNCES, ROUTE_CONFIRM,
	ROUTE_JOIN, ROUTE_LEAVE, ROUTE_DMARC_REPORT,
};

/* "post", "request", "owner", "bounces", "confirm", "join", "leave",
   "dmarc-report" */
extern const char *route_role_str(enum route_role);

struct route {
	long long list_id;
	char   *list;			/* "dev@example.org", lowercase */
	enum route_role role;
	char   *tag;			/* "" when none */
};

/*
 * Split address (no angle brackets) into the list address, role and tag
 * without looking anything up.  0 with out filled (free with
 * route_free), -1 when the address cannot name a list.
 */
extern int route_parse(const char *address, char delimiter, struct route *out);

/*
 * route_parse and find the list; failing that, the DMARC report address
 * (report_local: the local part, NULL or "" for none) at a domain with a
 * list.  0 found (out->list_id set), 1 not ours (no such list, or not
 * list-shaped), -1 the store failed (*error_r; the LMTP server answers
 * 451).
 */
extern int route_lookup(struct store *, const char *address, char delimiter,
			const char *report_local, struct route *out, const char **error_r);

extern void route_free(struct route *);

#endif
