/*
 * NAME
 *	msg 3
 * SUMMARY
 *	raw RFC 5322 message: header field list over raw bytes, plus body
 * DESCRIPTION
 *	See msg.h for the contract.  The input is copied once into a buf
 *	(raw); the header is an array of entries.  An entry from the input
 *	is an offset range into raw; an inserted or replaced field owns a
 *	small malloc'd block.  The body is the tail of raw, so appending to
 *	the body appends to raw and never copies the header or the entries.
 *	Because such an append may move raw, input entries keep offsets and
 *	their public pointers are recomputed afterwards (rebase()).
 *
 *	Edits that change the header size keep two running totals (raw bytes
 *	of all entries, and whether the input's unterminated last line is
 *	still present) so that the limits are checked in O(1); inserting or
 *	removing moves only the entry array, never message bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "sealist_limits.h"
#include "msg/msg.h"

/*
 * The refusal texts spell the numbers out; these fail to compile when a
 * limit changes without its text.
 */
_Static_assert(LIMIT_MESSAGE_SIZE == 67108864, "update ERR_MESSAGE");
_Static_assert(LIMIT_HEADER_BLOCK == 1048576, "update ERR_HEADER_BLOCK");
_Static_assert(LIMIT_HEADER_COUNT == 10000, "update ERR_HEADER_COUNT");
_Static_assert(LIMIT_LINE_LEN == 16777216, "update ERR_LINE");
#define ERR_MESSAGE	"message larger than 67108864 bytes"
#define ERR_HEADER_BLOCK "header block larger than 1048576 bytes"
#define ERR_HEADER_COUNT "more than 10000 header fields"
#define ERR_LINE	"line longer than 16777216 bytes"
#define ERR_MEMORY	"out of memory"

struct msg_entry {
	struct msg_field f;		/* what msg_field() hands out */
	size_t	off;			/* input entry: f.raw - raw.data */
	size_t	value_off;		/* f.value - f.raw */
	unsigned char *owned;		/* inserted entry: its block, else NULL */
};

struct msg {
	struct buf raw;			/* input bytes, then appended body */
	struct msg_entry *ent;
	size_t	count;
	size_t	cap;
	size_t	hdr_bytes;		/* sum of ent[].f.raw_len */
	int	no_eol_live;		/* an entry with MSG_FIELD_NO_EOL is left */
	size_t	sep_off;		/* separator line in raw ... */
	size_t	sep_len;		/* ... 0: the input had none */
	size_t	body_off;		/* body is raw[body_off .. raw.len) */
	size_t	tail_len;		/* body bytes after its last LF */
	enum msg_eol eol;
};

#define IS_WSP(c)	((c) == ' ' || (c) == '\t')
#define IS_FTEXT(c)	((c) >= 33 && (c) <= 126 && (c) != ':')

static const char *eol_bytes(enum msg_eol eol)
{
	return eol == MSG_EOL_LF ? "\n" : "\r\n";
}

static size_t eol_len(const struct msg *m)
{
	return m->eol == MSG_EOL_LF ? 1 : 2;
}

/* Length of a line's content: its line end (LF or CRLF) not counted. */
static size_t content_len(const unsigned char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\n') {
		len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
	}
	return len;
}

