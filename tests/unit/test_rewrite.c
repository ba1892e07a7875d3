/*
 * NAME
 *	test_rewrite 1
 * SUMMARY
 *	unit tests for src/rewrite*.c on the posts of tests/data/rewrite
 * DESCRIPTION
 *	One table row per behaviour: a post, the DMARC policy of its author,
 *	setting changes, and what must come out: the From, Reply-To, Cc and
 *	Subject fields exactly (or byte-identical to the input), the From
 *	action, the number of signatures removed, and where the footer went
 *	(appended in the part's own encoding, a new part of the existing
 *	multipart/mixed, a new multipart/mixed around the original entity,
 *	or the whole post as message/rfc822).  Every row also checks that
 *	every header field the list has no business touching comes out with
 *	the same bytes.  Separate tests check the List-* fields exactly, the
 *	From decision table, and the keep check with real signatures made by
 *	lib/dkim (kept when nothing signed changed, removed and munged when
 *	the subject changed, X-Original-DKIM-Signature with mode 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "rewrite.h"
#include "tap.h"

/* ---- settings ------------------------------------------------------------------ */

enum {
	T_RGTL1 = 1 << 0, T_RGTL2 = 1 << 1, T_STRIP = 1 << 2, T_NOFOOTER = 1 << 3,
	T_PREFIX8 = 1 << 4, T_FOOTER8 = 1 << 5, T_WRAP = 1 << 6, T_TEXT = 1 << 7,
	T_HEADER = 1 << 8, T_NOPREFIX = 1 << 9,
};

static const char footer_ascii[] = "-- \n%(real_name)s mailing list\n%(listinfo_url)s\n";
static const char footer_8bit[] = "-- \nListe D\xc3\xa9v\n";

static struct rewrite_list list = {
	"dev", "example.org", "Dev", "Development", '+', "https://lists.example.org/", NULL,
};

static void settings(struct rewrite_settings *s, unsigned t)
{
	memset(s, 0, sizeof(*s));
	s->subject_prefix = t & T_NOPREFIX ? "" : t & T_PREFIX8 ? " [D\xc3\xa9veloppeurs] "
		: "[%(real_name)s] ";
	s->msg_header = t & T_HEADER ? "Posted to %(real_name)s" : "";
	s->msg_footer = t & T_NOFOOTER ? "" : t & T_FOOTER8 ? footer_8bit : footer_ascii;
	s->dmarc_moderation_action = t & T_WRAP ? 2 : 1;
	s->dmarc_quarantine_moderation_action = 1;
	s->dmarc_wrapped_message_text = t & T_TEXT ? "Wrapped: %(real_name)s" : "";
	s->dmarc_keep_unmodified = 1;
	s->remove_dkim_headers = 2;
	s->reply_goes_to_list = t & T_RGTL1 ? 1 : t & T_RGTL2 ? 2 : 0;
	s->reply_to_address = "discuss@example.org";
	s->first_strip_reply_to = (t & T_STRIP) != 0;
	s->include_rfc2369_headers = 1;
	s->one_click_unsubscribe = 1;
}

/* ---- helpers -------------------------------------------------------------------- */

static struct msg *load(const char *file, const char *override)
{
	char	path[256];
	size_t	len;
	unsigned char *data;
	struct msg *m = NULL;
	const char *err;

	snprintf(path, sizeof(path), "tests/data/rewrite/%s", file);
	if ((data = tap_read_file(tap_srcpath(path), &len)) == NULL
	    || msg_parse(&m, data, len, &err) < 0) {
		tap_diag("cannot load %s", path);
		free(data);
		return NULL;
	}
	free(data);
	if (override != NULL) {
		char	name[64];
		const char *colon = strchr(override, ':');
		long	i;

		snprintf(name, sizeof(name), "%.*s", (int) (colon - override), override);
		i = msg_find(m, name, 0);
		if (i >= 0)
			(void) msg_replace(m, (size_t) i, override, strlen(override), &err);
		else
			(void) msg_insert(m, 0, override, strlen(override), &err);
	}
	return m;
}

/* "Name:value" of the first field called name, CRLF as LF; NULL if none. */
static char *field_str(const struct msg *m, const char *name)
{
	long	i = msg_find(m, name, 0);
	const struct msg_field *f;
	struct buf b;
	size_t	k;

	if (i < 0)
		return NULL;
	f = msg_field(m, (size_t) i);
	buf_init(&b, 1 << 20);
	(void) buf_append(&b, f->name, f->name_len);
	(void) buf_append_byte(&b, ':');
	for (k = 0; k < f->value_len; k++)
		if (!(f->value[k] == '\r' && k + 1 < f->value_len && f->value[k + 1] == '\n'))
			(void) buf_append_byte(&b, f->value[k]);
	return buf_detach(&b, NULL);
}

/* want NULL: same raw bytes as in the input (or absent in both);
 * "": absent; else "Name: value" exactly. */
