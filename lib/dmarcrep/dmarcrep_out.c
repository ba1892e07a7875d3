/*
 * NAME
 *	dmarcrep_out 3
 * SUMMARY
 *	DMARC aggregate reports we send: RFC 9990 XML, gzip, file name,
 *	Subject, rua= destinations
 * DESCRIPTION
 *	This file owns the writing half of lib/dmarcrep (the contract is
 *	dmarcrep_out.h).  The XML is written by hand, element by element in
 *	the order of RFC 9990 Appendix A, so that nothing of a DOM is kept
 *	for 50,000 records; every value goes through put_text, which is the
 *	one place that escapes and cleans text for XML 1.0.  Values the
 *	schema restricts (enumerations, integers, addresses) are checked
 *	before they are written: a report we cannot write validly is refused
 *	rather than sent broken.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "buf/buf.h"
#include "dmarcrep/dmarcrep_out.h"
#include "sealist_limits.h"

/* error_r may point here: a refusal names the element (per thread). */
static _Thread_local char out_why[160];

/* "<name>: what" */
static const char *why(const char *name, const char *what)
{
	snprintf(out_why, sizeof(out_why), "<%s>: %s", name, what);
	return out_why;
}

/* ---- Text for XML 1.0 ---- */

/*
 * The length of the valid UTF-8 sequence at s[0..n) (1..4), its code
 * point in *cp; 0 when the octets are not valid UTF-8 (overlong forms,
 * surrogates, beyond U+10FFFF, truncated, stray continuation octets).
 */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t	len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000)
	    || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return len;
}

/*
 * Append s escaped for XML character data and attribute values (& < > "
 * '), without the characters XML 1.0 forbids: C0 controls other than TAB,
 * LF and CR, and U+FFFE/U+FFFF are dropped; an octet that does not start
 * valid UTF-8 becomes U+FFFD, so the reader sees that something was
 * there.  At most max octets of cleaned text are written, cut at a
 * character boundary (LIMIT_DMARCREP_FIELD: our own reader's cap).
 */
static void put_text(struct buf *b, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *) str;
	size_t	n = strlen(str), used = 0, len;
	uint32_t cp;

	while (n > 0) {
		len = utf8_seq(s, n, &cp);
		if (len == 0) {
			if (used + 3 > max)
				return;
			buf_append(b, "\xEF\xBF\xBD", 3);
			used += 3;
			s++, n--;
			continue;
		}
		if (used + len > max)
			return;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
		    || cp == 0xFFFE || cp == 0xFFFF) {
			s += len, n -= len;
			continue;
		}
		if (cp == '&')
			buf_append_str(b, "&amp;");
		else if (cp == '<')
			buf_append_str(b, "&lt;");
		else if (cp == '>')
			buf_append_str(b, "&gt;");
		else if (cp == '"')
			buf_append_str(b, "&quot;");
		else if (cp == '\'')
			buf_append_str(b, "&apos;");
		else
			buf_append(b, s, len);
		used += len;
		s += len, n -= len;
	}
}

/* ---- Elements ---- */

/* The writer's state: the document so far and the first refusal. */
struct wr {
	struct buf *b;
	const char *err;
	int	depth;		/* for indentation only */
};

static void indent(struct wr *w)
{
	int	i;

	for (i = 0; i < w->depth; i++)
		buf_append_str(w->b, "  ");
}

static void open_el(struct wr *w, const char *name)
{
	indent(w);
	buf_printf(w->b, "<%s>\n", name);
	w->depth++;
}

static void close_el(struct wr *w, const char *name)
{
	w->depth--;
	indent(w);
	buf_printf(w->b, "</%s>\n", name);
}

/*
 * Does s hold a character a reader keeps: not white space, not a C0 or
 * C1 control or DEL, not U+FFFE/U+FFFF?  (An invalid octet counts: it is
 * written as U+FFFD.)  A required value without one would read back empty.
 */
static int has_visible(const char *str)
{
	const unsigned char *s = (const unsigned char *) str;
	size_t	n = strlen(str), len;
	uint32_t cp;

	for (; n > 0; s += len, n -= len) {
		len = utf8_seq(s, n, &cp);
		if (len == 0)
			return 1;
		if (cp > 0x20 && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F)
		    && cp != 0xFFFE && cp != 0xFFFF)
			return 1;
	}
	return 0;
}

