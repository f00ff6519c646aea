// The sign-in form of the agent console.

import { h, setText } from './dom.js';

export function createLoginView({ doc, controller }) {
  const username = h(doc, 'input', {
    id: 'cc-username',
    className: 'cc-field',
    attrs: { name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' },
  });
  const password = h(doc, 'input', {
    id: 'cc-password',
    className: 'cc-field',
    attrs: { name: 'password', type: 'password', autocomplete: 'current-password', required: true },
  });
  const error = h(doc, 'p', { id: 'cc-login-error', className: 'cc-error', attrs: { role: 'alert', hidden: true } });
  const submit = h(doc, 'button', {
    id: 'cc-login-submit',
    className: 'cc-button cc-button--primary',
    text: 'Sign in',
    attrs: { type: 'submit' },
  });
  const form = h(doc, 'form', { id: 'cc-login-form', className: 'cc-login', attrs: { novalidate: true, 'aria-labelledby': 'cc-login-title' } }, [
    h(doc, 'h2', { id: 'cc-login-title', text: 'Sign in to take conversations' }),
    h(doc, 'label', { text: 'Username', attrs: { for: 'cc-username' } }),
    username,
    h(doc, 'label', { text: 'Password', attrs: { for: 'cc-password' } }),
    password,
    error,
    submit,
  ]);
  const el = h(doc, 'main', { id: 'cc-login', className: 'cc-login-screen' }, [form]);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ok = await controller.login(username.value, password.value);
    password.value = '';
    if (!ok) (username.value ? password : username).focus();
  });

  function render() {
    el.hidden = controller.isLoggedIn();
    const err = controller.getLoginError();
    error.hidden = !err;
    setText(error, err || '');
    submit.disabled = controller.isLoginBusy();
    setText(submit, controller.isLoginBusy() ? 'Signing in…' : 'Sign in');
  }

  return { el, render, focus: () => username.focus() };
}
