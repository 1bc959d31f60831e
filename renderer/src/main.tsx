import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { installAccessKeys } from './controls/access-keys.ts';
import './styles.css';

installAccessKeys();
createRoot(document.getElementById('root')!).render(<App />);