static void check_field(const struct msg *in, const struct msg *out, const char *name,
			const char *want, const char *what)
{
	char   *got = field_str(out, name), *had = field_str(in, name);

	if (want == NULL) {
		long	i = msg_find(in, name, 0), o = msg_find(out, name, 0);

		if (i < 0)
			tap_ok(o < 0, "%s: %s still absent", what, name);
		else
			tap_ok(o >= 0 && msg_field(in, (size_t) i)->raw_len
			       == msg_field(out, (size_t) o)->raw_len
			       && memcmp(msg_field(in, (size_t) i)->raw, msg_field(out, (size_t) o)->raw,
					 msg_field(in, (size_t) i)->raw_len) == 0,
			       "%s: %s byte-identical (%s)", what, name, got != NULL ? got : "absent");
	} else if (want[0] == 0) {
		tap_ok(got == NULL, "%s: %s absent (%s)", what, name, got != NULL ? got : "");
	} else {
		tap_str(got, want, what);
	}
	free(got);
	free(had);
}

static int name_in(const struct msg_field *f, const char *const *names)
{
	size_t	i, k;

	for (i = 0; names[i] != NULL; i++) {
		if (strlen(names[i]) != f->name_len)
			continue;
		for (k = 0; k < f->name_len && (f->name[k] | 32) == names[i][k]; k++)
			;
		if (k == f->name_len)
			return 1;
	}
	return 0;
}

/* Every field the list may not touch comes out with the same bytes. */
static void check_untouched(const struct msg *in, const struct msg *out, const char *what)
{
	static const char *const touched[] = { "from", "reply-to", "cc", "subject",
		"mime-version", "content-type", "content-transfer-encoding", "content-disposition",
		"content-description", "dkim-signature", "return-path", "delivered-to",
		"precedence", "list-id", "list-unsubscribe", NULL };
	size_t	i, j, bad = 0;
	char   *used = calloc(msg_field_count(out) + 1, 1);

	for (i = 0; i < msg_field_count(in); i++) {
		const struct msg_field *f = msg_field(in, i);
		int	found = 0;

		if (f->name == NULL || name_in(f, touched)
		    || (f->value_len > 18 && memcmp(f->value, " lists.example.org", 18) == 0))
			continue;	/* the forged Authentication-Results goes */
		for (j = 0; j < msg_field_count(out) && !found; j++) {
			const struct msg_field *g = msg_field(out, j);

			if (!used[j] && g->raw_len == f->raw_len && memcmp(g->raw, f->raw, f->raw_len) == 0)
				found = used[j] = 1;
		}
		if (!found) {
			tap_diag("changed or lost: %.*s", (int) f->name_len, f->name);
			bad++;
		}
	}
	tap_ok(bad == 0, "%s: every untouched field byte-identical", what);
	free(used);
}

/* Part n (0-based) of a multipart message: the entity bytes. */
static int get_part(const struct msg *m, size_t n, const unsigned char **p, size_t *len,
		    size_t *count)
{
	struct mime_ctype ct;
	struct mime_parts it;
	struct mime_part part;
	const char *b, *err;
	size_t	blen;
	const unsigned char *body = msg_body(m, &blen);
	int	r, found = 0;

	if (mime_ctype_of_msg(m, &ct) < 0)
		return 0;
	if ((b = mime_ctype_param(&ct, "boundary")) != NULL) {
		mime_parts_init(&it, body, blen, b, strlen(b));
		while ((r = mime_parts_next(&it, &part, &err)) > 0)
			if (it.count - 1 == n) {
				*p = body + part.offset;
				*len = part.len;
				found = 1;
			}
		*count = it.count;
	}
	mime_ctype_free(&ct);
	return found;
}

static int has(const unsigned char *p, size_t n, const char *s)
{
	size_t	k = strlen(s), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(p + i, s, k) == 0)
			return 1;
	return 0;
}

/* ---- bodies ---------------------------------------------------------------------- */

enum body { B_SAME, B_APPEND, B_PREPEND, B_MIXED_EXT, B_WRAP_MIXED, B_RFC822 };

static void check_same(const struct msg *in, const struct msg *out, const char *what)
{
	size_t	il, ol;
	const unsigned char *ib = msg_body(in, &il), *ob = msg_body(out, &ol);

	tap_mem(ob, ol, ib, il, what);
}

/* The output body is the input body and then tail (or head and then it). */
static void check_append(const struct msg *in, const struct msg *out, const char *tail,
			 int prepend, const char *what)
{
	size_t	il, ol, tl = strlen(tail);
	const unsigned char *ib = msg_body(in, &il), *ob = msg_body(out, &ol);

	if (!tap_ok(ol == il + tl, "%s: body grew by the footer (%zu -> %zu)", what, il, ol))
		return;
	if (prepend) {
		tap_mem(ob, tl, tail, tl, "header text first");
		tap_mem(ob + tl, il, ib, il, "then the original body, byte-identical");
	} else {
		tap_mem(ob, il, ib, il, "original body first, byte-identical");
		tap_mem(ob + il, tl, tail, tl, "then the footer in the part's encoding");
	}
	check_field(in, out, "content-type", NULL, what);
	check_field(in, out, "content-transfer-encoding", NULL, what);
}

