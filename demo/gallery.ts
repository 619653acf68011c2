/**
 * The demo gallery: choose a gateway simulator, a scenario, a method and an environment, start an
 * order, and pay it with a fresh `<cashdesk-checkout>`, while the page shows every event the
 * element fires and what the sandbox backend knows about the order.
 *
 * Every choice lives in the query string (`?gateway=epay&scenario=qrcode&env=desktop&lang=en`),
 * so a setup can be shared and reloaded; `autostart=1` creates the order and mounts the element
 * at once (the end-to-end tests use these URLs). Changing the environment reloads the page: the
 * simulated bridges and user agent are installed once, at load, for one environment only.
 */
import '../src/index.js';
import { en } from '../src/i18n/en.js';
import { methodName as localizedMethodName } from '../src/i18n/localize.js';
import type { Environment, NextAction } from '../src/index.js';
import { formatMinor, LOCALES } from '../src/index.js';
import {
  type BridgeContext,
  el,
  installAlipayBridge,
  installAlipayMiniProgram,
  installAppBridge,
  installWechatBridge,
  installWechatMiniProgram,
  pretendUserAgent,
} from './gallery-bridges.js';

interface SandboxScenario {
  id: string;
  label: string;
  expect: string;
}

interface SandboxGateway {
  id: string;
  label: string;
  methods: string[];
  scenarios: SandboxScenario[];
}

/** `GET /api/orders/:orderId`: the sandbox backend's own view of the order. */
interface OrderView {
  orderId: string;
  amount: number;
  currency: string;
  gateway: string;
  scenario: string;
  status: string;
  code?: string;
  message?: string;
  creates: number;
  log: string[];
  attempts: string[];
}

const ENV_IDS = ['desktop', 'ios', 'android', 'wechat', 'alipay', 'app', 'wechat-mini', 'alipay-mini'] as const;
type EnvId = (typeof ENV_IDS)[number];

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

const ENVIRONMENTS: Record<EnvId, { frame: string; environment: Environment }> = {
  desktop: { frame: 'Desktop browser', environment: { mobile: false, os: 'other' } },
  ios: { frame: 'iPhone · Safari', environment: { mobile: true, os: 'ios' } },
  android: { frame: 'Android · Chrome', environment: { mobile: true, os: 'android' } },
  wechat: { frame: 'WeChat', environment: { mobile: true, os: 'ios', inApp: 'wechat' } },
  alipay: { frame: 'Alipay app', environment: { mobile: true, os: 'ios', inApp: 'alipay' } },
  app: {
    frame: 'Your app · webview',
    environment: { mobile: true, os: 'ios', inApp: 'webview', nativeBridge: 'react-native' },
  },
  'wechat-mini': {
    frame: 'WeChat mini-program · web-view',
    environment: { mobile: true, os: 'ios', inApp: 'wechat-miniprogram' },
  },
  'alipay-mini': {
    frame: 'Alipay mini-program · web-view',
    environment: { mobile: true, os: 'android', inApp: 'alipay-miniprogram' },
  },
};

const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'JPY'];
const ALL_METHODS = 'all';
/** What the gallery shows on a bare `/`. */
const FIRST = { gateway: 'epay', scenario: 'qrcode' };

const EVENT_TYPES = [
  'cashdesk-action',
  'cashdesk-status',
  'cashdesk-success',
  'cashdesk-failure',
  'cashdesk-expired',
  'cashdesk-error',
  'cashdesk-redirect',
  'cashdesk-app-launch-failed',
  'cashdesk-sdk-token',
  'cashdesk-open-in-browser',
  'cashdesk-qr-refresh',
  'cashdesk-close',
  'cashdesk-native-result',
] as const;

const ORDER_POLL_MS = 2000;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const form = byId<HTMLFormElement>('setup');
const gatewaySelect = byId<HTMLSelectElement>('gateway');
const scenarioSelect = byId<HTMLSelectElement>('scenario');
const scenarioExpect = byId<HTMLElement>('scenario-expect');
const methodSelect = byId<HTMLSelectElement>('method');
const envSelect = byId<HTMLSelectElement>('env');
const amountInput = byId<HTMLInputElement>('amount');
const currencySelect = byId<HTMLSelectElement>('currency');
const amountPreview = byId<HTMLOutputElement>('amount-preview');
const langSelect = byId<HTMLSelectElement>('lang');
const startButton = byId<HTMLButtonElement>('start');
const setupNote = byId<HTMLElement>('setup-note');
const device = byId<HTMLElement>('device');
const deviceLabel = byId<HTMLElement>('device-label');
const stage = byId<HTMLElement>('stage');
const orderLabel = byId<HTMLElement>('order-id');
const hint = byId<HTMLElement>('hint');
const scanButton = byId<HTMLButtonElement>('scan');
const scanResult = byId<HTMLElement>('scan-result');
const log = byId<HTMLOListElement>('log');
const logEmpty = byId<HTMLElement>('log-empty');
const clearLogButton = byId<HTMLButtonElement>('clear-log');
const backendView = byId<HTMLElement>('backend');

