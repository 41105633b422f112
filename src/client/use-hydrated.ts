import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * False while the page is server HTML, true once React runs it. A control whose click only works hydrated
 * renders disabled until then: a click that lands earlier would otherwise do nothing, silently.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
