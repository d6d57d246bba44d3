"""The estimate form: every cost line and benefit driver as low / most likely / high.

Built from a template through a table, like the answer forms. A figure left as one number
(most likely only) is a single estimate; percentages are typed as percentages and stored
as shares. Nothing is saved unless the whole page is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from assessment.engine.estimates import Confidence, Timing
from assessment.web.answer_forms import parse_number, plain_number
from assessment.web.labels import choices

POINTS = ("low", "likely", "high")


@dataclass(frozen=True)
class Driver:
    id: str
    label: Any
    percent: bool = False
    hint: Any = None


@dataclass(frozen=True)
class CostTemplate:
    id: str
    label: Any
    timing: Timing
    per_user: bool = False
    project: bool = False


@dataclass(frozen=True)
class BenefitTemplate:
    id: str
    label: Any
    drivers: tuple[Driver, ...]
    factor: float = 1.0
    ramp_months: int = 6


COSTS = (
    CostTemplate("subscription", _l("Subscription, per user per month"), Timing.MONTHLY, per_user=True),
    CostTemplate("licences", _l("Licences bought outright"), Timing.ONCE),
    CostTemplate("implementation", _l("Implementation and customisation"), Timing.ONCE, project=True),
    CostTemplate("data_migration", _l("Data migration"), Timing.ONCE, project=True),
    CostTemplate("integration", _l("Integration with other systems"), Timing.ONCE, project=True),
    CostTemplate("training", _l("Training"), Timing.ONCE, project=True),
    CostTemplate("change_management", _l("Change management"), Timing.ONCE, project=True),
    CostTemplate("internal_staff", _l("Internal staff time"), Timing.ONCE, project=True),
    CostTemplate("infrastructure", _l("Infrastructure (on-premise)"), Timing.ONCE, project=True),
    CostTemplate("hosting", _l("Hosting, per year"), Timing.YEARLY),
    CostTemplate("support", _l("Support and maintenance, per year"), Timing.YEARLY),
)

BENEFITS = (
    BenefitTemplate(
        "revenue",
        _l("Revenue uplift"),
        (
            Driver("leads_per_month", _l("Leads per month")),
            Driver(
                "conversion_uplift",
                _l("Conversion gain, percentage points"),
                True,
                _l(
                    "Vendors claim 20-40 % better conversion (relative, and optimistic): "
                    "12 % becoming 15 % is 3 points."
                ),
            ),
            Driver("deal_value", _l("Average deal value")),
            Driver("margin", _l("Gross margin"), True),
        ),
    ),
    BenefitTemplate(
        "retention",
        _l("Customer retention"),
        (
            Driver("customers", _l("Active customers")),
            Driver(
                "churn_reduction",
                _l("Fewer customers lost a year, percentage points"),
                True,
                _l(
                    "Vendors cite a 5 % retention gain raising profit 25-95 % (Harvard Business School); "
                    "be conservative."
                ),
            ),
            Driver("customer_margin_per_year", _l("Margin per customer per year")),
        ),
        factor=1 / 12,
        ramp_months=9,
    ),
    BenefitTemplate(
        "time_saved",
        _l("Time saved"),
        (
            Driver("hours_per_user_week", _l("Hours saved per user per week")),
            Driver("users", _l("Users who save it")),
            Driver("loaded_hourly_cost", _l("Loaded cost of an hour")),
        ),
        factor=52 / 12,
        ramp_months=4,
    ),
    BenefitTemplate(
        "errors_rework", _l("Less error and rework"), (Driver("saving_per_month", _l("Saving per month")),)
    ),
    BenefitTemplate(
        "marketing", _l("Cheaper, better-targeted marketing"), (Driver("saving_per_month", _l("Saving per month")),)
    ),
)

CONFIDENCE = {
    Confidence.VERY.value: _l("Very confident (no haircut)"),
    Confidence.DEFAULT.value: _l("Default (20 % haircut)"),
    Confidence.MODERATE.value: _l("Moderately confident (30 % haircut)"),
}


def field_name(*parts: str) -> str:
    return "-".join(parts)


def _figure_fields(prefix: str) -> dict[str, Field]:
    return {field_name(prefix, point): StringField(validators=[Length(max=40)]) for point in POINTS}


@lru_cache(maxsize=1)
def form_class() -> type[FlaskForm]:
    fields: dict[str, Any] = {
        "scenario": StringField(
            _l("Scenario name"), validators=[DataRequired(_l("Name the scenario.")), Length(max=120)]
        ),
        "currency": StringField(
            _l("Currency"),
            validators=[Regexp(r"^[A-Z]{3}$", message=_l("Use a three-letter currency code such as USD, EUR or IRR."))],
        ),
        "discount_rate": StringField(_l("Discount rate, % a year")),
        "horizon_years": SelectField(_l("Horizon"), choices=choices({str(y): str(y) for y in (1, 2, 3, 4, 5)})),
    }
    for cost in COSTS:
        fields.update(_figure_fields(field_name("c", cost.id)))
    for benefit in BENEFITS:
        for driver in benefit.drivers:
            fields.update(_figure_fields(field_name("b", benefit.id, driver.id)))
        fields[field_name("b", benefit.id, "confidence")] = SelectField(choices=choices(CONFIDENCE), default="default")
        fields[field_name("b", benefit.id, "ramp")] = StringField(validators=[Length(max=10)])
    return type("EstimatesForm", (FlaskForm,), fields)


def _triple(form: FlaskForm, prefix: str, percent: bool) -> list[float] | None:
    """The figure typed in three boxes, as data; None when left blank. Errors go on the boxes."""
    boxes = [form[field_name(prefix, point)] for point in POINTS]
    raw = [(box.data or "").strip() for box in boxes]
    if not any(raw):
        return None
    if not raw[1]:
        boxes[1].errors.append(_l("Enter the most likely figure; low and high are optional."))
        return None
    numbers = []
    for box, text in zip(boxes, raw, strict=True):
        if not text:
            numbers.append(None)
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
        numbers.append(number / 100 if percent else number)
    low, likely, high = (n if n is not None else numbers[1] for n in numbers)
    if not low <= likely <= high:
        boxes[2 if high < likely else 0].errors.append(_l("Low, most likely and high must rise in that order."))
        return None
    return [low, likely, high] if low != high else likely  # type: ignore[return-value]


def read_form(form: FlaskForm) -> dict[str, Any] | None:
    """The estimates as data for `read_estimates`, or None with errors on the fields."""
    costs = []
    for cost in COSTS:
        figure = _triple(form, field_name("c", cost.id), False)
        if figure is not None:
            costs.append(
                {
                    "id": cost.id,
                    "amount": figure,
                    "timing": cost.timing.value,
                    "per_user": cost.per_user,
                    "project": cost.project,
                }
            )
    benefits = []
    for benefit in BENEFITS:
        drivers = {d.id: _triple(form, field_name("b", benefit.id, d.id), d.percent) for d in benefit.drivers}
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
                if not 0 <= ramp <= 60:
                    raise ValueError(ramp)
            except ValueError:
                ramp_box.errors.append(_l("Enter 0 to 60 months."))
        if given and len(given) == len(drivers):
            benefits.append(
                {
                    "id": benefit.id,
                    "drivers": given,
                    "factor": benefit.factor,
                    "confidence": form[field_name("b", benefit.id, "confidence")].data,
                    "ramp_months": ramp,
                }
            )
    rate_box = form.discount_rate
    rate = 10.0
    if (rate_box.data or "").strip():
        try:
            rate = parse_number(rate_box.data)
            if not 0 <= rate <= 100:
                raise ValueError(rate)
        except ValueError:
            rate_box.errors.append(_l("Enter a rate from 0 to 100 %."))
    if any(field.errors for field in form):
        return None
    return {
        "currency": form.currency.data,
        "horizon_years": int(form.horizon_years.data),
        "discount_rate": rate / 100,
        "costs": costs,
        "benefits": benefits,
    }


def form_data(data: dict[str, Any], name: str) -> dict[str, Any]:
    """A stored scenario as the form's initial values."""
    values: dict[str, Any] = {
        "scenario": name,
        "currency": data.get("currency", "USD"),
        "discount_rate": plain_number(100 * data.get("discount_rate", 0.10)),
        "horizon_years": str(data.get("horizon_years", 3)),
    }
    percent = {(b.id, d.id) for b in BENEFITS for d in b.drivers if d.percent}
    for line in data.get("costs", []):
        values.update(_boxes(field_name("c", line["id"]), line["amount"], False))
    for line in data.get("benefits", []):
        for driver, figure in line["drivers"].items():
            values.update(_boxes(field_name("b", line["id"], driver), figure, (line["id"], driver) in percent))
        values[field_name("b", line["id"], "confidence")] = line.get("confidence", "default")
        values[field_name("b", line["id"], "ramp")] = str(line.get("ramp_months", ""))
    return values


def _boxes(prefix: str, figure: Any, percent: bool) -> dict[str, str]:
    numbers = figure if isinstance(figure, list) else [figure, figure, figure]
    shown = [plain_number(100 * n if percent else n) for n in numbers]
    if not isinstance(figure, list):
        return {field_name(prefix, "likely"): shown[1]}
    return {field_name(prefix, point): value for point, value in zip(POINTS, shown, strict=True)}
