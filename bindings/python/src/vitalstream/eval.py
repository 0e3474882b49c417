"""ANSI/AAMI EC57 beat-by-beat comparison (include/vitalstream/eval.h), scored as PhysioNet's
bxb, and the gross/average figures of sumstats."""
from dataclasses import dataclass
import math
from typing import Any, Dict, Iterable, Optional, Tuple

import numpy as np

from . import _lowlevel as ll
from ._lowlevel import ffi, lib
from .io import as_annotations

__all__ = ["EC57Result", "EC57_CLASSES", "ec57_compare", "ec57_summary"]

#: Row/column labels of the confusion matrix (reference rows, test columns).
EC57_CLASSES = ("N", "S", "V", "F", "Q", "O", "X")

_STAT_FIELDS = ("qrs_se", "qrs_ppv", "veb_se", "veb_ppv", "veb_fpr", "sveb_se", "sveb_ppv",
                "rms_rr_error_ms")


def _stats_dict(st: Any) -> Dict[str, Optional[float]]:
    """Percentages; None where bxb prints '-' (C gives -1)."""
    return {f: (None if getattr(st, f) < 0 else float(getattr(st, f))) for f in _STAT_FIELDS}


@dataclass
class EC57Result:
    """One record's comparison. ``matrix[ref][test]`` uses :data:`EC57_CLASSES` order."""

    tp: int
    fn: int
    fp: int
    matrix: np.ndarray
    rr_error_count: int
    rr_error_sum_sq: float
    match_window_samples: int
    start_sample: int
    end_sample: int
    fs_hz: float
    stats: Dict[str, Optional[float]]
    _c: Any = None  # the vs_ec57_result, for ec57_summary

    @property
    def se(self) -> float:
        """QRS sensitivity in percent (NaN if undefined: no reference beat; ``stats["qrs_se"]``
        is then None)."""
        v = self.stats["qrs_se"]
        return math.nan if v is None else v

    @property
    def ppv(self) -> float:
        """QRS positive predictivity in percent (NaN if undefined: no detected beat)."""
        v = self.stats["qrs_ppv"]
        return math.nan if v is None else v


def ec57_compare(reference: Any, test: Any, fs_hz: float, *, match_window_s: float = 0.15,
                 start_s: float = 300.0, end_s: float = -1.0,
                 record_length_samples: int = 0) -> EC57Result:
    """Compare test beats against reference annotations as bxb does.

    ``reference``/``test``: annotation arrays (:func:`vitalstream.read_annotations`), beat arrays
    from :meth:`QRSDetector.process`, or plain sequences of sample indices (taken as normal
    beats). Both must be sorted. Defaults are EC57's: 150 ms window, 5 min learning period,
    scoring to the end of the record (``record_length_samples``, or the last reference
    annotation if 0)."""
    ref = as_annotations(reference)
    tst = as_annotations(test)
    opt = ffi.new("vs_ec57_options *")
    ll.vs_ec57_default_options(opt)
    opt.match_window_s = float(match_window_s)
    opt.start_s = float(start_s)
    opt.end_s = float(end_s)
    opt.record_length_samples = int(record_length_samples)
    res = ffi.new("vs_ec57_result *")
    ll.vs_ec57_compare(ffi.from_buffer("vs_annotation[]", ref), ref.shape[0],
                       ffi.from_buffer("vs_annotation[]", tst), tst.shape[0],
                       float(fs_hz), opt, res)
    stats = ffi.new("vs_ec57_stats *")
    ll.vs_ec57_result_stats(res, stats)
    n = lib.VS_EC57_NCLASS
    matrix = np.frombuffer(ffi.buffer(res.matrix), dtype=np.int64).reshape(n, n).copy()
    return EC57Result(
        tp=int(res.tp), fn=int(res.fn), fp=int(res.fp), matrix=matrix,
        rr_error_count=int(res.rr_error_count), rr_error_sum_sq=float(res.rr_error_sum_sq),
        match_window_samples=int(res.match_window_samples), start_sample=int(res.start_sample),
        end_sample=int(res.end_sample), fs_hz=float(res.fs_hz), stats=_stats_dict(stats), _c=res,
    )


def ec57_summary(results: Iterable[EC57Result]) -> Tuple[Dict[str, Any], Dict[str, Optional[float]]]:
    """(gross, average) over records, as sumstats: gross = figures of the pooled counts (plus
    ``tp``/``fn``/``fp``), average = mean of each per-record figure where it is defined."""
    s = ffi.new("vs_ec57_summary *")
    ll.vs_ec57_summary_init(s)
    for r in results:
        ll.vs_ec57_summary_add(s, r._c)
    gross, avg = ffi.new("vs_ec57_stats *"), ffi.new("vs_ec57_stats *")
    ll.vs_ec57_summary_stats(s, gross, avg)
    g: Dict[str, Any] = dict(_stats_dict(gross))
    g.update(tp=int(s.gross.tp), fn=int(s.gross.fn), fp=int(s.gross.fp), n_records=int(s.n_records))
    return g, _stats_dict(avg)
