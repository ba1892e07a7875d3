/*
 * NAME
 *	fuzz_addr 1
 * SUMMARY
 *	libFuzzer target for lib/addr
 * DESCRIPTION
 *	Feeds the input to addr_parse_list(), addr_parse_spec() and
 *	addr_rfc2047_decode(), and checks the promises addr.h makes about
 *	what comes back: every mailbox has a non-empty local part and
 *	domain, no returned string holds a NUL before its end or a byte
 *	that was not allowed, and a failure always names its reason.  A
 *	broken promise is an abort(), which libFuzzer and the replay driver
 *	both report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealist_limits.h"
#include "addr/addr.h"
#include "buf/buf.h"

/* A string we returned: present, bounded, and if must_fill, not empty. */
static void check_str(const char *s, int must_fill)
{
	if (s == NULL || (must_fill && *s == 0)
	    || strlen(s) > 4 * LIMIT_ADDRESS_FIELD)
		abort();
}

static void check_display(const char *s)
{
	size_t	n;

	/* Display text has no control characters (all become spaces) and no
	 * space at either end. */
	check_str(s, 0);
	n = strlen(s);
	if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
		abort();
	for (; *s; s++)
		if ((unsigned char) *s < 0x20 || (unsigned char) *s == 0x7f)
			abort();
}

static void fuzz_list(const uint8_t *data, size_t size)
{
	struct addr_list l;
	const char *error = NULL;
	size_t	i;

	if (addr_parse_list(data, size, &l, &error) < 0) {
		if (error == NULL || l.count != 0 || l.items != NULL)
			abort();
		return;
	}
	if (l.count == 0 && l.groups == 0)
		abort();
	if (l.count > LIMIT_ADDRESS_COUNT || memchr(data, 0, size) != NULL)
		abort();
	for (i = 0; i < l.count; i++) {
		const struct addr *a = &l.items[i];

		check_display(a->display);
		check_str(a->local, 1);
		check_str(a->domain, 1);
		if (strlen(a->domain) > LIMIT_DOMAIN)
			abort();
		if (a->group != NULL)
			check_display(a->group);
	}
	addr_list_free(&l);
}

static void fuzz_spec(const uint8_t *data, size_t size)
{
	char   *local;
	char   *domain;
	const char *error = NULL;
	const char *p;

	if (addr_parse_spec((const char *) data, size, &local, &domain, &error) < 0) {
		if (error == NULL || local != NULL || domain != NULL)
			abort();
		return;
	}
	check_str(local, 1);
	check_str(domain, 1);
	if (strlen(local) > LIMIT_LOCAL_PART || strlen(domain) > LIMIT_DOMAIN
	    || strlen(local) + 1 + strlen(domain) != size
	    || strchr(domain, '.') == NULL)
		abort();
	for (p = domain; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			abort();
	free(local);
	free(domain);
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
	struct buf out;

	/* Failing is allowed only when the output buffer is full. */
	buf_init(&out, 4 * LIMIT_ADDRESS_FIELD);
	if (addr_rfc2047_decode(data, size, &out) < 0 && !buf_failed(&out))
		abort();
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_list(data, size);
	fuzz_spec(data, size);
	fuzz_decode(data, size);
	return 0;
}
