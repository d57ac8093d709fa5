"""The reader of symptom text: one for case files, `triage assess`, the interview and the web
page. `Reader(compile_lexicon(kb)).read(text)` gives what each piece of the text was read as."""

from triage.reading.lexicon import compile_lexicon
from triage.reading.reader import NOT_COUNTED, AmbiguousText, Reader, Reading

__all__ = ["NOT_COUNTED", "AmbiguousText", "Reader", "Reading", "compile_lexicon"]
