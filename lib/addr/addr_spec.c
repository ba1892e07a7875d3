/*
 * NAME
 *	addr_spec 3
 * SUMMARY
 *	validate an addr-spec typed by a person
 * DESCRIPTION
 *	addr_parse_spec() (see addr.h) checks a bare address from the
 *	command line or a web form against RFC 5321's Mailbox syntax
 *	(section 4.1.2) with RFC 6531's UTF-8, and the domain against host
 *	name rules, since the list will send mail there.  It is stricter
 *	than addr_parse_list(), which reads what other programs wrote, and
 *	says exactly what is wrong so that a person can fix it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealist_limits.h"
#include "addr/addr.h"

/* RFC 5322 atext, ASCII only (UTF-8 is checked separately). */
static int is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static const struct {
	unsigned char ch;
	const char *in_local;
	const char *in_domain;
} bad_chars[] = {
	{' ', "invalid character ' ' in local part", "invalid character ' ' in domain"},
	{'!', "invalid character '!' in local part", "invalid character '!' in domain"},
	{'"', "invalid character '\"' in local part", "invalid character '\"' in domain"},
	{'#', "invalid character '#' in local part", "invalid character '#' in domain"},
	{'$', "invalid character '$' in local part", "invalid character '$' in domain"},
	{'%', "invalid character '%' in local part", "invalid character '%' in domain"},
	{'&', "invalid character '&' in local part", "invalid character '&' in domain"},
	{'\'', "invalid character ''' in local part", "invalid character ''' in domain"},
	{'(', "invalid character '(' in local part", "invalid character '(' in domain"},
	{')', "invalid character ')' in local part", "invalid character ')' in domain"},
	{'*', "invalid character '*' in local part", "invalid character '*' in domain"},
	{'+', "invalid character '+' in local part", "invalid character '+' in domain"},
	{',', "invalid character ',' in local part", "invalid character ',' in domain"},
	{'/', "invalid character '/' in local part", "invalid character '/' in domain"},
	{':', "invalid character ':' in local part", "invalid character ':' in domain"},
	{';', "invalid character ';' in local part", "invalid character ';' in domain"},
	{'<', "invalid character '<' in local part", "invalid character '<' in domain"},
	{'=', "invalid character '=' in local part", "invalid character '=' in domain"},
	{'>', "invalid character '>' in local part", "invalid character '>' in domain"},
	{'?', "invalid character '?' in local part", "invalid character '?' in domain"},
	{'@', "invalid character '@' in local part", "invalid character '@' in domain"},
	{'[', "invalid character '[' in local part", "invalid character '[' in domain"},
	{'\\', "invalid character '\\' in local part", "invalid character '\\' in domain"},
	{']', "invalid character ']' in local part", "invalid character ']' in domain"},
	{'^', "invalid character '^' in local part", "invalid character '^' in domain"},
	{'_', "invalid character '_' in local part", "invalid character '_' in domain"},
	{'`', "invalid character '`' in local part", "invalid character '`' in domain"},
	{'{', "invalid character '{' in local part", "invalid character '{' in domain"},
	{'|', "invalid character '|' in local part", "invalid character '|' in domain"},
	{'}', "invalid character '}' in local part", "invalid character '}' in domain"},
	{'~', "invalid character '~' in local part", "invalid character '~' in domain"},
};

