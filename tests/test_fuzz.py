"""Fuzzing the command line and the view-file loader: any input ends in a result or a one-line error, never a
traceback."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfviewer.cli import main
from calfviewer.errors import CalfviewerError
from calfviewer.viewer.view_state import ViewState

WORDS = st.sampled_from(
    ["info", "measure", "--json", "--side", "left", "right", "--plantarflexion", "--knee-flexion", "soleus", "femur"]
)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-1000, 1000).map(str),
    st.integers(-(10**400), 10**400).map(str),  # longer than a float holds
    st.integers(-1000, 1000).map(lambda n: str(n).replace("-", "\u2212")),  # the typographic minus
    st.text(max_size=8),
)
ARGV = st.lists(st.one_of(WORDS, NUMBERS), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=ARGV)
def test_cli_never_tracebacks(capsys, argv):
    if argv[0] not in ("info", "measure"):
        argv = ["info", *argv]  # keep to the fast commands; render and gui have their own tests
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    _, err = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err


JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
FIELDS = st.sampled_from(
    ["format", "version", "visibility", "opacity", "selection", "pose", "camera", "labels", "fade_others"]
)


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(FIELDS, JSON, max_size=9))
def test_view_file_loader_refuses_cleanly(data):
    data.setdefault("format", "calfviewer-view")
    data.setdefault("version", 1)
    try:
        ViewState.from_json(json.dumps(data))
    except CalfviewerError as error:
        assert "\n" not in str(error)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_view_file_loader_survives_any_text(text):
    try:
        ViewState.from_json(text)
    except CalfviewerError as error:
        assert "\n" not in str(error)
