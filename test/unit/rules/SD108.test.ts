import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

ruleCases('SD108', {
  fires: [
    { name: 'opencv-python', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir opencv-python==4.10.0.84\n', lines: [2] },
    { name: 'opencv-contrib-python via sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pip install --no-cache-dir opencv-contrib-python"\n', lines: [2] },
    { name: 'underscore spelling in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir opencv_python\nEOF\n', lines: [3] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "opencv-python"]\n', lines: [2] },
    { name: 'on the second line of a continuation', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir numpy \\\n    opencv-python\n', lines: [3] },
  ],
  clean: [
    { name: 'headless', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir opencv-python-headless==4.10.0.84\n' },
    { name: 'contrib headless', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir opencv-contrib-python-headless\n' },
    { name: 'builder stage not shipped', dockerfile: 'FROM python:3.12 AS build\nRUN pip install opencv-python && python gen.py\nFROM python:3.12-slim\nCOPY --from=build /out /out\n' },
    { name: 'other packages', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir opencv-python-rolling-headless pillow\n' },
    { name: 'pip uninstall', dockerfile: 'FROM python:3.12-slim\nRUN pip uninstall -y opencv-python\n' },
    { name: 'suppressed', dockerfile: 'FROM python:3.12-slim\n# slimdock: ignore=SD108\nRUN pip install --no-cache-dir opencv-python\n' },
  ],
});

describe('SD108 fixes', () => {
  it('renames to -headless, keeping the version', () => {
    const fixed = assertFix('SD108', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "opencv-python==4.10.0.84"\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "opencv-python-headless==4.10.0.84"\n');
  });
  it('renames in exec form', () => {
    const fixed = assertFix('SD108', { dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "opencv-contrib-python"]\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "opencv-contrib-python-headless"]\n');
  });
});
