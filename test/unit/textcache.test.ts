import assert from 'node:assert/strict';
import { TextCache } from '../../server/src/engine/parse/cache';

describe('TextCache (bounded caches keyed by text)', () => {
  it('keeps at most `limit` entries, dropping the least recently used', () => {
    const c = new TextCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.get('a'), 1); // a is now the most recent
    c.set('c', 3);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), 1);
    assert.equal(c.get('c'), 3);
  });

  it('keeps keys of at most `maxChars` characters in all', () => {
    const c = new TextCache<number>(100, 10);
    c.set('aaaa', 1);
    c.set('bbbb', 2);
    c.set('cccc', 3); // 12 characters: the oldest goes
    assert.equal(c.size, 2);
    assert.equal(c.get('aaaa'), undefined);
    c.set('bbbb', 4); // the same key again counts once
    assert.equal(c.size, 2);
    assert.equal(c.get('bbbb'), 4);
    assert.equal(c.get('cccc'), 3);
  });

  it('keeps a single entry longer than maxChars (the text being checked now)', () => {
    const c = new TextCache<number>(100, 3);
    c.set('long key', 1);
    assert.equal(c.get('long key'), 1);
    c.set('xy', 2);
    assert.equal(c.get('long key'), undefined);
    assert.equal(c.get('xy'), 2);
  });
});
