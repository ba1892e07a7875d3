/*
 * NAME
 *	reqparse 3
 * SUMMARY
 *	the commands in a mail to LIST-request@: read, never acted on
 * DESCRIPTION
 *	See reqparse.h for the contract.  How it is read, and where it
 *	follows Mailman 2.1's Mailman/Queue/CommandRunner.py:
 *
 *	Subject.  RFC 2047 words are decoded (addr_rfc2047_decode) and,
 *	as Mailman does ("an l10n 'Re:' may contain non-ascii so ignore
 *	it"), every non-ASCII byte is then dropped, so a localised
 *	"回复:" or "Réf:" shrinks to ":" or "Rf:" and is stripped like any
 *	other prefix.  Prefixes stripped, repeatedly: "[tag]", and a first
 *	word that is letters/digits/brackets followed by ':' ("Re:",
 *	"AW:", "Re[2]:", "Fwd:") -- Mailman strips up to the colon of the
 *	first word once.  Then, as Mailman retries once with the first
 *	word popped, a Subject whose first word is not a verb is tried
 *	again from its second word ("Please unsubscribe" is unsubscribe),
 *	except that a second word "end" or "stop" is not taken: Mailman
 *	would let "Re: The end of the thread" skip the whole body.
 *	A Subject that still is no command is dropped silently: it is not
 *	junk and never stops the reading (Mailman's BADSUBJ).  A Subject
 *	"end" or "stop" stops before the body, as in Mailman.
 *
 *	Body.  The first text/plain part in depth-first order (Mailman's
 *	typed_subpart_iterator), message/rfc822 parts not entered; its
 *	transfer encoding undone with mime_decode(), its charset converted
 *	to UTF-8 with iconv, and the result cleaned: invalid UTF-8 and
 *	control bytes become '?' and ' ', so every string handed out is one
 *	line of valid UTF-8.  At most LIMIT_REQUEST_TEXT decoded bytes are
 *	read.  Mailman stops at the first line that is not a command; the
 *	header asks for max_junk of them instead (Mailman is max_junk 1;
 *	max_junk 0 acts as 1: the line that stops the reading is counted).
 *	Mailman also reads only the first 25 lines (DEFAULT_MAIL_COMMANDS_
 *	MAX_LINES); here max_commands and max_junk bound the work instead.
 *	An "end"/"stop" line is kept as the last command (REQ_END, not
 *	counted against max_commands); a command past max_commands is not
 *	kept, so a mail with exactly max_commands commands ends with NULL.
 *
 *	Quotes.  A trimmed line starting with '>', ending in "wrote:" or
 *	"écrit :" (also when an "On ..." line is wrapped over two lines,
 *	Gmail's habit), "Am ... schrieb ...:", a "-----Original
 *	Message-----"-like line (five dashes, words, five dashes:
 *	Gmail's "Forwarded message", QQ Mail's "原始邮件"), Outlook's
 *	"________" rule, or a "From:" line followed by "Sent:" or "Date:"
 *	(Outlook's header block) ends the reading with "quote".
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr/addr.h"
#include "buf/buf.h"
#include "mime/mime.h"
#include "msg/msg.h"
#include "reqparse.h"
#include "sealist_limits.h"

static const char no_memory[] = "out of memory";

/* ---- the verb table ------------------------------------------------ */

static const struct {
	const char *word;
	enum reqparse_verb verb;
} verbs[] = {
	{ "help", REQ_HELP }, { "info", REQ_INFO }, { "lists", REQ_LISTS },
	{ "who", REQ_WHO }, { "subscribe", REQ_SUBSCRIBE }, { "join", REQ_SUBSCRIBE },
	{ "unsubscribe", REQ_UNSUBSCRIBE }, { "leave", REQ_UNSUBSCRIBE },
	{ "remove", REQ_UNSUBSCRIBE }, { "confirm", REQ_CONFIRM }, { "set", REQ_SET },
	{ "echo", REQ_ECHO }, { "end", REQ_END }, { "stop", REQ_END },
};

const char *reqparse_verb_name(enum reqparse_verb v)
{
	static const char *const names[] = {
		"help", "info", "lists", "who", "subscribe", "unsubscribe",
		"confirm", "set", "echo", "end",
	};

	if ((unsigned) v < sizeof(names) / sizeof(names[0]))
		return names[v];
	return "unknown";
}

/* The verb whose word (any case) is w[0..len), or -1. */
static int verb_of(const char *w, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strlen(verbs[i].word) == len && strncasecmp(verbs[i].word, w, len) == 0)
			return (int) verbs[i].verb;
	return -1;
}