static int ascii_casecmp_eq(const char *a, const char *b, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char x = (unsigned char) a[i];
		unsigned char y = (unsigned char) b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char) (x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char) (y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/*
 * Fill in name, value and flags of an entry whose raw range is set.  The
 * name is searched on the first line only.
 */
static void classify(struct msg_field *f, size_t *value_off, int first)
{
	const unsigned char *p = f->raw;
	size_t	first_len;
	size_t	colon;
	size_t	name_end;
	size_t	i;
	const unsigned char *lf;

	lf = memchr(p, '\n', f->raw_len);
	first_len = lf ? (size_t) (lf - p) : f->raw_len;
	f->flags = 0;
	if (f->raw_len == 0 || p[f->raw_len - 1] != '\n')
		f->flags |= MSG_FIELD_NO_EOL;
	for (colon = 0; colon < first_len && p[colon] != ':'; colon++)
		;
	name_end = colon;
	while (name_end > 0 && IS_WSP(p[name_end - 1]))
		name_end--;
	for (i = 0; i < name_end && IS_FTEXT(p[i]); i++)
		;
	if (colon < first_len && name_end > 0 && i == name_end) {
		f->name = (const char *) p;
		f->name_len = name_end;
		if (name_end < colon)
			f->flags |= MSG_FIELD_OBS_WSP;
		*value_off = colon + 1;
	} else {
		f->name = NULL;
		f->name_len = 0;
		f->flags |= MSG_FIELD_MALFORMED;
		if (first && f->raw_len >= 5 && memcmp(p, "From ", 5) == 0)
			f->flags |= MSG_FIELD_MBOX_FROM;
		*value_off = 0;
	}
	f->value = p + *value_off;
	f->value_len = content_len(p, f->raw_len) - *value_off;
}

/* Point the public fields of every input entry at the current raw. */
static void rebase(struct msg *m)
{
	size_t	i;

	for (i = 0; i < m->count; i++) {
		struct msg_entry *e = &m->ent[i];

		if (e->owned != NULL)
			continue;
		e->f.raw = m->raw.data + e->off;
		if (e->f.name != NULL)
			e->f.name = (const char *) e->f.raw;
		e->f.value = e->f.raw + e->value_off;
	}
}

static int grow_entries(struct msg *m)
{
	struct msg_entry *p;
	size_t	cap;

	if (m->count < m->cap)
		return 0;
	cap = m->cap ? m->cap * 2 : 32;
	if ((p = realloc(m->ent, cap * sizeof(*p))) == NULL)
		return -1;
	m->ent = p;
	m->cap = cap;
	return 0;
}

/* Does entry i need a line end added on output? */
static int needs_eol(const struct msg *m, size_t i, size_t body_len)
{
	if (!(m->ent[i].f.flags & MSG_FIELD_NO_EOL))
		return 0;
	return i + 1 < m->count || m->sep_len > 0 || body_len > 0;
}

/* Header bytes on output, given a body of body_len bytes. */
static size_t header_size(const struct msg *m, size_t body_len)
{
	size_t	n = m->hdr_bytes;

	/* At most one entry has MSG_FIELD_NO_EOL; it is known to exist. */
	if (m->no_eol_live && (!(m->ent[m->count - 1].f.flags & MSG_FIELD_NO_EOL)
			       || m->sep_len > 0 || body_len > 0))
		n += eol_len(m);
	return n;
}

static size_t size_with_body(const struct msg *m, size_t body_len)
{
	size_t	n = header_size(m, body_len);

	if (m->sep_len > 0)
		n += m->sep_len;
	else if (body_len > 0)
		n += eol_len(m);
	return n + body_len;
}

static size_t body_len(const struct msg *m)
{
	return m->raw.len - m->body_off;
}

/*
 * Count the line end that ends at raw[lf] (CRLF or LF) into the votes,
 * remembering the first one seen for a tie.
 */
static void vote_eol(const unsigned char *raw, size_t lf, size_t *crlf,
		     size_t *lf_only, int *first)
{
	int	is_crlf = lf > 0 && raw[lf - 1] == '\r';

	if (is_crlf)
		(*crlf)++;
	else
		(*lf_only)++;
	if (*first < 0)
		*first = is_crlf ? MSG_EOL_CRLF : MSG_EOL_LF;
}

/* Index the header; returns NULL or the refusal. */
static const char *parse_header(struct msg *m)
{
	const unsigned char *raw = m->raw.data;
	size_t	len = m->raw.len;
	size_t	p = 0;
	size_t	crlf = 0;
	size_t	lf_only = 0;
	int	first = -1;

	m->body_off = len;
	while (p < len) {
		const unsigned char *lf = memchr(raw + p, '\n', len - p);
		size_t	end = lf ? (size_t) (lf - raw) + 1 : len;
		struct msg_entry *e;

		if (lf)
			vote_eol(raw, end - 1, &crlf, &lf_only, &first);
		if (lf && content_len(raw + p, end - p) == 0) {
			m->sep_off = p;
			m->sep_len = end - p;
			m->body_off = end;
			break;
		}
		if (end > LIMIT_HEADER_BLOCK)
			return ERR_HEADER_BLOCK;
		if (IS_WSP(raw[p]) && m->count > 0) {
			m->ent[m->count - 1].f.raw_len += end - p;
		} else {
			if (m->count >= LIMIT_HEADER_COUNT)
				return ERR_HEADER_COUNT;
			if (grow_entries(m) < 0)
				return ERR_MEMORY;
			e = &m->ent[m->count++];
			memset(e, 0, sizeof(*e));
			e->off = p;
			e->f.raw = raw + p;
			e->f.raw_len = end - p;
		}
		p = end;
	}
	if (crlf != lf_only)
		m->eol = crlf > lf_only ? MSG_EOL_CRLF : MSG_EOL_LF;
	else
		m->eol = first < 0 ? MSG_EOL_CRLF : (enum msg_eol) first;
	for (p = 0; p < m->count; p++) {
		struct msg_entry *e = &m->ent[p];

		classify(&e->f, &e->value_off, p == 0);
		m->hdr_bytes += e->f.raw_len;
		if (e->f.flags & MSG_FIELD_NO_EOL)
			m->no_eol_live = 1;
	}
	return NULL;
}

/*
 * Check the lines of data[0..len), which continue a body whose last
 * *tail bytes follow its last LF; prev is the byte before data (0 if
 * none).  Updates *tail.  Returns -1 if a line passes LIMIT_LINE_LEN.
 */
static int check_lines(const unsigned char *data, size_t len,
		       unsigned char prev, size_t *tail)
{
	size_t	p = 0;

	while (p < len) {
		const unsigned char *lf = memchr(data + p, '\n', len - p);
		size_t	seg;
		size_t	line;

		if (lf == NULL) {
			/* Unterminated: every byte counts, a final CR too. */
			*tail += len - p;
			return *tail > LIMIT_LINE_LEN ? -1 : 0;
		}
		seg = (size_t) (lf - data) - p;
		line = *tail + seg;
		if (line > 0 && (seg > 0 ? lf[-1] : prev) == '\r')
			line--;
		if (line > LIMIT_LINE_LEN)
			return -1;
		*tail = 0;
		p += seg + 1;
		prev = '\n';
	}
	return 0;
}

int msg_parse(struct msg **msg_r, const void *data, size_t len,
	      const char **error_r)
{
	struct msg *m;
	const char *err = NULL;

	*msg_r = NULL;
	if (len > LIMIT_MESSAGE_SIZE) {
		*error_r = ERR_MESSAGE;
		return -1;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		*error_r = ERR_MEMORY;
		return -1;
	}
	buf_init(&m->raw, LIMIT_MESSAGE_SIZE);
	/* Appending nothing still allocates, so raw.data is never NULL. */
	if (buf_append(&m->raw, data, len) < 0)
		err = ERR_MEMORY;
	else if ((err = parse_header(m)) == NULL
		 && check_lines(m->raw.data + m->body_off, body_len(m), 0,
				&m->tail_len) < 0)
		err = ERR_LINE;
	if (err != NULL) {
		msg_free(m);
		*error_r = err;
		return -1;
	}
	*msg_r = m;
	return 0;
}

void msg_free(struct msg *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->count; i++)
		free(m->ent[i].owned);
	free(m->ent);
	buf_free(&m->raw);
	free(m);
}

