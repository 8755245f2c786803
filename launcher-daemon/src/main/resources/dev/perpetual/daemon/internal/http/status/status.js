// Perpetual /status: refreshes the table in place from /status/fragment (server-rendered, escaped HTML).
// No framework, no build step. Pauses while the tab is hidden; says so when the daemon cannot be reached.
(function () {
  'use strict';
  var root = document.getElementById('tests');
  var state = document.getElementById('refresh-state');
  if (!root || !root.getAttribute('data-refresh')) {
    return;
  }
  var url = root.getAttribute('data-refresh');
  var every = Number(root.getAttribute('data-refresh-ms')) || 5000;

  function show(text, css) {
    if (state) {
      state.textContent = text;
      state.className = 'state ' + css;
    }
  }

  function refresh() {
    if (document.hidden) {
      setTimeout(refresh, every);
      return;
    }
    fetch(url, { cache: 'no-store', headers: { 'Accept': 'text/html' } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        root.innerHTML = html;
        root.setAttribute('data-refreshed', String(Date.now()));
        show('live · updated ' + new Date().toLocaleTimeString(), 'live');
      })
      .catch(function (error) {
        show('daemon unreachable (' + error.message + '), retrying', 'down');
      })
      .then(function () {
        setTimeout(refresh, every);
      });
  }

  show('live · every ' + (every >= 1000 ? every / 1000 + ' s' : every + ' ms'), 'live');
  setTimeout(refresh, every);
})();
