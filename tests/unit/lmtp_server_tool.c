/*
 * NAME
 *	lmtp_server_tool 1
 * SUMMARY
 *	run the real LMTP server (src/lmtp.c) with hooks that store files
 * SYNOPSIS
 *	lmtp_server_tool -d DIR -l LISTEN... [-m MODE] [-s MAXSIZE]
 *		[-L MAXLINE] [-C MAXCMDLINE] [-r MAXRCPTS] [-n MAXSESSIONS]
 *		[-t TIMEOUT] [-w DELIVER_DELAY_MS] [-H HOSTNAME]
 * DESCRIPTION
 *	For tests/e2e/lmtp.sh.  Prints "listen NAME" for each bound address
 *	(the real port when :0 was given) and then "ready" on stdout, logs
 *	to stderr, and runs until SIGTERM or SIGINT, when it calls
 *	lmtp_server_stop() and prints "stopped".
 *
 *	Hooks: a recipient is accepted when it ends in "@lists.test" (any
 *	case; the route is a copy of the address, freed by route_free, so a
 *	leak shows under ASan).  deliver() refuses with "451 4.3.0" when
 *	"fail@lists.test" is among the recipients; otherwise it writes the
 *	envelope ("key: value" lines, a blank line) and the exact message
 *	octets to DIR/tmp.N, fsync()s it, renames it to DIR/msg-N.eml and
 *	fsync()s the directory: only then does it return 0, as the real
 *	store must.  -w makes deliver() sleep first (a stop while a session
 *	is inside deliver()).
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf/buf.h"
#include "lmtp.h"
#include "log.h"

struct tool {
	const char *dir;
	unsigned delay_ms;
	atomic_uint counter;
};

static int tool_rcpt(void *ctx, const struct lmtp_envelope *env,
		     const char *address, void **route_r, const char **reply_r)
{
	static const char suffix[] = "@lists.test";
	static _Thread_local char why[600];
	size_t	n = strlen(address), k = sizeof(suffix) - 1;

	if (n > k && strcasecmp(address + n - k, suffix) == 0) {
		*route_r = strdup(address);
		return 0;
	}
	snprintf(why, sizeof(why), "550 5.1.1 <%s>: no such list", address);
	*reply_r = why;
	return -1;
}

static void tool_route_free(void *ctx, void *route)
{
	free(route);
}

static void put_envelope(struct buf *b, const struct lmtp_envelope *env,
			 const struct lmtp_rcpt *rcpts, size_t n)
{
	const struct spf_xforward *xf = env->xforward;
	char	ip[INET6_ADDRSTRLEN] = "-";
	size_t	i;

	if (xf->have_addr)
		inet_ntop(xf->family, &xf->ip, ip, sizeof(ip));
	buf_printf(b, "session: %s\nlhlo: %s\nmail-from: <%s>\nsize: %llu\n"
		   "8bitmime: %d\nsmtputf8: %d\n", env->session_id, env->lhlo,
		   env->mail_from, env->size, env->body_8bitmime, env->smtputf8);
	for (i = 0; i < n; i++)
		buf_printf(b, "rcpt: <%s> route=%s\n", rcpts[i].address,
			   (const char *) rcpts[i].route);
	buf_printf(b, "xforward-addr: %s\nxforward-name: %s\nxforward-helo: %s\n"
		   "xforward-proto: %s\nxforward-source: %s\n\n", ip, xf->name,
		   xf->helo, xf->proto, xf->source);
}

/* Write all of b to a new file and rename it into place, durably. */
static int store(struct tool *t, const struct buf *b)
{
	char	tmp[4096], dst[4096];
	unsigned n = atomic_fetch_add(&t->counter, 1) + 1;
	size_t	off = 0;
	int	fd, dfd;

	snprintf(tmp, sizeof(tmp), "%s/tmp.%u", t->dir, n);
	snprintf(dst, sizeof(dst), "%s/msg-%u.eml", t->dir, n);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		return -1;
	while (off < b->len) {
		ssize_t	w = write(fd, b->data + off, b->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t) w;
	}
	if (off != b->len || fsync(fd) < 0 || close(fd) < 0
	    || rename(tmp, dst) < 0) {
		unlink(tmp);
		return -1;
	}
	if ((dfd = open(t->dir, O_RDONLY)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

static int tool_deliver(void *ctx, const struct lmtp_envelope *env,
			const struct lmtp_rcpt *rcpts, size_t n,
			const unsigned char *msg, size_t len, const char **reply_r)
{
	struct tool *t = ctx;
	struct buf b;
	size_t	i;
	int	r;

	if (t->delay_ms) {
		struct timespec ts = { t->delay_ms / 1000,
			(long) (t->delay_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	for (i = 0; i < n; i++) {
		if (strcasecmp(rcpts[i].address, "fail@lists.test") == 0) {
			*reply_r = "451 4.3.0 temporary failure (test)";
			return -1;
		}
	}
	buf_init(&b, len + 1024 * 1024);
	put_envelope(&b, env, rcpts, n);
	buf_append(&b, msg, len);
	r = buf_failed(&b) ? -1 : store(t, &b);
	buf_free(&b);
	if (r < 0)
		*reply_r = "451 4.3.0 cannot store the message (test)";
	return r;
}

static unsigned long number(const char *s, int base)
{
	char   *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || *end || end == s) {
		fprintf(stderr, "lmtp_server_tool: bad number: %s\n", s);
		exit(2);
	}
	return v;
}

static int parse_args(int argc, char **argv, struct lmtp_config *cfg,
		      struct tool *t, const char **listen, size_t max)
{
	size_t	nl = 0;
	int	opt;

	while ((opt = getopt(argc, argv, "d:l:m:s:L:C:r:n:t:w:H:")) != -1) {
		switch (opt) {
		case 'd': t->dir = optarg; break;
		case 'l':
			if (nl + 1 >= max)
				return -1;
			listen[nl++] = optarg;
			break;
		case 'm': cfg->socket_mode = (unsigned) number(optarg, 8); break;
		case 's': cfg->max_message_size = number(optarg, 10); break;
		case 'L': cfg->max_line = number(optarg, 10); break;
		case 'C': cfg->max_command_line = number(optarg, 10); break;
		case 'r': cfg->max_rcpts = (unsigned) number(optarg, 10); break;
		case 'n': cfg->max_sessions = (unsigned) number(optarg, 10); break;
		case 't':
			cfg->command_timeout_s = (unsigned) number(optarg, 10);
			cfg->data_timeout_s = cfg->command_timeout_s;
			break;
		case 'w': t->delay_ms = (unsigned) number(optarg, 10); break;
		case 'H': cfg->hostname = optarg; break;
		default: return -1;
		}
	}
	listen[nl] = NULL;
	return t->dir && nl ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const char *listen[16];
	struct lmtp_config cfg;
	struct lmtp_hooks hooks = { NULL, tool_rcpt, tool_route_free, tool_deliver };
	static struct tool t;
	struct lmtp_server *srv;
	const char *error, *name;
	sigset_t set;
	size_t	i;
	int	sig;

	lmtp_config_init(&cfg);
	cfg.hostname = "lmtp.test";
	if (parse_args(argc, argv, &cfg, &t, listen, 16) < 0) {
		fprintf(stderr, "usage: lmtp_server_tool -d DIR -l LISTEN... [-m MODE]"
			" [-s N] [-L N] [-C N] [-r N] [-n N] [-t SECS] [-w MS] [-H NAME]\n");
		return 2;
	}
	cfg.listen = listen;
	hooks.ctx = &t;
	log_open("lmtp_server_tool", 1, NULL);
	log_set_level(LOG_L_DEBUG);
	/* Block the signals before any thread exists; take them here. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((srv = lmtp_server_start(&cfg, &hooks, &error)) == NULL) {
		fprintf(stderr, "lmtp_server_tool: %s\n", error);
		return 1;
	}
	for (i = 0; (name = lmtp_server_listen_name(srv, i)) != NULL; i++)
		printf("listen %s\n", name);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	lmtp_server_stop(srv);
	printf("stopped\n");
	fflush(stdout);
	log_close();
	return 0;
}
