import type { FloorSample } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatClock } from './format';

/** The chart's drawing area, in SVG units. */
const W = 240;
const H = 56;
const PAD = 3;

/** The points of a polyline of values scaled to the drawing area, oldest left. */
export function chartPoints(values: readonly number[], max: number): string {
  if (values.length === 0) return '';
  const top = max > 0 ? max : 1;
  const step = values.length > 1 ? (W - 2 * PAD) / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = PAD + i * step;
      const y = H - PAD - (Math.max(0, v) / top) * (H - 2 * PAD);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/**
 * A team's queue over the last hour: its length and its longest wait, each
 * scaled to its own maximum (named in the legend), drawn as inline SVG.
 */
export function QueueChart({ history }: { history: readonly FloorSample[] }) {
  const { t } = useI18n();
  if (history.length === 0) {
    return (
      <div className="floor-chart floor-chart-empty" data-testid="floor-chart">
        {t('floor.chartEmpty')}
      </div>
    );
  }
  const queues = history.map((s) => s.queue);
  const waits = history.map((s) => s.longest_wait_ms);
  const maxQueue = Math.max(...queues);
  const maxWait = Math.max(...waits);
  return (
    <figure className="floor-chart" data-testid="floor-chart" data-samples={history.length}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={t('floor.chart')}
      >
        <line className="chart-axis" x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} />
        <polyline
          className="chart-line chart-wait"
          data-testid="chart-wait"
          points={chartPoints(waits, maxWait)}
        />
        <polyline
          className="chart-line chart-queue"
          data-testid="chart-queue"
          points={chartPoints(queues, maxQueue)}
        />
      </svg>
      <figcaption className="chart-legend">
        <span className="chart-key chart-key-queue">{t('floor.chartQueue', { n: maxQueue })}</span>
        <span className="chart-key chart-key-wait">
          {t('floor.chartWait', { d: formatClock(maxWait) })}
        </span>
      </figcaption>
    </figure>
  );
}
