/*
 * NAME
 *	fuzz_dkim_tag 1
 * SUMMARY
 *	libFuzzer target for DKIM tag lists and base64
 * DESCRIPTION
 *	The input is iterated as a tag-list (RFC 6376 section 3.2) and
 *	decoded as base64 with FWS.  Whatever the input: every tag returned
 *	lies inside it, has a name of ALPHA *(ALPHA / DIGIT / "_") and a
 *	value without ";" and without FWS at either end; an error comes with
 *	a reason; the iterator always ends.  Base64 that decodes must encode
 *	back to the input with the FWS removed, padding aside.  Any
 *	violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static void check_tags(const uint8_t *data, size_t size)
{
	struct dkim_tag_iter it;
	struct dkim_tag t;
	const char *error = NULL;
	size_t	count = 0, i;
	int	rc;

	dkim_tag_init(&it, data, size);
	while ((rc = dkim_tag_next(&it, &t, &error)) > 0) {
		if (t.name < data || t.name + t.name_len > data + size
		    || t.value < data || t.value + t.value_len > data + size
		    || t.name_len == 0 || !is_alpha(t.name[0]))
			abort();
		for (i = 0; i < t.value_len; i++)
			if (t.value[i] == ';' || t.value[i] < 9 || t.value[i] > 126)
				abort();
		if (t.value_len > 0 && (DKIM_IS_FWS(t.value[0])
					|| DKIM_IS_FWS(t.value[t.value_len - 1])))
			abort();
		if (++count > size)	/* each tag uses at least two octets */
			abort();
	}
	if (rc < 0 && error == NULL)
		abort();
}

static void check_b64(const uint8_t *data, size_t size)
{
	unsigned char *dec;
	size_t	len, i, n = 0;
	const char *error = NULL;
	struct buf enc;

	if ((dec = dkim_b64_decode(data, size, &len, &error)) == NULL) {
		if (error == NULL)
			abort();
		return;
	}
	buf_init(&enc, 4 * size + 8);
	if (dkim_b64_encode(dec, len, &enc) < 0)
		abort();
	/* The input without FWS and "=" is the encoding without "=". */
	for (i = 0; i < size; i++) {
		if (DKIM_IS_FWS(data[i]) || data[i] == '=')
			continue;
		if (n >= enc.len || enc.data[n] != data[i])
			abort();
		n++;
	}
	while (n < enc.len && enc.data[n] == '=')
		n++;
	if (n != enc.len)
		abort();
	buf_free(&enc);
	free(dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_tags(data, size);
	check_b64(data, size);
	return 0;
}