static void check_footer_part(const struct msg *out, size_t n, const char *what)
{
	const unsigned char *p;
	size_t	len, count = 0;

	if (!tap_ok(get_part(out, n, &p, &len, &count), "%s: footer part %zu exists", what, n))
		return;
	tap_ok(has(p, len, "Content-Type: text/plain; charset=utf-8")
	       && (has(p, len, "Dev mailing list") || has(p, len, "Liste D=C3=A9v")),
	       "%s: footer part is text/plain utf-8", what);
}

static void check_mixed_ext(const struct msg *in, const struct msg *out, const char *what)
{
	size_t	i, ic = 0, oc = 0, il, ol;
	const unsigned char *ip, *op;

	(void) get_part(in, 0, &ip, &il, &ic);
	(void) get_part(out, 0, &op, &ol, &oc);
	tap_int((long long) oc, (long long) ic + 1, "multipart/mixed got one more part");
	for (i = 0; i < ic; i++)
		if (get_part(in, i, &ip, &il, &ic) && get_part(out, i, &op, &ol, &oc))
			tap_mem(op, ol, ip, il, "existing part byte-identical");
	check_footer_part(out, ic, what);
	check_field(in, out, "content-type", NULL, what);
	ip = msg_body(in, &il);
	op = msg_body(out, &ol);
	tap_ok(has(op, ol, "This is a multi-part message in MIME format.\r\n--")
	       && ol > 16 && memcmp(op + ol - 16, "\r\nepilogue line\r\n", 16) != 0
	       && has(op, ol, "--\r\nepilogue line\r\n"), "%s: preamble and epilogue kept", what);
}

/* The original entity (its Content-* fields and body) is part 0 or 1. */
static void check_wrap_mixed(const struct msg *in, const struct msg *out, size_t at,
			     const char *what)
{
	struct buf want;
	size_t	i, len, count = 0, il;
	const unsigned char *p, *ib = msg_body(in, &il);
	char   *ct = field_str(out, "content-type");

	tap_ok(ct != NULL && strncmp(ct, "Content-Type: multipart/mixed; boundary=", 40) == 0,
	       "%s: now multipart/mixed (%s)", what, ct);
	free(ct);
	buf_init(&want, 1 << 22);
	for (i = 0; i < msg_field_count(in); i++) {
		const struct msg_field *f = msg_field(in, i);

		if (f->name != NULL && f->name_len > 8 && strncasecmp(f->name, "content-", 8) == 0)
			(void) buf_append(&want, f->raw, f->raw_len);
	}
	if (want.len == 0)
		(void) buf_printf(&want, "Content-Type: text/plain%s", msg_eol_str(in));
	(void) buf_append_str(&want, msg_eol_str(in));
	(void) buf_append(&want, ib, il);
	if (tap_ok(get_part(out, at, &p, &len, &count), "%s: the original entity is a part", what))
		tap_mem(p, len, want.data, want.len, "original entity byte-identical");
	check_footer_part(out, at + 1, what);
	buf_free(&want);
}

static void check_rfc822(const struct msg *in, const struct msg *out, int text, const char *what)
{
	struct buf orig;
	const unsigned char *p;
	size_t	len, count = 0, b;

	buf_init(&orig, 1 << 22);
	(void) msg_serialize(in, &orig);
	if (text && tap_ok(get_part(out, 0, &p, &len, &count), "%s: text part first", what))
		tap_ok(has(p, len, "Wrapped: Dev"), "%s: dmarc_wrapped_message_text", what);
	if (tap_ok(get_part(out, text ? 1 : 0, &p, &len, &count), "%s: rfc822 part", what)) {
		tap_ok(has(p, mime_entity_body(p, len), "Content-Type: message/rfc822"),
		       "%s: it is message/rfc822", what);
		b = mime_entity_body(p, len);
		tap_mem(p + b, len - b, orig.data, orig.len, "message/rfc822 part equals the original");
	}
	check_footer_part(out, text ? 2 : 1, what);
	check_field(in, out, "message-id", NULL, what);
	check_field(in, out, "date", NULL, what);
	buf_free(&orig);
}

/* ---- the table --------------------------------------------------------------------- */

struct row {
	const char *what, *file;
	unsigned tweak;
	enum dmarc_policy policy;
	const char *override;
	enum rewrite_from_action action;
	const char *from, *reply_to, *cc, *subject;
	size_t	dkim_removed;
	enum body body;
	const char *tail;
};

#define ALICE_VIA	"From: \"Alice Example via Dev\" <dev@example.org>"
#define TAIL_LF		"-- \nDev mailing list\nhttps://lists.example.org/lists/dev@example.org\n"
#define TAIL_QP		"--=20\r\nDev mailing list\r\nhttps://lists.example.org/lists/dev@example.org\r\n"
#define BUILD		"Subject: [Dev] Build failure on arm64"

