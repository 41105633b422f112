import { env } from './env';

/**
 * Runs once when a Next server starts: a bad environment, or demo secrets in production, stops the server
 * here with every problem named, instead of failing each request.
 */
export function register() {
  try {
    env();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
