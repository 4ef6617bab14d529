"""Renderers: tables, plain text, JSON and CSV shapes, HTML pages, workbooks and calendars, one writer per --format."""
