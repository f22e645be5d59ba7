"""Hand-drawn signatures (student_loan/loanlib/handwriting.py): only pen strokes become a signature."""

import io
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from loanlib import handwriting


def stroke(points):
    return {"points": [{"x": x, "y": y, "time": t} for x, y, t in points]}


def test_sample_is_accepted_and_drawn():
    strokes = handwriting.parse_strokes(handwriting.sample_strokes(), 600, 300)
    assert len(strokes) == 3
    image = Image.open(io.BytesIO(handwriting.render_png(strokes, 600, 300)))
    assert image.size == (600, 300)
    assert image.getchannel("A").getbbox()  # ink drawn
    evidence = json.loads(handwriting.evidence(strokes, 600, 300, signer="student"))
    assert evidence["signer"] == "student"
    assert len(evidence["strokes"]) == 3


def test_json_text_accepted():
    assert handwriting.parse_strokes(json.dumps(handwriting.sample_strokes()), 600, 300)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ([], "empty"),
        ([{"points": []}], "empty"),
        ([stroke([(10, 10, 0)])], "too_short"),
        ([stroke([(100 + i, 100, i * 40) for i in range(30)])], "too_short"),  # a dot-like tick, 30 px wide
        ([stroke([(50 + i * 15, 100, 0) for i in range(30)])], "not_drawn"),  # drawn in no time: a script
        ([stroke([(50 + i * 15, 100, 1000 - i * 30) for i in range(30)])], "not_drawn"),  # time going back
        ("not json", "invalid"),
        ({"points": []}, "invalid"),
        ([{"points": [{"x": "a", "y": 1, "time": 0}]}], "invalid"),
        ([{"points": [{"x": math.inf, "y": 1, "time": 0}]}], "invalid"),
        ([{"points": [{"x": True, "y": 1, "time": 0}]}], "invalid"),
        ([stroke([(5000, 100, 0)])], "invalid"),  # outside the canvas
        ([stroke([(1, 1, 0)])] * (handwriting.MAX_STROKES + 1), "invalid"),
    ],
)
def test_refusals(data, code):
    with pytest.raises(handwriting.SignatureRefused) as refusal:
        handwriting.parse_strokes(data, 600, 300)
    assert refusal.value.code == code


@pytest.mark.parametrize(("width", "height"), [(0, 300), (600, 5), (10**6, 300), ("600", 300), (None, 300)])
def test_bad_canvas(width, height):
    with pytest.raises(handwriting.SignatureRefused):
        handwriting.parse_strokes(handwriting.sample_strokes(), width, height)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
        max_leaves=30,
    )
)
def test_fuzz_never_crashes(data):
    """Whatever a client sends: strokes or a clear refusal, never another exception."""
    try:
        handwriting.parse_strokes(data, 600, 300)
    except handwriting.SignatureRefused:
        pass
