// A merchant's React 19 page, importing the built package by its name: the checkout as the
// @lit/react component, and the bare tag as React 19 renders custom elements itself. Each handler
// writes what it received into the page, where test/e2e/frameworks.spec.ts reads it.
import { CashdeskCheckout } from 'cashdesk/react';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const [log, setLog] = useState<string[]>([]);
  const note = (line: string) => setLog((lines) => [...lines, line]);
  return (
    <main>
      <CashdeskCheckout
        id="component"
        endpoint="/api/pay"
        statusEndpoint="/api/status"
        orderId="R-1"
        amount="9900"
        currency="CNY"
        methods="wxpay"
        pollSchedule={{ first: 200, interval: 200 }}
        onStatus={(event) => note(`status ${event.detail.state}`)}
        onSuccess={(event) => note(`success ${event.detail.orderId} ${event.detail.reference ?? ''}`)}
        onError={(event) => note(`error ${event.detail.code}`)}
      />
      <cashdesk-checkout
        id="tag"
        endpoint="/api/missing"
        orderId="R-2"
        amount="100"
        currency="CNY"
        methods="alipay"
        oncashdesk-error={(event) => note(`tag error ${event.detail.code}`)}
      />
      <output data-testid="log">{log.join('\n')}</output>
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
