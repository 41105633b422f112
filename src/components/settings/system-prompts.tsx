'use client';

import { type FormEvent, useState } from 'react';
import type { SystemPrompt } from '@/client/api-types';
import { errorMessage, fieldErrorsOf } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { FieldError } from '../ui/field-error';

export function SystemPrompts({ initial }: { initial: SystemPrompt[] }) {
  const [prompts, setPrompts] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<string, string>>>({});

  const reload = async () => setPrompts(await trpc.prompts.list.query());
  const attempt = (action: () => Promise<unknown>) => async () => {
    try {
      await action();
      await reload();
      setError(null);
      setFieldErrors({});
    } catch (cause) {
      const byField = fieldErrorsOf(cause);
      setFieldErrors(byField);
      // A field's message shows at its field; anything else below the form.
      setError(Object.keys(byField).length > 0 ? null : errorMessage(cause, 'That did not work'));
    }
  };

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    await attempt(async () => {
      await trpc.prompts.create.mutate({
        name: String(form.get('name') ?? ''),
        content: String(form.get('content') ?? ''),
        isDefault: form.get('isDefault') === 'on',
      });
      formElement.reset();
    })();
  }

  return (
    <section aria-labelledby="prompts-heading">
      <h2 id="prompts-heading">System prompts</h2>
      <p className="muted small">The default prompt is sent before every new chat.</p>
      <ul className="prompt-list">
        {prompts.map((prompt) => (
          <li key={prompt.id}>
            <div className="row">
              <strong>{prompt.name}</strong>
              {prompt.isDefault && <span className="muted small">(default)</span>}
              {prompt.isGlobal && <span className="muted small">(built in)</span>}
            </div>
            <p className="small">{prompt.content}</p>
            <div className="row">
              {!prompt.isDefault && (
                <button
                  type="button"
                  className="secondary small"
                  onClick={attempt(() => trpc.prompts.setDefault.mutate({ id: prompt.id }))}
                >
                  Make default
                </button>
              )}
              {!prompt.isGlobal && (
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Delete prompt ${prompt.name}`}
                  onClick={attempt(() => trpc.prompts.delete.mutate({ id: prompt.id }))}
                >
                  Delete
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <form onSubmit={create} aria-label="New system prompt">
        <label>
          Name
          <input
            name="name"
            required
            maxLength={100}
            aria-invalid={fieldErrors.name ? true : undefined}
            aria-describedby={fieldErrors.name ? 'prompt-name-error' : undefined}
            data-testid="prompt-name"
          />
          <FieldError id="prompt-name-error" message={fieldErrors.name} />
        </label>
        <label>
          Prompt
          <textarea
            name="content"
            required
            maxLength={20000}
            aria-invalid={fieldErrors.content ? true : undefined}
            aria-describedby={fieldErrors.content ? 'prompt-content-error' : undefined}
            data-testid="prompt-content"
          />
          <FieldError id="prompt-content-error" message={fieldErrors.content} />
        </label>
        <label className="radio">
          <input type="checkbox" name="isDefault" /> Use as my default
        </label>
        <button type="submit" data-testid="prompt-add">
          Add prompt
        </button>
      </form>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
