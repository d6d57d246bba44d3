"""Load the five questionnaires and the scoring policy, all or nothing, into frozen definition objects."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path as FilePath
from typing import Any

from assessment.definitions import policy_schema
from assessment.definitions.meaning import meaning_errors
from assessment.definitions.problems import DefinitionError, Path, Problem
from assessment.definitions.schema import structural_errors
from assessment.definitions.yaml_source import LineMap, read_yaml
from assessment.engine.policy import (
    BenchmarkPolicy,
    EconomicsPolicy,
    FlagRule,
    GatePolicy,
    Instruments,
    Policy,
    QualificationPolicy,
    QuestionRef,
    TimelineMinimum,
)
from assessment.engine.question_types import KINDS, Band, QuestionType
from assessment.engine.questionnaire import (
    AREAS,
    AllOf,
    AnswerIn,
    AnyOf,
    Condition,
    Definitions,
    Not,
    NumberBetween,
    Question,
    Questionnaire,
    Role,
)
from assessment.engine.size import ProjectSizes, SizeBand
from assessment.engine.text import Text

CRITICAL_WEIGHT = 2.0
"""Default weight of a question marked critical (docs/MODEL.md section 1)."""
POLICY = "policy.yaml"
FILES = (*(f"{area}.yaml" for area in AREAS), POLICY)


def load_directory(directory: str | FilePath, languages: Collection[str] = ("en",)) -> Definitions:
    """Read `<area>.yaml` for each of the five areas, and `policy.yaml`, from `directory`; every text
    must exist in each of `languages`, and every area must mark questions for the public quick scan,
    which asks from the files the app starts with."""
    folder = FilePath(directory)
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    for name in FILES:
        path = folder / name
        try:
            sources[path.name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path.name, (), None, f"cannot be read: {error}"))
    if problems:
        raise DefinitionError(problems)
    return load_sources(sources, languages, quick_scan=True)


def load_sources(
    sources: Mapping[str, str], languages: Collection[str] = ("en",), quick_scan: bool = False
) -> Definitions:
    """Validate every file in three tiers (structure, meaning, a text in every language) and build the
    definitions, or raise with every problem. With `quick_scan` every area must mark at least one
    question for the quick scan; a snapshot an assessment pinned before the marker existed need not."""
    problems: list[Problem] = []
    texts = _missing_languages(languages)
    built: list[Questionnaire] = []
    for area in AREAS:
        name = f"{area}.yaml"
        if name not in sources:
            problems.append(Problem(name, (), None, "file is missing"))
            continue
        questionnaire, found = _load_one(area, name, sources[name], texts, quick_scan)
        problems.extend(found)
        if questionnaire is not None:
            built.append(questionnaire)
    if not problems:
        problems = _quick_scan_problems(sources, built)
    policy, sizes = None, ProjectSizes()
    if not problems:
        policy, sizes, problems = _load_policy(sources, {q.id: q for q in built}, texts)
    if policy is not None and not problems:
        problems = _size_problems(sources, built, sizes)
    if policy is None or problems:
        raise DefinitionError(problems)
    digest = hashlib.sha256(
        "\0".join(f"{name}\0{sources[name]}" for name in sorted(sources)).encode("utf-8")
    ).hexdigest()
    return Definitions(tuple(built), dict(sources), digest, policy, sizes)


def _load_one(
    area: str, name: str, text: str, texts: Tier, quick_scan: bool
) -> tuple[Questionnaire | None, list[Problem]]:
    data, problems = _checked(name, text, structural_errors, lambda data: meaning_errors(area, data, quick_scan), texts)
    return (None, problems) if problems else (_questionnaire(data), [])


def _quick_scan_problems(sources: Mapping[str, str], built: list[Questionnaire]) -> list[Problem]:
    """The quick scan asks its questions of every area in one form, whose inputs are named by question
    id: a marked id may be marked in one area only."""
    first: dict[str, str] = {}
    problems = []
    for questionnaire in built:
        name = f"{questionnaire.id}.yaml"
        for index, question in enumerate(questionnaire.questions):
            if not question.quick_scan:
                continue
            if question.id not in first:
                first[question.id] = name
                continue
            path: Path = ("questions", index, "quick_scan")
            message = (
                f"'{question.id}' is in the quick scan in {first[question.id]} already: "
                "quick-scan ids must differ across areas"
            )
            problems.append(Problem(name, path, _line_of(read_yaml(name, sources[name])[1], path), message))
    return problems


def _load_policy(
    sources: Mapping[str, str], questionnaires: dict[str, Questionnaire], texts: Tier
) -> tuple[Policy | None, ProjectSizes, list[Problem]]:
    if POLICY not in sources:
        return None, ProjectSizes(), [Problem(POLICY, (), None, "file is missing")]
    data, problems = _checked(
        POLICY,
        sources[POLICY],
        policy_schema.structural_errors,
        lambda data: policy_schema.meaning_errors(data, questionnaires),
        texts,
    )
    return (None, ProjectSizes(), problems) if problems else (_policy(data), _sizes(data), [])


SIZE_KEYS = ("from_size", "red_flags_from_size")


def _size_problems(sources: Mapping[str, str], built: list[Questionnaire], sizes: ProjectSizes) -> list[Problem]:
    """Every question's size declaration names a band of the policy's `project_size`."""
    bands = [band.id for band in sizes.bands]
    problems = []
    for questionnaire in built:
        name = f"{questionnaire.id}.yaml"
        lines: LineMap | None = None
        for index, question in enumerate(questionnaire.questions):
            for key in SIZE_KEYS:
                band = getattr(question, key)
                if band is None or band in bands:
                    continue
                if lines is None:
                    lines = read_yaml(name, sources[name])[1]
                path: Path = ("questions", index, key)
                message = f"no size band '{band}' in {POLICY}'s project_size (expected one of: {', '.join(bands)})"
                problems.append(Problem(name, path, _line_of(lines, path), message))
    return problems


Tier = Callable[[Any], list[tuple[Path, str]]]


def _checked(name: str, text: str, *tiers: Tier) -> tuple[Any, list[Problem]]:
    """Parse, then check each tier in turn (structure, meaning, languages); stop at the first that finds anything."""
    data, lines, problems = read_yaml(name, text)
    if problems:
        return None, problems
    for tier in tiers:
        found = tier(data)
        if found:
            return None, sorted(
                (Problem(name, path, _line_of(lines, path), message) for path, message in found),
                key=lambda p: (p.line or 0, str(p.path)),
            )
    return data, []


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


def _missing_languages(languages: Collection[str]) -> Tier:
    """A tier that finds every text (a mapping from language codes, English always among them) lacking
    one of `languages`, so no reader meets a definition text in a language they did not choose."""

    def tier(data: Any) -> list[tuple[Path, str]]:
        found: list[tuple[Path, str]] = []

        def walk(node: Any, path: Path) -> None:
            if isinstance(node, dict):
                if "en" in node and all(isinstance(key, str) and _LANGUAGE_CODE.fullmatch(key) for key in node):
                    missing = [code for code in languages if not str(node.get(code) or "").strip()]
                    if missing:
                        found.append((path, f"has no text in {', '.join(missing)}, which the app offers"))
                    return
                for key, value in node.items():
                    walk(value, (*path, key))
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    walk(value, (*path, index))

        walk(data, ())
        return found

    return tier


def _line_of(lines: LineMap, path: tuple[str | int, ...]) -> int | None:
    """The line of `path`, or of its nearest ancestor when the key itself is missing."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _text(data: Mapping[str, str] | None) -> Text | None:
    return None if data is None else Text(dict(data))


