"""Every page form: each one made has all its choices, not only the first of a process."""

from __future__ import annotations

import importlib
import pkgutil

from wtforms.fields.choices import RadioField, SelectFieldBase

import companion
from companion.pageutil import Form


def form_classes() -> list[type[Form]]:
    for module in pkgutil.walk_packages(companion.__path__, "companion."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found.append(cls)
    return [
        cls for cls in found if cls.__module__.startswith("companion.") and cls.__module__.endswith(".forms")
    ]


def choices_of(cls: type[Form]) -> dict[str, list[str]]:
    form = cls(formdata=None, meta={"csrf": False})
    return {
        field.name: [choice.value for choice in field.iter_choices()]
        for field in form
        if isinstance(field, SelectFieldBase)
    }


def test_a_form_made_again_has_the_same_choices(app):
    classes = form_classes()
    assert len(classes) > 10
    with app.test_request_context("/"):
        for cls in classes:
            first = choices_of(cls)
            assert choices_of(cls) == first, cls.__name__
            radios = [
                field.name
                for field in cls(formdata=None, meta={"csrf": False})
                if isinstance(field, RadioField)
            ]
            assert all(first[name] for name in radios), (cls.__name__, first)  # radios never left empty
