#!/usr/bin/python3
"""lmtp_send.py TARGET FROM FILE RCPT... [--xforward 'ADDR=.. HELO=..']
[--smtp] [--xclient 'ADDR=.. NAME=.. HELO=..']

Send FILE (bytes as they are, CRLF expected) to TARGET ("HOST:PORT" or
"unix:/path") over LMTP (or SMTP with --smtp), envelope sender FROM ("" for
<>), one RCPT per argument.  XFORWARD (LMTP to sealist, as Postfix does)
and XCLIENT (SMTP to a Postfix that allows it) are sent when given.
Prints one line per recipient, "RCPT CODE TEXT", with the RCPT reply when
it was refused and the per-recipient DATA reply otherwise.  Exit 0 if the
conversation completed, whatever the codes.  Run with /usr/bin/python3.
"""
import smtplib
import sys


def connect(target, smtp):
    cls = smtplib.SMTP if smtp else smtplib.LMTP
    if target.startswith("unix:"):
        c = cls()
        c.connect(target[5:])
        return c
    host, port = target.rsplit(":", 1)
    return cls(host, int(port), timeout=60)


def main():
    args = sys.argv[1:]
    opts = {}
    for name in ("--xforward", "--xclient"):
        if name in args:
            i = args.index(name)
            opts[name] = args[i + 1]
            del args[i:i + 2]
    smtp = "--smtp" in args
    if smtp:
        args.remove("--smtp")
    if len(args) < 4:
        sys.stderr.write(__doc__)
        return 2
    target, sender, path, rcpts = args[0], args[1], args[2], args[3:]
    data = open(path, "rb").read()
    c = connect(target, smtp)
    c.ehlo_or_helo_if_needed() if smtp else c.ehlo("lmtp-test.example")
    if "--xclient" in opts:
        print("# XCLIENT", c.docmd("XCLIENT", opts["--xclient"]))
        c.ehlo("mx.client.example")
    if "--xforward" in opts:
        print("# XFORWARD", c.docmd("XFORWARD", opts["--xforward"]))
    code, msg = c.mail(sender)
    if code != 250:
        for r in rcpts:
            print(r, code, msg.decode(errors="replace"))
        return 0
    ok = []
    for r in rcpts:
        code, msg = c.rcpt(r)
        if code == 250:
            ok.append(r)
        else:
            print(r, code, msg.decode(errors="replace"))
    if not ok:
        c.rset()
        c.quit()
        return 0
    code, msg = c.docmd("DATA")
    if code != 354:
        for r in ok:
            print(r, code, msg.decode(errors="replace"))
        return 0
    # dot-stuff and end, as smtplib.data() would (it normalizes line ends; we do not)
    body = data.replace(b"\r\n.", b"\r\n..")
    if body.startswith(b"."):
        body = b"." + body
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    c.send(body + b".\r\n")
    for r in ok:
        code, msg = c.getreply()
        print(r, code, msg.decode(errors="replace"))
        if smtp:
            break
    c.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
