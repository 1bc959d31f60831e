import { describe, expect, it } from 'vitest';
import { numberedPlaceholders } from '../../../../../electron/core/database/engine/placeholders.ts';

describe('numberedPlaceholders', () => {
  it('numbers each ? in order for PostgreSQL', () => {
    expect(numberedPlaceholders('SELECT * FROM a WHERE x = ? AND y IN (?, ?)')).toBe(
      'SELECT * FROM a WHERE x = $1 AND y IN ($2, $3)',
    );
  });

  it('leaves a ? inside string literals, quoted names and comments alone', () => {
    expect(
      numberedPlaceholders(
        `SELECT 'what?', "odd?name" FROM t -- really?\nWHERE a = ? /* or ? */ AND b = 'it''s ?' AND c = ?`,
      ),
    ).toBe(`SELECT 'what?', "odd?name" FROM t -- really?\nWHERE a = $1 /* or ? */ AND b = 'it''s ?' AND c = $2`);
  });

  it('leaves SQL without placeholders as it is', () => {
    expect(numberedPlaceholders("UPDATE meta SET value = '1' WHERE key = 'revision'")).toBe(
      "UPDATE meta SET value = '1' WHERE key = 'revision'",
    );
  });
});