enum text_kind {
	T_NAME,		/* names and ids: refused when too long (cut only when
			   U+FFFD for bad octets makes them grow past the cap) */
	T_FREE,		/* free text: cut at LIMIT_DMARCREP_FIELD - 1 octets */
};

/*
 * <name>value</name>; NULL (and "" for optional values) omits the
 * element, or is refused when required.
 */
static void text_el(struct wr *w, const char *name, const char *val, int required,
		    enum text_kind kind)
{
	if (w->err != NULL)
		return;
	if (val == NULL || *val == 0 || (required && !has_visible(val))) {
		if (required)
			w->err = why(name, "missing");
		return;
	}
	if (kind == T_NAME && strlen(val) >= LIMIT_DMARCREP_FIELD) {
		w->err = why(name, "too long");
		return;
	}
	indent(w);
	buf_printf(w->b, "<%s>", name);
	put_text(w->b, val, LIMIT_DMARCREP_FIELD - 1);
	buf_printf(w->b, "</%s>\n", name);
}

/* words: "a|b|c"; val must be one of them exactly (case matters). */
static int in_list(const char *val, const char *words)
{
	size_t	n = strlen(val);
	const char *p = words, *bar;

	for (;;) {
		bar = strchr(p, '|');
		if (bar == NULL)
			return n > 0 && strcmp(p, val) == 0;
		if ((size_t) (bar - p) == n && n > 0 && memcmp(p, val, n) == 0)
			return 1;
		p = bar + 1;
	}
}

/* An element of an enumerated type: the value is checked, not cleaned. */
static void enum_el(struct wr *w, const char *name, const char *val, int required,
		    const char *words)
{
	if (w->err != NULL)
		return;
	if (val != NULL && *val != 0 && !in_list(val, words)) {
		w->err = why(name, "a value RFC 9990 does not allow");
		return;
	}
	text_el(w, name, val, required, T_NAME);
}

static void int_el(struct wr *w, const char *name, long long val)
{
	indent(w);
	buf_printf(w->b, "<%s>%lld</%s>\n", name, val, name);
}

/* ---- The document ---- */

#define W_DISPOSITION	"none|quarantine|reject"
#define W_ACTION	"none|pass|quarantine|reject"
#define W_ALIGN		"r|s"
#define W_DISCOVERY	"psl|treewalk"
#define W_TESTING	"n|y"
#define W_DMARC		"pass|fail"
#define W_REASON	"local_policy|mailing_list|other|policy_test_mode|trusted_forwarder"
#define W_DKIM		"none|pass|fail|policy|neutral|temperror|permerror"
#define W_SPF		"none|pass|fail|softfail|policy|neutral|temperror|permerror"
#define W_SCOPE		"mfrom"

static void write_metadata(struct wr *w, const struct dmarcrep_out *r)
{
	if (r->date_begin < 0 || r->date_end < r->date_begin) {
		w->err = "bad <date_range>: begin must be >= 0 and <= end";
		return;
	}
	open_el(w, "report_metadata");
	text_el(w, "org_name", r->org_name, 1, T_NAME);
	text_el(w, "email", r->email, 1, T_NAME);
	text_el(w, "extra_contact_info", r->extra_contact, 0, T_FREE);
	text_el(w, "report_id", r->report_id, 1, T_NAME);
	open_el(w, "date_range");
	int_el(w, "begin", r->date_begin);
	int_el(w, "end", r->date_end);
	close_el(w, "date_range");
	text_el(w, "error", r->error, 0, T_FREE);
	text_el(w, "generator", r->generator, 0, T_NAME);
	close_el(w, "report_metadata");
}

static void write_policy(struct wr *w, const struct dmarcrep_out *r)
{
	open_el(w, "policy_published");
	text_el(w, "domain", r->domain, 1, T_NAME);
	enum_el(w, "p", r->p, 1, W_DISPOSITION);
	enum_el(w, "sp", r->sp, 0, W_DISPOSITION);
	enum_el(w, "np", r->np, 0, W_DISPOSITION);
	enum_el(w, "adkim", r->adkim, 0, W_ALIGN);
	enum_el(w, "aspf", r->aspf, 0, W_ALIGN);
	enum_el(w, "discovery_method", r->discovery_method, 0, W_DISCOVERY);
	text_el(w, "fo", r->fo, 0, T_NAME);
	enum_el(w, "testing", r->testing, 0, W_TESTING);
	close_el(w, "policy_published");
}

