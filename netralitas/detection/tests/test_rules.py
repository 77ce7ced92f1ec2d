"""Each precision rule, in and out of its scope."""

from __future__ import annotations

from netralitas.detection.detector import rule_bare_cheer, rule_negated_call
from netralitas.detection.features import extract


def analysed(detector, text):
    analysis = detector.linker.analyse(detector.normaliser.words(text))
    return analysis, extract(analysis, None, None)


def test_it_reads_jangan_pilih_plus_target_as_oppose(detector):
    analysis, _ = analysed(detector, "Jangan pilih Prabowo, dinasti!!")
    verdict = rule_negated_call(analysis)
    assert verdict is not None and verdict[0] == "oppose"
    result = detector.detect("Jangan pilih Prabowo, dinasti!!")
    assert (result.partisan, result.stance, result.rule) == (True, "oppose", "negated-call")
    assert result.score >= detector.threshold
    assert any(e["why"].startswith("rule:") for e in result.evidence)


def test_it_does_not_apply_jangan_pilih_inside_a_rule_quote(detector):
    analysis, _ = analysed(detector, "ASN dilarang mengajak jangan pilih paslon 02")
    assert rule_negated_call(analysis) is None


def test_it_does_not_read_jangan_salah_pilih_as_a_negated_call(detector):
    analysis, _ = analysed(detector, "jangan salah pilih, 02 yang paham")
    assert rule_negated_call(analysis) is None


def test_it_needs_a_target_next_to_the_negated_call(detector):
    analysis, _ = analysed(detector, "jangan pilih menu yang pedas ya")
    assert rule_negated_call(analysis) is None


def test_it_reads_a_bare_ballot_number_as_support(detector):
    analysis, feats = analysed(detector, "03!!!")
    verdict = rule_bare_cheer(analysis, feats)
    assert verdict is not None and verdict[0] == "support"
    result = detector.detect("03!!!", action="comment")
    assert (result.partisan, result.stance, result.rule) == (True, "support", "bare-cheer")


def test_it_does_not_read_a_number_in_words_as_a_bare_cheer(detector):
    analysis, feats = analysed(detector, "lantai 3")
    assert rule_bare_cheer(analysis, feats) is None
