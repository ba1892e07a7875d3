/*
 * NAME
 *	store_c2 3
 * SUMMARY
 *	the store's part of the web members page: search, pages, update
 * DESCRIPTION
 *	See store.h (the C2 block).  Without a search the total is the
 *	list's row in list_member_counts, which triggers on members keep
 *	(db/015_member_count.sql): count(*) over the list's index entries
 *	cost about 4-8 ms per request at 100,000 members.  A page is then
 *	LIMIT/OFFSET in an index-only subquery over the UNIQUE (list_id,
 *	address_key) index, which holds the order the page wants; the
 *	outer query reads only the page's 50 rows by id.  OFFSET still
 *	steps through the skipped index entries, so a page in the second
 *	half is counted from the end instead (the same subquery, ORDER BY
 *	address_key DESC, the offset from the end): the first and last
 *	pages cost the same and the middle one walks half the list.  The
 *	count and the page are read in one read transaction, so that they
 *	agree while members come and go.  "page N" stays a plain link,
 *	which a keyset cursor would not give.  The figures are in
 *	bench/README (bench/web.sh).
 *	A search is a LIKE over the list's rows, with the user's % _ and \
 *	escaped so that they match themselves; it counts its matches and
 *	pages by OFFSET.

 *	The statements' texts live here, not in store.c's table; they are
 *	prepared into the store's statement cache (store_stmt_sql), so
 *	store_close finalizes them with the others.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store.h"

#define SQL_C2_FIRST	SQL_C2_MEMBER_COUNT
/* The columns of a page, for store_c2_row. */
#define STORE_C2_SELECT \
	"SELECT address, display_name, delivery_mode, status, moderated, subscribed_at," \
	" coalesce(disabled_by, '') FROM members"
#define STORE_C2_COLUMNS	STORE_C2_SELECT " WHERE list_id = ?1"
/* ?2 of the _Q statements: a LIKE pattern */
#define STORE_C2_MATCH \
	" AND (address LIKE ?2 ESCAPE '\\' OR display_name LIKE ?2 ESCAPE '\\')"
/* The page's ids from the index alone, in the order ORDER (?3 rows from ?4). */
#define STORE_C2_IDS(order) \
	STORE_C2_SELECT " WHERE id IN (SELECT id FROM members WHERE list_id = ?1" \
	" ORDER BY address_key " order " LIMIT ?3 OFFSET ?4) ORDER BY address_key"

/*
 * Without a search, counting and paging read only the count row and the
 * index: keeping them apart from the search statements (rather than
 * "?2 IS NULL OR") is what keeps SQLite from reading all the rows.
 */
static const char *const store_c2_sql[] = {
	[SQL_C2_MEMBER_COUNT - SQL_C2_FIRST] =
	"SELECT coalesce((SELECT members FROM list_member_counts WHERE list_id = ?1), 0)",
	[SQL_C2_MEMBER_PAGE - SQL_C2_FIRST] = STORE_C2_IDS("ASC"),
	[SQL_C2_MEMBER_COUNT_Q - SQL_C2_FIRST] =
	"SELECT count(*) FROM members WHERE list_id = ?1" STORE_C2_MATCH,
	[SQL_C2_MEMBER_PAGE_Q - SQL_C2_FIRST] =
	STORE_C2_COLUMNS STORE_C2_MATCH " ORDER BY address_key LIMIT ?3 OFFSET ?4",
	[SQL_C2_MEMBER_UPDATE - SQL_C2_FIRST] =
	"UPDATE members SET delivery_mode = ?3, moderated = ?4"
	" WHERE list_id = ?1 AND address_key = ?2",
};
/* H6: a page counted from the list's end (?4 rows after the page). */
static const char store_c2_page_end_sql[] = STORE_C2_IDS("DESC");
/* H6: a deferred BEGIN: a read snapshot, no write lock. */
static const char store_c2_read_sql[] = "BEGIN";

/* store_stmt for this file's statements (prepared into the store's cache). */
static sqlite3_stmt *store_c2_stmt(struct store *s, enum store_sql which)
{
	return store_stmt_sql(s, which, store_c2_sql[which - SQL_C2_FIRST]);
}

/* "%q%" with q's LIKE wildcards and the escape character escaped. */
static int store_c2_pattern(struct store *s, const char *q, struct buf *pat)
{
	if (strlen(q) > STORE_MEMBER_SEARCH_MAX)
		return store_fail(s, STORE_INVALID, "the search is too long (at most %d bytes)",
				  STORE_MEMBER_SEARCH_MAX);
	buf_append_byte(pat, '%');
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_append_byte(pat, '\\');
		buf_append_byte(pat, (unsigned char) *q);
	}
	buf_append_byte(pat, '%');
	return buf_failed(pat) ? store_fail(s, STORE_ERROR, "out of memory") : STORE_OK;
}

/* The count or page statement for pattern pat (NULL: all), with both bound. */
static sqlite3_stmt *store_c2_query(struct store *s, enum store_sql all, enum store_sql match,
				    long long list_id, const struct buf *pat)
{
	sqlite3_stmt *st = store_c2_stmt(s, pat != NULL ? match : all);

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, list_id);
	if (pat != NULL)
		sqlite3_bind_text(st, 2, buf_str(pat), (int) pat->len, SQLITE_STATIC);
	return st;
}

