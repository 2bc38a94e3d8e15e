"""Reading and checking annual reports that agencies have published (issue #8).

    reading.py   a file or pasted text -> Document (paragraphs and tables, in order)
    detect.py    Document -> format ("2021", "2019", "pre2019"), agency, year
    labels.py    label matching against annual_report_format.json, tolerant of variants
    extract.py   Document -> Extracted (every table figure by the format's keys)
    figures.py   figures stated in the narrative (共收到申请N件 ...)
    checks.py    Extracted (one or several years) -> findings

The data passed between them is defined in document.py.
"""
