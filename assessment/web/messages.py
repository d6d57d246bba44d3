"""Every validation message the answer forms show, in one translatable place."""

from flask_babel import lazy_gettext as _l

NOT_AN_OPTION = _l("Choose one of the options shown.")
NOT_A_NUMBER = _l("Enter a number, for example 12 or 7.5.")
NUMBER_TOO_SMALL = _l("Enter a number of at least %(minimum)s.")
NUMBER_TOO_LARGE = _l("Enter a number of at most %(maximum)s.")
TEXT_TOO_LONG = _l("Keep this to at most %(max)d characters.")
REQUIRED = _l("This is required.")