static int store_c2_count(struct store *s, long long list_id, const struct buf *pat,
			  long long *total_r)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_c2_query(s, SQL_C2_MEMBER_COUNT, SQL_C2_MEMBER_COUNT_Q, list_id, pat))
	    == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*total_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : store_db_fail(s, "cannot count the members");
}

static void store_c2_row(sqlite3_stmt *st, struct store_member_view *v)
{
	v->m.address = (const char *) sqlite3_column_text(st, 0);
	v->m.display_name = (const char *) sqlite3_column_text(st, 1);
	v->m.delivery = (const char *) sqlite3_column_text(st, 2);
	v->m.status = (const char *) sqlite3_column_text(st, 3);
	v->m.moderated = sqlite3_column_int(st, 4);
	v->m.subscribed_at = sqlite3_column_int64(st, 5);
	v->disabled_by = (const char *) sqlite3_column_text(st, 6);
}

/*
 * The statement for rows [offset, offset + limit) of total, bound.  Past
 * the middle of an unsearched list the rows are counted from the end:
 * rows [total - offset - n, total - offset) in descending order, which
 * the outer ORDER BY puts back; the index steps are the fewer of the two.
 */
static sqlite3_stmt *store_c2_page_stmt(struct store *s, long long list_id,
					const struct buf *pat, long long offset, int limit,
					long long total)
{
	long long rows = total - offset < limit ? total - offset : limit;
	long long from_end = total - offset - rows;
	sqlite3_stmt *st;

	if (pat == NULL && rows > 0 && from_end < offset) {
		if ((st = store_stmt_sql(s, SQL_MCOUNT_PAGE_END, store_c2_page_end_sql)) == NULL)
			return NULL;
		sqlite3_bind_int64(st, 1, list_id);
		sqlite3_bind_int64(st, 3, rows);
		sqlite3_bind_int64(st, 4, from_end);
		return st;
	}
	if ((st = store_c2_query(s, SQL_C2_MEMBER_PAGE, SQL_C2_MEMBER_PAGE_Q, list_id, pat))
	    == NULL)
		return NULL;
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	return st;
}

static int store_c2_page(struct store *s, long long list_id, const struct buf *pat,
			 long long offset, int limit, long long total,
			 int (*fn)(const struct store_member_view *, void *), void *ctx)
{
	struct store_member_view v;
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_c2_page_stmt(s, list_id, pat, offset, limit, total)) == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_c2_row(st, &v);
		if (fn(&v, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot read the members");
}

/* The count and the page in one read transaction: the page from the end
   must be counted from the same rows as the total. */
static int store_c2_read(struct store *s, long long list_id, const struct buf *pat,
			 long long offset, int limit, long long *total_r,
			 int (*fn)(const struct store_member_view *, void *), void *ctx)
{
	sqlite3_stmt *st;
	int	status;

	if ((st = store_stmt_sql(s, SQL_MCOUNT_READ, store_c2_read_sql)) == NULL
	    || store_exec(s, st) != STORE_OK)
		return STORE_ERROR;
	if ((status = store_c2_count(s, list_id, pat, total_r)) == STORE_OK)
		status = store_c2_page(s, list_id, pat, offset, limit, *total_r, fn, ctx);
	if (status == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return status;
}

int store_member_page(struct store *s, const char *list, const char *q,
		      long long offset, int limit, long long *total_r,
		      int (*fn)(const struct store_member_view *, void *ctx), void *ctx,
		      const char **error_r)
{
	struct buf pat;
	const struct buf *p = NULL;
	long long id = 0;
	int	status;

	*total_r = 0;
	buf_init(&pat, 4 * STORE_MEMBER_SEARCH_MAX);
	if ((status = store_list_find(s, list, &id)) == STORE_OK && q != NULL && *q != 0
	    && (status = store_c2_pattern(s, q, &pat)) == STORE_OK)
		p = &pat;
	if (status == STORE_OK && offset < 0)
		offset = 0;
	if (status == STORE_OK)
		status = store_c2_read(s, id, p, offset, limit, total_r, fn, ctx);
	buf_free(&pat);
	return store_result(s, status, error_r);
}

static int store_c2_check(struct store *s, const char *delivery, int moderated)
{
	if (strcmp(delivery, "regular") != 0 && strcmp(delivery, "digest") != 0
	    && strcmp(delivery, "nomail") != 0)
		return store_fail(s, STORE_INVALID, "invalid delivery mode \"%s\": expected "
				  "regular, digest or nomail", delivery);
	if (moderated != 0 && moderated != 1)
		return store_fail(s, STORE_INVALID, "invalid moderated flag %d", moderated);
	return STORE_OK;
}

int store_member_update(struct store *s, const char *list, const char *address,
			const char *delivery, int moderated, const char **error_r)
{
	sqlite3_stmt *st = NULL;
	char   *stored = NULL, *key = NULL;
	long long id = 0;
	int	status;

	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_address(s, "address", address, &stored, &key)) == STORE_OK
	    && (status = store_c2_check(s, delivery, moderated)) == STORE_OK
	    && (st = store_c2_stmt(s, SQL_C2_MEMBER_UPDATE)) == NULL)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, delivery, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, moderated);
		if ((status = store_exec(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
			status = store_fail(s, STORE_NOT_FOUND, "%s is not a member of %s", stored,
					    s->list_address);
	}
	free(stored);
	free(key);
	return store_result(s, status, error_r);
}
