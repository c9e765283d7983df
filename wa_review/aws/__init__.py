"""AWS access: credentials and clients, the read-only guard, scope, and the collectors."""
