/*
 * NAME
 *	fuzz_dmarcrep_mail 1
 * SUMMARY
 *	libFuzzer target for the report candidate picker (src/dmarcrep_mail.c)
 * DESCRIPTION
 *	The input is a mail to the DMARC report address.  dmarcrep_mail_pick
 *	must return 0 or -1 (with a reason); on 0 it may give at most
 *	DMARCREP_MAIL_MAX candidates, each of a report type (or
 *	application/octet-stream with a report file name), with a
 *	NUL-terminated file name and at most LIMIT_DMARCREP_PACKED + 1
 *	decoded octets, and none when it counts extra ones past the cap
 *	without having filled it.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarcrep_mail.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_ends(const char *name)
{
	static const char *const endings[] = { ".xml", ".gz", ".zip" };
	size_t	i, n, len = strlen(name);

	for (i = 0; i < 3; i++) {
		n = strlen(endings[i]);
		if (len >= n && strcasecmp(name + len - n, endings[i]) == 0)
			return 1;
	}
	return 0;
}

static void fuzz_check_part(const struct dmarcrep_mail_part *p)
{
	static const char *const types[] = {
		"application/gzip", "application/x-gzip", "application/zip",
		"application/x-zip-compressed", "text/xml", "application/xml",
	};
	size_t	i;
	int	known = 0;

	if (memchr(p->type, 0, sizeof(p->type)) == NULL
	    || memchr(p->filename, 0, sizeof(p->filename)) == NULL)
		abort();
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		known |= strcmp(p->type, types[i]) == 0;
	/* a cut name may lose its ending only past DMARCREP_MAIL_NAME_MAX */
	if (!known && (strcmp(p->type, "application/octet-stream") != 0
		       || (strlen(p->filename) < DMARCREP_MAIL_NAME_MAX && !fuzz_ends(p->filename))))
		abort();
	if (p->data.len > (size_t) LIMIT_DMARCREP_PACKED + 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmarcrep_mail_parts p;
	const char *error = NULL;
	size_t	i;
	int	rc = dmarcrep_mail_pick(data, size, &p, &error);

	if (rc != 0 && (rc != -1 || error == NULL))
		abort();
	if (rc == 0) {
		if (p.n > DMARCREP_MAIL_MAX || (p.extra > 0 && p.n < DMARCREP_MAIL_MAX))
			abort();
		for (i = 0; i < p.n; i++)
			fuzz_check_part(&p.part[i]);
	}
	dmarcrep_mail_parts_free(&p);
	return 0;
}
