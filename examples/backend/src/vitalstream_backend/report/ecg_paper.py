"""Drawing an ECG strip on standard paper: 1 mm / 5 mm grid, 25 mm/s, 10 mm/mV, with a
1 mV calibration pulse, as a 12-lead printer would."""
from __future__ import annotations

import numpy as np
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

PAPER_SPEED_MM_S = 25.0
GAIN_MM_MV = 10.0
MINOR = Color(1.0, 0.80, 0.80)
MAJOR = Color(0.95, 0.55, 0.55)
TRACE = Color(0, 0, 0)
MARK = Color(0.1, 0.3, 0.9)
CAL_S = 0.2  # calibration pulse: 1 mV for 200 ms (5 mm wide, 10 mm tall)


OVERSHOOT_MM = 6.0  # tall QRS complexes may run past the grid, as on paper, but not into the next strip


def strip_seconds(width_mm: float) -> float:
    """Seconds of signal a strip of this width shows after its calibration pulse."""
    return (width_mm - 2.0 - CAL_S * PAPER_SPEED_MM_S) / PAPER_SPEED_MM_S


def draw_grid(c: Canvas, x: float, y: float, width_mm: int, height_mm: int) -> None:
    """Grid with its lower left corner at (x, y) in points."""
    c.saveState()
    for step, colour, lw in ((1, MINOR, 0.25), (5, MAJOR, 0.6)):
        c.setStrokeColor(colour)
        c.setLineWidth(lw)
        for i in range(0, width_mm + 1, step):
            c.line(x + i * mm, y, x + i * mm, y + height_mm * mm)
        for j in range(0, height_mm + 1, step):
            c.line(x, y + j * mm, x + width_mm * mm, y + j * mm)
    c.restoreState()


def draw_strip(c: Canvas, x: float, y: float, width_mm: int, height_mm: int, signal_mv: np.ndarray,
               fs: int, t0_s: float, marker_s: float | None = None, label: str = "") -> None:
    """Signal from time t0_s drawn at 25 mm/s and 10 mm/mV, baseline at mid-height (the strip's
    median removed so a wandering baseline stays on the paper); NaN samples leave gaps;
    marker_s draws a vertical line at that time."""
    draw_grid(c, x, y, width_mm, height_mm)
    mid = y + height_mm * mm / 2
    cal_w = CAL_S * PAPER_SPEED_MM_S * mm
    c.saveState()
    c.setStrokeColor(TRACE)
    c.setLineWidth(0.7)
    # Calibration pulse at the left edge.
    path = c.beginPath()
    path.moveTo(x, mid)
    path.lineTo(x + 1 * mm, mid)
    path.lineTo(x + 1 * mm, mid + GAIN_MM_MV * mm)
    path.lineTo(x + 1 * mm + cal_w, mid + GAIN_MM_MV * mm)
    path.lineTo(x + 1 * mm + cal_w, mid)
    path.lineTo(x + 2 * mm + cal_w, mid)
    c.drawPath(path, stroke=1, fill=0)
    x0 = x + 2 * mm + cal_w
    seconds = strip_seconds(width_mm)
    n = min(len(signal_mv), int(seconds * fs))
    sig = np.asarray(signal_mv[:n], dtype=np.float64)
    finite = sig[np.isfinite(sig)]
    base = float(np.median(finite)) if len(finite) else 0.0
    half = (height_mm / 2 + OVERSHOOT_MM) * mm
    ys = np.clip((sig - base) * GAIN_MM_MV * mm, -half, half) + mid
    xs = x0 + np.arange(n) / fs * PAPER_SPEED_MM_S * mm
    path = c.beginPath()
    pen = False
    for xi, yi in zip(xs.tolist(), ys.tolist()):
        if yi != yi:
            pen = False
            continue
        if pen:
            path.lineTo(xi, yi)
        else:
            path.moveTo(xi, yi)
            pen = True
    c.drawPath(path, stroke=1, fill=0)
    if marker_s is not None and t0_s <= marker_s <= t0_s + seconds:
        xm = x0 + (marker_s - t0_s) * PAPER_SPEED_MM_S * mm
        c.setStrokeColor(MARK)
        c.setLineWidth(1.0)
        c.setDash(3, 2)
        c.line(xm, y, xm, y + height_mm * mm)
    c.restoreState()
    c.setFont("Helvetica", 7)
    c.drawString(x, y + (height_mm + OVERSHOOT_MM + 1.5) * mm,
                 f"{label}   25 mm/s   10 mm/mV   t = {t0_s:.1f} s .. {t0_s + seconds:.1f} s")
