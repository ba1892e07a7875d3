/*
 * NAME
 *	dns 3
 * SUMMARY
 *	DNS lookups over glibc's resolver, with bounded time
 * DESCRIPTION
 *	See dns.h for the contracts.  How a lookup runs:
 *
 *	1. res_nmkquery() builds the query; we append an EDNS0 OPT record
 *	   (LIMIT_DNS_UDP_PAYLOAD) ourselves, because only res_nquery adds
 *	   one and res_nquery cannot tell SERVFAIL from a timeout (both are
 *	   h_errno TRY_AGAIN with -1).
 *
 *	2. res_nsend() sends it by UDP, retry = 1 (each server once), with
 *	   retrans set so that glibc's whole-second waits fit the time left
 *	   (see udp_seconds()).  RES_IGNTC makes it hand back a truncated
 *	   reply instead of retrying by TCP itself, because glibc's TCP path
 *	   blocks in connect() and read() with no timeout at all.
 *
 *	3. SERVFAIL versus timeout.  When every server answers SERVFAIL,
 *	   REFUSED or NOTIMP, res_nsend() moves on and finally returns -1
 *	   with errno ETIMEDOUT -- the same as when nobody answered.  But
 *	   glibc receives each datagram straight into the caller's answer
 *	   buffer.  So the buffer's header is zeroed before the call, and
 *	   after a -1 a header carrying our query id, QR=1 and one of those
 *	   three rcodes proves that a server answered with an error
 *	   (DNS_SERVFAIL); a zeroed header means nobody did (DNS_TIMEOUT).
 *	   tests/e2e/dns.sh checks both against a real server, so a glibc
 *	   that stops behaving this way fails the test instead of silently
 *	   turning SERVFAIL into timeouts.
 *
 *	4. A reply with TC set is asked again by TCP, here, with poll()
 *	   bounded by the deadline, to each server in turn.
 *
 *	5. A FORMERR answer to a query with EDNS0 is asked once more
 *	   without it (RFC 6891 section 7), if time is left.
 *
 *	6. dns_parse_reply() decodes the reply.
 *
 *	With caching on, a question is first looked for in the cache
 *	(dns_cache.c) and, if there, its stored reply goes straight to
 *	step 6; otherwise the reply of step 6 is stored for as long as
 *	dns_cache_lifetime() allows.  Only the final reply is stored: a
 *	truncated UDP one or a FORMERR is never what a lookup returned.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"
#include "sealist_limits.h"

#define DNS_OPT_LEN	11	/* an EDNS0 OPT record without options */
#define DNS_QUERY_MAX	512	/* header + 255-octet name + 4 + OPT fit */

struct dns_resolver {
	struct __res_state res;		/* private state, never _res */
	unsigned timeout_ms;
	unsigned char *answer;		/* LIMIT_DNS_MESSAGE octets */
	char	error[512];		/* last lookup's message */
	struct dns_cache *cache;	/* NULL: caching off */
	long long (*clock)(void *ctx);	/* seconds, for the cache */
	void   *clock_ctx;
};

const char *dns_status_str(enum dns_status status)
{
	switch (status) {
	case DNS_OK:
		return "ok";
	case DNS_NXDOMAIN:
		return "nxdomain";
	case DNS_NODATA:
		return "nodata";
	case DNS_SERVFAIL:
		return "servfail";
	case DNS_TIMEOUT:
		return "timeout";
	case DNS_BADRESPONSE:
		return "badresponse";
	case DNS_ERROR:
		return "error";
	}
	return "unknown";
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The default cache clock: monotonic, so a wall-clock step changes no TTL. */
static long long monotonic_seconds(void *ctx)
{
	struct timespec ts;

	(void) ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long) ts.tv_sec;
}

/*
 * The longest glibc's res_nsend() can wait, in seconds, with retry = 1,
 * nscount servers and a given retrans: send_dg() waits for server i
 * (retrans << i) / nscount seconds, retrans for the first, at least 1.
 */
static long udp_seconds(int retrans, int nscount)
{
	long	total = 0;
	int	i;

	for (i = 0; i < nscount; i++) {
		long	s = (long) retrans << i;

		if (i > 0)
			s /= nscount;
		total += s > 0 ? s : 1;
	}
	return total;
}

/* The largest retrans that fits in ms; 0 if not even 1 s does. */
static int retrans_for(long long ms, int nscount)
{
	int	retrans = (int) (ms / 1000);

	if (ms / 1000 > 3600)
		retrans = 3600;
	while (retrans > 0 && udp_seconds(retrans, nscount) * 1000 > ms)
		retrans--;
	return retrans;
}

