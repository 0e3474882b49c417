// Shapes of the backend's JSON (the API contract of examples/backend; see its README).

export type Role = 'admin' | 'clinician' | 'viewer';

export interface User {
  id: number;
  username: string;
  role: Role;
  active: boolean;
  created_at: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  user: User;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface Patient {
  id: number;
  mrn: string;
  name: string;
  birth_date: string | null;
  sex: 'F' | 'M' | 'X' | 'U';
  ward: string | null;
  bed: string | null;
  created_at: string;
  active_session_id: number | null;
  fs?: number | null;
  active_alarms: number;
}

export interface Session {
  id: number;
  patient_id: number;
  device_id: number | null;
  fs: number;
  started_at: string;
  ended_at: string | null;
  status: 'active' | 'ended' | 'error';
  samples: number;
}

export type Severity = 'critical' | 'warning' | 'advisory';
export type AlarmState = 'active' | 'acknowledged' | 'resolved';

export interface Alarm {
  id: number;
  patient_id: number;
  session_id: number | null;
  /** The library's name: "VT alarm", "asystole", "pause", "couplet", "signal lost", ... */
  type: string;
  severity: Severity;
  /** Equipment/signal problem rather than the patient's condition. */
  technical?: boolean;
  onset_at: string;
  offset_at: string | null;
  value: number | null;
  acknowledged_by: string | number | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
  state: AlarmState;
}

export interface Waveform {
  session_id: number;
  fs: number;
  start_sample: number;
  /** mV; null = missing sample. */
  samples: (number | null)[];
}

export interface TrendPoint {
  minute: string;
  hr_bpm: number | null;
  beats: number;
  sdnn_ms: number | null;
  rmssd_ms: number | null;
  session_id: number;
}

export interface Episode {
  rhythm: string;
  onset_at: string;
  offset_at: string | null;
  session_id: number;
}

/** Messages of the live ECG WebSocket (/ws/ecg). */
export interface WaveformMessage {
  type: 'waveform';
  patient_id: number;
  session_id: number;
  seq: number;
  fs: number;
  start_sample: number;
  samples: (number | null)[];
}

export interface LiveBeat {
  sample: number;
  class: string;
}

export interface BeatsMessage {
  type: 'beats';
  patient_id: number;
  session_id?: number;
  beats: LiveBeat[];
  hr_bpm: number | null;
  rhythm?: string;
  quality?: string;
}

export type LiveMessage =
  | WaveformMessage
  | BeatsMessage
  | AlarmChange
  | { type: 'error'; message: string };

/** An alarm change, on SSE (`event: alarm`) and on the WebSocket. */
export interface AlarmChange {
  type: 'alarm';
  change: 'raised' | 'ended' | 'acknowledged' | 'resolved';
  alarm: Alarm;
  t_sent?: number;
}
