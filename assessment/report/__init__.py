"""The steering-committee report: one model, rendered as a page, a PDF and JSON."""