static int blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Length of the first word of s[0..len) (s has no leading blanks). */
static size_t word_len(const char *s, size_t len)
{
	size_t	i = 0;

	while (i < len && !blank((unsigned char) s[i]))
		i++;
	return i;
}

/* ---- the result ---------------------------------------------------- */

struct reqparse_impl {
	struct reqparse_result pub;
	struct reqparse_cmd cmds[LIMIT_REQUEST_COMMANDS + 1];	/* + "end" */
	const char *ignored[LIMIT_REQUEST_IGNORED];
	size_t	max_commands, max_junk;
	int	nomem;
};

/*
 * Trim blanks at both ends of s[0..*len), in place by moving s.  U+00A0
 * counts as a blank here: Outlook's and webmails' HTML-to-text turns
 * "&nbsp;" into it, and a line of them is an empty line, not junk.
 */
static const char *trim(const char *s, size_t *len)
{
	for (;;) {
		if (*len > 0 && blank((unsigned char) s[0])) {
			s++;
			(*len)--;
		} else if (*len > 1 && (unsigned char) s[0] == 0xC2
			   && (unsigned char) s[1] == 0xA0) {
			s += 2;
			*len -= 2;
		} else
			break;
	}
	for (;;) {
		if (*len > 0 && blank((unsigned char) s[*len - 1]))
			(*len)--;
		else if (*len > 1 && (unsigned char) s[*len - 2] == 0xC2
			 && (unsigned char) s[*len - 1] == 0xA0)
			*len -= 2;
		else
			break;
	}
	return s;
}

static char *dup_mem(const char *s, size_t len)
{
	char   *p = malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

/*
 * Record the command in s[0..len) (trimmed, first word a verb).  One
 * allocation holds the line and, after it, a copy cut into words.
 */
static int add_cmd(struct reqparse_impl *r, enum reqparse_verb verb,
		   const char *s, size_t len, int from_subject, int line_no)
{
	struct reqparse_cmd *c = &r->cmds[r->pub.n];
	char   *p, *w;
	size_t	i;

	if ((p = malloc(2 * (len + 1))) == NULL) {
		r->nomem = 1;
		return -1;
	}
	memcpy(p, s, len);
	p[len] = 0;
	w = p + len + 1;
	memcpy(w, s, len);
	w[len] = 0;
	memset(c, 0, sizeof(*c));
	c->verb = verb;
	c->line = p;
	c->from_subject = from_subject;
	c->line_no = line_no;
	for (i = 0; i < len;) {
		size_t	start;

		while (i < len && blank((unsigned char) w[i]))
			w[i++] = 0;
		if (i == len)
			break;
		start = i;
		while (i < len && !blank((unsigned char) w[i]))
			i++;
		if (c->word == NULL)
			c->word = w + start;
		else if (c->nargs < REQPARSE_MAX_ARGS)
			c->args[c->nargs++] = w + start;
		/* words past REQPARSE_MAX_ARGS stay in line, for the reply */
		if (i < len)
			w[i++] = 0;
	}
	r->pub.n++;
	return 0;
}

static void add_ignored(struct reqparse_impl *r, const char *s, size_t len)
{
	char   *p;

	r->pub.junk++;
	if (r->pub.nignored >= LIMIT_REQUEST_IGNORED)
		return;
	if ((p = dup_mem(s, len)) == NULL) {
		r->nomem = 1;
		return;
	}
	r->ignored[r->pub.nignored++] = p;
}

void reqparse_free(struct reqparse_result *pub)
{
	struct reqparse_impl *r = (struct reqparse_impl *) pub;
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->pub.n; i++)
		free((char *) r->cmds[i].line);
	for (i = 0; i < r->pub.nignored; i++)
		free((char *) r->ignored[i]);
	free(r);
}

/* ---- text cleaning ------------------------------------------------- */

/*
 * Length of the valid UTF-8 sequence at s[0..len), or 0 (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	size_t	n, k;
	unsigned char lo = 0x80, hi = 0xBF;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		if (s[0] == 0xE0)
			lo = 0xA0;
		else if (s[0] == 0xED)
			hi = 0x9F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		if (s[0] == 0xF0)
			lo = 0x90;
		else if (s[0] == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k < n; k++)
		if (s[k] < 0x80 || s[k] > 0xBF)
			return 0;
	return n;
}

/*
 * Copy in[0..len) to out keeping LF and TAB, turning other controls into
 * spaces and bytes that are not valid UTF-8 into '?'.
 */
