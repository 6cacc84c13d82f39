import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRandomSource, generatePin, generateToken } from '../../src/provider/random-source.ts';
import { seededRandom } from './fixtures/deterministic.ts';

// Chi-square critical value for 9 degrees of freedom at p = 0.001: a fair source fails 1 run in 1000.
const CHI_SQUARE_9DF_P001 = 27.88;

// The production source is not seeded, so its test uses p = 0.0001 to stay quiet: 1 false alarm in 10 000.
const CHI_SQUARE_9DF_P0001 = 33.72;

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

describe('randomness', () => {
  test('generateToken gives URL-safe base64 of at least 128 bits, different every time', () => {
    const random = createRandomSource();
    const a = generateToken(random);
    const b = generateToken(random);
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(a, b);
    assert.match(generateToken(random, 16), /^[A-Za-z0-9_-]{22}$/);
    assert.throws(() => generateToken(random, 15), /at least 16 bytes/);
  });

  test('a PIN has exactly the configured number of decimal digits, leading zeros included', () => {
    const random = seededRandom('pins');
    for (const length of [6, 7, 8, 10]) {
      for (let i = 0; i < 200; i++)
        assert.match(generatePin(random, length), new RegExp(`^[0-9]{${length}}$`));
    }
  });

  test('each PIN digit is one uniform draw from random.int(10)', () => {
    const random = seededRandom('calls');
    generatePin(random, 7);
    assert.deepEqual(random.calls.int, [10, 10, 10, 10, 10, 10, 10]);
  });

  test('PIN digits are uniformly distributed in every position (chi-square, seeded)', () => {
    const random = seededRandom('uniformity');
    const length = 7;
    const samples = 20_000;
    const counts = Array.from({ length }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < samples; i++) {
      const pin = generatePin(random, length);
      for (let p = 0; p < length; p++) (counts[p] as number[])[Number(pin[p])]! += 1;
    }
    for (const position of counts) assert.ok(chiSquare(position, samples / 10) < CHI_SQUARE_9DF_P001);
  });

  test("the production source's PIN digits are uniform too", () => {
    const random = createRandomSource();
    const counts = new Array<number>(10).fill(0);
    const samples = 10_000;
    for (let i = 0; i < samples; i++) counts[Number(generatePin(random, 7)[0])]! += 1;
    assert.ok(chiSquare(counts, samples / 10) < CHI_SQUARE_9DF_P0001);
  });

  test('createRandomSource.int stays within [0, max)', () => {
    const random = createRandomSource();
    for (let i = 0; i < 1000; i++) {
      const x = random.int(3);
      assert.ok(Number.isInteger(x) && x >= 0 && x < 3);
    }
    assert.equal(random.bytes(24).length, 24);
  });
});
