"""Alembic schema migrations, shipped inside the package so an installed bot can apply them."""
