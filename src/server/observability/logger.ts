import 'server-only';
import pino, { type Logger } from 'pino';
import { env } from '@/env';

export type { Logger } from 'pino';

/**
 * Field names whose values never reach a log line, wherever they appear (two levels deep), in case one is
 * ever passed in by mistake: credentials, and what people wrote to the model.
 */
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'cookie',
  'authorization',
  'apikey',
  'content',
  'prompt',
  'messages',
];
const redactPaths = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

/** JSON lines on stdout (one object a line, ISO time), for whatever collects the container's output. */
export function createLogger(destination: pino.DestinationStream = process.stdout): Logger {
  return pino(
    {
      level: env().LOG_LEVEL,
      base: { service: 'chattwelve' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    destination,
  );
}

const globalForLogger = globalThis as unknown as { chattwelveLogger?: Logger };

/** The app's one logger (kept across Next dev reloads). */
export function logger(): Logger {
  globalForLogger.chattwelveLogger ??= createLogger();
  return globalForLogger.chattwelveLogger;
}

/**
 * An error as a log field: its kind, message and stack, and a Postgres error's code — never the `detail` of a
 * Postgres error, which quotes the offending row's values (message contents included).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: error.stack,
  };
}