static void write_row(struct wr *w, const struct dmarcrep_out_record *x)
{
	unsigned char addr[16];

	if (x->source_ip == NULL || (inet_pton(AF_INET, x->source_ip, addr) != 1
				     && inet_pton(AF_INET6, x->source_ip, addr) != 1)) {
		w->err = "<source_ip>: not an IPv4 or IPv6 address";
		return;
	}
	if (x->count < 1) {
		w->err = "<count>: must be at least 1";
		return;
	}
	open_el(w, "row");
	text_el(w, "source_ip", x->source_ip, 1, T_NAME);
	int_el(w, "count", x->count);
	open_el(w, "policy_evaluated");
	enum_el(w, "disposition", x->disposition, 1, W_ACTION);
	enum_el(w, "dkim", x->dkim, 1, W_DMARC);
	enum_el(w, "spf", x->spf, 1, W_DMARC);
	if (x->reason_type != NULL) {
		open_el(w, "reason");
		enum_el(w, "type", x->reason_type, 1, W_REASON);
		text_el(w, "comment", x->reason_comment, 0, T_FREE);
		close_el(w, "reason");
	}
	close_el(w, "policy_evaluated");
	close_el(w, "row");
}

static void write_auth(struct wr *w, const struct dmarcrep_out_record *x)
{
	const struct dmarcrep_out_auth *a;
	size_t	i;

	open_el(w, "auth_results");
	for (i = 0; i < x->ndkim && w->err == NULL; i++) {
		a = &x->dkim_results[i];
		open_el(w, "dkim");
		text_el(w, "domain", a->domain, 1, T_NAME);
		text_el(w, "selector", a->selector, 1, T_NAME);
		enum_el(w, "result", a->result, 1, W_DKIM);
		text_el(w, "human_result", a->human_result, 0, T_FREE);
		close_el(w, "dkim");
	}
	if ((a = x->spf_result) != NULL) {
		open_el(w, "spf");
		text_el(w, "domain", a->domain, 1, T_NAME);
		enum_el(w, "scope", a->scope, 0, W_SCOPE);
		enum_el(w, "result", a->result, 1, W_SPF);
		text_el(w, "human_result", a->human_result, 0, T_FREE);
		close_el(w, "spf");
	}
	close_el(w, "auth_results");
}

static void write_record(struct wr *w, const struct dmarcrep_out_record *x)
{
	open_el(w, "record");
	write_row(w, x);
	if (w->err != NULL)
		return;
	open_el(w, "identifiers");
	text_el(w, "header_from", x->header_from, 1, T_NAME);
	text_el(w, "envelope_from", x->envelope_from, 0, T_NAME);
	text_el(w, "envelope_to", x->envelope_to, 0, T_NAME);
	close_el(w, "identifiers");
	if (x->ndkim > 0 && x->dkim_results == NULL)
		w->err = "ndkim > 0 without dkim_results";
	else
		write_auth(w, x);
	close_el(w, "record");
}

/* Why the buf failed, said for a report (the caller may split it). */
static const char *buf_why(const struct buf *b)
{
	return b->error == BUF_TOO_BIG ? "report larger than the buffer's maximum"
				       : "out of memory";
}

int dmarcrep_write(const struct dmarcrep_out *r, struct buf *xml, const char **error_r)
{
	struct wr w = {.b = xml, .err = NULL, .depth = 0};
	size_t	start = xml->len, i;

	if (r->nrecords == 0 || r->records == NULL)
		w.err = "a report needs at least one <record>";
	else if (r->nrecords > LIMIT_DMARCREP_RECORDS)
		w.err = "more records than LIMIT_DMARCREP_RECORDS";
	if (w.err == NULL) {
		buf_append_str(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			       "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n");
		w.depth = 1;
		buf_append_str(xml, "  <version>1.0</version>\n");
		write_metadata(&w, r);
	}
	if (w.err == NULL)
		write_policy(&w, r);
	for (i = 0; w.err == NULL && i < r->nrecords; i++) {
		write_record(&w, &r->records[i]);
		if (xml->len - start > LIMIT_DMARCREP_OUT)
			w.err = "report larger than LIMIT_DMARCREP_OUT";
		else if (buf_failed(xml))
			w.err = buf_why(xml);
	}
	if (w.err == NULL)
		buf_append_str(xml, "</feedback>\n");
	if (w.err == NULL && buf_failed(xml))
		w.err = buf_why(xml);
	if (w.err != NULL) {
		if (xml->len > start)
			buf_truncate(xml, start);
		*error_r = w.err;
		return -1;
	}
	return 0;
}