def _questionnaire(data: dict[str, Any]) -> Questionnaire:
    return Questionnaire(
        id=data["id"],
        version=data["version"],
        title=Text(data["title"]),
        intro=_text(data.get("intro")),
        owner=Role(data["owner"]) if "owner" in data else None,
        questions=tuple(_question(q) for q in data["questions"]),
    )


def _question(data: dict[str, Any]) -> Question:
    kind = QuestionType(data["type"])
    critical = data.get("critical")
    return Question(
        id=data["id"],
        type=kind,
        text=Text(data["text"]),
        help=_text(data.get("help")),
        roles=frozenset(Role(r) for r in data["roles"]),
        weight=float(data.get("weight", CRITICAL_WEIGHT if critical is not None else 1.0)),
        critical=critical,
        mitigation=_text(data.get("mitigation")),
        show_if=_condition(data["show_if"]) if "show_if" in data else None,
        options=KINDS[kind].options(data),
        allow_na=bool(data.get("not_applicable", False)),
        unit=_text(data.get("unit")),
        minimum=data.get("min"),
        maximum=data.get("max"),
        bands=tuple(Band(b.get("up_to"), float(b["value"])) for b in data.get("bands", [])),
        max_length=data.get("max_length", 2000),
        situation=bool(data.get("situation", False)),
        owner=Role(data["owner"]) if "owner" in data else None,
        from_size=data.get("from_size"),
        red_flags_from_size=data.get("red_flags_from_size"),
        quick_scan=bool(data.get("quick_scan", False)),
    )


def _condition(data: dict[str, Any]) -> Condition:
    if "all" in data:
        return AllOf(tuple(_condition(c) for c in data["all"]))
    if "any" in data:
        return AnyOf(tuple(_condition(c) for c in data["any"]))
    if "not" in data:
        return Not(_condition(data["not"]))
    if "equals" in data or "in" in data:
        return AnswerIn(data["question"], frozenset([data["equals"]] if "equals" in data else data["in"]))
    return NumberBetween(data["question"], data.get("at_least"), data.get("at_most"))


def _ref(text: str) -> QuestionRef:
    area, _, question = text.partition(".")
    return area, question


