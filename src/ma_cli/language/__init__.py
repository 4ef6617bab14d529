"""The rule language: rule records, what conditions read, each condition kind defined once, and the verdicts."""
