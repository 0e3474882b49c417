"""Waveform archive: every session's samples, kept as numbered chunk files."""
