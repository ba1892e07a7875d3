/*
 * NAME
 *	log 3
 * SUMMARY
 *	the programs' diagnostics, one key=value line per event
 * DESCRIPTION
 *	See log.h.  A line is formatted whole before it is written, so lines
 *	from several threads never interleave on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_ident = "sealist";
static int log_stderr = 1;
static enum log_level log_min = LOG_L_INFO;

static const struct {
	const char *name;
	int	facility;
} log_facilities[] = {
	{"mail", LOG_MAIL}, {"daemon", LOG_DAEMON},
	{"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
	{"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
	{"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

static const char *const log_names[] = {"debug", "info", "warn", "error"};

void log_open(const char *ident, int to_stderr, const char *facility)
{
	int	fac = LOG_MAIL;
	size_t	i;

	log_ident = ident;
	log_stderr = to_stderr;
	for (i = 0; facility && i < sizeof(log_facilities) / sizeof(log_facilities[0]); i++)
		if (strcmp(facility, log_facilities[i].name) == 0)
			fac = log_facilities[i].facility;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, fac);
}

void log_close(void)
{
	if (!log_stderr)
		closelog();
}

void log_set_level(enum log_level level)
{
	log_min = level;
}

int log_level_from_name(const char *name, enum log_level *level_r)
{
	int	i;

	for (i = 0; i < 4; i++) {
		if (strcmp(name, log_names[i]) == 0) {
			*level_r = (enum log_level) i;
			return 0;
		}
	}
	return -1;
}

static void log_vwrite(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	static const int prio[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
	char	text[4096];
	char	stamp[32];
	struct tm tm;
	time_t	now;

	if (level < log_min)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	if (!log_stderr) {
		syslog(prio[level], "level=%s %s", log_names[level], text);
		return;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s[%ld]: level=%s %s\n", stamp, log_ident,
		(long) getpid(), log_names[level], text);
}

#define LOG_FN(fn, level) \
void fn(const char *fmt, ...) \
{ \
	va_list ap; \
	va_start(ap, fmt); \
	log_vwrite(level, fmt, ap); \
	va_end(ap); \
}

LOG_FN(log_debug, LOG_L_DEBUG)
LOG_FN(log_info, LOG_L_INFO)
LOG_FN(log_warn, LOG_L_WARN)
LOG_FN(log_error, LOG_L_ERROR)

void log_fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_L_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}

void log_panic(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_L_ERROR, fmt, ap);
	va_end(ap);
	abort();
}

const char *log_quote(const char *value)
{
	static _Thread_local char ring[4][1024];
	static _Thread_local int next;
	char   *out = ring[next++ & 3];
	size_t	o = 0;
	const unsigned char *p;
	int	plain = *value != 0;

	for (p = (const unsigned char *) value; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '\\' || *p == '=' || *p >= 0x7f)
			plain = 0;
	if (plain && strlen(value) < sizeof(ring[0]))
		return value;
	out[o++] = '"';
	for (p = (const unsigned char *) value; *p && o < sizeof(ring[0]) - 6; p++) {
		if (*p == '"' || *p == '\\') {
			out[o++] = '\\';
			out[o++] = (char) *p;
		} else if (*p < ' ' || *p == 0x7f) {
			o += (size_t) snprintf(out + o, 5, "\\x%02x", *p);
		} else {
			out[o++] = (char) *p;
		}
	}
	out[o++] = '"';
	out[o] = 0;
	return out;
}
