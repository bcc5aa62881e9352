/* lander.js: progressive enhancement for offers, forms, quizzes and
   countdowns (popups and bars: popups.js), relying on the HTML the build emits (the forms contract).
   Without it every form still posts natively and the default variant shows. */
(() => {
  'use strict';
  const d = document, html = d.documentElement, w = window;
  const $ = (sel, root = d) => root.querySelector(sel);
  const $$ = (sel, root = d) => [...root.querySelectorAll(sel)];
  const on = (t, ev, fn, o) => t.addEventListener(ev, fn, o);
  const has = (el, a) => el.hasAttribute(a);
  const L = 'localStorage', S = 'sessionStorage';
  html.classList.add('js');
  w.lander = { version: 1 };

  // Storage that never throws (private mode, blocked cookies).
  const load = (area, k) => { try { return w[area].getItem(k); } catch (e) { return null; } };
  // With a consent banner, consent.js says which keys may be kept (w.landerKeep).
  const save = (area, k, v) => { try { (w.landerKeep || Boolean)(k) && w[area].setItem(k, v); } catch (e) { /* ignore */ } };
  const json = (s, dflt) => { try { return JSON.parse(s) ?? dflt; } catch (e) { return dflt; } };

  // Analytics: window.dataLayer only when the site asks for it.
  const dl = has(html, 'data-lander-analytics') ? (w.dataLayer = w.dataLayer || []) : null;
  const chosen = {}; // offer id -> variant id
  const ended = {}; // offer id -> true once its countdown hit zero
  const block = id => $$('[data-lander-offer]').find(b => b.dataset.landerOffer === id);
  const push = (event, id, el, extra) => {
    if (!dl || !id) return;
    const s = el.closest('[data-stage]') || block(id);
    dl.push(Object.assign({ event, offer: id, variant: chosen[id] || '', stage: s ? s.dataset.stage : '' }, extra));
  };

  // 1. UTM + referrer, first touch per session.
  const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
  const q = new URLSearchParams(location.search);
  let utm = json(load(S, 'lander:utm'), {});
  if (UTM.some(k => q.has(k))) {
    utm = {};
    UTM.forEach(k => { utm[k] = q.get(k) || ''; });
    save(S, 'lander:utm', JSON.stringify(utm));
  }
  let ref = load(S, 'lander:referrer');
  if (!ref && d.referrer) {
    try {
      if (new URL(d.referrer).origin !== location.origin) {
        ref = d.referrer;
        save(S, 'lander:referrer', ref);
      }
    } catch (e) { /* bad URL */ }
  }
  const forms = $$('form[data-lander-form]');
  // By lander's name of the field (`data-l`), whatever the vendor calls it.
  const setField = (f, name, v) => $$('[data-l=' + name + ']', f).forEach(i => { i.value = v; });
  forms.forEach(f => {
    UTM.forEach(k => { if (utm[k]) setField(f, k, utm[k]); });
    if (ref) setField(f, 'referrer', ref);
  });

  // 2. Sticky weighted A/B variants.
  const pick = vs => {
    const wt = v => Math.max(0, v.weight ?? 1) || 0;
    let r = Math.random() * vs.reduce((t, v) => t + wt(v), 0);
    for (const v of vs) if ((r -= wt(v)) < 0) return v.id;
    return vs[0].id;
  };
  $$('[data-lander-offer][data-variants]').forEach(b => {
    const id = b.dataset.landerOffer, vs = json(b.dataset.variants, []);
    if (!Array.isArray(vs) || !vs.length) return;
    if (!chosen[id]) {
      const k = 'lander:variant:' + id, old = load(L, k);
      chosen[id] = vs.some(v => v.id === old) ? old : pick(vs);
      save(L, k, chosen[id]);
    }
    const kids = $$('[data-lander-variant]', b);
    if (kids.some(el => el.dataset.landerVariant === chosen[id])) {
      kids.forEach(el => { el.hidden = el.dataset.landerVariant !== chosen[id]; });
    }
  });
  forms.forEach(f => { const v = chosen[f.dataset.offer]; if (v) setField(f, 'variant', v); });

  // 3. Personalisation by UTM: first matching rule wins, text only.
  $$('[data-personalize]').forEach(b => {
    const rules = json(b.dataset.personalize, []);
    const r = Array.isArray(rules) && rules.find(x => {
      const ks = Object.keys(x && x.match || {});
      return ks.length && ks.every(k => utm[k] === x.match[k]);
    });
    if (!r) return;
    ['headline', 'incentive'].forEach(k => {
      if (typeof r[k] === 'string') $$('[data-lander-' + k + ']', b).forEach(el => { el.textContent = r[k]; });
    });
  });

  // 4. Forms: inline validation messages, fetch submit, inline result.
  const errorOf = el => {
    const by = el.closest('[aria-describedby]');
    for (const id of (by ? by.getAttribute('aria-describedby') : '').split(/\s+/)) {
      const e = id && d.getElementById(id);
      if (e && e.classList.contains('lander-error')) return e;
    }
    const fld = el.closest('.lander-field');
    return fld && $('.lander-error', fld);
  };
  const mark = (el, msg) => {
    if (msg) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
    const e = errorOf(el);
    if (e) { e.textContent = msg; e.hidden = !msg; }
  };
  // Marks every field in `els`; returns the first invalid one.
  const validate = els => {
    let first = null;
    for (const el of els) {
      if (!el.willValidate) continue;
      const ok = el.checkValidity();
      mark(el, ok ? '' : el.validationMessage); // the browser's own, localised text
      if (!ok && !first) first = el;
    }
    return first;
  };
  const say = (f, text, alert) => {
    const s = $('.lander-status', f);
    if (s) {
      s.setAttribute('role', alert ? 'alert' : 'status');
      s.textContent = text;
    }
    return s;
  };
  const toObject = fd => {
    const o = {};
    fd.forEach((v, k) => { o[k] = k in o ? [].concat(o[k], v) : v; });
    return o;
  };
  const send = async (f, fd) => {
    const p = f.dataset.provider || 'generic', o = /^(mailchimp|kit|brevo)$/.test(p);
    const init = { method: 'POST', headers: { Accept: 'application/json' } };
    if (p === 'json') {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(toObject(fd));
    } else init.body = new URLSearchParams(fd);
    w.lander[p]?.(init, fd, f); // providers.js: the JSON of HubSpot and Klaviyo
    if (o) init.mode = 'no-cors'; // hosted forms answer opaquely: assume success
    init.signal = AbortSignal.timeout?.(20000);
    const res = await fetch(f.getAttribute('action') || location.href, init);
    if (!o && !res.ok) throw res.status;
  };
  // After a lead, the form makes way at once (the thank-you text in place
  // with `on_success: inline`, else the success message while the thank-you
  // page loads, and on coming Back). Inline: GA4's generate_lead and the
  // Meta pixel's Lead here; else the thank-you page fires them (thanks.js),
  // told the variant by the hash.
  const thank = (f, done) => {
    const id = f.dataset.offer, { value, currency } = f.dataset, v = chosen[id];
    const x = value ? { value: +value, currency } : {};
    done();
    if (f.dataset.onSuccess !== 'inline') return location.assign(f.dataset.thanks + (v ? '#variant=' + encodeURIComponent(v) : ''));
    push('generate_lead', id, f, x);
    w.fbq?.('track', 'Lead', Object.assign({ content_name: id }, x));
  };
  const submitters = f => $$('[type=submit]', f);
  const honey = f => { const h = $('.lander-hp input', f); return h && h.value; };
  // Visible, enabled, tabbable elements (popup focus trap, quiz steps).
  const focusables = root => $$('a[href],button,input,select,textarea,[tabindex]', root).filter(el =>
    !el.disabled && el.tabIndex >= 0 && el.getClientRects().length);
  const focusFirst = root => focusables(root)[0]?.focus();

  forms.forEach(f => {
    f.noValidate = true; // our inline messages replace the browser bubbles
    const id = f.dataset.offer;
    const steps = has(f, 'data-lander-quiz') ? $$('.lander-step', f) : [];
    let busy = false, started = false, cur = 0, sentPartial = '';
    // The time trap: `lander_fast` says 1 until a human could have typed.
    const fast = $('[name=lander_fast]', f);
    if (fast) { fast.value = 1; setTimeout(() => { fast.value = ''; }, f.dataset.timeTrap * 1e3); }

    on(f, 'focusin', e => {
      if (started || !e.target.matches('input,select,textarea') || e.target.closest('.lander-hp')) return;
      started = true;
      push('form_start', id, f);
    });
    on(f, 'input', clear);
    on(f, 'change', clear);
    function clear(e) {
      const t = e.target;
      if (t.name && t.getAttribute('aria-invalid') && t.checkValidity()) {
        $$('[name]', f).forEach(el => { if (el.name === t.name) mark(el, ''); });
      }
    }

    const done = () => {
      [...f.children].forEach(c => { if (!c.classList.contains('lander-status')) c.hidden = true; });
      // Texts in the page's language come from the HTML: the thank-you
      // text of `on_success: inline`, else the success message.
      const t = $('.lander-thanks', f), s = t ? (t.hidden = false, t) : say(f, f.dataset.success);
      if (s) { s.tabIndex = -1; s.focus(); }
      f.dispatchEvent(new Event('lander:done', { bubbles: true })); // quiz.js shows the outcome
    };

    // 5. Quiz: one step at a time.
    const go = i => {
      cur = i;
      steps.forEach((s, j) => { s.hidden = j !== i; });
      const s = steps[i], last = i === steps.length - 1;
      s.disabled = false;
      const nav = $('.lander-step-nav', s);
      if (nav) nav.hidden = false;
      const btn = (a, hide) => { const b = $('[' + a + ']', s); if (b) b.hidden = hide; };
      btn('data-lander-back', !i);
      btn('data-lander-next', last);
      btn('data-lander-skip', !has(s, 'data-optional'));
      submitters(f).forEach(b => { if (!b.closest('.lander-step')) b.hidden = !last; });
    };
    const partial = () => {
      // No early lead while a field outside the steps (e.g. consent) is still invalid.
      if (honey(f) || [...f.elements].some(el =>
        !el.closest('.lander-step') && el.willValidate && !el.validity.valid)) return;
      const fd = new FormData(f);
      steps.slice(1).forEach(s => [...s.elements].forEach(el => { if (el.name) fd.delete(el.name); }));
      fd.set('quiz_step', '1');
      fd.set('partial', '1');
      const key = new URLSearchParams(fd).toString();
      if (key !== sentPartial) { sentPartial = key; send(f, fd).catch(() => {}); }
    };
    const next = () => {
      const bad = validate(steps[cur].elements);
      if (bad) return bad.focus();
      if (!cur) partial();
      push('quiz_step', id, f, { step: cur + 1 });
      go(cur + 1);
      focusFirst(steps[cur]);
    };
    const skip = () => {
      const s = steps[cur];
      if (!has(s, 'data-optional')) return;
      [...s.elements].forEach(el => mark(el, ''));
      s.disabled = true; // excluded from validation and from the data sent
      push('quiz_step', id, f, { step: cur + 1, skipped: true });
      if (cur === steps.length - 1) f.dispatchEvent(new Event('submit', { cancelable: true }));
      else { go(cur + 1); focusFirst(steps[cur]); }
    };
    if (steps.length) {
      go(0);
      on(f, 'click', e => {
        const t = e.target.closest('button');
        if (!t) return;
        if (has(t, 'data-lander-next')) next();
        else if (has(t, 'data-lander-skip')) skip();
        else if (has(t, 'data-lander-back') && cur) { go(cur - 1); focusFirst(steps[cur]); }
      });
    }

    on(f, 'submit', async e => {
      e.preventDefault();
      if (busy) return;
      if (steps.length && cur < steps.length - 1) return next(); // Enter inside a step
      if (honey(f) || fast?.value) return done(); // bots get a fake success
      const bad = validate(f.elements);
      if (bad) {
        const s = steps.findIndex(st => st.contains(bad));
        if (s >= 0 && s !== cur) go(s);
        return bad.focus();
      }
      const fd = new FormData(f);
      if (steps.length) fd.set('quiz_step', 'final');
      busy = true;
      const btns = submitters(f);
      btns.forEach(b => { b.disabled = true; });
      say(f, '');
      try {
        await send(f, fd);
        push('form_submit', id, f);
        thank(f, done); // busy stays true: the form is gone
      } catch (err) {
        say(f, f.dataset.error, true);
        btns.forEach(b => { b.disabled = false; });
        if (steps.length) go(cur); // re-enable a skipped last step
        busy = false;
      }
    });
  });

  // 6. Countdowns, in the page's language: "Days: 2 · Hours: 04 …" with
  // the locale's digits; the words come from data-labels.
  const clocks = $$('[data-lander-countdown]').map(el => ({ el, t: Date.parse(el.dataset.ends), w: (el.dataset.labels || '').split('|') }))
    .filter(c => !isNaN(c.t));
  let nf;
  try { nf = new Intl.NumberFormat(html.dataset.locale || html.lang, { minimumIntegerDigits: 2 }); } catch (e) { nf = new Intl.NumberFormat(); }
  const pad = n => nf.format(n);
  const expire = el => {
    const b = el.closest('.lander-offer');
    if (!b) return;
    const oid = b.dataset.landerOffer;
    if (oid) ended[oid] = true;
    $$('[data-lander-form],[data-lander-cta]').forEach(x => {
      if (x.closest('.lander-offer') === b || (oid && x.dataset.offer === oid)) x.hidden = true;
    });
  };
  const tick = () => {
    const now = Date.now();
    clocks.forEach(c => {
      if (c.done) return;
      let s = Math.floor((c.t - now) / 1000);
      if (s <= 0) { c.done = true; c.el.textContent = c.w[4] || ''; expire(c.el); return; }
      c.el.textContent = [s / 86400, s / 3600 % 24, s / 60 % 60, s % 60]
        .map((n, i) => c.w[i] + ': ' + pad(Math.floor(n))).join(' · ');
    });
  };
  if (clocks.length) { tick(); setInterval(tick, 1000); }

  // 7. Popups and announcement bars: popups.js, loaded only on the pages
  // that have one, after this script; it uses these.
  Object.assign(w.lander, { push, ended, focusables, load, save });

  // 8. CTA clicks; buy buttons push GA4's begin_checkout with their data.
  on(d, 'click', e => {
    const a = e.target.closest?.('[data-lander-cta],[data-lander-buy]'), b = a?.dataset.landerBuy;
    if (b) dl?.push(Object.assign({ event: 'begin_checkout' }, json(b, {})));
    else if (a) push('cta_click', a.dataset.offer, a);
  });

  // 9. Offer views, the denominator of `lander report`: once per block and
  // page view, when at least half of it is on screen (popups: when opened).
  const IO = w.IntersectionObserver;
  if (dl && IO) {
    const io = new IO(es => es.forEach(({ target: b, intersectionRatio: r }) => {
      if (r < .5) return;
      io.unobserve(b);
      push('offer_view', b.dataset.landerOffer, b);
    }), { threshold: .5 });
    $$('[data-lander-offer]').forEach(b => io.observe(b));
  }
})();
