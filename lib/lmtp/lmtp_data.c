/*
 * NAME
 *	lmtp_data 3
 * SUMMARY
 *	the DATA section reader: dot-unstuffing, end marker, limits
 * DESCRIPTION
 *	A state machine over arbitrary chunks (see lmtp.h).  The states say
 *	what we have seen of the current line:
 *
 *	BOL	nothing: the line starts here (the previous one ended CRLF)
 *	DOT	a leading "." not yet given out (stuffing, or the end marker)
 *	DOT_CR	".\r": the end marker if LF follows
 *	TEXT	some octets of the line
 *	CR	some octets then a CR not yet known to end the line
 *
 *	Octets are appended to the output in runs, not one by one: only a
 *	leading dot is ever dropped, and a CR held back in DOT_CR is
 *	appended from a literal because its chunk may be gone.
 *
 *	Line lengths count the octets of the line without its CRLF and
 *	without a stuffing dot, as RFC 5321 section 4.5.3.1.6 counts them.
 */
#include <stdint.h>
#include <string.h>

#include "lmtp/lmtp.h"

enum { S_BOL, S_DOT, S_DOT_CR, S_TEXT, S_CR, S_END };

void lmtp_data_init(struct lmtp_data *d, size_t max_size, size_t max_line)
{
	memset(d, 0, sizeof(*d));
	d->max_size = max_size;
	d->max_line = max_line;
	d->state = S_BOL;
}

/*
 * Count p/n as message octets and append them unless an error stopped
 * output.  On an error the output is emptied, so what it holds never
 * depends on how the input was cut into chunks.
 */
static void emit(struct lmtp_data *d, struct buf *out,
		 const unsigned char *p, size_t n)
{
	if (n == 0)
		return;
	d->size = n > SIZE_MAX - d->size ? SIZE_MAX : d->size + n;
	/* Too big wins over a long line, whichever was seen first. */
	if (d->size > d->max_size && d->error != LMTP_DATA_NO_MEMORY)
		d->error = LMTP_DATA_TOO_BIG;
	if (d->error == LMTP_DATA_OK && buf_append(out, p, n) < 0)
		d->error = out->error == BUF_TOO_BIG ? LMTP_DATA_TOO_BIG
		    : LMTP_DATA_NO_MEMORY;
	if (d->error != LMTP_DATA_OK)
		buf_truncate(out, 0);
}

/* One more octet on the current line; the line limit is checked here. */
static void count(struct lmtp_data *d, size_t n)
{
	d->line_len += n;
	if (d->line_len > d->max_line && d->error == LMTP_DATA_OK)
		d->error = LMTP_DATA_LINE_TOO_LONG;
}

/*
 * TEXT and CR: scan from p[*i] while the line goes on, returning at a
 * CRLF (state BOL) or at the end of the chunk.  The caller flushes the
 * run [run, *i) afterwards.
 */
static void scan_text(struct lmtp_data *d, const unsigned char *p, size_t len,
		      size_t *i)
{
	while (*i < len) {
		unsigned char c = p[(*i)++];

		if (d->state == S_CR) {
			if (c == '\n') {
				d->state = S_BOL;
				d->line_len = 0;
				d->lines++;
				return;
			}
			count(d, 1);	/* the CR was data after all */
			d->state = S_TEXT;
		}
		if (c == '\r') {
			d->state = S_CR;
			continue;
		}
		if (c == '\n')
			d->bare_lf++;
		count(d, 1);
	}
}

int lmtp_data_feed(struct lmtp_data *d, const unsigned char *p, size_t len,
		   struct buf *out, size_t *used_r)
{
	size_t	i = 0, run = 0;

	while (i < len && d->state != S_END) {
		unsigned char c = p[i];

		switch (d->state) {
		case S_BOL:
			if (c == '.') {
				d->state = S_DOT;
				i++;
				run = i;	/* the dot is never output here */
				break;
			}
			d->state = S_TEXT;
			break;
		case S_DOT:
			if (c == '\r') {
				d->state = S_DOT_CR;
				i++;
				run = i;
				break;
			}
			d->state = S_TEXT;	/* stuffed: the dot is dropped */
			break;
		case S_DOT_CR:
			if (c == '\n') {
				d->state = S_END;
				i++;
				run = i;
				break;
			}
			emit(d, out, (const unsigned char *) "\r", 1);
			count(d, 1);
			d->state = S_TEXT;
			break;
		default:
			scan_text(d, p, len, &i);
			emit(d, out, p + run, i - run);
			run = i;
			break;
		}
	}
	emit(d, out, p + run, i - run);
	if (d->error != LMTP_DATA_OK)
		buf_truncate(out, 0);	/* a line error after the last run */
	*used_r = i;
	return d->state == S_END;
}

const char *lmtp_data_reply(const struct lmtp_data *d)
{
	switch (d->error) {
	case LMTP_DATA_TOO_BIG:
		return "552 5.3.4 Error: message exceeds the size limit";
	case LMTP_DATA_LINE_TOO_LONG:
		return "552 5.3.4 Error: message line exceeds the line length limit";
	case LMTP_DATA_NO_MEMORY:
		return "451 4.3.0 Error: out of memory, try again later";
	default:
		return NULL;
	}
}
