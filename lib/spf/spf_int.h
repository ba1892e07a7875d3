/*
 * NAME
 *	spf_int 3h
 * SUMMARY
 *	what the spf_*.c files share; not for users of the module
 * DESCRIPTION
 *	The parsed record (spf_record.c) and the macro environment
 *	(spf_macro.c), used by the evaluator (spf_eval.c).
 */
#ifndef SEALIST_SPF_INT_H
#define SEALIST_SPF_INT_H

#include "buf/buf.h"
#include "spf/spf.h"

enum spf_mech {
	SPF_M_ALL, SPF_M_INCLUDE, SPF_M_A, SPF_M_MX, SPF_M_PTR,
	SPF_M_IP4, SPF_M_IP6, SPF_M_EXISTS,
	SPF_M_REDIRECT, SPF_M_EXP, SPF_M_UNKNOWN_MOD,
};

/* One term; pointers into the record text. */
struct spf_term {
	enum spf_mech mech;
	char	qualifier;		/* '+', '-', '~', '?' */
	const char *text;		/* the whole term, as written */
	size_t	text_len;
	const char *arg;		/* domain-spec or macro-string; NULL */
	size_t	arg_len;
	int	cidr4, cidr6;		/* prefix lengths, 32/128 if none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	}	net;			/* ip4:/ip6: */
};

struct spf_record {
	struct spf_term *term;
	size_t	count;
	const struct spf_term *redirect;	/* NULL if none */
	const struct spf_term *exp;
	int	has_all;
};

/* 0 or -1 with *error_r; release with spf_record_free(). */
extern int spf_record_parse(const char *rec, size_t len,
			    struct spf_record *out, const char **error_r);
extern void spf_record_free(struct spf_record *);

/* 1 if rec/len starts "v=spf1" (any case) followed by SP or the end. */
extern int spf_record_is_spf1(const unsigned char *rec, size_t len);

/*
 * Macro expansion (section 7).  ptr_name is called for each %{p}: it
 * appends the validated name for the current d to out, or returns -1
 * ("unknown" is used); it must cache its DNS work.
 */
struct spf_macro_env {
	const char *s, *l, *o, *d, *h, *r;
	int	family;
	const void *ip;
	time_t	t;
	int	(*ptr_name)(void *arg, struct buf *out);
	void   *ptr_arg;
};

/* Syntax of a macro-string; exp allows c, r, t.  0 or -1. */
extern int spf_macro_check(const char *s, size_t len, int exp,
			   const char **error_r);
/* Expand into out (reset first); 0, or -1 with *error_r. */
extern int spf_macro_expand(struct spf_macro_env *env, const char *s,
			    size_t len, int exp, struct buf *out,
			    const char **error_r);

#endif
