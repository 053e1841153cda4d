import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { KiwiDouble } from '../support/kiwiDouble';

let double: KiwiDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

function open(url: string): Promise<{ ws: WebSocket; messages: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: string[] = [];
    ws.on('message', (d) => messages.push(d.toString()));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('error', reject);
  });
}

describe('the KiwiSDR test double behaves like a Kiwi', () => {
  it('refuses paths other than /<number>/SND', async () => {
    double = await KiwiDouble.start();
    await expect(open(`ws://127.0.0.1:${double.port}/kiwi/SND`)).rejects.toThrow(/404/);
    expect(double.rejected).toEqual(['/kiwi/SND']);
  });

  it('ignores commands before auth, answers a bad password with badp=1 and closes', async () => {
    double = await KiwiDouble.start({ password: 'pw' });
    const { ws, messages } = await open(`ws://127.0.0.1:${double.port}/123/SND`);
    const closed = new Promise((r) => ws.on('close', r));
    ws.send('SET keepalive');
    ws.send('SET auth t=kiwi p=nope');
    await closed;
    expect(messages).toEqual(['MSG badp=1']);
    expect(double.connections[0].violations).toEqual(['command before auth: "SET keepalive"']);
  });

  it('streams nothing until tune, AGC and AR OK have all arrived', async () => {
    double = await KiwiDouble.start();
    const { ws, messages } = await open(`ws://127.0.0.1:${double.port}/1/SND`);
    ws.send('SET auth t=kiwi p=');
    ws.send('SET mod=iq low_cut=-5000 high_cut=5000 freq=10000.000');
    ws.send('SET agc=0 hang=0 thresh=-100 slope=6 decay=1000 manGain=50');
    await double.waitFor(() => messages.some((m) => m.includes('sample_rate=')), 'sample_rate');
    await new Promise((r) => setTimeout(r, 150));
    expect(double.connections[0].framesSent).toBe(0);
    ws.send('SET AR OK in=12000 out=44100');
    await double.waitFor(() => messages.some((m) => m.startsWith('SND')), 'a frame');
    expect(messages.slice(0, 5)).toEqual([
      'MSG badp=0',
      'MSG version_maj=1 version_min=826',
      'MSG center_freq=15000000 bandwidth=30000000 adc_clk_nom=66666600',
      'MSG audio_init=0 audio_rate=12000',
      'MSG sample_rate=12000.000000',
    ]);
    ws.terminate();
  });
});
