"""Prometheus metrics of a worker (served on --metrics-port)."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Buckets fine enough to read p50/p99 of chunk-to-events latency around the 200 ms target.
LATENCY_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175,
                   0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0, 30.0)

ENTRIES = Counter("vs_worker_entries_total", "Shard entries handled, by kind and outcome",
                  ["kind", "outcome"])
CHUNKS = Counter("vs_worker_chunks_total", "ECG chunks processed and committed")
LATENCY = Histogram("vs_worker_chunk_latency_seconds",
                    "Producer submission to committed events, per chunk", buckets=LATENCY_BUCKETS)
BATCH_SECONDS = Histogram("vs_worker_batch_seconds", "Time to handle one XREADGROUP batch")
REDELIVERIES = Counter("vs_worker_redeliveries_total",
                       "Entries taken over from other consumers (XAUTOCLAIM)")
DUPLICATES = Counter("vs_worker_duplicates_skipped_total",
                     "Entries already committed (duplicate deliveries), acknowledged unprocessed")
CONFLICTS = Counter("vs_worker_commit_conflicts_total",
                    "Commits refused by the compare-and-set (another worker was first)")
DEAD_LETTERS = Counter("vs_worker_dead_letters_total", "Entries moved to the dead-letter stream")
WAITING = Gauge("vs_worker_waiting_entries", "Entries held back until their predecessor is done")
PENDING = Gauge("vs_worker_pending_entries", "Pending (unacknowledged) entries of the group",
                ["shard"])
LAG = Gauge("vs_worker_stream_lag", "Entries of the shard not yet delivered to the group",
            ["shard"])
HOT_MONITORS = Gauge("vs_worker_hot_monitors", "Monitor objects kept in memory")
REDIS_ERRORS = Counter("vs_worker_redis_errors_total", "Redis errors (connection lost, ...)")
