import { execFileSync } from 'node:child_process';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Every build (npm run build, npx vite build, the server's --build-if-needed) ships the demo.
 * Run as its own process so the config does not pull the simulator into Vite's config loader.
 */
const demoScenes: Plugin = {
  name: 'heimdall-demo-scenes',
  apply: 'build',
  buildStart: () => {
    execFileSync('node_modules/.bin/tsx', ['scripts/make-demo.ts', 'public/demo'], {
      stdio: 'inherit',
    });
  },
};

/** Every build ships the offline town names (scripts/make-places.ts, issue 12). */
const placeNames: Plugin = {
  name: 'heimdall-place-names',
  apply: 'build',
  buildStart: () => {
    execFileSync('node_modules/.bin/tsx', ['scripts/make-places.ts', 'public/places'], {
      stdio: 'inherit',
    });
  },
};

/**
 * The entry (src/main.tsx) is small: it starts the inference worker, then imports the engine's
 * boot and the app. Preload those chunks (and the app's CSS) from the HTML, so their fetch and
 * parse run beside the entry's instead of after it; Vite itself preloads only static imports.
 */
let base = '/';
const preloadEntryImports: Plugin = {
  name: 'heimdall-preload-entry-imports',
  apply: 'build',
  configResolved: (config) => void (base = config.base),
  transformIndexHtml: {
    order: 'post',
    handler: (_html, ctx) => {
      const entry = ctx.chunk;
      if (!entry) return [];
      const chunks = entry.dynamicImports.map((file) => ctx.bundle?.[file]);
      const css = chunks.flatMap((c) =>
        c?.type === 'chunk' ? [...(c.viteMetadata?.importedCss ?? [])] : [],
      );
      return [
        ...entry.dynamicImports.map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${file}` },
          injectTo: 'head' as const,
        })),
        ...css.map((file) => ({
          tag: 'link',
          attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `${base}${file}` },
          injectTo: 'head' as const,
        })),
      ];
    },
  },
};

// COOP/COEP make the page cross-origin isolated, which onnxruntime-web needs for WASM threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), demoScenes, placeNames, preloadEntryImports],
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 4096 },
});
