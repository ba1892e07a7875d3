/*
 * NAME
 *	log 3h
 * SUMMARY
 *	the programs' diagnostics, one key=value line per event
 * DESCRIPTION
 *	Levels have fixed meanings (STYLE.md): debug = detail for developers;
 *	info = normal events; warn = bad input or a bad peer, we carry on;
 *	error = a local failure we recover from; log_fatal = bad
 *	configuration or no resources, exit(1); log_panic = a bug, abort().
 *
 *	Callers write "key=value" text: log_info("event=start lmtp=%s", a).
 *	Lines go to syslog, or to stderr as "TIME PROG[PID]: level=L text"
 *	for a foreground daemon and for the CLI.  lib/ never logs.
 */
#ifndef SEALIST_LOG_H
#define SEALIST_LOG_H

enum log_level { LOG_L_DEBUG, LOG_L_INFO, LOG_L_WARN, LOG_L_ERROR };

/* Start logging as ident, to stderr or to syslog with facility. */
extern void log_open(const char *ident, int to_stderr, const char *facility);

/* Least severe level written; from log_level's names. */
extern void log_set_level(enum log_level);
extern int log_level_from_name(const char *name, enum log_level *level_r);

extern void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void log_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
extern void log_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/*
 * Quote a value for a key=value line: returns the text unchanged when
 * it is a plain token, else in double quotes with \" \\ and control
 * bytes escaped.  Result in a per-thread rotating buffer; valid for a
 * few calls, enough for one log line.
 */
extern const char *log_quote(const char *value);

extern void log_close(void);

#endif
