// Dropping the oldest entry of a full window for each new one, as the nonce window and the verification
// cache do: a plain Map (its first key, `map.keys().next()`) against OldestFirstMap
// (src/stores/oldest-first-map.ts), in the same run, µs per new entry. V8 keeps a deleted Map entry's slot
// until the table is rebuilt, and finding the first key walks every deleted slot before it.
//
//   node bench/micro/oldest-first.ts [--entries 10000] [--operations 1000000]

import { OldestFirstMap } from '../../src/stores/oldest-first-map.ts';
import { benchArguments } from '../arguments.ts';

const { values } = benchArguments({
  options: {
    entries: { type: 'string', default: '10000' },
    operations: { type: 'string', default: '1000000' },
  },
});
const ENTRIES = Number(values.entries);
const OPERATIONS = Number(values.operations);
const keys = Array.from({ length: ENTRIES + OPERATIONS }, (_, i) => `nonce-${i}`);

function plainMap(): number {
  const map = new Map<string, number>();
  for (let i = 0; i < ENTRIES; i++) map.set(keys[i] as string, i);
  const before = process.cpuUsage();
  for (let i = ENTRIES; i < ENTRIES + OPERATIONS; i++) {
    map.delete(map.keys().next().value as string);
    map.set(keys[i] as string, i);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / OPERATIONS;
}

function oldestFirst(): number {
  const map = new OldestFirstMap<number>();
  for (let i = 0; i < ENTRIES; i++) map.set(keys[i] as string, i);
  const before = process.cpuUsage();
  for (let i = ENTRIES; i < ENTRIES + OPERATIONS; i++) {
    map.deleteOldest();
    map.set(keys[i] as string, i);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / OPERATIONS;
}

console.log(
  `# Oldest out, newest in, on a full window of ${ENTRIES.toLocaleString('en')} entries (µs CPU per new entry)`,
);
console.log();
console.log('| round | Map, first key | OldestFirstMap | ratio |');
console.log('|---:|---:|---:|---:|');
for (let round = 1; round <= 3; round++) {
  const map = plainMap();
  const ours = oldestFirst();
  console.log(`| ${round} | ${map.toFixed(2)} | ${ours.toFixed(2)} | ${(map / ours).toFixed(1)}× |`);
}
