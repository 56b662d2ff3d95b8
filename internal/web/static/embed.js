// The widget (templates/embed.html) tells the page that frames it how tall
// its content is, so that the host's widget.js can make the frame fit and
// no story is cut off. It sends its height alone, under one message type,
// when it loads, when its size changes (the frame made wider or narrower)
// and when widget.js asks (it may load after the widget). Outside a frame,
// or without JavaScript, nothing happens: the frame keeps the snippet's
// fixed height.
(function () {
  "use strict";
  if (window.parent === window || !window.postMessage) {
    return;
  }
  var last = 0;

  function post() {
    // The document's own height: the page sets no height, so it is that
    // of the content, whatever the frame's height is now.
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) {
      return;
    }
    last = height;
    // The height is no secret: any host may hear it.
    window.parent.postMessage({ type: "partnerskap-widget-height", height: height }, "*");
  }

  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "partnerskap-widget-hello") {
      last = 0;
      post();
    }
  });
  if (window.ResizeObserver) {
    new ResizeObserver(post).observe(document.documentElement);
  }
  window.addEventListener("load", post);
  post();
})();
