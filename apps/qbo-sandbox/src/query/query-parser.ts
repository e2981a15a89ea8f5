// Parser for SELECT * | COUNT(*) FROM <Entity> [WHERE c AND c…] [ORDERBY|ORDER BY f [ASC|DESC], …]
// [STARTPOSITION n] [MAXRESULTS m] (REFERENCE.md §2). Anything else — OR, NOT, projections,
// unknown tokens — is a 4000 QueryParserError worded like Intuit's JavaCC parser.

import { queryParseError } from '../faults/fault-catalog.js';
import type { Token } from './query-lexer.js';
import { tokenize } from './query-lexer.js';

export type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean };

export type Operator = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';

export interface Condition {
  field: string;
  operator: Operator;
  values: Literal[];
}

export interface ParsedQuery {
  count: boolean;
  entity: string;
  where: Condition[];
  orderBy: Array<{ field: string; direction: 'ASC' | 'DESC' }>;
  startPosition?: number;
  maxResults?: number;
}

const describe = (t: Token): string => {
  if (t.kind === 'eof') return '"<EOF>"';
  if (t.kind === 'keyword') return `" <${t.value}> "${t.text} ""`;
  if (t.kind === 'identifier') return `" <IDENTIFIER> "${t.text} ""`;
  if (t.kind === 'string') return `" <STRING_LITERAL> "${t.text} ""`;
  if (t.kind === 'number') return `" <INTEGER_LITERAL> "${t.text} ""`;
  return `" "${t.text}" "${t.text} ""`;
};

const unexpected = (t: Token, expecting: string[]) =>
  queryParseError(
    `Encountered ${describe(t)} at line 1, column ${t.column}.\nWas expecting${expecting.length > 1 ? ' one of' : ''}:\n${expecting.map((e) => `    ${e} ...\n`).join('')}    `,
  );

const AFTER_CONDITION = ['<EOF>', '<AND>', '"iterator"', '"maxresults"', '"order"', '"orderby"', '"startposition"'];

export const parseQuery = (input: string): ParsedQuery => {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isKw = (kw: string) => peek().kind === 'keyword' && peek().value === kw;
  const expectKw = (kw: string, expecting = [`"${kw.toLowerCase()}"`]) => {
    if (!isKw(kw)) throw unexpected(peek(), expecting);
    return next();
  };
  const expectPunct = (p: string) => {
    const t = peek();
    if (t.kind !== 'punct' || t.value !== p) throw unexpected(t, [`"${p}"`]);
    return next();
  };
  const identifier = () => {
    const t = peek();
    if (t.kind !== 'identifier') throw unexpected(t, ['<IDENTIFIER>']);
    return next().value;
  };
  const integer = () => {
    const t = peek();
    if (t.kind !== 'number' || !/^-?\d+$/.test(t.value)) throw unexpected(t, ['<INTEGER_LITERAL>']);
    return Number(next().value);
  };
  const literal = (): Literal => {
    const t = peek();
    if (t.kind === 'string') return next(), { kind: 'string', value: t.value };
    if (t.kind === 'number') return next(), { kind: 'number', value: Number(t.value) };
    if (t.kind === 'keyword' && (t.value === 'TRUE' || t.value === 'FALSE')) return next(), { kind: 'boolean', value: t.value === 'TRUE' };
    throw unexpected(t, ['<STRING_LITERAL>', '<INTEGER_LITERAL>', '"true"', '"false"']);
  };

  expectKw('SELECT');
  let count = false;
  if (isKw('COUNT')) {
    next();
    expectPunct('(');
    expectPunct('*');
    expectPunct(')');
    count = true;
  } else {
    expectPunct('*');
  }
  expectKw('FROM');
  const entity = identifier();

  const where: Condition[] = [];
  if (isKw('WHERE')) {
    next();
    for (;;) {
      const field = identifier();
      const t = peek();
      let operator: Operator;
      if (t.kind === 'operator' && ['=', '<', '>', '<=', '>='].includes(t.value)) {
        operator = next().value as Operator;
        where.push({ field, operator, values: [literal()] });
      } else if (t.kind === 'keyword' && (t.value === 'IN' || t.value === 'LIKE')) {
        operator = next().value as Operator;
        if (operator === 'IN') {
          expectPunct('(');
          const values = [literal()];
          while (peek().kind === 'punct' && peek().value === ',') {
            next();
            values.push(literal());
          }
          expectPunct(')');
          where.push({ field, operator, values });
        } else {
          const v = peek();
          if (v.kind !== 'string') throw unexpected(v, ['<STRING_LITERAL>']);
          where.push({ field, operator, values: [literal()] });
        }
      } else {
        throw unexpected(t, ['"="', '"<"', '">"', '"<="', '">="', '"in"', '"like"']);
      }
      if (isKw('AND')) {
        next();
        continue;
      }
      break;
    }
  }

  const orderBy: ParsedQuery['orderBy'] = [];
  let startPosition: number | undefined;
  let maxResults: number | undefined;
  for (;;) {
    const t = peek();
    if (t.kind === 'eof') break;
    if (isKw('ORDERBY') || isKw('ORDER')) {
      if (orderBy.length > 0) throw unexpected(t, AFTER_CONDITION);
      if (next().value === 'ORDER') expectKw('BY');
      for (;;) {
        const field = identifier();
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (isKw('ASC') || isKw('DESC')) direction = next().value as 'ASC' | 'DESC';
        orderBy.push({ field, direction });
        if (peek().kind === 'punct' && peek().value === ',') {
          next();
          continue;
        }
        break;
      }
    } else if (isKw('STARTPOSITION') && startPosition === undefined) {
      next();
      startPosition = integer();
    } else if (isKw('MAXRESULTS') && maxResults === undefined) {
      next();
      maxResults = integer();
    } else {
      throw unexpected(t, where.length > 0 ? AFTER_CONDITION : ['<EOF>', '"where"', ...AFTER_CONDITION.slice(2)]);
    }
  }
  return { count, entity, where, orderBy, startPosition, maxResults };
};