/* ---- gzip (RFC 1952) ---- */

/* Deflate what z holds into out, 16 KiB at a time; Z_STREAM_END at the end. */
static int gzip_pump(z_stream *z, int flush, struct buf *out)
{
	unsigned char chunk[16384];
	int	rc;

	do {
		z->next_out = chunk;
		z->avail_out = sizeof(chunk);
		rc = deflate(z, flush);
		if (rc == Z_STREAM_ERROR)
			return rc;
		if (buf_append(out, chunk, sizeof(chunk) - z->avail_out) < 0)
			return Z_MEM_ERROR;
	} while (z->avail_out == 0);
	return rc;
}

int dmarcrep_gzip(const void *data, size_t len, const char *name,
		  long long mtime, struct buf *out, const char **error_r)
{
	z_stream z;
	gz_header h;
	size_t	start = out->len, step;
	int	rc = Z_OK;

	/* MTIME is 32 bits; FNAME a NUL-terminated name, kept short. */
	if (mtime < 0 || mtime > 0xFFFFFFFFLL) {
		*error_r = "gzip: mtime outside 0..2^32-1";
		return -1;
	}
	if (name != NULL && strlen(name) >= LIMIT_DMARCREP_FIELD) {
		*error_r = "gzip: file name too long";
		return -1;
	}
	memset(&z, 0, sizeof(z));
	memset(&h, 0, sizeof(h));
	h.time = (uLong) mtime;
	h.os = 3;		/* Unix, as gzip(1) writes on Unix */
	h.name = (Bytef *) (uintptr_t) name;
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		*error_r = "gzip: deflateInit2 failed (out of memory)";
		return -1;
	}
	if (deflateSetHeader(&z, &h) != Z_OK)
		rc = Z_STREAM_ERROR;
	z.next_in = (Bytef *) (uintptr_t) data;
	/* avail_in is an unsigned int: feed larger inputs in steps. */
	while (rc == Z_OK && len > 0) {
		step = len > UINT_MAX ? UINT_MAX : len;
		z.avail_in = (uInt) step;
		rc = gzip_pump(&z, Z_NO_FLUSH, out);
		len -= step - z.avail_in;
	}
	if (rc == Z_OK || rc == Z_BUF_ERROR)
		rc = gzip_pump(&z, Z_FINISH, out);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		buf_truncate(out, start);
		*error_r = buf_failed(out) ? buf_strerror(out) : "gzip: deflate failed";
		return -1;
	}
	return 0;
}

/* ---- File name and Subject (RFC 9990 section 3.5.2) ---- */

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * RFC 6376's domain-name: sub-domain 1*("." sub-domain), each
 * let-dig [ldh-str] (no leading or trailing hyphen), at least two labels;
 * and within DNS limits (253 octets, 63 per label).
 */
static int is_domain_name(const char *s)
{
	size_t	label = 0, labels = 1, n = 0;
	const char *p;

	if (s == NULL)
		return 0;
	for (p = s; *p != 0; p++, n++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return 0;
			label = 0, labels++;
			continue;
		}
		if (!is_alnum((unsigned char) *p) && !(*p == '-' && label > 0))
			return 0;
		if (++label > 63)
			return 0;
	}
	return n > 0 && n <= 253 && label > 0 && p[-1] != '-' && labels >= 2;
}

int dmarcrep_filename(const char *receiver, const char *policy_domain,
		      long long begin, long long end, const char *unique_id,
		      int gz, struct buf *out)
{
	const char *p;

	if (!is_domain_name(receiver) || !is_domain_name(policy_domain)
	    || begin < 0 || end < begin)
		return -1;
	if (unique_id != NULL) {
		for (p = unique_id; *p != 0; p++)
			if (!is_alnum((unsigned char) *p) || p - unique_id >= 64)
				return -1;
	}
	buf_printf(out, "%s!%s!%lld!%lld", receiver, policy_domain, begin, end);
	if (unique_id != NULL && *unique_id != 0)
		buf_printf(out, "!%s", unique_id);
	buf_append_str(out, gz ? ".xml.gz" : ".xml");
	return buf_failed(out) ? -1 : 0;
}

