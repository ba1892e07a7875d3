/*
 * NAME
 *	dsn_text 3
 * SUMMARY
 *	bounces that are not DSNs: qmail, Yahoo, Exim, Sendmail, Exchange,
 *	Gmail
 * DESCRIPTION
 *	Each format is known by a sentence its software always writes and
 *	lists the failed addresses in a fixed layout after it:
 *
 *	qmail (QSBMF) and Yahoo: "<addr>:" at the start of a line, then a
 *	paragraph of diagnostic, up to "--- Below this line ...".
 *	Exim: after "The following address(es) failed:", each address
 *	indented by two spaces, its diagnostic indented deeper.
 *	Sendmail: "----- The following addresses had permanent fatal errors
 *	-----", address lines, "(reason: ...)" lines.
 *	Exchange / Office 365: "Delivery has failed to these recipients or
 *	groups:" (or the older "cannot be reached:"), lines that start with
 *	an address, and "Remote Server returned '...'" or "<host #5.1.1
 *	smtp;...>" further down.
 *	Gmail: "Your message wasn't delivered to ADDR because ..." or
 *	"Delivery to the following recipient failed permanently:", then
 *	"The response (from the remote server) was:" and the reply.
 *
 *	A text without one of these sentences is not guessed at: a wrong
 *	guess could disable a member, while "unrecognised" only forwards the
 *	bounce to the owner.  A failure without any code is taken as hard,
 *	since all of these formats are sent when the MTA has given up.
 */
#include <string.h>

#include "dsn/dsn_int.h"

/* A section of text: [p, end). */
struct span {
	const unsigned char *p, *end;
};

static size_t span_len(const struct span *s)
{
	return (size_t) (s->end - s->p);
}

/* Add one recipient found in text.  failed 0 is a delay notice. */
static int add(struct dsn_report *rep, const char *address,
	       const unsigned char *diag, size_t dlen, int failed)
{
	struct dsn_recipient *r;
	int	rc;

	if ((rc = dsn_add(rep, &r)) != 1)
		return rc;
	dsn_copy(r->address, sizeof(r->address), address, strlen(address));
	if (diag != NULL)
		dsn_copy(r->diagnostic, sizeof(r->diagnostic), diag, dlen);
	(void) dsn_find_status((const unsigned char *) r->diagnostic,
			       strlen(r->diagnostic), r->status);
	r->cls = dsn_classify(r->status, r->diagnostic);
	r->failed = failed;
	memcpy(r->action, failed ? "failed" : "delayed", failed ? 7 : 8);
	if (!failed && r->cls != DSN_DMARC)
		r->cls = DSN_SOFT;
	else if (r->cls == DSN_OTHER)
		r->cls = DSN_HARD;
	return 1;
}

/* The text from the marker's line on, up to the first end marker. */
static int section(const unsigned char *t, size_t len, const char *marker,
		   struct span *s)
{
	static const char *const ends[] = {
		"--- Below this line is", "--- Enclosed are the original",
		"------ This is a copy of the message",
		"Original message headers:", "----- Original message -----",
		"------ Original message",
	};
	const unsigned char *m = dsn_ci_find(t, len, marker), *e;
	size_t	i;

	if (m == NULL)
		return 0;
	s->p = m;
	s->end = t + len;
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if ((e = dsn_ci_find(m, span_len(s), ends[i])) != NULL)
			s->end = e;
	return 1;
}

static int is_blank(const unsigned char *l, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t')
			return 0;
	return 1;
}

/* qmail and Yahoo: "<addr>:" then a paragraph. */
static int angle_paragraphs(const struct span *s, struct dsn_report *rep)
{
	const unsigned char *l, *dstart = NULL, *dend = NULL;
	size_t	pos = 0, n;
	char	addr[DSN_ADDRESS_SIZE];
	int	have = 0, rc, added = 0;

	while (dsn_line(s->p, span_len(s), &pos, &l, &n)) {
		int	head = n > 2 && l[0] == '<' &&
			dsn_ci_find(l, n, ">:") != NULL;

		if (have && (head || is_blank(l, n))) {
			if ((rc = add(rep, addr, dstart, (size_t) (dend - dstart), 1)) < 0)
				return -1;
			added += rc;
			have = 0;
		}
		if (head && dsn_find_addr(l, n, addr, sizeof(addr))) {
			have = 1;
			dstart = dend = l + n;
		} else if (have) {
			dend = l + n;
		}
	}
	if (have) {
		if ((rc = add(rep, addr, dstart, (size_t) (dend - dstart), 1)) < 0)
			return -1;
		added += rc;
	}
	return added;
}

static size_t indent(const unsigned char *l, size_t n)
{
	size_t	i = 0;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i += l[i] == '\t' ? 8 : 1;
	return i;
}

