'use client';

import { type FormEvent, useState } from 'react';
import { authClient } from '@/client/auth-client';
import { CopyButton } from '@/components/ui/copy-button';
import { TotpQrCode } from './totp-qr-code';
import { totpSecretOf } from './totp-secret';

type Step =
  | { kind: 'password' }
  | { kind: 'scan'; totpUri: string; backupCodes: string[] }
  | { kind: 'backup-codes'; backupCodes: string[] };

/** The codes as a file or clipboard text: one per line, with what they are for. */
function backupCodesText(codes: string[]): string {
  return `ChatTwelve backup codes (each signs you in once):\n${codes.join('\n')}\n`;
}

/** Turning two-factor on: password → scan the QR code → confirm with a first code → backup codes, shown once. */
export function TwoFactorEnrolment({ onEnabled, onDone }: { onEnabled(): void; onDone(): void }) {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function startEnrolment(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password'));
    setPending(true);
    setError(null);
    const result = await authClient.twoFactor.enable({ password });
    setPending(false);
    if (result.error) return setError(result.error.message ?? 'Could not start two-factor set-up');
    if (result.data.method !== 'totp')
      return setError('Two-factor set-up answered without an authenticator key');
    setStep({ kind: 'scan', totpUri: result.data.totpURI, backupCodes: result.data.backupCodes });
  }

  async function confirmCode(event: FormEvent<HTMLFormElement>, backupCodes: string[]) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code')).trim();
    setPending(true);
    setError(null);
    const result = await authClient.twoFactor.verifyTotp({ code });
    setPending(false);
    if (result.error) return setError(result.error.message ?? 'That code is not right');
    setStep({ kind: 'backup-codes', backupCodes });
    onEnabled();
  }

  const errorLine = error && (
    <p className="error small" role="alert">
      {error}
    </p>
  );

  if (step.kind === 'password') {
    return (
      <form onSubmit={startEnrolment} aria-label="Turn on two-factor">
        <label>
          Your password
          <input
            name="password"
            type="password"
            required
            autoComplete="current-password"
            data-testid="two-factor-password"
          />
        </label>
        {errorLine}
        <button type="submit" disabled={pending} data-testid="two-factor-enable">
          Set up two-factor
        </button>
      </form>
    );
  }

  if (step.kind === 'scan') {
    return (
      <form onSubmit={(event) => confirmCode(event, step.backupCodes)} aria-label="Confirm two-factor">
        <p className="small">Scan this with your authenticator app, then enter the 6-digit code it shows.</p>
        <div className="row">
          <TotpQrCode uri={step.totpUri} />
          <div className="small">
            <p className="muted">Can’t scan? Enter this key instead:</p>
            <code data-testid="two-factor-secret">{totpSecretOf(step.totpUri)}</code>
            <p>
              <a href={step.totpUri} data-testid="two-factor-uri">
                Open in an authenticator app
              </a>
            </p>
          </div>
        </div>
        <label>
          Code from the app
          <input
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            required
            maxLength={6}
            data-testid="two-factor-code"
          />
        </label>
        {errorLine}
        <button type="submit" disabled={pending} data-testid="two-factor-confirm">
          Turn on two-factor
        </button>
      </form>
    );
  }

  return (
    <div data-testid="backup-codes">
      <p className="small">
        Keep these backup codes somewhere safe: each signs you in once if you lose your phone. They are not
        shown again.
      </p>
      <ul className="backup-codes">
        {step.backupCodes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="row">
        <CopyButton label="Copy backup codes" text={() => backupCodesText(step.backupCodes)} />
        <a
          className="button secondary small"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(backupCodesText(step.backupCodes))}`}
          download="chattwelve-backup-codes.txt"
          data-testid="backup-codes-download"
        >
          Download
        </a>
        <button type="button" onClick={onDone} data-testid="backup-codes-done">
          I have saved them
        </button>
      </div>
    </div>
  );
}
