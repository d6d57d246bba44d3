"""The steering-committee report as a page, PDF, JSON and CSV, and the committee's decision record."""
