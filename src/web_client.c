/*
 * NAME
 *	web_client 3
 * SUMMARY
 *	what a web client says outside its forms: where it is, and its paths
 * DESCRIPTION
 *	See web_client.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "conf.h"
#include "web_client.h"

/* Room for any text address, v6 with a v4 tail included. */
#define WEB_ADDR_TEXT	(INET6_ADDRSTRLEN + 1)

int web_net_parse(const char *s, size_t len, struct web_net *n)
{
	char	addr[WEB_ADDR_TEXT + 8];
	const char *slash = memchr(s, '/', len);
	size_t	alen = slash ? (size_t) (slash - s) : len;

	if (!conf_valid_net(s, len) || alen >= sizeof(addr))
		return -1;
	memcpy(addr, s, alen);
	addr[alen] = 0;
	n->family = memchr(addr, ':', alen) ? AF_INET6 : AF_INET;
	memset(n->addr, 0, sizeof(n->addr));
	if (inet_pton(n->family, addr, n->addr) != 1)
		return -1;
	n->bits = slash ? (unsigned) strtoul(slash + 1, NULL, 10)
	    : n->family == AF_INET6 ? 128u : 32u;
	return 0;
}

/* A text address (v4, v6, or v4-mapped v6) into family and 16 octets. */
static int web_addr_parse(const char *s, int *family, unsigned char addr[16])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) != 1)
		return -1;
	*family = AF_INET6;
	if (memcmp(addr, mapped, 12) == 0) {
		memmove(addr, addr + 12, 4);
		memset(addr + 4, 0, 12);
		*family = AF_INET;
	}
	return 0;
}

int web_net_match(const struct web_net *nets, size_t n, const char *ip)
{
	unsigned char a[16];
	int	family;
	size_t	i;

	if (web_addr_parse(ip, &family, a) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned full = nets[i].bits / 8, rest = nets[i].bits % 8;

		if (nets[i].family != family || full > 16 || memcmp(nets[i].addr, a, full) != 0)
			continue;
		if (rest == 0 || ((nets[i].addr[full] ^ a[full]) & (0xff00 >> rest) & 0xff) == 0)
			return 1;
	}
	return 0;
}

void web_forwarded_for(const struct web_net *nets, size_t n, const char *xff, size_t len,
		       char *client, size_t size)
{
	const char *end = xff + len;

	while (end != NULL) {
		const char *start = end;
		char	ip[WEB_ADDR_TEXT];
		unsigned char a[16];
		size_t	elen;
		int	family;

		while (start > xff && start[-1] != ',')
			start--;
		/* [start, end) is one entry; the next is left of start - 1 */
		elen = (size_t) (end - start);
		end = start > xff ? start - 1 : NULL;
		while (elen > 0 && isspace((unsigned char) *start))
			start++, elen--;
		while (elen > 0 && isspace((unsigned char) start[elen - 1]))
			elen--;
		if (elen == 0 || elen >= sizeof(ip) || elen >= size)
			return;
		memcpy(ip, start, elen);
		ip[elen] = 0;
		if (web_addr_parse(ip, &family, a) < 0)
			return;		/* garbage: keep what we have */
		memcpy(client, ip, elen + 1);
		if (!web_net_match(nets, n, ip))
			return;
	}
}

int web_forwarded_https(const char *proto, size_t len)
{
	size_t	i = 0;

	while (i < len && (proto[i] == ' ' || proto[i] == '\t'))
		i++;
	return len - i >= 5 && strncasecmp(proto + i, "https", 5) == 0
	    && (len - i == 5 || proto[i + 5] == ',' || isspace((unsigned char) proto[i + 5]));
}

static int web_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

size_t web_percent_decode(char *s, size_t len)
{
	size_t	in = 0, out = 0;

	while (in < len) {
		int	hi, lo;

		if (s[in] == '%' && len - in >= 3
		    && (hi = web_hex(s[in + 1])) >= 0 && (lo = web_hex(s[in + 2])) >= 0
		    && (hi | lo) != 0) {
			s[out++] = (char) (hi * 16 + lo);
			in += 3;
		} else
			s[out++] = s[in++];
	}
	s[out] = 0;
	return out;
}
