/*
 * NAME
 *	cli_admin 3
 * SUMMARY
 *	sealist admin add | passwd | remove | ls: web interface accounts
 * DESCRIPTION
 *	Accounts of the web admin pages (account.h, store.h): a site admin
 *	may do everything; other accounts are owner or moderator of some
 *	lists.  A password never appears on the command line (where ps
 *	would show it): it comes from --password-file, from standard input
 *	when that is not a terminal, or from the terminal, asked twice
 *	with echo off.  A new password and a removal end the account's
 *	sessions at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "cli.h"

/* A password buffer: the longest password, its line end and a NUL. */
#define CLI_PASSWORD_SIZE	(ACCOUNT_PASSWORD_MAX + 3)

/* The first line of fp into pw without its line end; its length, or -1 (printed). */
static long cli_admin_line(FILE *fp, const char *from, char pw[CLI_PASSWORD_SIZE])
{
	size_t	len;

	if (fgets(pw, CLI_PASSWORD_SIZE, fp) == NULL) {
		cli_error("no password in %s", from);
		return -1;
	}
	len = strlen(pw);
	if (len > 0 && pw[len - 1] == '\n')
		pw[--len] = '\0';
	else if (len == CLI_PASSWORD_SIZE - 1) {
		cli_error("the password in %s is longer than %d octets", from,
			  ACCOUNT_PASSWORD_MAX);
		return -1;
	}
	if (len > 0 && pw[len - 1] == '\r')
		pw[--len] = '\0';
	return (long) len;
}

/* Ask on the terminal with echo off; the length, or -1 (printed). */
static long cli_admin_ask(FILE *tty, const char *prompt, char pw[CLI_PASSWORD_SIZE])
{
	struct termios old, quiet;
	long	len;
	int	fd = fileno(tty), echo_off;

	fputs(prompt, stderr);
	fflush(stderr);
	echo_off = tcgetattr(fd, &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t) ECHO;
		quiet.c_lflag |= ECHONL;
		echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	len = cli_admin_line(tty, "the terminal", pw);
	if (echo_off)
		(void) tcsetattr(fd, TCSAFLUSH, &old);
	return len;
}

/* Twice from the terminal; the length, or -1 (printed). */
static long cli_admin_tty(const char *user, char pw[CLI_PASSWORD_SIZE])
{
	char	again[CLI_PASSWORD_SIZE], prompt[128];
	FILE   *tty = fopen("/dev/tty", "r+");
	long	len = -1;

	if (tty == NULL) {
		cli_error("no terminal to ask for the password; use --password-file FILE");
		return -1;
	}
	snprintf(prompt, sizeof(prompt), "New password for %s: ", user);
	if ((len = cli_admin_ask(tty, prompt, pw)) >= 0
	    && cli_admin_ask(tty, "The same again: ", again) >= 0
	    && strcmp(pw, again) != 0) {
		cli_error("the two passwords differ; nothing changed");
		len = -1;
	}
	account_wipe(again, sizeof(again));
	fclose(tty);
	return len;
}

/* The new password hashed into hash: from file, stdin or the terminal.  0 or 1 (printed). */
static int cli_admin_password(const char *file, const char *user, char hash[ACCOUNT_HASH_SIZE])
{
	char	pw[CLI_PASSWORD_SIZE];
	const char *problem;
	FILE   *fp;
	long	len;
	int	rc = CLI_EXIT_FAIL;

	if (file != NULL) {
		if ((fp = fopen(file, "r")) == NULL) {
			cli_error("cannot read %s: %s", file, strerror(errno));
			return CLI_EXIT_FAIL;
		}
		len = cli_admin_line(fp, file, pw);
		fclose(fp);
	} else if (!isatty(STDIN_FILENO))
		len = cli_admin_line(stdin, "standard input", pw);
	else
		len = cli_admin_tty(user, pw);
	if (len >= 0 && strlen(pw) != (size_t) len)
		cli_error("a password cannot contain a NUL octet");
	else if (len >= 0 && (problem = account_password_problem(pw, (size_t) len)) != NULL)
		cli_error("%s; nothing changed", problem);
	else if (len >= 0 && account_hash(pw, (size_t) len, hash) < 0)
		cli_error("cannot hash the password (no random numbers?)");
	else if (len >= 0)
		rc = CLI_EXIT_OK;
	account_wipe(pw, sizeof(pw));
	return rc;
}