static void clean_utf8(const unsigned char *in, size_t len, struct buf *out)
{
	size_t	i = 0;

	while (i < len && !buf_failed(out)) {
		size_t	n = utf8_seq(in + i, len - i);

		if (n == 0) {
			buf_append_byte(out, '?');
			i++;
		} else if (n == 1) {
			unsigned char c = in[i++];

			/* CR is kept only as part of CRLF */
			if (c == '\r' && (i >= len || in[i] != '\n'))
				c = ' ';
			else if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
				c = ' ';
			else if (c == 0x7f)
				c = ' ';
			buf_append_byte(out, c);
		} else {
			buf_append(out, in + i, n);
			i += n;
		}
	}
}

/* Charset names are RFC 2045 tokens; refusing '/' keeps "//TRANSLIT" out. */
static int charset_ok(const char *cs)
{
	size_t	i;

	for (i = 0; cs[i] != 0; i++)
		if (cs[i] <= 0x20 || cs[i] >= 0x7f || strchr("()<>@,;:\"/[]?=\\", cs[i]))
			return 0;
	return i > 0 && i <= 64;
}

/*
 * Convert raw (in charset cs, NULL for none) to clean UTF-8 in out.  An
 * unknown charset is read as UTF-8 (its 8-bit bytes come out as '?');
 * a byte iconv cannot convert becomes '?' and conversion goes on.
 */
