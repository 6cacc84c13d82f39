// Tripod's only script: small progressive enhancements. Every page works without it (the server renders
// the mode statement, the PIN and the time left); with it, the mode statement follows the callback list
// as it is typed, rows can be added and removed, values can be copied and the PIN's time left counts down.
// Served from the same origin as a file (the Content-Security-Policy allows no inline script).

(() => {
  // ---- The app form: callback URL rows and the live mode statement -----------------------------------
  function setUpCallbacks(form) {
    const list = form.querySelector('#callback_list');
    const addButton = form.querySelector('#add_callback');
    const statement = form.querySelector('#mode_statement');
    const fieldset = form.querySelector('#callbacks');
    if (!list || !addButton || !statement || !fieldset) return;
    const max = Number(fieldset.dataset.max) || 10;
    const labelTemplate = list.dataset.label || 'Callback URL #';
    const removeTemplate = list.dataset.removeLabel || 'Remove callback URL #';

    const rows = () => Array.from(list.querySelectorAll('.callback-row'));
    const filled = () => rows().filter((row) => row.querySelector('input').value.trim() !== '').length;

    function updateStatement() {
      const web = filled() > 0;
      const text = web ? statement.dataset.modeWeb : statement.dataset.modePin;
      if (statement.textContent !== text) statement.textContent = text;
      statement.classList.toggle('mode-web', web);
      statement.classList.toggle('mode-pin', !web);
    }

    function renumber() {
      rows().forEach((row, index) => {
        const number = String(index + 1);
        const input = row.querySelector('input');
        const label = row.querySelector('label');
        const remove = row.querySelector('.remove-callback');
        input.id = `callback_url_${number}`;
        label.htmlFor = input.id;
        label.textContent = labelTemplate.replace('#', number);
        remove.setAttribute('aria-label', removeTemplate.replace('#', number));
      });
      addButton.hidden = rows().length >= max;
    }

    function wire(row) {
      const remove = row.querySelector('.remove-callback');
      remove.hidden = false;
      remove.addEventListener('click', () => {
        const all = rows();
        const index = all.indexOf(row);
        if (all.length === 1) {
          row.querySelector('input').value = '';
          row.querySelector('input').focus();
        } else {
          row.remove();
          const next = rows()[Math.min(index, rows().length - 1)];
          next.querySelector('input').focus();
        }
        renumber();
        updateStatement();
      });
    }

    rows().forEach(wire);
    addButton.hidden = false;
    addButton.addEventListener('click', () => {
      if (rows().length >= max) return;
      const row = rows()[0].cloneNode(true);
      row.querySelector('input').value = '';
      list.appendChild(row);
      wire(row);
      renumber();
      row.querySelector('input').focus();
    });
    list.addEventListener('input', updateStatement);
    renumber();
    updateStatement();
  }

  // ---- Copy buttons -----------------------------------------------------------------------------------
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise((resolve, reject) => {
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (ok) resolve();
      else reject(new Error('copy refused'));
    });
  }

  function setUpCopy(button) {
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target) return;
    const status = button.dataset.copyStatus ? document.getElementById(button.dataset.copyStatus) : null;
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', () => {
      copyText(target.textContent.trim()).then(
        () => {
          if (status) status.textContent = button.dataset.copied || '';
          else button.textContent = button.dataset.copied || label;
          setTimeout(() => {
            button.textContent = label;
          }, 2500);
        },
        () => {
          if (status) status.textContent = button.dataset.copyFailed || '';
          const range = document.createRange();
          range.selectNodeContents(target);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        },
      );
    });
  }

  // ---- The PIN's time left ----------------------------------------------------------------------------
  function setUpCountdown(element) {
    // Seconds left when the server rendered the page: counting from here ignores any clock skew between
    // the server and this device.
    const end = Date.now() + Number(element.dataset.secondsLeft) * 1000;
    const expired = element.dataset.expiredTarget
      ? document.getElementById(element.dataset.expiredTarget)
      : null;
    function tick() {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, '0');
      element.textContent = `${minutes}:${seconds}`;
      if (left === 0) {
        if (expired) expired.hidden = false;
        return;
      }
      setTimeout(tick, 1000);
    }
    tick();
  }

  function start() {
    // After a refused form, put the keyboard and screen reader on the list of what to correct.
    const summary = document.getElementById('error_summary');
    if (summary) summary.focus();
    for (const form of document.querySelectorAll('[data-app-form]')) setUpCallbacks(form);
    for (const button of document.querySelectorAll('[data-copy-target]')) setUpCopy(button);
    for (const element of document.querySelectorAll('[data-seconds-left]')) setUpCountdown(element);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
