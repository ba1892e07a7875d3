/*
 * NAME
 *	tap 3h
 * SUMMARY
 *	minimal TAP producer for the unit tests
 * DESCRIPTION
 *	Each check prints "ok N - what" or "not ok N - what" with the
 *	expected and actual values on "#" lines; tap_done() prints the plan
 *	and returns the exit status.  These are functions, not assert(), so
 *	they keep working under NDEBUG.  Automake's tap-driver counts them.
 */
#ifndef SEALIST_TAP_H
#define SEALIST_TAP_H

#include <stddef.h>

/* Record one result; returns cond so a caller can skip dependent checks. */
extern int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Equal integers / strings (NULL-safe) / byte ranges. */
extern int tap_int(long long got, long long want, const char *what);
extern int tap_str(const char *got, const char *want, const char *what);
extern int tap_mem(const void *got, size_t got_len,
		   const void *want, size_t want_len, const char *what);

/* "#" line, for context. */
extern void tap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Print the plan; return 0 if every check passed, else 1. */
extern int tap_done(void);

/*
 * Read a whole file into malloc'd memory (NUL-terminated, length in
 * *len_r); NULL on error.  For table rows that name files in tests/data.
 */
extern unsigned char *tap_read_file(const char *path, size_t *len_r);

/* $top_srcdir/rel, or ./rel when the variable is not set; static buffer. */
extern const char *tap_srcpath(const char *rel);

#endif
