/*
 * NAME
 *	store_keep 3
 * SUMMARY
 *	what a connection kept open between requests needs to know
 * DESCRIPTION
 *	See store.h (the H6 block).  The web keeps one store per thread of
 *	its pool (web.c); every store entry point commits or rolls back
 *	before it returns, so a store between two requests is outside any
 *	transaction.  This is how web.c checks it rather than trusting it:
 *	a store found inside one is closed (which rolls back) instead of
 *	being kept, so a missed rollback cannot hold a lock for good.
 */
#include "store_int.h"
#include "store.h"

int store_in_transaction(const struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}
