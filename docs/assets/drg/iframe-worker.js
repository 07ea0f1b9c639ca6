/* Search from file://. Browsers refuse Web Workers whose script is a file:// URL, so Material's
   search worker runs in a hidden iframe there instead. This replaces the iframe-worker shim that
   Material's offline plugin would otherwise load from a CDN: the site makes no request to any
   other host (its name contains "iframe-worker" so the plugin does not add its own). Over
   http(s) it does nothing. Material's search worker looks for window.IFrameWorker and then
   awaits importScripts, which here loads each script with a script element. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function load(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + src));
      };
      (doc.body || doc.documentElement).appendChild(script);
    });
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = this.onerror = null;
      var frame = (this.frame = document.createElement("iframe"));
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.title = "Search worker";
      frame.setAttribute("aria-hidden", "true");
      document.body.appendChild(frame);
      var win = (this.win = frame.contentWindow);
      var queue = (this.queue = []);
      var worker = this;
      win.postMessage = function (data) {
        setTimeout(function () {
          worker.emit("message", data);
        });
      };
      win.importScripts = function () {
        return Array.prototype.reduce.call(
          arguments,
          function (done, src) {
            return done.then(function () {
              return load(win.document, new URL(src, url).href);
            });
          },
          Promise.resolve(),
        );
      };
      load(win.document, new URL(url, location.href).href).then(
        function () {
          worker.queue = null;
          queue.forEach(worker.deliver, worker);
        },
        function (error) {
          worker.emit("error", error);
        },
      );
    }

    deliver(data) {
      this.win.dispatchEvent(new this.win.MessageEvent("message", { data: data }));
    }

    emit(type, data) {
      var event = new MessageEvent(type, { data: data });
      this.dispatchEvent(event);
      if (this["on" + type]) this["on" + type](event);
    }

    postMessage(data) {
      if (this.queue) this.queue.push(data);
      else setTimeout(this.deliver.bind(this, data));
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.IFrameWorker = window.Worker = IFrameWorker;
})();
