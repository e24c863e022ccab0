import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prefetchBootstrap } from './api';
import './styles/app.css';
import { applyInitialTheme } from './theme/theme';
import './bench';

// The boot state is asked for before React renders: the Go side answers
// while the first render runs.
prefetchBootstrap();
applyInitialTheme();

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
