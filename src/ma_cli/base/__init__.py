"""Shared records, errors, dates, numeric bounds, the JSON writer, user text shown as text and the one file writer."""
