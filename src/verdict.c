/*
 * NAME
 *	verdict 3
 * SUMMARY
 *	auth verdict <-> the key=value lines kept in inbox.verdict
 * DESCRIPTION
 *	See verdict.h.  The text is ours (written by verdict_format), but it
 *	is read with the same care as anything else: lines and values are
 *	bounded by the fields they go into, and a line that does not fit is
 *	an error rather than a truncation.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "verdict.h"

static void verdict_copy(char *dst, size_t size, const char *src)
{
	size_t	n = src != NULL ? strlen(src) : 0;

	if (n >= size)
		n = 0;		/* cannot be one of ours: leave it unknown */
	memcpy(dst, src != NULL ? src : "", n);
	dst[n] = 0;
}

static const char *verdict_policy_text(enum dmarc_policy p)
{
	return p == DMARC_POLICY_NONE || p == DMARC_POLICY_QUARANTINE
	    || p == DMARC_POLICY_REJECT ? dmarc_policy_str(p) : "";
}

void verdict_summarize(const struct auth_verdict *v, const char *author_address,
		       struct verdict_summary *s)
{
	const struct auth_dmarc *d = auth_dmarc_decisive(v);

	memset(s, 0, sizeof(*s));
	verdict_copy(s->from_status, sizeof(s->from_status), dmarc_from_str(v->from_status));
	verdict_copy(s->spf, sizeof(s->spf), spf_result_str(v->spf.result));
	verdict_copy(s->arc, sizeof(s->arc), arc_cv_str(v->arc.cv));
	verdict_copy(s->author_address, sizeof(s->author_address), author_address);
	if (d == NULL) {
		verdict_copy(s->dmarc, sizeof(s->dmarc),
			     v->from_status == DMARC_FROM_NONE ? "none" : "permerror");
		return;
	}
	verdict_copy(s->dmarc, sizeof(s->dmarc), dmarc_result_str(d->v.result));
	verdict_copy(s->author, sizeof(s->author), d->domain);
	verdict_copy(s->org, sizeof(s->org), d->v.info.org_domain);
	verdict_copy(s->policy, sizeof(s->policy), verdict_policy_text(d->v.policy));
	s->adkim_strict = d->v.info.rec.adkim_strict;
	s->dns_error = d->v.result == DMARC_RESULT_TEMPERROR
	    || d->v.info.found == DMARC_FOUND_TEMPERROR;
}

int verdict_format(const struct verdict_summary *s, struct buf *out)
{
	buf_printf(out, "dmarc=%s\nauthor=%s\norg=%s\npolicy=%s\nadkim=%c\ndns_error=%d\n"
		   "from=%s\nspf=%s\narc=%s\nauthor_address=%s\n",
		   s->dmarc, s->author, s->org, s->policy, s->adkim_strict ? 's' : 'r',
		   s->dns_error, s->from_status, s->spf, s->arc, s->author_address);
	return buf_failed(out) ? -1 : 0;
}

/* One "key=value" line of len bytes into s. */
static int verdict_line(const char *line, size_t len, struct verdict_summary *s)
{
	static const struct {
		const char *key;
		size_t	offset, size;
	} fields[] = {
#define F(k, m) {k, offsetof(struct verdict_summary, m), sizeof(((struct verdict_summary *) 0)->m)}
		F("dmarc", dmarc), F("author", author), F("org", org), F("policy", policy),
		F("from", from_status), F("spf", spf), F("arc", arc),
		F("author_address", author_address),
#undef F
	};
	const char *eq = memchr(line, '=', len);
	size_t	klen, vlen, i;

	if (eq == NULL)
		return -1;
	klen = (size_t) (eq - line);
	vlen = len - klen - 1;
	if (klen == 5 && memcmp(line, "adkim", 5) == 0)
		s->adkim_strict = vlen == 1 && eq[1] == 's';
	else if (klen == 9 && memcmp(line, "dns_error", 9) == 0)
		s->dns_error = vlen == 1 && eq[1] == '1';
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strlen(fields[i].key) != klen || memcmp(fields[i].key, line, klen) != 0)
			continue;
		if (vlen >= fields[i].size)
			return -1;
		memcpy((char *) s + fields[i].offset, eq + 1, vlen);
		((char *) s + fields[i].offset)[vlen] = 0;
	}
	return 0;
}

int verdict_parse(const char *text, struct verdict_summary *s)
{
	const char *line, *end;

	memset(s, 0, sizeof(*s));
	for (line = text; *line; line = *end ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (end > line && verdict_line(line, (size_t) (end - line), s) < 0)
			return -1;
	}
	return 0;
}
