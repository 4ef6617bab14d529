"""The command line: the Typer app, its options and one module per command."""
