/* quiz.js: the result of a quiz with outcomes, on the pages that have one
   (after lander.js). On the last step it picks the outcome from the answers
   (the rules of data-outcomes: the first whose conditions all hold; the
   default comes last and always holds), sends it as `outcome`, and once
   the lead is sent shows that outcome's section, rendered at build time.
   Without JavaScript the form shows one submit button per outcome instead. */
(() => {
  'use strict';
  const d = document, w = window;
  const chosen = new WeakMap(); // form -> outcome id

  const pick = f => {
    let rules;
    try { rules = JSON.parse(f.dataset.outcomes); } catch (e) { return null; }
    const fd = new FormData(f); // skipped steps are disabled: not answered
    const hit = Array.isArray(rules) && rules.find(r =>
      Object.keys(r.when || {}).every(k => [].concat(r.when[k]).includes(fd.get(k))));
    return hit ? hit.id : null;
  };

  // Before lander.js reads the form (capture on the document runs first):
  // only the final submit of the last step carries the outcome.
  d.addEventListener('submit', e => {
    const f = e.target;
    if (!f.matches || !f.matches('form[data-outcomes]')) return;
    const steps = f.querySelectorAll('.lander-step');
    const input = f.querySelector('input[data-l=outcome]');
    if (!input || (steps.length && steps[steps.length - 1].hidden)) return;
    const id = pick(f);
    if (!id) return;
    chosen.set(f, id);
    input.value = id;
    input.disabled = false;
  }, true);

  // lander.js says the lead was sent: show the result in place.
  d.addEventListener('lander:done', e => {
    const f = e.target, id = chosen.get(f);
    const box = id && f.querySelector('.lander-outcomes');
    if (!box) return;
    const s = [...box.children].find(c => c.dataset.outcome === id);
    if (!s) return;
    box.hidden = false;
    s.hidden = false;
    s.querySelector('h2')?.focus();
    w.lander?.push?.('quiz_outcome', f.dataset.offer, f, { outcome: id });
  });
})();
