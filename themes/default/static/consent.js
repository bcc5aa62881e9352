/* consent.js: the consent banner and the analytics tags behind it. Loaded,
   deferred and before lander.js, only when site.yaml has `consent:` or an
   analytics id; its settings are the JSON of its own `data-lander-tags`.
   Until the visitor agrees nothing loads from an analytics host, Google's
   Consent Mode v2 defaults say "denied", and lander.js stores only the keys
   the site declared necessary (w.landerKeep). Without `consent:` the tags
   load at once. The choice is one localStorage record, `lander_consent`:
   {v: version, date, analytics, marketing}. */
(() => {
  'use strict';
  const d = document, w = window, K = 'lander_consent';
  const me = d.currentScript;
  let cfg = {};
  try { cfg = JSON.parse(me.dataset.landerTags); } catch (e) { /* no settings: nothing to load */ }
  const gated = !!cfg.cats;
  const dl = w.dataLayer = w.dataLayer || [];
  // gtag() pushes its `arguments` object: Google's tags read nothing else.
  const gtag = w.gtag = w.gtag || function () { dl.push(arguments); };
  const google = cfg.ga4 || cfg.gtm;
  const mode = c => {
    const a = c.analytics ? 'granted' : 'denied', m = c.marketing ? 'granted' : 'denied';
    return { analytics_storage: a, ad_storage: m, ad_user_data: m, ad_personalization: m };
  };
  if (google && gated) gtag('consent', 'default', Object.assign(mode({}), { wait_for_update: 500 }));

  const script = (src, attrs) => {
    const s = d.createElement('script');
    s.async = true;
    s.src = src;
    Object.assign(s.dataset, attrs);
    d.head.append(s);
  };
  const loaded = {};
  const once = (k, fn) => { if (!loaded[k]) { loaded[k] = 1; fn(); } };
  // Loads every tag the choice `c` allows (all of them when nothing is gated).
  const tags = c => {
    const gtm = 'https://www.googletagmanager.com/';
    if (c.analytics) {
      if (cfg.ga4) once('ga4', () => { gtag('js', new Date()); gtag('config', cfg.ga4); script(gtm + 'gtag/js?id=' + encodeURIComponent(cfg.ga4)); });
      if (cfg.gtm) once('gtm', () => { dl.push({ 'gtm.start': Date.now(), event: 'gtm.js' }); script(gtm + 'gtm.js?id=' + encodeURIComponent(cfg.gtm)); });
    }
    const p = cfg.plausible;
    if (p && (c.analytics || !p.gate)) once('plausible', () => script(p.src, { domain: p.domain }));
    if (c.marketing && cfg.pixel) once('pixel', () => {
      // Meta's documented stub: calls are queued until fbevents.js runs.
      let f = w.fbq;
      if (!f) {
        f = w.fbq = w._fbq = function () { f.callMethod ? f.callMethod.apply(f, arguments) : f.queue.push(arguments); };
        Object.assign(f, { push: f, loaded: true, version: '2.0', queue: [] });
      }
      f('init', cfg.pixel);
      f('track', 'PageView');
      script('https://connect.facebook.net/en_US/fbevents.js');
    });
  };
  if (!gated) { tags({ analytics: 1, marketing: 1 }); return; }

  let rec = null;
  try { rec = JSON.parse(localStorage.getItem(K)); } catch (e) { /* blocked storage */ }
  if (!rec || rec.v !== cfg.v) rec = null;
  // lander.js asks before it stores a key: necessary ones, or all with analytics.
  w.landerKeep = k => !!(rec && rec.analytics) || cfg.keep.some(p => k.startsWith(p));

  const box = d.querySelector('[data-lander-consent]');
  if (!box) return;
  const $$ = s => [...box.querySelectorAll(s)];
  const btn = n => box.querySelector('[data-consent=' + n + ']');
  const choices = box.querySelector('fieldset');
  const boxes = $$('[data-consent-category]');
  const opener = d.querySelector('[data-lander-consent-open]');
  let back = null; // where focus returns after a reopened banner closes

  const apply = c => {
    const first = !rec;
    rec = { v: cfg.v, date: new Date().toISOString() };
    cfg.cats.forEach(k => { rec[k] = !!c[k]; });
    try { localStorage.setItem(K, JSON.stringify(rec)); } catch (e) { /* blocked storage */ }
    if (google) gtag('consent', 'update', mode(rec));
    if (!rec.marketing && loaded.pixel) w.fbq('consent', 'revoke');
    if (!rec.analytics) {
      // Forget what lander.js kept before (a changed mind), but the necessary keys.
      [localStorage, sessionStorage].forEach(s => {
        try { Object.keys(s).filter(k => k.startsWith('lander:') && !w.landerKeep(k)).forEach(k => s.removeItem(k)); } catch (e) { /* blocked storage */ }
      });
    }
    dl.push({ event: 'lander_consent', consent: Object.assign({}, rec), first });
    tags(rec);
    close();
  };
  const close = () => {
    box.hidden = true;
    if (back) { back.focus(); back = null; }
  };
  const open = focus => {
    boxes.forEach(b => { b.checked = !!(rec && rec[b.name]); });
    box.hidden = false;
    if (focus) { back = d.activeElement; btn('all').focus(); }
  };
  const choose = show => {
    choices.hidden = !show;
    btn('save').hidden = !show;
    btn('choose').hidden = show;
    btn('choose').setAttribute('aria-expanded', show);
    if (show) boxes[0] && boxes[0].focus();
  };
  box.addEventListener('click', e => {
    const b = e.target.closest('[data-consent]');
    if (!b) return;
    const all = v => Object.fromEntries(cfg.cats.map(k => [k, v]));
    const n = b.dataset.consent;
    if (n === 'choose') return choose(true);
    apply(n === 'all' ? all(true) : n === 'none' ? all(false) : Object.fromEntries(boxes.map(x => [x.name, x.checked])));
    choose(false);
  });
  box.addEventListener('keydown', e => { if (e.key === 'Escape' && back) close(); });
  if (opener) opener.addEventListener('click', () => { choose(false); open(true); });
  if (rec && google) gtag('consent', 'update', mode(rec));
  tags(rec || {}); // before a choice: Plausible, if the site lets it load at once
  if (!rec) open(false);
})();
