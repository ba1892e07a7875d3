/*
 * NAME
 *	store_config 3
 * SUMMARY
 *	the store's side of settings files: many settings in one transaction
 * DESCRIPTION
 *	See store.h (store_settings_apply).  It reuses the statements of
 *	store_setting_set/unset (SQL_SETTING_SET, SQL_SETTING_UNSET), so it
 *	adds no SQL of its own.  Everything is checked before BEGIN, and
 *	checked again by nothing after it: a file is applied completely or
 *	not at all.
 */
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "store_int.h"

/* Names and values good?  STORE_OK, or STORE_INVALID naming the first bad one. */
static int store_config_check(struct store *s, const char *const *names,
			      const char *const *values, size_t n)
{
	const struct settings_row *row;
	const char *why;
	size_t	i, j;

	for (i = 0; i < n; i++) {
		if ((row = settings_lookup(names[i])) == NULL)
			return store_fail(s, STORE_INVALID, "no such setting: %s", names[i]);
		if (values[i] != NULL && (why = settings_validate(row, values[i])) != NULL)
			return store_fail(s, STORE_INVALID, "%s: %s", names[i], why);
		for (j = 0; j < i; j++)
			if (strcmp(names[j], names[i]) == 0)
				return store_fail(s, STORE_INVALID, "%s is given twice", names[i]);
	}
	return STORE_OK;
}

/* Inside the transaction: one statement per setting. */
static int store_config_write(struct store *s, long long id, const char *const *names,
			      const char *const *values, size_t n)
{
	sqlite3_stmt *st;
	size_t	i;
	int	status;

	for (i = 0; i < n; i++) {
		st = store_stmt(s, values[i] != NULL ? SQL_SETTING_SET : SQL_SETTING_UNSET);
		if (st == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
		if (values[i] != NULL)
			sqlite3_bind_text(st, 3, values[i], -1, SQLITE_STATIC);
		if ((status = store_exec(s, st)) != STORE_OK)
			return status;
	}
	return STORE_OK;
}

int store_settings_apply(struct store *s, const char *list, const char *const *names,
			 const char *const *values, size_t n, const char **error_r)
{
	long long id = 0;
	int	status;

	if ((status = store_config_check(s, names, values, n)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((status = store_begin(s)) != STORE_OK)
		return store_result(s, status, error_r);
	if ((status = store_list_find(s, list, &id)) == STORE_OK
	    && (status = store_config_write(s, id, names, values, n)) == STORE_OK)
		status = store_commit(s);
	if (status != STORE_OK)
		store_rollback(s);
	return store_result(s, status, error_r);
}
