/*
 * NAME
 *	members_csv 3
 * SUMMARY
 *	member import and export as CSV, shared by the CLI and the web
 * DESCRIPTION
 *	See members_csv.h.  The CSV syntax is lib/csv's; the member rules
 *	(a valid address, a known delivery mode, duplicates, existing
 *	members) are the store's, through store_member_import_*.  Here is
 *	only what a column means.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "csv/csv.h"
#include "members_csv.h"

/* Where each known column is in a row; -1 if the header lacks it. */
struct members_csv_columns {
	long	address;
	long	name;
	long	delivery;
	long	moderated;
	size_t	count;		/* fields in the header */
};

/* One import in progress. */
struct members_csv_run {
	struct members_csv_import *imp;
	struct store_import *si;
	struct members_csv_columns col;
	const char *failed;	/* the store's error when it failed mid-way */
};

/* Report why (a printf format) about line. */
static void members_csv_invalid(struct members_csv_import *imp, size_t line,
				const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void members_csv_invalid(struct members_csv_import *imp, size_t line,
				const char *fmt, ...)
{
	struct buf why;
	va_list	ap;

	buf_init(&why, 4096);
	va_start(ap, fmt);
	(void) buf_vprintf(&why, fmt, ap);
	va_end(ap);
	imp->invalid(imp->ctx, line, buf_failed(&why) ? "invalid row" : buf_str(&why));
	buf_free(&why);
}

/* A field without ASCII spaces and tabs at either end, in place. */
static char *members_csv_trim(char *f)
{
	size_t	n;

	while (*f == ' ' || *f == '\t')
		f++;
	n = strlen(f);
	while (n > 0 && (f[n - 1] == ' ' || f[n - 1] == '\t'))
		f[--n] = 0;
	return f;
}

/* The header row: 0, or -1 (reported). */
static int members_csv_header(struct members_csv_run *run, const struct csv_row *row)
{
	static const char *const names[] = {"address", "name", "delivery", "moderated"};
	struct members_csv_columns *c = &run->col;
	long   *slot[4];
	size_t	i, k;
	char   *f;

	slot[0] = &c->address, slot[1] = &c->name, slot[2] = &c->delivery, slot[3] = &c->moderated;
	c->address = c->name = c->delivery = c->moderated = -1;
	c->count = row->count;
	for (i = 0; i < row->count; i++) {
		f = members_csv_trim(row->fields[i]);
		for (k = 0; k < 4; k++) {
			if (strcasecmp(f, names[k]) != 0)
				continue;
			if (*slot[k] >= 0) {
				members_csv_invalid(run->imp, row->line,
						    "the header names the column %s twice", names[k]);
				return -1;
			}
			*slot[k] = (long) i;
		}
	}
	if (c->address < 0) {
		members_csv_invalid(run->imp, row->line, "the first row must be a header with an "
				    "address column, such as \"address,name,delivery\"");
		return -1;
	}
	return 0;
}

/* Field col of the row, "" when the row is shorter or the column absent. */
static char *members_csv_field(const struct csv_row *row, long col)
{
	static char empty[1];

	return col >= 0 && (size_t) col < row->count ? row->fields[col] : empty;
}

/* The moderated column: 1, 0, -1 (empty: the list's default), or -2 (bad). */
static int members_csv_moderated(const char *mod)
{
	if (*mod == 0)
		return -1;
	if (strcasecmp(mod, "yes") == 0 || strcmp(mod, "1") == 0)
		return 1;
	if (strcasecmp(mod, "no") == 0 || strcmp(mod, "0") == 0)
		return 0;
	return -2;
}

/* Turn one data row into m; NULL, or why the row is refused. */
static const char *members_csv_member(const struct members_csv_run *run,
				      const struct csv_row *row,
				      struct store_new_member *m, struct buf *why)
{
	const char *mod;

	if (row->count > run->col.count) {
		buf_printf(why, "%zu fields, but the header has %zu", row->count, run->col.count);
		return buf_str(why);
	}
	m->address = members_csv_trim(members_csv_field(row, run->col.address));
	m->display_name = members_csv_field(row, run->col.name);
	m->delivery = members_csv_trim(members_csv_field(row, run->col.delivery));
	mod = members_csv_trim(members_csv_field(row, run->col.moderated));
	if (*m->address == 0)
		return "no address";
	if (strchr(m->address, '<') != NULL || strchr(m->address, '>') != NULL) {
		buf_printf(why, "invalid address \"%s\": give the bare address (a@example.org) "
			   "and the name in the name column", m->address);
		return buf_str(why);
	}
	if (*m->delivery == 0)
		m->delivery = NULL;
	if (*m->display_name == 0)
		m->display_name = NULL;
	if ((m->moderated = members_csv_moderated(mod)) == -2) {
		buf_printf(why, "moderated must be yes or no, not \"%s\"", mod);
		return buf_str(why);
	}
	return NULL;
}

/* One data row: add it, or report why not.  0, or -1 when the store failed. */
static int members_csv_row(struct members_csv_run *run, const struct csv_row *row)
{
	struct members_csv_import *imp = run->imp;
	struct store_new_member m = {NULL, NULL, NULL, -1};
	struct buf why;
	const char *bad;
	const char *error;
	long long first = 0;
	int	rc;

	/* A blank line is no row (spreadsheets leave them at the end). */
	if (row->count == 1 && row->lens[0] == 0)
		return 0;
	if (++imp->rows % MEMBERS_CSV_PROGRESS == 0 && imp->progress != NULL)
		imp->progress(imp->ctx, imp->rows);
	buf_init(&why, 1024);
	if ((bad = members_csv_member(run, row, &m, &why)) != NULL) {
		imp->invalid(imp->ctx, row->line, bad);
		imp->invalid_rows++;
		buf_free(&why);
		return 0;
	}
	buf_free(&why);
	rc = store_member_import_add(run->si, &m, (long long) row->line, &first, &error);
	if (rc == STORE_OK)
		return 0;
	if (rc == STORE_ERROR) {
		run->failed = error;
		return -1;
	}
	imp->invalid_rows++;
	if (first > 0)
		members_csv_invalid(imp, row->line, "%s (first on line %lld)", error, first);
	else
		imp->invalid(imp->ctx, row->line, error);
	return 0;
}

/* The reader's "line N: what" as line N and "what; nothing imported". */
static void members_csv_syntax(struct members_csv_import *imp, const char *error)
{
	size_t	line = 0;
	const char *p = error;

	if (strncmp(p, "line ", 5) == 0) {
		for (p += 5; *p >= '0' && *p <= '9' && line < (size_t) 1 << 40; p++)
			line = line * 10 + (size_t) (*p - '0');
		if (line > 0 && p[0] == ':' && p[1] == ' ')
			error = p + 2;
		else
			line = 0;
	}
	members_csv_invalid(imp, line, "%s; nothing imported", error);
}

/* Header and rows, inside the store's import.  0, 1 (malformed: reported) or -1. */
static int members_csv_rows(struct members_csv_run *run, const void *data, size_t len)
{
	struct csv_reader *r;
	const struct csv_row *row;
	const char *error;
	int	rc;

	if (csv_reader_init(&r, data, len, NULL, &error) < 0) {
		run->failed = error;
		return -1;
	}
	if ((rc = csv_reader_next(r, &row, &error)) == 1) {
		if (members_csv_header(run, row) != 0)
			rc = -2;
		while (rc == 1 && (rc = csv_reader_next(r, &row, &error)) == 1)
			if (members_csv_row(run, row) != 0)
				rc = -3;
	} else if (rc == 0) {
		run->imp->invalid(run->imp->ctx, 0, "empty file; expected a header such as "
				  "\"address,name,delivery\"");
		rc = -2;
	}
	/* A file that is not CSV is refused whole, skip_invalid or not. */
	if (rc == -1)
		members_csv_syntax(run->imp, error);
	csv_reader_deinit(&r);
	return rc == 0 ? 0 : rc == -3 ? -1 : 1;
}

int members_csv_import(struct store *s, const char *list, const void *data, size_t len,
		       struct members_csv_import *imp, const char **error_r)
{
	struct members_csv_run run;
	int	commit;
	int	rc;

	memset(&run, 0, sizeof(run));
	run.imp = imp;
	imp->malformed = imp->committed = 0;
	imp->rows = imp->invalid_rows = imp->added = 0;
	if ((rc = store_member_import_begin(s, list, &run.si, error_r)) != STORE_OK)
		return rc;
	rc = members_csv_rows(&run, data, len);
	imp->malformed = rc == 1;
	commit = rc == 0 && !imp->dry_run && (imp->invalid_rows == 0 || imp->skip_invalid);
	if (rc < 0) {
		/* The store's text outlives a rollback: it sets no error. */
		(void) store_member_import_end(run.si, 0, NULL, NULL);
		*error_r = run.failed;
		return STORE_ERROR;
	}
	if ((rc = store_member_import_end(run.si, commit, &imp->added, error_r)) != STORE_OK)
		return rc;
	imp->committed = commit;
	return STORE_OK;
}

/* The export's columns; the importer reads all but status. */
static int members_csv_export_row(const struct store_member *m, void *ctx)
{
	const char *f[5];

	f[0] = m->address, f[1] = m->display_name, f[2] = m->delivery, f[3] = m->status;
	f[4] = m->moderated ? "yes" : "no";
	return csv_write_row(ctx, f, NULL, 5) < 0;
}

int members_csv_export(struct store *s, const char *list, struct buf *out,
		       const char **error_r)
{
	static const char *const header[] = {"address", "name", "delivery", "status", "moderated"};

	csv_write_row(out, header, NULL, 5);
	return store_member_each(s, list, members_csv_export_row, out, error_r);
}