/* Exim: "  addr" lines, deeper lines are that address's diagnostic. */
static int exim_list(const struct span *s, int failed, struct dsn_report *rep)
{
	const unsigned char *l, *ds = NULL, *de = NULL;
	size_t	pos = 0, n;
	char	addr[DSN_ADDRESS_SIZE];
	int	have = 0, added = 0, rc;

	(void) dsn_line(s->p, span_len(s), &pos, &l, &n);	/* the marker */
	while (dsn_line(s->p, span_len(s), &pos, &l, &n)) {
		size_t	in = indent(l, n);
		int	head = in >= 1 && in <= 2 && n > in;

		if (have && (head || (n > 0 && in == 0))) {
			if ((rc = add(rep, addr, ds, (size_t) (de - ds), failed)) < 0)
				return -1;
			added += rc;
			have = 0;
		}
		if (head && dsn_find_addr(l, n, addr, sizeof(addr))) {
			have = 1;
			ds = de = l + n;
		} else if (have && in > 2) {
			if (ds == de)
				ds = l;
			de = l + n;
		} else if (n > 0 && in == 0 && added > 0) {
			break;		/* the prose after the list */
		}
	}
	if (have) {
		if ((rc = add(rep, addr, ds, (size_t) (de - ds), failed)) < 0)
			return -1;
		added += rc;
	}
	return added;
}

/* Sendmail: address lines and "(reason: ...)" until an empty line. */
static int sendmail_list(const struct span *s, int failed,
			 struct dsn_report *rep)
{
	const unsigned char *l;
	size_t	pos = 0, n;
	char	addr[DSN_ADDRESS_SIZE];
	int	added = 0, rc;

	(void) dsn_line(s->p, span_len(s), &pos, &l, &n);
	while (dsn_line(s->p, span_len(s), &pos, &l, &n)) {
		if (is_blank(l, n) || dsn_ci_starts(l, n, "-----"))
			break;
		if (dsn_ci_starts(l, n, "(reason:") && added > 0) {
			struct dsn_recipient *r = &rep->r[rep->count - 1];

			dsn_copy(r->diagnostic, sizeof(r->diagnostic), l, n);
			(void) dsn_find_status(l, n, r->status);
			r->cls = dsn_classify(r->status, r->diagnostic);
			if (!failed && r->cls != DSN_DMARC)
				r->cls = DSN_SOFT;
			else if (r->cls == DSN_OTHER)
				r->cls = DSN_HARD;
		} else if (!dsn_ci_starts(l, n, "(") &&
			   dsn_find_addr(l, n, addr, sizeof(addr))) {
			if ((rc = add(rep, addr, NULL, 0, failed)) < 0)
				return -1;
			if (rc == 0)
				break;
			added++;
		}
	}
	return added;
}

/* The transcript line that names addr with a reply code, as its
 * diagnostic, for Sendmail recipients without "(reason:". */
static void sendmail_transcript(const unsigned char *t, size_t len,
				struct dsn_report *rep, size_t from)
{
	const unsigned char *tr = dsn_ci_find(t, len, "Transcript of session follows");
	size_t	i;

	if (tr == NULL)
		return;
	for (i = from; i < rep->count; i++) {
		struct dsn_recipient *r = &rep->r[i];
		size_t	pos = 0, n, tl = (size_t) (t + len - tr);
		const unsigned char *l;

		if (r->diagnostic[0] != 0)
			continue;
		while (dsn_line(tr, tl, &pos, &l, &n)) {
			if (dsn_ci_find(l, n, r->address) == NULL ||
			    !dsn_ci_starts(l, n, "5") || dsn_find_reply(l, n) == 0)
				continue;
			dsn_copy(r->diagnostic, sizeof(r->diagnostic), l, n);
			(void) dsn_find_status(l, n, r->status);
			r->cls = dsn_classify(r->status, r->diagnostic);
			break;
		}
	}
}

/* The first token of the line holds an address (Exchange's lists). */
static int first_token_addr(const unsigned char *l, size_t n, char *addr)
{
	size_t	i = indent(l, n), e = i;

	while (e < n && l[e] != ' ' && l[e] != '\t')
		e++;
	if (e == i || memchr(l + i, '@', e - i) == NULL)
		return 0;
	return dsn_find_addr(l + i, e - i, addr, DSN_ADDRESS_SIZE);
}

/* Exchange's diagnostic line for a recipient, after its name. */
static int exchange_diag(const unsigned char *l, size_t n)
{
	return dsn_ci_find(l, n, "Remote Server returned") != NULL ||
		dsn_ci_find(l, n, "smtp;") != NULL ||
		dsn_ci_find(l, n, " #4.") != NULL || dsn_ci_find(l, n, " #5.") != NULL;
}

static void exchange_diags(const struct span *s, struct dsn_report *rep,
			   size_t from)
{
	size_t	i;

	for (i = from; i < rep->count; i++) {
		struct dsn_recipient *r = &rep->r[i];
		const unsigned char *at = dsn_ci_find(s->p, span_len(s), r->address);
		const unsigned char *l;
		size_t	pos = 0, n, len;

		if (at == NULL)
			continue;
		len = (size_t) (s->end - at);
		while (dsn_line(at, len, &pos, &l, &n)) {
			if (!exchange_diag(l, n))
				continue;
			dsn_copy(r->diagnostic, sizeof(r->diagnostic), l, n);
			(void) dsn_find_status(l, n, r->status);
			r->cls = dsn_classify(r->status, r->diagnostic);
			if (r->cls == DSN_OTHER)
				r->cls = DSN_HARD;
			break;
		}
	}
}

