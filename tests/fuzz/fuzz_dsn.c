/*
 * NAME
 *	fuzz_dsn 1
 * SUMMARY
 *	libFuzzer target for lib/dsn
 * DESCRIPTION
 *	The input is read three ways: as a whole bounce message
 *	(dsn_parse), as the body of a message/delivery-status part
 *	(dsn_parse_fields), and as a VERP tag and an SMTP reply line.
 *	Checked: every recipient string is NUL-terminated inside its
 *	array, one line (no control bytes), the address is never empty,
 *	the count respects LIMIT_DSN_RECIPIENTS, the class is one of four,
 *	a recognised report has recipients, and a decoded VERP tag encodes
 *	back to the same tag.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dsn/dsn.h"
#include "msg/msg.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* NUL-terminated inside its array, one line, valid UTF-8 (shape only:
 * a lead byte followed by the right number of continuation bytes). */
static void check_str(const char *s, size_t size)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t	n = strnlen(s, size), i, k, need;

	if (n >= size)
		abort();
	for (i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7F)
			abort();
		if (u[i] < 0x80)
			continue;
		need = u[i] >= 0xF0 ? 3 : u[i] >= 0xE0 ? 2 : u[i] >= 0xC2 ? 1 : 0;
		if (need == 0 || u[i] > 0xF4 || i + need >= n + 1)
			abort();
		for (k = 1; k <= need; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				abort();
		i += need;
	}
}

static void check_report(const struct dsn_report *rep)
{
	size_t	i;

	if (rep->count > LIMIT_DSN_RECIPIENTS || rep->format == NULL)
		abort();
	if (rep->recognised != (rep->count > 0))
		abort();
	for (i = 0; i < rep->count; i++) {
		const struct dsn_recipient *r = &rep->r[i];

		check_str(r->address, sizeof(r->address));
		check_str(r->original, sizeof(r->original));
		check_str(r->status, sizeof(r->status));
		check_str(r->action, sizeof(r->action));
		check_str(r->diagnostic, sizeof(r->diagnostic));
		check_str(r->remote_mta, sizeof(r->remote_mta));
		if (r->address[0] == 0 || r->cls > DSN_OTHER)
			abort();
	}
}

static void check_verp(const uint8_t *data, size_t size)
{
	char	addr[600];
	struct buf b;
	const char *err;

	/* Longer tags decode but cannot be encoded (LIMIT_DSN_ADDRESS). */
	if (size + strlen("l-bounces+") > LIMIT_DSN_ADDRESS ||
	    dsn_verp_decode(data, size, addr, sizeof(addr)) < 0)
		return;
	buf_init(&b, 2048);
	if (dsn_verp_encode("l", '+', addr, "x.example", &b, &err) < 0 ||
	    b.len != strlen("l-bounces+") + size + strlen("@x.example") ||
	    memcmp(b.data + strlen("l-bounces+"), data, size) != 0)
		abort();
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dsn_report rep;
	struct msg *m;
	const char *err;
	char   *line;

	if (msg_parse(&m, data, size, &err) == 0) {
		if (dsn_parse(m, &rep, &err) < 0)
			abort();
		check_report(&rep);
		dsn_report_free(&rep);
		msg_free(m);
	}
	memset(&rep, 0, sizeof(rep));
	if (dsn_parse_fields(data, size, &rep) < 0)
		abort();
	rep.recognised = rep.count > 0;
	rep.format = "fields";
	check_report(&rep);
	dsn_report_free(&rep);
	check_verp(data, size);
	if ((line = malloc(size + 1)) == NULL)
		abort();
	memcpy(line, data, size);
	line[size] = 0;
	if (dsn_classify(line, line) > DSN_OTHER)
		abort();
	free(line);
	return 0;
}
