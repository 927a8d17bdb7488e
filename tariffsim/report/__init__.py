"""A report a colleague can open offline: one self-contained HTML file with the charts
inline, the rates at key dates, the attribution of a comparison and the event log with its
sources as links (`tariffsim report FILE... -o report.html`)."""
