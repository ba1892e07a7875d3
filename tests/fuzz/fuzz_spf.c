/*
 * NAME
 *	fuzz_spf 1
 * SUMMARY
 *	libFuzzer target: SPF record parsing, macro expansion, evaluation
 * DESCRIPTION
 *	The input is a record published at "fuzz.example" in a fixed
 *	in-memory zone (which also has includes, MX, PTR and exp records),
 *	then checked for an IPv4 and an IPv6 client: parsing, every macro
 *	and every mechanism run on hostile text.  The input also goes to
 *	the XFORWARD parser.  Nothing may crash, leak or read out of
 *	bounds, and evaluation must stay within the lookup limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spf/spf.h"
#include "spf/spf_zone.h"

static const char zone[] =
	"inc.example TXT v=spf1 ip4:192.0.2.0/24 -all\n"
	"loop.example TXT v=spf1 include:loop.example -all\n"
	"redir.example TXT v=spf1 redirect=fuzz.example\n"
	"exp.example TXT %{s} at %{i} via %{r} on %{t}: %{p} %{c} %{L}\n"
	"mx.example MX 10 mail.example\n"
	"mail.example A 192.0.2.3\n"
	"mail.example AAAA 2001:db8::cb01\n"
	"3.2.0.192.in-addr.arpa PTR mail.example\n"
	"fail.example SERVFAIL x\n"
	"slow.example TIMEOUT x\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spf_zone *z = spf_zone_new();
	struct spf_lookups l;
	struct spf_query q;
	struct spf_verdict v;
	struct spf_xforward xf;
	const char *error;

	if (z == NULL)
		return 0;
	spf_record_check((const char *) data, size, &error);
	spf_xforward_init(&xf);
	spf_parse_xforward((const char *) data, size, &xf, &error);
	if (spf_zone_load(z, zone, sizeof(zone) - 1) < 0
	    || spf_zone_add(z, "fuzz.example", "TXT", (const char *) data,
			    size) < 0) {
		spf_zone_free(z);
		return 0;
	}
	l = spf_zone_lookups(z);
	memset(&q, 0, sizeof(q));
	q.dns = &l;
	q.sender = "strong-bad@fuzz.example";
	q.helo = "mail.example";
	q.receiver = "rx.example";
	q.now = 1000000000;
	spf_query_set_ip(&q, "192.0.2.3");
	spf_check_host(&q, &v);
	if (v.dns_lookups > 11 || v.void_lookups > 3)
		abort();
	spf_verdict_free(&v);
	spf_query_set_ip(&q, "2001:db8::cb01");
	spf_check_host(&q, &v);
	spf_verdict_free(&v);
	spf_zone_free(z);
	return 0;
}
