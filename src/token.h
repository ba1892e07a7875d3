/*
 * NAME
 *	token 3h
 * SUMMARY
 *	stateless one-click unsubscribe tokens (RFC 8058)
 * SYNOPSIS
 *	#include "token.h"
 * DESCRIPTION
 *	A token proves that a one-click unsubscribe URL was made by us for
 *	one member of one list, without a database row and without expiry
 *	(RFC 8058 section 3 wants the URL to work from the message alone, and
 *	a member may act on a months-old message).  It is
 *
 *	    "1." base64url(first 16 octets of HMAC-SHA256(key, canon))
 *
 *	with canon = "v1" NUL list NUL member, where list is the list
 *	address lowercased and member is the member address with only its
 *	domain lowercased (RFC 5321 section 2.4: the local part may be case
 *	sensitive, the domain is not).  The "1." prefix is the scheme
 *	version: a later scheme gets "2." and token_check() can tell them
 *	apart.  '.' is outside the base64url alphabet and URL-safe, so the
 *	token goes into a URL path as it is.  128 bits of MAC are far more
 *	than an online guesser can try.
 *
 *	The key.  One secret per list, TOKEN_KEY_LEN random octets from
 *	token_key_generate().  The caller owns it: the lead will keep it
 *	in the list's database row (store); this module only takes bytes.
 *	Changing the key invalidates every URL already sent out, which is
 *	the way to revoke them all.
 *
 *	Nothing here logs, allocates or keeps state: every function is safe
 *	from any thread.
 */
#ifndef SEALIST_TOKEN_H
#define SEALIST_TOKEN_H

#include <stddef.h>

/* Recommended key length: the HMAC-SHA256 block's worth of entropy is
 * not needed; 32 octets is the hash size (RFC 2104 section 3). */
#define TOKEN_KEY_LEN	32
/* Shortest key accepted: below 16 octets the key is guessable offline. */
#define TOKEN_KEY_MIN	16
/* "1." + 22 base64url characters (16 octets, no padding). */
#define TOKEN_LEN	24
/* Size of the buffer token_make() writes: the token and a NUL. */
#define TOKEN_SIZE	(TOKEN_LEN + 1)

/* Fill out[0..len) with random octets (OpenSSL RAND_bytes); 0 or -1. */
extern int token_key_generate(unsigned char *out, size_t len);

/*
 * Write the token for (list, member) as a NUL-terminated string into out
 * (TOKEN_SIZE octets).  list and member are addresses "local@domain"
 * (NUL-terminated; a member without '@' is taken whole as it is).
 * Returns 0, or -1 when keylen < TOKEN_KEY_MIN or HMAC fails.
 */
extern int token_make(const unsigned char *key, size_t keylen,
		      const char *list, const char *member, char *out);

/*
 * Is token (len octets, not necessarily NUL-terminated: it comes from a
 * URL) the one token_make() gives for (list, member) under key?  1 yes,
 * 0 no (wrong length, unknown version, other list or member, other key).
 * The MAC is compared with CRYPTO_memcmp so that the time taken says
 * nothing about how many octets matched.
 */
extern int token_check(const unsigned char *key, size_t keylen,
		       const char *list, const char *member,
		       const char *token, size_t len);

#endif
