"""The commands of `triage`, one module per command (`rules` is a group of its own).

The command group in `triage.cli` lists the modules here and imports one only when its command
runs, so that `triage assess` loads what assessing needs and nothing else. Modules whose name
starts with `_` are shared by the commands: `_options` (option bundles), `_output` (where
answers and error lines go).
"""
