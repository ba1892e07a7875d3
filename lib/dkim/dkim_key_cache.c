/*
 * NAME
 *	dkim_key_cache 3
 * SUMMARY
 *	decoded public keys, reused across verifications
 * DESCRIPTION
 *	Turning the p= octets of a key record into a key OpenSSL can verify
 *	with is a large share of an RSA verification: about 120 us for
 *	RSA-2048 through OpenSSL 3's decoder framework (d2i_PUBKEY), six
 *	times the RSA operation; still about 10 us with the direct decoding
 *	of the common form (dkim_keyrec_pkey), mostly the provider's copy of
 *	the key and its Montgomery set-up on first use.  A list server sees
 *	the same few keys all day, so this keeps decoded keys, keyed by the
 *	exact key octets and key type, never by name: the key record is
 *	still fetched and parsed for every signature, so a new key, a
 *	revocation (p=) or changed flags take effect as soon as DNS says so,
 *	and a cached key is only ever used for the very octets it was
 *	decoded from.
 *
 *	Entries sit in a hash table (FNV-1a over type and octets; a chain is
 *	at most max_entries long, so even crafted collisions cost a bounded
 *	number of compares) and on a most-recently-used list; when full, the
 *	least recently used entry not in use is dropped.  Keys that fail to
 *	decode, and RSA keys above LIMIT_DKIM_RSA_BITS, are not kept.  Beside
 *	each RSA key an EVP_PKEY_CTX set up for PKCS#1 v1.5 SHA-256
 *	verification is kept once used, since setting one up costs about
 *	3 us, 15 % of the RSA-2048 operation.  One thread at a time, like a
 *	resolver.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"

struct dkim_key_cache_entry {
	struct dkim_key_cache_entry *hnext;	/* hash chain */
	struct dkim_key_cache_entry *prev, *next; /* MRU list, most recent first */
	uint64_t hash;
	int	key_type;
	unsigned char *key;
	size_t	key_len;
	EVP_PKEY *pkey;
	int	bits;
	EVP_PKEY_CTX *rsa_ctx;		/* ready for rsa-sha256, or NULL */
	unsigned int users;		/* handed out and not yet put back */
};

struct dkim_key_cache {
	struct dkim_key_cache_entry **bucket;
	size_t	nbuckets;		/* a power of two */
	size_t	max, count;
	struct dkim_key_cache_entry *mru, *lru;
	unsigned long hits, misses;
};

struct dkim_key_cache *dkim_key_cache_new(size_t max_entries)
{
	struct dkim_key_cache *c;
	size_t	n = 8;

	if (max_entries == 0 || max_entries > LIMIT_DKIM_KEY_CACHE)
		return NULL;
	while (n < max_entries)
		n *= 2;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->bucket = calloc(n, sizeof(*c->bucket))) == NULL) {
		free(c);
		return NULL;
	}
	c->nbuckets = n;
	c->max = max_entries;
	return c;
}

static void entry_free(struct dkim_key_cache_entry *e)
{
	EVP_PKEY_CTX_free(e->rsa_ctx);
	EVP_PKEY_free(e->pkey);
	free(e->key);
	free(e);
}

void dkim_key_cache_free(struct dkim_key_cache *c)
{
	struct dkim_key_cache_entry *e, *next;

	if (c == NULL)
		return;
	for (e = c->mru; e != NULL; e = next) {
		next = e->next;
		entry_free(e);
	}
	free(c->bucket);
	free(c);
}

void dkim_key_cache_stats(const struct dkim_key_cache *c,
			  struct dkim_key_cache_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (c == NULL)
		return;
	s->hits = c->hits;
	s->misses = c->misses;
	s->entries = c->count;
}

