/*
 * NAME
 *	dns 3h
 * SUMMARY
 *	TXT, A, AAAA, MX and PTR lookups through one interface, optionally
 *	cached
 * SYNOPSIS
 *	#include <dns/dns.h>
 * DESCRIPTION
 *	This module owns every DNS question sealist asks (DKIM keys, SPF,
 *	DMARC, MX checks).  Queries go through glibc's resolver (res_nsend
 *	on a res_nmkquery packet) with private per-resolver state, never the
 *	global _res; the reply is read by our own bounded parser,
 *	dns_parse_reply(), which is also the fuzz target.
 *
 *	The statuses keep apart what DKIM, SPF and DMARC must keep apart:
 *	the name does not exist (DNS_NXDOMAIN) or has no record of the type
 *	(DNS_NODATA) -- permanent, a permerror/none -- versus the server
 *	failing (DNS_SERVFAIL) or not answering (DNS_TIMEOUT) -- temporary,
 *	a temperror.
 *
 *	Nothing here logs or exits.  Every call returns a status; the
 *	error_r arguments (each may be NULL) get a message for a log line.
 *	A message from a lookup lives in the resolver and stays valid until
 *	the next call on that resolver; others are static.
 *
 *	Threads: a resolver is used by one thread at a time.  Give each
 *	thread its own; they share nothing.
 *
 *	Caching (dns_cache.c), off until dns_resolver_cache() turns it on,
 *	so that one busy thread never asks the same question twice a
 *	second.  It sits inside the resolver, under every typed lookup, so
 *	the DKIM, SPF and DMARC adapters use it without knowing.  What is
 *	kept is the reply message itself, byte for byte, keyed by the type
 *	and the name asked (lower-cased, without a trailing dot); a hit is
 *	parsed again by dns_parse_reply(), so a cached answer is decoded by
 *	the same code and has the same memory contract as a fresh one.
 *	How long a reply is kept:
 *
 *	- DNS_OK: the smallest TTL of the records used (the records
 *	  returned and the CNAMEs followed to them), at most max_ttl.  A
 *	  TTL of 0 means "do not cache" (RFC 1035 section 3.2.1) and is
 *	  obeyed.
 *	- DNS_NXDOMAIN, DNS_NODATA: the smaller of the TTL and the MINIMUM
 *	  field of the SOA in the authority section (RFC 2308 section 5),
 *	  at most LIMIT_DNS_NEGATIVE_TTL and max_ttl (and the CNAMEs'
 *	  TTLs, if any led there).  Without an SOA, not at all (RFC 2308
 *	  section 5: no SOA, no negative caching).
 *	- DNS_SERVFAIL, DNS_TIMEOUT, DNS_BADRESPONSE, DNS_ERROR: never.
 *	  They are temporary; caching one would turn a lost packet into
 *	  minutes of temperrors.
 *
 *	Time is the resolver's clock in whole seconds (CLOCK_MONOTONIC, so
 *	setting the wall clock changes nothing), read before the query is
 *	sent; an entry lives while now < stored + ttl, so it may go up to a
 *	second (plus the query's own time) early, never late.
 *	When the cache is full (max_entries, or LIMIT_DNS_CACHE_BYTES of
 *	replies) an expired entry makes room if there is one, else the
 *	least recently used.  A failure to cache (no memory) is ignored:
 *	the answer is still returned.  On a cached failure the message
 *	ends in " (cached)", e.g. "x.example TXT: nxdomain: name does not
 *	exist (cached)".
 */
#ifndef SEALIST_DNS_H
#define SEALIST_DNS_H

#include <stddef.h>
#include <netinet/in.h>

enum dns_status {
	DNS_OK = 0,		/* at least one record of the type */
	DNS_NXDOMAIN,		/* rcode NXDOMAIN: the name does not exist */
	DNS_NODATA,		/* name exists, no record of that type */
	DNS_SERVFAIL,		/* the server answered with another error rcode
				   (SERVFAIL, REFUSED, NOTIMP, FORMERR, ...) */
	DNS_TIMEOUT,		/* no server answered in time (or every server
				   refused the connection: ICMP unreachable);
				   if one answered with an error rcode and
				   another was silent, that is DNS_SERVFAIL */
	DNS_BADRESPONSE,	/* an answer came but is malformed, does not
				   match the question, or passes a limit */
	DNS_ERROR,		/* local: bad argument, no memory, no sockets */
};

