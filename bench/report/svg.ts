// bench/scaling.svg: time per file against size on log-log axes, written by hand (no plotting
// library). A dotted line of slope 1 through the first point of each series shows linear scaling.

interface Point {
  size: number;
  checkMs: number;
  parseMs: number;
}
interface Series {
  name: string;
  points: Point[];
  fit: { check: { exponent: number }; model: { exponent: number }; parse: { exponent: number } };
}

const W = 720;
const H = 440;
const M = { left: 70, right: 200, top: 30, bottom: 50 };

export function scalingSvg(data: { lines: Series; stages: Series }): string {
  const lines: { label: string; color: string; dash?: string; pts: [number, number][] }[] = [
    { label: `slimdock, lines (k=${data.lines.fit.check.exponent.toFixed(2)})`, color: '#1f77b4', pts: data.lines.points.map((p) => [p.size, p.checkMs]) },
    { label: `parse, lines (k=${data.lines.fit.parse.exponent.toFixed(2)})`, color: '#1f77b4', dash: '6 4', pts: data.lines.points.map((p) => [p.size, p.parseMs]) },
    { label: `slimdock, stages (k=${data.stages.fit.check.exponent.toFixed(2)})`, color: '#d62728', pts: data.stages.points.map((p) => [p.size, p.checkMs]) },
    { label: `parse, stages (k=${data.stages.fit.parse.exponent.toFixed(2)})`, color: '#d62728', dash: '6 4', pts: data.stages.points.map((p) => [p.size, p.parseMs]) },
  ];
  const all = lines.flatMap((l) => l.pts);
  const xMin = decadeBelow(Math.min(...all.map((p) => p[0])));
  const xMax = decadeAbove(Math.max(...all.map((p) => p[0])));
  const yMin = decadeBelow(Math.min(...all.map((p) => p[1])));
  const yMax = decadeAbove(Math.max(...all.map((p) => p[1])));
  const px = (x: number) => M.left + ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${M.left}" y="18" font-size="14">Time per file vs size (log-log); k = fitted exponent, 1 = linear</text>`);
  // Grid and ticks at every decade.
  for (let x = xMin; x <= xMax * 1.0001; x *= 10) {
    out.push(`<line x1="${px(x)}" y1="${M.top}" x2="${px(x)}" y2="${H - M.bottom}" stroke="#ddd"/>`);
    out.push(`<text x="${px(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${fmt(x)}</text>`);
  }
  for (let y = yMin; y <= yMax * 1.0001; y *= 10) {
    out.push(`<line x1="${M.left}" y1="${py(y)}" x2="${W - M.right}" y2="${py(y)}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 6}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`);
  }
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">lines (blue) or stages (red) in the Dockerfile</text>`);
  out.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">ms per file (median)</text>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#888"/>`);
  lines.forEach((l, i) => {
    const d = l.pts.map((p, j) => `${j ? 'L' : 'M'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${l.color}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`);
    for (const p of l.pts) out.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${l.color}"/>`);
    // Linear reference through the series' first point.
    if (!l.dash) {
      const [x0, y0] = l.pts[0];
      const x1 = l.pts[l.pts.length - 1][0];
      out.push(`<line x1="${px(x0)}" y1="${py(y0)}" x2="${px(x1)}" y2="${py(Math.min(yMax, (y0 * x1) / x0))}" stroke="${l.color}" stroke-width="1" stroke-dasharray="1 3"/>`);
    }
    const ly = M.top + 10 + i * 20;
    out.push(`<line x1="${W - M.right + 12}" y1="${ly}" x2="${W - M.right + 36}" y2="${ly}" stroke="${l.color}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`);
    out.push(`<text x="${W - M.right + 40}" y="${ly + 4}">${escape(l.label)}</text>`);
  });
  out.push(`<text x="${W - M.right + 12}" y="${M.top + 100}" fill="#555">dotted: slope 1 (linear)</text>`);
  out.push(`<text x="${W - M.right + 12}" y="${M.top + 116}" fill="#555">dashed: bare dockerfile-ast</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function decadeBelow(v: number): number {
  return 10 ** Math.floor(Math.log10(v));
}

function decadeAbove(v: number): number {
  return 10 ** Math.ceil(Math.log10(v));
}

function fmt(v: number): string {
  return v >= 1000 ? `${v / 1000}k` : v >= 1 ? String(v) : v.toPrecision(1);
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
