/*
 * NAME
 *	members_csv 3h
 * SUMMARY
 *	member import and export as CSV, shared by the CLI and the web
 * DESCRIPTION
 *	This module owns what a members CSV file means: the header row that
 *	names the columns (address required; name, delivery, moderated; any
 *	order, other columns ignored), the rules for each field, and the
 *	export's columns (address,name,delivery,status,moderated), which
 *	import back as they are.  `sealist member import|export` and the web
 *	members page both call it, so they accept the same files, refuse
 *	the same rows with the same words and write the same bytes.
 *
 *	An import is one store transaction over bytes already in memory
 *	(the caller reads the file or the upload first, so a slow source
 *	never holds the database).  It goes on past a bad row so that every
 *	bad row is reported, and commits only when there was none, unless
 *	skip_invalid says to keep the good ones.  A file that is not CSV,
 *	or has no header with an address column, changes nothing whatever
 *	the flags say.
 */
#ifndef SEALIST_MEMBERS_CSV_H
#define SEALIST_MEMBERS_CSV_H

#include <stddef.h>

#include "buf/buf.h"
#include "store.h"

/* The progress callback runs every this many data rows. */
#define MEMBERS_CSV_PROGRESS	10000

struct members_csv_import {
	/* Set by the caller. */
	int	dry_run;	/* check every row, then change nothing */
	int	skip_invalid;	/* commit the valid rows even if some are not */
	/* Each refused row, or a problem with the whole file (line 0). */
	void	(*invalid)(void *ctx, size_t line, const char *why);
	/* Every MEMBERS_CSV_PROGRESS data rows; may be NULL. */
	void	(*progress)(void *ctx, size_t rows);
	void   *ctx;
	/* Filled by members_csv_import. */
	int	malformed;	/* not CSV, empty or no usable header: nothing changed */
	size_t	rows;		/* data rows read (blank lines are none) */
	size_t	invalid_rows;	/* rows refused */
	size_t	added;		/* members added and committed */
	int	committed;	/* the transaction was committed */
};

/*
 * Import the CSV data[0..len) into list.  STORE_OK when the file was
 * read to a verdict: then imp says what happened (malformed, the counts,
 * whether anything was committed) and every refused row went to
 * imp->invalid.  Otherwise the store's status (STORE_NO_LIST for an
 * unknown list, STORE_ERROR when the database or memory failed) with
 * *error_r; nothing was changed.
 */
extern int members_csv_import(struct store *, const char *list, const void *data, size_t len,
			      struct members_csv_import *imp, const char **error_r);

/*
 * Append the export of list to out: the header row, then one row per
 * member ordered by address, rows ending in CRLF.  The store's status,
 * with *error_r.  out's own sticky error (buf_failed) says when it
 * reached its maximum; the caller checks it.
 */
extern int members_csv_export(struct store *, const char *list, struct buf *out,
			      const char **error_r);

#endif
