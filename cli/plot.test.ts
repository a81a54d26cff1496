import { niceTicks, svgPlot } from './plot';

describe('niceTicks', () => {
  it('gives round steps inside the range', () => {
    expect(niceTicks(40, 2000)).toEqual([500, 1000, 1500, 2000]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
  });
});

describe('svgPlot', () => {
  it('draws one path per series with a legend entry, on a log axis when asked', () => {
    const svg = svgPlot(
      [
        { name: 'a', points: [{ x: 1, y: 1 }, { x: 2, y: 0.01 }] },
        { name: 'b<c', points: [{ x: 1, y: 0.5 }, { x: 2, y: 0.1 }] },
      ],
      { title: 'T', xLabel: 'x', yLabel: 'y', logY: true },
    );
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('b&lt;c');
    expect(svg).toContain('>1e-2<');
    expect(svg).toContain('>1e0<');
  });
});
