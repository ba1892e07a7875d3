/*
 * NAME
 *	addr 3h
 * SUMMARY
 *	RFC 5322 address lists, addr-spec validation, RFC 2047 words
 * SYNOPSIS
 *	#include <addr/addr.h>
 * DESCRIPTION
 *	This module owns the meaning of address header fields (From,
 *	Sender, Reply-To, To, Cc): which mailboxes a value names, in which
 *	groups, with which display names.  It reads raw field values (the
 *	bytes after the colon, folding included) and never rewrites them;
 *	what it returns is for decisions (DMARC's RFC5322.From domain,
 *	membership checks) and for display.
 *
 *	Parsing follows RFC 5322 sections 3.2 and 3.4 and accepts the
 *	obsolete forms of section 4.4 (source routes, CFWS around dots,
 *	empty list items, dots in phrases).  It is lenient only where real
 *	mail is sloppy and the meaning stays clear: dots and '@' in an
 *	unquoted display name before '<', 8-bit (RFC 6532) bytes in words,
 *	control characters inside quoted strings and comments (obs-qtext),
 *	a group missing its final ';' at the end of the field, consecutive
 *	dots in a local part (as some mobile carriers issue them).  It is
 *	strict where a reader could be misled: every mailbox has a local
 *	part and a domain, nothing may follow an address but a comment and
 *	a separator, quotes, comments and angle brackets must balance, and
 *	a NUL byte anywhere is an error.
 *
 *	No function depends on a NUL terminator in its input or reads past
 *	the length given; sizes and counts are capped with lib/sealist_limits.h.
 *	No function keeps state between calls: all are thread-safe.
 */
#ifndef SEALIST_ADDR_H
#define SEALIST_ADDR_H

#include <stddef.h>

#include "buf/buf.h"

/*
 * One mailbox.  Every string is malloc'd, NUL-terminated and contains
 * no NUL byte; addr_list_free() frees them.
 *
 * display: the display name for showing to people: quotes removed,
 *	quoted-pairs unescaped, comments dropped, RFC 2047 encoded words
 *	(outside quoted strings) decoded to UTF-8, control characters and
 *	runs of white space turned into one space, no space at either end.
 *	When the mailbox has no display name, the first non-empty comment
 *	after the address stands in ("a@b.example (Real Name)"), as mail
 *	readers show it.  "" when there is neither.  Bytes that were 8-bit
 *	in the field are copied as they were (RFC 6532 says UTF-8; invalid
 *	sequences are not repaired).
 * local: the local part as written, CFWS removed and folding undone;
 *	a quoted local part keeps its quotes and backslashes.  Never "".
 * domain: the domain with CFWS removed and ASCII letters lowercased;
 *	8-bit (U-label) bytes are kept as they are; a domain literal
 *	keeps its brackets ("[192.0.2.1]").  Never "".
 * group: the display name of the group the mailbox was listed in (as
 *	for display), or NULL outside a group.
 */
struct addr {
	char   *display;
	char   *local;
	char   *domain;
	char   *group;
};

/*
 * The mailboxes of one field in the order written.  count > 1 means the
 * field names several mailboxes; groups counts the groups seen,
 * including empty ones ("undisclosed-recipients:;" gives count 0,
 * groups 1).  RFC 7489 section 6.6.1 needs exactly this distinction.
 */
struct addr_list {
	struct addr *items;
	size_t	count;
	size_t	groups;
};

/*
 * Parse an address-list field value of len bytes (CRLF or LF folding
 * allowed).  Returns 0 and fills *out (free it with addr_list_free()),
 * or -1 with *error_r set to a short static reason ("unbalanced quote",
 * "missing domain after @", "unterminated comment", "empty address",
 * "too many addresses", "field too long", ...) and *out empty (freeing
 * it is harmless).  A value with no address and no group at all (empty,
 * only white space, comments or commas) is an error, "no address"; RFC
 * 5322 requires at least one.  Fails when more than LIMIT_ADDRESS_COUNT
 * mailboxes are named or len passes LIMIT_ADDRESS_FIELD.  The RFC 5321
 * length limit on local parts is not applied here (headers carry longer
 * ones); a domain longer than LIMIT_DOMAIN is an error.  error_r may be
 * NULL.
 */
extern int addr_parse_list(const void *value, size_t len,
			   struct addr_list *out, const char **error_r);

/* Free what addr_parse_list() filled in; leaves *list empty. */
extern void addr_list_free(struct addr_list *list);

/*
 * Validate a bare addr-spec as typed on the command line or a web form,
 * for an address the list will send mail to ("user@example.org"): no
 * display name, no angle brackets, no white space or comments (the
 * caller trims).  Rules, with the error each one gives:
 *	- an '@' separates local part and domain ("missing @"); it is the
 *	  first '@' after a quoted local part, else the first '@';
 *	- the local part is a dot-atom (RFC 5321 Dot-string: atext and
 *	  UTF-8, no leading, trailing or doubled dot) or a quoted string
 *	  ("a b"@example.org) kept as typed, quotes included ("empty local
 *	  part", "invalid character 'X' in local part", "local part starts
 *	  or ends with '.'", "local part has consecutive dots",
 *	  "unbalanced quote", "invalid UTF-8 in local part");
 *	- the local part is at most LIMIT_LOCAL_PART octets ("local part
 *	  longer than 64 octets");
 *	- the domain is a fully-qualified host name, because a list sends
 *	  to its members through DNS (MX) and checks their domains' DMARC
 *	  records: at least two labels ("domain needs a dot"), letters,
 *	  digits, '-' and UTF-8 (IDN U-labels are kept, not converted),
 *	  labels of 1 to 63 octets not starting or ending with '-', a
 *	  top-level label that is not all digits, at most LIMIT_DOMAIN
 *	  octets; domain literals ([192.0.2.1]) are refused ("empty domain",
 *	  "domain has an empty label", "domain label starts or ends with
 *	  '-'", "domain label longer than 63 octets", "invalid character
 *	  'X' in domain", "domain longer than 255 octets", "top-level domain
 *	  is numeric", "domain literals are not accepted").
 * Returns 0 with *local_r and *domain_r malloc'd (the domain's ASCII
 * letters lowercased), or -1 with *error_r set and both set to NULL.
 * local_r and domain_r may be NULL to only validate; error_r may be NULL.
 */
extern int addr_parse_spec(const char *s, size_t len, char **local_r,
			   char **domain_r, const char **error_r);

/*
 * Append in[0..len) to out with every RFC 2047 encoded word that stands
 * alone between white space (or the ends) decoded to UTF-8, and the white
 * space between two adjacent encoded words dropped (RFC 2047 section 6.2).
 * Everything else is copied byte for byte; the caller unfolds and
 * collapses white space if it wants to.  An encoded word that cannot be
 * decoded (unknown charset, bad base64 or Q text, bytes invalid in
 * their charset) is copied as it was.  Control characters produced by
 * decoding (including NUL) become spaces, so decoded text can never
 * inject a line break or truncate a C string.  Meant for unstructured
 * fields (Subject) and comments.  Returns 0, or -1 when out fails (its
 * maximum or memory; buf_failed(out) then tells).
 */
extern int addr_rfc2047_decode(const void *in, size_t len, struct buf *out);

#endif
