// The wire of this load: `?protocol=otlp` makes the telltale tag below speak OTLP/HTTP JSON to
// this origin (the reference ingest answers /v1/logs and /v1/metrics as a Collector would), as a
// site would write `data-protocol="otlp" data-endpoint="https://collector:4318"` in its tag.
// A classic script run before the tag is parsed: the observer's callback is a microtask, so it
// sets the attributes before the async script runs (a task) and reads them.
if (/[?&]protocol=otlp/.test(location.search)) {
  const retag = new MutationObserver(() => {
    const tag = document.getElementById('telltale');
    if (!tag) return;
    tag.dataset.protocol = 'otlp';
    tag.dataset.endpoint = location.origin;
    retag.disconnect();
  });
  retag.observe(document, { childList: true, subtree: true });
}
