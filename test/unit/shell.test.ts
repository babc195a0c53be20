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
  it('strips timeout with its duration, gosu/su-exec with their user, nice -n, runuser -u … --', () => {
    for (const run of ['timeout 60 git clone x', 'timeout -k 5 1m git clone x', 'timeout --signal=KILL 30s git clone x', 'timeout "$T" git clone x', 'timeout ${WAIT:-30} git clone x', 'gosu app git clone x', 'su-exec app:app git clone x', 'nice -n 10 git clone x', 'runuser -u app -- git clone x']) {
      const cmd = buildModel(`FROM x\nRUN ${run}\n`).instructions[1].run!.commands[0];
      assert.equal(cmd.name, 'git', run);
      assert.deepEqual(cmd.argv.map((w) => w.value), ['git', 'clone', 'x'], run);
    }
  });
  it('lets an ENV win over an ARG of the same name, as Docker does', () => {
    const cmd = buildModel('FROM x\nENV GPU=1\nARG GPU=0\nRUN echo $GPU\n').instructions[3].run!.commands[0];
    assert.equal(cmd.env.get('GPU'), '1');
  });
  it('re-uses a cached parse when the RUN moves', () => {
    const a = buildModel('FROM x\nRUN pip install flask\n').instructions[1].run!.commands[0];
    const text = 'FROM x\n# moved down\nRUN pip install flask\n';
    const b = buildModel(text).instructions[1].run!.commands[0];
    assert.equal(text.slice(b.start, b.end), 'pip install flask');
    assert.notEqual(a.start, b.start);
  });
  describe('shell variables', () => {
    const run = (text: string) => buildModel(text).instructions.find((i) => i.run)!.run!;
    it('expands a plain assignment in later words, but keeps it out of the environment', () => {
      const r = run('FROM x\nRUN deps="gcc libpq-dev" && apt-get install -y $deps && pip install a\n');
      const [apt, pip] = r.commands;
      assert.equal(apt.vars.get('deps'), 'gcc libpq-dev');
      assert.equal(apt.env.has('deps'), false, 'not exported: pip does not see it');
      assert.equal(pip.env.has('deps'), false);
    });
    it('expands earlier variables into an assignment, and leaves a substitution unknown', () => {
      const r = run('FROM x\nARG EXTRA=curl\nRUN a="gcc $EXTRA" && b=$(dpkg --print-architecture) && c="x $b" && apt-get install $a $b $c\n');
      const apt = r.commands.find((c) => c.name === 'apt-get')!;
      assert.equal(apt.vars.get('a'), 'gcc curl');
      assert.equal(apt.vars.get('b'), '${b}', 'a value only running the script tells stays the variable');
      assert.equal(apt.vars.get('c'), 'x ${b}');
    });
    it('changes an exported variable for the commands after it', () => {
      const r = run('FROM x\nENV PIP_NO_CACHE_DIR=0\nRUN PIP_NO_CACHE_DIR=1; pip install a\n');
      assert.equal(r.commands[0].env.get('PIP_NO_CACHE_DIR'), '1');
      assert.equal(r.commands[0].vars.get('PIP_NO_CACHE_DIR'), '1');
    });
    it('keeps assignments in a subshell or a pipeline to themselves', () => {
      const r = run('FROM x\nRUN (a=1; echo $a) && b=2 | cat && echo $a $b\n');
      const last = r.commands[r.commands.length - 1];
      assert.equal(last.vars.has('a'), false);
      assert.equal(last.vars.has('b'), false);
      assert.equal(r.commands[0].vars.get('a'), '1');
    });
    it('does not expand an inline assignment in its own command (`a=1 cmd $a` reads the old value)', () => {
      const r = run('FROM x\nRUN a=1 && a=2 echo $a\n');
      assert.equal(r.commands[0].vars.get('a'), '1');
      assert.equal(r.commands[0].env.get('a'), '2');
    });
    it('records the assignment statements of the script itself, with their offsets, and no others', () => {
      const text = 'FROM x\n# moved\nRUN deps="gcc" \\\n  && apt-get install $deps && if x; then y=1; fi && (z=1)\n';
      const r = run(text);
      assert.deepEqual(r.assignments.map((x) => [x.names, text.slice(x.start, x.end)]), [[['deps'], 'deps="gcc"']]);
      // The cached parse, moved down a line, moves its assignments too.
      const moved = '\n' + text;
      const r2 = run(moved);
      assert.equal(moved.slice(r2.assignments[0].start, r2.assignments[0].end), 'deps="gcc"');
    });
    it('records the assignments of a heredoc script', () => {
      const text = 'FROM x\nRUN <<EOF\nset -e\ndeps="gcc make"\napt-get install -y $deps\nEOF\n';
      const r = run(text);
      assert.deepEqual(r.assignments.map((x) => text.slice(x.start, x.end)), ['deps="gcc make"']);
      assert.equal(r.commands.find((c) => c.name === 'apt-get')!.vars.get('deps'), 'gcc make');
    });
  });
  describe('if statements', () => {
    const conds = (body: string) => {
      const text = `FROM x\nARG DEV\nRUN ${body}\n`;
      return buildModel(text).instructions[2].run!.conditionals.map((c) => ({ all: text.slice(c.start, c.end), test: c.test && text.slice(c.test.start, c.test.end), vars: c.test?.vars, branches: c.branches }));
    };
    it('reads a test of build arguments, with the variables it reads', () => {
      assert.deepEqual(conds('pip install a && if [ "$DEV" = "true" ] && [ -n "${EXTRA}" ]; then pip install b; fi'), [{ all: 'if [ "$DEV" = "true" ] && [ -n "${EXTRA}" ]; then pip install b; fi', test: undefined, vars: undefined, branches: false }]);
      assert.deepEqual(conds('if [[ -n "$DEV" && $EXTRA == 1 ]]; then pip install b; fi'), [{ all: 'if [[ -n "$DEV" && $EXTRA == 1 ]]; then pip install b; fi', test: '[[ -n "$DEV" && $EXTRA == 1 ]]', vars: ['DEV', 'EXTRA'], branches: false }]);
    });
    it('has no test for a file test, a command or a substitution, and sees else branches', () => {
      assert.equal(conds('if [ -f requirements.txt ]; then pip install -r requirements.txt; fi')[0].test, undefined);
      assert.equal(conds('if grep -q x y; then pip install a; fi')[0].test, undefined);
      assert.equal(conds('if [ "$(uname -m)" = x86_64 ]; then pip install a; fi')[0].test, undefined);
      assert.equal(conds('if [ "$DEV" = 1 ]; then pip install a; else pip install b; fi')[0].branches, true);
      assert.equal(conds('if [ "$DEV" = 1 ]; then pip install a; elif [ "$DEV" = 2 ]; then pip install b; fi')[0].branches, true);
    });
    it('finds where a plain else branch starts (none for elif, or an else holding an if)', () => {
      const text = 'FROM x\nARG DEV\nRUN if [ "$DEV" = 1 ]; then pip install a; else pip install b; fi\n';
      const c = buildModel(text).instructions[2].run!.conditionals[0];
      assert.equal(text.slice(c.plainElse!, c.end), 'else pip install b; fi');
      assert.equal(conds('if [ "$DEV" = 1 ]; then pip install a; elif [ "$DEV" = 2 ]; then pip install b; fi')[0].branches, true);
      assert.equal(buildModel('FROM x\nRUN if [ "$DEV" = 1 ]; then pip install a; elif [ "$DEV" = 2 ]; then pip install b; fi\n').instructions[1].run!.conditionals[0].plainElse, undefined);
      assert.equal(buildModel('FROM x\nRUN if [ "$D" = 1 ]; then a; else if [ "$E" = 1 ]; then b; fi; fi\n').instructions[1].run!.conditionals[0].plainElse, undefined);
    });
    it('records only the if statements of the script itself', () => {
      assert.deepEqual(conds('(if [ "$DEV" = 1 ]; then pip install a; fi) && for x in a; do if [ "$x" = a ]; then :; fi; done'), []);
    });
  });
  describe('assignments in branches', () => {
    const varsAt = (body: string, name: string) => {
      const r = buildModel(`FROM x\nENV E=env\nRUN ${body}\n`).instructions[2].run!;
      const last = r.commands[r.commands.length - 1];
      return { value: last.vars.get(name), env: last.env.get(name), assigned: last.assigned?.has(name) ?? false };
    };
    it('is unknown after an if/else, a case, a loop or the right side of ||', () => {
      assert.equal(varsAt('if [ "$A" = 1 ]; then d=libpq-dev; else d=libmariadb-dev; fi && apt-get install $d', 'd').value, '${d}');
      assert.equal(varsAt('if [ "$A" = 1 ]; then d=libpq-dev; fi && apt-get install $d', 'd').value, '${d}');
      assert.equal(varsAt('case "$A" in pg) d=libpq-dev ;; *) d=gcc ;; esac; apt-get install $d', 'd').value, '${d}');
      assert.equal(varsAt('for x in a b; do d=$x; done; apt-get install $d', 'd').value, '${d}');
      assert.equal(varsAt('for E in a b; do apt-get install $E; done', 'E').value, '${E}', 'inside the loop too');
      assert.equal(varsAt('test -n "$A" || d=gcc; apt-get install $d', 'd').value, '${d}');
      assert.equal(varsAt('d=gcc && true || d=make; apt-get install $d', 'd').value, '${d}');
    });
    it('is known inside its own branch, and each branch starts from the value before the if', () => {
      const r = buildModel('FROM x\nRUN d=gcc; if [ "$A" = 1 ]; then d=make; apt-get install $d; else apt-get install $d; fi\n').instructions[1].run!;
      const [thenInstall, elseInstall] = r.commands.filter((c) => c.name === 'apt-get');
      assert.equal(thenInstall.vars.get('d'), 'make');
      assert.equal(elseInstall.vars.get('d'), 'gcc');
    });
    it('marks an ENV or ARG name the RUN sets again as assigned (its value changes for the commands after it)', () => {
      const v = varsAt('E=mine && pip install $E', 'E');
      assert.deepEqual(v, { value: 'mine', env: 'mine', assigned: true });
      assert.equal(varsAt('pip install $E', 'E').assigned, false);
    });
    it('sees a nested if, a loop or a pipeline in the then branch (not plain)', () => {
      const plain = (body: string) => buildModel(`FROM x\nRUN ${body}\n`).instructions[1].run!.conditionals[0].plain;
      assert.equal(plain('if [ "$A" = 1 ]; then pip install a && echo done > /log; fi'), true);
      assert.equal(plain('if [ "$A" = 1 ]; then if [ "$B" = 1 ]; then pip install a; fi; fi'), false);
      assert.equal(plain('if [ "$A" = 1 ]; then pip install a | tee /log; fi'), false);
      assert.equal(plain('if [ "$A" = 1 ]; then (pip install a); fi'), false);
    });
  });
});
