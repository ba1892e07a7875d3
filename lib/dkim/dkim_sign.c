/*
 * NAME
 *	dkim_sign 3
 * SUMMARY
 *	DKIM signing (RFC 6376 section 5, RFC 8463)
 * DESCRIPTION
 *	One dkim_sign() call is the per-recipient work of list fan-out:
 *	select and canonicalize the signed header fields, hash them with
 *	the new field, one private-key operation, fold.  The body hash comes
 *	finished from the caller (computed once per post) and the key comes
 *	loaded (dkim_privkey), so nothing here parses PEM or touches the
 *	body.
 *
 *	The field is built with b= empty, hashed exactly as it will be
 *	emitted (folds included, so simple header canonicalization works),
 *	then the signature is appended; b= is the last tag, so a verifier
 *	that empties it sees the bytes that were hashed.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "dkim/dkim_int.h"
#include "sealist_limits.h"

/*
 * RFC 6376 section 5.4.1's list, plus what a list message carries and
 * RFC 8058 requires signed (List-Unsubscribe-Post).
 */
const char *const dkim_default_headers[] = {
	"From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID",
	"In-Reply-To", "References", "Sender", "MIME-Version",
	"Content-Type", "Content-Transfer-Encoding",
	"Resent-Date", "Resent-From", "Resent-To", "Resent-Cc",
	"List-Id", "List-Help", "List-Unsubscribe", "List-Unsubscribe-Post",
	"List-Subscribe", "List-Post", "List-Owner", "List-Archive",
	NULL,
};

/*
 * Listed once more than present, so that none can be added in transit
 * without breaking the signature (RFC 6376 section 8.15): what a reader
 * sees and what decides how the body is shown.
 */
const char *const dkim_oversign_headers[] = {
	"From", "Subject", "Date", "To", "Cc", "Reply-To", "Message-ID",
	"MIME-Version", "Content-Type", "Content-Transfer-Encoding",
	"List-Id", "List-Help", "List-Unsubscribe", "List-Unsubscribe-Post",
	"List-Subscribe", "List-Post", "List-Owner", "List-Archive",
	NULL,
};

#define FOLD_AT		78	/* columns; RFC 5322 section 2.1.1 asks 78 */
#define FOLD_INDENT	8	/* a TAB, counted as a terminal shows it */

void dkim_sign_opts_init(struct dkim_sign_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->header_canon = DKIM_CANON_RELAXED;
	o->body_canon = DKIM_CANON_RELAXED;
	o->timestamp = -1;
	o->expire = -1;
}

static int in_list(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (dkim_name_eq(name, strlen(name), *list))
			return 1;
	return 0;
}

/* The h= names: explicit, or the defaults with over-signing.  malloc'd. */
static const char **header_names(const struct msg *m,
				 const struct dkim_sign_opts *o, size_t *count_r,
				 const char **error_r)
{
	const char **names;
	size_t	n = 0, cap = 0, i;
	int	from = 0;

	if (o->headers != NULL) {
		while (o->headers[cap] != NULL)
			cap++;
	} else {
		for (i = 0; dkim_default_headers[i] != NULL; i++) {
			const char *h = dkim_default_headers[i];
			long	at = -1;

			while ((at = msg_find(m, h, (size_t) (at + 1))) >= 0)
				cap++;
			cap += (size_t) in_list(dkim_oversign_headers, h);
		}
	}
	if (cap > LIMIT_DKIM_H_NAMES) {
		*error_r = "too many header fields to sign";
		return NULL;
	}
	if ((names = calloc(cap + 1, sizeof(*names))) == NULL) {
		*error_r = "out of memory";
		return NULL;
	}
	if (o->headers != NULL) {
		for (n = 0; n < cap; n++)
			names[n] = o->headers[n];
	} else {
		for (i = 0; dkim_default_headers[i] != NULL; i++) {
			const char *h = dkim_default_headers[i];
			long	at = -1;

			while ((at = msg_find(m, h, (size_t) (at + 1))) >= 0)
				names[n++] = h;
			if (in_list(dkim_oversign_headers, h))
				names[n++] = h;
		}
	}
	for (i = 0; i < n; i++) {
		const char *p;

		if (names[i][0] == 0)
			goto bad;
		for (p = names[i]; *p != 0; p++)
			if (*p < 33 || *p > 126 || *p == ':')
				goto bad;
		if (dkim_name_eq(names[i], strlen(names[i]), "from"))
			from = 1;
	}
	if (!from) {
		free(names);
		*error_r = "h= lacks From (RFC 6376 section 5.4)";
		return NULL;
	}
	*count_r = n;
	return names;
bad:
	free(names);
	*error_r = "bad header field name to sign";
	return NULL;
}

/* The folding writer: glue is a space (break there if needed) or none. */
struct fold {
	struct buf *out;
	size_t	col;
};

static void fold_add(struct fold *f, const char *text, size_t n, int space)
{
	if (f->col + (space ? 1 : 0) + n > FOLD_AT && f->col > FOLD_INDENT) {
		buf_append(f->out, "\r\n\t", 3);
		f->col = FOLD_INDENT;
	} else if (space) {
		buf_append_byte(f->out, ' ');
		f->col++;
	}
	buf_append(f->out, text, n);
	f->col += n;
}

