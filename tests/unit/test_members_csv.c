/*
 * NAME
 *	test_members_csv 1
 * SUMMARY
 *	unit tests for src/members_csv (import and export from memory) and
 *	the members page queries of src/store_c2.c, on a real database
 * DESCRIPTION
 *	Table-driven: each import row is a CSV text, what must be reported
 *	(line and words) and how many members the list has after.  The
 *	export is imported into a second list and exported again: the same
 *	bytes.  Pages and searches are checked against counts worked out
 *	by hand for a list of 120 generated members.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "members_csv.h"
#include "store.h"
#include "tap.h"

static char test_dir[256];
static char test_db[300];

/* What an import reported, one "LINE: why" per line. */
static struct buf reported;

static void collect(void *ctx, size_t line, const char *why)
{
	(void) ctx;
	buf_printf(&reported, "%zu: %s\n", line, why);
}

static int count_member(const struct store_member *m, void *ctx)
{
	(void) m;
	(*(long long *) ctx)++;
	return 0;
}

static long long members(struct store *s, const char *list)
{
	long long n = 0;

	if (store_member_each(s, list, count_member, &n, NULL) != STORE_OK)
		return -1;
	return n;
}

struct import_case {
	const char *what;
	const char *csv;
	int	dry_run;
	int	skip_invalid;
	const char *reported;	/* a substring of what was reported; "" none at all */
	int	malformed;
	size_t	invalid_rows;
	long long members;	/* in the list after */
};

static const struct import_case import_cases[] = {
	{"two members, one with a name", "address,name\na@example.org,A\nb@example.org,\n",
	 0, 0, "", 0, 0, 2},
	{"an existing member: nothing added", "address\nc@example.org\na@example.org\n",
	 0, 0, "3: a@example.org is already a member of t@example.org", 0, 1, 2},
	{"a bad delivery mode names its line", "delivery,address\nweekly,d@example.org\n",
	 0, 0, "2: invalid delivery mode \"weekly\"", 0, 1, 2},
	{"a repeated address names the first line", "address\nd@example.org\nD@EXAMPLE.ORG\n",
	 0, 0, "3: D@example.org is given more than once (first on line 2)", 0, 1, 2},
	{"a bad moderated value", "address,moderated\nd@example.org,maybe\n",
	 0, 0, "2: moderated must be yes or no, not \"maybe\"", 0, 1, 2},
	{"no address column", "email\nd@example.org\n",
	 0, 0, "1: the first row must be a header with an address column", 1, 0, 2},
	{"not CSV: the reader's line", "address\n\"d@example.org\n",
	 0, 0, "3: quoted field opened on line 2 not closed; nothing imported", 1, 0, 2},
	{"an empty file", "", 0, 0, "0: empty file", 1, 0, 2},
	{"dry run changes nothing", "address\nd@example.org\n", 1, 0, "", 0, 0, 2},
	{"skip_invalid keeps the good rows", "address\nd@example.org\nbad\n",
	 0, 1, "3: invalid address \"bad\"", 0, 1, 3},
};

static void test_import(struct store *s)
{
	const struct import_case *c;
	struct members_csv_import imp;
	const char *error;
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof(import_cases) / sizeof(import_cases[0]); i++) {
		c = &import_cases[i];
		memset(&imp, 0, sizeof(imp));
		imp.dry_run = c->dry_run;
		imp.skip_invalid = c->skip_invalid;
		imp.invalid = collect;
		buf_reset(&reported);
		rc = members_csv_import(s, "t@example.org", c->csv, strlen(c->csv), &imp, &error);
		tap_int(rc, STORE_OK, c->what);
		if (*c->reported == 0)
			tap_str(buf_str(&reported), "", "  nothing reported");
		else if (!tap_ok(strstr(buf_str(&reported), c->reported) != NULL,
				 "  reports \"%s\"", c->reported))
			tap_diag("reported: %s", buf_str(&reported));
		tap_int(imp.malformed, c->malformed, "  malformed");
		tap_int((long long) imp.invalid_rows, (long long) c->invalid_rows, "  invalid rows");
		tap_int(members(s, "t@example.org"), c->members, "  members after");
	}
	memset(&imp, 0, sizeof(imp));
	imp.invalid = collect;
	rc = members_csv_import(s, "nope@example.org", "address\n", 8, &imp, &error);
	tap_int(rc, STORE_NO_LIST, "an unknown list is the store's STORE_NO_LIST");
}

