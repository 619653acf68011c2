// The return page: the order id comes back in the query; the checkout resumes it.
import '../src/index.js';

const orderId = new URLSearchParams(location.search).get('orderId') ?? '';
const checkout = document.getElementById('checkout') as HTMLElementTagNameMap['cashdesk-checkout'];
(document.getElementById('order-id') as HTMLElement).textContent = orderId;
checkout.orderId = orderId;
