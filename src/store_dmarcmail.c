/*
 * NAME
 *	store_dmarcmail 3
 * SUMMARY
 *	the store's part of DMARC reports received by mail: which list a
 *	report address's recipient is filed under
 * DESCRIPTION
 *	See store.h (the H1 block) and db/012_report_address.sql.  Every
 *	inbox_rcpt row belongs to a list, so mail to dmarc-reports@DOMAIN
 *	is filed under the domain's oldest list (the lowest id: stable while
 *	that list exists).  The statement's text lives here (store_stmt_sql),
 *	like store_c2.c.
 */
#include <string.h>

#include "store_int.h"
#include "store.h"

static const char store_dmarcmail_domain_list_sql[] =
	"SELECT l.id FROM lists l JOIN domains d ON d.id = l.domain_id"
	" WHERE d.name = ?1 ORDER BY l.id LIMIT 1";

int store_dmarcmail_domain_list(struct store *s, const char *domain, long long *id_r,
				const char **error_r)
{
	sqlite3_stmt *st;
	int	rc, status;

	*id_r = 0;
	if ((st = store_stmt_sql(s, SQL_DMARCMAIL_DOMAIN_LIST,
				 store_dmarcmail_domain_list_sql)) == NULL)
		return store_result(s, STORE_ERROR, error_r);
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(st, 0);
		status = STORE_OK;
	} else if (rc == SQLITE_DONE) {
		status = store_fail(s, STORE_NO_LIST, "no list at %s", domain);
	} else {
		status = store_db_fail(s, "cannot look up the lists of a domain");
	}
	sqlite3_reset(st);
	return store_result(s, status, error_r);
}
