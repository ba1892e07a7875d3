/*
 * NAME
 *	fuzz_dmarcrep_out 1
 * SUMMARY
 *	libFuzzer target for lib/dmarcrep's writer: whatever the values, the
 *	report written is one our reader reads back
 * DESCRIPTION
 *	The values of a report (texts that come from received mail: domains,
 *	selectors, reason comments, human results; and enumerated words)
 *	are the input split at newlines (the field of each line: see
 *	LLVMFuzzerTestOneInput).  dmarcrep_write either refuses with
 *	a reason, leaving the buffer as it was, or writes a document that
 *	dmarcrep_parse accepts with the same record count, count and
 *	enumerated values; its gzip unpacks to the same bytes; the Subject
 *	and file name built from the same fields have no bare CR or LF and no
 *	line over 998 octets.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dmarcrep/dmarcrep.h"
#include "dmarcrep/dmarcrep_out.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFIELD	20

/* The input's lines as C strings (cut at a NUL); missing ones "". */
static void split(const uint8_t *data, size_t size, char **f)
{
	size_t	i, b = 0, e;

	for (i = 0; i < NFIELD; i++) {
		const uint8_t *nl = b < size ? memchr(data + b, '\n', size - b) : NULL;

		e = b >= size ? b : nl != NULL ? (size_t) (nl - data) : size;
		f[i] = calloc(1, e - b + 1);
		if (f[i] != NULL && e > b)
			memcpy(f[i], data + b, e - b);
		b = e + 1;
	}
}

static void check_read(const struct dmarcrep_out *r, const struct buf *xml)
{
	struct dmarcrep_report g;
	char	why[256] = "";

	if (dmarcrep_parse(xml->data, xml->len, &g, why, sizeof(why)) != 0
	    || g.nrecords != 1 || g.records[0].count != r->records[0].count
	    || strcmp(g.p, r->p) != 0 || strcmp(g.records[0].disposition,
						r->records[0].disposition) != 0
	    || g.records[0].ndkim != r->records[0].ndkim)
		abort();
	dmarcrep_free(&g);
}

static void check_gzip(const struct buf *xml)
{
	struct buf gz, un;
	const char *err = NULL;
	enum dmarcrep_format fmt;
	char	why[256];

	buf_init(&gz, LIMIT_DMARCREP_OUT);
	buf_init(&un, LIMIT_DMARCREP_XML + 1);
	if (dmarcrep_gzip(xml->data, xml->len, "r.xml", 1700000000, &gz, &err) != 0
	    || dmarcrep_unpack(gz.data, gz.len, &un, &fmt, why, sizeof(why)) != 0
	    || fmt != DMARCREP_GZIP || un.len != xml->len
	    || memcmp(un.data, xml->data, xml->len) != 0)
		abort();
	buf_free(&gz);
	buf_free(&un);
}

/* Lines end in CRLF followed by SP, none over 998 octets. */
static void check_lines(const struct buf *b)
{
	size_t	i, col = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\r') {
			if (i + 2 >= b->len || b->data[i + 1] != '\n' || b->data[i + 2] != ' ')
				abort();
			col = 0;
			i++;
		} else if (b->data[i] == '\n' || b->data[i] == 0 || ++col > 998) {
			abort();
		}
	}
}

static void names(char **f)
{
	struct buf b;

	buf_init(&b, 4096);
	if (dmarcrep_subject(f[0], f[1], f[2], &b) == 0)
		check_lines(&b);
	buf_reset(&b);
	if (dmarcrep_filename(f[1], f[0], 0, 1, f[19], 1, &b) == 0
	    && (memchr(b.data, '/', b.len) != NULL || b.len < 10))
		abort();
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char   *f[NFIELD];
	struct dmarcrep_out_auth dk[2], spf;
	struct dmarcrep_out_record rec;
	struct dmarcrep_out r;
	struct buf xml;
	const char *err = NULL;
	size_t	i;

	split(data, size, f);
	for (i = 0; i < NFIELD; i++)
		if (f[i] == NULL)
			goto out;
	dk[0] = (struct dmarcrep_out_auth) {f[0], f[1], f[2], NULL, f[3]};
	dk[1] = (struct dmarcrep_out_auth) {"example.com", "s", "pass", NULL, NULL};
	spf = (struct dmarcrep_out_auth) {f[4], NULL, f[5], f[6][0] ? f[6] : NULL, f[7]};
	rec = (struct dmarcrep_out_record) {
		.source_ip = f[8][0] ? f[8] : "192.0.2.1", .count = (long long) size + 1,
		.disposition = f[9][0] ? f[9] : "none", .dkim = "pass", .spf = "fail",
		.reason_type = f[10][0] ? f[10] : NULL, .reason_comment = f[11],
		.header_from = f[12], .envelope_from = f[13], .dkim_results = dk,
		.ndkim = size % 3, .spf_result = size % 2 ? &spf : NULL,
	};
	r = (struct dmarcrep_out) {
		.org_name = f[14], .email = "dmarc@example.org", .extra_contact = f[15],
		.report_id = f[0], .date_begin = 0, .date_end = 86399, .error = f[11],
		.domain = f[12], .p = f[16], .sp = f[17], .fo = f[18],
		.records = &rec, .nrecords = 1,
	};
	buf_init(&xml, LIMIT_DMARCREP_OUT);
	buf_append_str(&xml, "<!-- before -->");
	if (dmarcrep_write(&r, &xml, &err) != 0) {
		if (err == NULL || *err == 0 || xml.len != strlen("<!-- before -->"))
			abort();
	} else {
		buf_consume(&xml, strlen("<!-- before -->"));
		check_read(&r, &xml);
		check_gzip(&xml);
	}
	buf_free(&xml);
	names(f);
out:
	for (i = 0; i < NFIELD; i++)
		free(f[i]);
	return 0;
}
