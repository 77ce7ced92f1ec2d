"""The native chunk cache (``_chunks.c``) against the Python loop it stands in for.

``make install`` builds it; without a current build these tests are skipped and the Python
loop is what runs.
"""

from __future__ import annotations

import pytest

from netralitas.detection import normalise as normalise_module
from netralitas.detection.linker import Linker
from netralitas.detection.normalise import Chunk
from netralitas.detection.train import DEFAULT_CORPUS, read_corpus

native = normalise_module._native
pytestmark = pytest.mark.skipif(native is None, reason="native chunk cache not built")

# Whitespace str.split() knows (tab, CR, NBSP, the ASCII separators, ideographic space...),
# NUL, line breaks next to words and each other, emoji and a text past the reader's
# 256-chunk stack buffer.
AWKWARD = [
    "",
    " ",
    "\n",
    "\n\n \n",
    "a\nb",
    "coblos\r\n02\tya",
    "pilih\u00a0no\u3000urut\u20021",
    "x\x1cy\x1dz\x1e\x1fw\x85v",
    "nul\x00in\x00 text",
    "\x00\n\x00",
    "✌️✌️ 👍🏽 2️⃣ #AyoCoblos02 @aniesbaswedan https://t.co/x?a=1",
    "ɓahasa ǆ ꙮ 𝒸𝑜𝒷𝓁𝑜𝓈 ０２",
    " ".join(f"kata{i} coblos 02" if i % 7 == 0 else f"w{i}" for i in range(700)),
    "\n".join(["salam dua jari", "yg bajunya biru muda"] * 200),
]


@pytest.fixture(scope="module")
def detector():
    from netralitas.detection import Detector

    return Detector.load()


def pure_twin(detector):
    """A normaliser linked like the detector's, running the Python loop."""
    normaliser = Linker(detector.config).normaliser
    normaliser.table = None
    normaliser.link(detector.linker.index, detector.triggers, detector.linker.flag_words)
    return normaliser


def test_it_reads_every_text_as_the_python_loop_does(detector):
    fast, slow = detector.normaliser, pure_twin(detector)
    assert fast.table is not None
    texts = [row["text"] for row in read_corpus(DEFAULT_CORPUS)] + AWKWARD
    for text in texts * 2:  # the second time from the cache
        a, b = fast.normalise(text), slow.normalise(text)
        assert [c.text for c in a.chunks] == [c.text for c in b.chunks], text
        assert a.norms == b.norms
        assert a.at == b.at and a.entries == b.entries
        assert (a.trigger, a.flags, a.has_word) == (b.trigger, b.flags, b.has_word)
        assert a.starts is not None and b.starts is None
        everything = len(a.norms)
        assert fast.spans(text, a, everything) == slow.spans(text, b, everything), text


def test_its_chunk_starts_are_where_the_chunks_are(detector):
    text = "  Ayooo\tcoblos\n\n02 ✌️\u00a0yg\x00biru "
    normalised = detector.normaliser.normalise(text)
    starts = list(memoryview(normalised.starts).cast("i"))
    pieces = [text[s : s + len(c.text)] for s, c in zip(starts, normalised.chunks, strict=True)]
    assert pieces == ["Ayooo", "coblos", "\n", "\n", "02", "✌️", "yg", "biru"]


def test_size_and_clear():
    table = native.table()
    learnt = []

    def learn(piece):
        learnt.append(piece)
        return Chunk(piece, (piece.lower(),), ((0, len(piece)),), True)

    result = native.read(table, "Satu dua\nSatu", learn)
    assert result[1] == ["satu", "dua", "\x00", "satu"]  # the line break is learnt as "\x00"
    assert learnt == ["Satu", "dua", "\x00"]
    assert native.size(table) == 3
    native.clear(table)
    assert native.size(table) == 0
    native.read(table, "Satu", learn)
    assert learnt[-1] == "Satu" and native.size(table) == 1


class Loose:
    """A chunk-like object that mypyc's checked Chunk would not let us build."""

    def __init__(self, norms=("x",), at=(), entries=(), flags=frozenset()):
        self.text, self.spans, self.has_word, self.trigger = "x", ((0, 1),), True, False
        self.norms, self.at, self.entries, self.flags = norms, at, entries, flags


