/*
 * NAME
 *	fuzz_authres 1
 * SUMMARY
 *	libFuzzer target for authres_parse() and the forged-field removal
 * DESCRIPTION
 *	The input is one Authentication-Results value.  It is parsed as a
 *	plain and as an ARC value; a value that parses is written again with
 *	authres_format() and must parse back to the same results (values
 *	compared with control bytes as spaces, as the writer makes them; an
 *	empty reason is left out by the writer), and
 *	authres_is_ours() must call it ours under the authserv-id the parser
 *	read.  Then a message is built around the input (as the first field,
 *	and again below a From: field) and authres_remove_forged() runs for a
 *	fixed id; afterwards authres_find_ours() must find nothing, and
 *	authres_trusted_spf() must not fault.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authres/authres.h"
#include "msg/msg.h"
#include "sealist_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Equal, with control bytes in a counting as spaces. */
static int same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	for (; *a && *b; a++, b++) {
		unsigned char c = (unsigned char) *a;

		if (c < ' ' || c == 127)
			c = ' ';
		if (c != (unsigned char) *b)
			return 0;
	}
	return *a == *b;
}

/* Copy ar through the builder; NULL when the builder refuses a part. */
static struct authres *rebuild(const struct authres *ar)
{
	struct authres *b;
	const char *error;
	size_t	i, j;

	if ((b = authres_new(ar->authserv_id, &error)) == NULL)
		return NULL;
	b->version = ar->version;
	for (i = 0; i < ar->nresults; i++) {
		const struct authres_result *r = &ar->results[i];

		if (r->reason != NULL && strlen(r->reason) > LIMIT_AUTHRES_VALUE)
			goto refuse;
		if (authres_add(b, r->method, r->result, r->reason, &error) < 0)
			goto refuse;
		b->results[i].method_version = r->method_version;
		for (j = 0; j < r->nprops; j++)
			if (authres_add_prop(b, r->props[j].ptype,
					     r->props[j].property,
					     r->props[j].value, &error) < 0)
				goto refuse;
	}
	return b;
refuse:
	authres_free(b);
	return NULL;
}

static void check_round_trip(const struct authres *ar)
{
	struct authres *b, *again;
	struct buf out;
	const char *error;
	size_t	i, j;

	if ((b = rebuild(ar)) == NULL)
		return;
	buf_init(&out, 4 * LIMIT_AUTHRES_FIELD);
	if (authres_format(b, 0, &out) < 0)
		abort();
	if (out.len <= LIMIT_AUTHRES_FIELD) {
		if (authres_parse(out.data, out.len, &again, &error) < 0)
			abort();
		if (!same_text(ar->authserv_id, again->authserv_id)
		    || ar->version != again->version
		    || ar->nresults != again->nresults)
			abort();
		for (i = 0; i < ar->nresults; i++) {
			const struct authres_result *x = &ar->results[i];
			const struct authres_result *y = &again->results[i];

			if (strcmp(x->method, y->method) != 0
			    || strcmp(x->result, y->result) != 0
			    || x->method_version != y->method_version
			    || !same_text(x->reason != NULL && *x->reason
					  ? x->reason : NULL, y->reason)
			    || x->nprops != y->nprops)
				abort();
			for (j = 0; j < x->nprops; j++)
				if (strcmp(x->props[j].ptype,
					   y->props[j].ptype) != 0
				    || strcmp(x->props[j].property,
					      y->props[j].property) != 0
				    || !same_text(x->props[j].value,
						  y->props[j].value))
					abort();
		}
		authres_free(again);
	}
	buf_free(&out);
	authres_free(b);
}

static void check_message(const uint8_t *data, size_t size, int below)
{
	static const char ours[] = "ours.example";
	const char *const trusted[] = { ours, "mx.example" };
	struct buf raw;
	struct msg *m;
	struct authres_spf spf;
	const char *error;
	size_t	idx[4];

	buf_init(&raw, size + 256);
	if (below)
		buf_append_str(&raw, "From: a@example.com\r\n");
	buf_append_str(&raw, "Authentication-Results:");
	buf_append(&raw, data, size);
	buf_append_str(&raw, "\r\nAuthentication-Results: ours.example; "
		       "spf=pass smtp.mailfrom=x@example.com\r\n\r\nbody\r\n");
	if (!buf_failed(&raw) && msg_parse(&m, raw.data, raw.len, &error) == 0) {
		if (authres_trusted_spf(m, trusted, 2, &spf) > 0)
			authres_spf_free(&spf);
		authres_remove_forged(m, ours);
		if (authres_find_ours(m, ours, idx, 4) != 0)
			abort();
		msg_free(m);
	}
	buf_free(&raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct authres *ar;
	const char *error;
	unsigned instance;

	if (authres_parse(data, size, &ar, &error) == 0) {
		const char *id = ar->authserv_id;
		size_t	n = strlen(id);

		while (n > 0 && id[n - 1] == '.')
			n--;
		if (n > 0 && !authres_is_ours(data, size, id))
			abort();
		check_round_trip(ar);
		authres_free(ar);
	}
	if (authres_parse_aar(data, size, &instance, &ar, &error) == 0) {
		if (instance < 1 || instance > 50)
			abort();
		authres_free(ar);
	}
	(void) authres_is_ours(data, size, "ours.example");
	check_message(data, size, 0);
	check_message(data, size, 1);
	return 0;
}
