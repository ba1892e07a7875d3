-- NAME
--	013_dmarc_feedback.sql
-- SUMMARY
--	what sealist will report to author domains (DMARC aggregate reports
--	it sends, RFC 9990), and the reports it sent
-- DESCRIPTION
--	dmarc_feedback: one row per post a list decided (inbox message x
--	list) whose author domain publishes a DMARC record with a mailto:
--	rua=, written in the transaction that records the decision
--	(store_inbox_rcpt_finish), so a retried step cannot count twice;
--	UNIQUE (inbox_id, list_id) keeps a held post's later release from
--	adding a second row.  It holds the facts as they were when the post
--	was judged: the source IP, the identifiers, the record as evaluated
--	(p .. ri, discovery), the DMARC-aligned verdicts, the first DKIM
--	results ("d:s:result,..."), SPF, and what the list did (disposition
--	none/pass/quarantine/reject, reason mailing_list or local_policy).
--	A row goes when its report is sent (the same transaction as the
--	report's outbound rows and its dmarc_sent_reports row), or after 30
--	days unreported.  list_domain is copied so that reports group
--	without a join; the rows go with their list.
--
--	dmarc_sent_reports: one row per report (list domain, policy domain,
--	interval): its report_id, where it went (one address per line, ""
--	when every destination was refused) and when.  UNIQUE keeps a
--	second pass from sending the same interval again.
--
--	Numbered 013: 012 is another change's; the migration runner applies
--	every version a database lacks, so either order works.

CREATE TABLE dmarc_feedback (
	id		INTEGER PRIMARY KEY,
	inbox_id	INTEGER NOT NULL,
	list_id		INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	list_domain	TEXT NOT NULL,
	received_at	INTEGER NOT NULL,
	source_ip	TEXT NOT NULL,
	header_from	TEXT NOT NULL,
	policy_domain	TEXT NOT NULL,
	envelope_from	TEXT NOT NULL DEFAULT '',
	envelope_to	TEXT NOT NULL DEFAULT '',
	p		TEXT NOT NULL,
	sp		TEXT NOT NULL DEFAULT '',
	np		TEXT NOT NULL DEFAULT '',
	adkim		TEXT NOT NULL DEFAULT '',
	aspf		TEXT NOT NULL DEFAULT '',
	fo		TEXT NOT NULL DEFAULT '',
	testing		TEXT NOT NULL DEFAULT '',
	discovery	TEXT NOT NULL DEFAULT '',
	rua		TEXT NOT NULL,
	ri		INTEGER NOT NULL,
	dkim_aligned	TEXT NOT NULL,
	spf_aligned	TEXT NOT NULL,
	dkim_results	TEXT NOT NULL DEFAULT '',
	spf_domain	TEXT NOT NULL DEFAULT '',
	spf_scope	TEXT NOT NULL DEFAULT '',
	spf_result	TEXT NOT NULL DEFAULT '',
	disposition	TEXT NOT NULL CHECK (disposition IN ('none', 'pass', 'quarantine', 'reject')),
	reason_type	TEXT NOT NULL DEFAULT '',
	reason_comment	TEXT NOT NULL DEFAULT '',
	UNIQUE (inbox_id, list_id)
) STRICT;

CREATE INDEX dmarc_feedback_group ON dmarc_feedback (list_domain, policy_domain, received_at);
CREATE INDEX dmarc_feedback_age ON dmarc_feedback (received_at);

CREATE TABLE dmarc_sent_reports (
	id		INTEGER PRIMARY KEY,
	list_domain	TEXT NOT NULL,
	policy_domain	TEXT NOT NULL,
	date_begin	INTEGER NOT NULL,
	date_end	INTEGER NOT NULL,
	report_id	TEXT NOT NULL,
	records		INTEGER NOT NULL,
	messages	INTEGER NOT NULL,
	destinations	TEXT NOT NULL DEFAULT '',
	sent_at		INTEGER NOT NULL,
	UNIQUE (list_domain, policy_domain, date_begin, date_end)
) STRICT;
