/* popups.js: announcement bars and popups, on the pages that have one.
   Runs after lander.js (both deferred, in order) and uses its helpers.
   Popups: at most one shown on its own per page view, and `per_session`
   per visit across offers, the highest `priority` first; a link with
   data-lander-open opens its offer's dialog (without JS: the offer page). */
(() => {
  'use strict';
  const d = document, html = d.documentElement, w = window, l = w.lander;
  if (!l || !l.push) return;
  const { push, ended, focusables, load, save } = l;
  const $$ = (sel, root = d) => [...root.querySelectorAll(sel)];
  const on = (t, ev, fn, o) => t.addEventListener(ev, fn, o);
  const L = 'localStorage', S = 'sessionStorage', SHOWN = 'lander:popups';
  const num = (el, k) => parseFloat(el.dataset[k]) || 0;
  // Shown or dismissed (stored under `k`) less than `days` ago.
  const recent = (k, days) => days > 0 && Date.now() - (Number(load(L, k)) || 0) < days * 864e5;
  const stamp = k => save(L, k, String(Date.now()));

  // 1. Bars: shown as built (their space is in the page, or they float at
  // the bottom); the close button works with JS and is remembered.
  $$('[data-lander-bar]').forEach(b => {
    const k = 'lander:bar:' + b.dataset.landerBar;
    if (recent(k, num(b, 'frequencyDays'))) return void (b.hidden = true);
    $$('[data-lander-dismiss]', b).forEach(x => on(x, 'click', () => { b.hidden = true; stamp(k); }));
  });

  // 2. Popups: an accessible dialog, Esc and a click outside close it.
  const popups = $$('[data-lander-popup]');
  let open = null, back = null, downOn = null, seen = false;
  const count = () => Number(load(S, SHOWN)) || 0;
  const close = () => {
    if (!open) return;
    open.hidden = true;
    open = null;
    back?.focus?.();
  };
  // `asked`: the visitor clicked for it (no cap, no frequency).
  const show = (p, asked) => {
    const id = p.dataset.landerPopup;
    if (open || (!asked && (seen || ended[id]))) return;
    if (!asked) {
      seen = true;
      stamp('lander:popup:' + id);
      save(S, SHOWN, String(count() + 1));
    }
    back = d.activeElement;
    open = p;
    p.hidden = false;
    focusables(p)[0]?.focus();
    push('popup_view', id, p);
  };
  popups.forEach(p => {
    on(p, 'mousedown', e => { downOn = e.target; });
    on(p, 'click', e => {
      if ((e.target === p && downOn === p) || e.target.closest('[data-lander-close]')) close();
    });
  });
  on(d, 'keydown', e => {
    if (!open) return;
    if (e.key === 'Escape') return close();
    if (e.key !== 'Tab') return;
    const f = focusables(open), a = d.activeElement;
    if (!f.length) return e.preventDefault();
    const first = f[0], last = f[f.length - 1];
    if (!open.contains(a) || (e.shiftKey ? a === first : a === last)) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    }
  });

  // 3. Two-step opt-in: a CTA that opens its offer's dialog.
  on(d, 'click', e => {
    const a = e.target.closest?.('[data-lander-open]');
    const p = a && popups.find(x => x.dataset.landerPopup === a.dataset.landerOpen);
    if (!p || e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    show(p, true);
  });

  // 4. Triggers, per device class: touch screens have no exit intent.
  const touch = w.matchMedia?.('(pointer: coarse)').matches;
  const trig = p => p.dataset[touch ? 'mobileTrigger' : 'trigger'] || 'none';
  const p = popups
    .filter(x => trig(x) !== 'none' && !recent('lander:popup:' + x.dataset.landerPopup, num(x, 'frequencyDays')))
    .sort((a, b) => num(b, 'priority') - num(a, 'priority'))[0];
  if (!p || count() >= num(p, 'perSession')) return;
  const go = () => show(p), t = trig(p), sc = (fn) => on(w, 'scroll', fn, { passive: true });
  if (t === 'delay') setTimeout(go, num(p, 'delay') * 1000);
  else if (t === 'scroll') {
    const pct = num(p, 'scroll') || 50;
    sc(() => { if ((w.scrollY + w.innerHeight) * 100 >= pct * html.scrollHeight) go(); });
  } else if (t === 'exit-intent') {
    on(d, 'mouseout', e => { if (e.clientY <= 0 && !e.relatedTarget) go(); });
  } else if (t === 'scroll-up') {
    // Back up by a third of the window within half a second, having read
    // at least half a window down.
    let hist = [];
    sc(() => {
      const now = performance.now(), y = w.scrollY, h = w.innerHeight;
      hist = hist.filter(s => now - s[0] < 500);
      hist.push([now, y]);
      const top = Math.max(...hist.map(s => s[1]));
      if (top - y > h / 3 && top > h / 2) go();
    });
  } else if (t === 'idle') {
    let timer;
    const wait = () => { clearTimeout(timer); timer = setTimeout(go, num(p, 'idle') * 1000); };
    ['scroll', 'pointerdown', 'pointermove', 'keydown', 'touchstart'].forEach(ev => on(w, ev, wait, { passive: true }));
    wait();
  }
})();
