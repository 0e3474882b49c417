import { Routes } from '@angular/router';
import { adminGuard, authGuard } from './core/auth.guard';
import { LoginComponent } from './login/login.component';
import { StationComponent } from './station/station.component';

export const routes: Routes = [
  { path: 'login', component: LoginComponent, title: 'Sign in · VitalStream' },
  { path: 'station', component: StationComponent, canActivate: [authGuard], title: 'Central station · VitalStream' },
  {
    path: 'patients/:id',
    canActivate: [authGuard],
    loadComponent: () => import('./patient/patient-view.component').then((m) => m.PatientViewComponent),
    title: 'Patient · VitalStream',
  },
  {
    path: 'analysis',
    loadComponent: () => import('./analysis/analysis.component').then((m) => m.AnalysisComponent),
    title: 'File analysis · VitalStream',
  },
  {
    path: 'admin',
    canActivate: [adminGuard],
    loadComponent: () => import('./admin/admin.component').then((m) => m.AdminComponent),
    title: 'Administration · VitalStream',
  },
  { path: '', pathMatch: 'full', redirectTo: 'station' },
  { path: '**', redirectTo: 'station' },
];
