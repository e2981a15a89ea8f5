// The query grammar on its own: what parses, and the 4000 QueryParserError for what does not.

import { describe, expect, it } from 'vitest';
import { QboFault } from '../../src/faults/fault.js';
import { parseQuery } from '../../src/query/query-parser.js';

const parseError = (text: string): string => {
  try {
    parseQuery(text);
  } catch (e) {
    expect(e).toBeInstanceOf(QboFault);
    const err = (e as QboFault).errors[0]!;
    expect(err.code).toBe('4000');
    expect(err.Message).toBe('Error parsing query');
    return err.Detail;
  }
  throw new Error(`expected a parse error for: ${text}`);
};

describe('query parser', () => {
  it('parses the full grammar with keywords in any case', () => {
    expect(parseQuery("select * from Customer where DisplayName = 'A' and Balance > 10 orderby DisplayName desc startposition 11 maxresults 10")).toEqual({
      count: false,
      entity: 'Customer',
      where: [
        { field: 'DisplayName', operator: '=', values: [{ kind: 'string', value: 'A' }] },
        { field: 'Balance', operator: '>', values: [{ kind: 'number', value: 10 }] },
      ],
      orderBy: [{ field: 'DisplayName', direction: 'DESC' }],
      startPosition: 11,
      maxResults: 10,
    });
    expect(parseQuery('SELECT COUNT(*) FROM Invoice').count).toBe(true);
    expect(parseQuery('SELECT * FROM Invoice ORDER BY TxnDate MAXRESULTS 5 STARTPOSITION 2')).toMatchObject({ orderBy: [{ field: 'TxnDate', direction: 'ASC' }], maxResults: 5, startPosition: 2 });
    expect(parseQuery("select * from Item where Id in ('1', '2') and Name like '%pump%'").where).toEqual([
      { field: 'Id', operator: 'IN', values: [{ kind: 'string', value: '1' }, { kind: 'string', value: '2' }] },
      { field: 'Name', operator: 'LIKE', values: [{ kind: 'string', value: '%pump%' }] },
    ]);
  });

  it("unescapes \\' inside strings", () => {
    expect(parseQuery("select * from Customer where DisplayName = 'Adam\\'s Candy Shop'").where[0]!.values[0]).toEqual({ kind: 'string', value: "Adam's Candy Shop" });
  });

  it('refuses OR with the token list Intuit prints', () => {
    const detail = parseError("select * from Customer where DisplayName = 'a' or DisplayName = 'b'");
    expect(detail).toMatch(/^QueryParserError: Encountered " <OR> "or "" at line 1, column 48\.\nWas expecting one of:\n/);
    for (const token of ['<AND>', '"iterator"', '"maxresults"', '"order"', '"orderby"', '"startposition"']) expect(detail).toContain(token);
  });

  it('refuses curly quotes, en dashes, trailing backslashes, projections and junk', () => {
    expect(parseError('select * from Customer where DisplayName = \u2018Amy\u2019')).toContain('Lexical error');
    expect(parseError("select * from Customer where DisplayName = 'A \u2013 B'")).toContain('Lexical error');
    expect(parseError("select * from Customer where DisplayName = 'abc\\'")).toContain('Lexical error');
    parseError('select DisplayName from Customer');
    parseError('select * from Customer where');
    parseError("select * from Customer where not Active = true");
    parseError('select * from Customer maxresults ten');
    parseError('select * from Customer where Balance != 0');
  });
});
