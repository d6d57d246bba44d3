"""The form that registers a webhook, and the events' names as a reader sees them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from assessment.services.webhooks import EVENTS, TEST_EVENT
from assessment.web import messages

EVENT_LABELS = {event.name: _l(event.label) for event in (*EVENTS, TEST_EVENT)}


class WebhookForm(FlaskForm):
    """The address is checked by the service (`services/webhook_targets.py`), which names what is wrong."""

    url = URLField(
        _l("Endpoint address"),
        description=_l("Where your CRM or integration receives events, e.g. https://crm.example.com/hooks/crm-gate."),
        validators=[DataRequired(messages.REQUIRED)],
        filters=(lambda value: value.strip() if value else value,),
        render_kw={"dir": "ltr", "autocomplete": "off"},
    )
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(event.name, EVENT_LABELS[event.name]) for event in EVENTS],
        default=[event.name for event in EVENTS],
        validators=[DataRequired(_l("Choose at least one event."))],
    )
