/*
 * NAME
 *	web_auth_stub 3
 * SUMMARY
 *	TEMPORARY: no accounts yet, so nobody is logged in
 * DESCRIPTION
 *	Weak stand-ins for web_auth.c (helper A2's accounts and sessions),
 *	only so that the router links and its public pages run before A2's
 *	work is pulled: no session ever, no role ever, no /login.  Every
 *	route above WEB_PUBLIC is therefore refused.  Deleted when
 *	src/web_auth.c is in the tree.
 */
#include "web_int.h"

__attribute__((weak)) int web_auth_session(struct web_req *r, struct web_session *out)
{
	(void) r, (void) out;
	return 0;
}

__attribute__((weak)) int web_auth_allowed(struct web_req *r, enum web_role role,
					   const char *list)
{
	(void) r, (void) role, (void) list;
	return 0;
}

__attribute__((weak)) const struct web_route web_auth_routes[] = {
	{NULL, NULL, WEB_PUBLIC, 0, NULL},
};
