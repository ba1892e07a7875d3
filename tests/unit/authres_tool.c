/*
 * NAME
 *	authres_tool 1
 * SUMMARY
 *	write and read Authentication-Results fields for tests/e2e/authres.sh
 * SYNOPSIS
 *	authres_tool gen
 *	authres_tool parse < FIELDS
 * DESCRIPTION
 *	"gen" writes one JSON object per line for each built-in case: the
 *	generated field ("field", folded with CRLF TAB) and what went into it
 *	(authserv_id, results with method, result, reason and props as
 *	[ptype, property, value]).  The oracle parses "field" with
 *	python3-authres and compares.
 *
 *	"parse" reads NUL-separated whole fields ("Name: value") from stdin
 *	and writes one JSON line each: what authres_parse() made of the value,
 *	or {"error": "..."}.
 *
 *	Exit status 0, or 1 when a case could not be built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authres/authres.h"
#include "buf/buf.h"

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_authres(const struct authres *ar)
{
	size_t	i, j;

	printf("\"authserv_id\": ");
	json_str(ar->authserv_id);
	printf(", \"version\": %u, \"results\": [", ar->version);
	for (i = 0; i < ar->nresults; i++) {
		const struct authres_result *r = &ar->results[i];

		printf("%s{\"method\": ", i ? ", " : "");
		json_str(r->method);
		printf(", \"version\": %u, \"result\": ", r->method_version);
		json_str(r->result);
		printf(", \"reason\": ");
		if (r->reason)
			json_str(r->reason);
		else
			printf("null");
		printf(", \"props\": [");
		for (j = 0; j < r->nprops; j++) {
			printf("%s[", j ? ", " : "");
			json_str(r->props[j].ptype);
			printf(", ");
			json_str(r->props[j].property);
			printf(", ");
			json_str(r->props[j].value);
			printf("]");
		}
		printf("]}");
	}
	printf("]");
}

/* One generic result: method, result, reason, then up to 4 props. */
struct gen_result {
	const char *method, *result, *reason, *comment;
	const char *props[4][3];
};

struct gen_case {
	const char *id;
	struct gen_result r[3];
};

static const struct gen_case cases[] = {
	{ "example.org", { { NULL } } },
	{ "example.com", { { "spf", "pass", NULL, NULL,
		{ { "smtp", "mailfrom", "example.net" } } } } },
	{ "example.com", { { "spf", "softfail", NULL, NULL,
		{ { "smtp", "mailfrom", "user@example.net" },
		  { "smtp", "helo", "mail.example.net" } } } } },
	{ "mx.example.com", { { "dkim", "pass", "good signature", NULL,
		{ { "header", "d", "example.com" }, { "header", "s", "sel1" },
		  { "header", "b", "AbCd/+9=" } } },
		{ "dkim", "fail", "bad; \"body\" hash \\ x", NULL,
		{ { "header", "i", "@mail.example.com" } } } } },
	{ "example.com", { { "dmarc", "pass", NULL, "p=reject dis=none",
		{ { "header", "from", "example.com" },
		  { "policy", "dmarc", "reject" } } } } },
	{ "example.com", { { "dmarc", "fail", NULL, "p=quarantine dis=quarantine",
		{ { "header", "from", "evil.example" } } } } },
	{ "example.com", { { "arc", "pass", NULL, NULL,
		{ { "smtp", "remote-ip", "192.0.2.1" },
		  { "header", "oldest-pass", "0" } } } } },
	{ "example.com", { { "arc", "fail", "chain broken at i=2", NULL,
		{ { "smtp", "remote-ip", "2001:db8::1" } } } } },
	{ "example.com", { { "dkim-adsp", "discard", NULL, NULL,
		{ { "header", "from", "user@example.org" } } } } },
	{ "example.com", { { "dkim-adsp", "nxdomain", NULL, NULL,
		{ { "header", "from", "x.invalid" } } } } },
	{ "example.com", { { "auth", "pass", NULL, "cram-md5",
		{ { "smtp", "auth", "sender@example.net" } } } } },
	{ "example.com", { { "iprev", "pass", NULL, NULL,
		{ { "policy", "iprev", "192.0.2.200" } } } } },
	{ "\"quoted id\"", { { "spf", "none", NULL, NULL, { { NULL } } } } },
	{ "lists.example.org", {
		{ "dkim", "pass", NULL, NULL,
		  { { "header", "d", "a-very-long-domain-name.example.com" },
		    { "header", "s", "selector-2024-01" },
		    { "header", "i", "@a-very-long-domain-name.example.com" },
		    { "header", "b", "Xy1+/abcdEFGHijk" } } },
		{ "spf", "pass", NULL, NULL,
		  { { "smtp", "mailfrom", "bounces+1234@lists.example.net" },
		    { "smtp", "helo", "mx01.lists.example.net" } } },
		{ "dmarc", "pass", NULL, "p=none dis=none",
		  { { "header", "from", "a-very-long-domain-name.example.com" },
		    { "policy", "dmarc", "none" } } } } },
	{ "example.com", { { "dkim", "neutral",
		"line one\r\nX-Injected: yes; spf=pass", NULL,
		{ { "header", "d", "example.com" } } } } },
	{ "example.com", { { "dkim", "permerror", "a; b; c", NULL,
		{ { "header", "d", "x;spf=pass" } } } } },
	{ "example.com", { { "spf", "fail", NULL, NULL,
		{ { "smtp", "mailfrom", "\"odd local\"@example.net" } } } } },
	{ "example.com", { { "spf", "pass", NULL, NULL,
		{ { "smtp", "mailfrom", "a(b)c@example.net" } } } } },
	{ "example.com", { { "dkim", "temperror", "key \"lookup\" timed out",
		NULL, { { "header", "d", "example.com" },
			{ "header", "s", "s(1)" } } } } },
	{ "example.com", { { "dkim", "policy", NULL, NULL,
		{ { "header", "d", "example.com" },
		  { "policy", "dkim-rules", "unsigned-subject" } } } } },
	{ "example.com", { { "spf", "temperror", "", NULL,
		{ { "smtp", "mailfrom", "" } } } } },
	{ "example.com", { { "dmarc", "permerror", NULL, NULL,
		{ { "header", "from", "exa mple.com" } } } } },
	{ "example.com", { { "spf", "permerror", "too many DNS lookups (>10)",
		NULL, { { "smtp", "mailfrom", "user@example.com" } } } } },
	{ "example.com", { { "x-custom", "ok", NULL, "(nested) comment \\",
		{ { "policy", "x-prop", "v=1/2" } } } } },
	{ "example.com", { { "dkim", "pass", "tab\there", NULL,
		{ { "header", "d", "example.com" } } },
		{ "dkim", "none", NULL, NULL, { { NULL } } } } },
	{ "example.com", { { "spf", "neutral", NULL, NULL,
		{ { "smtp", "helo", "[192.0.2.1]" } } } } },
	{ "example.com", { { "dmarc", "temperror", NULL, NULL,
		{ { "header", "from", "example.com." } } } } },
	{ "example.com", { { "dkim", "pass", NULL, NULL,
		{ { "header", "d", "xn--bcher-kva.example" },
		  { "header", "a", "ed25519-sha256" } } } } },
	{ "example.com", { { "spf", "policy", "local rule", NULL,
		{ { "smtp", "mailfrom", "=?utf-8?q?x?=@example.com" } } } } },
	{ "example.com", { { "arc", "none", NULL, NULL, { { NULL } } } } },
	{ "example.com", { { "dkim", "fail", "the signature did not verify because"
		" the body hash in bh= does not match the body as received by us",
		"a comment long enough to be folded in the middle as well, which"
		" is allowed", { { "header", "d", "example.com" } } } } },
};

