// Grows the extension's frame with its content, as Shopify's page grows the block.
(() => {
  const frame = document.getElementById("extension");
  if (!frame) return;
  const fit = () => {
    const doc = frame.contentDocument;
    if (doc && doc.body) frame.style.height = `${Math.ceil(doc.documentElement.scrollHeight)}px`;
  };
  frame.addEventListener("load", () => {
    fit();
    new ResizeObserver(fit).observe(frame.contentDocument.body);
    new MutationObserver(fit).observe(frame.contentDocument.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
})();
