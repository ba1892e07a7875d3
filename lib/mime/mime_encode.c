/*
 * NAME
 *	mime_encode 3
 * SUMMARY
 *	quoted-printable and RFC 2047 "B" encoded words, for added text
 * DESCRIPTION
 *	Only text that sealist adds is ever encoded (a footer appended to a
 *	quoted-printable part, a display name or subject prefix with
 *	non-ASCII characters); received bytes are never re-encoded.
 */
#include <string.h>

#include "mime/mime.h"

static const char hex[] = "0123456789ABCDEF";

/* QP lines are at most 76 characters (RFC 2045 section 6.7 rule 5);
 * 75 leaves room for the '=' of a soft line break. */
#define QP_LINE	75

struct qp {
	struct buf *out;
	const char *eol;
	size_t	col;
};

/* Append one encoded unit (1 or 3 characters), breaking softly first
 * when it would not fit. */
static void qp_unit(struct qp *q, const char *u, size_t n)
{
	if (q->col + n > QP_LINE) {
		(void) buf_append_byte(q->out, '=');
		(void) buf_append_str(q->out, q->eol);
		q->col = 0;
	}
	(void) buf_append(q->out, u, n);
	q->col += n;
}

static void qp_byte(struct qp *q, unsigned char c, int at_line_end)
{
	char	u[3];

	if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end)) {
		u[0] = (char) c;
		qp_unit(q, u, 1);
		return;
	}
	u[0] = '=';
	u[1] = hex[c >> 4];
	u[2] = hex[c & 15];
	qp_unit(q, u, 3);
}

int mime_qp_encode(const void *data, size_t len, const char *eol, struct buf *out)
{
	const unsigned char *d = data;
	struct qp q = { out, eol, 0 };
	size_t	i = 0;

	while (i < len) {
		const unsigned char *nl = memchr(d + i, '\n', len - i);
		size_t	le = nl != NULL ? (size_t) (nl - d) : len;
		size_t	end = le;

		if (nl != NULL && end > i && d[end - 1] == '\r')
			end--;		/* the CR belongs to the line end */
		for (; i < end; i++)
			qp_byte(&q, d[i], i + 1 == end && nl != NULL);
		if (nl != NULL) {
			(void) buf_append_str(out, eol);
			q.col = 0;
		}
		i = nl != NULL ? le + 1 : len;
	}
	return buf_failed(out) ? -1 : 0;
}

static void base64(const unsigned char *p, size_t len, struct buf *out)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t	i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned long v = (unsigned long) p[i] << 16 | (unsigned long) p[i + 1] << 8 | p[i + 2];
		char	q[4] = { b64[v >> 18], b64[(v >> 12) & 63], b64[(v >> 6) & 63], b64[v & 63] };

		(void) buf_append(out, q, 4);
	}
	if (len - i == 1) {
		char	q[4] = { b64[p[i] >> 2], b64[(p[i] & 3) << 4], '=', '=' };

		(void) buf_append(out, q, 4);
	} else if (len - i == 2) {
		unsigned long v = (unsigned long) p[i] << 8 | p[i + 1];
		char	q[4] = { b64[v >> 10], b64[(v >> 4) & 63], b64[(v & 15) << 2], '=' };

		(void) buf_append(out, q, 4);
	}
}

/*
 * "=?utf-8?B?" + 60 base64 characters + "?=" is 72 of RFC 2047's 75, so
 * one word holds 45 octets; a chunk ends before a UTF-8 continuation
 * byte so that every word decodes to whole characters (section 5).
 */
#define WORD_OCTETS	45

int mime_encode_words(const void *text, size_t len, const char *fold, struct buf *out)
{
	const unsigned char *t = text;
	size_t	i = 0;

	while (i < len) {
		size_t	max = len - i > WORD_OCTETS ? WORD_OCTETS : len - i, n = max;

		/* A UTF-8 character has at most three continuation bytes;
		 * a longer run is not UTF-8, and is cut anywhere. */
		while (n > 1 && max - n < 3 && i + n < len && (t[i + n] & 0xC0) == 0x80)
			n--;
		if (i + n < len && (t[i + n] & 0xC0) == 0x80 && max - n >= 3)
			n = max;
		if (i > 0)
			(void) buf_append_str(out, fold);
		(void) buf_append_str(out, "=?utf-8?B?");
		base64(t + i, n, out);
		(void) buf_append_str(out, "?=");
		i += n;
	}
	return buf_failed(out) ? -1 : 0;
}
