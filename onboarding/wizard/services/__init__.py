"""Business actions on onboardings, one concept per module:

- `status`: the one function that changes an onboarding's status (compare-and-set).
- `history`: what the history records (Event actions and outcomes) and how.
- `submission`: sending an onboarding to WattShift exactly once.
- `reconciliation`: finding out from homes/list what a create with an unknown outcome did.
- `recovery`: releasing a submission or a change whose worker died.
- `resolution`: support's decisions on an onboarding that needs attention.
- `edits`: changing a created home through homes/{id}/update, each change sent once.
- `drafts`: starting and discarding drafts.
- `prices`: the price signal of a created home, with its history.

Read-only queries live in `onboarding.wizard.selectors`.
"""
