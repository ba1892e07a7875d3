/*
 * NAME
 *	addr 3
 * SUMMARY
 *	RFC 5322 address-list parsing
 * DESCRIPTION
 *	See addr.h for the contract.  A field value is first cut into
 *	tokens (RFC 5322 section 3.2: atoms, quoted strings, comments,
 *	domain literals, single specials), each remembering whether white
 *	space or a comment came before it; the tokens are then read by a
 *	small recursive-descent parser for address-list (section 3.4 with
 *	the obsolete forms of section 4.4).  Working on tokens keeps CFWS
 *	out of the grammar: comments are skipped where the grammar allows
 *	CFWS, which is between any two tokens.
 *
 *	To decide what an item is, the parser looks ahead to the first of
 *	'<' ':' ',' ';': a '<' makes it a name-addr (everything before is
 *	the phrase), a ':' a group, anything else a bare addr-spec.
 *
 *	addr_parse_spec(), for what a person typed, is in addr_spec.c;
 *	RFC 2047 decoding is in addr_rfc2047.c.
 */
#include <stdlib.h>
#include <string.h>

#include "sealist_limits.h"
#include "addr/addr.h"
#include "addr/addr_rfc2047.h"

/*
 * Decoding may grow a display name (one ISO-8859-1 byte becomes two
 * UTF-8 bytes, some charsets more), so it gets room beyond the field.
 */
#define DISPLAY_MAX	(4 * LIMIT_ADDRESS_FIELD)

enum tok_type {
	TOK_ATOM,			/* atext and 8-bit bytes */
	TOK_QUOTED,			/* "..." with its quotes */
	TOK_COMMENT,			/* (...) with its parentheses */
	TOK_LITERAL,			/* [...] with its brackets */
	TOK_SPECIAL,			/* one of ( ) < > [ ] : ; @ \ , . */
};

struct tok {
	enum tok_type type;
	unsigned char ch;		/* TOK_SPECIAL: which one */
	int	sep;			/* white space or a comment before it */
	size_t	off;			/* raw bytes in the field */
	size_t	len;
};

struct parser {
	const unsigned char *s;
	size_t	len;
	struct tok *toks;
	size_t	ntoks;
	size_t	tok_cap;
	size_t	pos;			/* next token to read */
	struct addr_list *out;
	size_t	item_cap;
	struct addr_ew ew;
	const char *error;		/* first error */
};

static int fail(struct parser *p, const char *why)
{
	if (p->error == NULL)
		p->error = why;
	return -1;
}

