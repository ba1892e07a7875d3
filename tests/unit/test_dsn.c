/*
 * NAME
 *	test_dsn 1
 * SUMMARY
 *	unit tests for lib/dsn
 * DESCRIPTION
 *	The bounce corpus: every file in tests/data/bounces is parsed and
 *	compared with tests/data/bounces/expected.txt (format, and per
 *	recipient address, class, status and whether it failed), once as
 *	stored and once with every line end made CRLF; a file missing from
 *	the expectations fails.  Then VERP round trips with awkward local
 *	parts and the refusals; classify() over DSN statuses and the SMTP
 *	reply lines the delivery code will pass; the delivery-status field
 *	reader on its own (folding, order, case, the recipient cap).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dsn/dsn.h"
#include "msg/msg.h"
#include "sealist_limits.h"
#include "tap.h"

/* ---- the corpus ------------------------------------------------------ */

struct expect {
	char	file[128], format[32], address[256], cls[16], status[16],
		failed[4];
};

static struct expect *expects;
static size_t nexpects;

/* Split one "FILE FORMAT ADDRESS CLASS STATUS FAILED" line. */
static int split_line(char *line, struct expect *e)
{
	char   *f[6], *p = line;
	size_t	n = 0;

	while (n < 6) {
		while (*p == ' ')
			p++;
		if (*p == 0)
			break;
		f[n++] = p;
		while (*p != ' ' && *p != 0)
			p++;
		if (*p == ' ')
			*p++ = 0;
	}
	if (n != 6)
		return -1;
	snprintf(e->file, sizeof(e->file), "%s", f[0]);
	snprintf(e->format, sizeof(e->format), "%s", f[1]);
	snprintf(e->address, sizeof(e->address), "%s", f[2]);
	snprintf(e->cls, sizeof(e->cls), "%s", f[3]);
	snprintf(e->status, sizeof(e->status), "%s", strcmp(f[4], "-") ? f[4] : "");
	snprintf(e->failed, sizeof(e->failed), "%s", f[5]);
	return 0;
}

static int load_expectations(void)
{
	size_t	len;
	unsigned char *data = tap_read_file(tap_srcpath("tests/data/bounces/expected.txt"), &len);
	char   *line, *next;

	if (data == NULL)
		return -1;
	for (line = (char *) data; line != NULL && *line; line = next) {
		struct expect *more;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		more = realloc(expects, (nexpects + 1) * sizeof(*more));
		if (more == NULL)
			break;
		expects = more;
		if (split_line(line, &expects[nexpects]) == 0)
			nexpects++;
		else
			tap_ok(0, "expected.txt line parses: %s", line);
	}
	free(data);
	return 0;
}

/* LF -> CRLF everywhere (CR already before LF kept). */
static unsigned char *to_crlf(const unsigned char *d, size_t len, size_t *out_len)
{
	unsigned char *o = malloc(2 * len + 1);
	size_t	i, k = 0;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
			o[k++] = '\r';
		o[k++] = d[i];
	}
	*out_len = k;
	return o;
}

static void check_recipient(const char *tag, const struct expect *e,
			    const struct dsn_recipient *r)
{
	char	what[1024];

	snprintf(what, sizeof(what), "%s: %s address", tag, e->file);
	tap_str(r->address, e->address, what);
	snprintf(what, sizeof(what), "%s: %s %s class", tag, e->file, e->address);
	tap_str(dsn_class_name(r->cls), e->cls, what);
	snprintf(what, sizeof(what), "%s: %s %s status", tag, e->file, e->address);
	tap_str(r->status, e->status, what);
	snprintf(what, sizeof(what), "%s: %s %s failed", tag, e->file, e->address);
	tap_int(r->failed, strcmp(e->failed, "1") == 0, what);
}

static void check_file(const char *tag, const char *name,
		       const unsigned char *data, size_t len)
{
	struct msg *m;
	struct dsn_report rep;
	const char *err;
	size_t	i, k = 0, want = 0;
	const struct expect *first = NULL;

	for (i = 0; i < nexpects; i++)
		if (strcmp(expects[i].file, name) == 0) {
			first = first ? first : &expects[i];
			want += strcmp(expects[i].format, "unrecognised") != 0;
		}
	if (!tap_ok(first != NULL, "%s: %s has expectations", tag, name))
		return;
	if (!tap_ok(msg_parse(&m, data, len, &err) == 0, "%s: %s parses", tag, name))
		return;
	tap_int(dsn_parse(m, &rep, &err), want > 0, name);
	tap_str(rep.format, first->format, name);
	if (tap_int((long long) rep.count, (long long) want, name))
		for (i = 0; i < nexpects; i++)
			if (strcmp(expects[i].file, name) == 0 && want > 0)
				check_recipient(tag, &expects[i], &rep.r[k++]);
	dsn_report_free(&rep);
	msg_free(m);
}

