/*
 * NAME
 *	dmarc 3h
 * SUMMARY
 *	DMARC policy discovery, identifier alignment and disposition
 *	(RFC 9989, RFC 7489 mode), and legacy ADSP (RFC 5617)
 * SYNOPSIS
 *	#include <dmarc/dmarc.h>
 * DESCRIPTION
 *	This module owns the DMARC decision for one message: which author
 *	domain it has (dmarc_author_domain), which DMARC Policy Record
 *	applies (dmarc_discover), whether an authenticated identifier is
 *	aligned with the author domain and what disposition follows
 *	(dmarc_evaluate); and, for domains without DMARC, the historic ADSP
 *	practice (dmarc_adsp).  It does not verify DKIM or evaluate SPF: the
 *	caller passes their results in.
 *
 *	Two modes.  DMARC_TREEWALK (the default, RFC 9989 section 4.10):
 *	organizational domains come from the DNS tree walk, psd= is
 *	honoured, t=y lowers the policy one level, pct= is ignored (historic,
 *	RFC 9989 section 9.3).  DMARC_PSL (RFC 7489 section 3.2): the
 *	organizational domain is the registrable domain of libpsl's list,
 *	psd= and t= are ignored, pct= samples with the injected random source.
 *	In both, np= applies to non-existent subdomains (RFC 9989 section
 *	4.10.1; for the RFC 7489 mode that is RFC 9091 section 4), a name
 *	being non-existent when a query for it gets NXDOMAIN (RFC 9989
 *	section 3.2.13, RFC 8020).
 *
 *	DNS goes through struct dmarc_lookup (a function-pointer table with
 *	a context) so that unit tests use an in-memory table;
 *	dmarc_lookup_dns() adapts lib/dns.  Nothing here logs or exits; all
 *	strings returned are malloc'd and owned by the structure returned
 *	(free functions given) or static.  Untrusted inputs (records, names)
 *	are read with their lengths and capped (lib/sealist_limits.h).
 */
#ifndef SEALIST_DMARC_H
#define SEALIST_DMARC_H

#include <stddef.h>

struct msg;
struct dns_resolver;

/* ---- Records (dmarc_record.c) ---- */

enum dmarc_policy {
	DMARC_POLICY_UNSET = 0,		/* tag absent */
	DMARC_POLICY_NONE,
	DMARC_POLICY_QUARANTINE,
	DMARC_POLICY_REJECT,
	DMARC_POLICY_INVALID,		/* tag present, value not valid */
};

enum dmarc_psd {
	DMARC_PSD_U = 0,		/* default: unknown */
	DMARC_PSD_Y,
	DMARC_PSD_N,
};

/* fo= bits */
#define DMARC_FO_0	(1u << 0)
#define DMARC_FO_1	(1u << 1)
#define DMARC_FO_D	(1u << 2)
#define DMARC_FO_S	(1u << 3)

/* rf= bits (RFC 7489 only) */
#define DMARC_RF_AFRF	(1u << 0)

struct dmarc_record {
	enum dmarc_policy p, sp, np;
	int	adkim_strict;		/* adkim=s */
	int	aspf_strict;		/* aspf=s */
	int	t;			/* t=y (RFC 9989) */
	enum dmarc_psd psd;		/* RFC 9989 */
	unsigned pct;			/* RFC 7489; 100 unless valid pct= */
	int	pct_set;		/* a valid pct= was present */
	unsigned fo;			/* DMARC_FO_*; DMARC_FO_0 by default */
	unsigned rf;			/* DMARC_RF_*; AFRF by default */
	unsigned long ri;		/* RFC 7489; 86400 by default */
	char   *rua;			/* raw value or NULL (malloc'd) */
	char   *ruf;
	size_t	rua_valid;		/* syntactically valid URIs in rua= */
	size_t	ruf_valid;
	unsigned invalid;		/* tags present with invalid values,
					   as DMARC_BAD_* bits */
};
#define DMARC_BAD_P	(1u << 0)
#define DMARC_BAD_SP	(1u << 1)
#define DMARC_BAD_NP	(1u << 2)
#define DMARC_BAD_OTHER	(1u << 3)	/* any other tag (default used) */

/*
 * Parse one TXT record (len bytes, no terminator needed, NULs refused).
 * Returns 1 and fills *rec (free with dmarc_record_free) when the record
 * starts with "v=DMARC1" (case-sensitive value, WSP around '=' allowed,
 * RFC 9989 section 4.8); 0 when it is not a DMARC record and must be
 * discarded (v= missing, not first, or another value; a NUL; a
 * malformed tag list: *error_r says which); -1 with *error_r on a record
 * longer than LIMIT_DMARC_RECORD or no memory.  Unknown tags are
 * ignored; a known tag with an invalid value keeps its default and sets
 * a DMARC_BAD_* bit (section 4.8: "discarded in favor of default
 * values").  A tag given twice: the first counts.  *rec is always
 * initialized.
 */
