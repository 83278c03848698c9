"""detente.report: the self-contained HTML report and its Markdown twin.

``write_report(conn, "report.html")`` renders everything the analyses compute, with the
evidence for every point embedded in the page.
"""

from detente.report.build import render, write_corpus_report, write_report
from detente.report.payload import ReportData, build_report_data

__all__ = ["ReportData", "build_report_data", "render", "write_corpus_report", "write_report"]
