/*
 * NAME
 *	arc_seal 3
 * SUMMARY
 *	adding an ARC Set (RFC 8617 section 5.1)
 * DESCRIPTION
 *	Each signature field is inserted first with b= empty, its hash input
 *	is taken from the message as a verifier will see it (so line ends
 *	and folding cannot differ between signer and verifier), and the
 *	field is then replaced by the same text with b= filled in.  The AMS
 *	is signed like a DKIM-Signature (lib/dkim: header selection,
 *	canonicalization, body hash); the AS over the ARC Sets in the order
 *	of section 5.1.1, or only over the new set when the chain failed
 *	(section 5.1.2).  Any failure removes what was inserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc/arc_int.h"
#include "buf/buf.h"
#include "sealist_limits.h"

#define FOLD_AT		78
#define FOLD_INDENT	8

void arc_seal_opts_init(struct arc_seal_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timestamp = -1;
	o->cv = ARC_CV_NONE;
}

/* The instance of any ARC field, however broken the rest is; -1 none. */
static int field_instance(enum arc_kind kind, const struct msg_field *f,
			  int *cv_fail)
{
	struct dkim_tag_iter it;
	struct dkim_tag t;
	const char *err;
	int	inst = -1;

	if (kind == ARC_AAR)
		return arc_aar_instance(f->value, f->value_len, &err);
	dkim_tag_init(&it, f->value, f->value_len);
	while (dkim_tag_next(&it, &t, &err) > 0) {
		if (t.name_len == 1 && t.name[0] == 'i' && inst < 0) {
			size_t	k;

			inst = 0;
			for (k = 0; k < t.value_len && k < 4; k++) {
				if (t.value[k] < '0' || t.value[k] > '9') {
					inst = -1;
					break;
				}
				inst = inst * 10 + (t.value[k] - '0');
			}
			if (t.value_len == 0 || t.value_len > 3)
				inst = -1;
		} else if (kind == ARC_AS && t.name_len == 2 && t.name[0] == 'c'
			   && t.name[1] == 'v' && t.value_len == 4
			   && memcmp(t.value, "fail", 4) == 0)
			*cv_fail = 1;
	}
	return inst;
}

/* The fold writer, as lib/dkim's: break before a piece that would pass
   FOLD_AT; space 1 puts a space (or the break) before the piece. */
struct fold {
	struct buf *out;
	size_t	col;
	int	nofold;
};

static void put(struct fold *f, const char *s, int space)
{
	size_t	n = strlen(s);

	if (!f->nofold && f->col + (space ? 1 : 0) + n > FOLD_AT
	    && f->col > FOLD_INDENT) {
		buf_append(f->out, "\r\n\t", 3);
		f->col = FOLD_INDENT;
	} else if (space) {
		buf_append_byte(f->out, ' ');
		f->col++;
	}
	buf_append(f->out, s, n);
	f->col += n;
}

static void put_b64(struct fold *f, const char *b64)
{
	size_t	n = strlen(b64);

	if (f->nofold) {
		buf_append(f->out, b64, n);
		return;
	}
	while (n > 0) {
		size_t	room = f->col < FOLD_AT ? FOLD_AT - f->col : 0, take;

		if (room < 8) {
			buf_append(f->out, "\r\n\t", 3);
			f->col = FOLD_INDENT;
			room = FOLD_AT - FOLD_INDENT;
		}
		take = n < room ? n : room;
		buf_append(f->out, b64, take);
		f->col += take;
		b64 += take;
		n -= take;
	}
}

/* One "name=value;" piece (the last one without ";" in sorted form). */
static void tag(struct fold *f, struct buf *tmp, const char *name,
		const char *value, int last)
{
	buf_reset(tmp);
	buf_printf(tmp, "%s=%s%s", name, value, last ? "" : ";");
	put(f, buf_str(tmp), f->col > 0);
}

struct sealer {
	struct msg *m;
	const struct arc_seal_opts *o;
	int	inst;
	char	inst_s[12], t_s[24];
	const char *algo;
	char   *h;			/* h= value */
	char   *bh;			/* bh= value */
};

/* Build the AMS (kind ARC_AMS) or AS with b= set to b64 ("" at first). */
static int build(const struct sealer *s, enum arc_kind kind, const char *b64,
		 struct buf *out)
{
	const struct arc_seal_opts *o = s->o;
	struct fold f;
	struct buf tmp;
	int	ams = kind == ARC_AMS, t = o->timestamp >= 0;

