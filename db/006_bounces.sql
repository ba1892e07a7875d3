-- NAME
--	006_bounces.sql
-- SUMMARY
--	each member's bounce record, as Mailman 2.1 keeps it
-- DESCRIPTION
--	bounce_score grows by 1.0 for a hard bounce and 0.5 for a soft one,
--	at most once a day (bounce_last, Unix time of the last scored
--	bounce), and starts again from 0 after bounce_info_stale_after days
--	without one.  At bounce_score_threshold the member is disabled
--	(status disabled, disabled_by bounce) and gets
--	bounce_you_are_disabled_warnings notices before removal
--	(notices_left, last_notice).  Rejections caused by someone else's
--	DMARC failure are only counted (bounce_dmarc): they never score.

ALTER TABLE members ADD COLUMN bounce_score REAL NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN bounce_last INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN bounce_dmarc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN disabled_by TEXT
	CHECK (disabled_by IS NULL OR disabled_by IN ('bounce', 'admin', 'member'));
ALTER TABLE members ADD COLUMN notices_left INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN last_notice INTEGER NOT NULL DEFAULT 0;
