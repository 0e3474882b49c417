import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { firstValueFrom } from 'rxjs';
import { Page, Patient, Role, User } from '../core/api.types';
import { PatientsStore, describeError } from '../core/patients.store';

/** Users and patients (admin only: the route guard and the backend both check the role). */
@Component({
  selector: 'vs-admin',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './admin.component.html',
  styleUrl: './admin.component.css',
})
export class AdminComponent implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly patientsStore = inject(PatientsStore);
  protected readonly users = signal<User[]>([]);
  protected readonly patients = this.patientsStore.patients;
  protected readonly message = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly roles: Role[] = ['viewer', 'clinician', 'admin'];
  protected newUser = { username: '', password: '', role: 'clinician' as Role };
  protected newPatient = { mrn: '', name: '', birth_date: '', sex: 'U', ward: '', bed: '' };

  ngOnInit(): void {
    void this.loadUsers();
    void this.patientsStore.load();
  }

  protected async addUser(): Promise<void> {
    await this.run(`User ${this.newUser.username} created`, async () => {
      await firstValueFrom(this.http.post<User>('/api/users', this.newUser));
      this.newUser = { username: '', password: '', role: 'clinician' };
      await this.loadUsers();
    });
  }

  protected async setRole(u: User, role: Role): Promise<void> {
    await this.run(`${u.username} is now ${role}`, async () => {
      await firstValueFrom(this.http.patch<User>(`/api/users/${u.id}`, { role }));
      await this.loadUsers();
    });
  }

  protected async setActive(u: User, active: boolean): Promise<void> {
    await this.run(`${u.username} ${active ? 'activated' : 'deactivated'}`, async () => {
      await firstValueFrom(this.http.patch<User>(`/api/users/${u.id}`, { active }));
      await this.loadUsers();
    });
  }

  protected async addPatient(): Promise<void> {
    const p = this.newPatient;
    await this.run(`Patient ${p.name} admitted`, async () => {
      await firstValueFrom(this.http.post<Patient>('/api/patients', {
        mrn: p.mrn, name: p.name, birth_date: p.birth_date || null, sex: p.sex,
        ward: p.ward || null, bed: p.bed || null,
      }));
      this.newPatient = { mrn: '', name: '', birth_date: '', sex: 'U', ward: '', bed: '' };
      await this.patientsStore.load();
    });
  }

  protected async moveBed(p: Patient, bed: string): Promise<void> {
    await this.run(`${p.name} moved to bed ${bed}`, async () => {
      await firstValueFrom(this.http.patch<Patient>(`/api/patients/${p.id}`, { bed: bed || null }));
      await this.patientsStore.load();
    });
  }

  protected async removePatient(p: Patient): Promise<void> {
    if (!confirm(`Delete patient ${p.name} (MRN ${p.mrn}) and their records?`)) return;
    await this.run(`Patient ${p.name} deleted`, async () => {
      await firstValueFrom(this.http.delete(`/api/patients/${p.id}`));
      await this.patientsStore.load();
    });
  }

  private async loadUsers(): Promise<void> {
    try {
      const res = await firstValueFrom(this.http.get<Page<User> | User[]>('/api/users', { params: { page_size: 200 } }));
      this.users.set(Array.isArray(res) ? res : res.items);
    } catch (e) {
      this.error.set(`Could not load users: ${describeError(e)}`);
    }
  }

  private async run(done: string, action: () => Promise<void>): Promise<void> {
    this.error.set(null);
    this.message.set(null);
    try {
      await action();
      this.message.set(done);
    } catch (e) {
      this.error.set(describeError(e));
    }
  }
}
