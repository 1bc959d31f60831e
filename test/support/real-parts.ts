/** Suites on the real DC / Chromium run only where the global setup could provide them (it printed why not). */
import { inject } from 'vitest';
import type { TestDc } from './samba-dc.ts';

export function testDc(): TestDc | null {
  return inject('dc');
}
export const realPartsAvailable = (): boolean => inject('dc') !== null;
