/**
 * The layers of heimdall-web, enforced (`npm run lint`, CI): data flows one way, from src/core up
 * to the apps, and nothing below reaches up. tsconfig.*.json enforce the same trees for globals
 * (core has neither DOM nor Node types); these rules enforce who may import whom.
 *
 *   src/core   pure code for every runtime: imports nothing of the project outside core, no node:*
 *              module and only the npm libraries listed in CORE_LIBRARIES
 *   workers/   the inference worker: core only (never the UI, the server or Node)
 *   src/       the UI, in layers from low to high: ui < bridge < state < map < hooks < components
 *              < live (a feature) < App.tsx/main.tsx; a layer imports only the ones below it
 *   src/node, src/cli, server/, training/: Node; never the UI or the worker. src/node is the
 *              Node library below the apps: it imports neither src/cli nor server/.
 *
 * tests/layering.test.ts checks that these rules fail on deliberately wrong imports.
 */

/** npm libraries core may use: pure JavaScript that runs the same in a browser, a worker and Node. */
const CORE_LIBRARIES = ['zod', 'fft\\.js', 'geographiclib-geodesic', 'd3-contour'];

/** UI layers from low to high; each may import only the layers before it (and core, and worker types). */
const UI_LAYERS = ['ui', 'bridge', 'state', 'map', 'hooks', 'components', 'live'];

const NODE_TREE = '^(src/node|src/cli|server|training)/';
/** An npm package, wherever node_modules lies (the layering test cruises a fixture folder). */
const NPM = '(^|/)node_modules/';

const uiLayerRules = UI_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `ui-layer-${layer}`,
  comment: `src/${layer} is below ${UI_LAYERS.slice(i + 1).join(', ')} and App.tsx/main.tsx: it may not import them`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: [`^src/(${UI_LAYERS.slice(i + 1).join('|')})/`, '^src/[^/]+\\.tsx?$'] },
}));

module.exports = {
  forbidden: [
    {
      name: 'core-imports-core-only',
      comment: 'src/core is the bottom layer: it imports nothing of the project outside src/core',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', NPM], dependencyTypesNot: ['core'] },
    },
    {
      name: 'core-no-node-modules',
      comment:
        'src/core runs in browsers and workers too: no node:* (or other Node built-in) module',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-libraries',
      comment: `src/core may use only the npm libraries of CORE_LIBRARIES (${CORE_LIBRARIES.join(', ')}); no DOM-, worker- or Node-only package`,
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: NPM, pathNot: `${NPM}(${CORE_LIBRARIES.join('|')})/` },
    },
    {
      name: 'worker-imports-core-only',
      comment: 'workers/ imports src/core, never the UI, src/node, the CLI, the server or training',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: '^(src/(?!core/)|server/|training/)' },
    },
    {
      name: 'worker-no-node-modules',
      comment: 'workers/ runs in a browser worker: no node:* module',
      severity: 'error',
      from: { path: '^workers/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'ui-not-node',
      comment:
        'the UI (src/ outside core, node, cli) never imports the Node tree or node:* modules',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(core|node|cli)/' },
      to: { path: [NODE_TREE] },
    },
    {
      name: 'ui-no-node-modules',
      comment: 'the UI runs in a browser: no node:* module',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(core|node|cli)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'node-not-ui',
      comment: 'the server, the CLI, src/node and training never import the UI or the worker',
      severity: 'error',
      from: { path: NODE_TREE },
      to: { path: '^(src/(?!core/|node/|cli/)[^/]+/|src/[^/]+\\.tsx?$|workers/)' },
    },
    {
      name: 'node-library-below-apps',
      comment: 'src/node is the Node library the server and the CLI share: it imports neither',
      severity: 'error',
      from: { path: '^src/node/' },
      to: { path: '^(src/cli|server)/' },
    },
    ...uiLayerRules,
    {
      name: 'no-circular',
      comment: 'an import cycle: split the module that both sides need out of one of them',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.tsbuild|public|tests/fixtures)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
