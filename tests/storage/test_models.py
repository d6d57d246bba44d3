"""Every stored model comes from `assessment.storage.models`, so Alembic and the services see them all in one import."""

from __future__ import annotations

from assessment.storage import models


def test_every_stored_model_is_exported_from_the_models_package() -> None:
    mapped = {mapper.class_.__name__ for mapper in models.Base.registry.mappers}
    assert sorted(mapped - set(models.__all__)) == []
