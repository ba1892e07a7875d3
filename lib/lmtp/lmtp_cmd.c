/*
 * NAME
 *	lmtp_cmd 3
 * SUMMARY
 *	LMTP command lines: verb, paths, ESMTP parameters
 * DESCRIPTION
 *	See lmtp.h for the grammar we accept and why.  The path grammar is
 *	RFC 5321 section 4.1.2 (Path, Mailbox, Local-part, Domain,
 *	address-literal) with the leniencies listed there; everything works
 *	on (pointer, length) and a NUL octet never gets past the first check.
 */
#include <string.h>
#include <strings.h>

#include "lmtp/lmtp.h"
#include "sealist_limits.h"

static const struct {
	const char *name;
	enum lmtp_verb verb;
} verbs[] = {
	{"LHLO", LMTP_V_LHLO}, {"HELO", LMTP_V_HELO}, {"EHLO", LMTP_V_EHLO},
	{"MAIL", LMTP_V_MAIL}, {"RCPT", LMTP_V_RCPT}, {"DATA", LMTP_V_DATA},
	{"RSET", LMTP_V_RSET}, {"NOOP", LMTP_V_NOOP}, {"QUIT", LMTP_V_QUIT},
	{"VRFY", LMTP_V_VRFY}, {"XFORWARD", LMTP_V_XFORWARD},
};

#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

#define R_UNKNOWN	"500 5.5.2 Error: command not recognized"
#define R_BARE_LF	"500 5.5.2 Error: bare <LF> received; end lines with <CR><LF>"
#define R_NUL		"500 5.5.2 Error: NUL octet in command"
#define R_MAIL_SYNTAX	"501 5.5.4 Syntax: MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]"
#define R_RCPT_SYNTAX	"501 5.5.4 Syntax: RCPT TO:<address>"
#define R_BAD_SENDER	"501 5.1.7 Bad sender address syntax"
#define R_BAD_RCPT	"501 5.1.3 Bad recipient address syntax"
#define R_PARAM_SYNTAX	"501 5.5.4 Bad parameter syntax"
#define R_PARAM_TWICE	"501 5.5.4 Parameter given twice"
#define R_BAD_SIZE	"501 5.5.4 Bad SIZE= value"
#define R_BAD_BODY	"555 5.5.4 Unsupported BODY= value (7BIT or 8BITMIME)"
#define R_UTF8_VALUE	"501 5.5.4 SMTPUTF8 takes no value"
#define R_MAIL_PARAM	"555 5.5.4 Unsupported MAIL parameter"
#define R_RCPT_PARAM	"555 5.5.4 RCPT parameters are not supported"
#define R_LHLO_SYNTAX	"501 5.5.4 Syntax: LHLO hostname"
#define R_VRFY_SYNTAX	"501 5.5.4 Syntax: VRFY address"
#define R_XFWD_SYNTAX	"501 5.5.4 Syntax: XFORWARD attribute=value..."
#define R_NO_ARGS	"501 5.5.4 Error: this command takes no arguments"
#define R_BAD_TEXT	"501 5.5.4 Error: control character in argument"

const char *lmtp_verb_name(enum lmtp_verb v)
{
	size_t	i;

	for (i = 0; i < NVERBS; i++)
		if (verbs[i].verb == v)
			return verbs[i].name;
	return "UNKNOWN";
}

int lmtp_line_find(const char *p, size_t len, size_t *line_len,
		   size_t *used_r, int *bare_lf_r)
{
	const char *lf = memchr(p, '\n', len);
	size_t	n;

	if (lf == NULL)
		return 0;
	n = (size_t) (lf - p);
	*used_r = n + 1;
	*bare_lf_r = !(n > 0 && p[n - 1] == '\r');
	*line_len = *bare_lf_r ? n : n - 1;
	return 1;
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9');
}

