/** Map colours, matched to the app's CSS custom properties (src/styles/theme.css). */
export const MAP_COLORS = {
  water: '#08121c',
  land: '#2b3b4f',
  coast: '#5b7089',
  border: '#6b7d91',
  receiver: '#38bdf8',
  receiverHalo: '#0b1220',
  estimate: '#f59e0b',
  ellipse68: '#f59e0b',
  ellipse95: '#fbbf24',
  truth: '#4ade80',
  history: '#c084fc',
  // TDoA (issue 12): the heat map is viridis, so its marks are white and red to stand out on it.
  tdoaEstimate: '#ef4444',
  tdoaRegion68: '#ffffff',
  tdoaRegion95: '#e2e8f0',
  tdoaHyperbola: '#f472b6',
  stationExcluded: '#94a3b8',
  town: '#f8fafc',
} as const;
