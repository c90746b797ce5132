// Grows the extension's frame with its content, as Shopify's page grows the block.
(() => {
  const frame = document.getElementById("extension");
  if (!frame) return;
  const fit = () => {
    const doc = frame.contentDocument;
    // The body's own height: the document's scrollHeight never goes below the frame's, so it would only grow.
    if (doc && doc.body) frame.style.height = `${Math.ceil(doc.body.getBoundingClientRect().height) + 2}px`;
  };
  frame.addEventListener("load", () => {
    fit();
    new ResizeObserver(fit).observe(frame.contentDocument.body);
    new MutationObserver(fit).observe(frame.contentDocument.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
})();