/* RFC 5322 atext, plus octets above 127 (RFC 6531). */
static int is_atext(int c)
{
	return is_alnum(c) || c >= 0x80 || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* A domain label octet: let-dig, '-', '_' and UTF-8 (see lmtp.h). */
static int is_label(int c)
{
	return is_alnum(c) || c == '-' || c == '_' || c >= 0x80;
}

/* Skip blanks from *i. */
static void skip_blanks(const char *p, size_t n, size_t *i)
{
	while (*i < n && is_blank((unsigned char) p[*i]))
		(*i)++;
}

/* A domain or address literal at p[*i]; advances *i; -1 if none. */
static int scan_domain(const char *p, size_t n, size_t *i)
{
	size_t	j = *i;

	if (j < n && p[j] == '[') {
		size_t	start = ++j;

		while (j < n) {
			int	c = (unsigned char) p[j];

			if (c < 33 || c > 126 || c == '[' || c == '\\')
				break;
			if (c == ']')
				break;
			j++;
		}
		if (j == start || j >= n || p[j] != ']')
			return -1;
		*i = j + 1;
		return 0;
	}
	for (;;) {
		size_t	start = j;

		while (j < n && is_label((unsigned char) p[j]))
			j++;
		if (j == start)
			return -1;
		if (j < n && p[j] == '.' && j + 1 < n
		    && is_label((unsigned char) p[j + 1])) {
			j++;
			continue;
		}
		break;
	}
	*i = j;
	return 0;
}

/* "@dom,@dom:" at p[*i], RFC 5321 A-d-l; advances past the ':'. */
static int scan_route(const char *p, size_t n, size_t *i)
{
	size_t	j = *i;

	for (;;) {
		if (j >= n || p[j] != '@')
			return -1;
		j++;
		if (scan_domain(p, n, &j) < 0)
			return -1;
		if (j < n && p[j] == ',') {
			j++;
			continue;
		}
		if (j < n && p[j] == ':') {
			*i = j + 1;
			return 0;
		}
		return -1;
	}
}

/* Quoted-string (RFC 5321 qtextSMTP / quoted-pairSMTP, plus UTF-8). */
static int scan_quoted(const char *p, size_t n, size_t *i)
{
	size_t	j = *i + 1;

	while (j < n) {
		int	c = (unsigned char) p[j];

		if (c == '"') {
			*i = j + 1;
			return 0;
		}
		if (c == '\\') {
			if (j + 1 >= n)
				return -1;
			c = (unsigned char) p[j + 1];
			if (c < 32 || c == 127)
				return -1;
			j += 2;
			continue;
		}
		if (c < 32 || c == 127)		/* no HTAB in qtextSMTP */
			return -1;
		j++;
	}
	return -1;
}

static int scan_local(const char *p, size_t n, size_t *i)
{
	size_t	j = *i;

	if (j < n && p[j] == '"')
		return scan_quoted(p, n, i);
	while (j < n && (is_atext((unsigned char) p[j]) || p[j] == '.'))
		j++;
	if (j == *i)
		return -1;
	*i = j;
	return 0;
}

/*
 * The path "<...>" at p[*i].  Sets *path and *plen (route dropped) and
 * advances past '>'.  Returns 0, or -1 on bad syntax.  rcpt: a
 * mailbox without '@' is allowed when it is "postmaster" (RCPT).
 */
static int scan_path(const char *p, size_t n, size_t *i, int rcpt,
		     const char **path, size_t *plen)
{
	size_t	j = *i, start;

	if (j >= n || p[j] != '<')
		return -1;
	j++;
	if (j < n && p[j] == '>' && !rcpt) {
		*path = p + j;
		*plen = 0;
		*i = j + 1;
		return 0;
	}
	if (j < n && p[j] == '@' && scan_route(p, n, &j) < 0)
		return -1;
	start = j;
	if (scan_local(p, n, &j) < 0)
		return -1;
	if (j < n && p[j] == '@') {
		j++;
		if (scan_domain(p, n, &j) < 0)
			return -1;
	} else if (!rcpt || j - start != 10
		   || strncasecmp(p + start, "postmaster", 10) != 0) {
		return -1;
	}
	if (j >= n || p[j] != '>' || j - start > LIMIT_LMTP_PATH)
		return -1;
	*path = p + start;
	*plen = j - start;
	*i = j + 1;
	return 0;
}

static int keyword_is(const char *k, size_t klen, const char *want)
{
	return klen == strlen(want) && strncasecmp(k, want, klen) == 0;
}

static int parse_size(const char *v, size_t vlen, struct lmtp_cmd *cmd)
{
	unsigned long long x = 0;
	size_t	i;

	if (vlen == 0 || vlen > 20)
		return -1;
	for (i = 0; i < vlen; i++) {
		unsigned d;

		if (v[i] < '0' || v[i] > '9')
			return -1;
		d = (unsigned) (v[i] - '0');
		if (x > (~0ULL - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	cmd->have_size = 1;
	cmd->size = x;
	return 0;
}

/* One MAIL parameter, keyword k/klen, value v/vlen (v NULL: none). */
static int mail_param(const char *k, size_t klen, const char *v, size_t vlen,
		      struct lmtp_cmd *cmd, const char **reply_r)
{
	if (keyword_is(k, klen, "SIZE")) {
		*reply_r = cmd->have_size ? R_PARAM_TWICE : R_BAD_SIZE;
		return cmd->have_size || v == NULL
		    || parse_size(v, vlen, cmd) < 0 ? -1 : 0;
	}
	if (keyword_is(k, klen, "BODY")) {
		*reply_r = cmd->body != LMTP_BODY_NONE ? R_PARAM_TWICE
		    : v == NULL ? R_PARAM_SYNTAX : R_BAD_BODY;
		if (cmd->body != LMTP_BODY_NONE || v == NULL)
			return -1;
		if (keyword_is(v, vlen, "7BIT"))
			cmd->body = LMTP_BODY_7BIT;
		else if (keyword_is(v, vlen, "8BITMIME"))
			cmd->body = LMTP_BODY_8BITMIME;
		else
			return -1;
		return 0;
	}
	if (keyword_is(k, klen, "SMTPUTF8")) {
		*reply_r = cmd->smtputf8 ? R_PARAM_TWICE : R_UTF8_VALUE;
		if (cmd->smtputf8 || v != NULL)
			return -1;
		cmd->smtputf8 = 1;
		return 0;
	}
	*reply_r = R_MAIL_PARAM;
	return -1;
}

/*
 * RFC 5321 Mail-parameters after the path: blank-separated
 * esmtp-keyword ["=" esmtp-value].  p[i..n) is the rest of the line.
 */
static int parse_params(const char *p, size_t n, size_t i, int rcpt,
			struct lmtp_cmd *cmd, const char **reply_r)
{
	while (i < n) {
		size_t	k = i, klen, vlen = 0;
		const char *v = NULL;

		if (!is_alnum((unsigned char) p[i])) {
			*reply_r = R_PARAM_SYNTAX;
			return -1;
		}
		while (i < n && (is_alnum((unsigned char) p[i]) || p[i] == '-'))
			i++;
		klen = i - k;
		if (i < n && p[i] == '=') {
			v = p + ++i;
			while (i < n && p[i] >= 33 && p[i] <= 126 && p[i] != '=')
				i++;
			vlen = (size_t) (p + i - v);
		}
		if ((i < n && !is_blank((unsigned char) p[i])) || (v && vlen == 0)) {
			*reply_r = R_PARAM_SYNTAX;
			return -1;
		}
		if (rcpt) {
			*reply_r = R_RCPT_PARAM;
			return -1;
		}
		if (mail_param(p + k, klen, v, vlen, cmd, reply_r) < 0)
			return -1;
		skip_blanks(p, n, &i);
	}
	return 0;
}

/* MAIL FROM:<path> [params] or RCPT TO:<path> [params]. */
static int parse_mail_rcpt(const char *a, size_t n, int rcpt,
			   struct lmtp_cmd *cmd, const char **reply_r)
{
	const char *kw = rcpt ? "TO:" : "FROM:";
	size_t	kwlen = strlen(kw), i;

	if (n < kwlen || strncasecmp(a, kw, kwlen) != 0) {
		*reply_r = rcpt ? R_RCPT_SYNTAX : R_MAIL_SYNTAX;
		return -1;
	}
	i = kwlen;
	skip_blanks(a, n, &i);
	if (scan_path(a, n, &i, rcpt, &cmd->path, &cmd->path_len) < 0) {
		*reply_r = i < n && a[i] == '<' ? (rcpt ? R_BAD_RCPT : R_BAD_SENDER)
		    : (rcpt ? R_RCPT_SYNTAX : R_MAIL_SYNTAX);
		return -1;
	}
	if (i < n && !is_blank((unsigned char) a[i])) {
		*reply_r = rcpt ? R_BAD_RCPT : R_BAD_SENDER;
		return -1;
	}
	skip_blanks(a, n, &i);
	return parse_params(a, n, i, rcpt, cmd, reply_r);
}

static int has_control(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (((unsigned char) p[i] < 32 && p[i] != '\t') || p[i] == 127)
			return 1;
	return 0;
}

/* Checks of the argument for the verbs other than MAIL and RCPT. */
static int check_arg(struct lmtp_cmd *cmd, const char **reply_r)
{
	switch (cmd->verb) {
	case LMTP_V_DATA:
	case LMTP_V_RSET:
	case LMTP_V_QUIT:
		*reply_r = R_NO_ARGS;
		return cmd->arg_len ? -1 : 0;
	case LMTP_V_LHLO:
	case LMTP_V_VRFY:
	case LMTP_V_XFORWARD:
		*reply_r = cmd->verb == LMTP_V_LHLO ? R_LHLO_SYNTAX
		    : cmd->verb == LMTP_V_VRFY ? R_VRFY_SYNTAX : R_XFWD_SYNTAX;
		if (cmd->arg_len == 0)
			return -1;
		*reply_r = R_BAD_TEXT;
		return has_control(cmd->arg, cmd->arg_len) ? -1 : 0;
	default:
		return 0;
	}
}

static enum lmtp_verb find_verb(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < NVERBS; i++)
		if (keyword_is(p, n, verbs[i].name))
			return verbs[i].verb;
	return LMTP_V_UNKNOWN;
}

int lmtp_cmd_parse(const char *line, size_t len, int bare_lf,
		   struct lmtp_cmd *cmd, const char **reply_r)
{
	size_t	i = 0;

	memset(cmd, 0, sizeof(*cmd));
	cmd->arg = line;
	cmd->path = line;
	if (bare_lf || memchr(line, '\0', len) != NULL) {
		*reply_r = bare_lf ? R_BARE_LF : R_NUL;
		return -1;
	}
	while (len > 0 && is_blank((unsigned char) line[len - 1]))
		len--;
	while (i < len && !is_blank((unsigned char) line[i]))
		i++;
	if ((cmd->verb = find_verb(line, i)) == LMTP_V_UNKNOWN) {
		*reply_r = R_UNKNOWN;
		return -1;
	}
	skip_blanks(line, len, &i);
	cmd->arg = line + i;
	cmd->arg_len = len - i;
	if (cmd->verb == LMTP_V_MAIL || cmd->verb == LMTP_V_RCPT)
		return parse_mail_rcpt(cmd->arg, cmd->arg_len,
				       cmd->verb == LMTP_V_RCPT, cmd, reply_r);
	return check_arg(cmd, reply_r);
}
