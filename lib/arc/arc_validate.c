/*
 * NAME
 *	arc_validate 3
 * SUMMARY
 *	ARC chain validation (RFC 8617 section 5.2)
 * DESCRIPTION
 *	The steps of section 5.2 in order: collect the sets (every ARC
 *	field is parsed first, so a malformed one fails the chain before any
 *	DNS query), the cv= of the newest seal, the structure (1..N, one of
 *	each field per instance, cv= none at 1 and pass above), the newest
 *	AMS, the oldest-pass walk over older AMSes (step 5, optional, done
 *	because a list wants to report it), and every AS from N down to 1.
 *
 *	The AS hash input (section 5.1.1) is, for instances 1..i in order,
 *	the AAR, AMS and AS fields in relaxed canonical form, the AS being
 *	verified last with its b= value left out and no final CRLF.
 */
#include <stdlib.h>
#include <string.h>

#include "arc/arc_int.h"
#include "buf/buf.h"
#include "sealist_limits.h"

/* What one instance has: field indexes and counts, parsed AMS and AS. */
struct slot {
	long	idx[3];			/* by enum arc_kind; -1 none */
	int	count[3];
	struct arc_sig ams, as;
};

struct chain {
	struct slot s[LIMIT_ARC_INSTANCES + 1];	/* 1-based */
	int	n;				/* highest instance */
	size_t	fields;
};

static void chain_free(struct chain *c)
{
	int	i;

	for (i = 1; i <= LIMIT_ARC_INSTANCES; i++) {
		arc_sig_free(&c->s[i].ams);
		arc_sig_free(&c->s[i].as);
	}
}

#define FAIL(res, i, why)	do { (res)->cv = ARC_CV_FAIL; \
		(res)->fail_instance = (i); (res)->reason = (why); } while (0)

/* Step 1: collect and parse.  0 collected, 1 failed (res set), -1 nomem. */
static int collect(const struct msg *m, struct chain *c, struct arc_result *res)
{
	size_t	i;

	for (i = 0; i < msg_field_count(m); i++) {
		const struct msg_field *f = msg_field(m, i);
		enum arc_kind kind;
		struct arc_sig tmp;
		const char *err;
		int	inst;

		if (f->name == NULL || arc_field_kind(f->name, f->name_len, &kind) < 0)
			continue;
		if (++c->fields > LIMIT_ARC_FIELDS) {
			FAIL(res, 0, "more than 50 ARC sets");
			return 1;
		}
		if (kind == ARC_AAR) {
			if ((inst = arc_aar_instance(f->value, f->value_len, &err)) < 0) {
				FAIL(res, 0, "malformed AAR");
				res->detail = err;
				return 1;
			}
		} else {
			if (arc_sig_parse(kind, f->value, f->value_len, &tmp, &err) < 0) {
				if (strcmp(err, "out of memory") == 0)
					return -1;
				FAIL(res, 0, kind == ARC_AMS ? "malformed AMS" : "malformed AS");
				res->detail = err;
				return 1;
			}
			inst = tmp.instance;
			if (c->s[inst].count[kind] == 0) {
				if (kind == ARC_AMS)
					c->s[inst].ams = tmp;
				else
					c->s[inst].as = tmp;
			} else
				arc_sig_free(&tmp);
		}
		if (c->s[inst].count[kind]++ == 0)
			c->s[inst].idx[kind] = (long) i;
		if (inst > c->n)
			c->n = inst;
	}
	return 0;
}

/* Step 3: the structure. */
static int structure(struct chain *c, struct arc_result *res)
{
	static const char *const missing[3] = {
		"missing AAR", "missing AMS", "missing AS",
	};
	static const char *const dup[3] = {
		"duplicate AAR", "duplicate AMS", "duplicate AS",
	};
	int	i, k;

	for (i = 1; i <= c->n; i++) {
		for (k = 0; k < 3; k++) {
			if (c->s[i].count[k] == 0) {
				FAIL(res, i, missing[k]);
				return 1;
			}
			if (c->s[i].count[k] > 1) {
				FAIL(res, i, dup[k]);
				return 1;
			}
		}
		if (c->s[i].as.cv == ARC_CV_FAIL) {
			FAIL(res, i, "AS with cv=fail below the newest");
			return 1;
		}
		if (i == 1 && c->s[i].as.cv != ARC_CV_NONE) {
			FAIL(res, i, "AS i=1 has cv other than none");
			return 1;
		}
		if (i > 1 && c->s[i].as.cv != ARC_CV_PASS) {
			FAIL(res, i, "AS i>1 has cv other than pass");
			return 1;
		}
	}
	return 0;
}

