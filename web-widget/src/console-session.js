// Signing in and out over HTTP (POST /api/login, /api/logout). Returns
// plain results; the controller decides what the console shows.

import { str } from './messages.js';

export async function requestLogin(fetchImpl, base, username, password) {
  const u = typeof username === 'string' ? username.trim() : '';
  if (!u || !password) return { ok: false, error: 'Please enter your username and password.' };
  let res;
  try {
    res = await fetchImpl(`${base}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: u, password }),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: "We couldn't reach the server. Check your connection and try again." };
  }
  if (res.status === 401) return { ok: false, error: "That username and password don't match. Please try again." };
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok || !body || !str(body.token)) {
    return { ok: false, error: `Sign-in failed (server answered ${res.status}). Please try again.` };
  }
  const agent = body.agent && typeof body.agent === 'object' ? body.agent : {};
  return {
    ok: true,
    auth: {
      token: body.token,
      // The bridge sends seconds since the epoch; an ISO string is accepted too.
      expires_at: typeof body.expires_at === 'number' || str(body.expires_at) ? body.expires_at : null,
      agent: {
        username: str(agent.username) || u,
        display_name: str(agent.display_name) || str(agent.username) || u,
      },
    },
  };
}

export async function requestLogout(fetchImpl, base, token) {
  if (!token) return;
  try {
    await fetchImpl(`${base}/api/logout`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      credentials: 'same-origin',
    });
  } catch {
    // Signing out locally matters more than telling the server.
  }
}

/** Whether a saved sign-in is past its expiry (seconds or ISO string). */
export function isExpired(expiresAt, nowMs) {
  if (typeof expiresAt === 'number') return expiresAt * 1000 <= nowMs;
  if (typeof expiresAt === 'string') {
    const t = Date.parse(expiresAt);
    return !Number.isNaN(t) && t <= nowMs;
  }
  return false;
}
