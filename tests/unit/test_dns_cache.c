/*
 * NAME
 *	test_dns_cache 1
 * SUMMARY
 *	unit test for lib/dns's cache: the TTLs dns_parse_reply() finds,
 *	the caching policy, the store under an injected clock, and the
 *	resolver's switches
 * DESCRIPTION
 *	1. Rows of crafted replies, byte by byte with a comment per part,
 *	   with the min_ttl and negative_ttl the parser must report: the
 *	   smallest TTL across records and CNAME chains, RFC 2181's top-bit
 *	   rule, and for negative answers min(TTL, MINIMUM) of the SOA of
 *	   the right zone in the authority section (RFC 2308 section 5), -1
 *	   without one.  Each reply is also cut at every shorter length: a
 *	   prefix must never report a larger lifetime than the whole.
 *	2. dns_cache_lifetime(): what is kept how long (rows).
 *	3. The store, driven with explicit "now" values: expiry, keys,
 *	   LRU and expired-first eviction, the byte cap, replacement.
 *	4. The resolver API: arguments, on/off, statistics.
 *	What reaches a real server is tests/e2e/dns_cache.sh's part.
 *	Several of the replies are in the seed corpus tests/fuzz/corpus/dns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "sealist_limits.h"
#include "tap.h"

#define PKT(s)	(const unsigned char *) (s), sizeof(s) - 1

struct ttl_case {
	const char *what;
	const char *qname;
	int	qtype;
	enum dns_status want;
	long long min_ttl;
	long long negative_ttl;
	const unsigned char *msg;
	size_t	len;
};

static const struct ttl_case ttl_cases[] = {
	{ "ok_smallest_ttl_of_the_records", "example.org", DNS_TYPE_TXT, DNS_OK, 300, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=3 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x04\x03one"	/* TXT ttl 3600 */
	    "\xc0\x0c\x00\x10\x00\x01\x00\x00\x01\x2c\x00\x04\x03two"	/* TXT ttl 300 */
	    "\xc0\x0c\x00\x10\x00\x01\x00\x00\x1c\x20\x00\x06\x05three"	/* TXT ttl 7200 */) },
	{ "ok_records_skipped_do_not_count", "example.org", DNS_TYPE_TXT, DNS_OK, 3600, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=3 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x05\x00\x04\xc0\x00\x02\x01"	/* A ttl 5: another type */
	    "\x05other\x07" "example\x03org\x00\x00\x10\x00\x01\x00\x00\x00\x07\x00\x04\x03not"	/* TXT ttl 7 owned by other.example.org */
	    "\xc0\x0c\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x05\x04mine"	/* TXT ttl 3600 */) },
	{ "ok_ttl_zero", "example.org", DNS_TYPE_TXT, DNS_OK, 0, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=2 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c\x00\x02\x01" "a"	/* TXT ttl 60 */
	    "\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x00\x00\x02\x01" "b"	/* TXT ttl 0: do not cache */) },
	{ "ok_ttl_top_bit_counts_as_zero", "example.org", DNS_TYPE_TXT, DNS_OK, 0, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=1 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x10\x00\x01\x80\x00\x00\x00\x00\x02\x01" "a"	/* TXT ttl 2^31 (RFC 2181 section 8: 0) */) },
	{ "ok_ttl_largest", "example.org", DNS_TYPE_TXT, DNS_OK, 2147483647, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=1 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x10\x00\x01\x7f\xff\xff\xff\x00\x02\x01" "a"	/* TXT ttl 2^31-1 */) },
	{ "ok_cname_ttl_counts", "alias.example.org", DNS_TYPE_A, DNS_OK, 60, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=2 */
	    "\x05" "alias\x07" "example\x03org\x00\x00\x01\x00\x01"	/* question: alias.example.org A IN */
	    "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x07\x04host\xc0\x12"	/* CNAME ttl 60 -> host.example.org */
	    "\xc0\x2f\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\xc0\x00\x02\x01"	/* A ttl 3600 owned by host.example.org (offset 47) */) },
	{ "ok_target_ttl_below_the_cnames", "alias.example.org", DNS_TYPE_A, DNS_OK, 30, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=2 */
	    "\x05" "alias\x07" "example\x03org\x00\x00\x01\x00\x01"	/* question: alias.example.org A IN */
	    "\xc0\x0c\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x07\x04host\xc0\x12"	/* CNAME ttl 3600 -> host.example.org */
	    "\xc0\x2f\x00\x01\x00\x01\x00\x00\x00\x1e\x00\x04\xc0\x00\x02\x01"	/* A ttl 30 owned by host.example.org */) },
	{ "ok_soa_in_authority_ignored", "example.org", DNS_TYPE_TXT, DNS_OK, 3600, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x01\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=1 NS=1 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x02\x01" "a"	/* TXT ttl 3600 */
	    "\xc0\x0c\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x20\x02ns\xc0\x0c\x04host\xc0\x0c\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00\x05"	/* SOA ttl 60: not a negative answer */) },
	{ "nxdomain_soa_ttl_below_minimum", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, 60,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\xc0\x11\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x20"	/* example.org (offset 17): SOA class 1 ttl 60 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x0e\x10"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 3600 */) },
	{ "nxdomain_soa_minimum_below_ttl", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, 5,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\xc0\x11\x00\x06\x00\x01\x00\x00\x0e\x10\x00\x20"	/* example.org: SOA class 1 ttl 3600 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x00\x05"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 5 */) },
	{ "nxdomain_soa_ttl_top_bit_is_zero", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, 0,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\xc0\x11\x00\x06\x00\x01\x00\x00\x0e\x10\x00\x20"	/* example.org: SOA class 1 ttl 3600 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\xff\xff\xff\xff"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 4294967295 */) },
	{ "nxdomain_without_soa", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, -1,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=0 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */) },
	{ "nxdomain_ns_then_soa", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, 150,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x02\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=2 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\xc0\x11\x00\x02\x00\x01\x00\x00\x00\x05\x00\x05\x02ns\xc0\x11"	/* NS ttl 5: not an SOA, skipped */
	    "\xc0\x11\x00\x06\x00\x01\x00\x00\x00\x96\x00\x20"	/* example.org: SOA class 1 ttl 150 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x03\x84"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 900 */) },
	{ "nxdomain_soa_at_the_root", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, 7200,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\x00\x00\x06\x00\x01\x00\x00\x1c\x20\x00\x20"	/* root: SOA class 1 ttl 7200 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x1c\x20"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 7200 */) },
	{ "nxdomain_soa_owned_by_the_name_itself", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, 30,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\xc0\x0c\x00\x06\x00\x01\x00\x00\x00\x1e\x00\x20"	/* nope.example.org: SOA class 1 ttl 30 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x00\x3c"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 60 */) },
	{ "nxdomain_soa_of_another_zone_ignored", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, -1,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\x07" "example\x03" "com\x00\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x20"	/* example.com: SOA class 1 ttl 60 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x00\x3c"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 60 */) },
	{ "nxdomain_soa_of_a_child_zone_ignored", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, -1,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\x03sub\xc0\x0c\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x20"	/* sub.nope.example.org: SOA class 1 ttl 60 rdlength 32 */
	    "\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x00\x3c"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 60 */) },
	{ "nxdomain_soa_of_class_chaos_ignored", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, -1,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\xc0\x11\x00\x06\x00\x03\x00\x00\x00\x3c\x00\x20\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x00\x3c"	/* example.org SOA class 3 ttl 60 */) },
	{ "nxdomain_soa_rdlength_wrong", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN, -1, -1,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=0 NS=1 */
	    "\x04nope\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: nope.example.org TXT IN */
	    "\xc0\x11\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x21\x02ns\xc0\x11\x04host\xc0\x11\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x00\x3c\x00"	/* example.org SOA ttl 60, RDLENGTH one octet too long */) },
	{ "nodata_soa", "example.org", DNS_TYPE_TXT, DNS_NODATA, -1, 900,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=0 NS=1 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x06\x00\x01\x00\x00\x0e\x10\x00\x20\x02ns\xc0\x0c\x04host\xc0\x0c\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x03\x84"	/* example.org SOA ttl 3600, MINIMUM 900 */) },
	{ "nodata_without_soa", "example.org", DNS_TYPE_TXT, DNS_NODATA, -1, -1,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=0 NS=0 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */) },
	{ "nxdomain_after_cname_soa_of_the_target", "alias.example.org", DNS_TYPE_A, DNS_NXDOMAIN, 30, 500,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x01\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=1 NS=1 */
	    "\x05" "alias\x07" "example\x03org\x00\x00\x01\x00\x01"	/* question: alias.example.org A IN */
	    "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x1e\x00\x12\x04gone\x07" "example\x03net\x00"	/* CNAME ttl 30 -> gone.example.net */
	    "\xc0\x34\x00\x06\x00\x01\x00\x00\x01\xf4\x00\x20\x02ns\xc0\x34\x04host\xc0\x34\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x01\xf4"	/* example.net (offset 52) SOA ttl 500, MINIMUM 500 */) },
	{ "nxdomain_after_cname_soa_of_the_alias_ignored", "alias.example.org", DNS_TYPE_A, DNS_NXDOMAIN, 30, -1,
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x01\x00\x01\x00\x00"	/* header: QR RD RA rcode=3, QD=1 AN=1 NS=1 */
	    "\x05" "alias\x07" "example\x03org\x00\x00\x01\x00\x01"	/* question: alias.example.org A IN */
	    "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x1e\x00\x12\x04gone\x07" "example\x03net\x00"	/* CNAME ttl 30 -> gone.example.net */
	    "\xc0\x12\x00\x06\x00\x01\x00\x00\x01\xf4\x00\x20"	/* example.org (offset 18): SOA class 1 ttl 500 rdlength 32 */
	    "\x02ns\xc0\x12\x04host\xc0\x12\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x01\xf4"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 500 */) },
	{ "nodata_after_cname", "alias.example.org", DNS_TYPE_A, DNS_NODATA, 45, 150,
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x01\x00\x00"	/* header: QR RD RA rcode=0, QD=1 AN=1 NS=1 */
	    "\x05" "alias\x07" "example\x03org\x00\x00\x01\x00\x01"	/* question: alias.example.org A IN */
	    "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x2d\x00\x07\x04host\xc0\x12"	/* CNAME ttl 45 -> host.example.org */
	    "\xc0\x12\x00\x06\x00\x01\x00\x00\x00\x96\x00\x20"	/* example.org (offset 18): SOA class 1 ttl 150 rdlength 32 */
	    "\x02ns\xc0\x12\x04host\xc0\x12\x00\x00\x00\x01\x00\x00\x0e\x10\x00\x00\x03\x84\x00\x09\x3a\x80\x00\x00\x01\x2c"	/*   MNAME RNAME (pointers), serial refresh retry expire, MINIMUM 300 */) },
	{ "servfail_no_ttls", "example.org", DNS_TYPE_TXT, DNS_SERVFAIL, -1, -1,
	  PKT(
	    "\xbe\xef\x81\x82\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: QR RD RA rcode=2, QD=1 AN=0 NS=1 */
	    "\x07" "example\x03org\x00\x00\x10\x00\x01"	/* question: example.org TXT IN */
	    "\xc0\x0c\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x20\x02ns\xc0\x0c\x04host\xc0\x0c\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00\x3c"	/* example.org SOA ttl 60: still a failure */) },
};

