/*
 * NAME
 *	spf 3h
 * SUMMARY
 *	Sender Policy Framework, RFC 7208: check_host() and its inputs
 * SYNOPSIS
 *	#include <spf/spf.h>
 * DESCRIPTION
 *	This module owns SPF evaluation: record selection (section 4.5),
 *	the record parser (spf_record.c), macro expansion (spf_macro.c,
 *	section 7), the mechanisms, modifiers and limits (spf_eval.c), and
 *	the two inputs a daemon has: the client from a Postfix XFORWARD
 *	command (spf_xforward.c).
 *
 *	DNS goes through a table of functions (struct spf_lookups), so unit
 *	tests answer from memory and the daemon uses lib/dns through
 *	spf_dns_lookups().  Answers use lib/dns's types and are released
 *	with its dns_*_answer_free() functions, so a table must malloc them.
 *
 *	Evaluation is bounded: at most LIMIT_SPF_DNS_TERMS terms that cause
 *	DNS lookups (include, a, mx, ptr, exists, redirect) and at most
 *	LIMIT_SPF_VOID_LOOKUPS lookups that find nothing, counted over the
 *	whole evaluation, includes and redirects too; a loop of includes hits
 *	the first limit and is a permerror.
 *
 *	Nothing here logs or exits.  Threads: a query and its verdict are
 *	used by one thread; there is no global state.
 */
#ifndef SEALIST_SPF_H
#define SEALIST_SPF_H

#include <stddef.h>
#include <time.h>
#include <netinet/in.h>

#include "dns/dns.h"

enum spf_result {
	SPF_NONE,
	SPF_NEUTRAL,
	SPF_PASS,
	SPF_FAIL,
	SPF_SOFTFAIL,
	SPF_TEMPERROR,
	SPF_PERMERROR,
};

/* "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror" */
extern const char *spf_result_str(enum spf_result);

/*
 * The DNS functions.  Each fills *out (empty unless DNS_OK) and returns
 * lib/dns's status: DNS_NXDOMAIN and DNS_NODATA mean "nothing there",
 * DNS_SERVFAIL, DNS_TIMEOUT and DNS_BADRESPONSE are temporary errors
 * (SPF temperror), DNS_ERROR is taken as temporary too.  ptr asks the
 * PTR records of the name given (a reverse name, built here).
 */
struct spf_lookups {
	void   *ctx;
	enum dns_status (*txt)(void *ctx, const char *name,
			       struct dns_txt_answer *out);
	enum dns_status (*a)(void *ctx, const char *name,
			     struct dns_a_answer *out);
	enum dns_status (*aaaa)(void *ctx, const char *name,
				struct dns_aaaa_answer *out);
	enum dns_status (*mx)(void *ctx, const char *name,
			      struct dns_mx_answer *out);
	enum dns_status (*ptr)(void *ctx, const char *name,
			       struct dns_ptr_answer *out);
};

/* A table that asks r; r must outlive the table's use. */
extern struct spf_lookups spf_dns_lookups(struct dns_resolver *r);

/*
 * One check_host() question.  family is AF_INET or AF_INET6 with the
 * address in ip; spf_query_set_ip() fills both from text and makes an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) IPv4 (RFC 7208 section 5:
 * such a client is treated as IPv4; done here for structs too).
 *
 * sender is the MAIL FROM address without angle brackets; NULL or ""
 * means the null reverse-path, checked as postmaster@helo (section 2.4).
 * A sender with no local-part ("@example.org") gets "postmaster"
 * (section 4.3); one without "@" is taken as a domain with local-part
 * "postmaster" (pyspf does the same).  The domain is what follows the
 * last "@".  helo is the HELO/EHLO name (NULL: "unknown" for %{h}).
 * receiver is this host's name for %{r} ("unknown" if NULL).
 * now is %{t}.  All strings are NUL-terminated and read during the call.
 */
struct spf_query {
	int	family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	}	ip;
	const char *sender;
	const char *helo;
	const char *receiver;
	const struct spf_lookups *dns;
	time_t	now;
};

/* 0, or -1 if text is not an IPv4 or IPv6 address literal. */
extern int spf_query_set_ip(struct spf_query *, const char *text);

/*
 * The answer.  Strings are malloc'd (or NULL) and released by
 * spf_verdict_free():
 *   domain       the domain whose record gave the result (after
 *                redirects; the <domain> of the outermost check_host)
 *   mechanism    the directive that matched, as written ("-all",
 *                "include:_spf.example.com", "default" when none matched,
 *                "redirect=..." is not one: the target's is given)
 *   reason       one line for a log or Received-SPF comment
 *   explanation  for fail only: the exp= text expanded (section 6.2),
 *                or NULL when there is none or it could not be had
 */
struct spf_verdict {
	enum spf_result result;
	char   *domain;
	char   *mechanism;
	char   *reason;
	char   *explanation;
	unsigned dns_lookups;	/* terms counted against LIMIT_SPF_DNS_TERMS */
	unsigned void_lookups;	/* lookups that found nothing */
};

/*
 * check_host(<ip>, <domain of sender>, <sender>) for the MAIL FROM
 * identity (section 2.4; with an empty sender the HELO domain).
 * Fills *out (always; free it with spf_verdict_free) and returns
 * out->result, or -1 with out->reason set if out of memory or the query
 * is unusable (no dns table, unknown family).
 */
extern int spf_check_host(const struct spf_query *, struct spf_verdict *out);

/* The HELO identity (section 2.3): sender postmaster@helo.  A helo that
   is an address literal or not a domain gives "none". */
extern int spf_check_helo(const struct spf_query *, struct spf_verdict *out);

extern void spf_verdict_free(struct spf_verdict *);

/*
 * Postfix XFORWARD attributes (XFORWARD_README): the text after
 * "XFORWARD " (without CRLF), len octets, no NUL needed.  Accepted:
 * NAME=, ADDR=, PORT=, PROTO=, HELO=, IDENT=, SOURCE=, DESTADDR=,
 * DESTPORT= (case-insensitive names; unknown names are ignored as the
 * README asks), values xtext-encoded (RFC 3461: "+HH"), separated by
 * spaces.  ADDR is IPv4, "IPV6:" followed by IPv6 (prefix
 * case-insensitive), or a bare IPv6 literal; [UNAVAILABLE] and
 * [TEMPUNAVAIL] leave a field unset.  Decoded values are copied into
 * out (bounded by LIMIT_SPF_XFORWARD_VALUE).  Returns 0 or -1 with
 * *error_r set (malformed xtext, bad ADDR, over the limits).  Later
 * commands add to an earlier result, as Postfix sends several.
 */
struct spf_xforward {
	int	have_addr;
	int	family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	}	ip;
	char	name[256];	/* "" if unavailable */
	char	helo[256];
	char	proto[16];
	char	source[16];	/* "LOCAL" / "REMOTE" */
};

extern void spf_xforward_init(struct spf_xforward *);
extern int spf_parse_xforward(const char *line, size_t len,
			      struct spf_xforward *out,
			      const char **error_r);
/* Copy the client address and HELO into q (pointers into xf). */
extern void spf_xforward_to_query(const struct spf_xforward *xf,
				  struct spf_query *q);

/*
 * The record parser, exported for the fuzz target and tests: rec/len is
 * one TXT record (no NUL needed); returns 0 if it is a syntactically
 * valid "v=spf1" record of at most LIMIT_SPF_RECORD octets, else -1
 * with *error_r saying why (a static string).
 */
extern int spf_record_check(const char *rec, size_t len,
			    const char **error_r);

#endif