static void fold_str(struct fold *f, const char *text, int space)
{
	fold_add(f, text, strlen(text), space);
}

/* A base64 value broken into pieces that fill each line. */
static void fold_b64(struct fold *f, const char *b64, size_t n)
{
	while (n > 0) {
		size_t	room = f->col < FOLD_AT ? FOLD_AT - f->col : 0;
		size_t	take;

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

static int sign_hash(const struct dkim_privkey *key, const unsigned char *hash,
		     size_t hlen, unsigned char **sig_r, size_t *slen_r)
{
	EVP_PKEY *pkey = dkim_privkey_pkey(key);
	unsigned char *sig = NULL;
	size_t	slen = 0;
	int	ok = 0;

	if (dkim_privkey_algo(key) == DKIM_ALGO_ED25519_SHA256) {
		/* RFC 8463 section 3: PureEdDSA over the SHA-256 hash. */
		EVP_MD_CTX *mctx = EVP_MD_CTX_new();

		ok = mctx != NULL
			&& EVP_DigestSignInit_ex(mctx, NULL, NULL, NULL, NULL, pkey,
						 NULL) == 1
			&& EVP_DigestSign(mctx, NULL, &slen, hash, hlen) == 1
			&& (sig = malloc(slen)) != NULL
			&& EVP_DigestSign(mctx, sig, &slen, hash, hlen) == 1;
		EVP_MD_CTX_free(mctx);
	} else {
		/* RSASSA-PKCS1-v1_5: the DigestInfo of the SHA-256 hash. */
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);

		ok = ctx != NULL
			&& EVP_PKEY_sign_init(ctx) == 1
			&& EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1
			&& EVP_PKEY_CTX_set_signature_md(ctx, dkim_privkey_md(key)) == 1
			&& EVP_PKEY_sign(ctx, NULL, &slen, hash, hlen) == 1
			&& (sig = malloc(slen)) != NULL
			&& EVP_PKEY_sign(ctx, sig, &slen, hash, hlen) == 1;
		EVP_PKEY_CTX_free(ctx);
	}
	if (!ok) {
		free(sig);
		return -1;
	}
	*sig_r = sig;
	*slen_r = slen;
	return 0;
}

/* Hash the selected header fields and the new field (b= empty). */
static int header_hash(const struct msg *m, const struct dkim_sign_opts *o,
		       const char **names, size_t count, const struct buf *field,
		       size_t name_len, unsigned char *hash, unsigned int *hlen)
{
	struct buf c;
	struct msg_field f;
	long   *idx;
	size_t	i;
	int	rc = -1;

	if ((idx = calloc(count + 1, sizeof(*idx))) == NULL)
		return -1;
	dkim_select_headers(m, names, count, idx);
	buf_init(&c, 4 * (size_t) LIMIT_HEADER_BLOCK + field->len * 2);
	for (i = 0; i < count; i++)
		if (idx[i] >= 0)
			dkim_canon_header(o->header_canon,
					  msg_field(m, (size_t) idx[i]), 1, &c);
	/* The field as a verifier will see it (name, colon, raw value). */
	memset(&f, 0, sizeof(f));
	f.name = (const char *) field->data;
	f.name_len = name_len;
	f.value = field->data + name_len + 1;
	f.value_len = field->len - name_len - 1;
	f.raw = field->data;
	f.raw_len = field->len;
	f.flags = MSG_FIELD_NO_EOL;
	dkim_canon_header(o->header_canon, &f, 0, &c);
	if (!buf_failed(&c)
	    && EVP_Digest(c.data, c.len, hash, hlen,
			  dkim_privkey_md(o->key), NULL) == 1)
		rc = 0;
	free(idx);
	buf_free(&c);
	return rc;
}

int dkim_sign(const struct msg *m, const struct dkim_sign_opts *o,
	      const struct dkim_bodyhash *bh, char **field_r,
	      const char **error_r)
{
	static const char name[] = "DKIM-Signature";
	const char **names = NULL;
	size_t	count = 0, i, dlen, slen;
	const unsigned char *digest;
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned int hlen;
	unsigned char *sig = NULL;
	enum dkim_algo algo;
	struct buf out, b64;
	struct fold f;
	const char *sep;
	char   *field;

	*field_r = NULL;
	if (o->key == NULL || bh == NULL) {
		*error_r = "no key or no body hash";
		return -1;
	}
	if (dkim_sig_check_names(o->domain, o->selector, o->identity, error_r) < 0)
		return -1;
	/*
	 * RFC 6376 section 5.4: From MUST be signed.  Naming an absent From in
	 * h= would make a signature for a message that RFC 5322 says is not
	 * one; receivers (dkimpy among them) refuse it, so we refuse to sign.
	 */
	if (msg_find(m, "From", 0) < 0) {
		*error_r = "message has no From field (RFC 6376 section 5.4 requires From to be signed)";
		return -1;
	}
	algo = dkim_privkey_algo(o->key);
	if (!dkim_bodyhash_done(bh) || dkim_bodyhash_limit(bh) >= 0
	    || dkim_bodyhash_algo(bh) == DKIM_ALGO_RSA_SHA1
	    || dkim_bodyhash_canon(bh) != o->body_canon) {
		*error_r = "body hash not finished, limited, or of another canonicalization";
		return -1;
	}
	if (o->timestamp >= 0 && o->expire >= 0 && o->expire < o->timestamp) {
		*error_r = "x= before t=";
		return -1;
	}
	sep = o->h_separator != NULL ? o->h_separator : ":";
	if (!((sep[0] == ':' && sep[1] == 0)
	      || (sep[0] == ' ' && sep[1] == ':' && sep[2] == ' ' && sep[3] == 0))) {
		*error_r = "h= separator must be \":\" or \" : \"";
		return -1;
	}
	if ((names = header_names(m, o, &count, error_r)) == NULL)
		return -1;
	digest = dkim_bodyhash_digest(bh, &dlen);

	buf_init(&out, LIMIT_DKIM_TAG_LIST);
	buf_init(&b64, LIMIT_DKIM_TAG_LIST);
	f.out = &out;
	f.col = 0;
	fold_str(&f, "DKIM-Signature:", 0);
	fold_str(&f, "v=1;", 1);
	buf_printf(&b64, "a=%s;", dkim_algo_str(algo));
	fold_str(&f, buf_str(&b64), 1);
	buf_reset(&b64);
	buf_printf(&b64, "c=%s/%s;", dkim_canon_str(o->header_canon),
		   dkim_canon_str(o->body_canon));
	fold_str(&f, buf_str(&b64), 1);
	buf_reset(&b64);
	buf_printf(&b64, "d=%s;", o->domain);
	fold_str(&f, buf_str(&b64), 1);
	if (o->identity != NULL) {
		buf_reset(&b64);
		buf_printf(&b64, "i=%s;", o->identity);
		fold_str(&f, buf_str(&b64), 1);
	}
	if (o->query_tag)
		fold_str(&f, "q=dns/txt;", 1);
	buf_reset(&b64);
	buf_printf(&b64, "s=%s;", o->selector);
	fold_str(&f, buf_str(&b64), 1);
	if (o->timestamp >= 0) {
		buf_reset(&b64);
		buf_printf(&b64, "t=%lld;", o->timestamp);
		fold_str(&f, buf_str(&b64), 1);
	}
	if (o->expire >= 0) {
		buf_reset(&b64);
		buf_printf(&b64, "x=%lld;", o->expire);
		fold_str(&f, buf_str(&b64), 1);
	}
	for (i = 0; i < count; i++) {
		buf_reset(&b64);
		buf_printf(&b64, "%s%s%s", i == 0 ? "h=" : "", names[i],
			   i + 1 == count ? ";" : sep[0] == ':' ? ":" : "");
		fold_str(&f, buf_str(&b64), i == 0 || sep[0] == ' ');
		if (sep[0] == ' ' && i + 1 < count)
			fold_str(&f, ":", 1);
	}
	buf_reset(&b64);
	buf_append_str(&b64, "bh=");
	dkim_b64_encode(digest, dlen, &b64);
	buf_append_byte(&b64, ';');
	fold_str(&f, buf_str(&b64), 1);
	fold_str(&f, "b=", 1);
	if (buf_failed(&out) || buf_failed(&b64)) {
		*error_r = "signature field too long";
		goto fail;
	}
	if (header_hash(m, o, names, count, &out, sizeof(name) - 1, hash,
			&hlen) < 0) {
		*error_r = "header hash failed (out of memory?)";
		goto fail;
	}
	if (sign_hash(o->key, hash, hlen, &sig, &slen) < 0) {
		*error_r = "private-key operation failed";
		goto fail;
	}
	buf_reset(&b64);
	dkim_b64_encode(sig, slen, &b64);
	fold_b64(&f, (const char *) b64.data, b64.len);
	if (buf_failed(&out) || buf_failed(&b64)
	    || (field = buf_detach(&out, NULL)) == NULL) {
		*error_r = "out of memory";
		goto fail;
	}
	*field_r = field;
	free(sig);
	free(names);
	buf_free(&b64);
	return 0;
fail:
	free(sig);
	free(names);
	buf_free(&out);
	buf_free(&b64);
	return -1;
}

int dkim_sign_data(const struct dkim_privkey *key, const void *data,
		   size_t len, struct buf *b64_out, const char **error_r)
{
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned int hlen;
	unsigned char *sig = NULL;
	size_t	slen = 0;

	if (key == NULL) {
		*error_r = "no key";
		return -1;
	}
	if (EVP_Digest(len > 0 ? data : "", len, hash, &hlen,
		       dkim_privkey_md(key), NULL) != 1
	    || sign_hash(key, hash, hlen, &sig, &slen) < 0) {
		*error_r = "private-key operation failed";
		return -1;
	}
	dkim_b64_encode(sig, slen, b64_out);
	free(sig);
	if (buf_failed(b64_out)) {
		*error_r = "out of memory";
		return -1;
	}
	return 0;
}
