"""VitalStream backend: stream workers on Redis Streams (and the web API)."""
