/*
 * NAME
 *	fuzz_pyconf 1
 * SUMMARY
 *	libFuzzer target for lib/pyconf
 * DESCRIPTION
 *	The input is parsed as a config_list file.  Refused: the error has
 *	a line and column from 1, a line no later than the input has, and
 *	a NUL-terminated message that is not empty.  Accepted: every value
 *	has a known type, nesting stays within PYCONF_MAX_DEPTH, the count
 *	within PYCONF_MAX_ITEMS, every string is NUL-terminated with no NUL
 *	inside and no longer than PYCONF_MAX_STRING, and writes back (as a
 *	string, and each list of strings as a list) to a literal that
 *	parses to the same bytes.  Then the input itself is written as a
 *	string and read back, when it holds no NUL.  Any violation is abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "pyconf/pyconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t nvalues;

/* "x = <s written>" parses to s. */
static void check_str_trip(const char *s, size_t len)
{
	struct buf b;
	struct pyconf_file *f;
	struct pyconf_error err;
	const struct pyconf_value *v;

	buf_init(&b, 4 * len + 64);
	buf_append_str(&b, "x = ");
	if (pyconf_write_str(s, len, &b) < 0)
		abort();
	if (pyconf_parse(b.data, b.len, &f, &err) < 0 || f->n != 1)
		abort();
	v = &f->items[0].value;
	if (v->type != PYCONF_STR || v->len != len || memcmp(v->text, s, len) != 0)
		abort();
	pyconf_free(f);
	buf_free(&b);
}

/* A list whose items are all strings writes back to the same list. */
static void check_list_trip(const struct pyconf_value *list)
{
	const char **items;
	size_t *lens, i;
	struct buf b;
	struct pyconf_file *f;
	struct pyconf_error err;
	const struct pyconf_value *v;

	for (i = 0; i < list->n; i++)
		if (list->items[i].type != PYCONF_STR)
			return;
	if ((items = calloc(list->n + 1, sizeof(*items))) == NULL ||
	    (lens = calloc(list->n + 1, sizeof(*lens))) == NULL)
		abort();
	for (i = 0; i < list->n; i++) {
		items[i] = list->items[i].text;
		lens[i] = list->items[i].len;
	}
	buf_init(&b, 64 * 1024 * 1024);
	buf_append_str(&b, "x = ");
	if (pyconf_write_list(items, lens, list->n, &b) < 0)
		abort();
	if (pyconf_parse(b.data, b.len, &f, &err) < 0 || f->n != 1)
		abort();
	v = &f->items[0].value;
	if (v->type != PYCONF_LIST || v->n != list->n)
		abort();
	for (i = 0; i < v->n; i++)
		if (v->items[i].len != lens[i] || memcmp(v->items[i].text, items[i], lens[i]))
			abort();
	pyconf_free(f);
	buf_free(&b);
	free(items);
	free(lens);
}

static void check_value(const struct pyconf_value *v, int depth)
{
	size_t	i, n;

	if (depth > PYCONF_MAX_DEPTH || v->line < 1 || ++nvalues > PYCONF_MAX_ITEMS)
		abort();
	switch (v->type) {
	case PYCONF_INT: case PYCONF_FLOAT:
		if (v->text == NULL || v->text[0] == 0)
			abort();
		break;
	case PYCONF_BOOL:
		if (v->i != 0 && v->i != 1)
			abort();
		break;
	case PYCONF_NONE:
		break;
	case PYCONF_STR:
		if (v->text == NULL || v->len > PYCONF_MAX_STRING || v->text[v->len] != 0 ||
		    strlen(v->text) != v->len)
			abort();
		check_str_trip(v->text, v->len);
		break;
	case PYCONF_LIST: case PYCONF_TUPLE: case PYCONF_DICT:
		n = v->type == PYCONF_DICT ? 2 * v->n : v->n;
		if (n > 0 && v->items == NULL)
			abort();
		for (i = 0; i < n; i++)
			check_value(&v->items[i], depth + 1);
		if (v->type == PYCONF_LIST)
			check_list_trip(v);
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pyconf_file *f;
	struct pyconf_error err;
	size_t	i, lines = 1;

	for (i = 0; i < size; i++)
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			lines++;
	if (pyconf_parse(data, size, &f, &err) < 0) {
		if (f != NULL || err.line < 1 || err.column < 1 || (size_t) err.line > lines ||
		    memchr(err.message, 0, sizeof(err.message)) == NULL || err.message[0] == 0)
			abort();
	} else {
		nvalues = 0;
		for (i = 0; i < f->n; i++) {
			if (f->items[i].name == NULL || f->items[i].name[0] == 0 ||
			    f->items[i].line < 1 || (size_t) f->items[i].line > lines)
				abort();
			check_value(&f->items[i].value, 0);
		}
		pyconf_free(f);
	}
	if (size <= PYCONF_MAX_STRING && memchr(data, 0, size) == NULL)
		check_str_trip((const char *) data, size);
	return 0;
}