/* "IPV4" or "IPV4:PORT" into sin. */
static int parse_nameserver(const char *spec, struct sockaddr_in *sin,
			    const char **error_r)
{
	char	host[INET_ADDRSTRLEN];
	const char *colon;
	size_t	host_len;
	unsigned long port = 53;

	colon = strchr(spec, ':');
	if (spec[0] == '[' || (colon != NULL && strchr(colon + 1, ':'))) {
		*error_r = "IPv6 nameserver addresses are not supported "
		    "(glibc's res_state takes only IPv4 ones); use IPV4:PORT";
		return -1;
	}
	host_len = colon ? (size_t) (colon - spec) : strlen(spec);
	if (host_len == 0 || host_len >= sizeof(host)) {
		*error_r = "nameserver must be IPV4 or IPV4:PORT";
		return -1;
	}
	memcpy(host, spec, host_len);
	host[host_len] = 0;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		*error_r = "nameserver must be an IPv4 address literal "
		    "(IPV4 or IPV4:PORT)";
		return -1;
	}
	if (colon != NULL) {
		char   *end;

		if (colon[1] < '0' || colon[1] > '9') {
			*error_r = "nameserver port must be a number";
			return -1;
		}
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno != 0 || *end != 0 || port == 0 || port > 65535) {
			*error_r = "nameserver port must be 1-65535";
			return -1;
		}
	}
	sin->sin_port = htons((uint16_t) port);
	return 0;
}

struct dns_resolver *dns_resolver_new(const char *nameserver,
				      unsigned timeout_ms,
				      const char **error_r)
{
	struct dns_resolver *r;
	struct sockaddr_in sin;
	const char *dummy;

	if (error_r == NULL)
		error_r = &dummy;
	if (timeout_ms < 1000) {
		*error_r = "DNS timeout must be at least 1000 ms "
		    "(glibc's resolver waits in whole seconds)";
		return NULL;
	}
	if (nameserver != NULL && *nameserver != 0
	    && parse_nameserver(nameserver, &sin, error_r) < 0)
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL
	    || (r->answer = malloc(LIMIT_DNS_MESSAGE)) == NULL) {
		free(r);
		*error_r = "out of memory";
		return NULL;
	}
	if (res_ninit(&r->res) < 0) {
		free(r->answer);
		free(r);
		*error_r = "res_ninit failed (cannot read resolver configuration)";
		return NULL;
	}
	if (nameserver != NULL && *nameserver != 0) {
		/*
		 * Drop the servers from resolv.conf (res_nclose frees
		 * glibc's copies of them), then name ours the supported
		 * way: "user code updated statp->nsaddr_list[n]".
		 */
		res_nclose(&r->res);
		r->res.nscount = 1;
		r->res.nsaddr_list[0] = sin;
	}
	r->res.retry = 1;
	r->res.options |= RES_IGNTC;
	r->res.options &= ~(unsigned long) (RES_DEFNAMES | RES_DNSRCH);
	r->timeout_ms = timeout_ms;
	r->clock = monotonic_seconds;
	if (r->res.nscount < 1 || retrans_for(timeout_ms, r->res.nscount) < 1) {
		*error_r = r->res.nscount < 1 ? "no nameserver configured"
		    : "DNS timeout too short: glibc needs at least 1000 ms "
		    "per nameserver in resolv.conf";
		dns_resolver_free(r);
		return NULL;
	}
	return r;
}

void dns_resolver_free(struct dns_resolver *r)
{
	if (r == NULL)
		return;
	res_nclose(&r->res);
	dns_cache_free(r->cache);
	free(r->answer);
	free(r);
}

int dns_resolver_cache(struct dns_resolver *r, size_t max_entries,
		       unsigned max_ttl)
{
	struct dns_cache *c = NULL;

	if (r == NULL || max_entries > LIMIT_DNS_CACHE_ENTRIES
	    || max_ttl > LIMIT_DNS_CACHE_MAX_TTL)
		return -1;
	if (max_entries > 0 && max_ttl > 0
	    && (c = dns_cache_new(max_entries, max_ttl)) == NULL)
		return -1;
	dns_cache_free(r->cache);
	r->cache = c;
	return 0;
}

