from __future__ import annotations

import pytest

from netralitas.detection.normalise import LONG_NUMBER, tokenize


def words(normaliser, text: str) -> list[str]:
    return normaliser.words(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yg", ["yang"]),
        ("utk", ["untuk"]),
        ("jgn", ["jangan"]),
        ("bgt", ["banget"]),
        ("gak", ["tidak"]),
        ("nggak", ["tidak"]),
        ("udh", ["sudah"]),
        ("nyoblos", ["coblos"]),
        ("nmr", ["nomor"]),
    ],
)
def test_it_maps_chat_abbreviations(normaliser, text, expected):
    assert words(normaliser, text) == expected


def test_it_squeezes_elongated_words_towards_known_words(normaliser):
    assert words(normaliser, "bangeeet") == ["banget"]
    assert words(normaliser, "pilihhhh") == ["pilih"]
    assert words(normaliser, "ayooooo") == ["ayo"]
    assert words(normaliser, "gasss") == ["gas"]
    # Ordinary double letters are kept.
    assert words(normaliser, "maaf") == ["maaf"]


def test_it_splits_hashtags_on_case_digits_and_known_words(normaliser):
    assert words(normaliser, "#PilihNomor2") == ["pilih", "nomor", "2"]
    assert words(normaliser, "#ayocoblos") == ["ayo", "coblos"]
    assert words(normaliser, "#coblos02") == ["coblos", "02"]


def test_it_keeps_a_configured_hashtag_as_one_token(normaliser):
    assert words(normaliser, "#PrabowoGibran") == ["#prabowogibran"]
    assert words(normaliser, "#AMIN") == ["#amin"]


def test_it_maps_gestures_keycaps_and_keeps_number_words(normaliser):
    assert words(normaliser, "☝️") == ["jari_1"]
    assert words(normaliser, "✌🏻") == ["jari_2"]
    assert words(normaliser, "🤟") == ["jari_3"]
    assert words(normaliser, "2️⃣") == ["02"]
    assert words(normaliser, "salam tiga jari") == ["salam", "tiga", "jari"]
    assert words(normaliser, "kosong dua") == ["kosong", "dua"]
    assert words(normaliser, "01") == ["01"]  # the leading zero is a ballot cue
    assert words(normaliser, "2024") == [LONG_NUMBER]


def test_it_maps_bangka_malay_words(normaliser):
    assert words(normaliser, "kite dak nak") == ["kita", "tidak", "mau"]
    assert words(normaliser, "ape pacak") == ["apa", "bisa"]


def test_it_maps_code_mixed_english(normaliser):
    assert words(normaliser, "vote for number 2") == ["pilih", "for", "nomor", "2"]
    assert words(normaliser, "don't choose") == ["jangan", "pilih"]


def test_it_marks_urls_and_mentions(normaliser):
    assert words(normaliser, "cek https://t.co/x1y2 @admin_grup") == ["cek", "@url", "@mention"]


def test_it_reads_a_handle_that_spells_a_candidate(normaliser):
    assert words(normaliser, "@aniesbaswedan") == ["anies", "baswedan"]


def test_it_never_rewrites_config_terms(normaliser):
    # "gemoy" is a nickname in the configuration: protected from the slang map.
    assert words(normaliser, "Gemoy") == ["gemoy"]
    assert words(normaliser, "PAN") == ["pan"]


def test_it_splits_clitics_off_known_stems(normaliser):
    assert words(normaliser, "pilihlah") == ["pilih", "lah"]
    assert words(normaliser, "bajunya") == ["baju", "nya"]


def test_it_keeps_offsets_into_the_original_text(normaliser):
    text = "Ayooo  coblos✌️ no.02 ya\n#AyoCoblos  yg  bajunya 2️⃣"
    normalised = normaliser.normalise(text)
    norms = normalised.norms
    spans = normaliser.spans(text, normalised, len(norms))
    assert len(spans) == len(norms)
    found: dict[str, str] = {}
    for norm, (start, end) in zip(norms, spans, strict=True):
        found.setdefault(norm, text[start:end])
    assert found["ayo"] == "Ayooo"
    assert found["coblos"] == "coblos"  # the hashtag's "ayo" and "coblos" come later
    assert found["jari_2"] == "✌"
    assert found["02"] == "02"
    assert found["."] in (".", "\n")
    assert found["baju"] == "bajunya" and found["nya"] == "bajunya"
    assert norms[-1] == "02" and text[spans[-1][0] : spans[-1][1]] == "2️⃣"


def test_it_reads_a_line_break_as_a_clause_boundary(normaliser):
    assert normaliser.words("coblos\n02") == ["coblos", ".", "02"]


def test_it_tokenizes_letters_and_digits_apart():
    assert tokenize("paslon01 no 2") == ["paslon", "01", "no", "2"]


def test_it_reads_a_trailing_2_as_reduplication_except_after_a_ballot_word(normaliser):
    assert words(normaliser, "siapa2 pun") == ["siapa", "pun"]
    assert words(normaliser, "kawan2") == ["teman"]
    assert words(normaliser, "no2") == ["nomor", "2"]


def test_it_maps_bangka_final_e_to_standard_a(normaliser):
    assert words(normaliser, "siape lupe lame") == ["siapa", "lupa", "lama"]
    assert words(normaliser, "fotonye") == ["foto", "nya"]


def test_it_maps_the_box_emoji_to_the_empty_column(normaliser):
    assert words(normaliser, "📦") == ["kotak", "kosong"]


def test_a_full_cache_is_cleared_between_texts_not_within_one():
    from netralitas.detection import Detector

    texts = ["coblos 02 ya", "jgn lupa coblos 02 bsk", "yg bajunya biru muda ☝️ bsk", "rapat jam 9"]
    expected = [Detector.load().detect(text) for text in texts]
    detector = Detector.load()
    detector.normaliser.cache_limit = 3
    # Each text meets a full cache with some of its chunks already known: evidence and the
    # bare-cheer check must still find every chunk of the text being detected.
    assert [detector.detect(text) for text in texts * 2] == expected * 2
    assert detector.normaliser.cached_chunks() < 3 + max(len(text.split()) for text in texts)
