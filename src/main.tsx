import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { bootEngine } from './state/engineActions';
import './styles/theme.css';
import './styles/layout.css';
import './styles/components.css';

// The worker, its runtime and the model start before React's first render, not in an effect
// after it: the runtime's fetch and compile then overlap the page's own start-up.
void bootEngine();

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
