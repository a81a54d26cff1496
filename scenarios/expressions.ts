/**
 * Small arithmetic expressions from scenario files (PFSP weightings over a win rate `x`, schedules over `step`),
 * evaluated with a restricted mathjs instance.
 *
 * Two fences, either of which is enough on its own:
 * 1. `compileExpression` parses once and walks the whole tree before compiling. Only numbers, the declared
 *    variables, `pi`, `e`, arithmetic / comparison / logical operators, `? :`, parentheses and the functions in
 *    EXPRESSION_FUNCTIONS pass; everything else (assignments, function definitions, property access, strings,
 *    arrays, objects, ranges, blocks, units, unknown symbols or functions) is refused with a message naming the
 *    offending token. Sources are capped at EXPRESSION_MAX_LENGTH characters, so no input can cost much to parse.
 * 2. `scenarioMath`, the instance the expressions compile against, has every function that evaluates code or
 *    changes the instance replaced by one that throws ("import is disabled in scenario expressions").
 *
 * Cost (Node 20, this machine): parse + check + compile once ~50 us; a compiled call 0.1-0.8 us in plain Node
 * (min/max are the slowest), 1-8 us inside jest's module sandbox (expressions.test.ts prints it with
 * SHOW_EXPRESSION_COST=1).
 */
import { all, create, type MathJsInstance, type MathNode } from 'mathjs';
import { ArenaError } from '../environments/core/errors';

/** Longest accepted expression source, in characters. */
export const EXPRESSION_MAX_LENGTH = 200;

/** Functions an expression may call, with their accepted argument counts (inclusive). */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, readonly [min: number, max: number]>> = Object.freeze({
  abs: [1, 1],
  min: [2, 8],
  max: [2, 8],
  exp: [1, 1],
  log: [1, 2],
  sqrt: [1, 1],
  pow: [2, 2],
  floor: [1, 1],
  ceil: [1, 1],
  round: [1, 2],
  sign: [1, 1],
  clamp: [3, 3],
});

/** Named constants an expression may use besides its declared variables. */
export const EXPRESSION_CONSTANTS: readonly string[] = Object.freeze(['pi', 'e']);

/** Operators (mathjs OperatorNode `fn` names) an expression may use. */
const OPERATORS: ReadonlySet<string> = new Set([
  'add', 'subtract', 'multiply', 'divide', 'mod', 'pow', 'unaryMinus', 'unaryPlus',
  'smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal', 'and', 'or', 'xor', 'not',
]);

/** Functions that evaluate code or change the instance: disabled in `scenarioMath`. */
const DISABLED = [
  'import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'simplifyConstant', 'simplifyCore',
  'derivative', 'resolve', 'rationalize', 'symbolicEqual', 'leafCount', 'reviver', 'replacer', 'chain', 'parser',
  'config', 'help',
] as const;

if (!all) throw new Error('mathjs: the full factory set is missing');
const math = create(all, { number: 'number', predictable: true });
/** Captured before `parse` is disabled on the instance; only this module uses it, on checked-length input. */
const parseTree: (source: string) => MathNode = math.parse.bind(math) as (source: string) => MathNode;

function disabled(name: string): () => never {
  return () => {
    throw new ArenaError('cli/usage', `${name} is disabled in scenario expressions`);
  };
}

math.import(
  {
    clamp: math.typed('clamp', {
      'number, number, number': (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi),
    }),
  },
  { override: false },
);
math.import(Object.fromEntries(DISABLED.map((name) => [name, disabled(name)])), { override: true });

/**
 * The mathjs instance scenario expressions run against: numbers only (`predictable`), plus `clamp(x, lo, hi)`,
 * with import, createUnit, evaluate, parse, compile, simplify, derivative, resolve, reviver, chain, config and
 * their relatives replaced by functions that throw ArenaError('cli/usage'). Hand this (never a fresh
 * `create(all)`) to anything that evaluates text from a scenario file.
 */
export const scenarioMath: MathJsInstance = math;

/**
 * A compiled expression: call it with a value for every declared variable. It returns a finite number or throws
 * ArenaError('cli/usage') naming the expression, the inputs and what it gave instead (NaN, Infinity, a boolean,
 * a complex number). Calls are synchronous, allocate nothing of their own and are safe to repeat.
 */
export type CompiledExpression<V extends string> = ((vars: Readonly<Record<V, number>>) => number) & {
  /** The source text it was compiled from. */
  readonly source: string;
  /** The declared variable names, in declaration order. */
  readonly variables: readonly V[];
};

/** Options of `compileExpression`. */
export interface CompileOptions<V extends string> {
  /** Variable names the expression may read (identifiers that are not function or constant names). */
  readonly variables: readonly V[];
  /** Source length cap; defaults to EXPRESSION_MAX_LENGTH and cannot exceed it. */
  readonly maxLength?: number;
}

