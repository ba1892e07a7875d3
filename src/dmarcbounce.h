/*
 * NAME
 *	dmarcbounce 3h
 * SUMMARY
 *	bounces of the DMARC aggregate reports sealist sent
 * DESCRIPTION
 *	The reports src/dmarcout.c sends have dmarc_report_address at the
 *	list domain as envelope sender, so when a rua= mailbox does not
 *	exist the receiving MTA's DSN (RFC 3464) comes back to the address
 *	where reports are read (src/dmarcrep_mail.c).  This module owns
 *	telling such a bounce from a report and recording it: the returned
 *	message's Message-ID (a sent report's is <report_id>), else the
 *	"Report-ID:" of its Subject, names the report; only a report_id that
 *	dmarc_sent_reports holds, in a mail lib/dsn recognises as a bounce,
 *	makes the mail one of ours (the cheap tests first: every report mail
 *	passes here).  Each failed recipient is
 *	logged (event=dmarc_report_bounce) and stored in
 *	dmarc_report_bounces (db/016).  Nothing is sent back.  The bounce
 *	that makes DMARCBOUNCE_STOP_HARD hard ones of an address within
 *	DMARCBOUNCE_STOP_DAYS logs event=dmarc_report_rua_stopped once, and
 *	dmarcbounce_stopped() tells the report pass to skip that address.
 *
 *	A bounce is not authenticated first (a DSN's From is the MTA's, and
 *	dmarc_report_require_auth is about reports).  Our report_ids can be
 *	guessed (interval, policy domain, list domain) and rua addresses are
 *	public, so forged bounces can add rows and log lines, and three of
 *	them stop reports to an address for 30 days: the cost is a domain
 *	owner missing our reports for a while, never mail sent or lost.
 */
#ifndef SEALIST_DMARCBOUNCE_H
#define SEALIST_DMARCBOUNCE_H

#include <stddef.h>

#include "store.h"

/* A rua address with this many hard bounces in DMARCBOUNCE_STOP_DAYS is
   sent no more reports (dmarcout), until the oldest of them ages out. */
#define DMARCBOUNCE_STOP_HARD	3
#define DMARCBOUNCE_STOP_DAYS	30

/* A report_id is kept up to this many octets (dmarcout's are shorter). */
#define DMARCBOUNCE_ID_MAX	599

struct msg;

/*
 * The report_id a bounce names: the Message-ID (without <>) of the
 * returned message or headers (a text/rfc822-headers, message/rfc822,
 * message/global or message/global-headers part), else the token after
 * "Report-ID:" in their Subject (RFC 9990 section 3.5.2), into
 * out[0..size).  1 found, 0 not (no such part, no such field, or a value
 * with controls or spaces or too long).  Pure: no store.
 */
extern int dmarcbounce_report_id(const struct msg *, char *out, size_t size);

/*
 * If m (stored as in) is a DSN about a report we sent, log and store
 * its failed recipients and say so in reason[0..size): 1.  0 when it is
 * not (the caller goes on as for any mail), -1 with *error_r when the
 * store failed or memory ran out (the pipeline retries).
 */
extern int dmarcbounce_handle(struct store *, const struct store_inbox_msg *in,
			      const struct msg *m, long long now, char *reason, size_t size,
			      const char **error_r);

/*
 * *stopped_r 1 if address has DMARCBOUNCE_STOP_HARD hard bounces stored
 * in the DMARCBOUNCE_STOP_DAYS before now, else 0.  STORE_OK or a store
 * status with *error_r.
 */
extern int dmarcbounce_stopped(struct store *, const char *address, long long now,
			       int *stopped_r, const char **error_r);

#endif