static void run_ttl_case(const struct ttl_case *c)
{
	struct dns_rrset set;
	const char *error = NULL;
	enum dns_status st;
	size_t	cut;
	size_t	worse = 0;

	st = dns_parse_reply(c->msg, c->len, c->qname, c->qtype, &set, &error);
	if (!tap_ok(st == c->want, "%s: status %s", c->what,
		    dns_status_str(c->want)))
		tap_diag("got %s (%s)", dns_status_str(st), error);
	tap_int(set.min_ttl, c->min_ttl, c->what);
	tap_int(set.negative_ttl, c->negative_ttl, c->what);
	dns_rrset_free(&set);
	/*
	 * A reply cut short may still parse (a negative answer does not
	 * need its authority section), but must never claim a longer or
	 * new lifetime than the whole reply gives.
	 */
	for (cut = 0; cut < c->len; cut++) {
		unsigned char *copy = malloc(cut + 1);

		memcpy(copy, c->msg, cut);
		st = dns_parse_reply(copy, cut, c->qname, c->qtype, &set, &error);
		if (set.negative_ttl > c->negative_ttl
		    || (st == DNS_OK && set.min_ttl > c->min_ttl))
			worse++;
		dns_rrset_free(&set);
		free(copy);
	}
	tap_ok(worse == 0, "%s: no shorter prefix gives a longer lifetime",
	       c->what);
}

