/*
 * NAME
 *	auth 3h
 * SUMMARY
 *	the verdict on one inbound message: DKIM, SPF, DMARC, ARC, ADSP
 * SYNOPSIS
 *	#include <auth/auth.h>
 * DESCRIPTION
 *	This module owns the whole authentication of a received message and
 *	the one object the list engine consumes: auth_check() runs DKIM
 *	(lib/dkim) on every signature, SPF (lib/spf) on the envelope, DMARC
 *	(lib/dmarc) on the author domain with those results, ADSP when the
 *	author has no DMARC record, and ARC (lib/arc) on the chain the
 *	message arrived with, all against one resolver.  It also notes the
 *	Authentication-Results fields that claim our authserv-id (forged:
 *	the caller removes them with authres_remove_forged before adding
 *	ours).  auth_verdict_authres() turns a verdict into the
 *	Authentication-Results payload (RFC 8601) that goes into our field
 *	and, after "i=N; ", into the ARC-Authentication-Results of the seal.
 *
 *	The envelope: SPF is evaluated when the client address is known
 *	(XFORWARD from the MTA); otherwise the spf result of a trusted
 *	upstream Authentication-Results field is taken (authres_trusted_spf),
 *	and failing both, SPF is "none" with the reason.  DMARC's SPF
 *	identifier is the MAIL FROM domain, or the HELO name for the null
 *	sender (RFC 7208 section 2.4).
 *
 *	Several author domains (RFC 9989 section 11.5): each is evaluated,
 *	at most LIMIT_AUTH_AUTHOR_DOMAINS, and the strictest outcome wins
 *	(a failing domain with the strictest disposition, else a pass);
 *	from_status says the From field was not one domain, so the engine
 *	can refuse such a post outright.
 *
 *	Every DNS question of one check goes through a budget: at most
 *	LIMIT_AUTH_DNS_QUERIES questions and LIMIT_AUTH_DNS_MS of wall time
 *	(a question started before the end may take the resolver's own
 *	timeout more); past it every lookup is a timeout without asking, so
 *	a hostile message (fifty ARC sets, ten signatures, an SPF include
 *	loop, keys on a silent server) ends in bounded time with temperrors.
 *
 *	Nothing here logs or exits; every string in a verdict is the
 *	verdict's (auth_verdict_free) or static.
 */
#ifndef SEALIST_AUTH_H
#define SEALIST_AUTH_H

#include <stddef.h>
#include <time.h>

#include "arc/arc.h"
#include "authres/authres.h"
#include "dkim/dkim.h"
#include "dmarc/dmarc.h"
#include "dns/dns.h"
#include "msg/msg.h"
#include "spf/spf.h"

/* The SMTP envelope as far as the MTA told us; NULL: unknown. */
struct auth_envelope {
	const char *client_ip;		/* text, IPv4 or IPv6 */
	const char *helo;
	const char *mail_from;		/* without <>; "" is the null sender */
	const char *receiver;		/* our host name, SPF's %{r} */
};

struct auth_opts {
	const char *authserv_id;	/* ours: forged fields are those
					   claiming it */
	const char *const *trusted_ids;	/* upstream authserv-ids whose spf
					   results we believe */
	size_t	ntrusted;
	enum dmarc_mode dmarc_mode;	/* DMARC_TREEWALK by default */
	struct dns_resolver *resolver;	/* every lookup; required */
	time_t	now;			/* signatures' t=/x=, SPF %{t} */
	unsigned dns_budget_ms;		/* 0: LIMIT_AUTH_DNS_MS */
	int	min_rsa_bits;		/* 0: 1024 (RFC 8301) */
	struct dkim_key_cache *key_cache;	/* decoded keys of this thread,
					   or NULL (lib/dkim) */
};

/* DMARC_TREEWALK, now = time(NULL), the rest 0/NULL. */
extern void auth_opts_init(struct auth_opts *);

enum auth_spf_source {
	AUTH_SPF_NOT_CHECKED = 0,	/* no client address, no trusted field */
	AUTH_SPF_EVALUATED,		/* check_host() run here */
	AUTH_SPF_TRUSTED,		/* taken from a trusted upstream field */
};

struct auth_spf {
	enum spf_result result;
	enum auth_spf_source source;
	char   *mailfrom;		/* the identity checked (smtp.mailfrom) */
	char   *helo;			/* smtp.helo */
	char   *domain;			/* DMARC's SPF identifier, or NULL */
	char   *reason;			/* one line, or NULL */
	char   *upstream;		/* AUTH_SPF_TRUSTED: its authserv-id */
};

/* DMARC for one author domain. */
struct auth_dmarc {
	char   *domain;
	struct dmarc_verdict v;
};

enum auth_adsp_result {
	AUTH_ADSP_NOT_CHECKED = 0,	/* DMARC applies, or no single author */
	AUTH_ADSP_NONE,			/* RFC 5617 5.4 results from here on */
	AUTH_ADSP_PASS,
	AUTH_ADSP_UNKNOWN,
	AUTH_ADSP_FAIL,
	AUTH_ADSP_DISCARD,
	AUTH_ADSP_NXDOMAIN,
	AUTH_ADSP_TEMPERROR,
	AUTH_ADSP_PERMERROR,
};
/* "not checked", "none", "pass", "unknown", "fail", "discard", ... */
extern const char *auth_adsp_str(enum auth_adsp_result);

struct auth_verdict {
	struct dkim_verify_result dkim;	/* one per DKIM-Signature */
	struct auth_spf spf;

	enum dmarc_from from_status;	/* how many author domains */
	const char *from_reason;	/* static, for logs */
	struct auth_dmarc *dmarc;	/* one per author domain evaluated */
	size_t	ndmarc;
	size_t	decisive;		/* the entry that decides (ndmarc > 0) */
	int	authors_truncated;	/* more domains than were evaluated */

	struct arc_result arc;
	enum auth_adsp_result adsp;

	size_t	forged_authres;		/* A-R fields claiming our id */
	unsigned dns_queries;		/* questions asked (cache hits too) */
	int	dns_budget_spent;	/* the budget ran out: results partial */
	char   *client_ip;		/* for smtp.remote-ip, or NULL */
};

/*
 * Authenticate msg.  Returns 0 with *v filled (free with
 * auth_verdict_free), or -1 with *error_r (no memory, no resolver);
 * *v is always initialized.  DNS failures are results, not errors.
 */
extern int auth_check(const struct msg *, const struct auth_envelope *,
		      const struct auth_opts *, struct auth_verdict *v,
		      const char **error_r);
extern void auth_verdict_free(struct auth_verdict *);

/* The decisive DMARC result, or NULL when DMARC was not evaluated. */
extern const struct auth_dmarc *auth_dmarc_decisive(const struct auth_verdict *);

/*
 * The Authentication-Results payload for authserv_id: one dkim result
 * per signature (none when unsigned), spf, dmarc (for each author
 * domain), dkim-adsp when looked up, and arc.  NULL with *error_r on
 * bad input or no memory.
 */
extern struct authres *auth_verdict_authres(const struct auth_verdict *,
					    const char *authserv_id,
					    const char **error_r);

/*
 * Append one line per component ("dkim: pass d=... s=...", "spf: ...",
 * "dmarc: ...", "arc: ...", "dkim-adsp: ...", "authres: ..."), each
 * ending in "\n", for sealist auth check and logs.  0, or -1 when out
 * refuses.
 */
extern int auth_verdict_describe(const struct auth_verdict *, struct buf *out);

#endif
