/*
 * NAME
 *	ingest 3h
 * SUMMARY
 *	the LMTP server's hooks: route at RCPT time, store before 250
 * DESCRIPTION
 *	ingest connects src/lmtp.c (which knows nothing of lists) to the
 *	store and the pipeline: at RCPT it routes the address (route.h) and
 *	answers 550 5.1.1 for anything that is not one of our lists' addresses
 *	(or the DMARC report address at a list domain);
 *	after DATA it stores the message with its envelope and routed
 *	recipients in one transaction (store_inbox_add) and only then lets
 *	the server answer 250, then wakes the pipeline.  A store failure is
 *	a 451 4.3.0: the MTA keeps the message and tries again.
 *
 *	Session threads each get their own database connection (a store is
 *	one thread's), opened on first use and closed when the thread ends.
 */
#ifndef SEALIST_INGEST_H
#define SEALIST_INGEST_H

#include "lmtp.h"
#include "pipeline.h"

struct ingest;

/* pipeline may be NULL (nothing to wake). */
extern struct ingest *ingest_new(const char *database, char delimiter,
				 struct pipeline *pipeline, const char **error_r);
/* The DMARC report address's local part (route.h), copied; NULL or ""
   for none.  Before the server starts.  0, or -1 out of memory. */
extern int ingest_set_report_local(struct ingest *, const char *local);
extern void ingest_hooks(struct ingest *, struct lmtp_hooks *out);
extern void ingest_free(struct ingest *);

#endif
