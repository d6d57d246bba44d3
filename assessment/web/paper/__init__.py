"""Printable questionnaires, one per role, for workshops held on paper; their answers are typed in afterwards."""
