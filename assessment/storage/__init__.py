"""Storage: SQLAlchemy models, the per-request session and the migrations."""
