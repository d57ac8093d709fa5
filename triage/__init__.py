"""triage: a rule-based teaching assistant for metastatic breast cancer (educational use only)."""

# The one place the version is written: pyproject.toml reads it from here (setuptools' `attr:`),
# so the package never asks importlib.metadata, whose import costs a fifth of a cold start.
__version__ = "0.1.0"

DISCLAIMER = (
    "Educational use only. triage is a teaching tool built from one article; it is not "
    "medical advice and must not be used to diagnose or treat anyone. See a doctor."
)
