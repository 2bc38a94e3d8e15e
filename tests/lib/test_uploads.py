"""The one check of an upload's type and size (lib/uploads.check_upload)."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.lib.uploads import DOCX, JPEG, PDF, PNG, XLSX, UploadRejected, check_upload

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def zipped(name: str) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.txt", "x")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_type_is_judged_by_content_not_by_name():
    assert check_upload(upload("scan.jpg", PDF_BYTES), types={PDF, JPEG}, max_bytes=10**6) == PDF
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("fake.pdf", b"just text"), types=[PDF, PNG], max_bytes=10**6)
    assert "fake.pdf" in refused.value.message and "PDF、PNG" in refused.value.message


def test_the_file_is_rewound_after_the_check():
    given = upload("a.png", PNG_BYTES)
    check_upload(given, types={PNG}, max_bytes=10**6)
    assert given.read() == PNG_BYTES


def test_a_zip_is_taken_at_its_office_extension_only_when_allowed():
    assert check_upload(upload("表.xlsx", zipped("x")), types={XLSX}, max_bytes=10**6) == XLSX
    with pytest.raises(UploadRejected):
        check_upload(upload("表.xlsx", zipped("x")), types={DOCX}, max_bytes=10**6)
    with pytest.raises(UploadRejected):
        check_upload(upload("archive.zip", zipped("x")), types={DOCX, XLSX}, max_bytes=10**6)


def test_the_size_limit_and_the_callers_messages():
    big = upload("big.pdf", PDF_BYTES + b"0" * 2 * 1024 * 1024)
    with pytest.raises(UploadRejected) as refused:
        check_upload(big, types={PDF}, max_bytes=1024 * 1024)
    assert refused.value.message == "big.pdf超过1 MB。"
    with pytest.raises(UploadRejected) as refused:
        check_upload(
            big, types={PDF}, max_bytes=1024, name="证据", too_large="%(name)s 太大（%(mb)d）"
        )
    assert refused.value.message == "证据 太大（0）"
