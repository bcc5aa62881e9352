/* providers.js: the JSON bodies of the mailing tools whose APIs take JSON
   only, HubSpot (forms submission API v3) and Klaviyo (client subscriptions
   API). lander loads it, after lander.js, only on pages with such a form;
   lander.js calls lander[provider](request, formData, form) before sending.
   Fields are named as the vendor wants them in the HTML already. */
(() => {
  'use strict';
  const w = window, d = document, L = w.lander;
  if (!L) return;
  // Filled fields only: an empty utm_* would blank what the tool knows.
  const filled = fd => [...fd].filter(([, v]) => typeof v === 'string' && v !== '');
  const cookie = n => (d.cookie.match('(?:^|; )' + n + '=([^;]*)') || [])[1];
  const json = (init, type, body) => {
    init.headers['Content-Type'] = type;
    init.body = JSON.stringify(body);
  };

  // HubSpot: {fields: [{objectTypeId, name, value}], context: {pageUri,
  // pageName, hutk}}; the page is the context, not a field; a checkbox
  // ticked several times is one value joined by ";" as HubSpot wants it.
  L.hubspot = (init, fd, f) => {
    const byName = new Map();
    let consent = false;
    filled(fd).forEach(([name, value]) => {
      if (name === 'page') return;
      if (name === 'consent') { consent = true; return; }
      byName.set(name, byName.has(name) ? byName.get(name) + ';' + value : value);
    });
    const context = { pageUri: location.href, pageName: d.title };
    const hutk = cookie('hubspotutk'); // HubSpot's tracking code sets it
    if (hutk) context.hutk = decodeURIComponent(hutk);
    const body = {
      fields: [...byName].map(([name, value]) => ({ objectTypeId: '0-1', name, value })),
      context,
    };
    if (consent) {
      const label = f.querySelector('.lander-field-consent label');
      body.legalConsentOptions = {
        consent: { consentToProcess: true, text: label ? label.textContent.trim() : '' },
      };
    }
    json(init, 'application/json', body);
  };

  // Klaviyo: a JSON:API "subscription" of a profile to a list; the
  // profile's own attributes by name, everything else as its properties.
  const PROFILE = ['email', 'first_name', 'last_name', 'organization', 'title'];
  L.klaviyo = (init, fd, f) => {
    const attributes = {}, properties = {};
    filled(fd).forEach(([k, v]) => {
      if (PROFILE.includes(k)) attributes[k] = v;
      else properties[k] = k in properties ? [].concat(properties[k], v) : v;
    });
    attributes.properties = properties;
    init.headers.Accept = 'application/vnd.api+json';
    init.headers.revision = '2025-01-15';
    json(init, 'application/vnd.api+json', {
      data: {
        type: 'subscription',
        attributes: {
          custom_source: 'lander: ' + f.dataset.offer,
          profile: { data: { type: 'profile', attributes } },
        },
        relationships: { list: { data: { type: 'list', id: f.dataset.list || '' } } },
      },
    });
  };
})();