static const struct row posts[] = {
	{ "p=reject: From munged, author in Reply-To (reply_goes_to_list 0)", "plain.eml", 0,
	  DMARC_POLICY_REJECT, NULL, REWRITE_FROM_MUNGE, ALICE_VIA,
	  "Reply-To: Alice Example <alice@reject.example>", NULL, BUILD, 1, B_APPEND, TAIL_LF },
	{ "p=reject, reply_goes_to_list 1: list in Reply-To, author in Cc", "plain.eml", T_RGTL1,
	  DMARC_POLICY_REJECT, NULL, REWRITE_FROM_MUNGE, ALICE_VIA,
	  "Reply-To: Development <dev@example.org>",
	  "Cc: Alice Example <alice@reject.example>, bob@other.example", BUILD, 1, B_APPEND, TAIL_LF },
	{ "p=reject, reply_goes_to_list 2: explicit Reply-To, author in Cc", "plain.eml", T_RGTL2,
	  DMARC_POLICY_REJECT, NULL, REWRITE_FROM_MUNGE, ALICE_VIA, "Reply-To: discuss@example.org",
	  "Cc: Alice Example <alice@reject.example>, bob@other.example", BUILD, 1, B_APPEND, TAIL_LF },
	{ "p=none with defaults: From unchanged", "plain.eml", 0, DMARC_POLICY_NONE, NULL,
	  REWRITE_FROM_KEEP, NULL, NULL, NULL, BUILD, 1, B_APPEND, TAIL_LF },
	{ "p=quarantine: munged; base64 text gets a new multipart/mixed", "base64.eml", 0,
	  DMARC_POLICY_QUARANTINE, NULL, REWRITE_FROM_MUNGE,
	  "From: \"Chen, Wei via Dev\" <dev@example.org>",
	  "Reply-To: \"Chen, Wei\" <wei@quarantine.example>", NULL,
	  "Subject: [Dev] =?UTF-8?B?5p6E5bu65aSx6LSl?= on arm64", 0, B_WRAP_MIXED, NULL },
	{ "non-ASCII display name: RFC 2047 B; QP body gets a QP footer", "qp.eml", 0,
	  DMARC_POLICY_REJECT, NULL, REWRITE_FROM_MUNGE,
	  "From: =?utf-8?B?SsO8cmdlbiBNw7xsbGVyIHZpYSBEZXY=?= <dev@example.org>",
	  "Reply-To: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@none.example>", NULL,
	  "Subject: [Dev] Re: Build failure on arm64", 0, B_APPEND, TAIL_QP },
	{ "non-ASCII footer in a utf-8 QP part: inline, QP-encoded", "qp.eml", T_FOOTER8,
	  DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL,
	  "Subject: [Dev] Re: Build failure on arm64", 0, B_APPEND, "--=20\r\nListe D=C3=A9v\r\n" },
	{ "non-ASCII footer, us-ascii 7bit part: new multipart/mixed", "plain.eml",
	  T_FOOTER8, DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL, BUILD, 1,
	  B_WRAP_MIXED, NULL },
	{ "multipart/mixed: footer part added; prefix after Re: not doubled", "mixed.eml", 0,
	  DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL, NULL, 0, B_MIXED_EXT, NULL },
	{ "multipart/alternative: wrapped in multipart/mixed", "alternative.eml", 0,
	  DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL,
	  "Subject: [Dev] Fwd: Release schedule", 0, B_WRAP_MIXED, NULL },
	{ "multipart/signed: wrapped, signed entity byte-identical", "signed.eml", 0,
	  DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL,
	  "Subject: [Dev] Signed release tarball checksums", 0, B_WRAP_MIXED, NULL },
	{ "wrap: the original inside as message/rfc822", "plain.eml", T_WRAP,
	  DMARC_POLICY_REJECT, NULL, REWRITE_FROM_WRAP, ALICE_VIA,
	  "Reply-To: Alice Example <alice@reject.example>", NULL, BUILD, 0, B_RFC822, NULL },
	{ "wrap with dmarc_wrapped_message_text", "qp.eml", T_WRAP | T_TEXT,
	  DMARC_POLICY_REJECT, NULL, REWRITE_FROM_WRAP,
	  "From: =?utf-8?B?SsO8cmdlbiBNw7xsbGVyIHZpYSBEZXY=?= <dev@example.org>",
	  "Reply-To: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@none.example>", NULL,
	  "Subject: [Dev] Re: Build failure on arm64", 0, B_RFC822, "text" },
	{ "poster's Reply-To lacks the author: author to Cc, first", "replyto.eml", 0,
	  DMARC_POLICY_REJECT, NULL, REWRITE_FROM_MUNGE, "From: \"Dave via Dev\" <dev@example.org>",
	  NULL, "Cc: Dave <dave@reject.example>, \"Erin\" <erin@other.example>,\n frank@other.example",
	  "Subject: [Dev] Re: Build failure on arm64", 0, B_APPEND, TAIL_LF },
	{ "first_strip_reply_to: the author replaces the poster's Reply-To", "replyto.eml",
	  T_STRIP, DMARC_POLICY_REJECT, NULL, REWRITE_FROM_MUNGE,
	  "From: \"Dave via Dev\" <dev@example.org>", "Reply-To: Dave <dave@reject.example>", NULL,
	  "Subject: [Dev] Re: Build failure on arm64", 0, B_APPEND, TAIL_LF },
	{ "no munging, reply_goes_to_list 1: list after the poster's Reply-To", "replyto.eml",
	  T_RGTL1 | T_NOPREFIX, DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL,
	  "Reply-To: Dave at home <dave@home.example>, Development <dev@example.org>", NULL, NULL,
	  0, B_APPEND, TAIL_LF },
	{ "no munging, reply_goes_to_list 2 without Reply-To", "plain.eml", T_RGTL2 | T_NOFOOTER,
	  DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, "Reply-To: discuss@example.org", NULL,
	  BUILD, 1, B_SAME, NULL },
	{ "display name that is an address: its domain hidden", "plain.eml", T_NOFOOTER,
	  DMARC_POLICY_REJECT, "From: \"alice@reject.example\" <alice@reject.example>",
	  REWRITE_FROM_MUNGE, "From: \"alice--- via Dev\" <dev@example.org>",
	  "Reply-To: \"alice@reject.example\" <alice@reject.example>", NULL, BUILD, 1, B_SAME, NULL },
	{ "no display name: the local part", "plain.eml", T_NOFOOTER, DMARC_POLICY_REJECT,
	  "From: alice@reject.example", REWRITE_FROM_MUNGE,
	  "From: \"alice via Dev\" <dev@example.org>", "Reply-To: alice@reject.example", NULL, BUILD,
	  1, B_SAME, NULL },
	{ "quote in a display name is escaped", "plain.eml", T_NOFOOTER, DMARC_POLICY_REJECT,
	  "From: \"Al \\\"The Builder\\\" Ex\" <alice@reject.example>", REWRITE_FROM_MUNGE,
	  "From: \"Al \\\"The Builder\\\" Ex via Dev\" <dev@example.org>",
	  "Reply-To: \"Al \\\"The Builder\\\" Ex\" <alice@reject.example>", NULL, BUILD, 1,
	  B_SAME, NULL },
	{ "non-ASCII prefix before an encoded word holds the space", "base64.eml",
	  T_PREFIX8 | T_NOFOOTER, DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL,
	  "Subject: =?utf-8?B?W0TDqXZlbG9wcGV1cnNdIA==?= =?UTF-8?B?5p6E5bu65aSx6LSl?= on arm64", 0,
	  B_SAME, NULL },
	{ "non-ASCII prefix before plain text", "plain.eml", T_PREFIX8 | T_NOFOOTER,
	  DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL,
	  "Subject: =?utf-8?B?W0TDqXZlbG9wcGV1cnNd?= Build failure on arm64", 1, B_SAME, NULL },
	{ "prefix inside an encoded word: not added again", "plain.eml", T_NOFOOTER,
	  DMARC_POLICY_NONE, "Subject: =?utf-8?q?=5BDev=5D_caf=C3=A9?=", REWRITE_FROM_KEEP, NULL,
	  NULL, NULL, NULL, 1, B_SAME, NULL },
	{ "prefix already first: not doubled", "plain.eml", T_NOFOOTER, DMARC_POLICY_NONE,
	  "Subject: [Dev] Re: x", REWRITE_FROM_KEEP, NULL, NULL, NULL, NULL, 1, B_SAME, NULL },
	{ "Re: Re: [n]: collapsed into one Re: after the prefix", "plain.eml", T_NOFOOTER,
	  DMARC_POLICY_NONE, "Subject: Re: re[2]: Sv: [PATCH] fix", REWRITE_FROM_KEEP, NULL, NULL,
	  NULL, "Subject: [Dev] Re: [PATCH] fix", 1, B_SAME, NULL },
	{ "encoded-word subject after Re: keeps its bytes", "plain.eml", T_NOFOOTER,
	  DMARC_POLICY_NONE, "Subject: Re: =?utf-8?q?caf=C3=A9?=", REWRITE_FROM_KEEP, NULL, NULL,
	  NULL, "Subject: [Dev] Re: =?utf-8?q?caf=C3=A9?=", 1, B_SAME, NULL },
	{ "empty subject", "plain.eml", T_NOFOOTER, DMARC_POLICY_NONE, "Subject:",
	  REWRITE_FROM_KEEP, NULL, NULL, NULL, "Subject: [Dev] (no subject)", 1, B_SAME, NULL },
	{ "msg_header goes first in a text/plain part", "replyto.eml", T_HEADER | T_NOFOOTER,
	  DMARC_POLICY_NONE, NULL, REWRITE_FROM_KEEP, NULL, NULL, NULL,
	  "Subject: [Dev] Re: Build failure on arm64", 0, B_PREPEND, "Posted to Dev\n" },
};

