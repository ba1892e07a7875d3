/*
 * NAME
 *	dmarcrep_mail 3h
 * SUMMARY
 *	mail to the DMARC report address: find the reports in it, import them
 * DESCRIPTION
 *	Receivers send aggregate reports (RFC 9990 section 3.5.2) by mail to the
 *	rua= address, which for our list domains is dmarc_report_address
 *	(route.h files it as role dmarc-report).
 *
 *	dmarcrep_mail_pick() is the pure part: message bytes in, the report
 *	candidates out, decoded (base64, quoted-printable).  A candidate is
 *	a leaf of the MIME tree (lib/mime, mime_walk; message/rfc822 parts
 *	are not entered) whose media type is application/gzip,
 *	application/x-gzip, application/zip, application/x-zip-compressed,
 *	text/xml or application/xml, or application/octet-stream with a
 *	file name (Content-Disposition filename, else Content-Type name)
 *	ending in .xml, .gz or .zip (case ignored; .xml.gz ends in .gz).  A
 *	message that is a single part of such a type is its own candidate.
 *	What the type says is only a hint: lib/dmarcrep tells gzip, zip and
 *	XML apart by their bytes.
 *
 *	dmarcrep_mail_handle() first hands the mail to dmarcbounce (a DSN
 *	about a report we sent is logged and stored there, not kept aside),
 *	then puts each candidate through dmarcrep_import
 *	(the code "sealist dmarc-report import" uses), logs one line per
 *	report, and keeps a mail without any candidate aside as "no report
 *	attachment".  Nothing is ever sent back: reports come from robots,
 *	and an answer would be backscatter at best.
 *
 *	Report data may be forged (RFC 9990 section 8.2), and report mail
 *	must pass DMARC aligned (section 3.5.2): each report is stored with
 *	our DMARC verdict of its mail and the mail's From domain, so the
 *	summary and the web page can mark reports that did not pass.  With
 *	dmarc_report_require_auth = yes such a mail is not read at all but
 *	kept aside as "report mail did not pass DMARC (dmarc=fail, From
 *	x.example)": nothing of a forger's attachments is unpacked.
 */
#ifndef SEALIST_DMARCREP_MAIL_H
#define SEALIST_DMARCREP_MAIL_H

#include <stddef.h>

#include "buf/buf.h"
#include "store.h"

/* Candidates read from one mail.  Receivers send one report per mail
   (RFC 9990 section 3.5.2 asks for no particular structure); 16 is plenty for a batch, and
   bounds the work one mail can cause.  The rest are refused, not read. */
#define DMARCREP_MAIL_MAX	16
/* A candidate's file name is kept up to this many octets (for the log). */
#define DMARCREP_MAIL_NAME_MAX	255

struct dmarcrep_mail_part {
	char	type[64];		/* "application/gzip", lowercase (cut at 63) */
	char	filename[DMARCREP_MAIL_NAME_MAX + 1];	/* "" if none; raw octets, no NUL */
	struct buf data;		/* decoded; LIMIT_DMARCREP_PACKED + 1 at most, so
					   a bigger one shows as data.len over the limit */
};

struct dmarcrep_mail_parts {
	struct dmarcrep_mail_part part[DMARCREP_MAIL_MAX];
	size_t	n;
	size_t	extra;			/* candidates past DMARCREP_MAIL_MAX, not decoded */
};

struct msg;

/*
 * The candidates of message[0..len) into *out (initialised here; free
 * with dmarcrep_mail_parts_free, also on failure).  0, or -1 with a
 * static *error_r when the message or its MIME structure cannot be read
 * ("nesting too deep", "too many parts", a msg_parse reason, "out of
 * memory").
 */
extern int dmarcrep_mail_pick(const void *message, size_t len, struct dmarcrep_mail_parts *out,
			      const char **error_r);
/* The same over a parsed message. */
extern int dmarcrep_mail_pick_msg(const struct msg *, struct dmarcrep_mail_parts *out,
				  const char **error_r);
extern void dmarcrep_mail_parts_free(struct dmarcrep_mail_parts *);

struct store_inbox_msg;

/* The report mail's authentication, from its stored verdict (verdict.h). */
struct dmarcrep_mail_auth {
	const char *dmarc;		/* decisive DMARC result; NULL: unknown */
	const char *from_domain;	/* its author domain, "" none */
	int	require;		/* dmarc_report_require_auth = yes */
};

/*
 * Import the reports in stored message in (parsed as m), which
 * authenticated as auth says.  0 with a
 * summary in reason[0..size) ("2 reports: 1 imported, 1 refused"): the
 * recipient is done; -1 with *error_r when the store failed (the
 * pipeline retries; reports stored before the failure are duplicates
 * then, refused ones are kept aside again).
 */
extern int dmarcrep_mail_handle(struct store *, const struct store_inbox_msg *in,
				const struct msg *m, const struct dmarcrep_mail_auth *auth,
				long long now, char *reason, size_t size, const char **error_r);

#endif
