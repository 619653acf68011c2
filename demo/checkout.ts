// The checkout demo against the sandbox: a new epay order, the element, the shopper's buttons,
// and a log of every event the element fires.
import '../src/index.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const checkout = byId<HTMLElementTagNameMap['cashdesk-checkout']>('checkout');
const log = byId<HTMLOListElement>('log');
// The sandbox's gateway pages live on this host: let its form actions through the host allow-list.
checkout.allowedHosts = [location.hostname];
let lastQr = '';

async function newOrder(): Promise<void> {
  const response = await fetch('/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ gateway: 'epay', scenario: 'qrcode', amount: 9900, currency: 'CNY' }),
  });
  const { orderId } = (await response.json()) as { orderId: string };
  checkout.reset();
  checkout.orderId = orderId;
  byId('order-id').textContent = orderId;
}

/** What a phone does with the QR on screen: the simulator pays it and notifies the backend. */
async function scan(): Promise<void> {
  await fetch('/gw/epay/scan', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ content: lastQr }),
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
    if (event.type === 'cashdesk-action') {
      const { action } = (event as HTMLElementEventMap['cashdesk-action']).detail;
      if (action.kind === 'qr') lastQr = action.content;
    }
    const item = document.createElement('li');
    const name = document.createElement('code');
    name.textContent = type;
    item.append(name, ` ${JSON.stringify(event.detail, (key, value) => (key === 'error' ? String(value) : value))}`);
    log.prepend(item);
  });
}

byId('settle-paid').addEventListener('click', () => void scan());
byId('new-order').addEventListener('click', () => void newOrder());
byId<HTMLSelectElement>('lang').addEventListener('change', (event) => {
  checkout.setAttribute('lang', (event.target as HTMLSelectElement).value);
});
void newOrder();
