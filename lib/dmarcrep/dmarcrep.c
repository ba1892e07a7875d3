/*
 * NAME
 *	dmarcrep 3
 * SUMMARY
 *	DMARC aggregate reports: unpack and parse safely
 * DESCRIPTION
 *	Unpacking: the format is found by the first bytes (gzip magic,
 *	a zip local file header, or XML text), decompressed with libarchive
 *	into a capped buf, the cap checked on every chunk, so a bomb costs
 *	at most LIMIT_DMARCREP_XML octets and the time to inflate them.
 *
 *	Parsing: a DOCTYPE is refused before anything is built, twice over:
 *	by a scan of the bytes for "<!DOCTYPE" and by the SAX internalSubset
 *	callback, which stops the parser (so a UTF-16 document cannot slip a
 *	DOCTYPE past the scan).  With no DOCTYPE there are no entity
 *	declarations, so no expansion and no external entity can happen;
 *	XML_PARSE_NOENT, DTDLOAD, DTDVALID and HUGE stay off and NONET is on
 *	anyway.  The SAX start/end element callbacks count the depth and
 *	stop the parser past LIMIT_DMARCREP_DEPTH, so 10,000 nested elements
 *	end after 33; they also count the <record>s, stopping past
 *	LIMIT_DMARCREP_RECORDS, and all elements, stopping past
 *	LIMIT_DMARCREP_ELEMENTS, before the tree holds them all.  Errors go to a per-context structured handler that
 *	drops them; the reason comes from the context's last error.
 *	Elements are matched by local name, whatever their namespace, so
 *	both schemas read the same; unknown elements are ignored.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "buf/buf.h"
#include "dmarcrep/dmarcrep.h"
#include "sealist_limits.h"

#define DMARC2_NS	"urn:ietf:params:xml:ns:dmarc-2.0"

static void say(char *why, size_t whysize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whysize, const char *fmt, ...)
{
	va_list	ap;

	if (why == NULL || whysize == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whysize, fmt, ap);
	va_end(ap);
}

/* Unpacking */

/* why for a libarchive failure: "truncated gzip: ...", "corrupt zip: ...". */
static void archive_why(struct archive *a, const char *what, char *why, size_t whysize)
{
	const char *e = archive_error_string(a);

	/* libarchive's gzip filter fails at a missing trailer with no message. */
	if (e == NULL)
		e = strcmp(what, "gzip") == 0 ? "ends before its trailer" : "read error";
	say(why, whysize, "%s %s: %s",
	    strstr(e, "runcated") != NULL || strstr(e, "trailer") != NULL ? "truncated" : "corrupt",
	    what, e);
}

/* Read the current entry's data into xml, checking the cap as it grows. */
static int read_entry(struct archive *a, struct buf *xml, const char *what,
		      char *why, size_t whysize)
{
	unsigned char chunk[65536];
	la_ssize_t n;

	for (;;) {
		n = archive_read_data(a, chunk, sizeof(chunk));
		if (n == 0)
			return 0;
		if (n < 0) {
			archive_why(a, what, why, whysize);
			return -1;
		}
		if ((size_t) n > LIMIT_DMARCREP_XML - xml->len
		    || buf_append(xml, chunk, (size_t) n) < 0) {
			say(why, whysize, "decompressed size over %d MiB",
			    LIMIT_DMARCREP_XML / (1024 * 1024));
			return -1;
		}
	}
}

static int unpack_archive(const void *data, size_t len, int zip, struct buf *xml,
			  char *why, size_t whysize)
{
	struct archive *a;
	struct archive_entry *ent;
	const char *what = zip ? "zip" : "gzip";
	int	files = 0, r, rc = -1;

	if ((a = archive_read_new()) == NULL) {
		say(why, whysize, "out of memory");
		return -1;
	}
	if (zip)
		r = archive_read_support_format_zip(a);
	else if ((r = archive_read_support_filter_gzip(a)) == ARCHIVE_OK)
		r = archive_read_support_format_raw(a);
	if (r != ARCHIVE_OK || archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		archive_why(a, what, why, whysize);
		goto out;
	}
	for (;;) {
		r = archive_read_next_header(a, &ent);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			archive_why(a, what, why, whysize);
			goto out;
		}
		/* The raw format takes any bytes: a gzip header too short for
		   the gzip filter's bidder would pass through undecompressed. */
		if (!zip && archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP) {
			say(why, whysize, "truncated gzip: incomplete header");
			goto out;
		}
		if (zip && archive_entry_filetype(ent) == AE_IFDIR)
			continue;
		if (zip && archive_entry_filetype(ent) != AE_IFREG) {
			say(why, whysize, "zip: an entry that is not a regular file");
			goto out;
		}
		if (++files > 1) {
			say(why, whysize, "zip: more than one file");
			goto out;
		}
		if (read_entry(a, xml, what, why, whysize) < 0)
			goto out;
	}
	if (files == 0) {
		say(why, whysize, "%s: no file in it", what);
		goto out;
	}
	rc = 0;
