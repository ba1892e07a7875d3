/*
 * NAME
 *	dkim_canon 3
 * SUMMARY
 *	canonicalization (RFC 6376 section 3.4) and the body hash
 * DESCRIPTION
 *	Header fields are canonicalized from their raw bytes (lib/msg keeps
 *	them exactly as received).  The body canonicalizer is a byte-stream
 *	state machine, so the body may come in any chunks and the result is
 *	the same; it writes either into a digest (the body hash, limited to
 *	l= octets) or into a buf (tests and diagnostics).
 *
 *	Line ends: a line ends at LF; a CR right before it belongs to the
 *	line end; any other CR is an ordinary byte (as in lib/msg).  Both
 *	algorithms write every line end as CRLF, so a message kept with
 *	bare LFs hashes as its CRLF form would on the wire.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dkim/dkim_int.h"

const EVP_MD *dkim_md(enum dkim_algo algo)
{
	return algo == DKIM_ALGO_RSA_SHA1 ? EVP_sha1() : EVP_sha256();
}

size_t dkim_md_len(enum dkim_algo algo)
{
	return algo == DKIM_ALGO_RSA_SHA1 ? 20 : 32;
}

const char *dkim_canon_str(enum dkim_canon c)
{
	return c == DKIM_CANON_RELAXED ? "relaxed" : "simple";
}

/* ---- body ------------------------------------------------------------ */

#define STAGE_SIZE	8192

struct canon_body {
	enum dkim_canon canon;
	int	cr;		/* a CR was seen; is it a line end? */
	int	in_line;	/* this line has written content */
	int	wsp;		/* relaxed: a WSP run waits to become one SP */
	long long empty;	/* empty lines held back (dropped at the end) */
	long long total;	/* canonical octets so far (all, not only l=) */
	long long limit;	/* l=, or -1 */
	EVP_MD_CTX *md;		/* sink: a digest ... */
	struct buf *out;	/* ... or a buf */
	int	failed;
	size_t	staged;
	unsigned char stage[STAGE_SIZE];
};

static void cb_flush(struct canon_body *cb)
{
	if (cb->staged > 0 && cb->md != NULL
	    && EVP_DigestUpdate(cb->md, cb->stage, cb->staged) != 1)
		cb->failed = 1;
	cb->staged = 0;
}

static void cb_emit(struct canon_body *cb, const void *data, size_t n)
{
	size_t	take = n;

	if (cb->limit >= 0) {
		long long room = cb->limit - cb->total;

		if (room <= 0)
			take = 0;
		else if ((unsigned long long) room < n)
			take = (size_t) room;
	}
	cb->total += (long long) n;
	if (take == 0)
		return;
	if (cb->out != NULL) {
		if (buf_append(cb->out, data, take) < 0)
			cb->failed = 1;
		return;
	}
	if (take > STAGE_SIZE - cb->staged) {
		cb_flush(cb);
		if (take >= STAGE_SIZE) {
			if (EVP_DigestUpdate(cb->md, data, take) != 1)
				cb->failed = 1;
			return;
		}
	}
	memcpy(cb->stage + cb->staged, data, take);
	cb->staged += take;
}

static void cb_content(struct canon_body *cb, const unsigned char *s, size_t n)
{
	if (!cb->in_line) {
		for (; cb->empty > 0; cb->empty--)
			cb_emit(cb, "\r\n", 2);
		cb->in_line = 1;
	}
	if (cb->wsp) {
		cb_emit(cb, " ", 1);
		cb->wsp = 0;
	}
	cb_emit(cb, s, n);
}

static void cb_end_line(struct canon_body *cb)
{
	cb->wsp = 0;
	if (cb->in_line) {
		cb_emit(cb, "\r\n", 2);
		cb->in_line = 0;
	} else {
		cb->empty++;
	}
}

static void cb_init(struct canon_body *cb, enum dkim_canon canon,
		    long long limit)
{
	cb->canon = canon;
	cb->cr = cb->in_line = cb->wsp = 0;
	cb->empty = cb->total = 0;
	cb->limit = limit < 0 ? -1 : limit;
	cb->md = NULL;
	cb->out = NULL;
	cb->failed = 0;
	cb->staged = 0;
}

static void cb_update(struct canon_body *cb, const unsigned char *s, size_t len)
{
	int	relaxed = cb->canon == DKIM_CANON_RELAXED;
	size_t	i = 0;

	while (i < len) {
		unsigned char c = s[i];

		if (cb->cr) {
			cb->cr = 0;
			if (c == '\n') {
				cb_end_line(cb);
				i++;
				continue;
			}
			cb_content(cb, (const unsigned char *) "\r", 1);
		}
		if (c == '\r') {
			cb->cr = 1;
			i++;
		} else if (c == '\n') {
			cb_end_line(cb);
			i++;
		} else if (relaxed && (c == ' ' || c == '\t')) {
			cb->wsp = 1;
			i++;
		} else {
			size_t	j = i + 1;

			while (j < len && s[j] != '\r' && s[j] != '\n'
			       && !(relaxed && (s[j] == ' ' || s[j] == '\t')))
				j++;
			cb_content(cb, s + i, j - i);
			i = j;
		}
	}
}

