/*
 * NAME
 *	sealist_limits 3h
 * SUMMARY
 *	every hard limit on untrusted input, in one place
 * DESCRIPTION
 *	Each parser of mail, DNS, HTTP or configuration data caps what it
 *	accepts with one of these numbers.  Each comes with the reason for
 *	its size; change a number only together with its reason.
 */
#ifndef SEALIST_LIMITS_H
#define SEALIST_LIMITS_H

/*
 * RFC 5322 section 2.1.1 allows 998 octets per line, but real mail carries
 * unwrapped base64 and megabyte-long HTML lines, and refusing those loses
 * mail.  16 MB is far above anything a mail program writes; a longer line
 * is a broken relay or an attack, and is refused.
 */
#define LIMIT_LINE_LEN		(16 * 1024 * 1024)

/*
 * The header block is parsed into an index of fields.  1 MB is far above
 * any legitimate header (large ARC chains reach ~50 KB) and bounds the
 * work a hostile header can cause per message.
 */
#define LIMIT_HEADER_BLOCK	(1024 * 1024)

/*
 * Number of header fields.  Long Received: chains and ARC sets stay under a
 * few hundred; 10,000 is the corpus test's worst case and still cheap to index.
 */
#define LIMIT_HEADER_COUNT	10000

/*
 * Whole message.  The list's own max_message_size is a policy that holds
 * posts; this is the hard cap on what we ever keep in memory.  64 MB is
 * above Postfix's default message_size_limit (10 MB) by a safe margin.
 */
#define LIMIT_MESSAGE_SIZE	(64 * 1024 * 1024)

/*
 * Address header values (From, Sender, Reply-To) are parsed for display
 * and domain extraction; 64 KB holds any plausible list of addresses.
 */
#define LIMIT_ADDRESS_FIELD	(64 * 1024)

/* Addresses in one address header: far above any real From/Reply-To. */
#define LIMIT_ADDRESS_COUNT	1000

/* RFC 5321 section 4.5.3.1: local part 64 octets, domain 255 octets. */
#define LIMIT_LOCAL_PART	64
#define LIMIT_DOMAIN		255

/* A config file line; a config file is written by an admin, not a stranger. */
#define LIMIT_CONFIG_LINE	4096

/*
 * DNS (lib/dns).  A DNS message is at most 65535 octets: that is all a TCP
 * length prefix can say (RFC 1035 section 4.2.2), so no reply is larger.
 */
#define LIMIT_DNS_MESSAGE	65535

/*
 * Answer records in one reply.  A 65535-octet message could carry ~5,400
 * minimal records; real answers have a few, and the largest TXT sets at
 * busy apexes (verification tokens beside SPF) stay well under 100.  512
 * leaves room and bounds the per-reply index we build.
 */
#define LIMIT_DNS_ANSWERS	512

/*
 * CNAMEs followed inside one answer.  Recursive resolvers stop following
 * after about a dozen; a longer chain is broken or a loop.
 */
#define LIMIT_DNS_CNAME_CHAIN	16

/*
 * Bytes of TXT data kept from one reply, all records together, after the
 * character-strings are joined.  It can never pass the message size, but
 * the cap says so explicitly: a 4096-bit DKIM key is ~800 octets and busy
 * apexes' TXT sets are a few KB, so 64 KB is far more than any consumer
 * needs.
 */
#define LIMIT_DNS_TXT_TOTAL	(64 * 1024)

/*
 * EDNS0 UDP payload size we advertise: the 2020 DNS Flag Day value, which
 * avoids IP fragmentation on any path; larger answers come over TCP.
 */
#define LIMIT_DNS_UDP_PAYLOAD	1232

#endif