static int is_eml(const char *n)
{
	size_t	l = strlen(n);

	return l > 4 && strcmp(n + l - 4, ".eml") == 0;
}

static void test_corpus(void)
{
	char	dir[4096], path[8192];
	DIR    *dp;
	struct dirent *de;
	size_t	files = 0, len, clen;
	unsigned char *data, *crlf;

	if (!tap_ok(load_expectations() == 0, "read expected.txt"))
		return;
	snprintf(dir, sizeof(dir), "%s", tap_srcpath("tests/data/bounces"));
	if (!tap_ok((dp = opendir(dir)) != NULL, "open %s", dir))
		return;
	while ((de = readdir(dp)) != NULL) {
		if (!is_eml(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((data = tap_read_file(path, &len)) == NULL) {
			tap_ok(0, "read %s", path);
			continue;
		}
		files++;
		check_file("as stored", de->d_name, data, len);
		if ((crlf = to_crlf(data, len, &clen)) != NULL)
			check_file("crlf", de->d_name, crlf, clen);
		free(crlf);
		free(data);
	}
	closedir(dp);
	tap_ok(files >= 30, "corpus has at least 30 bounces (%zu)", files);
	free(expects);
}

/* ---- VERP ---------------------------------------------------------- */

static const struct {
	const char *what, *recipient, *encoded;	/* NULL: refused */
} verps[] = {
	{ "plain address", "bob@example.org",
	  "announce-bounces+bob=example.org@lists.example.org" },
	{ "'=' in local part", "a=b@x.example",
	  "announce-bounces+a=b=x.example@lists.example.org" },
	{ "delimiter in local part", "a+b@x.example",
	  "announce-bounces+a+b=x.example@lists.example.org" },
	{ "both", "user+tag=v@sub.x.example",
	  "announce-bounces+user+tag=v=sub.x.example@lists.example.org" },
	{ "quoted local part", "\"a.b\"@x.example",
	  "announce-bounces+\"a.b\"=x.example@lists.example.org" },
	{ "quoted local part with '@'", "\"a@b\"@x.example",
	  "announce-bounces+\"a@b\"=x.example@lists.example.org" },
	{ "UTF-8 local part", "j\xc3\xb6rg@x.example",
	  "announce-bounces+j\xc3\xb6rg=x.example@lists.example.org" },
	{ "no @", "nobody", NULL },
	{ "empty local part", "@x.example", NULL },
	{ "empty domain", "a@", NULL },
	{ "'=' in domain", "a@x=y.example", NULL },
	{ "space in quoted local part", "\"a b\"@x.example", NULL },
	{ "control byte", "a\tb@x.example", NULL },
};

static void test_verp(void)
{
	struct buf b;
	const char *err, *tag;
	char	out[600];
	size_t	i, pre = strlen("announce-bounces+"), suf = strlen("@lists.example.org");

	buf_init(&b, 4096);
	for (i = 0; i < sizeof(verps) / sizeof(verps[0]); i++) {
		buf_reset(&b);
		err = NULL;
		if (dsn_verp_encode("announce", '+', verps[i].recipient,
				    "lists.example.org", &b, &err) < 0) {
			tap_ok(verps[i].encoded == NULL && err != NULL,
			       "verp refuses %s (%s)", verps[i].what, err);
			continue;
		}
		if (!tap_str(buf_str(&b), verps[i].encoded, verps[i].what))
			continue;
		tag = buf_str(&b) + pre;
		tap_ok(dsn_verp_decode(tag, b.len - pre - suf, out, sizeof(out)) == 0 &&
		       strcmp(out, verps[i].recipient) == 0,
		       "verp round trip: %s", verps[i].what);
	}
	buf_free(&b);
	tap_ok(dsn_verp_decode("", 0, out, sizeof(out)) < 0, "decode refuses empty tag");
	tap_ok(dsn_verp_decode("noequals", 8, out, sizeof(out)) < 0, "decode refuses tag without '='");
	tap_ok(dsn_verp_decode("=x.example", 10, out, sizeof(out)) < 0, "decode refuses empty local");
	tap_ok(dsn_verp_decode("a=", 2, out, sizeof(out)) < 0, "decode refuses empty domain");
	tap_ok(dsn_verp_decode("a=b@c", 5, out, sizeof(out)) < 0, "decode refuses '@' in domain");
	tap_ok(dsn_verp_decode("a=b c", 5, out, sizeof(out)) < 0, "decode refuses space in domain");
	tap_ok(dsn_verp_decode("a=bc", 4, out, 4) < 0, "decode refuses a result that does not fit");
	tap_ok(dsn_verp_decode("a=bc", 4, out, 5) == 0 && strcmp(out, "a@bc") == 0,
	       "decode: exact fit");
	tap_ok(dsn_verp_decode("a=b=c.example", 13, out, sizeof(out)) == 0 &&
	       strcmp(out, "a=b@c.example") == 0, "decode splits at the last '='");
}

/* ---- classification -------------------------------------------------- */

static const struct {
	const char *status, *diagnostic, *cls;
} classes[] = {
	{ "5.1.1", "smtp; 550 5.1.1 User unknown", "hard" },
	{ "4.2.2", "smtp; 452 4.2.2 Over quota", "soft" },
	{ "5.2.2", NULL, "hard" },
	{ "2.0.0", NULL, "other" },
	{ "", "", "other" },
	{ NULL, NULL, "other" },
	{ "550 5.1.1 <bob@example.org>: Recipient address rejected", NULL, "hard" },
	{ "550 no such user here", NULL, "hard" },
	{ "451 try again later", NULL, "soft" },
	{ "421 4.7.0 Try again later, closing connection", NULL, "soft" },
	{ "250 2.0.0 Ok: queued", NULL, "other" },
	{ "550-5.7.26 Unauthenticated email from author.example is not accepted due to domain's DMARC policy", NULL, "dmarc" },
	{ "550 5.7.26 This mail has been blocked because the sender is unauthenticated.", NULL, "dmarc" },
	{ "421 4.7.26 Unauthenticated email is not accepted", NULL, "dmarc" },
	{ "550 5.7.509 Access denied, sending domain author.example does not pass DMARC verification", NULL, "dmarc" },
	{ "554 5.7.9 Message not accepted for policy reasons.  See https://help.yahoo.example/kb/postmaster/SLN7253.html", NULL, "dmarc" },
	{ "554 5.7.9 Authentication mechanism is too weak", NULL, "hard" },
	{ "550 5.7.1 Email rejected per DMARC policy for author.example", NULL, "dmarc" },
	{ "550 5.7.1 Unauthenticated email from author.example is not accepted due to domain's DMARC policy", NULL, "dmarc" },
	{ "550 5.7.1 Message rejected due to local policy: SPF fail", NULL, "dmarc" },
	{ "550 5.7.1 Rejected by policy: DKIM signature failed authentication", NULL, "dmarc" },
	{ "550 5.7.0 Local policy violation", NULL, "hard" },
	{ "550 5.7.1 Message rejected as spam", NULL, "hard" },
	{ "550 5.7.1 Relaying denied", NULL, "hard" },
	{ "550 5.7.23 SPF validation failed", NULL, "dmarc" },
	{ "5.7.1", "smtp; 550 5.7.1 Rejected: message fails DMARC", "dmarc" },
	{ "5.7.26", NULL, "dmarc" },
	{ "550 Message rejected because of DMARC policy", NULL, "dmarc" },
	{ "5.1.1", "smtp; 550 5.1.1 mailbox 192.0.2.5 unknown", "hard" },
	{ "junk", "no code at all", "other" },
	{ "5.1.1 ", "x", "hard" },
	{ "4.4.7", "X-Postfix; delivery temporarily suspended: DMARC lookup failed", "dmarc" },
};

static void test_classify(void)
{
	size_t	i;
	char	what[256];

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		snprintf(what, sizeof(what), "classify [%s] [%s]",
			 classes[i].status ? classes[i].status : "NULL",
			 classes[i].diagnostic ? classes[i].diagnostic : "NULL");
		tap_str(dsn_class_name(dsn_classify(classes[i].status,
						    classes[i].diagnostic)),
			classes[i].cls, what);
	}
}

/* ---- the field reader ----------------------------------------------- */

static void test_fields(void)
{
	static const char folded[] =
		"Reporting-MTA: dns; mx.example.net\n\n"
		"status: 5.1.1 (extra comment)\n"
		"ACTION: FAILED\n"
		"final-recipient: rfc822;\n <folded@example.net>\n"
		"Diagnostic-Code: smtp; 550 5.1.1\n\tthe user\n  does not exist\n"
		"Remote-MTA: dns;\n mx.example.net\n";
	struct dsn_report rep;
	struct buf big;
	size_t	i;

	memset(&rep, 0, sizeof(rep));
	tap_int(dsn_parse_fields(folded, sizeof(folded) - 1, &rep), 1, "fields: one recipient");
	if (rep.count == 1) {
		tap_str(rep.r[0].address, "folded@example.net", "fields: folded address, <> removed");
		tap_str(rep.r[0].action, "failed", "fields: action lowercased");
		tap_str(rep.r[0].status, "5.1.1", "fields: status before the others");
		tap_str(rep.r[0].diagnostic, "550 5.1.1 the user does not exist",
			"fields: diagnostic unfolded, type removed");
		tap_str(rep.r[0].remote_mta, "mx.example.net", "fields: remote MTA");
		tap_int(rep.r[0].failed, 1, "fields: failed");
	}
	dsn_report_free(&rep);

	memset(&rep, 0, sizeof(rep));
	tap_int(dsn_parse_fields("Reporting-MTA: dns; x\n\nAction: failed\nStatus: 5.0.0\n",
				 50, &rep), 0, "fields: group without an address is dropped");
	dsn_report_free(&rep);

	buf_init(&big, 1024 * 1024);
	for (i = 0; i < LIMIT_DSN_RECIPIENTS + 20; i++)
		buf_printf(&big, "Final-Recipient: rfc822; u%zu@example.net\n"
			   "Action: failed\nStatus: 5.1.1\n\n", i);
	memset(&rep, 0, sizeof(rep));
	tap_int(dsn_parse_fields(big.data, big.len, &rep), LIMIT_DSN_RECIPIENTS,
		"fields: recipients capped");
	tap_int(rep.truncated, 1, "fields: truncated flagged");
	dsn_report_free(&rep);
	buf_free(&big);
}

/* Diagnostics are stored as one line of valid UTF-8, cut whole. */
static void test_copy(void)
{
	static const char latin1[] = "Final-Recipient: rfc822; a@x.example\n"
		"Action: failed\nStatus: 5.2.1\n"
		"Diagnostic-Code: smtp; 550 5.2.1 Empf\xe4nger\x01gesperrt\n";
	struct dsn_report rep;
	struct buf b;
	size_t	i, n;

	memset(&rep, 0, sizeof(rep));
	if (tap_int(dsn_parse_fields(latin1, sizeof(latin1) - 1, &rep), 1, "copy: latin-1 parsed"))
		tap_str(rep.r[0].diagnostic, "550 5.2.1 Empf?nger gesperrt",
			"copy: invalid UTF-8 becomes '?', control a space");
	dsn_report_free(&rep);

	buf_init(&b, 64 * 1024);
	buf_append_str(&b, "Final-Recipient: rfc822; a@x.example\nAction: failed\n"
		       "Diagnostic-Code: smtp; 550 ");
	for (i = 0; i < 2 * LIMIT_DSN_DIAGNOSTIC; i++)
		buf_append_str(&b, "\xc3\xa9");
	memset(&rep, 0, sizeof(rep));
	if (tap_int(dsn_parse_fields(b.data, b.len, &rep), 1, "copy: long diagnostic parsed")) {
		n = strlen(rep.r[0].diagnostic);
		tap_ok(n <= LIMIT_DSN_DIAGNOSTIC && n >= LIMIT_DSN_DIAGNOSTIC - 2,
		       "copy: cut near the limit (%zu)", n);
		tap_ok((n - 4) % 2 == 0 && ((unsigned char) rep.r[0].diagnostic[n - 1]) == 0xa9,
		       "copy: cut between characters");
		tap_str(dsn_class_name(rep.r[0].cls), "hard", "copy: no status, reply 550 is hard");
	}
	dsn_report_free(&rep);
	buf_free(&b);
}

int main(void)
{
	test_copy();
	test_corpus();
	test_verp();
	test_classify();
	test_fields();
	return tap_done();
}
