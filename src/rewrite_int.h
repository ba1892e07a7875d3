/*
 * NAME
 *	rewrite_int 3h
 * SUMMARY
 *	what the rewrite_*.c files share; not part of the interface
 * DESCRIPTION
 *	One rewrite works on a struct rw: the message being edited (a copy;
 *	the caller's stays untouched until everything succeeded), the list,
 *	the settings, the author as the original From names it, and the
 *	result being filled.  Each step returns 0, or -1 with rw->error set
 *	to a static string.
 *
 *	The files: rewrite.c (the order of steps, list fields, the keep
 *	check, DKIM-Signature removal), rewrite_from.c (From munging,
 *	Reply-To and Cc, display-name phrases), rewrite_subject.c
 *	(subject_prefix and Mailman's %(name)s templates), rewrite_body.c
 *	(msg_header/msg_footer and wrapping, MIME-aware through lib/mime).
 */
#ifndef SEALIST_REWRITE_INT_H
#define SEALIST_REWRITE_INT_H

#include "buf/buf.h"
#include "msg/msg.h"
#include "rewrite.h"
#include "sealist_limits.h"

/* The author, from the original From field (or Sender without one). */
struct rw_author {
	int	present;		/* one mailbox was found */
	char   *display;		/* the "X" of "X via LIST", UTF-8 */
	char   *addr;			/* local@domain as written */
	char   *raw;			/* the field value, trimmed, for
					   Reply-To / Cc (the author's own
					   bytes, not a re-generated form) */
};

struct rw {
	struct msg *m;
	const struct rewrite_list *l;
	const struct rewrite_settings *s;
	struct rewrite_result *res;
	const struct rw_author *author;
	const struct rw_author *o_from;	/* Mailman's o_from: the author when
					   From is munged or wrapped, else NULL */
	const char *error;
};

/* Every field we build is at most a header block. */
#define RW_FIELD_MAX	LIMIT_HEADER_BLOCK

/* ---- rewrite.c ---- */
/* Add a note to res->note (thread-local storage, "; "-joined). */
extern void rw_note(struct rw *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Insert the field in b at the end of the header; 0 or -1. */
extern int rw_append_field(struct rw *, const struct buf *b);
/* Remove every field with this name; the number removed. */
extern size_t rw_remove_all(struct msg *, const char *name);
/* A new message: m's header, a separator, then body; replaces rw->m. */
extern int rw_set_body(struct rw *, const void *body, size_t len);
/* A copy of m (serialize and parse: byte-identical). */
extern struct msg *rw_copy(const struct msg *, const char **error_r);

/* ---- rewrite_from.c ---- */
extern int rw_author_get(const struct msg *, struct rw_author *);
extern void rw_author_free(struct rw_author *);
/*
 * Append a display name: as it is when it is all atoms, quoted when
 * needed (or always with force_quote), as RFC 2047 encoded words when
 * it holds non-ASCII bytes.  Control characters become spaces.
 */
extern void rw_phrase(struct buf *out, const char *text, size_t len, int force_quote);
extern int rw_utf8_valid(const unsigned char *p, size_t len);
extern int rw_munge_from(struct rw *);
extern int rw_reply_to(struct rw *);

/* ---- rewrite_subject.c ---- */
/*
 * Expand Mailman's %(name)s variables of the list into out; "%%" is
 * "%"; unknown names are copied as written and named in a note (what:
 * "msg_footer").
 */
extern void rw_expand(struct rw *, const char *what, const char *tmpl, struct buf *out);
extern int rw_subject_prefix(struct rw *);

/* ---- rewrite_body.c ---- */
extern int rw_decorate(struct rw *);
/* The wrapper of a whole original message (Mailman's WrapMessage). */
extern int rw_wrap(struct rw *, const struct msg *orig);

#endif
