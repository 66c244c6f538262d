"""Contested Orbit's explainer-site generator: Markdown + data + Altair charts -> static site."""

from .charts import chart

__all__ = ["chart"]
