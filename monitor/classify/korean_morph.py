"""The Korean morphological analyser (kiwipiepy), loaded once and lazily, and the cues read from its morphemes:
meeting verbs (접견하시였다, 만나시였다, 담화를 나누시였다), statements (담화를 발표), the future (방문하게 된다).

The analyser is asked only about a title or a sentence that holds the stem of a cue word (most items hold none),
so that Korean items are classified at thousands per second. DPRK spelling (되였다, 하시였다, 로동, 리) is read
correctly by the stock model (tests/test_classify_korean.py measures it); the states it glues to the word after them
("꾸바정부", "윁남대표단이") are added as user words.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import threading
import time
from collections.abc import Iterable
from functools import lru_cache
from multiprocessing.connection import Connection
from typing import Any, NamedTuple


class Morph(NamedTuple):
    """One morpheme: its form and its part-of-speech tag (Sejong tags: NNG, NNP, VV, XSV, EP, ...)."""

    form: str
    tag: str


_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}
# the stems a cue needs: a text with none of them is not given to the analyser
STEMS = ("접견", "회담", "만나", "만났", "만남", "상봉", "작별", "신임장", "담화", "견해", "면담", "회견", "예방",
         "연회", "오찬", "만찬", "초대연", "전략대화", "사이의")
_BANQUETS = frozenset({"연회", "오찬", "만찬", "초대연", "연회장"})
_CREDENTIALS_VERBS = frozenset({"제정", "봉정", "드리", "바치", "올리", "받", "접수", "증정"})
_TALK_VERBS = frozenset({"나누", "교환"})


def user_words() -> list[tuple[str, str]]:
    """Words added to the stock model, as (form, tag): every Hangul spelling of a state in the Korean gazetteer. The
    stock model glues most DPRK spellings of states to the word after them ("꾸바정부", "윁남대표단이", "뻬루정부"
    come out as one noun; tests/test_classify_korean.py measures it)."""
    import tomllib

    from monitor.classify.korean_gazetteer import KOREAN

    data = tomllib.loads(KOREAN.read_text(encoding="utf-8"))
    forms = {h for c in data.get("countries", []) for h in c.get("hangul", []) if " " not in h and len(h) >= 2}
    return [(w, "NNP") for w in sorted(forms)]


def _make_kiwi() -> Any:
    """A kiwipiepy analyser with the user words (about a second, ~300 MiB resident)."""
    from kiwipiepy import Kiwi  # imported here: a second of start-up that English-only users never pay

    # no typo correction and no multi-word dictionary: the rules need neither, and they cost ~190 MiB of memory and
    # a second of start-up (the model itself stays ~300 MiB resident)
    kiwi = Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)
    for form, tag in user_words():
        kiwi.add_user_word(form, tag, 0.0)
    return kiwi


def analyser() -> Any:
    """The in-process analyser, made at the first call and kept until `release_if_idle` lets it go."""
    _STATE["used"] = time.monotonic()
    kiwi = _STATE.get("kiwi")
    if kiwi is None:
        with _LOCK:
            kiwi = _STATE.get("kiwi")
            if kiwi is None:
                kiwi = _STATE["kiwi"] = _make_kiwi()
    return kiwi


def _serve(conn: Connection) -> None:
    """The worker process: tokenize each text received until None (or the parent's end of the pipe) comes."""
    kiwi = _make_kiwi()
    while True:
        try:
            text = conn.recv()
        except EOFError:
            return
        if text is None:
            return
        conn.send([(t.form, t.tag) for t in kiwi.tokenize(text)])


class _Worker:
    """The analyser in a process of its own: all its memory goes back to the system when the process ends."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), name="korean-analyser", daemon=True)
        self.process.start()
        child.close()

    def tokenize(self, text: str) -> list[tuple[str, str]]:
        """The (form, tag) of each morpheme of `text`."""
        self.conn.send(text)
        found: list[tuple[str, str]] = self.conn.recv()
        return found

    def close(self) -> None:
        """Ask the process to end, and make sure it does."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


def use_worker(on: bool = True) -> None:
    """Analyse in a worker process (the daemon: its memory is given back whole when idle) or in this process."""
    release_if_idle(0.0)
    _STATE["worker_mode"] = on


def release_if_idle(idle: float) -> bool:
    """Let the analyser go when it was not used for `idle` seconds (the daemon calls this every few minutes): a
    worker process ends, giving back all its ~300 MiB; an in-process analyser gives back most of it. The next
    Korean item loads it again in about a second. Whether one was released."""
    with _LOCK:
        if time.monotonic() - _STATE.get("used", 0.0) < idle:
            return False
        worker, kiwi = _STATE.pop("worker", None), _STATE.pop("kiwi", None)
        if worker is not None:
            worker.close()
    if kiwi is None:
        return worker is not None
    del kiwi
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc keeps freed memory unless asked to give it back
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return True


def _tokenize(text: str) -> list[tuple[str, str]]:
    """(form, tag) of each morpheme, from the worker process or the in-process analyser."""
    if not _STATE.get("worker_mode"):
        kiwi = analyser()
        with _LOCK:
            return [(t.form, t.tag) for t in kiwi.tokenize(text)]
    with _LOCK:
        _STATE["used"] = time.monotonic()
        worker = _STATE.get("worker")
        if worker is None:
            worker = _STATE["worker"] = _Worker()
        try:
            return worker.tokenize(text)
        except (EOFError, OSError):  # the worker died (killed, out of memory): the next call starts another
            _STATE.pop("worker", None)
            worker.close()
            raise


@lru_cache(maxsize=4096)
def morphs(text: str) -> tuple[Morph, ...]:
    """The morphemes of a short text (a title or a sentence)."""
    return tuple(Morph(form, tag) for form, tag in _tokenize(text))


def has_stem(text: str) -> bool:
    """Whether a text holds the stem of any cue word (cheap: no analysis)."""
    return any(s in text for s in STEMS)


def _next_forms(ms: tuple[Morph, ...], i: int, n: int = 4) -> Iterable[Morph]:
    return ms[i + 1:i + 1 + n]


def snippets(text: str) -> list[str]:
    """The stretches of a text the analyser is asked about: each word holding a stem, with the word before it and
    three after it (the verb of "담화를 나누시였다", "신임장을 제정하였다"), not the whole of a long sentence."""
    words = text.split()
    out: list[str] = []
    for j, w in enumerate(words):
        if any(st in w for st in STEMS):
            piece = " ".join(words[max(0, j - 1):j + 4])
            if piece not in out:
                out.append(piece)
    return out


def meeting_cue(text: str) -> str | None:
    """The meeting word of a text read by the analyser: 접견, 회담, 만나다, 상봉, 작별방문, 신임장 제정, 담화를 나누다,
    견해를 나누다, 면담, 회견, 예방, a dialogue between two sides, or a banquet (연회, 오찬); None when there is
    none."""
    if not has_stem(text):
        return None
    for piece in snippets(text):
        cue = _cue(morphs(piece))
        if cue is not None:
            return cue
    return None


def _cue(ms: tuple[Morph, ...]) -> str | None:
    """The meeting word of a run of morphemes."""
    for i, m in enumerate(ms):
        form, tag = m
        prev = ms[i - 1].form if i else ""
        nxt = [x.form for x in _next_forms(ms, i)]
        if form == "접견" or form.startswith("접견"):
            return "접견"
        if form == "회담" and prev != "전화" and "앞두" not in nxt:
            return "회담"
        if form == "만나" and tag.startswith("VV"):
            return "만나다"
        if form == "만남" and tag.startswith("NN"):
            return "만남"
        if form == "상봉" and nxt[:1] != ["모임"]:
            return "상봉"
        if form == "작별방문" or (form == "작별" and nxt[:1] == ["방문"]):
            return "작별방문"
        if form == "신임장" and _CREDENTIALS_VERBS.intersection(nxt):
            return "신임장 제정"
        if form == "담화" and nxt[:1] != ["석상"] and "발표" not in nxt and (
                _TALK_VERBS.intersection(nxt) or any(x.form == "하" and x.tag in ("XSV", "VV")
                                                      for x in _next_forms(ms, i, 3))):
            return "담화"
        if form == "견해" and _TALK_VERBS.intersection(nxt):
            return "견해를 나누다"
        if form == "면담":
            return "면담"
        if form == "회견" and prev != "기자" and nxt[:1] == ["하"]:
            return "회견"  # "회견하였다"; not "회견에서 밝혔다" (an interview)
        if form == "예방" and nxt[:1] == ["하"]:
            return "예방"
        if form in _BANQUETS:
            return "연회"
        if form == "대화" and (prev == "전략" or any(x.form == "사이" for x in ms[max(0, i - 6):i])):
            return "대화"  # a strategic dialogue, a dialogue between two sides (as the English rules read it)
    return None


def name_runs(text: str) -> list[tuple[str, ...]]:
    """Runs of two to four proper nouns that are whole words of `text` (a foreign name: "쎄르게이 씌란꼬브"), as
    the analyser tags them."""
    words = {w.rstrip(",.") for w in text.split()}
    out: list[tuple[str, ...]] = []
    run: list[str] = []
    for m in (*morphs(text), Morph("", "")):
        if m.tag == "NNP" and (m.form in words or any(w.startswith(m.form) for w in words)):
            run.append(m.form)
            continue
        if 2 <= len(run) <= 4:
            out.append(tuple(run))
        run = []
    return out


def future(text: str) -> bool:
    """Whether a text announces something to come ("방문하게 된다", "회담할것이다", "예정")."""
    if "예정" in text:
        return True
    if "게 된다" not in text and "게 되" not in text and "것이다" not in text:
        return False
    ms = morphs(text)
    for i in range(len(ms) - 1):
        a, b = ms[i], ms[i + 1]
        if a.form == "게" and a.tag == "EC" and b.form == "되":
            return True
        if a.tag == "ETM" and a.form in ("ᆯ", "을") and b.form == "것":
            return True
    return False