	buf_init(out, LIMIT_DKIM_TAG_LIST);
	buf_init(&tmp, LIMIT_DKIM_TAG_LIST);
	buf_append_str(out, ams ? "ARC-Message-Signature:" : "ARC-Seal:");
	f.out = out;
	f.col = out->len;
	f.nofold = o->sorted_tags;
	if (o->sorted_tags) {
		/* a b bh c cv d h i s t: the ARC test suite's form */
		tag(&f, &tmp, "a", s->algo, 0);
		buf_reset(&tmp);
		buf_append_str(out, " b=");
		buf_append_str(out, b64);
		buf_append_byte(out, ';');
		if (ams) {
			tag(&f, &tmp, "bh", s->bh, 0);
			tag(&f, &tmp, "c", "relaxed/relaxed", 0);
		} else
			tag(&f, &tmp, "cv", arc_cv_str(o->cv), 0);
		tag(&f, &tmp, "d", o->domain, 0);
		if (ams)
			tag(&f, &tmp, "h", s->h, 0);
		tag(&f, &tmp, "i", s->inst_s, 0);
		tag(&f, &tmp, "s", o->selector, !t);
		if (t)
			tag(&f, &tmp, "t", s->t_s, 1);
	} else {
		tag(&f, &tmp, "i", s->inst_s, 0);
		tag(&f, &tmp, "a", s->algo, 0);
		if (ams)
			tag(&f, &tmp, "c", "relaxed/relaxed", 0);
		else
			tag(&f, &tmp, "cv", arc_cv_str(o->cv), 0);
		tag(&f, &tmp, "d", o->domain, 0);
		tag(&f, &tmp, "s", o->selector, 0);
		if (t)
			tag(&f, &tmp, "t", s->t_s, 0);
		if (ams) {
			tag(&f, &tmp, "h", s->h, 0);
			tag(&f, &tmp, "bh", s->bh, 0);
		}
		put(&f, "b=", 1);
		put_b64(&f, b64);
	}
	buf_free(&tmp);
	if (buf_failed(out)) {
		buf_free(out);
		return -1;
	}
	return 0;
}

/* ARC fields and Authentication-Results (section 4.1.2) are not signed. */
static int name_refused(const char *n)
{
	static const char ar[] = "authentication-results";
	enum arc_kind k;
	size_t	i, len = strlen(n);

	if (arc_field_kind(n, len, &k) == 0)
		return 1;
	if (len != sizeof(ar) - 1)
		return 0;
	for (i = 0; i < len; i++)
		if ((n[i] >= 'A' && n[i] <= 'Z' ? n[i] + 32 : n[i]) != ar[i])
			return 0;
	return 1;
}

