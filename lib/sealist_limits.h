/*
 * NAME
 *	sealist_limits 3h
 * SUMMARY
 *	every hard limit on untrusted input, in one place
 * DESCRIPTION
 *	Each parser of mail, DNS, HTTP or configuration data caps what it
 *	accepts with one of these numbers.  Each comes with the reason for
 *	its size; change a number only together with its reason.
 */
#ifndef SEALIST_LIMITS_H
#define SEALIST_LIMITS_H

/*
 * RFC 5322 section 2.1.1 allows 998 octets per line, but real mail carries
 * unwrapped base64 and megabyte-long HTML lines, and refusing those loses
 * mail.  16 MB is far above anything a mail program writes; a longer line
 * is a broken relay or an attack, and is refused.
 */
#define LIMIT_LINE_LEN		(16 * 1024 * 1024)

/*
 * The header block is parsed into an index of fields.  1 MB is far above
 * any legitimate header (large ARC chains reach ~50 KB) and bounds the
 * work a hostile header can cause per message.
 */
#define LIMIT_HEADER_BLOCK	(1024 * 1024)

/*
 * Number of header fields.  Long Received: chains and ARC sets stay under a
 * few hundred; 10,000 is the corpus test's worst case and still cheap to index.
 */
#define LIMIT_HEADER_COUNT	10000

/*
 * Whole message.  The list's own max_message_size is a policy that holds
 * posts; this is the hard cap on what we ever keep in memory.  64 MB is
 * above Postfix's default message_size_limit (10 MB) by a safe margin.
 */
#define LIMIT_MESSAGE_SIZE	(64 * 1024 * 1024)

/*
 * Address header values (From, Sender, Reply-To) are parsed for display
 * and domain extraction; 64 KB holds any plausible list of addresses.
 */
#define LIMIT_ADDRESS_FIELD	(64 * 1024)

/* Addresses in one address header: far above any real From/Reply-To. */
#define LIMIT_ADDRESS_COUNT	1000

/* RFC 5321 section 4.5.3.1: local part 64 octets, domain 255 octets. */
#define LIMIT_LOCAL_PART	64
#define LIMIT_DOMAIN		255

/* A config file line; a config file is written by an admin, not a stranger. */
#define LIMIT_CONFIG_LINE	4096

/*
 * DNS (lib/dns).  A DNS message is at most 65535 octets: that is all a TCP
 * length prefix can say (RFC 1035 section 4.2.2), so no reply is larger.
 */
#define LIMIT_DNS_MESSAGE	65535

/*
 * Answer records in one reply.  A 65535-octet message could carry ~5,400
 * minimal records; real answers have a few, and the largest TXT sets at
 * busy apexes (verification tokens beside SPF) stay well under 100.  512
 * leaves room and bounds the per-reply index we build.
 */
#define LIMIT_DNS_ANSWERS	512

/*
 * CNAMEs followed inside one answer.  Recursive resolvers stop following
 * after about a dozen; a longer chain is broken or a loop.
 */
#define LIMIT_DNS_CNAME_CHAIN	16

/*
 * Bytes of TXT data kept from one reply, all records together, after the
 * character-strings are joined.  It can never pass the message size, but
 * the cap says so explicitly: a 4096-bit DKIM key is ~800 octets and busy
 * apexes' TXT sets are a few KB, so 64 KB is far more than any consumer
 * needs.
 */
#define LIMIT_DNS_TXT_TOTAL	(64 * 1024)

/*
 * EDNS0 UDP payload size we advertise: the 2020 DNS Flag Day value, which
 * avoids IP fragmentation on any path; larger answers come over TCP.
 */
#define LIMIT_DNS_UDP_PAYLOAD	1232

/*
 * Longest a negative answer (NXDOMAIN, NODATA) is cached, in seconds,
 * whatever its SOA says.  RFC 2308 section 5 suggests one to three hours,
 * but for us a stale "does not exist" is a wrong verdict on real mail:
 * a DKIM key or DMARC record published a minute ago must be seen, so
 * five minutes bounds how long a fresh record stays invisible.
 */
#define LIMIT_DNS_NEGATIVE_TTL	300

/*
 * Largest max_ttl dns_resolver_cache() accepts, in seconds.  Record TTLs
 * run up to 2^31 - 1 (RFC 2181 section 8), but a revoked DKIM key (p=
 * emptied) or a tightened SPF/DMARC policy must reach a long-running
 * daemon; a day is also Unbound's default cache-max-ttl.
 */
