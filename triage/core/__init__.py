"""The inference core: typed facts and conditions (`facts`), and the one module that drives
durable_rules' C engine (`adapter`). The engine that compiles the knowledge base into rulesets
is `triage.engine`."""
