"""How a message leaves: printed and kept as .eml files (development) or sent over SMTP."""

import contextlib
import os
import re
import smtplib
import ssl
import sys
from datetime import UTC
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime


def build_message(row, sender: str) -> EmailMessage:
    """The e-mail for an outbox row: text and HTML alternatives, threaded on the ticket."""
    if row.body_text is None or row.body_html is None:
        raise ValueError(f"outbox message {row.id} is not rendered yet (render.ensure_rendered)")
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = sender
    message["To"] = row.recipient
    created = row.created_at
    if created.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        created = created.replace(tzinfo=UTC)
    message["Date"] = format_datetime(created)
    message["Message-ID"] = row.message_id
    if row.in_reply_to:
        message["In-Reply-To"] = row.in_reply_to
        message["References"] = row.in_reply_to
    # RFC 3834: out-of-office responders must not answer an automatic message.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    return message


def make_transport(config):
    """The transport MAIL_BACKEND names ("console" or "smtp")."""
    backend = config.get("MAIL_BACKEND", "console")
    if backend == "smtp":
        return SmtpTransport(config)
    if backend == "console":
        return ConsoleTransport(config["MAIL_OUTBOX_DIR"])
    raise ValueError(f"unknown MAIL_BACKEND {backend!r} (use 'console' or 'smtp')")


def is_permanent(error: Exception) -> bool:
    """The server refused for good (5xx): retrying the same message will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


class Unreachable(Exception):
    """The mail server could not be reached or refused the session (retried later)."""


class ConsoleTransport:
    """Development: print each message and keep it as an .eml file to open in a mail client."""

    def __init__(self, folder: str):
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        os.makedirs(self.folder, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", message["Message-ID"].strip("<>")) + ".eml"
        path = os.path.join(self.folder, name)
        with open(path, "wb") as f:
            f.write(message.as_bytes(policy=SMTP))
        text = message.get_body(("plain",)).get_content()
        sys.stdout.write(f"---------- e-mail ({path})\nTo: {message['To']}\n"
                         f"Subject: {message['Subject']}\n\n{text}\n")
        sys.stdout.flush()

    def close(self) -> None:
        pass


class SmtpTransport:
    """One connection for a batch. Once the server cannot be reached, the rest of the batch
    fails at once with the same error instead of waiting out a timeout per message."""

    def __init__(self, config):
        self.config = config
        self.connection = None
        self.unreachable = None

    def send(self, message: EmailMessage) -> None:
        if self.unreachable is not None:
            raise self.unreachable
        if self.connection is None:
            try:
                self.connection = self._connect()
            except Exception as error:
                # Never "permanent", even on a 5xx greeting: that is about us, not the message.
                self.unreachable = Unreachable(
                    f"{self.config['MAIL_SERVER']}:{self.config['MAIL_PORT']}: {error}")
                raise self.unreachable from error
        try:
            self.connection.send_message(message)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            raise  # the server answered: the connection still serves the next message
        except Exception:
            self._drop()
            raise

    def close(self) -> None:
        if self.connection is not None:
            # The messages are out and recorded; a failed goodbye changes nothing.
            with contextlib.suppress(Exception):
                self.connection.quit()
            self._drop()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        host, port, timeout = c["MAIL_SERVER"], c["MAIL_PORT"], c["MAIL_TIMEOUT"]
        if c.get("MAIL_USE_SSL"):
            connection = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if c.get("MAIL_USE_TLS") and not c.get("MAIL_USE_SSL"):
                connection.starttls(context=ssl.create_default_context())
            if c.get("MAIL_USERNAME"):
                connection.login(c["MAIL_USERNAME"], c.get("MAIL_PASSWORD") or "")
        except Exception:
            connection.close()
            raise
        return connection

    def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            connection.close()
