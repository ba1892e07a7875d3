/*
 * NAME
 *	dns_parse 3
 * SUMMARY
 *	bounded parser for DNS reply messages
 * DESCRIPTION
 *	See dns.h for the contract of dns_parse_reply().  The reply is
 *	untrusted: every read is checked against the length, counts are
 *	checked against the data and capped (lib/sealist_limits.h), and compressed
 *	names may only point backwards, before the start of the run of
 *	labels being read, so each jump strictly decreases the position and
 *	no loop can be built.
 *
 *	Names are handled in wire form (length-prefixed labels ending in
 *	the root's zero octet) and compared case-insensitively.  A name is
 *	at most 255 octets (RFC 1035 section 2.3.4), so the decoder works
 *	in a fixed array of that size and refuses anything longer: the
 *	protocol's own bound, not a guess.
 *
 *	The answer section is indexed once (offsets only); CNAMEs are then
 *	followed from the name asked, and the records of the type asked that
 *	the final name owns are decoded.
 *
 *	TTLs, for the resolver's cache (dns_cache.c): min_ttl is the smallest
 *	TTL of the records used -- the ones returned and the CNAMEs followed
 *	to them -- because the answer is only as fresh as its shortest-lived
 *	part.  A negative answer's lifetime comes from the SOA in the
 *	authority section (RFC 2308 section 5): the smaller of its TTL and its
 *	MINIMUM field.  That section is read only for NXDOMAIN and NODATA,
 *	and only to find that SOA: a malformed authority section makes the
 *	answer uncacheable (negative_ttl -1), never refused, because the
 *	answer itself was always accepted without it.  The SOA must own the
 *	name that does not exist or one of its ancestors (the zone apex), so
 *	an unrelated SOA cannot set the lifetime.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "dns/dns.h"
#include "sealist_limits.h"

#define DNS_HEADER_LEN	12
#define DNS_NAME_MAX	255	/* wire octets, root included */
#define DNS_LABEL_MAX	63
#define DNS_CLASS_IN	1
#define DNS_RR_FIXED	10	/* type, class, ttl, rdlength */
#define DNS_TYPE_SOA	6
#define DNS_SOA_FIXED	20	/* serial, refresh, retry, expire, minimum */
#define DNS_TTL_MAX	0x7fffffffUL	/* RFC 2181 section 8 */

/* One answer record, by offsets into the message. */
struct rr_ref {
	size_t	owner;		/* offset of the owner name */
	int	type;
	int	class;
	unsigned long ttl;
	size_t	rdata;		/* offset of the RDATA */
	size_t	rdlen;
};

static unsigned get16(const unsigned char *p)
{
	return ((unsigned) p[0] << 8) | p[1];
}

static unsigned long get32(const unsigned char *p)
{
	return ((unsigned long) p[0] << 24) | ((unsigned long) p[1] << 16)
	    | ((unsigned long) p[2] << 8) | p[3];
}

/*
 * A TTL as RFC 2181 section 8 reads it: 32 bits, but a value with the top
 * bit set is treated as zero (old software sent negative TTLs).
 */
static long long ttl_value(unsigned long raw)
{
	return raw > DNS_TTL_MAX ? 0 : (long long) raw;
}

/* Lower *acc (-1: nothing yet) to the TTL raw. */
static void ttl_lower(long long *acc, unsigned long raw)
{
	long long v = ttl_value(raw);

	if (*acc < 0 || v < *acc)
		*acc = v;
}

const char *dns_rcode_str(int rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE",
	};

	if (rcode >= 0 && (size_t) rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	return "unknown rcode";
}

/*
 * Decode the name at *off into wire form in out[DNS_NAME_MAX], its length
 * in *out_len.  On success *off is moved past the name as it sits at the
 * original place (after the first pointer, if any).
 */