/* dns_cache_lifetime(): status and TTLs in, seconds to keep out. */
static void lifetime_cases(void)
{
	static const struct {
		const char *what;
		unsigned max_ttl;
		enum dns_status st;
		long long min_ttl, negative_ttl;
		long long want;
	} rows[] = {
		{ "ok: the records' smallest TTL", 3600, DNS_OK, 50, -1, 50 },
		{ "ok: at most max_ttl", 100, DNS_OK, 500, -1, 100 },
		{ "ok: TTL 0 is not cached", 3600, DNS_OK, 0, -1, 0 },
		{ "nxdomain: the SOA's TTL", 3600, DNS_NXDOMAIN, -1, 60, 60 },
		{ "nxdomain: at most LIMIT_DNS_NEGATIVE_TTL", 3600,
		  DNS_NXDOMAIN, -1, 100000, LIMIT_DNS_NEGATIVE_TTL },
		{ "nxdomain: at most max_ttl", 30, DNS_NXDOMAIN, -1, 60, 30 },
		{ "nxdomain without SOA: not cached", 3600, DNS_NXDOMAIN,
		  -1, -1, 0 },
		{ "nxdomain, SOA says 0: not cached", 3600, DNS_NXDOMAIN,
		  -1, 0, 0 },
		{ "nodata: the SOA's TTL", 3600, DNS_NODATA, -1, 90, 90 },
		{ "nodata without SOA: not cached", 3600, DNS_NODATA, -1, -1, 0 },
		{ "nodata after a CNAME: at most its TTL", 3600, DNS_NODATA,
		  10, 90, 10 },
		{ "servfail: never", 3600, DNS_SERVFAIL, 50, 50, 0 },
		{ "timeout: never", 3600, DNS_TIMEOUT, 50, 50, 0 },
		{ "badresponse: never", 3600, DNS_BADRESPONSE, 50, 50, 0 },
		{ "error: never", 3600, DNS_ERROR, 50, 50, 0 },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dns_cache *c = dns_cache_new(4, rows[i].max_ttl);
		struct dns_rrset set;

		memset(&set, 0, sizeof(set));
		set.min_ttl = rows[i].min_ttl;
		set.negative_ttl = rows[i].negative_ttl;
		if (tap_ok(c != NULL, "cache for lifetime: %s", rows[i].what))
			tap_int(dns_cache_lifetime(c, rows[i].st, &set),
				rows[i].want, rows[i].what);
		dns_cache_free(c);
	}
}

