// Configures MS8 and adds the widgets named in the query (?api=&learner=), with DOM APIs only:
// no inline script or style anywhere on the page.
const query = new URLSearchParams(location.search);
window.MS8.configure({ apiBase: query.get("api"), getToken: () => "local-test-token" });
for (const tag of ["ms8-velocity", "ms8-dropoff-risk", "ms8-badges"]) {
  const element = document.createElement(tag);
  element.setAttribute("learner-id", query.get("learner"));
  element.setAttribute("lang", "en");
  document.body.append(element);
}