/* Record types asked for (RFC 1035, RFC 3596). */
enum dns_type {
	DNS_TYPE_A = 1,
	DNS_TYPE_CNAME = 5,
	DNS_TYPE_PTR = 12,
	DNS_TYPE_MX = 15,
	DNS_TYPE_TXT = 16,
	DNS_TYPE_AAAA = 28,
};

/* "ok", "nxdomain", "nodata", "servfail", "timeout", "badresponse", "error" */
extern const char *dns_status_str(enum dns_status);

/*
 * Resolvers.
 *
 * nameserver: "" or NULL means the system's (/etc/resolv.conf, read once
 * here); otherwise "IPV4" or "IPV4:PORT" (port 53 by default), e.g.
 * "127.0.0.1:5353".  The address must be a literal: a name would need DNS
 * to find DNS.  IPv6 nameservers ("[::1]:53") are refused with an error:
 * glibc's res_state takes a user-chosen server only through its IPv4
 * nsaddr_list; an IPv6 one would mean writing glibc-private fields.  An
 * IPv6 server from resolv.conf is used normally.
 *
 * timeout_ms bounds the whole wall time of one lookup, all servers and
 * retries included.  glibc waits in whole seconds (per server i of n:
 * retrans << i / n, at least 1 s, retrans >= 1), so the time is rounded
 * down to what fits: at least 1000 ms, and at least 1000 ms per server
 * in resolv.conf; shorter is refused.  Each server is asked once per
 * lookup, by UDP with EDNS0; a truncated reply is asked again by TCP (by
 * us, with the time left: glibc's own TCP has no timeout).
 *
 * Returns NULL with *error_r set on failure.  dns_resolver_free(NULL) is
 * allowed.
 */
struct dns_resolver;

extern struct dns_resolver *dns_resolver_new(const char *nameserver,
					     unsigned timeout_ms,
					     const char **error_r);
extern void dns_resolver_free(struct dns_resolver *);

/*
 * Turn on caching for r (see the DESCRIPTION): at most max_entries
 * questions (1 to LIMIT_DNS_CACHE_ENTRIES), each kept at most max_ttl
 * seconds (1 to LIMIT_DNS_CACHE_MAX_TTL).  max_entries or max_ttl 0 turns
 * caching off and frees the cache.  Calling again starts a new, empty
 * cache with new statistics.  Returns 0, or -1 on bad arguments (NULL r,
 * a value above its limit) or no memory; the cache r had before stays
 * then.
 */
extern int dns_resolver_cache(struct dns_resolver *r, size_t max_entries,
			      unsigned max_ttl);

/*
 * Lookups answered from the cache (hits) and not (misses: not there,
 * expired, or never cacheable), and the questions held now.  All zero
 * while caching is off.  An invalid name counts as neither.
 */
struct dns_cache_stats {
	unsigned long hits, misses;
	size_t	entries;
};

extern void dns_resolver_cache_stats(const struct dns_resolver *r,
				     struct dns_cache_stats *out);

/*
 * Tests: the clock the cache reads, in seconds; now(ctx) is called once
 * per lookup while caching is on.  NULL restores the default,
 * CLOCK_MONOTONIC.
 */
extern void dns_resolver_set_clock(struct dns_resolver *r,
				   long long (*now)(void *ctx), void *ctx);

/*
 * Answers.  Each lookup fills *out (always: empty on failure, so the free
 * function is safe to call whatever the status) and returns the status.
 * Only DNS_OK has records; count >= 1 then.  The free functions release
 * what a lookup put in the answer and leave it empty.
 *
 * name is a domain name in text form ("sel._domainkey.example.org", a
 * trailing dot allowed), asked as is: no search list, no ndots.  Labels
 * are 1-63 octets; a backslash is refused (no escapes are needed for the
 * names sealist asks).  CNAMEs in the answer are followed.
 */

