import { z } from 'zod';

export const exportId = z.uuid({ message: 'Invalid export id' });
export const getExportInput = z.object({ id: exportId });
export const exportFormat = z.enum(['json', 'markdown']);
