"""E-mail notifications: written to an outbox in the changing transaction, sent by a worker."""
