"""The JSON shapes: every problem with a request body is named in our own words, in the
reader's language (never pydantic's English), and the shapes stay the API's one home."""

from __future__ import annotations

import re

import pytest

from companion.openapi import SHAPES
from companion.schema import Shape, read

INPUTS = sorted(
    {model for model, mode in SHAPES if mode == "validation" and issubclass(model, Shape)},
    key=lambda model: model.__name__,
)
JUNK = [None, "", " ", "x", "x" * 5000, 0, -1, 3.5, 10**12, True, [], ["x"], [[1, 2, 3]], {}, {"x": 1}]
PYDANTIC_WORDS = re.compile(r"Input should|Field required|Value error|should be|valid (integer|string|date)")


@pytest.mark.parametrize("model", INPUTS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_every_problem_is_in_our_words(app, model, lang):
    seen = set()
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        for name, info in model.model_fields.items():
            for junk in JUNK:
                _values, problems = read(model, {info.alias or name: junk})
                for field, message in problems.items():
                    where = (model.__name__, field, junk, message)
                    assert message and not PYDANTIC_WORDS.search(message), where
                    seen.add(message)
    if lang != "en":
        english = set()
        with app.test_request_context("/", headers={"Accept-Language": "en"}):
            for name, info in model.model_fields.items():
                for junk in JUNK:
                    english |= set(read(model, {info.alias or name: junk})[1].values())
        # Translated: the words differ from the English ones (dates like 2026-01-31 aside).
        assert not (seen & english) or all(re.search(r"\d{4}-\d\d-\d\d", m) for m in seen & english)


def test_a_problem_names_the_field_and_keeps_what_parsed(app):
    from companion.diary.schemas import EntryInput

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        values, problems = read(
            EntryInput, {"kind": "nap", "start": "2026-01-31T21:15:00+02:00", "end": "2026-01-31T22:00:00"}
        )
    assert problems == {
        "kind": "Choose sleep, crying, feeding or note.",
        "end": "Give the time with its offset from UTC, for example +02:00.",
    }
    assert values["start"].isoformat() == "2026-01-31T19:15:00+00:00"  # parsed, in UTC
    assert values["kind"] == "nap"  # as sent: the service names it in the same words