static uint64_t key_hash(int key_type, const unsigned char *p, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a 64 */
	size_t	i;

	h = (h ^ (unsigned char) key_type) * 1099511628211ULL;
	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static void mru_unlink(struct dkim_key_cache *c, struct dkim_key_cache_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->mru = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->lru = e->prev;
	e->prev = e->next = NULL;
}

static void mru_push(struct dkim_key_cache *c, struct dkim_key_cache_entry *e)
{
	e->prev = NULL;
	e->next = c->mru;
	if (c->mru != NULL)
		c->mru->prev = e;
	c->mru = e;
	if (c->lru == NULL)
		c->lru = e;
}

/* Drop the least recently used entry nobody holds; 0, or -1 if all are held. */
static int evict_one(struct dkim_key_cache *c)
{
	struct dkim_key_cache_entry *e, **pp;

	for (e = c->lru; e != NULL && e->users > 0; e = e->prev)
		;
	if (e == NULL)
		return -1;
	for (pp = &c->bucket[e->hash & (c->nbuckets - 1)]; *pp != e; pp = &(*pp)->hnext)
		;
	*pp = e->hnext;
	mru_unlink(c, e);
	entry_free(e);
	c->count--;
	return 0;
}

static void use_entry(struct dkim_key_cache_entry *e, struct dkim_pubkey *pk)
{
	EVP_PKEY_up_ref(e->pkey);
	pk->pkey = e->pkey;
	pk->bits = e->bits;
	pk->entry = e;
	pk->rsa_ctx = e->key_type == 0 ? &e->rsa_ctx : NULL;
	e->users++;
}

int dkim_key_cache_get(struct dkim_key_cache *c, const struct dkim_keyrec *k,
		       struct dkim_pubkey *pk, const char **error_r)
{
	struct dkim_key_cache_entry *e;
	EVP_PKEY *pkey;
	uint64_t h = 0;

	memset(pk, 0, sizeof(*pk));
	if (c != NULL && k->key != NULL) {
		h = key_hash(k->key_type, k->key, k->key_len);
		for (e = c->bucket[h & (c->nbuckets - 1)]; e != NULL; e = e->hnext)
			if (e->hash == h && e->key_type == k->key_type
			    && e->key_len == k->key_len
			    && memcmp(e->key, k->key, k->key_len) == 0)
				break;
		if (e != NULL) {
			c->hits++;
			mru_unlink(c, e);
			mru_push(c, e);
			use_entry(e, pk);
			return 0;
		}
		c->misses++;
	}
	if ((pkey = dkim_keyrec_pkey(k, error_r)) == NULL)
		return -1;		/* not cached: decode again next time */
	pk->pkey = pkey;
	pk->bits = k->key_type == 1 ? 256 : EVP_PKEY_get_bits(pkey);
	/*
	 * A key too long to be verified with is refused every time before
	 * any use; keeping it would only let strangers fill the cache with
	 * the largest keys (decoding it again costs little, see
	 * dkim_keyrec_pkey).
	 */
	if (c == NULL || (k->key_type == 0 && pk->bits > LIMIT_DKIM_RSA_BITS)
	    || (c->count >= c->max && evict_one(c) < 0))
		return 0;
	/* No memory for the entry is no error: the key is used uncached. */
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return 0;
	if ((e->key = malloc(k->key_len)) == NULL) {
		free(e);
		return 0;
	}
	memcpy(e->key, k->key, k->key_len);
	e->key_len = k->key_len;
	e->key_type = k->key_type;
	e->hash = h;
	e->pkey = pkey;		/* the decode's reference goes to the entry */
	e->bits = pk->bits;
	e->hnext = c->bucket[h & (c->nbuckets - 1)];
	c->bucket[h & (c->nbuckets - 1)] = e;
	mru_push(c, e);
	c->count++;
	use_entry(e, pk);
	return 0;
}

void dkim_key_cache_put(struct dkim_pubkey *pk)
{
	if (pk->entry != NULL)
		pk->entry->users--;
	EVP_PKEY_free(pk->pkey);
	memset(pk, 0, sizeof(*pk));
}
