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
 * boot and the app. Preload those chunks, the chunks they import and the app's CSS from the
 * HTML, so their fetch and parse run beside the entry's instead of after it; Vite itself
 * preloads only what the entry imports statically.
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
      if (!entry || !ctx.bundle) return [];
      const bundle = ctx.bundle;
      const files = new Set<string>();
      const css = new Set<string>();
      const visit = (file: string) => {
        const chunk = bundle[file];
        if (files.has(file) || chunk?.type !== 'chunk') return;
        files.add(file);
        chunk.viteMetadata?.importedCss.forEach((c) => css.add(c));
        chunk.imports.forEach(visit);
      };
      entry.dynamicImports.forEach(visit);
      // The entry itself (the chunks import the bridge from it) and what Vite preloads already.
      [entry.fileName, ...entry.imports].forEach((file) => files.delete(file));
      const link = (attrs: Record<string, string | boolean>) => ({
        tag: 'link',
        attrs: { crossorigin: true, ...attrs },
        injectTo: 'head' as const,
      });
      return [
        ...[...files].map((file) => link({ rel: 'modulepreload', href: `${base}${file}` })),
        ...[...css].map((file) => link({ rel: 'preload', as: 'style', href: `${base}${file}` })),
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
