"""The native scorer (``_scorer.c``) against the Python scoring it stands in for.

``make install`` builds it; without a current build these tests are skipped and the Python
scoring is what runs (``test_accel`` checks that the two detect the same over the corpus).
"""

from __future__ import annotations

import json
import math
from array import array

import pytest

from netralitas.detection import Detector
from netralitas.detection import model as model_module
from netralitas.detection.forest import Forest
from netralitas.detection.model import DEFAULT_MODEL_PATH, Model, load_model
from netralitas.detection.train import DEFAULT_CORPUS, read_corpus

from .test_forest import SMALL
from .test_model import EDGE_WEIGHTS

native = model_module._native
pytestmark = pytest.mark.skipif(native is None, reason="native scorer not built")


def python_only(model: Model) -> Model:
    model.native = None
    return model


@pytest.fixture(scope="module")
def corpus_inputs():
    detector = Detector.load()
    inputs = []
    for row in read_corpus(DEFAULT_CORPUS):
        _quiet, analysis, feats = detector.analyse(row["text"], row.get("platform"))
        inputs.append((analysis.masked, feats))
    return inputs


def test_it_gives_the_python_scores_on_the_whole_corpus(corpus_inputs):
    fast, slow = load_model(), python_only(load_model())
    assert fast.native is not None
    for masked, feats in corpus_inputs:
        assert fast.score(masked, feats) == slow.score(masked, feats), masked


def test_it_gives_the_python_scores_when_every_text_goes_through_the_trees(corpus_inputs, tmp_path):
    artefact = json.loads(DEFAULT_MODEL_PATH.read_text())
    artefact["forest"]["band"] = [0.0, 1.0, 0.0]  # always unsure
    path = tmp_path / "model.json"
    path.write_text(json.dumps(artefact))
    fast, slow = load_model(path), python_only(load_model(path))
    linear_only = python_only(load_model(path))
    linear_only.forest = None
    changed = 0
    for masked, feats in corpus_inputs[::3]:
        score = fast.score(masked, feats)
        assert score == slow.score(masked, feats), masked
        changed += score != linear_only.score(masked, feats)
    assert changed > len(corpus_inputs[::3]) * 0.9  # the trees really were asked


@pytest.mark.parametrize("use_native", [True, False])
def test_ngrams_edges_and_repeats_add_up_on_both_paths(use_native):
    model = Model(bias=(0.0, 0.0, 0.0), weights={**EDGE_WEIGHTS, "c:CALL": (0.0, 0.0, 3.0)})
    if not use_native:
        python_only(model)
    _, p_support, p_oppose = model.score(["coblos", "coblos", "<num>"], ["c:CALL", "x:none"])
    # support: 2 unigrams + <s> coblos + coblos <num> + <num> </s> = 16; oppose: 3
    total = 1 + math.exp(16) + math.exp(3)
    assert p_support == pytest.approx(math.exp(16) / total)
    assert p_oppose == pytest.approx(math.exp(3) / total)
    assert model.score([], []) == model.score([], ["nothing"])  # bias only


def test_trees_set_after_construction_are_used():
    # Training builds the model, then sets its trees.
    model = Model(bias=(0.0, 0.0, 0.0), weights={"u:coblos": (0.0, 1.0, 0.0)})
    before = model.score(["coblos"], {"c:CALL"})
    model.forest = Forest({**SMALL, "band": [0.0, 1.0, 0.0]})
    after = model.score(["coblos"], {"c:CALL"})
    assert after != before
    assert after == python_only(model).score(["coblos"], {"c:CALL"})


def test_a_token_that_is_not_a_string_is_refused():
    model = Model(bias=(0.0, 0.0, 0.0), weights={"u:coblos": (0.0, 1.0, 0.0)})
    with pytest.raises(TypeError, match="must be str"):
        model.score(["coblos", 2], set())  # type: ignore[list-item]
    with pytest.raises(TypeError, match="must be str"):
        model.score([], {("c", "CALL")})  # type: ignore[arg-type]


def linear_args(**change):
    """Arguments of ``_scorer.linear`` for tokens <s>, </s>, a with one bigram <s> a."""
    args = {
        "tokens": ["<s>", "</s>", "a"],
        "uni": array("i", [0, 0, -1] * 3).tobytes(),
        "bi_start": array("i", [0, 1, 1, 1]).tobytes(),
        "bi_second": array("i", [2]).tobytes(),
        "bi": array("i", [5, 0, -1]).tobytes(),
        "others": ["c:CALL"],
        "other": array("i", [0, 7, -1]).tobytes(),
    }
    args.update(change)
    return (*args.values(), 0.0, 0.0, None, 0.0, 0.0, 0.0, 0.0)


def test_well_formed_tables_score():
    linear = native.linear(*linear_args())
    p_support, p_oppose = native.score(linear, ["a"], {"c:CALL"})
    total = 1 + math.exp(5e-5) + math.exp(7e-5)  # weights are in units of 1e-5
    assert (p_support, p_oppose) == pytest.approx((math.exp(5e-5) / total, math.exp(7e-5) / total))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"tokens": ["<s>", "</s>", "<s>"]}, "twice"),
        ({"uni": array("i", [0, 0, -1] * 2).tobytes()}, "unigrams: 2 entries, 3 expected"),
        ({"bi_start": array("i", [0, 1, 1]).tobytes()}, "bigram index out of range"),
        ({"bi_second": array("i", [3]).tobytes()}, "out of range or order"),
        (
            {
                "bi_start": array("i", [0, 2, 2, 2]).tobytes(),
                "bi_second": array("i", [2, 1]).tobytes(),
                "bi": array("i", [5, 0, -1, 1, 0, -1]).tobytes(),
            },
            "out of range or order",
        ),
        ({"other": array("i", [0, 7, 4]).tobytes()}, "tree feature id out of range"),
        ({"bi": b"\x00" * 5}, "not a whole number"),
    ],
)
def test_malformed_tables_are_refused_by_name(change, problem):
    with pytest.raises(ValueError, match=problem):
        native.linear(*linear_args(**change))
