/*
 * NAME
 *	test_outsign 1
 * SUMMARY
 *	unit tests for src/token.c and src/outsign.c
 * DESCRIPTION
 *	Tokens: a round trip, and every tampering refused (another member,
 *	another list, the local part's case, one character changed, one
 *	truncated, another version, another key); the domain's case is
 *	accepted (domains are case-insensitive, RFC 5321 section 2.4).  The
 *	comparison must go through CRYPTO_memcmp: this program defines its
 *	own CRYPTO_memcmp, which the static token.o binds to before
 *	libcrypto's, and counts the calls.
 *
 *	Per recipient, with the keys of tests/data/dkim (RSA-2048 and
 *	Ed25519, dual-signed, ARC-sealed with RSA): exactly one
 *	List-Unsubscribe carrying that recipient's token (checked with
 *	token_check), one List-Unsubscribe-Post, both signed and over-signed,
 *	every signature and the ARC chain verified by lib/dkim and lib/arc
 *	with keys from an in-memory table, a changed List-Unsubscribe breaks
 *	them, every field the step does not touch byte-identical to the input
 *	and in order, the body too; the worker gives the same for the same
 *	recipient again.  Without personalization two recipients get the
 *	same bytes.  A post without List-Unsubscribe-Post gets one; a post
 *	with LF line ends works; bad options and recipients are refused.
 *	Four threads sharing one prepared post, each with its own worker,
 *	give the same bytes as one thread (the documented threading model).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <pthread.h>

#include "outsign.h"
#include "tap.h"
#include "token.h"

#define T_NOW	1795752000LL

/* ---- CRYPTO_memcmp interposed: counts calls, compares in constant time */

static unsigned long memcmp_calls;

