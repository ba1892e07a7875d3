/*
 * NAME
 *	dsn_fields 3
 * SUMMARY
 *	the fields of a message/delivery-status part (RFC 3464 section 2)
 * DESCRIPTION
 *	The part is a per-message group, then per-recipient groups, each
 *	a block of header-like fields separated by an empty line; fields
 *	may fold.  The fields of one group are gathered, then the group
 *	becomes a recipient if it names an address.  Real reports bend the
 *	rules, so: the order of fields in a group is free; a second
 *	Final-Recipient in one group (an MTA that forgot the empty line)
 *	starts a new recipient; a group cut short (a truncated report)
 *	still counts with what it has.  Values are copied with their
 *	folding undone and cut to the sizes of struct dsn_recipient.
 */
#include <string.h>

#include "dsn/dsn_int.h"

struct group {
	struct dsn_recipient r;
	int	final, any;
};

/* The value after "type;" ("rfc822; a@b", "smtp; 550 ..."); the whole
 * value when there is no type. */
static void skip_type(const unsigned char **v, size_t *n)
{
	const unsigned char *semi = memchr(*v, ';', *n);
	size_t	i;

	if (semi == NULL)
		return;
	for (i = 0; *v + i < semi; i++)
		if ((*v)[i] == '<' || (*v)[i] == '@' || (*v)[i] == '"')
			return;		/* "a;b@x" is not a type */
	*n -= (size_t) (semi + 1 - *v);
	*v = semi + 1;
}

static void copy_addr(char *dst, const unsigned char *v, size_t n)
{
	skip_type(&v, &n);
	dsn_copy(dst, DSN_ADDRESS_SIZE, v, n);
	n = strlen(dst);
	if (n >= 2 && dst[0] == '<' && dst[n - 1] == '>') {
		memmove(dst, dst + 1, n - 2);
		dst[n - 2] = 0;
	}
}

static void lower_str(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char) (*s + 32);
}

/* Turn a finished group into a recipient: action and class. */
static void judge(struct dsn_recipient *r)
{
	lower_str(r->action);
	r->cls = dsn_classify(r->status, r->diagnostic);
	if (strcmp(r->action, "failed") == 0) {
		r->failed = 1;
	} else if (strcmp(r->action, "delayed") == 0) {
		if (r->cls != DSN_DMARC)
			r->cls = DSN_SOFT;
	} else if (strcmp(r->action, "delivered") == 0 ||
		   strcmp(r->action, "relayed") == 0 ||
		   strcmp(r->action, "expanded") == 0) {
		r->cls = DSN_OTHER;
	} else {
		/* No or unknown Action (a cut report): a permanent status
		 * can only report a failure (RFC 3464 section 2.3.4). */
		r->failed = r->status[0] == '5';
	}
}

/* Append the gathered group to rep if it names anyone; 1, 0 or -1. */
static int flush(struct group *g, struct dsn_report *rep)
{
	struct dsn_recipient *r;
	int	rc;

	if (g->r.address[0] == 0 && g->r.original[0] != 0)
		memcpy(g->r.address, g->r.original, sizeof(g->r.address));
	if (g->r.address[0] == 0) {
		memset(g, 0, sizeof(*g));
		return 0;
	}
	judge(&g->r);
	if ((rc = dsn_add(rep, &r)) == 1)
		*r = g->r;
	memset(g, 0, sizeof(*g));
	return rc;
}

static int name_is(const unsigned char *n, size_t len, const char *want)
{
	return strlen(want) == len && dsn_ci_starts(n, len, want);
}

/* One field of a group; may flush first.  Returns as flush(). */
static int field(struct group *g, const unsigned char *n, size_t nlen,
		 const unsigned char *v, size_t vlen, struct dsn_report *rep)
{
	int	rc = 0;

	if (name_is(n, nlen, "Final-Recipient")) {
		if (g->final)
			rc = flush(g, rep);
		g->final = 1;
		copy_addr(g->r.address, v, vlen);
	} else if (name_is(n, nlen, "Original-Recipient")) {
		if (g->r.original[0] != 0 || (g->final && g->r.action[0] != 0))
			rc = flush(g, rep);
		copy_addr(g->r.original, v, vlen);
	} else if (name_is(n, nlen, "Action")) {
		dsn_copy(g->r.action, sizeof(g->r.action), v, vlen);
	} else if (name_is(n, nlen, "Status")) {
		if (!dsn_find_status(v, vlen, g->r.status))
			g->r.status[0] = 0;
	} else if (name_is(n, nlen, "Diagnostic-Code")) {
		skip_type(&v, &vlen);
		dsn_copy(g->r.diagnostic, sizeof(g->r.diagnostic), v, vlen);
	} else if (name_is(n, nlen, "Remote-MTA")) {
		skip_type(&v, &vlen);
		dsn_copy(g->r.remote_mta, sizeof(g->r.remote_mta), v, vlen);
	}
	return rc;
}

/* Split a field's first line at the colon; 0 if it is not a field. */
static int split(const unsigned char *l, size_t n, size_t *nlen_r)
{
	const unsigned char *colon = memchr(l, ':', n);
	size_t	k;

	if (colon == NULL || colon == l)
		return 0;
	k = (size_t) (colon - l);
	while (k > 0 && (l[k - 1] == ' ' || l[k - 1] == '\t'))
		k--;
	*nlen_r = k;
	return k > 0;
}

struct pending {
	const unsigned char *name, *value, *end;
	size_t	nlen;
};

static int emit(struct group *g, struct pending *p, struct dsn_report *rep)
{
	int	rc = 0;

	if (p->name != NULL)
		rc = field(g, p->name, p->nlen, p->value,
			   (size_t) (p->end - p->value), rep);
	p->name = NULL;
	return rc;
}

int dsn_parse_fields(const void *data, size_t len, struct dsn_report *rep)
{
	const unsigned char *d = data, *l;
	size_t	pos = 0, n, nlen, before = rep->count;
	struct group g;
	struct pending p = { NULL, NULL, NULL, 0 };

	memset(&g, 0, sizeof(g));
	while (dsn_line(d, len, &pos, &l, &n)) {
		if (n > 0 && (l[0] == ' ' || l[0] == '\t')) {
			if (p.name != NULL)
				p.end = l + n;	/* continuation */
			continue;
		}
		if (emit(&g, &p, rep) < 0)
			return -1;
		if (n == 0) {
			if (flush(&g, rep) < 0)
				return -1;
			continue;
		}
		if (split(l, n, &nlen)) {
			p.name = l;
			p.nlen = nlen;
			p.value = (const unsigned char *) memchr(l, ':', n) + 1;
			p.end = l + n;
		}
	}
	if (emit(&g, &p, rep) < 0 || flush(&g, rep) < 0)
		return -1;
	return (int) (rep->count - before);
}
