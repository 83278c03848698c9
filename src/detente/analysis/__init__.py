"""detente.analysis: pure functions over stored records, for Python, the CLI and reports.

Load a :class:`Corpus` once (``load_corpus(conn, process=..., since=..., until=...)``),
then call the analyses on it; every row they return keeps the ids (and usually the
evidence) of the records it was computed from.
"""

from detente.analysis.corpus import Corpus, DocInfo, filter_corpus, load_corpus
from detente.analysis.dedupe import dedupe_events, dedupe_positions
from detente.analysis.dyads import DyadRow, dyadic_series
from detente.analysis.export import export_tables
from detente.analysis.frames import gdelt_rows, records_frame, to_frame
from detente.analysis.matrix import MatrixCell, position_matrix
from detente.analysis.signal import SignalPoint, signal_index
from detente.analysis.sources import SourceRow, source_table
from detente.analysis.space import IssueSpace, negotiation_space
from detente.analysis.timeline import TimelineEntry, key_timeline

__all__ = [
    "Corpus", "DocInfo", "DyadRow", "IssueSpace", "MatrixCell", "SignalPoint", "SourceRow",
    "TimelineEntry", "dedupe_events", "dedupe_positions", "dyadic_series", "export_tables",
    "filter_corpus", "gdelt_rows", "key_timeline", "load_corpus", "negotiation_space",
    "position_matrix", "records_frame", "signal_index", "source_table", "to_frame",
]  # fmt: skip