#define LIMIT_DNS_CACHE_MAX_TTL	86400

/*
 * Most questions one resolver's cache holds.  The cache is searched by a
 * linear scan, which for 4096 short keys costs microseconds, far below one
 * round trip; one message needs a few dozen questions (SPF's 10 terms and
 * 2 void lookups, DKIM keys, a DMARC walk of 8), so 4096 spans hundreds
 * of messages.
 */
#define LIMIT_DNS_CACHE_ENTRIES	4096

/*
 * Octets of replies (and their keys) one resolver's cache holds.  Replies
 * are kept whole, and one may be a 65535-octet TCP answer, so max_entries
 * alone would let one thread hold 256 MB.  1 MB keeps over 2,000 typical
 * replies (300-500 octets) and still more than ten of the largest.
 */
#define LIMIT_DNS_CACHE_BYTES	(1024 * 1024)

/*
 * DKIM (lib/dkim).  DKIM-Signature fields verified per message.  Each
 * costs a DNS lookup and a public-key operation chosen by whoever wrote
 * the message; real mail carries one to three (author, ESP, list).  Ten
 * leaves room for long forwarding paths; the rest are reported, not
 * verified.
 */
#define LIMIT_DKIM_SIGNATURES	10

/*
 * Names in one h= tag.  Real signers list 10-40 (over-signing doubles
 * some); 512 is far above that and bounds the header selection work
 * (each name is one bottom-up scan of at most LIMIT_HEADER_COUNT fields).
 */
#define LIMIT_DKIM_H_NAMES	512

/*
 * Length of one tag-list (a DKIM-Signature value or a key record) that
 * the parsers accept.  A signature with 40 h= names, a 4096-bit b= and a
 * z= copy of a few headers stays under 8 KB; 64 KB leaves room and keeps
 * every per-signature copy small.
 */
#define LIMIT_DKIM_TAG_LIST	(64 * 1024)

/*
 * One key record (the joined TXT strings).  A 4096-bit RSA key record is
 * about 750 octets, 8192-bit about 1,450; 8 KB is generous and stops a
 * hostile zone from making us base64-decode and parse megabytes.
 */
#define LIMIT_DKIM_KEY_RECORD	8192

/*
 * Key records tried at one selector name.  RFC 6376 section 3.6.2.2 says
 * the result of several is undefined; section 6.1.2 lets a verifier cycle
 * through them.  We do, to let key roll-overs with two records verify,
 * but at most this many, so one signature costs a bounded number of
 * public-key operations.
 */
#define LIMIT_DKIM_KEY_RECORDS	4

/*
 * Largest RSA modulus verified.  Key records are written by strangers;
 * 8192 bits is twice what anyone publishes, and public-key operations
 * with larger moduli get slow enough to be a denial of service.
 */
#define LIMIT_DKIM_RSA_BITS	8192

/*
 * Decoded public keys one dkim_key_cache may hold.  A list server sees a
 * few hundred signing keys a day (sender domains, their ESPs, other
 * lists); 1024 covers that with room.  An entry (key octets, OpenSSL key,
 * kept verification context) measured 3.3 KB for RSA-2048, 4.8 KB for
 * RSA-4096, 0.6 KB for Ed25519; keys above LIMIT_DKIM_RSA_BITS are never
 * kept, so even a cache filled by strangers' 8192-bit keys stays near
 * 8 MB.
 */
#define LIMIT_DKIM_KEY_CACHE	1024

/*
 * SPF terms that cause DNS lookups (include, a, mx, ptr, exists,
 * redirect) in one evaluation: RFC 7208 section 4.6.4 fixes 10, so that
 * one message cannot make a receiver amplify DNS traffic at a victim.
 */
#define LIMIT_SPF_DNS_TERMS	10

/*
 * SPF lookups that return no records (NXDOMAIN or NODATA): RFC 7208
 * section 4.6.4 recommends 2; more is the signature of an abuse record.
 */
#define LIMIT_SPF_VOID_LOOKUPS	2

/*
 * Names used from one MX answer and from one PTR answer (RFC 7208
 * section 4.6.4): 10 each; beyond that the mx mechanism is a permerror
 * and the extra PTR names are ignored.
 */
