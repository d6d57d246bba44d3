"""Spreadsheets out and in: the workspace's assessments, an assessment's answers, estimates and decisions
as CSV and XLSX, and answers collected offline imported from a filled-in template."""
