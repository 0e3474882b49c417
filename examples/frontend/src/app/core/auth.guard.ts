import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Lets a logged-in user through; otherwise tries the refresh cookie (page reload) first. */
export const authGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (auth.loggedIn() || (await auth.refresh())) return true;
  return router.parseUrl('/login');
};

export const adminGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (!auth.loggedIn()) await auth.refresh();
  return auth.isAdmin() ? true : router.parseUrl('/station');
};