out:
	archive_read_free(a);
	return rc;
}

int	dmarcrep_unpack(const void *data, size_t len, struct buf *xml,
			enum dmarcrep_format *format_r, char *why, size_t whysize)
{
	const unsigned char *p = data;
	size_t	i = 0;

	if (len > LIMIT_DMARCREP_PACKED) {
		say(why, whysize, "report over %d MiB", LIMIT_DMARCREP_PACKED / (1024 * 1024));
		return -1;
	}
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		*format_r = DMARCREP_GZIP;
		return unpack_archive(data, len, 0, xml, why, whysize);
	}
	if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
		*format_r = DMARCREP_ZIP;
		return unpack_archive(data, len, 1, xml, why, whysize);
	}
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < len && p[i] == '<') {
		*format_r = DMARCREP_PLAIN;
		if (len > LIMIT_DMARCREP_XML || buf_append(xml, data, len) < 0) {
			say(why, whysize, "decompressed size over %d MiB",
			    LIMIT_DMARCREP_XML / (1024 * 1024));
			return -1;
		}
		return 0;
	}
	say(why, whysize, "not a report: neither XML, gzip nor zip");
	return -1;
}

/* Parsing */

struct guard {
	int	depth, too_deep, doctype, too_many, too_big;
	size_t	records, elements;
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
};

static void guard_error(void *ctx, xmlErrorPtr err)
{
	(void) ctx;
	(void) err;
}

static void quiet(void *ctx, const char *msg, ...)
	__attribute__((format(printf, 2, 3)));

static void quiet(void *ctx, const char *msg, ...)
{
	(void) ctx;
	(void) msg;
}

static void guard_subset(void *ctx, const xmlChar *name, const xmlChar *ext,
			 const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	(void) name;
	(void) ext;
	(void) sys;
	g->doctype = 1;
	xmlStopParser(ctxt);
}

static void guard_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
			const xmlChar *uri, int nns, const xmlChar **nss, int nattr,
			int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	if (++g->depth > LIMIT_DMARCREP_DEPTH) {
		g->too_deep = 1;
		xmlStopParser(ctxt);
		return;
	}
	if (++g->elements > LIMIT_DMARCREP_ELEMENTS) {
		g->too_big = 1;
		xmlStopParser(ctxt);
		return;
	}
	/* Records counted as they open: no tree of a million records is built. */
	if (g->depth == 2 && strcmp((const char *) local, "record") == 0
	    && ++g->records > LIMIT_DMARCREP_RECORDS) {
		g->too_many = 1;
		xmlStopParser(ctxt);
		return;
	}
	g->start(ctx, local, prefix, uri, nns, nss, nattr, ndef, attrs);
}

static void guard_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
		      const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	g->depth--;
	g->end(ctx, local, prefix, uri);
}

/* Is this an element named name (local name, any namespace)? */
static int is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE
	       && strcmp((const char *) n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
	const xmlNode *n;

	if (parent == NULL)
		return NULL;
	for (n = parent->children; n != NULL; n = n->next)
		if (is(n, name))
			return n;
	return NULL;
}

/*
 * A copy of the text: control characters (C0, DEL, C1) dropped, surrounding white space
 * trimmed, cut below LIMIT_DMARCREP_FIELD at a UTF-8 boundary.  NULL only
 * when memory runs out.
 */