/*
 * One TXT record: its character-strings joined without separators (what
 * DKIM, SPF and DMARC all want), binary-safe: data may hold NULs, len is
 * the truth.  data is followed by one NUL not counted in len.
 */
struct dns_txt {
	unsigned char *data;
	size_t	len;
};

struct dns_txt_answer {
	struct dns_txt *txt;
	size_t	count;
};

struct dns_a_answer {
	struct in_addr *addr;
	size_t	count;
};

struct dns_aaaa_answer {
	struct in6_addr *addr;
	size_t	count;
};

/*
 * exchange is in text form without the trailing dot, in the case sent
 * (".", the root, for RFC 7505 null MX); unusual octets are escaped as
 * \DDD and a "." or "\" inside a label as "\." and "\\".
 */
struct dns_mx {
	unsigned preference;
	char   *exchange;
};

struct dns_mx_answer {
	struct dns_mx *mx;	/* in the order received; sort if needed */
	size_t	count;
};

/* 1 if name is acceptable to the lookups (see above), else 0. */
extern int dns_name_valid(const char *name);

extern enum dns_status dns_txt(struct dns_resolver *, const char *name,
			       struct dns_txt_answer *out,
			       const char **error_r);
extern enum dns_status dns_a(struct dns_resolver *, const char *name,
			     struct dns_a_answer *out, const char **error_r);
extern enum dns_status dns_aaaa(struct dns_resolver *, const char *name,
				struct dns_aaaa_answer *out,
				const char **error_r);
extern enum dns_status dns_mx(struct dns_resolver *, const char *name,
			      struct dns_mx_answer *out, const char **error_r);

/*
 * PTR lookups (RFC 1035 section 3.3.12), for SPF's ptr mechanism and %{p}
 * macro.  dns_ptr() asks the name as given ("3.2.0.192.in-addr.arpa");
 * dns_ptr_addr() builds the reverse name of an IPv4 (family AF_INET, addr
 * a struct in_addr) or IPv6 (AF_INET6, struct in6_addr) address first.
 * Each name is in text form without the trailing dot, escaped as for MX.
 */
struct dns_ptr_answer {
	char  **name;
	size_t	count;
};

extern enum dns_status dns_ptr(struct dns_resolver *, const char *name,
			       struct dns_ptr_answer *out,
			       const char **error_r);
extern enum dns_status dns_ptr_addr(struct dns_resolver *, int family,
				    const void *addr,
				    struct dns_ptr_answer *out,
				    const char **error_r);
extern void dns_ptr_answer_free(struct dns_ptr_answer *);

/*
 * The reverse-lookup name of an address: "d.c.b.a.in-addr.arpa" or the
 * 32 nibbles under ip6.arpa.  out must hold 74 octets (73 + NUL);
 * returns 0, or -1 for an unknown family.
 */
#define DNS_REVERSE_NAME_MAX	74
extern int dns_reverse_name(int family, const void *addr, char *out);

extern void dns_txt_answer_free(struct dns_txt_answer *);
extern void dns_a_answer_free(struct dns_a_answer *);
extern void dns_aaaa_answer_free(struct dns_aaaa_answer *);
extern void dns_mx_answer_free(struct dns_mx_answer *);

