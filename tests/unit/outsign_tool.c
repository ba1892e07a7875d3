/*
 * NAME
 *	outsign_tool 1
 * SUMMARY
 *	finish a post for N recipients with src/outsign.c, for the oracles
 * SYNOPSIS
 *	outsign_tool [-n] [-t TIME] -l LIST@DOMAIN [-b BASE_URL] [-K SECRET]
 *		[-r RSA.pem -R SEL] [-e ED.pem -E SEL]
 *		[-a ARC.pem -A SEL -y AAR-PAYLOAD] POST OUTDIR RCPT...
 * DESCRIPTION
 *	Prepares POST once (outsign_post_new), makes one worker and writes
 *	OUTDIR/1.eml, OUTDIR/2.eml, ... one per RCPT, as they would be sent.
 *	-n turns personalization off (the same bytes for every RCPT).  -K is
 *	the token secret (default a fixed test string).  Prints one line per
 *	recipient: "FILE<TAB>RCPT<TAB>TOKEN" (TOKEN "-" without
 *	personalization), so that the caller can check tokens.  Exit 0, or 1
 *	with a reason on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outsign.h"
#include "tap.h"
#include "token.h"

struct tool {
	struct outsign_opts o;
	char   *list_local;
	struct dkim_privkey *rsa, *ed, *arc;
	const char *secret;
};

static struct dkim_privkey *key(const char *path)
{
	const char *error;
	struct dkim_privkey *k = dkim_privkey_load_file(path, &error);

	if (k == NULL)
		fprintf(stderr, "outsign_tool: %s: %s\n", path, error);
	return k;
}

/* Parse the options into t; the index of the first operand, or -1. */
static int options(struct tool *t, int argc, char **argv)
{
	char   *end, *at;
	int	c;

	outsign_opts_init(&t->o);
	t->o.personalize = 1;
	t->secret = "outsign_tool test secret, 32 oc";
	while ((c = getopt(argc, argv, "nt:l:b:K:r:R:e:E:a:A:y:")) != -1) {
		switch (c) {
		case 'n': t->o.personalize = 0; break;
		case 't':
			errno = 0;
			t->o.timestamp = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != 0)
				return -1;
			break;
		case 'l':
			if ((at = strchr(optarg, '@')) == NULL)
				return -1;
			t->list_local = strndup(optarg, (size_t) (at - optarg));
			t->o.list_local = t->list_local;
			t->o.list_domain = at + 1;
			break;
		case 'b': t->o.web_base_url = optarg; break;
		case 'K': t->secret = optarg; break;
		case 'r': if ((t->rsa = key(optarg)) == NULL) return -1; break;
		case 'R': t->o.rsa_selector = optarg; break;
		case 'e': if ((t->ed = key(optarg)) == NULL) return -1; break;
		case 'E': t->o.ed_selector = optarg; break;
		case 'a': if ((t->arc = key(optarg)) == NULL) return -1; break;
		case 'A': t->o.arc_selector = optarg; break;
		case 'y': t->o.arc_authres = optarg; t->o.arc = 1; break;
		default: return -1;
		}
	}
	t->o.rsa_key = t->rsa;
	t->o.ed_key = t->ed;
	t->o.arc_key = t->arc;
	t->o.token_key = (const unsigned char *) t->secret;
	t->o.token_key_len = strlen(t->secret);
	return argc - optind >= 3 ? optind : -1;
}

static int write_file(const char *path, const struct buf *b)
{
	FILE   *f = fopen(path, "wb");
	int	r;

	if (f == NULL)
		return -1;
	r = fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
	return fclose(f) == 0 ? r : -1;
}

/* "LIST@DOMAIN" as tokens are bound to it. */
static const char *p_list(const struct tool *t, struct buf *b)
{
	buf_reset(b);
	(void) buf_printf(b, "%s@%s", t->o.list_local, t->o.list_domain);
	return buf_str(b);
}

/* Finish the post for argv[first..argc) into dir. */
static int run(struct tool *t, struct msg *m, const char *dir, char **rcpts, int n)
{
	struct outsign_post *p = NULL;
	struct outsign_worker *w = NULL;
	struct buf out, path;
	const char *error = NULL;
	char	tok[TOKEN_SIZE];
	struct buf list;
	int	i, r = 0;

	buf_init(&out, 64 << 20);
	buf_init(&path, 4096);
	buf_init(&list, 4096);
	if (outsign_post_new(m, &t->o, &p, &error) < 0 || outsign_worker_new(p, &w, &error) < 0)
		r = -1;
	for (i = 0; r == 0 && i < n; i++) {
		buf_reset(&out);
		buf_reset(&path);
		buf_printf(&path, "%s/%d.eml", dir, i + 1);
		if (outsign_finish(w, rcpts[i], &out, &error) < 0 || write_file(buf_str(&path), &out) < 0) {
			r = -1;
			break;
		}
		memcpy(tok, "-", 2);
		if (t->o.personalize && token_make(t->o.token_key, t->o.token_key_len,
						   p_list(t, &list), rcpts[i], tok) < 0)
			memcpy(tok, "?", 2);
		printf("%s\t%s\t%s\n", buf_str(&path), rcpts[i], tok);
	}
	if (r < 0)
		fprintf(stderr, "outsign_tool: %s\n", error ? error : "cannot write");
	outsign_worker_free(w);
	outsign_post_free(p);
	buf_free(&out);
	buf_free(&path);
	buf_free(&list);
	return r;
}

int main(int argc, char **argv)
{
	struct tool t;
	struct msg *m = NULL;
	unsigned char *data;
	size_t	len;
	const char *error;
	int	first, r = 1;

	memset(&t, 0, sizeof(t));
	if ((first = options(&t, argc, argv)) < 0 || t.o.list_local == NULL) {
		fprintf(stderr, "usage: outsign_tool [-n] [-t TIME] -l LIST@DOMAIN [-b URL] [-K SECRET]"
			" [-r RSA.pem -R SEL] [-e ED.pem -E SEL] [-a ARC.pem -A SEL -y AAR]"
			" POST OUTDIR RCPT...\n");
	} else if ((data = tap_read_file(argv[first], &len)) == NULL) {
		fprintf(stderr, "outsign_tool: cannot read %s\n", argv[first]);
	} else {
		if (msg_parse(&m, data, len, &error) < 0)
			fprintf(stderr, "outsign_tool: %s: %s\n", argv[first], error);
		else if (run(&t, m, argv[first + 1], argv + first + 2, argc - first - 2) == 0)
			r = 0;
		free(data);
	}
	msg_free(m);
	dkim_privkey_free(t.rsa);
	dkim_privkey_free(t.ed);
	dkim_privkey_free(t.arc);
	free(t.list_local);
	return r;
}
