'use client';

import { createContext, useContext } from 'react';
import type { ModelList } from './api-types';

/** The model list the server rendered the page with (null when it did not). */
export const ModelListContext = createContext<ModelList | null>(null);

export function useServerModelList(): ModelList | null {
  return useContext(ModelListContext);
}