#define LIMIT_SPF_MX_NAMES	10
#define LIMIT_SPF_PTR_NAMES	10

/*
 * One SPF record (joined TXT strings) and one expanded string.  Records
 * fit a 512-octet UDP reply in practice (RFC 7208 section 3.4 asks for
 * that); 4 KB leaves room for long include lists and still bounds the
 * parse and every macro expansion (an expansion can at most triple a
 * string by URL-escaping, so expansions are capped at the same size).
 */
#define LIMIT_SPF_RECORD	4096
#define LIMIT_SPF_EXPANSION	4096

/*
 * Terms in one SPF record.  A 4 KB record cannot hold more than ~1,000
 * space-separated terms; 256 is more than any real record needs and keeps
 * the term table small.
 */
#define LIMIT_SPF_TERMS		256

/*
 * One XFORWARD attribute value after xtext decoding: Postfix caps NAME
 * and HELO at a host name (255); 255 is what the struct holds.
 */
#define LIMIT_SPF_XFORWARD_VALUE	255

/*
 * ARC Sets on one message.  RFC 8617 section 4.2.1: instance values range
 * from 1 to 50, and section 5.2 step 1 makes a chain with more sets fail.
 * It also bounds a validation to 50 AMS and 50 AS public-key operations.
 */
#define LIMIT_ARC_INSTANCES	50

/*
 * ARC header fields looked at on one message: three per set.  Beyond
 * this the chain fails without parsing the rest, so a header stuffed
 * with ARC fields costs a bounded amount of work.
 */
#define LIMIT_ARC_FIELDS	(3 * LIMIT_ARC_INSTANCES)

/*
 * One Authentication-Results (or ARC-Authentication-Results) value that
 * the parser reads.  Busy receivers write 1-3 KB (several DKIM results
 * with header.b, DMARC, ARC); 64 KB is far above that and bounds the
 * copies made per field.
 */
#define LIMIT_AUTHRES_FIELD	(64 * 1024)

/*
 * Results in one field.  A receiver reports one per DKIM signature plus a
 * handful of methods; LIMIT_DKIM_SIGNATURES signatures and every other
 * method fit in 64 many times over.
 */
#define LIMIT_AUTHRES_RESULTS	64

/*
 * Properties of one result.  RFC 8601 and the IANA registry define at
 * most six for any method (dkim: d, i, s, a, b, plus policy.*); 32 leaves
 * room for extension ptypes.
 */
#define LIMIT_AUTHRES_PROPS	32

/*
 * One reason, comment or property value we generate.  Values come from
 * the message (domains, addresses: at most 320 octets) and from our own
 * error texts; 1 KB keeps every generated field a few lines long.
 */
#define LIMIT_AUTHRES_VALUE	1024

/*
 * One DMARC Policy Record (TXT strings joined).  Real records are under
 * 300 octets; 4 KB leaves room for long rua=/ruf= lists while keeping a
 * hostile record from costing more than one short scan.
 */
#define LIMIT_DMARC_RECORD	4096

/*
 * DNS names queried in one DMARC tree walk: RFC 9989 section 4.10 caps
 * a walk at eight queries (longer names are shortened to seven labels
 * after the first query), so a long author domain cannot be used to
 * make us send more.
 */
#define LIMIT_DMARC_TREEWALK	8

/*
 * DKIM results looked at for DMARC alignment.  Each may cost a tree walk
 * (8 queries) in RFC 9989 mode; a message with more signatures than this
 * is abusive, and the ones beyond are ignored (they can only add passes
 * the first 16 did not give, which a sender needing them does not have).
 */
#define LIMIT_DMARC_DKIM	16

/*
 * ADSP records (RFC 5617) and DMARC records: TXT records at one name
 * that are looked at; more than one valid record already means "none",
 * so this only bounds the work on a name stuffed with TXT records.
 */
#define LIMIT_DMARC_TXT		32

/*
 * One authentication (lib/auth): DNS questions over DKIM, SPF, DMARC,
 * ADSP and ARC together.  Each library bounds its own, but the sum
 * (10 signatures, SPF's 10 terms with up to 10 MX names each, a tree
 * walk per DKIM domain, 50 ARC sets) times a resolver timeout is minutes
 * for a message built to waste our time.  A real post needs 5-20
 * questions; 200 leaves room for a big SPF tree while capping the worst.
 */
