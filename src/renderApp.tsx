import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { markPhase } from './core/phaseMark';
import './styles/theme.css';
import './styles/layout.css';
import './styles/components.css';

/** The page's UI; main.tsx has started the engine before this chunk was even fetched. */
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
markPhase('render');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
