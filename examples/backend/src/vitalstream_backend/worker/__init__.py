"""The stateless worker tier: consumes chunk streams, runs Monitor, commits atomically."""
