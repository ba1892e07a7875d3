/*
 * NAME
 *	dsn_verp 3
 * SUMMARY
 *	VERP envelope senders: LIST-bounces+LOCAL=DOMAIN@listdomain
 * DESCRIPTION
 *	The scheme of Mailman and Postfix: the recipient's '@' becomes '='
 *	and nothing else is escaped.  Decoding splits at the last '='
 *	because a domain never holds one while a local part may ("a=b").
 *	See dsn.h for the contracts.
 */
#include <string.h>

#include "dsn/dsn.h"

/* Bytes an unquoted envelope local part cannot carry: white space and
 * controls.  The caller sends such members without VERP. */
static int bad_byte(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((unsigned char) s[i] <= ' ' || s[i] == 0x7F)
			return 1;
	return 0;
}

int dsn_verp_encode(const char *list_local, char delimiter,
		    const char *recipient, const char *list_domain,
		    struct buf *out, const char **error_r)
{
	const char *at = strrchr(recipient, '@');
	size_t	llen, dlen, total;

	if (at == NULL)
		return *error_r = "recipient has no '@'", -1;
	llen = (size_t) (at - recipient);
	dlen = strlen(at + 1);
	if (llen == 0)
		return *error_r = "empty local part", -1;
	if (dlen == 0)
		return *error_r = "empty domain", -1;
	if (memchr(at + 1, '=', dlen) != NULL)
		return *error_r = "'=' in domain", -1;
	if (bad_byte(recipient, llen + 1 + dlen))
		return *error_r = "white space or control character in recipient", -1;
	total = strlen(list_local) + strlen("-bounces") + 1 + llen + 1 + dlen;
	if (total > LIMIT_DSN_ADDRESS)
		return *error_r = "address too long", -1;
	buf_append_str(out, list_local);
	buf_append_str(out, "-bounces");
	buf_append_byte(out, (unsigned char) delimiter);
	buf_append(out, recipient, llen);
	buf_append_byte(out, '=');
	buf_append(out, at + 1, dlen);
	buf_append_byte(out, '@');
	if (buf_append_str(out, list_domain) < 0)
		return *error_r = buf_strerror(out), -1;
	return 0;
}

int dsn_verp_decode(const void *tag, size_t len, char *out, size_t size)
{
	const char *t = tag;
	size_t	eq, i;

	for (eq = len; eq > 0 && t[eq - 1] != '='; eq--)
		;
	if (eq == 0)
		return -1;
	eq--;
	if (eq == 0 || eq + 1 == len || len + 1 > size)
		return -1;
	for (i = eq + 1; i < len; i++)
		if ((unsigned char) t[i] <= ' ' || t[i] == 0x7F || t[i] == '@' ||
		    t[i] == '"')
			return -1;
	if (memchr(t, 0, len) != NULL || bad_byte(t, eq))
		return -1;
	memcpy(out, t, len);
	out[eq] = '@';
	out[len] = 0;
	return 0;
}