/* Check USER and open the store; 0, or an exit status (printed). */
static int cli_admin_begin(struct cli *cli, const struct cli_command *cmd, const char *user)
{
	if (!account_name_ok(user))
		return cli_usage(cmd, "USER is 1 to 64 of A-Z a-z 0-9 . _ @ -, not \"%s\"", user);
	return cli_open_store(cli) != 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* An existing account gets site admin or a role. */
static int cli_admin_grant(struct cli *cli, const struct store_web_user *u, const char *list,
			   const char *role)
{
	const char *error;
	char	name[ACCOUNT_NAME_MAX + 1];
	int	rc, changed = 1;

	/* u's strings live only until the store's next call */
	snprintf(name, sizeof(name), "%s", u->name);
	if (list != NULL)
		rc = store_web_role_set(cli->store, name, list, role, &changed, &error);
	else if (u->site_admin) {
		cli_error("%s is a site admin already", name);
		return CLI_EXIT_FAIL;
	} else
		rc = store_web_user_set_admin(cli->store, name, 1, (long long) time(NULL),
					      &error);
	if (rc != STORE_OK)
		return cli_store_error(rc, error);
	if (list == NULL)
		printf("%s is now a site admin\n", name);
	else
		printf("%s %s %s of %s\n", name, changed ? "is now" : "was already", role, list);
	return CLI_EXIT_OK;
}

static int cli_admin_add(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	const char *list = NULL, *role = NULL, *file = NULL, *error;
	const struct cli_option options[] = {{"list", &list, NULL}, {"role", &role, NULL},
		{"password-file", &file, NULL}, {NULL, NULL, NULL}};
	struct store_web_user u;
	char	hash[ACCOUNT_HASH_SIZE];
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0)
		return rc;
	if ((list == NULL) != (role == NULL))
		return cli_usage(cmd, "--list and --role go together");
	if (role != NULL && strcmp(role, "owner") != 0 && strcmp(role, "moderator") != 0)
		return cli_usage(cmd, "--role is owner or moderator, not \"%s\"", role);
	if ((rc = cli_admin_begin(cli, cmd, argv[0])) != CLI_EXIT_OK)
		return rc;
	rc = store_web_user_get(cli->store, argv[0], &u, &error);
	if (rc == STORE_OK)
		return cli_admin_grant(cli, &u, list, role);
	if (rc != STORE_NOT_FOUND)
		return cli_store_error(rc, error);
	if (cli_admin_password(file, argv[0], hash) != CLI_EXIT_OK)
		return CLI_EXIT_FAIL;
	if ((rc = store_web_user_add(cli->store, argv[0], hash, list == NULL, list, role,
				     (long long) time(NULL), &error)) != STORE_OK)
		return cli_store_error(rc, error);
	if (list == NULL)
		printf("added %s, a site admin\n", argv[0]);
	else
		printf("added %s, %s of %s\n", argv[0], role, list);
	return CLI_EXIT_OK;
}

