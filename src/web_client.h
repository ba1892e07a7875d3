/*
 * NAME
 *	web_client 3h
 * SUMMARY
 *	what a web client says outside its forms: where it is, and its paths
 * DESCRIPTION
 *	The parsers of request text that sealist does itself (libmicrohttpd
 *	parses the rest): the client's address when a trusted reverse proxy
 *	passes it in X-Forwarded-For, whether the proxy spoke HTTPS to it
 *	(X-Forwarded-Proto), and the percent-decoding of paths.  Each takes
 *	a length, reads nothing past it and has a fuzz target
 *	(tests/fuzz/fuzz_web_client.c).  No libmicrohttpd here.
 */
#ifndef SEALIST_WEB_CLIENT_H
#define SEALIST_WEB_CLIENT_H

#include <stddef.h>

/* An address block of web_trusted_proxies: v4 or v6 address and prefix. */
struct web_net {
	int	family;			/* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned bits;
};

/* "ADDR" or "ADDR/BITS" into n; 0, or -1 when it is not one. */
extern int web_net_parse(const char *s, size_t len, struct web_net *n);

/* Is the text address ip (v4, v6, v4-mapped v6) in one of nets? */
extern int web_net_match(const struct web_net *nets, size_t n, const char *ip);

/*
 * The client behind trusted proxies, from X-Forwarded-For xff[0..len):
 * walking from the right, the first address that is not in nets is the
 * client (everything left of it the client could have written itself).
 * client (size octets, holding the TCP peer) is replaced by each good
 * address on the way; garbage stops the walk, keeping what was found.
 */
extern void web_forwarded_for(const struct web_net *nets, size_t n, const char *xff,
			      size_t len, char *client, size_t size);

/* Does X-Forwarded-Proto proto[0..len) start with the token "https"? */
extern int web_forwarded_https(const char *proto, size_t len);

/*
 * Percent-decode s[0..len) in place, as libmicrohttpd would, but keep
 * "%00" as it is: a NUL would cut the C string a handler gets, so
 * "/static/README%00.css" would become "/static/README"; kept, it
 * matches nothing ('%' is in no {id} or {list}).  s has room for len + 1
 * octets: s[result] is set to NUL; the result is the new length (never
 * more than len).
 */
extern size_t web_percent_decode(char *s, size_t len);

#endif
