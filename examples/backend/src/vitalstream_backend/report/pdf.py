"""The per-session PDF report: patient/session header, heart-rate trend, HRV table, rhythm
episodes and alarm list (A4 portrait), then one A4 landscape page per critical alarm with the
ECG around its onset on standard paper."""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import vitalstream
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .ecg_paper import draw_strip, strip_seconds

MAX_STRIP_PAGES = 40
STRIP_WIDTH_MM = 265
STRIP_BEFORE_S = 4.0
GREY = Color(0.45, 0.45, 0.45)
LIGHT = Color(0.85, 0.85, 0.85)
ACCENT = Color(0.8, 0.1, 0.1)

HRV_ROWS = (("n_nn", "NN intervals", ""), ("mean_nn_ms", "Mean NN", "ms"), ("sdnn_ms", "SDNN", "ms"),
            ("rmssd_ms", "RMSSD", "ms"), ("pnn50_pct", "pNN50", "%"), ("hr_mean_bpm", "Mean HR", "bpm"),
            ("hr_min_bpm", "Min HR", "bpm"), ("hr_max_bpm", "Max HR", "bpm"), ("lf_ms2", "LF power", "ms²"),
            ("hf_ms2", "HF power", "ms²"), ("lf_hf", "LF/HF", ""), ("sd1_ms", "Poincaré SD1", "ms"),
            ("sd2_ms", "Poincaré SD2", "ms"))


@dataclass(frozen=True)
class PatientInfo:
    name: str
    mrn: str
    birth_date: date | None
    sex: str
    ward: str | None
    bed: str | None


@dataclass(frozen=True)
class SessionInfo:
    id: int
    fs: int
    started_at: datetime
    ended_at: datetime | None
    status: str
    device: str | None


@dataclass(frozen=True)
class AlarmLine:
    type: str
    severity: str
    onset_sample: int
    value: float | None
    state: str
    acknowledged_by: str | None


@dataclass(frozen=True)
class EpisodeLine:
    rhythm: str
    onset_sample: int
    offset_sample: int | None


