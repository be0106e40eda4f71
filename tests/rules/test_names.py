"""The duplicate check's name rule: which names of people born on one day look like one person."""

import pytest

from clinic.lib.names import fold, similar_names, similarity


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("Olivia", "Bennett"), ("Olivia", "Benett"), True),  # one letter off
        (("Olivia", "Bennett"), ("Liv", "Bennett"), True),  # a short form
        (("Olivia", "Bennett"), ("Bennett", "Olivia"), True),  # the names swapped
        (("Zoë", "O'Brien"), ("Zoe", "OBrien"), True),  # accents and punctuation
        (("Kate", "Smith"), ("Katerina", "Smith"), True),
        (("Olivia", "Bennett"), ("James", "Bennett"), False),  # a twin brother
        (("Olivia", "Bennett"), ("Olivia", "Smith"), False),  # another family
        (("Ann", "Lee"), ("Bob", "Kerr"), False),
        (("Al", "Lee"), ("Alan", "Leeds"), False),  # a two-letter short form is too weak
    ],
)
def test_similar_names(a, b, same):
    assert similar_names(*a, *b) is same
    assert similar_names(*b, *a) is same  # the rule is symmetric


def test_similarity_is_pg_trgm_similarity():
    # pg_trgm: similarity('word', 'two words') = 0.36363637 (its documentation's example).
    assert similarity("word", "two words") == pytest.approx(4 / 11)
    assert similarity("Bennett", "bennett") == 1.0
    assert similarity("", "Bennett") == 0.0


def test_fold_drops_accents_case_and_marks():
    assert fold("  Zoë-Anne O'Brien ") == "zoe anne o brien"