/** A token shown in a message: one line, at most 40 characters, in double quotes (single if it has any). */
function show(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > 40 ? `${one.slice(0, 37)}...` : one;
  return cut.includes('"') ? `'${cut}'` : `"${cut}"`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(message: string): never {
  throw new ArenaError('cli/usage', message);
}

/** Refuses any node outside the allowed grammar; the message names the offending token. */
function check(node: MathNode, variables: ReadonlySet<string>): void {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const value = n['value'];
      if (typeof value === 'number') return;
      if (typeof value === 'string') fail(`strings are not allowed (${show(node.toString())})`);
      return fail(`only numbers are allowed as constants (${show(node.toString())})`);
    }
    case 'SymbolNode': {
      const name = String(n['name']);
      if (variables.has(name) || EXPRESSION_CONSTANTS.includes(name)) return;
      if (name in EXPRESSION_FUNCTIONS) fail(`function ${name} must be called with arguments, e.g. ${name}(...)`);
      return fail(`unknown symbol ${show(name)} (expected ${[...variables, ...EXPRESSION_CONSTANTS].join(', ')})`);
    }
    case 'ParenthesisNode':
      return check(n['content'] as MathNode, variables);
    case 'OperatorNode': {
      const fn = String(n['fn']);
      if (!OPERATORS.has(fn)) fail(`operator ${show(String(n['op']))} is not allowed (in ${show(node.toString())})`);
      for (const arg of n['args'] as MathNode[]) check(arg, variables);
      return;
    }
    case 'ConditionalNode':
      check(n['condition'] as MathNode, variables);
      check(n['trueExpr'] as MathNode, variables);
      return check(n['falseExpr'] as MathNode, variables);
    case 'RelationalNode':
      for (const param of n['params'] as MathNode[]) check(param, variables);
      return;
    case 'FunctionNode': {
      const fn = n['fn'] as MathNode & { name?: unknown };
      if (fn.type !== 'SymbolNode') return fail(`only named functions may be called (${show(node.toString())})`);
      const name = String(fn.name);
      const arity = Object.hasOwn(EXPRESSION_FUNCTIONS, name) ? EXPRESSION_FUNCTIONS[name] : undefined;
      if (!arity) fail(`function ${show(name)} is not allowed (allowed: ${Object.keys(EXPRESSION_FUNCTIONS).join(', ')})`);
      const args = n['args'] as MathNode[];
      if (args.length < arity[0] || args.length > arity[1]) {
        const want = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
        fail(`${name} takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length} (${show(node.toString())})`);
      }
      for (const arg of args) check(arg, variables);
      return;
    }
    case 'AssignmentNode':
      return fail(`assignment is not allowed (${show(node.toString())})`);
    case 'FunctionAssignmentNode':
      return fail(`function definitions are not allowed (${show(node.toString())})`);
    case 'AccessorNode':
    case 'IndexNode':
      return fail(`property access and indexing are not allowed (${show(node.toString())})`);
    case 'ObjectNode':
      return fail(`objects are not allowed (${show(node.toString())})`);
    case 'ArrayNode':
      return fail(`arrays are not allowed (${show(node.toString())})`);
    case 'RangeNode':
      return fail(`ranges are not allowed (${show(node.toString())})`);
    case 'BlockNode':
      return fail(`only one expression is allowed (${show(node.toString())})`);
    default:
      return fail(`${node.type} is not allowed (${show(node.toString())})`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return `the boolean ${value} (a comparison needs "? :" to give a number)`;
  if (value !== null && typeof value === 'object') return `a ${(value as { type?: unknown }).type ?? 'non-number'} value ${String(value)}`;
  return String(value);
}

/**
 * Compiles `source` once, for repeated evaluation with the declared `variables`.
 *
 * Accepts numbers, the declared variables, `pi`, `e`, `+ - * / ^ mod`, comparisons, `and or xor not`, `c ? a : b`,
 * parentheses and EXPRESSION_FUNCTIONS (with `clamp(x, lo, hi)`). Throws ArenaError('cli/usage') with a one-line
 * message naming the offending token when the source is empty, too long, not valid syntax, or uses anything else.
 * Throws a plain Error (a bug in the caller) when a declared variable name is not an identifier or shadows a
 * function or constant.
 *
 * Example: `compileExpression('0.1 * exp(-step / 1000)', { variables: ['step'] })({ step: 500 })`.
 */
export function compileExpression<const V extends string>(source: string, options: CompileOptions<V>): CompiledExpression<V> {
  const variables = [...options.variables];
  for (const v of variables) {
    if (!IDENTIFIER.test(v) || v in EXPRESSION_FUNCTIONS || EXPRESSION_CONSTANTS.includes(v) || (DISABLED as readonly string[]).includes(v)) {
      throw new Error(`compileExpression: bad variable name ${JSON.stringify(v)}`);
    }
  }
  if (typeof source !== 'string') fail(`expected an expression string, got ${typeof source}`);
  const maxLength = Math.min(options.maxLength ?? EXPRESSION_MAX_LENGTH, EXPRESSION_MAX_LENGTH);
  if (source.length > maxLength) fail(`expression is ${source.length} characters long (at most ${maxLength})`);
  if (source.trim().length === 0) fail('expression is empty');

  let tree: MathNode;
  try {
    tree = parseTree(source);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ArenaError('cli/usage', `syntax error: ${why.split('\n')[0]}`, { cause });
  }
  check(tree, new Set(variables));
  const code = tree.compile();

  const scope = new Map<string, number>();
  const evaluate = (vars: Readonly<Record<V, number>>): number => {
    for (const name of variables) {
      const value = vars[name];
      if (typeof value !== 'number') fail(`expression ${show(source)}: variable ${name} must be a number, got ${typeof value}`);
      scope.set(name, value);
    }
    const result: unknown = code.evaluate(scope);
    if (typeof result === 'number' && Number.isFinite(result)) return result;
    const inputs = variables.map((name) => `${name} = ${vars[name]}`).join(', ');
    return fail(`expression ${show(source)} gave ${describeValue(result)}${inputs ? ` for ${inputs}` : ''} (expected a finite number)`);
  };
  return Object.assign(evaluate, { source, variables: Object.freeze(variables) as readonly V[] });
}
