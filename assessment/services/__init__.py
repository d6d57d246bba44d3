"""Services: the only code that changes stored state and commits."""