/*
 * The reply parser (dns_parse.c), exported for the unit test and the fuzz
 * target; lookups use it on every reply.
 *
 * msg/len is one DNS message as received; nothing past len is read and no
 * terminator is assumed.  qname (text, as for the lookups) and qtype are
 * the question asked: the reply's question section must be exactly that
 * (one entry, class IN, name compared case-insensitively).  The answer
 * section is then indexed (at most LIMIT_DNS_ANSWERS records, each
 * checked to lie within the message), CNAMEs owned by the name asked are
 * followed (at most LIMIT_DNS_CNAME_CHAIN, loops refused), and the records of
 * qtype, class IN, owned by the final name, are decoded into out.
 * Records of other types or owners are skipped (their bounds still
 * checked).  Compressed names are followed only backwards, so a pointer
 * loop cannot be written; a name is at most 255 octets.
 *
 * Returns DNS_OK (out->count >= 1), DNS_NXDOMAIN, DNS_NODATA, DNS_SERVFAIL
 * (any other rcode; the question section is not required then), or
 * DNS_BADRESPONSE with *error_r saying why; DNS_ERROR for an invalid
 * qname, an unsupported qtype or no memory.  out is always initialized;
 * release it with dns_rrset_free().  out->rcode and out->truncated are
 * set whenever the header could be read.
 *
 * For the cache, TTLs in seconds (RFC 2181 section 8: a TTL with the top
 * bit set counts as 0).  min_ttl is the smallest TTL of the records used:
 * with DNS_OK the records returned and the CNAMEs followed to them; with
 * DNS_NXDOMAIN and DNS_NODATA the CNAMEs followed (-1 if none).
 * negative_ttl, for DNS_NXDOMAIN and DNS_NODATA only, is min(TTL, MINIMUM)
 * of the first SOA of class IN in the authority section owned by the
 * name found not to exist (the end of the CNAME chain) or an ancestor of
 * it; -1 if there is none, or the authority section is malformed (which
 * is not an error: the answer stands, it is only not cacheable).  Both
 * are -1 with any other status.
 */
struct dns_rr {
	int	type;			/* qtype */
	unsigned long ttl;
	union {
		struct in_addr a;
		struct in6_addr aaaa;
		struct {
			unsigned preference;
			char   *exchange;	/* malloc'd text */
		} mx;
		char   *ptr;		/* PTR target, malloc'd text */
		struct {
			unsigned char *data;	/* malloc'd, NUL after */
			size_t	len;
		} txt;
	} u;
};

struct dns_rrset {
	struct dns_rr *rr;
	size_t	count;
	int	rcode;		/* from the header; -1 if none was read */
	int	truncated;	/* the TC bit */
	long long min_ttl;	/* records used; -1: none */
	long long negative_ttl;	/* from the SOA; -1: none */
};

extern enum dns_status dns_parse_reply(const unsigned char *msg, size_t len,
				       const char *qname, int qtype,
				       struct dns_rrset *out,
				       const char **error_r);
/* An empty rrset (no records, rcode and TTLs -1), as the parser starts. */
extern void dns_rrset_init(struct dns_rrset *);
extern void dns_rrset_free(struct dns_rrset *);

/* "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", ...;
   "unknown rcode" for the rest. */
extern const char *dns_rcode_str(int rcode);

/*
 * The cache's store (dns_cache.c), used by the lookups and exported for
 * the unit test, which drives it with its own clock.  Callers use
 * dns_resolver_cache() instead.  now is the caller's clock in seconds.
 *
 * dns_cache_new() takes max_entries 1..LIMIT_DNS_CACHE_ENTRIES and
 * max_ttl 1..LIMIT_DNS_CACHE_MAX_TTL; NULL otherwise or without memory.
 *
 * dns_cache_lifetime() is the policy of the DESCRIPTION: how many seconds
 * a reply parsed with status st into set may be kept; 0 for not at all.
 *
 * dns_cache_get() finds a live entry for (name, qtype); the reply and its
 * length, valid until the next call that changes the cache, or NULL (an
 * expired entry is dropped).  It counts the hit or the miss.
 *
 * dns_cache_put() stores a copy of msg/len for ttl seconds from now,
 * replacing any entry for the same question and making room as the
 * DESCRIPTION says; ttl <= 0 stores nothing.  0, or -1 when not stored
 * (no memory, a name too long for a key, or one reply above
 * LIMIT_DNS_CACHE_BYTES).
 */
struct dns_cache;

extern struct dns_cache *dns_cache_new(size_t max_entries, unsigned max_ttl);
extern void dns_cache_free(struct dns_cache *);
extern long long dns_cache_lifetime(const struct dns_cache *,
				    enum dns_status st,
				    const struct dns_rrset *set);
extern const unsigned char *dns_cache_get(struct dns_cache *,
					  const char *name, int qtype,
					  long long now, size_t *len_r);
extern int dns_cache_put(struct dns_cache *, const char *name, int qtype,
			 const unsigned char *msg, size_t len, long long ttl,
			 long long now);
extern void dns_cache_read_stats(const struct dns_cache *,
				 struct dns_cache_stats *out);

#endif
