/*
 * NAME
 *	dsn 3h
 * SUMMARY
 *	bounce reading: VERP tags, RFC 3464 DSNs, common non-DSN formats,
 *	and the hard / soft / DMARC-caused classification
 * SYNOPSIS
 *	#include <dsn/dsn.h>
 * DESCRIPTION
 *	This module turns a bounce into a list of recipients with a status
 *	code and a class.  It knows nothing of lists, members or scores:
 *	the caller decides what a class costs.  Inputs are (pointer, length)
 *	and never need a NUL terminator; all work is capped by LIMIT_DSN_*
 *	in lib/sealist_limits.h.  No function keeps state: all are
 *	thread-safe.
 *
 *	Classes.  DSN_HARD is a permanent failure of the mailbox (5.x.x),
 *	DSN_SOFT a transient one (4.x.x, or Action: delayed), DSN_DMARC a
 *	rejection caused by the message's authentication (DMARC, SPF, DKIM:
 *	5.7.26, Microsoft's 5.7.509, Yahoo's "5.7.9 ... policy reasons",
 *	5.7.1 and friends whose text says DMARC or unauthenticated) -- that
 *	is the sender's fault, never the member's, and must not count
 *	against the member.  DSN_OTHER is not a failure at all (delivered,
 *	relayed, expanded) or carries no code to judge by.
 */
#ifndef SEALIST_DSN_H
#define SEALIST_DSN_H

#include <stddef.h>

#include "buf/buf.h"
#include "msg/msg.h"
#include "sealist_limits.h"

/* ---- VERP ----------------------------------------------------------- */

/*
 * Append "LISTLOCAL-bounces" delimiter "LOCAL=DOMAIN" "@" list_domain to
 * out (not reset first), for recipient "LOCAL@DOMAIN" (Mailman / Postfix
 * VERP).  The recipient is split at its LAST '@' (a quoted local part
 * may hold one); the '@' becomes '=' and every other byte is copied as
 * it is -- a local part holding the delimiter or '=' is not escaped,
 * because dsn_verp_decode() splits at the last '=' and domains never
 * hold one.  Refused with -1 and a static *error_r: "recipient has no
 * '@'", "empty local part", "empty domain", "'=' in domain", "white
 * space or control character in recipient" (a quoted local part with
 * spaces cannot ride in an unquoted envelope local part: send such a
 * member without VERP), "address too long" (the result's local part
 * would pass LIMIT_DSN_ADDRESS), or out's error.
 */
extern int dsn_verp_encode(const char *list_local, char delimiter,
			   const char *recipient, const char *list_domain,
			   struct buf *out, const char **error_r);

/*
 * Decode the TAG of a VERP address (the bytes after "LIST-bounces+" and
 * before "@listdomain", e.g. "a+b=example.org") into "a+b@example.org",
 * NUL-terminated, in out[size].  Split at the LAST '='.  0, or -1 when
 * there is no '=', either side is empty, the domain holds '@', a quote,
 * white space or a control byte, or the result does not fit.
 */
extern int dsn_verp_decode(const void *tag, size_t len, char *out, size_t size);

/* ---- classification -------------------------------------------------- */

enum dsn_class {
	DSN_HARD,			/* permanent: counts 1.0 (Mailman) */
	DSN_SOFT,			/* transient or delayed: 0.5 if failed */
	DSN_DMARC,			/* authentication-caused: never counts */
	DSN_OTHER,			/* not a failure, or nothing to judge */
};

/*
 * Classify a status and diagnostic.  status may be a DSN Status value
 * ("5.1.1"), an SMTP reply line ("550 5.7.26 Unauthenticated ..." or
 * "550 no such user"), "" or NULL; diagnostic may be a Diagnostic-Code
 * value ("smtp; 550 ...") or any text, or NULL.  The enhanced code is the
 * first x.y.z (x in 2, 4, 5) in status, else in diagnostic; without one,
 * the first reply code (2xx, 4xx, 5xx).  DMARC-caused: x.7.26, x.7.509,
 * x.7.20 to x.7.25 (RFC 7372: no valid DKIM, SPF failed), x.7.9 with
 * "policy", any 4xx/5xx whose text says "dmarc", and x.7.0 / x.7.1 /
 * 5xx whose text says "policy" together with "authenticat", "spf" or
 * "dkim", or says "unauthenticated".  Then 5 is hard, 4 soft, else other.
 */
