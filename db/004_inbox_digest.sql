-- NAME
--	004_inbox_digest.sql
-- SUMMARY
--	recognise an MTA's retry of a message already stored
-- DESCRIPTION
--	LMTP, like SMTP, has a window between our commit and the client
--	reading our 250 (RFC 1047): if the connection dies there, the MTA
--	keeps the message and sends it again, byte for byte.  digest is
--	SHA-256 over the envelope sender, a NUL and the message; a message
--	with the same digest stored in the last days, for the same
--	recipients, is that retry: it is answered 250 and not stored again.

ALTER TABLE inbox ADD COLUMN digest BLOB;

CREATE INDEX inbox_digest ON inbox (digest);