#define LIMIT_AUTH_DNS_QUERIES	200

/*
 * Wall time for those questions, in milliseconds.  Authentication runs
 * after the message is stored, so this bounds a worker's time on one
 * message, not an SMTP session; past it the remaining results are
 * temperrors (a later retry may do better).
 */
#define LIMIT_AUTH_DNS_MS	30000

/*
 * Author domains evaluated when From names several (RFC 9989 section
 * 11.5 warns that each costs a policy discovery and asks for a limit).
 */
#define LIMIT_AUTH_AUTHOR_DOMAINS	4

/*
 * A notice template (a templates/ file): a page of text an admin edits.
 * 64 KB is far more than any notice needs and keeps a mistaken file
 * (a log pasted in) from being mailed out.
 */
#define LIMIT_TEMPLATE_SIZE	(64 * 1024)

/*
 * LMTP (lib/lmtp, src/lmtp.c).
 *
 * One command line, octets, without its CRLF.  RFC 5321 section
 * 4.5.3.1.4 allows 512 including the CRLF and lets extensions raise it:
 * a 256-octet path (4.5.3.1.3) plus SIZE=, BODY= and SMTPUTF8 already
 * passes 300, and XFORWARD carries up to two 255-octet host names whose
 * xtext encoding may triple them.  Postfix's smtpd accepts 2048
 * (line_length_limit); so do we, which still bounds what one line costs.
 */
#define LIMIT_LMTP_COMMAND_LINE	2048

/*
 * One DATA line, octets, without its CRLF.  RFC 5321 section 4.5.3.1.6
 * says 1000 including the CRLF, but real mail carries unwrapped base64
 * and HTML lines of megabytes, and lib/msg accepts LIMIT_LINE_LEN: a
 * line the rest of sealist would read must not be refused here.  The
 * reader streams, so a long line costs no extra memory.
 */
#define LIMIT_LMTP_LINE		LIMIT_LINE_LEN

/*
 * A reverse- or forward-path, octets between the angle brackets.  RFC
 * 5321 section 4.5.3.1.3 says 256 with the brackets, but VERP addresses
 * (our own LIST-bounces+member=domain@ among them) carry a whole address
 * in the local part, and MTAs do not enforce 64-octet local parts; 512
 * holds those and still fits a command line.
 */
#define LIMIT_LMTP_PATH		512

/*
 * Recipients in one transaction: RFC 5321 section 4.5.3.1.8 makes 100
 * the least a server may accept, and the client then sends the rest in
 * another transaction after "452 4.5.3".  Postfix sends at most 50
 * (default_destination_recipient_limit), and list mail has a handful.
 */
#define LIMIT_LMTP_RCPTS	100

/*
 * Concurrent LMTP sessions (the default of max_sessions).  Each is a
 * thread holding up to one message in memory.  Postfix opens at most 20
 * connections to one destination (default_destination_concurrency_limit);
 * 64 leaves room for a second MTA or transport while bounding memory.
 */
#define LIMIT_LMTP_SESSIONS	64

/*
 * Syntax errors and refused commands in one session before it is closed
 * with "421 4.7.0" (Postfix's smtpd_hard_error_limit is 20): a client
 * spewing junk is broken and gains nothing from more replies.
 */
#define LIMIT_LMTP_ERRORS	20

/*
 * MIME (lib/mime).  Multipart nesting followed by one walk.  Real mail
 * nests a few levels (mixed > alternative > related, plus two per
 * forwarded message); Postfix allows 100.  32 covers any real message
 * and bounds the recursion (stack) a hostile one can cause.
 */
#define LIMIT_MIME_DEPTH	32

/*
 * Parts visited by one walk (the whole tree) and parts of one multipart.
 * A large photo album mail has a few hundred; 1000 bounds the work a
 * message of empty parts ("--b\n--b\n..." costs a few bytes each) causes.
 */
#define LIMIT_MIME_PARTS	1000

/*
 * Parameters in one Content-Type value.  Real fields carry one to four
 * (charset, format, delsp, boundary, name); 64 is far above that and
 * keeps the per-field copies small.
 */
#define LIMIT_MIME_PARAMS	64

/*
 * One Content-Type value that is parsed.  A value with a few long
 * parameters (RFC 2231 file names) stays under 2 KB; 64 KB bounds the
 * copies made per field.
 */
