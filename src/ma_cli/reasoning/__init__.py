"""The engine (pure): traced and decision-only answers, plans, eligible_until and why, renewal, what-ifs, cases, roster jobs."""
