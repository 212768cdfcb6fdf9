// Configures MS8 and adds widgets as the query says (?api=&learner=[&tags=a,b][&lang=de]), with DOM
// APIs only: no inline script or style anywhere on the page.
const query = new URLSearchParams(location.search);
window.MS8.configure({ apiBase: query.get("api"), getToken: () => "local-test-token" });
const tags = query.get("tags")?.split(",") ?? ["ms8-velocity", "ms8-dropoff-risk", "ms8-badges"];
for (const tag of tags) {
  const element = document.createElement(tag);
  element.setAttribute("learner-id", query.get("learner"));
  element.setAttribute("lang", query.get("lang") ?? "en");
  document.body.append(element);
}