static int cli_admin_passwd(struct cli *cli, const struct cli_command *cmd, int argc,
			    char **argv)
{
	const char *file = NULL, *error;
	const struct cli_option options[] = {{"password-file", &file, NULL}, {NULL, NULL, NULL}};
	struct store_web_user u;
	char	hash[ACCOUNT_HASH_SIZE], key[ACCOUNT_KEY_SIZE];
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0
	    || (rc = cli_admin_begin(cli, cmd, argv[0])) != CLI_EXIT_OK)
		return rc;
	/* Ask for no password for an account that is not there. */
	if ((rc = store_web_user_get(cli->store, argv[0], &u, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	if (cli_admin_password(file, argv[0], hash) != CLI_EXIT_OK)
		return CLI_EXIT_FAIL;
	account_throttle_key(argv[0], key);
	if ((rc = store_web_user_passwd(cli->store, argv[0], hash, (long long) time(NULL),
					&error)) != STORE_OK
	    || (rc = store_web_login_clear(cli->store, key, &error)) != STORE_OK)
		return cli_store_error(rc, error);
	printf("new password for %s; its sessions ended and its login lock lifted\n", argv[0]);
	return CLI_EXIT_OK;
}

static int cli_admin_remove(struct cli *cli, const struct cli_command *cmd, int argc,
			    char **argv)
{
	const char *list = NULL, *error;
	const struct cli_option options[] = {{"list", &list, NULL}, {NULL, NULL, NULL}};
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, options, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 1, 1)) != 0
	    || (rc = cli_admin_begin(cli, cmd, argv[0])) != CLI_EXIT_OK)
		return rc;
	rc = list != NULL ? store_web_role_remove(cli->store, argv[0], list, &error)
	    : store_web_user_remove(cli->store, argv[0], &error);
	if (rc != STORE_OK)
		return cli_store_error(rc, error);
	if (list != NULL)
		printf("%s has no role on %s now\n", argv[0], list);
	else
		printf("removed %s and its sessions\n", argv[0]);
	return CLI_EXIT_OK;
}

/* One line per account: rows of the same account come together. */
struct cli_admin_ls {
	char	user[ACCOUNT_NAME_MAX + 1];
};

static int cli_admin_ls_row(const struct store_web_role_row *row, void *ctx)
{
	struct cli_admin_ls *ls = ctx;

	if (strcmp(ls->user, row->user) != 0) {
		printf("%s%s\t%s", ls->user[0] ? "\n" : "", row->user,
		       row->site_admin ? "site-admin" : row->list == NULL ? "-" : "");
		snprintf(ls->user, sizeof(ls->user), "%s", row->user);
		if (row->site_admin && row->list != NULL)
			putchar(' ');
	} else
		putchar(' ');
	if (row->list != NULL)
		printf("%s:%s", row->role, row->list);
	return 0;
}

static int cli_admin_ls(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_admin_ls ls = {""};
	const char *error;
	int	n, rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &n)) >= 0
	    || (rc = cli_want_args(cmd, n, 0, 0)) != 0)
		return rc;
	if (cli_open_store(cli) != 0)
		return CLI_EXIT_FAIL;
	rc = store_web_user_each(cli->store, cli_admin_ls_row, &ls, &error);
	if (ls.user[0])
		putchar('\n');
	return rc != STORE_OK ? cli_store_error(rc, error) : CLI_EXIT_OK;
}

#define CLI_ADMIN_PASSWORD_HELP \
	"\nThe password (8 to 1024 octets) is the first line of FILE with\n" \
	"--password-file FILE, else the first line of standard input when that is\n" \
	"not a terminal, else asked twice on the terminal without echo.\n"

const struct cli_command cli_admin_commands[] = {
	{"admin", "add", "USER [--list LIST --role owner|moderator] [--password-file FILE]",
	 "Add a web admin account, or give an account a role",
	 "\nWithout --list, USER becomes a site admin (all lists, keys, the queue).\n"
	 "With --list and --role, USER becomes owner (settings, members, bounces,\n"
	 "held posts) or moderator (held posts) of LIST.  A new account needs a\n"
	 "password; an existing one keeps its own (see admin passwd).\n"
	 "USER is 1 to 64 of A-Z a-z 0-9 . _ @ - and matches in any case.\n"
	 CLI_ADMIN_PASSWORD_HELP,
	 cli_admin_add},
	{"admin", "passwd", "USER [--password-file FILE]",
	 "Set a web admin account's password and end its sessions",
	 "\nAlso lifts a lock of USER's logins after too many wrong passwords.\n"
	 CLI_ADMIN_PASSWORD_HELP,
	 cli_admin_passwd},
	{"admin", "remove", "USER [--list LIST]",
	 "Remove a web admin account, or its role on one list",
	 "\nWithout --list the account goes with its roles and sessions; with --list\n"
	 "only its role on LIST (it keeps the account).\n",
	 cli_admin_remove},
	{"admin", "ls", "", "Show the web admin accounts and their roles",
	 "\nOne line per account: its name, a tab, then \"site-admin\" and/or\n"
	 "ROLE:LIST for each role, blank-separated (\"-\": none).\n",
	 cli_admin_ls},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};