/* RFC 5322 atext */
static int is_atext(int c)
{
	return is_alnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* dot-atom-text over s[0..n) */
static int is_dot_atom(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!(is_atext((unsigned char) s[i]) || (s[i] == '.' && s[i - 1] != '.')))
			return 0;
	return 1;
}

/* ridfmt = dot-atom-text ["@" dot-atom-text] over s[0..n) */
static int is_ridfmt(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);

	if (at == NULL)
		return is_dot_atom(s, n);
	return is_dot_atom(s, (size_t) (at - s))
	    && is_dot_atom(at + 1, n - (size_t) (at - s) - 1);
}

/* The Subject's words; a line break is forced before the ones marked. */
struct subj_word {
	const char *s;
	size_t	len;
	int	newline;
};

/*
 * The words joined by SP, folded with CRLF SP: greedily, a word goes
 * on the current line while that stays within 78 octets, the 9 of
 * "Subject: " counted on the first; "Submitter:" and "Report-ID:" always
 * start a line, as in the RFC's example.  A single word longer than a
 * line stands alone on its line (RFC 5322 allows up to 998 octets).
 */
static void subj_fold(const struct subj_word *w, size_t n, struct buf *out)
{
	size_t	col = strlen("Subject: "), i;

	for (i = 0; i < n; i++) {
		if (i > 0 && (w[i].newline || col + 1 + w[i].len > 78)) {
			buf_append_str(out, "\r\n");
			col = 0;
		}
		if (i > 0) {
			buf_append_byte(out, ' ');
			col++;
		}
		buf_append(out, w[i].s, w[i].len);
		col += w[i].len;
	}
}

int dmarcrep_subject(const char *policy_domain, const char *submitter,
		     const char *report_id, struct buf *out)
{
	struct subj_word w[7];
	struct buf rid;
	size_t	n = 0, idlen;
	const char *id = report_id;

	if (!is_domain_name(policy_domain) || !is_domain_name(submitter))
		return -1;
	w[n++] = (struct subj_word) {"Report", 6, 0};
	w[n++] = (struct subj_word) {"Domain:", 7, 0};
	w[n++] = (struct subj_word) {policy_domain, strlen(policy_domain), 0};
	w[n++] = (struct subj_word) {"Submitter:", 10, 1};
	w[n++] = (struct subj_word) {submitter, strlen(submitter), 0};
	buf_init(&rid, 1024);
	if (id != NULL) {
		idlen = strlen(id);
		if (idlen >= 2 && id[0] == '<' && id[idlen - 1] == '>')
			id++, idlen -= 2;
		/* "<" id ">" on a line of its own stays below 998 octets. */
		if (idlen > 900 || !is_ridfmt(id, idlen))
			return -1;
		buf_append_byte(&rid, '<');
		buf_append(&rid, id, idlen);
		buf_append_byte(&rid, '>');
		w[n++] = (struct subj_word) {"Report-ID:", 10, 1};
		w[n++] = (struct subj_word) {buf_str(&rid), rid.len, 0};
	}
	subj_fold(w, n, out);
	buf_free(&rid);
	return buf_failed(out) ? -1 : 0;
}

/* ---- rua= (RFC 9989 section 4.7) ---- */

static int is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* RFC 3986 characters a URI may hold (unreserved, reserved, '%'). */
static int is_uri_char(int c)
{
	return is_alnum(c) || (c != 0 && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL);
}

/* "!" 1*DIGIT ["k"/"m"/"g"/"t"] over s[0..n) into *size; 0 or -1. */
static int parse_size(const char *s, size_t n, unsigned long long *size)
{
	unsigned long long v = 0, unit = 1;
	size_t	i = 1;

	if (n < 2 || s[0] != '!')
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned) (s[i] - '0');
	}
	if (i == 1)
		return -1;
	if (i + 1 == n) {
		switch (lower(s[i])) {
		case 'k': unit = 1ULL << 10; break;
		case 'm': unit = 1ULL << 20; break;
		case 'g': unit = 1ULL << 30; break;
		case 't': unit = 1ULL << 40; break;
		default: return -1;
		}
	} else if (i != n) {
		return -1;
	}
	if (v > ULLONG_MAX / unit)
		return -1;
	*size = v * unit;
	return 0;
}

