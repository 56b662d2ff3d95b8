// The script a host site may paste beside the widget's iframe (the embed
// snippet, partnership_embed.go): it makes each widget frame on the page as
// tall as the widget's content, which the widget reports (static/embed.js).
// It believes a message only when it comes from the widget's origin (that
// of this script) and from one of the frames on the page, and then sizes
// that frame alone. Without the script the frame keeps its fixed height.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.postMessage || !window.URL) {
    return;
  }
  var origin = new URL(script.src, location.href).origin;

  // frames are the page's iframes that show a page of the widget's site.
  function frames() {
    return Array.prototype.filter.call(document.getElementsByTagName("iframe"), function (f) {
      try {
        return new URL(f.src, location.href).origin === origin;
      } catch (e) {
        return false;
      }
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== "partnerskap-widget-height" || typeof data.height !== "number" || !isFinite(data.height)) {
      return;
    }
    var height = Math.max(100, Math.min(10000, Math.ceil(data.height)));
    frames().forEach(function (f) {
      if (f.contentWindow === event.source) {
        f.height = String(height);
      }
    });
  });

  // A frame that loaded before this script has told its height already:
  // ask again.
  frames().forEach(function (f) {
    if (f.contentWindow) {
      f.contentWindow.postMessage({ type: "partnerskap-widget-hello" }, origin);
    }
  });
})();
