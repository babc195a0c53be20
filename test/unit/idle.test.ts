import assert from 'node:assert/strict';
import { IdleCollector } from '../../server/src/lsp/idle';
import { poll } from '../e2e/helpers';

describe('IdleCollector (the server returns memory once the editor goes quiet)', () => {
  it('exposes V8 gc in a process started without --expose-gc', () => {
    assert.equal(new IdleCollector().available, true);
  });

  it('collects once after a burst of enough work and a quiet period, and again after the next burst', async () => {
    const idle = new IdleCollector(20, 3);
    for (let i = 0; i < 5; i++) idle.worked();
    assert.equal(idle.collections, 0, 'not while work is still coming in');
    await poll('a collection after the quiet period', () => idle.collections === 1, 5_000, 10);
    for (let i = 0; i < 3; i++) idle.worked();
    await poll('a second collection', () => idle.collections === 2, 5_000, 10);
  });

  it('does not collect after too little work', async () => {
    const idle = new IdleCollector(20, 3);
    idle.worked();
    idle.worked();
    // The same quiet period a burst needs, measured by a collector that does reach its threshold.
    const witness = new IdleCollector(20, 1);
    witness.worked();
    await poll('the witness to collect', () => witness.collections === 1, 5_000, 10);
    await poll('the small burst\'s timer to have fired', () => !(idle as unknown as { timer?: unknown }).timer, 5_000, 10);
    assert.equal(idle.collections, 0);
  });
});