static void run_row(const struct row *r)
{
	struct rewrite_settings s;
	struct rewrite_author a = { "author.example", "author.example", r->policy, 0, 0, 0 };
	struct rewrite_result res;
	struct msg *in = load(r->file, r->override), *out;
	const char *err = NULL;
	enum rewrite_from_action act;

	if (!tap_ok(in != NULL, "%s: load", r->what))
		return;
	if ((out = load(r->file, r->override)) == NULL)
		return;
	settings(&s, r->tweak);
	act = rewrite_from_action(&s, &a);
	tap_int(act, r->action, "the From decision");
	if (!tap_ok(rewrite_post(&out, &list, &s, &a, act, NULL,
				 "Authentication-Results: lists.example.org; dmarc=pass",
				 "lists.example.org", &res, &err) == 0, "%s: rewrite (%s)", r->what,
		    err != NULL ? err : "ok"))
		goto done;
	tap_int(res.from_action, r->action, r->what);
	check_field(in, out, "from", r->from, r->what);
	check_field(in, out, "reply-to", r->reply_to, r->what);
	check_field(in, out, "cc", r->cc, r->what);
	check_field(in, out, "subject", r->subject, r->what);
	tap_int((long long) res.dkim_removed, (long long) r->dkim_removed, "signatures removed");
	tap_ok(msg_find(out, "dkim-signature", 0) < 0, "%s: no DKIM-Signature left", r->what);
	if (r->body != B_RFC822)
		check_untouched(in, out, r->what);
	switch (r->body) {
	case B_SAME: check_same(in, out, r->what); break;
	case B_APPEND: check_append(in, out, r->tail, 0, r->what); break;
	case B_PREPEND: check_append(in, out, r->tail, 1, r->what); break;
	case B_MIXED_EXT: check_mixed_ext(in, out, r->what); break;
	case B_WRAP_MIXED: check_wrap_mixed(in, out, 0, r->what); break;
	case B_RFC822: check_rfc822(in, out, r->tail != NULL, r->what); break;
	}
	tap_int(res.footer_added, !(r->tweak & T_NOFOOTER), "footer_added");
	tap_int(res.wrapped, r->body == B_RFC822, "wrapped");
	tap_ok(msg_find(out, "authentication-results", 0) == 0, "%s: our A-R on top", r->what);
done:
	msg_free(in);
	msg_free(out);
}

