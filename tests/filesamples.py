"""Small but genuine files, built byte by byte, for the upload tests."""

import io
import struct
import zipfile
import zlib


def png() -> bytes:
    """A valid 1×1 RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                           xref)
    return bytes(out)


def docx() -> bytes:
    """A minimal Word document: the zip members Word itself writes first."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as document:
        document.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{main}"/></Types>'))
        document.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        document.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "printer logs")
    return buffer.getvalue()


def text() -> bytes:
    return "Printer on floor 3 shows E-42.\nZażółć gęślą jaźń.\n".encode()


def windows_program() -> bytes:
    """The start of a Windows executable: MZ header pointing at a PE header."""
    dos_header = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(44)
    dos_header += struct.pack("<I", 0x80)
    return dos_header + bytes(0x80 - len(dos_header)) + b"PE\x00\x00\x4c\x01" + bytes(18)
