// Paging and searching of the memory stores' administrative lists, as the SQL queries do it: oldest first,
// ties by id, a case-insensitive substring match.

import type { ListPage } from '../../provider/types.ts';
import { caseFold } from '../case-fold.ts';
import { pageBounds } from '../limits.ts';

export function pageOf<T>(sorted: readonly T[], page: ListPage): T[] {
  const { offset, limit } = pageBounds(page);
  return sorted.slice(offset, offset + limit);
}

export function oldestFirst<T extends { createdAt: number }>(key: (value: T) => string) {
  return (a: T, b: T) => a.createdAt - b.createdAt || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

export function contains(text: string, search: string | undefined): boolean {
  return search === undefined || caseFold(text).includes(caseFold(search));
}
