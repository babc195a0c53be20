import assert from 'node:assert/strict';
import { buildModel } from '../../server/src/engine/parse/dockerfile';

function commands(dockerfile: string): string[][] {
  return buildModel(dockerfile).instructions.flatMap((i) => i.run?.commands ?? []).map((c) => c.argv.map((w) => w.value));
}

describe('RUN bodies as shell commands', () => {
  it('joins continuations and skips comment lines inside them', () => {
    assert.deepEqual(commands('FROM x\nRUN apt-get update && \\\n  # why\n  apt-get install -y curl\n'), [['apt-get', 'update'], ['apt-get', 'install', '-y', 'curl']]);
  });
  it('reads on past a comment in backticks', () => {
    assert.deepEqual(commands('FROM x\nRUN apt-get install -y \\\n    curl `# for health checks` \\\n    && rm -rf /var/lib/apt/lists/*\n'), [['apt-get', 'install', '-y', 'curl'], ['rm', '-rf', '/var/lib/apt/lists/*']]);
  });
  it('honours the backtick escape directive', () => {
    assert.deepEqual(commands('# escape=`\nFROM x\nRUN pip install `\n    flask\n'), [['pip', 'install', 'flask']]);
  });
  it('reads heredoc scripts, exec form and sh -c', () => {
    assert.deepEqual(commands('FROM x\nRUN <<EOF\npip install a\nEOF\nRUN ["pip", "install", "b"]\nRUN sh -c "pip install c"\n'), [['pip', 'install', 'a'], ['pip', 'install', 'b'], ['sh', '-c', 'pip install c'], ['pip', 'install', 'c']]);
  });
  it('keeps document offsets through continuations', () => {
    const text = 'FROM x\nRUN echo a && \\\n    pip install flask\n';
    const cmd = buildModel(text).instructions[1].run!.commands[1];
    assert.equal(text.slice(cmd.start, cmd.end), 'pip install flask');
  });
  it('strips sudo and env wrappers, keeping env assignments', () => {
    const cmd = buildModel('FROM x\nRUN sudo -E env PIP_NO_CACHE_DIR=1 pip install a\n').instructions[1].run!.commands[0];
    assert.equal(cmd.name, 'pip');
    assert.equal(cmd.env.get('PIP_NO_CACHE_DIR'), '1');
  });
  it('re-uses a cached parse when the RUN moves', () => {
    const a = buildModel('FROM x\nRUN pip install flask\n').instructions[1].run!.commands[0];
    const text = 'FROM x\n# moved down\nRUN pip install flask\n';
    const b = buildModel(text).instructions[1].run!.commands[0];
    assert.equal(text.slice(b.start, b.end), 'pip install flask');
    assert.notEqual(a.start, b.start);
  });
});
