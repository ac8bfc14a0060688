"""The wizard's pages, one module per area: `dashboard` (the list, start, resume, discard),
`steps` (each step and check answers), `home` (submit, the created home, its price signal),
`changes` (changing a created home: the change page, its confirmation, sending) and `support`
(the resolve page and one small view per support action)."""