void dns_resolver_cache_stats(const struct dns_resolver *r,
			      struct dns_cache_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (r != NULL && r->cache != NULL)
		dns_cache_read_stats(r->cache, out);
}

void dns_resolver_set_clock(struct dns_resolver *r,
			    long long (*now)(void *ctx), void *ctx)
{
	r->clock = now ? now : monotonic_seconds;
	r->clock_ctx = now ? ctx : NULL;
}

/*
 * Address of server i, as glibc's own __res_get_nsaddr() finds it: IPv4
 * in nsaddr_list; IPv6 servers from resolv.conf leave sin_family 0 there
 * and live in _u._ext.nsaddrs, which we only read.
 */
static const struct sockaddr *server_addr(const struct __res_state *res,
					  int i, socklen_t *len_r)
{
	if (res->nsaddr_list[i].sin_family == AF_INET) {
		*len_r = sizeof(struct sockaddr_in);
		return (const struct sockaddr *) &res->nsaddr_list[i];
	}
	if (res->nsaddr_list[i].sin_family == 0
	    && res->_u._ext.nsaddrs[i] != NULL
	    && res->_u._ext.nsaddrs[i]->sin6_family == AF_INET6) {
		*len_r = sizeof(struct sockaddr_in6);
		return (const struct sockaddr *) res->_u._ext.nsaddrs[i];
	}
	return NULL;
}

/* Wait for fd until deadline; 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd pfd;
	long long left;
	int	n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, left > 60000 ? 60000 : (int) left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* Read or write exactly len octets before deadline; 0 ok, -1 not. */
static int tcp_io(int fd, int writing, unsigned char *p, size_t len,
		  long long deadline)
{
	while (len > 0) {
		ssize_t	n;

		if (wait_fd(fd, writing ? POLLOUT : POLLIN, deadline) != 1)
			return -1;
		n = writing ? send(fd, p, len, MSG_NOSIGNAL) : recv(fd, p, len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t) n;
	}
	return 0;
}

/* One TCP exchange with sa; reply length, or -1. */
static long tcp_exchange(struct dns_resolver *r, const struct sockaddr *sa,
			 socklen_t sa_len, const unsigned char *query,
			 size_t qlen, long long deadline)
{
	unsigned char frame[2 + DNS_QUERY_MAX];
	unsigned char prefix[2];
	size_t	alen;
	int	fd;
	int	soerr = 0;
	socklen_t soerr_len = sizeof(soerr);
	long	result = -1;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, sa, sa_len) < 0) {
		if (errno != EINPROGRESS || wait_fd(fd, POLLOUT, deadline) != 1
		    || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &soerr_len) < 0
		    || soerr != 0)
			goto out;
	}
	frame[0] = (unsigned char) (qlen >> 8);
	frame[1] = (unsigned char) qlen;
	memcpy(frame + 2, query, qlen);
	if (tcp_io(fd, 1, frame, qlen + 2, deadline) < 0
	    || tcp_io(fd, 0, prefix, 2, deadline) < 0)
		goto out;
	alen = ((size_t) prefix[0] << 8) | prefix[1];
	if (alen < 2 || tcp_io(fd, 0, r->answer, alen, deadline) < 0)
		goto out;
	if (r->answer[0] == query[0] && r->answer[1] == query[1])
		result = (long) alen;
out:
	close(fd);
	return result;
}

/* Ask again by TCP, each server in turn while time is left. */
static long ask_tcp(struct dns_resolver *r, const unsigned char *query,
		    size_t qlen, long long deadline)
{
	int	i;

	for (i = 0; i < r->res.nscount && now_ms() < deadline; i++) {
		socklen_t sa_len;
		const struct sockaddr *sa = server_addr(&r->res, i, &sa_len);
		long	n;

		if (sa != NULL
		    && (n = tcp_exchange(r, sa, sa_len, query, qlen, deadline)) > 0)
			return n;
	}
	return -1;
}

/*
 * One res_nsend() that may take budget_ms; the reply's length, or -1 with
 * *status and *why set.  See step 3 in the DESCRIPTION for how a failure
 * is read.
 */
