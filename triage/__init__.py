"""triage: a rule-based teaching assistant for metastatic breast cancer (educational use only)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("triage")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

DISCLAIMER = (
    "Educational use only. triage is a teaching tool built from one article; it is not "
    "medical advice and must not be used to diagnose or treat anyone. See a doctor."
)
