"""The estimate form: every cost line and benefit driver of the catalogue as low / most likely / high.

Built from the engine's catalogue through a table, like the answer forms. A figure left as
one number (most likely only) is a single estimate; percentages are typed as percentages
and stored as shares. Defaults and the haircut in each confidence label are the
assessment's pinned policy's. Figures are read in the reader's locale and shown back in it
(`web/numbers_input.py`). Nothing is saved unless the whole page is valid; each bad box carries
its own message, and `problems` lists them all, by line and box, for the summary above the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Protocol

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from assessment.engine.catalogue import BENEFITS, CONFIDENCE, COSTS, DEFAULT_CURRENCY, HORIZONS
from assessment.engine.estimates import Confidence, ProjectCosts
from assessment.engine.estimates_data import (
    FIGURE,
    GO_LIVE,
    RAMP,
    SHARE,
    Bounds,
    Fault,
    FigureData,
    benefit_too_large,
    months_to_go_live,
)
from assessment.engine.policy import EconomicsPolicy
from assessment.web.fields import TextField
from assessment.web.i18n import format_number
from assessment.web.labels import choices, input_label
from assessment.web.numbers_input import UnclearNumberError, read_number, shown_as_typed

POINTS = ("low", "likely", "high")
POINT_LABELS = {"low": _l("Low"), "likely": _l("Most likely"), "high": _l("High")}
"""Each box of a figure as its column is headed."""
NAME_LENGTH = 120
"""The longest scenario name (the column's size)."""


def field_name(*parts: str) -> str:
    return "-".join(parts)


class Dated(Protocol):
    """What the form reads of an assessment: when it started and its planned go-live."""

    created_at: datetime
    go_live: date | None


def planned_go_live(assessment: Dated) -> int | None:
    """Months from the assessment's start to its planned go-live: what a blank go-live box means."""
    return months_to_go_live(assessment.created_at.date(), assessment.go_live)


def _figure_fields(prefix: str) -> dict[str, Field]:
    return {field_name(prefix, point): StringField(validators=[Length(max=40)]) for point in POINTS}


@lru_cache(maxsize=1)
def _form_class() -> type[FlaskForm]:
    """The form's fields; the confidence options are set per form, from its policy (`new_form`)."""
    fields: dict[str, Any] = {
        # Which stored scenario the page edits, so a new name renames it rather than copying it;
        # blank for a new scenario (see views.estimates for a post without it).
        "scenario_id": HiddenField(),
        "scenario": TextField(
            _l("Scenario name"), validators=[DataRequired(_l("Name the scenario.")), Length(max=NAME_LENGTH)]
        ),
        "currency": StringField(
            _l("Currency"),
            validators=[Regexp(r"^[A-Z]{3}$", message=_l("Use a three-letter currency code such as USD, EUR or IRR."))],
        ),
        "discount_rate": StringField(_l("Discount rate, % a year")),
        "horizon_years": SelectField(_l("Years of benefits"), choices=choices({str(y): str(y) for y in HORIZONS})),
        "go_live_month": StringField(_l("Go-live, months after kick-off"), validators=[Length(max=10)]),
        "project_costs": SelectField(
            _l("One-off project costs"),
            choices=choices(
                {
                    ProjectCosts.SPREAD.value: _l("Spread over the months to go-live"),
                    ProjectCosts.UPFRONT.value: _l("All at kick-off"),
                }
            ),
            default=ProjectCosts.SPREAD.value,
        ),
        # The template asks the form what a blank go-live box means for its assessment.
        "planned_go_live": staticmethod(planned_go_live),
    }
    for cost in COSTS:
        fields.update(_figure_fields(field_name("c", cost.id)))
    for benefit in BENEFITS:
        for driver in benefit.drivers:
            fields.update(_figure_fields(field_name("b", benefit.id, driver.id)))
        fields[field_name("b", benefit.id, "confidence")] = SelectField(default=Confidence.DEFAULT.value)
        fields[field_name("b", benefit.id, "ramp")] = StringField(validators=[Length(max=10)])
        fields[field_name("b", benefit.id, "risk_adjusted")] = BooleanField(
            _l("Already risk-adjusted (by a study): no confidence haircut")
        )
    return type("EstimatesForm", (FlaskForm,), fields)


def new_form(policy: EconomicsPolicy, data: Mapping[str, Any] | None = None) -> FlaskForm:
    """The form with `data` as initial values (None reads the request), its labels from `policy`."""
    form = _form_class()(data=data)
    options = choices({c.value: _confidence_label(c, policy.haircuts[c.value]) for c in CONFIDENCE})
    for benefit in BENEFITS:
        form[field_name("b", benefit.id, "confidence")].choices = options
    return form


def _confidence_label(confidence: Confidence, haircut: float) -> str:
    """'Default (20 % haircut)', the share taken from the policy rather than written in the label."""
    name = gettext(CONFIDENCE[confidence])
    if not haircut:
        return gettext("%(confidence)s (no haircut)", confidence=name)
    return gettext("%(confidence)s (%(percent)s %% haircut)", confidence=name, percent=format_number(100 * haircut))


def _mark(field: Field, message: str) -> None:
    """Put `message` on `field`; its errors are a tuple until the form is validated (a stored
    scenario is checked when its form is first shown)."""
    field.errors = [*field.errors, message]


def _read_box(box: Field, bounds: Bounds, outside: str, scale: float = 1.0) -> float | None:
    """The number typed in `box`, in the units `bounds` hold (typed as `scale` times them, 100 for a
    percentage); None with the error on the box, `outside` when it is out of bounds."""
    try:
        number = read_number(box.data or "") / scale
    except UnclearNumberError:
        _mark(
            box,
            _l(
                "The marks in this number are unclear: write it as %(example)s, or with no thousands mark as "
                "%(plain)s.",
                example=format_number(8500.5),
                plain="8500.5",
            ),
        )
        return None
    except ValueError:
        _mark(box, _l("Enter a number, for example 12 or 7.5."))
        return None
    fault = bounds.fault(number)
    if fault is Fault.NEAR_ZERO:
        _mark(box, _l("This is too close to 0 to be meant: enter 0 or a larger figure."))
    elif fault is not None:
        _mark(box, outside)
    return None if fault else number


def _limits(bounds: Bounds, scale: float = 1.0) -> dict[str, str]:
    """The bounds as a message names them, in the reader's digits."""
    return {"least": format_number(scale * bounds.least), "most": format_number(scale * bounds.most)}


def _figure(form: FlaskForm, prefix: str, percent: bool) -> FigureData | None:
    """The figure typed in three boxes, as data; None when left blank. Errors go on the boxes."""
    boxes = [form[field_name(prefix, point)] for point in POINTS]
    raw = [(box.data or "").strip() for box in boxes]
    if not any(raw):
        return None
    if not raw[1]:
        _mark(boxes[1], _l("Enter the most likely figure; low and high are optional."))
        return None
    if percent:
        bounds, scale = SHARE, 100.0
        outside = _l("Enter a percentage from %(least)s to %(most)s.", **_limits(SHARE, scale))
    else:
        bounds, scale = FIGURE, 1.0
        outside = _l("Enter an amount from %(least)s to %(most)s.", **_limits(FIGURE))
    # Every box is read, so each bad one is marked, not only the first.
    read = {
        point: _read_box(box, bounds, outside, scale)
        for point, box, text in zip(POINTS, boxes, raw, strict=True)
        if text
    }
    typed = {point: number for point, number in read.items() if number is not None}
    if len(typed) < len(read):
        return None
    likely = typed["likely"]
    low, high = typed.get("low", likely), typed.get("high", likely)
    if not low <= likely <= high:
        _mark(boxes[2 if high < likely else 0], _l("Low, most likely and high must rise in that order."))
        return None
    return [low, likely, high] if low != high else likely


def read_form(form: FlaskForm, policy: EconomicsPolicy) -> dict[str, Any] | None:
    """The estimates as data for `read_estimates`, or None with errors on the fields."""
    costs = []
    for cost in COSTS:
        amount = _figure(form, field_name("c", cost.id), False)
        if amount is not None:
            costs.append(cost.entry(amount))
    benefits = []
    for benefit in BENEFITS:
        drivers = {d.id: _figure(form, field_name("b", benefit.id, d.id), d.percent) for d in benefit.drivers}
        given = {k: v for k, v in drivers.items() if v is not None}
        if given and len(given) < len(drivers):
            for driver in benefit.drivers:
                if drivers[driver.id] is None and not form[field_name("b", benefit.id, driver.id, "likely")].errors:
                    _mark(
                        form[field_name("b", benefit.id, driver.id, "likely")],
                        _l("Fill every figure of this benefit, or none of them."),
                    )
        elif given and benefit_too_large((max(_as_list(f)) for f in given.values()), benefit.factor):
            _mark(
                form[field_name("b", benefit.id, benefit.drivers[0].id, "likely")],
                _l(
                    "At their high figures these drivers come to more than %(most)s a month: check for a slip.",
                    most=format_number(FIGURE.most),
                ),
            )
        ramp_box = form[field_name("b", benefit.id, "ramp")]
        ramp = benefit.ramp_months
        if (ramp_box.data or "").strip():
            typed_ramp = _read_box(ramp_box, RAMP, _l("Enter %(least)s to %(most)s months.", **_limits(RAMP)))
            ramp = ramp if typed_ramp is None else int(typed_ramp)
        if given and len(given) == len(drivers):
            confidence = form[field_name("b", benefit.id, "confidence")].data
            risk_adjusted = bool(form[field_name("b", benefit.id, "risk_adjusted")].data)
            benefits.append(benefit.entry(given, confidence, ramp, risk_adjusted))
    rate_box = form.discount_rate
    rate = policy.discount_rate
    if (rate_box.data or "").strip():
        typed_rate = _read_box(
            rate_box, SHARE, _l("Enter a rate from %(least)s to %(most)s %%.", **_limits(SHARE, 100.0)), 100.0
        )
        rate = rate if typed_rate is None else typed_rate
    timing: dict[str, Any] = {}
    if (form.go_live_month.data or "").strip():
        typed_go_live = _read_box(
            form.go_live_month, GO_LIVE, _l("Enter %(least)s to %(most)s months.", **_limits(GO_LIVE))
        )
        if typed_go_live is not None:
            timing["go_live_month"] = int(typed_go_live)
    # Only what differs from the defaults is stored, so older scenarios read the same.
    if form.project_costs.data == ProjectCosts.UPFRONT.value:
        timing["project_costs"] = ProjectCosts.UPFRONT.value
    if any(field.errors for field in form):
        return None
    return {
        "currency": form.currency.data,
        "horizon_years": int(form.horizon_years.data),
        "discount_rate": rate,
        **timing,
        "costs": costs,
        "benefits": benefits,
    }


def _as_list(figure: FigureData) -> list[float]:
    return figure if isinstance(figure, list) else [figure]


def form_data(data: Mapping[str, Any], name: str, policy: EconomicsPolicy, scenario_id: str = "") -> dict[str, Any]:
    """A stored scenario (or {} for a new one) as the form's initial values, its figures in the
    reader's digits and marks; blanks take the policy's. `scenario_id` is blank for a new scenario."""
    go_live = data.get("go_live_month")
    values: dict[str, Any] = {
        "scenario_id": scenario_id,
        "scenario": name,
        "currency": data.get("currency", DEFAULT_CURRENCY),
        "discount_rate": shown_as_typed(100 * data.get("discount_rate", policy.discount_rate)),
        "horizon_years": str(data.get("horizon_years", policy.horizon_years)),
        "go_live_month": "" if go_live is None else shown_as_typed(go_live),
        "project_costs": data.get("project_costs", ProjectCosts.SPREAD.value),
    }
    percent = {(b.id, d.id) for b in BENEFITS for d in b.drivers if d.percent}
    for line in data.get("costs", []):
        if "amount" in line:
            values.update(_boxes(field_name("c", line["id"]), line["amount"], False))
    for line in data.get("benefits", []):
        for driver, figure in line.get("drivers", {}).items():
            values.update(_boxes(field_name("b", line["id"], driver), figure, (line["id"], driver) in percent))
        values[field_name("b", line["id"], "confidence")] = line.get("confidence", Confidence.DEFAULT.value)
        ramp = line.get("ramp_months")
        values[field_name("b", line["id"], "ramp")] = "" if ramp is None else shown_as_typed(ramp)
        values[field_name("b", line["id"], "risk_adjusted")] = bool(line.get("risk_adjusted", False))
    return values


def _boxes(prefix: str, figure: FigureData, percent: bool) -> dict[str, str]:
    numbers = figure if isinstance(figure, list) else [figure, figure, figure]
    shown = [shown_as_typed(100 * n if percent else n) for n in numbers]
    if not isinstance(figure, list):
        return {field_name(prefix, "likely"): shown[1]}
    return {field_name(prefix, point): value for point, value in zip(POINTS, shown, strict=True)}


@dataclass(frozen=True)
class Problem:
    """One entry of the summary above the form: the box it is about, that box in words, the message."""

    target: str
    where: str
    message: str


def problems(form: FlaskForm) -> list[Problem]:
    """Every error on the form's boxes, in the page's order, each with the line and box it is about."""
    where = _box_labels(form)
    return [
        Problem(field.id, where.get(field.name, str(field.label.text)), str(message))
        for field in form
        for message in field.errors
    ]


def _box_labels(form: FlaskForm) -> dict[str, str]:
    """The boxes without a label of their own, in words: "Training (Low)", "Revenue uplift: gross
    margin (Most likely)", "Revenue uplift: Months to full adoption"."""
    figures = {field_name("c", c.id): input_label(f"costs.{c.id}") for c in COSTS}
    for benefit in BENEFITS:
        figures |= {
            field_name("b", benefit.id, d.id): input_label(f"benefits.{benefit.id}.{d.id}") for d in benefit.drivers
        }
    labels = {
        field_name(prefix, point): gettext("%(figure)s (%(point)s)", figure=figure, point=POINT_LABELS[point])
        for prefix, figure in figures.items()
        for point in POINTS
    }
    for benefit in BENEFITS:
        line = input_label(f"benefits.{benefit.id}")
        for part, text in (
            ("ramp", _l("Months to full adoption")),
            ("confidence", _l("How sure is this estimate?")),
            ("risk_adjusted", form[field_name("b", benefit.id, "risk_adjusted")].label.text),
        ):
            labels[field_name("b", benefit.id, part)] = gettext("%(line)s: %(driver)s", line=line, driver=text)
    return labels