const query = new URLSearchParams(location.search);
const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

const envId: EnvId = pick(query.get('env'), ENV_IDS, 'desktop');
let gateways: SandboxGateway[] = [];

/** The order on screen, with the gateway it was created for (the form may have moved on). */
let current: { orderId: string; gateway: string; amount: number; currency: string } | undefined;
let checkout: HTMLElementTagNameMap['cashdesk-checkout'] | undefined;
let lastAction: NextAction | undefined;
let checkoutState = 'idle';
let ended: 'paid' | 'failed' | 'expired' | undefined;

// ---------------------------------------------------------------------------------------------
// The environment: chosen once per page load.

const bridgeContext: BridgeContext = {
  get gateway() {
    return current?.gateway ?? gatewaySelect.value;
  },
  orderId: () => current?.orderId ?? '',
  amountText: () =>
    current
      ? (formatMinor(current.amount, current.currency, langSelect.value) ?? `${current.amount} ${current.currency}`)
      : '',
  note: (source, text, detail) => addLogEntry('bridge', source, text, detail),
};

function installEnvironment(id: EnvId): void {
  if (id === 'wechat') installWechatBridge(bridgeContext);
  else if (id === 'alipay') installAlipayBridge(bridgeContext);
  else if (id === 'app') installAppBridge(bridgeContext);
  // `&sdk=0`: the page forgot the web-view script (jweixin, web-view.min.js).
  else if (id === 'wechat-mini') installWechatMiniProgram(bridgeContext, query.get('sdk') !== '0');
  else if (id === 'alipay-mini') installAlipayMiniProgram(bridgeContext, query.get('sdk') !== '0');
  else if (id === 'ios') pretendUserAgent(IPHONE_SAFARI);
  else if (id === 'android') pretendUserAgent(ANDROID_CHROME);
  device.dataset.env = id;
  device.classList.toggle('device-phone', id !== 'desktop');
  deviceLabel.textContent = ENVIRONMENTS[id].frame;
}

// ---------------------------------------------------------------------------------------------
// The setup form and the query string.

function option(value: string, text: string, selected = false, disabled = false): HTMLOptionElement {
  const node = el('option', { value }, text);
  node.selected = selected;
  node.disabled = disabled;
  return node;
}

function selectedGateway(): SandboxGateway | undefined {
  return gateways.find((gateway) => gateway.id === gatewaySelect.value);
}

function fillGateways(wanted: string | null): void {
  const ready = gateways.filter((gateway) => gateway.scenarios.length > 0);
  const chosen =
    ready.find((gateway) => gateway.id === wanted) ?? ready.find((gateway) => gateway.id === FIRST.gateway) ?? ready[0];
  gatewaySelect.replaceChildren(
    ...gateways.map((gateway) =>
      option(
        gateway.id,
        gateway.scenarios.length > 0 ? gateway.label : `${gateway.label} (simulator coming)`,
        gateway === chosen,
        gateway.scenarios.length === 0,
      ),
    ),
  );
}

function fillScenarios(wanted: string | null, wantedMethod: string | null): void {
  const gateway = selectedGateway();
  const scenarios = gateway?.scenarios ?? [];
  const scenario = scenarios.find((item) => item.id === wanted) ?? scenarios[0];
  scenarioSelect.replaceChildren(
    ...scenarios.map((item) => option(item.id, `${item.label} → ${item.expect}`, item === scenario)),
  );
  const methods = gateway?.methods ?? [];
  const method = methods.includes(wantedMethod ?? '') ? wantedMethod : ALL_METHODS;
  methodSelect.replaceChildren(
    option(ALL_METHODS, 'All: the shopper chooses', method === ALL_METHODS),
    ...methods.map((id) => option(id, methodName(id), id === method)),
  );
  showExpect();
}

