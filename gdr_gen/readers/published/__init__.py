"""Reading published reports (web pages, Word, PDF, pasted text).

Each source kind has a small front end (``readers/html_reader.py`` …) that turns its file into
a neutral list of blocks (:mod:`.blocks`); one shared interpreter (:mod:`.interpret`) turns the
blocks into the JSON data format and builds the Report the one existing way
(``json_reader.report_from_data``), adding what was unusual as findings.
"""