int CRYPTO_memcmp(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;
	size_t	i;

	memcmp_calls++;
	for (i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d;
}

/* ---- tokens ------------------------------------------------------------ */

static const unsigned char key1[TOKEN_KEY_LEN] = "0123456789abcdef0123456789abcde";
static const unsigned char key2[TOKEN_KEY_LEN] = "0123456789abcdef0123456789abcdE";

struct tamper_row {
	const char *what, *list, *member;
	int	want;			/* token_check's answer */
};

static const struct tamper_row tamper_rows[] = {
	{"same list and member", "dev@example.org", "Bob@Example.net", 1},
	{"member domain in other case", "dev@example.org", "Bob@EXAMPLE.NET", 1},
	{"list in other case", "DEV@Example.org", "Bob@Example.net", 1},
	{"member local part in other case", "dev@example.org", "bob@Example.net", 0},
	{"other member", "dev@example.org", "Bob2@Example.net", 0},
	{"other list", "users@example.org", "Bob@Example.net", 0},
	{"other list domain", "dev@example.com", "Bob@Example.net", 0},
	{"member moved into the list field", "Bob@Example.net", "dev@example.org", 0},
};

static void test_tokens(void)
{
	char	tok[TOKEN_SIZE], bad[TOKEN_SIZE];
	unsigned char k[TOKEN_KEY_LEN], k2[TOKEN_KEY_LEN];
	unsigned long before;
	size_t	i;

	tap_int(token_make(key1, sizeof(key1), "dev@example.org", "Bob@Example.net", tok), 0,
		"token_make works");
	tap_int((long long) strlen(tok), TOKEN_LEN, "token has TOKEN_LEN characters");
	tap_ok(strncmp(tok, "1.", 2) == 0, "token starts with version 1.");
	tap_ok(strspn(tok + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789-_") == TOKEN_LEN - 2, "token body is base64url");
	for (i = 0; i < sizeof(tamper_rows) / sizeof(tamper_rows[0]); i++) {
		const struct tamper_row *r = &tamper_rows[i];

		tap_int(token_check(key1, sizeof(key1), r->list, r->member, tok, strlen(tok)),
			r->want, r->what);
	}
	tap_int(token_check(key2, sizeof(key2), "dev@example.org", "Bob@Example.net", tok,
			    TOKEN_LEN), 0, "other key refused");
	for (i = 2; i < TOKEN_LEN; i++) {
		memcpy(bad, tok, TOKEN_SIZE);
		bad[i] ^= 1;		/* one bit of one character */
		if (token_check(key1, sizeof(key1), "dev@example.org", "Bob@Example.net", bad,
				TOKEN_LEN) != 0)
			break;
	}
	tap_ok(i == TOKEN_LEN, "every one-bit change of the MAC refused");
	tap_int(token_check(key1, sizeof(key1), "dev@example.org", "Bob@Example.net", tok,
			    TOKEN_LEN - 1), 0, "truncated token refused");
	memcpy(bad, tok, TOKEN_SIZE);
	bad[0] = '2';
	tap_int(token_check(key1, sizeof(key1), "dev@example.org", "Bob@Example.net", bad,
			    TOKEN_LEN), 0, "unknown version refused");
	tap_int(token_check(key1, sizeof(key1), "dev@example.org", "Bob@Example.net", "", 0),
		0, "empty token refused");
	tap_int(token_make(key1, TOKEN_KEY_MIN - 1, "dev@example.org", "b@x.org", tok), -1,
		"key shorter than TOKEN_KEY_MIN refused");
	before = memcmp_calls;
	token_make(key1, sizeof(key1), "dev@example.org", "Bob@Example.net", tok);
	(void) token_check(key1, sizeof(key1), "dev@example.org", "Bob@Example.net", tok,
			   TOKEN_LEN);
	tap_ok(memcmp_calls == before + 1, "token_check compares with CRYPTO_memcmp "
	       "(%lu calls)", memcmp_calls - before);
	tap_int(token_key_generate(k, sizeof(k)), 0, "token_key_generate works");
	tap_int(token_key_generate(k2, sizeof(k2)), 0, "token_key_generate again");
	tap_ok(memcmp(k, k2, sizeof(k)) != 0, "two generated keys differ");
}

/* ---- keys and an in-memory key table ------------------------------------ */

struct keyset {
	struct dkim_privkey *rsa, *ed;
	struct buf rsa_rec, ed_rec;
};

static struct dkim_privkey *load_key(const char *rel, struct buf *rec)
{
	const char *error;
	struct dkim_privkey *k = dkim_privkey_load_file(tap_srcpath(rel), &error);

	buf_init(rec, 16 * 1024);
	if (k == NULL || dkim_privkey_record(k, rec) < 0) {
		tap_diag("cannot load %s: %s", rel, k == NULL ? error : "record");
		return NULL;
	}
	return k;
}

static enum dns_status lookup(void *ctx, const char *name, struct dns_txt_answer *out,
			      const char **error_r)
{
	const struct keyset *ks = ctx;
	const struct buf *rec = NULL;

	memset(out, 0, sizeof(*out));
	if (strcmp(name, "rsa._domainkey.example.org") == 0)
		rec = &ks->rsa_rec;
	else if (strcmp(name, "ed._domainkey.example.org") == 0)
		rec = &ks->ed_rec;
	if (rec == NULL)
		return DNS_NXDOMAIN;
	if ((out->txt = calloc(1, sizeof(*out->txt))) == NULL
	    || (out->txt[0].data = malloc(rec->len + 1)) == NULL) {
		free(out->txt);
		out->txt = NULL;
		*error_r = "out of memory";
		return DNS_ERROR;
	}
	memcpy(out->txt[0].data, rec->data, rec->len + 1);
	out->txt[0].len = rec->len;
	out->count = 1;
	return DNS_OK;
}

/* ---- posts ------------------------------------------------------------- */

static const char post_crlf[] =
	"Received: from mx.example.net by lists.example.org;\r\n"
	"\tFri, 27 Nov 2026 04:00:00 +0000\r\n"
	"From: Alice <alice@example.net>\r\n"
	"To: dev@example.org\r\n"
	"Subject: [Dev]   a subject  folded\r\n"
	"  over two lines\r\n"
	"Date: Fri, 27 Nov 2026 04:00:00 +0000\r\n"
	"Message-ID: <1@example.net>\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"List-Id: Dev <dev.example.org>\r\n"
	"List-Post: <mailto:dev@example.org>\r\n"
	"List-Unsubscribe: <https://lists.example.org/lists/dev@example.org/unsubscribe>,\r\n"
	" <mailto:dev-leave@example.org>\r\n"
	"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
	"Precedence: list\r\n"
	"X-Loop: dev@example.org\r\n"
	"\r\n"
	"Hello,  list. \r\n"
	"Second line\twith a tab.\r\n"
	"\r\n";

static void base_opts(struct outsign_opts *o, const struct keyset *ks)
{
	static const unsigned char tk[TOKEN_KEY_LEN] = "list secret: 32 octets long....";

	outsign_opts_init(o);
	o->list_local = "dev";
	o->list_domain = "example.org";
	o->personalize = 1;
	o->web_base_url = "https://lists.example.org/";
	o->token_key = tk;
	o->token_key_len = sizeof(tk);
	o->rsa_key = ks->rsa;
	o->rsa_selector = "rsa";
	o->ed_key = ks->ed;
	o->ed_selector = "ed";
	o->timestamp = T_NOW;
	o->arc = 1;
	o->arc_authres = "lists.example.org; dkim=pass header.d=example.net; arc=none";
	o->arc_cv = ARC_CV_NONE;
}

static struct msg *parse(const void *p, size_t len)
{
	struct msg *m;
	const char *error;

	if (msg_parse(&m, p, len, &error) < 0) {
		tap_diag("msg_parse: %s", error);
		return NULL;
	}
	return m;
}

static size_t count_named(const struct msg *m, const char *name)
{
	size_t	n = 0;
	long	at = -1;

	while ((at = msg_find(m, name, (size_t) (at + 1))) >= 0)
		n++;
	return n;
}

/* Number of h= entries equal to name in the DKIM-Signature at index i. */
static size_t h_count(const struct msg *m, long i, const char *name)
{
	const struct msg_field *f = msg_field(m, (size_t) i);
	struct dkim_sig sig;
	const char *error;
	size_t	j, n = 0;

	if (f == NULL || dkim_sig_parse(f->value, f->value_len, &sig, &error) < 0)
		return 0;
	for (j = 0; j < sig.header_count; j++)
		n += strcasecmp(sig.headers[j], name) == 0;
	dkim_sig_free(&sig);
	return n;
}

/* All DKIM signatures pass and the ARC chain (if any) says pass. */
static int verifies(const struct msg *m, struct keyset *ks, int want_sigs, int arc)
{
	struct dkim_verify_opts vo;
	struct dkim_verify_result vr;
	struct arc_result ar;
	size_t	i;
	int	ok;

	dkim_verify_opts_init(&vo, lookup, ks);
	vo.now = (time_t) T_NOW + 10;
	if (dkim_verify(m, &vo, &vr) < 0)
		return 0;
	ok = vr.count == (size_t) want_sigs;
	for (i = 0; i < vr.count; i++)
		if (vr.sigs[i].result != DKIM_PASS) {
			tap_diag("signature %zu: %s %s", i, dkim_result_str(vr.sigs[i].result),
				 vr.sigs[i].reason ? vr.sigs[i].reason : "");
			ok = 0;
		}
	dkim_verify_result_free(&vr);
	if (arc) {
		if (arc_validate(m, &vo, &ar) < 0)
			return 0;
		if (ar.cv != ARC_CV_PASS) {
			tap_diag("arc: %s %s", arc_cv_str(ar.cv), ar.reason ? ar.reason : "");
			ok = 0;
		}
		arc_result_free(&ar);
	}
	return ok;
}

/* The token in out's List-Unsubscribe URL, checked for rcpt. */
static int token_in_field(const struct msg *out, const struct outsign_opts *o,
			  const char *rcpt, const char *encoded)
{
	const struct msg_field *f = msg_field(out, (size_t) msg_find(out, "List-Unsubscribe", 0));
	const char *head = "/lists/dev@example.org/unsubscribe/";
	char	val[1024], want[256];
	char   *p, *q;

	if (f == NULL || f->value_len >= sizeof(val))
		return 0;
	memcpy(val, f->value, f->value_len);
	val[f->value_len] = 0;
	snprintf(want, sizeof(want), "?a=%s>,", encoded);
	if (strstr(val, " <https://lists.example.org/lists/") != val || strstr(val, want) == NULL
	    || strstr(val, "<mailto:dev-leave@example.org>") == NULL)
		return 0;
	if ((p = strstr(val, head)) == NULL || (q = strchr(p, '?')) == NULL)
		return 0;
	p += strlen(head);
	return token_check(o->token_key, o->token_key_len, "dev@example.org", rcpt, p,
			   (size_t) (q - p));
}

/*
 * Every field of in except List-Unsubscribe at the same place in out,
 * after `added` new fields at the top, and the same body.
 */
static int untouched(const struct msg *in, const struct msg *out, size_t added)
{
	size_t	i, inl, outl;
	const unsigned char *ib = msg_body(in, &inl), *ob = msg_body(out, &outl);

	if (msg_field_count(out) != msg_field_count(in) + added)
		return 0;
	for (i = 0; i < msg_field_count(in); i++) {
		const struct msg_field *a = msg_field(in, i), *b = msg_field(out, i + added);

		if (a->name_len == 16 && strncasecmp(a->name, "List-Unsubscribe", 16) == 0)
			continue;
		if (a->raw_len != b->raw_len || memcmp(a->raw, b->raw, a->raw_len) != 0) {
			tap_diag("field %zu differs: %.*s", i, (int) a->raw_len, (const char *) a->raw);
			return 0;
		}
	}
	return inl == outl && memcmp(ib, ob, inl) == 0;
}

/* One recipient through the worker: all the per-recipient checks. */
static void check_recipient(struct outsign_worker *w, const struct outsign_opts *o,
			    struct keyset *ks, const struct msg *in, const char *rcpt,
			    const char *encoded, struct buf *out)
{
	struct msg *m;
	const char *error;
	long	at;

	buf_reset(out);
	if (!tap_int(outsign_finish(w, rcpt, out, &error), 0, "outsign_finish")) {
		tap_diag("%s", error);
		return;
	}
	if ((m = parse(out->data, out->len)) == NULL)
		return;
	tap_int((long long) count_named(m, "List-Unsubscribe"), 1, "one List-Unsubscribe");
	tap_ok(token_in_field(m, o, rcpt, encoded), "%s: own token and address in the URL", rcpt);
	tap_int((long long) count_named(m, "List-Unsubscribe-Post"), 1,
		"one List-Unsubscribe-Post");
	at = msg_find(m, "List-Unsubscribe-Post", 0);
	tap_ok(at >= 0 && msg_field(m, (size_t) at)->value_len == 27
	       && memcmp(msg_field(m, (size_t) at)->value, " List-Unsubscribe=One-Click", 27) == 0,
	       "List-Unsubscribe-Post value");
	tap_int((long long) count_named(m, "DKIM-Signature"), 2, "two DKIM signatures");
	tap_ok(msg_field(m, 0)->name_len == 8 && strncmp(msg_field(m, 0)->name, "ARC-Seal", 8) == 0
	       && msg_find(m, "DKIM-Signature", 0) == 3, "ARC set on top of the DKIM signatures");
	at = msg_find(m, "DKIM-Signature", 0);
	tap_ok(at >= 0 && h_count(m, at, "List-Unsubscribe") == 2
	       && h_count(m, at, "List-Unsubscribe-Post") == 2,
	       "h= signs and over-signs both one-click fields");
	tap_ok(verifies(m, ks, 2, 1), "%s: RSA + Ed25519 pass, ARC cv=pass (lib/dkim, lib/arc)", rcpt);
	tap_ok(untouched(in, m, 5), "every other field and the body byte-identical");
	msg_free(m);
}

/* 300 octets of '%' before "@example.com": 900 once percent-encoded. */
static const char *long_rcpt(void)
{
	static char r[320];

	memset(r, '%', 300);
	memcpy(r + 300, "@example.com", 13);
	return r;
}

static void test_personalized(struct keyset *ks)
{
	struct outsign_opts o;
	struct outsign_post *p;
	struct outsign_worker *w;
	struct msg *in = parse(post_crlf, sizeof(post_crlf) - 1), *m;
	struct buf out, again;
	const char *error;

	base_opts(&o, ks);
	buf_init(&out, 1 << 20);
	buf_init(&again, 1 << 20);
	if (!tap_int(outsign_post_new(in, &o, &p, &error), 0, "outsign_post_new")
	    || !tap_int(outsign_worker_new(p, &w, &error), 0, "outsign_worker_new")) {
		tap_diag("%s", error);
		return;
	}
	check_recipient(w, &o, ks, in, "Bob@Example.NET", "Bob%40Example.NET", &out);
	check_recipient(w, &o, ks, in, "carol+x/y@example.com", "carol%2Bx%2Fy%40example.com", &out);
	check_recipient(w, &o, ks, in, "Bob@Example.NET", "Bob%40Example.NET", &out);
	outsign_finish(w, "Bob@Example.NET", &again, &error);
	tap_mem(again.data, again.len, out.data, out.len, "same recipient, same bytes");
	/* A changed token must break the signatures: they cover it. */
	if ((m = parse(out.data, out.len)) != NULL) {
		const char *s = strstr((const char *) out.data, "/unsubscribe/1.");
		size_t	off = s ? (size_t) (s - (const char *) out.data) + 16 : 0;

		msg_free(m);
		tap_diag("a token changed: the signature failures below are expected");
		out.data[off] = out.data[off] == 'A' ? 'B' : 'A';
		m = parse(out.data, out.len);
		tap_ok(s != NULL && m != NULL && !verifies(m, ks, 2, 0),
		       "changed token: DKIM signatures fail");
		msg_free(m);
	}
	buf_reset(&out);
	tap_int(outsign_finish(w, NULL, &out, &error), -1, "NULL recipient refused when personalized");
	tap_int(outsign_finish(w, "no-at-sign", &out, &error), -1, "recipient without @ refused");
	tap_int(outsign_finish(w, "a b@example.com", &out, &error), -1, "recipient with a space refused");
	tap_int(outsign_finish(w, long_rcpt(), &out, &error), -1,
		"recipient whose URL line would pass 998 octets refused");
	tap_int(outsign_finish(w, "ok@example.com", &out, &error), 0, "worker still usable after errors");
	outsign_worker_free(w);
	outsign_post_free(p);
	msg_free(in);
	buf_free(&out);
	buf_free(&again);
}

static void test_shared(struct keyset *ks)
{
	struct outsign_opts o;
	struct outsign_post *p;
	struct outsign_worker *w;
	struct msg *in = parse(post_crlf, sizeof(post_crlf) - 1), *m;
	struct buf a, b, c;
	const char *error;

	base_opts(&o, ks);
	o.personalize = 0;
	o.web_base_url = NULL;
	o.token_key = NULL;
	buf_init(&a, 1 << 20);
	buf_init(&b, 1 << 20);
	buf_init(&c, 1 << 20);
	if (!tap_int(outsign_post_new(in, &o, &p, &error), 0, "not personalized: post_new")
	    || !tap_int(outsign_worker_new(p, &w, &error), 0, "not personalized: worker_new")) {
		tap_diag("%s", error);
		return;
	}
	outsign_finish(w, "bob@example.net", &a, &error);
	outsign_finish(w, "carol@example.com", &b, &error);
	tap_int(outsign_finish(w, NULL, &c, &error), 0, "NULL recipient accepted");
	tap_mem(a.data, a.len, b.data, b.len, "two recipients, identical bytes");
	tap_mem(a.data, a.len, c.data, c.len, "NULL recipient, identical bytes");
	if ((m = parse(a.data, a.len)) != NULL) {
		const struct msg_field *f = msg_field(m, (size_t) msg_find(m, "List-Unsubscribe", 0));
		const struct msg_field *g = msg_field(in, (size_t) msg_find(in, "List-Unsubscribe", 0));

		tap_ok(f && g && f->raw_len == g->raw_len && memcmp(f->raw, g->raw, f->raw_len) == 0,
		       "List-Unsubscribe is the list-level one, unchanged");
		tap_ok(verifies(m, ks, 2, 1), "shared copy: signatures and ARC pass");
		tap_ok(untouched(in, m, 5), "shared copy: other fields byte-identical");
		tap_ok(strstr((const char *) a.data, "unsubscribe/1.") == NULL, "no token");
		msg_free(m);
	}
	outsign_worker_free(w);
	outsign_post_free(p);
	msg_free(in);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
}

/* A post with LF line ends and without List-Unsubscribe-Post; RSA only. */
static void test_lf_and_missing_post(struct keyset *ks)
{
	static const char post[] =
		"From: Alice <alice@example.net>\n"
		"Subject: hi\n"
		"List-Unsubscribe: <mailto:dev-leave@example.org>\n"
		"X-Other: kept\n"
		"\n"
		"body\n";
	struct outsign_opts o;
	struct outsign_post *p;
	struct outsign_worker *w;
	struct msg *in = parse(post, sizeof(post) - 1), *m;
	struct buf out;
	const char *error;
	long	lu, lup;

	base_opts(&o, ks);
	o.ed_key = NULL;
	o.arc = 0;
	buf_init(&out, 1 << 20);
	if (outsign_post_new(in, &o, &p, &error) < 0 || outsign_worker_new(p, &w, &error) < 0) {
		tap_ok(0, "LF post prepared: %s", error);
		return;
	}
	tap_int(outsign_finish(w, "dave@example.org", &out, &error), 0, "LF post: finish");
	tap_ok(strstr((const char *) out.data, "\r\n") == NULL, "LF post keeps LF line ends");
	if ((m = parse(out.data, out.len)) != NULL) {
		lu = msg_find(m, "List-Unsubscribe", 0);
		lup = msg_find(m, "List-Unsubscribe-Post", 0);
		tap_ok(lu > 0 && lup == lu + 1, "List-Unsubscribe-Post added below List-Unsubscribe");
		tap_int((long long) count_named(m, "DKIM-Signature"), 1, "RSA only: one signature");
		tap_ok(verifies(m, ks, 1, 0), "LF post: signature passes");
		tap_ok(token_in_field(m, &o, "dave@example.org", "dave%40example.org"),
		       "LF post: token in the URL");
		msg_free(m);
	}
	outsign_worker_free(w);
	outsign_post_free(p);
	msg_free(in);
	buf_free(&out);
}

/* ---- threads: one shared post, a worker per thread ---------------------- */

#define T_THREADS	4
#define T_RCPTS		3

static const char *const t_rcpts[T_RCPTS] = {
	"one@example.net", "Two@Example.Org", "three+x@example.com",
};

struct thread_run {
	const struct outsign_post *p;
	int	offset;			/* each thread starts elsewhere */
	struct buf out[T_RCPTS];
	int	failed;
};

static void *thread_main(void *arg)
{
	struct thread_run *t = arg;
	struct outsign_worker *w;
	const char *error;
	int	i;

	if (outsign_worker_new(t->p, &w, &error) < 0) {
		t->failed = 1;
		return NULL;
	}
	for (i = 0; i < T_RCPTS * 4; i++) {
		int	r = (i + t->offset) % T_RCPTS;

		buf_reset(&t->out[r]);
		if (outsign_finish(w, t_rcpts[r], &t->out[r], &error) < 0)
			t->failed = 1;
	}
	outsign_worker_free(w);
	return NULL;
}

/* Threads sharing one post give the bytes one thread gives (signatures
 * are deterministic: RSA PKCS#1 v1.5 and Ed25519). */
static void test_threads(struct keyset *ks)
{
	struct outsign_opts o;
	struct outsign_post *p;
	struct thread_run run[T_THREADS + 1];
	pthread_t tid[T_THREADS];
	struct msg *in = parse(post_crlf, sizeof(post_crlf) - 1);
	const char *error;
	int	i, j, same = 1, failed = 0;

	base_opts(&o, ks);
	if (in == NULL || outsign_post_new(in, &o, &p, &error) < 0) {
		tap_ok(0, "threads: post prepared");
		msg_free(in);
		return;
	}
	memset(run, 0, sizeof(run));
	for (i = 0; i <= T_THREADS; i++) {
		run[i].p = p;
		run[i].offset = i;
		for (j = 0; j < T_RCPTS; j++)
			buf_init(&run[i].out[j], 1 << 20);
	}
	thread_main(&run[T_THREADS]);		/* the reference, this thread */
	for (i = 0; i < T_THREADS; i++)
		if (pthread_create(&tid[i], NULL, thread_main, &run[i]) != 0) {
			run[i].failed = 1;
			tid[i] = pthread_self();	/* marks "not started" */
		}
	for (i = 0; i < T_THREADS; i++) {
		if (!pthread_equal(tid[i], pthread_self()))
			pthread_join(tid[i], NULL);
		failed |= run[i].failed;
		for (j = 0; j < T_RCPTS; j++)
			same &= run[i].out[j].len == run[T_THREADS].out[j].len
			    && memcmp(run[i].out[j].data, run[T_THREADS].out[j].data,
				      run[i].out[j].len) == 0;
	}
	tap_ok(!failed && !run[T_THREADS].failed, "%d threads, one shared post: all finished",
	       T_THREADS);
	tap_ok(same, "threads give byte-identical copies to the single-thread run");
	for (i = 0; i <= T_THREADS; i++)
		for (j = 0; j < T_RCPTS; j++)
			buf_free(&run[i].out[j]);
	outsign_post_free(p);
	msg_free(in);
}

static void test_bad_opts(struct keyset *ks)
{
	struct outsign_opts o;
	struct outsign_post *p = NULL;
	struct msg *in = parse(post_crlf, sizeof(post_crlf) - 1);
	const char *error;

	base_opts(&o, ks);
	o.web_base_url = "http://lists.example.org";
	tap_int(outsign_post_new(in, &o, &p, &error), -1, "http:// base URL refused");
	base_opts(&o, ks);
	o.token_key_len = 8;
	tap_int(outsign_post_new(in, &o, &p, &error), -1, "short token key refused");
	base_opts(&o, ks);
	o.rsa_key = NULL;
	o.ed_key = NULL;
	tap_int(outsign_post_new(in, &o, &p, &error), -1, "no key refused");
	base_opts(&o, ks);
	o.arc_authres = NULL;
	tap_int(outsign_post_new(in, &o, &p, &error), -1, "ARC without AAR payload refused");
	msg_free(in);
}

int main(void)
{
	struct keyset ks;

	test_tokens();
	ks.rsa = load_key("tests/data/dkim/rsa2048.pem", &ks.rsa_rec);
	ks.ed = load_key("tests/data/dkim/ed25519.pem", &ks.ed_rec);
	if (tap_ok(ks.rsa != NULL && ks.ed != NULL, "test keys loaded")) {
		test_personalized(&ks);
		test_shared(&ks);
		test_lf_and_missing_post(&ks);
		test_threads(&ks);
		test_bad_opts(&ks);
	}
	dkim_privkey_free(ks.rsa);
	dkim_privkey_free(ks.ed);
	buf_free(&ks.rsa_rec);
	buf_free(&ks.ed_rec);
	return tap_done();
}
