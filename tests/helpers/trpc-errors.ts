import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

/** Awaits `promise` and asserts it fails with the tRPC `code` (and, when given, a message matching `message`). */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code'], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (message) expect((error as TRPCError).message).toMatch(message);
  return error as TRPCError;
}
