"""`make bench-scale`: the pages of finding and fixing an onboarding, timed at N onboardings
(100 to 100,000) beside the floor view, and how their cost changes with N.

`run` is the command (one process per size, each database dropped after it), `size` measures one
size, `fill` writes the onboardings through the models, `pages` says what is asked and asks it,
`report` prints the tables. Nothing here is imported by `onboarding/`.
"""