extern int dmarc_record_parse(const void *txt, size_t len,
			      struct dmarc_record *rec, const char **error_r);
extern void dmarc_record_free(struct dmarc_record *);

/*
 * The policy the record asks for once invalid tags are taken into
 * account (RFC 9989 section 4.10.1, RFC 7489 section 6.6.3 step 6):
 * if p is absent or invalid, or sp/np is invalid, the record counts as
 * "p=none" when rua= has at least one valid URI, and otherwise DMARC
 * does not apply: returns 0.  Else returns 1.
 */
extern int dmarc_record_usable(const struct dmarc_record *);

extern const char *dmarc_policy_str(enum dmarc_policy);	/* "none", ... */

/* ---- Lookups ---- */

enum dmarc_dns {
	DMARC_DNS_OK = 0,	/* records (TXT) / the name has the type */
	DMARC_DNS_NXDOMAIN,
	DMARC_DNS_NODATA,
	DMARC_DNS_TEMP,		/* SERVFAIL, timeout, bad answer: temperror */
};

struct dmarc_txt {
	unsigned char *data;	/* malloc'd, NUL after len */
	size_t	len;
};

struct dmarc_lookup {
	/* TXT at name: on DMARC_DNS_OK *txt_r is a malloc'd array of
	   *count_r >= 1 malloc'd records (freed with dmarc_txt_free). */
	enum dmarc_dns (*txt)(void *ctx, const char *name,
			      struct dmarc_txt **txt_r, size_t *count_r);
	/* Does name exist?  A query of any type; only NXDOMAIN counts. */
	enum dmarc_dns (*exists)(void *ctx, const char *name);
	void   *ctx;
};

extern void dmarc_txt_free(struct dmarc_txt *, size_t count);

/* lookups through lib/dns (TXT, and A for existence); r must outlive it */
extern struct dmarc_lookup dmarc_lookup_dns(struct dns_resolver *r);

/* ---- Policy discovery (dmarc_discover.c) ---- */

enum dmarc_mode {
	DMARC_TREEWALK = 0,	/* RFC 9989 section 4.10 */
	DMARC_PSL,		/* RFC 7489 section 3.2, libpsl */
};

enum dmarc_found {
	DMARC_FOUND_NONE = 0,	/* no usable record: DMARC does not apply */
	DMARC_FOUND_AUTHOR,	/* record at the author domain: p= */
	DMARC_FOUND_ORG,	/* at the organizational domain: sp=/np= */
	DMARC_FOUND_PSD,	/* at the public suffix domain: sp=/np= */
	DMARC_FOUND_TEMPERROR,	/* a DNS query failed temporarily */
};

struct dmarc_policy_info {
	enum dmarc_found found;
	struct dmarc_record rec;	/* valid when found is AUTHOR/ORG/PSD */
	char   *record_domain;		/* where rec was found (no "_dmarc.") */
	char   *org_domain;		/* author domain's organizational domain */
	int	author_exists;		/* 1, 0 (NXDOMAIN), -1 not checked */
	enum dmarc_policy policy;	/* p, sp or np as RFC 9989 4.10.1 */
	int	forced_none;		/* invalid p/sp/np + rua: p=none */
	unsigned queries;		/* DNS queries made */
	const char *reason;		/* static text */
};

/*
 * Find the DMARC Policy Record for author_domain (lowercase A-labels;
 * a trailing dot is allowed) and the author domain's organizational
 * domain, in the given mode.  Returns 0 with *out filled (also when no
 * record: found == DMARC_FOUND_NONE, or TEMPERROR), -1 on a bad domain
 * name or no memory, *out still initialized with reason set.
 * Several DMARC records at one name count as none there (RFC 9989
 * section 4.10 step 2).  The author's existence is checked (one more
 * query) only when the record found is not the author's and has np=.
 */
extern int dmarc_discover(const struct dmarc_lookup *, const char *author_domain,
			  enum dmarc_mode mode, struct dmarc_policy_info *out);
extern void dmarc_policy_info_free(struct dmarc_policy_info *);

/*
 * The organizational domain of any domain (a DKIM d= or SPF domain) in
 * the mode: malloc'd into *org_r.  Returns 0, 1 for a temporary DNS
 * failure (tree walk only; *org_r NULL), -1 bad name / no memory.
 */
extern int dmarc_org_domain(const struct dmarc_lookup *, const char *domain,
			    enum dmarc_mode mode, char **org_r,
			    unsigned *queries);

/* ---- Evaluation (dmarc_eval.c) ---- */

enum dmarc_result {
	DMARC_RESULT_NONE = 0,
	DMARC_RESULT_PASS,
	DMARC_RESULT_FAIL,
	DMARC_RESULT_TEMPERROR,
	DMARC_RESULT_PERMERROR,	/* the author domain cannot be looked up */
};

