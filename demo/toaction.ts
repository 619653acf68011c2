// The toAction playground: classify a pasted response and show the action, or why it was refused.

import { isCheckoutError, loadGateways, toAction } from '../src/index.js';
import { alipayplusSeed, careyshopSeed, epaySeed, pingppSeed, useepaySeed } from '../test/fixtures/seeds.js';

const samples: Record<string, unknown> = {
  pingpp: pingppSeed,
  epay: epaySeed,
  careyshop: careyshopSeed,
  alipayplus: alipayplusSeed,
  useepay: useepaySeed,
};

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = byId<HTMLFormElement>('playground');
const gateway = byId<HTMLSelectElement>('gateway');
const response = byId<HTMLTextAreaElement>('response');
const kind = byId<HTMLParagraphElement>('result-kind');
const result = byId<HTMLPreElement>('result');

function loadSample(): void {
  response.value = JSON.stringify(samples[gateway.value], null, 2);
}

function run(): void {
  const allowedHosts = byId<HTMLInputElement>('allowed-hosts').value.split(/\s+/).filter(Boolean);
  const allowInsecure = byId<HTMLInputElement>('allow-insecure').checked;
  try {
    // The raw text goes in as it is, exactly as a backend would pass an HTML body through.
    const action = toAction(gateway.value, response.value, { allowInsecure, allowedHosts });
    kind.removeAttribute('data-error');
    kind.textContent = `→ ${action.kind}`;
    result.textContent = JSON.stringify(action, null, 2);
  } catch (error) {
    kind.setAttribute('data-error', '');
    kind.textContent = isCheckoutError(error) ? `refused: ${error.code}` : 'refused';
    result.textContent = error instanceof Error ? error.message : String(error);
  }
}

byId<HTMLButtonElement>('load-sample').addEventListener('click', loadSample);
gateway.addEventListener('change', loadSample);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  // The module build fetches each gateway's adapter when first needed.
  void loadGateways([gateway.value]).then(run);
});
loadSample();
