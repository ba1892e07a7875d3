/*
 * NAME
 *	spf_zone 3
 * SUMMARY
 *	an in-memory DNS table behind struct spf_lookups
 * DESCRIPTION
 *	For unit tests, the fuzz target and spf_tool: answers come from a
 *	list of records instead of a server.  Names compare without case
 *	and without a final dot.  A name with no record of the type asked
 *	is NODATA if it has other records, else NXDOMAIN; the types
 *	"SERVFAIL" and "TIMEOUT" make every question about the name fail
 *	that way.  A CNAME is followed (8 deep at most, then SERVFAIL, as
 *	a server does with a loop).  The text form (spf_zone_load) is one record a line,
 *	"NAME TYPE DATA", DATA running to the end of the line; "#" lines
 *	and blank lines are skipped.  MX data is "PREFERENCE EXCHANGE".
 *	Type "TXTX" is a TXT record written in hex, for octets a line
 *	cannot hold (newlines, NULs).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf/buf.h"
#include "spf/spf_zone.h"

struct zone_rr {
	char   *name;
	char   *type;
	char   *data;
	size_t	len;
};

struct spf_zone {
	struct zone_rr *rr;
	size_t	count;
	unsigned long queries;
};

struct spf_zone *spf_zone_new(void)
{
	return calloc(1, sizeof(struct spf_zone));
}

void spf_zone_free(struct spf_zone *z)
{
	size_t	i;

	if (z == NULL)
		return;
	for (i = 0; i < z->count; i++) {
		free(z->rr[i].name);
		free(z->rr[i].type);
		free(z->rr[i].data);
	}
	free(z->rr);
	free(z);
}

static char *dup_mem(const char *p, size_t n)
{
	char   *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

int spf_zone_add(struct spf_zone *z, const char *name, const char *type,
		 const char *data, size_t len)
{
	struct zone_rr *more = realloc(z->rr, (z->count + 1) * sizeof(*more));
	size_t	n = strlen(name);

	if (more == NULL)
		return -1;
	z->rr = more;
	if (n > 0 && name[n - 1] == '.')
		n--;
	more[z->count].name = dup_mem(name, n);
	more[z->count].type = dup_mem(type, strlen(type));
	more[z->count].data = dup_mem(data, len);
	more[z->count].len = len;
	if (more[z->count].name == NULL || more[z->count].type == NULL
	    || more[z->count].data == NULL)
		return -1;
	z->count++;
	return 0;
}


static int add_hex(struct spf_zone *z, const char *name, const char *hex,
		   size_t n)
{
	char   *bin;
	size_t	i;
	int	rc;

	if (name == NULL || (bin = malloc(n / 2 + 1)) == NULL)
		return -1;
	for (i = 0; i + 1 < n; i += 2) {
		int	hi = buf_hex_value((unsigned char) hex[i]);
		int	lo = buf_hex_value((unsigned char) hex[i + 1]);

		if (hi < 0 || lo < 0) {
			free(bin);
			return -1;
		}
		bin[i / 2] = (char) (hi * 16 + lo);
	}
	rc = spf_zone_add(z, name, "TXT", bin, n / 2);
	free(bin);
	return rc;
}

int spf_zone_load(struct spf_zone *z, const char *text, size_t len)
{
	size_t	i = 0;

	while (i < len) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t	n = nl ? (size_t) (nl - line) : len - i;
		const char *sp1, *sp2;
		char   *name, *type;
		int	rc;

		i += n + (nl != NULL);
		if (n == 0 || line[0] == '#')
			continue;
		if ((sp1 = memchr(line, ' ', n)) == NULL)
			return -1;
		sp2 = memchr(sp1 + 1, ' ', n - (size_t) (sp1 + 1 - line));
		if (sp2 == NULL)
			sp2 = line + n;
		name = dup_mem(line, (size_t) (sp1 - line));
		if (sp2 - sp1 == 5 && memcmp(sp1 + 1, "TXTX", 4) == 0) {
			rc = add_hex(z, name, sp2 < line + n ? sp2 + 1 : sp2,
				     (size_t) (line + n - sp2));
			free(name);
			if (rc < 0)
				return -1;
			continue;
		}
		type = dup_mem(sp1 + 1, (size_t) (sp2 - sp1 - 1));
		rc = name && type ? spf_zone_add(z, name, type,
			sp2 < line + n ? sp2 + 1 : sp2,
			sp2 < line + n ? (size_t) (line + n - sp2 - 1) : 0) : -1;
		free(name);
		free(type);
		if (rc < 0)
			return -1;
	}
	return 0;
}

unsigned long spf_zone_queries(const struct spf_zone *z)
{
	return z->queries;
}

static int same_name(const char *rr, const char *q)
{
	size_t	n = strlen(q);

	if (n > 0 && q[n - 1] == '.')
		n--;
	return strlen(rr) == n && strncasecmp(rr, q, n) == 0;
}

/* Status for (name, type); calls fn on each matching record. */
static enum dns_status find(struct spf_zone *z, const char *name,
			    const char *type,
			    int (*fn)(void *, const struct zone_rr *),
			    void *arg)
{
	size_t	i;
	int	exists = 0, found = 0, hops;

	z->queries++;
	for (hops = 0; hops <= 8; hops++) {
		for (i = 0; i < z->count; i++)
			if (same_name(z->rr[i].name, name)
			    && strcmp(z->rr[i].type, "CNAME") == 0)
				break;
		if (i == z->count)
			break;
		name = z->rr[i].data;
	}
	if (hops > 8)
		return DNS_SERVFAIL;
	for (i = 0; i < z->count; i++) {
		if (!same_name(z->rr[i].name, name))
			continue;
		exists = 1;
		if (strcmp(z->rr[i].type, "SERVFAIL") == 0)
			return DNS_SERVFAIL;
		if (strcmp(z->rr[i].type, "TIMEOUT") == 0)
			return DNS_TIMEOUT;
	}
	for (i = 0; i < z->count; i++)
		if (same_name(z->rr[i].name, name)
		    && strcasecmp(z->rr[i].type, type) == 0) {
			if (fn(arg, &z->rr[i]) < 0)
				return DNS_ERROR;
			found = 1;
		}
	return found ? DNS_OK : exists ? DNS_NODATA : DNS_NXDOMAIN;
}

