export type ThemePreference = 'light' | 'dark' | 'system';

const storageKey = 'theme';

export function readThemePreference(): ThemePreference {
  try {
    const saved = localStorage.getItem(storageKey);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  } catch {
    return 'system';
  }
}

/** Saves the choice and applies it at once; "system" hands the decision back to prefers-color-scheme. */
export function applyThemePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, preference);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  if (preference === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = preference;
}
