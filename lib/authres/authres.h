/*
 * NAME
 *	authres 3h
 * SUMMARY
 *	Authentication-Results (RFC 8601): parse, generate, forged-field removal
 * SYNOPSIS
 *	#include <authres/authres.h>
 * DESCRIPTION
 *	A struct authres is one Authentication-Results payload: the
 *	authserv-id, an optional version and a list of results (none at all
 *	means the "none" form of RFC 8601 section 2.2).  Each result has a
 *	method (optionally with a version), a result keyword, an optional
 *	reason and a list of ptype.property=value properties.  Keywords
 *	(method, result, ptype, property) are stored in lower case; values,
 *	reasons and the authserv-id are stored unquoted (quoted-pairs
 *	resolved), exactly as the sender meant them.
 *
 *	Parsing (authres_parse) takes the raw field value after the colon,
 *	folding included, and never needs a NUL.  It accepts CFWS anywhere the
 *	grammar does, missing spaces, unknown methods and ptypes, and unquoted
 *	values with '/', '=' or '@' in them (real signers write header.b=a/b=),
 *	but refuses a field it cannot read as a whole: a result or property
 *	without '=', an unterminated comment or quoted-string, more than
 *	LIMIT_AUTHRES_RESULTS results or LIMIT_AUTHRES_PROPS properties in one
 *	result, or a value longer than LIMIT_AUTHRES_FIELD.
 *
 *	Generating: authres_new, then authres_add (or the per-method helpers)
 *	and authres_add_prop, then authres_format_field for the whole field
 *	"Authentication-Results: ..." or authres_format for the payload alone
 *	(an ARC-Authentication-Results writer puts "i=N; " before it).  The
 *	text is folded with "\r\n\t" before a piece that would pass column 78;
 *	a piece longer than a line is broken before one of its spaces (only
 *	quoted-strings and comments have any; FWS is allowed there), or else
 *	stays whole.  Property values that are not an RFC 2045 token, nor an
 *	identity local-part@domain, are written as a quoted-string with '"'
 *	and '\' escaped; the authserv-id is a token or a quoted-string;
 *	reasons are always quoted; comments escape '(', ')' and '\'.
 *	Control bytes (CR, LF, NUL, ...) in caller text become spaces, so no
 *	caller text can add a line, a ';' outside quotes, or a property.
 *
 *	Forged fields (RFC 8601 section 5; the OpenDKIM CVE-2022-48521 class).
 *	authres_is_ours decides whether one field value claims our authserv-id:
 *	  1. The RFC reading: CFWS skipped, the first value (token, or
 *	     quoted-string unquoted) compared with ours ignoring ASCII case and
 *	     trailing dots.  Equal: ours.
 *	  2. When the field is not clean up to the first ';' -- a lexical
 *	     error (unterminated comment or quote), no value at all, or the
 *	     value followed by anything but CFWS, a version and ';' or the
 *	     end -- other parsers may read it differently.  It is then ours
 *	     if our authserv-id occurs anywhere in the value once comments,
 *	     whitespace, quotes and backslashes are squeezed out, ignoring case.
 *	A clean field whose authserv-id is not ours is never removed.  Rule 2
 *	may remove a broken foreign field; that is the safe direction.
 *
 *	Trusted SPF (authres_trusted_spf): only Authentication-Results fields
 *	at the top of the message are believed.  The fields are taken from the
 *	top down; the walk stops at the first one that does not parse or whose
 *	authserv-id is not trusted, since anything below it may come from
 *	outside the trust boundary.  The first spf result found in that run
 *	wins.  This relies on the MTA adding its field at the top (they all
 *	do) and, as RFC 8601 section 5 asks, removing forged ones; an MTA that
 *	adds no field of its own leaves the sender's topmost field in front,
 *	so trusted ids must name only MTAs that always add one.
 *
 *	Memory: every struct authres is the caller's to authres_free; strings
 *	inside it belong to it.  Functions never log or exit.
 */
#ifndef SEALIST_AUTHRES_H
#define SEALIST_AUTHRES_H

#include <stddef.h>

#include "buf/buf.h"
#include "msg/msg.h"

struct authres_prop {
	char   *ptype;			/* lower case, e.g. "header" */
	char   *property;		/* lower case, e.g. "d" */
	char   *value;			/* unquoted */
};

struct authres_result {
	char   *method;			/* lower case, e.g. "dkim" */
	unsigned method_version;	/* 0: absent */
	char   *result;			/* lower case, e.g. "pass" */
	char   *reason;			/* unquoted; NULL: absent */
	char   *comment;		/* generation only: written as a
					 * comment after the result; NULL:
					 * none.  The parser skips comments. */
	struct authres_prop *props;
	size_t	nprops;
};

struct authres {
	char   *authserv_id;
	unsigned version;		/* 0: absent */
	struct authres_result *results;
	size_t	nresults;		/* 0: "none" */
};

/* Parsing. */

