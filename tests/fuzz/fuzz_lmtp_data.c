/*
 * NAME
 *	fuzz_lmtp_data 1
 * SUMMARY
 *	libFuzzer target: the LMTP DATA reader (lib/lmtp lmtp_data_feed)
 * DESCRIPTION
 *	The first two input octets choose the limits (message size and line
 *	length, small so that they are hit) and a chunk size; the rest is a
 *	DATA stream.  It is read three ways: whole, one octet at a time, and
 *	in chunks.  All three must agree on where the data ends, on the
 *	message octets, the error and the counters; a stream parser that
 *	depends on where its input was cut is broken, so a difference
 *	aborts.  The output never exceeds the size limit and is empty
 *	after an error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lmtp/lmtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	struct lmtp_data d;
	struct buf out;
	size_t	used;
	int	end;
};

static void feed(struct run *r, const uint8_t *p, size_t n, size_t chunk,
		 size_t max_size, size_t max_line)
{
	size_t	off = 0;

	lmtp_data_init(&r->d, max_size, max_line);
	buf_init(&r->out, max_size);
	r->end = 0;
	while (off < n && !r->end) {
		size_t	k = n - off < chunk ? n - off : chunk, used;

		r->end = lmtp_data_feed(&r->d, p + off, k, &r->out, &used);
		if (used > k || (!r->end && used != k))
			abort();
		off += used;
	}
	r->used = off;
}

static void same(const struct run *a, const struct run *b)
{
	if (a->end != b->end || a->used != b->used || a->d.error != b->d.error
	    || a->d.size != b->d.size || a->d.bare_lf != b->d.bare_lf
	    || a->out.len != b->out.len
	    || a->out.len != (a->d.error ? 0 : a->d.size)
	    || (a->out.len && memcmp(a->out.data, b->out.data, a->out.len)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run whole, bytes, chunks;
	size_t	max_size, max_line, chunk;

	if (size < 2)
		return 0;
	max_size = (size_t) (data[0] & 0x0f) * 64 + 1;
	max_line = (size_t) (data[0] >> 4) * 16 + 1;
	chunk = (size_t) data[1] % 17 + 2;
	data += 2;
	size -= 2;
	feed(&whole, data, size, size ? size : 1, max_size, max_line);
	feed(&bytes, data, size, 1, max_size, max_line);
	feed(&chunks, data, size, chunk, max_size, max_line);
	same(&whole, &bytes);
	same(&whole, &chunks);
	if (whole.out.len > max_size || (whole.d.error == LMTP_DATA_OK) !=
	    (lmtp_data_reply(&whole.d) == NULL))
		abort();
	buf_free(&whole.out);
	buf_free(&bytes.out);
	buf_free(&chunks.out);
	return 0;
}
