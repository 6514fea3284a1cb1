"""A local SMTP server for the tests: aiosmtpd's Controller on 127.0.0.1:<port>, writing every message it
receives to <directory>/<n>.json (envelope, decoded subject, text and HTML parts, attachment names and sizes,
Message-ID), so a test reads what arrived without a MIME parser of its own. Prints "ready" when listening;
stops when its stdin closes (the test process died or stopped it)."""
import email
import email.policy
import json
import os
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        record = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(message.get("Subject", "")),
            "messageId": str(message.get("Message-ID", "")),
            "cc": str(message.get("Cc", "")),
            "text": None,
            "html": None,
            "attachments": [],
        }
        for part in message.walk():
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            if disposition == "attachment" or part.get_filename():
                record["attachments"].append({"name": part.get_filename(), "size": len(part.get_payload(decode=True) or b"")})
            elif part.get_content_type() == "text/plain" and record["text"] is None:
                record["text"] = part.get_content()
            elif part.get_content_type() == "text/html" and record["html"] is None:
                record["html"] = part.get_content()
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, "%05d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False)
        os.replace(name + ".tmp", name)
        return "250 Message accepted"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
