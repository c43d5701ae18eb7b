"""The classifier's fast paths give the same answers as the plain forms they replace, and throughput() measures."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from monitor.classify import Classifier, rules
from monitor.classify.evaluate import load_labeled, throughput
from monitor.classify.quick import View
from monitor.classify.text import Tokens, squash

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "kcna-real-labeled.jsonl"
_WORD = re.compile(r"[A-Za-z0-9]+")


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def _texts(pieces: list[str], seps: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randint(0, 10))) for _ in range(n)]


def test_squash_equals_split_and_join() -> None:
    """squash() gives " ".join(text.split()) for spaces, tabs, newlines, no-break and other Unicode spaces."""
    pieces = ["a", "B", " ", "  ", "\t", "\n", "\xa0", "\u2003", "\u200b", "\x1f", "\x85", "\u3000", "\u00e9", "."]
    for text in _texts(pieces, ["", " "], 3000, seed=1):
        assert squash(text) == " ".join(text.split()), repr(text)


def test_tokens_drop_the_and_keep_the_characters_between_words() -> None:
    """Tokens leave out "the"/"The" (not "theory", "THE"), and gaps/between() give back the original characters."""
    pieces = ["the", "The", "THE", "theory", "bathe", "Kim", "of", "U.S.", "x2", "(", '"', "the-", "-the", "Lao"]
    for text in _texts(pieces, ["", " ", ", ", "-", ". "], 2000, seed=2):
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if m.group() not in ("the", "The")]
        tokens = Tokens(text)
        assert tokens.words == [text[a:b] for a, b in spans]
        assert tokens.lows == [w.lower() for w in tokens.words]
        for i, (a, _) in enumerate(spans):
            assert tokens.gaps[i] == text[spans[i - 1][1] if i else 0:a]
            for j in range(i + 1, len(spans) + 1):
                assert tokens.between(i, j) == text[a:spans[j - 1][1]]


def test_view_head_equals_a_view_of_the_cut_text() -> None:
    """A view of the first characters of a text, sharing its words, equals a view made from the cut text."""
    pieces = ["Kim", " ", ". ", "present there", "x", "1", "-", "'", "the", ",", "\u00e9"]
    for text in _texts(pieces, [""], 800, seed=3):
        view = View(text)
        for cut in range(len(text) + 1):
            head, plain = view.head(cut), View(text[:cut])
            assert (head.text, head.list, head.set, head.raw) == (plain.text, plain.list, plain.set, plain.raw)


def test_overseas_koreans_matches_a_plain_search() -> None:
    """overseas_koreans() (anchored on the pattern's first words) agrees with searching the whole text."""
    pieces = ["Korean", "Koreans", "KOREANS", "residents", "in", "In", "living", "resident", "Japan", "DPRK", "Korea",
              "Pyongyang", "Chongryon", "General", "Association", "of", "compatriots", "overseas", "'s", "\u00e9"]
    hits = 0
    for text in _texts(pieces, [" ", " ", "", "-", ". "], 5000, seed=4):
        w = rules.Words(text)
        expected = bool(w.set & rules._OVERSEAS_WORDS) and bool(rules._OVERSEAS.search(text))
        assert rules.overseas_koreans(text, w) == expected, text
        hits += expected
    assert hits > 100


def test_quick_countries_respect_case_anti_the_and_the_dprk_name(clf: Classifier) -> None:
    """Quick country lookup: acronyms only in capitals, "anti-" and DPRK names excluded, "the" skipped, in order."""
    quick = clf._quick
    assert quick.countries(View("Kim Jong Un met the Lao delegation and the UN envoy")) == ["Laos", "United Nations"]
    assert quick.countries(View("Kim Jong Un Visits Factory")) == []
    assert quick.countries(View("anti-Japanese war veterans met Russian officials")) == ["Russia"]
    assert quick.countries(View("Democratic People's Republic of Korea and the Republic of Korea")) == ["ROK"]
    assert quick.countries(View("envoy of the Lao People's Democratic Republic met the Chinese side")) == [
        "Laos", "China"]
    assert quick.countries(View("THE RUSSIAN FEDERATION AND THE U.S.")) == ["Russia", "USA"]
    assert quick.countries(View("japan and china")) == []


def test_throughput_measures_items_per_second(clf: Classifier) -> None:
    """throughput() returns a positive rate of classified items per second and rejects empty input."""
    rows = [{"title": "Kim Jong Un Receives Lao Premier", "lead": "Kim Jong Un received the Lao premier."},
            {"title": "Rice Transplanting Brisk", "lead": "Farmers transplant rice across the country."}]
    assert throughput(clf, rows, repeat=3) > 0
    with pytest.raises(ValueError):
        throughput(clf, [], repeat=3)
    with pytest.raises(ValueError):
        throughput(clf, rows, repeat=0)


def test_throughput_on_real_corpus_is_not_far_off_target(clf: Classifier) -> None:
    """On the real corpus the classifier keeps a rate far above the pre-optimisation floor (a coarse guard)."""
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    assert throughput(clf, load_labeled(CORPUS), repeat=3) > 3000


def test_results_equal_dataclass_construction(clf: Classifier) -> None:
    """A classification from the rules equals, prints and converts like one built by Classification(...)."""
    from dataclasses import asdict

    from monitor.classify import Classification

    got = clf.classify("Paddy Fields Irrigated", "Paddy fields are being irrigated across the country.")
    same = Classification("domestic", False, [], [], {}, 0.9, ["no foreign-relations cue"])
    assert got == same and repr(got) == repr(same) and asdict(got) == asdict(same)
    assert got != Classification("domestic", False, [], [], {}, 0.7, ["no foreign-relations cue"])


@pytest.mark.parametrize(("lead", "principals"), [
    ("Kim Jong Un met the envoy. They talked.", "Kim Jong Un met the envoy"),
    ("Talks were held with the U.S. side on Monday. Both sides spoke.", "Talks were held with the U.S. side on Monday"),
    ("The premier received the minister. Present there were officials.", "The premier received the minister"),
    ("The premier received the minister, accompanied by aides. Fine.", "The premier received the minister,"),
    ("The premier received the minister and also present were vice-ministers", "The premier received the minister and"),
    ("The premier received the minister, attended by the ambassador", "The premier received the minister,"),
    ("The premier received the minister.the delegation left", "The premier received the minister.the delegation left"),
])
def test_principal_end_stops_at_the_sentence_or_the_people_present(lead: str, principals: str) -> None:
    """The principals' sentence ends at the first real full stop or where the people present or escorting start."""
    from monitor.classify.classifier import principal_end

    assert lead[:principal_end(lead)] == principals


@pytest.mark.parametrize(("text", "nothing_foreign"), [
    ("Farmers in South Hwanghae Province finished the rice harvest.", True),
    ("Kim Jong Un inspected a tile factory.", True),  # "Un" is not the UN
    ("The UN Security Council met on Monday.", False),
    ("A delegation left for Vientiane, Laos.", False),
    ("Talks with the United States were called off.", False),  # a state named only by common words
    ("Koreans in the Republic of Korea rallied.", False),
    ("The Democratic People's Republic of Korea marked the day.", True),  # the DPRK is not foreign
])
def test_screen_for_anything_foreign(clf: Classifier, text: str, nothing_foreign: bool) -> None:
    """The gate's one-set screen agrees with the full lookups: no foreign state and no foreign official's word."""
    from monitor.classify.quick import View

    quick = clf._quick
    assert quick.names_nothing_foreign(View(text)) is nothing_foreign
    view = View(text)
    assert (not quick.countries(view) and not quick.may_name_official(view)) is nothing_foreign
