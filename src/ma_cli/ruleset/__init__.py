"""Loading and checking rule files, the packed bundled rules, renewal rules."""
