"""detente.report: the self-contained HTML report and its Markdown twin.

``write_report(conn, "out/report.html", filters=Filters(process=...))`` renders the
aggregates of a selection, with the evidence of every point it shows embedded in the page.
"""

from detente.report.build import render, write_report
from detente.report.payload import ReportData, build_report_data

__all__ = ["ReportData", "build_report_data", "render", "write_report"]
