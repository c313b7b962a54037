import type { SearchResult } from '@wa-broker/shared/operator-protocol';
import { useCallback, useRef, useState } from 'react';
import type { OperatorConnection } from '../../../lib/operator-connection.js';
import { describeFailure } from '../api/describe-failure.js';

export interface Search {
  query: string;
  results: SearchResult[];
  nextCursor: string | null;
  busy: boolean;
  problem: string | null;
  run(query: string): void;
  more(): void;
  clear(): void;
}

const pageSize = 20;

/** Conversations by name, phone, username or message text, a page at a time (the server's cursor). */
export function useSearch(connection: Pick<OperatorConnection, 'request'>): Search {
  const { request } = connection;
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResult[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Only the latest query's answer counts (an older, slower one must not overwrite it).
  const latest = useRef(0);

  const fetchPage = useCallback(
    async (text: string, cursor: string | undefined) => {
      const ticket = ++latest.current;
      setBusy(true);
      try {
        const answer = await request({ type: 'search', query: text, limit: pageSize, cursor });
        if (ticket !== latest.current) return;
        if (answer.type !== 'search_results') {
          setProblem(describeFailure(answer).message);
          return;
        }
        setProblem(null);
        setResults((current) => (cursor ? [...current, ...answer.results] : answer.results));
        setNextCursor(answer.next_cursor);
      } catch (error) {
        if (ticket === latest.current) setProblem(describeFailure(error as Error).message);
      } finally {
        if (ticket === latest.current) setBusy(false);
      }
    },
    [request],
  );

  const run = useCallback(
    (text: string) => {
      const trimmed = text.trim();
      setQuery(trimmed);
      setResults([]);
      setNextCursor(null);
      if (trimmed) void fetchPage(trimmed, undefined);
      else latest.current += 1;
    },
    [fetchPage],
  );

  const more = useCallback(() => {
    if (query && nextCursor) void fetchPage(query, nextCursor);
  }, [fetchPage, query, nextCursor]);

  const clear = useCallback(() => run(''), [run]);

  return { query, results, nextCursor, busy, problem, run, more, clear };
}
