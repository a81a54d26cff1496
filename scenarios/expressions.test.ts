import { ArenaError } from '../environments/core/errors';
import { compileExpression, EXPRESSION_MAX_LENGTH, scenarioMath } from './expressions';

const inX = (source: string) => compileExpression(source, { variables: ['x'] });

/** The ArenaError a compile (or call) throws; fails the test if nothing or something else is thrown. */
function errorOf(run: () => unknown): ArenaError {
  try {
    run();
  } catch (error) {
    if (error instanceof ArenaError) return error;
    throw error;
  }
  throw new Error('expected an ArenaError');
}

describe('compileExpression: accepted expressions give exact values', () => {
  it.each([
    ['(1 - x)^2', 0.25, 0.5625],
    ['(1 - x)^2', 1, 0],
    ['min(0.5, 1 - x)', 0.25, 0.5],
    ['min(0.5, 1 - x)', 0.75, 0.25],
    ['x * (1 - x)', 0.5, 0.25],
    ['x * (1 - x)', 0, 0],
    ['1 - x', 0.125, 0.875],
    ['clamp(2 * x, 0.1, 0.9)', 0.01, 0.1],
    ['clamp(2 * x, 0.1, 0.9)', 0.3, 0.6],
    ['abs(x - 1) + max(x, 0.2, 0.3) + floor(x) + ceil(x) + round(x)', 0.25, 0.75 + 0.3 + 0 + 1 + 0],
    ['sqrt(x) + pow(x, 3) + sign(x - 1)', 0.25, 0.5 + 0.015625 - 1],
    ['x mod 0.5 + 2x', 0.75, 0.25 + 1.5],
    ['x >= 0.5 and x < 1 ? 1 : 0', 0.5, 1],
    ['not (x > 0.5) or x == 1 ? 2 : 3', 0.9, 3],
    ['pi * e', 0, Math.PI * Math.E],
  ])('%s at x=%d is %d', (source, x, expected) => {
    expect(inX(source)({ x })).toBe(expected);
  });

  it('schedules over step', () => {
    const lr = compileExpression('0.1 * exp(-step / 1000)', { variables: ['step'] });
    expect(lr({ step: 0 })).toBe(0.1);
    expect(lr({ step: 500 })).toBe(0.1 * Math.exp(-0.5));
    const warm = compileExpression('step < 100 ? 1 : 0.5', { variables: ['step'] });
    expect([warm({ step: 0 }), warm({ step: 99 }), warm({ step: 100 }), warm({ step: 5000 })]).toEqual([1, 1, 0.5, 0.5]);
    expect(lr.source).toBe('0.1 * exp(-step / 1000)');
    expect(lr.variables).toEqual(['step']);
  });

  it('several variables', () => {
    const f = compileExpression('a * log(b, 2) + step', { variables: ['a', 'b', 'step'] });
    expect(f({ a: 3, b: 8, step: 1 })).toBe(10);
  });

  it('repeated calls do not leak values between calls', () => {
    const f = inX('x * (1 - x)');
    const xs = [0, 0.1, 0.5, 0.9, 1];
    expect(xs.map((x) => f({ x }))).toEqual(xs.map((x) => x * (1 - x)));
  });
});

