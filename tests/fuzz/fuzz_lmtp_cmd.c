/*
 * NAME
 *	fuzz_lmtp_cmd 1
 * SUMMARY
 *	libFuzzer target: LMTP command lines (lib/lmtp lmtp_cmd_parse)
 * DESCRIPTION
 *	The input is split into lines with lmtp_line_find(), as the server
 *	does, and each line is parsed; a trailing piece without LF is parsed
 *	too.  Beyond not crashing, the results must hold what lmtp.h
 *	promises: pointers inside the line, a path free of NUL, blanks and
 *	control octets and within LIMIT_LMTP_PATH, a reply that is a 3-digit
 *	code, a blank and an enhanced code of the same class.  A broken
 *	promise aborts, so libFuzzer reports it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lmtp/lmtp.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reply(const char *r)
{
	size_t	n = strlen(r);

	if (n < 10 || r[3] != ' ' || r[5] != '.' || r[0] != r[4]
	    || (r[0] != '4' && r[0] != '5'))
		abort();
}

static void check_ok(const char *line, size_t len, const struct lmtp_cmd *c)
{
	size_t	i;

	if (c->arg < line || c->arg + c->arg_len > line + len)
		abort();
	if (c->verb != LMTP_V_MAIL && c->verb != LMTP_V_RCPT)
		return;
	if (c->path < line || c->path + c->path_len > line + len
	    || c->path_len > LIMIT_LMTP_PATH
	    || (c->verb == LMTP_V_RCPT && c->path_len == 0))
		abort();
	for (i = 0; i < c->path_len; i++) {
		unsigned char ch = (unsigned char) c->path[i];

		if (ch < 32 || ch == 127 || (ch == ' ' && c->path[0] != '"'))
			abort();
	}
}

static void one(const char *line, size_t len, int bare_lf)
{
	struct lmtp_cmd c;
	const char *reply;

	if (lmtp_cmd_parse(line, len, bare_lf, &c, &reply) < 0)
		check_reply(reply);
	else
		check_ok(line, len, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *) data;
	size_t	line_len, used;
	int	bare_lf;

	while (size > 0 && lmtp_line_find(p, size, &line_len, &used, &bare_lf)) {
		if (used > size || line_len > used)
			abort();
		one(p, line_len, bare_lf);
		p += used;
		size -= used;
	}
	if (size > 0)
		one(p, size, 0);
	return 0;
}
