/*
 * NAME
 *	store_keep 3
 * SUMMARY
 *	settling a connection that is kept open between requests
 * DESCRIPTION
 *	See store.h (the H6 block).  The web keeps one store per thread of
 *	its pool (web.c).  Every store entry point commits or rolls back
 *	before it returns, and resets its statements on their next use; a
 *	store closed after each request needed no more.  A kept one does:
 *	a statement left running (a walk its callback stopped, an error
 *	path) holds its read snapshot, so the connection would not see
 *	later commits and the WAL could not be checkpointed past it.  So
 *	between requests every running statement is reset here, and a
 *	transaction still open (no entry point leaves one) is reported, for
 *	the caller to close the store (which rolls back) rather than keep it.
 */
#include "store_int.h"
#include "store.h"

int store_idle(struct store *s)
{
	sqlite3_stmt *st = NULL;

	while ((st = sqlite3_next_stmt(s->db, st)) != NULL)
		if (sqlite3_stmt_busy(st))
			(void) sqlite3_reset(st);
	return sqlite3_get_autocommit(s->db) ? 0 : -1;
}
