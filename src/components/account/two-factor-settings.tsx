'use client';

import { useState } from 'react';
import { TwoFactorDisableForm } from './two-factor-disable-form';
import { TwoFactorEnrolment } from './two-factor-enrolment';

/** The two-factor section: set it up when off, turn it off (with a code) when on. */
export function TwoFactorSettings({ initiallyEnabled }: { initiallyEnabled: boolean }) {
  const [enabled, setEnabled] = useState(initiallyEnabled);
  // Two-factor is on from the confirmed code; the backup codes stay on screen until the user has saved them.
  const [showingBackupCodes, setShowingBackupCodes] = useState(false);
  return (
    <section aria-labelledby="two-factor-heading" data-testid="two-factor" data-enabled={enabled}>
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      <p className="muted small" data-testid="two-factor-state">
        {enabled
          ? 'On: signing in asks for a code from your authenticator app (or a backup code).'
          : 'Off: add a code from an authenticator app to your password when you sign in.'}
      </p>
      {enabled && !showingBackupCodes ? (
        <TwoFactorDisableForm onDisabled={() => setEnabled(false)} />
      ) : (
        <TwoFactorEnrolment
          onEnabled={() => {
            setEnabled(true);
            setShowingBackupCodes(true);
          }}
          onDone={() => setShowingBackupCodes(false)}
        />
      )}
    </section>
  );
}
