import { afterEach, describe, expect, it, vi } from 'vitest';
import { QoeCollector, type QoeSample } from './qoeCollector';
import { MAX_VIEWS_PER_BATCH, QoeReporter } from './qoeReporter';

const playing: QoeSample = {
  status: 'ready',
  paused: false,
  ended: false,
  stalled: false,
  seeking: false,
  currentTime: 1,
  currentQuality: 'a',
  qualities: [{ id: 'a', height: 360, bandwidth: 500_000 }],
};

class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
}

function setup() {
  vi.useFakeTimers();
  let now = 0;
  const sent: { url: string; body: { views: { viewId: string; watchSeconds: number }[] } }[] = [];
  const doc = new FakeDocument();
  const win = new EventTarget();
  const reporter = new QoeReporter({
    intervalMs: 30_000,
    send: (url, body) => sent.push({ url, body: JSON.parse(body) as (typeof sent)[number]['body'] }),
    document: doc as unknown as Document,
    window: win as unknown as Window,
  });
  const collector = (id: string) => {
    const c = new QoeCollector('video', () => now, () => 0, id);
    c.observe(playing);
    return c;
  };
  return { reporter, sent, doc, win, collector, advance: (ms: number) => { now += ms; vi.advanceTimersByTime(ms); } };
}

afterEach(() => vi.useRealTimers());

describe('QoeReporter', () => {
  it('sends cumulative reports on the interval, and only views whose figures changed', () => {
    const { reporter, sent, collector, advance } = setup();
    const c = collector('v1');
    reporter.add(c);
    reporter.start();
    advance(1000);
    c.observe(playing);
    advance(29_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('/api/v1/views');
    expect(sent[0]?.body.views[0]?.viewId).toBe('v1');
    expect(sent[0]?.body.views[0]?.watchSeconds).toBe(30);
    advance(10_000);
    c.observe({ ...playing, paused: true });
    advance(20_000);
    expect(sent[1]?.body.views[0]?.watchSeconds).toBe(40);
    advance(30_000);
    expect(sent).toHaveLength(2); // paused: nothing changed, nothing sent
    reporter.stop();
  });

  it('flushes when the page is hidden and on pagehide, and stops listening when stopped', () => {
    const { reporter, sent, doc, win, collector, advance } = setup();
    const c = collector('v1');
    c.observe(playing);
    reporter.add(c);
    reporter.start();
    advance(2000);
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(sent).toHaveLength(1);
    advance(1000);
    win.dispatchEvent(new Event('pagehide'));
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body.views[0]?.watchSeconds).toBe(3);
    reporter.stop();
    advance(1000);
    win.dispatchEvent(new Event('pagehide'));
    advance(60_000);
    expect(sent).toHaveLength(2); // nothing new at the stop's own flush, then no listener and no timer
  });

  it('batches many views, at most the server limit per report', () => {
    const { reporter, sent, collector, advance } = setup();
    for (let i = 0; i < MAX_VIEWS_PER_BATCH + 2; i++) reporter.add(collector(`v${i}`));
    advance(1000);
    reporter.flush();
    expect(sent.map((s) => s.body.views.length)).toEqual([MAX_VIEWS_PER_BATCH, 2]);
  });

  it('says nothing for a view that never showed a frame', () => {
    const { reporter, sent, advance } = setup();
    reporter.add(new QoeCollector('video', () => 0, () => 0, 'idle'));
    advance(1000);
    reporter.flush();
    expect(sent).toHaveLength(0);
  });
});
