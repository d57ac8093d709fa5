"""The source article, verbatim (see ORIGIN.md)."""
