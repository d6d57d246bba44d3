"""Validation messages the web forms share, in one translatable place.

Messages about answers belong to the question types (`engine/question_types.py`).
"""

from flask_babel import lazy_gettext as _l

REQUIRED = _l("This is required.")
