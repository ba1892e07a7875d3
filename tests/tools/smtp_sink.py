#!/usr/bin/python3
"""
NAME
    smtp_sink.py - a scriptable SMTP sink for the delivery tests
SUMMARY
    smtp_sink.py --dir DIR [--port N] [--script FILE] [--tls CERT KEY]
                 [--auth USER:PASS]
DESCRIPTION
    Listens on 127.0.0.1:N (0, the default, picks a free port) and prints
    "port N" once listening, then one line per event: "conn N" for each
    connection accepted, "msg N" for each message stored.  Each accepted
    message is stored as DIR/N.eml (the exact bytes after the client's
    dot-stuffing is undone) and DIR/N.env ("from ADDR" then one
    "rcpt ADDR" line per accepted recipient).

    Plain sockets and threads, not aiosmtpd: Debian's python3-aiosmtpd is
    not installed here, and a hand-written sink can misbehave on purpose
    (drop mid-DATA, 421 and hang up) more easily.

    --tls offers STARTTLS with that certificate; --auth offers AUTH PLAIN
    and LOGIN (after STARTTLS when --tls is given) and requires it before
    MAIL.  The script file has one rule per line, "ADDR WHAT ...":

        ADDR rcpt always CODE TEXT   answer RCPT for ADDR with CODE TEXT
        ADDR rcpt once CODE TEXT     the same, for the first RCPT only
        ADDR data CODE TEXT          answer DATA with CODE TEXT
        ADDR eod CODE TEXT           answer the end of data with CODE TEXT
        ADDR drop-data N             hang up after N bytes of DATA

    A RCPT or DATA reply of 421 closes the connection after it is sent.
    The data/eod/drop-data rules apply when ADDR is an accepted recipient
    of the transaction.  Run with Debian's /usr/bin/python3.
"""
import argparse
import base64
import os
import socket
import socketserver
import ssl
import sys
import threading

lock = threading.Lock()
counters = {"conn": 0, "msg": 0}
once_used = set()


def event(kind):
    """Count an event and print it; returns its number."""
    with lock:
        counters[kind] += 1
        n = counters[kind]
        print("%s %d" % (kind, n), flush=True)
        return n


def load_rules(path):
    rules = {}
    if not path:
        return rules
    with open(path) as f:
        for line in f:
            parts = line.split(None, 2)
            if len(parts) < 3 or line.startswith("#"):
                continue
            rules.setdefault(parts[0].lower(), []).append(
                (parts[1], parts[2].rstrip("\r\n")))
    return rules


class Hangup(Exception):
    pass


