"""Reading and checking annual reports that agencies have published (issue #8).

    reading/     a file or pasted text -> Document (paragraphs and tables, in order):
                 one module per source kind (text, html, docx, pdf), shared cleaning
    detect.py    Document -> format ("2021", "2019", "pre2019"), agency, year
    labels.py    label matching against annual_report_format.json, tolerant of variants
    cells.py     a Document's lines as label and value cells; parse_value
    segment.py   a line of text cut back into rows where the layout was lost (one-line
                 reports, digits glued to labels, headers and figures on one line)
    digits.py    digits run together ("713000074") split back by the format's sums (pure)
    formats.py   a format's tables as the extractor needs them
    extract.py   Document -> Extracted (every table figure by the format's keys)
    figures.py   figures stated in the narrative (共收到申请N件 ...)
    checks/      Extracted (one or several years) -> findings: tables, text, series
    batch.py     many files at once, series by agency, the workbook
    imports.py   what of a checked report can become an agency's year
                 (annual.actions.import_checked_report writes it)

The data passed between them is defined in document.py; findings are
gongkai.lib.findings.Finding, and the format's identities gongkai.lib.report_format.Identity,
the types annual.validate uses too.
"""
