/*
 * NAME
 *	dmarcrep_out 3h
 * SUMMARY
 *	DMARC aggregate reports we send: the RFC 9990 XML, its gzip, the
 *	mail's file name and Subject, and the rua= destinations
 * DESCRIPTION
 *	The writing half of lib/dmarcrep (dmarcrep.h reads reports).
 *	dmarcrep_write produces a document that validates against RFC 9990
 *	Appendix A (namespace urn:ietf:params:xml:ns:dmarc-2.0, version
 *	1.0), every text value escaped for XML and stripped of characters
 *	XML 1.0 cannot carry.  The caller aggregates; nothing here knows of
 *	lists, sockets or the database.  rua= URIs are parsed here and the
 *	external destination check of RFC 9990 section 4 is decided here
 *	from TXT records the caller looked up.
 */
#ifndef SEALIST_DMARCREP_OUT_H
#define SEALIST_DMARCREP_OUT_H

#include <stddef.h>

#include "buf/buf.h"

/* One DKIM (selector set) or SPF (scope "mfrom" or NULL) result. */
struct dmarcrep_out_auth {
	const char *domain;
	const char *selector;		/* DKIM: required; SPF: NULL */
	const char *result;		/* RFC 8601 words: pass, fail, none, ... */
	const char *scope;		/* SPF: "mfrom" or NULL; DKIM: NULL */
	const char *human_result;	/* NULL: omitted */
};

struct dmarcrep_out_record {
	const char *source_ip;		/* v4 or v6 text */
	long long count;		/* >= 1 */
	const char *disposition;	/* none, pass, quarantine, reject */
	const char *dkim, *spf;		/* DMARC-aligned: pass or fail */
	const char *reason_type;	/* NULL: no <reason>; else one of RFC 9990
					   3.1.6 (mailing_list, local_policy, ...) */
	const char *reason_comment;	/* NULL: omitted */
	const char *header_from;
	const char *envelope_from;	/* NULL or "": omitted */
	const char *envelope_to;	/* NULL or "": omitted */
	const struct dmarcrep_out_auth *dkim_results;
	size_t	ndkim;
	const struct dmarcrep_out_auth *spf_result;	/* NULL: none (0..1 in the schema) */
};

struct dmarcrep_out {
	const char *org_name, *email;
	const char *extra_contact;	/* NULL: omitted */
	const char *report_id;
	long long date_begin, date_end;	/* Unix time, UTC */
	const char *error;		/* NULL: omitted (at most one in the schema) */
	const char *generator;		/* "sealist VERSION", NULL omitted */
	/* policy_published: the record as it was evaluated; NULL omitted
	   (domain and p are required) */
	const char *domain, *p, *sp, *np, *adkim, *aspf;
	const char *discovery_method;	/* "psl" or "treewalk" */
	const char *fo, *testing;	/* testing: "n" or "y" */
	const struct dmarcrep_out_record *records;
	size_t	nrecords;		/* >= 1 */
};

/*
 * Append the XML document to xml.  0, or -1 with *error_r (a required
 * value missing or not one the schema allows, no records, more than
 * LIMIT_DMARCREP_RECORDS, a document over LIMIT_DMARCREP_OUT, the buf's
 * maximum passed, out of memory); *error_r names the element ("<p>: a
 * value RFC 9990 does not allow", "<domain>: missing") and stays valid
 * until the next call in the same thread.  On -1 xml is cut back to its
 * length before the call (its sticky error stays when the buf failed).
 *
 * Optional values: NULL or "" omits the element; a required value with
 * nothing but white space and control characters counts as missing.  Enumerations are
 * matched exactly (case matters: "Pass" is refused).  Text: & < > " '
 * escaped; C0 controls other than TAB, LF, CR and U+FFFE/U+FFFF dropped;
 * each octet that does not begin valid UTF-8 (overlong, surrogate,
 * truncated) written as U+FFFD.  Free text (extra_contact, error,
 * reason_comment, human_result) is cut at a character boundary below
 * LIMIT_DMARCREP_FIELD octets, our own reader's cap; any other value that
 * long is refused rather than cut.
 */
extern int dmarcrep_write(const struct dmarcrep_out *, struct buf *xml,
			  const char **error_r);

/*
 * RFC 1952 gzip of data[0..len) appended to out, with the original file
 * name (FNAME; may be NULL) and mtime in its header.  0, or -1 with *error_r.
 */
extern int dmarcrep_gzip(const void *data, size_t len, const char *name,
			 long long mtime, struct buf *out, const char **error_r);