class Session(socketserver.StreamRequestHandler):
    def setup(self):
        super().setup()
        self.sock = self.request
        self.tls = False
        self.authed = False
        self.reset()

    def reset(self):
        self.mail_from = None
        self.rcpts = []

    def send(self, text):
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def readline(self):
        line = self.rfile.readline(65536)
        if not line:
            raise Hangup()
        return line

    def handle(self):
        event("conn")
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.send("220 sink.test ESMTP")
            while True:
                line = self.readline().decode("utf-8", "replace").rstrip("\r\n")
                verb = line.split(" ", 1)[0].upper()
                arg = line[len(verb):].strip()
                fn = getattr(self, "cmd_" + verb.replace("-", "_"), None)
                if fn is None:
                    self.send("500 5.5.1 unknown command")
                elif fn(arg) == "quit":
                    return
        except (Hangup, ConnectionError, ssl.SSLError):
            return

    def cmd_EHLO(self, arg):
        lines = ["sink.test", "8BITMIME", "SIZE 10485760",
                 "ENHANCEDSTATUSCODES"]
        if opts.tls and not self.tls:
            lines.append("STARTTLS")
        if opts.auth and (self.tls or not opts.tls):
            lines.append("AUTH PLAIN LOGIN")
        # one write: several small ones would meet our own Nagle
        self.send("\r\n".join(["250-" + l for l in lines[:-1]] +
                                ["250 " + lines[-1]]))
        self.reset()

    def cmd_HELO(self, arg):
        self.send("250 sink.test")

    def cmd_NOOP(self, arg):
        self.send("250 2.0.0 ok")

    def cmd_RSET(self, arg):
        self.reset()
        self.send("250 2.0.0 ok")

    def cmd_QUIT(self, arg):
        self.send("221 2.0.0 bye")
        return "quit"

    def cmd_STARTTLS(self, arg):
        if not opts.tls or self.tls:
            self.send("502 5.5.1 no STARTTLS here")
            return
        self.send("220 2.0.0 go ahead")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(opts.tls[0], opts.tls[1])
        self.sock = ctx.wrap_socket(self.sock, server_side=True)
        self.rfile = self.sock.makefile("rb")
        self.wfile = self.sock.makefile("wb")
        self.tls = True
        self.reset()

    def check_creds(self, user, password):
        if opts.auth and "%s:%s" % (user, password) == opts.auth:
            self.authed = True
            self.send("235 2.7.0 authenticated")
        else:
            self.send("535 5.7.8 authentication credentials invalid")

    def read_b64(self, prompt):
        self.send("334 " + prompt)
        return base64.b64decode(self.readline().strip()).decode()

    def cmd_AUTH(self, arg):
        if not opts.auth or (opts.tls and not self.tls):
            self.send("503 5.5.1 no AUTH here")
            return
        mech, _, initial = arg.partition(" ")
        mech = mech.upper()
        if mech == "PLAIN":
            raw = (base64.b64decode(initial).decode() if initial
                   else self.read_b64(""))
            parts = raw.split("\0")
            if len(parts) != 3:
                self.send("501 5.5.2 bad PLAIN")
                return
            self.check_creds(parts[1], parts[2])
        elif mech == "LOGIN":
            user = (base64.b64decode(initial).decode() if initial
                    else self.read_b64("VXNlcm5hbWU6"))
            password = self.read_b64("UGFzc3dvcmQ6")
            self.check_creds(user, password)
        else:
            self.send("504 5.5.4 mechanism not supported")

    def cmd_MAIL(self, arg):
        if opts.auth and not self.authed:
            self.send("530 5.7.0 authentication required")
            return
        self.mail_from = arg.split(":", 1)[1].strip().split(" ")[0].strip("<>")
        self.rcpts = []
        self.send("250 2.1.0 ok")

    def rule(self, addr, what):
        """The first rule of kind what for addr that still applies."""
        for kind, rest in rules.get(addr.lower(), []):
            if kind != what:
                continue
            if what == "rcpt":
                mode, reply = rest.split(" ", 1)
                key = (addr.lower(), reply)
                with lock:
                    if mode == "once" and key in once_used:
                        continue
                    once_used.add(key)
                return reply
            return rest
        return None

    def reply_and_maybe_close(self, reply):
        self.send(reply)
        if reply.startswith("421"):
            raise Hangup()

    def cmd_RCPT(self, arg):
        if self.mail_from is None:
            self.send("503 5.5.1 MAIL first")
            return
        addr = arg.split(":", 1)[1].strip().split(" ")[0].strip("<>")
        reply = self.rule(addr, "rcpt")
        if reply:
            self.reply_and_maybe_close(reply)
            return
        self.rcpts.append(addr)
        self.send("250 2.1.5 ok")

    def first_rule(self, what):
        for r in self.rcpts:
            v = self.rule(r, what)
            if v:
                return v
        return None

    def cmd_DATA(self, arg):
        if not self.rcpts:
            self.send("503 5.5.1 no valid recipients")
            return
        reply = self.first_rule("data")
        if reply:
            self.reply_and_maybe_close(reply)
            return
        drop = self.first_rule("drop-data")
        self.send("354 go ahead")
        data = bytearray()
        seen = 0
        while True:
            line = self.readline()
            seen += len(line)
            if drop is not None and seen >= int(drop):
                self.sock.shutdown(socket.SHUT_RDWR)
                raise Hangup()
            if line == b".\r\n":
                break
            if line.startswith(b"."):
                line = line[1:]
            data += line
        reply = self.first_rule("eod")
        if reply:
            self.reply_and_maybe_close(reply)
            self.reset()
            return
        self.store(bytes(data))
        self.send("250 2.0.0 queued")
        self.reset()

    def store(self, data):
        with lock:
            counters["msg"] += 1
            n = counters["msg"]
            base = os.path.join(opts.dir, str(n))
            with open(base + ".eml", "wb") as f:
                f.write(data)
            with open(base + ".env", "w") as f:
                f.write("from %s\n" % self.mail_from)
                for r in self.rcpts:
                    f.write("rcpt %s\n" % r)
            print("msg %d" % n, flush=True)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    global opts, rules
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dir", required=True)
    p.add_argument("--script")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--auth")
    opts = p.parse_args()
    rules = load_rules(opts.script)
    srv = Server(("127.0.0.1", opts.port), Session)
    print("port %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