/* The AS hash input for instance `upto`: sets from..upto, see above. */
int arc_seal_input(const struct msg *m, const long (*idx)[3], int from,
		   int upto, struct buf *out)
{
	int	i;

	for (i = from; i <= upto; i++) {
		if (dkim_canon_header(DKIM_CANON_RELAXED, msg_field(m, (size_t) idx[i][ARC_AAR]),
				      1, out) < 0
		    || dkim_canon_header(DKIM_CANON_RELAXED,
					 msg_field(m, (size_t) idx[i][ARC_AMS]), 1, out) < 0)
			return -1;
		if (i < upto) {
			if (dkim_canon_header(DKIM_CANON_RELAXED,
					      msg_field(m, (size_t) idx[i][ARC_AS]), 1, out) < 0)
				return -1;
		} else if (dkim_canon_header_nob(DKIM_CANON_RELAXED,
						 msg_field(m, (size_t) idx[i][ARC_AS]), out) < 0)
			return -1;
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int fill_sets(struct chain *c, struct arc_result *res)
{
	int	i;

	if (c->n < 1 || c->n > LIMIT_ARC_INSTANCES
	    || (res->sets = calloc((size_t) c->n, sizeof(*res->sets))) == NULL)
		return -1;
	res->count = (size_t) c->n;
	for (i = 1; i <= c->n; i++) {
		struct arc_set_result *r = &res->sets[i - 1];

		r->instance = i;
		r->aar_index = (size_t) c->s[i].idx[ARC_AAR];
		r->ams_index = (size_t) c->s[i].idx[ARC_AMS];
		r->as_index = (size_t) c->s[i].idx[ARC_AS];
		r->as_cv = c->s[i].as.cv;
		r->ams_domain = dup_or_null(c->s[i].ams.sig.domain);
		r->ams_selector = dup_or_null(c->s[i].ams.sig.selector);
		r->as_domain = dup_or_null(c->s[i].as.sig.domain);
		r->as_selector = dup_or_null(c->s[i].as.sig.selector);
		if (r->ams_domain == NULL || r->ams_selector == NULL
		    || r->as_domain == NULL || r->as_selector == NULL)
			return -1;
	}
	return 0;
}

static int verify_ams(const struct msg *m, const struct dkim_verify_opts *o,
		      struct chain *c, int i, struct arc_set_result *r)
{
	struct dkim_sig_result sr;

	memset(&sr, 0, sizeof(sr));
	if (dkim_verify_sig(m, o, &c->s[i].ams.sig, (size_t) c->s[i].idx[ARC_AMS],
			    &sr) < 0)
		return -1;
	r->ams_result = sr.result;
	r->ams_reason = sr.reason;
	return 0;
}

int arc_validate(const struct msg *m, const struct dkim_verify_opts *o,
		 struct arc_result *res)
{
	struct chain *c;
	long	idx[LIMIT_ARC_INSTANCES + 1][3];
	int	i, rc;

	memset(res, 0, sizeof(*res));
	res->oldest_pass = -1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	for (i = 0; i <= LIMIT_ARC_INSTANCES; i++)
		c->s[i].idx[0] = c->s[i].idx[1] = c->s[i].idx[2] = -1;
	if ((rc = collect(m, c, res)) != 0)
		goto done;
	res->max_instance = c->n;
	if (c->n == 0) {
		res->cv = ARC_CV_NONE;
		goto done;
	}
	/* Step 2. */
	if (c->s[c->n].count[ARC_AS] > 0 && c->s[c->n].as.cv == ARC_CV_FAIL) {
		res->top_cv_fail = 1;
		FAIL(res, c->n, "newest AS has cv=fail");
		goto done;
	}
	if (structure(c, res) != 0)
		goto done;
	if ((rc = fill_sets(c, res)) < 0)
		goto done;
	/* Step 4. */
	if ((rc = verify_ams(m, o, c, c->n, &res->sets[c->n - 1])) < 0)
		goto done;
	if (res->sets[c->n - 1].ams_result != DKIM_PASS) {
		FAIL(res, c->n, "newest AMS did not validate");
		res->detail = res->sets[c->n - 1].ams_reason;
		goto done;
	}
	/* Step 5 (optional): oldest-pass. */
	res->oldest_pass = 0;
	for (i = c->n - 1; i >= 1; i--) {
		if ((rc = verify_ams(m, o, c, i, &res->sets[i - 1])) < 0)
			goto done;
		if (res->sets[i - 1].ams_result != DKIM_PASS) {
			res->oldest_pass = i + 1;
			break;
		}
	}
	/* Step 6. */
	for (i = 1; i <= c->n; i++) {
		idx[i][0] = c->s[i].idx[0];
		idx[i][1] = c->s[i].idx[1];
		idx[i][2] = c->s[i].idx[2];
	}
	for (i = c->n; i >= 1; i--) {
		struct arc_set_result *r = &res->sets[i - 1];
		const struct dkim_sig *s = &c->s[i].as.sig;
		struct buf in;

		buf_init(&in, 4 * (size_t) LIMIT_HEADER_BLOCK);
		if (arc_seal_input(m, (const long (*)[3]) idx, 1, i, &in) < 0) {
			buf_free(&in);
			rc = -1;
			goto done;
		}
		r->as_result = dkim_verify_data(o, s->algo, s->domain, s->selector,
						in.data, in.len, s->b, s->b_len,
						&r->as_reason);
		buf_free(&in);
		if (r->as_result != DKIM_PASS) {
			FAIL(res, i, "AS did not validate");
			res->detail = r->as_reason;
			goto done;
		}
	}
	res->cv = ARC_CV_PASS;
done:
	chain_free(c);
	free(c);
	if (rc < 0)
		arc_result_free(res);
	return rc < 0 ? -1 : 0;
}

void arc_result_free(struct arc_result *res)
{
	size_t	i;

	for (i = 0; i < res->count; i++) {
		free(res->sets[i].ams_domain);
		free(res->sets[i].ams_selector);
		free(res->sets[i].as_domain);
		free(res->sets[i].as_selector);
	}
	free(res->sets);
	res->sets = NULL;
	res->count = 0;
}
