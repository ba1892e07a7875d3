# db/local.mk -- the schema migrations, db/NNN_name.sql.  They are compiled
# into the programs (src/store.mk, STORE_MIGRATIONS, which must list the
# same files) and also installed for reference.
dist_db_DATA += db/001_init.sql db/002_dkim_keys.sql db/003_pipeline.sql \
	db/004_inbox_digest.sql db/005_queue.sql \
	db/006_bounces.sql db/007_delivery.sql db/008_signing_key.sql \
	db/009_requests.sql db/010_web_accounts.sql \
	db/011_dmarc_reports.sql db/012_report_address.sql \
	db/013_dmarc_feedback.sql db/014_dmarc_report_auth.sql \
	db/015_member_count.sql db/016_dmarc_report_bounces.sql