def minute_hr(beats_sample: np.ndarray, rr_ms: np.ndarray, fs: int, n_minutes: int) -> np.ndarray:
    """Mean heart rate per minute (NaN for minutes without beats) from beat RR intervals."""
    hr = np.full(n_minutes, np.nan)
    minutes = (beats_sample // (fs * 60)).astype(np.int64)
    ok = (rr_ms > 200) & (rr_ms < 3000)
    for m in range(n_minutes):
        sel = (minutes == m) & ok
        if sel.any():
            hr[m] = 60000.0 / float(np.mean(rr_ms[sel]))
    return hr


def episodes_from_events(events: np.ndarray) -> list[EpisodeLine]:
    rows = events[events["type"] == vitalstream.EVENT_RHYTHM]
    out: dict[tuple[int, int], EpisodeLine] = {}
    for r in rows:
        key = (int(r["code"]), int(r["sample_idx"]))
        end = int(r["end_idx"])
        out[key] = EpisodeLine(vitalstream.rhythm_type_name(int(r["code"])), key[1], end if end >= 0 else None)
    return sorted(out.values(), key=lambda e: e.onset_sample)


def _fmt_time(start: datetime, sample: int, fs: int) -> str:
    t = start + timedelta(seconds=sample / fs)
    return t.strftime("%H:%M:%S")


def _fmt_dur(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class _Doc:
    def __init__(self, title: str) -> None:
        self.buf = io.BytesIO()
        self.c = Canvas(self.buf, pagesize=A4, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("VitalStream")
        self.page = 0
        self.y = 0.0
        self.title = title
        self.width, self.height = A4

    def new_page(self, size: tuple[float, float] = A4) -> None:
        if self.page:
            self._footer()
            self.c.showPage()
        self.c.setPageSize(size)
        self.width, self.height = size
        self.page += 1
        self.y = self.height - 15 * mm
        self.c.setFont("Helvetica-Bold", 9)
        self.c.drawString(15 * mm, self.height - 10 * mm, self.title)

    def _footer(self) -> None:
        self.c.setFont("Helvetica", 7)
        self.c.setFillColor(GREY)
        self.c.drawRightString(self.width - 15 * mm, 8 * mm, f"page {self.page}")
        self.c.drawString(15 * mm, 8 * mm, "VitalStream — decision support; confirm findings clinically")
        self.c.setFillColor(black)

    def need(self, height: float) -> None:
        if self.y - height < 18 * mm:
            self.new_page()

    def heading(self, text: str) -> None:
        self.need(14 * mm)
        self.y -= 7 * mm
        self.c.setFont("Helvetica-Bold", 12)
        self.c.drawString(15 * mm, self.y, text)
        self.y -= 2 * mm
        self.c.setStrokeColor(LIGHT)
        self.c.line(15 * mm, self.y, self.width - 15 * mm, self.y)
        self.c.setStrokeColor(black)
        self.y -= 4 * mm

    def table(self, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> None:
        def line(cells: list[str], bold: bool) -> None:
            self.need(5 * mm)
            self.c.setFont("Helvetica-Bold" if bold else "Helvetica", 8.5)
            x = 15 * mm
            for cell, w in zip(cells, widths_mm):
                self.c.drawString(x, self.y, cell[:int(w * 0.55)])
                x += w * mm
            self.y -= 4.6 * mm
        line(header, True)
        if not rows:
            line(["(none)"], False)
        for row in rows:
            line(row, False)

    def finish(self) -> bytes:
        self._footer()
        self.c.save()
        return self.buf.getvalue()


def _hr_plot(doc: _Doc, hr: np.ndarray) -> None:
    c = doc.c
    w, h = doc.width - 45 * mm, 55 * mm
    doc.need(h + 15 * mm)
    x0, y0 = 30 * mm, doc.y - h
    finite = hr[np.isfinite(hr)]
    lo = 30.0 if not len(finite) else max(0.0, 10 * math.floor((finite.min() - 10) / 10))
    hi = 150.0 if not len(finite) else 10 * math.ceil((finite.max() + 10) / 10)
    c.setStrokeColor(LIGHT)
    c.setFont("Helvetica", 7)
    step = max(10, int((hi - lo) / 6 // 10 * 10) or 10)
    for v in np.arange(lo, hi + 0.1, step):
        yy = y0 + (v - lo) / (hi - lo) * h
        c.line(x0, yy, x0 + w, yy)
        c.drawRightString(x0 - 2 * mm, yy - 2, f"{v:.0f}")
    n = len(hr)
    tick = max(1, int(math.ceil(n / 10)))
    for m in range(0, n + 1, tick):
        xx = x0 + (m / max(n, 1)) * w
        c.drawCentredString(xx, y0 - 4 * mm, f"{m}")
    c.setStrokeColor(black)
    c.rect(x0, y0, w, h, stroke=1, fill=0)
    c.drawString(x0 + w / 2 - 10 * mm, y0 - 8 * mm, "minutes from start")
    c.saveState()
    c.translate(x0 - 10 * mm, y0 + h / 2)
    c.rotate(90)
    c.drawCentredString(0, 0, "heart rate (bpm)")
    c.restoreState()
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    path = c.beginPath()
    pen = False
    for m, v in enumerate(hr.tolist()):
        if v != v:
            pen = False
            continue
        xx = x0 + ((m + 0.5) / max(n, 1)) * w
        yy = y0 + (v - lo) / (hi - lo) * h
        if pen:
            path.lineTo(xx, yy)
        else:
            path.moveTo(xx, yy)
            pen = True
        c.circle(xx, yy, 0.6, stroke=1, fill=1) if n <= 120 else None
    c.drawPath(path, stroke=1, fill=0)
    c.setStrokeColor(black)
    c.setLineWidth(1)
    doc.y = y0 - 12 * mm


def build_report(patient: PatientInfo, session: SessionInfo, signal: np.ndarray, events: np.ndarray,
                 hrv: dict[str, float], alarms: list[AlarmLine], generated_at: datetime,
                 generated_by: str) -> bytes:
    fs = session.fs
    doc = _Doc(f"VitalStream ECG report — {patient.name} (MRN {patient.mrn}) — session {session.id}")
    doc.new_page()
    c = doc.c
    c.setFont("Helvetica-Bold", 16)
    doc.y -= 6 * mm
    c.drawString(15 * mm, doc.y, "ECG monitoring session report")
    doc.y -= 4 * mm
    duration = len(signal) / fs
    info = [
        ("Patient", patient.name), ("MRN", patient.mrn),
        ("Birth date", patient.birth_date.isoformat() if patient.birth_date else "—"),
        ("Sex", patient.sex), ("Ward / bed", f"{patient.ward or '—'} / {patient.bed or '—'}"),
        ("Session", f"#{session.id} ({session.status})"),
        ("Start", session.started_at.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("End", session.ended_at.strftime("%Y-%m-%d %H:%M:%S UTC") if session.ended_at else "running"),
        ("Recorded", f"{_fmt_dur(duration)} at {fs} Hz"), ("Device", session.device or "—"),
        ("Generated", f"{generated_at.strftime('%Y-%m-%d %H:%M:%S UTC')} by {generated_by}"),
    ]
    for i, (k, v) in enumerate(info):
        col, row = i % 2, i // 2
        yy = doc.y - 5 * mm - row * 5 * mm
        xx = 15 * mm + col * 95 * mm
        c.setFont("Helvetica-Bold", 9)
        c.drawString(xx, yy, k)
        c.setFont("Helvetica", 9)
        c.drawString(xx + 25 * mm, yy, str(v)[:48])
    doc.y -= 5 * mm + (len(info) + 1) // 2 * 5 * mm

    beats = events[events["type"] == vitalstream.EVENT_BEAT]
    n_minutes = max(1, int(math.ceil(duration / 60)))
    hr = minute_hr(beats["sample_idx"], beats["value"].astype(np.float64), fs, n_minutes)
    doc.heading("Heart-rate trend (mean per minute)")
    _hr_plot(doc, hr)

    doc.heading("Heart-rate variability (whole session, normal-to-normal intervals)")
    classes = [vitalstream.aami_class_name(int(k)) for k in beats["code"]]
    counts = {k: classes.count(k) for k in ("N", "S", "V", "F", "Q")}
    rows = [[label, "—" if not math.isfinite(hrv.get(key, math.nan))
             else f"{hrv[key]:.0f}" if not unit else f"{hrv[key]:.1f} {unit}"]
            for key, label, unit in HRV_ROWS if key in hrv]
    rows.append(["Beats (N/S/V/F/Q)", f"{len(beats)} ({'/'.join(str(counts[k]) for k in 'NSVFQ')})"])
    doc.table(["Index", "Value"], rows, [60, 60])

    episodes = episodes_from_events(events)
    doc.heading(f"Rhythm episodes ({len(episodes)})")
    doc.table(["Rhythm", "Onset", "Offset", "Duration"],
              [[e.rhythm, _fmt_time(session.started_at, e.onset_sample, fs),
                _fmt_time(session.started_at, e.offset_sample, fs) if e.offset_sample is not None else "open",
                _fmt_dur(((e.offset_sample if e.offset_sample is not None else len(signal)) - e.onset_sample) / fs)]
               for e in episodes[:200]], [45, 35, 35, 35])

    doc.heading(f"Alarms ({len(alarms)})")
    doc.table(["Time", "Type", "Severity", "Value", "State", "Acknowledged by"],
              [[_fmt_time(session.started_at, a.onset_sample, fs), a.type, a.severity,
                "—" if a.value is None or a.value != a.value else f"{a.value:.0f}", a.state,
                a.acknowledged_by or "—"] for a in alarms[:300]], [25, 35, 25, 20, 30, 40])

    critical = [a for a in alarms if a.severity == "critical"][:MAX_STRIP_PAGES]
    for a in critical:
        doc.new_page(landscape(A4))
        c = doc.c
        c.setFont("Helvetica-Bold", 13)
        c.drawString(15 * mm, doc.height - 20 * mm,
                     f"Critical alarm: {a.type} at {_fmt_time(session.started_at, a.onset_sample, fs)} "
                     f"(t = {a.onset_sample / fs:.1f} s)")
        c.setFont("Helvetica", 9)
        c.drawString(15 * mm, doc.height - 26 * mm,
                     f"{patient.name}, MRN {patient.mrn} — dashed line: alarm onset — state {a.state}")
        t0 = max(0.0, a.onset_sample / fs - STRIP_BEFORE_S)
        for strip in range(3):
            start_s = t0 + strip * strip_seconds(STRIP_WIDTH_MM)
            first = int(round(start_s * fs))
            draw_strip(c, 15 * mm, doc.height - (78 + strip * 58) * mm, STRIP_WIDTH_MM, 40,
                       signal[first:first + int(11 * fs)], fs, start_s, a.onset_sample / fs,
                       label=f"ECG strip {strip + 1}")
    return doc.finish()
