"""The readiness results page and its JSON."""
