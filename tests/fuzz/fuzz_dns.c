/*
 * NAME
 *	fuzz_dns 1
 * SUMMARY
 *	libFuzzer target for dns_parse_reply()
 * DESCRIPTION
 *	The input is one DNS reply message.  It is parsed as the answer to
 *	each of the four query types, asked twice: for the name found
 *	uncompressed in its question section (so the fuzzer reaches the
 *	answer section) and for a fixed name.  Whatever the input, an
 *	accepted reply must have records of the type asked, TXT data
 *	NUL-terminated and within LIMIT_DNS_TXT_TOTAL, MX names non-empty;
 *	a refused one must have no records.  The TTLs for the cache must be
 *	-1 or within 0..2^31-1, negative_ttl only on NXDOMAIN/NODATA, and the
 *	lifetime the cache gives within 0..max_ttl (0 for failures); a reply
 *	with a lifetime is stored in a cache and must come back byte for
 *	byte.  Any violation is abort(), which libFuzzer and the corpus
 *	replay both count as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TTL_MAX	0x7fffffffLL	/* RFC 2181 section 8 */
#define FUZZ_MAX_TTL	600

static int ttl_ok(long long ttl)
{
	return ttl >= -1 && ttl <= TTL_MAX;
}

/* The TTLs and what the cache makes of them; abort() on nonsense. */
static void check_cache(const uint8_t *data, size_t size, const char *qname,
			int qtype, enum dns_status st,
			const struct dns_rrset *set)
{
	struct dns_cache *c = dns_cache_new(2, FUZZ_MAX_TTL);
	const unsigned char *got;
	long long life;
	size_t	len = 0;

	if (c == NULL)
		abort();
	if (!ttl_ok(set->min_ttl) || !ttl_ok(set->negative_ttl)
	    || (st == DNS_OK && set->min_ttl < 0)
	    || (st != DNS_NXDOMAIN && st != DNS_NODATA && set->negative_ttl != -1)
	    || (st != DNS_OK && st != DNS_NXDOMAIN && st != DNS_NODATA
		&& set->min_ttl != -1))
		abort();
	life = dns_cache_lifetime(c, st, set);
	if (life < 0 || life > FUZZ_MAX_TTL
	    || (st != DNS_OK && st != DNS_NXDOMAIN && st != DNS_NODATA && life != 0))
		abort();
	if (life > 0) {
		if (dns_cache_put(c, qname, qtype, data, size, life, 0) != 0)
			abort();
		got = dns_cache_get(c, qname, qtype, life - 1, &len);
		if (got == NULL || len != size || memcmp(got, data, size) != 0
		    || dns_cache_get(c, qname, qtype, life, &len) != NULL)
			abort();
	}
	dns_cache_free(c);
}

/* The question name at offset 12 as text, if plain; else "". */
static void question_name(const uint8_t *data, size_t size, char *out,
			  size_t out_size)
{
	size_t	pos = 12;
	size_t	n = 0;

	out[0] = 0;
	while (pos < size && data[pos] != 0) {
		size_t	label = data[pos++];
		size_t	i;

		if (label > 63 || label > size - pos || n + label + 2 > out_size)
			return;
		if (n > 0)
			out[n++] = '.';
		for (i = 0; i < label; i++) {
			uint8_t	c = data[pos + i];

			if (c == 0 || c == '.' || c == '\\')
				goto plain_fail;
			out[n++] = (char) c;
		}
		pos += label;
	}
	out[n] = 0;
	return;
plain_fail:
	out[0] = 0;
}

static void check(const uint8_t *data, size_t size, const char *qname,
		  int qtype)
{
	struct dns_rrset set;
	const char *error = NULL;
	enum dns_status st;
	size_t	txt_total = 0;
	size_t	i;

	st = dns_parse_reply(data, size, qname, qtype, &set, &error);
	if (error == NULL)
		abort();
	check_cache(data, size, qname, qtype, st, &set);
	if (st != DNS_OK) {
		if (set.count != 0 || set.rr != NULL)
			abort();
		return;
	}
	if (set.count == 0 || set.count > LIMIT_DNS_ANSWERS)
		abort();
	for (i = 0; i < set.count; i++) {
		const struct dns_rr *rr = &set.rr[i];

		if (rr->type != qtype)
			abort();
		if (qtype == DNS_TYPE_TXT) {
			if (rr->u.txt.data == NULL || rr->u.txt.data[rr->u.txt.len] != 0)
				abort();
			txt_total += rr->u.txt.len;
		}
		if (qtype == DNS_TYPE_MX
		    && (rr->u.mx.exchange == NULL || rr->u.mx.exchange[0] == 0
			|| strlen(rr->u.mx.exchange) > 255 * 4))
			abort();
	}
	if (txt_total > LIMIT_DNS_TXT_TOTAL)
		abort();
	dns_rrset_free(&set);
	if (set.count != 0 || set.rr != NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int types[] = {
		DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_MX, DNS_TYPE_TXT,
	};
	char	qname[256];
	size_t	i;

	question_name(data, size, qname, sizeof(qname));
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (qname[0] != 0)
			check(data, size, qname, types[i]);
		check(data, size, "example.org", types[i]);
	}
	return 0;
}
