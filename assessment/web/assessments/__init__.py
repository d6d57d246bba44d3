"""Organisations and their assessments: creating them, the overview, inviting respondents."""
