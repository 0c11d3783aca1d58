"""Decoding an article file: UTF-8, UTF-16 or cp1252, and refusing binary files.

:func:`decode_text` turns the bytes of one ``.txt`` article into text with
``\\n`` line ends, naming the encoding it used; an empty file, a file of white
space only and a binary file are refused with a :class:`CorpusError` naming it.
"""

from __future__ import annotations

import codecs
import unicodedata

from analysis.corpus.inputs import corpus_error

#: UTF-16 without a byte-order mark (:func:`_decode_utf16_without_bom`): at least this
#: share of one half of the byte pairs is NUL. English text in UTF-16 has a NUL
#: high byte in nearly every character; Russian text still in its spaces,
#: digits and punctuation (about 18% on a news article).
UTF16_MIN_NUL_SHARE = 0.1
#: ... and at most this share of the other half: a character U+xx00 (U+0100
#: "Ā", U+4E00 "一") puts a NUL there now and then; a binary file has many.
UTF16_MAX_STRAY_NUL_SHARE = 0.01
#: A decoded file with more control characters (other than tab, newlines and
#: form feed) than this share of its characters, and more than
#: BINARY_MIN_CONTROLS, is binary, not text. Set by hand with the reader: text
#: copied from web pages carries a stray control character or two; a binary
#: file decoded as cp1252 or latin-1 has several per hundred bytes.
BINARY_CONTROL_SHARE = 0.01
BINARY_MIN_CONTROLS = 2


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """The text and ``"utf-16-le"``/``"utf-16-be"`` when ``data`` is UTF-16 without a byte-order mark, else None.

    Text of Latin (or Cyrillic, Greek ...) script in UTF-16 has a NUL byte in
    every character of U+0000-U+00FF (letters, spaces, digits), always in the
    same half of each byte pair: the high byte, second in little-endian order.
    A binary file has NUL bytes in both halves. The decoded text is still
    checked for control characters by :func:`decode_text`.
    """
    half = len(data) // 2
    if len(data) % 2 or not half:
        return None
    first, second = data[0::2].count(0) / half, data[1::2].count(0) / half
    if second >= UTF16_MIN_NUL_SHARE and first <= UTF16_MAX_STRAY_NUL_SHARE:
        encoding = "utf-16-le"
    elif first >= UTF16_MIN_NUL_SHARE and second <= UTF16_MAX_STRAY_NUL_SHARE:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:  # an unpaired surrogate: not UTF-16 after all
        return None


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode an article file, detecting UTF-8 (with or without BOM), UTF-16 or cp1252.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file's name, used in error messages.

    Returns
    -------
    (str, str)
        The text (line endings normalised to ``\\n``) and the encoding used:
        ``utf-8``, ``utf-8-sig``, ``utf-16`` (with a byte-order mark),
        ``utf-16-le`` or ``utf-16-be`` (without one, see
        :func:`_decode_utf16_without_bom`), ``cp1252`` or ``latin-1``.

    Raises
    ------
    CorpusError
        If the file is empty or is not text.
    """
    if not data.strip():
        raise corpus_error(name, "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _decode_or_fail(data, "utf-16", name), "utf-16"
    elif b"\x00" in data:
        decoded = _decode_utf16_without_bom(data)
        if decoded is None:
            raise corpus_error(name, "this is a binary file (it contains NUL bytes), not text")
        text, encoding = decoded
    elif data.startswith(codecs.BOM_UTF8):
        text, encoding = _decode_or_fail(data, "utf-8-sig", name), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
                text, encoding = data.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(BINARY_MIN_CONTROLS, int(len(text) * BINARY_CONTROL_SHARE)):
        raise corpus_error(name, f"this looks like a binary file ({controls} control characters), not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise corpus_error(name, "the file holds only white space")
    return text, encoding


def _decode_or_fail(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise corpus_error(name, f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                                 f"(byte {exc.start})") from None