/*
 * The addr-spec of "mailto:" s[0..n) (after the scheme), percent-decoded,
 * into *r: a dot-atom local part and an RFC 6376 domain-name, lowercased.
 * Header fields after '?' are ignored; several addresses in one URI, a
 * quoted local part or a domain literal count as malformed.  0 or -1.
 */
static int parse_mailto(const char *s, size_t n, struct dmarcrep_rua *r)
{
	char   *addr = r->address;
	size_t	len = 0, i, at;
	int	hi, lo;
	const char *q = memchr(s, '?', n);

	if (q != NULL)
		n = (size_t) (q - s);
	for (i = 0; i < n; i++) {
		int	c = (unsigned char) s[i];

		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			hi = buf_hex_value((unsigned char) s[i + 1]);
			lo = buf_hex_value((unsigned char) s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == 0)
			return -1;	/* "%00" would hide the rest from C string checks */
		if (len + 1 >= sizeof(r->address))
			return -1;
		addr[len++] = (char) c;
	}
	addr[len] = 0;
	q = memchr(addr, '@', len);
	if (q == NULL)
		return -1;
	at = (size_t) (q - addr);
	for (i = at + 1; i < len; i++)
		addr[i] = (char) lower((unsigned char) addr[i]);
	if (at > 64 || !is_dot_atom(addr, at) || !is_domain_name(addr + at + 1))
		return -1;
	memcpy(r->host, addr + at + 1, len - at);
	return 0;
}

/* One URI s[0..n) (white space already trimmed) into *r; 0, or -1 to skip it. */
static int parse_uri(const char *s, size_t n, struct dmarcrep_rua *r)
{
	const char *bang;
	size_t	i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++)
		if (!is_uri_char((unsigned char) s[i]))
			return -1;
	/* '!' must be percent-encoded in the URI (RFC 9989): the first one
	   starts the obsolete size suffix. */
	bang = memchr(s, '!', n);
	if (bang != NULL) {
		if (parse_size(bang, n - (size_t) (bang - s), &r->max_size) < 0)
			return -1;
		n = (size_t) (bang - s);
	}
	if (n < 7 || strncasecmp(s, "mailto:", 7) != 0)
		return -1;
	return parse_mailto(s + 7, n - 7, r);
}

/* dmarcrep_rua_parse over s[0..len), which need not end in a NUL. */
static size_t rua_parse(const char *s, size_t len, struct dmarcrep_rua *out, size_t max)
{
	size_t	kept = 0, b, e, next;

	if (max > DMARCREP_RUA_MAX)
		max = DMARCREP_RUA_MAX;
	if (len > LIMIT_DMARCREP_RUA)
		return 0;
	for (b = 0; b <= len && kept < max; b = next + 1) {
		const char *comma = memchr(s + b, ',', len - b);

		next = comma != NULL ? (size_t) (comma - s) : len;
		for (e = next; e > b && is_wsp((unsigned char) s[e - 1]); e--)
			;
		while (b < e && is_wsp((unsigned char) s[b]))
			b++;
		if (b < e && parse_uri(s + b, e - b, &out[kept]) == 0)
			kept++;
		if (comma == NULL)
			break;
	}
	return kept;
}

size_t dmarcrep_rua_parse(const char *rua, struct dmarcrep_rua *out, size_t max)
{
	return rua_parse(rua, strnlen(rua, LIMIT_DMARCREP_RUA + 1), out, max);
}

/* ---- External destinations (RFC 9990 section 4) ---- */

/* s without its trailing dots: the length to use. */
static size_t undot(const char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && s[n - 1] == '.')
		n--;
	return n;
}

/* Labels of s[0..n) all 1..63 octets of printable ASCII. */
static int labels_ok(const char *s, size_t n)
{
	size_t	i, label = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((unsigned char) s[i] <= ' ' || (unsigned char) s[i] >= 0x7f
			   || ++label > 63) {
			return 0;
		}
	}
	return label > 0;
}

