"""Every word a reader meets goes through gettext, and every catalogue translates every message."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("translations/*/LC_MESSAGES/messages.po"))
NAMES = {"CRM Gate", "JSON", "CSV", "PDF", "XLSX"}
"""Product and format names, the same in every language."""
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
ATTRIBUTE = re.compile(r'\b(?:title|alt|placeholder|aria-label|aria-description)="([^"]*)"')


def extracted() -> Catalog:
    """The messages `pybabel extract -F babel.cfg` finds: what the catalogues must translate."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalogue = Catalog()
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "_l": None}
    for file, line, message, comments, context in extract_from_dir(str(ROOT), method_map, options_map, keywords):
        catalogue.add(message, None, [(file, line)], auto_comments=comments, context=context)
    return catalogue


def test_there_is_a_persian_catalogue() -> None:
    assert ROOT / "translations" / "fa" / "LC_MESSAGES" / "messages.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_has_a_translation_that_keeps_its_placeholders(path: Path) -> None:
    with path.open("rb") as source:
        catalogue = read_po(source)
    assert not catalogue.fuzzy, "a catalogue whose header is marked fuzzy is not compiled"
    missing = []
    for message in extracted():
        if not message.id:
            continue
        translated = catalogue.get(message.id, message.context)
        strings = (
            ()
            if translated is None
            else [translated.string]
            if isinstance(translated.string, str)
            else translated.string
        )
        if not strings or not all(strings) or (translated is not None and translated.fuzzy):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, f"{len(missing)} messages without a translation in {path.parts[-3]}: {missing[:10]}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert not problems, problems[:5]


@pytest.mark.parametrize("path", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_words_in_a_template_escape_gettext(path: Path) -> None:
    """What is left of a template once its Jinja and its markup are taken out must hold no words."""
    source = JINJA.sub("§", path.read_text(encoding="utf-8"))
    source = re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    attributes = [value for value in ATTRIBUTE.findall(source) if re.search(r"[A-Za-z]{2,}", value)]
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", re.sub(r"<[^>]*>", " ", source, flags=re.S))
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Za-z][A-Za-z'’-]+)*", text)
    assert not attributes and not set(words) - NAMES, (attributes, set(words) - NAMES)


def _literal_text(node: ast.AST) -> bool:
    """A string a reader would see as it is written: a literal or an f-string with words in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2,}", node.value))
    return isinstance(node, ast.JoinedStr) and any(_literal_text(part) for part in node.values)


def _called(node: ast.Call) -> str:
    function = node.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


@pytest.mark.parametrize("path", sorted((ROOT / "assessment" / "web").rglob("*.py")), ids=lambda p: p.name)
def test_no_words_in_the_web_layer_escape_gettext(path: Path) -> None:
    """Flashed messages, form labels, descriptions and validation messages, and errors a form shows,
    are passed through gettext (`_`, `_l`, `ngettext`), never written as plain strings."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        shown = []
        if name in ("flash", "ValueError", "StopValidation", "ValidationError") and node.args:
            shown.append(node.args[0])
        if name.endswith("Field") and node.args:
            shown.append(node.args[0])
        shown += [k.value for k in node.keywords if k.arg in ("description", "message", "label")]
        found += [f"{path.name}:{n.lineno}" for n in shown if _literal_text(n)]
    assert not found, found
