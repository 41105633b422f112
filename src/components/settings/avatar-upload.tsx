'use client';

import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { errorMessage } from '@/client/error-message';
import { squareAvatar, uploadAvatar } from '@/client/square-avatar';
import { trpc } from '@/client/trpc-client';

type Draft = { picture: Blob; preview: string };

/** The profile picture: pick a file, see it cropped to a square, save it or remove the current one. */
export function AvatarUpload({ initialUrl }: { initialUrl: string | null }) {
  const [url, setUrl] = useState(initialUrl);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // The preview's object URL is released when it is replaced or the form goes away.
  useEffect(
    () => () => {
      if (draft) URL.revokeObjectURL(draft.preview);
    },
    [draft],
  );

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setStatus(null);
    try {
      const picture = await squareAvatar(file);
      setDraft({ picture, preview: URL.createObjectURL(picture) });
    } catch (cause) {
      setStatus({ kind: 'error', text: errorMessage(cause, 'That picture could not be read') });
    }
  }

  async function run(action: () => Promise<void>, done: string) {
    setPending(true);
    setStatus(null);
    try {
      await action();
      setStatus({ kind: 'ok', text: done });
    } catch (cause) {
      setStatus({ kind: 'error', text: errorMessage(cause, 'That did not work') });
    } finally {
      setPending(false);
    }
  }

  const shown = draft?.preview ?? url;
  return (
    <div className="avatar-upload" data-testid="avatar-upload">
      {shown ? (
        // biome-ignore lint/performance/noImgElement: a blob: preview or our own signed avatar link
        <img
          className="avatar"
          src={shown}
          alt={draft ? 'New picture (preview)' : 'Your picture'}
          width={64}
          height={64}
          data-testid="avatar-image"
        />
      ) : (
        <span className="avatar" aria-hidden="true" />
      )}
      <div className="avatar-actions">
        <label className="button secondary small">
          {url || draft ? 'Choose another picture' : 'Choose a picture'}
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            className="visually-hidden"
            onChange={pick}
            data-testid="avatar-file"
          />
        </label>
        {draft && (
          <button
            type="button"
            className="small"
            disabled={pending}
            data-testid="avatar-save"
            onClick={() =>
              run(async () => {
                setUrl(await uploadAvatar(draft.picture));
                setDraft(null);
                if (input.current) input.current.value = '';
              }, 'Picture saved.')
            }
          >
            Save picture
          </button>
        )}
        {draft && (
          <button type="button" className="secondary small" onClick={() => setDraft(null)}>
            Cancel
          </button>
        )}
        {url && !draft && (
          <button
            type="button"
            className="secondary small"
            disabled={pending}
            data-testid="avatar-remove"
            onClick={() =>
              run(async () => {
                await trpc.avatars.remove.mutate();
                setUrl(null);
              }, 'Picture removed.')
            }
          >
            Remove
          </button>
        )}
        <span className="muted small">Cropped to a square; PNG, JPEG, WebP or GIF up to 1 MB.</span>
        {status && (
          <span className={status.kind === 'error' ? 'error small' : 'muted small'} role="status">
            {status.text}
          </span>
        )}
      </div>
    </div>
  );
}