function showExpect(): void {
  const scenario = selectedGateway()?.scenarios.find((item) => item.id === scenarioSelect.value);
  scenarioExpect.replaceChildren(
    'The checkout should get: ',
    el('code', {}, scenario?.expect ?? '—'),
    scenario?.expect.includes('|') ? ' (it depends on the environment)' : '',
  );
}

/** The gallery speaks English: the method names the widget itself shows in English. */
function methodName(id: string): string {
  return localizedMethodName(en, id);
}

function amountValue(): number {
  const value = Number(amountInput.value);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function showAmount(): void {
  const amount = amountValue();
  amountPreview.value = amount ? (formatMinor(amount, currencySelect.value, 'en') ?? '') : 'an amount in minor units';
}

/** The setup as a query string; `autostart` when an order is on screen, so a reload starts a fresh one. */
function setupQuery(autostart: boolean, env: string = envId): URLSearchParams {
  const params = new URLSearchParams({
    gateway: gatewaySelect.value,
    scenario: scenarioSelect.value,
    method: methodSelect.value,
    env,
    amount: String(amountValue() || 9900),
    currency: currencySelect.value,
    lang: langSelect.value,
  });
  if (autostart) params.set('autostart', '1');
  return params;
}

function saveSetup(): void {
  history.replaceState(null, '', `?${setupQuery(current !== undefined)}`);
  if (current) {
    setupNote.textContent = 'Press Start to try these choices on a new order.';
  }
}

function restoreStaticChoices(): void {
  envSelect.value = envId;
  langSelect.value = pick(query.get('lang'), LOCALES, 'en');
  currencySelect.value = pick(query.get('currency')?.toUpperCase() ?? null, CURRENCIES, 'CNY');
  const amount = Number(query.get('amount'));
  amountInput.value = String(Number.isSafeInteger(amount) && amount > 0 ? amount : 9900);
  showAmount();
}

gatewaySelect.addEventListener('change', () => {
  fillScenarios(null, null);
  saveSetup();
});
scenarioSelect.addEventListener('change', () => {
  showExpect();
  saveSetup();
});
methodSelect.addEventListener('change', saveSetup);
amountInput.addEventListener('input', () => {
  showAmount();
  saveSetup();
});
currencySelect.addEventListener('change', () => {
  showAmount();
  saveSetup();
});
langSelect.addEventListener('change', () => {
  checkout?.setAttribute('lang', langSelect.value);
  history.replaceState(null, '', `?${setupQuery(current !== undefined)}`);
});
// The bridges and the user agent belong to one page load: another environment is another page.
envSelect.addEventListener('change', () => {
  location.assign(`?${setupQuery(false, envSelect.value)}`);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void start();
});

// ---------------------------------------------------------------------------------------------
// Starting an order and mounting a fresh checkout.

async function start(): Promise<void> {
  const gateway = gatewaySelect.value;
  const amount = amountValue();
  if (!amount) {
    setupNote.textContent = 'The amount must be a whole number of minor units (9900 is 99.00).';
    amountInput.focus();
    return;
  }
  startButton.disabled = true;
  setupNote.textContent = 'Creating the order…';
  try {
    const response = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gateway, scenario: scenarioSelect.value, amount, currency: currencySelect.value }),
    });
    const body = (await response.json()) as { orderId?: string; error?: string };
    if (!response.ok || !body.orderId) throw new Error(body.error ?? `HTTP ${response.status}`);
    mount({ orderId: body.orderId, gateway, amount, currency: currencySelect.value });
    setupNote.textContent = '';
  } catch (error) {
    setupNote.textContent = `The sandbox could not create the order: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    startButton.disabled = false;
  }
}

function mount(order: NonNullable<typeof current>): void {
  current = order;
  lastAction = undefined;
  ended = undefined;
  checkoutState = 'idle';
  clearLog();
  scanResult.textContent = '';
  lastOrderJson = '';
  backendView.replaceChildren(el('p', { class: 'muted' }, 'Asking the backend…'));

  const element = document.createElement('cashdesk-checkout');
  element.setAttribute('endpoint', '/api/pay');
  element.setAttribute('status-endpoint', '/api/status');
  element.setAttribute('order-id', order.orderId);
  element.setAttribute('amount', String(order.amount));
  element.setAttribute('currency', order.currency);
  const methods = methodSelect.value === ALL_METHODS ? (selectedGateway()?.methods ?? []) : [methodSelect.value];
  element.setAttribute('methods', methods.join(' '));
  element.setAttribute('lang', langSelect.value);
  element.environment = ENVIRONMENTS[envId].environment;
  // The simulators' "Alipay" and "UnionPay" pages live on this host: let their form actions through.
  element.allowedHosts = [location.hostname];
  checkout = element;
  stage.replaceChildren(element);
  orderLabel.textContent = order.orderId;
  history.replaceState(null, '', `?${setupQuery(true)}`);
  updateShopper();
  void pollOrder();
}

// ---------------------------------------------------------------------------------------------
// The event log: every cashdesk-* event, newest first; a repeat of the newest is counted, not added.

let newestKey = '';

function replacer(key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const { code } = value as Error & { code?: string };
    return { name: value.name, ...(code ? { code } : {}), message: value.message };
  }
  return key === '' || value !== undefined ? value : undefined;
}

function summarize(type: string, detail: Record<string, unknown>): string {
  const action = detail.action as NextAction | undefined;
  switch (type) {
    case 'cashdesk-action':
      return action?.kind ?? '';
    case 'cashdesk-status':
      return [detail.state, detail.status].filter(Boolean).join(' · backend: ');
    case 'cashdesk-failure':
    case 'cashdesk-error':
      return String(detail.code ?? '');
    case 'cashdesk-redirect':
    case 'cashdesk-app-launch-failed':
      return String(detail.url ?? '');
    case 'cashdesk-sdk-token':
      return `${String(detail.sdk)} → ${String(detail.bridge ?? 'no bridge')}`;
    case 'cashdesk-open-in-browser':
      return String(detail.inApp ?? '');
    case 'cashdesk-native-result':
      return String(detail.outcome ?? '');
    case 'cashdesk-success':
      return String(detail.reference ?? 'paid');
    default:
      return '';
  }
}

/** Nested plain objects as dotted keys (`action.kind`, `action.params.appId`); the rest as is. */
function flatten(value: unknown, prefix: string, into: [string, unknown][]): [string, unknown][] {
  const plain = typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
  if (!plain) {
    into.push([prefix || 'value', value]);
    return into;
  }
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

/**
 * The detail as a list of its fields: strings as they are, anything else as compact JSON. The
 * order id is left out when it is the order on screen (every event of the order carries it).
 */
function detailList(detail: unknown): HTMLDListElement | undefined {
  if (detail === undefined || detail === null) return undefined;
  const shown = flatten(detail, '', []).filter(
    ([key, value]) => value !== undefined && !(key === 'orderId' && value === current?.orderId),
  );
  if (shown.length === 0) return undefined;
  const list = el('dl', { class: 'event-detail' });
  for (const [key, value] of shown) {
    const text = typeof value === 'string' ? value : JSON.stringify(value, replacer);
    list.append(el('dt', {}, key), el('dd', { class: typeof value === 'string' ? false : 'json' }, text));
  }
  return list;
}

function addLogEntry(source: 'event' | 'bridge', type: string, summary: string, detail?: unknown): void {
  const json = detail === undefined ? '' : JSON.stringify(detail, replacer);
  const key = `${type}\n${summary}\n${json}`;
  const newest = log.firstElementChild;
  if (key === newestKey && newest) {
    const count = newest.querySelector('.event-count') as HTMLElement;
    const times = Number(count.dataset.count ?? '1') + 1;
    count.dataset.count = String(times);
    count.textContent = `×${times}`;
    count.hidden = false;
    newest.querySelector('time')?.replaceWith(timeNode());
    return;
  }
  newestKey = key;
  const item = el(
    'li',
    { class: `event event-${source === 'bridge' ? 'bridge' : type.replace(/^cashdesk-/, '')}` },
    el(
      'div',
      { class: 'event-head' },
      el('code', { class: 'event-type' }, type),
      summary ? el('span', { class: 'event-summary' }, summary) : '',
      el('span', { class: 'event-count', hidden: true, 'aria-label': 'repeated' }),
      timeNode(),
    ),
  );
  const list = detailList(detail);
  if (list) item.append(list);
  log.prepend(item);
  logEmpty.hidden = true;
}

function timeNode(): HTMLTimeElement {
  const now = new Date();
  const text = `${now.toLocaleTimeString('en-GB', { hour12: false })}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  return el('time', { datetime: now.toISOString() }, text);
}

