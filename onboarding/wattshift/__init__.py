"""The WattShift API client: typed answers, typed errors, no secrets in sight.

Import from its modules: `client` (the endpoints, `get_client()`), `types` (answers and what is
sent), `errors` (failures), `transport`, `schema`, `tokens`."""