#define LIMIT_MIME_FIELD	(64 * 1024)

/*
 * Boundary length.  RFC 2046 section 5.1.1 allows 70 characters, but
 * readers accept longer ones and so does Postfix (its
 * mime_boundary_length_limit is 2048); a boundary we refuse only means
 * the body is treated as one opaque part, so we follow Postfix.
 */
#define LIMIT_MIME_BOUNDARY	2048

/*
 * DSN (lib/dsn).  Recipients kept from one bounce.  A DSN reports the
 * recipients of one transaction: sealist sends one with VERP and at most
 * max_rcpt_per_txn (RFC 5321's minimum of 100) without; a bounce naming
 * more is a forwarding loop or an attack, and the rest are dropped
 * (report.truncated tells).
 */
#define LIMIT_DSN_RECIPIENTS	500

/*
 * One recipient address from a bounce.  RFC 5321 allows a 256-octet
 * path; UTF-8 (RFC 6533) and quoted local parts run longer in the
 * wild, so 512, and a longer value is cut, not refused.
 */
#define LIMIT_DSN_ADDRESS	512

/*
 * One Diagnostic-Code, unfolded.  An SMTP reply line is at most 512
 * octets (RFC 5321 section 4.5.3.1.5); multi-line replies joined run to
 * a few hundred more.  1024 keeps what the owner needs and the rest is
 * cut.
 */
#define LIMIT_DSN_DIAGNOSTIC	1024

/*
 * Bytes of decoded text (and of the delivery-status part) read from one
 * bounce.  The explanation sits at the top and the returned message
 * follows; 256 KB holds any MTA's report with room to spare while a
 * bounced 50 MB attachment costs nothing to skip.
 */
#define LIMIT_DSN_TEXT		(256 * 1024)

/*
 * Recipients in one outbound SMTP transaction (src/deliver.c).  RFC 5321
 * section 4.5.3.1.8 makes servers take at least 100 and most relays
 * refuse past a few hundred with 452 anyway; 1000 bounds the reply table
 * and libcurl's recipient list per transaction, and max_rcpt_per_txn
 * must stay at or below it.
 */
#define LIMIT_DELIVER_RCPTS	1000

/*
 * One relay reply kept per recipient, multi-line replies joined.  A reply
 * line is at most 512 octets (RFC 5321 4.5.3.1.5); the same 1024 as
 * LIMIT_DSN_DIAGNOSTIC keeps what a bounce notice needs, the rest is cut.
 */
#define LIMIT_DELIVER_REPLY	1024

/*
 * CSV member files (lib/csv, sealist member import).  A field holds an
 * address (at most 320 bytes), a display name or a mode: 4 KB is ten times
 * the longest; 64 columns leave room for other programs' exports whose
 * extra columns are ignored; a 64 KB line is 64 fields of 1 KB; ten
 * million rows is a hundred times the largest lists we know of and bounds
 * the work one file can cause.  The whole file is read before the
 * transaction opens (so a slow pipe cannot hold the database), hence a
 * cap on it too: 256 MB is ten million rows of 25 bytes.
 */
#define LIMIT_CSV_FIELD		4096
#define LIMIT_CSV_FIELDS	64
#define LIMIT_CSV_LINE		(64 * 1024)
#define LIMIT_CSV_ROWS		10000000
#define LIMIT_CSV_FILE		(256 * 1024 * 1024)

/*
 * Settings files (lib/pyconf, sealist config import).  A list has about 60
 * settings of at most 64 KB each, so a real file is well under 4 MB; 16
 * MB leaves room for Mailman files full of settings we skip.  One string
 * of 1 MB is sixteen times the longest setting; nesting deeper than 16
 * has no use in any Mailman setting (topics, the deepest, is 2); 100,000
 * values bound the work one file can cause.
 */
#define LIMIT_PYCONF_FILE	(16 * 1024 * 1024)
#define LIMIT_PYCONF_STRING	(1024 * 1024)
#define LIMIT_PYCONF_DEPTH	16
#define LIMIT_PYCONF_ITEMS	100000

