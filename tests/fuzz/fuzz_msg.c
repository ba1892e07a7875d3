/*
 * NAME
 *	fuzz_msg 1
 * SUMMARY
 *	libFuzzer target for lib/msg
 * DESCRIPTION
 *	Parses the input; if it is accepted, serializing must give the input
 *	back byte for byte, msg_size() must agree, and the field ranges must
 *	tile the header.  Then a few edits (insert, find and remove, replace,
 *	body append) are made, and the edited message must parse again and
 *	serialize to the same bytes.  Any difference is abort(): libFuzzer
 *	and the corpus replay both count that as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "sealist_limits.h"
#include "msg/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_identity(const struct msg *m, const void *want, size_t len)
{
	struct buf out;

	buf_init(&out, LIMIT_MESSAGE_SIZE);
	if (msg_serialize(m, &out) < 0 || out.len != len || msg_size(m) != len
	    || (len > 0 && memcmp(out.data, want, len) != 0))
		abort();
	buf_free(&out);
}

static int is_x(const struct msg_field *f)
{
	return f->name_len == 1 && (f->name[0] == 'x' || f->name[0] == 'X');
}

/* Ranges are sane, and msg_find("x") visits exactly the fields named x. */
static void check_fields(const struct msg *m)
{
	size_t	i;
	size_t	want = 0;
	size_t	got = 0;
	long	at;

	for (i = 0; i < msg_field_count(m); i++) {
		const struct msg_field *f = msg_field(m, i);

		if ((f->name == NULL) != ((f->flags & MSG_FIELD_MALFORMED) != 0))
			abort();
		if (f->value < f->raw || f->value + f->value_len > f->raw + f->raw_len)
			abort();
		want += f->name != NULL && is_x(f);
	}
	for (at = msg_find(m, "x", 0); at >= 0; at = msg_find(m, "x", (size_t) at + 1)) {
		if (!is_x(msg_field(m, (size_t) at)))
			abort();
		got++;
	}
	if (got != want)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg *m;
	struct msg *again;
	const char *error;
	struct buf out;
	long	at;
	int	end_ok;

	if (msg_parse(&m, data, size, &error) < 0)
		return 0;
	check_identity(m, data, size);
	check_fields(m);

	/* Edits; each may be refused, none may break the invariants. */
	(void) msg_insert_top(m, "X-Fuzz: one\n two", 16, &error);
	if ((at = msg_find(m, "from", 0)) >= 0)
		(void) msg_remove(m, (size_t) at);
	if (msg_field_count(m) > 0)
		(void) msg_replace(m, msg_field_count(m) - 1,
				   "Subject: replaced", 17, &error);
	end_ok = msg_insert(m, msg_field_count(m), "X-End: e", 8, &error) == 0;
	(void) msg_body_append(m, "footer\n", 7, &error);
	check_fields(m);

	buf_init(&out, LIMIT_MESSAGE_SIZE);
	if (msg_serialize(m, &out) < 0 || out.len != msg_size(m))
		abort();
	if (msg_parse(&again, out.data, out.len, &error) < 0)
		abort();
	check_identity(again, out.data, out.len);
	if (end_ok && msg_rfind(again, "x-end", msg_field_count(again))
	    != (long) msg_field_count(again) - 1)
		abort();
	msg_free(again);
	buf_free(&out);
	msg_free(m);
	return 0;
}
