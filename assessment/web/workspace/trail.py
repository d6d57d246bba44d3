"""What narrows the audit trail page: who, which organisation, which kind of change, read from the query string."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from assessment.services.audit import TrailFilter
from assessment.web.labels import choices

KINDS = {
    "answer.changed": _l("An answer changed"),
    "respondent.invited": _l("A respondent invited"),
    "respondent.revoked": _l("A respondent's link withdrawn"),
    "respondent.extended": _l("A respondent's link reopened"),
    "estimate.changed": _l("An estimate changed"),
    "waiver.recorded": _l("A waiver recorded"),
    "waiver.withdrawn": _l("A waiver withdrawn"),
    "decision.recorded": _l("A decision recorded"),
    "member.invited": _l("A member invited"),
    "member.added": _l("A member joined"),
    "member.role_changed": _l("A member's role changed"),
    "member.removed": _l("A member removed"),
    "token.created": _l("An API token created"),
    "token.revoked": _l("An API token revoked"),
    "respondent.finished": _l("A respondent finished"),
    "respondent.reopened": _l("A respondent asked for more"),
    "scenario.created": _l("A scenario created"),
    "scenario.renamed": _l("A scenario renamed"),
    "scenario.deleted": _l("A scenario deleted"),
    "scenario.restored": _l("A scenario restored"),
    "workspace.logo": _l("The logo changed"),
    "workspace.money": _l("How rial amounts are shown changed"),
    "webhook.registered": _l("A webhook added"),
    "webhook.disabled": _l("A webhook disabled"),
    "webhook.enabled": _l("A webhook enabled"),
    "webhook.deleted": _l("A webhook deleted"),
    "webhook.secret_rotated": _l("The webhook signing secret replaced"),
    "prospect.changed": _l("A prospect's owner or deal changed"),
    "quick_scan.received": _l("A quick scan received"),
    "assessment.converted": _l("A quick scan converted into a full assessment"),
    "workspace.quick_scan": _l("The quick scan's settings changed"),
    "workspace.quick_scan_link": _l("The quick scan's link renewed"),
}
"""The kinds of change the services record, by the `action` of their entries."""

KEPT = ("who", "organisation", "kind", "page", "per_page")
"""The query arguments that say which part of the trail is shown."""


def kept(arguments: MultiDict[str, str]) -> dict[str, str]:
    """Which part of the trail `arguments` show, so that restoring an answer returns there; KEPT names only."""
    return {name: arguments[name] for name in KEPT if arguments.get(name)}


class TrailFilterForm(Form):
    """A GET form: it changes nothing, so it carries no CSRF token, and its values stay in the page's links."""

    who = SearchField(
        _l("Who"),
        description=_l("Part of an e-mail address or of a name."),
        validators=[Length(max=254)],
    )
    organisation = SearchField(_l("Organisation"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind of change"), choices=[SelectChoice("", _l("Any kind")), *choices(KINDS)], default="")

    def narrowed(self) -> TrailFilter:
        return TrailFilter(
            who=(self.who.data or "").strip(),
            organisation=(self.organisation.data or "").strip(),
            kind=self.kind.data or "",
        )
