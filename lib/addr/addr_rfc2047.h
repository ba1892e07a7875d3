/*
 * NAME
 *	addr_rfc2047 3h
 * SUMMARY
 *	RFC 2047 encoded-word decoding shared inside lib/addr
 * DESCRIPTION
 *	Private to lib/addr (addr.c and addr_rfc2047.c); other modules use
 *	addr_rfc2047_decode() from addr.h.  The decoder keeps the last
 *	iconv descriptor it opened, because a field usually repeats one
 *	charset in every word and opening a converter costs far more than
 *	using it.
 */
#ifndef SEALIST_ADDR_RFC2047_H
#define SEALIST_ADDR_RFC2047_H

#include <iconv.h>
#include <stddef.h>

#include "buf/buf.h"

struct addr_ew {
	iconv_t	cd;		/* (iconv_t) -1 when none is open */
	char   *charset;	/* the name cd converts from, or NULL */
};

/* Start with no converter open. */
extern void addr_ew_init(struct addr_ew *);

/* Close the converter. */
extern void addr_ew_free(struct addr_ew *);

/*
 * If w[0..len) is exactly one encoded word that can be decoded, append its
 * text in UTF-8 to out (control characters turned into spaces) and return
 * 1.  Return 0, out unchanged, when it is not an encoded word or cannot be
 * decoded; -1 when out fails.
 */
extern int addr_ew_word(struct addr_ew *, const unsigned char *w, size_t len,
			struct buf *out);

/* addr_rfc2047_decode() with a caller's converter cache. */
extern int addr_ew_text(struct addr_ew *, const unsigned char *in, size_t len,
			struct buf *out);

#endif