static long ask_udp(struct dns_resolver *r, const unsigned char *query,
		    size_t qlen, long long budget_ms, enum dns_status *status,
		    const char **why)
{
	int	retrans = retrans_for(budget_ms, r->res.nscount);
	int	n;
	int	rcode;

	if (retrans < 1) {
		*status = DNS_TIMEOUT;
		*why = "no time left for another query";
		return -1;
	}
	r->res.retrans = retrans;
	memset(r->answer, 0, HFIXEDSZ);
	n = res_nsend(&r->res, query, (int) qlen, r->answer, LIMIT_DNS_MESSAGE);
	if (n >= 0)
		return n > LIMIT_DNS_MESSAGE ? LIMIT_DNS_MESSAGE : n;
	rcode = r->answer[3] & 0x0f;
	if (r->answer[0] == query[0] && r->answer[1] == query[1]
	    && (r->answer[2] & 0x80) != 0
	    && (rcode == ns_r_servfail || rcode == ns_r_notimpl
		|| rcode == ns_r_refused)) {
		/* Only the header is known to be this reply's. */
		return HFIXEDSZ;
	}
	if (errno == ETIMEDOUT || errno == ECONNREFUSED) {
		*status = DNS_TIMEOUT;
		*why = errno == ETIMEDOUT ? "no answer from any nameserver"
		    : "nameserver refused the connection (nothing listening)";
	} else {
		*status = DNS_ERROR;
		*why = "res_nsend failed";
	}
	return -1;
}

/* Append an EDNS0 OPT pseudo-record and count it in ARCOUNT. */
static void add_edns(unsigned char *query, size_t *qlen)
{
	unsigned char *p = query + *qlen;
	unsigned arcount = ((unsigned) query[10] << 8) | query[11];

	p[0] = 0;					/* root */
	p[1] = 0, p[2] = ns_t_opt;			/* TYPE OPT */
	p[3] = LIMIT_DNS_UDP_PAYLOAD >> 8;		/* CLASS: size */
	p[4] = LIMIT_DNS_UDP_PAYLOAD & 0xff;
	p[5] = p[6] = p[7] = p[8] = 0;			/* rcode, version, flags */
	p[9] = p[10] = 0;				/* RDLENGTH */
	*qlen += DNS_OPT_LEN;
	arcount++;
	query[10] = (unsigned char) (arcount >> 8);
	query[11] = (unsigned char) arcount;
}

static void remove_edns(unsigned char *query, size_t *qlen)
{
	unsigned arcount = ((unsigned) query[10] << 8) | query[11];

	*qlen -= DNS_OPT_LEN;
	arcount--;
	query[10] = (unsigned char) (arcount >> 8);
	query[11] = (unsigned char) arcount;
}

static const char *type_name(int qtype)
{
	switch (qtype) {
	case DNS_TYPE_A:
		return "A";
	case DNS_TYPE_AAAA:
		return "AAAA";
	case DNS_TYPE_MX:
		return "MX";
	case DNS_TYPE_TXT:
		return "TXT";
	case DNS_TYPE_PTR:
		return "PTR";
	default:
		return "?";
	}
}

/*
 * Ask the servers (steps 1-6 of the DESCRIPTION); the status, with *why
 * set on failure and the final reply's length in *alen_r (0 if there is
 * no reply to keep).
 */
static enum dns_status ask(struct dns_resolver *r, const char *name,
			   int qtype, struct dns_rrset *out, size_t *alen_r,
			   const char **why_r)
{
	unsigned char query[DNS_QUERY_MAX];
	long long deadline = 0;
	enum dns_status st = DNS_ERROR;
	int	edns = 1;
	int	n;
	long	alen;
	size_t	qlen;

	*alen_r = 0;
	n = res_nmkquery(&r->res, ns_o_query, name, ns_c_in, qtype, NULL, 0,
			 NULL, query, DNS_QUERY_MAX - DNS_OPT_LEN);
	if (n < HFIXEDSZ) {
		*why_r = "res_nmkquery failed";
		return DNS_ERROR;
	}
	qlen = (size_t) n;
	add_edns(query, &qlen);
	for (;;) {
		/*
		 * The first try gets the whole budget and starts the clock:
		 * passing "deadline - now" would lose a millisecond to
		 * rounding, and glibc's whole seconds would turn that into
		 * a second lost.  A retry gets what is left.
		 */
		if (deadline == 0) {
			deadline = now_ms() + r->timeout_ms;
			alen = ask_udp(r, query, qlen, r->timeout_ms, &st, why_r);
		} else
			alen = ask_udp(r, query, qlen, deadline - now_ms(),
				       &st, why_r);
		if (alen < 0)
			return st;
		if (alen >= HFIXEDSZ && (r->answer[2] & 0x02) != 0) {
			alen = ask_tcp(r, query, qlen, deadline);
			if (alen < 0) {
				*why_r = "reply truncated and no TCP answer in time";
				return DNS_TIMEOUT;
			}
		}
		st = dns_parse_reply(r->answer, (size_t) alen, name, qtype,
				     out, why_r);
		if (st == DNS_SERVFAIL && out->rcode == ns_r_formerr && edns) {
			/* RFC 6891 section 7: try once without EDNS0. */
			edns = 0;
			remove_edns(query, &qlen);
			continue;
		}
		*alen_r = (size_t) alen;
		return st;
	}
}

