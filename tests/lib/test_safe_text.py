"""for_files: what no DOCX, XLSX, HTML or PDF writer can take is removed, nothing else."""

from __future__ import annotations

import pytest

from gongkai.lib.safe_text import for_files, row_for_files, value_for_files

KEPT = "张三 Zhang, 1.5%\t😀𠮷（）〔〕—“”\u3000é"  # emoji, extension B, full-width, tab


def test_printable_text_is_unchanged():
    assert for_files(KEPT) == KEPT
    assert for_files("plain ascii") == "plain ascii"
    assert for_files("") == ""


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("张\x01三", "张三"),
        ("a\x00b\x08c\x0bd\x0ce\x1ff\x7fg", "abcdefg"),  # C0 and DEL
        ("a\x80b\x85c\x9fd", "abcd"),  # C1
        ("a\ud800b\udfffc", "abc"),  # lone surrogates
        ("a\ufdd0b\ufffec\uffffd\U0001fffee\U0010ffff", "abcde"),  # noncharacters
        ("a\u2028b\u2029c", "a\nb\nc"),  # line and paragraph separators
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
    ],
)
def test_what_files_cannot_hold_is_removed(raw, clean):
    assert for_files(raw) == clean


def test_every_result_is_valid_xml_text_and_utf8():
    every = "".join(chr(c) for c in range(0x110000))
    result = for_files(every)
    result.encode("utf-8")  # no lone surrogate is left
    allowed_c0 = {"\t", "\n"}
    assert not [ch for ch in result if ord(ch) < 0x20 and ch not in allowed_c0]
    assert "\ufffe" not in result and "\uffff" not in result
    # Removed: 29 C0, DEL and 32 C1, 2048 surrogates, 66 noncharacters; \r, U+2028/9 → \n.
    assert len(every) - len(result) == 29 + 33 + 2048 + 66


def test_cells_other_than_text_are_left_alone():
    assert row_for_files(["a\x01", 3, None, 1.5]) == ["a", 3, None, 1.5]
    assert value_for_files(7) == 7
