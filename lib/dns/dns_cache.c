/*
 * NAME
 *	dns_cache 3
 * SUMMARY
 *	a resolver's TTL-respecting store of DNS reply messages
 * DESCRIPTION
 *	See dns.h for the contract and the caching policy.  Choices made
 *	here:
 *
 *	Whole replies, not decoded records: one store for every type, the
 *	parser stays the only code that reads DNS data, and a hit hands
 *	the caller fresh memory exactly as a miss does.
 *
 *	An array searched linearly, not a hash table: it holds at most
 *	LIMIT_DNS_CACHE_ENTRIES short keys, a scan of which costs far less
 *	than the round trip it saves, and an array has no rehashing or
 *	chaining to get wrong.  Removal swaps the last entry in, so order
 *	means nothing; recency is a per-cache counter stamped on each use.
 *
 *	Making room: an expired entry if there is one (it is worthless),
 *	else the least recently used.  Expired entries are otherwise only
 *	dropped when asked for, which keeps get() cheap.
 *
 *	No locks: a resolver, and so its cache, belongs to one thread.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "sealist_limits.h"

/* Text names are at most 253 octets plus a trailing dot. */
#define DNS_CACHE_KEY_MAX	256

struct dns_cache_entry {
	char   *key;		/* lower-cased name, no trailing dot */
	size_t	key_len;
	int	qtype;
	unsigned char *msg;	/* the reply as received */
	size_t	len;
	long long expires;	/* gone when now >= expires */
	unsigned long long used;	/* recency stamp */
};

struct dns_cache {
	struct dns_cache_entry *entry;	/* max_entries slots */
	size_t	count;
	size_t	max_entries;
	size_t	bytes;		/* replies and keys held */
	unsigned max_ttl;
	unsigned long long clock;	/* last recency stamp given */
	unsigned long hits;
	unsigned long misses;
};

struct dns_cache *dns_cache_new(size_t max_entries, unsigned max_ttl)
{
	struct dns_cache *c;

	if (max_entries < 1 || max_entries > LIMIT_DNS_CACHE_ENTRIES
	    || max_ttl < 1 || max_ttl > LIMIT_DNS_CACHE_MAX_TTL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->entry = calloc(max_entries, sizeof(*c->entry))) == NULL) {
		free(c);
		return NULL;
	}
	c->max_entries = max_entries;
	c->max_ttl = max_ttl;
	return c;
}

/* Drop entry i; the last entry takes its slot. */
static void entry_remove(struct dns_cache *c, size_t i)
{
	c->bytes -= c->entry[i].len + c->entry[i].key_len;
	free(c->entry[i].key);
	free(c->entry[i].msg);
	c->entry[i] = c->entry[--c->count];
}

void dns_cache_free(struct dns_cache *c)
{
	if (c == NULL)
		return;
	while (c->count > 0)
		entry_remove(c, c->count - 1);
	free(c->entry);
	free(c);
}

static long long min_ll(long long a, long long b)
{
	return a < b ? a : b;
}

long long dns_cache_lifetime(const struct dns_cache *c, enum dns_status st,
			     const struct dns_rrset *set)
{
	long long ttl;

	switch (st) {
	case DNS_OK:
		ttl = set->min_ttl;
		break;
	case DNS_NXDOMAIN:
	case DNS_NODATA:
		/* No SOA, no negative caching (RFC 2308 section 5). */
		if (set->negative_ttl < 0)
			return 0;
		ttl = min_ll(set->negative_ttl, LIMIT_DNS_NEGATIVE_TTL);
		/* A CNAME led here: the "no" is only as fresh as it. */
		if (set->min_ttl >= 0)
			ttl = min_ll(ttl, set->min_ttl);
		break;
	default:
		/* Temporary or local failures: asking again may help. */
		return 0;
	}
	if (ttl <= 0)
		return 0;
	return min_ll(ttl, c->max_ttl);
}

/*
 * The key for a name: lower-cased (names compare case-insensitively, RFC
 * 4343) and without the trailing dot, so "Example.ORG." and "example.org"
 * are one question.  Its length, or 0 if it does not fit.
 */
static size_t make_key(const char *name, char *key)
{
	size_t	len = strlen(name);
	size_t	i;

	if (len > 1 && name[len - 1] == '.')
		len--;
	if (len == 0 || len >= DNS_CACHE_KEY_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char	ch = name[i];

		key[i] = ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A')) : ch;
	}
	key[len] = 0;
	return len;
}

/* Index of the entry for (key, qtype), or c->count if none. */
static size_t find(const struct dns_cache *c, const char *key, size_t key_len,
		   int qtype)
{
	size_t	i;

	for (i = 0; i < c->count; i++)
		if (c->entry[i].qtype == qtype && c->entry[i].key_len == key_len
		    && memcmp(c->entry[i].key, key, key_len) == 0)
			break;
	return i;
}

const unsigned char *dns_cache_get(struct dns_cache *c, const char *name,
				   int qtype, long long now, size_t *len_r)
{
	char	key[DNS_CACHE_KEY_MAX];
	size_t	key_len = make_key(name, key);
	size_t	i = key_len ? find(c, key, key_len, qtype) : c->count;

	if (i < c->count && now >= c->entry[i].expires) {
		entry_remove(c, i);
		i = c->count;
	}
	if (i == c->count) {
		c->misses++;
		return NULL;
	}
	c->hits++;
	c->entry[i].used = ++c->clock;
	*len_r = c->entry[i].len;
	return c->entry[i].msg;
}

/* The entry to drop to make room: an expired one, else the oldest used. */
static size_t victim(const struct dns_cache *c, long long now)
{
	size_t	best = 0;
	size_t	i;

	for (i = 0; i < c->count; i++) {
		if (now >= c->entry[i].expires)
			return i;
		if (c->entry[i].used < c->entry[best].used)
			best = i;
	}
	return best;
}

int dns_cache_put(struct dns_cache *c, const char *name, int qtype,
		  const unsigned char *msg, size_t len, long long ttl,
		  long long now)
{
	char	key[DNS_CACHE_KEY_MAX];
	size_t	key_len = make_key(name, key);
	struct dns_cache_entry e;
	size_t	i;

	if (ttl <= 0)
		return 0;
	if (key_len == 0 || len > LIMIT_DNS_CACHE_BYTES - key_len)
		return -1;
	if ((i = find(c, key, key_len, qtype)) < c->count)
		entry_remove(c, i);
	while (c->count > 0 && (c->count == c->max_entries
				|| c->bytes + len + key_len > LIMIT_DNS_CACHE_BYTES))
		entry_remove(c, victim(c, now));
	e.key = malloc(key_len + 1);
	e.msg = malloc(len > 0 ? len : 1);
	if (e.key == NULL || e.msg == NULL) {
		free(e.key);
		free(e.msg);
		return -1;
	}
	memcpy(e.key, key, key_len + 1);
	memcpy(e.msg, msg, len);
	e.key_len = key_len;
	e.qtype = qtype;
	e.len = len;
	e.expires = now + ttl;
	e.used = ++c->clock;
	c->entry[c->count++] = e;
	c->bytes += len + key_len;
	return 0;
}

void dns_cache_read_stats(const struct dns_cache *c,
			  struct dns_cache_stats *out)
{
	out->hits = c->hits;
	out->misses = c->misses;
	out->entries = c->count;
}
