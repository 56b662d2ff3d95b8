// Autosave for application drafts: where JavaScript runs, the draft is
// saved a few seconds after the user stops typing. Without JavaScript the
// Save button does the same. Files are uploaded only with an explicit save.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var timer = null;
  var dirty = false;
  var busy = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function save() {
    if (!dirty || busy) {
      return;
    }
    dirty = false;
    busy = true;
    var data = new FormData(form);
    data.set("action", "save");
    Array.from(data.keys()).forEach(function (k) {
      if (data.get(k) instanceof File) {
        data.delete(k);
      }
    });
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Autosave": "1" } })
      .then(function (res) {
        if (res.status === 204) {
          version.value = res.headers.get("X-Version");
          say(status.dataset.saved + " " + new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }));
        } else if (res.status === 409) {
          say(status.dataset.conflict);
        } else {
          say(status.dataset.failed);
        }
      })
      .catch(function () {
        say(status.dataset.failed);
        dirty = true;
      })
      .finally(function () {
        busy = false;
      });
  }

  form.addEventListener("input", function () {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
})();
