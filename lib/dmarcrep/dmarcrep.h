/*
 * NAME
 *	dmarcrep 3h
 * SUMMARY
 *	DMARC aggregate reports: unpack (gzip, zip, plain) and parse the XML
 * DESCRIPTION
 *	A report as receivers send it: an XML document (RFC 9990 Appendix A,
 *	or the older RFC 7489 Appendix C schema), usually gzip- or
 *	zip-compressed.  dmarcrep_unpack finds out which by its bytes (not
 *	by a file name or MIME type), decompresses with libarchive, and caps
 *	the decompressed size (zip bombs).  dmarcrep_parse reads the XML
 *	with libxml2, safely: no network, no DTD loading, no entity
 *	expansion, no external entities (a DOCTYPE is refused outright),
 *	bounded depth, size and record count.  The report and its records
 *	are copied out into plain C strings: nothing of libxml2 escapes.
 *	lib/: knows nothing of lists, sockets or the database.
 *
 *	Threads: each call has its own libxml2 parser context, error handler
 *	and libarchive handle; nothing is global.  libxml2 2.9 wants its
 *	xmlInitParser() called once before threads start (dmarcrep_parse
 *	calls it too, which is then a no-op).
 */
#ifndef SEALIST_DMARCREP_H
#define SEALIST_DMARCREP_H

#include <stddef.h>

#include "buf/buf.h"

/* The caps (reasons in sealist_limits.h): LIMIT_DMARCREP_PACKED (input),
   LIMIT_DMARCREP_XML (after decompression), LIMIT_DMARCREP_DEPTH,
   LIMIT_DMARCREP_RECORDS, LIMIT_DMARCREP_ELEMENTS (the whole tree),
   LIMIT_DMARCREP_FIELD (one text value). */

enum dmarcrep_format { DMARCREP_PLAIN, DMARCREP_GZIP, DMARCREP_ZIP };

/*
 * data[0..len) -> the XML document into xml (initialised by the caller
 * with a cap of at least LIMIT_DMARCREP_XML + 1).  A zip must hold exactly
 * one regular file (directory entries are skipped).  0, or -1 with why
 * (one line: "not a report: neither XML, gzip nor zip", "zip: more than
 * one file", "decompressed size over 64 MiB", "truncated gzip: ...").
 */
extern int dmarcrep_unpack(const void *data, size_t len, struct buf *xml,
			   enum dmarcrep_format *format_r, char *why, size_t whysize);

/* One <auth_results> entry: a DKIM or SPF result the receiver saw. */
struct dmarcrep_auth {
	char   *domain, *selector, *result;	/* selector "" for SPF */
	char   *scope;				/* SPF "mfrom"/"helo", "" if absent */
};

struct dmarcrep_record {
	char   *source_ip;			/* as given (v4 or v6), checked */
	long long count;
	char   *disposition;			/* as given: none, quarantine, reject; RFC 9990 also pass */
	char   *dkim, *spf;			/* policy_evaluated: pass or fail */
	char   *reason_type, *reason_comment;	/* the first <reason>, "" if none */
	char   *header_from, *envelope_from, *envelope_to;	/* "" if absent */
	struct dmarcrep_auth *dkim_results;	/* auth_results/dkim, in order */
	size_t	ndkim;
	struct dmarcrep_auth *spf_results;	/* auth_results/spf */
	size_t	nspf;
};

/*
 * After a successful parse every char * is non-NULL ("" when the element
 * is absent), at most LIMIT_DMARCREP_FIELD - 1 octets (cut at a UTF-8
 * boundary), trimmed, with no C0, DEL or C1 control characters.  Elements
 * are matched by local name in any namespace; unknown ones are ignored.
 */
struct dmarcrep_report {
	int	schema;				/* 7489 or 9990 (by namespace/version) */
	char   *org_name, *email, *extra_contact, *report_id;
	long long date_begin, date_end;		/* Unix time */
	char   *errors;				/* <error> elements joined by "\n", "" */
	/* policy_published */
	char   *domain, *adkim, *aspf, *p, *sp, *np, *fo, *testing, *discovery;
	int	pct;				/* -1 when absent (RFC 9990 has none) */
	struct dmarcrep_record *records;
	size_t	nrecords;
};

/*
 * Parse xml[0..len) into *out (zeroed first; free with dmarcrep_free
 * even on failure).  0, or -1 with why: "XML not well-formed at line N",
 * "a DOCTYPE is not allowed (external entities, entity expansion)",
 * "nesting deeper than 32", "not a DMARC aggregate report (root <x>)",
 * "missing <report_id>", "bad source_ip ...", "more than N records".
 * A "<!DOCTYPE" anywhere in the bytes, even in a comment, is refused.
 */
extern int dmarcrep_parse(const void *xml, size_t len, struct dmarcrep_report *out,
			  char *why, size_t whysize);

extern void dmarcrep_free(struct dmarcrep_report *);

#endif
