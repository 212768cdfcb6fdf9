// Loaded first by the test pages: records CSP violations, uncaught errors and ms8-error events for the test to read,
// and checks that the page's CSP is really in force (eval must be refused).
window.__ms8Probe = { violations: [], evalViolations: 0, errors: [], evalBlocked: false, ms8Errors: [] };
document.addEventListener("securitypolicyviolation", (event) => {
  // Exactly one eval violation is ours (below); any other is a finding.
  if (event.blockedURI === "eval") window.__ms8Probe.evalViolations += 1;
  else
    window.__ms8Probe.violations.push(
      `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
    );
});
window.addEventListener("error", (event) => window.__ms8Probe.errors.push(String(event.message)));
document.addEventListener("ms8-error", (event) =>
  window.__ms8Probe.ms8Errors.push({ tag: event.target.localName, ...event.detail }),
);
window.addEventListener("unhandledrejection", (event) => window.__ms8Probe.errors.push(String(event.reason)));
try {
  // biome-ignore lint/security/noGlobalEval: the point is to prove the page's CSP refuses eval.
  eval("1");
} catch {
  window.__ms8Probe.evalBlocked = true;
}
