"""The persistence consumer: worker-tier streams -> PostgreSQL and the waveform archive."""
