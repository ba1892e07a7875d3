-- NAME
--	001_init.sql
-- SUMMARY
--	the first sealist schema: domains, lists, owners, settings, members,
--	and the daemon's inbox
-- DESCRIPTION
--	Migrations are db/NNN_name.sql, applied once each in version order by
--	src/store_migrate.c, each inside its own transaction together with its
--	row in schema_migrations (which the runner creates itself).  So a file
--	must not contain BEGIN, COMMIT or ROLLBACK, and it must never be edited
--	once released: change the schema with a new, higher-numbered file.
--
--	All tables are STRICT (SQLite 3.37), so a value of the wrong type is
--	an error instead of being stored silently.  Times are INTEGER seconds
--	since the Unix epoch, UTC.  Names of domains and lists are stored in
--	lowercase; the code lowercases before every lookup.

-- A mail domain that has lists.  Kept when its last list is deleted, because
-- later the domain's signing keys hang off it.
CREATE TABLE domains (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE,		-- lowercase
	created_at	INTEGER NOT NULL
) STRICT;

-- A list is LOCAL_PART@domain.  Its role addresses (LIST-request, -owner,
-- -bounces, -confirm, -join, -leave) are derived, never stored, which is
-- why list names may not end in those suffixes.
CREATE TABLE lists (
	id		INTEGER PRIMARY KEY,
	domain_id	INTEGER NOT NULL REFERENCES domains(id) ON DELETE RESTRICT,
	local_part	TEXT NOT NULL,			-- lowercase dot-atom
	created_at	INTEGER NOT NULL,
	UNIQUE (domain_id, local_part)
) STRICT;

-- Owners receive LIST-owner mail and administer the list.  address_key is
-- as for members.
CREATE TABLE list_owners (
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	address		TEXT NOT NULL,
	address_key	TEXT NOT NULL,
	PRIMARY KEY (list_id, address_key)
) STRICT, WITHOUT ROWID;

-- Settings that differ from the default only: a missing row means "the
-- default of src/settings.c", so a better default in a later version
-- reaches every list that never chose a value.  Values are text in the
-- encoding of src/settings.c (Mailman's: 0/1, decimal numbers, ...).
CREATE TABLE list_settings (
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	name		TEXT NOT NULL,
	value		TEXT NOT NULL,
	PRIMARY KEY (list_id, name)
) STRICT, WITHOUT ROWID;

-- A subscription.  address is kept as given except that the domain is
-- lowercased (domains are case-insensitive, RFC 5321 section 2.4); the
-- local part keeps its case because that is what the member typed and
-- what we send to.  address_key is the whole address in lowercase and is
-- what makes a member unique: RFC 5321 allows case-sensitive local parts,
-- but no real mailbox provider distinguishes them, and two members that
-- differ only in case would get every post twice (Mailman 3 does the same).
--
-- Unsubscribing deletes the row; there is no "unsubscribed" status, so a
-- former member leaves nothing behind and may simply join again.
CREATE TABLE members (
	id		INTEGER PRIMARY KEY,
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	address		TEXT NOT NULL,
	address_key	TEXT NOT NULL,
	display_name	TEXT NOT NULL DEFAULT '',
	delivery_mode	TEXT NOT NULL DEFAULT 'regular'
			CHECK (delivery_mode IN ('regular', 'digest', 'nomail')),
	-- disabled: no delivery (by bounces, the member or an admin), but
	-- still a member: may post, keeps settings, can be re-enabled.
	status		TEXT NOT NULL DEFAULT 'enabled'
			CHECK (status IN ('enabled', 'disabled')),
	moderated	INTEGER NOT NULL DEFAULT 0 CHECK (moderated IN (0, 1)),
	subscribed_at	INTEGER NOT NULL,
	UNIQUE (list_id, address_key)
) STRICT;

-- Messages the LMTP server has accepted: the exact bytes, stored and
-- committed before the 250 reply.  The pipeline moves a message through
-- its states, each step one transaction, so a crash resumes where it
-- stopped:
--	new		stored, not yet looked at
--	authenticated	DKIM/SPF/DMARC/ARC results recorded, ready for routing
--			and policy
--	held		waiting for a moderator
--	done		handled: enqueued for delivery, or a command answered
--	rejected	refused by policy (a notice may have been sent)
--	discarded	dropped silently by policy
--	failed		gave up after repeated local errors (see last_error)
CREATE TABLE inbox (
	id		INTEGER PRIMARY KEY,
	received_at	INTEGER NOT NULL,
	envelope_from	TEXT NOT NULL,		-- '' for the null sender <>
	client_ip	TEXT NOT NULL DEFAULT '',	-- for SPF, from the MTA
	helo		TEXT NOT NULL DEFAULT '',	-- for SPF, from the MTA
	message		BLOB NOT NULL,		-- exactly as received
	size		INTEGER NOT NULL,
	state		TEXT NOT NULL DEFAULT 'new'
			CHECK (state IN ('new', 'authenticated', 'held', 'done',
					 'rejected', 'discarded', 'failed')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT,
	updated_at	INTEGER NOT NULL
) STRICT;

CREATE INDEX inbox_state ON inbox (state, id);

-- The recipients LMTP accepted for a message, each already routed to a
-- list and one of its roles.  Deleting the list drops its recipients, so
-- nothing is ever delivered for a list that no longer exists.
CREATE TABLE inbox_rcpt (
	inbox_id	INTEGER NOT NULL REFERENCES inbox(id) ON DELETE CASCADE,
	address		TEXT NOT NULL,		-- RCPT TO, as given
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	role		TEXT NOT NULL
			CHECK (role IN ('post', 'request', 'owner', 'bounces',
					'confirm', 'join', 'leave')),
	PRIMARY KEY (inbox_id, address)
) STRICT, WITHOUT ROWID;

CREATE INDEX inbox_rcpt_list ON inbox_rcpt (list_id);
