/*
 * NAME
 *	fuzz_reqparse 1
 * SUMMARY
 *	libFuzzer target for src/reqparse.c
 * DESCRIPTION
 *	The input is parsed as a message and its commands read with a few
 *	max_commands / max_junk pairs.  Checked: the counts respect the
 *	caps (LIMIT_REQUEST_*, REQPARSE_MAX_ARGS), every string is one
 *	line of valid UTF-8 no longer than LIMIT_REQUEST_LINE, every
 *	command's word names its verb, only the last command may be "end"
 *	and then stopped_by says so, and stopped_by is one of the seven
 *	values.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/msg.h"
#include "reqparse.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One line of valid UTF-8 (no controls but TAB), at most the limit. */
static void check_str(const char *s)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t	n, i, k, need;

	if (s == NULL || (n = strlen(s)) > LIMIT_REQUEST_LINE)
		abort();
	for (i = 0; i < n; i++) {
		if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7F)
			abort();
		if (u[i] < 0x80)
			continue;
		need = u[i] >= 0xF0 ? 3 : u[i] >= 0xE0 ? 2 : u[i] >= 0xC2 ? 1 : 0;
		if (need == 0 || u[i] > 0xF4 || i + need >= n + 1)
			abort();
		for (k = 1; k <= need; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				abort();
		i += need;
	}
}

static void run(const struct msg *m, size_t max_commands, size_t max_junk)
{
	static const char *const stops[] = { "end", "stop", "signature", "quote",
		"max_commands", "max_junk" };
	struct reqparse_result *r;
	const char *err;
	size_t	i, k, ends = 0, caps_c, caps_j;

	if (reqparse_message(m, max_commands, max_junk, &r, &err) < 0)
		return;		/* only "out of memory" */
	caps_c = max_commands < LIMIT_REQUEST_COMMANDS ? max_commands : LIMIT_REQUEST_COMMANDS;
	caps_j = max_junk < LIMIT_REQUEST_JUNK ? max_junk : LIMIT_REQUEST_JUNK;
	if (caps_j == 0)
		caps_j = 1;
	if (r->nignored > LIMIT_REQUEST_IGNORED || r->nignored > r->junk || r->junk > caps_j)
		abort();
	for (i = 0; i < r->n; i++) {
		const struct reqparse_cmd *c = &r->cmds[i];

		check_str(c->line);
		check_str(c->word);
		if (c->nargs > REQPARSE_MAX_ARGS || c->verb > REQ_END
		    || (c->from_subject != 0) != (c->line_no == 0)
		    || (c->from_subject && i != 0))
			abort();
		for (k = 0; k < c->nargs; k++)
			check_str(c->args[k]);
		if (strcasecmp(c->word, reqparse_verb_name(c->verb)) != 0
		    && strcasecmp(c->word, "join") != 0 && strcasecmp(c->word, "leave") != 0
		    && strcasecmp(c->word, "remove") != 0 && strcasecmp(c->word, "stop") != 0)
			abort();
		if (c->verb == REQ_END) {
			ends++;
			if (i != r->n - 1 || r->stopped_by == NULL
			    || strcasecmp(r->stopped_by, c->word) != 0)
				abort();
		}
	}
	if (r->n - ends > caps_c)
		abort();
	for (i = 0; i < r->nignored; i++)
		check_str(r->ignored[i]);
	if (r->stopped_by != NULL) {
		for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
			if (strcmp(r->stopped_by, stops[i]) == 0)
				break;
		if (i == sizeof(stops) / sizeof(stops[0]))
			abort();
	}
	reqparse_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg *m;
	const char *err;

	if (msg_parse(&m, data, size, &err) < 0)
		return 0;
	run(m, 10, 5);
	run(m, 0, 0);
	run(m, (size_t) -1, (size_t) -1);
	msg_free(m);
	return 0;
}
