"""Do two people's names look like the same person's? A pure rule for the duplicate check.

Two records with the same date of birth are likely one person when their names are close: a
letter off ("Olivia Benett" for "Olivia Bennett"), a short form ("Liv Bennett"), or the two names
swapped. Similarity is the trigram measure PostgreSQL's pg_trgm uses (shared three-letter runs
over all runs, each word padded with two spaces in front and one behind), computed here so that
SQLite and PostgreSQL give the same answer. The candidates are only the patients born on that day
(an indexed lookup), so comparing them in Python costs nothing.

Plain Python: no database, no models.
"""

import re
import unicodedata

#: pg_trgm's default threshold for ``%`` is 0.3; whole names of one person score far higher, so a
#: stricter bar keeps siblings born on other days out (they never reach this rule) and twins with
#: different first names mostly out.
FULL_NAME_THRESHOLD = 0.5
LAST_NAME_THRESHOLD = 0.6


def fold(text: str) -> str:
    """Lower case, accents removed, anything but letters and spaces dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z ]+", " ", plain.casefold()).strip()


def trigrams(text: str) -> frozenset[str]:
    grams = set()
    for word in fold(text).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity(a, b)``: shared trigrams over all trigrams, 0 to 1."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _short_form(a: str, b: str) -> bool:
    """One first name is a short form inside the other ("Liv" in "Olivia", "Kate" in "Katerina")."""
    a, b = fold(a), fold(b)
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and short in long


def similar_names(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """Whether two names (of people born on the same day) look like one person's."""
    full_a, full_b = f"{first_a} {last_a}", f"{first_b} {last_b}"
    if similarity(full_a, full_b) >= FULL_NAME_THRESHOLD:
        return True
    if similarity(full_a, f"{last_b} {first_b}") >= FULL_NAME_THRESHOLD:
        return True
    return similarity(last_a, last_b) >= LAST_NAME_THRESHOLD and _short_form(first_a, first_b)