enum msg_eol msg_eol(const struct msg *m)
{
	return m->eol;
}

const char *msg_eol_str(const struct msg *m)
{
	return eol_bytes(m->eol);
}

size_t msg_field_count(const struct msg *m)
{
	return m->count;
}

const struct msg_field *msg_field(const struct msg *m, size_t i)
{
	return i < m->count ? &m->ent[i].f : NULL;
}

static int name_is(const struct msg_field *f, const char *name, size_t len)
{
	return f->name != NULL && f->name_len == len
	    && ascii_casecmp_eq(f->name, name, len);
}

long msg_find(const struct msg *m, const char *name, size_t from)
{
	size_t	len = strlen(name);
	size_t	i;

	for (i = from; i < m->count; i++)
		if (name_is(&m->ent[i].f, name, len))
			return (long) i;
	return -1;
}

long msg_rfind(const struct msg *m, const char *name, size_t before)
{
	size_t	len = strlen(name);
	size_t	i = before < m->count ? before : m->count;

	while (i-- > 0)
		if (name_is(&m->ent[i].f, name, len))
			return (long) i;
	return -1;
}

/*
 * Check a caller's field and build its raw form, in the message's
 * convention, into a new owned entry e.  Returns 0, or -1 with *error_r.
 */
static int build_field(const struct msg *m, struct msg_entry *e,
		       const char *field, size_t len, const char **error_r)
{
	const unsigned char *s = (const unsigned char *) field;
	struct buf out;
	size_t	colon;
	size_t	p;
	size_t	out_len;

	if (len > 0 && s[len - 1] == '\n') {
		len--;
		if (len > 0 && s[len - 1] == '\r')
			len--;
	}
	for (colon = 0; colon < len && s[colon] != ':'; colon++) {
		if (!IS_FTEXT(s[colon])) {
			*error_r = s[colon] == '\n' || s[colon] == '\r'
			    ? "field has no colon on its first line"
			    : "field name has a byte that is not printable ASCII";
			return -1;
		}
	}
	if (colon == len) {
		*error_r = "field has no colon after its name";
		return -1;
	}
	if (colon == 0) {
		*error_r = "field name is empty";
		return -1;
	}
	if (memchr(s, '\0', len) != NULL) {
		*error_r = "field contains a NUL byte";
		return -1;
	}
	buf_init(&out, LIMIT_HEADER_BLOCK);
	p = 0;
	for (;;) {
		const unsigned char *lf = memchr(s + p, '\n', len - p);
		size_t	end = lf ? (size_t) (lf - s) : len;
		size_t	clen = end - p;
		size_t	i;

		if (clen > 0 && s[end - 1] == '\r' && lf != NULL)
			clen--;
		if (memchr(s + p, '\r', clen) != NULL) {
			*error_r = "field contains a CR that is not before LF";
			buf_free(&out);
			return -1;
		}
		if (p > 0) {
			for (i = 0; i < clen && IS_WSP(s[p + i]); i++)
				;
			if (i == clen) {
				*error_r = "field contains an empty line";
				buf_free(&out);
				return -1;
			}
			if (i == 0) {
				*error_r = "continuation line does not start "
				    "with a space or tab";
				buf_free(&out);
				return -1;
			}
		}
		buf_append(&out, s + p, clen);
		buf_append_str(&out, eol_bytes(m->eol));
		if (lf == NULL)
			break;
		p = end + 1;
	}
	if (buf_failed(&out)) {
		*error_r = out.error == BUF_TOO_BIG ? ERR_HEADER_BLOCK : ERR_MEMORY;
		buf_free(&out);
		return -1;
	}
	memset(e, 0, sizeof(*e));
	if ((e->owned = (unsigned char *) buf_detach(&out, &out_len)) == NULL) {
		*error_r = ERR_MEMORY;
		return -1;
	}
	e->f.raw = e->owned;
	e->f.raw_len = out_len;
	e->f.name = (const char *) e->owned;
	e->f.name_len = colon;
	e->value_off = colon + 1;
	e->f.value = e->owned + colon + 1;
	e->f.value_len = out_len - eol_len(m) - colon - 1;
	e->f.flags = 0;
	return 0;
}

