// The bounds every store applies to what a caller asks for, so that no implementation returns more than
// another (and none returns an unbounded list).

import { type AuditQuery, REJECTIONS_KEPT } from './types.ts';

export function rejectionsLimit(limit: number | undefined): number {
  return Math.max(0, Math.min(Math.trunc(limit ?? REJECTIONS_KEPT), REJECTIONS_KEPT));
}

export const AUDIT_QUERY_LIMIT = 100;
export const AUDIT_QUERY_MAX = 10_000;

export function auditLimit(query: AuditQuery): number {
  return Math.max(0, Math.min(Math.trunc(query.limit ?? AUDIT_QUERY_LIMIT), AUDIT_QUERY_MAX));
}

/** Administrative lists: at most this many rows per page. */
export const LIST_PAGE_MAX = 1000;

export function pageBounds(page: { offset: number; limit: number }): { offset: number; limit: number } {
  return {
    offset: Math.max(0, Math.trunc(page.offset) || 0),
    limit: Math.max(0, Math.min(Math.trunc(page.limit) || 0, LIST_PAGE_MAX)),
  };
}
