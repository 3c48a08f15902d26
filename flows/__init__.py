"""Prefect orchestration over the factlint engine. Modules here only compose engine functions
(discover, batch, check, publish, report); importing them imports Prefect, so the CLI imports
them lazily and the `factlint check` gate never does."""
