/*
 * NAME
 *	buf 3h
 * SUMMARY
 *	growable byte buffer with a hard maximum
 * SYNOPSIS
 *	#include <buf/buf.h>
 * DESCRIPTION
 *	All untrusted bytes (mail, DNS answers, HTTP bodies, config lines)
 *	pass through a buf.  A buf never grows beyond the maximum given to
 *	buf_init(); an append that would pass it fails, sets a sticky error
 *	and leaves the contents as they were, so a caller may do a series of
 *	appends and check buf_failed() once at the end (the SQLite str idiom).
 *
 *	The contents are always followed by one NUL byte that is not part of
 *	the length, so text may be handed to C string functions; binary data
 *	may contain NULs of its own, so the length is the truth.
 *
 *	The struct is public so that parsers can read data/len directly; only
 *	the functions below may change it.
 */
#ifndef SEALIST_BUF_H
#define SEALIST_BUF_H

#include <stdarg.h>
#include <stddef.h>

enum buf_error {
	BUF_OK = 0,
	BUF_TOO_BIG,		/* an append would pass the maximum */
	BUF_NO_MEMORY,		/* the allocator said no */
};

struct buf {
	unsigned char *data;	/* NULL until the first append */
	size_t	len;		/* bytes in use */
	size_t	cap;		/* bytes allocated, excluding the NUL */
	size_t	max;		/* len never exceeds this */
	enum buf_error error;	/* sticky: first failure since init/reset */
};

/* Empty buffer that will hold at most max bytes; allocates nothing. */
extern void buf_init(struct buf *, size_t max);

/* Free the memory; the buf is empty and may be reused with the same max. */
extern void buf_free(struct buf *);

/* Forget the contents and the sticky error; keep the memory. */
extern void buf_reset(struct buf *);

/*
 * Appends.  Each returns 0, or -1 when the result would pass the maximum
 * or memory runs out; then the buffer is unchanged and the error sticks.
 * After an error every further append fails until buf_reset().
 */
extern int buf_append(struct buf *, const void *data, size_t len);
extern int buf_append_str(struct buf *, const char *str);
extern int buf_append_byte(struct buf *, unsigned char byte);
extern int buf_printf(struct buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
extern int buf_vprintf(struct buf *, const char *fmt, va_list)
	__attribute__((format(printf, 2, 0)));

/* Make room for len more bytes without changing the contents. */
extern int buf_reserve(struct buf *, size_t len);

/* Keep the first len bytes (len <= current length). */
extern void buf_truncate(struct buf *, size_t len);

/* Remove the first len bytes, moving the rest down. */
extern void buf_consume(struct buf *, size_t len);

/* Replace [off, off+del) with ins[0..ins_len); -1 on error as for appends. */
extern int buf_splice(struct buf *, size_t off, size_t del,
		      const void *ins, size_t ins_len);

/* Contents as a NUL-terminated string ("" when empty); valid until changed. */
extern const char *buf_str(const struct buf *);

/* Nonzero once an append has failed. */
#define buf_failed(b)	((b)->error != BUF_OK)

/* "buffer limit exceeded" / "out of memory" / "ok" */
extern const char *buf_strerror(const struct buf *);

/*
 * Hand the memory to the caller (free() it); *len_r gets the length.
 * The buf is left empty.  Returns a pointer to "" allocated if empty,
 * NULL only when out of memory.
 */
extern char *buf_detach(struct buf *, size_t *len_r);

/* The value of a hexadecimal digit (either case), or -1; for the decoders
   of %XX, =XX, \xXX and +XX escapes. */
extern int buf_hex_value(int c);

#endif