/* ---- List-* fields ---------------------------------------------------------------- */

static void check_list_fields(const char *what, unsigned rfc2369, const char *web,
			      const char *const *want)
{
	struct rewrite_settings s;
	struct rewrite_list l = list;
	struct rewrite_author a = { NULL, NULL, DMARC_POLICY_UNSET, 0, 0, 0 };
	struct rewrite_result res;
	struct msg *m = load("plain.eml", NULL);
	static const char *const names[] = { "list-id", "list-post", "list-help",
		"list-subscribe", "list-unsubscribe", "list-unsubscribe-post", "list-owner",
		"list-archive", "precedence", "x-loop", "return-path", "delivered-to", NULL };
	const char *err;
	size_t	i, k;

	settings(&s, T_NOFOOTER | T_NOPREFIX);
	s.include_rfc2369_headers = (int) rfc2369;
	l.web_base_url = web;
	if (m == NULL || !tap_ok(rewrite_post(&m, &l, &s, &a, REWRITE_FROM_KEEP, NULL, NULL, NULL,
					      &res, &err) == 0, "%s: rewrite", what)) {
		msg_free(m);
		return;
	}
	for (i = 0; names[i] != NULL; i++) {
		const char *w = NULL;

		for (k = 0; want[k] != NULL; k++)
			if (strncasecmp(want[k], names[i], strlen(names[i])) == 0
			    && want[k][strlen(names[i])] == ':')
				w = want[k];
		check_field(m, m, names[i], w != NULL ? w : "", what);
		if (w != NULL && msg_find(m, names[i], 0) >= 0)
			tap_int(msg_find(m, names[i], (size_t) msg_find(m, names[i], 0) + 1), -1,
				"only one of it");
	}
	msg_free(m);
}

static void test_list_fields(void)
{
	static const char *const full[] = {
		"List-Id: Development <dev.example.org>",
		"List-Post: <mailto:dev@example.org>",
		"List-Help: <mailto:dev-request@example.org?subject=help>",
		"List-Subscribe: <https://lists.example.org/lists/dev@example.org/subscribe>,\n"
		" <mailto:dev-join@example.org>",
		"List-Unsubscribe: <https://lists.example.org/lists/dev@example.org/unsubscribe>,\n"
		" <mailto:dev-leave@example.org>",
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
		"List-Owner: <mailto:dev-owner@example.org>",
		"Precedence: list", "X-Loop: dev@example.org", NULL,
	};
	static const char *const noweb[] = {
		"List-Id: Development <dev.example.org>",
		"List-Post: <mailto:dev@example.org>",
		"List-Help: <mailto:dev-request@example.org?subject=help>",
		"List-Subscribe: <mailto:dev-join@example.org>",
		"List-Unsubscribe: <mailto:dev-leave@example.org>",
		"List-Owner: <mailto:dev-owner@example.org>",
		"Precedence: list", "X-Loop: dev@example.org", NULL,
	};
	static const char *const only_id[] = {
		"List-Id: Development <dev.example.org>", "Precedence: list",
		"X-Loop: dev@example.org", NULL,
	};

	check_list_fields("List-* with a web URL", 1, "https://lists.example.org/", full);
	check_list_fields("List-* without a web URL", 1, "", noweb);
	check_list_fields("include_rfc2369_headers 0: List-Id only", 0, "https://x.example", only_id);
}