extern enum dsn_class dsn_classify(const char *status, const char *diagnostic);

/* "hard", "soft", "dmarc", "other" */
extern const char *dsn_class_name(enum dsn_class);

/* ---- bounce parsing -------------------------------------------------- */

/*
 * Array sizes.  Values longer than these are cut (at a UTF-8 character
 * boundary); folding is undone, runs of white space and control bytes
 * become one space, bytes that are not valid UTF-8 become '?', so each
 * is a one-line NUL-terminated UTF-8 string.
 */
#define DSN_ADDRESS_SIZE	(LIMIT_DSN_ADDRESS + 1)
#define DSN_DIAGNOSTIC_SIZE	(LIMIT_DSN_DIAGNOSTIC + 1)
#define DSN_MTA_SIZE		(LIMIT_DOMAIN + 1)

struct dsn_recipient {
	char	address[DSN_ADDRESS_SIZE];	/* Final-Recipient, else
						   Original-Recipient; the
						   "rfc822;" type and <> gone */
	char	original[DSN_ADDRESS_SIZE];	/* Original-Recipient or "" */
	char	status[16];			/* "5.1.1", or "" */
	char	action[16];			/* lowercased: "failed",
						   "delayed", ...; "" if none */
	char	diagnostic[DSN_DIAGNOSTIC_SIZE];/* "550 5.1.1 ..." (type
						   "smtp;" removed), or "" */
	char	remote_mta[DSN_MTA_SIZE];	/* Remote-MTA name, or "" */
	enum dsn_class cls;
	int	failed;		/* 1: the report says delivery failed
				   (Action: failed, or a non-DSN failure
				   notice); only these should be scored --
				   a delayed recipient is DSN_SOFT with
				   failed 0 */
};

struct dsn_report {
	int	is_dsn;			/* the recipients came from RFC 3464
					   fields */
	int	recognised;		/* 1 if some format matched and gave
					   at least one recipient; else the
					   caller forwards to the owner */
	const char *format;		/* static: "rfc3464", "rfc3464-text"
					   (DSN fields outside a proper
					   part), "qmail", "yahoo", "exim",
					   "sendmail", "exchange", "gmail",
					   or "unrecognised" */
	struct dsn_recipient *r;	/* count entries, malloc'd */
	size_t	count;
	int	truncated;		/* more than LIMIT_DSN_RECIPIENTS */
};

/*
 * Read a bounce.  First a message/delivery-status (or RFC 6533
 * message/global-delivery-status) part anywhere in the MIME tree
 * (normally inside multipart/report; report-type is not required, since
 * some MTAs omit it); then, when that gives no recipient, the known
 * plain-text formats in the text/plain parts; then both again over the
 * raw body (a DSN with a broken boundary).  Returns 1 and fills *report
 * when recognised, 0 when not (report->format "unrecognised", count 0),
 * -1 with a static *error_r only when memory runs out.  In all cases
 * dsn_report_free() must be called.
 */
extern int dsn_parse(const struct msg *, struct dsn_report *report,
		     const char **error_r);

extern void dsn_report_free(struct dsn_report *);

/*
 * Parse the body of a message/delivery-status part (RFC 3464 section
 * 2: a per-message group, then per-recipient groups, separated by empty
 * lines; continuation lines allowed) and append its recipients to
 * report.  Exposed for the fuzzer and for callers that already hold the
 * part.  Returns the number of recipients added, or -1 when memory runs
 * out.
 */
extern int dsn_parse_fields(const void *data, size_t len,
			    struct dsn_report *report);

#endif
