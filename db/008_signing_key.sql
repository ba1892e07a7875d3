-- NAME
--	008_signing_key.sql
-- SUMMARY
--	which of a domain's keys signs: one per algorithm
-- DESCRIPTION
--	A new key must not sign before its record is published, or every
--	copy fails DKIM at the subscribers.  So dkim_keys.signing marks the
--	key the delivery workers use, at most one per domain and algorithm:
--	the first key of an algorithm signs at once (there is nothing to
--	switch from), a later one only after "sealist key use", which checks
--	its record in DNS first.  Existing databases keep signing with the
--	newest key of each algorithm, as before this column.

ALTER TABLE dkim_keys ADD COLUMN signing INTEGER NOT NULL DEFAULT 0
	CHECK (signing IN (0, 1));

UPDATE dkim_keys SET signing = 1 WHERE id IN
	(SELECT (SELECT k2.id FROM dkim_keys k2 WHERE k2.domain = k.domain
		 AND k2.algorithm = k.algorithm ORDER BY k2.created_at DESC, k2.id DESC LIMIT 1)
	 FROM dkim_keys k GROUP BY k.domain, k.algorithm);

CREATE UNIQUE INDEX dkim_keys_signing ON dkim_keys (domain, algorithm) WHERE signing = 1;
