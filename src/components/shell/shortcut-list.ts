/** The app's keyboard shortcuts (the same keys as the best-known chat apps), listed in settings. */
export const shortcutList = [
  { keys: 'Ctrl/⌘ + Shift + O', action: 'New chat' },
  { keys: 'Shift + Esc', action: 'Focus the message box' },
  { keys: 'Ctrl/⌘ + Shift + S', action: 'Show or hide the sidebar' },
] as const;
