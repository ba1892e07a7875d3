/*
 * NAME
 *	arc 3h
 * SUMMARY
 *	Authenticated Received Chain: validate and seal (RFC 8617)
 * SYNOPSIS
 *	#include <arc/arc.h>
 * DESCRIPTION
 *	The module owns the three ARC fields (ARC-Authentication-Results,
 *	ARC-Message-Signature, ARC-Seal): parsing their values, checking the
 *	chain's structure and signatures (section 5.2) and adding a new ARC
 *	Set (section 5.1).  Hashes, canonicalization, keys, key records and
 *	signatures are lib/dkim's; this module only decides which octets go
 *	in and in what order.
 *
 *	Like lib/dkim it never logs or exits: results carry a short static
 *	reason ("instance gap at i=2", "AMS i=3: body hash mismatch").
 *	Field parsers take a length and are capped (LIMIT_ARC_*) and fuzzed.
 *	Keys come through the caller's dkim_verify_opts (lookup, now,
 *	min_rsa_bits); per section 5.2.1 every error, DNS ones included,
 *	makes the chain fail.
 */
#ifndef SEALIST_ARC_H
#define SEALIST_ARC_H

#include <stddef.h>

#include "dkim/dkim.h"
#include "msg/msg.h"

/* Chain Validation Status, section 4.4. */
enum arc_cv { ARC_CV_NONE, ARC_CV_PASS, ARC_CV_FAIL };
extern const char *arc_cv_str(enum arc_cv);		/* "none", "pass", "fail" */

/* ---- field values ---------------------------------------------------- */

enum arc_kind { ARC_AAR, ARC_AMS, ARC_AS };

/*
 * A parsed AMS or AS.  sig holds what lib/dkim needs to verify it (for an
 * AS: algo, domain, selector, b, timestamp; header_canon relaxed, no h=,
 * no bh=); identity is always NULL.
 */
struct arc_sig {
	enum arc_kind kind;
	int	instance;		/* i=, 1..LIMIT_ARC_INSTANCES */
	enum arc_cv cv;			/* AS only: cv= */
	struct dkim_sig sig;
};

/*
 * Which ARC field is this name (exact, case-insensitive)?  0 and *kind_r
 * set, or -1 for any other name.
 */
extern int arc_field_kind(const char *name, size_t len, enum arc_kind *kind_r);

/*
 * The instance of an AAR value ("i=" 1*DIGIT [FWS] ";" ...), 1..50, or
 * -1 with *error_r.
 */
extern int arc_aar_instance(const void *value, size_t len, const char **error_r);

/*
 * Parse an AMS (kind ARC_AMS) or AS (ARC_AS) value over [value,
 * value+len).  AMS: DKIM-Signature syntax (RFC 6376 section 3.5) with no
 * v= (ignored if present), i= the instance, a= rsa-sha256 or
 * ed25519-sha256 (rsa-sha1 refused), c= default simple/simple (RFC 6376,
 * which section 4.1.2 imports; dkimpy assumes relaxed/relaxed), h= may
 * be empty or hold empty entries (they select nothing; dkimpy and the
 * ARC test suite accept them) but may not name ARC-Seal (section 4.1.2;
 * a signed AAR or AMS is tolerated, as early sealers signed their AAR).  AS: i, a, b, cv, d, s, t only meaningful; h= refused
 * (section 4.1.3), cv= none/pass/fail.  Tag names and values are case-
 * sensitive; unknown tags are ignored; duplicates are an error; values
 * over LIMIT_DKIM_TAG_LIST are refused.  0, or -1 with a static reason
 * and an empty struct (nothing to free).
 */
extern int arc_sig_parse(enum arc_kind, const void *value, size_t len,
			 struct arc_sig *, const char **error_r);
extern void arc_sig_free(struct arc_sig *);

/* ---- validation (section 5.2) ---------------------------------------- */

struct arc_set_result {
	int	instance;
	size_t	aar_index, ams_index, as_index;	/* msg field indexes */
	char   *ams_domain, *ams_selector;	/* NULL if unparsable */
	char   *as_domain, *as_selector;
	enum arc_cv as_cv;
	/* DKIM_NONE: not checked (the algorithm stopped before it). */
	enum dkim_result ams_result, as_result;
	const char *ams_reason, *as_reason;	/* static, NULL on pass */
};

struct arc_result {
	enum arc_cv cv;
	const char *reason;		/* why fail (static); NULL otherwise:
					   "malformed AMS", "missing AS", "duplicate
					   AAR", "newest AS has cv=fail", "newest AMS
					   did not validate", "AS did not validate",
					   "more than 50 ARC sets", ... */
	const char *detail;		/* the parser's or lib/dkim's reason
					   ("bad c= tag", "body hash mismatch",
					   "key not found"), or NULL */
	int	fail_instance;		/* the instance the reason is about, 0 none */
	int	max_instance;		/* N: highest instance seen (0: none) */
	int	top_cv_fail;		/* the AS of instance N says cv=fail */
	/* Section 5.2 step 5: 0 every AMS passed, M+1 when AMS M failed,
	   -1 not determined (the chain did not get that far). */
	int	oldest_pass;
	struct arc_set_result *sets;	/* instances 1..count, when the
					   structure was valid; else NULL */
	size_t	count;
};

/*
 * Validate msg's chain per section 5.2.  Returns 0 with res filled (cv
 * none, pass or fail and the reason), or -1 when memory runs out.  Free
 * res with arc_result_free.
 */
extern int arc_validate(const struct msg *, const struct dkim_verify_opts *,
			struct arc_result *res);
extern void arc_result_free(struct arc_result *);

/* ---- sealing (section 5.1) -------------------------------------------- */

struct arc_seal_opts {
	const char *domain;		/* d= of AMS and AS */
	const char *selector;		/* s= */
	const struct dkim_privkey *key;	/* decides a= */
	const char *authres;		/* the AAR payload after "i=N; ": the
					   A-R text "authserv-id; method=...",
					   folded with "\r\n\t" or "\n " if at all */
	const char *const *headers;	/* AMS h=; NULL: the DKIM defaults present
					   plus every DKIM-Signature.  ARC fields and
					   Authentication-Results are refused
					   (section 4.1.2) */
	long long timestamp;		/* t=, or -1 for none */
	enum arc_cv cv;			/* arc_validate()'s result for the chain
					   the message arrived with */
	/* Layout only: 1 writes tags in alphabetical order, "; " between
	   them, no folding (the ARC test suite's standard form); 0 (default)
	   "i= a= c= d= s= t= h= bh= b=" folded at about 78 columns. */
	int	sorted_tags;
};

/* timestamp -1, cv none, sorted_tags 0, the rest NULL. */
extern void arc_seal_opts_init(struct arc_seal_opts *);

/*
 * Add ARC Set N+1 (N: the highest instance on the message) on top of the
 * header: ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results,
 * in that order from the top.  AMS: relaxed/relaxed over the body and
 * the h= fields.  AS: cv= from opts; with cv pass or none it signs every
 * set 1..N+1 (section 5.1.1); with cv fail only the new set, as if it
 * were the only one (section 5.1.2).
 *
 * Returns 0 (sealed), 1 (not sealed, *error_r says why: the most recent
 * AS already says cv=fail, section 5.1 step 2; or there are already
 * LIMIT_ARC_INSTANCES sets), or -1 with *error_r (bad options, a chain
 * given as none/pass whose fields say otherwise, a message too large).
 * On 1 and -1 the message is unchanged.
 */
extern int arc_seal(struct msg *, const struct arc_seal_opts *,
		    const char **error_r);

#endif
