"""detente: evidence-linked PLOVER events and negotiation positions from conflict news.

The package mirrors the pipeline: ``ingest → nlp → coding → positions → store →
analysis → report/api``; each stage is its own subpackage and talks to the next
through the typed records defined in its ``models`` module.
"""

__version__ = "0.1.0"