describe('compileExpression: hostile or malformed input is refused with a clear message', () => {
  it.each([
    ['import({a: 1})', /function "import" is not allowed \(allowed: abs, min/],
    ['evaluate("1+1")', /function "evaluate" is not allowed/],
    ['createUnit("foo")', /function "createUnit" is not allowed/],
    ['parse("1")', /function "parse" is not allowed/],
    ['compile("1")', /function "compile" is not allowed/],
    ['simplify("x")', /function "simplify" is not allowed/],
    ['f(x) = x', /function definitions are not allowed \("f\(x\) = x"\)/],
    ['x = 2', /assignment is not allowed \("x = 2"\)/],
    ['a.b', /property access and indexing are not allowed \("a.b"\)/],
    ['x[1]', /property access and indexing are not allowed/],
    ['"str"', /strings are not allowed \('"str"'\)/],
    ['cos.constructor("return process")()', /syntax error: Value expected \(char 35\)/],
    ['cos.constructor("return process")', /only named functions may be called/],
    ['y + 1', /unknown symbol "y" \(expected x, pi, e\)/],
    ['5 cm', /unknown symbol "cm"/],
    ['cos(x)', /function "cos" is not allowed/],
    ['min', /function min must be called with arguments/],
    ['pow(x)', /pow takes 2 arguments, got 1/],
    ['x!', /operator "!" is not allowed/],
    ['x | 1', /operator "\|" is not allowed/],
    ['[1, 2]', /arrays are not allowed/],
    ['{a: 1}', /objects are not allowed/],
    ['1:3', /ranges are not allowed/],
    ['x; 2', /only one expression is allowed/],
    ['true', /only numbers are allowed as constants/],
    ['', /expression is empty/],
    ['(1 - x', /syntax error: Parenthesis \) expected/],
  ])('%s', (source, message) => {
    const error = errorOf(() => inX(source));
    expect(error.code).toBe('cli/usage');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a 10,000-character expression before parsing it', () => {
    const long = `${'x + '.repeat(2499)}x`;
    expect(long.length).toBeGreaterThan(9000);
    expect(errorOf(() => inX(long)).message).toBe(`expression is ${long.length} characters long (at most ${EXPRESSION_MAX_LENGTH})`);
    expect(errorOf(() => inX('1'.repeat(EXPRESSION_MAX_LENGTH + 1))).message).toMatch(/at most 200/);
    expect(() => inX(`${'x+'.repeat(99)}x`)).not.toThrow();
  });

  it('calls that give no finite number throw, naming the inputs', () => {
    expect(errorOf(() => inX('log(x)')({ x: 0 })).message).toBe('expression "log(x)" gave -Infinity for x = 0 (expected a finite number)');
    expect(errorOf(() => inX('x < 1')({ x: 0 })).message).toMatch(/gave the boolean true .* needs "\? :"/);
    expect(errorOf(() => inX('sqrt(x)')({ x: -1 })).message).toMatch(/gave a Complex value/);
    expect(errorOf(() => inX('x / 0')({ x: 0 })).message).toMatch(/gave NaN/);
    expect(errorOf(() => inX('x')({} as { x: number })).message).toMatch(/variable x must be a number, got undefined/);
  });

  it('refuses variable names that shadow functions or are not identifiers (a caller bug)', () => {
    expect(() => compileExpression('1', { variables: ['min'] })).toThrow(/bad variable name "min"/);
    expect(() => compileExpression('1', { variables: ['a.b'] })).toThrow(/bad variable name/);
    expect(() => compileExpression('1', { variables: ['evaluate'] })).toThrow(/bad variable name/);
  });
});

describe('scenarioMath: the instance has its dangerous functions disabled', () => {
  const fns = scenarioMath as unknown as Record<string, (...args: unknown[]) => unknown>;
  it.each(['import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'derivative', 'resolve', 'reviver', 'chain', 'config', 'parser'])(
    '%s throws',
    (name) => {
      const fn = fns[name];
      expect(typeof fn).toBe('function');
      expect(() => fn?.('1 + 1', {})).toThrow(`${name} is disabled in scenario expressions`);
    },
  );

  it('still computes with the allowed functions', () => {
    expect(scenarioMath.min(3, 2)).toBe(2);
    expect(fns['clamp']?.(5, 0, 1)).toBe(1);
  });
});

describe('cost of a compiled call', () => {
  it('is measured (printed, not asserted)', () => {
    const cases = ['(1 - x)^2', 'min(0.5, 1 - x)', 'x * (1 - x)', '0.1 * exp(-x / 1000)', 'x < 100 ? 1 : 0.5'];
    const lines: string[] = [];
    let sink = 0;
    for (const source of cases) {
      const f = inX(source);
      for (let i = 0; i < 5_000; i++) sink += f({ x: (i % 1000) / 1000 });
      const n = 50_000;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) sink += f({ x: (i % 1000) / 1000 });
      const us = Number(process.hrtime.bigint() - t0) / n / 1000;
      lines.push(`${source.padEnd(24)} ${us.toFixed(3)} us/call`);
    }
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) inX(`min(0.5, 1 - x) + ${i}`);
    const compileUs = Number(process.hrtime.bigint() - t0) / 200 / 1000;
    lines.push(`compile (parse + check + compile): ${compileUs.toFixed(1)} us`);
    if (process.env['SHOW_EXPRESSION_COST']) process.stdout.write(`${lines.join('\n')}\n`);
    expect(Number.isFinite(sink)).toBe(true);
  });
});
