// The API key lives in this tab's sessionStorage (gone when the tab closes, never in a URL, never sent anywhere but
// this api) and in memory while the page runs.

const STORAGE = 'quench.console.api-key';
let key = null;

export const session = {
  key() {
    if (key == null) {
      try {
        key = window.sessionStorage.getItem(STORAGE);
      } catch {
        key = null; // storage disabled: the key lives in memory only
      }
    }
    return key;
  },

  signedIn() {
    return Boolean(this.key());
  },

  signIn(value) {
    key = value;
    try {
      window.sessionStorage.setItem(STORAGE, value);
    } catch {
      // memory only
    }
  },

  signOut() {
    key = null;
    try {
      window.sessionStorage.removeItem(STORAGE);
    } catch {
      // nothing kept
    }
  },
};
