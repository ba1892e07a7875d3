-- NAME
--	002_dkim_keys.sql
-- SUMMARY
--	the DKIM signing keys that "sealist key generate" made
-- DESCRIPTION
--	The private key itself is a file, keys_dir/DOMAIN/SELECTOR.pem (mode
--	0600, PEM PKCS#8); the database only records where it is and what it
--	is, so that "sealist key dns" and "sealist key check" (and later the
--	signer) find a domain's keys without scanning directories, and so
--	that a second key can never take an existing (domain, selector).
--
--	domain is a text column, not a reference to domains(id): a key is
--	usually made (and its record published) before the domain's first
--	list exists, and a domain row is kept when its last list goes anyway.
--	The CHECK constraints repeat the rules the program applies (lowercase,
--	nothing that could leave keys_dir in a file name), so that a row
--	written by hand cannot point elsewhere.

CREATE TABLE dkim_keys (
	id		INTEGER PRIMARY KEY,
	domain		TEXT NOT NULL			-- lowercase, no trailing dot
			CHECK (domain <> '' AND domain = lower(domain)
			       AND instr(domain, '/') = 0),
	selector	TEXT NOT NULL			-- lowercase
			CHECK (selector <> '' AND selector = lower(selector)
			       AND instr(selector, '/') = 0),
	algorithm	TEXT NOT NULL CHECK (algorithm IN ('rsa', 'ed25519')),
	bits		INTEGER NOT NULL,		-- RSA modulus; 256 for ed25519
	path		TEXT NOT NULL,			-- absolute file name of the PEM
	created_at	INTEGER NOT NULL,
	UNIQUE (domain, selector)
) STRICT;