/* Are the header and message limits kept with a body of blen bytes? */
static const char *limits_error(const struct msg *m, size_t blen)
{
	if (header_size(m, blen) > LIMIT_HEADER_BLOCK)
		return ERR_HEADER_BLOCK;
	if (size_with_body(m, blen) > LIMIT_MESSAGE_SIZE)
		return ERR_MESSAGE;
	return NULL;
}

/* Take entry i out of the array and return it (the caller owns it). */
static struct msg_entry take(struct msg *m, size_t i)
{
	struct msg_entry e = m->ent[i];

	memmove(&m->ent[i], &m->ent[i + 1],
		(m->count - i - 1) * sizeof(m->ent[0]));
	m->count--;
	m->hdr_bytes -= e.f.raw_len;
	if (e.f.flags & MSG_FIELD_NO_EOL)
		m->no_eol_live = 0;
	return e;
}

/* Put e in at pos; the array has room. */
static void put(struct msg *m, size_t pos, const struct msg_entry *e)
{
	memmove(&m->ent[pos + 1], &m->ent[pos],
		(m->count - pos) * sizeof(m->ent[0]));
	m->ent[pos] = *e;
	m->count++;
	m->hdr_bytes += e->f.raw_len;
	if (e->f.flags & MSG_FIELD_NO_EOL)
		m->no_eol_live = 1;
}

