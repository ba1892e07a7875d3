/*
 * NAME
 *	route 3
 * SUMMARY
 *	recipient address -> (list, role, tag)
 * DESCRIPTION
 *	See route.h.  The suffixes are those store_list_check_name forbids
 *	at the end of a list's own name, so "dev-request" can only ever be
 *	dev's request address, never a list of its own.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "route.h"
#include "sealist_limits.h"

static const struct {
	const char *suffix;
	enum route_role role;
} route_suffixes[] = {
	{"-request", ROUTE_REQUEST}, {"-owner", ROUTE_OWNER},
	{"-bounces", ROUTE_BOUNCES}, {"-confirm", ROUTE_CONFIRM},
	{"-join", ROUTE_JOIN}, {"-leave", ROUTE_LEAVE},
};

const char *route_role_str(enum route_role r)
{
	static const char *const names[] = {
		"post", "request", "owner", "bounces", "confirm", "join", "leave",
		"dmarc-report",
	};

	return (size_t) r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

void route_free(struct route *r)
{
	free(r->list);
	free(r->tag);
	r->list = r->tag = NULL;
}

/* The role a local part's ending names; *len_r shortened by the suffix. */
static enum route_role route_role_of(const char *local, size_t *len_r)
{
	size_t	i, n;

	for (i = 0; i < sizeof(route_suffixes) / sizeof(route_suffixes[0]); i++) {
		n = strlen(route_suffixes[i].suffix);
		if (*len_r > n && strncasecmp(local + *len_r - n, route_suffixes[i].suffix, n) == 0) {
			*len_r -= n;
			return route_suffixes[i].role;
		}
	}
	return ROUTE_POST;
}

static char *route_lower(const char *p, size_t len)
{
	char   *s = malloc(len + 1);
	size_t	i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		s[i] = (char) (p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
	s[len] = 0;
	return s;
}

/*
 * Where the tag starts: after "-bounces" or "-confirm" followed by the
 * delimiter (so a '-' delimiter still works); NULL when there is none.
 */
static const char *route_tag_start(const char *local, size_t len, char delimiter)
{
	static const char *const tagged[] = { "-bounces", "-confirm" };
	size_t	i, k, n;

	if (delimiter == 0)
		return NULL;
	for (i = 0; i < 2; i++) {
		n = strlen(tagged[i]);
		for (k = 1; k + n < len; k++)
			if (local[k + n] == delimiter && strncasecmp(local + k, tagged[i], n) == 0)
				return local + k + n;
	}
	return NULL;
}

int route_parse(const char *address, char delimiter, struct route *out)
{
	const char *at = strrchr(address, '@');
	const char *delim;
	size_t	list_len, domain_len;
	char   *local, *domain;

	memset(out, 0, sizeof(*out));
	if (at == NULL || at == address || at[1] == 0
	    || (size_t) (at - address) > LIMIT_LOCAL_PART || strlen(at + 1) > LIMIT_DOMAIN)
		return -1;
	delim = route_tag_start(address, (size_t) (at - address), delimiter);
	list_len = (size_t) ((delim != NULL ? delim : at) - address);
	out->role = route_role_of(address, &list_len);
	if (list_len == 0)
		return -1;
	domain_len = strlen(at + 1);
	local = route_lower(address, list_len);
	domain = route_lower(at + 1, domain_len);
	out->tag = delim != NULL ? strndup(delim + 1, (size_t) (at - delim - 1)) : strdup("");
	out->list = local != NULL && domain != NULL ? malloc(list_len + domain_len + 2) : NULL;
	if (out->list != NULL) {
		memcpy(out->list, local, list_len);
		out->list[list_len] = '@';
		memcpy(out->list + list_len + 1, domain, domain_len + 1);
	}
	free(local);
	free(domain);
	if (out->list == NULL || out->tag == NULL) {
		route_free(out);
		return -1;
	}
	return 0;
}

/*
 * address is report_local@DOMAIN (local part whole, case ignored) and
 * DOMAIN has a list: 0 with out filled; 1 not; -1 the store failed.
 */
static int route_report(struct store *s, const char *address, const char *report_local,
			struct route *out, const char **error_r)
{
	const char *at = strrchr(address, '@');
	size_t	n = report_local != NULL ? strlen(report_local) : 0;
	int	status;

	memset(out, 0, sizeof(*out));
	if (n == 0 || at == NULL || (size_t) (at - address) != n
	    || strncasecmp(address, report_local, n) != 0 || at[1] == 0
	    || strlen(at + 1) > LIMIT_DOMAIN)
		return 1;
	out->role = ROUTE_DMARC_REPORT;
	out->list = route_lower(address, strlen(address));
	out->tag = strdup("");
	if (out->list == NULL || out->tag == NULL) {
		route_free(out);
		*error_r = "out of memory";
		return -1;
	}
	status = store_dmarcmail_domain_list(s, out->list + n + 1, &out->list_id, error_r);
	if (status == STORE_OK)
		return 0;
	route_free(out);
	return status == STORE_ERROR ? -1 : 1;
}

int route_lookup(struct store *s, const char *address, char delimiter,
		 const char *report_local, struct route *out, const char **error_r)
{
	int	status;

	if (route_parse(address, delimiter, out) == 0) {
		if ((status = store_list_id(s, out->list, &out->list_id, error_r)) == STORE_OK)
			return 0;
		route_free(out);
		if (status == STORE_ERROR)
			return -1;
	}
	return route_report(s, address, report_local, out, error_r);
}
