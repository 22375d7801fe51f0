"""Bytes to text: encodings are detected, control characters go, printable text stays."""

import codecs

import pytest

from tui.corpus.decode import NotText, clean_text, decode_bytes

SAMPLE = "Peña met Jesús Seade. “We’re close,” he said — 30 percent."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its NULs
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
)
def test_every_supported_encoding_reads_the_same_text(data, encoding):
    text, detected = decode_bytes(data)
    assert text == SAMPLE
    assert detected == encoding


def test_latin1_bytes_undefined_in_cp1252_are_kept():
    text, _ = decode_bytes(b"caf\xe9 \x81 na\xefve")
    assert text == "café \x81 naïve"  # \x81 is then removed by clean_text as a control
    assert clean_text(text) == "café  naïve"


def test_utf8_with_a_few_windows_bytes_keeps_the_utf8_intact():
    data = "Jesús said ".encode("utf-8") + b"\x93yes\x94 to Pe\xf1a"
    text, encoding = decode_bytes(data)
    assert text == "Jesús said “yes” to Peña"
    assert encoding == "utf-8+cp1252"


def test_truncated_utf8_loses_only_the_cut_character():
    data = "We’re close".encode("utf-8") + "’".encode("utf-8")[:2]
    text, _ = decode_bytes(data)
    assert text == "We’re close"


def test_binary_data_is_not_text():
    with pytest.raises(NotText):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def test_line_endings_become_lf():
    assert clean_text("one\r\ntwo\rthree\n\nfour") == "one\ntwo\nthree\n\nfour"


def test_escape_sequences_and_controls_are_removed_but_brackets_stay():
    hostile = (
        "A \x1b[31mred\x1b[0m word, a bell\x07, a NUL\x00, "
        "an OSC 52 \x1b]52;c;ZXZpbA==\x07clipboard, a title \x1b]0;pwned\x1b\\set, "
        "and [bold]markup[/bold] [@click=app.quit]link[/]"
    )
    assert clean_text(hostile) == (
        "A red word, a bell, a NUL, an OSC 52 clipboard, a title set, "
        "and [bold]markup[/bold] [@click=app.quit]link[/]"
    )


def test_unterminated_escape_does_not_swallow_the_next_line():
    assert clean_text("first \x1b]0;unterminated title\nsecond line") == "first\nsecond line"


def test_decomposed_accents_are_composed():
    assert clean_text("Jesu\u0301s") == "Jesús"
