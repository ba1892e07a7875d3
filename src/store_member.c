/*
 * NAME
 *	store_member 3
 * SUMMARY
 *	list members: add, remove, list
 * DESCRIPTION
 *	See store.h.  Adding and removing take a batch of addresses and are
 *	all or nothing: every address is checked before the transaction
 *	starts, and the first one that is invalid, already a member (for
 *	add) or not a member (for remove) rolls the whole batch back, with
 *	an error naming it.  Uniqueness is on address_key, the lowercased
 *	address (db/001_init.sql says why).
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "sealist_limits.h"
#include "settings.h"
#include "store.h"

/*
 * A display name is shown on pages and may later go into a To: field;
 * one line, no control characters, and short enough for a header line.
 */
#define STORE_DISPLAY_NAME_MAX	200

/* One checked address of a batch. */
struct store_addr {
	char   *address;	/* as stored */
	char   *key;		/* lowercased */
};

static void store_addrs_free(struct store_addr *a, size_t n)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(a[i].address);
		free(a[i].key);
	}
	free(a);
}

/* Check and normalize every address; fills a[0..n). */
static int store_addrs_check(struct store *s, const char *const *in, size_t n,
			     struct store_addr **a_r)
{
	struct store_addr *a;
	size_t	i;
	int	status;

	if ((*a_r = a = calloc(n ? n : 1, sizeof(*a))) == NULL)
		return store_fail(s, STORE_ERROR, "out of memory");
	for (i = 0; i < n; i++)
		if ((status = store_address(s, "address", in[i], &a[i].address,
					    &a[i].key)) != STORE_OK)
			return status;
	return STORE_OK;
}