enum dmarc_auth {		/* a DKIM or SPF result, as far as DMARC cares */
	DMARC_AUTH_NONE = 0,
	DMARC_AUTH_PASS,
	DMARC_AUTH_FAIL,	/* or anything else that is not pass */
};

struct dmarc_dkim_result {
	const char *domain;	/* d= */
	enum dmarc_auth result;
};

enum dmarc_aligned {
	DMARC_ALIGNED_NONE = 0,
	DMARC_ALIGNED_DKIM = 1,
	DMARC_ALIGNED_SPF = 2,	/* bits: both may be set */
};

struct dmarc_input {
	const char *author_domain;
	const struct dmarc_dkim_result *dkim;
	size_t	dkim_count;		/* at most LIMIT_DMARC_DKIM looked at */
	enum dmarc_auth spf;
	const char *spf_domain;		/* MAIL FROM (or HELO) domain */
	enum dmarc_mode mode;
	/* Random number in [0, 100) for pct= sampling (DMARC_PSL only);
	   NULL: getrandom(2). */
	unsigned (*random100)(void *ctx);
	void   *random_ctx;
};

struct dmarc_verdict {
	enum dmarc_result result;
	unsigned aligned;		/* DMARC_ALIGNED_* */
	char   *aligned_dkim_domain;	/* d= that aligned, or NULL */
	enum dmarc_policy policy;	/* p/sp/np chosen (UNSET if none) */
	enum dmarc_policy disposition;	/* what to do: none/quarantine/reject */
	int	sampled_out;		/* pct= or t=y lowered the policy */
	struct dmarc_policy_info info;
	char	reason[160];		/* one line, for logs / A-R comments */
};

/*
 * Evaluate (RFC 9989 sections 5.3.2-5.3.6).  Returns 0 with *out
 * filled (free with dmarc_verdict_free) or -1 on no memory.  DNS
 * failures give DMARC_RESULT_TEMPERROR with disposition none (section
 * 5.3.6: the policy cannot be applied).
 */
extern int dmarc_evaluate(const struct dmarc_lookup *,
			  const struct dmarc_input *, struct dmarc_verdict *out);
extern void dmarc_verdict_free(struct dmarc_verdict *);
extern const char *dmarc_result_str(enum dmarc_result);

/*
 * The author domain (RFC 9989 section 5.3.1, RFC 7489 section 6.6.1).
 * Every From field is parsed; *domain_r gets a malloc'd lowercase domain
 * when exactly one domain is named, else NULL; *why_r a static text.
 *	OK		one From field naming one domain (one or more
 *			mailboxes, all in that domain: RFC 9989 5.3.1 asks
 *			for one *domain*, so this is evaluated)
 *	NONE		no From field, or one naming no mailbox (empty group)
 *	MULTIPLE_FIELDS	several From fields (invalid per RFC 5322 3.6);
 *			*domain_r is still set when they name one domain,
 *			so a caller may evaluate, but should rather reject
 *	MULTIPLE_DOMAINS mailboxes in different domains: DMARC validation
 *			is not possible (5.3.1); see 11.5 for the risk
 *	UNPARSABLE	the From value is not an address list, or a domain
 *			literal / non-ASCII domain (no A-label conversion)
 * Returns -1 only on no memory.
 */
enum dmarc_from {
	DMARC_FROM_OK = 0,
	DMARC_FROM_NONE,
	DMARC_FROM_MULTIPLE_FIELDS,
	DMARC_FROM_MULTIPLE_DOMAINS,
	DMARC_FROM_UNPARSABLE,
};
extern int dmarc_author_domain(const struct msg *, char **domain_r,
			       const char **why_r);
extern const char *dmarc_from_str(enum dmarc_from);

/* ---- ADSP, RFC 5617 (dmarc_adsp.c) ---- */

enum dmarc_adsp {
	DMARC_ADSP_NONE = 0,	/* no ADSP record */
	DMARC_ADSP_UNKNOWN,	/* dkim=unknown (or an unknown value) */
	DMARC_ADSP_ALL,
	DMARC_ADSP_DISCARDABLE,
	DMARC_ADSP_NXDOMAIN,	/* author domain does not exist: out of scope */
	DMARC_ADSP_TEMPERROR,
	DMARC_ADSP_PERMERROR,	/* several records or an invalid one
				   ("undefined", section 4.3) */
};

/* RFC 5617 section 4.3; *queries (may be NULL) adds the queries made. */
extern enum dmarc_adsp dmarc_adsp(const struct dmarc_lookup *,
				  const char *author_domain, unsigned *queries);
/* Parse one ADSP record: the practice, or PERMERROR if not valid. */
extern enum dmarc_adsp dmarc_adsp_parse(const void *txt, size_t len);
extern const char *dmarc_adsp_str(enum dmarc_adsp);

#endif
