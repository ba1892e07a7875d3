-- NAME
--	011_dmarc_reports.sql
-- SUMMARY
--	DMARC aggregate reports received about the list domains, their
--	records, and the reports refused
-- DESCRIPTION
--	dmarc_reports: one row per report (RFC 9990 or RFC 7489 XML, see
--	lib/dmarcrep): who sent it, the period it covers (Unix seconds), the
--	policy it says it found published for policy_domain, the schema
--	(7489 or 9990), its <error> lines and where it came from (source:
--	'mail' or 'file:NAME').  UNIQUE (org_name, report_id) is how a
--	report sent twice is recognised: a second copy adds nothing.  pct is
--	NULL when the report has none (RFC 9990 dropped it).
--
--	dmarc_report_records: one row per <record>: the source IP, how many
--	messages (count), what the receiver did (disposition) and its
--	aligned verdicts (policy_evaluated dkim, spf: pass or fail), the
--	first <reason>, the identifiers, and the first DKIM and first SPF
--	result of <auth_results> with the number of each (most records have
--	one of each; the summary uses only the policy_evaluated verdicts).
--	Gone with their report.
--
--	dmarc_report_rejects: a report that could not be unpacked or
--	parsed, kept aside with the reason, its size and SHA-256.  The
--	bytes themselves are not kept: they are what a hostile sender chose
--	(zip bombs, entity bombs, megabytes of junk), a row stays small
--	whoever sends what, and the hash is enough to find the file again
--	(sha256sum) in the mail spool or the directory it was imported from.
--	Of a file over the packed cap (LIMIT_DMARCREP_PACKED) only the first
--	cap + 1 octets are read: size and hash are of those.

CREATE TABLE dmarc_reports (
	id		INTEGER PRIMARY KEY,
	org_name	TEXT NOT NULL,
	email		TEXT NOT NULL DEFAULT '',
	report_id	TEXT NOT NULL,
	date_begin	INTEGER NOT NULL,
	date_end	INTEGER NOT NULL,
	policy_domain	TEXT NOT NULL,
	adkim		TEXT NOT NULL DEFAULT '',
	aspf		TEXT NOT NULL DEFAULT '',
	p		TEXT NOT NULL DEFAULT '',
	sp		TEXT NOT NULL DEFAULT '',
	np		TEXT NOT NULL DEFAULT '',
	pct		INTEGER,
	fo		TEXT NOT NULL DEFAULT '',
	schema		INTEGER NOT NULL CHECK (schema IN (7489, 9990)),
	errors		TEXT NOT NULL DEFAULT '',
	received_at	INTEGER NOT NULL,
	source		TEXT NOT NULL CHECK (source = 'mail' OR source LIKE 'file:%'),
	UNIQUE (org_name, report_id)
) STRICT;

CREATE INDEX dmarc_reports_domain ON dmarc_reports (policy_domain, date_end);
CREATE INDEX dmarc_reports_end ON dmarc_reports (date_end);

CREATE TABLE dmarc_report_records (
	id		INTEGER PRIMARY KEY,
	report_id	INTEGER NOT NULL REFERENCES dmarc_reports(id) ON DELETE CASCADE,
	source_ip	TEXT NOT NULL,
	count		INTEGER NOT NULL CHECK (count >= 0),
	disposition	TEXT NOT NULL DEFAULT '',
	dkim		TEXT NOT NULL DEFAULT '',
	spf		TEXT NOT NULL DEFAULT '',
	reason_type	TEXT NOT NULL DEFAULT '',
	reason_comment	TEXT NOT NULL DEFAULT '',
	header_from	TEXT NOT NULL DEFAULT '',
	envelope_from	TEXT NOT NULL DEFAULT '',
	envelope_to	TEXT NOT NULL DEFAULT '',
	dkim_domain	TEXT NOT NULL DEFAULT '',
	dkim_selector	TEXT NOT NULL DEFAULT '',
	dkim_result	TEXT NOT NULL DEFAULT '',
	dkim_count	INTEGER NOT NULL DEFAULT 0,
	spf_domain	TEXT NOT NULL DEFAULT '',
	spf_result	TEXT NOT NULL DEFAULT '',
	spf_count	INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX dmarc_report_records_report ON dmarc_report_records (report_id);

CREATE TABLE dmarc_report_rejects (
	id		INTEGER PRIMARY KEY,
	received_at	INTEGER NOT NULL,
	source		TEXT NOT NULL,
	reason		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	sha256		TEXT NOT NULL
) STRICT;
