import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { AlarmsStore, AlarmView, priorityWord } from '../core/alarms.store';
import { AuthService } from '../core/auth.service';
import { PatientsStore } from '../core/patients.store';

/** The ward's alarms, most urgent first, with acknowledge and audio pause. */
@Component({
  selector: 'vs-alarm-list',
  imports: [DatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alarm-list.component.html',
  styleUrl: './alarm-list.component.css',
})
export class AlarmListComponent {
  protected readonly alarms = inject(AlarmsStore);
  protected readonly auth = inject(AuthService);
  private readonly patients = inject(PatientsStore);
  private readonly names = computed(() => new Map(this.patients.patients().map((p) => [p.id, p])));

  protected patientLabel(a: AlarmView): string {
    const p = this.names().get(a.patient_id);
    return p ? `${p.bed ? p.bed + ' · ' : ''}${p.name}` : `patient ${a.patient_id}`;
  }

  protected priorityText(a: AlarmView): string {
    return priorityWord(a);
  }

  /** The backend names the acknowledging user by id. */
  protected ackedBy(a: AlarmView): string {
    const by = a.acknowledged_by;
    if (by === null || by === undefined) return '';
    const me = this.auth.user();
    return me && (by === me.id || by === me.username) ? ` by ${me.username}` : ` by user ${by}`;
  }

  /** The alarm's number with its unit (rhythm.h): beats in a VT run or couplet, the RR gap of
   *  a pause or asystole, the length of a signal loss. */
  protected valueText(a: AlarmView): string {
    const v = a.value;
    if (v === null || !Number.isFinite(v)) return '';
    const t = a.type.toLowerCase();
    if (t.startsWith('vt') || t.includes('couplet')) return `${Math.round(v)} beats`;
    if (t.includes('pause') || t.includes('asystole') || t.includes('signal')) return `${(v / 1000).toFixed(1)} s`;
    return '';
  }

  protected ack(a: AlarmView): void {
    void this.alarms.acknowledge(a.id);
  }
}
