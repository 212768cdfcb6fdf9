// The page's own setup script, after the elements (docs/embedding.md, section 1). ?configure=never
// leaves MS8 unconfigured, so the missing api-base is a real error once the page has loaded.
const query = new URLSearchParams(location.search);
if (query.get("configure") !== "never") {
  window.MS8.configure({ apiBase: query.get("api"), getToken: () => "local-test-token" });
}
