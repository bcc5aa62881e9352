/* thanks.js: on an offer's thank-you page only, the conversion events of
   the lead that led here (GA4's generate_lead on dataLayer, the Meta
   pixel's Lead), once. A visitor comes here after a plain POST (no script
   on the form's page: the endpoint redirects here) or sent by lander.js
   (`on_success: page`, with `#variant=ID`). The events fire on load, then
   the address becomes `#lead-counted`, so a reload or a return through the
   history does not count the lead again. An `on_success: inline` lead was
   counted on the form's page and never comes here with the script. */
(() => {
  'use strict';
  const d = document, w = window, t = d.querySelector('[data-lander-thanks]');
  const h = new URLSearchParams(location.hash.slice(1));
  if (!t || h.has('lead-counted')) return;
  const { landerThanks: offer, stage, value, currency } = t.dataset;
  // The variant the visitor saw: from lander.js, else the sticky choice.
  const variant = h.get('variant') ?? w.lander?.load?.('localStorage', 'lander:variant:' + offer) ?? '';
  const x = value ? { value: +value, currency } : {};
  if (d.documentElement.hasAttribute('data-lander-analytics')) {
    (w.dataLayer = w.dataLayer || []).push(Object.assign({ event: 'generate_lead', offer, variant, stage }, x));
  }
  w.fbq?.('track', 'Lead', Object.assign({ content_name: offer }, x));
  history.replaceState(history.state, '', '#lead-counted');
})();
