/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script that node runs directly. */
/**
 * Child process for the hard-kill durability test in sqlite-store.test.ts. Uses the COMPILED store (dist/, made by
 * `npm run build`) so that it exercises the real finishMatch, not a copy of its SQL.
 *
 * argv: <compiled sqlite-store.js> <db file> <template record JSON file> <count>
 * For i in 0..count-1 it commits the template record under id `crash-<i>` (even i through startMatch first, odd i
 * through finishMatch alone) and, only after finishMatch has returned, prints `<seq> <id>` on stdout. About 2 ms
 * passes between matches so that the parent's SIGKILL lands mid-way. After the last match it prints `done` and
 * waits to be killed.
 */
'use strict';
const fs = require('node:fs');

const [storeModule, dbPath, templatePath, countArg] = process.argv.slice(2);
const { SqliteStore } = require(storeModule);
const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
const count = Number(countArg);
const pause = new Int32Array(new SharedArrayBuffer(4));

const store = SqliteStore.open(dbPath);
for (let i = 0; i < count; i++) {
  const record = { ...template, id: `crash-${i}` };
  if (i % 2 === 0) {
    const { id, seed, seats } = record;
    store.startMatch({ id, game: record.game.id, params: record.game.params, seed, seats });
  }
  const seq = store.finishMatch(record);
  fs.writeSync(1, `${seq} ${record.id}\n`);
  Atomics.wait(pause, 0, 0, 2);
}
fs.writeSync(1, 'done\n');
setInterval(() => {}, 60_000);
