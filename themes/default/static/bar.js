/* bar.js: hides the top announcement bars a visitor dismissed before the
   page under them is parsed, so that nothing moves up once it is painted.
   Loaded right after those bars, without `defer` on purpose (a deferred
   script runs after the first paint: the page would jump). popups.js, later,
   wires their close buttons. */
(() => {
  const s = document.currentScript;
  for (let b = s && s.previousElementSibling; b && b.matches('[data-lander-bar]'); b = b.previousElementSibling) {
    let at = 0;
    try { at = Number(localStorage.getItem('lander:bar:' + b.dataset.landerBar)) || 0; } catch (e) { /* blocked storage */ }
    const days = parseFloat(b.dataset.frequencyDays) || 0;
    if (days > 0 && Date.now() - at < days * 864e5) b.hidden = true;
  }
})();
