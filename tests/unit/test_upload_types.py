"""Uploads are judged by their bytes: a name cannot turn a program into a PDF."""

from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage
from wtforms.validators import ValidationError

from portal.forms import filetypes
from portal.forms.validators import FileContents, FileRules
from tests import filesamples as samples


class Field:
    def __init__(self, data):
        self.data = data


def check(accept, name, content):
    """The field's error for this upload, or None when it is accepted."""
    upload = FileStorage(BytesIO(content), filename=name)
    try:
        FileRules(accept, None)(None, Field(upload))
    except ValidationError as error:
        return str(error)
    assert upload.stream.tell() == 0, "the stream must be left ready for storing"
    return None


@pytest.mark.parametrize("name", ["invoice.pdf", "screenshot.png", "photo.JPG", "notes.txt"])
def test_a_renamed_windows_program_is_refused(app_ctx, name):
    error = check([".pdf", ".png", ".jpg", ".txt"], name, samples.windows_program())
    assert error is not None and name in error and "although its name says so" in error


def test_the_message_names_the_kind_the_name_claims(app_ctx):
    assert check([".pdf"], "a.pdf", samples.windows_program()).startswith(
        "“a.pdf” is not a PDF, although its name says so.")
    assert "is not a PNG image" in check([".png"], "a.png", samples.pdf())


@pytest.mark.parametrize(("accept", "name", "content"), [
    ([".pdf"], "quote.pdf", samples.pdf()),
    ([".png"], "screen.png", samples.png()),
    ([".txt", ".md"], "log.txt", samples.text()),
    ([".md"], "notes.md", b"# Notes\n\n- one\n"),
    ([".docx"], "contract.docx", samples.docx()),
    ([".zip"], "logs.zip", samples.zip_archive()),
    ([".eml"], "phish.eml", b"From: a@example.com\nTo: b@example.com\nSubject: Hi\n\nbody\n"),
    ([".html"], "page.html", b"<!DOCTYPE html><html><body>hi</body></html>\n"),
])
def test_genuine_files_are_accepted(app_ctx, accept, name, content):
    assert check(accept, name, content) is None


def test_a_docx_is_a_zip_but_a_zip_is_no_pdf(app_ctx):
    assert check([".zip"], "contract.zip", samples.docx()) is None
    assert "is not a PDF" in check([".pdf"], "contract.pdf", samples.docx())
    assert "is not a Word document" in check([".docx"], "a.docx", samples.pdf())


def test_an_empty_file_is_refused(app_ctx):
    assert check([".txt"], "empty.txt", b"") == (
        "“empty.txt” is empty: choose the file again, or another one.")


def test_a_file_cut_before_its_signature_is_refused(app_ctx):
    assert "is not a PDF" in check([".pdf"], "cut.pdf", samples.pdf()[:3])
    assert "is not a PNG image" in check([".png"], "cut.png", samples.png()[:4])


def test_a_file_cut_after_its_signature_is_still_its_kind(app_ctx):
    # Typing, not repairing: the bytes are a (damaged) PNG, which is what the name says.
    assert check([".png"], "cut.png", samples.png()[:30]) is None


def test_binary_bytes_in_a_text_file_are_refused(app_ctx):
    assert "is not a text file" in check([".txt"], "notes.txt", bytes(range(256)) * 4)


def test_without_an_accept_list_names_must_still_tell_the_truth(app_ctx):
    assert "is not a PDF" in check([], "invoice.pdf", samples.windows_program())
    assert check([], "setup.exe", samples.windows_program()) is None
    assert check([], "data.bin", samples.zip_archive()) is None
    assert "is a program, although its name does not say so" in check(
        [], "data.bin", samples.windows_program())


def test_several_files_are_all_checked(app_ctx):
    uploads = [FileStorage(BytesIO(samples.text()), filename="ok.txt"),
               FileStorage(BytesIO(samples.windows_program()), filename="log.txt")]
    with pytest.raises(ValidationError, match="“log.txt” is not a text file"):
        FileContents()(None, Field(uploads))
    FileContents()(None, Field(uploads[:1]))


def test_a_long_name_is_shortened_in_the_message(app_ctx):
    name = "a" * 500 + ".pdf"
    error = check([".pdf"], name, samples.windows_program())
    assert len(error) < 300 and error.startswith("“aaa")


def test_extension_is_the_last_suffix():
    assert filetypes.extension("Report.Final.PDF") == ".pdf"
    assert filetypes.extension("README") == ""
    assert filetypes.extension(".bashrc") == ""
