// The bounds every store applies to what a caller asks for, so that no implementation returns more than
// another (and none returns an unbounded list), and the one reading of an audit query's type filter.

import { type AuditQuery, REJECTIONS_KEPT } from './types.ts';

export function rejectionsLimit(limit: number | undefined): number {
  return Math.max(0, Math.min(Math.trunc(limit ?? REJECTIONS_KEPT), REJECTIONS_KEPT));
}

export const AUDIT_QUERY_LIMIT = 100;
export const AUDIT_QUERY_MAX = 10_000;

export function auditLimit(query: AuditQuery): number {
  return Math.max(0, Math.min(Math.trunc(query.limit ?? AUDIT_QUERY_LIMIT), AUDIT_QUERY_MAX));
}

/** A type filter (`sign_in.failed`, or `sign_in.*` for every type below `sign_in.`), lower-cased. */
function typeFilter(type: string | undefined): { value: string; prefix: boolean } | null {
  if (type === undefined || type === '') return null;
  const lower = type.toLowerCase();
  return lower.endsWith('.*') ? { value: lower.slice(0, -1), prefix: true } : { value: lower, prefix: false };
}

/** The type filter as a `LIKE … ESCAPE '\'` pattern (every type when there is none). */
export function auditTypePattern(type: string | undefined): string {
  const filter = typeFilter(type);
  if (filter === null) return '%';
  const escaped = filter.value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return filter.prefix ? `${escaped}%` : escaped;
}

export function auditTypeMatches(type: string | undefined, eventType: string): boolean {
  const filter = typeFilter(type);
  if (filter === null) return true;
  return filter.prefix ? eventType.startsWith(filter.value) : eventType === filter.value;
}

/** Administrative lists: at most this many rows per page. */
export const LIST_PAGE_MAX = 1000;

export function pageBounds(page: { offset: number; limit: number }): { offset: number; limit: number } {
  return {
    offset: Math.max(0, Math.trunc(page.offset) || 0),
    limit: Math.max(0, Math.min(Math.trunc(page.limit) || 0, LIST_PAGE_MAX)),
  };
}
