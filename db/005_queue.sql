-- NAME
--	005_queue.sql
-- SUMMARY
--	the outbound queue: one delivery row per recipient of each outbound row
-- DESCRIPTION
--	A post is stored once (outbound.message); its recipients are the
--	list's active regular members at the moment it was accepted, one row
--	each, created in the same transaction as the outbound row, so a post
--	is either queued for every member or for none.  Digest and nomail
--	members, and disabled ones, get no row.  A notice or a forward
--	names its recipients (outbound.recipients, one per line).
--
--	deliveries.state:
--	  queued	waiting for next_attempt (Unix time)
--	  delivered	the relay accepted it (2xx after DATA)
--	  bounced	a permanent failure (5xx) or given up after retries
--	Delivery is at-least-once: a row is marked delivered only after the
--	relay's 250, so a crash in between sends it again on restart.

CREATE TABLE deliveries (
	id		INTEGER PRIMARY KEY,
	outbound_id	INTEGER NOT NULL REFERENCES outbound(id) ON DELETE CASCADE,
	recipient	TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'delivered', 'bounced')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt	INTEGER NOT NULL,
	last_error	TEXT,
	UNIQUE (outbound_id, recipient)
) STRICT;

CREATE INDEX deliveries_due ON deliveries (state, next_attempt);
