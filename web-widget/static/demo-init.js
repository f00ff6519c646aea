// Kept out of index.html because the bridge's CSP allows no inline script.
CalorChat.init({url: location.origin});