/*
 * One question, from the cache if it holds the answer, else from the
 * servers, storing what may be kept.  A failure to store is not the
 * caller's problem: the answer in hand is as good.
 */
static enum dns_status lookup(struct dns_resolver *r, const char *name,
			      int qtype, struct dns_rrset *out,
			      const char **error_r)
{
	enum dns_status st = DNS_ERROR;
	const char *why = "invalid domain name";
	const unsigned char *cached = NULL;
	long long now = 0;
	size_t	len = 0;

	dns_rrset_init(out);
	if (name == NULL || !dns_name_valid(name))
		goto fail;
	if (r->cache != NULL) {
		now = r->clock(r->clock_ctx);
		cached = dns_cache_get(r->cache, name, qtype, now, &len);
	}
	if (cached != NULL)
		st = dns_parse_reply(cached, len, name, qtype, out, &why);
	else {
		st = ask(r, name, qtype, out, &len, &why);
		if (r->cache != NULL && len > 0) {
			long long ttl = dns_cache_lifetime(r->cache, st, out);

			/* now is from before the query: expiry errs early. */
			(void) dns_cache_put(r->cache, name, qtype, r->answer,
					     len, ttl, now);
		}
	}
	if (st == DNS_OK)
		return st;
fail:
	snprintf(r->error, sizeof(r->error), "%s %s: %s: %s%s",
		 name ? name : "(null)", type_name(qtype), dns_status_str(st),
		 why, cached != NULL ? " (cached)" : "");
	if (error_r != NULL)
		*error_r = r->error;
	return st;
}

/*
 * The typed answers take the records' memory over from the rrset: the
 * rrset's array is freed, what its entries point to is not.
 */
static void rrset_release(struct dns_rrset *set)
{
	free(set->rr);
	set->rr = NULL;
	set->count = 0;
}

/*
 * The shared first half of the typed lookups: ask, then allocate an
 * array of count elements of size for the answer.  On any status but
 * DNS_OK nothing is left allocated and *array_r is NULL.
 */
static enum dns_status lookup_array(struct dns_resolver *r, const char *name,
				    int type, size_t size, struct dns_rrset *set,
				    void **array_r, const char **error_r)
{
	enum dns_status st;

	*array_r = NULL;
	if ((st = lookup(r, name, type, set, error_r)) != DNS_OK)
		return st;
	if ((*array_r = calloc(set->count, size)) == NULL) {
		dns_rrset_free(set);
		if (error_r != NULL)
			*error_r = "out of memory";
		return DNS_ERROR;
	}
	return DNS_OK;
}

enum dns_status dns_txt(struct dns_resolver *r, const char *name,
			struct dns_txt_answer *out, const char **error_r)
{
	struct dns_rrset set;
	enum dns_status st;
	size_t	i;
	void   *array;

	out->count = 0;
	st = lookup_array(r, name, DNS_TYPE_TXT, sizeof(*out->txt), &set, &array, error_r);
	out->txt = array;
	if (st != DNS_OK)
		return st;
	for (i = 0; i < set.count; i++) {
		out->txt[i].data = set.rr[i].u.txt.data;
		out->txt[i].len = set.rr[i].u.txt.len;
	}
	out->count = set.count;
	rrset_release(&set);
	return DNS_OK;
}

enum dns_status dns_a(struct dns_resolver *r, const char *name,
		      struct dns_a_answer *out, const char **error_r)
{
	struct dns_rrset set;
	enum dns_status st;
	size_t	i;
	void   *array;

	out->count = 0;
	st = lookup_array(r, name, DNS_TYPE_A, sizeof(*out->addr), &set, &array, error_r);
	out->addr = array;
	if (st != DNS_OK)
		return st;
	for (i = 0; i < set.count; i++)
		out->addr[i] = set.rr[i].u.a;
	out->count = set.count;
	dns_rrset_free(&set);
	return DNS_OK;
}

