'use client';

import { useEffect, useState } from 'react';
import { applyThemePreference, readThemePreference, type ThemePreference } from '@/client/theme-preference';

const choices: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function ThemePicker() {
  const [theme, setTheme] = useState<ThemePreference>('system');
  useEffect(() => setTheme(readThemePreference()), []);
  return (
    <fieldset className="theme-picker">
      <legend>Theme</legend>
      {choices.map((choice) => (
        <label key={choice.value} className="radio">
          <input
            type="radio"
            name="theme"
            value={choice.value}
            checked={theme === choice.value}
            data-testid={`theme-${choice.value}`}
            onChange={() => {
              setTheme(choice.value);
              applyThemePreference(choice.value);
            }}
          />
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}
