/** Map colours, matched to the app's CSS custom properties (src/styles/theme.css). */
export const MAP_COLORS = {
  water: '#0e1a26',
  land: '#1c2733',
  coast: '#4b5e72',
  border: '#3e4d5e',
  receiver: '#38bdf8',
  receiverHalo: '#0b1220',
  estimate: '#f59e0b',
  ellipse68: '#f59e0b',
  ellipse95: '#fbbf24',
  truth: '#4ade80',
  history: '#c084fc',
} as const;
