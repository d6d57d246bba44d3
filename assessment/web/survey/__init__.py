"""The walk-through: one area per page for the lead or a respondent, saved on every submit and autosaved."""