/*
 * RFC 9990 section 3.5.2 names, appended to out:
 *  filename: receiver!policy-domain!begin!end[!unique-id].xml[.gz]
 *	      (unique_id NULL or alphanumeric; gz 1 for ".xml.gz")
 *  subject:  "Report Domain: D Submitter: S Report-ID: <ID>" folded with
 *	      CRLF SP so no line passes 78 octets (the field name
 *	      "Subject: " counted).
 * 0, or -1 when a name is not a domain name or the id not a ridfmt.
 * Domain names are RFC 6376's domain-name: LDH labels (A-labels), at
 * least two, no trailing dot, within 253 octets and 63 per label.
 * unique_id: NULL or "" for none, else 1 to 64 letters and digits.
 * report_id: a ridfmt with or without its <>, written with them; NULL
 * leaves the optional "Report-ID:" out.  "Submitter:" and "Report-ID:"
 * start lines of their own (as in the RFC's example); a word longer than
 * a line (a long domain) stands alone on its line.
 */
extern int dmarcrep_filename(const char *receiver, const char *policy_domain,
			     long long begin, long long end, const char *unique_id,
			     int gz, struct buf *out);
extern int dmarcrep_subject(const char *policy_domain, const char *submitter,
			    const char *report_id, struct buf *out);

/* ---- rua= destinations ---- */

#define DMARCREP_RUA_MAX	8	/* URIs looked at per record */

struct dmarcrep_rua {
	char	address[320];		/* mailto: addr-spec, percent-decoded, domain lowercase */
	char	host[256];		/* its domain: the "destination host" */
	unsigned long long max_size;	/* "!10m": octets, 0 no limit */
};

/*
 * Parse a rua= value (comma-separated URIs, RFC 9989 section 4.7):
 * mailto: URIs kept (at most DMARCREP_RUA_MAX, in order), other schemes
 * and malformed URIs skipped (RFC 9990 3.5: "SHOULD be ignored").
 * Returns the count kept (0..DMARCREP_RUA_MAX).  WSP around the commas
 * is allowed; the scheme is matched case-insensitively; "!size" takes
 * k/m/g/t (either case, powers of 1024) and a bad one makes the URI
 * malformed.  Kept: one addr-spec per URI, a dot-atom local part (64
 * octets at most) and an RFC 6376 domain-name (lowercased); "?hfields"
 * ignored.  Skipped as malformed: several addresses in one URI, quoted
 * local parts, domain literals, bad or NUL %-escapes, characters no URI
 * holds.  A value over LIMIT_DMARCREP_RUA octets keeps nothing.
 */
extern size_t dmarcrep_rua_parse(const char *rua, struct dmarcrep_rua *out, size_t max);

enum dmarcrep_ext {
	DMARCREP_EXT_AUTHORIZED,	/* send; *override may replace the URI */
	DMARCREP_EXT_REFUSED,		/* no v=DMARC1 record: ignore the URI */
	DMARCREP_EXT_LOOP,		/* the override names another host: send nothing */
};

/*
 * The name to query, RFC 9990 section 4 steps 1-4:
 * "<policy_domain>._report._dmarc.<dest_host>" into out (size outsize).
 * 0, or -1 when it exceeds DNS limits (253 octets, 63 per label), a name
 * has an empty label or a character outside printable ASCII (convert to
 * A-labels first), or out is too small.  Trailing dots are dropped.
 */
extern int dmarcrep_ext_name(const char *policy_domain, const char *dest_host,
			     char *out, size_t outsize);

/*
 * Steps 6-9, from the TXT records found at that name (txt[i], len[i];
 * n 0 when NXDOMAIN/NODATA).  A record counts when it starts with
 * "v=DMARC1" (WSP around '=' allowed, the value case-sensitive); others,
 * and records over LIMIT_DMARCREP_RUA octets or holding a NUL, are
 * discarded; none left: REFUSED.  The rua= of the first record that
 * counts and has one is the override: when any of its mailto: URIs has
 * a host other than dest_host (case-insensitive, trailing dots ignored)
 * the answer is LOOP (section 4: report to neither); else, with at least
 * one mailto: URI, *override is the first and *has_override 1.  Hosts
 * compared are as the caller gives them (A-labels).
 */
extern enum dmarcrep_ext dmarcrep_ext_check(const unsigned char *const *txt,
					    const size_t *len, size_t n,
					    const char *dest_host,
					    struct dmarcrep_rua *override,
					    int *has_override);

#endif