static const char *bad_char(unsigned char c, int in_domain)
{
	size_t	i;

	for (i = 0; i < sizeof(bad_chars) / sizeof(bad_chars[0]); i++)
		if (bad_chars[i].ch == c)
			return in_domain ? bad_chars[i].in_domain
				: bad_chars[i].in_local;
	if (c < 0x20 || c == 0x7f)
		return in_domain ? "control character in domain"
			: "control character in local part";
	return in_domain ? "invalid character in domain"
		: "invalid character in local part";
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	size_t	n;
	size_t	i;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
	    || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Dot-string (RFC 5321 section 4.1.2) with RFC 6531 UTF-8; len > 0. */
static const char *check_dot_atom(const unsigned char *s, size_t len)
{
	size_t	i;
	size_t	n;

	if (s[0] == '.' || s[len - 1] == '.')
		return "local part starts or ends with '.'";
	for (i = 0; i < len; i += n) {
		n = 1;
		if (s[i] == '.') {
			if (s[i + 1] == '.')	/* i + 1 < len: s[len-1] is no dot */
				return "local part has consecutive dots";
		} else if (s[i] >= 0x80) {
			if ((n = utf8_len(s + i, len - i)) == 0)
				return "invalid UTF-8 in local part";
		} else if (!is_atext(s[i])) {
			return bad_char(s[i], 0);
		}
	}
	return NULL;
}

/* Quoted-string (RFC 5321 4.1.2) at s[0] == '"'; *end_r gets its length. */
static const char *check_quoted(const unsigned char *s, size_t len,
				size_t *end_r)
{
	size_t	i;
	size_t	n;

	for (i = 1; i < len; i += n) {
		n = 1;
		if (s[i] == '"') {
			if (i == 1)
				return "empty local part";
			*end_r = i + 1;
			return NULL;
		}
		if (s[i] == '\\') {
			if (i + 1 >= len)
				break;
			if (s[i + 1] < 0x20 || s[i + 1] >= 0x7f)
				return "invalid quoted-pair in local part";
			n = 2;
		} else if (s[i] >= 0x80) {
			if ((n = utf8_len(s + i, len - i)) == 0)
				return "invalid UTF-8 in local part";
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			return bad_char(s[i], 0);
		}
	}
	return "unbalanced quote";
}

/* A host name of LDH (and UTF-8) labels, at least two, TLD not numeric. */
static const char *check_domain(const unsigned char *s, size_t len)
{
	size_t	i;
	size_t	n;
	size_t	label = 0;		/* start of the current label */
	size_t	labels = 0;
	int	digits = 1;		/* the current label is all digits */

	if (len == 0)
		return "empty domain";
	if (s[0] == '[')
		return "domain literals are not accepted";
	if (len > LIMIT_DOMAIN)
		return "domain longer than 255 octets";
	for (i = 0; i <= len; i += n) {
		n = 1;
		if (i == len || s[i] == '.') {
			if (i == label)
				return "domain has an empty label";
			if (s[label] == '-' || s[i - 1] == '-')
				return "domain label starts or ends with '-'";
			if (i - label > 63)
				return "domain label longer than 63 octets";
			labels++;
			if (i == len)
				break;
			label = i + 1;
			digits = 1;
		} else if (s[i] >= '0' && s[i] <= '9') {
			continue;
		} else if ((s[i] >= 'a' && s[i] <= 'z')
			   || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-') {
			digits = 0;
		} else if (s[i] >= 0x80) {
			if ((n = utf8_len(s + i, len - i)) == 0)
				return "invalid UTF-8 in domain";
			digits = 0;
		} else {
			return bad_char(s[i], 1);
		}
	}
	if (labels < 2)
		return "domain needs a dot";
	if (digits)
		return "top-level domain is numeric";
	return NULL;
}

static char *copy_bytes(const unsigned char *s, size_t len, int lower)
{
	char   *d = malloc(len + 1);
	size_t	i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		d[i] = (char) (lower && s[i] >= 'A' && s[i] <= 'Z'
			       ? s[i] + 32 : s[i]);
	d[len] = 0;
	return d;
}

int addr_parse_spec(const char *str, size_t len, char **local_r,
		    char **domain_r, const char **error_r)
{
	const unsigned char *s = (const unsigned char *) str;
	const char *why = NULL;
	size_t	at = 0;
	char   *local = NULL;
	char   *domain = NULL;

	if (local_r != NULL)
		*local_r = NULL;
	if (domain_r != NULL)
		*domain_r = NULL;
	if (len == 0) {
		why = "empty address";
	} else if (memchr(s, 0, len) != NULL) {
		why = "NUL in address";
	} else if (s[0] == '"') {
		/* The separator is the first '@' after the quoted string. */
		if ((why = check_quoted(s, len, &at)) == NULL && at < len
		    && s[at] != '@')
			why = bad_char(s[at], 0);
	} else {
		/* The separator is the first '@': atext has none. */
		while (at < len && s[at] != '@')
			at++;
		if (at == 0)
			why = "empty local part";
		else if (at < len)
			why = check_dot_atom(s, at);
	}
	if (why == NULL && at >= len)
		why = "missing @";
	if (why == NULL && at > LIMIT_LOCAL_PART)
		why = "local part longer than 64 octets";
	if (why == NULL)
		why = check_domain(s + at + 1, len - at - 1);
	if (why == NULL && ((local = copy_bytes(s, at, 0)) == NULL
			    || (domain = copy_bytes(s + at + 1, len - at - 1, 1)) == NULL))
		why = "out of memory";
	if (why != NULL) {
		free(local);
		free(domain);
		if (error_r != NULL)
			*error_r = why;
		return -1;
	}
	if (local_r != NULL)
		*local_r = local;
	else
		free(local);
	if (domain_r != NULL)
		*domain_r = domain;
	else
		free(domain);
	return 0;
}
