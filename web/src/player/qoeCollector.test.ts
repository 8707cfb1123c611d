import { describe, expect, it } from 'vitest';
import { QoeCollector, type QoeSample } from './qoeCollector';

const qualities = [
  { id: 'v360', height: 360, bandwidth: 800_000 },
  { id: 'v720', height: 720, bandwidth: 2_400_000 },
];

function setup(dropped = () => 0) {
  let now = 1000;
  const collector = new QoeCollector('video-1', () => now, dropped, 'view-1');
  const at = (ms: number, s: Partial<QoeSample> = {}) => {
    now = ms;
    collector.observe({
      status: 'ready',
      paused: false,
      ended: false,
      stalled: false,
      seeking: false,
      currentTime: 1,
      currentQuality: 'v360',
      qualities,
      ...s,
    });
  };
  return { collector, at, setNow: (ms: number) => (now = ms) };
}

describe('QoeCollector', () => {
  it('measures startup from the load to the first frame playing, and the startup wait is not a rebuffer', () => {
    const { collector, at } = setup();
    at(1200, { status: 'loading', currentTime: 0, currentQuality: null });
    at(1500, { stalled: true, currentTime: 0 });
    at(1850, { currentTime: 0.05 });
    const r = collector.report();
    expect(r.startupMs).toBe(850);
    expect(r.rebufferCount).toBe(0);
    expect(r.rebufferSeconds).toBe(0);
    expect(r.viewId).toBe('view-1');
    expect(r.videoId).toBe('video-1');
  });

  it('counts a stall after the first frame as one rebuffer with its duration, and watch time only while playing', () => {
    const { collector, at, setNow } = setup();
    at(2000);
    at(12_000, { stalled: true });
    at(13_000, { stalled: true });
    at(14_500);
    at(20_500, { paused: true });
    setNow(60_000);
    const r = collector.report();
    expect(r.rebufferCount).toBe(1);
    expect(r.rebufferSeconds).toBe(2.5);
    expect(r.watchSeconds).toBe(16);
  });

  it('leaves a seek and the stall it causes out of the rebuffers', () => {
    const { collector, at } = setup();
    at(2000);
    at(5000, { seeking: true, stalled: true });
    at(5500, { stalled: true });
    at(7000);
    at(8000, { stalled: true });
    at(9000);
    const r = collector.report();
    expect(r.rebufferCount).toBe(1);
    expect(r.rebufferSeconds).toBe(1);
    expect(r.watchSeconds).toBe(4);
  });

  it('weights the average bitrate and the rendition mix by watch time and counts switches at the playhead', () => {
    const { collector, at } = setup();
    at(2000);
    at(5000, { currentQuality: 'v720' });
    at(6000, { currentQuality: 'v720' });
    const r = collector.report();
    expect(r.bitrateSwitches).toBe(1);
    expect(r.renditionSeconds).toEqual({ '360': 3, '720': 1 });
    expect(r.avgBitrateBps).toBe(Math.round((800_000 * 3 + 2_400_000 * 1) / 4));
  });

  it('restarts the startup clock at the viewer play when autoplay was refused', () => {
    const { collector, at } = setup();
    at(1500, { paused: true, currentTime: 0 });
    collector.autoplayRefused();
    at(9000, { paused: false, currentTime: 0, stalled: true });
    at(9400, { currentTime: 0.1 });
    expect(collector.report().startupMs).toBe(400);
  });

  it('counts a fatal error, stops counting time after it and reports dropped frames', () => {
    let dropped = 0;
    const { collector, at, setNow } = setup(() => dropped);
    at(2000);
    dropped = 7;
    setNow(3000);
    collector.fatalError();
    setNow(50_000);
    const r = collector.report();
    expect(r.fatalErrors).toBe(1);
    expect(r.watchSeconds).toBe(1);
    expect(r.droppedFrames).toBe(7);
  });

  it('makes a random view id when none is given and no avg bitrate before watching', () => {
    const c = new QoeCollector('v', () => 0);
    expect(c.viewId).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.report().avgBitrateBps).toBeNull();
    expect(c.report().startupMs).toBeNull();
  });
});
