'use client';

import type { ModelChoice } from '@/client/use-model-choice';

/**
 * The model list as a native select (the phone's own picker on touch screens), shortened with an ellipsis on a
 * narrow screen. The demo model is named once in the list and marked once beside it.
 */
export function ModelPicker({ choice }: { choice: ModelChoice }) {
  if (choice.models.length === 0) {
    // Keeps the composer's height while the list loads.
    return <span className="model-picker-skeleton" aria-hidden="true" />;
  }
  const current = choice.models.find((model) => model.id === choice.selected);
  return (
    <label className="model-picker" title={current?.label}>
      <span className="visually-hidden">Model</span>
      <select
        value={choice.selected ?? ''}
        onChange={(event) => choice.select(event.target.value)}
        data-testid="model-picker"
      >
        {choice.models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.label}
          </option>
        ))}
      </select>
      {current?.isDemo && (
        <span className="demo-badge" data-testid="demo-model-badge" title="Demo model: replies are canned">
          demo<span className="visually-hidden"> model: replies are canned</span>
        </span>
      )}
    </label>
  );
}