static int name_decode(const unsigned char *msg, size_t len, size_t *off,
		       unsigned char *out, size_t *out_len,
		       const char **error_r)
{
	size_t	pos = *off;
	size_t	run_start = *off;	/* pointers must go below this */
	size_t	after = 0;
	size_t	n = 0;
	int	jumped = 0;

	for (;;) {
		unsigned c;

		if (pos >= len) {
			*error_r = "name runs past the end of the message";
			return -1;
		}
		c = msg[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t	target;

			if (pos + 1 >= len) {
				*error_r = "compression pointer cut off";
				return -1;
			}
			target = ((size_t) (c & 0x3f) << 8) | msg[pos + 1];
			if (target >= run_start || target < DNS_HEADER_LEN) {
				*error_r = "compression pointer does not point "
				    "backwards into the message";
				return -1;
			}
			if (!jumped)
				after = pos + 2;
			jumped = 1;
			pos = run_start = target;
			continue;
		}
		if (c > DNS_LABEL_MAX) {
			*error_r = "unknown label type";
			return -1;
		}
		if (n + 1 + c > DNS_NAME_MAX) {
			*error_r = "name longer than 255 octets";
			return -1;
		}
		if (c == 0) {
			out[n++] = 0;
			if (!jumped)
				after = pos + 1;
			break;
		}
		if (c + 1 > len - pos) {
			*error_r = "label runs past the end of the message";
			return -1;
		}
		memcpy(out + n, msg + pos, c + 1);
		n += c + 1;
		pos += c + 1;
	}
	*off = after;
	*out_len = n;
	return 0;
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Wire names compared case-insensitively (RFC 4343).  Length octets are
 * at most 63, below 'A', so folding them changes nothing.
 */
static int name_equal(const unsigned char *a, size_t a_len,
		      const unsigned char *b, size_t b_len)
{
	size_t	i;

	if (a_len != b_len)
		return 0;
	for (i = 0; i < a_len; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return 0;
	return 1;
}

/*
 * Is the wire name zone equal to name or an ancestor of it?  name must be
 * well formed (it came from name_decode or name_from_text), so walking
 * its labels stays inside it.
 */
static int name_within(const unsigned char *name, size_t name_len,
		       const unsigned char *zone, size_t zone_len)
{
	size_t	i = 0;

	for (;;) {
		if (name_len - i == zone_len
		    && name_equal(name + i, zone_len, zone, zone_len))
			return 1;
		if (name[i] == 0)
			return 0;
		i += 1 + (size_t) name[i];
	}
}

/* Text name to wire form; -1 if it is not a plain host-style name. */
static int name_from_text(const char *text, unsigned char *out,
			  size_t *out_len)
{
	size_t	n = 0;
	const char *p = text;

	if (text == NULL || *text == 0)
		return -1;
	if (strcmp(text, ".") == 0) {
		out[0] = 0;
		*out_len = 1;
		return 0;
	}
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t	label = dot ? (size_t) (dot - p) : strlen(p);

		if (label == 0 || label > DNS_LABEL_MAX
		    || memchr(p, '\\', label) != NULL
		    || n + 1 + label + 1 > DNS_NAME_MAX)
			return -1;
		out[n++] = (unsigned char) label;
		memcpy(out + n, p, label);
		n += label;
		p += label;
		if (*p == '.')
			p++;
	}
	out[n++] = 0;
	*out_len = n;
	return 0;
}

int dns_name_valid(const char *name)
{
	unsigned char wire[DNS_NAME_MAX];
	size_t	len;

	return name_from_text(name, wire, &len) == 0;
}

/* Wire name to text (see struct dns_mx in dns.h); NULL when out of memory. */
static char *name_to_text(const unsigned char *wire)
{
	struct buf b;
	size_t	i = 0;

	/* Worst case: every octet as \DDD. */
	buf_init(&b, DNS_NAME_MAX * 4 + 1);
	if (wire[0] == 0)
		buf_append_byte(&b, '.');
	while (wire[i] != 0) {
		size_t	label = wire[i++];
		size_t	end = i + label;

		if (b.len > 0)
			buf_append_byte(&b, '.');
		for (; i < end; i++) {
			unsigned char c = wire[i];

			if (c == '.' || c == '\\') {
				buf_append_byte(&b, '\\');
				buf_append_byte(&b, c);
			} else if (c <= 0x20 || c >= 0x7f)
				buf_printf(&b, "\\%03u", c);
			else
				buf_append_byte(&b, c);
		}
	}
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* TXT RDATA: character-strings joined; *total counts all TXT kept. */
static enum dns_status txt_decode(const unsigned char *rd, size_t rdlen,
				  struct dns_rr *rr, size_t *total,
				  const char **error_r)
{
	struct buf b;
	size_t	pos = 0;

	if (rdlen == 0) {
		*error_r = "TXT record without a character-string";
		return DNS_BADRESPONSE;
	}
	if (rdlen > LIMIT_DNS_TXT_TOTAL - *total) {
		*error_r = "TXT data above LIMIT_DNS_TXT_TOTAL";
		return DNS_BADRESPONSE;
	}
	buf_init(&b, rdlen);
	while (pos < rdlen) {
		size_t	slen = rd[pos];

		if (slen > rdlen - pos - 1) {
			buf_free(&b);
			*error_r = "TXT character-string runs past RDLENGTH";
			return DNS_BADRESPONSE;
		}
		buf_append(&b, rd + pos + 1, slen);
		pos += 1 + slen;
	}
	if (buf_failed(&b)) {
		buf_free(&b);
		*error_r = "out of memory";
		return DNS_ERROR;
	}
	*total += b.len;
	rr->u.txt.data = (unsigned char *) buf_detach(&b, &rr->u.txt.len);
	if (rr->u.txt.data == NULL) {
		*error_r = "out of memory";
		return DNS_ERROR;
	}
	return DNS_OK;
}

/* Decode one record of the type asked into rr. */
static enum dns_status rr_decode(const unsigned char *msg, size_t len,
				 const struct rr_ref *ref, struct dns_rr *rr,
				 size_t *txt_total, const char **error_r)
{
	const unsigned char *rd = msg + ref->rdata;
	unsigned char name[DNS_NAME_MAX];
	size_t	name_len;
	size_t	off;

	rr->type = ref->type;
	rr->ttl = ref->ttl;
	switch (ref->type) {
	case DNS_TYPE_A:
		if (ref->rdlen != 4) {
			*error_r = "A record RDLENGTH is not 4";
			return DNS_BADRESPONSE;
		}
		memcpy(&rr->u.a, rd, 4);
		return DNS_OK;
	case DNS_TYPE_AAAA:
		if (ref->rdlen != 16) {
			*error_r = "AAAA record RDLENGTH is not 16";
			return DNS_BADRESPONSE;
		}
		memcpy(&rr->u.aaaa, rd, 16);
		return DNS_OK;
	case DNS_TYPE_MX:
		if (ref->rdlen < 3) {
			*error_r = "MX record too short";
			return DNS_BADRESPONSE;
		}
		rr->u.mx.preference = get16(rd);
		off = ref->rdata + 2;
		if (name_decode(msg, len, &off, name, &name_len, error_r) < 0)
			return DNS_BADRESPONSE;
		if (off != ref->rdata + ref->rdlen) {
			*error_r = "MX exchange does not end at RDLENGTH";
			return DNS_BADRESPONSE;
		}
		if ((rr->u.mx.exchange = name_to_text(name)) == NULL) {
			*error_r = "out of memory";
			return DNS_ERROR;
		}
		return DNS_OK;
	case DNS_TYPE_TXT:
		return txt_decode(rd, ref->rdlen, rr, txt_total, error_r);
	case DNS_TYPE_PTR:
		off = ref->rdata;
		if (name_decode(msg, len, &off, name, &name_len, error_r) < 0)
			return DNS_BADRESPONSE;
		if (off != ref->rdata + ref->rdlen) {
			*error_r = "PTR name does not end at RDLENGTH";
			return DNS_BADRESPONSE;
		}
		if ((rr->u.ptr = name_to_text(name)) == NULL) {
			*error_r = "out of memory";
			return DNS_ERROR;
		}
		return DNS_OK;
	default:
		*error_r = "unsupported record type";
		return DNS_ERROR;
	}
}

/* Index the answer section; returns the offset after it, 0 on error. */
static size_t index_answers(const unsigned char *msg, size_t len, size_t off,
			    struct rr_ref *refs, size_t count,
			    const char **error_r)
{
	unsigned char name[DNS_NAME_MAX];
	size_t	name_len;
	size_t	i;

	for (i = 0; i < count; i++) {
		refs[i].owner = off;
		if (name_decode(msg, len, &off, name, &name_len, error_r) < 0)
			return 0;
		if (len - off < DNS_RR_FIXED) {
			*error_r = "answer record cut off (ANCOUNT larger than the data)";
			return 0;
		}
		refs[i].type = (int) get16(msg + off);
		refs[i].class = (int) get16(msg + off + 2);
		refs[i].ttl = get32(msg + off + 4);
		refs[i].rdlen = get16(msg + off + 8);
		off += DNS_RR_FIXED;
		if (refs[i].rdlen > len - off) {
			*error_r = "RDLENGTH runs past the end of the message";
			return 0;
		}
		refs[i].rdata = off;
		off += refs[i].rdlen;
	}
	return off;
}

/* Does the record at ref belong to the wire name want? */
static int owner_is(const unsigned char *msg, size_t len,
		    const struct rr_ref *ref, const unsigned char *want,
		    size_t want_len)
{
	unsigned char name[DNS_NAME_MAX];
	size_t	name_len;
	size_t	off = ref->owner;
	const char *ignored;

	/* Already decoded once in index_answers(), so this cannot fail. */
	if (name_decode(msg, len, &off, name, &name_len, &ignored) < 0)
		return 0;
	return name_equal(name, name_len, want, want_len);
}

/*
 * Follow CNAMEs from cur (updated in place) through the answers, lowering
 * *min_ttl to each one's TTL.
 */
static enum dns_status follow_cnames(const unsigned char *msg, size_t len,
				     const struct rr_ref *refs, size_t count,
				     unsigned char *cur, size_t *cur_len,
				     long long *min_ttl, const char **error_r)
{
	size_t	hops;
	size_t	i;
	size_t	off;

	for (hops = 0;; hops++) {
		for (i = 0; i < count; i++)
			if (refs[i].type == DNS_TYPE_CNAME
			    && refs[i].class == DNS_CLASS_IN
			    && owner_is(msg, len, &refs[i], cur, *cur_len))
				break;
		if (i == count)
			return DNS_OK;
		if (hops == LIMIT_DNS_CNAME_CHAIN) {
			*error_r = "CNAME chain too long or looping";
			return DNS_BADRESPONSE;
		}
		off = refs[i].rdata;
		if (name_decode(msg, len, &off, cur, cur_len, error_r) < 0)
			return DNS_BADRESPONSE;
		if (off != refs[i].rdata + refs[i].rdlen) {
			*error_r = "CNAME target does not end at RDLENGTH";
			return DNS_BADRESPONSE;
		}
		ttl_lower(min_ttl, refs[i].ttl);
	}
}

void dns_rrset_init(struct dns_rrset *out)
{
	out->rr = NULL;
	out->count = 0;
	out->rcode = -1;
	out->truncated = 0;
	out->min_ttl = -1;
	out->negative_ttl = -1;
}

void dns_rrset_free(struct dns_rrset *set)
{
	size_t	i;

	for (i = 0; i < set->count; i++) {
		if (set->rr[i].type == DNS_TYPE_MX)
			free(set->rr[i].u.mx.exchange);
		else if (set->rr[i].type == DNS_TYPE_TXT)
			free(set->rr[i].u.txt.data);
		else if (set->rr[i].type == DNS_TYPE_PTR)
			free(set->rr[i].u.ptr);
	}
	free(set->rr);
	dns_rrset_init(set);
}

/*
 * After a failure: no records, but the header's facts stay, and the TTLs
 * stay for the two negative answers, which a cache may keep.
 */
static void rrset_clear_records(struct dns_rrset *out, enum dns_status st)
{
	struct dns_rrset keep = *out;

	dns_rrset_free(out);
	out->rcode = keep.rcode;
	out->truncated = keep.truncated;
	if (st == DNS_NXDOMAIN || st == DNS_NODATA) {
		out->min_ttl = keep.min_ttl;
		out->negative_ttl = keep.negative_ttl;
	}
}

/* Decode every record of qtype owned by want into out. */
static enum dns_status collect(const unsigned char *msg, size_t len,
			       const struct rr_ref *refs, size_t count,
			       const unsigned char *want, size_t want_len,
			       int qtype, struct dns_rrset *out,
			       const char **error_r)
{
	size_t	txt_total = 0;
	size_t	i;

	for (i = 0; i < count; i++) {
		enum dns_status st;

		if (refs[i].type != qtype || refs[i].class != DNS_CLASS_IN
		    || !owner_is(msg, len, &refs[i], want, want_len))
			continue;
		if (out->rr == NULL
		    && (out->rr = calloc(count, sizeof(*out->rr))) == NULL) {
			*error_r = "out of memory";
			return DNS_ERROR;
		}
		st = rr_decode(msg, len, &refs[i], &out->rr[out->count],
			       &txt_total, error_r);
		if (st != DNS_OK)
			return st;
		ttl_lower(&out->min_ttl, refs[i].ttl);
		out->count++;
	}
	if (out->count == 0) {
		*error_r = "no record of the type asked";
		return DNS_NODATA;
	}
	return DNS_OK;
}

/*
 * The negative TTL an SOA record gives (RFC 2308 section 5): the smaller
 * of the record's own TTL and its MINIMUM field; -1 if the RDATA is not
 * two names and five 32-bit numbers ending exactly at RDLENGTH.
 */
static long long soa_negative_ttl(const unsigned char *msg, size_t len,
				  size_t rdata, size_t rdlen, unsigned long ttl)
{
	unsigned char name[DNS_NAME_MAX];
	size_t	name_len;
	size_t	off = rdata;
	const char *ignored;
	long long minimum;
	long long own = ttl_value(ttl);

	if (name_decode(msg, len, &off, name, &name_len, &ignored) < 0	/* MNAME */
	    || name_decode(msg, len, &off, name, &name_len, &ignored) < 0	/* RNAME */
	    || off > rdata + rdlen || rdata + rdlen - off != DNS_SOA_FIXED)
		return -1;
	minimum = ttl_value(get32(msg + off + 16));
	return minimum < own ? minimum : own;
}

/*
 * Scan the authority section at off (nscount records, at most
 * LIMIT_DNS_ANSWERS of them looked at) for an SOA of class IN owned by
 * name or an ancestor; its negative TTL, or -1 when there is none or the
 * section is malformed.
 */
static long long authority_negative_ttl(const unsigned char *msg, size_t len,
					size_t off, size_t nscount,
					const unsigned char *name,
					size_t name_len)
{
	unsigned char owner[DNS_NAME_MAX];
	size_t	owner_len;
	size_t	i;
	const char *ignored;

	for (i = 0; i < nscount && i < LIMIT_DNS_ANSWERS; i++) {
		unsigned type, class;
		unsigned long ttl;
		size_t	rdlen;

		if (name_decode(msg, len, &off, owner, &owner_len, &ignored) < 0
		    || len - off < DNS_RR_FIXED)
			return -1;
		type = get16(msg + off);
		class = get16(msg + off + 2);
		ttl = get32(msg + off + 4);
		rdlen = get16(msg + off + 8);
		off += DNS_RR_FIXED;
		if (rdlen > len - off)
			return -1;
		if (type == DNS_TYPE_SOA && class == DNS_CLASS_IN
		    && name_within(name, name_len, owner, owner_len))
			return soa_negative_ttl(msg, len, off, rdlen, ttl);
		off += rdlen;
	}
	return -1;
}

/*
 * The TTLs of an NXDOMAIN answer.  The name that does not exist is the
 * end of the CNAME chain, if the answer section has one, so the SOA is
 * looked for above that name.  A broken chain used to be (and stays)
 * ignored for NXDOMAIN; it only leaves the answer uncacheable.
 */
static void nxdomain_ttls(const unsigned char *msg, size_t len,
			  const struct rr_ref *refs, size_t ancount,
			  size_t authority, size_t nscount,
			  unsigned char *want, size_t want_len,
			  struct dns_rrset *out)
{
	const char *ignored;

	if (follow_cnames(msg, len, refs, ancount, want, &want_len,
			  &out->min_ttl, &ignored) != DNS_OK)
		return;
	out->negative_ttl = authority_negative_ttl(msg, len, authority,
						   nscount, want, want_len);
}

enum dns_status dns_parse_reply(const unsigned char *msg, size_t len,
				const char *qname, int qtype,
				struct dns_rrset *out, const char **error_r)
{
	unsigned char want[DNS_NAME_MAX];
	unsigned char name[DNS_NAME_MAX];
	size_t	want_len;
	size_t	name_len;
	size_t	qdcount;
	size_t	ancount;
	size_t	nscount;
	size_t	off;
	struct rr_ref *refs = NULL;
	enum dns_status st;
	const char *dummy;

	if (error_r == NULL)
		error_r = &dummy;
	*error_r = "ok";
	dns_rrset_init(out);
	if (qtype != DNS_TYPE_A && qtype != DNS_TYPE_AAAA
	    && qtype != DNS_TYPE_MX && qtype != DNS_TYPE_TXT
	    && qtype != DNS_TYPE_PTR) {
		*error_r = "unsupported query type";
		return DNS_ERROR;
	}
	if (name_from_text(qname, want, &want_len) < 0) {
		*error_r = "invalid domain name asked";
		return DNS_ERROR;
	}
	if (msg == NULL || len < DNS_HEADER_LEN) {
		*error_r = "reply shorter than a DNS header";
		return DNS_BADRESPONSE;
	}
	if ((msg[2] & 0x80) == 0 || (msg[2] & 0x78) != 0) {
		*error_r = "not a response to a standard query";
		return DNS_BADRESPONSE;
	}
	out->truncated = (msg[2] & 0x02) != 0;
	out->rcode = msg[3] & 0x0f;
	if (out->rcode != 0 && out->rcode != 3) {
		*error_r = dns_rcode_str(out->rcode);
		return DNS_SERVFAIL;
	}
	qdcount = get16(msg + 4);
	ancount = get16(msg + 6);
	nscount = get16(msg + 8);
	if (qdcount != 1) {
		*error_r = "QDCOUNT is not 1";
		return DNS_BADRESPONSE;
	}
	off = DNS_HEADER_LEN;
	if (name_decode(msg, len, &off, name, &name_len, error_r) < 0)
		return DNS_BADRESPONSE;
	if (len - off < 4) {
		*error_r = "question section cut off";
		return DNS_BADRESPONSE;
	}
	if (!name_equal(name, name_len, want, want_len)
	    || get16(msg + off) != (unsigned) qtype
	    || get16(msg + off + 2) != DNS_CLASS_IN) {
		*error_r = "reply is for another question";
		return DNS_BADRESPONSE;
	}
	off += 4;
	if (ancount > LIMIT_DNS_ANSWERS) {
		*error_r = "ANCOUNT above LIMIT_DNS_ANSWERS";
		return DNS_BADRESPONSE;
	}
	/* Each record needs at least 11 octets: a cheap check before calloc. */
	if (ancount > (len - off) / (1 + DNS_RR_FIXED)) {
		*error_r = "ANCOUNT larger than the data";
		return DNS_BADRESPONSE;
	}
	if (ancount > 0 && (refs = calloc(ancount, sizeof(*refs))) == NULL) {
		*error_r = "out of memory";
		return DNS_ERROR;
	}
	if (ancount > 0
	    && (off = index_answers(msg, len, off, refs, ancount, error_r)) == 0) {
		st = DNS_BADRESPONSE;
		goto done;
	}
	if (out->rcode == 3) {
		*error_r = "name does not exist";
		st = DNS_NXDOMAIN;
		nxdomain_ttls(msg, len, refs, ancount, off, nscount, want,
			      want_len, out);
		goto done;
	}
	st = follow_cnames(msg, len, refs, ancount, want, &want_len,
			   &out->min_ttl, error_r);
	if (st == DNS_OK)
		st = collect(msg, len, refs, ancount, want, want_len, qtype,
			     out, error_r);
	if (st == DNS_NODATA)
		out->negative_ttl = authority_negative_ttl(msg, len, off, nscount,
							   want, want_len);
done:
	free(refs);
	if (st != DNS_OK)
		rrset_clear_records(out, st);
	return st;
}
