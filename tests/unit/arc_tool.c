/*
 * NAME
 *	arc_tool 1
 * SUMMARY
 *	validate or seal one message file with lib/arc, keys from a file
 * SYNOPSIS
 *	arc_tool validate MSG RECORDS
 *	arc_tool sign [-s] [-t T] [-H h1:h2:...] [-r SRV-ID | -A AUTHRES]
 *		[-c none|pass|fail] -d DOMAIN -S SELECTOR -k KEY.pem MSG RECORDS
 * DESCRIPTION
 *	The driver of tests/e2e/arc_suite.sh and tests/e2e/arc_seal.sh.
 *	RECORDS holds the DNS TXT records that answer key lookups, one per
 *	line: "NAME<TAB>TEXT"; other names are NXDOMAIN.
 *
 *	validate prints "cv=none|pass|fail", then "reason=..." and
 *	"detail=..." on fail, "oldest-pass=N" when determined, and one line
 *	per instance "i=N ams=d/s:result as=d/s:result cv=...".
 *
 *	sign validates the chain first (unless -c gives the cv), then seals
 *	and writes the message to stdout; exit 0 sealed, 1 not sealed (the
 *	reason on stderr), 2 error.  -s writes tags in the ARC test suite's
 *	sorted form; -t the t= value; -H the AMS h= list; -A the AAR payload,
 *	or -r SRV-ID builds it the test suite's way from the message's
 *	Authentication-Results fields of that authserv-id (their results in
 *	order, joined with ";").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arc/arc.h"
#include "tap.h"

struct rec {
	char   *name;
	char   *text;
};
static struct rec recs[64];
static size_t nrecs;

static int ieq(const char *a, const char *b)
{
	for (; *a != 0 && *b != 0; a++, b++) {
		char	x = *a >= 'A' && *a <= 'Z' ? (char) (*a + 32) : *a;
		char	y = *b >= 'A' && *b <= 'Z' ? (char) (*b + 32) : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

static void load_records(const char *path)
{
	size_t	len;
	char   *data = (char *) tap_read_file(path, &len), *p, *nl, *tab;

	if (data == NULL) {
		fprintf(stderr, "arc_tool: cannot read %s\n", path);
		exit(2);
	}
	for (p = data; *p != 0 && nrecs < sizeof(recs) / sizeof(recs[0]); p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if ((tab = memchr(p, '\t', (size_t) (nl - p))) != NULL) {
			recs[nrecs].name = strndup(p, (size_t) (tab - p));
			recs[nrecs].text = strndup(tab + 1, (size_t) (nl - tab - 1));
			nrecs++;
		}
		if (*nl == 0)
			break;
	}
	free(data);
}

static enum dns_status table_txt(void *ctx, const char *name,
				 struct dns_txt_answer *out, const char **error_r)
{
	size_t	i, n = 0;

	(void) ctx;
	(void) error_r;
	out->txt = NULL;
	out->count = 0;
	for (i = 0; i < nrecs; i++)
		if (ieq(recs[i].name, name))
			n++;
	if (n == 0)
		return DNS_NXDOMAIN;
	out->txt = calloc(n, sizeof(*out->txt));
	for (i = 0; i < nrecs; i++)
		if (ieq(recs[i].name, name)) {
			out->txt[out->count].data = (unsigned char *) strdup(recs[i].text);
			out->txt[out->count].len = strlen(recs[i].text);
			out->count++;
		}
	return DNS_OK;
}

static struct msg *load_msg(const char *path)
{
	size_t	len;
	unsigned char *data = tap_read_file(path, &len);
	struct msg *m;
	const char *err;

	if (data == NULL || msg_parse(&m, data, len, &err) < 0) {
		fprintf(stderr, "arc_tool: %s: %s\n", path,
			data == NULL ? "cannot read" : err);
		exit(2);
	}
	free(data);
	return m;
}

static void validate(struct msg *m, struct dkim_verify_opts *vo,
		     struct arc_result *r)
{
	if (arc_validate(m, vo, r) < 0) {
		fprintf(stderr, "arc_tool: out of memory\n");
		exit(2);
	}
}

static const char *nz(const char *s)
{
	return s != NULL ? s : "-";
}

static int cmd_validate(struct msg *m, struct dkim_verify_opts *vo)
{
	struct arc_result r;
	size_t	i;

	validate(m, vo, &r);
	printf("cv=%s\n", arc_cv_str(r.cv));
	if (r.reason != NULL)
		printf("reason=%s (i=%d)\n", r.reason, r.fail_instance);
	if (r.detail != NULL)
		printf("detail=%s\n", r.detail);
	if (r.oldest_pass >= 0)
		printf("oldest-pass=%d\n", r.oldest_pass);
	for (i = 0; i < r.count; i++) {
		const struct arc_set_result *s = &r.sets[i];

		printf("i=%d ams=%s/%s:%s%s%s as=%s/%s:%s%s%s cv=%s\n", s->instance,
		       nz(s->ams_domain), nz(s->ams_selector),
		       dkim_result_str(s->ams_result), s->ams_reason ? ":" : "",
		       s->ams_reason ? s->ams_reason : "", nz(s->as_domain),
		       nz(s->as_selector), dkim_result_str(s->as_result),
		       s->as_reason ? ":" : "", s->as_reason ? s->as_reason : "",
		       arc_cv_str(s->as_cv));
	}
	arc_result_free(&r);
	return 0;
}

/* The test suite's AR consolidation (SUITE-SCHEMA.md "AR Consolidation"). */
static char *consolidate(const struct msg *m, const char *srv)
{
	struct buf out;
	size_t	i, n = 0;

	buf_init(&out, 1024 * 1024);
	for (i = 0; i < msg_field_count(m); i++) {
		const struct msg_field *f = msg_field(m, i);
		const unsigned char *v, *e, *semi;

		if (f->name == NULL || f->name_len != 22
		    || strncasecmp(f->name, "Authentication-Results", 22) != 0)
			continue;
		v = f->value;
		e = v + f->value_len;
		while (v < e && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
			v++;
		while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'
				 || e[-1] == '\n'))
			e--;
		if ((semi = memchr(v, ';', (size_t) (e - v))) == NULL)
			continue;
		if ((size_t) (semi - v) != strlen(srv)
		    || strncasecmp((const char *) v, srv, strlen(srv)) != 0)
			continue;
		if (n++ > 0) {
			v = semi + 1;
			while (v < e && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
				v++;
			buf_append_str(&out, ";\n\t");
		}
		buf_append(&out, v, (size_t) (e - v));
	}
	if (n == 0)
		buf_printf(&out, "%s; none", srv);
	return buf_detach(&out, NULL);
}

