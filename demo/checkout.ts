// The checkout demo: the element, the shopper's buttons, and a log of every event it fires.
import '../src/index.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const checkout = byId<HTMLElementTagNameMap['cashdesk-checkout']>('checkout');
const log = byId<HTMLOListElement>('log');

function newOrder(): void {
  const id = `DEMO-${Date.now().toString(36).toUpperCase()}`;
  checkout.orderId = id;
  byId('order-id').textContent = id;
  checkout.reset();
}

async function settle(outcome: 'paid' | 'failed'): Promise<void> {
  await fetch('/api/demo/settle', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderId: checkout.orderId, outcome }),
  });
}

for (const type of [
  'cashdesk-action',
  'cashdesk-status',
  'cashdesk-success',
  'cashdesk-failure',
  'cashdesk-expired',
  'cashdesk-error',
] as const) {
  checkout.addEventListener(type, (event) => {
    const item = document.createElement('li');
    const name = document.createElement('code');
    name.textContent = type;
    item.append(name, ` ${JSON.stringify(event.detail, (key, value) => (key === 'error' ? String(value) : value))}`);
    log.prepend(item);
  });
}

byId('settle-paid').addEventListener('click', () => void settle('paid'));
byId('settle-failed').addEventListener('click', () => void settle('failed'));
byId('new-order').addEventListener('click', newOrder);
byId<HTMLSelectElement>('lang').addEventListener('change', (event) => {
  checkout.setAttribute('lang', (event.target as HTMLSelectElement).value);
});
newOrder();
