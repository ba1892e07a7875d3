/*
 * test_notice -- notices: the template an admin overrides per list or per
 * domain wins over the shipped one, a bad override is caught by the
 * start-up check, and the body goes out as 7bit when it is plain ASCII
 * and as quoted-printable otherwise, decoding back to the exact text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf/buf.h"
#include "mime/mime.h"
#include "notice.h"
#include "tap.h"
#include "template.h"

static char dir[] = "/tmp/test_notice.XXXXXX";

static void put(const char *rel, const char *text)
{
	char	path[512];
	FILE   *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if ((fp = fopen(path, "w")) == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

static void mkdirs(const char *rel)
{
	char	path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	mkdir(path, 0700);
}

/* The Subject a rendering of held-poster gives for list. */
static void subject_for(const char *list, const char *want, const char *what)
{
	const char *vars[] = { "list", "dev", "subject", "s", "reason", "r", NULL };
	struct buf body;
	char   *subject = NULL;
	const char *error;

	buf_init(&body, 65536);
	if (template_render_for(dir, list, "held-poster", vars, &subject, &body, &error) < 0)
		tap_diag("%s", error);
	tap_str(subject ? subject : "", want, what);
	free(subject);
	buf_free(&body);
}

static void test_overrides(void)
{
	const char *error;

	put("held-poster.txt", "Subject: shipped\n\nbody {{list}}\n");
	mkdirs("lists");
	mkdirs("lists/dev@example.org");
	mkdirs("domains");
	mkdirs("domains/example.org");
	put("lists/dev@example.org/held-poster.txt", "Subject: for dev\n\nours {{reason}}\n");
	put("domains/example.org/held-poster.txt", "Subject: for example.org\n\n{{subject}}\n");
	subject_for("dev@example.org", "for dev", "the list's own copy wins");
	subject_for("ops@example.org", "for example.org", "then the domain's");
	subject_for("dev@example.net", "shipped", "then the shipped one");
	subject_for(NULL, "shipped", "no list: the shipped one");
	subject_for("../../etc@example.org", "shipped",
		    "a list name with '/' never names a directory (nor its domain's)");
	{
		char	cmd[1200];

		/* the check wants every shipped notice; keep our held-poster */
		snprintf(cmd, sizeof(cmd), "cp '%s'/*.txt '%s'/ && cp '%s/held-poster.txt' '%s/'",
			 tap_srcpath("templates"), dir, tap_srcpath("templates"), dir);
		if (system(cmd) != 0)
			tap_diag("cannot copy the shipped templates");
		put("domains/example.org/held-poster.txt", "Subject: for example.org\n\n{{subject}}\n");
		tap_int(template_check_all(dir, &error), 0, "the shipped and overridden ones pass");
	}
	put("lists/dev@example.org/no-such-notice.txt", "Subject: x\n\ny\n");
	tap_int(template_check_all(dir, &error), -1, "an override that is no notice is refused");
	tap_ok(error != NULL && strstr(error, "no-such-notice.txt: not a notice") != NULL,
	       "naming the file (%s)", error ? error : "");
	{
		char	path[512];

		snprintf(path, sizeof(path), "%s/lists/dev@example.org/no-such-notice.txt", dir);
		unlink(path);
	}
	put("domains/example.org/held-poster.txt", "Subject: x\n\n{{nosuchvar}}\n");
	tap_int(template_check_all(dir, &error), -1,
		"an override using an unknown variable is refused at start-up");
}

/* Build held-poster with body text, return the message in out. */
static void build(const char *body_text, struct buf *out)
{
	const char *vars[] = { "list", "dev", "subject", "s", "reason", "r", NULL };
	struct notice n;
	const char *error;
	char	text[8192];

	snprintf(text, sizeof(text), "Subject: Caf\xc3\xa9 {{list}}\n\n%s", body_text);
	put("lists/dev@example.org/held-poster.txt", text);
	memset(&n, 0, sizeof(n));
	n.templates_dir = dir;
	n.template = "held-poster";
	n.list = "dev@example.org";
	n.vars = vars;
	n.from = "dev-owner@example.org";
	n.to = "a@example.net";
	n.now = 1795000000;
	buf_reset(out);
	if (notice_build(&n, out, &error) < 0)
		tap_diag("notice_build: %s", error);
}

/* The body after the blank line. */
static const char *body_of(const struct buf *m)
{
	const char *p = strstr(buf_str(m), "\r\n\r\n");

	return p ? p + 4 : "";
}

static int lines_at_most(const char *p, size_t max)
{
	while (*p) {
		const char *e = strstr(p, "\r\n");
		size_t	n = e ? (size_t) (e - p) : strlen(p);

		if (n > max)
			return 0;
		p += n + (e ? 2 : 0);
	}
	return 1;
}

static void test_encoding(void)
{
	static const char utf8[] =
		"Bonjour, votre message \xc3\xa0 la liste est en attente = mod\xc3\xa9ration.\n"
		"Une tr\xc3\xa8s longue ligne qui d\xc3\xa9passe largement les soixante-seize "
		"caract\xc3\xa8res autoris\xc3\xa9s par ligne en quoted-printable, vraiment.\n"
		"trailing blank \n";
	struct buf m, decoded;

	buf_init(&m, 1 << 20);
	buf_init(&decoded, 1 << 20);
	build("plain ascii line\nanother\n", &m);
	tap_ok(strstr(buf_str(&m), "Content-Transfer-Encoding: 7bit\r\n") != NULL,
	       "plain ASCII goes out 7bit");
	tap_str(body_of(&m), "plain ascii line\r\nanother\r\n", "with CRLF line ends, as written");
	tap_ok(strstr(buf_str(&m), "Subject: =?utf-8?") != NULL, "a UTF-8 Subject is RFC 2047");
	build(utf8, &m);
	tap_ok(strstr(buf_str(&m), "Content-Transfer-Encoding: quoted-printable\r\n") != NULL,
	       "UTF-8 text goes out quoted-printable");
	tap_ok(lines_at_most(body_of(&m), 76), "in lines of at most 76 octets");
	tap_ok(strstr(body_of(&m), "blank=20\r\n") != NULL, "a blank at a line's end is encoded");
	tap_ok(strstr(body_of(&m), "=3D") != NULL, "'=' is encoded");
	mime_decode(MIME_CTE_QP, body_of(&m), strlen(body_of(&m)), &decoded);
	{
		struct buf want;
		size_t	i;

		buf_init(&want, 1 << 20);
		for (i = 0; utf8[i]; i++) {
			if (utf8[i] == '\n')
				buf_append_byte(&want, '\r');
			buf_append_byte(&want, utf8[i]);
		}
		tap_mem(decoded.data, decoded.len, want.data, want.len,
			"and decodes back to the exact text (lib/mime)");
		buf_free(&want);
	}
	buf_free(&m);
	buf_free(&decoded);
}

int main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_overrides();
	test_encoding();
	{
		char	cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", dir);
	}
	return tap_done();
}