int msg_remove(struct msg *m, size_t i)
{
	struct msg_entry e;

	if (i >= m->count)
		return -1;
	e = take(m, i);
	free(e.owned);
	return 0;
}

int msg_insert(struct msg *m, size_t pos, const char *field, size_t len,
	       const char **error_r)
{
	struct msg_entry e;
	const char *err;

	if (pos > m->count) {
		*error_r = "no such field position";
		return -1;
	}
	if (m->count >= LIMIT_HEADER_COUNT) {
		*error_r = ERR_HEADER_COUNT;
		return -1;
	}
	if (grow_entries(m) < 0) {
		*error_r = ERR_MEMORY;
		return -1;
	}
	if (build_field(m, &e, field, len, error_r) < 0)
		return -1;
	put(m, pos, &e);
	if ((err = limits_error(m, body_len(m))) != NULL) {
		e = take(m, pos);
		free(e.owned);
		*error_r = err;
		return -1;
	}
	return 0;
}

int msg_insert_top(struct msg *m, const char *field, size_t len,
		   const char **error_r)
{
	size_t	pos = 0;

	if (m->count > 0 && ((m->ent[0].f.flags & MSG_FIELD_MBOX_FROM)
			     || IS_WSP(m->ent[0].f.raw[0])))
		pos = 1;
	return msg_insert(m, pos, field, len, error_r);
}

int msg_replace(struct msg *m, size_t i, const char *field, size_t len,
		const char **error_r)
{
	struct msg_entry e;
	struct msg_entry old;
	const char *err;

	if (i >= m->count) {
		*error_r = "no such field";
		return -1;
	}
	if (build_field(m, &e, field, len, error_r) < 0)
		return -1;
	old = take(m, i);
	put(m, i, &e);
	if ((err = limits_error(m, body_len(m))) != NULL) {
		e = take(m, i);
		free(e.owned);
		put(m, i, &old);
		*error_r = err;
		return -1;
	}
	free(old.owned);
	return 0;
}

const unsigned char *msg_body(const struct msg *m, size_t *len_r)
{
	*len_r = body_len(m);
	return m->raw.data + m->body_off;
}

int msg_body_append(struct msg *m, const void *data, size_t len,
		    const char **error_r)
{
	size_t	tail = m->tail_len;
	size_t	blen = body_len(m);
	unsigned char prev = blen > 0 ? m->raw.data[m->raw.len - 1] : 0;

	/* A non-empty body may end an unterminated header line. */
	if (len > LIMIT_MESSAGE_SIZE) {
		*error_r = ERR_MESSAGE;
		return -1;
	}
	if ((*error_r = limits_error(m, blen + len)) != NULL)
		return -1;
	if (check_lines(data, len, prev, &tail) < 0) {
		*error_r = ERR_LINE;
		return -1;
	}
	if (buf_append(&m->raw, data, len) < 0) {
		*error_r = ERR_MEMORY;
		return -1;
	}
	m->tail_len = tail;
	rebase(m);
	return 0;
}

int msg_has_separator(const struct msg *m)
{
	return m->sep_len > 0 || body_len(m) > 0;
}

size_t msg_size(const struct msg *m)
{
	return size_with_body(m, body_len(m));
}

int msg_serialize(const struct msg *m, struct buf *out)
{
	size_t	blen = body_len(m);
	size_t	i;

	if (buf_reserve(out, msg_size(m)) < 0)
		return -1;
	for (i = 0; i < m->count; i++) {
		buf_append(out, m->ent[i].f.raw, m->ent[i].f.raw_len);
		if (needs_eol(m, i, blen))
			buf_append_str(out, eol_bytes(m->eol));
	}
	if (m->sep_len > 0)
		buf_append(out, m->raw.data + m->sep_off, m->sep_len);
	else if (blen > 0)
		buf_append_str(out, eol_bytes(m->eol));
	buf_append(out, m->raw.data + m->body_off, blen);
	return buf_failed(out) ? -1 : 0;
}
