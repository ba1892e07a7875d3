/*
 * NAME
 *	outsign 3h
 * SUMMARY
 *	per-recipient finishing of a list post: one-click List-Unsubscribe,
 *	DKIM signatures by the list domain, ARC seal
 * SYNOPSIS
 *	#include "outsign.h"
 * DESCRIPTION
 *	The last step of fan-out, run once per recipient, so it is the hot
 *	path: given the rewritten post (already a struct msg) it produces the
 *	exact bytes to send to one member:
 *
 *	  1. List-Unsubscribe REPLACED (never added twice) by
 *	       <BASE/lists/LIST@DOMAIN/unsubscribe/TOKEN?a=ADDRESS>,
 *	        <mailto:LIST-leave@DOMAIN>
 *	     where TOKEN is token_make(list key, LIST@DOMAIN, ADDRESS) and
 *	     ADDRESS is the recipient percent-encoded (everything but RFC 3986
 *	     unreserved characters), and List-Unsubscribe-Post:
 *	     List-Unsubscribe=One-Click present (RFC 8058 section 3.1);
 *	  2. DKIM-Signature fields for d=DOMAIN, RSA and/or Ed25519, over the
 *	     lib/dkim default header list, which signs and over-signs both
 *	     List-Unsubscribe fields (RFC 8058 section 4), with the body hash
 *	     computed once per post;
 *	  3. if asked, an ARC set on top (arc_seal), last, because the AMS
 *	     covers the DKIM signatures (RFC 8617 section 5.1).
 *	The web endpoint verifies the URL with token_check(key, LIST@DOMAIN,
 *	ADDRESS from ?a=, TOKEN from the path).
 *
 *	With personalization off there is nothing per recipient: the post is
 *	signed once, in outsign_post_new(), and outsign_finish() copies those
 *	bytes for every recipient (recipient may be NULL); List-Unsubscribe
 *	and List-Unsubscribe-Post stay exactly as the rewrite wrote them.
 *
 *	Cost per recipient (personalized): one List-Unsubscribe replaced,
 *	the signature fields inserted at the top and removed again after
 *	serializing (so the worker's msg is back to the prepared post), the
 *	header hashed once per signature, one private-key operation per
 *	signature (ARC adds two, and hashes the body once more: arc_seal
 *	takes no body hash), one serialize into the caller's buffer.  The
 *	post is never parsed per recipient.
 *
 *	Threads.  A struct outsign_post is read-only after
 *	outsign_post_new() and may be shared by any number of threads; each
 *	thread makes its own struct outsign_worker (it owns a parsed copy
 *	of the prepared post that the per-recipient edits go to, and scratch
 *	buffers) and never shares it.  The keys (struct dkim_privkey) may be
 *	shared: OpenSSL 3 signs concurrently with one EVP_PKEY.
 *
 *	Nothing here logs or exits; errors are static strings.
 */
#ifndef SEALIST_OUTSIGN_H
#define SEALIST_OUTSIGN_H

#include <stddef.h>

#include "arc/arc.h"
#include "buf/buf.h"
#include "dkim/dkim.h"
#include "msg/msg.h"

struct outsign_opts {
	/* The list: LOCAL@DOMAIN.  DOMAIN is also d= of every signature. */
	const char *list_local;
	const char *list_domain;
	/* 1: a token and signatures per recipient; 0: one copy for all. */
	int	personalize;
	/* "https://lists.example.org" (a trailing '/' is ignored); required
	   with personalize, and must be https (RFC 8058 section 3.1). */
	const char *web_base_url;
	/* The list's token secret (token.h), required with personalize. */
	const unsigned char *token_key;
	size_t	token_key_len;
	/* Signing keys: one, both, or none (the copies then go unsigned,
	   for a relay that signs them itself); a NULL key is not used. */
	const struct dkim_privkey *rsa_key;
	const char *rsa_selector;
	const struct dkim_privkey *ed_key;
	const char *ed_selector;
	/* t= of every DKIM and ARC signature (the injectable clock), or -1. */
	long long timestamp;
	/* ARC: seal when arc is 1, with arc_key (NULL: the RSA key, else the
	   Ed25519 one) and arc_selector (NULL: that key's selector); the AAR
	   payload ("authserv-id; dkim=pass ...") and cv from ingest. */
	int	arc;
	const struct dkim_privkey *arc_key;
	const char *arc_selector;
	const char *arc_authres;
	enum arc_cv arc_cv;
};

/* Everything zero/NULL, timestamp -1, arc_cv none. */
extern void outsign_opts_init(struct outsign_opts *);

struct outsign_post;
struct outsign_worker;

/*
 * Prepare a post for fan-out: copy it (post is not changed and may be
 * freed afterwards), and with personalize make sure it has exactly one
 * List-Unsubscribe (extra ones removed; one added at the end of the
 * header if there was none) and a List-Unsubscribe-Post (added below
 * List-Unsubscribe if missing); compute the body hash once per key
 * algorithm; without personalize, sign the one shared copy now.  The
 * strings and keys in opts are borrowed: they must outlive the post.
 * 0 and *post_r, or -1 with *error_r.
 */
extern int outsign_post_new(const struct msg *post, const struct outsign_opts *,
			    struct outsign_post **post_r, const char **error_r);
extern void outsign_post_free(struct outsign_post *);	/* NULL is fine */

/* Per-thread state for one post; 0 and *w_r, or -1 with *error_r. */
extern int outsign_worker_new(const struct outsign_post *, struct outsign_worker **w_r,
			      const char **error_r);
extern void outsign_worker_free(struct outsign_worker *);	/* NULL is fine */

/*
 * Append the message for recipient (an address "local@domain") to out
 * (not reset first: reuse one buf per worker with buf_reset()).  With
 * personalization off, recipient is ignored and may be NULL; with it on,
 * NULL is an error.  0, or -1 with *error_r (the worker stays usable).
 */
extern int outsign_finish(struct outsign_worker *, const char *recipient,
			  struct buf *out, const char **error_r);

/*
 * Append the List-Unsubscribe value (after "List-Unsubscribe: ") the
 * post gives recipient: "<URL>, <mailto:...>".  For the web side and
 * tests.  0, or -1 (no personalization, bad recipient, out refuses).
 */
extern int outsign_unsubscribe_value(const struct outsign_post *, const char *recipient,
				     struct buf *out);

#endif
