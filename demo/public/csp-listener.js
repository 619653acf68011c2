// Loaded before any other script, so violations raised while the bundle loads are counted too.
// Each is also kept in sessionStorage, so a test driving a browser without init scripts (WebDriver
// classic) can read, on the page a flow ends on, what the pages it passed through raised.
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const violation = { directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample };
  window.__cspViolations.push(violation);
  try {
    const kept = JSON.parse(sessionStorage.getItem('cashdesk-csp-violations') ?? '[]');
    kept.push({ ...violation, page: location.pathname });
    sessionStorage.setItem('cashdesk-csp-violations', JSON.stringify(kept));
  } catch {
    // Storage may be unavailable (a private mode); the in-page list still has it.
  }
});