/* ---- the From decision table ---------------------------------------------------------- */

static void test_from_action(void)
{
	static const struct {
		const char *what;
		enum dmarc_policy p;
		int	quar, none, listed, dns_error, dma, fil;
		enum rewrite_from_action want;
	} rows[] = {
		{ "reject: dmarc action", DMARC_POLICY_REJECT, 0, 0, 0, 0, 1, 0, REWRITE_FROM_MUNGE },
		{ "reject, action wrap", DMARC_POLICY_REJECT, 0, 0, 0, 0, 2, 0, REWRITE_FROM_WRAP },
		{ "reject, action reject", DMARC_POLICY_REJECT, 0, 0, 0, 0, 3, 0, REWRITE_FROM_REJECT },
		{ "reject, action discard", DMARC_POLICY_REJECT, 0, 0, 0, 0, 4, 1, REWRITE_FROM_DISCARD },
		{ "reject, action accept: from_is_list", DMARC_POLICY_REJECT, 0, 0, 0, 0, 0, 2,
		  REWRITE_FROM_WRAP },
		{ "quarantine without the flag", DMARC_POLICY_QUARANTINE, 0, 0, 0, 0, 1, 0,
		  REWRITE_FROM_KEEP },
		{ "quarantine with the flag", DMARC_POLICY_QUARANTINE, 1, 0, 0, 0, 1, 0,
		  REWRITE_FROM_MUNGE },
		{ "none with only the none flag", DMARC_POLICY_NONE, 0, 1, 0, 0, 1, 0, REWRITE_FROM_KEEP },
		{ "none with both flags", DMARC_POLICY_NONE, 1, 1, 0, 0, 1, 0, REWRITE_FROM_MUNGE },
		{ "no record, listed author", DMARC_POLICY_UNSET, 0, 0, 1, 0, 2, 0, REWRITE_FROM_WRAP },
		{ "lookup failed: as p=reject", DMARC_POLICY_UNSET, 0, 0, 0, 1, 1, 0, REWRITE_FROM_MUNGE },
		{ "no record: from_is_list 1", DMARC_POLICY_UNSET, 1, 1, 0, 0, 1, 1, REWRITE_FROM_MUNGE },
		{ "no record, from_is_list 0", DMARC_POLICY_UNSET, 1, 1, 0, 0, 1, 0, REWRITE_FROM_KEEP },
	};
	size_t	i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rewrite_settings s;
		struct rewrite_author a = { "a.example", "a.example", rows[i].p, 0,
			rows[i].dns_error, rows[i].listed };

		settings(&s, 0);
		s.dmarc_quarantine_moderation_action = rows[i].quar;
		s.dmarc_none_moderation_action = rows[i].none;
		s.dmarc_moderation_action = rows[i].dma;
		s.from_is_list = rows[i].fil;
		tap_int(rewrite_from_action(&s, &a), rows[i].want, rows[i].what);
	}
}

static void test_refused(void)
{
	struct rewrite_settings s;
	struct rewrite_author a = { NULL, NULL, DMARC_POLICY_UNSET, 0, 0, 0 };
	struct rewrite_result res;
	struct msg *m = load("plain.eml", NULL), *before = m;
	const char *err = NULL;

	settings(&s, 0);
	tap_int(rewrite_post(&m, &list, &s, &a, REWRITE_FROM_REJECT, NULL, NULL, NULL, &res, &err),
		-1, "REJECT is refused");
	tap_ok(m == before && err != NULL, "and the message is left alone (%s)", err);
	msg_free(m);
}

/* ---- the keep check, with real signatures -------------------------------------------------- */

static char *key_record;
static const char keyname[] = "k1._domainkey.reject.example";

static enum dns_status table_txt(void *ctx, const char *name, struct dns_txt_answer *out,
				 const char **error_r)
{
	(void) ctx;
	(void) error_r;
	memset(out, 0, sizeof(*out));
	if (strcasecmp(name, keyname) != 0)
		return DNS_NXDOMAIN;
	out->txt = calloc(1, sizeof(*out->txt));
	out->txt[0].data = (unsigned char *) strdup(key_record);
	out->txt[0].len = strlen(key_record);
	out->count = 1;
	return DNS_OK;
}

/* plain.eml signed by d=reject.example over From, To, Subject, Date,
 * Message-ID (the placeholder signature stays below ours). */
static struct msg *signed_post(struct dkim_privkey *key)
{
	static const char *const h[] = { "from", "to", "subject", "date", "message-id", NULL };
	struct msg *m = load("plain.eml", NULL);
	struct dkim_sign_opts so;
	struct dkim_bodyhash *bh = dkim_bodyhash_new(DKIM_CANON_RELAXED, DKIM_ALGO_ED25519_SHA256, -1);
	size_t	blen;
	const unsigned char *body = msg_body(m, &blen);
	char   *field = NULL;
	const char *err;

