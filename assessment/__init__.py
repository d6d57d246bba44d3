"""CRM Gate: readiness, risk and return of a CRM project before it starts."""
