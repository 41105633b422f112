import { randomUUID } from 'node:crypto';
import { auth } from '@/server/auth';
import { createCaller } from '@/server/router';
import { createContext } from '@/server/trpc';

export const APP_ORIGIN = 'http://localhost:3000';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  /** Request headers of this user's browser: session cookie and the app's Origin. */
  headers: Headers;
}

/** Turns Set-Cookie headers into the Cookie header a browser would send back. */
export function cookieHeader(setCookies: string[]): string {
  return setCookies.map((cookie) => cookie.split(';')[0]).join('; ');
}

/** Signs a new user up through BetterAuth itself, as the browser would. */
export async function signUpUser(name = 'Test User'): Promise<TestUser> {
  const email = `user-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const { headers, response } = await auth().api.signUpEmail({
    body: { email, password, name },
    returnHeaders: true,
  });
  return {
    id: response.user.id,
    email,
    password,
    headers: new Headers({ cookie: cookieHeader(headers.getSetCookie()), origin: APP_ORIGIN }),
  };
}

/** A tRPC caller with the context a request carrying `headers` would get. */
export async function callerFor(headers: Headers) {
  return createCaller(await createContext({ headers, resHeaders: new Headers() }));
}

export function anonymousHeaders(): Headers {
  return new Headers({ origin: APP_ORIGIN });
}
