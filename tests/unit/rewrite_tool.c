/*
 * NAME
 *	rewrite_tool 1
 * SUMMARY
 *	run rewrite_post() on one message file, settings from flags
 * SYNOPSIS
 *	rewrite_tool [-l LIST@DOMAIN] [-n REAL_NAME] [-D DESCRIPTION]
 *		[-w WEB_BASE_URL] [-p SUBJECT_PREFIX] [-H MSG_HEADER]
 *		[-f MSG_FOOTER] [-P none|quarantine|reject|unset]
 *		[-a AUTHOR_DOMAIN] [-o ORG_DOMAIN] [-s] [-F FROM_IS_LIST]
 *		[-M DMARC_MODERATION_ACTION] [-R REMOVE_DKIM_HEADERS]
 *		[-r REPLY_GOES_TO_LIST] [-t REPLY_TO_ADDRESS] [-S] [-K]
 *		[-A AUTHRES_FIELD] [-i AUTHSERV_ID] [-T NOW] MSG [RECORDS]
 * DESCRIPTION
 *	The driver of tests/e2e/rewrite_dkim.sh.  Writes the rewritten
 *	message to stdout and one line to stderr:
 *	"action=keep|munge|wrap kept=0|1 removed=N prefix=0|1 footer=0|1
 *	wrapped=0|1 note=...".  The keep check runs with key records from
 *	RECORDS ("NAME<TAB>TEXT" lines; other names are NXDOMAIN) unless -K
 *	is given or RECORDS is absent.  -s makes adkim strict, -S sets
 *	first_strip_reply_to.  Exit 0 rewritten, 2 error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "rewrite.h"
#include "sealist_limits.h"
#include "tap.h"

struct rec {
	char   *name, *text;
};
static struct rec recs[64];
static size_t nrecs;

static void load_records(const char *path)
{
	size_t	len;
	char   *data = (char *) tap_read_file(path, &len), *p, *nl, *tab;

	if (data == NULL) {
		fprintf(stderr, "rewrite_tool: cannot read %s\n", path);
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

static enum dns_status table_txt(void *ctx, const char *name, struct dns_txt_answer *out,
				 const char **error_r)
{
	size_t	i;

	(void) ctx;
	(void) error_r;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < nrecs; i++)
		if (strcasecmp(recs[i].name, name) == 0) {
			out->txt = calloc(1, sizeof(*out->txt));
			out->txt[0].data = (unsigned char *) strdup(recs[i].text);
			out->txt[0].len = strlen(recs[i].text);
			out->count = 1;
			return DNS_OK;
		}
	return DNS_NXDOMAIN;
}

static enum dmarc_policy policy(const char *s)
{
	return strcmp(s, "none") == 0 ? DMARC_POLICY_NONE
		: strcmp(s, "quarantine") == 0 ? DMARC_POLICY_QUARANTINE
		: strcmp(s, "reject") == 0 ? DMARC_POLICY_REJECT : DMARC_POLICY_UNSET;
}

static int num(const char *s)
{
	char   *end;
	long	v = strtol(s, &end, 10);

	if (*s == 0 || *end != 0 || v < 0 || v > 1000000000000L) {
		fprintf(stderr, "rewrite_tool: bad number %s\n", s);
		exit(2);
	}
	return (int) v;
}

static void set_list(struct rewrite_list *l, char *addr)
{
	char   *at = strchr(addr, '@');

	if (at == NULL) {
		fprintf(stderr, "rewrite_tool: -l wants LIST@DOMAIN\n");
		exit(2);
	}
	*at = 0;
	l->local_part = addr;
	l->domain = at + 1;
}

static const char *const actions[] = { "keep", "munge", "wrap", "reject", "discard" };

int main(int argc, char **argv)
{
	struct rewrite_list l = { "dev", "example.org", "Dev", "", '+', "", NULL };
	struct rewrite_settings s = { "", "", "", 0, 1, 1, 0, "", 1, 2, 0, "", 0, 1, 1 };
	struct rewrite_author a = { NULL, NULL, DMARC_POLICY_UNSET, 0, 0, 0 };
	struct rewrite_result res;
	struct dkim_verify_opts vo;
	const char *authres = NULL, *srvid = NULL, *err;
	long long now = -1;
	int	c, nokeep = 0;
	size_t	len;
	unsigned char *data;
	struct msg *m;
	struct buf out;

	while ((c = getopt(argc, argv, "l:n:D:w:p:H:f:P:a:o:sF:M:R:r:t:SKA:i:T:")) != -1) {
		switch (c) {
		case 'l': set_list(&l, optarg); break;
		case 'n': l.real_name = optarg; break;
		case 'D': l.description = optarg; break;
		case 'w': l.web_base_url = optarg; break;
		case 'p': s.subject_prefix = optarg; break;
		case 'H': s.msg_header = optarg; break;
		case 'f': s.msg_footer = optarg; break;
		case 'P': a.policy = policy(optarg); break;
		case 'a': a.domain = optarg; break;
		case 'o': a.org_domain = optarg; break;
		case 's': a.adkim_strict = 1; break;
		case 'F': s.from_is_list = num(optarg); break;
		case 'M': s.dmarc_moderation_action = num(optarg); break;
		case 'R': s.remove_dkim_headers = num(optarg); break;
		case 'r': s.reply_goes_to_list = num(optarg); break;
		case 't': s.reply_to_address = optarg; break;
		case 'S': s.first_strip_reply_to = 1; break;
		case 'K': nokeep = 1; break;
		case 'A': authres = optarg; break;
		case 'i': srvid = optarg; break;
		case 'T': now = num(optarg); break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: rewrite_tool [options] MSG [RECORDS]\n");
		return 2;
	}
	if ((data = tap_read_file(argv[optind], &len)) == NULL
	    || msg_parse(&m, data, len, &err) < 0) {
		fprintf(stderr, "rewrite_tool: %s: %s\n", argv[optind], data ? err : "cannot read");
		return 2;
	}
	free(data);
	if (optind + 1 < argc)
		load_records(argv[optind + 1]);
	else
		nokeep = 1;
	dkim_verify_opts_init(&vo, table_txt, NULL);
	if (now >= 0)
		vo.now = (time_t) now;
	if (rewrite_post(&m, &l, &s, &a, rewrite_from_action(&s, &a), nokeep ? NULL : &vo,
			 authres, srvid, &res, &err) < 0) {
		fprintf(stderr, "rewrite_tool: %s\n", err);
		msg_free(m);
		return 2;
	}
	fprintf(stderr, "action=%s kept=%d removed=%zu prefix=%d footer=%d wrapped=%d note=%s\n",
		actions[res.from_action], res.kept_signature, res.dkim_removed, res.prefix_added,
		res.footer_added, res.wrapped, res.note != NULL ? res.note : "-");
	buf_init(&out, LIMIT_MESSAGE_SIZE);
	(void) msg_serialize(m, &out);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	msg_free(m);
	return 0;
}
