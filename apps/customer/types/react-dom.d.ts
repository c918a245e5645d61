// The app has no @types/react-dom: only the H5 build mounts anything itself (the tab bar, src/tab-bar/h5.tsx), and
// there react-dom is Preact's compat layer. The one call it makes:
declare module 'react-dom' {
  import type { ReactNode } from 'react';
  export function render(node: ReactNode, host: Element): void;
}
