// Perpetual /status: refreshes the table in place from /status/fragment (server-rendered, escaped HTML), and posts
// the buttons' run / pause / resume with the admin token typed in the header (kept for the tab's session only).
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

  var timer = null;

  function refresh() {
    timer = null;
    if (document.hidden) {
      schedule();
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
      .then(schedule);
  }

  function schedule() {
    if (timer === null) {
      timer = setTimeout(refresh, every);
    }
  }

  var token = document.getElementById('admin-token');
  var said = document.getElementById('control-state');
  if (token) {
    token.value = sessionStorage.getItem('perpetual.admin.token') || '';
    token.addEventListener('change', function () {
      sessionStorage.setItem('perpetual.admin.token', token.value);
    });
  }

  function tell(text, css) {
    if (said) {
      said.textContent = text;
      said.className = 'state ' + css;
    }
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button.control') : null;
    if (!button) {
      return;
    }
    var test = button.getAttribute('data-test');
    var action = button.getAttribute('data-action');
    var headers = { 'Accept': 'application/json' };
    if (token && token.value) {
      headers['Authorization'] = 'Bearer ' + token.value;
    }
    button.disabled = true;
    fetch('/api/tests/' + encodeURIComponent(test) + '/' + action, { method: 'POST', headers: headers })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || ('HTTP ' + response.status));
          }
          return body;
        });
      })
      .then(function (body) {
        tell(action === 'run' ? 'Started run ' + body.runId + ' of ' + test
          : (body.paused ? 'Paused ' + test + (body.pausedUntil ? ' until ' + body.pausedUntil : '')
            : 'Resumed ' + test), 'live');
        if (timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
        refresh();
      })
      .catch(function (error) {
        tell(error.message, 'down');
      })
      .then(function () {
        button.disabled = false;
      });
  });

  show('live · every ' + (every >= 1000 ? every / 1000 + ' s' : every + ' ms'), 'live');
  schedule();
})();
