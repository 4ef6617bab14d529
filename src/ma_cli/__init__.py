"""ma-cli: eligibility and renewal answers for US medical-assistant credentials."""

__version__ = "0.1.0"
