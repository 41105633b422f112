'use client';

import { useState } from 'react';
import { TwoFactorDisableForm } from './two-factor-disable-form';
import { TwoFactorEnrolment } from './two-factor-enrolment';

/** The two-factor section: set it up when off, turn it off (with a code) when on. */
export function TwoFactorSettings({ initiallyEnabled }: { initiallyEnabled: boolean }) {
  const [enabled, setEnabled] = useState(initiallyEnabled);
  return (
    <section aria-labelledby="two-factor-heading" data-testid="two-factor" data-enabled={enabled}>
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      <p className="muted small">
        {enabled
          ? 'On: signing in asks for a code from your authenticator app (or a backup code).'
          : 'Off: add a code from an authenticator app to your password when you sign in.'}
      </p>
      {enabled ? (
        <TwoFactorDisableForm onDisabled={() => setEnabled(false)} />
      ) : (
        <TwoFactorEnrolment onEnabled={() => setEnabled(true)} />
      )}
    </section>
  );
}