static void to_utf8(const struct buf *raw, const char *cs, struct buf *out)
{
	struct buf conv;
	iconv_t	cd;
	char   *in;
	size_t	in_left;

	if (cs == NULL || !charset_ok(cs) || strcasecmp(cs, "utf-8") == 0
	    || strcasecmp(cs, "us-ascii") == 0
	    || (cd = iconv_open("UTF-8", cs)) == (iconv_t) -1) {
		clean_utf8(raw->data, raw->len, out);
		return;
	}
	buf_init(&conv, LIMIT_REQUEST_TEXT * 4);
	in = (char *) raw->data;
	in_left = raw->len;
	while (in_left > 0 && !buf_failed(&conv)) {
		char	window[512];
		char   *op = window;
		size_t	out_left = sizeof(window);
		size_t	rc = iconv(cd, &in, &in_left, &op, &out_left);
		int	e = errno;

		buf_append(&conv, window, (size_t) (op - window));
		if (rc == (size_t) -1 && e != E2BIG) {
			/* EILSEQ or EINVAL: mark the byte, skip it */
			buf_append_byte(&conv, '?');
			in++;
			in_left--;
			(void) iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	clean_utf8(conv.data, conv.len, out);
	buf_free(&conv);
}

/* ---- finding the text part ----------------------------------------- */

struct find_text {
	struct buf *raw;
	char   *charset;
	int	found, nomem;
};

static int visit(void *ctx, const struct mime_node *node)
{
	struct find_text *ft = ctx;
	const char *cs;

	if (!mime_ctype_is(node->ctype, "text", "plain"))
		return 0;
	mime_decode(node->cte, node->body, node->body_len, ft->raw);
	if ((cs = mime_ctype_param(node->ctype, "charset")) != NULL
	    && (ft->charset = dup_mem(cs, strlen(cs))) == NULL)
		ft->nomem = 1;
	ft->found = 1;
	return 1;
}

/* ---- the Subject --------------------------------------------------- */

/* The decoded, unfolded, ASCII-only Subject in out (maybe empty). */
static void subject_text(const struct msg *m, struct buf *out)
{
	const struct msg_field *f;
	struct buf dec, unfolded;
	long	i = msg_find(m, "Subject", 0);
	size_t	k;

	if (i < 0 || (f = msg_field(m, (size_t) i)) == NULL)
		return;
	buf_init(&unfolded, LIMIT_REQUEST_SUBJECT);
	for (k = 0; k < f->value_len && unfolded.len < unfolded.max; k++) {
		unsigned char c = f->value[k];

		if (c == '\r' || c == '\n')
			continue;
		buf_append_byte(&unfolded, c == '\t' ? ' ' : c);
	}
	buf_init(&dec, LIMIT_REQUEST_SUBJECT * 4);
	(void) addr_rfc2047_decode(unfolded.data, unfolded.len, &dec);
	for (k = 0; k < dec.len && out->len < out->max; k++) {
		unsigned char c = dec.data[k];

		if (c >= 0x80)
			continue;	/* Mailman: encode('us-ascii', 'ignore') */
		buf_append_byte(out, c < 0x20 || c == 0x7f ? ' ' : c);
	}
	buf_free(&dec);
	buf_free(&unfolded);
}

/* Strip "[tag]" and "Re:"-like prefixes from s[0..*len) (trimmed). */
static const char *strip_prefixes(const char *s, size_t *len)
{
	int	rounds;

	for (rounds = 0; rounds < 16; rounds++) {
		size_t	i;

		s = trim(s, len);
		if (*len > 0 && s[0] == '[') {
			const char *close = memchr(s, ']', *len);

			if (close == NULL)
				break;
			*len -= (size_t) (close + 1 - s);
			s = close + 1;
			continue;
		}
		/* a first word "xx:" (letters, digits, brackets; may be empty
		 * once non-ASCII was dropped) */
		for (i = 0; i < *len && i <= 16; i++)
			if (!isalnum((unsigned char) s[i]) && s[i] != '[' && s[i] != ']')
				break;
		if (i < *len && i <= 16 && s[i] == ':' && verb_of(s, i) < 0) {
			*len -= i + 1;
			s += i + 1;
			continue;
		}
		break;
	}
	return s;
}

/* ---- the body ------------------------------------------------------ */

static int starts_ci(const char *s, size_t len, const char *prefix)
{
	size_t	n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static int ends_ci(const char *s, size_t len, const char *suffix)
{
	size_t	n = strlen(suffix);

	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

static int contains(const char *s, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return 1;
	return 0;
}

/* An attribution line's ending: "wrote:", "a écrit :", "schrieb ...:" */
static int attribution_end(const char *s, size_t len)
{
	return ends_ci(s, len, "wrote:") || ends_ci(s, len, "\xC3\xA9" "crit :")
	       || ends_ci(s, len, "\xC3\xA9" "crit:")
	       || ends_ci(s, len, "\xC3\xA9" "crit\xC2\xA0:");
}

/*
 * 1 if the trimmed line s[0..len) begins a quotation.  next/nlen is the
 * following line, trimmed (nlen 0 if none).
 */
static int quote_start(const char *s, size_t len, const char *next, size_t nlen)
{
	size_t	i;

	if (len > 0 && s[0] == '>')
		return 1;
	if (attribution_end(s, len))
		return 1;
	/* Gmail and Apple Mail wrap a long "On ... wrote:" */
	if ((starts_ci(s, len, "On ") || starts_ci(s, len, "Le ")
	     || starts_ci(s, len, "Am ")) && attribution_end(next, nlen))
		return 1;
	if (starts_ci(s, len, "Am ") && s[len - 1] == ':' && contains(s, len, "schrieb"))
		return 1;
	/* -----Original Message----- and its translations */
	if (len > 10 && strncmp(s, "-----", 5) == 0 && strncmp(s + len - 5, "-----", 5) == 0) {
		for (i = 5; i < len - 5; i++)
			if (s[i] != '-' && !blank((unsigned char) s[i]))
				return 1;
	}
	/* Outlook's rule above its header block */
	if (len >= 8) {
		for (i = 0; i < len && s[i] == '_'; i++)
			;
		if (i == len)
			return 1;
	}
	/* Outlook's header block without a rule: From: then Sent:/Date: */
	if (starts_ci(s, len, "From:") && (starts_ci(next, nlen, "Sent:")
					   || starts_ci(next, nlen, "Date:")))
		return 1;
	return 0;
}

/* The next line of text[*pos..len) without its line end, cut at the limit. */
static int next_line(const char *text, size_t len, size_t *pos,
		     const char **line_r, size_t *llen_r)
{
	const char *s, *nl;
	size_t	n;

	if (*pos >= len)
		return 0;
	s = text + *pos;
	nl = memchr(s, '\n', len - *pos);
	n = nl != NULL ? (size_t) (nl - s) : len - *pos;
	*pos += n + (nl != NULL);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	*line_r = s;
	*llen_r = n > LIMIT_REQUEST_LINE ? LIMIT_REQUEST_LINE : n;
	return 1;
}

/* Cut at LIMIT_REQUEST_LINE may have split a UTF-8 character: drop it. */
static size_t utf8_cut(const char *s, size_t len)
{
	size_t	i = 0, n;

	while (i < len) {
		n = utf8_seq((const unsigned char *) s + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

/* 1 when the reading must stop. */
static int read_line(struct reqparse_impl *r, const char *s, size_t len,
		     const char *next, size_t nlen, int line_no, int from_subject)
{
	size_t	wl;
	int	v;

	s = trim(s, &len);
	if (len == 0)
		return 0;
	if (!from_subject) {
		if (len == 2 && s[0] == '-' && s[1] == '-') {
			r->pub.stopped_by = "signature";
			return 1;
		}
		if (quote_start(s, len, next, nlen)) {
			r->pub.stopped_by = "quote";
			return 1;
		}
	}
	wl = word_len(s, len);
	if ((v = verb_of(s, wl)) < 0) {
		if (from_subject)
			return 0;
		add_ignored(r, s, len);
		if (r->pub.junk >= r->max_junk) {
			r->pub.stopped_by = "max_junk";
			return 1;
		}
		return 0;
	}
	if (v == REQ_END) {
		if (add_cmd(r, REQ_END, s, len, from_subject, line_no) < 0)
			return 1;
		r->pub.stopped_by = tolower((unsigned char) s[0]) == 'e' ? "end" : "stop";
		return 1;
	}
	if (r->pub.n >= r->max_commands) {
		r->pub.stopped_by = "max_commands";
		return 1;
	}
	return add_cmd(r, (enum reqparse_verb) v, s, len, from_subject, line_no) < 0;
}

static int read_subject(struct reqparse_impl *r, const struct msg *m)
{
	struct buf subj;
	const char *s;
	size_t	len;
	int	stop = 0;

	buf_init(&subj, LIMIT_REQUEST_SUBJECT);
	subject_text(m, &subj);
	if (buf_failed(&subj) && subj.error == BUF_NO_MEMORY)
		r->nomem = 1;
	len = subj.len;
	s = strip_prefixes(buf_str(&subj), &len);
	if (len > 0) {
		size_t	wl = word_len(s, len);

		if (verb_of(s, wl) < 0) {
			/* Mailman: pop the first word and try once more; but
			 * "The end of ..." must not end the reading */
			s += wl;
			len -= wl;
			s = trim(s, &len);
			if (verb_of(s, word_len(s, len)) == REQ_END)
				len = 0;
		}
		stop = read_line(r, s, len, NULL, 0, 0, 1);
	}
	buf_free(&subj);
	return stop;
}

static void read_body(struct reqparse_impl *r, const struct msg *m)
{
	struct buf raw, text;
	struct find_text ft;
	const char *err, *line, *next;
	size_t	pos = 0, len, nlen, npos;
	int	line_no = 0;

	buf_init(&raw, LIMIT_REQUEST_TEXT);
	memset(&ft, 0, sizeof(ft));
	ft.raw = &raw;
	if (mime_walk(m, visit, &ft, &err) < 0 && strcmp(err, "out of memory") == 0)
		r->nomem = 1;
	if (ft.nomem || raw.error == BUF_NO_MEMORY)
		r->nomem = 1;
	if (!ft.found || r->nomem) {
		free(ft.charset);
		buf_free(&raw);
		return;
	}
	buf_init(&text, LIMIT_REQUEST_TEXT * 4);
	to_utf8(&raw, ft.charset, &text);
	free(ft.charset);
	buf_free(&raw);
	if (text.error == BUF_NO_MEMORY)
		r->nomem = 1;
	while (!r->nomem && next_line((const char *) text.data, text.len, &pos, &line, &len)) {
		line_no++;
		len = utf8_cut(line, len);
		npos = pos;
		if (next_line((const char *) text.data, text.len, &npos, &next, &nlen))
			next = trim(next, &nlen);
		else {
			next = "";
			nlen = 0;
		}
		if (read_line(r, line, len, next, utf8_cut(next, nlen), line_no, 0))
			break;
	}
	buf_free(&text);
}

int reqparse_message(const struct msg *m, size_t max_commands, size_t max_junk,
		     struct reqparse_result **r_out, const char **error_r)
{
	struct reqparse_impl *r;

	*r_out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		*error_r = no_memory;
		return -1;
	}
	r->pub.cmds = r->cmds;
	r->pub.ignored = r->ignored;
	r->max_commands = max_commands < LIMIT_REQUEST_COMMANDS ? max_commands
		: LIMIT_REQUEST_COMMANDS;
	r->max_junk = max_junk < LIMIT_REQUEST_JUNK ? max_junk : LIMIT_REQUEST_JUNK;
	if (!read_subject(r, m) && !r->nomem)
		read_body(r, m);
	if (r->nomem) {
		reqparse_free(&r->pub);
		*error_r = no_memory;
		return -1;
	}
	*r_out = &r->pub;
	return 0;
}