static void cb_final(struct canon_body *cb)
{
	if (cb->cr) {
		cb->cr = 0;
		cb_content(cb, (const unsigned char *) "\r", 1);
	}
	if (cb->in_line) {
		cb_emit(cb, "\r\n", 2);
		cb->in_line = 0;
	}
	/* Section 3.4.3: an empty simple body is one CRLF; section 3.4.4:
	   an empty relaxed body stays empty. */
	if (cb->canon == DKIM_CANON_SIMPLE && cb->total == 0)
		cb_emit(cb, "\r\n", 2);
	cb->empty = 0;
	cb_flush(cb);
}

int dkim_canon_body(enum dkim_canon canon, const void *body, size_t len,
		    long long limit, struct buf *out)
{
	struct canon_body *cb;
	int	failed;

	if ((cb = malloc(sizeof(*cb))) == NULL)
		return -1;
	cb_init(cb, canon, limit);
	cb->out = out;
	cb_update(cb, body, len);
	cb_final(cb);
	failed = cb->failed;
	free(cb);
	return failed ? -1 : 0;
}

struct dkim_bodyhash {
	enum dkim_algo algo;
	int	done;
	unsigned int digest_len;
	unsigned char digest[EVP_MAX_MD_SIZE];
	struct canon_body cb;
};

struct dkim_bodyhash *dkim_bodyhash_new(enum dkim_canon canon,
					enum dkim_algo algo, long long limit)
{
	struct dkim_bodyhash *bh;

	if ((bh = calloc(1, sizeof(*bh))) == NULL)
		return NULL;
	bh->algo = algo;
	cb_init(&bh->cb, canon, limit);
	if ((bh->cb.md = EVP_MD_CTX_new()) == NULL
	    || EVP_DigestInit_ex(bh->cb.md, dkim_md(algo), NULL) != 1) {
		dkim_bodyhash_free(bh);
		return NULL;
	}
	return bh;
}

int dkim_bodyhash_update(struct dkim_bodyhash *bh, const void *data, size_t len)
{
	if (bh->done || bh->cb.failed)
		return -1;
	cb_update(&bh->cb, data, len);
	return bh->cb.failed ? -1 : 0;
}

int dkim_bodyhash_final(struct dkim_bodyhash *bh)
{
	if (bh->done)
		return 0;
	if (bh->cb.failed)
		return -1;
	cb_final(&bh->cb);
	if (bh->cb.failed
	    || EVP_DigestFinal_ex(bh->cb.md, bh->digest, &bh->digest_len) != 1)
		return -1;
	bh->done = 1;
	return 0;
}

const unsigned char *dkim_bodyhash_digest(const struct dkim_bodyhash *bh,
					  size_t *len_r)
{
	if (!bh->done) {
		*len_r = 0;
		return NULL;
	}
	*len_r = bh->digest_len;
	return bh->digest;
}

long long dkim_bodyhash_length(const struct dkim_bodyhash *bh)
{
	return bh->cb.total;
}

void dkim_bodyhash_free(struct dkim_bodyhash *bh)
{
	if (bh == NULL)
		return;
	EVP_MD_CTX_free(bh->cb.md);
	free(bh);
}

enum dkim_canon dkim_bodyhash_canon(const struct dkim_bodyhash *bh)
{
	return bh->cb.canon;
}

enum dkim_algo dkim_bodyhash_algo(const struct dkim_bodyhash *bh)
{
	return bh->algo;
}

long long dkim_bodyhash_limit(const struct dkim_bodyhash *bh)
{
	return bh->cb.limit;
}

int dkim_bodyhash_done(const struct dkim_bodyhash *bh)
{
	return bh->done;
}

/* ---- header fields ------------------------------------------------------ */

/*
 * Append [p, p+n) to out with every bare LF written as CRLF (simple).
 * Bytes [skip_off, skip_end) of the range are left out.
 */
static void put_simple(struct buf *out, const unsigned char *p, size_t n,
		       size_t skip_off, size_t skip_end)
{
	size_t	i, start = 0;

	for (i = 0; i < n; i++) {
		if (i == skip_off && skip_end > skip_off) {
			buf_append(out, p + start, i - start);
			i = skip_end - 1;
			start = skip_end;
			continue;
		}
		if (p[i] == '\n') {
			/* the byte written before this LF */
			unsigned char prev = i == 0 ? 0
				: i == skip_end && skip_end > skip_off
				? (skip_off > 0 ? p[skip_off - 1] : 0) : p[i - 1];

			if (prev == '\r')
				continue;
			buf_append(out, p + start, i - start);
			buf_append(out, "\r\n", 2);
			start = i + 1;
		}
	}
	if (start < n)
		buf_append(out, p + start, n - start);
}

