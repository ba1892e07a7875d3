/*
 * NAME
 *	mime_part 3
 * SUMMARY
 *	multipart bodies as byte ranges, part headers, the tree walk
 * DESCRIPTION
 *	mime_parts_* finds delimiter lines (RFC 2046 section 5.1.1) one
 *	line at a time and hands out each part as an offset and a length,
 *	so that the caller edits around parts instead of re-generating
 *	them.  mime_entity_* reads just enough of a part's header to find
 *	one field.  mime_walk() puts both together to visit a whole
 *	message, with depth and part-count caps so that a hostile message
 *	costs bounded work and stack.
 */
#include <string.h>

#include "mime/mime.h"
#include "sealist_limits.h"

enum { ST_START, ST_PARTS, ST_DONE };

void mime_parts_init(struct mime_parts *it, const void *body, size_t len,
		     const void *boundary, size_t blen)
{
	memset(it, 0, sizeof(*it));
	it->body = body;
	it->len = len;
	it->boundary = boundary;
	it->blen = blen;
	it->preamble_len = len;
	it->end = len;
	it->epilogue = len;
}

/* End of the line starting at p: offset of its LF, or len. */
static size_t line_end(const struct mime_parts *it, size_t p)
{
	const unsigned char *nl = memchr(it->body + p, '\n', it->len - p);

	return nl != NULL ? (size_t) (nl - it->body) : it->len;
}

/*
 * Is the line at ls a delimiter?  0 no, 1 delimiter, 2 close delimiter;
 * *next_r is the first byte after the line and its line end.
 */
static int delimiter_at(const struct mime_parts *it, size_t ls, size_t *next_r)
{
	size_t	le = line_end(it, ls), p = ls + 2 + it->blen;

	*next_r = le < it->len ? le + 1 : le;
	if (le - ls < 2 + it->blen || it->body[ls] != '-' || it->body[ls + 1] != '-'
	    || memcmp(it->body + ls + 2, it->boundary, it->blen) != 0)
		return 0;
	if (le - p >= 2 && it->body[p] == '-' && it->body[p + 1] == '-')
		return 2;
	for (; p < le; p++)
		if (it->body[p] != ' ' && it->body[p] != '\t'
		    && !(it->body[p] == '\r' && p + 1 == le))
			return 0;
	return 1;
}

/*
 * The next delimiter line at or after from (a line start); its kind as
 * delimiter_at(), 0 if none.  *start_r is where the delimiter begins:
 * the line end before the line, unless that lies before floor.
 */
static int find_delimiter(const struct mime_parts *it, size_t from, size_t floor,
			  size_t *start_r, size_t *next_r)
{
	size_t	ls = from;

	while (ls < it->len) {
		int	kind = delimiter_at(it, ls, next_r);

		if (kind != 0) {
			size_t	s = ls;

			if (s > floor && it->body[s - 1] == '\n') {
				s--;
				if (s > floor && it->body[s - 1] == '\r')
					s--;
			}
			*start_r = s;
			return kind;
		}
		ls = *next_r;
	}
	return 0;
}

static int check_boundary(const struct mime_parts *it)
{
	return it->blen > 0 && it->blen <= LIMIT_MIME_BOUNDARY
		&& memchr(it->boundary, '\n', it->blen) == NULL
		&& memchr(it->boundary, '\r', it->blen) == NULL;
}

/* Before the first part: find the first delimiter. */
static void start(struct mime_parts *it)
{
	size_t	s, next;
	int	kind = find_delimiter(it, 0, 0, &s, &next);

	it->state = ST_PARTS;
	if (kind == 0) {
		it->state = ST_DONE;
		return;
	}
	it->preamble_len = s;
	if (kind == 2) {		/* a close delimiter with no part */
		it->closed = 1;
		it->end = s;
		it->epilogue = next;
		it->state = ST_DONE;
		return;
	}
	it->pos = next;
}

int mime_parts_next(struct mime_parts *it, struct mime_part *part,
		    const char **error_r)
{
	size_t	s, next;
	int	kind;

	if (it->state == ST_START) {
		if (!check_boundary(it)) {
			*error_r = "bad boundary";
			return -1;
		}
		start(it);
	}
	if (it->state == ST_DONE)
		return 0;
	if (it->count >= LIMIT_MIME_PARTS) {
		*error_r = "too many parts";
		return -1;
	}
	part->offset = it->pos;
	kind = find_delimiter(it, it->pos, it->pos, &s, &next);
	if (kind == 0) {		/* unclosed: the rest is this part's */
		part->len = it->len - it->pos;
		it->state = ST_DONE;
	} else {
		part->len = s - it->pos;
		it->pos = next;
		if (kind == 2) {
			it->closed = 1;
			it->end = s;
			it->epilogue = next;
			it->state = ST_DONE;
		}
	}
	it->count++;
	return 1;
}

size_t mime_entity_body(const void *entity, size_t len)
{
	const unsigned char *e = entity;
	size_t	p = 0;

	while (p < len) {
		const unsigned char *nl = memchr(e + p, '\n', len - p);
		size_t	le = nl != NULL ? (size_t) (nl - e) : len;

		if (le == p || (le == p + 1 && e[p] == '\r'))
			return le < len ? le + 1 : len;
		p = le < len ? le + 1 : len;
	}
	return len;
}

static int name_is(const unsigned char *p, size_t n, const char *name)
{
	size_t	i;

	if (strlen(name) != n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = p[i] >= 'A' && p[i] <= 'Z' ? (unsigned char) (p[i] + 32) : p[i];
		unsigned char d = (unsigned char) name[i];

		d = d >= 'A' && d <= 'Z' ? (unsigned char) (d + 32) : d;
		if (c != d)
			return 0;
	}
	return 1;
}

