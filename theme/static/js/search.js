// The search page: queries the Pagefind index built after the site (see
// newsdigest/search_index.py). Without JavaScript the page says so.
const form = document.querySelector(".search-form");
const input = form.querySelector("input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
// Results are shown this many at a time: each needs its page's excerpt fetched.
const PAGE = 20;
let shown = { query: "", results: [] };
const root = new URL(form.dataset.root, document.baseURI);
let pagefind;

// Pagefind's excerpt is HTML with <mark>; keep only its text and the marks.
function excerpt(html) {
  const out = document.createElement("p");
  const body = new DOMParser().parseFromString(html, "text/html").body;
  for (const node of body.childNodes) {
    const part = node.nodeName === "MARK" ? document.createElement("mark") : null;
    if (part) {
      part.textContent = node.textContent;
      out.append(part);
    } else {
      out.append(node.textContent);
    }
  }
  return out;
}

// The index comes in shards, each a Pagefind bundle, named newest first by the
// manifest: the first is loaded and the others merged into it.
async function loadIndex() {
  const manifest = new URL(form.dataset.index, document.baseURI);
  const response = await fetch(manifest);
  if (!response.ok) throw new Error(`${manifest}: ${response.status}`);
  const bundles = (await response.json()).shards.map((name) => new URL(`${name}/`, manifest));
  if (!bundles.length) return null;
  const [first, ...others] = bundles;
  const index = await import(new URL("pagefind.js", first).href);
  await index.options({ baseUrl: root.pathname });
  // Fetched side by side; Pagefind keeps the shards in the order merged.
  await Promise.all(
    others.map((bundle) => index.mergeIndex(bundle.pathname, { baseUrl: root.pathname })),
  );
  return index;
}

// The next PAGE results of the last search, after those already listed.
async function showMore() {
  const { query, results } = shown;
  const start = list.children.length;
  const pages = await Promise.all(results.slice(start, start + PAGE).map((r) => r.data()));
  for (const page of pages) {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = page.url;
    link.textContent = page.meta.title || page.url;
    heading.append(link);
    item.append(heading, excerpt(page.excerpt));
    list.append(item);
  }
  const n = results.length;
  const listed = list.children.length;
  status.textContent =
    `${n} result${n === 1 ? "" : "s"} for “${query}”` + (listed < n ? `; showing ${listed}.` : ".");
  more.hidden = listed >= n;
}

async function search(query) {
  list.replaceChildren();
  more.hidden = true;
  if (!query.trim()) {
    status.textContent = "Type words to search every story and dispatch.";
    return;
  }
  status.textContent = "Searching…";
  try {
    pagefind ??= await loadIndex();
    const found = pagefind ? await pagefind.search(query) : { results: [] };
    shown = { query, results: found.results };
    await showMore();
  } catch {
    status.textContent = "Search is not available right now. Every story is listed under All stories.";
  }
}

more.addEventListener("click", () => {
  const next = list.children.length;
  showMore().then(() => list.children[next]?.querySelector("a")?.focus());
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  search(input.value);
});
// Words a reader typed before this script ran stay; else the address's query.
input.value ||= new URLSearchParams(location.search).get("q") || "";
search(input.value);
