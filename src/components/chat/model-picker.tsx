'use client';

import type { ModelChoice } from '@/client/use-model-choice';

export function ModelPicker({ choice }: { choice: ModelChoice }) {
  if (choice.models.length === 0) return null;
  const current = choice.models.find((model) => model.id === choice.selected);
  return (
    <label className="model-picker">
      <span className="visually-hidden">Model</span>
      <select
        value={choice.selected ?? ''}
        onChange={(event) => choice.select(event.target.value)}
        data-testid="model-picker"
      >
        {choice.models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.isDemo ? `${model.label} · demo` : model.label}
          </option>
        ))}
      </select>
      {current?.isDemo && (
        <span className="demo-badge small" data-testid="demo-model-badge">
          Demo model: replies are canned
        </span>
      )}
    </label>
  );
}
