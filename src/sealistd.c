/*
 * NAME
 *	sealistd 8
 * SUMMARY
 *	the sealist daemon
 * SYNOPSIS
 *	sealistd [-c CONF] [-f] [--check-config]
 *	sealistd --web-routes
 * DESCRIPTION
 *	Reads the configuration, opens the database (applying pending
 *	migrations) and runs until SIGTERM or SIGINT.  SIGHUP re-reads the
 *	configuration: a good file takes effect, a bad one is reported line
 *	by line and the running configuration is kept.
 *
 *	Signals are blocked in every thread and taken synchronously with
 *	sigwait() in the main thread, so no work is ever done in a signal
 *	handler and worker threads added later inherit the mask.
 *
 *	It serves LMTP (lmtp_listen) into the inbox and runs the pipeline
 *	workers that authenticate, judge and rewrite what arrives into the
 *	outbound table, and the delivery workers that sign and send it to
 *	smtp_relay, and the web server (web_listen, web.h): static files,
 *	the public subscriber pages and the admin pages.  Stopping closes the web server
 *	(requests in progress finish) and the LMTP sockets first (sessions
 *	in DATA finish storing), then lets the pipeline and delivery workers
 *	finish their current step.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "conf.h"
#include "deliver.h"
#include "delivery.h"
#include "ingest.h"
#include "lmtp.h"
#include "log.h"
#include "pipeline.h"
#include "store.h"
#include "template.h"
#include "web.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

struct daemon_opts {
	const char *conf_path;
	int	foreground;
	int	check_only;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: sealistd [-c CONF] [-f] [--check-config] | --web-routes\n"
		"  -c CONF          configuration file (default %s)\n"
		"  -f               stay in the foreground and log to stderr\n"
		"  --check-config   check the configuration, print \"configuration OK\"\n"
		"                   or each error with its line number, and exit\n"
		"  --web-routes     print every web route as METHOD PATTERN ROLE and exit\n"
		"  -h, --help       this text\n"
		"  --version        print the version\n"
		"Signals: SIGTERM/SIGINT stop, SIGHUP re-reads the configuration.\n"
		"See sealistd(8) and sealist.conf(5).\n", conf_default_path());
}

static int parse_args(int argc, char **argv, struct daemon_opts *opts)
{
	int	i;

	opts->conf_path = conf_default_path();
	opts->foreground = 0;
	opts->check_only = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-c") == 0 && i + 1 < argc) {
			opts->conf_path = argv[++i];
		} else if (strcmp(a, "-f") == 0) {
			opts->foreground = 1;
		} else if (strcmp(a, "--check-config") == 0) {
			opts->check_only = 1;
		} else if (strcmp(a, "--web-routes") == 0) {
			/* the security test walks every route from this */
			web_routes_print(stdout);
			exit(fflush(stdout) == 0 ? 0 : 1);
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0) {
			printf("sealistd %s\n", PACKAGE_VERSION);
			exit(0);
		} else {
			fprintf(stderr, "sealistd: %s: %s\n", a,
				strcmp(a, "-c") == 0 ? "needs a file name" : "unknown option");
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

/* Load a configuration; 0 or the number of errors, listed in errors. */
static int load_conf(struct conf *conf, const char *path, struct buf *errors)
{
	conf_init(conf);
	return conf_load(conf, path, errors);
}

static int check_config(const char *path)
{
	struct conf conf;
	struct buf errors;
	int	n;

	buf_init(&errors, 1024 * 1024);
	n = load_conf(&conf, path, &errors);
	if (n == 0) {
		const char *error;

		if (template_check_all(conf_get(&conf, CONF_TEMPLATES_DIR), &error) < 0
		    || (*conf_get(&conf, CONF_WEB_LISTEN)
			&& template_check_html(conf_get(&conf, CONF_TEMPLATES_DIR), &error) < 0)) {
			buf_printf(&errors, "%s: %s\n", path, error);
			n = 1;
		}
	}
	if (n == 0)
		printf("%s: configuration OK\n", path);
	else
		fputs(buf_str(&errors), stderr);
	buf_free(&errors);
	conf_free(&conf);
	return n == 0 ? 0 : 1;
}

static void apply_log_level(const struct conf *conf)
{
	enum log_level level = LOG_L_INFO;

	(void) log_level_from_name(conf_get(conf, CONF_LOG_LEVEL), &level);
	log_set_level(level);
}

/* Log each error line of a failed load as its own event. */
static void log_conf_errors(const char *event, const struct buf *errors)
{
	const char *p = buf_str(errors);

	while (*p) {
		const char *nl = strchr(p, '\n');
		int	len = nl ? (int) (nl - p) : (int) strlen(p);

		char   *line = strndup(p, (size_t) len);

		log_error("event=%s error=%s", event, log_quote(line ? line : "?"));
		free(line);
		p += len + (nl != NULL);
	}
}

static void become_daemon(void)
{
	pid_t	pid;
	int	fd;

	if ((pid = fork()) < 0)
		log_fatal("event=fork error=%s", log_quote(strerror(errno)));
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		log_fatal("event=setsid error=%s", log_quote(strerror(errno)));
	if (chdir("/") < 0)
		log_fatal("event=chdir error=%s", log_quote(strerror(errno)));
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

static void write_pid_file(const char *path)
{
	FILE   *fp;

	if (*path == 0)
		return;
	if ((fp = fopen(path, "w")) == NULL)
		log_fatal("event=pid_file file=%s error=%s", log_quote(path),
			  log_quote(strerror(errno)));
	fprintf(fp, "%ld\n", (long) getpid());
	if (fclose(fp) != 0)
		log_fatal("event=pid_file file=%s error=%s", log_quote(path),
			  log_quote(strerror(errno)));
}

static void announce_endpoints(const struct conf *conf)
{
	const char *lmtp = conf_get(conf, CONF_LMTP_LISTEN);
	const char *web = conf_get(conf, CONF_WEB_LISTEN);
	const char *relay = conf_get(conf, CONF_SMTP_RELAY);

	/* Say plainly what is configured and what this build serves. */
	log_info("event=endpoint service=lmtp listen=%s served=%s",
		 log_quote(*lmtp ? lmtp : "off"), *lmtp ? "yes" : "no");
	log_info("event=endpoint service=delivery relay=%s connections=%s served=%s",
		 log_quote(*relay ? relay : "off"), conf_get(conf, CONF_SMTP_CONNECTIONS),
		 *relay ? "yes" : "no");
	log_info("event=endpoint service=web listen=%s served=%s",
		 log_quote(*web ? web : "off"), *web ? "yes" : "no");
}

/* Re-read the configuration; keep the old one if the new one is bad. */
static void reload(struct conf *conf, const char *path)
{
	struct conf fresh;
	struct buf errors;

	buf_init(&errors, 1024 * 1024);
	if (load_conf(&fresh, path, &errors) != 0) {
		log_conf_errors("reload", &errors);
		log_error("event=reload status=failed note=\"kept the running configuration\"");
		conf_free(&fresh);
	} else {
		if (strcmp(conf_get(&fresh, CONF_DATABASE), conf_get(conf, CONF_DATABASE)) != 0)
			log_warn("event=reload key=database note=\"a new database needs a restart\"");
		conf_free(conf);
		*conf = fresh;
		apply_log_level(conf);
		log_info("event=reload status=ok config=%s", log_quote(path));
	}
	buf_free(&errors);
}

/* Wait for signals until asked to stop; returns the stopping signal. */
static int serve(struct conf *conf, const char *path, const sigset_t *set)
{
	int	sig;

	for (;;) {
		if (sigwait(set, &sig) != 0)
			log_panic("event=sigwait error=%s", log_quote(strerror(errno)));
		if (sig == SIGHUP)
			reload(conf, path);
		else
			return sig;
	}
}

/* The running services: delivery and pipeline workers, then the LMTP server. */
struct services {
	struct pipeline_config cfg;
	struct pipeline_config_owned own;
	struct delivery_config dcfg;
	struct delivery *delivery;
	struct pipeline *pipeline;
	struct ingest *ingest;
	struct lmtp_server *lmtp;
	struct web *web;
};

/* A user or group name, or a number; -1 when text is empty. */
static long long owner_id(const char *text, size_t len, int group)
{
	char	name[256];
	char   *end;
	unsigned long n;

	if (len == 0)
		return -1;
	if (len >= sizeof(name))
		log_fatal("event=start error=\"lmtp_socket_owner: name too long\"");
	memcpy(name, text, len);
	name[len] = 0;
	n = strtoul(name, &end, 10);
	if (*end == 0)
		return (long long) n;
	if (group) {
		struct group *g = getgrnam(name);

		if (g == NULL)
			log_fatal("event=start error=\"lmtp_socket_owner: no group %s\"", name);
		return (long long) g->gr_gid;
	} else {
		struct passwd *pw = getpwnam(name);

		if (pw == NULL)
			log_fatal("event=start error=\"lmtp_socket_owner: no user %s\"", name);
		return (long long) pw->pw_uid;
	}
}

/* lmtp_socket_owner: USER, USER:GROUP or :GROUP (start-up: one thread). */
static void socket_owner(const char *spec, struct lmtp_config *lc)
{
	const char *colon = strchr(spec, ':');

	lc->socket_uid = owner_id(spec, colon ? (size_t) (colon - spec) : strlen(spec), 0);
	lc->socket_gid = colon ? owner_id(colon + 1, strlen(colon + 1), 1) : -1;
}

static void start_lmtp(const struct conf *conf, struct services *sv)
{
	const char *listen[2] = { conf_get(conf, CONF_LMTP_LISTEN), NULL };
	struct lmtp_config lc;
	struct lmtp_hooks hooks;
	const char *error;

	if (*listen[0] == 0)
		return;
	if ((sv->ingest = ingest_new(sv->cfg.database, sv->cfg.delimiter, sv->pipeline,
				     &error)) == NULL
	    || ingest_set_report_local(sv->ingest, conf_get(conf, CONF_DMARC_REPORT_ADDRESS)) < 0)
		log_fatal("event=start status=failed error=%s",
			  log_quote(sv->ingest == NULL ? error : "out of memory"));
	lmtp_config_init(&lc);
	lc.listen = listen;
	lc.socket_mode = (unsigned) strtoul(conf_get(conf, CONF_LMTP_SOCKET_MODE), NULL, 8);
	socket_owner(conf_get(conf, CONF_LMTP_SOCKET_OWNER), &lc);
	lc.hostname = sv->own.hostname;
	ingest_hooks(sv->ingest, &hooks);
	if ((sv->lmtp = lmtp_server_start(&lc, &hooks, &error)) == NULL)
		log_fatal("event=start status=failed service=lmtp error=%s", log_quote(error));
}

static void kick_delivery(void *ctx)
{
	delivery_kick(ctx);
}

/* A relay's 5xx, or a delivery given up: the bounce module scores it. */
static void on_bounce(void *ctx, struct store *store, const char *list, const char *address,
		      enum dsn_class cls, const char *why)
{
	const struct services *sv = ctx;
	struct bounce_ctx bc = { store, sv->cfg.templates_dir, sv->cfg.web_base_url, time(NULL) };
	enum store_bounce_outcome outcome;
	const char *error;

	if (bounce_event(&bc, list, address, cls, why, &outcome, &error) != STORE_OK)
		log_error("event=bounce list=%s rcpt=%s error=%s", list, log_quote(address),
			  log_quote(error));
	else
		log_info("event=bounce list=%s rcpt=%s class=%s source=relay outcome=%s", list,
			 log_quote(address), dsn_class_name(cls),
			 outcome == STORE_BOUNCE_DISABLED ? "disabled" : "recorded");
}

/* Once a minute: warnings and removals that have come due. */
static void on_tick(void *ctx, struct store *store)
{
	const struct services *sv = ctx;
	struct bounce_ctx bc = { store, sv->cfg.templates_dir, sv->cfg.web_base_url, time(NULL) };
	size_t	warned = 0, removed = 0;
	const char *error;

	if (bounce_tick(&bc, &warned, &removed, &error) != STORE_OK)
		log_error("event=bounce-tick error=%s", log_quote(error));
	else if (warned + removed > 0)
		log_info("event=bounce-tick warned=%zu removed=%zu", warned, removed);
}

static void start_web(const struct conf *conf, struct services *sv)
{
	struct web_config wc;
	const char *error;

	if (*conf_get(conf, CONF_WEB_LISTEN) == 0)
		return;
	memset(&wc, 0, sizeof(wc));
	wc.listen = conf_get(conf, CONF_WEB_LISTEN);
	wc.database = sv->cfg.database;
	wc.templates_dir = sv->cfg.templates_dir;
	wc.www_dir = conf_get(conf, CONF_WWW_DIR);
	wc.web_base_url = conf_get(conf, CONF_WEB_BASE_URL);
	wc.delimiter = sv->cfg.delimiter;
	wc.authserv_id = sv->cfg.authserv_id;
	wc.allow_open_subscribe = sv->cfg.allow_open_subscribe;
	wc.pending_request_life = sv->cfg.pending_request_life;
	wc.request_replies_per_hour = sv->cfg.request_replies_per_hour;
	wc.web_session_idle = conf_duration(conf_get(conf, CONF_WEB_SESSION_IDLE),
					    strlen(conf_get(conf, CONF_WEB_SESSION_IDLE)));
	wc.web_session_life = conf_duration(conf_get(conf, CONF_WEB_SESSION_LIFE),
					    strlen(conf_get(conf, CONF_WEB_SESSION_LIFE)));
	wc.keys_dir = conf_get(conf, CONF_KEYS_DIR);
	wc.dns_nameserver = conf_get(conf, CONF_DNS_NAMESERVER);
	wc.tls_cert = conf_get(conf, CONF_WEB_TLS_CERT);
	wc.tls_key = conf_get(conf, CONF_WEB_TLS_KEY);
	wc.trusted_proxies = conf_get(conf, CONF_WEB_TRUSTED_PROXIES);
	wc.outbound_ips = conf_get(conf, CONF_OUTBOUND_IPS);			/* H2 */
	wc.dmarc_report_address = conf_get(conf, CONF_DMARC_REPORT_ADDRESS);	/* H2 */
	wc.on_outbound = sv->delivery != NULL ? kick_delivery : NULL;
	wc.on_outbound_ctx = sv->delivery;
	if ((sv->web = web_start(&wc, &error)) == NULL)
		log_fatal("event=start status=failed service=web error=%s", log_quote(error));
}

static void start_services(const struct conf *conf, struct services *sv)
{
	const char *error;

	memset(sv, 0, sizeof(*sv));
	if (pipeline_config_load(conf, &sv->cfg, &sv->own, &error) < 0)
		log_fatal("event=start status=failed error=%s", log_quote(error));
	if (template_check_all(sv->cfg.templates_dir, &error) < 0)
		log_fatal("event=start status=failed error=%s", log_quote(error));
	if (delivery_config_load(conf, sv->own.web_base_url, &sv->dcfg, &error) < 0)
		log_fatal("event=start status=failed error=%s", log_quote(error));
	sv->dcfg.on_bounce = on_bounce;
	sv->dcfg.on_bounce_ctx = sv;
	sv->dcfg.on_tick = on_tick;
	sv->dcfg.on_tick_ctx = sv;
	/* no relay: the queue keeps everything until one is configured */
	if (*sv->dcfg.smtp.relay == 0)
		log_warn("event=start service=delivery status=off reason=\"smtp_relay is empty\"");
	else if ((sv->delivery = delivery_start(&sv->dcfg, &error)) == NULL)
		log_fatal("event=start status=failed service=delivery error=%s", log_quote(error));
	sv->cfg.on_outbound = kick_delivery;
	sv->cfg.on_outbound_ctx = sv->delivery;
	if ((sv->pipeline = pipeline_start(&sv->cfg, &error)) == NULL)
		log_fatal("event=start status=failed service=pipeline error=%s", log_quote(error));
	start_lmtp(conf, sv);
	start_web(conf, sv);
}

static void stop_services(struct services *sv)
{
	web_stop(sv->web);
	if (sv->lmtp != NULL)
		lmtp_server_stop(sv->lmtp);
	pipeline_stop(sv->pipeline);
	delivery_stop(sv->delivery);
	ingest_free(sv->ingest);
	pipeline_config_free(&sv->own);
}

int main(int argc, char **argv)
{
	struct services sv;
	struct daemon_opts opts;
	struct conf conf;
	struct buf errors;
	struct store *store;
	const char *error;
	sigset_t set;
	int	sig;

	if (parse_args(argc, argv, &opts) < 0)
		return 2;
	if (opts.check_only)
		return check_config(opts.conf_path);

	log_open("sealistd", 1, NULL);
	buf_init(&errors, 1024 * 1024);
	if (load_conf(&conf, opts.conf_path, &errors) != 0) {
		fputs(buf_str(&errors), stderr);
		log_fatal("event=start status=failed error=\"bad configuration\" config=%s",
			  log_quote(opts.conf_path));
	}
	buf_free(&errors);
	apply_log_level(&conf);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		log_fatal("event=start error=\"cannot block signals\"");

	if ((store = store_open(conf_get(&conf, CONF_DATABASE), &error)) == NULL)
		log_fatal("event=start status=failed database=%s error=%s",
			  log_quote(conf_get(&conf, CONF_DATABASE)), log_quote(error));

	if (!opts.foreground) {
		become_daemon();
		log_open("sealistd", 0, conf_get(&conf, CONF_LOG_FACILITY));
	}
	write_pid_file(conf_get(&conf, CONF_PID_FILE));
	/* libcurl's global start is not thread-safe: before any thread */
	if (deliver_global_init() < 0)
		log_fatal("event=start status=failed error=\"libcurl cannot start\"");
	log_info("event=start version=%s config=%s database=%s",
		 PACKAGE_VERSION, log_quote(opts.conf_path),
		 log_quote(conf_get(&conf, CONF_DATABASE)));
	start_services(&conf, &sv);
	announce_endpoints(&conf);

	sig = serve(&conf, opts.conf_path, &set);

	log_info("event=stop signal=%s", sig == SIGTERM ? "TERM" : "INT");
	stop_services(&sv);
	deliver_global_cleanup();
	store_close(store);
	if (*conf_get(&conf, CONF_PID_FILE))
		unlink(conf_get(&conf, CONF_PID_FILE));
	conf_free(&conf);
	log_close();
	return 0;
}