static int is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 5322 atext, plus 8-bit bytes (RFC 6532 section 3.2). */
static int is_atext(unsigned char c)
{
	if (c >= 0x80)
		return 1;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static int is_special(unsigned char c)
{
	return c != 0 && strchr("()<>[]:;@\\,.\"", c) != NULL;
}

/* ------------------------------------------------------------------ */
/* Tokenizer                                                          */
/* ------------------------------------------------------------------ */

static int push_tok(struct parser *p, enum tok_type type, size_t off,
		    size_t len, int sep)
{
	struct tok *t;

	if (p->ntoks == p->tok_cap) {
		size_t	cap = p->tok_cap ? 2 * p->tok_cap : 32;

		if ((t = realloc(p->toks, cap * sizeof(*t))) == NULL)
			return fail(p, "out of memory");
		p->toks = t;
		p->tok_cap = cap;
	}
	t = &p->toks[p->ntoks++];
	t->type = type;
	t->ch = type == TOK_SPECIAL ? p->s[off] : 0;
	t->sep = sep;
	t->off = off;
	t->len = len;
	return 0;
}

/*
 * Find the end of a bracketed run starting at s[i] (the opener): a
 * quoted-pair hides the next byte; nest says whether open nests (comments
 * do, quoted strings and literals do not).  Returns the index after the
 * closer, or 0 when the field ends first.
 */
static size_t scan_closed(const unsigned char *s, size_t len, size_t i,
			  unsigned char open, unsigned char close, int nest)
{
	size_t	depth = 1;

	for (i++; i < len; i++) {
		if (s[i] == '\\') {
			if (++i >= len)
				return 0;
		} else if (nest && s[i] == open) {
			depth++;
		} else if (s[i] == close && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

static int tokenize(struct parser *p)
{
	const unsigned char *s = p->s;
	size_t	i = 0;
	int	sep = 0;

	while (i < p->len) {
		unsigned char c = s[i];
		size_t	start = i;
		enum tok_type type;

		if (is_wsp(c)) {
			sep = 1;
			i++;
			continue;
		}
		if (c == '(') {
			if ((i = scan_closed(s, p->len, i, '(', ')', 1)) == 0)
				return fail(p, "unterminated comment");
			type = TOK_COMMENT;
		} else if (c == '"') {
			if ((i = scan_closed(s, p->len, i, '"', '"', 0)) == 0)
				return fail(p, "unbalanced quote");
			type = TOK_QUOTED;
		} else if (c == '[') {
			if ((i = scan_closed(s, p->len, i, '[', ']', 0)) == 0)
				return fail(p, "unterminated domain literal");
			type = TOK_LITERAL;
		} else if (is_special(c)) {
			i++;
			type = TOK_SPECIAL;
		} else if (is_atext(c)) {
			while (i < p->len && is_atext(s[i]))
				i++;
			type = TOK_ATOM;
		} else {
			/* obs-NO-WS-CTL is tolerated inside quotes and comments only. */
			return fail(p, "control character in field");
		}
		if (push_tok(p, type, start, i - start, sep) < 0)
			return -1;
		sep = type == TOK_COMMENT;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Token helpers                                                      */
/* ------------------------------------------------------------------ */

static size_t skip_comments(const struct parser *p, size_t i)
{
	while (i < p->ntoks && p->toks[i].type == TOK_COMMENT)
		i++;
	return i;
}

static int tok_is(const struct parser *p, size_t i, unsigned char ch)
{
	return i < p->ntoks && p->toks[i].type == TOK_SPECIAL
		&& p->toks[i].ch == ch;
}

static int tok_is_word(const struct parser *p, size_t i)
{
	return i < p->ntoks && (p->toks[i].type == TOK_ATOM
				|| p->toks[i].type == TOK_QUOTED);
}

static const unsigned char *tok_data(const struct parser *p, size_t i)
{
	return p->s + p->toks[i].off;
}

/* Append the inside of a quoted string or comment, quoted-pairs undone. */
static void append_unquoted(struct buf *b, const unsigned char *s, size_t len)
{
	size_t	i;

	for (i = 1; i + 1 < len; i++) {
		if (s[i] == '\\' && i + 2 < len)
			i++;
		buf_append_byte(b, s[i]);
	}
}

/* ------------------------------------------------------------------ */
/* Display names                                                      */
/* ------------------------------------------------------------------ */

/*
 * Turn control characters and runs of white space into one space, drop
 * spaces at the ends, and hand over the result as a string.
 */
static char *finish_display(struct parser *p, struct buf *raw)
{
	struct buf out;
	size_t	i;
	int	space = 0;
	char   *str;

	buf_init(&out, DISPLAY_MAX);
	for (i = 0; i < raw->len; i++) {
		unsigned char c = raw->data[i];

		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = 1;
			continue;
		}
		if (space && out.len > 0)
			buf_append_byte(&out, ' ');
		space = 0;
		buf_append_byte(&out, c);
	}
	if (buf_failed(raw) || buf_failed(&out)
	    || (str = buf_detach(&out, NULL)) == NULL) {
		buf_free(&out);
		fail(p, "display name too long");
		return NULL;
	}
	return str;
}

/*
 * Build the display text of phrase tokens [i, j).  Tokens with no white
 * space between them form one word; a word made of atoms and dots only
 * may be an encoded word (this also decodes the common, invalid, dots
 * inside Q text).  White space between two encoded words is dropped
 * (RFC 2047 section 6.2); a comment between them still separates.
 */
static char *build_phrase(struct parser *p, size_t i, size_t j)
{
	struct buf raw;
	size_t	k = i;
	int	prev_ew = 0;
	int	gap = 0;		/* 1 white space, 2 a comment, before */

	buf_init(&raw, DISPLAY_MAX);
	while (k < j) {
		const struct tok *t = &p->toks[k];
		size_t	m;
		size_t	n;
		size_t	mark;
		int	plain = 1;
		int	ew = 0;

		if (t->type == TOK_COMMENT) {
			gap = 2;
			k++;
			continue;
		}
		if (t->type == TOK_SPECIAL && t->ch != '.' && t->ch != '@') {
			buf_free(&raw);
			fail(p, t->ch == ')' ? "unbalanced parenthesis"
			     : t->ch == '>' ? "unexpected '>'"
			     : "unexpected special character in display name");
			return NULL;
		}
		if (t->sep && gap == 0)
			gap = 1;
		for (m = k; m < j; m++) {
			const struct tok *u = &p->toks[m];

			if (m > k && (u->sep || u->type == TOK_COMMENT))
				break;
			if (u->type == TOK_SPECIAL && u->ch != '.' && u->ch != '@')
				break;
			if (!(u->type == TOK_ATOM
			      || (u->type == TOK_SPECIAL && u->ch == '.')))
				plain = 0;
		}
		mark = raw.len;
		if (plain) {
			n = p->toks[m - 1].off + p->toks[m - 1].len - t->off;
			if ((ew = addr_ew_word(&p->ew, tok_data(p, k), n, &raw)) < 0)
				break;
		}
		if (gap && mark > 0 && !(gap == 1 && prev_ew && ew))
			buf_splice(&raw, mark, 0, " ", 1);
		for (n = k; !ew && n < m; n++) {
			if (p->toks[n].type == TOK_QUOTED)
				append_unquoted(&raw, tok_data(p, n), p->toks[n].len);
			else
				buf_append(&raw, tok_data(p, n), p->toks[n].len);
		}
		prev_ew = ew;
		gap = 0;
		k = m;
	}
	{
		char   *str = finish_display(p, &raw);

		buf_free(&raw);
		return str;
	}
}

/* Display text of the first non-empty comment in [i, j), or NULL. */
static char *comment_display(struct parser *p, size_t i, size_t j)
{
	for (; i < j; i++) {
		struct buf inner;
		struct buf dec;
		char   *str;

		if (p->toks[i].type != TOK_COMMENT)
			continue;
		buf_init(&inner, LIMIT_ADDRESS_FIELD);
		buf_init(&dec, DISPLAY_MAX);
		append_unquoted(&inner, tok_data(p, i), p->toks[i].len);
		if (!buf_failed(&inner) && inner.len > 0)
			addr_ew_text(&p->ew, inner.data, inner.len, &dec);
		str = finish_display(p, &dec);
		buf_free(&inner);
		buf_free(&dec);
		if (str == NULL || *str != 0)
			return str;
		free(str);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* addr-spec                                                          */
/* ------------------------------------------------------------------ */

/*
 * local-part = word *("." word), read leniently: a dot may lead, trail or
 * repeat (obs-local-part in the wild), but two words need a dot between
 * them.  CFWS goes, quoted strings keep their quotes (folding undone).
 */
static int parse_local(struct parser *p, size_t *ip, struct buf *local)
{
	size_t	i = skip_comments(p, *ip);
	int	after_word = 0;
	int	words = 0;

	for (;; i = skip_comments(p, i + 1)) {
		if (tok_is_word(p, i) && !after_word) {
			const unsigned char *d = tok_data(p, i);
			size_t	n;

			for (n = 0; n < p->toks[i].len; n++)
				if (d[n] != '\r' && d[n] != '\n')
					buf_append_byte(local, d[n]);
			after_word = 1;
			words++;
		} else if (tok_is(p, i, '.')) {
			buf_append_byte(local, '.');
			after_word = 0;
		} else {
			break;
		}
	}
	*ip = i;
	if (buf_failed(local))
		return fail(p, "local part too long");
	if (words == 0)
		return fail(p, "empty local part");
	if (tok_is_word(p, i))
		return fail(p, "invalid local part");
	return 0;
}

/* domain = dot-atom / domain-literal, CFWS allowed around the dots. */
static int parse_domain(struct parser *p, size_t *ip, struct buf *domain)
{
	size_t	i = skip_comments(p, *ip);
	size_t	n;

	if (tok_is(p, i, '.'))
		return fail(p, "domain has an empty label");
	if (i < p->ntoks && p->toks[i].type == TOK_LITERAL) {
		const unsigned char *d = tok_data(p, i);

		for (n = 0; n < p->toks[i].len; n++)
			if (!is_wsp(d[n]))
				buf_append_byte(domain, d[n]);
		i++;
	} else if (i < p->ntoks && p->toks[i].type == TOK_ATOM) {
		buf_append(domain, tok_data(p, i), p->toks[i].len);
		for (i++;;) {
			size_t	dot = skip_comments(p, i);
			size_t	next;

			if (!tok_is(p, dot, '.'))
				break;
			next = skip_comments(p, dot + 1);
			if (next >= p->ntoks || p->toks[next].type != TOK_ATOM)
				return fail(p, "domain has an empty label");
			buf_append_byte(domain, '.');
			buf_append(domain, tok_data(p, next), p->toks[next].len);
			i = next + 1;
		}
	} else {
		return fail(p, "missing domain after @");
	}
	*ip = i;
	if (buf_failed(domain))
		return fail(p, "domain too long");
	for (n = 0; n < domain->len; n++)
		if (domain->data[n] >= 'A' && domain->data[n] <= 'Z')
			domain->data[n] = (unsigned char) (domain->data[n] + 32);
	return 0;
}

/* ------------------------------------------------------------------ */
/* address-list                                                       */
/* ------------------------------------------------------------------ */

/* Take ownership of the strings and add one mailbox. */
static int add_addr(struct parser *p, char *display, struct buf *local,
		    struct buf *domain, char *group)
{
	struct addr_list *out = p->out;
	struct addr *a;

	if (out->count >= LIMIT_ADDRESS_COUNT) {
		free(display);
		return fail(p, "too many addresses");
	}
	if (out->count == p->item_cap) {
		size_t	cap = p->item_cap ? 2 * p->item_cap : 4;

		if ((a = realloc(out->items, cap * sizeof(*a))) == NULL) {
			free(display);
			return fail(p, "out of memory");
		}
		out->items = a;
		p->item_cap = cap;
	}
	a = &out->items[out->count];
	a->display = display;
	a->local = buf_detach(local, NULL);
	a->domain = buf_detach(domain, NULL);
	a->group = group;
	out->count++;
	if (a->local == NULL || a->domain == NULL)
		return fail(p, "out of memory");
	return 0;
}

/*
 * Read an addr-spec from *ip, then the comments after it (the display
 * name of last resort), and add the mailbox.  The item must end there.
 */
static int finish_mailbox(struct parser *p, size_t i, char *display,
			  struct buf *local, struct buf *domain, char *group)
{
	size_t	end = skip_comments(p, i);

	if (end < p->ntoks && !tok_is(p, end, ',') && !tok_is(p, end, ';')) {
		free(display);
		return fail(p, "unexpected text after address");
	}
	if (display != NULL && *display == 0) {
		free(display);
		display = NULL;
	}
	if (display == NULL) {
		display = comment_display(p, i, end);
		if (display == NULL && p->error == NULL)
			display = strdup("");
		if (display == NULL)
			return fail(p, "out of memory");
	}
	p->pos = end;
	return add_addr(p, display, local, domain, group);
}

static int parse_addr_spec(struct parser *p, size_t *ip, struct buf *local,
			   struct buf *domain)
{
	if (parse_local(p, ip, local) < 0)
		return -1;
	*ip = skip_comments(p, *ip);
	if (!tok_is(p, *ip, '@'))
		return fail(p, "missing @");
	(*ip)++;
	return parse_domain(p, ip, domain);
}

/* obs-route = obs-domain-list ":", read and forgotten. */
static int skip_route(struct parser *p, size_t *ip)
{
	size_t	i = skip_comments(p, *ip);
	struct buf ignored;
	int	rc = 0;

	if (!tok_is(p, i, '@') && !tok_is(p, i, ','))
		return 0;
	buf_init(&ignored, LIMIT_DOMAIN);
	for (;; i = skip_comments(p, i)) {
		if (tok_is(p, i, ',')) {
			i++;
		} else if (tok_is(p, i, '@')) {
			i++;
			buf_reset(&ignored);
			if ((rc = parse_domain(p, &i, &ignored)) < 0)
				break;
		} else {
			break;
		}
	}
	buf_free(&ignored);
	if (rc < 0)
		return -1;
	if (!tok_is(p, i, ':'))
		return fail(p, "invalid source route");
	*ip = i + 1;
	return 0;
}

/* name-addr: phrase [i, lt), then "<" [obs-route] addr-spec ">". */
static int parse_name_addr(struct parser *p, size_t i, size_t lt, char *group,
			   struct buf *local, struct buf *domain)
{
	char   *display;
	size_t	k = lt + 1;

	if ((display = build_phrase(p, i, lt)) == NULL)
		return -1;
	k = skip_comments(p, k);
	if (tok_is(p, k, '>') || k >= p->ntoks) {
		free(display);
		return fail(p, k >= p->ntoks ? "missing '>'" : "empty address");
	}
	if (skip_route(p, &k) < 0 || parse_addr_spec(p, &k, local, domain) < 0) {
		free(display);
		return -1;
	}
	k = skip_comments(p, k);
	if (!tok_is(p, k, '>')) {
		free(display);
		return fail(p, k >= p->ntoks ? "missing '>'"
			    : "unexpected text in angle brackets");
	}
	return finish_mailbox(p, k + 1, display, local, domain, group);
}

static int parse_item(struct parser *p, char *group);

/* group: display-name [i, colon) ":" [group-list] ";" */
static int parse_group(struct parser *p, size_t i, size_t colon)
{
	char   *name;
	size_t	first = p->out->count;
	size_t	k;
	int	rc = 0;

	if ((name = build_phrase(p, i, colon)) == NULL)
		return -1;
	p->out->groups++;
	p->pos = colon + 1;
	for (;;) {
		k = skip_comments(p, p->pos);
		if (k >= p->ntoks)
			break;		/* lenient: the field ended the group */
		if (tok_is(p, k, ',')) {
			p->pos = k + 1;
		} else if (tok_is(p, k, ';')) {
			p->pos = k + 1;
			break;
		} else if ((rc = parse_item(p, name)) < 0) {
			break;
		}
	}
	/* Members share the name; it is freed with the last of them. */
	if (p->out->count == first)
		free(name);
	if (rc < 0)
		return -1;
	k = skip_comments(p, p->pos);
	if (k < p->ntoks && !tok_is(p, k, ','))
		return fail(p, "unexpected text after group");
	p->pos = k;
	return 0;
}

/*
 * One address (or mailbox, inside a group), or nothing for an empty
 * list item.  Leaves p->pos on the ',' or ';' after it, or at the end.
 */
static int parse_item(struct parser *p, char *group)
{
	size_t	i = skip_comments(p, p->pos);
	size_t	j;
	size_t	k;
	int	words = 0;
	int	at = 0;
	struct buf local;
	struct buf domain;
	int	rc;

	for (j = i; j < p->ntoks; j++) {
		const struct tok *t = &p->toks[j];

		if (t->type == TOK_SPECIAL && strchr("<:,;", t->ch) != NULL)
			break;
		words += t->type != TOK_COMMENT;
		at |= tok_is(p, j, '@');
	}
	if (tok_is(p, j, ':')) {
		if (group != NULL)
			return fail(p, "nested group");
		return parse_group(p, i, j);
	}
	if (!tok_is(p, j, '<') && words == 0) {
		p->pos = j;
		return 0;
	}
	buf_init(&local, LIMIT_ADDRESS_FIELD);
	buf_init(&domain, LIMIT_DOMAIN);
	if (tok_is(p, j, '<')) {
		rc = parse_name_addr(p, i, j, group, &local, &domain);
	} else if (!at) {
		rc = fail(p, "missing @");
	} else {
		k = i;
		rc = parse_addr_spec(p, &k, &local, &domain);
		if (rc == 0)
			rc = finish_mailbox(p, k, NULL, &local, &domain, group);
	}
	buf_free(&local);
	buf_free(&domain);
	return rc;
}

static int parse_list(struct parser *p)
{
	size_t	k;

	if (p->len > LIMIT_ADDRESS_FIELD)
		return fail(p, "field too long");
	if (p->len > 0 && memchr(p->s, 0, p->len) != NULL)
		return fail(p, "NUL in field");
	if (tokenize(p) < 0)
		return -1;
	for (;;) {
		k = skip_comments(p, p->pos);
		if (k >= p->ntoks)
			break;
		if (tok_is(p, k, ',')) {
			p->pos = k + 1;
			continue;
		}
		if (tok_is(p, k, ';'))
			return fail(p, "unexpected ';'");
		if (parse_item(p, NULL) < 0)
			return -1;
	}
	if (p->out->count == 0 && p->out->groups == 0)
		return fail(p, "no address");
	return 0;
}

int addr_parse_list(const void *value, size_t len, struct addr_list *out,
		    const char **error_r)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.s = value;
	p.len = len;
	p.out = out;
	out->items = NULL;
	out->count = 0;
	out->groups = 0;
	addr_ew_init(&p.ew);
	if (parse_list(&p) < 0)
		addr_list_free(out);
	addr_ew_free(&p.ew);
	free(p.toks);
	if (p.error != NULL && error_r != NULL)
		*error_r = p.error;
	return p.error != NULL ? -1 : 0;
}

void addr_list_free(struct addr_list *list)
{
	size_t	i;

	for (i = 0; i < list->count; i++) {
		struct addr *a = &list->items[i];

		free(a->display);
		free(a->local);
		free(a->domain);
		/* The members of one group are adjacent and share its name. */
		if (a->group != NULL
		    && (i + 1 == list->count || list->items[i + 1].group != a->group))
			free(a->group);
	}
	free(list->items);
	list->items = NULL;
	list->count = 0;
	list->groups = 0;
}
