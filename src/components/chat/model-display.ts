import type { ModelOption } from '@/client/api-types';

export interface ModelDisplay {
  /** What the picker shows: the label without its parenthesised remark. */
  name: string;
  /** A second, smaller line in the list, only when it tells the user something the name does not. */
  detail: string | null;
}

/**
 * Splits "Demo (offline, no AI provider configured)" into the name "Demo" and the remark as the detail, so
 * the picker stays short and the list still explains the model. The demo model also says what it does.
 */
export function modelDisplay(model: Pick<ModelOption, 'label' | 'isDemo'>): ModelDisplay {
  const remark = /^(.+?)\s*\(([^()]+)\)$/.exec(model.label.trim());
  const name = remark?.[1] ?? model.label;
  const parts = [remark?.[2], model.isDemo ? 'replies are canned' : undefined].filter(
    (part): part is string => Boolean(part),
  );
  const detail = parts.join('; ');
  return { name, detail: detail ? detail.charAt(0).toUpperCase() + detail.slice(1) : null };
}