/* The h= names: explicit or the defaults present plus DKIM-Signature. */
static int header_list(struct sealer *s, const char ***names_r, size_t *n_r,
		       const char **error_r)
{
	const char **names;
	size_t	n = 0, cap = 1, i;
	struct buf h;

	if (s->o->headers != NULL)
		while (s->o->headers[n] != NULL)
			n++;
	else
		for (i = 0; i < msg_field_count(s->m); i++)
			cap++;
	cap += n;
	if (cap > LIMIT_DKIM_H_NAMES + 1)
		cap = LIMIT_DKIM_H_NAMES + 1;
	if ((names = calloc(cap, sizeof(*names))) == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	if (s->o->headers != NULL) {
		if (n > LIMIT_DKIM_H_NAMES) {
			free(names);
			*error_r = "too many header fields to sign";
			return -1;
		}
		for (i = 0; i < n; i++)
			names[i] = s->o->headers[i];
	} else {
		static const char *const dkim = "DKIM-Signature";
		size_t	k;

		for (k = 0; dkim_default_headers[k] != NULL; k++) {
			long	at = -1;

			while ((at = msg_find(s->m, dkim_default_headers[k],
					      (size_t) (at + 1))) >= 0 && n + 1 < cap)
				names[n++] = dkim_default_headers[k];
		}
		for (i = 0; i < msg_field_count(s->m) && n + 1 < cap; i++) {
			const struct msg_field *f = msg_field(s->m, i);

			if (f->name != NULL && f->name_len == 14
			    && msg_find(s->m, dkim, i) == (long) i)
				names[n++] = dkim;
		}
	}
	buf_init(&h, LIMIT_DKIM_TAG_LIST);
	for (i = 0; i < n; i++) {
		const char *p;

		if (names[i][0] == 0 || name_refused(names[i]))
			goto bad;
		for (p = names[i]; *p != 0; p++)
			if (*p < 33 || *p > 126 || *p == ':')
				goto bad;
		buf_printf(&h, "%s%s", i > 0 ? ":" : "", names[i]);
	}
	if (buf_failed(&h) || (s->h = buf_detach(&h, NULL)) == NULL) {
		free(names);
		buf_free(&h);
		*error_r = "out of memory";
		return -1;
	}
	*names_r = names;
	*n_r = n;
	return 0;
bad:
	free(names);
	buf_free(&h);
	*error_r = "AMS h= may not name ARC fields or Authentication-Results (RFC 8617 section 4.1.2)";
	return -1;
}

/* Insert the field with b= empty, hash, replace with b= set.  kind AMS/AS. */
static int sign_field(struct sealer *s, enum arc_kind kind,
		      const char **names, size_t count, const long (*idx)[3],
		      const char **error_r)
{
	struct buf field, in, b64;
	const char *name = kind == ARC_AMS ? "ARC-Message-Signature" : "ARC-Seal";
	long	at;
	int	rc = -1;

	if (build(s, kind, "", &field) < 0) {
		*error_r = "ARC field too long";
		return -1;
	}
	if (msg_insert_top(s->m, (const char *) field.data, field.len, error_r) < 0) {
		buf_free(&field);
		return -1;
	}
	buf_free(&field);
	at = msg_find(s->m, name, 0);
	buf_init(&in, 4 * (size_t) LIMIT_HEADER_BLOCK);
	buf_init(&b64, LIMIT_DKIM_TAG_LIST);
	if (kind == ARC_AMS) {
		struct dkim_sig sig;

		memset(&sig, 0, sizeof(sig));
		sig.headers = (char **) names;
		sig.header_count = count;
		sig.header_canon = DKIM_CANON_RELAXED;
		sig.body_canon = DKIM_CANON_RELAXED;
		sig.body_length = -1;
		if (dkim_canon_signed(s->m, &sig, (size_t) at, &in, NULL) < 0) {
			*error_r = "header too large to sign";
			goto out;
		}
	} else {
		long	mine[LIMIT_ARC_INSTANCES + 1][3];
		int	i, from = s->o->cv == ARC_CV_FAIL ? s->inst : 1;

		for (i = 1; i < s->inst; i++)
			memcpy(mine[i], idx[i], sizeof(mine[i]));
		/* every index moved down by the one field just inserted */
		for (i = 1; i < s->inst; i++) {
			mine[i][0]++;
			mine[i][1]++;
			mine[i][2]++;
		}
		mine[s->inst][ARC_AS] = at;
		mine[s->inst][ARC_AMS] = msg_find(s->m, "ARC-Message-Signature", 0);
		mine[s->inst][ARC_AAR] = msg_find(s->m, "ARC-Authentication-Results", 0);
		if (arc_seal_input(s->m, (const long (*)[3]) mine, from, s->inst, &in) < 0) {
			*error_r = "header too large to seal";
			goto out;
		}
	}
	if (dkim_sign_data(s->o->key, in.data, in.len, &b64, error_r) < 0)
		goto out;
	if (build(s, kind, buf_str(&b64), &field) < 0) {
		*error_r = "ARC field too long";
		goto out;
	}
	rc = msg_replace(s->m, (size_t) at, (const char *) field.data, field.len,
			 error_r);
	buf_free(&field);
out:
	buf_free(&in);
	buf_free(&b64);
	if (rc < 0)
		msg_remove(s->m, (size_t) at);
	return rc;
}

/* The existing chain: N, whether its top AS says cv=fail, and for a chain
   given as pass the index of every field (structure checked). */
static int scan(struct sealer *s, long (*idx)[3], int *top_fail,
		const char **error_r)
{
	int	fails[LIMIT_ARC_INSTANCES + 2] = {0};
	int	count[LIMIT_ARC_INSTANCES + 1][3];
	size_t	i;
	int	n = 0, k, fields = 0;

	memset(count, 0, sizeof(count));
	for (i = 0; i < msg_field_count(s->m); i++) {
		const struct msg_field *f = msg_field(s->m, i);
		enum arc_kind kind;
		int	inst, cvf = 0;

		if (f->name == NULL || arc_field_kind(f->name, f->name_len, &kind) < 0)
			continue;
		fields++;
		inst = field_instance(kind, f, &cvf);
		if (inst > LIMIT_ARC_INSTANCES) {
			n = LIMIT_ARC_INSTANCES;
			continue;
		}
		if (inst < 1)
			continue;
		if (inst > n)
			n = inst;
		if (cvf)
			fails[inst] = 1;
		if (count[inst][kind]++ == 0)
			idx[inst][kind] = (long) i;
	}
	*top_fail = n > 0 && fails[n];
	s->inst = n + 1;
	if (s->o->cv == ARC_CV_NONE && fields > 0) {
		*error_r = "cv=none given for a message with ARC fields";
		return -1;
	}
	if (s->o->cv == ARC_CV_PASS) {
		if (n == 0) {
			*error_r = "cv=pass given for a message without ARC Sets";
			return -1;
		}
		for (i = 1; i <= (size_t) n; i++)
			for (k = 0; k < 3; k++)
				if (count[i][k] != 1) {
					*error_r = "cv=pass given for a chain of bad structure";
					return -1;
				}
	}
	return 0;
}

int arc_seal(struct msg *m, const struct arc_seal_opts *o, const char **error_r)
{
	long	idx[LIMIT_ARC_INSTANCES + 1][3];
	struct sealer s;
	struct dkim_bodyhash *bh = NULL;
	const char **names = NULL;
	const unsigned char *body, *digest;
	size_t	len, count = 0, dlen;
	struct buf aar, tmp;
	int	top_fail = 0, rc = -1;
	long	at;

	memset(&s, 0, sizeof(s));
	memset(idx, 0xff, sizeof(idx));
	s.m = m;
	s.o = o;
	if (o->key == NULL || o->authres == NULL || o->domain == NULL
	    || o->selector == NULL) {
		*error_r = "no key, domain, selector or authentication results";
		return -1;
	}
	if (dkim_check_names(o->domain, o->selector, error_r) < 0)
		return -1;
	if (scan(&s, idx, &top_fail, error_r) < 0)
		return -1;
	if (top_fail) {
		*error_r = "newest ARC-Seal has cv=fail: not sealed (RFC 8617 section 5.1 step 2)";
		return 1;
	}
	if (s.inst > LIMIT_ARC_INSTANCES) {
		*error_r = "already 50 ARC Sets: not sealed (RFC 8617 section 4.2.1)";
		return 1;
	}
	snprintf(s.inst_s, sizeof(s.inst_s), "%d", s.inst);
	snprintf(s.t_s, sizeof(s.t_s), "%lld", o->timestamp);
	s.algo = dkim_algo_str(dkim_privkey_algo(o->key));
	if (header_list(&s, &names, &count, error_r) < 0)
		return -1;

	/* bh= over the body, relaxed. */
	body = msg_body(m, &len);
	if ((bh = dkim_bodyhash_new(DKIM_CANON_RELAXED, DKIM_ALGO_RSA_SHA256, -1)) == NULL
	    || dkim_bodyhash_update(bh, body, len) < 0 || dkim_bodyhash_final(bh) < 0) {
		*error_r = "out of memory";
		goto out;
	}
	digest = dkim_bodyhash_digest(bh, &dlen);
	buf_init(&tmp, 256);
	dkim_base64_encode(digest, dlen, &tmp);
	s.bh = buf_detach(&tmp, NULL);
	if (s.bh == NULL) {
		*error_r = "out of memory";
		goto out;
	}

	/* AAR */
	buf_init(&aar, LIMIT_DKIM_TAG_LIST);
	buf_printf(&aar, "ARC-Authentication-Results: i=%d; %s", s.inst, o->authres);
	if (buf_failed(&aar)
	    || msg_insert_top(m, (const char *) aar.data, aar.len, error_r) < 0) {
		if (buf_failed(&aar))
			*error_r = "authentication results too long";
		buf_free(&aar);
		goto out;
	}
	buf_free(&aar);
	/* Existing fields moved down by one. */
	{
		int	i, k;

		for (i = 1; i < s.inst; i++)
			for (k = 0; k < 3; k++)
				idx[i][k]++;
	}
	if (sign_field(&s, ARC_AMS, names, count, NULL, error_r) < 0)
		goto undo;
	{
		int	i, k;

		for (i = 1; i < s.inst; i++)
			for (k = 0; k < 3; k++)
				idx[i][k]++;
	}
	if (sign_field(&s, ARC_AS, names, count, (const long (*)[3]) idx, error_r) < 0)
		goto undo_ams;
	rc = 0;
	goto out;
undo_ams:
	if ((at = msg_find(m, "ARC-Message-Signature", 0)) >= 0)
		msg_remove(m, (size_t) at);
undo:
	if ((at = msg_find(m, "ARC-Authentication-Results", 0)) >= 0)
		msg_remove(m, (size_t) at);
out:
	dkim_bodyhash_free(bh);
	free(names);
	free(s.h);
	free(s.bh);
	return rc;
}