static void test_export_round_trip(struct store *s)
{
	struct members_csv_import imp;
	struct buf a, b;
	const char *error;

	buf_init(&a, 1 << 20);
	buf_init(&b, 1 << 20);
	tap_int(members_csv_export(s, "t@example.org", &a, &error), STORE_OK, "export");
	tap_ok(strncmp(buf_str(&a), "address,name,delivery,status,moderated\r\n", 40) == 0,
	       "the export starts with its header");
	tap_ok(strstr(buf_str(&a), "a@example.org,A,regular,enabled,no\r\n") != NULL,
	       "a row is address,name,delivery,status,moderated");
	memset(&imp, 0, sizeof(imp));
	imp.invalid = collect;
	store_list_create(s, "copy@example.org", NULL, NULL);
	tap_int(members_csv_import(s, "copy@example.org", a.data, a.len, &imp, &error), STORE_OK,
		"the export imports into another list");
	tap_int((long long) imp.added, 3, "  all three added");
	members_csv_export(s, "copy@example.org", &b, &error);
	tap_mem(b.data, b.len, a.data, a.len, "  and exports to the same bytes");
	buf_free(&a);
	buf_free(&b);
}

/* The addresses a page shows, one per line. */
static int page_row(const struct store_member_view *v, void *ctx)
{
	buf_printf(ctx, "%s%s\n", v->m.address, *v->disabled_by ? " disabled" : "");
	return 0;
}

static void test_pages(struct store *s)
{
	struct store_new_member m[120];
	char	addr[120][40], name[120][40];
	struct buf out;
	long long total;
	size_t	i;

	for (i = 0; i < 120; i++) {
		snprintf(addr[i], sizeof(addr[i]), "p%03zu@example.org", i);
		snprintf(name[i], sizeof(name[i]), i == 7 ? "Ann 100%% Smith" : "Person %zu", i);
		m[i].address = addr[i], m[i].display_name = name[i];
		m[i].delivery = NULL, m[i].moderated = -1;
	}
	store_list_create(s, "p@example.org", NULL, NULL);
	tap_int(store_member_add(s, "p@example.org", m, 120, NULL), STORE_OK, "120 members");
	buf_init(&out, 1 << 16);
	tap_int(store_member_page(s, "p@example.org", NULL, 100, 50, &total, page_row, &out, NULL),
		STORE_OK, "the third page");
	tap_int(total, 120, "  total 120");
	tap_ok(strncmp(buf_str(&out), "p100@example.org\n", 17) == 0 && out.len == 20 * 17,
	       "  twenty rows from p100, in order");
	buf_reset(&out);
	store_member_page(s, "p@example.org", "P01", 0, 50, &total, page_row, &out, NULL);
	tap_int(total, 10, "a search is a substring of the address, any case");
	buf_reset(&out);
	store_member_page(s, "p@example.org", "son 11", 0, 50, &total, page_row, &out, NULL);
	tap_int(total, 11, "and of the name (Person 11, 110..119)");
	buf_reset(&out);
	store_member_page(s, "p@example.org", "100%", 0, 50, &total, page_row, &out, NULL);
	tap_str(buf_str(&out), "p007@example.org\n", "% matches itself only");
	buf_reset(&out);
	store_member_page(s, "p@example.org", "p_0", 0, 50, &total, page_row, &out, NULL);
	tap_int(total, 0, "_ matches itself only");
	tap_int(store_member_update(s, "p@example.org", "P001@example.org", "digest", 1, NULL),
		STORE_OK, "update a member's mode and moderation");
	tap_int(store_member_update(s, "p@example.org", "zz@example.org", "digest", 1, NULL),
		STORE_NOT_FOUND, "update of a non-member");
	tap_int(store_member_update(s, "p@example.org", "p001@example.org", "weekly", 1, NULL),
		STORE_INVALID, "update to an unknown mode");
	buf_free(&out);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	const char *error = NULL;
	struct store *s;
	char	path[400];

	snprintf(test_dir, sizeof(test_dir), "%s/test_members_csv.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(test_dir) == NULL)
		return 99;
	snprintf(test_db, sizeof(test_db), "%s/sealist.db", test_dir);
	buf_init(&reported, 1 << 16);
	if ((s = store_open(test_db, &error)) == NULL) {
		tap_ok(0, "store_open: %s", error);
		return tap_done();
	}
	tap_int(store_list_create(s, "t@example.org", NULL, NULL), STORE_OK, "a list");
	test_import(s);
	test_export_round_trip(s);
	test_pages(s);
	store_close(s);
	buf_free(&reported);
	unlink(test_db);
	snprintf(path, sizeof(path), "%s-wal", test_db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", test_db);
	unlink(path);
	rmdir(test_dir);
	return tap_done();
}
