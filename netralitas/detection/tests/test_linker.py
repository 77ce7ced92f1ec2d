from __future__ import annotations

from datetime import date

import pytest

from netralitas.detection.linker import BALLOT_NUM, CAND, DESC, GESTURE, NUM, PARTY

PEMILU_DAY = date(2024, 1, 20)  # pemilu-2024 campaign: pilpres and DPR contests active
PILKADA_DAY = date(2024, 10, 20)  # pilkada-2024 campaign: Babel contests active


def analyse(detector, text):
    return detector.linker.analyse(detector.normaliser.words(text))


def targets(detector, text, day=None):
    return [
        (t.kind, t.contest, t.ballot_number, t.name)
        for t in detector.linker.resolve(analyse(detector, text), day)
    ]


def masks(detector, text):
    return [m.mask for m in analyse(detector, text).mentions]


def test_it_links_full_names_and_labels(detector):
    assert targets(detector, "Prabowo Subianto berkunjung ke Bangka") == [
        ("candidate", "pilpres-2024", 2, "Prabowo–Gibran")
    ]
    assert targets(detector, "Hidayat Arsani dan Hellyana mendaftar") == [
        ("candidate", "pilgub-babel-2024", 2, "Hidayat–Hellyana")
    ]


def test_it_links_nicknames(detector):
    assert targets(detector, "Cak Imin sehat selalu") == [
        ("candidate", "pilpres-2024", 1, "Anies–Muhaimin")
    ]
    assert targets(detector, "Makyus pasti menang") == [
        ("candidate", "pilbup-bangka-barat-2024", 2, "Markus–Yus Derahman")
    ]


def test_it_links_a_common_word_nickname_only_in_election_context(detector):
    assert targets(detector, "gemoy bgt kucingnya") == []
    assert targets(detector, "coblos si gemoy", PEMILU_DAY) == [
        ("candidate", "pilpres-2024", 2, "Prabowo–Gibran")
    ]


def test_it_reads_numbers_after_ballot_cues_as_ballot_numbers(detector):
    for text in ("coblos no 2", "pilih nomor urut 2", "paslon 02", "nomor 2 ya"):
        assert BALLOT_NUM in masks(detector, text), text
    assert targets(detector, "coblos no 2", PEMILU_DAY) == [
        ("candidate", "pilpres-2024", 2, "Prabowo–Gibran")
    ]


def test_it_reads_numbers_in_everyday_context_as_plain_numbers(detector):
    for text in (
        "nomor antrean 2 ke loket",
        "juara 3 lomba",
        "lantai 2 ruang rapat",
        "RT 02 RW 03",
        "kelas 1 SD",
        "jam 3 sore",
        "dua porsi nasi",
    ):
        assert BALLOT_NUM not in masks(detector, text), text
        assert targets(detector, text, PEMILU_DAY) == [], text


def test_it_reads_a_bare_number_as_a_cheer(detector):
    assert masks(detector, "03!!!") == [BALLOT_NUM]
    assert masks(detector, "3") == [BALLOT_NUM]


def test_it_reads_number_words_and_zero_words(detector):
    assert masks(detector, "coblos nomor dua") == [BALLOT_NUM]
    assert targets(detector, "kosong tiga menang", PEMILU_DAY) == [
        ("candidate", "pilpres-2024", 3, "Ganjar–Mahfud")
    ]


def test_it_reads_finger_gestures(detector):
    for text in ("salam 3 jari", "salam tiga jari", "🤟🤟", "dua jari ✌️"):
        assert GESTURE in masks(detector, text), text
    assert targets(detector, "salam satu jari ☝️", PEMILU_DAY) == [
        ("candidate", "pilpres-2024", 1, "Anies–Muhaimin")
    ]


def test_it_resolves_numbers_against_the_contests_active_on_the_date(detector):
    # During the presidential campaign "02" is the presidential pair 2.
    assert targets(detector, "02 menang", PEMILU_DAY) == [
        ("candidate", "pilpres-2024", 2, "Prabowo–Gibran")
    ]
    # During the pilkada, "02" + "gubernur" is the governor pair 2; pilpres is not active.
    assert targets(detector, "gubernur 02 menang", PILKADA_DAY) == [
        ("candidate", "pilgub-babel-2024", 2, "Hidayat–Hellyana")
    ]
    # The configured "salam dua jari" symbol belongs to pilpres: outside its dates it is
    # read as a gesture for number 2 among the active contests, here pinned by the region.
    assert targets(detector, "salam dua jari utk Bangka Barat", PILKADA_DAY) == [
        ("candidate", "pilbup-bangka-barat-2024", 2, "Markus–Yus Derahman")
    ]