/*
 * Mail commands to LIST-request@ (src/reqparse.c).  People write a few
 * short lines; everything past that is a quoted reply, a signature or
 * spam, and the reader must stop early and cheaply.
 *
 * LIMIT_REQUEST_TEXT: the decoded text/plain part is read up to 64 KB and
 * the rest dropped unread; a hundred commands of 80 bytes fill 8 KB, so
 * this is eight times the largest honest request and bounds the base64,
 * quoted-printable and charset work one mail can cause.
 * LIMIT_REQUEST_LINE: a command line is cut at 1000 bytes, RFC 5321's
 * line length; "confirm" with a 40-byte token or "subscribe address=" with
 * a 320-byte address fit three times over.
 * LIMIT_REQUEST_SUBJECT: the decoded Subject is read up to 1000 bytes for
 * the same reason; a longer Subject is not a command anyway.
 * LIMIT_REQUEST_COMMANDS: whatever max_commands the caller passes, at most
 * 100 commands are read from one mail: Mailman 2.1 reads 25 lines
 * (DEFAULT_MAIL_COMMANDS_MAX_LINES) and nobody types more than a screen.
 * LIMIT_REQUEST_JUNK: at most 100 non-command lines are tolerated whatever
 * max_junk says; Mailman 2.1 stops at the first one, and a reply that
 * quotes a whole thread without '>' must not be read to its end.
 * LIMIT_REQUEST_IGNORED: the first 10 ignored lines are kept for the
 * reply; more tell the sender nothing new and only lengthen the reply,
 * which a forger could aim at someone else.
 */
#define LIMIT_REQUEST_TEXT	(64 * 1024)
#define LIMIT_REQUEST_LINE	1000
#define LIMIT_REQUEST_SUBJECT	1000
#define LIMIT_REQUEST_COMMANDS	100
#define LIMIT_REQUEST_JUNK	100
#define LIMIT_REQUEST_IGNORED	10

/*
 * The web service (src/web.c).  A POST body over 16 KB is refused with
 * 413: the public forms hold an address and two short fields.  64
 * connections are enough for a list's subscribers clicking and few enough
 * that a flood cannot exhaust file descriptors; an idle connection is
 * dropped after 30 s, so a slow client holds a slot no longer.  A static
 * file is served whole from memory: CSS and icons are small, 1 MB is far
 * more.
 */
#define LIMIT_WEB_BODY		(16 * 1024)
#define LIMIT_WEB_CONNECTIONS	64
#define LIMIT_WEB_TIMEOUT	30
#define LIMIT_WEB_STATIC	(1024 * 1024)
/*
 * Subscriptions asked for on the public form per client address and hour:
 * each mails a confirmation to whatever address was typed, so without a
 * cap per client one script could make the list mail thousands of
 * strangers.  20 leaves room for a household or an office behind NAT.
 */
#define LIMIT_WEB_SUBSCRIBE_CLIENT	20

/*
 * Form fields kept per request: the members page's "remove selected" posts
 * one checkbox per member shown (50), the held page one per post; 10,000
 * is far more than any page has and still a bounded amount of bookkeeping
 * for a hostile body (the body itself is capped by the route's body_max).
 */
#define LIMIT_WEB_FIELDS	10000

/* ==== A2: web accounts and logins ==== */
/*
 * Web admin accounts (src/account.c, src/web_auth.c).  A name is at most
 * 64 characters: an e-mail address's local part is, and names are typed
 * at a login form.  A password has at least 8 octets (NIST SP 800-63B's
 * floor) and at most 1024, so a hostile login cannot make scrypt hash
 * megabytes.  scrypt parameters read from a stored hash are capped (log2
 * N 20, r 32, p 16; 1 GiB of memory at most) so that a value written
 * into the database by hand cannot make each login take minutes.
 *
 * The login throttle: 5 failures for one name within 15 minutes lock
 * that name for 15 minutes (a guesser gets 480 tries a day at most); 20
 * from one client address lock the address, more since several people
 * may share it behind NAT; each lock within a day of the last doubles,
 * up to an hour: a lock is also a way to keep a known admin out, and an
 * hour bounds that (`sealist admin passwd` lifts a lock at once).  A ?next= path longer than 512 octets is ignored.
 */