def _policy(written: dict[str, Any]) -> Policy:
    data = policy_schema.completed(written)
    presets = data["area_weights"]["presets"]
    instruments = data["instruments"]
    return Policy(
        version=data["version"],
        presets={name: {area: float(w) for area, w in p["weights"].items()} for name, p in presets.items()},
        preset_sources={name: Text(p["source"]) for name, p in presets.items()},
        default_preset=data["area_weights"]["default"],
        delivery_at_0=float(data["delivery"]["at_readiness_0"]),
        delivery_at_100=float(data["delivery"]["at_readiness_100"]),
        delivery_source=Text(data["delivery"]["source"]),
        cap_knock_out=float(data["caps"]["knock_out"]),
        cap_red_flag=float(data["caps"]["red_flag"]),
        caps_source=Text(data["caps"]["source"]),
        thin_below=float(data["thin_coverage"]["below"]),
        thin_source=Text(data["thin_coverage"]["source"]),
        disagreement_range=float(data["disagreement"]["range_at_least"]),
        finding_areas=frozenset(data["disagreement"]["finding_areas"]),
        disagreement_source=Text(data["disagreement"]["source"]),
        knock_outs=_rules(data["knock_outs"]),
        knock_outs_source=Text(data["knock_outs_source"]),
        findings=_rules(data.get("findings", [])),
        findings_source=_text(data.get("findings_source")),
        instruments=Instruments(
            sponsorship=tuple(_ref(r) for r in instruments["sponsorship"]),
            change_size=_ref(instruments["change_size"]),
            resistance=_ref(instruments["resistance"]),
            adkar=tuple((step, _ref(ref)) for step, ref in instruments["adkar"].items()),
            large_change_at_most=float(instruments["large_change_at_most"]),
            resistant_at_most=float(instruments["resistant_at_most"]),
            barrier_at_most=float(instruments["barrier_at_most"]),
            source=Text(instruments["source"]),
        ),
        economics=_economics(data["economics"]),
        gate=_gate(data["gate"]),
        qualification=_qualification(data["qualification"]),
        benchmarks=BenchmarkPolicy(int(data["benchmarks"]["min_peers"]), Text(data["benchmarks"]["source"])),
    )


def _sizes(written: dict[str, Any]) -> ProjectSizes:
    """The policy's size bands, smallest first (the shipped ones for a policy that predates them)."""
    data = policy_schema.completed(written)
    bands = tuple(
        SizeBand(band["id"], *(band.get(key) for key in policy_schema.SIZE_LIMITS))
        for band in data["project_size"]["bands"]
    )
    return ProjectSizes(bands, Text(data["project_size"]["source"]))


def _rules(data: list[dict[str, Any]]) -> tuple[FlagRule, ...]:
    return tuple(FlagRule(k["id"], _ref(k["question"]), float(k["at_most"]), Text(k["text"])) for k in data)


def _gate(data: dict[str, Any]) -> GatePolicy:
    numbers = {key: float(value) for key, value in data.items() if key != "source"}
    return GatePolicy(**numbers, source=Text(data["source"]))


def _economics(data: dict[str, Any]) -> EconomicsPolicy:
    texts = {key: Text(value) for key, value in data.items() if key.endswith("_source")}
    return EconomicsPolicy(
        horizon_years=data["horizon_years"],
        discount_rate=float(data["discount_rate"]),
        haircuts={key: float(value) for key, value in data["haircuts"].items()},
        disappointment_share=float(data["disappointment_share"]),
        share_spread=float(data["share_spread"]),
        overrun_per_weak_scope=float(data["overrun_per_weak_scope"]),
        overrun_per_extra_year=float(data["overrun_per_extra_year"]),
        duration_question=_ref(data["duration_question"]),
        max_delay_months=data["max_delay_months"],
        draws=data["draws"],
        **texts,
    )


def _qualification(data: dict[str, Any]) -> QualificationPolicy:
    readiness, steps = data["readiness"], data["step_for"]
    return QualificationPolicy(
        disqualify_below=float(readiness["disqualify_below"]),
        qualified_from=float(readiness["qualified_from"]),
        area_floor=float(readiness["area_floor"]),
        readiness_source=Text(readiness["source"]),
        min_deal_value={currency: float(value) for currency, value in data["deal"]["min_value"].items()},
        deal_source=Text(data["deal"]["source"]),
        min_months=tuple(
            TimelineMinimum(m.get("users_at_most"), float(m["months"])) for m in data["timeline"]["min_months"]
        ),
        timeline_source=Text(data["timeline"]["source"]),
        budget_question=_ref(data["budget_question"]),
        next_steps={step["id"]: Text(step["text"]) for step in data["next_steps"]},
        area_steps=dict(steps["areas"]),
        rule_steps=dict(steps.get("rules", {})),
        cause_steps={cause: step for cause, step in steps.items() if cause not in ("areas", "rules")},
    )