static int grow(void **arr, size_t *count, size_t size)
{
	void   *more = realloc(*arr, (*count + 1) * size);

	if (more == NULL)
		return -1;
	*arr = more;
	return 0;
}

static int add_txt(void *arg, const struct zone_rr *rr)
{
	struct dns_txt_answer *a = arg;

	if (grow((void **) &a->txt, &a->count, sizeof(*a->txt)) < 0)
		return -1;
	a->txt[a->count].data = (unsigned char *) dup_mem(rr->data, rr->len);
	a->txt[a->count].len = rr->len;
	if (a->txt[a->count].data == NULL)
		return -1;
	a->count++;
	return 0;
}

static int add_a(void *arg, const struct zone_rr *rr)
{
	struct dns_a_answer *a = arg;

	if (grow((void **) &a->addr, &a->count, sizeof(*a->addr)) < 0
	    || inet_pton(AF_INET, rr->data, &a->addr[a->count]) != 1)
		return -1;
	a->count++;
	return 0;
}

static int add_aaaa(void *arg, const struct zone_rr *rr)
{
	struct dns_aaaa_answer *a = arg;

	if (grow((void **) &a->addr, &a->count, sizeof(*a->addr)) < 0
	    || inet_pton(AF_INET6, rr->data, &a->addr[a->count]) != 1)
		return -1;
	a->count++;
	return 0;
}

static int add_mx(void *arg, const struct zone_rr *rr)
{
	struct dns_mx_answer *a = arg;
	const char *sp = strchr(rr->data, ' ');
	unsigned pref = 0;
	const char *p;

	if (sp == NULL
	    || grow((void **) &a->mx, &a->count, sizeof(*a->mx)) < 0)
		return -1;
	for (p = rr->data; p < sp && *p >= '0' && *p <= '9'; p++)
		pref = pref * 10 + (unsigned) (*p - '0');
	a->mx[a->count].preference = pref;
	if ((a->mx[a->count].exchange = dup_mem(sp + 1, strlen(sp + 1)))
	    == NULL)
		return -1;
	a->count++;
	return 0;
}

static int add_ptr(void *arg, const struct zone_rr *rr)
{
	struct dns_ptr_answer *a = arg;

	if (grow((void **) &a->name, &a->count, sizeof(*a->name)) < 0
	    || (a->name[a->count] = dup_mem(rr->data, rr->len)) == NULL)
		return -1;
	a->count++;
	return 0;
}

static enum dns_status z_txt(void *ctx, const char *name,
			     struct dns_txt_answer *out)
{
	enum dns_status st;

	memset(out, 0, sizeof(*out));
	if ((st = find(ctx, name, "TXT", add_txt, out)) != DNS_OK)
		dns_txt_answer_free(out);
	return st;
}

static enum dns_status z_a(void *ctx, const char *name,
			   struct dns_a_answer *out)
{
	enum dns_status st;

	memset(out, 0, sizeof(*out));
	if ((st = find(ctx, name, "A", add_a, out)) != DNS_OK)
		dns_a_answer_free(out);
	return st;
}

static enum dns_status z_aaaa(void *ctx, const char *name,
			      struct dns_aaaa_answer *out)
{
	enum dns_status st;

	memset(out, 0, sizeof(*out));
	if ((st = find(ctx, name, "AAAA", add_aaaa, out)) != DNS_OK)
		dns_aaaa_answer_free(out);
	return st;
}

static enum dns_status z_mx(void *ctx, const char *name,
			    struct dns_mx_answer *out)
{
	enum dns_status st;

	memset(out, 0, sizeof(*out));
	if ((st = find(ctx, name, "MX", add_mx, out)) != DNS_OK)
		dns_mx_answer_free(out);
	return st;
}

static enum dns_status z_ptr(void *ctx, const char *name,
			     struct dns_ptr_answer *out)
{
	enum dns_status st;

	memset(out, 0, sizeof(*out));
	if ((st = find(ctx, name, "PTR", add_ptr, out)) != DNS_OK)
		dns_ptr_answer_free(out);
	return st;
}

struct spf_lookups spf_zone_lookups(struct spf_zone *z)
{
	struct spf_lookups l = { z, z_txt, z_a, z_aaaa, z_mx, z_ptr };

	return l;
}
