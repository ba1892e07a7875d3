#!/usr/bin/python3
"""make_dsn.py ORIGINAL OUT RCPT STATUS ACTION [--full] [--no-message-id]

Write to OUT a delivery status notification (RFC 3464) for the message in
ORIGINAL, as an MTA makes one, with Python's email package:
multipart/report; report-type=delivery-status holding a text/plain note,
a message/delivery-status part (Reporting-MTA, Arrival-Date; then
Final-Recipient RCPT, Action ACTION, Status STATUS, Diagnostic-Code) and
the original's headers as text/rfc822-headers, or with --full the whole
original as message/rfc822.  --no-message-id drops the original's
Message-ID (as some MTAs' returned copies lack it).  From is
MAILER-DAEMON@mx.bounce.example, To the original's From.  CRLF line ends.
Run with /usr/bin/python3.
"""
import email
import email.message
import email.policy
import email.utils
import sys
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText


def fields(pairs):
    m = email.message.Message()
    for k, v in pairs:
        m[k] = v
    return m


def main():
    args = sys.argv[1:]
    full = "--full" in args
    nomid = "--no-message-id" in args
    args = [a for a in args if not a.startswith("--")]
    if len(args) != 5:
        sys.stderr.write(__doc__)
        return 2
    orig_path, out, rcpt, status, action = args
    orig = email.message_from_bytes(open(orig_path, "rb").read(), policy=email.policy.compat32)
    if nomid:
        del orig["Message-ID"]
    code = "550" if status.startswith("5") else "450"
    dsn = MIMEMultipart("report", report_type="delivery-status")
    dsn["From"] = "Mail Delivery System <MAILER-DAEMON@mx.bounce.example>"
    dsn["To"] = orig["From"]
    dsn["Subject"] = "Undelivered Mail Returned to Sender" if action == "failed" \
        else "Delayed Mail (still being retried)"
    dsn["Date"] = email.utils.formatdate()
    dsn["Message-ID"] = email.utils.make_msgid(domain="mx.bounce.example")
    dsn["Auto-Submitted"] = "auto-replied"
    dsn.attach(MIMEText("This is the mail system at host mx.bounce.example.\n\n"
                        "Your message could not be delivered to %s.\n" % rcpt, "plain"))
    ds = MIMEBase("message", "delivery-status")
    ds.set_payload([fields([("Reporting-MTA", "dns; mx.bounce.example"),
                            ("Arrival-Date", email.utils.formatdate())]),
                    fields([("Final-Recipient", "rfc822; " + rcpt),
                            ("Original-Recipient", "rfc822;" + rcpt),
                            ("Action", action), ("Status", status),
                            ("Remote-MTA", "dns; mx.a.example"),
                            ("Diagnostic-Code", "smtp; %s %s <%s>: Recipient address rejected"
                             % (code, status, rcpt))])])
    dsn.attach(ds)
    if full:
        dsn.attach(MIMEMessage(orig))
    else:
        head = "".join("%s: %s\n" % (k, v) for k, v in orig.items())
        dsn.attach(MIMEText(head, "rfc822-headers"))
    open(out, "wb").write(dsn.as_bytes(policy=email.policy.SMTP))
    return 0


sys.exit(main())
