import type { PropsWithChildren } from 'react';
import './app.scss';

// The desk layout (wide screens) is for the browser; the mini-program build leaves it out.
if (process.env.TARO_ENV === 'h5') require('./styles/desk.scss');

function App({ children }: PropsWithChildren) {
  // children is the page being shown.
  return children;
}

export default App;
