// Time is injected (DESIGN.md §4): the provider reads it only through a Clock, so tests pin it.

import type { Clock } from './types.ts';

export const systemClock: Clock = { now: () => Date.now() };