static char *clean(const char *s)
{
	size_t	n = s != NULL ? strlen(s) : 0, i, o = 0;
	char   *d;

	while (n > 0 && isspace((unsigned char) *s))
		s++, n--;
	while (n > 0 && isspace((unsigned char) s[n - 1]))
		n--;
	if ((d = malloc((n < LIMIT_DMARCREP_FIELD ? n : LIMIT_DMARCREP_FIELD) + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7f)
			continue;
		/* C1 controls (U+0080..U+009F, which XML 1.0 allows) too. */
		if (c == 0xC2 && i + 1 < n && (unsigned char) s[i + 1] >= 0x80
		    && (unsigned char) s[i + 1] <= 0x9F) {
			i++;
			continue;
		}
		if (o + 1 > LIMIT_DMARCREP_FIELD - 1)
			break;
		d[o++] = (char) c;
	}
	/* Do not leave half a UTF-8 character at a cut. */
	if (i < n) {
		size_t	k = o;

		while (k > 0 && ((unsigned char) d[k - 1] & 0xC0) == 0x80)
			k--;
		if (k > 0 && ((unsigned char) d[k - 1] & 0x80) != 0) {
			unsigned char lead = (unsigned char) d[k - 1];
			size_t	want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;

			if (o - (k - 1) < want)
				o = k - 1;
		}
	}
	d[o] = 0;
	return d;
}

struct ctx {
	int	nomem;
};

/* The text of parent's first <name> child, cleaned; "" when absent. */
static char *text(struct ctx *c, const xmlNode *parent, const char *name)
{
	const xmlNode *n = name != NULL ? child(parent, name) : parent;
	xmlChar *t = n != NULL ? xmlNodeGetContent(n) : NULL;
	char   *s = clean((const char *) t);

	xmlFree(t);
	if (s == NULL)
		c->nomem = 1;
	return s;
}

/* A non-negative decimal integer; -1 when absent or malformed. */
static long long number(const char *s)
{
	long long v = 0;

	if (*s == '+')
		s++;
	if (*s == 0)
		return -1;
	for (; *s != 0; s++) {
		if (*s < '0' || *s > '9' || v > (LLONG_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static size_t count_children(const xmlNode *parent, const char *name)
{
	const xmlNode *n;
	size_t	k = 0;

	for (n = parent != NULL ? parent->children : NULL; n != NULL; n = n->next)
		k += is(n, name);
	return k;
}

static int parse_auth(struct ctx *c, const xmlNode *ar, const char *kind,
		      struct dmarcrep_auth **out, size_t *nout)
{
	size_t	k = count_children(ar, kind), i = 0;
	const xmlNode *n;

	*nout = 0;
	if (k == 0)
		return 0;
	if ((*out = calloc(k, sizeof(**out))) == NULL) {
		c->nomem = 1;
		return -1;
	}
	for (n = ar->children; n != NULL && i < k; n = n->next) {
		struct dmarcrep_auth *a = &(*out)[i];

		if (!is(n, kind))
			continue;
		*nout = ++i;
		a->domain = text(c, n, "domain");
		a->selector = text(c, n, "selector");
		a->result = text(c, n, "result");
		a->scope = text(c, n, "scope");
	}
	return c->nomem ? -1 : 0;
}

static int parse_record(struct ctx *c, const xmlNode *rec, struct dmarcrep_record *r,
			size_t index, char *why, size_t whysize)
{
	const xmlNode *row = child(rec, "row");
	const xmlNode *pe = child(row, "policy_evaluated");
	const xmlNode *reason = child(pe, "reason");
	const xmlNode *ids = child(rec, "identifiers");
	const xmlNode *ar = child(rec, "auth_results");
	unsigned char addr[16];
	char   *cnt;

	r->source_ip = text(c, row, "source_ip");
	cnt = text(c, row, "count");
	r->count = cnt != NULL ? number(cnt) : 0;
	r->disposition = text(c, pe, "disposition");
	r->dkim = text(c, pe, "dkim");
	r->spf = text(c, pe, "spf");
	r->reason_type = text(c, reason, "type");
	r->reason_comment = text(c, reason, "comment");
	r->header_from = text(c, ids, "header_from");
	r->envelope_from = text(c, ids, "envelope_from");
	r->envelope_to = text(c, ids, "envelope_to");
	if (c->nomem) {
		free(cnt);
		return -1;
	}
	if (row == NULL) {
		say(why, whysize, "record %zu: missing <row>", index + 1);
		goto bad;
	}
	if (child(row, "source_ip") == NULL) {
		say(why, whysize, "record %zu: missing <source_ip>", index + 1);
		goto bad;
	}
	if (inet_pton(AF_INET, r->source_ip, addr) != 1
	    && inet_pton(AF_INET6, r->source_ip, addr) != 1) {
		say(why, whysize, "record %zu: bad source_ip \"%.64s\"", index + 1, r->source_ip);
		goto bad;
	}
	if (r->count < 0) {
		say(why, whysize, "record %zu: bad <count> \"%.32s\"", index + 1, cnt);
		goto bad;
	}
	free(cnt);
	if (parse_auth(c, ar, "dkim", &r->dkim_results, &r->ndkim) < 0
	    || parse_auth(c, ar, "spf", &r->spf_results, &r->nspf) < 0)
		return -1;
	return 0;
bad:
	free(cnt);
	return -1;
}

static int walk(struct ctx *c, const xmlNode *root, struct dmarcrep_report *out,
		char *why, size_t whysize)
{
	const xmlNode *meta = child(root, "report_metadata");
	const xmlNode *pol = child(root, "policy_published");
	const xmlNode *range = child(meta, "date_range");
	const xmlNode *n;
	struct buf errs;
	char   *s;
	size_t	k;

	out->schema = root->ns != NULL && root->ns->href != NULL
		      && strcmp((const char *) root->ns->href, DMARC2_NS) == 0 ? 9990 : 7489;
	out->org_name = text(c, meta, "org_name");
	out->email = text(c, meta, "email");
	out->extra_contact = text(c, meta, "extra_contact_info");
	out->report_id = text(c, meta, "report_id");
	out->domain = text(c, pol, "domain");
	out->adkim = text(c, pol, "adkim");
	out->aspf = text(c, pol, "aspf");
	out->p = text(c, pol, "p");
	out->sp = text(c, pol, "sp");
	out->np = text(c, pol, "np");
	out->fo = text(c, pol, "fo");
	out->testing = text(c, pol, "testing");
	out->discovery = text(c, pol, "discovery_method");
	out->pct = -1;
	if (c->nomem)
		goto nomem;
	if ((s = text(c, pol, "pct")) == NULL)
		goto nomem;
	if (child(pol, "pct") != NULL && number(s) >= 0 && number(s) <= 100)
		out->pct = (int) number(s);
	free(s);

	buf_init(&errs, LIMIT_DMARCREP_FIELD);
	for (n = meta != NULL ? meta->children : NULL; n != NULL; n = n->next) {
		if (!is(n, "error"))
			continue;
		if ((s = text(c, n, NULL)) == NULL)
			break;
		/* Keep whole lines only: a cut error list stops at a line. */
		if (errs.len + 1 + strlen(s) < LIMIT_DMARCREP_FIELD) {
			if (errs.len > 0)
				buf_append_byte(&errs, '\n');
			buf_append_str(&errs, s);
		}
		free(s);
	}
	out->errors = strdup(buf_str(&errs));
	buf_free(&errs);
	if (c->nomem || out->errors == NULL)
		goto nomem;

	if (meta == NULL) {
		say(why, whysize, "missing <report_metadata>");
		return -1;
	}
	if (child(meta, "org_name") == NULL || *out->org_name == 0) {
		say(why, whysize, "missing <org_name>");
		return -1;
	}
	if (child(meta, "report_id") == NULL || *out->report_id == 0) {
		say(why, whysize, "missing <report_id>");
		return -1;
	}
	if (range == NULL || child(range, "begin") == NULL || child(range, "end") == NULL) {
		say(why, whysize, "missing <date_range> <begin> or <end>");
		return -1;
	}
	if ((s = text(c, range, "begin")) == NULL)
		goto nomem;
	out->date_begin = number(s);
	free(s);
	if ((s = text(c, range, "end")) == NULL)
		goto nomem;
	out->date_end = number(s);
	free(s);
	if (out->date_begin < 0 || out->date_end < 0) {
		say(why, whysize, "bad <date_range>: not a Unix time");
		return -1;
	}
	if (pol == NULL || child(pol, "domain") == NULL || *out->domain == 0) {
		say(why, whysize, "missing <policy_published> <domain>");
		return -1;
	}

	k = count_children(root, "record");
	if (k > LIMIT_DMARCREP_RECORDS) {
		say(why, whysize, "more than %d records", LIMIT_DMARCREP_RECORDS);
		return -1;
	}
	if (k > 0 && (out->records = calloc(k, sizeof(*out->records))) == NULL)
		goto nomem;
	for (n = root->children; n != NULL && out->nrecords < k; n = n->next) {
		if (!is(n, "record"))
			continue;
		out->nrecords++;
		if (parse_record(c, n, &out->records[out->nrecords - 1], out->nrecords - 1,
				 why, whysize) < 0) {
			if (c->nomem)
				goto nomem;
			return -1;
		}
	}
	return 0;
nomem:
	say(why, whysize, "out of memory");
	return -1;
}

/* Does the text hold "<!DOCTYPE"?  (memmem is not C11.) */
static int has_doctype(const unsigned char *p, size_t len)
{
	static const char pat[] = "<!DOCTYPE";
	const unsigned char *q, *end;

	if (len == 0)		/* p may be NULL (an empty buf) */
		return 0;
	end = p + len;
	while ((q = memchr(p, '<', (size_t) (end - p))) != NULL) {
		if ((size_t) (end - q) >= sizeof(pat) - 1 && memcmp(q, pat, sizeof(pat) - 1) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

int	dmarcrep_parse(const void *xml, size_t len, struct dmarcrep_report *out,
		       char *why, size_t whysize)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	struct guard g;
	struct ctx c = {0};
	int	rc = -1;
	xmlGenericErrorFunc old_generic;
	void   *old_generic_ctx;
	xmlStructuredErrorFunc old_serror;
	void   *old_serror_ctx;

	memset(out, 0, sizeof(*out));
	out->pct = -1;
	if (len > LIMIT_DMARCREP_XML) {
		say(why, whysize, "XML over %d MiB", LIMIT_DMARCREP_XML / (1024 * 1024));
		return -1;
	}
	if (len > INT_MAX) {
		say(why, whysize, "XML too big");
		return -1;
	}
	if (xml == NULL)	/* an empty buf: nothing was ever appended */
		xml = "";
	if (has_doctype(xml, len)) {
		say(why, whysize, "a DOCTYPE is not allowed (external entities, entity expansion)");
		return -1;
	}
	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		say(why, whysize, "out of memory");
		return -1;
	}
	memset(&g, 0, sizeof(g));
	g.start = ctxt->sax->startElementNs;
	g.end = ctxt->sax->endElementNs;
	ctxt->_private = &g;
	ctxt->sax->internalSubset = guard_subset;
	ctxt->sax->externalSubset = guard_subset;
	ctxt->sax->startElementNs = guard_start;
	ctxt->sax->endElementNs = guard_end;
	ctxt->sax->serror = guard_error;
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	/*
	 * Some errors (encoding conversion) reach libxml2's generic handler,
	 * not the context's, and would print to stderr.  The generic handlers
	 * are per thread in libxml2 2.9, so setting them around the parse and
	 * putting back what was there touches no other thread.
	 */
	old_generic = xmlGenericError;
	old_generic_ctx = xmlGenericErrorContext;
	old_serror = xmlStructuredError;
	old_serror_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(NULL, guard_error);
	doc = xmlCtxtReadMemory(ctxt, xml, (int) len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(old_serror_ctx, old_serror);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	if (g.doctype) {
		say(why, whysize, "a DOCTYPE is not allowed (external entities, entity expansion)");
		goto out;
	}
	if (g.too_deep) {
		say(why, whysize, "nesting deeper than %d", LIMIT_DMARCREP_DEPTH);
		goto out;
	}
	if (g.too_big) {
		say(why, whysize, "more than %d elements", LIMIT_DMARCREP_ELEMENTS);
		goto out;
	}
	if (g.too_many) {
		say(why, whysize, "more than %d records", LIMIT_DMARCREP_RECORDS);
		goto out;
	}
	if (doc == NULL || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);

		say(why, whysize, "XML not well-formed at line %d", e != NULL ? e->line : 0);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		say(why, whysize, "a DOCTYPE is not allowed (external entities, entity expansion)");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is(root, "feedback")) {
		say(why, whysize, "not a DMARC aggregate report (root <%.32s>)",
		    root != NULL ? (const char *) root->name : "");
		goto out;
	}
	rc = walk(&c, root, out, why, whysize);
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

static void free_auth(struct dmarcrep_auth *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(a[i].domain);
		free(a[i].selector);
		free(a[i].result);
		free(a[i].scope);
	}
	free(a);
}

void	dmarcrep_free(struct dmarcrep_report *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrecords; i++) {
		struct dmarcrep_record *x = &r->records[i];

		free(x->source_ip);
		free(x->disposition);
		free(x->dkim);
		free(x->spf);
		free(x->reason_type);
		free(x->reason_comment);
		free(x->header_from);
		free(x->envelope_from);
		free(x->envelope_to);
		free_auth(x->dkim_results, x->ndkim);
		free_auth(x->spf_results, x->nspf);
	}
	free(r->records);
	free(r->org_name);
	free(r->email);
	free(r->extra_contact);
	free(r->report_id);
	free(r->errors);
	free(r->domain);
	free(r->adkim);
	free(r->aspf);
	free(r->p);
	free(r->sp);
	free(r->np);
	free(r->fo);
	free(r->testing);
	free(r->discovery);
	memset(r, 0, sizeof(*r));
	r->pct = -1;
}
