/*
 * NAME
 *	fuzz_web_client 1
 * SUMMARY
 *	libFuzzer target for src/web_client.c
 * DESCRIPTION
 *	The input's first octet picks a trusted-proxy set; the rest is read
 *	as X-Forwarded-For, as X-Forwarded-Proto and as a path to
 *	percent-decode.  Checked: the client found is a NUL-terminated
 *	address (or the peer it started as) that fits its buffer, and
 *	decoding never grows the text, leaves no NUL inside it, and is the
 *	identity on text without '%'.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const proxy_sets[][3] = {
	{"127.0.0.1", NULL, NULL},
	{"10.0.0.0/8", "2001:db8::/32", NULL},
	{"0.0.0.0/0", "::/0", NULL},
	{"192.0.2.1", "::ffff:198.51.100.0/120", "fe80::/10"},
};

static size_t load_proxies(unsigned pick, struct web_net *nets)
{
	const char *const *set = proxy_sets[pick % (sizeof(proxy_sets) / sizeof(proxy_sets[0]))];
	size_t	n = 0, i;

	for (i = 0; i < 3 && set[i] != NULL; i++)
		if (web_net_parse(set[i], strlen(set[i]), &nets[n]) == 0)
			n++;
	return n;
}

static void check_forwarded(const struct web_net *nets, size_t n, const char *text, size_t len)
{
	char	client[64] = "192.0.2.77";

	web_forwarded_for(nets, n, text, len, client, sizeof(client));
	if (memchr(client, 0, sizeof(client)) == NULL)
		abort();
	(void) web_net_match(nets, n, client);
	(void) web_forwarded_https(text, len);
}

static void check_decode(const char *text, size_t len)
{
	char   *s = malloc(len + 1);
	size_t	out;

	if (s == NULL)
		return;
	memcpy(s, text, len);
	s[len] = 0;
	out = web_percent_decode(s, len);
	if (out > len || s[out] != 0)
		abort();
	if (memchr(text, '%', len) == NULL && (out != len || memcmp(s, text, len) != 0))
		abort();
	if (memchr(text, 0, len) == NULL && strlen(s) != out)
		abort();
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_net nets[3];
	size_t	n;

	if (size == 0)
		return 0;
	n = load_proxies(data[0], nets);
	check_forwarded(nets, n, (const char *) data + 1, size - 1);
	check_decode((const char *) data + 1, size - 1);
	return 0;
}
