-- NAME
--	003_pipeline.sql
-- SUMMARY
--	what the pipeline needs: per-recipient states, the verdict, held
--	posts and the outbound table
-- DESCRIPTION
--	A message may reach several lists and roles at once, and each may
--	end differently (accepted on one list, held on another), so the
--	state that matters after authentication is the recipient's.  The
--	message's own state says only how far it got as a whole:
--	new (to authenticate), authenticated (recipients to handle), done
--	(every recipient finished or waiting for someone else).
--
--	inbox_rcpt.state:
--	  pending	not handled yet
--	  held		waiting for a moderator (see held)
--	  done		handled: enqueued, forwarded, or answered
--	  rejected	refused by policy (a notice may have gone out)
--	  discarded	dropped by policy, silently
--	  deferred	for a handler that is not in this version yet
--			(commands, bounces, confirmations): kept, not lost
--	  failed	gave up on a local error (reason says which)
--	Each change from pending is one transaction together with the rows
--	it produces (outbound, held), so a crash either did all of it or
--	none, and a restart never enqueues a post twice.

ALTER TABLE inbox ADD COLUMN client_name TEXT NOT NULL DEFAULT '';
-- Our Authentication-Results field, as added to the post.
ALTER TABLE inbox ADD COLUMN authres TEXT;
-- The rest of the verdict the later steps use, as key=value lines.
ALTER TABLE inbox ADD COLUMN verdict TEXT;

ALTER TABLE inbox_rcpt ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
	CHECK (state IN ('pending', 'held', 'done', 'rejected', 'discarded',
			 'deferred', 'failed'));
ALTER TABLE inbox_rcpt ADD COLUMN reason TEXT;
ALTER TABLE inbox_rcpt ADD COLUMN tag TEXT NOT NULL DEFAULT '';	-- +TAG of the address

CREATE INDEX inbox_rcpt_state ON inbox_rcpt (state, inbox_id);

-- Posts held for a moderator.  token answers a moderator's reply to the
-- notice (LIST-confirm+TOKEN@); notify_poster is 0 when the poster must
-- never hear of it (the From failed DMARC: a notice would be backscatter
-- to a forged address).
CREATE TABLE held (
	id		INTEGER PRIMARY KEY,
	inbox_id	INTEGER NOT NULL REFERENCES inbox(id) ON DELETE CASCADE,
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	rcpt_address	TEXT NOT NULL,
	reason		TEXT NOT NULL,
	token		TEXT NOT NULL UNIQUE,
	sender		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	notify_poster	INTEGER NOT NULL CHECK (notify_poster IN (0, 1)),
	held_at		INTEGER NOT NULL,
	UNIQUE (inbox_id, list_id)
) STRICT;

CREATE INDEX held_list ON held (list_id, id);

-- What the list sends, handed to the outbound queue (the next issue's
-- delivery workers).  A post is stored once, rewritten and ready to be
-- signed; its recipients are the list's members at delivery time.  A
-- notice or a forward names its recipients (one address per line).
-- aar and arc_cv carry the verdict for the ARC seal added on delivery.
CREATE TABLE outbound (
	id		INTEGER PRIMARY KEY,
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	inbox_id	INTEGER REFERENCES inbox(id) ON DELETE SET NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('post', 'notice', 'forward')),
	envelope_from	TEXT NOT NULL,
	recipients	TEXT NOT NULL DEFAULT '',
	message		BLOB NOT NULL,
	aar		TEXT,
	arc_cv		TEXT CHECK (arc_cv IS NULL OR arc_cv IN ('none', 'pass', 'fail')),
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'sending', 'done')),
	created_at	INTEGER NOT NULL
) STRICT;

CREATE INDEX outbound_state ON outbound (state, id);
