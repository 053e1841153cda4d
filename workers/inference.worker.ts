/**
 * The inference worker's entry: exposes the API (api.ts) to the page through comlink.
 *
 * onnxruntime-web's WASM threads are Web Workers that load this same chunk again; their names
 * start with 'em-pthread'. They must not expose a second API (their messages belong to ORT).
 */
import { expose } from 'comlink';
import { markPhase } from '../src/core/phaseMark';
import { createInferenceApi } from './api';

declare const self: DedicatedWorkerGlobalScope;

if (!self.name?.startsWith('em-pthread')) {
  markPhase('worker-start');
  expose(createInferenceApi());
}
