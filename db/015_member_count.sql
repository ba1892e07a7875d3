-- NAME
--	015_member_count.sql
-- SUMMARY
--	each list's member count, kept by triggers on members
-- DESCRIPTION
--	list_member_counts: one row per list that has had a member, with the
--	number of its members.  The web members page shows "N members" and
--	its page links on every request; count(*) over the list's index
--	entries costs about 8 ms at 100,000 members, this row a lookup.
--
--	The triggers keep it whatever writes members: an insert adds one
--	(an upsert, so a list needs no row of its own before its first
--	member), a delete takes one away (also the deletes that ON DELETE
--	CASCADE does when a list goes: foreign key actions fire triggers),
--	and a member moved to another list (nothing does that today) moves
--	its count.  The row itself goes with its list.  sealist never
--	writes members with INSERT OR REPLACE: a REPLACE's implicit delete
--	fires no delete trigger unless recursive_triggers is on, and the
--	count would drift.  A list without a row has no members.
--
--	Numbered 015: 014 is another change's; the migration runner applies
--	every version a database lacks, so either order works.  The counts
--	start from the rows already there.

CREATE TABLE list_member_counts (
	list_id		INTEGER PRIMARY KEY REFERENCES lists(id) ON DELETE CASCADE,
	members		INTEGER NOT NULL CHECK (members >= 0)
) STRICT;

INSERT INTO list_member_counts (list_id, members)
	SELECT list_id, count(*) FROM members GROUP BY list_id;

CREATE TRIGGER members_count_insert AFTER INSERT ON members
BEGIN
	INSERT INTO list_member_counts (list_id, members) VALUES (NEW.list_id, 1)
		ON CONFLICT (list_id) DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER members_count_delete AFTER DELETE ON members
BEGIN
	UPDATE list_member_counts SET members = members - 1 WHERE list_id = OLD.list_id;
END;

CREATE TRIGGER members_count_move AFTER UPDATE OF list_id ON members
	WHEN NEW.list_id IS NOT OLD.list_id
BEGIN
	UPDATE list_member_counts SET members = members - 1 WHERE list_id = OLD.list_id;
	INSERT INTO list_member_counts (list_id, members) VALUES (NEW.list_id, 1)
		ON CONFLICT (list_id) DO UPDATE SET members = members + 1;
END;
