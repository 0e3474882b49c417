import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { AuthService } from './auth.service';

const isAuthCall = (req: HttpRequest<unknown>): boolean => req.url.startsWith('/api/auth/') &&
  !req.url.startsWith('/api/auth/me') && !req.url.startsWith('/api/auth/stream-ticket');

/** Adds the bearer token to API calls; on 401 refreshes once and retries, else goes to login. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (!req.url.startsWith('/api/') || (isAuthCall(req) && !req.url.endsWith('/logout'))) {
    return next(req);
  }
  const withToken = (token: string | null): HttpRequest<unknown> =>
    token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;

  return next(withToken(auth.accessToken())).pipe(
    catchError((err: unknown) => {
      if (!(err instanceof HttpErrorResponse) || err.status !== 401 || isAuthCall(req)) {
        return throwError(() => err);
      }
      return from(auth.refresh()).pipe(
        switchMap((ok) => {
          if (!ok) {
            void router.navigateByUrl('/login');
            return throwError(() => err);
          }
          return next(withToken(auth.accessToken()));
        }),
      );
    }),
  );
};
