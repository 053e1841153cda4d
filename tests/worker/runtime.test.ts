import { describe, expect, it } from 'vitest';
import { fastest } from '../../workers/executionProviders';
import { isRuntimeReady, loadRuntime } from '../../workers/ort';
import { TINY_INPUT, TINY_MODEL, TINY_OUTPUT } from '../../workers/tinyModel';

describe('the runtime loader', () => {
  it('runs the hand-encoded one-node model: y = x', async () => {
    const { ort } = await loadRuntime('wasm', 1);
    const session = await ort.InferenceSession.create(TINY_MODEL, { executionProviders: ['wasm'] });
    expect(session.inputNames).toEqual([TINY_INPUT]);
    expect(session.outputNames).toEqual([TINY_OUTPUT]);
    const out = await session.run({
      [TINY_INPUT]: new ort.Tensor('float32', new Float32Array([3.25]), [1]),
    });
    expect(Array.from(out[TINY_OUTPUT].data as Float32Array)).toEqual([3.25]);
    await session.release();
  });

  it('loads each build once and says when it is ready', async () => {
    const a = loadRuntime('wasm', 1);
    const b = loadRuntime('wasm', 1);
    expect(a).toBe(b);
    const runtime = await a;
    expect(runtime.build).toBe('wasm');
    expect(runtime.readyMs).toBeGreaterThan(0);
    expect(isRuntimeReady('wasm')).toBe(true);
  });
});

describe('choosing a provider on measured speed', () => {
  it('takes the fastest median, whatever the order', () => {
    const wasm = { ep: 'wasm', medianRunMs: 3.1 };
    const webgpu = { ep: 'webgpu', medianRunMs: 190 };
    expect(fastest([webgpu, wasm])).toBe(wasm);
    expect(fastest([wasm, webgpu])).toBe(wasm);
    const gpu = { ep: 'webgpu', medianRunMs: 0.4 };
    expect(fastest([wasm, gpu])).toBe(gpu);
  });

  it('keeps the operator order on ties and for a lone unmeasured provider', () => {
    const a = { ep: 'webgpu', medianRunMs: 2 };
    const b = { ep: 'wasm', medianRunMs: 2 };
    expect(fastest([a, b])).toBe(a);
    const lone = { ep: 'wasm', medianRunMs: NaN };
    expect(fastest([lone])).toBe(lone);
  });
});
