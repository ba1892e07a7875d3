/*
 * NAME
 *	pyconf 3
 * SUMMARY
 *	parse the Python literal files of Mailman 2.1's config_list
 * DESCRIPTION
 *	A lexer over a byte range with a length and a recursive-descent
 *	parser whose recursion is bounded by PYCONF_MAX_DEPTH.  Nothing is
 *	evaluated: a name other than True/False/None, an operator, a call
 *	or an attribute is an error with its line and column.
 *
 *	Memory: every value, string and item array of a parsed file lives
 *	in one arena owned by the pyconf_file, so pyconf_free() is one walk
 *	over a chain of blocks.  Strings are decoded into one buf whose
 *	maximum is PYCONF_MAX_STRING, so a huge string fails as soon as it
 *	passes the cap, before anything near its size is allocated.  Input
 *	past PYCONF_MAX_FILE is never looked at: reaching that point is the
 *	"file longer than" error, on the line where it happens.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "pyconf/pyconf.h"

/* ---- arena ------------------------------------------------------------ */

#define ARENA_BLOCK	(64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t	used, size;
	max_align_t data[];
};

struct arena {
	struct arena_block *head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t	size;
	void   *p;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (n == 0)
		n = sizeof(max_align_t);
	if (b == NULL || b->size - b->used < n) {
		size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		if ((b = malloc(sizeof(*b) + size)) == NULL)
			return NULL;
		b->used = 0;
		b->size = size;
		/* A big one-off block goes second so the current block stays
		 * in use for small allocations. */
		if (size > ARENA_BLOCK && a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = (char *) b->data + b->used;
	b->used += n;
	return p;
}

static void arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

/* What pyconf_parse() hands out: the public part first, so the pointer
 * converts both ways. */
struct pyconf_file_impl {
	struct pyconf_file pub;
	struct arena arena;
	struct pyconf_assign *items;	/* realloc'd while parsing */
	size_t	cap;
};

/* ---- lexer ------------------------------------------------------------ */

enum tok {
	T_EOF, T_NEWLINE, T_NAME, T_NUMBER, T_STRING, T_OP,
};

struct pc {
	const unsigned char *p;
	size_t	len;			/* as given */
	size_t	end;			/* min(len, PYCONF_MAX_FILE) */
	size_t	pos;
	int	line;
	size_t	line_start;
	int	nest;			/* open brackets: newlines are blanks */
	struct pyconf_error *err;
	int	failed;
	struct arena *arena;
	size_t	nvalues;
	struct buf sbuf;		/* decoded bytes of the current string */

	enum tok tok, prev_tok;
	size_t	tpos, tlen;		/* NAME, NUMBER: the bytes */
	int	tline, tcol;
	int	tch;			/* OP: the byte */
	int	tunicode;		/* STRING: a u'' piece */
};

static int fail_at(struct pc *pc, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(struct pc *pc, int line, int col, const char *fmt, ...)
{
	va_list	ap;

	if (pc->failed)
		return -1;
	pc->failed = 1;
	pc->err->line = line;
	pc->err->column = col;
	va_start(ap, fmt);
	vsnprintf(pc->err->message, sizeof(pc->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

static int col_of(const struct pc *pc, size_t pos)
{
	size_t	c = pos - pc->line_start + 1;

	return c > INT32_MAX ? INT32_MAX : (int) c;
}

#define fail_here(pc, pos, ...) fail_at(pc, (pc)->line, col_of(pc, pos), __VA_ARGS__)

/* Reached the end of what we look at: past the cap is its own error. */
static int fail_end(struct pc *pc)
{
	if (pc->len > PYCONF_MAX_FILE)
		return fail_here(pc, pc->pos, "file longer than %d bytes",
				 PYCONF_MAX_FILE);
	return 0;
}

/* 0, or the length of the line end at pos (\n, \r\n, lone \r). */
static size_t newline_at(const struct pc *pc, size_t pos)
{
	if (pos >= pc->end)
		return 0;
	if (pc->p[pos] == '\n')
		return 1;
	if (pc->p[pos] == '\r')
		return pos + 1 < pc->end && pc->p[pos + 1] == '\n' ? 2 : 1;
	return 0;
}

static void count_newline(struct pc *pc, size_t nl)
{
	pc->pos += nl;
	pc->line++;
	pc->line_start = pc->pos;
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}


/* Which string prefixes Python 2 and 3 accept: u b r ur br rb. */
static int string_prefix(const unsigned char *s, size_t n, int *raw, int *uni)
{
	size_t	i;
	int	u = 0, b = 0, r = 0;

	if (n == 0 || n > 2)
		return 0;
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case 'u': case 'U': u++; break;
		case 'b': case 'B': b++; break;
		case 'r': case 'R': r++; break;
		default: return 0;
		}
	}
	if (u > 1 || b > 1 || r > 1 || (u && b))
		return 0;
	if (u && r && !(s[0] == 'u' || s[0] == 'U'))
		return 0;			/* "ru" is not Python */
	*raw = r;
	*uni = u;
	return 1;
}

static int sbuf_fail(struct pc *pc, int line, int col)
{
	if (pc->sbuf.error == BUF_NO_MEMORY)
		return fail_at(pc, line, col, "out of memory");
	return fail_at(pc, line, col, "string longer than %d bytes (starting on line %d)",
		       PYCONF_MAX_STRING, line);
}

static void put_utf8(struct buf *b, uint32_t c)
{
	unsigned char u[4];

	if (c < 0x80) {
		buf_append_byte(b, (unsigned char) c);
		return;
	}
	if (c < 0x800) {
		u[0] = (unsigned char) (0xC0 | (c >> 6));
		u[1] = (unsigned char) (0x80 | (c & 0x3F));
		buf_append(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (unsigned char) (0xE0 | (c >> 12));
		u[1] = (unsigned char) (0x80 | ((c >> 6) & 0x3F));
		u[2] = (unsigned char) (0x80 | (c & 0x3F));
		buf_append(b, u, 3);
	} else {
		u[0] = (unsigned char) (0xF0 | (c >> 18));
		u[1] = (unsigned char) (0x80 | ((c >> 12) & 0x3F));
		u[2] = (unsigned char) (0x80 | ((c >> 6) & 0x3F));
		u[3] = (unsigned char) (0x80 | (c & 0x3F));
		buf_append(b, u, 4);
	}
}

/* n hex digits at pos into *v; 0 or -1. */
static int read_hex(const struct pc *pc, size_t pos, int n, uint32_t *v)
{
	int	i, h;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (pos + (size_t) i >= pc->end || (h = buf_hex_value(pc->p[pos + i])) < 0)
			return -1;
		*v = *v << 4 | (uint32_t) h;
	}
	return 0;
}

/*
 * One escape after the backslash at pc->pos in a non-raw string (or \u
 * in a ur'' one).  Appends to sbuf and moves pc->pos past it.
 */
static int lex_escape(struct pc *pc, int uni)
{
	size_t	bs = pc->pos;
	unsigned char e = pc->p[bs + 1];
	uint32_t v, lo;
	int	n, i;

	pc->pos = bs + 2;
	switch (e) {
	case '\n': case '\r':
		/* Backslash-newline: a continuation, nothing is added. */
		pc->pos = bs + 1;
		count_newline(pc, newline_at(pc, bs + 1));
		return 0;
	case '\\': case '\'': case '"':
		buf_append_byte(&pc->sbuf, e);
		return 0;
	case 'a': buf_append_byte(&pc->sbuf, 7); return 0;
	case 'b': buf_append_byte(&pc->sbuf, 8); return 0;
	case 'f': buf_append_byte(&pc->sbuf, 12); return 0;
	case 'n': buf_append_byte(&pc->sbuf, 10); return 0;
	case 'r': buf_append_byte(&pc->sbuf, 13); return 0;
	case 't': buf_append_byte(&pc->sbuf, 9); return 0;
	case 'v': buf_append_byte(&pc->sbuf, 11); return 0;
	case 'x':
		if (read_hex(pc, bs + 2, 2, &v) < 0)
			return fail_here(pc, bs, "invalid \\x escape: two hex digits must follow");
		pc->pos = bs + 4;
		break;
	case 'u': case 'U':
		n = e == 'u' ? 4 : 8;
		if (read_hex(pc, bs + 2, n, &v) < 0)
			return fail_here(pc, bs, "invalid \\%c escape: %d hex digits must follow",
					 e, n);
		pc->pos = bs + 2 + (size_t) n;
		if (v > 0x10FFFF)
			return fail_here(pc, bs, "invalid \\U escape: beyond U+10FFFF");
		if (v >= 0xD800 && v <= 0xDBFF && pc->pos + 6 <= pc->end &&
		    pc->p[pc->pos] == '\\' && pc->p[pc->pos + 1] == 'u' &&
		    read_hex(pc, pc->pos + 2, 4, &lo) == 0 &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			/* A surrogate pair, as a narrow Python 2 build writes. */
			v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
			pc->pos += 6;
		} else if (v >= 0xD800 && v <= 0xDFFF) {
			return fail_here(pc, bs, "invalid \\u escape: lone surrogate");
		}
		if (v == 0)
			return fail_here(pc, bs, "NUL byte (escape in a string)");
		put_utf8(&pc->sbuf, v);
		return 0;
	case 'N':
		return fail_here(pc, bs, "\\N{...} escapes are not supported");
	case 0:
		return fail_here(pc, bs + 1, "NUL byte");
	default:
		if (e >= '0' && e <= '7') {
			v = 0;
			for (i = 0; i < 3 && bs + 1 + (size_t) i < pc->end &&
			     pc->p[bs + 1 + i] >= '0' && pc->p[bs + 1 + i] <= '7'; i++)
				v = v * 8 + (uint32_t) (pc->p[bs + 1 + i] - '0');
			pc->pos = bs + 1 + (size_t) i;
			if (v > 0xFF && !uni)
				return fail_here(pc, bs, "octal escape above \\377 in a byte string");
			break;
		}
		/* Python keeps an unknown escape as written. */
		buf_append_byte(&pc->sbuf, '\\');
		buf_append_byte(&pc->sbuf, e);
		return 0;
	}
	/* \x and octal: a byte, or a code point in a u'' string. */
	if (v == 0)
		return fail_here(pc, bs, "NUL byte (escape in a string)");
	if (uni)
		put_utf8(&pc->sbuf, v);
	else
		buf_append_byte(&pc->sbuf, (unsigned char) v);
	return 0;
}

/* A string literal; pc->pos is at the opening quote. */
static int lex_string(struct pc *pc, int raw, int uni)
{
	unsigned char q = pc->p[pc->pos];
	int	triple = 0, line = pc->tline, col = pc->tcol;
	size_t	run, nl;
	unsigned char c;

	if (pc->prev_tok != T_STRING)
		buf_reset(&pc->sbuf);
	if (pc->pos + 2 < pc->end && pc->p[pc->pos + 1] == q && pc->p[pc->pos + 2] == q) {
		triple = 1;
		pc->pos += 3;
	} else {
		pc->pos++;
	}
	for (;;) {
		if (buf_failed(&pc->sbuf))
			return sbuf_fail(pc, line, col);
		if (pc->pos >= pc->end) {
			if (fail_end(pc) < 0)
				return -1;
			return fail_at(pc, line, col, triple ?
				       "unterminated triple-quoted string starting on line %d" :
				       "unterminated string starting on line %d", line);
		}
		c = pc->p[pc->pos];
		if (c == q) {
			if (!triple) {
				pc->pos++;
				break;
			}
			if (pc->pos + 2 < pc->end && pc->p[pc->pos + 1] == q &&
			    pc->p[pc->pos + 2] == q) {
				pc->pos += 3;
				break;
			}
			buf_append_byte(&pc->sbuf, c);
			pc->pos++;
		} else if (c == '\n' || c == '\r') {
			if (!triple)
				return fail_at(pc, line, col,
					       "unterminated string starting on line %d "
					       "(a newline in a one-line string)", line);
			buf_append_byte(&pc->sbuf, '\n');
			count_newline(pc, newline_at(pc, pc->pos));
		} else if (c == 0) {
			return fail_here(pc, pc->pos, "NUL byte");
		} else if (c == '\\') {
			if (pc->pos + 1 >= pc->end) {
				pc->pos++;	/* the unterminated error above */
				continue;
			}
			if (!raw || (uni && (pc->p[pc->pos + 1] == 'u' ||
					     pc->p[pc->pos + 1] == 'U'))) {
				if (lex_escape(pc, uni) < 0)
					return -1;
				continue;
			}
			/* Raw: the backslash stays, and the next byte cannot
			 * end the string. */
			buf_append_byte(&pc->sbuf, '\\');
			pc->pos++;
			if ((nl = newline_at(pc, pc->pos)) > 0) {
				buf_append_byte(&pc->sbuf, '\n');
				count_newline(pc, nl);
			} else if (pc->p[pc->pos] == 0) {
				return fail_here(pc, pc->pos, "NUL byte");
			} else {
				buf_append_byte(&pc->sbuf, pc->p[pc->pos]);
				pc->pos++;
			}
		} else {
			for (run = pc->pos + 1; run < pc->end; run++) {
				c = pc->p[run];
				if (c == q || c == '\\' || c == '\n' || c == '\r' || c == 0)
					break;
			}
			buf_append(&pc->sbuf, pc->p + pc->pos, run - pc->pos);
			pc->pos = run;
		}
	}
	if (buf_failed(&pc->sbuf))
		return sbuf_fail(pc, line, col);
	pc->tok = T_STRING;
	pc->tunicode = uni;
	return 0;
}

static int lex_number(struct pc *pc)
{
	size_t	s = pc->pos, i = s;
	int	isfloat = 0, digits = 0;

	if (pc->p[i] == '0' && i + 1 < pc->end &&
	    (pc->p[i + 1] == 'x' || pc->p[i + 1] == 'X' || pc->p[i + 1] == 'o' ||
	     pc->p[i + 1] == 'O' || pc->p[i + 1] == 'b' || pc->p[i + 1] == 'B')) {
		int	base = pc->p[i + 1] == 'x' || pc->p[i + 1] == 'X' ? 16 :
			pc->p[i + 1] == 'o' || pc->p[i + 1] == 'O' ? 8 : 2;

		for (i += 2; i < pc->end && buf_hex_value(pc->p[i]) >= 0 &&
		     buf_hex_value(pc->p[i]) < base; i++)
			digits++;
		if (digits == 0)
			return fail_here(pc, s, "invalid number");
	} else {
		while (i < pc->end && is_digit(pc->p[i]))
			i++;
		if (i < pc->end && pc->p[i] == '.') {
			isfloat = 1;
			for (i++; i < pc->end && is_digit(pc->p[i]); i++)
				;
		}
		if (i < pc->end && (pc->p[i] == 'e' || pc->p[i] == 'E')) {
			isfloat = 1;
			i++;
			if (i < pc->end && (pc->p[i] == '+' || pc->p[i] == '-'))
				i++;
			for (; i < pc->end && is_digit(pc->p[i]); i++)
				digits++;
			if (digits == 0)
				return fail_here(pc, s, "invalid number (exponent without digits)");
		}
	}
	if (!isfloat && i < pc->end && (pc->p[i] == 'L' || pc->p[i] == 'l'))
		i++;
	if (i < pc->end && (pc->p[i] == 'j' || pc->p[i] == 'J'))
		return fail_here(pc, s, "complex numbers are not allowed");
	if (i < pc->end && (is_alpha(pc->p[i]) || is_digit(pc->p[i]) || pc->p[i] == '.'))
		return fail_here(pc, s, "invalid number");
	if (i - s > 64)
		return fail_here(pc, s, "number longer than 64 characters");
	pc->tok = T_NUMBER;
	pc->tpos = s;
	pc->tlen = i - s;
	pc->pos = i;
	return 0;
}

/* The next token into pc->tok; 0 or -1. */
static int next_token(struct pc *pc)
{
	unsigned char c;
	size_t	nl, s;
	int	raw, uni;

	pc->prev_tok = pc->tok;
	for (;;) {
		while (pc->pos < pc->end && (pc->p[pc->pos] == ' ' || pc->p[pc->pos] == '\t' ||
					     pc->p[pc->pos] == '\f'))
			pc->pos++;
		pc->tline = pc->line;
		pc->tcol = col_of(pc, pc->pos);
		if (pc->pos >= pc->end) {
			if (fail_end(pc) < 0)
				return -1;
			pc->tok = T_EOF;
			return 0;
		}
		c = pc->p[pc->pos];
		if (c == '#') {
			while (pc->pos < pc->end && newline_at(pc, pc->pos) == 0) {
				if (pc->p[pc->pos] == 0)
					return fail_here(pc, pc->pos, "NUL byte");
				pc->pos++;
			}
			continue;
		}
		if ((nl = newline_at(pc, pc->pos)) > 0) {
			count_newline(pc, nl);
			if (pc->nest > 0)
				continue;
			pc->tok = T_NEWLINE;
			return 0;
		}
		if (c == '\\') {
			if ((nl = newline_at(pc, pc->pos + 1)) == 0) {
				if (pc->pos + 1 >= pc->end && fail_end(pc) < 0)
					return -1;
				return fail_here(pc, pc->pos, "a backslash outside a string must end "
						 "the line (line continuation)");
			}
			pc->pos++;
			count_newline(pc, nl);
			continue;
		}
		break;
	}
	if (c == 0)
		return fail_here(pc, pc->pos, "NUL byte");
	if (c == '\'' || c == '"')
		return lex_string(pc, 0, 0);
	if (is_digit(c) || (c == '.' && pc->pos + 1 < pc->end && is_digit(pc->p[pc->pos + 1])))
		return lex_number(pc);
	if (is_alpha(c)) {
		s = pc->pos;
		while (pc->pos < pc->end && (is_alpha(pc->p[pc->pos]) || is_digit(pc->p[pc->pos])))
			pc->pos++;
		if (pc->pos < pc->end && (pc->p[pc->pos] == '\'' || pc->p[pc->pos] == '"') &&
		    string_prefix(pc->p + s, pc->pos - s, &raw, &uni))
			return lex_string(pc, raw, uni);
		if (pc->pos - s > 255)
			return fail_at(pc, pc->tline, pc->tcol, "name longer than 255 bytes");
		pc->tok = T_NAME;
		pc->tpos = s;
		pc->tlen = pc->pos - s;
		return 0;
	}
	pc->tok = T_OP;
	pc->tch = c;
	pc->pos++;
	return 0;
}

/* ---- parser ----------------------------------------------------------- */

static int tok_is(const struct pc *pc, const char *name)
{
	return pc->tok == T_NAME && pc->tlen == strlen(name) &&
		memcmp(pc->p + pc->tpos, name, pc->tlen) == 0;
}

static const char *const keywords[] = {
	"and", "as", "assert", "async", "await", "break", "class", "continue",
	"def", "del", "elif", "else", "except", "exec", "finally", "for",
	"from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
	"not", "or", "pass", "print", "raise", "return", "try", "while",
	"with", "yield",
};

static int tok_is_keyword(const struct pc *pc)
{
	size_t	i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (tok_is(pc, keywords[i]))
			return 1;
	return 0;
}

/* The current token in words, for "expected X; found Y". */
static const char *describe(const struct pc *pc, char *out, size_t size)
{
	switch (pc->tok) {
	case T_EOF: return "end of file";
	case T_NEWLINE: return "end of line";
	case T_NUMBER: return "a number";
	case T_STRING: return "a string";
	case T_NAME:
		snprintf(out, size, "name %.*s", (int) (pc->tlen > 40 ? 40 : pc->tlen),
			 (const char *) pc->p + pc->tpos);
		return out;
	case T_OP:
		if (pc->tch > 0x20 && pc->tch < 0x7F)
			snprintf(out, size, "'%c'", pc->tch);
		else
			snprintf(out, size, "byte 0x%02X", (unsigned) pc->tch);
		return out;
	}
	return "?";
}

/* An error for an unexpected token after a complete value. */
static int fail_after_value(struct pc *pc, const char *expected)
{
	char	d[64];

	if (pc->tok == T_OP) {
		if (strchr("+-*/%&|^<>~@!", pc->tch))
			return fail_at(pc, pc->tline, pc->tcol,
				       "not a literal: operators are not allowed ('%c')", pc->tch);
		if (pc->tch == '(')
			return fail_at(pc, pc->tline, pc->tcol, "not a literal: calls are not allowed");
		if (pc->tch == '.')
			return fail_at(pc, pc->tline, pc->tcol,
				       "not a literal: attributes are not allowed");
		if (pc->tch == '[')
			return fail_at(pc, pc->tline, pc->tcol,
				       "not a literal: subscripts are not allowed");
		if (pc->tch == ';')
			return fail_at(pc, pc->tline, pc->tcol, "one assignment per line, please");
		if (pc->tch == '=')
			return fail_at(pc, pc->tline, pc->tcol,
				       "only NAME = literal is allowed (chained assignment)");
	}
	return fail_at(pc, pc->tline, pc->tcol, "expected %s; found %s", expected,
		       describe(pc, d, sizeof(d)));
}

static char *arena_strndup(struct pc *pc, const void *s, size_t n)
{
	char   *p = arena_alloc(pc->arena, n + 1);

	if (p == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static int make_number(struct pc *pc, int neg, struct pyconf_value *v)
{
	const unsigned char *s = pc->p + pc->tpos;
	size_t	n = pc->tlen, i = 0;
	unsigned long long m = 0, lim;
	int	base = 10, d;
	char   *text, *endp;

	if ((text = arena_alloc(pc->arena, n + 2)) == NULL)
		return fail_at(pc, pc->tline, pc->tcol, "out of memory");
	text[0] = '-';
	memcpy(text + 1, s, n);
	text[n + 1] = 0;
	v->text = neg ? text : text + 1;
	if (memchr(s, '.', n) != NULL ||
	    (!(n > 1 && (s[1] == 'x' || s[1] == 'X')) &&
	     (memchr(s, 'e', n) != NULL || memchr(s, 'E', n) != NULL))) {
		v->type = PYCONF_FLOAT;
		errno = 0;
		v->f = strtod(v->text, &endp);
		if (*endp != 0)
			return fail_at(pc, pc->tline, pc->tcol, "invalid number");
		return 0;
	}
	v->type = PYCONF_INT;
	if (s[n - 1] == 'L' || s[n - 1] == 'l')
		n--;
	if (n > 1 && s[0] == '0') {
		if (s[1] == 'x' || s[1] == 'X')
			base = 16, i = 2;
		else if (s[1] == 'o' || s[1] == 'O')
			base = 8, i = 2;
		else if (s[1] == 'b' || s[1] == 'B')
			base = 2, i = 2;
		else
			base = 8, i = 1;	/* Python 2: 017 is octal */
	}
	lim = neg ? (unsigned long long) LLONG_MAX + 1 : (unsigned long long) LLONG_MAX;
	for (; i < n; i++) {
		d = buf_hex_value(s[i]);
		if (d < 0 || d >= base)
			return fail_at(pc, pc->tline, pc->tcol, "invalid number");
		if (m > (lim - (unsigned long long) d) / (unsigned long long) base)
			return fail_at(pc, pc->tline, pc->tcol,
				       "integer out of range (more than 64 bits)");
		m = m * (unsigned long long) base + (unsigned long long) d;
	}
	if (neg)
		v->i = m == (unsigned long long) LLONG_MAX + 1 ? LLONG_MIN : -(long long) m;
	else
		v->i = (long long) m;
	return 0;
}

static int parse_value(struct pc *pc, int depth, struct pyconf_value *v);

/* [..] (..) {..}; the current token is the opening bracket. */
static int parse_container(struct pc *pc, int depth, struct pyconf_value *v)
{
	int	open = pc->tch, close = open == '[' ? ']' : open == '(' ? ')' : '}';
	int	oline = pc->tline, ocol = pc->tcol, comma = 0, rc = -1;
	struct pyconf_value *tmp = NULL, *nt;
	size_t	n = 0, cap = 0, k;
	char	d[64];

	if (depth + 1 > PYCONF_MAX_DEPTH)
		return fail_at(pc, oline, ocol, "nesting deeper than %d", PYCONF_MAX_DEPTH);
	v->type = open == '[' ? PYCONF_LIST : open == '(' ? PYCONF_TUPLE : PYCONF_DICT;
	pc->nest++;
	if (next_token(pc) < 0)
		goto out;
	for (;;) {
		if (pc->tok == T_OP && pc->tch == close)
			break;
		if (pc->tok == T_EOF) {
			fail_at(pc, oline, ocol, "unclosed '%c' opened on line %d", open, oline);
			goto out;
		}
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 8;
			if ((nt = realloc(tmp, cap * sizeof(*tmp))) == NULL) {
				fail_at(pc, pc->tline, pc->tcol, "out of memory");
				goto out;
			}
			tmp = nt;
		}
		if (parse_value(pc, depth + 1, &tmp[n]) < 0)
			goto out;
		n++;
		if (v->type == PYCONF_DICT) {
			if (tmp[n - 1].type == PYCONF_LIST || tmp[n - 1].type == PYCONF_DICT) {
				fail_at(pc, tmp[n - 1].line, ocol,
					"a %s cannot be a dict key", pyconf_type_name(tmp[n - 1].type));
				goto out;
			}
			if (pc->tok != T_OP || pc->tch != ':') {
				fail_after_value(pc, "':' after a dict key");
				goto out;
			}
			if (next_token(pc) < 0 || parse_value(pc, depth + 1, &tmp[n]) < 0)
				goto out;
			n++;
		}
		if (pc->tok == T_OP && pc->tch == ',') {
			comma = 1;
			if (next_token(pc) < 0)
				goto out;
			continue;
		}
		if (pc->tok == T_OP && pc->tch == close)
			break;
		if (pc->tok == T_EOF) {
			fail_at(pc, oline, ocol, "unclosed '%c' opened on line %d", open, oline);
			goto out;
		}
		snprintf(d, sizeof(d), "',' or '%c'", close);
		fail_after_value(pc, d);
		goto out;
	}
	if (v->type == PYCONF_TUPLE && n == 1 && !comma) {
		/* (x) is x in parentheses, not a tuple. */
		*v = tmp[0];
	} else {
		v->n = v->type == PYCONF_DICT ? n / 2 : n;
		if (n > 0) {
			if ((nt = arena_alloc(pc->arena, n * sizeof(*tmp))) == NULL) {
				fail_at(pc, oline, ocol, "out of memory");
				goto out;
			}
			for (k = 0; k < n; k++)
				nt[k] = tmp[k];
			v->items = nt;
		}
	}
	pc->nest--;
	rc = next_token(pc);
out:
	free(tmp);
	return rc;
}

static int parse_value(struct pc *pc, int depth, struct pyconf_value *v)
{
	char	d[64];
	int	line = pc->tline, col = pc->tcol;

	memset(v, 0, sizeof(*v));
	v->line = line;
	if (++pc->nvalues > PYCONF_MAX_ITEMS)
		return fail_at(pc, line, col, "more than %d values in the file", PYCONF_MAX_ITEMS);
	switch (pc->tok) {
	case T_NUMBER:
		if (make_number(pc, 0, v) < 0)
			return -1;
		return next_token(pc);
	case T_STRING:
		v->type = PYCONF_STR;
		while (pc->tok == T_STRING) {
			v->is_unicode |= pc->tunicode;
			if (next_token(pc) < 0)
				return -1;
		}
		if (memchr(pc->sbuf.data ? (const void *) pc->sbuf.data : "", 0,
			   pc->sbuf.len) != NULL)
			return fail_at(pc, line, col, "NUL byte");
		if ((v->text = arena_strndup(pc, pc->sbuf.data, pc->sbuf.len)) == NULL)
			return fail_at(pc, line, col, "out of memory");
		v->len = pc->sbuf.len;
		return 0;
	case T_NAME:
		if (tok_is(pc, "True") || tok_is(pc, "False")) {
			v->type = PYCONF_BOOL;
			v->i = tok_is(pc, "True");
			v->text = v->i ? "True" : "False";
		} else if (tok_is(pc, "None")) {
			v->type = PYCONF_NONE;
			v->text = "None";
		} else {
			return fail_at(pc, line, col, "not a literal: names other than True, False "
				       "and None are not allowed (%.*s)",
				       (int) (pc->tlen > 64 ? 64 : pc->tlen),
				       (const char *) pc->p + pc->tpos);
		}
		return next_token(pc);
	case T_OP:
		if (pc->tch == '-') {
			if (next_token(pc) < 0)
				return -1;
			if (pc->tok != T_NUMBER)
				return fail_at(pc, line, col,
					       "not a literal: operators are not allowed ('-')");
			if (make_number(pc, 1, v) < 0)
				return -1;
			return next_token(pc);
		}
		if (pc->tch == '[' || pc->tch == '(' || pc->tch == '{')
			return parse_container(pc, depth, v);
		if (strchr("+*/%&|^<>~@!", pc->tch))
			return fail_at(pc, line, col, "not a literal: operators are not allowed ('%c')",
				       pc->tch);
		break;
	default:
		break;
	}
	return fail_at(pc, line, col, "expected a value; found %s", describe(pc, d, sizeof(d)));
}

static int add_assign(struct pc *pc, struct pyconf_file_impl *f, struct pyconf_assign **a_r)
{
	struct pyconf_assign *na;
	size_t	cap;

	if (f->pub.n == f->cap) {
		cap = f->cap ? f->cap * 2 : 64;
		if ((na = realloc(f->items, cap * sizeof(*na))) == NULL)
			return fail_at(pc, pc->tline, pc->tcol, "out of memory");
		f->items = na;
		f->cap = cap;
		f->pub.items = na;
	}
	*a_r = &f->items[f->pub.n++];
	return 0;
}

static int parse_statement(struct pc *pc, struct pyconf_file_impl *f)
{
	struct pyconf_assign *a = NULL;
	char	d[64];
	const char *name;
	int	line = pc->tline, col = pc->tcol;

	if (pc->tok != T_NAME)
		return fail_at(pc, line, col, "expected NAME = value; found %s",
			       describe(pc, d, sizeof(d)));
	if (col != 1)
		return fail_at(pc, line, col, "unexpected indent");
	if (tok_is_keyword(pc))
		return fail_at(pc, line, col, "not a literal: Python statements are not allowed (%.*s)",
			       (int) pc->tlen, (const char *) pc->p + pc->tpos);
	if (tok_is(pc, "True") || tok_is(pc, "False") || tok_is(pc, "None"))
		return fail_at(pc, line, col, "cannot assign to %.*s", (int) pc->tlen,
			       (const char *) pc->p + pc->tpos);
	if ((name = arena_strndup(pc, pc->p + pc->tpos, pc->tlen)) == NULL)
		return fail_at(pc, line, col, "out of memory");
	if (next_token(pc) < 0)
		return -1;
	if (pc->tok != T_OP || pc->tch != '=') {
		if (pc->tok == T_OP && (pc->tch == '.' || pc->tch == '['))
			return fail_at(pc, pc->tline, pc->tcol,
				       "only plain names can be assigned (found '%c')", pc->tch);
		return fail_after_value(pc, "'=' after the name");
	}
	if (add_assign(pc, f, &a) < 0)
		return -1;
	a->name = name;
	a->line = line;
	if (next_token(pc) < 0 || parse_value(pc, 0, &a->value) < 0)
		return -1;
	if (pc->tok != T_NEWLINE && pc->tok != T_EOF) {
		if (pc->tok == T_OP && pc->tch == ',')
			return fail_at(pc, pc->tline, pc->tcol,
				       "a tuple must be written in parentheses");
		return fail_after_value(pc, "end of line after the value");
	}
	return 0;
}

int pyconf_parse(const void *data, size_t len, struct pyconf_file **file_r,
		 struct pyconf_error *err)
{
	struct pyconf_file_impl *f;
	struct pc pc;

	*file_r = NULL;
	memset(err, 0, sizeof(*err));
	memset(&pc, 0, sizeof(pc));
	pc.p = data;
	pc.len = len;
	pc.end = len > PYCONF_MAX_FILE ? PYCONF_MAX_FILE : len;
	pc.line = 1;
	pc.err = err;
	pc.tok = T_NEWLINE;
	buf_init(&pc.sbuf, PYCONF_MAX_STRING);
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		err->line = err->column = 1;
		snprintf(err->message, sizeof(err->message), "out of memory");
		return -1;
	}
	pc.arena = &f->arena;
	if (pc.p == NULL)
		pc.len = pc.end = 0;
	/* A UTF-8 byte order mark, as Windows editors add and Python 2
	 * accepts; columns on line 1 count from after it. */
	if (pc.end >= 3 && memcmp(pc.p, "\xEF\xBB\xBF", 3) == 0)
		pc.pos = pc.line_start = 3;
	for (;;) {
		if (next_token(&pc) < 0)
			break;
		if (pc.tok == T_NEWLINE)
			continue;
		if (pc.tok == T_EOF)
			break;
		if (parse_statement(&pc, f) < 0)
			break;
		if (pc.tok == T_EOF)
			break;
	}
	buf_free(&pc.sbuf);
	if (pc.failed) {
		pyconf_free(&f->pub);
		return -1;
	}
	*file_r = &f->pub;
	return 0;
}

void	pyconf_free(struct pyconf_file *pub)
{
	struct pyconf_file_impl *f = (struct pyconf_file_impl *) pub;

	if (f == NULL)
		return;
	arena_free(&f->arena);
	free(f->items);
	free(f);
}

const char *pyconf_type_name(enum pyconf_type t)
{
	switch (t) {
	case PYCONF_INT: return "int";
	case PYCONF_FLOAT: return "float";
	case PYCONF_BOOL: return "bool";
	case PYCONF_NONE: return "None";
	case PYCONF_STR: return "string";
	case PYCONF_LIST: return "list";
	case PYCONF_TUPLE: return "tuple";
	case PYCONF_DICT: return "dict";
	}
	return "?";
}
