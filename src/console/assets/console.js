// LaporNetral office console: the only script. New reports arrive over server-sent events and a
// notice offers to reload the list (the list itself is rendered by the server).
"use strict";
(() => {
  const notice = document.getElementById("baru");
  if (!notice || !window.EventSource) return;
  const source = new EventSource(`/konsol/peristiwa?after=${encodeURIComponent(notice.dataset.after || "0")}`);
  source.addEventListener("report", () => {
    notice.hidden = false;
    document.title = `(•) ${document.title.replace(/^\(•\) /, "")}`;
  });
})();
