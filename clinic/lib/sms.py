"""How many billed segments a text message takes (GSM 03.38 and UCS-2).

Providers bill each segment. A text written only in the GSM-7 alphabet fits 160 characters in
one segment; a longer one is split into segments of 153 (7 characters carry the joining header).
One character outside that alphabet (an emoji, a curly quote, "ł") switches the whole text to
UCS-2: 70 characters in one segment, 67 per segment beyond. Characters of the GSM-7 extension
table (``€ [ ] { } ^ ~ | \\`` and form feed) take two of the 160.
"""

from dataclasses import dataclass

#: The GSM 03.38 default alphabet, one septet each (ESC, 0x1B, is the extension escape).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The extension table: an escape septet, then the character's own.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "GSM-7"
UCS2 = "UCS-2"

#: (characters in one segment, characters per segment of a longer text), per encoding.
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True, slots=True)
class Segments:
    encoding: str
    #: Septets (GSM-7) or UTF-16 code units (UCS-2): what the limits count.
    units: int
    count: int

    @property
    def single(self) -> bool:
        return self.count <= 1


def gsm7_units(text: str) -> int | None:
    """Septets ``text`` takes in GSM-7, or None when a character is outside the alphabet."""
    units = 0
    for character in text:
        if character in GSM7_BASIC:
            units += 1
        elif character in GSM7_EXTENSION:
            units += 2
        else:
            return None
    return units


def segments(text: str) -> Segments:
    """The encoding, length and number of segments a provider bills for ``text``."""
    units = gsm7_units(text)
    encoding = GSM7
    if units is None:
        encoding = UCS2
        units = len(text.encode("utf-16-le")) // 2  # an emoji is two code units
    single, per_part = LIMITS[encoding]
    count = min(units, 1) if units <= single else -(-units // per_part)
    return Segments(encoding=encoding, units=units, count=count)