static int exchange_list(const struct span *s, struct dsn_report *rep)
{
	const unsigned char *l, *stop;
	size_t	pos = 0, n, from = rep->count, i, len;
	char	addr[DSN_ADDRESS_SIZE];
	int	added = 0, dup, rc;

	stop = dsn_ci_find(s->p, span_len(s), "Diagnostic information for");
	len = stop ? (size_t) (stop - s->p) : span_len(s);
	(void) dsn_line(s->p, len, &pos, &l, &n);
	while (dsn_line(s->p, len, &pos, &l, &n)) {
		if (!first_token_addr(l, n, addr))
			continue;
		for (dup = 0, i = from; i < rep->count; i++)
			dup |= strcmp(rep->r[i].address, addr) == 0;
		if (dup)
			continue;
		if ((rc = add(rep, addr, NULL, 0, 1)) < 0)
			return -1;
		if (rc == 0)
			break;
		added++;
	}
	exchange_diags(s, rep, from);
	return added;
}

/* The reply after Gmail's "The response ... was:" line. */
static void gmail_diag(const struct span *s, struct dsn_recipient *r)
{
	const unsigned char *m = dsn_ci_find(s->p, span_len(s), "The response from the remote server was:");
	const unsigned char *l;
	size_t	pos = 0, n;

	if (m == NULL)
		m = dsn_ci_find(s->p, span_len(s), "The response was:");
	if (m == NULL)
		return;
	(void) dsn_line(m, (size_t) (s->end - m), &pos, &l, &n);
	while (dsn_line(m, (size_t) (s->end - m), &pos, &l, &n))
		if (!is_blank(l, n)) {
			dsn_copy(r->diagnostic, sizeof(r->diagnostic), l, n);
			(void) dsn_find_status(l, n, r->status);
			r->cls = dsn_classify(r->status, r->diagnostic);
			if (r->cls == DSN_OTHER)
				r->cls = DSN_HARD;
			return;
		}
}

static int gmail(const unsigned char *t, size_t len, struct dsn_report *rep)
{
	struct span s;
	const unsigned char *l;
	size_t	pos = 0, n;
	char	addr[DSN_ADDRESS_SIZE];
	int	found = 0, rc;

	if (section(t, len, "Your message wasn't delivered to ", &s)) {
		(void) dsn_line(s.p, span_len(&s), &pos, &l, &n);
		found = dsn_find_addr(l, n, addr, sizeof(addr));
	} else if (section(t, len, "recipient failed permanently:", &s)) {
		(void) dsn_line(s.p, span_len(&s), &pos, &l, &n);
		while (!found && dsn_line(s.p, span_len(&s), &pos, &l, &n))
			found = dsn_find_addr(l, n, addr, sizeof(addr));
	}
	if (!found)
		return 0;
	if ((rc = add(rep, addr, NULL, 0, 1)) <= 0)
		return rc;
	gmail_diag(&s, &rep->r[rep->count - 1]);
	return 1;
}

int dsn_text_parse(const unsigned char *t, size_t len, struct dsn_report *rep)
{
	struct span s;
	size_t	from = rep->count;
	int	rc;

	if (section(t, len, "This is the qmail-send program", &s)) {
		rep->format = "qmail";
		return angle_paragraphs(&s, rep);
	}
	if (section(t, len, "unable to deliver your message to the following address", &s)) {
		rep->format = "yahoo";
		return angle_paragraphs(&s, rep);
	}
	if (dsn_ci_find(t, len, "created automatically by mail delivery software")) {
		rep->format = "exim";
		if (section(t, len, "following address(es) failed:", &s))
			return exim_list(&s, 1, rep);
		if (section(t, len, "address(es) deferred:", &s) ||
		    section(t, len, "have not yet been delivered", &s))
			return exim_list(&s, 0, rep);
		return 0;
	}
	if (section(t, len, "following addresses had permanent fatal errors", &s)) {
		rep->format = "sendmail";
		if ((rc = sendmail_list(&s, 1, rep)) > 0)
			sendmail_transcript(t, len, rep, from);
		return rc;
	}
	if (section(t, len, "following addresses had transient non-fatal errors", &s)) {
		rep->format = "sendmail";
		return sendmail_list(&s, 0, rep);
	}
	if (section(t, len, "Delivery has failed to these recipients", &s) ||
	    section(t, len, "following recipient(s) cannot be reached:", &s)) {
		rep->format = "exchange";
		return exchange_list(&s, rep);
	}
	rep->format = "gmail";
	return gmail(t, len, rep);
}
