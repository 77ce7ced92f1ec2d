"""The tree ensemble: its bit-vector evaluation, its checks and where the detector uses it."""

from __future__ import annotations

import json

import pytest

from netralitas.detection import Detector
from netralitas.detection.forest import Forest, ForestError
from netralitas.detection.model import DEFAULT_MODEL_PATH, ModelError, load_model
from netralitas.detection.train import DEFAULT_CORPUS, read_corpus

# A stump on feature 0 ("u:coblos") and a two-level tree on features 0 and 1 ("c:CALL"):
#   tree 0 (class 1): coblos <= 0.5 ? leaf 0 : leaf 1
#   tree 1 (class 2): CALL <= 0.5 ? (coblos <= 1.5 ? leaf 2 : leaf 3) : leaf 4
SMALL = {
    "features": ["u:coblos", "c:CALL"],
    "feature": [0, 1, 0],
    "threshold": [0.5, 0.5, 1.5],
    "left": [~0, 2, ~2],
    "right": [~1, ~4, ~3],
    "leaf": [0.0, 1.0, 0.25, 2.0, -1.0],
    "root": [0, 1],
    "class": [1, 2],
    "weight": 0.5,
    "band": [0.1, 0.9, 0.5],
}


@pytest.fixture(scope="module")
def shipped():
    model = load_model()
    assert model.forest is not None, "the shipped artefact has no trees"
    return model.forest


def test_the_small_forest_reaches_the_leaves_a_walk_reaches():
    forest = Forest(SMALL)
    cases = {
        (): (0.0, 0.0, 0.25),
        ("coblos",): (0.0, 1.0, 0.25),
        ("coblos", "coblos"): (0.0, 1.0, 2.0),
    }
    for masked, expected in cases.items():
        assert forest.raw(list(masked), set()) == expected
        assert forest._score(forest.values(list(masked), set())) == expected
    assert forest.raw(["coblos"], {"c:CALL"}) == (0.0, 1.0, -1.0)


def test_bit_vectors_native_and_walk_agree_on_the_corpus(shipped):
    detector = Detector.load()
    rows = read_corpus(DEFAULT_CORPUS)[::7]
    for row in rows:
        _quiet, analysis, feats = detector.analyse(row["text"], row.get("platform"))
        values = shipped.values(analysis.masked, feats)
        walked = shipped.walk(values)
        assert shipped._score(values) == walked
        assert shipped.raw(analysis.masked, feats) == walked  # native when built


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"threshold": [-0.5, 0.5, 1.5]}, "threshold below 0"),
        ({"left": [~0, 0, ~2]}, "child out of range"),
        ({"feature": [0, 5, 0]}, "feature out of range"),
        ({"class": [1, 3]}, "class out of range"),
        ({"root": [0]}, "differ in length"),
        ({"leaf": [0.0, 1.0, 0.25, 2.0]}, "out of range"),
        ({"band": [0.1]}, "forest block"),
    ],
)
def test_a_malformed_forest_is_refused_by_name(change, problem, tmp_path):
    with pytest.raises(ForestError, match=problem):
        Forest({**SMALL, **change})
    artefact = json.loads(DEFAULT_MODEL_PATH.read_text())
    artefact["forest"] = {**SMALL, **change}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(artefact))
    with pytest.raises(ModelError, match=problem):
        load_model(path)


def test_the_trees_are_asked_only_where_the_linear_model_is_unsure():
    forest = Forest(SMALL)  # band: p(partisan) in [0.1, 0.9], or above with a margin < 0.5
    assert not forest.unsure(0.95, 0.03, 0.02)
    assert forest.unsure(0.5, 0.3, 0.2)
    assert not forest.unsure(0.02, 0.9, 0.08)  # sure of the stance
    assert forest.unsure(0.02, 0.5, 0.48)  # partisan, but which side?
    linear = (0.95, 0.03, 0.02)
    assert forest.blend(linear, ["coblos"], {"c:CALL"}) == (0.03, 0.02)
    support, oppose = forest.blend((0.5, 0.3, 0.2), ["coblos"], set())
    trees = forest.probabilities(["coblos"], set())
    assert support == pytest.approx(0.5 * 0.3 + 0.5 * trees[1])
    assert oppose == pytest.approx(0.5 * 0.2 + 0.5 * trees[2])


def test_a_model_without_trees_still_loads(tmp_path):
    artefact = json.loads(DEFAULT_MODEL_PATH.read_text())
    del artefact["forest"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(artefact))
    assert load_model(path).forest is None
