/*
 * NAME
 *	dmarc_int 3h
 * SUMMARY
 *	lib/dmarc internals shared by its files (not for other modules)
 */
#ifndef SEALIST_DMARC_INT_H
#define SEALIST_DMARC_INT_H

#include "dmarc/dmarc.h"
#include "sealist_limits.h"

enum { Q_FOUND = 1, Q_NONE = 0, Q_TEMP = -2, Q_NOMEM = -1 };

struct dmarc_walk_hit {
	const char *name;		/* points into walk.domain */
	size_t	labels;
	struct dmarc_record rec;
};

struct dmarc_walk {
	const char *domain;		/* where the walk started */
	struct dmarc_walk_hit hit[LIMIT_DMARC_TREEWALK];
	size_t	n;			/* records found, longest name first */
	unsigned asked;			/* names asked */
	unsigned queries;
	int	temp;			/* a query failed temporarily */
	int	start_several;		/* several records at the start */
};

extern int dmarc_name_norm(const char *name, char *out);
extern int dmarc_name_within(const char *a, const char *b);
extern int dmarc_query(const struct dmarc_lookup *, const char *domain,
		       struct dmarc_record *rec, int *several,
		       unsigned *queries);
extern int dmarc_walk(const struct dmarc_lookup *, const char *domain,
		      struct dmarc_walk *w);
extern void dmarc_walk_free(struct dmarc_walk *w);
extern const char *dmarc_walk_org(const struct dmarc_walk *w,
				  const struct dmarc_walk_hit **hit_r);
extern const char *dmarc_psl_org(const char *d);

#endif