function clearLog(): void {
  log.replaceChildren();
  newestKey = '';
  logEmpty.hidden = false;
}

clearLogButton.addEventListener('click', clearLog);

// Every event bubbles out of the element (and crosses its shadow root) up to the window, where
// the app's `cashdesk-native-result` is dispatched too.
for (const type of EVENT_TYPES) {
  window.addEventListener(type, (event) => {
    const detail = ((event as CustomEvent).detail ?? {}) as Record<string, unknown>;
    addLogEntry('event', type, summarize(type, detail), detail);
    track(type, detail);
  });
}

function track(type: string, detail: Record<string, unknown>): void {
  if (type === 'cashdesk-action') {
    lastAction = detail.action as NextAction;
    ended = undefined;
    scanResult.textContent = '';
  } else if (type === 'cashdesk-status') {
    checkoutState = String(detail.state);
    // Back at the method picker: the code on screen is gone.
    if (checkoutState === 'idle') lastAction = undefined;
  } else if (type === 'cashdesk-success') {
    ended = 'paid';
    scanResult.textContent = '';
  } else if (type === 'cashdesk-failure') ended = 'failed';
  else if (type === 'cashdesk-expired') ended = 'expired';
  updateShopper();
  void pollOrder();
}

// ---------------------------------------------------------------------------------------------
// The shopper: what to do now, and a phone that scans the code on screen.