	dkim_sign_opts_init(&so);
	so.domain = "reject.example";
	so.selector = "k1";
	so.key = key;
	so.headers = h;
	(void) dkim_bodyhash_update(bh, body, blen);
	(void) dkim_bodyhash_final(bh);
	if (dkim_sign(m, &so, bh, &field, &err) < 0 || msg_insert_top(m, field, strlen(field), &err) < 0)
		tap_diag("signing failed: %s", err);
	free(field);
	dkim_bodyhash_free(bh);
	return m;
}

static void test_keep(void)
{
	static const struct {
		const char *what;
		unsigned tweak;
		int	mode, strict;
		const char *adomain, *org;
		int	kept;
		size_t	removed;
	} rows[] = {
		{ "nothing signed changed: signature and From kept", T_NOPREFIX | T_NOFOOTER, 2, 0,
		  "reject.example", "reject.example", 1, 1 },
		{ "relaxed alignment: author in a subdomain", T_NOPREFIX | T_NOFOOTER, 2, 0,
		  "eu.reject.example", "reject.example", 1, 1 },
		{ "strict alignment refuses the subdomain", T_NOPREFIX | T_NOFOOTER, 2, 1,
		  "eu.reject.example", "reject.example", 0, 2 },
		{ "subject prefix breaks it: removed, From munged", T_NOFOOTER, 2, 0,
		  "reject.example", "reject.example", 0, 2 },
		{ "footer breaks the body hash: removed", T_NOPREFIX, 2, 0,
		  "reject.example", "reject.example", 0, 2 },
		{ "mode 3: removed ones kept as X-Original-DKIM-Signature", T_NOFOOTER, 3, 0,
		  "reject.example", "reject.example", 0, 2 },
		{ "mode 0: nothing removed even when munged", T_NOFOOTER, 0, 0,
		  "reject.example", "reject.example", 0, 0 },
	};
	struct dkim_privkey *key;
	struct buf rec;
	const char *err;
	size_t	i;

	if (!tap_ok((key = dkim_privkey_generate(DKIM_ALGO_ED25519_SHA256, 0, &err)) != NULL,
		    "keep: a test key"))
		return;
	buf_init(&rec, 4096);
	(void) dkim_privkey_record(key, &rec);
	key_record = (char *) buf_str(&rec);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rewrite_settings s;
		struct rewrite_author a = { rows[i].adomain, rows[i].org, DMARC_POLICY_REJECT,
			rows[i].strict, 0, 0 };
		struct rewrite_result res;
		struct dkim_verify_opts vo;
		struct msg *m = signed_post(key), *in = signed_post(key);
		struct dkim_verify_result vr;
		char   *orig_sig = field_str(in, "dkim-signature");

		settings(&s, rows[i].tweak);
		s.remove_dkim_headers = rows[i].mode;
		dkim_verify_opts_init(&vo, table_txt, NULL);
		if (!tap_ok(rewrite_post(&m, &list, &s, &a, REWRITE_FROM_MUNGE, &vo, NULL, NULL,
					 &res, &err) == 0, "%s: rewrite", rows[i].what))
			continue;
		tap_int(res.kept_signature, rows[i].kept, rows[i].what);
		tap_int(res.from_action, rows[i].kept ? REWRITE_FROM_KEEP : REWRITE_FROM_MUNGE,
			"from_action");
		check_field(in, m, "from", rows[i].kept ? NULL
			    : "From: \"Alice Example via Dev\" <dev@example.org>", rows[i].what);
		tap_int((long long) res.dkim_removed, (long long) rows[i].removed, "removed");
		if (rows[i].kept) {
			check_field(in, m, "dkim-signature", NULL, "the kept signature");
			tap_ok(dkim_verify(m, &vo, &vr) == 0 && vr.count == 1
			       && vr.sigs[0].result == DKIM_PASS, "%s: it still verifies", rows[i].what);
			dkim_verify_result_free(&vr);
		}
		if (rows[i].mode == 3) {
			char   *x = field_str(m, "x-original-dkim-signature");

			tap_ok(x != NULL && orig_sig != NULL && strcmp(x + 25, orig_sig + 14) == 0,
			       "X-Original-DKIM-Signature has the same value");
			tap_ok(msg_find(m, "dkim-signature", 0) < 0, "no DKIM-Signature left");
			free(x);
		}
		if (rows[i].mode == 0)
			tap_ok(msg_find(m, "dkim-signature", 0) >= 0, "mode 0 keeps them");
		free(orig_sig);
		msg_free(in);
		msg_free(m);
	}
	buf_free(&rec);
	dkim_privkey_free(key);
}

int main(void)
{
	size_t	i;

	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++)
		run_row(&posts[i]);
	test_list_fields();
	test_from_action();
	test_refused();
	test_keep();
	return tap_done();
}
