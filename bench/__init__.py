"""`make bench`: the wizard timed step by step against a real upstream, beside a floor view.

Nothing here is imported by `onboarding/`: the bench runs the project with `bench.settings`,
which adds the floor view and the SQL counter. `run.py` starts and stops every process.
"""
