/*
 * NAME
 *	dmarcrep_import 3h
 * SUMMARY
 *	one received DMARC aggregate report, from its bytes to the store
 * DESCRIPTION
 *	The one path every received report takes, whether a file given to
 *	"sealist dmarc-report import" or an attachment of a mail to the
 *	report address (dmarcrep_mail.h): refuse it if it is bigger than
 *	LIMIT_DMARCREP_PACKED, unpack and parse it (lib/dmarcrep), store it
 *	with its records (store_dmarcrep_add), and keep a report that cannot
 *	be unpacked, parsed or stored aside with its reason
 *	(store_dmarcrep_reject), so the admin can see later what was
 *	refused and where it came from.  Nothing is printed or logged here:
 *	the callers say it their way.
 */
#ifndef SEALIST_DMARCREP_IMPORT_H
#define SEALIST_DMARCREP_IMPORT_H

#include <stddef.h>

#include "sealist_limits.h"
#include "store.h"

enum dmarcrep_import_outcome {
	DMARCREP_IMPORTED,		/* stored with its records */
	DMARCREP_DUPLICATE,		/* its org_name and report_id were stored before */
	DMARCREP_REFUSED,		/* not a report we can read: reason says why */
	DMARCREP_FAILED,		/* the store failed: nothing changed, try again */
};

struct dmarcrep_import_result {
	enum dmarcrep_import_outcome outcome;
	int	kept;			/* refused: kept aside in dmarc_report_rejects */
	char	reason[512];		/* refused: one line, maybe the sender's text */
	/* imported or duplicate: the report's names (the sender's text:
	   callers replace control characters before showing them) */
	char	org[LIMIT_DMARCREP_FIELD];
	char	report_id[LIMIT_DMARCREP_FIELD];
	size_t	records;
	long long messages;		/* the records' counts added up */
};

/* How the mail that carried a report authenticated (our verdict of it). */
struct dmarcrep_import_mail {
	const char *dmarc;		/* "pass", "fail", "none", ...; NULL: unknown */
	const char *from_domain;	/* its author domain, "" none */
	int	require;		/* dmarc_report_require_auth: refuse a report whose
					   passing mail is not from its contact's domain */
};

/*
 * Import data[0..len) (len may exceed LIMIT_DMARCREP_PACKED: then it is
 * refused for its size).  source is stored with the report ("mail" or
 * "file:NAME"), origin with a refused one (any one line, such as
 * "mail <MESSAGE-ID> from SENDER"; NULL: source).  mail: for source
 * "mail", how the mail authenticated, stored with the report
 * (store_dmarcrep_add_mail); NULL: not known (a file).  now: Unix seconds.
 * Returns STORE_OK with *res filled (imported, duplicate, or refused and
 * kept aside), or the store's failing status with *error_r and
 * res->outcome DMARCREP_FAILED (adding failed) or DMARCREP_REFUSED with
 * kept 0 (keeping the refused one aside failed).
 */
extern int dmarcrep_import(struct store *, const void *data, size_t len, const char *source,
			   const char *origin, const struct dmarcrep_import_mail *mail,
			   long long now, struct dmarcrep_import_result *res,
			   const char **error_r);

#endif
