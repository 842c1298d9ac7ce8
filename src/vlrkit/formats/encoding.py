"""Which text encoding a file's bytes are in, and whether they are text at all.

Readers take UTF-8.  Users also save "Unicode text" from Excel (UTF-16 with a byte-order mark,
tab- or comma-separated) and, more rarely, UTF-16/UTF-32 without a mark.  :func:`to_utf8` turns
such text into UTF-8 once, where bytes come in (:mod:`vlrkit.formats.sources`), so every reader
and the format detection see the same text; and it refuses bytes that are no text at all (binary
data named ``.csv``) with :class:`NotText` instead of letting them pass as an empty table.  Bytes
that are text in a legacy 8-bit encoding (GB18030, Latin-1) are left alone: the readers report
them as not UTF-8, naming the byte.
"""

from __future__ import annotations

from vlrkit.formats.limits import Refusal
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem

#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8"),
)
#: How much of a file the detection looks at.
SAMPLE_BYTES = 64 * 1024
#: Share of control characters (other than tab, line feed, form feed, carriage return) above
#: which bytes are not text; random bytes have about 11 %, any real text almost none.
MAX_CONTROL_SHARE = 0.02
_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


class NotText(Refusal):
    """The bytes are not text in an encoding vlrkit reads (``detail`` says why, in en and zh)."""

    def __init__(self, detail: str, detail_zh: str) -> None:
        super().__init__(f"{detail} / {detail_zh}")
        self.detail, self.detail_zh = detail, detail_zh

    def problem(self, file: str) -> Problem:
        return c.make(c.NotText, file, detail=self.detail, detail_zh=self.detail_zh)


def _unmarked_wide(sample: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, told by where the zero bytes fall (text with ASCII
    punctuation, digits and line ends — any table — has a zero in every ASCII code unit)."""
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    zeros = [sample[i:n:4].count(0) for i in range(4)]
    quarter = n // 4
    # UTF-32: the two high bytes of every unit are zero (any character of the basic plane);
    # UTF-16: a zero in one half of most units
    if min(zeros[2], zeros[3]) > 0.9 * quarter:
        return "utf-32-le"
    if min(zeros[0], zeros[1]) > 0.9 * quarter:
        return "utf-32-be"
    # UTF-16: zeros (the high byte of ASCII punctuation, digits, line ends) in one half of the
    # units mostly (a Chinese character may end in a zero byte too: 一 is U+4E00), which even a
    # Chinese table has with its commas and line ends; random binary data has them in both alike
    even, odd = zeros[0] + zeros[2], zeros[1] + zeros[3]
    least = max(4, 0.02 * 2 * quarter)
    if odd >= least and even <= 0.5 * odd:
        return "utf-16-le"
    if even >= least and odd <= 0.5 * even:
        return "utf-16-be"
    return None


def detect(data: bytes) -> str:
    """The encoding of ``data``: ``utf-8`` (or any 8-bit text), ``utf-16-le`` … ; raise NotText."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    sample = data[:SAMPLE_BYTES]
    if b"\x00" in sample:
        wide = _unmarked_wide(sample)
        if wide is None:
            raise NotText("binary data: zero bytes, and not UTF-16 or UTF-32 text",
                          "二进制数据：含零字节，且不是 UTF-16 或 UTF-32 文本")
        return wide
    controls = sum(sample.count(b) for b in _CONTROLS)
    if sample and controls > MAX_CONTROL_SHARE * len(sample):
        raise NotText(f"binary data: {controls} control bytes in the first {len(sample)}",
                      f"二进制数据：前 {len(sample)} 字节中有 {controls} 个控制字节")
    return "utf-8"


def to_utf8(data: bytes) -> bytes:
    """``data`` as UTF-8 (UTF-16/UTF-32 decoded and its mark dropped; UTF-8 and 8-bit text as
    they are); raise :class:`NotText` for binary data or broken UTF-16/UTF-32."""
    encoding = detect(data)
    if encoding == "utf-8":
        return data
    body = data
    for bom, name in BOMS:
        if name == encoding and data.startswith(bom):
            body = data[len(bom):]
    try:
        return body.decode(encoding).encode("utf-8")
    except UnicodeError as exc:
        position = getattr(exc, "start", 0) + len(data) - len(body)
        raise NotText(f"{encoding.upper()} text broken at byte {position}",
                      f"{encoding.upper()} 文本在第 {position} 字节处损坏") from exc
