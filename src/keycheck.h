/*
 * NAME
 *	keycheck 3h
 * SUMMARY
 *	what the CLI and the web do with a domain's DKIM keys
 * DESCRIPTION
 *	One implementation for `sealist key generate | dns | check | use`
 *	and the keys page of the web admin: make a key (the file through
 *	keys.c, the row through the store), the TXT record of a key, and the
 *	DNS check of a published record, with a status in words and one line
 *	saying what is wrong and what to do.
 *
 *	Texts are the lines the CLI prints after "sealist: "; the web shows
 *	them as they are.  Nothing here prints, exits or logs.
 */
#ifndef SEALIST_KEYCHECK_H
#define SEALIST_KEYCHECK_H

#include <time.h>

#include "buf/buf.h"
#include "dns/dns.h"
#include "keys.h"
#include "store.h"

/* How long a check waits for DNS, all servers and retries included. */
#define KEYCHECK_DNS_TIMEOUT_MS	5000

/* One key record: "v=DKIM1; k=rsa; p=" and ~400 bytes of base64 for RSA-2048. */
#define KEYCHECK_RECORD_MAX	(16 * 1024)

/* A new key: its names and file (malloc'd), as keycheck_gen_prepare makes them. */
struct keycheck_gen {
	enum keys_type type;
	int	bits;			/* 256 for Ed25519 */
	char   *domain;			/* lowercased */
	char   *selector;		/* lowercased, or the default */
	char   *path;			/* keys_dir/domain/selector.pem */
	int	signing;		/* after keycheck_gen_make: it signs at once */
};

/* Check and lowercase domain and selector (NULL: the default for g->type
 * at now); g->type and g->bits must be set.  0, or -1 with one line in error. */
extern int keycheck_gen_names(struct keycheck_gen *g, const char *domain,
			      const char *selector, time_t now, struct buf *error);

/* After keycheck_gen_names: refuse a selector the domain already has,
 * and name the file.  0, or -1 with one line in error. */
extern int keycheck_gen_prepare(struct store *, const char *keys_dir, struct keycheck_gen *g,
				struct buf *error);

/* Generate the file, check it loads as the key meant, record it; the
 * file is removed again on any failure.  0, or -1 with one line in error. */
extern int keycheck_gen_make(struct store *, const char *keys_dir, struct keycheck_gen *g,
			     struct buf *error);

extern void keycheck_gen_free(struct keycheck_gen *);

/* SELECTOR._domainkey.DOMAIN into out (reset first). */
extern void keycheck_name(const struct store_key *, struct buf *out);

/* The key record of a key file ("v=DKIM1; k=rsa; p=..."), appended to
 * out; 0, or -1 with one line in error. */
extern int keycheck_record(const struct store_key *, struct buf *out, struct buf *error);

/* The zone-file text of a key's TXT record (keys_zone_record), appended
 * to out; 0, or -1 with one line in error. */
extern int keycheck_zone(const struct store_key *, struct buf *out, struct buf *error);

enum keycheck_status {
	KEYCHECK_OK,			/* published and matches */
	KEYCHECK_MISSING,		/* not published yet (NXDOMAIN, NODATA) */
	KEYCHECK_DIFFERS,		/* published but wrong: another key, tags, several */
	KEYCHECK_DNS_FAILED,		/* a temporary DNS failure */
	KEYCHECK_ERROR,			/* our own key file is unusable */
};

/* The status in words: "published and matches", "not published yet", ... */
extern const char *keycheck_words(enum keycheck_status);

struct keycheck {
	struct dns_resolver *resolver;	/* the caller's */
	int	allow_testing;		/* t=y is a warning, not a failure */
	struct buf name;		/* SELECTOR._domainkey.DOMAIN */
	struct buf record;		/* our record text */
	struct buf finding;		/* not OK: the line saying what is wrong */
	struct buf warnings;		/* lines ("warning: ..."), each ending in '\n' */
	char	dns_error[256];		/* KEYCHECK_DNS_FAILED: the resolver's reason */
	const struct store_key *key;
};

extern void keycheck_init(struct keycheck *, struct dns_resolver *, int allow_testing);
extern void keycheck_free(struct keycheck *);

/* Look the key's record up and compare it with the key file.  finding
 * and warnings are reset first. */
extern enum keycheck_status keycheck_one(struct keycheck *, const struct store_key *);

#endif