/*
 * Relaxed value (section 3.4.2): unfold (drop CRLF and bare LF), WSP runs
 * to one SP, none at the start or the end.  Bytes [skip_off, skip_end)
 * are left out as if they were not there.
 */
static void put_relaxed_value(struct buf *out, const unsigned char *p,
			      size_t n, size_t skip_off, size_t skip_end)
{
	int	started = 0, wsp = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		unsigned char c;

		if (i == skip_off && skip_end > skip_off) {
			i = skip_end - 1;
			continue;
		}
		c = p[i];
		if (c == '\r' && i + 1 < n && p[i + 1] == '\n'
		    && !(i + 1 == skip_off && skip_end > skip_off))
			continue;	/* the LF is dropped next */
		if (c == '\n')
			continue;
		if (c == ' ' || c == '\t') {
			wsp = 1;
			continue;
		}
		if (wsp && started)
			buf_append_byte(out, ' ');
		wsp = 0;
		started = 1;
		buf_append_byte(out, c);
	}
}

static int canon_field(enum dkim_canon canon, const struct msg_field *f,
		       size_t skip_off, size_t skip_end, int crlf,
		       struct buf *out)
{
	if (canon == DKIM_CANON_SIMPLE) {
		size_t	n = f->raw_len;

		if (!(f->flags & MSG_FIELD_NO_EOL) && n > 0 && f->raw[n - 1] == '\n') {
			n--;
			if (n > 0 && f->raw[n - 1] == '\r')
				n--;
		}
		if (skip_end > skip_off) {
			size_t	base = (size_t) (f->value - f->raw);

			skip_off += base;
			skip_end += base;
		}
		put_simple(out, f->raw, n, skip_off, skip_end);
	} else {
		size_t	i;

		for (i = 0; i < f->name_len; i++) {
			unsigned char c = (unsigned char) f->name[i];

			buf_append_byte(out, c >= 'A' && c <= 'Z'
					? (unsigned char) (c + 32) : c);
		}
		if (f->name != NULL)
			buf_append_byte(out, ':');
		put_relaxed_value(out, f->value, f->value_len, skip_off, skip_end);
	}
	if (crlf)
		buf_append(out, "\r\n", 2);
	return buf_failed(out) ? -1 : 0;
}

int dkim_canon_header(enum dkim_canon canon, const struct msg_field *f,
		      int crlf, struct buf *out)
{
	return canon_field(canon, f, 0, 0, crlf, out);
}

int dkim_canon_sigfield(enum dkim_canon canon, const struct msg_field *f,
			size_t b_off, size_t b_end, struct buf *out)
{
	return canon_field(canon, f, b_off, b_end, 0, out);
}

void dkim_select_headers(const struct msg *m, const char *const *names,
			 size_t count, long *idx)
{
	size_t	i, j;

	for (i = 0; i < count; i++) {
		long	before = (long) msg_field_count(m);

		for (j = i; j-- > 0;)
			if (dkim_name_eq(names[j], strlen(names[j]), names[i])) {
				before = idx[j];
				break;
			}
		idx[i] = before < 0 ? -1 : msg_rfind(m, names[i], (size_t) before);
	}
}

int dkim_canon_signed(const struct msg *m, const struct dkim_sig *sig,
		      size_t sig_index, struct buf *headers_out,
		      struct buf *body_out)
{
	const struct msg_field *sf = msg_field(m, sig_index);
	size_t	i;

	if (sf == NULL)
		return -1;
	if (headers_out != NULL) {
		long   *idx;
		size_t	b_off, b_end;

		if ((idx = calloc(sig->header_count + 1, sizeof(*idx))) == NULL)
			return -1;
		dkim_select_headers(m, (const char *const *) sig->headers,
				    sig->header_count, idx);
		for (i = 0; i < sig->header_count; i++)
			if (idx[i] >= 0)
				dkim_canon_header(sig->header_canon,
						  msg_field(m, (size_t) idx[i]),
						  1, headers_out);
		free(idx);
		if (dkim_sig_find_b(sf->value, sf->value_len, &b_off, &b_end) < 0)
			return -1;
		if (dkim_canon_sigfield(sig->header_canon, sf, b_off, b_end,
					headers_out) < 0)
			return -1;
	}
	if (body_out != NULL) {
		const unsigned char *body;
		size_t	len;

		body = msg_body(m, &len);
		if (dkim_canon_body(sig->body_canon, body, len, sig->body_length,
				    body_out) < 0)
			return -1;
	}
	return 0;
}

int dkim_canon_header_nob(enum dkim_canon canon, const struct msg_field *f,
			  struct buf *out)
{
	size_t	b_off, b_end;

	if (f == NULL || dkim_sig_find_b(f->value, f->value_len, &b_off, &b_end) < 0)
		return -1;
	return dkim_canon_sigfield(canon, f, b_off, b_end, out);
}
