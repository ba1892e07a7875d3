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
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dmarc/dmarc.h"
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

/*
 * Do the mail's From domain and the report's contact address (<email>)
 * share an organizational domain?  A DMARC pass proves only who sent the
 * mail; without this anyone whose own domain passes could mail a report
 * "from" a big receiver and have it count as authentic.  The public
 * suffix list decides (no DNS: this runs inside the pipeline's step).
 */
static int dmarcrep_import_related(const char *from_domain, const char *email)
{
	const char *at = email != NULL ? strrchr(email, '@') : NULL;
	char   *a = NULL, *b = NULL;
	int	same;

	if (from_domain == NULL || *from_domain == 0 || at == NULL)
		return 0;
	same = dmarc_org_domain(NULL, from_domain, DMARC_PSL, &a, NULL) == 0
	    && dmarc_org_domain(NULL, at + 1, DMARC_PSL, &b, NULL) == 0
	    && strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

/* The mail's verdict as stored: "pass" only when its From domain is the
   report's own (else "unaligned"), so the marks and the switch apply. */
static const char *dmarcrep_import_verdict(const struct dmarcrep_import_mail *mail,
					   const struct dmarcrep_report *r)
{
	if (mail->dmarc == NULL || strcmp(mail->dmarc, "pass") != 0)
		return mail->dmarc;
	return dmarcrep_import_related(mail->from_domain, r->email) ? "pass" : "unaligned";
}

/* Store the parsed report, with the mail's verdict when it came by mail. */
static int dmarcrep_import_store(struct store *s, const struct dmarcrep_report *r,
				 const char *source, const struct dmarcrep_import_mail *mail,
				 long long now, int *dup_r, const char **error_r)
{
	if (mail != NULL)
		return store_dmarcrep_add_mail(s, r, dmarcrep_import_verdict(mail, r),
					       mail->from_domain, now, dup_r, error_r);
	return store_dmarcrep_add(s, r, source, now, dup_r, error_r);
}

/* dmarc_report_require_auth: a passing mail from another domain than the report's. */
static int dmarcrep_import_unaligned(const struct dmarcrep_import_mail *mail,
				     const struct dmarcrep_report *r,
				     struct dmarcrep_import_result *res)
{
	const char *v;

	if (mail == NULL || !mail->require || (v = dmarcrep_import_verdict(mail, r)) == NULL
	    || strcmp(v, "unaligned") != 0)
		return 0;
	(void) snprintf(res->reason, sizeof(res->reason),
			"report mail passed DMARC as %s, not as the report's contact domain (%s)",
			mail->from_domain, r->email);
	return 1;
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
	} else if (dmarcrep_import_unaligned(mail, &r, res)) {
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
