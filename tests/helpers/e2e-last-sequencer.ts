import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs the browser tests after all others: their app is built in the background meanwhile
 * (tests/helpers/e2e-setup.ts), so the build overlaps the other tests instead of delaying them all.
 */
export class E2eLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isBrowserTest = (file: TestSpecification) => file.moduleId.includes('/tests/e2e/');
    return [...sorted.filter((file) => !isBrowserTest(file)), ...sorted.filter(isBrowserTest)];
  }
}
