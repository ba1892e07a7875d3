/*
 * NAME
 *	fuzz_dmarcrep_rua 1
 * SUMMARY
 *	libFuzzer target for lib/dmarcrep's rua= parser and the RFC 9990
 *	section 4 external destination check
 * DESCRIPTION
 *	The input is split at each newline into records, as TXT records at
 *	<domain>._report._dmarc.<host> would come from the DNS (NULs and all).
 *	The first record, up to a NUL, is also a rua= value for
 *	dmarcrep_rua_parse, and the first two are the names for
 *	dmarcrep_ext_name.  Checked: at most the URIs asked for are kept; each
 *	address is one local part, '@' and its host, the host lowercase LDH;
 *	an override is given only with AUTHORIZED and always names the
 *	destination host; a name built is within DNS limits.  Any violation
 *	is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarcrep/dmarcrep_out.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEST	"red.example.net"
#define MAXREC	8

static void check_rua(const struct dmarcrep_rua *r)
{
	const char *at = strrchr(r->address, '@'), *p;

	if (memchr(r->address, 0, sizeof(r->address)) == NULL
	    || memchr(r->host, 0, sizeof(r->host)) == NULL || at == NULL
	    || at == r->address || strcmp(at + 1, r->host) != 0 || strlen(r->host) > 253)
		abort();
	for (p = r->host; *p != 0; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'
		      || *p == '.'))
			abort();
}

static void rua(const uint8_t *data, size_t size)
{
	struct dmarcrep_rua out[DMARCREP_RUA_MAX + 1];
	char   *s = malloc(size + 1);
	size_t	n, i, max = size % (DMARCREP_RUA_MAX + 2);

	if (s == NULL)
		return;
	memcpy(s, data, size);
	s[size] = 0;
	memset(out, 0xA5, sizeof(out));
	n = dmarcrep_rua_parse(s, out, max);
	if (n > max || n > DMARCREP_RUA_MAX)
		abort();
	for (i = 0; i < n; i++)
		check_rua(&out[i]);
	/* nothing written past what was asked for (and never past 8) */
	i = max < DMARCREP_RUA_MAX ? max : DMARCREP_RUA_MAX;
	if (((unsigned char *) &out[i])[0] != 0xA5)
		abort();
	free(s);
}

static void ext_name(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	char	*x = malloc(an + 1), *y = malloc(bn + 1), out[300];
	size_t	n;

	if (x != NULL && y != NULL) {
		memcpy(x, a, an), x[an] = 0;
		memcpy(y, b, bn), y[bn] = 0;
		if (dmarcrep_ext_name(x, y, out, sizeof(out)) == 0) {
			n = strlen(out);
			if (n > 253 || strstr(out, "._report._dmarc.") == NULL || strstr(out, "..")
			    || out[0] == '.' || out[n - 1] == '.')
				abort();
		}
	}
	free(x);
	free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *txt[MAXREC];
	size_t	len[MAXREC], n = 0, b = 0, e;
	struct dmarcrep_rua ov;
	int	has = -1;
	enum dmarcrep_ext r;

	while (b <= size && n < MAXREC) {
		const uint8_t *nl = memchr(data + b, '\n', size - b);

		e = nl != NULL ? (size_t) (nl - data) : size;
		txt[n] = data + b;
		len[n++] = e - b;
		if (nl == NULL)
			break;
		b = e + 1;
	}
	r = dmarcrep_ext_check(txt, len, n, DEST, &ov, &has);
	if ((r != DMARCREP_EXT_AUTHORIZED && r != DMARCREP_EXT_REFUSED
	     && r != DMARCREP_EXT_LOOP) || (has != 0 && has != 1)
	    || (has && (r != DMARCREP_EXT_AUTHORIZED || strcasecmp(ov.host, DEST) != 0)))
		abort();
	if (has)
		check_rua(&ov);
	rua(data, n > 0 ? len[0] : 0);
	if (n >= 2)
		ext_name(txt[0], len[0], txt[1], len[1]);
	return 0;
}