/* Value of the field whose first line starts at p (header ends at hend). */
static void field_value(const unsigned char *e, size_t p, size_t hend,
			const unsigned char **value_r, size_t *vlen_r)
{
	size_t	end = p;

	for (;;) {
		const unsigned char *nl = memchr(e + end, '\n', hend - end);
		size_t	le = nl != NULL ? (size_t) (nl - e) : hend;

		if (le + 1 < hend && (e[le + 1] == ' ' || e[le + 1] == '\t')) {
			end = le + 1;
			continue;
		}
		end = le;
		break;
	}
	if (end > p && end < hend && e[end - 1] == '\r')
		end--;
	*value_r = e + p;
	*vlen_r = end - p;
}

int mime_entity_field(const void *entity, size_t len, const char *name,
		      const unsigned char **value_r, size_t *vlen_r)
{
	const unsigned char *e = entity;
	size_t	hend = mime_entity_body(entity, len), p = 0;

	while (p < hend) {
		const unsigned char *nl = memchr(e + p, '\n', hend - p);
		size_t	le = nl != NULL ? (size_t) (nl - e) : hend;
		const unsigned char *colon = memchr(e + p, ':', le - p);

		if (colon != NULL && e[p] != ' ' && e[p] != '\t') {
			size_t	n = (size_t) (colon - (e + p));

			while (n > 0 && (e[p + n - 1] == ' ' || e[p + n - 1] == '\t'))
				n--;	/* obs-syntax "Name :" */
			if (name_is(e + p, n, name)) {
				field_value(e, (size_t) (colon - e) + 1, hend, value_r, vlen_r);
				return 1;
			}
		}
		p = le < hend ? le + 1 : hend;
	}
	return 0;
}

/* ---- the walk ------------------------------------------------------- */

struct walk {
	mime_visit_fn fn;
	void   *ctx;
	size_t	parts;
	const char *error;
};

static int walk_entity(struct walk *w, const struct mime_node *node);

/* The node for one part of a multipart body. */
static int walk_part(struct walk *w, const unsigned char *part, size_t len,
		     unsigned depth, size_t index, int digest)
{
	struct mime_ctype ct;
	struct mime_node node;
	const unsigned char *v;
	const char *err;
	size_t	vlen, body;
	int	r;

	if (++w->parts > LIMIT_MIME_PARTS) {
		w->error = "too many parts";
		return -1;
	}
	/* RFC 2045 section 5.2: an invalid Content-Type means text/plain;
	 * an absent one the container's default (RFC 2046 5.1.5). */
	if (!mime_entity_field(part, len, "content-type", &v, &vlen))
		r = mime_ctype_default(&ct, digest);
	else if (mime_ctype_parse(v, vlen, &ct, &err) == 0)
		r = 0;
	else
		r = strcmp(err, "out of memory") == 0 ? -1 : mime_ctype_default(&ct, 0);
	if (r < 0) {
		w->error = "out of memory";
		return -1;
	}
	body = mime_entity_body(part, len);
	node.depth = depth;
	node.ctype = &ct;
	node.cte = mime_entity_field(part, len, "content-transfer-encoding", &v, &vlen)
		? mime_cte_parse(v, vlen) : MIME_CTE_7BIT;
	node.body = part + body;
	node.body_len = len - body;
	node.index = index;
	node.header = part;
	node.header_len = body;
	r = walk_entity(w, &node);
	mime_ctype_free(&ct);
	return r;
}

static int walk_children(struct walk *w, const struct mime_node *node,
			 const char *boundary)
{
	struct mime_parts it;
	struct mime_part part;
	int	digest = mime_ctype_is(node->ctype, "multipart", "digest");
	int	r;

	if (node->depth + 1 > LIMIT_MIME_DEPTH) {
		w->error = "nesting too deep";
		return -1;
	}
	mime_parts_init(&it, node->body, node->body_len, boundary, strlen(boundary));
	while ((r = mime_parts_next(&it, &part, &w->error)) > 0) {
		r = walk_part(w, node->body + part.offset, part.len, node->depth + 1,
			      it.count - 1, digest);
		if (r != 0)
			return r;
	}
	return r;
}

static int walk_entity(struct walk *w, const struct mime_node *node)
{
	const char *boundary;
	int	r;

	if ((r = w->fn(w->ctx, node)) != 0)
		return r;
	if (!mime_ctype_is(node->ctype, "multipart", NULL)
	    || (boundary = mime_ctype_param(node->ctype, "boundary")) == NULL)
		return 0;
	return walk_children(w, node, boundary);
}

int mime_walk(const struct msg *m, mime_visit_fn fn, void *ctx, const char **error_r)
{
	struct walk w = { fn, ctx, 0, NULL };
	struct mime_ctype ct;
	struct mime_node node;
	int	r;

	if (mime_ctype_of_msg(m, &ct) < 0) {
		*error_r = "out of memory";
		return -1;
	}
	node.depth = 0;
	node.ctype = &ct;
	node.cte = mime_cte_of_msg(m);
	node.body = msg_body(m, &node.body_len);
	node.index = 0;
	node.header = NULL;
	node.header_len = 0;
	r = walk_entity(&w, &node);
	mime_ctype_free(&ct);
	if (r < 0)
		*error_r = w.error != NULL ? w.error : "out of memory";
	return r;
}
