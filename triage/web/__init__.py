"""`triage serve`: the HTTP API and the classroom page (imported only by that command)."""
