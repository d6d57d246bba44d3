"""The estimate form: every cost line and benefit driver of the catalogue as low / most likely / high.

Built from the engine's catalogue through a table, like the answer forms. A figure left as
one number (most likely only) is a single estimate; percentages are typed as percentages
and stored as shares. Defaults and the haircut in each confidence label are the
assessment's pinned policy's. Nothing is saved unless the whole page is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Protocol

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField
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
from assessment.engine.numbers import parse_number, plain_number
from assessment.engine.policy import EconomicsPolicy
from assessment.web.fields import TextField
from assessment.web.i18n import format_number
from assessment.web.labels import choices

POINTS = ("low", "likely", "high")


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
        "scenario": TextField(
            _l("Scenario name"), validators=[DataRequired(_l("Name the scenario.")), Length(max=120)]
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
        number = parse_number(box.data or "") / scale
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
    typed: dict[str, float] = {}
    for point, box, text in zip(POINTS, boxes, raw, strict=True):
        if text:
            number = _read_box(box, bounds, outside, scale)
            if number is None:
                return None
            typed[point] = number
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


def form_data(data: Mapping[str, Any], name: str, policy: EconomicsPolicy) -> dict[str, Any]:
    """A stored scenario (or {} for a new one) as the form's initial values; blanks take the policy's."""
    values: dict[str, Any] = {
        "scenario": name,
        "currency": data.get("currency", DEFAULT_CURRENCY),
        "discount_rate": plain_number(100 * data.get("discount_rate", policy.discount_rate)),
        "horizon_years": str(data.get("horizon_years", policy.horizon_years)),
        "go_live_month": str(data.get("go_live_month", "")),
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
        values[field_name("b", line["id"], "ramp")] = str(line.get("ramp_months", ""))
        values[field_name("b", line["id"], "risk_adjusted")] = bool(line.get("risk_adjusted", False))
    return values


def _boxes(prefix: str, figure: FigureData, percent: bool) -> dict[str, str]:
    numbers = figure if isinstance(figure, list) else [figure, figure, figure]
    shown = [_as_typed(100 * n if percent else n) for n in numbers]
    if not isinstance(figure, list):
        return {field_name(prefix, "likely"): shown[1]}
    return {field_name(prefix, point): value for point, value in zip(POINTS, shown, strict=True)}


def _as_typed(number: float) -> str:
    """A stored figure as a person types it, except that one too small for that (1e-320, stored
    before figures were checked) is written out rather than shown as the 0 it is not."""
    typed = plain_number(number)
    return f"{number:g}" if number and float(typed) == 0 else typed