function scannable(): string | undefined {
  if (ended || checkoutState === 'idle' || !lastAction) return undefined;
  if (lastAction.kind === 'qr') return lastAction.content;
  // On a desktop, or when the app did not open, a deep link is shown as a code to scan.
  if (lastAction.kind === 'deeplink' && checkoutState === 'app-fallback') return lastAction.url;
  return undefined;
}

function hintText(): string {
  if (!current) return 'Choose a setup and press Start: the sandbox creates an order and the checkout appears.';
  if (ended === 'paid') return 'Paid: the backend confirmed it (see its log). Press Start for another order.';
  if (ended === 'failed')
    return 'The payment failed; the log shows the code. “Try again” in the checkout starts a new attempt on the same order.';
  if (ended === 'expired')
    return 'The code expired unpaid. “Get a new code” asks the gateway again for the same order.';
  if (checkoutState === 'error')
    return 'The checkout reported an error (see cashdesk-error in the log). The order is kept: retry, or choose another method.';
  if (!lastAction || checkoutState === 'idle')
    return 'Now be the shopper: press the checkout’s own Pay button (choose a method first when it offers several).';
  const inWechat = envId === 'wechat';
  if (checkoutState === 'waiting' && (lastAction.kind === 'wechat-jsapi' || lastAction.kind === 'sdk-token'))
    return 'The sheet closed. Its word is not proof of payment: the checkout keeps asking the backend until it says paid (the sandbox settles the order when it hears the confirmation).';
  switch (lastAction.kind) {
    case 'qr':
      return 'A QR code, as a phone would scan it. Press “Simulate scan”: the simulator pays it and notifies the backend, and the checkout hears “paid” at its next status check.';
    case 'redirect':
      return 'The checkout leaves this page for the simulator’s cashier page. Pay or cancel there; you come back on the shop’s return page.';
    case 'form':
      return 'The checkout posts a form built with DOM APIs to the simulator. Pay or cancel on its page; you come back on the return page.';
    case 'deeplink':
      return checkoutState === 'app-fallback'
        ? 'No wallet app opened, so the link is shown as a code. Press “Simulate scan” to pay it from a “phone”.'
        : 'The checkout tries to open WeChat; if the page stays in front it shows the link as a code instead.';
    case 'wechat-jsapi':
      return inWechat
        ? 'WeChat’s payment sheet (simulated) asks the shopper: Pay or Cancel. “ok” is not proof: the checkout still asks the backend.'
        : 'This payment only works inside WeChat, so the checkout shows a code of this page. Choose the WeChat environment to see the sheet.';
    case 'mini-program':
      return envId.endsWith('-mini')
        ? 'Handed to the mini-program (simulated): its payment page offers Pay, Cancel and Fail, then navigates back; the checkout asks the backend.'
        : 'Only a mini-program can pay this. Choose a mini-program web-view environment to hand it over.';
    case 'sdk-token':
      if (envId === 'alipay')
        return 'Inside the Alipay app its cashier pays the order string (simulated AlipayJSBridge tradePay): Pay, Cancel or Fail answer resultCode 9000, 6001 or 4000. 9000 is not proof: the checkout still asks the backend.';
      return envId === 'app'
        ? 'The token went to the app (simulated): its SDK sheet offers Pay, Cancel and Fail; the app reports back with cashdesk-native-result.'
        : 'An SDK token is for a merchant app: this page has no native bridge. Choose the App webview environment to hand it over.';
    case 'success':
    case 'pending':
      return 'The gateway answered at once; the checkout asks the backend to confirm before it says anything.';
    case 'failed':
      return 'The gateway refused the payment; the checkout shows its message and offers to try again.';
    default:
      return '';
  }
}

