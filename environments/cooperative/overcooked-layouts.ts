/**
 * The five standard Overcooked-AI layouts and their compiled form (flat lookup tables for the rules).
 *
 * Grids are copied from HumanCompatibleAI/overcooked_ai, `src/overcooked_ai_py/data/layouts/*.layout` (the
 * Carroll et al. 2019 set: cramped_room, asymmetric_advantages, coordination_ring, forced_coordination, and
 * counter_circuit as `counter_circuit_o_1order.layout`, which is the 2019 `random3` grid; the current
 * `counter_circuit.layout` is a 9-wide tomato variant we do not use). Characters: X counter, O onion dispenser,
 * P pot, D dish dispenser, S serving window, space floor, 1 and 2 the start cells of seat 0 and seat 1 (floor).
 * Row 0 is the top row; a cell index is `y * width + x`.
 */

export const LAYOUT_NAMES = [
  'cramped_room',
  'asymmetric_advantages',
  'coordination_ring',
  'forced_coordination',
  'counter_circuit',
] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

export const LAYOUT_GRIDS: Readonly<Record<LayoutName, readonly string[]>> = {
  cramped_room: ['XXPXX', 'O  2O', 'X1  X', 'XDXSX'],
  asymmetric_advantages: ['XXXXXXXXX', 'O XSXOX S', 'X   P 1 X', 'X2  P   X', 'XXXDXDXXX'],
  coordination_ring: ['XXXPX', 'X 1 P', 'D2X X', 'O   X', 'XOSXX'],
  forced_coordination: ['XXXPX', 'O X1P', 'O2X X', 'D X X', 'XXXSX'],
  counter_circuit: ['XXXPPXXX', 'X  2   X', 'D XXXX S', 'X  1   X', 'XXXOOXXX'],
};

/** Terrain codes (one per cell). */
export const FLOOR = 0;
export const COUNTER = 1;
export const ONION_DISPENSER = 2;
export const DISH_DISPENSER = 3;
export const POT = 4;
export const SERVING = 5;
const TERRAIN_CHARS = ' XODPS';

/** Directions, in Overcooked-AI's order (also the first four action ids): N, S, E, W. */
export const DX: readonly number[] = [0, 0, 1, -1];
export const DY: readonly number[] = [-1, 1, 0, 0];

export interface CompiledLayout {
  readonly name: LayoutName;
  readonly width: number;
  readonly height: number;
  /** The grid rows with the start digits replaced by floor. */
  readonly rows: readonly string[];
  /** Terrain code per cell. */
  readonly terrain: Uint8Array;
  /** neighbour[cell * 4 + d]: the cell one step in direction d, or -1 off the grid. */
  readonly neighbour: Int16Array;
  /** Pot number per cell (its index in the state's `pots`), or -1. */
  readonly potIndex: Int8Array;
  /** Cell of each pot, in reading order. */
  readonly potCells: readonly number[];
  /** Cells of all counters, in reading order (the only cells that can hold a loose item). */
  readonly counterCells: readonly number[];
  /** Start cells of seat 0 ('1') and seat 1 ('2'). */
  readonly start: readonly [number, number];
}

function compile(name: LayoutName): CompiledLayout {
  const grid = LAYOUT_GRIDS[name];
  const height = grid.length;
  const width = (grid[0] ?? '').length;
  const cells = width * height;
  const terrain = new Uint8Array(cells);
  const potIndex = new Int8Array(cells).fill(-1);
  const potCells: number[] = [];
  const counterCells: number[] = [];
  const start = [-1, -1];
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    const row = grid[y] ?? '';
    if (row.length !== width) throw new Error(`overcooked layout ${name}: ragged row ${y}`);
    rows.push(row.replace(/[12]/g, ' '));
    for (let x = 0; x < width; x++) {
      const ch = row[x] as string;
      const cell = y * width + x;
      if (ch === '1' || ch === '2') {
        start[Number(ch) - 1] = cell;
        continue;
      }
      const code = TERRAIN_CHARS.indexOf(ch);
      if (code < 0) throw new Error(`overcooked layout ${name}: bad character ${JSON.stringify(ch)}`);
      terrain[cell] = code;
      if (code === POT) {
        potIndex[cell] = potCells.length;
        potCells.push(cell);
      } else if (code === COUNTER) counterCells.push(cell);
      const border = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      if (border && code === FLOOR) throw new Error(`overcooked layout ${name}: floor on the border`);
    }
  }
  if (start[0] === -1 || start[1] === -1) throw new Error(`overcooked layout ${name}: needs start cells 1 and 2`);
  const neighbour = new Int16Array(cells * 4);
  for (let cell = 0; cell < cells; cell++) {
    const x = cell % width;
    const y = (cell - x) / width;
    for (let d = 0; d < 4; d++) {
      const nx = x + (DX[d] as number);
      const ny = y + (DY[d] as number);
      neighbour[cell * 4 + d] = nx < 0 || ny < 0 || nx >= width || ny >= height ? -1 : ny * width + nx;
    }
  }
  return {
    name,
    width,
    height,
    rows,
    terrain,
    neighbour,
    potIndex,
    potCells,
    counterCells,
    start: [start[0] as number, start[1] as number],
  };
}

const COMPILED = new Map<LayoutName, CompiledLayout>();

/** The compiled tables of a standard layout (built once, shared; treat as read-only). */
export function compiledLayout(name: LayoutName): CompiledLayout {
  let layout = COMPILED.get(name);
  if (layout === undefined) {
    layout = compile(name);
    COMPILED.set(name, layout);
  }
  return layout;
}