int main(int argc, char **argv)
{
	struct dkim_verify_opts vo;
	struct arc_seal_opts so;
	struct dkim_privkey *key = NULL;
	const char *cmd, *err, *keyfile = NULL, *srv = NULL, *hlist = NULL;
	const char *cvs = NULL;
	char   *authres = NULL, *hcopy = NULL;
	const char *names[128];
	struct msg *m;
	struct buf out;
	int	c, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: arc_tool validate|sign ...\n");
		return 2;
	}
	cmd = argv[1];
	arc_seal_opts_init(&so);
	optind = 2;
	while ((c = getopt(argc, argv, "st:H:r:A:c:d:S:k:")) != -1) {
		switch (c) {
		case 's': so.sorted_tags = 1; break;
		case 't': so.timestamp = strtoll(optarg, NULL, 10); break;
		case 'H': hlist = optarg; break;
		case 'r': srv = optarg; break;
		case 'A': authres = strdup(optarg); break;
		case 'c': cvs = optarg; break;
		case 'd': so.domain = optarg; break;
		case 'S': so.selector = optarg; break;
		case 'k': keyfile = optarg; break;
		default: return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "arc_tool: need MSG RECORDS\n");
		return 2;
	}
	load_records(argv[optind + 1]);
	m = load_msg(argv[optind]);
	dkim_verify_opts_init(&vo, table_txt, NULL);
	if (strcmp(cmd, "validate") == 0) {
		rc = cmd_validate(m, &vo);
		goto done;
	}
	if (strcmp(cmd, "sign") != 0 || keyfile == NULL
	    || (key = dkim_privkey_load_file(keyfile, &err)) == NULL) {
		fprintf(stderr, "arc_tool: bad command or key\n");
		return 2;
	}
	so.key = key;
	if (cvs != NULL)
		so.cv = strcmp(cvs, "pass") == 0 ? ARC_CV_PASS
			: strcmp(cvs, "fail") == 0 ? ARC_CV_FAIL : ARC_CV_NONE;
	else {
		struct arc_result r;

		validate(m, &vo, &r);
		so.cv = r.cv;
		arc_result_free(&r);
	}
	if (authres == NULL)
		authres = consolidate(m, srv != NULL ? srv : "localhost");
	so.authres = authres;
	if (hlist != NULL) {
		size_t	n = 0;
		char   *p;

		hcopy = strdup(hlist);
		for (p = hcopy; p != NULL && n + 1 < sizeof(names) / sizeof(names[0]);) {
			names[n++] = p;
			if ((p = strchr(p, ':')) != NULL)
				*p++ = 0;
		}
		names[n] = NULL;
		so.headers = names;
	}
	rc = arc_seal(m, &so, &err);
	if (rc != 0) {
		fprintf(stderr, "arc_tool: %s: %s\n", rc > 0 ? "not sealed" : "error", err);
		rc = rc > 0 ? 1 : 2;
		goto done;
	}
	buf_init(&out, 64 * 1024 * 1024);
	msg_serialize(m, &out);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
done:
	free(authres);
	free(hcopy);
	dkim_privkey_free(key);
	msg_free(m);
	while (nrecs > 0) {
		nrecs--;
		free(recs[nrecs].name);
		free(recs[nrecs].text);
	}
	return rc;
}
