"""detente.analysis: analyses of stored records, for Python, the CLI, reports and the API.

Each analysis takes a database connection and :class:`~detente.store.queries.Filters`
and pushes its filtering and aggregation into the database
(:mod:`detente.store.queries`); every row it returns keeps the ids (and usually the
evidence) of the records it was computed from.
"""

from detente.analysis.dyads import DyadRow, dyadic_series
from detente.analysis.export import export_tables
from detente.analysis.frames import gdelt_rows, records_frame, to_frame
from detente.analysis.matrix import MatrixCell, position_matrix
from detente.analysis.signal import SignalPoint, signal_index
from detente.analysis.sources import SourceRow, source_table
from detente.analysis.space import IssueSpace, negotiation_space
from detente.analysis.timeline import TimelineEntry, key_timeline, timeline_counts
from detente.store.queries import Filters

__all__ = [
    "DyadRow", "Filters", "IssueSpace", "MatrixCell", "SignalPoint", "SourceRow",
    "TimelineEntry", "dyadic_series", "export_tables", "gdelt_rows", "key_timeline",
    "negotiation_space", "position_matrix", "records_frame", "signal_index", "source_table",
    "timeline_counts", "to_frame",
]  # fmt: skip
