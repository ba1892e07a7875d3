/*
 * NAME
 *	spf_xforward 3
 * SUMMARY
 *	the client from a Postfix XFORWARD command
 * DESCRIPTION
 *	Postfix's XFORWARD_README: "XFORWARD attribute-name=attribute-value
 *	...", values xtext-encoded (RFC 3461 section 4: "+" and two
 *	upper-case hex digits for octets outside "!" to "~", "+" and "=");
 *	we accept lower-case hex too.  [UNAVAILABLE] and [TEMPUNAVAIL] mean
 *	the value is not known.  ADDR holds IPv4, "IPV6:" + IPv6, or (older
 *	Postfix) a bare IPv6 literal.  Unknown attribute names are ignored,
 *	as the README tells servers to; a malformed value of a known one is
 *	an error.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "buf/buf.h"
#include "sealist_limits.h"
#include "spf/spf.h"

void spf_xforward_init(struct spf_xforward *xf)
{
	memset(xf, 0, sizeof(*xf));
}


/* xtext-decode p/n into out (size cap, NUL added); -1 on error. */
static int xtext(const char *p, size_t n, char *out, size_t cap)
{
	size_t	i, o = 0;

	for (i = 0; i < n; i++) {
		int	c = (unsigned char) p[i];

		if (c == '+') {
			int	hi, lo;

			if (n - i < 3)
				return -1;
			hi = buf_hex_value((unsigned char) p[i + 1]);
			lo = buf_hex_value((unsigned char) p[i + 2]);
			if (hi < 0 || lo < 0 || (c = hi * 16 + lo) == 0)
				return -1;
			i += 2;
		} else if (c < 0x21 || c > 0x7e || c == '=') {
			return -1;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = (char) c;
	}
	out[o] = '\0';
	return 0;
}

static int unavailable(const char *v)
{
	return strcasecmp(v, "[UNAVAILABLE]") == 0
	    || strcasecmp(v, "[TEMPUNAVAIL]") == 0;
}

static int set_field(char *field, size_t cap, const char *v)
{
	size_t	n = strlen(v);

	if (unavailable(v)) {
		field[0] = '\0';
		return 0;
	}
	if (n >= cap)
		return -1;
	memcpy(field, v, n + 1);
	return 0;
}

static int set_addr(struct spf_xforward *xf, const char *v)
{
	if (unavailable(v)) {
		xf->have_addr = 0;
		return 0;
	}
	if (strncasecmp(v, "IPV6:", 5) == 0) {
		if (inet_pton(AF_INET6, v + 5, &xf->ip.v6) != 1)
			return -1;
		xf->family = AF_INET6;
	} else if (inet_pton(AF_INET, v, &xf->ip.v4) == 1) {
		xf->family = AF_INET;
	} else if (inet_pton(AF_INET6, v, &xf->ip.v6) == 1) {
		xf->family = AF_INET6;
	} else {
		return -1;
	}
	if (xf->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&xf->ip.v6)) {
		struct in_addr v4;

		memcpy(&v4, xf->ip.v6.s6_addr + 12, 4);
		xf->ip.v4 = v4;
		xf->family = AF_INET;
	}
	xf->have_addr = 1;
	return 0;
}

int spf_parse_xforward(const char *line, size_t len,
		       struct spf_xforward *xf, const char **error_r)
{
	char	value[LIMIT_SPF_XFORWARD_VALUE + 1];
	size_t	i = 0, start, eq;
	const char *dummy;

	if (error_r == NULL)
		error_r = &dummy;
	*error_r = "ok";
	while (i < len) {
		const char *name;
		size_t	name_len;
		int	rc = 0;

		while (i < len && line[i] == ' ')
			i++;
		if (i == len)
			break;
		for (start = i, eq = 0; i < len && line[i] != ' '; i++)
			if (line[i] == '=' && eq == 0)
				eq = i;
		if (eq == 0 || eq == start) {
			*error_r = "XFORWARD attribute without name=value";
			return -1;
		}
		name = line + start;
		name_len = eq - start;
		if (xtext(line + eq + 1, i - eq - 1, value, sizeof(value)) < 0) {
			*error_r = "XFORWARD value is bad xtext or too long";
			return -1;
		}
#define IS(w) (name_len == sizeof(w) - 1 && strncasecmp(name, w, name_len) == 0)
		if (IS("ADDR"))
			rc = set_addr(xf, value);
		else if (IS("NAME"))
			rc = set_field(xf->name, sizeof(xf->name), value);
		else if (IS("HELO"))
			rc = set_field(xf->helo, sizeof(xf->helo), value);
		else if (IS("PROTO"))
			rc = set_field(xf->proto, sizeof(xf->proto), value);
		else if (IS("SOURCE"))
			rc = set_field(xf->source, sizeof(xf->source), value);
#undef IS
		if (rc < 0) {
			*error_r = "XFORWARD value out of range";
			return -1;
		}
	}
	return 0;
}

void spf_xforward_to_query(const struct spf_xforward *xf, struct spf_query *q)
{
	if (xf->have_addr) {
		q->family = xf->family;
		memcpy(&q->ip, &xf->ip, sizeof(q->ip));
	}
	q->helo = xf->helo[0] != '\0' ? xf->helo : NULL;
}