/* Is a live entry there at now?  (Counts a hit or a miss.) */
static int has(struct dns_cache *c, const char *name, int qtype,
	       long long now)
{
	size_t	len;

	return dns_cache_get(c, name, qtype, now, &len) != NULL;
}

static size_t entries(const struct dns_cache *c)
{
	struct dns_cache_stats s;

	dns_cache_read_stats(c, &s);
	return s.entries;
}

static void store_cases(void)
{
	static const unsigned char one[] = "first reply";
	static const unsigned char two[] = "second reply";
	struct dns_cache *c = dns_cache_new(2, 3600);
	struct dns_cache_stats s;
	const unsigned char *got;
	size_t	len = 0;

	if (!tap_ok(c != NULL, "store: cache of 2"))
		return;
	tap_ok(!has(c, "example.org", DNS_TYPE_TXT, 100), "store: empty");
	tap_int(dns_cache_put(c, "Example.ORG.", DNS_TYPE_TXT, one,
			      sizeof(one), 10, 100), 0, "store: put");
	got = dns_cache_get(c, "example.org", DNS_TYPE_TXT, 109, &len);
	tap_mem(got, got ? len : 0, one, sizeof(one),
		"store: found by another case and without the dot, the same bytes");
	tap_ok(!has(c, "example.org", DNS_TYPE_A, 109),
	       "store: the type is part of the key");
	tap_ok(!has(c, "example.org", DNS_TYPE_TXT, 110),
	       "store: gone when now reaches stored + ttl");
	tap_int((long long) entries(c), 0, "store: the expired entry was dropped");
	dns_cache_read_stats(c, &s);
	tap_ok(s.hits == 1 && s.misses == 3, "store: 1 hit, 3 misses (%lu, %lu)",
	       s.hits, s.misses);

	tap_int(dns_cache_put(c, "zero.example", DNS_TYPE_TXT, one,
			      sizeof(one), 0, 100), 0, "store: ttl 0 accepted");
	tap_int((long long) entries(c), 0, "store: ... and not stored");

	dns_cache_put(c, "a.example", DNS_TYPE_TXT, one, sizeof(one), 60, 100);
	dns_cache_put(c, "a.example", DNS_TYPE_TXT, two, sizeof(two), 60, 101);
	got = dns_cache_get(c, "a.example", DNS_TYPE_TXT, 102, &len);
	tap_mem(got, got ? len : 0, two, sizeof(two),
		"store: a second put replaces the first");
	tap_int((long long) entries(c), 1, "store: ... in the same slot");
	dns_cache_free(c);
}