static int gen(void)
{
	struct buf out;
	size_t	c, i, j;
	int	status = 0;

	buf_init(&out, 1024 * 1024);
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const char *id = cases[c].id;
		char	unq[256];
		struct authres *ar;
		const char *error = NULL;

		/* A leading '"' in the table means "an id with a space". */
		if (id[0] == '"') {
			snprintf(unq, sizeof(unq), "%.*s", (int) strlen(id) - 2,
				 id + 1);
			id = unq;
		}
		if ((ar = authres_new(id, &error)) == NULL) {
			fprintf(stderr, "case %zu: %s\n", c, error);
			status = 1;
			continue;
		}
		for (i = 0; i < 3 && cases[c].r[i].method != NULL; i++) {
			const struct gen_result *g = &cases[c].r[i];

			if (authres_add(ar, g->method, g->result, g->reason,
					&error) < 0
			    || (g->comment != NULL
				&& authres_set_comment(ar, g->comment,
						       &error) < 0))
				break;
			for (j = 0; j < 4 && g->props[j][0] != NULL; j++)
				if (authres_add_prop(ar, g->props[j][0],
						     g->props[j][1],
						     g->props[j][2],
						     &error) < 0)
					break;
		}
		buf_reset(&out);
		if (error != NULL || authres_format_field(ar, &out) < 0) {
			fprintf(stderr, "case %zu: %s\n", c,
				error ? error : "format");
			status = 1;
			authres_free(ar);
			continue;
		}
		printf("{\"field\": ");
		json_str(buf_str(&out));
		printf(", ");
		json_authres(ar);
		printf("}\n");
		authres_free(ar);
	}
	buf_free(&out);
	return status;
}

static int parse(void)
{
	struct buf in;
	size_t	start = 0, i;
	char	chunk[4096];
	size_t	n;

	buf_init(&in, 16 * 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (buf_append(&in, chunk, n) < 0)
			return 1;
	for (i = 0; i <= in.len; i++) {
		const char *colon;
		struct authres *ar;
		const char *error;

		if (i < in.len && in.data[i] != 0)
			continue;
		if (i > start) {
			const char *f = (const char *) in.data + start;

			colon = memchr(f, ':', i - start);
			if (colon == NULL) {
				printf("{\"error\": \"no colon\"}\n");
			} else if (authres_parse(colon + 1,
						 (size_t) (f + (i - start)
							   - colon - 1),
						 &ar, &error) < 0) {
				printf("{\"error\": ");
				json_str(error);
				printf("}\n");
			} else {
				printf("{");
				json_authres(ar);
				printf("}\n");
				authres_free(ar);
			}
		}
		start = i + 1;
	}
	buf_free(&in);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "gen") == 0)
		return gen();
	if (argc == 2 && strcmp(argv[1], "parse") == 0)
		return parse();
	fprintf(stderr, "usage: authres_tool gen | parse < FIELDS\n");
	return 2;
}
