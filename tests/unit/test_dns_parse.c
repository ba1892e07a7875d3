/*
 * NAME
 *	test_dns_parse 1
 * SUMMARY
 *	unit test for dns_parse_reply() and the resolver's argument checks
 * DESCRIPTION
 *	Each row of the table is a crafted DNS reply, byte by byte with a
 *	comment per part, the question it answers, and the expected status
 *	and records (or error message).  Records are rendered as text:
 *	TXT as LEN:BYTES (octets outside printable ASCII, '\' and '|' as
 *	\xHH), A/AAAA as addresses, MX as "PREF EXCHANGE", joined by "|".
 *	Every accepted reply is also cut at each shorter length, and no
 *	prefix may be accepted.  A few replies are built in code to reach
 *	the limits.  The seed corpus tests/fuzz/corpus/dns holds several of
 *	these packets.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dns/dns.h"
#include "sealist_limits.h"
#include "tap.h"

#define PKT(s)	(const unsigned char *) (s), sizeof(s) - 1

struct parse_case {
	const char *what;
	const char *qname;
	int	qtype;
	enum dns_status want;
	const char *want_text;		/* records, or the error message */
	const unsigned char *msg;
	size_t	len;
};

static const struct parse_case cases[] = {
	{ "txt_multi_string_concatenated", "example.org", DNS_TYPE_TXT, DNS_OK,
	  "22:v=DKIM1; k=rsa; p=MIGf",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x18"	/* TXT class 1 ttl 3600 rdlength 24 */
	    "\x10v=DKIM1; k=rsa; \x06p=MIGf"	/* two strings */) },
	{ "txt_several_records_in_order", "example.org", DNS_TYPE_TXT, DNS_OK,
	  "3:one|4:two2|5:three",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=3 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x04"	/* TXT class 1 ttl 3600 rdlength 4 */
	    "\x03one"	/* rdata */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x06"	/* TXT class 1 ttl 3600 rdlength 6 */
	    "\x03two\x01" "2"	/* rdata */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x06"	/* TXT class 1 ttl 3600 rdlength 6 */
	    "\x05three"	/* rdata */) },
	{ "txt_nul_inside_kept", "example.org", DNS_TYPE_TXT, DNS_OK,
	  "4:a\\x00b\\xff",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x06"	/* TXT class 1 ttl 3600 rdlength 6 */
	    "\x03" "a\x00" "b\x01\xff"	/* rdata */) },
	{ "txt_255_octet_strings", "example.org", DNS_TYPE_TXT, DNS_OK,
	  "510:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	  "yy",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x02\x00"	/* TXT class 1 ttl 3600 rdlength 512 */
	    "\xffxxxxxxxxxxxxxxxxxxxxxxx"	/* rdata */
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxx\xffyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyy") },
	{ "txt_empty_string_is_empty_record", "example.org", DNS_TYPE_TXT, DNS_OK,
	  "0:",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x01"	/* TXT class 1 ttl 3600 rdlength 1 */
	    "\x00"	/* rdata */) },
	{ "txt_without_string_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "TXT record without a character-string",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x00"	/* TXT class 1 ttl 3600 rdlength 0 */
	    ""	/* rdata */) },
	{ "txt_string_past_rdlength_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "TXT character-string runs past RDLENGTH",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x06"	/* TXT class 1 ttl 3600 rdlength 6 */
	    "\x09short"	/* rdata */) },
	{ "txt_name_compared_case_insensitively", "Example.ORG", DNS_TYPE_TXT, DNS_OK,
	  "2:ok",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "eXample\x03org\x00"	/* question: eXample.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x03"	/* TXT class 1 ttl 3600 rdlength 3 */
	    "\x02ok"	/* rdata */) },
	{ "txt_trailing_dot_in_qname", "example.org.", DNS_TYPE_TXT, DNS_OK,
	  "2:ok",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x03"	/* TXT class 1 ttl 3600 rdlength 3 */
	    "\x02ok"	/* rdata */) },
	{ "cname_chain_followed", "alias.example.org", DNS_TYPE_A, DNS_OK,
	  "192.0.2.1",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=3 NS=0 AR=0 */
	    "\x05" "alias\x07" "example\x03org\x00"	/* question: alias.example.org */
	    "\x00\x01\x00\x01"	/* A IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x06"	/* CNAME class 1 ttl 3600 rdlength 6 */
	    "\x03mid\xc0\x12"	/* -> mid.example.org (compressed) */
	    "\xc0/"	/* owner: pointer to offset 47 */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x07"	/* CNAME class 1 ttl 3600 rdlength 7 */
	    "\x04host\xc0\x12"	/* -> host.example.org */
	    "\xc0" "A"	/* owner: pointer to offset 65 */
	    "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04"	/* A class 1 ttl 3600 rdlength 4 */
	    "\xc0\x00\x02\x01"	/* 192.0.2.1 */) },
	{ "cname_chain_in_any_order", "alias.example.org", DNS_TYPE_A, DNS_OK,
	  "192.0.2.7",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=3 NS=0 AR=0 */
	    "\x05" "alias\x07" "example\x03org\x00"	/* question: alias.example.org */
	    "\x00\x01\x00\x01"	/* A IN */
	    "\x04host\x07" "example\x03org\x00"	/* owner: host.example.org */
	    "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04"	/* A class 1 ttl 3600 rdlength 4 */
	    "\xc0\x00\x02\x07"	/* rdata */
	    "\x03mid\x07" "example\x03org\x00"	/* owner: mid.example.org */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x12"	/* CNAME class 1 ttl 3600 rdlength 18 */
	    "\x04HOST\x07" "example\x03org\x00"	/* -> HOST.example.org (case differs) */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x11"	/* CNAME class 1 ttl 3600 rdlength 17 */
	    "\x03mid\x07" "example\x03org\x00"	/* rdata */) },
	{ "cname_without_target_data_is_nodata", "alias.example.org", DNS_TYPE_TXT, DNS_NODATA,
	  "no record of the type asked",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x05" "alias\x07" "example\x03org\x00"	/* question: alias.example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x12"	/* CNAME class 1 ttl 3600 rdlength 18 */
	    "\x04host\x07" "example\x03org\x00"	/* rdata */) },
	{ "cname_loop_refused", "a.example.org", DNS_TYPE_A, DNS_BADRESPONSE,
	  "CNAME chain too long or looping",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=2 NS=0 AR=0 */
	    "\x01" "a\x07" "example\x03org\x00"	/* question: a.example.org */
	    "\x00\x01\x00\x01"	/* A IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x0f"	/* CNAME class 1 ttl 3600 rdlength 15 */
	    "\x01" "b\x07" "example\x03org\x00"	/* rdata */
	    "\x01" "b\x07" "example\x03org\x00"	/* owner: b.example.org */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x0f"	/* CNAME class 1 ttl 3600 rdlength 15 */
	    "\x01" "a\x07" "example\x03org\x00"	/* rdata */) },
	{ "cname_target_past_rdlength_refused", "a.example.org", DNS_TYPE_A, DNS_BADRESPONSE,
	  "CNAME target does not end at RDLENGTH",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x01" "a\x07" "example\x03org\x00"	/* question: a.example.org */
	    "\x00\x01\x00\x01"	/* A IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x05"	/* CNAME class 1 ttl 3600 rdlength 5 */
	    "\x01" "b\x07" "example\x03org\x00"	/* rdata */
	    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"	/* padding */) },
	{ "wrong_type_and_owner_skipped", "example.org", DNS_TYPE_TXT, DNS_OK,
	  "4:mine",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=3 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04"	/* A class 1 ttl 3600 rdlength 4 */
	    "\xc0\x00\x02\x09"	/* rdata */
	    "\x05other\x07" "example\x03org\x00"	/* owner: other.example.org */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x09"	/* TXT class 1 ttl 3600 rdlength 9 */
	    "\x08not mine"	/* rdata */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x05"	/* TXT class 1 ttl 3600 rdlength 5 */
	    "\x04mine"	/* rdata */) },
	{ "other_class_skipped", "example.org", DNS_TYPE_TXT, DNS_OK,
	  "2:in",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=2 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x03\x00\x00\x0e\x10\x00\x06"	/* TXT class 3 ttl 3600 rdlength 6 */
	    "\x05" "chaos"	/* rdata */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x03"	/* TXT class 1 ttl 3600 rdlength 3 */
	    "\x02in"	/* rdata */) },
	{ "a_records", "host.example.org", DNS_TYPE_A, DNS_OK,
	  "192.0.2.1|198.51.100.2",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=2 NS=0 AR=0 */
	    "\x04host\x07" "example\x03org\x00"	/* question: host.example.org */
	    "\x00\x01\x00\x01"	/* A IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04"	/* A class 1 ttl 3600 rdlength 4 */
	    "\xc0\x00\x02\x01"	/* rdata */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04"	/* A class 1 ttl 3600 rdlength 4 */
	    "\xc6" "3d\x02"	/* rdata */) },
	{ "aaaa_record", "host.example.org", DNS_TYPE_AAAA, DNS_OK,
	  "2001:db8::1",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x04host\x07" "example\x03org\x00"	/* question: host.example.org */
	    "\x00\x1c\x00\x01"	/* AAAA IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x1c\x00\x01\x00\x00\x0e\x10\x00\x10"	/* AAAA class 1 ttl 3600 rdlength 16 */
	    " \x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"	/* rdata */) },
	{ "a_bad_rdlength_refused", "host.example.org", DNS_TYPE_A, DNS_BADRESPONSE,
	  "A record RDLENGTH is not 4",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x04host\x07" "example\x03org\x00"	/* question: host.example.org */
	    "\x00\x01\x00\x01"	/* A IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x05"	/* A class 1 ttl 3600 rdlength 5 */
	    "\xc0\x00\x02\x01\x00"	/* rdata */) },
	{ "aaaa_bad_rdlength_refused", "host.example.org", DNS_TYPE_AAAA, DNS_BADRESPONSE,
	  "AAAA record RDLENGTH is not 16",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x04host\x07" "example\x03org\x00"	/* question: host.example.org */
	    "\x00\x1c\x00\x01"	/* AAAA IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x1c\x00\x01\x00\x00\x0e\x10\x00\x04"	/* AAAA class 1 ttl 3600 rdlength 4 */
	    "\x00\x00\x00\x00"	/* rdata */) },
	{ "ptr_names_decompressed", "3.2.0.192.in-addr.arpa", DNS_TYPE_PTR, DNS_OK,
	  "mail.example.org|mx.example.org",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: QD=1 AN=2 */
	    "\x01" "3\x01" "2\x01" "0\x03" "192\x07" "in-addr\x04" "arpa\x00"	/* question */
	    "\x00\x0c\x00\x01"	/* PTR IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x0c\x00\x01\x00\x00\x0e\x10\x00\x12"	/* PTR class 1 ttl 3600 rdlength 18 */
	    "\x04mail\x07" "example\x03org\x00"	/* mail.example.org */
	    "\xc0\x0c"	/* owner */
	    "\x00\x0c\x00\x01\x00\x00\x0e\x10\x00\x05"	/* PTR rdlength 5 */
	    "\x02mx\xc0\x39"	/* mx.<ptr example.org> */) },
	{ "ptr_name_past_rdlength_refused", "3.2.0.192.in-addr.arpa", DNS_TYPE_PTR, DNS_BADRESPONSE,
	  "PTR name does not end at RDLENGTH",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: QD=1 AN=1 */
	    "\x01" "3\x01" "2\x01" "0\x03" "192\x07" "in-addr\x04" "arpa\x00"	/* question */
	    "\x00\x0c\x00\x01"	/* PTR IN */
	    "\xc0\x0c"	/* owner */
	    "\x00\x0c\x00\x01\x00\x00\x0e\x10\x00\x04"	/* PTR rdlength 4, name is 3 */
	    "\x01x\x00\x00"	/* x. plus a stray octet */) },
	{ "mx_exchange_decompressed", "example.org", DNS_TYPE_MX, DNS_OK,
	  "10 mail.example.org|20 backup.example.net|30 mx.corp.org",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=3 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x0f\x00\x01"	/* MX IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x0f\x00\x01\x00\x00\x0e\x10\x00\x09"	/* MX class 1 ttl 3600 rdlength 9 */
	    "\x00\x0a\x04mail\xc0\x0c"	/* 10 mail.<ptr example.org> */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x0f\x00\x01\x00\x00\x0e\x10\x00\x16"	/* MX class 1 ttl 3600 rdlength 22 */
	    "\x00\x14\x06" "backup\x07" "example\x03net\x00"	/* 20 backup.example.net */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x0f\x00\x01\x00\x00\x0e\x10\x00\x0c"	/* MX class 1 ttl 3600 rdlength 12 */
	    "\x00\x1e\x02mx\x04" "corp\xc0\x14"	/* 30 mx.corp.<ptr org> */) },
	{ "mx_null_is_root", "example.org", DNS_TYPE_MX, DNS_OK,
	  "0 .",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x0f\x00\x01"	/* MX IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x0f\x00\x01\x00\x00\x0e\x10\x00\x03"	/* MX class 1 ttl 3600 rdlength 3 */
	    "\x00\x00\x00"	/* 0 . */) },
	{ "mx_odd_octets_escaped", "example.org", DNS_TYPE_MX, DNS_OK,
	  "5 a\\.b\\\\.c\\032d",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x0f\x00\x01"	/* MX IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x0f\x00\x01\x00\x00\x0e\x10\x00\x0c"	/* MX class 1 ttl 3600 rdlength 12 */
	    "\x00\x05\x04" "a.b\x5c\x03" "c d\x00"	/* 5 "a.b\\" "c d" */) },
	{ "mx_exchange_past_rdlength_refused", "example.org", DNS_TYPE_MX, DNS_BADRESPONSE,
	  "MX exchange does not end at RDLENGTH",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x0f\x00\x01"	/* MX IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x0f\x00\x01\x00\x00\x0e\x10\x00\x06"	/* MX class 1 ttl 3600 rdlength 6 */
	    "\x00\x0a\x04mail\xc0\x0c"	/* rdata */
	    "\x00"	/* padding */) },
	{ "pointer_loop_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "compression pointer does not point backwards into the message",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x1d"	/* owner: pointer to itself (offset 29) */
	    "\x00\x10\x00\x01\x00\x00\x00\x00\x00\x03"	/* TXT IN rdlength 3 */
	    "\x02" "ab"	/* rdata */) },
	{ "forward_pointer_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "compression pointer does not point backwards into the message",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0" "0"	/* owner: pointer forward */
	    "\x00\x10\x00\x01\x00\x00\x00\x00\x00\x03"	/* TXT IN rdlength 3 */
	    "\x02" "ab"	/* rdata */
	    "\x00\x00\x00\x00\x00\x00\x00\x00"	/* padding */) },
	{ "pointer_into_header_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "compression pointer does not point backwards into the message",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x02"	/* owner: pointer into the header */
	    "\x00\x10\x00\x01\x00\x00\x00\x00\x00\x03"	/* TXT IN rdlength 3 */
	    "\x02" "ab"	/* rdata */) },
	{ "pointer_chain_loop_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "compression pointer does not point backwards into the message",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\x01x\xc0\x1d"	/* owner: "x" then pointer back to its own start */
	    "\x00\x10\x00\x01\x00\x00\x00\x00\x00\x03"	/* TXT IN rdlength 3 */
	    "\x02" "ab"	/* rdata */) },
	{ "unknown_label_type_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "unknown label type",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "Ax"	/* owner: label type 01 */
	    "\x00\x10\x00\x01\x00\x00\x00\x00\x00\x03"	/* TXT IN rdlength 3 */
	    "\x02" "ab"	/* rdata */) },
	{ "name_over_255_octets_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "name longer than 255 octets",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\x3f" "aaaaaaaaaaaaaaaaaaaaaaa"	/* owner: 4 labels of 63 = 257 octets */
	    "aaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaa\x3f" "aaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaa\x3f" "aaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa"
	    "\x3f" "aaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaa\x00"
	    "\x00\x10\x00\x01\x00\x00\x00\x00\x00\x03"	/* TXT IN rdlength 3 */
	    "\x02" "ab"	/* rdata */) },
	{ "truncated_packet_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "answer record cut off (ANCOUNT larger than the data)",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=2 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x0c"	/* TXT class 1 ttl 3600 rdlength 12 */
	    "\x0bhello world"	/* rdata */
	    "\xc0\x0c\x00\x10\x00\x01"	/* second record cut after owner, type, class */) },
	{ "rdlength_past_end_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "RDLENGTH runs past the end of the message",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\xc8"	/* TXT class 1 ttl 3600 rdlength 200 */
	    "\x05hello"	/* rdata */) },
	{ "ancount_larger_than_data_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "ANCOUNT larger than the data",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=3 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x02"	/* TXT class 1 ttl 3600 rdlength 2 */
	    "\x01x"	/* rdata */) },
	{ "short_header_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "reply shorter than a DNS header",
	  PKT(
	    "\x12" "4\x81\x80\x00"	/* five octets */) },
	{ "query_not_response_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "not a response to a standard query",
	  PKT(
	    "\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=0 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */) },
	{ "qdcount_zero_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "QDCOUNT is not 1",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x00\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=0 AN=0 NS=0 AR=0 */) },
	{ "question_cut_off_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "question section cut off",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=0 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question name */
	    "\x00\x10"	/* type only */) },
	{ "other_question_name_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "reply is for another question",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03" "com\x00"	/* question: example.com */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x10\x00\x01\x00\x00\x0e\x10\x00\x02"	/* TXT class 1 ttl 3600 rdlength 2 */
	    "\x01x"	/* rdata */) },
	{ "other_question_type_refused", "example.org", DNS_TYPE_TXT, DNS_BADRESPONSE,
	  "reply is for another question",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=1 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x01\x00\x01"	/* A IN */
	    "\xc0\x0c"	/* owner: pointer to the question name */
	    "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04"	/* A class 1 ttl 3600 rdlength 4 */
	    "\x00\x00\x00\x00"	/* rdata */) },
	{ "nxdomain", "nope.example.org", DNS_TYPE_TXT, DNS_NXDOMAIN,
	  "name does not exist",
	  PKT(
	    "\xbe\xef\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00"	/* header: id, flags QR RD RA rcode=3, QD=1 AN=0 NS=1 AR=0 */
	    "\x04nope\x07" "example\x03org\x00"	/* question: nope.example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */
	    "\xc0\x11"	/* owner: pointer to offset 17 */
	    "\x00\x06\x00\x01\x00\x00\x0e\x10\x00" "6"	/* SOA class 1 ttl 3600 rdlength 54 */
	    "\x02ns\x07" "example\x03org\x00\x04host\x07" "ex"	/* SOA in authority */
	    "ample\x03org\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00"
	    "\x00\x04\x00\x00\x00\x05") },
	{ "nodata", "example.org", DNS_TYPE_TXT, DNS_NODATA,
	  "no record of the type asked",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=0 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */) },
	{ "servfail", "example.org", DNS_TYPE_TXT, DNS_SERVFAIL,
	  "SERVFAIL",
	  PKT(
	    "\xbe\xef\x81\x82\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=2, QD=1 AN=0 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */) },
	{ "refused_is_servfail", "example.org", DNS_TYPE_TXT, DNS_SERVFAIL,
	  "REFUSED",
	  PKT(
	    "\xbe\xef\x81\x85\x00\x00\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=5, QD=0 AN=0 NS=0 AR=0 */) },
	{ "invalid_qname_is_local_error", "a..example.org", DNS_TYPE_TXT, DNS_ERROR,
	  "invalid domain name asked",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=0 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x10\x00\x01"	/* TXT IN */) },
	{ "cname_qtype_unsupported", "example.org", DNS_TYPE_CNAME, DNS_ERROR,
	  "unsupported query type",
	  PKT(
	    "\xbe\xef\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00"	/* header: id, flags QR RD RA rcode=0, QD=1 AN=0 NS=0 AR=0 */
	    "\x07" "example\x03org\x00"	/* question: example.org */
	    "\x00\x05\x00\x01"	/* CNAME IN */) },
};

static void render(const struct dns_rrset *set, struct buf *out)
{
	char	addr[INET6_ADDRSTRLEN];
	size_t	i;
	size_t	j;

	buf_reset(out);
	for (i = 0; i < set->count; i++) {
		const struct dns_rr *rr = &set->rr[i];

		if (i > 0)
			buf_append_byte(out, '|');
		switch (rr->type) {
		case DNS_TYPE_TXT:
			buf_printf(out, "%zu:", rr->u.txt.len);
			for (j = 0; j < rr->u.txt.len; j++) {
				unsigned char c = rr->u.txt.data[j];

				if (c < 0x20 || c > 0x7e || c == '\\' || c == '|')
					buf_printf(out, "\\x%02x", c);
				else
					buf_append_byte(out, c);
			}
			break;
		case DNS_TYPE_A:
			buf_append_str(out, inet_ntop(AF_INET, &rr->u.a, addr,
						      sizeof(addr)));
			break;
		case DNS_TYPE_AAAA:
			buf_append_str(out, inet_ntop(AF_INET6, &rr->u.aaaa,
						      addr, sizeof(addr)));
			break;
		case DNS_TYPE_MX:
			buf_printf(out, "%u %s", rr->u.mx.preference,
				   rr->u.mx.exchange);
			break;
		case DNS_TYPE_PTR:
			buf_append_str(out, rr->u.ptr);
			break;
		}
	}
}

static void run_case(const struct parse_case *c, struct buf *text)
{
	struct dns_rrset set;
	const char *error = NULL;
	enum dns_status st;
	size_t	cut;
	size_t	accepted = 0;

	st = dns_parse_reply(c->msg, c->len, c->qname, c->qtype, &set, &error);
	if (!tap_ok(st == c->want, "%s: status %s", c->what,
		    dns_status_str(c->want)))
		tap_diag("got %s (%s)", dns_status_str(st), error);
	if (st == DNS_OK) {
		render(&set, text);
		tap_str(buf_str(text), c->want_text, c->what);
	} else {
		tap_str(error, c->want_text, c->what);
		tap_ok(set.count == 0 && set.rr == NULL,
		       "%s: no records left on failure", c->what);
	}
	dns_rrset_free(&set);
	if (c->want != DNS_OK)
		return;
	/* Every proper prefix must be refused (and must not crash). */
	for (cut = 0; cut < c->len; cut++) {
		unsigned char *copy = malloc(cut + 1);

		/* An exact-size copy, so ASan/valgrind see any over-read. */
		memcpy(copy, c->msg, cut);
		if (dns_parse_reply(copy, cut, c->qname, c->qtype, &set,
				    &error) == DNS_OK)
			accepted++;
		dns_rrset_free(&set);
		free(copy);
	}
	tap_ok(accepted == 0, "%s: all %zu shorter prefixes refused",
	       c->what, c->len);
}

/* Header + question "example.org"/qtype, ready for count answers. */
static void start_reply(struct buf *b, unsigned ancount, int qtype)
{
	static const unsigned char head[] = {
		0xbe, 0xef, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0,
	};

	buf_reset(b);
	buf_append(b, head, sizeof(head));
	b->data[6] = (unsigned char) (ancount >> 8);
	b->data[7] = (unsigned char) ancount;
	buf_append_byte(b, 0);
	buf_append_byte(b, (unsigned char) qtype);
	buf_append(b, "\0\1", 2);
}

/* One record owned by the question name (pointer to offset 12). */
static void add_rr(struct buf *b, int type, const void *rdata, size_t rdlen)
{
	unsigned char fixed[12] = { 0xc0, 0x0c, 0, 0, 0, 1, 0, 0, 0x0e, 0x10 };

	fixed[3] = (unsigned char) type;
	fixed[10] = (unsigned char) (rdlen >> 8);
	fixed[11] = (unsigned char) rdlen;
	buf_append(b, fixed, sizeof(fixed));
	buf_append(b, rdata, rdlen);
}

static void limit_cases(void)
{
	struct buf b;
	struct dns_rrset set;
	const char *error;
	unsigned char txt[256];
	unsigned char addr[4] = { 192, 0, 2, 1 };
	enum dns_status st;
	unsigned i;

	buf_init(&b, 2 * LIMIT_DNS_MESSAGE);

	start_reply(&b, LIMIT_DNS_ANSWERS, DNS_TYPE_A);
	for (i = 0; i < LIMIT_DNS_ANSWERS; i++)
		add_rr(&b, DNS_TYPE_A, addr, 4);
	st = dns_parse_reply(b.data, b.len, "example.org", DNS_TYPE_A, &set,
			     &error);
	tap_ok(st == DNS_OK && set.count == LIMIT_DNS_ANSWERS,
	       "LIMIT_DNS_ANSWERS records accepted");
	dns_rrset_free(&set);

	start_reply(&b, LIMIT_DNS_ANSWERS + 1, DNS_TYPE_A);
	for (i = 0; i < LIMIT_DNS_ANSWERS + 1; i++)
		add_rr(&b, DNS_TYPE_A, addr, 4);
	st = dns_parse_reply(b.data, b.len, "example.org", DNS_TYPE_A, &set,
			     &error);
	tap_int(st, DNS_BADRESPONSE, "one record above LIMIT_DNS_ANSWERS refused");
	tap_str(error, "ANCOUNT above LIMIT_DNS_ANSWERS", "... with its reason");
	dns_rrset_free(&set);

	/* 255-octet strings; 256 of them stay below LIMIT_DNS_TXT_TOTAL. */
	txt[0] = 255;
	memset(txt + 1, 'k', 255);
	start_reply(&b, 256, DNS_TYPE_TXT);
	for (i = 0; i < 256; i++)
		add_rr(&b, DNS_TYPE_TXT, txt, sizeof(txt));
	st = dns_parse_reply(b.data, b.len, "example.org", DNS_TYPE_TXT, &set,
			     &error);
	tap_ok(st == DNS_OK && set.count == 256, "256 x 255 octets of TXT accepted");
	dns_rrset_free(&set);

	start_reply(&b, 258, DNS_TYPE_TXT);
	for (i = 0; i < 258; i++)
		add_rr(&b, DNS_TYPE_TXT, txt, sizeof(txt));
	st = dns_parse_reply(b.data, b.len, "example.org", DNS_TYPE_TXT, &set,
			     &error);
	tap_int(st, DNS_BADRESPONSE, "TXT above LIMIT_DNS_TXT_TOTAL refused");
	tap_str(error, "TXT data above LIMIT_DNS_TXT_TOTAL", "... with its reason");
	dns_rrset_free(&set);

	tap_ok(!buf_failed(&b), "limit packets built");
	buf_free(&b);
}

static void name_cases(void)
{
	static const struct {
		const char *name;
		int	valid;
	} rows[] = {
		{ "example.org", 1 },
		{ "example.org.", 1 },
		{ "sel._domainkey.example.org", 1 },
		{ ".", 1 },
		{ "", 0 },
		{ "a..b", 0 },
		{ ".a", 0 },
		{ "a\\.b", 0 },
		{ "a.b..", 0 },
		/* 63-octet label fine, 64 not */
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.org", 1 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.org", 0 },
	};
	char	longest[300];
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		tap_int(dns_name_valid(rows[i].name), rows[i].valid, rows[i].name);
	/* 127 one-octet labels = 254 octets + root = 255: the maximum. */
	for (i = 0; i < 127; i++) {
		longest[2 * i] = 'a';
		longest[2 * i + 1] = '.';
	}
	longest[253] = 0;
	tap_int(dns_name_valid(longest), 1, "255-octet wire name is valid");
	longest[253] = '.';
	longest[254] = 'b';
	longest[255] = 0;
	tap_int(dns_name_valid(longest), 0, "257-octet wire name is not");
	tap_int(dns_name_valid(NULL), 0, "NULL is not a name");
}

static void resolver_cases(void)
{
	static const struct {
		const char *what;
		const char *nameserver;
		unsigned timeout_ms;
		const char *want_error;		/* NULL: accepted */
	} rows[] = {
		{ "IPv4 with port", "127.0.0.1:5353", 2000, NULL },
		{ "IPv4 without port", "192.0.2.53", 1000, NULL },
		{ "IPv6 refused", "[::1]:53",  2000,
		  "IPv6 nameserver addresses are not supported "
		  "(glibc's res_state takes only IPv4 ones); use IPV4:PORT" },
		{ "bare IPv6 refused", "::1", 2000,
		  "IPv6 nameserver addresses are not supported "
		  "(glibc's res_state takes only IPv4 ones); use IPV4:PORT" },
		{ "host name refused", "localhost:53", 2000,
		  "nameserver must be an IPv4 address literal (IPV4 or IPV4:PORT)" },
		{ "port 0 refused", "127.0.0.1:0", 2000,
		  "nameserver port must be 1-65535" },
		{ "port too big refused", "127.0.0.1:65536", 2000,
		  "nameserver port must be 1-65535" },
		{ "port not a number", "127.0.0.1:x", 2000,
		  "nameserver port must be a number" },
		{ "port with junk", "127.0.0.1:53x", 2000,
		  "nameserver port must be 1-65535" },
		{ "empty host", ":53", 2000,
		  "nameserver must be IPV4 or IPV4:PORT" },
		{ "timeout below a second", "127.0.0.1:53", 999,
		  "DNS timeout must be at least 1000 ms "
		  "(glibc's resolver waits in whole seconds)" },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *error = NULL;
		struct dns_resolver *r = dns_resolver_new(rows[i].nameserver,
							  rows[i].timeout_ms,
							  &error);

		if (rows[i].want_error == NULL)
			tap_ok(r != NULL, "resolver: %s (%s)", rows[i].what,
			       r ? "ok" : error);
		else
			tap_str(r == NULL ? error : "(accepted)",
				rows[i].want_error, rows[i].what);
		dns_resolver_free(r);
	}
}

static void lookup_argument_cases(void)
{
	const char *error = NULL;
	struct dns_resolver *r = dns_resolver_new("127.0.0.1:9", 1000, &error);
	struct dns_txt_answer txt;
	enum dns_status st;

	if (!tap_ok(r != NULL, "resolver for argument checks"))
		return;
	st = dns_txt(r, "bad..name", &txt, &error);
	tap_int(st, DNS_ERROR, "invalid name is a local error, nothing sent");
	tap_str(error, "bad..name TXT: error: invalid domain name",
		"... with the name in the message");
	tap_ok(txt.count == 0 && txt.txt == NULL, "... and an empty answer");
	dns_txt_answer_free(&txt);
	dns_resolver_free(r);
	dns_resolver_free(NULL);
}

int main(void)
{
	struct buf text;
	size_t	i;

	buf_init(&text, 1024 * 1024);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i], &text);
	buf_free(&text);
	limit_cases();
	name_cases();
	resolver_cases();
	lookup_argument_cases();
	tap_str(dns_status_str(DNS_SERVFAIL), "servfail", "dns_status_str");
	tap_str(dns_rcode_str(5), "REFUSED", "dns_rcode_str(5)");
	tap_str(dns_rcode_str(99), "unknown rcode", "dns_rcode_str(99)");
	return tap_done();
}