function updateShopper(): void {
  const text = hintText();
  // The hint is a live region: only a new text is announced.
  if (hint.textContent !== text) hint.textContent = text;
  scanButton.disabled = scannable() === undefined;
}

scanButton.addEventListener('click', async () => {
  const content = scannable();
  if (!current || content === undefined) return;
  scanButton.disabled = true;
  scanResult.textContent = 'Scanning…';
  try {
    const response = await fetch(`/gw/${encodeURIComponent(current.gateway)}/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ content }),
    });
    const text = await response.text();
    scanResult.textContent = response.ok
      ? 'Scanned and paid: the simulator has notified the backend. The checkout will hear it at its next check.'
      : `The simulator refused the scan (${response.status}): ${text}`;
  } catch (error) {
    scanResult.textContent = `The scan did not reach the simulator: ${String(error)}`;
  } finally {
    updateShopper();
    void pollOrder();
  }
});

// ---------------------------------------------------------------------------------------------
// The backend's view of the order, every 2 s while the page is visible.

let lastOrderJson = '';
let polling = false;

async function pollOrder(): Promise<void> {
  const order = current;
  if (!order || polling || document.visibilityState !== 'visible') return;
  polling = true;
  try {
    const response = await fetch(`/api/orders/${encodeURIComponent(order.orderId)}`, { cache: 'no-store' });
    if (current !== order) return;
    const text = await response.text();
    if (text === lastOrderJson) return;
    lastOrderJson = text;
    if (!response.ok) {
      backendView.replaceChildren(el('p', { class: 'muted' }, `The backend answered ${response.status}: ${text}`));
      return;
    }
    renderOrder(JSON.parse(text) as OrderView);
  } catch {
    // The next tick tries again; the view keeps what it last knew.
  } finally {
    polling = false;
  }
}

function fact(term: string, ...value: (Node | string)[]): Node[] {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function renderOrder(order: OrderView): void {
  const facts = el(
    'dl',
    { class: 'facts' },
    ...fact('Status', el('span', { class: `badge badge-${order.status}` }, order.status)),
    ...fact('Create calls', String(order.creates)),
    ...fact('Gateway · scenario', `${order.gateway} · ${order.scenario}`),
    ...fact(
      'Amount',
      `${order.amount} ${order.currency}`,
      el('span', { class: 'muted' }, ` (${formatMinor(order.amount, order.currency, 'en') ?? '?'})`),
    ),
    ...fact('Payments', order.attempts.length ? order.attempts.join(', ') : 'none yet'),
  );
  if (order.code || order.message)
    facts.append(...fact('Reason', [order.code, order.message].filter(Boolean).join(': ')));
  const entries = order.log.length
    ? el('ol', { class: 'backend-log' }, ...order.log.map((line) => el('li', {}, line)))
    : el('p', { class: 'muted' }, 'Nothing yet: the checkout has not called the backend.');
  backendView.replaceChildren(facts, el('h3', {}, 'Backend log'), entries);
}

window.setInterval(() => void pollOrder(), ORDER_POLL_MS);
document.addEventListener('visibilitychange', () => void pollOrder());

// ---------------------------------------------------------------------------------------------

async function init(): Promise<void> {
  installEnvironment(envId);
  restoreStaticChoices();
  updateShopper();
  try {
    const response = await fetch('/api/sandbox');
    gateways = ((await response.json()) as { gateways: SandboxGateway[] }).gateways;
  } catch {
    setupNote.textContent = 'The sandbox did not answer. Is this page served by `npm start`?';
    return;
  }
  fillGateways(query.get('gateway'));
  // A newcomer's first try: a QR code to scan, the one flow that never leaves the page.
  const firstVisit = !query.has('gateway') && gatewaySelect.value === FIRST.gateway;
  fillScenarios(firstVisit ? FIRST.scenario : query.get('scenario'), query.get('method'));
  startButton.disabled = selectedGateway() === undefined;
  history.replaceState(null, '', `?${setupQuery(false)}`);
  if (query.get('autostart') === '1') await start();
}

void init();
