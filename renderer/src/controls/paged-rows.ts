/**
 * Rows fetched in blocks for a virtual table: the blocks in view are requested once, kept while the
 * query stays the same, and dropped when it changes (a new `queryKey`). Answers to an older query are
 * ignored, so fast typing in a search box never shows stale rows. A new `refreshKey` reads the same query
 * again in place: the rows stay where they are until the new ones arrive.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';

const BLOCK = 200;

export type FetchBlock<T> = (
  offset: number,
  limit: number,
) => Promise<{ ok: true; value: { total: number; rows: T[] } } | { ok: false; error: ApiError }>;

export interface PagedRows<T> {
  total: number | null;
  getRow: (index: number) => T | undefined;
  onRange: (first: number, last: number) => void;
  /** Reads the blocks that hold these rows (a selection that reaches rows never scrolled to). */
  ensure: (indices: Iterable<number>) => void;
  error: ApiError | null;
}

export function usePagedRows<T>(queryKey: string, fetchBlock: FetchBlock<T>, refreshKey = 0): PagedRows<T> {
  const blocks = useRef(new Map<number, T[] | 'loading'>());
  /** After a refresh, the rows read before, shown until their block is read again (no jump, no blank). */
  const stale = useRef(new Map<number, T[] | 'loading'>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [, setVersion] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const fetchRef = useRef(fetchBlock);
  fetchRef.current = fetchBlock;

  const load = useCallback((block: number) => {
    if (blocks.current.has(block)) return;
    blocks.current.set(block, 'loading');
    const mine = generation.current;
    void fetchRef.current(block * BLOCK, BLOCK).then((result) => {
      if (mine !== generation.current) return;
      if (!result.ok) {
        blocks.current.delete(block);
        setError(result.error);
        return;
      }
      setError(null);
      blocks.current.set(block, result.value.rows);
      setTotal(result.value.total);
      setVersion((v) => v + 1);
    });
  }, []);

  useEffect(() => {
    generation.current++;
    blocks.current = new Map();
    stale.current = new Map();
    setTotal(null);
    load(0);
  }, [queryKey, load]);

  // The same query read again (the data changed): every block read so far is read again, in place.
  const firstRefresh = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey === firstRefresh.current) return;
    generation.current++;
    stale.current = blocks.current;
    blocks.current = new Map();
    for (const block of stale.current.keys()) load(block);
  }, [refreshKey, load]);

  const getRow = useCallback((index: number) => {
    const at = Math.floor(index / BLOCK);
    const block = blocks.current.get(at);
    if (Array.isArray(block)) return block[index % BLOCK];
    const old = stale.current.get(at);
    return Array.isArray(old) ? old[index % BLOCK] : undefined;
  }, []);

  const onRange = useCallback(
    (first: number, last: number) => {
      for (let b = Math.floor(first / BLOCK); b <= Math.floor(Math.max(first, last - 1) / BLOCK); b++) load(b);
    },
    [load],
  );

  const ensure = useCallback(
    (indices: Iterable<number>) => {
      for (const block of new Set([...indices].map((i) => Math.floor(i / BLOCK)))) load(block);
    },
    [load],
  );

  return { total, getRow, onRange, ensure, error };
}
