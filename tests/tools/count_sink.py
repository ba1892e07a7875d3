#!/usr/bin/python3
"""
NAME
    count_sink.py - a fast SMTP sink that only records who got a message
SUMMARY
    count_sink.py --log FILE [--port N]
DESCRIPTION
    Listens on 127.0.0.1:N (0, the default, picks a free port) and prints
    "port N" once listening.  Accepts every MAIL, RCPT and message; for
    each message accepted it appends one line per recipient, "ADDR\\n", to
    FILE (opened O_APPEND) *before* sending the 250 after the data, so
    that the file holds every recipient the client was told about, and
    possibly one it was not (a client killed between our write and its
    read of the 250): at-least-once, like the sender it tests.

    For the fan-out crash test (tests/e2e/crash_fanout.sh), where
    smtp_sink.py's two files per message would be 20,000 files: asyncio,
    one process, no message bytes kept.  Run with Debian's /usr/bin/python3.
"""
import argparse
import asyncio
import os
import socket
import sys


class Sink:
    def __init__(self, fd):
        self.fd = fd

    async def session(self, reader, writer):
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rcpts = []
        writer.write(b"220 count-sink.test ESMTP\r\n")
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    writer.write(b"250-count-sink.test\r\n250-8BITMIME\r\n"
                                 b"250 SIZE 52428800\r\n")
                elif verb == b"MAIL":
                    rcpts = []
                    writer.write(b"250 2.1.0 ok\r\n")
                elif verb == b"RCPT":
                    addr = line[line.find(b"<") + 1:line.rfind(b">")]
                    rcpts.append(addr)
                    writer.write(b"250 2.1.5 ok\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    await writer.drain()
                    # the client's messages end in CRLF (deliver.c checks),
                    # so the data always ends CRLF "." CRLF
                    await reader.readuntil(b"\r\n.\r\n")
                    if rcpts:
                        os.write(self.fd, b"".join(r + b"\n" for r in rcpts))
                    rcpts = []
                    writer.write(b"250 2.0.0 queued\r\n")
                elif verb == b"RSET":
                    rcpts = []
                    writer.write(b"250 2.0.0 ok\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 2.0.0 bye\r\n")
                    await writer.drain()
                    break
                else:
                    writer.write(b"250 2.0.0 ok\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    fd = os.open(a.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    sink = Sink(fd)
    server = await asyncio.start_server(sink.session, "127.0.0.1", a.port,
                                        limit=64 * 1024 * 1024)
    print("port %d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
