/**
 * The page's only script, served from /assets/app.js (same origin, so the strict Content
 * Security Policy allows it). Plain ES2017 for any current browser, no framework: it shows times
 * in local time, sends control forms to /api/command with the CSRF token and keeps the page live
 * from the /api/events stream. Without it the page still works: forms post and reload.
 */
export const APP_JS = `(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  function localTimes(root) {
    var times = (root || document).querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var t = times[i];
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d.getTime())) t.textContent = d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
    }
  }

  function fillTokens(root) {
    var inputs = (root || document).querySelectorAll('input[name="_csrf"]');
    for (var i = 0; i < inputs.length; i++) inputs[i].value = csrf;
  }

  function deviceCard(address) {
    var cards = document.querySelectorAll('article.device');
    for (var i = 0; i < cards.length; i++) if (cards[i].getAttribute('data-device') === address) return cards[i];
    return null;
  }

  function say(card, text, ok) {
    var region = card ? card.querySelector('[data-result]') : null;
    if (!region) return;
    region.textContent = text;
    region.className = 'result ' + (ok ? 'ok' : 'bad');
  }

  function valueOf(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    var body = {};
    data.forEach(function (value, key) { if (key !== '_csrf') body[key] = String(value); });
    return body;
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute('action') !== '/api/command') return;
    event.preventDefault();
    var card = form.closest('article.device');
    var body = valueOf(form, event.submitter);
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    say(card, 'Sending ' + body.entity + '…', true);
    fetch('/api/command', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin'
    }).then(function (response) {
      return response.json().then(function (result) { return { status: response.status, result: result }; });
    }).then(function (answer) {
      var r = answer.result || {};
      if (r.ok) say(card, r.entity + ' = ' + JSON.stringify(r.value) + ': done' + (r.detail ? ' (' + r.detail + ')' : ''), true);
      else say(card, (r.entity || body.entity) + ': ' + (r.error || r.message || 'failed (' + answer.status + ')'), false);
    }).catch(function (error) {
      say(card, body.entity + ': could not reach teslahub (' + error.message + ')', false);
    }).then(function () {
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
    });
  });

  function setValues(message) {
    var card = deviceCard(message.device);
    if (!card) return;
    Object.keys(message.values).forEach(function (key) {
      var value = message.values[key];
      var cells = card.querySelectorAll('[data-entity="' + key + '"]');
      for (var i = 0; i < cells.length; i++) if (cells[i].tagName !== 'FORM') cells[i].textContent = value.text;
      var control = card.querySelector('[data-control="' + key + '"]');
      if (control && control !== document.activeElement && value.payload !== null && value.payload !== 'None') control.value = value.payload;
      var form = card.querySelector('form[data-entity="' + key + '"]');
      if (form) {
        var pressed = form.querySelectorAll('button[aria-pressed]');
        for (var j = 0; j < pressed.length; j++) {
          var v = pressed[j].value;
          pressed[j].setAttribute('aria-pressed', String(v === value.payload || (v === 'LOCK' && value.payload === 'LOCKED') || (v === 'UNLOCK' && value.payload === 'UNLOCKED')));
        }
      }
    });
  }

  function setPoll(message) {
    var card = deviceCard(message.device);
    if (!card) return;
    Object.keys(message.fields).forEach(function (field) {
      var cell = card.querySelector('[data-field="' + field + '"]');
      if (cell) { cell.innerHTML = message.fields[field]; localTimes(cell); }
    });
  }

  function addDevice(message) {
    if (deviceCard(message.device)) return;
    var list = document.getElementById('device-list');
    if (!list) return;
    var empty = list.querySelector('[data-empty]');
    if (empty) empty.remove();
    var holder = document.createElement('div');
    holder.innerHTML = message.html;
    var card = holder.firstElementChild;
    if (!card) return;
    list.appendChild(card);
    fillTokens(card);
    localTimes(card);
  }

  function removeDevice(message) {
    var card = deviceCard(message.device);
    if (card) card.remove();
  }

  function addEvent(message) {
    var list = document.getElementById('event-list');
    if (!list) return;
    var empty = list.parentElement && list.parentElement.querySelector('[data-empty]');
    if (empty) empty.remove();
    list.insertAdjacentHTML('afterbegin', message.html);
    localTimes(list.firstElementChild);
    while (list.children.length > 50) list.lastElementChild.remove();
  }

  function replaceSection(message) {
    var body = document.querySelector('[data-section="' + message.id + '"]');
    if (!body || body.contains(document.activeElement)) return;
    body.innerHTML = message.html;
    fillTokens(body);
    localTimes(body);
  }

  function connect() {
    if (!window.EventSource) return;
    var live = document.getElementById('live');
    var source = new EventSource('/api/events');
    function on(name, handle) {
      source.addEventListener(name, function (event) {
        try { handle(JSON.parse(event.data)); } catch (error) { if (window.console) console.error(error); }
      });
    }
    source.addEventListener('open', function () { if (live) live.textContent = 'Live: values update by themselves.'; document.body.setAttribute('data-live', 'open'); });
    source.addEventListener('error', function () { if (live) live.textContent = 'Live updates interrupted; reconnecting…'; document.body.setAttribute('data-live', 'reconnecting'); });
    on('entities', setValues);
    on('poll', setPoll);
    on('device', addDevice);
    on('device_removed', removeDevice);
    on('event', addEvent);
    on('section', replaceSection);
  }

  localTimes(document);
  fillTokens(document);
  connect();
})();
`;
