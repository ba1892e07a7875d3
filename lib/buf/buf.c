/*
 * NAME
 *	buf 3
 * SUMMARY
 *	growable byte buffer with a hard maximum
 * DESCRIPTION
 *	See buf.h.  Growth doubles the allocation, clamped to the maximum,
 *	so a buffer that is filled byte by byte costs O(n) copies in all.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"

static const char empty_string[1];

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->error = BUF_OK;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
	b->error = BUF_OK;
}

static int buf_fail(struct buf *b, enum buf_error error)
{
	if (b->error == BUF_OK)
		b->error = error;
	return -1;
}

int buf_reserve(struct buf *b, size_t more)
{
	size_t	want;
	size_t	new_cap;
	unsigned char *p;

	if (b->error != BUF_OK)
		return -1;
	if (more > b->max || b->len > b->max - more)
		return buf_fail(b, BUF_TOO_BIG);
	want = b->len + more;
	if (want <= b->cap && b->data != NULL)
		return 0;
	new_cap = b->cap ? b->cap : 64;
	while (new_cap < want)
		new_cap = new_cap > SIZE_MAX / 2 ? want : new_cap * 2;
	if (new_cap > b->max)
		new_cap = b->max;
	/* One byte more than the capacity for the trailing NUL. */
	p = realloc(b->data, new_cap + 1);
	if (p == NULL)
		return buf_fail(b, BUF_NO_MEMORY);
	b->data = p;
	b->cap = new_cap;
	b->data[b->len] = 0;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) < 0)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = 0;
	return 0;
}

int buf_append_str(struct buf *b, const char *str)
{
	return buf_append(b, str, strlen(str));
}

int buf_append_byte(struct buf *b, unsigned char byte)
{
	return buf_append(b, &byte, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return buf_fail(b, BUF_NO_MEMORY);
	/* +1: vsnprintf writes a NUL; reserve it, then drop it from len. */
	if (buf_reserve(b, (size_t) n + 1) < 0)
		return -1;
	vsnprintf((char *) b->data + b->len, (size_t) n + 1, fmt, ap);
	b->len += (size_t) n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	ret;

	va_start(ap, fmt);
	ret = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return ret;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = 0;
	}
}

void buf_consume(struct buf *b, size_t len)
{
	if (len >= b->len) {
		buf_truncate(b, 0);
		return;
	}
	memmove(b->data, b->data + len, b->len - len);
	buf_truncate(b, b->len - len);
}

int buf_splice(struct buf *b, size_t off, size_t del,
	       const void *ins, size_t ins_len)
{
	if (off > b->len || del > b->len - off)
		return buf_fail(b, BUF_TOO_BIG);
	if (ins_len > del && buf_reserve(b, ins_len - del) < 0)
		return -1;
	if (b->error != BUF_OK)
		return -1;
	if (b->data == NULL)
		return 0;			/* empty, nothing to insert */
	memmove(b->data + off + ins_len, b->data + off + del,
		b->len - off - del);
	if (ins_len > 0)
		memcpy(b->data + off, ins, ins_len);
	b->len = b->len - del + ins_len;
	b->data[b->len] = 0;
	return 0;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? (const char *) b->data : empty_string;
}

const char *buf_strerror(const struct buf *b)
{
	switch (b->error) {
	case BUF_OK:
		return "ok";
	case BUF_TOO_BIG:
		return "buffer limit exceeded";
	case BUF_NO_MEMORY:
		return "out of memory";
	}
	return "unknown buffer error";
}

char *buf_detach(struct buf *b, size_t *len_r)
{
	char   *p;

	if (b->data == NULL && buf_reserve(b, 0) < 0)
		return NULL;
	if (b->data == NULL)
		return NULL;
	p = (char *) b->data;
	if (len_r)
		*len_r = b->len;
	buf_init(b, b->max);
	return p;
}

int buf_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
