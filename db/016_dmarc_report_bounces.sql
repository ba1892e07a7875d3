-- NAME
--	016_dmarc_report_bounces.sql
-- SUMMARY
--	the bounces (RFC 3464 DSNs) of the DMARC aggregate reports sealist
--	sent
-- DESCRIPTION
--	dmarc_report_bounces: one row per failed recipient of a bounce that
--	came back to dmarc_report_address about a report in
--	dmarc_sent_reports (src/dmarcbounce.c): the report_id, the rua
--	address that failed (the DSN's Final-Recipient), its status
--	("5.1.1"), hard (5.x.x) or soft (4.x.x), the inbox message and
--	when.  UNIQUE (inbox_id, recipient) keeps a retried pipeline step
--	from recording a bounce twice.  The index on recipient and time is
--	for "how often did this rua address bounce lately"; the one on
--	dmarc_sent_reports (report_id) is for telling our reports' bounces
--	from other mail.
--
--	Numbered 016: 015 is the last on main when this was written; the
--	migration runner applies every version a database lacks.

CREATE TABLE dmarc_report_bounces (
	id		INTEGER PRIMARY KEY,
	report_id	TEXT NOT NULL,
	recipient	TEXT NOT NULL,
	status		TEXT NOT NULL DEFAULT '',
	class		TEXT NOT NULL CHECK (class IN ('hard', 'soft')),
	inbox_id	INTEGER NOT NULL,
	bounced_at	INTEGER NOT NULL,
	UNIQUE (inbox_id, recipient)
) STRICT;

CREATE INDEX dmarc_report_bounces_rcpt ON dmarc_report_bounces (recipient, bounced_at);
CREATE INDEX dmarc_sent_reports_id ON dmarc_sent_reports (report_id);
