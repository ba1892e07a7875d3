-- NAME
--	010_web_accounts.sql
-- SUMMARY
--	the web admin interface's accounts, their roles, sessions and the
--	login throttle
-- DESCRIPTION
--	web_users: one row per account (sealist admin add).  name is
--	[A-Za-z0-9._@-]{1,64}, unique without regard to case, so "Alice"
--	and "alice" are one account.  password_hash is
--	"$scrypt$ln=N,r=R,p=P$SALT$HASH" (src/account.c); the parameters
--	are stored so that they can be raised later.  A site admin may do
--	everything; other accounts only what their web_roles rows allow.
--
--	web_roles: owner (settings, members, bounces, held posts) or
--	moderator (held posts) of one list; gone with the list or the user.
--
--	web_sessions: one row per login.  id_hash is the SHA-256 of the
--	256-bit session id the browser holds in its cookie, so the
--	database never holds a usable session id.  csrf is the session's
--	form token (64 hex digits).  A session ends at expires_at
--	(absolute, web_session_life after the login) or when it was not
--	used for web_session_idle (last_seen); changing the password or
--	removing the user deletes its sessions.
--
--	web_login_failures: the login throttle.  key is "user:NAME"
--	(lowercased, whether or not the account exists) or "client:ADDRESS".
--	failures counts failed logins since window_start; at the limit the
--	key is locked until locked_until, and lockouts (how often in a row)
--	doubles the next lock.

CREATE TABLE web_users (
	name		TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
	password_hash	TEXT NOT NULL,
	site_admin	INTEGER NOT NULL DEFAULT 0 CHECK (site_admin IN (0, 1)),
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
) STRICT;

CREATE TABLE web_roles (
	user		TEXT NOT NULL COLLATE NOCASE REFERENCES web_users(name) ON DELETE CASCADE,
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	role		TEXT NOT NULL CHECK (role IN ('owner', 'moderator')),
	PRIMARY KEY (user, list_id)
) STRICT;

CREATE INDEX web_roles_list ON web_roles (list_id);

CREATE TABLE web_sessions (
	id_hash		BLOB NOT NULL PRIMARY KEY CHECK (length(id_hash) = 32),
	user		TEXT NOT NULL COLLATE NOCASE REFERENCES web_users(name) ON DELETE CASCADE,
	csrf		TEXT NOT NULL,
	created_at	INTEGER NOT NULL,
	last_seen	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL
) STRICT;

CREATE INDEX web_sessions_user ON web_sessions (user);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

CREATE TABLE web_login_failures (
	key		TEXT NOT NULL PRIMARY KEY,
	failures	INTEGER NOT NULL DEFAULT 0,
	window_start	INTEGER NOT NULL,
	locked_until	INTEGER NOT NULL DEFAULT 0,
	lockouts	INTEGER NOT NULL DEFAULT 0
) STRICT;
