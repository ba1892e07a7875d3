-- NAME
--	007_delivery.sql
-- SUMMARY
--	what the delivery workers need: each list's token secret, and the
--	due deliveries found without a scan
-- DESCRIPTION
--	lists.token_key is the HMAC secret of the list's one-click
--	unsubscribe URLs (src/token.h): made on first use, never exported,
--	never shown.  Replacing it revokes every URL sent so far.
--
--	The workers ask for queued deliveries whose next_attempt has come,
--	oldest post first; deliveries_due (state, next_attempt) from 005
--	answers that.  deliveries_outbound serves the "is this post done?"
--	question asked after each batch.

ALTER TABLE lists ADD COLUMN token_key BLOB;

CREATE INDEX deliveries_outbound ON deliveries (outbound_id, state);