int dmarcrep_ext_name(const char *policy_domain, const char *dest_host,
		      char *out, size_t outsize)
{
	static const char mid[] = "._report._dmarc.";
	size_t	pn = undot(policy_domain), hn = undot(dest_host);
	size_t	total = pn + strlen(mid) + hn;

	if (!labels_ok(policy_domain, pn) || !labels_ok(dest_host, hn)
	    || total > 253 || total + 1 > outsize)
		return -1;
	memcpy(out, policy_domain, pn);
	memcpy(out + pn, mid, strlen(mid));
	memcpy(out + pn + strlen(mid), dest_host, hn);
	out[total] = 0;
	return 0;
}

/*
 * Does t[0..n) start with the tag "v=DMARC1" (WSP allowed around '=',
 * the value case-sensitive, then the end, WSP or ';')?  RFC 9990 section
 * 4 step 6 and RFC 9989 section 4.7's dmarc-version.
 */
static int starts_dmarc1(const char *t, size_t n)
{
	size_t	i = 0;

	while (i < n && is_wsp((unsigned char) t[i]))
		i++;
	if (i >= n || t[i++] != 'v')
		return 0;
	while (i < n && is_wsp((unsigned char) t[i]))
		i++;
	if (i >= n || t[i++] != '=')
		return 0;
	while (i < n && is_wsp((unsigned char) t[i]))
		i++;
	if (n - i < 6 || memcmp(t + i, "DMARC1", 6) != 0)
		return 0;
	i += 6;
	while (i < n && is_wsp((unsigned char) t[i]))
		i++;
	return i == n || t[i] == ';';
}

/* The value of the first "rua" tag of tag list t[0..n): *v, *vn; 0 or -1. */
static int find_rua(const char *t, size_t n, const char **v, size_t *vn)
{
	size_t	b = 0, e, i, name_end;

	while (b < n) {
		const char *semi = memchr(t + b, ';', n - b);

		e = semi != NULL ? (size_t) (semi - t) : n;
		for (i = b; i < e && is_wsp((unsigned char) t[i]); i++)
			;
		for (name_end = i; name_end < e && is_alnum((unsigned char) t[name_end]);
		     name_end++)
			;
		if (name_end - i == 3 && strncmp(t + i, "rua", 3) == 0) {
			for (i = name_end; i < e && is_wsp((unsigned char) t[i]); i++)
				;
			if (i < e && t[i] == '=') {
				for (i++; i < e && is_wsp((unsigned char) t[i]); i++)
					;
				*v = t + i;
				*vn = e - i;
				return 0;
			}
		}
		b = e + 1;
	}
	return -1;
}

/* Host names equal, case-insensitively and without trailing dots. */
static int same_host(const char *a, const char *b)
{
	size_t	an = undot(a), bn = undot(b);

	return an == bn && strncasecmp(a, b, an) == 0;
}

enum dmarcrep_ext dmarcrep_ext_check(const unsigned char *const *txt,
				     const size_t *len, size_t n,
				     const char *dest_host,
				     struct dmarcrep_rua *override,
				     int *has_override)
{
	struct dmarcrep_rua uris[DMARCREP_RUA_MAX];
	const char *t, *v = NULL;
	size_t	i, k, nuris, vn = 0, valid = 0;

	*has_override = 0;
	for (i = 0; i < n; i++) {
		t = (const char *) txt[i];
		/* Too long or holding a NUL: not a record we parse (step 6). */
		if (t == NULL || len[i] > LIMIT_DMARCREP_RUA || memchr(t, 0, len[i]) != NULL
		    || !starts_dmarc1(t, len[i]))
			continue;
		valid++;
		if (v == NULL && find_rua(t, len[i], &v, &vn) < 0)
			v = NULL;
	}
	if (valid == 0)
		return DMARCREP_EXT_REFUSED;
	if (v == NULL)
		return DMARCREP_EXT_AUTHORIZED;
	/* Step 9 and the paragraph after it: an override that names another
	   host, in any of its URIs, stops reports to both. */
	nuris = rua_parse(v, vn, uris, DMARCREP_RUA_MAX);
	for (k = 0; k < nuris; k++)
		if (!same_host(uris[k].host, dest_host))
			return DMARCREP_EXT_LOOP;
	if (nuris > 0) {
		*override = uris[0];
		*has_override = 1;
	}
	return DMARCREP_EXT_AUTHORIZED;
}