/*
 * Parse a raw Authentication-Results value (after the colon).  Returns 0
 * and sets *ar_r, or -1 and sets *error_r to a static string.
 */
extern int authres_parse(const void *value, size_t len, struct authres **ar_r,
			 const char **error_r);

/*
 * Same for an ARC-Authentication-Results value "i=N; payload"
 * (RFC 8617 section 4.1.1); *instance_r gets N (1..50).
 */
extern int authres_parse_aar(const void *value, size_t len,
			     unsigned *instance_r, struct authres **ar_r,
			     const char **error_r);

/* The first result of a method (lower case), or NULL. */
extern const struct authres_result *authres_find(const struct authres *,
						 const char *method);

/* The value of ptype.property in a result, or NULL. */
extern const char *authres_prop(const struct authres_result *,
				const char *ptype, const char *property);

extern void authres_free(struct authres *);

/* Generation.  Each returns 0, or -1 with a static *error_r. */

/* A new payload for authserv_id (non-empty, no control bytes); NULL with
 * *error_r on bad input or no memory. */
extern struct authres *authres_new(const char *authserv_id,
				   const char **error_r);

/*
 * Add a result.  method and result must be keywords (letters, digits,
 * '-'); for dkim, spf, dmarc, arc and dkim-adsp the result must be one the
 * RFCs register for that method.  reason may be NULL (an empty one is
 * left out too); it is cut to LIMIT_AUTHRES_VALUE bytes.
 */
extern int authres_add(struct authres *, const char *method,
		       const char *result, const char *reason,
		       const char **error_r);

/* Add ptype.property=value to the last result; value NULL adds nothing.
 * A value longer than LIMIT_AUTHRES_VALUE is refused. */
extern int authres_add_prop(struct authres *, const char *ptype,
			    const char *property, const char *value,
			    const char **error_r);

/* Set the comment of the last result (cut like a reason). */
extern int authres_set_comment(struct authres *, const char *comment,
			       const char **error_r);

/* Per-method helpers; NULL arguments are left out. */
struct authres_dkim {
	const char *result;
	const char *reason;
	const char *d;			/* header.d */
	const char *i;			/* header.i */
	const char *s;			/* header.s */
	const char *a;			/* header.a */
	const char *b;			/* the whole b= tag; header.b gets the
					 * first AUTHRES_DKIM_B_CHARS base64
					 * characters (RFC 6008 section 4) */
};
#define AUTHRES_DKIM_B_CHARS	16

extern int authres_add_dkim(struct authres *, const struct authres_dkim *,
			    const char **error_r);
extern int authres_add_spf(struct authres *, const char *result,
			   const char *reason, const char *mailfrom,
			   const char *helo, const char **error_r);
/* policy: policy.dmarc (RFC 9989: none, quarantine or reject); p and dis
 * go into a comment "(p=P dis=DIS)" as OpenDMARC writes it. */
extern int authres_add_dmarc(struct authres *, const char *result,
			     const char *reason, const char *header_from,
			     const char *policy, const char *p,
			     const char *dis, const char **error_r);
/* RFC 8617 section 6: smtp.remote-ip and header.oldest-pass (< 0: absent). */
extern int authres_add_arc(struct authres *, const char *result,
			   const char *reason, const char *remote_ip,
			   long oldest_pass, const char **error_r);
/* RFC 5617 section 5.4 results; header.from. */
extern int authres_add_adsp(struct authres *, const char *result,
			    const char *reason, const char *header_from,
			    const char **error_r);

/*
 * Append the payload (authserv-id, version, results or "none"), folded as
 * if its first byte were at column `column` (0-based).  Returns 0, or -1
 * when out refuses.
 */
extern int authres_format(const struct authres *, size_t column,
			  struct buf *out);

/* Append "Authentication-Results: " and the payload. */
extern int authres_format_field(const struct authres *, struct buf *out);

/* Forged fields and trust (rules above). */

/* 1 if this raw field value claims authserv_id, else 0. */
extern int authres_is_ours(const void *value, size_t len,
			   const char *authserv_id);

/*
 * Indices of every Authentication-Results field claiming authserv_id, in
 * header order; at most max are stored, the total is returned.
 */
extern size_t authres_find_ours(const struct msg *, const char *authserv_id,
				size_t *indices, size_t max);

/* Remove them all; returns how many were removed. */
extern size_t authres_remove_forged(struct msg *, const char *authserv_id);

struct authres_spf {
	char   *authserv_id;		/* as written in the field */
	char   *result;			/* lower case */
	char   *mailfrom;		/* smtp.mailfrom; NULL: absent */
	char   *helo;			/* smtp.helo; NULL: absent */
};

/*
 * The spf result from the run of trusted fields at the top.  Returns 1
 * and fills *spf (free with authres_spf_free), 0 if there is none, -1 when
 * memory runs out.
 */
extern int authres_trusted_spf(const struct msg *,
			       const char *const *trusted_ids, size_t ntrusted,
			       struct authres_spf *spf);
extern void authres_spf_free(struct authres_spf *);

#endif
