/*
 * NAME
 *	reqparse 3h
 * SUMMARY
 *	the commands in a mail to LIST-request@: read, never acted on
 * DESCRIPTION
 *	reqparse_message() finds the commands a person wrote, as Mailman 2.1's
 *	CommandRunner does: first the Subject (a leading "Re:", "Fwd:",
 *	"AW:", "SV:", "[list]" tag and the like stripped; an empty or
 *	non-command Subject is not an error), then the lines of the first
 *	text/plain part (inside multipart/alternative, multipart/mixed, ...,
 *	decoded from quoted-printable/base64 and from its charset to UTF-8;
 *	an HTML-only mail with no text/plain part yields only the Subject's
 *	command), one command per line, leading blanks skipped.
 *	Reading stops at a line "end" or "stop" (any case), at "--" or the
 *	signature separator "-- ", at the first quoted line (">" or an
 *	"On ... wrote:" / "Le ... a écrit :" / "-----Original Message-----"
 *	attribution: a reply quotes the original below its commands), and
 *	after max_commands commands or max_junk non-command lines (Mailman
 *	gives up after a few unrecognised lines: 1,000 lines of junk must
 *	cost nothing).  Blank lines are skipped.  A line is a command when
 *	its first word is a known verb or alias (case-insensitive):
 *	  help; info; lists; who;
 *	  subscribe | join  [digest|nodigest] [address=ADDR];
 *	  unsubscribe | leave | remove  [address=ADDR];
 *	  confirm TOKEN;
 *	  set  delivery on|off | digest plain|mime|off | ack on|off |
 *	       myposts on|off | show;
 *	  echo TEXT...;  end | stop.
 *	Arguments are not judged here (the processor says "set frob" is
 *	bad); a line whose first word is not a verb counts as junk, is
 *	listed as ignored (the first few, for the reply), and is no command.
 *
 *	Nothing here touches the database or sends anything.  Input is
 *	untrusted: every size is capped (LIMIT_REQUEST_*), lines are cut at
 *	LIMIT_REQUEST_LINE bytes.
 */
#ifndef SEALIST_REQPARSE_H
#define SEALIST_REQPARSE_H

#include <stddef.h>

#include "msg/msg.h"

#define REQPARSE_MAX_ARGS	8

enum reqparse_verb {
	REQ_HELP, REQ_INFO, REQ_LISTS, REQ_WHO, REQ_SUBSCRIBE, REQ_UNSUBSCRIBE,
	REQ_CONFIRM, REQ_SET, REQ_ECHO, REQ_END,
};

struct reqparse_cmd {
	enum reqparse_verb verb;
	const char *line;		/* the line as written, trimmed, for the reply */
	const char *word;		/* the verb as written: "join", "Subscribe" */
	const char *args[REQPARSE_MAX_ARGS];	/* the words after it */
	size_t	nargs;
	int	from_subject;		/* 1: it was the Subject */
	int	line_no;		/* line of the text part, from 1; 0 for the Subject */
};

struct reqparse_result {
	const struct reqparse_cmd *cmds;
	size_t	n;
	const char *const *ignored;	/* the first non-command lines, for the reply */
	size_t	nignored;		/* how many are listed */
	size_t	junk;			/* non-command lines seen in all */
	const char *stopped_by;		/* "end", "stop", "signature", "quote",
					   "max_commands", "max_junk", or NULL (the
					   end of the text) */
};

/* 0 and *r (free with reqparse_free), or -1 with a static *error_r (no memory). */
extern int reqparse_message(const struct msg *, size_t max_commands, size_t max_junk,
			    struct reqparse_result **r, const char **error_r);
extern void reqparse_free(struct reqparse_result *);	/* NULL is fine */

/* "help", "info", ..., the canonical name of a verb */
extern const char *reqparse_verb_name(enum reqparse_verb);

#endif
