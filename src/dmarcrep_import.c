/*
 * NAME
 *	dmarcrep_import 3
 * SUMMARY
 *	one received DMARC aggregate report, from its bytes to the store
 * DESCRIPTION
 *	See dmarcrep_import.h.  Moved here from cli_dmarcrep.c so that the
 *	CLI and the daemon (reports by mail) cannot come to treat the same
 *	bytes differently.
 */
#include <stdio.h>
#include <string.h>

#include "buf/buf.h"
#include "dmarcrep/dmarcrep.h"
#include "dmarcrep_import.h"

/* Keep the refused report aside with res->reason. */
static int dmarcrep_import_refuse(struct store *s, const void *data, size_t len,
				  const char *origin, long long now,
				  struct dmarcrep_import_result *res, const char **error_r)
{
	int	rc;

	res->outcome = DMARCREP_REFUSED;
	rc = store_dmarcrep_reject(s, origin, res->reason, data, len, now, error_r);
	res->kept = rc == STORE_OK;
	return rc;
}

/* The report's names and sizes into res. */
static void dmarcrep_import_names(const struct dmarcrep_report *r,
				  struct dmarcrep_import_result *res)
{
	size_t	i;

	(void) snprintf(res->org, sizeof(res->org), "%s", r->org_name);
	(void) snprintf(res->report_id, sizeof(res->report_id), "%s", r->report_id);
	res->records = r->nrecords;
	/* The store refuses counts over STORE_DMARCREP_COUNT_MAX: no overflow. */
	for (i = 0; i < r->nrecords; i++)
		res->messages += r->records[i].count;
}

/* Store the parsed report, with the mail's verdict when it came by mail. */
static int dmarcrep_import_store(struct store *s, const struct dmarcrep_report *r,
				 const char *source, const struct dmarcrep_import_mail *mail,
				 long long now, int *dup_r, const char **error_r)
{
	if (mail != NULL)
		return store_dmarcrep_add_mail(s, r, mail->dmarc, mail->from_domain, now, dup_r,
					       error_r);
	return store_dmarcrep_add(s, r, source, now, dup_r, error_r);
}

int dmarcrep_import(struct store *s, const void *data, size_t len, const char *source,
		    const char *origin, const struct dmarcrep_import_mail *mail, long long now,
		    struct dmarcrep_import_result *res, const char **error_r)
{
	struct dmarcrep_report r;
	enum dmarcrep_format format;
	struct buf xml;
	int	rc, dup = 0;

	memset(res, 0, sizeof(*res));
	if (origin == NULL)
		origin = source;
	if (len > (size_t) LIMIT_DMARCREP_PACKED) {
		(void) snprintf(res->reason, sizeof(res->reason), "over %d MiB packed",
				LIMIT_DMARCREP_PACKED >> 20);
		return dmarcrep_import_refuse(s, data, len, origin, now, res, error_r);
	}
	memset(&r, 0, sizeof(r));
	buf_init(&xml, (size_t) LIMIT_DMARCREP_XML + 1);
	if (dmarcrep_unpack(data, len, &xml, &format, res->reason, sizeof(res->reason)) != 0
	    || dmarcrep_parse(xml.data, xml.len, &r, res->reason, sizeof(res->reason)) != 0) {
		rc = dmarcrep_import_refuse(s, data, len, origin, now, res, error_r);
	} else if ((rc = dmarcrep_import_store(s, &r, source, mail, now, &dup, error_r))
		   == STORE_INVALID) {
		(void) snprintf(res->reason, sizeof(res->reason), "%s", *error_r);
		rc = dmarcrep_import_refuse(s, data, len, origin, now, res, error_r);
	} else if (rc != STORE_OK) {
		res->outcome = DMARCREP_FAILED;
	} else {
		res->outcome = dup ? DMARCREP_DUPLICATE : DMARCREP_IMPORTED;
		dmarcrep_import_names(&r, res);
	}
	dmarcrep_free(&r);
	buf_free(&xml);
	return rc;
}
