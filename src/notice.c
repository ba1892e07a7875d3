/*
 * NAME
 *	notice 3
 * SUMMARY
 *	build notice messages from templates
 * DESCRIPTION
 *	See notice.h.  Everything that goes into a header passes through
 *	notice_encode_header or is an address sealist itself chose.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "notice.h"
#include "template.h"

static int notice_is_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s < 0x20 || (unsigned char) *s >= 0x7f)
			return 0;
	return 1;
}

/* One encoded word of at most 45 octets of UTF-8 (60 base64 + 12 = 72). */
static void notice_word(const unsigned char *p, size_t n, struct buf *out)
{
	unsigned char b64[64];
	int	len = EVP_EncodeBlock(b64, p, (int) n);

	buf_append_str(out, "=?utf-8?b?");
	buf_append(out, b64, (size_t) len);
	buf_append_str(out, "?=");
}

/* Cut at most max octets of UTF-8 without splitting a character. */
static size_t notice_cut(const unsigned char *p, size_t left, size_t max)
{
	size_t	n = left < max ? left : max;

	while (n < left && n > 0 && (p[n] & 0xc0) == 0x80)
		n--;
	return n > 0 ? n : (left < max ? left : max);
}

void notice_encode_header(const char *text, struct buf *out)
{
	struct buf clean;
	const unsigned char *p;
	size_t	left, n;

	buf_init(&clean, 64 * 1024);
	for (p = (const unsigned char *) text; *p; p++)
		buf_append_byte(&clean, *p < 0x20 || *p == 0x7f ? ' ' : *p);
	if (notice_is_plain(buf_str(&clean))) {
		buf_append_str(out, buf_str(&clean));
		buf_free(&clean);
		return;
	}
	p = (const unsigned char *) clean.data;
	for (left = clean.len; left > 0; p += n, left -= n) {
		n = notice_cut(p, left, 45);
		if (p != (const unsigned char *) clean.data)
			buf_append_str(out, "\r\n ");
		notice_word(p, n, out);
	}
	buf_free(&clean);
}

int notice_message_id(const char *domain, struct buf *out)
{
	unsigned char r[16];
	size_t	i;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	buf_append_byte(out, '<');
	for (i = 0; i < sizeof(r); i++)
		buf_printf(out, "%02x", r[i]);
	buf_printf(out, "@%s>", domain);
	return 0;
}

void notice_date(time_t now, struct buf *out)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&now, &tm);
	buf_printf(out, "Date: %s, %d %s %d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		   tm.tm_sec);
}

static void notice_headers(const struct notice *n, const char *subject, const char *cte,
			   struct buf *out)
{
	const char *at = strrchr(n->from, '@');

	buf_append_str(out, "From: ");
	if (n->from_name != NULL && *n->from_name) {
		notice_encode_header(n->from_name, out);
		buf_append_byte(out, ' ');
	}
	buf_printf(out, "<%s>\r\nTo: <%s>\r\nSubject: ", n->from, n->to);
	notice_encode_header(subject, out);
	buf_append_str(out, "\r\n");
	notice_date(n->now, out);
	buf_append_str(out, "Message-ID: ");
	notice_message_id(at != NULL ? at + 1 : "localhost", out);
	buf_append_str(out, "\r\n");
	if (n->in_reply_to != NULL && *n->in_reply_to) {
		buf_append_str(out, "In-Reply-To: ");
		notice_encode_header(n->in_reply_to, out);
		buf_append_str(out, "\r\nReferences: ");
		notice_encode_header(n->in_reply_to, out);
		buf_append_str(out, "\r\n");
	}
	if (n->reply_to != NULL)
		buf_printf(out, "Reply-To: <%s>\r\n", n->reply_to);
	buf_printf(out, "Auto-Submitted: %s\r\nMIME-Version: 1.0\r\n"
		   "Content-Type: text/plain; charset=utf-8\r\n"
		   "Content-Transfer-Encoding: %s\r\n\r\n",
		   n->auto_replied ? "auto-replied" : "auto-generated", cte);
}

/* The body with every line end as CRLF. */
static void notice_crlf(const struct buf *body, struct buf *out)
{
	size_t	i;

	for (i = 0; i < body->len; i++) {
		if (body->data[i] == '\n' && (i == 0 || body->data[i - 1] != '\r'))
			buf_append_byte(out, '\r');
		buf_append_byte(out, body->data[i]);
	}
}

/* Plain US-ASCII in lines of at most 78 octets: nothing to encode. */
static int notice_is_7bit(const struct buf *crlf)
{
	size_t	i, col = 0;

	for (i = 0; i < crlf->len; i++) {
		unsigned char c = (unsigned char) crlf->data[i];

		if (c == '\n') {
			col = 0;
			continue;
		}
		if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\r') || ++col > 78)
			return 0;
	}
	return 1;
}

/* One line (no CRLF) as quoted-printable lines of at most 76 octets. */
static void notice_qp_line(const unsigned char *p, size_t n, struct buf *out)
{
	size_t	i, col = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		/* blanks at the end of a line are encoded: transports strip them */
		int	enc = c == '=' || c >= 0x80 || (c < 0x20 && c != '\t')
		    || ((c == ' ' || c == '\t') && i + 1 == n);
		size_t	w = enc ? 3 : 1;

		if (col + w > 75) {
			buf_append_str(out, "=\r\n");
			col = 0;
		}
		if (enc)
			buf_printf(out, "=%02X", c);
		else
			buf_append_byte(out, (char) c);
		col += w;
	}
}

/* RFC 2045 section 6.7 quoted-printable; the CRLFs stay hard line breaks. */
static void notice_qp(const struct buf *crlf, struct buf *out)
{
	const unsigned char *p = (const unsigned char *) crlf->data, *end = p + crlf->len;

	while (p < end) {
		const unsigned char *eol = memchr(p, '\n', (size_t) (end - p));
		size_t	n = (eol != NULL ? (size_t) (eol - p) : (size_t) (end - p));

		if (n > 0 && p[n - 1] == '\r')
			n--;
		notice_qp_line(p, n, out);
		buf_append_str(out, "\r\n");
		p = eol != NULL ? eol + 1 : end;
	}
}

int notice_build(const struct notice *n, struct buf *out, const char **error_r)
{
	struct buf body, crlf;
	char   *subject = NULL;
	int	rc;

	buf_init(&body, 256 * 1024);
	buf_init(&crlf, 512 * 1024);
	rc = template_render_for(n->templates_dir, n->list, n->template, n->vars, &subject, &body,
				 error_r);
	if (rc == 0) {
		int	plain;

		notice_crlf(&body, &crlf);
		plain = notice_is_7bit(&crlf);
		notice_headers(n, subject, plain ? "7bit" : "quoted-printable", out);
		if (plain)
			buf_append(out, crlf.data, crlf.len);
		else
			notice_qp(&crlf, out);
		if (buf_failed(out) || buf_failed(&crlf)) {
			*error_r = "notice too large";
			rc = -1;
		}
	}
	free(subject);
	buf_free(&body);
	buf_free(&crlf);
	return rc;
}