enum dns_status dns_aaaa(struct dns_resolver *r, const char *name,
			 struct dns_aaaa_answer *out, const char **error_r)
{
	struct dns_rrset set;
	enum dns_status st;
	size_t	i;
	void   *array;

	out->count = 0;
	st = lookup_array(r, name, DNS_TYPE_AAAA, sizeof(*out->addr), &set, &array, error_r);
	out->addr = array;
	if (st != DNS_OK)
		return st;
	for (i = 0; i < set.count; i++)
		out->addr[i] = set.rr[i].u.aaaa;
	out->count = set.count;
	dns_rrset_free(&set);
	return DNS_OK;
}

enum dns_status dns_mx(struct dns_resolver *r, const char *name,
		       struct dns_mx_answer *out, const char **error_r)
{
	struct dns_rrset set;
	enum dns_status st;
	size_t	i;
	void   *array;

	out->count = 0;
	st = lookup_array(r, name, DNS_TYPE_MX, sizeof(*out->mx), &set, &array, error_r);
	out->mx = array;
	if (st != DNS_OK)
		return st;
	for (i = 0; i < set.count; i++) {
		out->mx[i].preference = set.rr[i].u.mx.preference;
		out->mx[i].exchange = set.rr[i].u.mx.exchange;
	}
	out->count = set.count;
	rrset_release(&set);
	return DNS_OK;
}

void dns_txt_answer_free(struct dns_txt_answer *a)
{
	size_t	i;

	for (i = 0; i < a->count; i++)
		free(a->txt[i].data);
	free(a->txt);
	a->txt = NULL;
	a->count = 0;
}

void dns_a_answer_free(struct dns_a_answer *a)
{
	free(a->addr);
	a->addr = NULL;
	a->count = 0;
}

void dns_aaaa_answer_free(struct dns_aaaa_answer *a)
{
	free(a->addr);
	a->addr = NULL;
	a->count = 0;
}

void dns_mx_answer_free(struct dns_mx_answer *a)
{
	size_t	i;

	for (i = 0; i < a->count; i++)
		free(a->mx[i].exchange);
	free(a->mx);
	a->mx = NULL;
	a->count = 0;
}

enum dns_status dns_ptr(struct dns_resolver *r, const char *name,
			struct dns_ptr_answer *out, const char **error_r)
{
	struct dns_rrset set;
	enum dns_status st;
	size_t	i;
	void   *array;

	out->count = 0;
	st = lookup_array(r, name, DNS_TYPE_PTR, sizeof(*out->name), &set, &array, error_r);
	out->name = array;
	if (st != DNS_OK)
		return st;
	for (i = 0; i < set.count; i++)
		out->name[i] = set.rr[i].u.ptr;
	out->count = set.count;
	rrset_release(&set);
	return DNS_OK;
}

int dns_reverse_name(int family, const void *addr, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = addr;
	size_t	n = 0;
	int	i;

	if (family == AF_INET) {
		for (i = 3; i >= 0; i--) {
			unsigned v = p[i];

			if (v >= 100)
				out[n++] = (char) ('0' + v / 100);
			if (v >= 10)
				out[n++] = (char) ('0' + v / 10 % 10);
			out[n++] = (char) ('0' + v % 10);
			out[n++] = '.';
		}
		memcpy(out + n, "in-addr.arpa", sizeof("in-addr.arpa"));
		return 0;
	}
	if (family == AF_INET6) {
		for (i = 15; i >= 0; i--) {
			out[n++] = hex[p[i] & 15];
			out[n++] = '.';
			out[n++] = hex[p[i] >> 4];
			out[n++] = '.';
		}
		memcpy(out + n, "ip6.arpa", sizeof("ip6.arpa"));
		return 0;
	}
	return -1;
}

enum dns_status dns_ptr_addr(struct dns_resolver *r, int family,
			     const void *addr, struct dns_ptr_answer *out,
			     const char **error_r)
{
	char	name[DNS_REVERSE_NAME_MAX];

	out->name = NULL;
	out->count = 0;
	if (dns_reverse_name(family, addr, name) < 0) {
		if (error_r != NULL)
			*error_r = "unknown address family";
		return DNS_ERROR;
	}
	return dns_ptr(r, name, out, error_r);
}

void dns_ptr_answer_free(struct dns_ptr_answer *a)
{
	size_t	i;

	for (i = 0; i < a->count; i++)
		free(a->name[i]);
	free(a->name);
	a->name = NULL;
	a->count = 0;
}
