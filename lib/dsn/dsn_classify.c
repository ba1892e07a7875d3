/*
 * NAME
 *	dsn_classify 3
 * SUMMARY
 *	hard, soft or DMARC-caused: judging one status and diagnostic
 * DESCRIPTION
 *	A list must never unsubscribe a member because the list's mail
 *	failed someone's DMARC (or SPF/DKIM) check at the member's
 *	provider: that is the author's domain policy, not the member's
 *	mailbox.  Providers say so in different words, so the codes
 *	(RFC 7372's x.7.20-x.7.26, Microsoft's x.7.509) come first, then
 *	the text of the usual catch-alls (x.7.1, x.7.0, Yahoo's x.7.9).
 *	The rules are listed in dsn.h.
 */
#include <string.h>

#include "dsn/dsn_int.h"

static int has(const char *s, const char *needle)
{
	return s != NULL &&
		dsn_ci_find((const unsigned char *) s, strlen(s), needle) != NULL;
}

/* "x.7.N" -> N, or -1 when the subject is not 7 (security/policy). */
static int policy_detail(const char *code)
{
	const char *p;
	int	n = 0, k = 0;

	if (code[0] == 0 || strncmp(code + 1, ".7.", 3) != 0)
		return -1;
	for (p = code + 4; *p >= '0' && *p <= '9' && k < 4; p++, k++)
		n = n * 10 + (*p - '0');
	return k > 0 ? n : -1;
}

/* Text that blames the message's authentication, not the mailbox. */
static int auth_text(const char *st, const char *dg)
{
	if (has(st, "dmarc") || has(dg, "dmarc"))
		return 1;
	if (has(st, "unauthenticated") || has(dg, "unauthenticated"))
		return 1;
	if (!has(st, "policy") && !has(dg, "policy"))
		return 0;
	return has(st, "authenticat") || has(dg, "authenticat") ||
		has(st, "spf") || has(dg, "spf") ||
		has(st, "dkim") || has(dg, "dkim");
}

static int dmarc_caused(const char *code, int cls, const char *st, const char *dg)
{
	int	d = policy_detail(code);

	if (cls != 4 && cls != 5)
		return 0;
	if (d == 26 || d == 509 || (d >= 20 && d <= 25))
		return 1;
	if (d == 9 && (has(st, "policy") || has(dg, "policy")))
		return 1;
	return auth_text(st, dg);
}

/* The enhanced code of status, else of diagnostic, into code[16]. */
static void find_code(const char *st, const char *dg, char *code)
{
	code[0] = 0;
	if (st != NULL && dsn_find_status((const unsigned char *) st,
					  strlen(st), code))
		return;
	if (dg != NULL)
		(void) dsn_find_status((const unsigned char *) dg, strlen(dg), code);
}

enum dsn_class dsn_classify(const char *status, const char *diagnostic)
{
	char	code[16];
	int	cls = 0, reply = 0;

	find_code(status, diagnostic, code);
	if (code[0] != 0)
		cls = code[0] - '0';
	if (status != NULL)
		reply = dsn_find_reply((const unsigned char *) status, strlen(status));
	if (reply == 0 && diagnostic != NULL)
		reply = dsn_find_reply((const unsigned char *) diagnostic,
				       strlen(diagnostic));
	if (cls == 0 && reply != 0)
		cls = reply / 100;
	if (dmarc_caused(code, cls, status, diagnostic))
		return DSN_DMARC;
	if (cls == 5)
		return DSN_HARD;
	if (cls == 4)
		return DSN_SOFT;
	return DSN_OTHER;
}

const char *dsn_class_name(enum dsn_class c)
{
	switch (c) {
	case DSN_HARD:
		return "hard";
	case DSN_SOFT:
		return "soft";
	case DSN_DMARC:
		return "dmarc";
	case DSN_OTHER:
		break;
	}
	return "other";
}