/* Full: least recently used goes, unless something has expired. */
static void eviction_cases(void)
{
	static const unsigned char m[] = "reply";
	struct dns_cache *c = dns_cache_new(2, 3600);

	if (!tap_ok(c != NULL, "eviction: cache of 2"))
		return;
	dns_cache_put(c, "a.example", DNS_TYPE_A, m, sizeof(m), 60, 0);
	dns_cache_put(c, "b.example", DNS_TYPE_A, m, sizeof(m), 60, 0);
	has(c, "a.example", DNS_TYPE_A, 1);	/* a is now the more recent */
	dns_cache_put(c, "c.example", DNS_TYPE_A, m, sizeof(m), 60, 2);
	tap_int((long long) entries(c), 2, "lru: still 2 entries");
	tap_ok(has(c, "a.example", DNS_TYPE_A, 3), "lru: a, used lately, stays");
	tap_ok(!has(c, "b.example", DNS_TYPE_A, 3), "lru: b, least recently used, went");
	tap_ok(has(c, "c.example", DNS_TYPE_A, 3), "lru: c is in");
	dns_cache_free(c);

	c = dns_cache_new(2, 3600);
	if (!tap_ok(c != NULL, "eviction: second cache of 2"))
		return;
	dns_cache_put(c, "short.example", DNS_TYPE_A, m, sizeof(m), 1, 0);
	dns_cache_put(c, "long.example", DNS_TYPE_A, m, sizeof(m), 100, 0);
	/* long.example is now the least recently used, but short expired. */
	dns_cache_put(c, "new.example", DNS_TYPE_A, m, sizeof(m), 100, 5);
	tap_ok(has(c, "long.example", DNS_TYPE_A, 5),
	       "expired first: the live LRU entry stays");
	tap_ok(has(c, "new.example", DNS_TYPE_A, 5), "expired first: new is in");
	tap_int((long long) entries(c), 2, "expired first: the expired one went");
	dns_cache_free(c);
}

/* LIMIT_DNS_CACHE_BYTES holds however many entries max_entries allows. */
static void byte_cap_cases(void)
{
	struct dns_cache *c = dns_cache_new(LIMIT_DNS_CACHE_ENTRIES, 3600);
	unsigned char *big = calloc(1, LIMIT_DNS_MESSAGE);
	char	name[32];
	size_t	fit = LIMIT_DNS_CACHE_BYTES / (LIMIT_DNS_MESSAGE + 10);
	size_t	i;
	int	failed = 0;

	if (!tap_ok(c != NULL && big != NULL, "byte cap: cache and a 64 KB reply")) {
		dns_cache_free(c);
		free(big);
		return;
	}
	for (i = 0; i < 2 * fit; i++) {
		/* "nNNNN.test": 10 octets of key each */
		snprintf(name, sizeof(name), "n%04zu.test", i);
		failed |= dns_cache_put(c, name, DNS_TYPE_TXT, big,
					LIMIT_DNS_MESSAGE, 60, 0) != 0;
	}
	tap_ok(!failed, "byte cap: every put accepted");
	tap_int((long long) entries(c), (long long) fit,
		"byte cap: only what fits in LIMIT_DNS_CACHE_BYTES is held");
	snprintf(name, sizeof(name), "n%04zu.test", 2 * fit - 1);
	tap_ok(has(c, name, DNS_TYPE_TXT, 1), "byte cap: the newest is there");
	tap_ok(!has(c, "n0000.test", DNS_TYPE_TXT, 1), "byte cap: the oldest went");
	dns_cache_free(c);
	free(big);
}

