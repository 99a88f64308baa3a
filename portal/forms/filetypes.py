"""What an uploaded file really is, told from its bytes rather than its name.

A name is whatever the uploader typed, so a program renamed `invoice.pdf` must not pass as a
PDF. libmagic (through python-magic) is the detector behind Debian's `file`: unlike the
pure-Python signature tables it also recognises text, mail and HTML, which several catalog
fields accept. Each known extension lists the MIME types libmagic reports for genuine files of
that kind; an extension it cannot vouch for is let through unless the bytes are a program.
"""

from dataclasses import dataclass

import magic
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Enough for libmagic to see an Office document's zip members and to judge text by more than
# its first line; files are stored whole regardless.
SNIFF_BYTES = 256 * 1024

ZIP = "application/zip"
OLE = "application/x-ole-storage"  # the container of pre-2007 Office files and Outlook mail
TEXT = "text/*"
PROGRAMS = frozenset({
    "application/vnd.microsoft.portable-executable", "application/x-dosexec",
    "application/x-executable", "application/x-pie-executable", "application/x-sharedlib",
    "application/x-mach-binary", "application/x-msi", "application/x-msdownload",
    "application/x-elf",
})
TEXT_LIKE = frozenset({"application/json", "application/xml", "message/rfc822", "message/news"})


@dataclass(frozen=True)
class Kind:
    label: object  # a lazy string: the kind named in the language of whoever reads the message
    types: frozenset

    def matches(self, detected: str) -> bool:
        if TEXT in self.types and (detected.startswith("text/") or detected in TEXT_LIKE):
            return True
        return detected in self.types


def _kind(label, *types) -> Kind:
    return Kind(label, frozenset(types))


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
_EXE = ("application/vnd.microsoft.portable-executable", "application/x-dosexec")

# A document saved by an unusual writer may order its zip members so that libmagic only sees a
# zip; that is still the right container, so the Office and OpenDocument kinds accept ZIP too.
KINDS: dict[str, Kind] = {
    ".pdf": _kind(_l("a PDF"), "application/pdf"),
    ".png": _kind(_l("a PNG image"), "image/png"),
    ".jpg": _kind(_l("a JPEG image"), "image/jpeg"),
    ".jpeg": _kind(_l("a JPEG image"), "image/jpeg"),
    ".gif": _kind(_l("a GIF image"), "image/gif"),
    ".webp": _kind(_l("a WebP image"), "image/webp"),
    ".bmp": _kind(_l("a BMP image"), "image/bmp", "image/x-ms-bmp"),
    ".tif": _kind(_l("a TIFF image"), "image/tiff"),
    ".tiff": _kind(_l("a TIFF image"), "image/tiff"),
    ".svg": _kind(_l("an SVG image"), "image/svg+xml", "text/xml", "application/xml"),
    ".txt": _kind(_l("a text file"), TEXT),
    ".md": _kind(_l("a text file"), TEXT),
    ".csv": _kind(_l("a text file"), TEXT),
    ".log": _kind(_l("a text file"), TEXT),
    ".json": _kind(_l("a text file"), TEXT),
    ".xml": _kind(_l("a text file"), TEXT),
    ".yaml": _kind(_l("a text file"), TEXT),
    ".yml": _kind(_l("a text file"), TEXT),
    ".html": _kind(_l("an HTML page"), TEXT),
    ".htm": _kind(_l("an HTML page"), TEXT),
    ".eml": _kind(_l("an e-mail message"), TEXT),
    ".msg": _kind(_l("an Outlook message"), "application/vnd.ms-outlook", OLE),
    ".doc": _kind(_l("a Word document"), "application/msword", OLE),
    ".xls": _kind(_l("an Excel workbook"), "application/vnd.ms-excel", OLE),
    ".ppt": _kind(_l("a PowerPoint presentation"), "application/vnd.ms-powerpoint", OLE),
    ".docx": _kind(_l("a Word document"), _OOXML + "wordprocessingml.document", ZIP),
    ".xlsx": _kind(_l("an Excel workbook"), _OOXML + "spreadsheetml.sheet", ZIP),
    ".pptx": _kind(_l("a PowerPoint presentation"), _OOXML + "presentationml.presentation",
                   ZIP),
    ".odt": _kind(_l("an OpenDocument text"), _ODF + "text", ZIP),
    ".ods": _kind(_l("an OpenDocument spreadsheet"), _ODF + "spreadsheet", ZIP),
    ".zip": _kind(_l("a zip archive"), ZIP, _OOXML + "wordprocessingml.document",
                  _OOXML + "spreadsheetml.sheet", _OOXML + "presentationml.presentation",
                  _ODF + "text", _ODF + "spreadsheet"),
    ".7z": _kind(_l("a 7-Zip archive"), "application/x-7z-compressed"),
    ".gz": _kind(_l("a gzip archive"), "application/gzip", "application/x-gzip"),
    ".exe": _kind(_l("a Windows program"), *_EXE),
    ".dll": _kind(_l("a Windows library"), *_EXE),
    ".msi": _kind(_l("a Windows installer"), "application/x-msi", OLE),
}


def extension(filename: str) -> str:
    """'Report.Final.PDF' -> '.pdf'; '' when the name has none."""
    stem, dot, ext = (filename or "").rpartition(".")
    return f".{ext.lower()}" if dot and stem and ext else ""


def sniff(stream) -> bytes:
    """The first bytes of an upload, leaving the stream where it started for storing."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    return head


def detect(head: bytes) -> str:
    """libmagic's MIME type for these bytes."""
    try:
        return magic.from_buffer(head, mime=True)
    except magic.MagicException:
        # Bytes libmagic cannot classify are no known kind: they fail every rule that has one.
        return "application/octet-stream"


def problem(filename: str, stream) -> str | None:
    """Why this upload's bytes contradict its name, in words for the uploader; None if they
    do not."""
    head = sniff(stream)
    if len(filename) > 80:  # a name of any length may arrive; the message stays readable
        filename = filename[:60] + "…" + filename[-15:]
    if not head:
        return _("“%(name)s” is empty: choose the file again, or another one.", name=filename)
    detected = detect(head)
    kind = KINDS.get(extension(filename))
    if kind is not None:
        if kind.matches(detected):
            return None
        return _("“%(name)s” is not %(kind)s, although its name says so. Choose the original "
                 "file, or save it again as %(kind)s.", name=filename, kind=kind.label)
    if detected in PROGRAMS:
        return _("“%(name)s” is a program, although its name does not say so.", name=filename)
    return None
