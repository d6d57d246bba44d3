"""scripts/gate_picture.py: the picture of the gate parses as SVG and shows every outcome with its axes."""

from __future__ import annotations

import importlib.util
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def gate_picture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gate_picture", ROOT / "scripts" / "gate_picture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_the_picture_of_the_gate_holds_every_outcome_its_axis_titles_and_thresholds(tmp_path: Path) -> None:
    out = gate_picture().main(tmp_path / "gate.svg", columns=10, rows=7, draws=500)
    root = ET.parse(out).getroot()  # noqa: S314 - the file this test just wrote, not untrusted data
    assert root.tag == f"{SVG}svg" and root.get("version") == "1.1"
    filled = {
        group.get("fill"): len(group.findall(f"{SVG}rect"))
        for group in root.iter(f"{SVG}g")
        if (group.get("fill") or "").startswith("url(#")
    }
    assert filled["url(#go)"] and filled["url(#conditional_go)"] and filled["url(#no_go)"]
    assert sum(filled.values()) == 10 * 7
    words = " ".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))
    assert "Overall readiness, 0-100" in words
    assert "Brochure benefits ÷ costs, present values" in words
    assert "50: a no-go below" in words and "67: a go possible from here" in words
    assert {"Go (plain)", "Conditional go (dotted)", "No-go (hatched)"} <= {t.text for t in root.iter(f"{SVG}text")}