def test_it_leaves_an_ambiguous_number_unresolved(detector):
    # No date, nothing else in the text: several contests have a pair 2.
    assert targets(detector, "coblos 02") == [("candidate", None, 2, "nomor urut 2")]


def test_it_uses_named_targets_to_pick_the_contest_of_a_number(detector):
    found = targets(detector, "Erzaldi nomor 1, pilih yang paham Babel", PILKADA_DAY)
    assert ("candidate", "pilgub-babel-2024", 1, "Erzaldi–Yuri") in found


def test_it_links_described_targets(detector):
    assert masks(detector, "yg bajunya biru muda itu") == [DESC]
    assert targets(detector, "yg bajunya biru muda itu", PEMILU_DAY) == [
        ("candidate", "pilpres-2024", 2, "Prabowo–Gibran")
    ]
    assert targets(detector, "partai yg warnanya merah", PEMILU_DAY) == [
        ("party", "pileg-dpr-2024", 3, "PDIP")
    ]
    # A colour alone is not a description.
    assert masks(detector, "langit biru muda sore ini") == []


def test_it_links_parties_and_party_symbols(detector):
    assert masks(detector, "PDIP menang") == [PARTY]
    assert targets(detector, "partai beringin pasti menang", PEMILU_DAY) == [
        ("party", "pileg-dpr-2024", 4, "GOLKAR")
    ]


def test_it_links_the_empty_column_by_region(detector):
    assert targets(detector, "pilih kotak kosong di Pangkalpinang", PILKADA_DAY) == [
        ("candidate", "pilwako-pangkalpinang-2024", None, "Kotak kosong")
    ]


def test_it_masks_targets_in_the_model_tokens(detector):
    analysis = analyse(detector, "ayo coblos Prabowo no 2, antrean 3")
    assert analysis.masked == ["ayo", "coblos", CAND, "nomor", BALLOT_NUM, ".", "antrean", NUM]


def test_the_chunks_records_give_the_same_analysis_as_looking_up_every_token(detector):
    # Detection reads the index entries, flag words and triggers its cached chunks recorded;
    # looked up token by token over the whole corpus, the analysis must be the same.
    from netralitas.detection.train import DEFAULT_CORPUS, read_corpus

    normaliser, linker = detector.normaliser, detector.linker
    texts = [row["text"] for row in read_corpus(DEFAULT_CORPUS)]
    texts += ["03!!!", "✌️✌️", "yg bajunya\nbiru muda", "", "\n\n", "kosong dua\n02"]
    for text in texts:
        normalised = normaliser.normalise(text)
        norms = normalised.norms
        has_words = len(norms) > 8 or any(c.has_word for c in normalised.chunks)
        assert linker.analyse_normalised(normalised) == linker.analyse(norms, has_words), text
        assert normalised.trigger == (not detector.triggers.isdisjoint(norms)), text


def test_linking_the_normaliser_anew_drops_the_chunks_it_recorded_before(detector):
    from netralitas.detection.linker import Linker

    linker = Linker(detector.config)
    normaliser = linker.normaliser
    assert normaliser.normalise("coblos 02").trigger
    normaliser.link(linker.index, frozenset({"rapat"}), linker.flag_words)
    assert not normaliser.normalise("coblos 02").trigger
    assert normaliser.normalise("rapat jam 9").trigger
    normaliser.link({}, frozenset(), {})
    assert linker.analyse_normalised(normaliser.normalise("coblos 02")).mentions == []


def test_targets_are_values():
    from netralitas.detection import accel
    from netralitas.detection.linker import Target

    a = Target("party", "pileg-dpr-2024", 3, "PDIP")
    assert a == Target("party", "pileg-dpr-2024", 3, "PDIP")
    assert len({a, Target("party", "pileg-dpr-2024", 3, "PDIP")}) == 1
    assert a != Target("party", "pileg-dpr-2024", 4, "PDIP") and a != ("party",)
    assert a.as_dict() == {
        "kind": "party",
        "contest": "pileg-dpr-2024",
        "ballot_number": 3,
        "name": "PDIP",
    }
    if accel.STATUS == "compiled":  # Final attributes are enforced by mypyc only
        with pytest.raises(AttributeError):
            a.name = "Golkar"  # type: ignore[misc]
