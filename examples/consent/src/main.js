import { init } from 'telltale';

const CONSENT_KEY = 'analytics-consent';

// With requireConsent nothing is sent or stored until setConsent('granted'): events wait
// in memory. setConsent('denied') discards them and stops telltale for this page.
const tt = init({
  endpoint: import.meta.env.VITE_TELLTALE_ENDPOINT,
  app: 'consent-example',
  release: '1.0.0',
  requireConsent: true,
  // telltale does not remember the choice: the site does, here in localStorage
  onConsent: (choice) => localStorage.setItem(CONSENT_KEY, choice),
});

const banner = document.getElementById('consent-banner');
const saved = localStorage.getItem(CONSENT_KEY);
if (saved == 'granted' || saved == 'denied') tt.setConsent(saved);
else banner.hidden = false;

for (const button of banner.querySelectorAll('button')) {
  button.addEventListener('click', () => {
    tt.setConsent(button.value);
    banner.hidden = true;
  });
}

document.getElementById('add-to-cart').addEventListener('click', () => tt.track('add_to_cart', { sku: 'mug-01' }));
