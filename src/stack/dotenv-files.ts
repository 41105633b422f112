import nextEnv from '@next/env';
import { projectRoot } from './project-paths';

/**
 * Loads the project's .env files into this process the way Next does (same files, same order, never over a
 * variable already set), so the launchers and CLIs agree with Next on ports, data dir and secrets.
 */
export function loadDotEnvFiles(dev: boolean): void {
  nextEnv.loadEnvConfig(projectRoot, dev, { info: () => {}, error: console.error });
}
