-- NAME
--	012_report_address.sql
-- SUMMARY
--	inbox_rcpt.role may be 'dmarc-report': mail to the DMARC report
--	address (sealist.conf dmarc_report_address) at a list domain
-- DESCRIPTION
--	The address is LOCAL@DOMAIN for any DOMAIN that has a list, so the
--	recipient is routed to one list of that domain (the lowest id) only
--	because every inbox_rcpt row hangs off a list: deleting that list
--	drops the recipient like any other.
--
--	SQLite cannot change a CHECK constraint in place, so the table is
--	rebuilt the way https://sqlite.org/lang_altertable.html ("Making
--	Other Kinds Of Table Schema Changes") describes: create the new
--	table, copy the rows, drop the old one, rename the new one, and
--	create its indexes again (inbox_rcpt_list from 001, inbox_rcpt_state
--	from 003).  inbox_rcpt has no triggers and no views use it.
--
--	That page says to turn foreign keys off first.  The migration runner
--	(src/store_migrate.c) runs each file inside a transaction, where
--	PRAGMA foreign_keys is a no-op, so they stay on; that is safe here
--	because no table references inbox_rcpt (dropping it cascades nowhere
--	and the rename has no REFERENCES to rewrite), and the copied rows
--	point at the same inbox and lists rows as before, which the
--	enforced constraints already held.  The columns are those of 001
--	plus the three 003 added, in the same order, with the same
--	defaults and checks.

CREATE TABLE inbox_rcpt_012 (
	inbox_id	INTEGER NOT NULL REFERENCES inbox(id) ON DELETE CASCADE,
	address		TEXT NOT NULL,		-- RCPT TO, as given
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	role		TEXT NOT NULL
			CHECK (role IN ('post', 'request', 'owner', 'bounces',
					'confirm', 'join', 'leave', 'dmarc-report')),
	state		TEXT NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'held', 'done', 'rejected', 'discarded',
					 'deferred', 'failed')),
	reason		TEXT,
	tag		TEXT NOT NULL DEFAULT '',	-- +TAG of the address
	PRIMARY KEY (inbox_id, address)
) STRICT, WITHOUT ROWID;

INSERT INTO inbox_rcpt_012 (inbox_id, address, list_id, role, state, reason, tag)
	SELECT inbox_id, address, list_id, role, state, reason, tag FROM inbox_rcpt;

DROP TABLE inbox_rcpt;
ALTER TABLE inbox_rcpt_012 RENAME TO inbox_rcpt;

CREATE INDEX inbox_rcpt_list ON inbox_rcpt (list_id);
CREATE INDEX inbox_rcpt_state ON inbox_rcpt (state, inbox_id);