@pytest.mark.parametrize(
    ("chunk", "error"),
    [
        (Loose(norms=["x"]), TypeError),
        (Loose(norms=(1,)), TypeError),
        (Loose(at=(0, 1), entries=({},)), TypeError),
        (Loose(at=(3,), entries=({},)), ValueError),
        (Loose(at=(-1,), entries=({},)), ValueError),
        (Loose(at=("0",), entries=({},)), TypeError),
        (Loose(flags=None), TypeError),
    ],
)
def test_a_malformed_chunk_is_refused_and_not_kept(chunk, error):
    table = native.table()
    with pytest.raises(error):
        native.read(table, "a b", lambda piece: chunk)
    assert native.size(table) == 0


def test_an_error_while_learning_propagates_and_keeps_what_was_learnt():
    table = native.table()

    def learn(piece):
        if piece == "boom":
            raise RuntimeError("learn failed")
        return Chunk(piece, (piece,), ((0, len(piece)),), True)

    with pytest.raises(RuntimeError, match="learn failed"):
        native.read(table, "ok boom later", learn)
    assert native.size(table) == 1
    assert native.read(table, "ok", learn)[1] == ["ok"]


def test_it_wants_a_string_and_a_table():
    with pytest.raises(TypeError):
        native.read(native.table(), b"bytes", lambda piece: None)
    with pytest.raises(ValueError):
        native.read(object(), "text", lambda piece: None)


def test_a_clear_during_a_read_waits_for_the_read_to_end():
    # The learn callback runs Python: another thread, or the callback itself, may clear the
    # table while a read holds entries it found earlier in the same text.
    table = native.table()

    def learn(piece):
        if piece == "dua":
            native.clear(table)
        return Chunk(piece, (piece.upper(),), ((0, len(piece)),), True, (0,), ((piece,),))

    native.read(table, "satu", learn)
    chunks, norms, at, entries, *_ = native.read(table, "satu dua satu tiga", learn)
    assert norms == ["SATU", "DUA", "SATU", "TIGA"]
    assert [c.text for c in chunks] == ["satu", "dua", "satu", "tiga"]
    assert at == [0, 1, 2, 3] and entries == [("satu",), ("dua",), ("satu",), ("tiga",)]
    assert native.size(table) == 0  # cleared once the read ended
    assert native.read(table, "satu", learn)[1] == ["SATU"]
    assert native.size(table) == 1


def test_threads_sharing_a_detector_get_what_one_thread_gets(detector):
    # A web server may share one detector between threads; a small cache makes them clear
    # it under each other's reads.
    import sys
    import threading

    from netralitas.detection import Detector

    texts = [row["text"] for row in read_corpus(DEFAULT_CORPUS)][:1500]
    expected = [detector.detect(text) for text in texts]
    shared = Detector.load()
    shared.normaliser.cache_limit = 40
    results: dict[int, list] = {}

    def work(k):
        order = texts[k::4] + texts[: k * 50]
        results[k] = [shared.detect(text) for text in order]

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    for k in range(4):
        assert results[k] == expected[k::4] + expected[: k * 50]


def test_a_chunk_learnt_twice_at_once_is_kept_once():
    # While one read is learning a chunk (Python code), another read may learn the same
    # one: the first learnt is kept, and the table holds it once.
    table = native.table()
    made = []

    def learn(piece):
        if piece == "dua" and "inner" not in made:
            made.append("inner")
            assert native.read(table, "dua", learn)[1] == ["dua:3"]
        made.append(piece)
        return Chunk(piece, (f"{piece}:{len(made)}",), ((0, len(piece)),), True)

    # The outer read learns "dua" as "dua:4", after the inner read kept "dua:3".
    assert native.read(table, "satu dua", learn)[1] == ["satu:1", "dua:3"]
    assert made == ["satu", "inner", "dua", "dua"]
    assert native.size(table) == 2
    assert native.read(table, "dua satu", learn)[1] == ["dua:3", "satu:1"]
