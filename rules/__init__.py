"""The knowledge base: declarative YAML data, shipped inside the package as `triage.rules`."""