#define LIMIT_ACCOUNT_NAME	64
#define LIMIT_PASSWORD_MIN	8
#define LIMIT_PASSWORD_MAX	1024
#define LIMIT_SCRYPT_LN		20
#define LIMIT_SCRYPT_R		32
#define LIMIT_SCRYPT_P		16
#define LIMIT_SCRYPT_MEMORY	(1024ULL * 1024 * 1024)
#define LIMIT_LOGIN_NAME_FAILURES	5
#define LIMIT_LOGIN_CLIENT_FAILURES	20
#define LIMIT_LOGIN_WINDOW	(15 * 60)
#define LIMIT_LOGIN_LOCK	(15 * 60)
#define LIMIT_LOGIN_LOCK_MAX	3600
#define LIMIT_LOGIN_NEXT	512
/* ==== end A2 ==== */

/* ==== R1: DMARC aggregate reports (lib/dmarcrep) ==== */
/*
 * A report as it arrives (gzip, zip or plain XML).  The biggest receivers'
 * daily reports for a busy domain are a few hundred KB compressed; 16 MiB
 * of packed input is far above that and bounds what a mail can make us hold.
 */
#define LIMIT_DMARCREP_PACKED	(16 * 1024 * 1024)

/*
 * The XML after decompression, checked while decompressing (a zip bomb
 * stops at this many octets plus one, in bounded time and memory).  Plain
 * reports compress about 20:1; 64 MiB is some hundred thousand records,
 * more than any single report of a mailing list domain carries.
 */
#define LIMIT_DMARCREP_XML	(64 * 1024 * 1024)

/*
 * Element nesting.  A report is at most 5 levels deep (feedback, record,
 * row, policy_evaluated, reason); 32 leaves room for <extensions> and
 * refuses deep-nesting attacks long before libxml2's own 256.
 */
#define LIMIT_DMARCREP_DEPTH	32

/*
 * Records per report: each record is one source IP; 50,000 sources in a
 * day is far beyond what a mailing list domain sees, and bounds the copy.
 */
#define LIMIT_DMARCREP_RECORDS	50000

/*
 * Elements in the whole document, counted while parsing: the tree libxml2
 * builds costs a few hundred octets per element, so 64 MiB of "<a/>"
 * would be gigabytes.  A record has about 16 elements (RFC 9990 Appendix
 * B); 1,000,000 holds 50,000 records of 20, and bounds the tree to a few
 * hundred MB.
 */
#define LIMIT_DMARCREP_ELEMENTS	1000000

/*
 * One text value (org_name, report_id, a reason comment, a domain).  Longer
 * values are cut at a UTF-8 character boundary below this many octets:
 * names and ids are short, and free-text comments need no more to be read.
 */
#define LIMIT_DMARCREP_FIELD	1024
/* ==== end R1 ==== */

/* ==== H3: DMARC aggregate reports we write (lib/dmarcrep/dmarcrep_out) ==== */
/*
 * The XML document dmarcrep_write produces (the caller bounds the records,
 * at most LIMIT_DMARCREP_RECORDS).  A record is about 600 octets as
 * written with one DKIM result, 1,000 with two, a reason and an
 * envelope_from; 32 MiB holds 33,000 of those, compresses (gzip, 20:1 on
 * varied data, 100:1 on repetitive) to well under the 10 MB SMTP SIZE
 * most report receivers advertise, and stays below LIMIT_DMARCREP_XML, so
 * that our own reader accepts what we send.
 */
#define LIMIT_DMARCREP_OUT	(32 * 1024 * 1024)

/*
 * A rua= value, and each TXT record at <domain>._report._dmarc.<host>
 * (RFC 9990 section 4), read from the DNS: both are parts of, or are,
 * DMARC records, so the cap of a DMARC record (LIMIT_DMARC_RECORD) is
 * theirs; longer text is not looked at (no URI taken, the record
 * discarded).
 */
#define LIMIT_DMARCREP_RUA	LIMIT_DMARC_RECORD
/* ==== end H3 ==== */

/* ==== H7: bounces of the DMARC reports we send (src/dmarcbounce.c) ==== */
/*
 * The returned headers (or message) of a bounce, read for the report's
 * Message-ID and Subject: MTAs return a few KiB of headers, ours are
 * under 1 KiB, and both fields are near the top; 64 KiB (LIMIT_MIME_FIELD)
 * holds any real header block and bounds what one bounce can make us
 * decode.
 */
#define LIMIT_DMARCBOUNCE_HEADERS	LIMIT_MIME_FIELD
/* ==== end H7 ==== */

#endif
