// Loaded first by every page of the test SPA: reports what must fail a browser test (a CSP
// violation, an uncaught error or rejection) on the console, where the Chromium and Firefox drivers
// see it, and in window.__problems, which the WebKit driver reads (WebKitWebDriver has no console).
window.__problems = [];
const report = (line) => {
  window.__problems.push(line);
  console.error(line);
};
addEventListener('securitypolicyviolation', (e) => report(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
addEventListener('error', (e) => report(`page error: ${e.message}`));
addEventListener('unhandledrejection', (e) => report(`page error: unhandled rejection: ${e.reason?.stack ?? e.reason}`));
