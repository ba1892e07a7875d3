-- NAME
--	009_requests.sql
-- SUMMARY
--	mail commands: pending (un)subscriptions, the reply rate limit, and
--	the member options the set command changes
-- DESCRIPTION
--	A subscription or unsubscription that needs someone's confirmation or
--	an owner's approval waits in pending_requests.  Its token (128 random
--	bits, hex) is the secret of LIST-confirm+TOKEN@ and of "confirm
--	TOKEN"; it is UNIQUE over all lists, so a token names one list.
--	state:
--	  awaiting_confirmation	a confirmation mail went to address
--	  awaiting_approval	the owners must approve (subscribe_policy 2,
--				3 after the confirmation; unsubscribe_policy 1)
--	  done			confirmed/approved and carried out; kept
--				(until pruned) so a re-used token is told so
--	  rejected		refused by an owner
--	  expired		found past expires_at by a new request for the same address
--	A row past expires_at is expired whatever its state says.  At most
--	one live row per list, kind and address (the partial index): a
--	second request re-uses it, its token and its confirmation.
--	needs_approval: after the confirmation, the owners still approve.
--	last_sent_at: when the confirmation last went out (re-sent at most
--	once an hour).  requested_by: the From of the request, which may
--	differ from address (a third party's subscription).

CREATE TABLE pending_requests (
	id		INTEGER PRIMARY KEY,
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	kind		TEXT NOT NULL CHECK (kind IN ('subscribe', 'unsubscribe')),
	address		TEXT NOT NULL,
	address_key	TEXT NOT NULL,
	name		TEXT NOT NULL DEFAULT '',
	delivery	TEXT NOT NULL DEFAULT 'regular'
			CHECK (delivery IN ('regular', 'digest', 'nomail')),
	token		TEXT NOT NULL UNIQUE,
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL,
	last_sent_at	INTEGER NOT NULL DEFAULT 0,
	state		TEXT NOT NULL
			CHECK (state IN ('awaiting_confirmation', 'awaiting_approval',
					 'done', 'rejected', 'expired')),
	needs_approval	INTEGER NOT NULL DEFAULT 0 CHECK (needs_approval IN (0, 1)),
	requested_by	TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE UNIQUE INDEX pending_requests_live ON pending_requests (list_id, kind, address_key)
	WHERE state IN ('awaiting_confirmation', 'awaiting_approval');
CREATE INDEX pending_requests_expiry ON pending_requests (expires_at);

-- One row per mail sealist sent in answer to a request, per recipient
-- (lowercased), so that request_replies_per_hour holds for each address:
-- forged requests cannot make sealist flood a third party.  Rows older
-- than an hour are pruned.
CREATE TABLE request_replies (
	address_key	TEXT NOT NULL,
	sent_at		INTEGER NOT NULL
) STRICT;

CREATE INDEX request_replies_key ON request_replies (address_key, sent_at);

-- The set command's options (Mailman 2.1's ACKNOWLEDGE_POSTS and the
-- inverse of DONTRECEIVEOWNPOSTS); delivery on|off is status with
-- disabled_by 'member', digest is delivery_mode.
ALTER TABLE members ADD COLUMN ack INTEGER NOT NULL DEFAULT 0 CHECK (ack IN (0, 1));
ALTER TABLE members ADD COLUMN myposts INTEGER NOT NULL DEFAULT 1 CHECK (myposts IN (0, 1));
