/**
 * Rows fetched in blocks for a virtual table: the blocks in view are requested once, kept while the
 * query stays the same, and dropped when it changes (a new `queryKey`). Answers to an older query are
 * ignored, so fast typing in a search box never shows stale rows.
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

export function usePagedRows<T>(queryKey: string, fetchBlock: FetchBlock<T>): PagedRows<T> {
  const blocks = useRef(new Map<number, T[] | 'loading'>());
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
    setTotal(null);
    load(0);
  }, [queryKey, load]);

  const getRow = useCallback((index: number) => {
    const block = blocks.current.get(Math.floor(index / BLOCK));
    return Array.isArray(block) ? block[index % BLOCK] : undefined;
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