static int store_check_new_member(struct store *s, const struct store_new_member *m)
{
	const char *d = m->delivery;
	const unsigned char *p;

	if (d != NULL && strcmp(d, "regular") != 0 && strcmp(d, "digest") != 0
	    && strcmp(d, "nomail") != 0)
		return store_fail(s, STORE_INVALID,
				  "invalid delivery mode \"%s\": expected regular, digest or nomail", d);
	if (m->moderated < -1 || m->moderated > 1)
		return store_fail(s, STORE_INVALID, "invalid moderated flag %d", m->moderated);
	if (m->display_name == NULL)
		return STORE_OK;
	if (strlen(m->display_name) > STORE_DISPLAY_NAME_MAX)
		return store_fail(s, STORE_INVALID, "display name of %s is too long (at most %d bytes)",
				  m->address, STORE_DISPLAY_NAME_MAX);
	for (p = (const unsigned char *) m->display_name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return store_fail(s, STORE_INVALID,
					  "display name of %s contains a control character", m->address);
	return STORE_OK;
}

/*
 * STORE_OK if the key is not a member yet; else STORE_EXISTS naming the
 * member as stored (its case may differ), or STORE_ERROR.
 */
static int store_member_absent(struct store *s, long long list_id,
			       const struct store_addr *a)
{
	sqlite3_stmt *st;
	const char *found;
	int	status = STORE_OK;
	int	rc;

	if ((st = store_stmt(s, SQL_MEMBER_FIND)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_text(st, 2, a->key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		found = (const char *) sqlite3_column_text(st, 0);
		if (strcmp(found, a->address) == 0)
			status = store_fail(s, STORE_EXISTS, "%s is already a member of %s",
					    a->address, s->list_address);
		else
			status = store_fail(s, STORE_EXISTS, "%s is already a member of %s as %s",
					    a->address, s->list_address, found);
	} else if (rc != SQLITE_DONE) {
		status = store_db_fail(s, "cannot look up a member");
	}
	/* Reset at once: a statement left on a row would pin a read snapshot. */
	sqlite3_reset(st);
	return status;
}

/* Refuse the batch if any address is already a member. */
static int store_members_absent(struct store *s, long long list_id,
				const struct store_addr *a, size_t n)
{
	size_t	i;
	int	status;

	for (i = 0; i < n; i++)
		if ((status = store_member_absent(s, list_id, &a[i])) != STORE_OK)
			return status;
	return STORE_OK;
}

/* The moderated flag for a new member whose spec says -1. */
static int store_default_moderation(struct store *s, long long list_id, int *flag_r)
{
	sqlite3_stmt *st;
	const struct settings_row *row = &settings_rows[SETTING_DEFAULT_MEMBER_MODERATION];
	int	rc;

	*flag_r = strcmp(row->default_value, "1") == 0;
	if ((st = store_stmt(s, SQL_SETTING_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_text(st, 2, row->name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*flag_r = strcmp((const char *) sqlite3_column_text(st, 0), "1") == 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
	    : store_db_fail(s, "cannot read default_member_moderation");
}

static int store_member_insert(struct store *s, long long list_id,
			       const struct store_new_member *m,
			       const struct store_addr *a, int moderated)
{
	sqlite3_stmt *st;
	int	rc;

	if ((st = store_stmt(s, SQL_MEMBER_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_text(st, 2, a->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->display_name ? m->display_name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->delivery ? m->delivery : "regular", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, m->moderated >= 0 ? m->moderated : moderated);
	sqlite3_bind_int64(st, 7, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	/* Everything else was checked: a UNIQUE failure means the batch repeats it. */
	if (rc == SQLITE_CONSTRAINT)
		return store_fail(s, STORE_INVALID, "%s is given more than once", a->address);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot add a member");
}

/* Inside the transaction. */
static int store_members_insert(struct store *s, const struct store_new_member *m,
				const struct store_addr *a, size_t n)
{
	long long list_id = 0;
	int	moderated;
	int	status;
	size_t	i;

	if ((status = store_list_lookup(s, &list_id, NULL)) != STORE_OK
	    || (status = store_members_absent(s, list_id, a, n)) != STORE_OK
	    || (status = store_default_moderation(s, list_id, &moderated)) != STORE_OK)
		return status;
	for (i = 0; i < n; i++)
		if ((status = store_member_insert(s, list_id, &m[i], &a[i], moderated)) != STORE_OK)
			return status;
	return STORE_OK;
}

/* The addresses of a batch, for store_addrs_check. */
static const char **store_new_addresses(const struct store_new_member *m, size_t n)
{
	const char **in;
	size_t	i;

	if ((in = calloc(n ? n : 1, sizeof(*in))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		in[i] = m[i].address;
	return in;
}

static int store_member_add_checked(struct store *s, const char *list,
				    const struct store_new_member *m, size_t n,
				    struct store_addr **a_r)
{
	const char **in;
	long long id = 0;
	int	status;
	size_t	i;

	*a_r = NULL;
	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return status;
	if ((in = store_new_addresses(m, n)) == NULL)
		return store_fail(s, STORE_ERROR, "out of memory");
	status = store_addrs_check(s, in, n, a_r);
	free(in);
	for (i = 0; status == STORE_OK && i < n; i++)
		status = store_check_new_member(s, &m[i]);
	if (status != STORE_OK || (status = store_begin(s)) != STORE_OK)
		return status;
	if ((status = store_members_insert(s, m, *a_r, n)) == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return status;
}

int store_member_add(struct store *s, const char *list,
		     const struct store_new_member *m, size_t n, const char **error_r)
{
	struct store_addr *a = NULL;
	int	status;

	status = store_member_add_checked(s, list, m, n, &a);
	store_addrs_free(a, n);
	return store_result(s, status, error_r);
}

/* Why a[i] could not be removed. */
static int store_member_missing(struct store *s, const struct store_addr *a, size_t i)
{
	size_t	j;

	for (j = 0; j < i; j++)
		if (strcmp(a[j].key, a[i].key) == 0)
			return store_fail(s, STORE_INVALID, "%s is given more than once",
					  a[i].address);
	return store_fail(s, STORE_NOT_FOUND, "%s is not a member of %s",
			  a[i].address, s->list_address);
}

/* Inside the transaction: every address must be a member. */
static int store_members_delete(struct store *s, const struct store_addr *a, size_t n)
{
	sqlite3_stmt *st;
	long long list_id = 0;
	int	status;
	size_t	i;

	if ((status = store_list_lookup(s, &list_id, NULL)) != STORE_OK)
		return status;
	for (i = 0; i < n; i++) {
		if ((st = store_stmt(s, SQL_MEMBER_DELETE)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, list_id);
		sqlite3_bind_text(st, 2, a[i].key, -1, SQLITE_STATIC);
		if (store_exec(s, st) != STORE_OK)
			return STORE_ERROR;
		if (sqlite3_changes(s->db) == 0)
			return store_member_missing(s, a, i);
	}
	return STORE_OK;
}

int store_member_remove(struct store *s, const char *list,
			const char *const *addresses, size_t n, const char **error_r)
{
	struct store_addr *a = NULL;
	long long id = 0;
	int	status;

	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_addrs_check(s, addresses, n, &a)) == STORE_OK
	    && (status = store_begin(s)) == STORE_OK) {
		if ((status = store_members_delete(s, a, n)) == STORE_OK)
			status = store_commit(s);
		if (status != STORE_OK)
			store_rollback(s);
	}
	store_addrs_free(a, n);
	return store_result(s, status, error_r);
}

static void store_member_row(sqlite3_stmt *st, struct store_member *m)
{
	m->address = (const char *) sqlite3_column_text(st, 0);
	m->display_name = (const char *) sqlite3_column_text(st, 1);
	m->delivery = (const char *) sqlite3_column_text(st, 2);
	m->status = (const char *) sqlite3_column_text(st, 3);
	m->moderated = sqlite3_column_int(st, 4);
	m->subscribed_at = sqlite3_column_int64(st, 5);
}

static int store_member_walk(struct store *s, const char *list,
			     int (*fn)(const struct store_member *, void *), void *ctx)
{
	struct store_member m;
	sqlite3_stmt *st;
	long long id = 0;
	int	status;
	int	rc;

	if ((status = store_list_find(s, list, &id)) != STORE_OK)
		return status;
	if ((st = store_stmt(s, SQL_MEMBER_ALL)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_member_row(st, &m);
		if (fn(&m, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : store_db_fail(s, "cannot read the members");
}

int store_member_each(struct store *s, const char *list,
		      int (*fn)(const struct store_member *, void *), void *ctx,
		      const char **error_r)
{
	return store_result(s, store_member_walk(s, list, fn, ctx), error_r);
}

int store_member_get(struct store *s, const char *list, const char *address,
		     struct store_member *out, const char **error_r)
{
	struct store_member m;
	sqlite3_stmt *st;
	char   *stored = NULL, *key = NULL;
	long long id = 0;
	int	status, rc;

	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_address(s, "address", address, &stored, &key)) == STORE_OK
	    && (st = store_stmt(s, SQL_MEMBER_GET)) == NULL)
		status = STORE_ERROR;
	if (status == STORE_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *in[4];
			const char *kept[4];

			store_member_row(st, &m);
			in[0] = m.address, in[1] = m.display_name, in[2] = m.delivery, in[3] = m.status;
			status = store_keep_row(s, in, kept, 4);
			*out = m;
			out->address = kept[0], out->display_name = kept[1];
			out->delivery = kept[2], out->status = kept[3];
		} else if (rc == SQLITE_DONE)
			status = store_fail(s, STORE_NOT_FOUND, "%s is not a member of %s", stored, list);
		else
			status = store_db_fail(s, "cannot read the member");
		sqlite3_reset(st);
	}
	free(stored);
	free(key);
	return store_result(s, status, error_r);
}

/*
 * Import.  One transaction for the whole file: each row costs an INSERT
 * (and a SELECT only when it conflicts), about 5 microseconds, so 100,000
 * rows take well under a second.  Which rows this import added is known
 * from their ids: SQLite gives a new row an id above every id in the
 * table (no AUTOINCREMENT, and the transaction holds the write lock), so
 * ids above the maximum at the start are ours; each is kept with the
 * caller's tag, in ascending order, to name the first row of a duplicate.
 */
struct store_import_row {
	long long id;
	long long tag;
};

struct store_import {
	struct store *s;
	long long list_id;
	long long base_id;		/* max(members.id) when the import began */
	int	moderated;		/* default_member_moderation */
	struct store_import_row *rows;	/* rows added, ascending id */
	size_t	count;
	size_t	cap;
};

static int store_import_start(struct store *s, const char *list, struct store_import *imp)
{
	sqlite3_stmt *st;
	long long id = 0;
	int	status;
	int	rc;

	if ((status = store_list_find(s, list, &id)) != STORE_OK
	    || (status = store_begin(s)) != STORE_OK)
		return status;
	if ((status = store_list_lookup(s, &imp->list_id, NULL)) != STORE_OK
	    || (status = store_default_moderation(s, imp->list_id, &imp->moderated)) != STORE_OK)
		return status;
	if ((st = store_stmt(s, SQL_MEMBERS_MAX_ID)) == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		imp->base_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : store_db_fail(s, "cannot read the member ids");
}

int store_member_import_begin(struct store *s, const char *list,
			      struct store_import **imp_r, const char **error_r)
{
	struct store_import *imp;
	int	status;

	*imp_r = NULL;
	if ((imp = calloc(1, sizeof(*imp))) == NULL)
		return store_result(s, store_fail(s, STORE_ERROR, "out of memory"), error_r);
	imp->s = s;
	if ((status = store_import_start(s, list, imp)) != STORE_OK) {
		/* Harmless when the transaction did not begin. */
		store_rollback(s);
		free(imp);
		return store_result(s, status, error_r);
	}
	*imp_r = imp;
	return store_result(s, STORE_OK, error_r);
}

/* The tag of the row this import added with that id, or 0. */
static long long store_import_tag(const struct store_import *imp, long long id)
{
	size_t	lo = 0, hi = imp->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (imp->rows[mid].id == id)
			return imp->rows[mid].tag;
		if (imp->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Why the insert of a->key conflicted: added earlier in this import, or before. */
static int store_import_conflict(struct store_import *imp, const struct store_addr *a,
				 long long *first_tag_r)
{
	struct store *s = imp->s;
	sqlite3_stmt *st;
	long long id;
	int	status;
	int	rc;

	if ((st = store_stmt(s, SQL_MEMBERS_FIND_ID)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, imp->list_id);
	sqlite3_bind_text(st, 2, a->key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_db_fail(s, "cannot look up a member");
	}
	id = sqlite3_column_int64(st, 0);
	if (id > imp->base_id) {
		*first_tag_r = store_import_tag(imp, id);
		status = store_fail(s, STORE_INVALID, "%s is given more than once", a->address);
	} else if (strcmp((const char *) sqlite3_column_text(st, 1), a->address) == 0) {
		status = store_fail(s, STORE_EXISTS, "%s is already a member of %s",
				    a->address, s->list_address);
	} else {
		status = store_fail(s, STORE_EXISTS, "%s is already a member of %s as %s",
				    a->address, s->list_address,
				    (const char *) sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return status;
}

static int store_import_insert(struct store_import *imp, const struct store_new_member *m,
			       const struct store_addr *a, long long tag, long long *first_tag_r)
{
	struct store *s = imp->s;
	struct store_import_row *more;
	sqlite3_stmt *st;
	int	rc;

	if (imp->count == imp->cap) {
		imp->cap = imp->cap ? imp->cap * 2 : 1024;
		if ((more = realloc(imp->rows, imp->cap * sizeof(*more))) == NULL)
			return store_fail(s, STORE_ERROR, "out of memory");
		imp->rows = more;
	}
	if ((st = store_stmt(s, SQL_MEMBER_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, imp->list_id);
	sqlite3_bind_text(st, 2, a->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->display_name ? m->display_name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->delivery ? m->delivery : "regular", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, m->moderated >= 0 ? m->moderated : imp->moderated);
	sqlite3_bind_int64(st, 7, store_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	/* Everything else was checked: only UNIQUE (list_id, address_key) can fail. */
	if (rc == SQLITE_CONSTRAINT)
		return store_import_conflict(imp, a, first_tag_r);
	if (rc != SQLITE_DONE)
		return store_db_fail(s, "cannot add a member");
	imp->rows[imp->count].id = sqlite3_last_insert_rowid(s->db);
	imp->rows[imp->count].tag = tag;
	imp->count++;
	return STORE_OK;
}

int store_member_import_add(struct store_import *imp, const struct store_new_member *m,
			    long long tag, long long *first_tag_r, const char **error_r)
{
	struct store *s = imp->s;
	struct store_addr a = {NULL, NULL};
	int	status;

	*first_tag_r = 0;
	if ((status = store_address(s, "address", m->address, &a.address, &a.key)) == STORE_OK
	    && (status = store_check_new_member(s, m)) == STORE_OK)
		status = store_import_insert(imp, m, &a, tag, first_tag_r);
	free(a.address);
	free(a.key);
	return store_result(s, status, error_r);
}

int store_member_import_end(struct store_import *imp, int commit, size_t *added_r,
			    const char **error_r)
{
	struct store *s = imp->s;
	int	status = STORE_OK;

	if (added_r != NULL)
		*added_r = 0;
	if (commit && (status = store_commit(s)) == STORE_OK && added_r != NULL)
		*added_r = imp->count;
	if (!commit || status != STORE_OK)
		store_rollback(s);
	free(imp->rows);
	free(imp);
	return store_result(s, status, error_r);
}
