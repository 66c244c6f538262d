"""explainer: a static-site generator for data-driven explainers (Markdown + data + Altair charts)."""

from .charts import chart

__all__ = ["chart"]
