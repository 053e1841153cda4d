import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

// The operator UI mounts here; until its components land this shows only the product name.
function App() {
  return <h1>heimdall-web</h1>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
