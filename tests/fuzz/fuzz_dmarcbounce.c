/*
 * NAME
 *	fuzz_dmarcbounce 1
 * SUMMARY
 *	libFuzzer target for the report_id reader of bounces (src/dmarcbounce.c)
 * DESCRIPTION
 *	The input is a mail to the DMARC report address.  When it parses,
 *	dmarcbounce_report_id must return 0 or 1, and on 1 give a
 *	NUL-terminated id of printable ASCII without space that fits the
 *	buffer.  The message is also put through dsn_parse, as the handler
 *	does.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dsn/dsn.h"
#include "msg/msg.h"
#include "dmarcbounce.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg *m = NULL;
	struct dsn_report rep;
	const char *error;
	char	id[DMARCBOUNCE_ID_MAX + 1];
	size_t	i, n;
	int	rc;

	if (msg_parse(&m, data, size, &error) < 0)
		return 0;
	memset(id, 'x', sizeof(id));
	rc = dmarcbounce_report_id(m, id, sizeof(id));
	if (rc != 0 && rc != 1)
		abort();
	if (rc == 1) {
		if ((n = strnlen(id, sizeof(id))) == 0 || n == sizeof(id))
			abort();
		for (i = 0; i < n; i++)
			if ((unsigned char) id[i] <= 0x20 || (unsigned char) id[i] >= 0x7f)
				abort();
	}
	(void) dsn_parse(m, &rep, &error);
	dsn_report_free(&rep);
	msg_free(m);
	return 0;
}
