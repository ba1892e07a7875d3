/*
 * NAME
 *	fuzz_dmarcrep 1
 * SUMMARY
 *	libFuzzer target for lib/dmarcrep
 * DESCRIPTION
 *	The input is unpacked (gzip, zip or plain) and, when that works,
 *	parsed; it is also parsed as XML as it is, so that the fuzzer
 *	reaches the XML paths without first finding a gzip header.
 *	Checked: a refusal always says why; unpacked XML is within its cap;
 *	a parsed report has its required values, every string is non-NULL,
 *	below LIMIT_DMARCREP_FIELD and free of control characters, every
 *	source_ip is an address, every count and date non-negative, the
 *	record count within its cap.  Any violation is abort().
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dmarcrep/dmarcrep.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s)
{
	size_t	n;

	if (s == NULL)
		abort();
	n = strlen(s);
	if (n >= LIMIT_DMARCREP_FIELD)
		abort();
	for (; *s != 0; s++)
		if ((unsigned char) *s < 0x20 || *s == 0x7f
		    || ((unsigned char) s[0] == 0xC2 && (unsigned char) s[1] >= 0x80
			&& (unsigned char) s[1] <= 0x9F))
			abort();
}

static void check_auth(const struct dmarcrep_auth *a, size_t n)
{
	size_t	i;

	if (n > 0 && a == NULL)
		abort();
	for (i = 0; i < n; i++) {
		check_str(a[i].domain);
		check_str(a[i].selector);
		check_str(a[i].result);
		check_str(a[i].scope);
	}
}

static void check_report(const struct dmarcrep_report *r)
{
	const char *s[] = {r->org_name, r->email, r->extra_contact, r->report_id, r->domain,
			   r->adkim, r->aspf, r->p, r->sp, r->np, r->fo, r->testing, r->discovery};
	unsigned char addr[16];
	size_t	i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		check_str(s[i]);
	if (r->errors == NULL || strlen(r->errors) >= LIMIT_DMARCREP_FIELD)
		abort();
	if (*r->org_name == 0 || *r->report_id == 0 || *r->domain == 0
	    || r->date_begin < 0 || r->date_end < 0 || r->pct < -1 || r->pct > 100
	    || (r->schema != 7489 && r->schema != 9990)
	    || r->nrecords > LIMIT_DMARCREP_RECORDS || (r->nrecords > 0 && r->records == NULL))
		abort();
	for (i = 0; i < r->nrecords; i++) {
		const struct dmarcrep_record *x = &r->records[i];

		check_str(x->source_ip);
		check_str(x->disposition);
		check_str(x->dkim);
		check_str(x->spf);
		check_str(x->reason_type);
		check_str(x->reason_comment);
		check_str(x->header_from);
		check_str(x->envelope_from);
		check_str(x->envelope_to);
		if (x->count < 0 || (inet_pton(AF_INET, x->source_ip, addr) != 1
				     && inet_pton(AF_INET6, x->source_ip, addr) != 1))
			abort();
		check_auth(x->dkim_results, x->ndkim);
		check_auth(x->spf_results, x->nspf);
	}
}

static void parse(const void *xml, size_t len)
{
	struct dmarcrep_report r;
	char	why[256] = "";

	if (dmarcrep_parse(xml, len, &r, why, sizeof(why)) == 0)
		check_report(&r);
	else if (why[0] == 0)
		abort();
	dmarcrep_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf xml;
	enum dmarcrep_format f;
	char	why[256] = "";

	buf_init(&xml, LIMIT_DMARCREP_XML + 1);
	if (dmarcrep_unpack(data, size, &xml, &f, why, sizeof(why)) == 0) {
		if (xml.len > LIMIT_DMARCREP_XML || (f == DMARCREP_PLAIN && xml.len != size))
			abort();
		parse(xml.data, xml.len);
	} else if (why[0] == 0) {
		abort();
	}
	buf_free(&xml);
	parse(data, size);
	return 0;
}
