"""The estimate form: every cost line and benefit driver of the catalogue as low / most likely / high.

Built from the engine's catalogue through a table, like the answer forms. A figure left as
one number (most likely only) is a single estimate; percentages are typed as percentages
and stored as shares. Defaults and the haircut in each confidence label are the
assessment's pinned policy's. Nothing is saved unless the whole page is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from assessment.engine.catalogue import BENEFITS, CONFIDENCE, COSTS, DEFAULT_CURRENCY, HORIZONS
from assessment.engine.estimates import MAX_RAMP_MONTHS, Confidence
from assessment.engine.estimates_data import FigureData
from assessment.engine.numbers import parse_number, plain_number
from assessment.engine.policy import EconomicsPolicy
from assessment.web.i18n import format_number
from assessment.web.labels import choices

POINTS = ("low", "likely", "high")


def field_name(*parts: str) -> str:
    return "-".join(parts)


def _figure_fields(prefix: str) -> dict[str, Field]:
    return {field_name(prefix, point): StringField(validators=[Length(max=40)]) for point in POINTS}


@lru_cache(maxsize=1)
def _form_class() -> type[FlaskForm]:
    """The form's fields; the confidence options are set per form, from its policy (`new_form`)."""
    fields: dict[str, Any] = {
        "scenario": StringField(
            _l("Scenario name"), validators=[DataRequired(_l("Name the scenario.")), Length(max=120)]
        ),
        "currency": StringField(
            _l("Currency"),
            validators=[Regexp(r"^[A-Z]{3}$", message=_l("Use a three-letter currency code such as USD, EUR or IRR."))],
        ),
        "discount_rate": StringField(_l("Discount rate, % a year")),
        "horizon_years": SelectField(_l("Horizon"), choices=choices({str(y): str(y) for y in HORIZONS})),
    }
    for cost in COSTS:
        fields.update(_figure_fields(field_name("c", cost.id)))
    for benefit in BENEFITS:
        for driver in benefit.drivers:
            fields.update(_figure_fields(field_name("b", benefit.id, driver.id)))
        fields[field_name("b", benefit.id, "confidence")] = SelectField(default=Confidence.DEFAULT.value)
        fields[field_name("b", benefit.id, "ramp")] = StringField(validators=[Length(max=10)])
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


def _figure(form: FlaskForm, prefix: str, percent: bool) -> FigureData | None:
    """The figure typed in three boxes, as data; None when left blank. Errors go on the boxes."""
    boxes = [form[field_name(prefix, point)] for point in POINTS]
    raw = [(box.data or "").strip() for box in boxes]
    if not any(raw):
        return None
    if not raw[1]:
        boxes[1].errors.append(_l("Enter the most likely figure; low and high are optional."))
        return None
    typed: dict[str, float] = {}
    for point, box, text in zip(POINTS, boxes, raw, strict=True):
        if not text:
            continue
        try:
            number = parse_number(text)
        except ValueError:
            box.errors.append(_l("Enter a number, for example 12 or 7.5."))
            return None
        if number < 0:
            box.errors.append(_l("Enter a positive amount."))
            return None
        if percent and number > 100:
            box.errors.append(_l("Enter a percentage from 0 to 100."))
            return None
        typed[point] = number / 100 if percent else number
    likely = typed["likely"]
    low, high = typed.get("low", likely), typed.get("high", likely)
    if not low <= likely <= high:
        boxes[2 if high < likely else 0].errors.append(_l("Low, most likely and high must rise in that order."))
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
                    form[field_name("b", benefit.id, driver.id, "likely")].errors.append(
                        _l("Fill every figure of this benefit, or none of them.")
                    )
        ramp_box = form[field_name("b", benefit.id, "ramp")]
        ramp = benefit.ramp_months
        if (ramp_box.data or "").strip():
            try:
                ramp = int(parse_number(ramp_box.data))
                if not 0 <= ramp <= MAX_RAMP_MONTHS:
                    raise ValueError(ramp)
            except ValueError:
                ramp_box.errors.append(_l("Enter 0 to %(most)s months.", most=format_number(MAX_RAMP_MONTHS)))
        if given and len(given) == len(drivers):
            confidence = form[field_name("b", benefit.id, "confidence")].data
            benefits.append(benefit.entry(given, confidence, ramp))
    rate_box = form.discount_rate
    rate = policy.discount_rate
    if (rate_box.data or "").strip():
        try:
            percent = parse_number(rate_box.data)
            if not 0 <= percent <= 100:
                raise ValueError(percent)
            rate = percent / 100
        except ValueError:
            rate_box.errors.append(_l("Enter a rate from 0 to 100 %."))
    if any(field.errors for field in form):
        return None
    return {
        "currency": form.currency.data,
        "horizon_years": int(form.horizon_years.data),
        "discount_rate": rate,
        "costs": costs,
        "benefits": benefits,
    }


def form_data(data: Mapping[str, Any], name: str, policy: EconomicsPolicy) -> dict[str, Any]:
    """A stored scenario (or {} for a new one) as the form's initial values; blanks take the policy's."""
    values: dict[str, Any] = {
        "scenario": name,
        "currency": data.get("currency", DEFAULT_CURRENCY),
        "discount_rate": plain_number(100 * data.get("discount_rate", policy.discount_rate)),
        "horizon_years": str(data.get("horizon_years", policy.horizon_years)),
    }
    percent = {(b.id, d.id) for b in BENEFITS for d in b.drivers if d.percent}
    for line in data.get("costs", []):
        values.update(_boxes(field_name("c", line["id"]), line["amount"], False))
    for line in data.get("benefits", []):
        for driver, figure in line["drivers"].items():
            values.update(_boxes(field_name("b", line["id"], driver), figure, (line["id"], driver) in percent))
        values[field_name("b", line["id"], "confidence")] = line.get("confidence", Confidence.DEFAULT.value)
        values[field_name("b", line["id"], "ramp")] = str(line.get("ramp_months", ""))
    return values


def _boxes(prefix: str, figure: FigureData, percent: bool) -> dict[str, str]:
    numbers = figure if isinstance(figure, list) else [figure, figure, figure]
    shown = [plain_number(100 * n if percent else n) for n in numbers]
    if not isinstance(figure, list):
        return {field_name(prefix, "likely"): shown[1]}
    return {field_name(prefix, point): value for point, value in zip(POINTS, shown, strict=True)}