static void argument_cases(void)
{
	char	longname[300];
	struct dns_cache *c;
	unsigned char m = 0;

	tap_ok(dns_cache_new(0, 60) == NULL, "dns_cache_new: 0 entries refused");
	tap_ok(dns_cache_new(1, 0) == NULL, "dns_cache_new: max_ttl 0 refused");
	tap_ok(dns_cache_new(LIMIT_DNS_CACHE_ENTRIES + 1, 60) == NULL,
	       "dns_cache_new: above LIMIT_DNS_CACHE_ENTRIES refused");
	tap_ok(dns_cache_new(1, LIMIT_DNS_CACHE_MAX_TTL + 1) == NULL,
	       "dns_cache_new: above LIMIT_DNS_CACHE_MAX_TTL refused");
	c = dns_cache_new(LIMIT_DNS_CACHE_ENTRIES, LIMIT_DNS_CACHE_MAX_TTL);
	tap_ok(c != NULL, "dns_cache_new: both limits accepted");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	if (c != NULL)
		tap_int(dns_cache_put(c, longname, DNS_TYPE_A, &m, 1, 60, 0), -1,
			"dns_cache_put: a name too long for a key is not stored");
	dns_cache_free(c);
	dns_cache_free(NULL);
}

static void resolver_cases(void)
{
	const char *error = NULL;
	struct dns_resolver *r = dns_resolver_new("127.0.0.1:9", 1000, &error);
	struct dns_cache_stats s;
	struct dns_txt_answer txt;

	if (!tap_ok(r != NULL, "resolver for the cache switches"))
		return;
	s.hits = 7;
	dns_resolver_cache_stats(r, &s);
	tap_ok(s.hits == 0 && s.misses == 0 && s.entries == 0,
	       "resolver: all zero while caching is off");
	tap_int(dns_resolver_cache(NULL, 16, 60), -1, "resolver: NULL refused");
	tap_int(dns_resolver_cache(r, LIMIT_DNS_CACHE_ENTRIES + 1, 60), -1,
		"resolver: too many entries refused");
	tap_int(dns_resolver_cache(r, 16, LIMIT_DNS_CACHE_MAX_TTL + 1), -1,
		"resolver: max_ttl above the limit refused");
	tap_int(dns_resolver_cache(r, 16, 60), 0, "resolver: cache on");
	/* Nothing is sent: the name is refused first, and counts nowhere. */
	dns_txt(r, "bad..name", &txt, &error);
	dns_txt_answer_free(&txt);
	dns_resolver_cache_stats(r, &s);
	tap_ok(s.hits == 0 && s.misses == 0,
	       "resolver: an invalid name is neither hit nor miss");
	tap_int(dns_resolver_cache(r, 0, 60), 0, "resolver: 0 entries turns it off");
	tap_int(dns_resolver_cache(r, 16, 0), 0, "resolver: max_ttl 0 turns it off");
	dns_resolver_set_clock(r, NULL, NULL);
	tap_int(dns_resolver_cache(r, 16, 60), 0, "resolver: on again");
	dns_resolver_free(r);	/* frees the cache: valgrind checks */
}

int main(void)
{
	size_t	i;

	for (i = 0; i < sizeof(ttl_cases) / sizeof(ttl_cases[0]); i++)
		run_ttl_case(&ttl_cases[i]);
	lifetime_cases();
	store_cases();
	eviction_cases();
	byte_cap_cases();
	argument_cases();
	resolver_cases();
	return tap_done();
}
