/*
 * NAME
 *	dmarc_adsp 3
 * SUMMARY
 *	Author Domain Signing Practices (RFC 5617, historic), for author
 *	domains without DMARC
 * DESCRIPTION
 *	RFC 5617 section 4.3: first the author domain's existence (one
 *	query; only NXDOMAIN means "out of scope" -- NODATA does not), then
 *	the TXT record at _adsp._domainkey.<domain>.  One valid record
 *	gives its practice; NXDOMAIN or no TXT record gives none; more than
 *	one record, or one that is not a valid ADSP record, is "undefined",
 *	reported as permerror; SERVFAIL and timeouts are temperror.
 *
 *	A valid record (section 4.2.1) is a tag-list starting with the
 *	lowercase "dkim" tag, WSP allowed around "=": dkim=unknown, all or
 *	discardable; any other hyphenated-word value is treated as unknown.
 *	Other tags are ignored.
 */
#include <string.h>

#include "dmarc/dmarc.h"
#include "dmarc/dmarc_int.h"

const char *dmarc_adsp_str(enum dmarc_adsp a)
{
	switch (a) {
	case DMARC_ADSP_NONE:
		return "none";
	case DMARC_ADSP_UNKNOWN:
		return "unknown";
	case DMARC_ADSP_ALL:
		return "all";
	case DMARC_ADSP_DISCARDABLE:
		return "discardable";
	case DMARC_ADSP_NXDOMAIN:
		return "nxdomain";
	case DMARC_ADSP_TEMPERROR:
		return "temperror";
	case DMARC_ADSP_PERMERROR:
		break;
	}
	return "permerror";
}

static int is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9');
}

enum dmarc_adsp dmarc_adsp_parse(const void *txt, size_t len)
{
	const unsigned char *s = txt;
	size_t	i = 0, v, vend;

	if (len > LIMIT_DMARC_RECORD || len < 5 || memcmp(s, "dkim", 4) != 0)
		return DMARC_ADSP_PERMERROR;
	for (i = 4; i < len && is_wsp(s[i]); i++)
		;
	if (i >= len || s[i] != '=')
		return DMARC_ADSP_PERMERROR;
	for (i++; i < len && is_wsp(s[i]); i++)
		;
	v = i;
	/* hyphenated-word = ALPHA [ *(ALPHA / DIGIT / "-") (ALPHA / DIGIT) ] */
	while (i < len && (is_alnum(s[i]) || s[i] == '-'))
		i++;
	vend = i;
	if (vend == v || !((s[v] >= 'a' && s[v] <= 'z') ||
			   (s[v] >= 'A' && s[v] <= 'Z')) || s[vend - 1] == '-')
		return DMARC_ADSP_PERMERROR;
	while (i < len && is_wsp(s[i]))
		i++;
	if (i < len && s[i] != ';')
		return DMARC_ADSP_PERMERROR;
	/* the rest of the tag-list is not interpreted; a NUL makes it
	   something other than text */
	if (memchr(s, '\0', len) != NULL)
		return DMARC_ADSP_PERMERROR;
	if (vend - v == 3 && memcmp(s + v, "all", 3) == 0)
		return DMARC_ADSP_ALL;
	if (vend - v == 11 && memcmp(s + v, "discardable", 11) == 0)
		return DMARC_ADSP_DISCARDABLE;
	return DMARC_ADSP_UNKNOWN;
}

enum dmarc_adsp dmarc_adsp(const struct dmarc_lookup *lk,
			   const char *author_domain, unsigned *queries)
{
	char	d[LIMIT_DOMAIN + 1];
	char	qname[LIMIT_DOMAIN + 32];
	struct dmarc_txt *txt = NULL;
	size_t	count = 0;
	enum dmarc_dns st;
	enum dmarc_adsp res;
	unsigned q = 0;

	if (!dmarc_name_norm(author_domain, d))
		return DMARC_ADSP_PERMERROR;
	/* Check Domain Scope */
	q++;
	st = lk->exists(lk->ctx, d);
	if (st == DMARC_DNS_TEMP) {
		res = DMARC_ADSP_TEMPERROR;
		goto out;
	}
	if (st == DMARC_DNS_NXDOMAIN) {
		res = DMARC_ADSP_NXDOMAIN;
		goto out;
	}
	/* Fetch Named ADSP Record */
	if (strlen(d) + 17 > 253) {
		res = DMARC_ADSP_NONE;	/* no such name can exist */
		goto out;
	}
	memcpy(qname, "_adsp._domainkey.", 17);
	memcpy(qname + 17, d, strlen(d) + 1);
	q++;
	st = lk->txt(lk->ctx, qname, &txt, &count);
	if (st == DMARC_DNS_TEMP)
		res = DMARC_ADSP_TEMPERROR;
	else if (st != DMARC_DNS_OK || count == 0)
		res = DMARC_ADSP_NONE;
	else if (count > 1)
		res = DMARC_ADSP_PERMERROR;
	else
		res = dmarc_adsp_parse(txt[0].data, txt[0].len);
	dmarc_txt_free(txt, count);
out:
	if (queries != NULL)
		*queries += q;
	return res;
}
